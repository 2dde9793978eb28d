"""Findings: the stack-level events a reviewer must see.

Each check is one module of this package with

- ``ID``: the finding's stable id (``stateful-replacement``);
- ``SEVERITY``: its usual severity (a check may report a milder or harsher
  one for a particular case, and says why in its docstring);
- ``HELP``: one sentence that explains the finding, shown beside it in every
  report;
- ``check(ctx)``: yields :class:`~impact.model.Finding` objects for one
  stack, reading the shared :class:`Context`.

A reader looking for how impact decides one finding opens one module.  The
checks run after the knock-on stage (:mod:`impact.assess.knockon`) and the security
stage (:mod:`impact.assess.security`), in the order of :data:`CHECKS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from typing import Optional

from ..knockon import CERTAIN, KnockOn
from ...model import SEVERITY_RANK, ResourceDiff, StackDiff, Template
from ...classify.rules import RuleBook

# The check modules, in the order their findings are listed within a severity.
CHECKS = (
    "type_change",
    "not_updatable",
    "update_rejected",
    "autoscaling_replacing_update",
    "autoscaling_rolling_update",
    "custom_name_replacement",
    "name_collision",
    "stateful_replacement",
    "retained_removal",
    "rename",
    "dangling_reference",
    "invalid_sub_variable",
    "export_removed",
    "export_changed",
    "no_op_update",
    "autoscaling_instances_unchanged",
    "public_exposure",
    "permissions_broadened",
    "network_broadened",
    "protection_removed",
    "permissions_narrowed",
)


@lru_cache(maxsize=None)
def modules() -> tuple:
    return tuple(import_module(f"{__name__}.{name}") for name in CHECKS)


@lru_cache(maxsize=None)
def help_texts() -> dict:
    """Each finding id's one-sentence explanation, in the order of :data:`CHECKS`."""
    return {m.ID: m.HELP for m in modules()}


@dataclass
class Context:
    """What every check reads: the stack's diff (with knock-on changes), both
    templates, the rules, the user's config, and what the knock-on stage found."""

    stack: StackDiff
    old: Template
    new: Template
    book: RuleBook
    knock: KnockOn
    config: object = None
    renames: list = field(default_factory=list)  # (removed, added, similarity): impact.assess.renames

    def resources(self, *actions: str):
        """The resource diffs with one of ``actions`` that the config does not ignore."""
        return [rd for rd in self.stack.resources if not rd.ignored and rd.action in actions]

    def diff(self, logical_id: str) -> Optional[ResourceDiff]:
        return self.knock.diffs.get(logical_id)

    def replaced(self, logical_id: str) -> int:
        """How sure the resource is replaced: ``CERTAIN``, ``POSSIBLE`` or 0."""
        return self.knock.replaced.get(logical_id, 0)

    def replacement_event(self, rd: ResourceDiff) -> str:
        """``is replaced (/Properties/X changes)`` or ``may be replaced (...)``."""
        sure = self.replaced(rd.logical_id)
        label = "replacement" if sure == CERTAIN else "conditional"
        return f"{'is' if sure == CERTAIN else 'may be'} replaced ({why(rd, label)})"


def because(change) -> str:
    """`` because Bucket is replaced`` for a knock-on change, else ``""``."""
    return f" because {change.because}" if change.cause else ""


def event(ctx: Context, rd: ResourceDiff, change) -> str:
    """``/Properties/X changes because Y is replaced``, or ``may change`` for a
    knock-on that only may happen."""
    sure = change.cause is None or ctx.knock.knocked.get((rd.logical_id, change.path), (None, CERTAIN))[1] == CERTAIN
    return f"{change.path} {'changes' if sure else 'may change'}{because(change)}"


def events(ctx: Context, rd: ResourceDiff, changes) -> str:
    """:func:`event` of each change, joined."""
    return "; ".join(dict.fromkeys(event(ctx, rd, c) for c in changes))


def why(rd: ResourceDiff, label: str) -> str:
    """``/Properties/X changes``, with its cause: why ``rd`` has ``label``."""
    change = next((c for c in rd.changes if c.impact == label and not c.ignored), None)
    if change is None:
        return f"its changes are {label}"
    return f"{change.path} changes{because(change)}"


def run(ctx: Context, only: Optional[tuple] = None) -> list:
    """Every check's findings for one stack (``only``: the checks of these
    module names), most severe first."""
    out = []
    for name, module in zip(CHECKS, modules()):
        if only is None or name in only:
            out.extend(module.check(ctx))
    out.sort(key=lambda f: -SEVERITY_RANK[f.severity])
    return out
