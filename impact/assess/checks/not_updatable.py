"""A change to a property the rules say cannot be updated: an error; a
warning when the value changes only in some cases (a condition, a Default,
a region), where the update fails in those."""

from __future__ import annotations

from ...model import CONDITIONAL, MODIFY, NOT_UPDATABLE, Finding
from . import because

ID = "not-updatable"
SEVERITY = "error"
HELP = "The documentation says this property does not support updates: the stack update fails."


def check(ctx):
    for rd in ctx.resources(MODIFY):
        if rd.old_type:
            continue  # the type change is the finding
        for c in rd.changes:
            if c.impact == NOT_UPDATABLE and not c.ignored and not c.verdict.rejected:  # update-rejected says why
                cause = f" (its value changes{because(c)})" if c.cause else ""
                yield Finding(
                    ID,
                    SEVERITY,
                    rd.logical_id,
                    f"{rd.logical_id}: {c.path} does not support updates{cause}, so the update fails; "
                    "keep the old value, or create the resource under a new logical ID",
                    c.path,
                    c.position,
                )
            elif (c.impact == CONDITIONAL and c.verdict.ruled == NOT_UPDATABLE and not c.ignored
                  and c.resolved is not None and c.resolved.when):
                yield Finding(
                    ID,
                    "warning",
                    rd.logical_id,
                    f"{rd.logical_id}: {c.path} does not support updates and its value {c.resolved.text}: "
                    "then the update fails; keep the old value, or create the resource under a new logical ID",
                    c.path,
                    c.position,
                )
