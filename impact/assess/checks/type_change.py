"""A resource's Type changes under the same logical ID."""

from __future__ import annotations

from ...model import MODIFY, Finding

ID = "type-change"
SEVERITY = "error"
HELP = "CloudFormation refuses to change the Type of a logical ID; give the new resource a new logical ID instead."


def check(ctx):
    for rd in ctx.resources(MODIFY):
        if rd.old_type:
            yield Finding(
                ID,
                SEVERITY,
                rd.logical_id,
                f"{rd.logical_id} changes Type from {rd.old_type} to {rd.type}: CloudFormation refuses this update",
                "/Type",
                rd.position,
            )
