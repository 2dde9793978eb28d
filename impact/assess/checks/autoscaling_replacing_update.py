"""An Auto Scaling group that CloudFormation replaces as a whole.

The knock-on stage relabels the group's launch configuration, launch
template and subnet changes as replacements (:func:`impact.assess.autoscaling.settle`);
this check says why."""

from __future__ import annotations

from ..autoscaling import group_replacing
from ..knockon import CERTAIN
from ...model import MODIFY, Finding
from . import events

ID = "autoscaling-replacing-update"
SEVERITY = "warning"
HELP = (
    "With AutoScalingReplacingUpdate WillReplace, a new launch configuration, launch template or subnet list "
    "makes CloudFormation create a whole new Auto Scaling group and delete the old one."
)


def check(ctx):
    for rd in ctx.resources(MODIFY):
        if rd.old_type:
            continue
        group = group_replacing(rd, ctx.new)
        if group:
            then = "CloudFormation creates" if ctx.replaced(rd.logical_id) == CERTAIN else "if it does, CloudFormation creates"
            yield Finding(
                ID,
                SEVERITY,
                rd.logical_id,
                f"{rd.logical_id} has UpdatePolicy AutoScalingReplacingUpdate WillReplace and {events(ctx, rd, group)}: "
                f"{then} a whole new Auto Scaling group, and deletes the old one once the new one is ready",
                group[0].path,
                group[0].position,
            )
