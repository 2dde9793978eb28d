"""An Auto Scaling group whose launch configuration or launch template
changes, but whose running instances keep the old one.

Without ``AutoScalingRollingUpdate`` or ``AutoScalingReplacingUpdate
WillReplace``, CloudFormation only updates the group: new instances get the
new configuration, the running ones keep theirs until they are replaced for
another reason (https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-templates.html).
The group's change is labelled ``no-interruption``
(:func:`impact.assess.autoscaling.settle`); this check says that the change
does not reach the running instances."""

from __future__ import annotations

from ..autoscaling import ASG, LAUNCH_PATHS, NO_POLICY, group_changes, update_mode
from ..knockon import CERTAIN
from ...model import MODIFY, Finding
from . import events

ID = "autoscaling-instances-unchanged"
SEVERITY = "info"
HELP = (
    "Without a rolling or replacing UpdatePolicy, a new launch configuration or launch template reaches only "
    "the instances the group launches from then on."
)


def check(ctx):
    for rd in ctx.resources(MODIFY):
        if rd.type != ASG or ctx.replaced(rd.logical_id) == CERTAIN:
            continue  # a new group gets the new configuration
        changes = group_changes(rd, LAUNCH_PATHS)
        if not changes or update_mode(ctx.new.resources.get(rd.logical_id)) != NO_POLICY:
            continue
        yield Finding(
            ID,
            SEVERITY,
            rd.logical_id,
            f"{rd.logical_id} has no UpdatePolicy that replaces its instances and {events(ctx, rd, changes)}: CloudFormation updates "
            "the group, and its running instances keep the old configuration until they are replaced (scaling in, "
            "a failed health check, an instance refresh); add AutoScalingRollingUpdate to replace them with the update",
            changes[0].path,
            changes[0].position,
        )
