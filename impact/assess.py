"""Stack-level effects of the changes: findings a reviewer must see."""

from __future__ import annotations

from .model import MODIFY, Finding, StackDiff, Template
from .rules import RuleBook


def assess(stack: StackDiff, old: Template, new: Template, book: RuleBook) -> None:
    """Add findings to ``stack``."""
    for rd in stack.resources:
        if rd.action == MODIFY and rd.old_type:
            stack.findings.append(
                Finding(
                    id="type-change",
                    severity="error",
                    logical_id=rd.logical_id,
                    message=f"{rd.logical_id} changes Type from {rd.old_type} to {rd.type}: CloudFormation refuses this update",
                    path="/Type",
                    position=rd.position,
                )
            )
