"""What CloudFormation does to an Auto Scaling group and its instances when
the group's launch configuration, launch template or subnets change.

The group's ``UpdatePolicy`` decides (guide-2023-09-19/aws-attribute-updatepolicy.md):

- ``AutoScalingReplacingUpdate`` with ``WillReplace: true``: a whole new
  group, the old one deleted once the new one is ready (replacement);
- ``AutoScalingRollingUpdate``: the running instances are replaced in
  batches of ``MaxBatchSize`` (1 by default), keeping ``MinInstancesInService``
  (0 by default) in service; the group itself stays (some interruptions);
- neither: the group is updated and its running instances keep the old
  configuration until they are replaced for another reason; new instances
  get the new one (https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-templates.html:
  after a change of the launch template, existing instances are not affected).

The registry schema lists the four properties as conditionally create-only,
hence ``conditional``; the policy settles that label.  A policy set at deploy
time (``Fn::If``) leaves it ``conditional``.
"""

from __future__ import annotations

from typing import Optional

from ..model import CONDITIONAL, MODIFY, NO_INTERRUPTION, RANK, REPLACEMENT, SOME_INTERRUPTIONS, ResourceDiff, Template

ASG = "AWS::AutoScaling::AutoScalingGroup"
REPLACING, ROLLING, NO_POLICY = "replacing", "rolling", "none"
LAUNCH_PATHS = (
    ("Properties", "LaunchConfigurationName"),
    ("Properties", "LaunchTemplate"),
    ("Properties", "MixedInstancesPolicy", "LaunchTemplate"),
)
SUBNETS = ("Properties", "VPCZoneIdentifier")
# What sets off a replacing or rolling update (the UpdatePolicy page).
GROUP_PATHS = LAUNCH_PATHS + (SUBNETS,)
# What the schema calls conditionally create-only: replaced only by a replacing update.
CONDITIONAL_PATHS = GROUP_PATHS + (("Properties", "MixedInstancesPolicy"),)


def _under(change, paths) -> bool:
    return any(change.keys[: len(p)] == p for p in paths)


def _truth(value) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _known(value) -> bool:
    """Whether a policy value is written out, not chosen at deploy time."""
    return not (isinstance(value, dict) and any(k == "Ref" or k.startswith("Fn::") for k in value))


def update_mode(resource) -> Optional[str]:
    """REPLACING, ROLLING or NO_POLICY for a group's definition; None when
    its UpdatePolicy is chosen at deploy time."""
    policy = resource.get("UpdatePolicy") if isinstance(resource, dict) else None
    if policy is None:
        return NO_POLICY
    if not isinstance(policy, dict) or not _known(policy):
        return None
    replacing = policy.get("AutoScalingReplacingUpdate")
    if replacing is not None:
        if not isinstance(replacing, dict) or not _known(replacing):
            return None
        will = _truth(replacing.get("WillReplace", False))
        if will is None:
            return None
        if will:
            return REPLACING
    rolling = policy.get("AutoScalingRollingUpdate")
    if rolling is not None:
        return ROLLING if isinstance(rolling, dict) and _known(rolling) else None
    return NO_POLICY


def rolling_policy(resource) -> dict:
    """The group's AutoScalingRollingUpdate settings, as written."""
    policy = resource.get("UpdatePolicy") if isinstance(resource, dict) else None
    rolling = policy.get("AutoScalingRollingUpdate") if isinstance(policy, dict) else None
    return rolling if isinstance(rolling, dict) else {}


def group_changes(rd: ResourceDiff, paths=GROUP_PATHS) -> list:
    """The group's changes below ``paths`` that are not ignored."""
    if rd.type != ASG or rd.action != MODIFY or rd.old_type:
        return []
    return [c for c in rd.changes if not c.ignored and c.verdict and _under(c, paths)]


def group_replacing(rd: ResourceDiff, new: Template) -> list:
    """An Auto Scaling group's changes that make CloudFormation replace the
    whole group: it has ``AutoScalingReplacingUpdate WillReplace`` and its
    launch configuration, launch template or subnets change."""
    if rd.type != ASG or update_mode(new.resources.get(rd.logical_id)) != REPLACING:
        return []
    return group_changes(rd)


def settle(rd: ResourceDiff, new: Template, possible) -> None:
    """Label the group's conditional changes by its UpdatePolicy.
    ``possible(change)`` says whether a knock-on change only may happen: it
    then only may replace the group."""
    if rd.type != ASG:
        return
    mode = update_mode(new.resources.get(rd.logical_id))
    if mode is None:
        return
    for change in group_changes(rd, CONDITIONAL_PATHS):
        v = change.verdict
        if v.override:
            continue
        trigger = _under(change, GROUP_PATHS)
        if mode == REPLACING:
            if not trigger:
                continue
            label = CONDITIONAL if possible(change) else REPLACEMENT
            why = "UpdatePolicy AutoScalingReplacingUpdate WillReplace replaces the whole group"
            if RANK[v.label] < RANK[label]:
                v.relabel(label, why)
                v.disagreement = False  # the template's own UpdatePolicy settles what the sources leave open
            continue
        if v.label != CONDITIONAL:
            continue
        if mode == ROLLING and trigger:
            label, why = SOME_INTERRUPTIONS, (
                "UpdatePolicy AutoScalingRollingUpdate replaces the group's instances in batches; the group stays"
            )
        elif _under(change, (SUBNETS,)):
            label, why = SOME_INTERRUPTIONS, "the group moves its instances to the new subnets; the group stays"
        elif trigger:
            label, why = NO_INTERRUPTION, (
                "no UpdatePolicy replaces the group or its instances: running instances keep the old configuration"
            )
        else:
            label, why = NO_INTERRUPTION, "only AutoScalingReplacingUpdate WillReplace replaces the group"
        v.relabel(label, why)
        v.disagreement = False  # the template's own UpdatePolicy settles what the sources leave open
