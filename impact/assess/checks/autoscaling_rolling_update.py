"""An Auto Scaling group whose running instances CloudFormation replaces in batches.

With ``AutoScalingRollingUpdate`` (and no ``AutoScalingReplacingUpdate
WillReplace``), a new launch configuration, launch template or subnet list
makes CloudFormation replace the group's instances, ``MaxBatchSize`` at a time
(1 by default), keeping ``MinInstancesInService`` in service (0 by default)
(guide-2023-09-19/aws-attribute-updatepolicy.md).  The group's change is
labelled ``some-interruptions`` (:func:`impact.assess.autoscaling.settle`);
this check says how the instances go.

Severity: a warning when ``MinInstancesInService`` is 0 (or set at deploy
time), for then a whole batch is out of service at once, and a group no
larger than ``MaxBatchSize`` has no instance in service for a while; info
otherwise."""

from __future__ import annotations

from ..autoscaling import ASG, ROLLING, group_changes, rolling_policy, update_mode
from ...model import MODIFY, Finding
from . import because

ID = "autoscaling-rolling-update"
SEVERITY = "warning"
HELP = (
    "With AutoScalingRollingUpdate, a new launch configuration, launch template or subnet list makes "
    "CloudFormation replace the group's running instances in batches."
)


def _setting(policy: dict, key: str, default):
    """A setting as written (a string), its default, or None when set at deploy time."""
    if key not in policy:
        return default
    value = policy[key]
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    return str(value)


def check(ctx):
    for rd in ctx.resources(MODIFY):
        if rd.type != ASG:
            continue
        resource = ctx.new.resources.get(rd.logical_id)
        changes = group_changes(rd)
        if not changes or update_mode(resource) != ROLLING:
            continue
        policy = rolling_policy(resource)
        batch = _setting(policy, "MaxBatchSize", "1")
        keep = _setting(policy, "MinInstancesInService", "0")
        signals = str(policy.get("WaitOnResourceSignals", "false")).lower() == "true"
        pause = _setting(policy, "PauseTime", "PT5M" if signals else "PT0S")
        what = "; ".join(dict.fromkeys(f"{c.path} changes{because(c)}" for c in changes))
        message = (
            f"{rd.logical_id} has UpdatePolicy AutoScalingRollingUpdate and {what}: CloudFormation replaces "
            f"its running instances in batches of at most {batch or 'MaxBatchSize (set at deploy time)'}, "
            f"keeping at least {keep if keep is not None else 'MinInstancesInService (set at deploy time)'} in service"
        )
        if signals:
            message += f", and waits up to {pause or 'PauseTime'} for each new instance's signal"
        elif pause not in ("PT0S", None):
            message += f", pausing {pause} after each batch"
        severity = "info"
        if keep in ("0", None):
            severity = SEVERITY
            message += (
                "; with MinInstancesInService 0 a whole batch is out of service at once, and a group of no more "
                f"than {batch or 'MaxBatchSize'} instances has none in service until new ones start"
            )
        yield Finding(ID, severity, rd.logical_id, message, changes[0].path, changes[0].position)
