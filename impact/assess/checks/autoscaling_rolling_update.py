"""An Auto Scaling group whose running instances CloudFormation replaces in batches.

With ``AutoScalingRollingUpdate`` (and no ``AutoScalingReplacingUpdate
WillReplace``), a new launch configuration, launch template or subnet list
makes CloudFormation replace the group's instances, ``MaxBatchSize`` at a time
(1 by default), keeping ``MinInstancesInService`` in service (0 by default)
(guide-2023-09-19/aws-attribute-updatepolicy.md).  The group's change is
labelled ``some-interruptions`` (:func:`impact.assess.autoscaling.settle`);
this check says how the instances go.

Severity: a warning when ``MinInstancesInService`` is 0 and the group, as
written (``DesiredCapacity``, else ``MinSize``), is no larger than
``MaxBatchSize``: then all its instances are out of service at once; info
otherwise.  A group that the change replaces anyway gets no finding here."""

from __future__ import annotations

from ..autoscaling import ASG, ROLLING, group_changes, rolling_policy, update_mode
from ..knockon import CERTAIN
from ...model import MODIFY, Finding
from . import events

ID = "autoscaling-rolling-update"
SEVERITY = "warning"
HELP = (
    "With AutoScalingRollingUpdate, a new launch configuration, launch template or subnet list makes "
    "CloudFormation replace the group's running instances in batches."
)


def _number(value):
    """A whole number as written, else None (set at deploy time)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _size(props: dict):
    """The group's size as written: DesiredCapacity, else MinSize."""
    if "DesiredCapacity" in props:
        return _number(props["DesiredCapacity"])
    return _number(props.get("MinSize"))


def _instances(n: int) -> str:
    return f"{n} instance" + ("" if n == 1 else "s")


def check(ctx):
    for rd in ctx.resources(MODIFY):
        if rd.type != ASG or ctx.replaced(rd.logical_id) == CERTAIN:
            continue
        resource = ctx.new.resources.get(rd.logical_id)
        changes = group_changes(rd)
        if not changes or update_mode(resource) != ROLLING:
            continue
        policy = rolling_policy(resource)
        batch = _number(policy.get("MaxBatchSize", 1))
        keep = _number(policy.get("MinInstancesInService", 0))
        signals = str(policy.get("WaitOnResourceSignals", "false")).lower() == "true"
        pause = policy.get("PauseTime", "PT5M" if signals else "PT0S")
        size = _size(resource.get("Properties") or {})
        message = (
            f"{rd.logical_id} has UpdatePolicy AutoScalingRollingUpdate and {events(ctx, rd, changes)}: "
            f"CloudFormation replaces its running instances, "
            f"{batch if batch is not None else 'MaxBatchSize (set at deploy time)'} at a time"
        )
        if keep is None:
            message += ", keeping MinInstancesInService (set at deploy time) in service"
        elif keep:
            message += f", keeping at least {keep} in service"
        else:
            message += ", with none required to stay in service (MinInstancesInService 0)"
        if signals:
            message += f", and waits up to {pause if isinstance(pause, str) else 'PauseTime'} for each new instance's signal"
        elif isinstance(pause, str) and pause != "PT0S":
            message += f", pausing {pause} after each batch"
        severity = "info"
        if keep == 0 and batch is not None and size is not None and size <= batch:
            severity = SEVERITY
            message += (
                ": the group's only instance is out of service until its replacement starts" if size == 1
                else f": all {size} instances of the group are out of service until their replacements start"
            )
        elif keep == 0 and batch is not None and size is None:
            message += f"; a group of {_instances(batch)} or fewer has none in service until the new ones start"
        yield Finding(ID, severity, rd.logical_id, message, changes[0].path, changes[0].position)
