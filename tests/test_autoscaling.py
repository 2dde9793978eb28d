"""What CloudFormation does to an Auto Scaling group's instances when its
launch configuration, launch template or subnets change, through the real CLI."""

import pytest

GROUP = """\
Conditions:
  Prod: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {{ImageId: {ami}, InstanceType: t3.micro}}
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {{ImageId: {ami}, InstanceType: t3.micro}}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
{policy}
    Properties:
      MinSize: "1"
      MaxSize: "4"
      {launch}
      VPCZoneIdentifier: [{subnet}]
  Hook:
    Type: AWS::AutoScaling::LifecycleHook
    Properties:
      AutoScalingGroupName: !Ref Group
      LifecycleTransition: autoscaling:EC2_INSTANCE_LAUNCHING
"""
ROLLING = "    UpdatePolicy:\n      AutoScalingRollingUpdate:\n        MaxBatchSize: 2\n        MinInstancesInService: 1\n"
DEFAULTS = "    UpdatePolicy:\n      AutoScalingRollingUpdate: {}\n"
REPLACING = "    UpdatePolicy:\n      AutoScalingReplacingUpdate:\n        WillReplace: true\n"
AT_DEPLOY = "    UpdatePolicy: !If [Prod, {AutoScalingRollingUpdate: {}}, !Ref AWS::NoValue]\n"
LATEST = "LaunchTemplate: {LaunchTemplateId: !Ref Template, Version: !GetAtt Template.LatestVersionNumber}"
VERSION = 'LaunchTemplate: {{LaunchTemplateId: !Ref Template, Version: "{v}"}}'
CONFIG = "LaunchConfigurationName: !Ref Config"


def group(policy="", launch=LATEST, ami="ami-1", subnet="subnet-a"):
    return GROUP.format(policy=policy, launch=launch, ami=ami, subnet=subnet)


def found(stack, finding_id):
    return [f for f in stack["findings"] if f["id"] == finding_id]


def change(stack, logical_id, path):
    rd = next(r for r in stack["resources"] if r["logical_id"] == logical_id)
    return next(c for c in rd["changes"] if c["path"] == path)


@pytest.mark.parametrize(
    "launch, path",
    [
        (LATEST, "/Properties/LaunchTemplate/Version"),  # a new version of the template
        (CONFIG, "/Properties/LaunchConfigurationName"),  # a replaced launch configuration
    ],
)
def test_a_rolling_update_replaces_the_instances_in_batches(stack, launch, path):
    s = stack(group(ROLLING, launch), group(ROLLING, launch, ami="ami-2"))
    c = change(s, "Group", path)
    assert c["impact"] == "some-interruptions" and "AutoScalingRollingUpdate" in c["rule"]["note"]
    (f,) = found(s, "autoscaling-rolling-update")
    assert (f["severity"], f["logical_id"], f["path"]) == ("info", "Group", path)
    assert "2 at a time" in f["message"] and "at least 1 in service" in f["message"]
    # The group stays: what refers to it is not changed.
    assert [r["logical_id"] for r in s["resources"] if r["logical_id"] == "Hook"] == []
    assert not found(s, "autoscaling-instances-unchanged") and not found(s, "autoscaling-replacing-update")


@pytest.mark.parametrize(
    "size, severity, words",
    [
        ('MinSize: "1"', "warning", "the group's only instance is out of service"),
        ('MinSize: "3"', "info", "with none required to stay in service"),
        ("MinSize: !Ref Size", "info", "a group of 1 instance or fewer has none in service"),
    ],
)
def test_a_rolling_update_with_the_defaults_may_leave_no_instance_in_service(stack, size, severity, words):
    parameters = "Parameters:\n  Size: {Type: Number, Default: 1}\n"
    old = parameters + group(DEFAULTS, VERSION.format(v=1)).replace('MinSize: "1"', size)
    s = stack(old, old.replace('Version: "1"', 'Version: "2"'))
    (f,) = found(s, "autoscaling-rolling-update")
    assert f["severity"] == severity and "1 at a time" in f["message"] and words in f["message"]


def test_a_group_that_may_change_is_said_to(stack):
    # A mapping looked up with the region, changed in one of its regions: the template's value may change.
    mapping = "Mappings:\n  Amis:\n    us-east-1: {Id: ami-1}\n    eu-west-1: {Id: ami-9}\n"
    old = mapping + group(ROLLING).replace("ImageId: ami-1", "ImageId: !FindInMap [Amis, !Ref AWS::Region, Id]")
    s = stack(old, old.replace("us-east-1: {Id: ami-1}", "us-east-1: {Id: ami-2}"))
    (f,) = found(s, "autoscaling-rolling-update")
    assert "/Properties/LaunchTemplate/Version may change because Template.LatestVersionNumber may change" in f["message"]


def test_without_a_policy_the_running_instances_keep_the_old_configuration(stack):
    s = stack(group(), group(ami="ami-2"))
    c = change(s, "Group", "/Properties/LaunchTemplate/Version")
    assert c["impact"] == "no-interruption" and c["because"] == "Template.LatestVersionNumber changes"
    assert "verdicts" not in c["rule"]  # the UpdatePolicy settles what the sources leave open
    (f,) = found(s, "autoscaling-instances-unchanged")
    assert (f["severity"], f["logical_id"]) == ("info", "Group")
    assert "running instances keep the old configuration" in f["message"]


def test_without_a_policy_new_subnets_interrupt_but_keep_the_configuration(stack):
    s = stack(group(), group(subnet="subnet-b"))
    assert change(s, "Group", "/Properties/VPCZoneIdentifier/0")["impact"] == "some-interruptions"
    assert not found(s, "autoscaling-instances-unchanged") and not found(s, "autoscaling-rolling-update")


def test_a_replacing_update_replaces_the_group(stack):
    s = stack(group(REPLACING), group(REPLACING, ami="ami-2"))
    assert change(s, "Group", "/Properties/LaunchTemplate/Version")["impact"] == "replacement"
    assert found(s, "autoscaling-replacing-update") and not found(s, "autoscaling-rolling-update")
    assert change(s, "Hook", "/Properties/AutoScalingGroupName")["because"] == "Group is replaced"


def test_a_policy_chosen_at_deploy_time_leaves_the_group_conditional(stack):
    s = stack(group(AT_DEPLOY, VERSION.format(v=1)), group(AT_DEPLOY, VERSION.format(v=2)))
    assert change(s, "Group", "/Properties/LaunchTemplate/Version")["impact"] == "conditional"
    assert not [f for f in s["findings"] if f["id"].startswith("autoscaling-")]


def test_a_template_change_that_makes_no_new_version_changes_no_group(stack):
    old = group(ROLLING).replace("      LaunchTemplateData:", "      VersionDescription: a\n      LaunchTemplateData:")
    s = stack(old, old.replace("VersionDescription: a", "VersionDescription: b"))
    assert [r["logical_id"] for r in s["resources"]] == ["Template"]
