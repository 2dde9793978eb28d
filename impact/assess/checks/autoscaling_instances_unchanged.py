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
from ...model import MODIFY, Finding
from . import because

ID = "autoscaling-instances-unchanged"
SEVERITY = "info"
HELP = (
    "Without a rolling or replacing UpdatePolicy, a new launch configuration or launch template reaches only "
    "the instances the group launches from then on."
)


def check(ctx):
    for rd in ctx.resources(MODIFY):
        if rd.type != ASG:
            continue
        changes = group_changes(rd, LAUNCH_PATHS)
        if not changes or update_mode(ctx.new.resources.get(rd.logical_id)) != NO_POLICY:
            continue
        what = "; ".join(dict.fromkeys(f"{c.path} changes{because(c)}" for c in changes))
        yield Finding(
            ID,
            SEVERITY,
            rd.logical_id,
            f"{rd.logical_id} has no UpdatePolicy that replaces its instances and {what}: CloudFormation updates "
            "the group, and its running instances keep the old configuration until they are replaced (scaling in, "
            "a failed health check, an instance refresh); add AutoScalingRollingUpdate to replace them with the update",
            changes[0].path,
            changes[0].position,
        )
