"""Stack-level effects: knock-on changes, then findings.

:mod:`impact.assess.knockon` adds the changes the edits set off through ``Ref``,
``Fn::GetAtt``, ``Fn::Sub``, conditions, mappings and parameters; then
:mod:`impact.assess.retention` marks the removed resources that go with their
parent; then :mod:`impact.assess.security` records what the changes open up or close; then every
check in :mod:`impact.assess.checks` reads the result and adds its findings.
"""

from __future__ import annotations

from . import checks
from .knockon import KnockOn
from ..model import StackDiff, Template
from ..classify.rules import RuleBook
from .renames import rename_pairs
from .retention import mark_children
from .security import assess_security


def assess(stack: StackDiff, old: Template, new: Template, book: RuleBook, config=None, after_knock_on=None,
           res=None) -> None:
    """Add knock-on changes and findings to ``stack``; ``config`` is applied to what is added.
    ``after_knock_on(stack)`` runs between the two (a change set's answers for knock-on changes).
    ``res`` (the resolve stage's Resolution) makes the knock-on and security stages read resolved values."""
    knock = KnockOn(stack, new, book, config, old=old, res=res).run()
    if after_knock_on is not None:
        after_knock_on(stack)
    mark_children(stack, old, new, book, knock.replaced)
    renames = rename_pairs(stack.resources, old, new)
    assess_security(stack, old, new, book, res, renames)
    ctx = checks.Context(stack=stack, old=old, new=new, book=book, knock=knock, config=config, renames=renames)
    stack.findings.extend(checks.run(ctx))
