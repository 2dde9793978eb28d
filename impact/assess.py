"""Stack-level effects: knock-on changes, then findings.

:mod:`impact.knockon` adds the changes the edits set off through ``Ref``,
``Fn::GetAtt``, ``Fn::Sub``, conditions, mappings and parameters; then every
check in :mod:`impact.checks` reads the result and adds its findings.
"""

from __future__ import annotations

from . import checks
from .knockon import KnockOn
from .model import StackDiff, Template
from .rules import RuleBook


def assess(stack: StackDiff, old: Template, new: Template, book: RuleBook, config=None) -> None:
    """Add knock-on changes and findings to ``stack``; ``config`` is applied to what is added."""
    knock = KnockOn(stack, new, book, config).run()
    ctx = checks.Context(stack=stack, old=old, new=new, book=book, knock=knock, config=config)
    stack.findings.extend(checks.run(ctx))
