"""Resource-level findings through the real CLI."""

from textwrap import dedent

import pytest

from impact.assess.checks import help_texts
from impact.model import SEVERITY_RANK
from impact.classify.rules import RuleBook
from impact.assess.checks.custom_name_replacement import physical_names


@pytest.fixture
def stack(impact, write):
    def _stack(old, new):
        r = impact("diff", write("old.yaml", dedent(old)), write("new.yaml", dedent(new)), "--format", "json")
        assert r.code == 0, r
        return r.json()["stacks"][0]

    return _stack


def found(stack, finding_id):
    return [f for f in stack["findings"] if f["id"] == finding_id]


def one(stack, finding_id):
    (f,) = found(stack, finding_id)
    return f


def test_type_change(stack):
    s = stack(
        "Resources:\n  R:\n    Type: AWS::SNS::Topic\n",
        "Resources:\n  R:\n    Type: AWS::SQS::Queue\n",
    )
    f = one(s, "type-change")
    assert (f["severity"], f["logical_id"], f["path"]) == ("error", "R", "/Type")
    assert "refuses" in f["message"]


QUEUE = """\
Resources:
  {name}:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
      DelaySeconds: 5
      MessageRetentionPeriod: 1209600
      Tags:
        - {{Key: team, Value: {team}}}
        - {{Key: cost, Value: "4410"}}
      {extra}
"""


def test_rename_of_nearly_the_same_resource(stack):
    old = QUEUE.format(name="Jobs", team="a", extra="ReceiveMessageWaitTimeSeconds: 20")
    new = QUEUE.format(name="JobsQueue", team="b", extra="ReceiveMessageWaitTimeSeconds: 20")
    f = one(stack(old, new), "rename")
    assert (f["severity"], f["logical_id"]) == ("warning", "JobsQueue")
    assert "keep the logical ID Jobs" in f["message"] and "88%" in f["message"]  # 7 of 8 leaves


def test_no_rename_when_properties_differ_or_types_differ(stack):
    old = QUEUE.format(name="Jobs", team="a", extra="ReceiveMessageWaitTimeSeconds: 20")
    new = QUEUE.format(name="Other", team="b", extra="FifoQueue: true").replace("DelaySeconds: 5", "DelaySeconds: 0")
    assert not found(stack(old, new), "rename")
    topic = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n"
    assert not found(stack(topic, "Resources:\n  U:\n    Type: AWS::SQS::Queue\n"), "rename")


def test_rename_keeping_the_physical_name_fails(stack):
    old = QUEUE.format(name="Jobs", team="a", extra="QueueName: jobs")
    new = QUEUE.format(name="JobsQueue", team="a", extra="QueueName: jobs")
    f = one(stack(old, new), "rename")
    assert f["severity"] == "error" and "QueueName" in f["message"]


BUCKET = """\
Resources:
  Data:
    Type: AWS::S3::Bucket
    {policy}
    Properties:
      BucketName: {name}
      ObjectLockEnabled: {lock}
"""


def test_custom_name_replacement(stack):
    queue = "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: jobs\n      FifoQueue: {fifo}\n"
    s = stack(queue.format(fifo="false"), queue.format(fifo="true"))
    f = one(s, "custom-name-replacement")
    assert (f["severity"], f["logical_id"], f["path"]) == ("error", "Jobs", "/Properties/QueueName")
    assert "FifoQueue" in f["message"]
    assert f["position"]["line"] == 5


def test_no_custom_name_finding_when_the_name_changes_too(stack):
    s = stack(BUCKET.format(policy="", name="data", lock="false"), BUCKET.format(policy="", name="data2", lock="true"))
    assert not found(s, "custom-name-replacement")


ALIAS = """\
Resources:
  Live:
    Type: AWS::Lambda::Alias
    Properties:
      Name: live
      FunctionName: {function}
      FunctionVersion: "{version}"
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web
      GroupDescription: {description}
      VpcId: {vpc}
"""


def test_names_unique_within_a_parent_collide_only_under_the_same_parent(stack):
    """An alias is named within its function, a security group within its
    VPC: a new parent frees the name, a replacement under the same one does not."""
    old = ALIAS.format(function="orders", version="1", description="web", vpc="vpc-1")
    s = stack(old, ALIAS.format(function="payments", version="1", description="web", vpc="vpc-2"))
    assert {r["logical_id"]: r["impact"] for r in s["resources"]} == {"Live": "replacement", "Web": "replacement"}
    assert not found(s, "custom-name-replacement")
    s = stack(old, ALIAS.format(function="orders", version="2", description="web servers", vpc="vpc-1"))
    assert {r["logical_id"]: r["impact"] for r in s["resources"]} == {"Live": "no-interruption", "Web": "replacement"}
    f = one(s, "custom-name-replacement")
    assert (f["logical_id"], f["path"]) == ("Web", "/Properties/GroupName")


def test_custom_name_from_the_reviewed_list(stack):
    old = """\
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        DeletionPolicy: Snapshot
        UpdateReplacePolicy: Snapshot
        Properties:
          DBInstanceIdentifier: orders
          DBInstanceClass: db.t3.micro
          Engine: postgres
          AvailabilityZone: eu-west-1a
    """
    s = stack(old, old.replace("eu-west-1a", "eu-west-1b"))
    assert one(s, "custom-name-replacement")["path"] == "/Properties/DBInstanceIdentifier"
    stateful = one(s, "stateful-replacement")
    assert stateful["severity"] == "warning" and "snapshot" in stateful["message"]


def test_physical_name_properties():
    book = RuleBook()
    assert physical_names(book, "AWS::S3::Bucket") == ["BucketName"]
    assert physical_names(book, "AWS::Kinesis::Stream") == ["Name"]
    assert physical_names(book, "AWS::RDS::DBInstance") == ["DBInstanceIdentifier"]
    assert physical_names(book, "AWS::SageMaker::ModelPackage") == []  # ModelPackageGroupName names another resource
    assert physical_names(book, "AWS::Route53::HostedZone") == []  # reviewed: names need not be unique
    assert physical_names(book, "Custom::Thing") == []


def test_stateful_replacement_with_the_default_policy_is_an_error(stack):
    table = "Resources:\n  Data:\n    Type: AWS::DynamoDB::Table\n    Properties: {{TableName: {name}}}\n"
    s = stack(table.format(name="a"), table.format(name="b"))
    f = one(s, "stateful-replacement")
    assert (f["severity"], f["logical_id"], f["path"]) == ("error", "Data", "/UpdateReplacePolicy")
    assert "Delete (the default)" in f["message"] and "items" in f["message"]


def test_a_replaced_bucket_with_the_default_policy_is_not_emptied(stack):
    s = stack(BUCKET.format(policy="", name="a", lock="false"), BUCKET.format(policy="", name="b", lock="false"))
    f = one(s, "stateful-replacement")
    assert (f["severity"], f["kept"]) == ("warning", "not-emptied")
    assert "Delete (the default)" in f["message"] and "does not delete the objects" in f["message"]


def test_stateful_replacement_with_retain_says_what_is_kept(stack):
    policy = "UpdateReplacePolicy: Retain"
    s = stack(BUCKET.format(policy=policy, name="a", lock="false"), BUCKET.format(policy=policy, name="b", lock="false"))
    f = one(s, "stateful-replacement")
    assert f["severity"] == "warning" and "keeps the old AWS::S3::Bucket" in f["message"]


def test_stateless_replacement_is_no_finding(stack):
    s = stack(
        "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: a}\n",
        "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: b}\n",
    )
    assert s["findings"] == []


def test_stateful_removal(stack):
    table = "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties: {BillingMode: PAY_PER_REQUEST}\n  K:\n    Type: AWS::SNS::Topic\n"
    f = one(stack(table, "Resources:\n  K:\n    Type: AWS::SNS::Topic\n"), "stateful-replacement")
    assert (f["severity"], f["logical_id"], f["path"]) == ("error", "T", "/DeletionPolicy")
    assert "is removed" in f["message"] and "items" in f["message"]


def test_removed_database_is_snapshotted_by_default(stack):
    db = "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    Properties: {Engine: aurora-postgresql}\n  K:\n    Type: AWS::SNS::Topic\n"
    f = one(stack(db, "Resources:\n  K:\n    Type: AWS::SNS::Topic\n"), "stateful-replacement")
    assert f["severity"] == "warning" and "Snapshot" in f["message"]


@pytest.mark.parametrize("policy", ["Retain", "RetainExceptOnCreate"])
def test_retained_removal(stack, policy):
    old = f"Resources:\n  Db:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: {policy}\n  K:\n    Type: AWS::SNS::Topic\n"
    s = stack(old, "Resources:\n  K:\n    Type: AWS::SNS::Topic\n")
    f = one(s, "retained-removal")
    assert (f["severity"], f["logical_id"]) == ("info", "Db")
    assert "orphaned" in f["message"] and policy in f["message"]
    assert not found(s, "stateful-replacement")


OUTPUTS = """\
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: events
Outputs:
  TopicArn:
    Value: !Ref Topic
    Export:
      Name: topic-arn
  Plain:
    Value: x
"""


def test_export_changed_by_an_edit(stack):
    s = stack(OUTPUTS, OUTPUTS.replace("Value: !Ref Topic", "Value: !GetAtt Topic.TopicName"))
    f = one(s, "export-changed")
    assert (f["severity"], f["logical_id"], f["path"]) == ("warning", "TopicArn", "/Value")


def test_export_changed_by_a_replacement(stack):
    s = stack(OUTPUTS, OUTPUTS.replace("TopicName: events", "TopicName: events2"))
    f = one(s, "export-changed")
    assert "because Topic is replaced" in f["message"]


def test_export_removed(stack):
    s = stack(OUTPUTS, OUTPUTS.split("Outputs:")[0] + "Outputs:\n  Plain:\n    Value: x\n")
    assert one(s, "export-removed")["logical_id"] == "TopicArn"
    s = stack(OUTPUTS, OUTPUTS.replace("topic-arn", "topic-arn-2"))
    f = one(s, "export-removed")
    assert f["path"] == "/Export" and "export name changes" in f["message"]
    s = stack(OUTPUTS, OUTPUTS.replace("    Export:\n      Name: topic-arn\n", ""))
    assert "Export is removed" in one(s, "export-removed")["message"]


def test_changed_output_without_export_is_no_finding(stack):
    assert stack(OUTPUTS, OUTPUTS.replace("Value: x", "Value: y"))["findings"] == []


def test_not_updatable(stack):
    old = "Resources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties: {AvailabilityZone: eu-west-1a, Size: 10}\n"
    s = stack(old, old.replace("eu-west-1a", "eu-west-1b"))
    f = one(s, "not-updatable")
    assert (f["severity"], f["logical_id"], f["path"]) == ("error", "V", "/Properties/AvailabilityZone")


def test_not_updatable_by_knock_on(stack):
    old = """\
    Resources:
      Net:
        Type: AWS::EC2::Subnet
        Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24}
      V:
        Type: AWS::EC2::Volume
        Properties: {AvailabilityZone: !GetAtt Net.AvailabilityZone, Size: 10}
    """
    f = one(stack(old, old.replace("10.0.0.0/24", "10.0.1.0/24")), "not-updatable")
    assert "because Net is replaced" in f["message"]


ASG = """\
Resources:
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: ami-1}
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: ami-1, InstanceType: t3.micro}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy:
      AutoScalingReplacingUpdate:
        WillReplace: WILL
    Properties:
      MinSize: "1"
      MaxSize: "2"
      LaunchTemplate:
        LaunchTemplateId: !Ref Template
        Version: "1"
      VPCZoneIdentifier: [subnet-a]
  Hook:
    Type: AWS::AutoScaling::LifecycleHook
    Properties:
      AutoScalingGroupName: !Ref Group
      LifecycleTransition: autoscaling:EC2_INSTANCE_LAUNCHING
"""


def test_autoscaling_replacing_update(stack):
    s = stack(ASG.replace("WILL", "true"), ASG.replace("WILL", "true").replace('Version: "1"', 'Version: "2"'))
    f = one(s, "autoscaling-replacing-update")
    assert (f["severity"], f["logical_id"]) == ("warning", "Group")
    assert f["path"] == "/Properties/LaunchTemplate/Version"
    group = {c["path"]: c for c in next(r for r in s["resources"] if r["logical_id"] == "Group")["changes"]}
    assert group["/Properties/LaunchTemplate/Version"]["impact"] == "replacement"
    hook = next(r for r in s["resources"] if r["logical_id"] == "Hook")
    assert hook["changes"][0]["cause"] == "Group"


def test_autoscaling_replacing_update_by_a_replaced_launch_configuration(stack):
    old = ASG.replace("WILL", "true").replace(
        "      LaunchTemplate:\n        LaunchTemplateId: !Ref Template\n        Version: \"1\"\n",
        "      LaunchConfigurationName: !Ref Config\n",
    )
    s = stack(old, old.replace("ami-1, InstanceType", "ami-2, InstanceType"))
    assert one(s, "autoscaling-replacing-update")["path"] == "/Properties/LaunchConfigurationName"


def test_no_autoscaling_finding_without_will_replace(stack):
    s = stack(ASG.replace("WILL", "false"), ASG.replace("WILL", "false").replace("subnet-a", "subnet-b"))
    assert not found(s, "autoscaling-replacing-update")


def test_only_policies_changed_is_a_no_op_update(stack):
    old = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n"
    new = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Retain\n"
    f = one(stack(old, new), "no-op-update")
    assert f["severity"] == "info" and "DeletionPolicy" in f["message"]


def test_template_metadata_alone_is_a_no_op_update(stack):
    old = "Metadata: {Owner: a}\nResources:\n  T:\n    Type: AWS::SNS::Topic\n"
    assert "Metadata" in one(stack(old, old.replace("Owner: a", "Owner: b")), "no-op-update")["message"]
    # A real change next to it is an update.
    new = old.replace("Owner: a", "Owner: b") + "    Properties: {DisplayName: x}\n"
    assert not found(stack(old, new), "no-op-update")
    # So is a change of an output.
    outputs = old + "Outputs:\n  O: {Value: a}\n"
    assert stack(outputs, outputs.replace("Value: a", "Value: b"))["findings"] == []


def test_findings_are_sorted_by_severity_and_explained(impact, write):
    old = "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain\n  R:\n    Type: AWS::SNS::Topic\n  Q:\n    Type: AWS::SQS::Queue\n"
    new = "Resources:\n  R:\n    Type: AWS::SQS::Queue\n"
    r = impact("diff", write("old.yaml", old), write("new.yaml", new), "--format", "json")
    findings = r.json()["stacks"][0]["findings"]
    assert [f["id"] for f in findings] == ["type-change", "stateful-replacement", "retained-removal"]
    ranks = [SEVERITY_RANK[f["severity"]] for f in findings]
    assert ranks == sorted(ranks, reverse=True)
    text = impact("diff", write("old.yaml", old), write("new.yaml", new)).out
    assert text.index("ERROR") < text.index("INFO") < text.index("- Q")  # findings first, errors first


def test_every_check_is_registered_with_id_severity_and_one_sentence():
    from pathlib import Path

    import impact.assess.checks as checks

    on_disk = {p.stem for p in Path(checks.__file__).parent.glob("*.py") if not p.stem.startswith("_")}
    assert on_disk == set(checks.CHECKS)  # no check module is left out of the run
    ids = [m.ID for m in checks.modules()]
    assert len(ids) == len(set(ids)) and set(ids) == set(help_texts())
    for module in checks.modules():
        assert module.SEVERITY in SEVERITY_RANK and callable(module.check)
        assert module.HELP.endswith(".") and module.HELP.count(". ") == 0 and len(module.HELP) < 250


# What a policy does with the data, recorded on the finding.


@pytest.mark.parametrize(
    "policy, kept",
    [
        ("", "not-emptied"),  # a bucket is deleted only when empty
        ("UpdateReplacePolicy: Retain", "retained"),
        ("UpdateReplacePolicy: !If [Prod, Retain, Delete]", "unknown"),
    ],
)
def test_stateful_replacement_records_what_the_policy_keeps(stack, policy, kept):
    conditions = "Conditions:\n  Prod: !Equals [a, a]\n"
    s = stack(conditions + BUCKET.format(policy=policy, name="a", lock="false"),
              conditions + BUCKET.format(policy=policy, name="b", lock="false"))
    f = one(s, "stateful-replacement")
    assert (f["data"], f["kept"]) == ("objects", kept)


def test_removals_record_what_the_policy_keeps(stack):
    keep = "Resources:\n  K:\n    Type: AWS::SNS::Topic\n"
    db = "  Db:\n    Type: AWS::RDS::DBCluster\n    Properties: {Engine: aurora-postgresql}\n"
    table = "  T:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain\n"
    topic = "  Gone:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Retain\n"
    s = stack(keep + db + table + topic, keep)
    got = {f["logical_id"]: (f["id"], f.get("data"), f.get("kept")) for f in s["findings"]}
    assert got == {
        "Db": ("stateful-replacement", "databases", "snapshot"),
        "T": ("retained-removal", "items", "retained"),
        "Gone": ("retained-removal", None, "retained"),  # a topic holds no data
    }
    # Findings about no data carry neither key.
    assert "data" not in one(stack(OUTPUTS, OUTPUTS.replace("topic-arn", "x")), "export-removed")


def test_a_removed_export_has_no_position_in_the_new_template(stack):
    s = stack(OUTPUTS, OUTPUTS.split("Outputs:")[0] + "Outputs:\n  Plain:\n    Value: x\n")
    f = one(s, "export-removed")
    assert f["path"] is None and "position" not in f


# Fn::ForEach loops.

LOOP = """\
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Topics:
    - Name
    - [a, b]
    - Topic${Name}:
        Type: AWS::SNS::Topic
        Properties:
          TopicName: !Sub "${Name}-{suffix}"
  Bucket:
    Type: AWS::S3::Bucket
    DependsOn: Topica
"""


def test_a_loop_labelled_replacement_by_config_gets_no_resource_finding(impact, write, tmp_path):
    # A collection only the deployment knows keeps the loop as one unit.
    unit = LOOP.replace("    - [a, b]\n", "    - !Ref Names\n").replace(
        "Resources:\n", "Parameters:\n  Names: {Type: CommaDelimitedList}\nResources:\n", 1
    ).replace("    DependsOn: Topica\n", "")
    old, new = write("old.yaml", unit.replace("{suffix}", "1")), write("new.yaml", unit.replace("{suffix}", "2"))
    write(".impact.yaml", 'overrides:\n  - type: "Fn::*"\n    label: replacement\n    reason: loops go whole\n')
    r = impact("diff", old, new, "--format", "json", cwd=tmp_path)
    assert r.code == 0, r
    (loop,) = r.json()["stacks"][0]["resources"]
    assert loop["logical_id"] == "Fn::ForEach::Topics" and loop["impact"] == "replacement"
    assert r.json()["stacks"][0]["findings"] == []
    text = impact("diff", old, new, "--format", "checklist", cwd=tmp_path)
    assert text.code == 0 and "Fn::ForEach::Topics" in text.out, text


# Dangling references.

USERS = """\
Parameters:
  Env: {Type: String, Default: dev}
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    Properties: {BillingMode: PAY_PER_REQUEST}
  Fn:
    Type: AWS::Lambda::Function
    DependsOn: [Table]
    Properties:
      Role: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Env}"
      Environment:
        Variables:
          TABLE: !Ref Table
          STREAM: !GetAtt Table.StreamArn
          URL: !Sub "https://${Table}.${AWS::Region}/${Env}"
Outputs:
  TableArn:
    Value: !GetAtt [Table, Arn]
"""


def test_references_to_a_removed_resource_dangle(stack):
    new = USERS.replace(USERS[USERS.index("  Table:"):USERS.index("  Fn:")], "")
    s = stack(USERS, new)
    dangling = found(s, "dangling-reference")
    got = {(f["logical_id"], f["path"]) for f in dangling}
    assert got == {
        ("Fn", "/DependsOn"),
        ("Fn", "/Properties/Environment/Variables/TABLE"),
        ("Fn", "/Properties/Environment/Variables/STREAM"),
        ("Fn", "/Properties/Environment/Variables/URL"),
        ("TableArn", "/Value"),
    }  # never the parameter Env, nor the pseudo parameters
    assert all(f["severity"] == "error" for f in dangling)
    (ref,) = [f for f in dangling if f["path"].endswith("/TABLE")]
    assert ref["message"].startswith("Fn refers to Table at /Properties/Environment/Variables/TABLE, "
                                     "but Table is removed in the new template: CloudFormation rejects the template")
    assert ref["position"]["line"] == new.splitlines().index("          TABLE: !Ref Table") + 1
    (output,) = [f for f in dangling if f["logical_id"] == "TableArn"]
    assert output["message"].startswith("Output TableArn reads an attribute of Table at /Value")
    assert [f["id"] for f in s["findings"]][0] == "dangling-reference"  # errors first


def test_an_edit_that_refers_to_no_resource_dangles(stack):
    s = stack(USERS, USERS.replace("TABLE: !Ref Table", "TABLE: !Ref Tabel"))
    (f,) = found(s, "dangling-reference")
    assert (f["logical_id"], f["path"]) == ("Fn", "/Properties/Environment/Variables/TABLE")
    assert "there is no Tabel in the new template" in f["message"]


def test_a_kept_or_unreferenced_removal_dangles_nothing(stack):
    extra = "  Old:\n    Type: AWS::SNS::Topic\n"
    assert not found(stack(USERS + extra, USERS), "dangling-reference")
    # The parameter Env has the name of the removed resource's neighbour: still a parameter.
    assert not found(stack(USERS, USERS.replace("TABLE: !Ref Table", "TABLE: !Ref Env")), "dangling-reference")


def test_references_of_loops_and_to_their_resources_do_not_dangle(stack):
    old = LOOP.replace("{suffix}", "1") + "  Topica:\n    Type: AWS::SNS::Topic\n"
    # Topica now comes from the loop, and the loop's own ${Name} is no resource.
    s = stack(old, LOOP.replace("{suffix}", "1"))
    assert not found(s, "dangling-reference")
    # A loop inside Properties, its identifier used as a Ref.
    tags = """\
    Transform: AWS::LanguageExtensions
    Resources:
      Gone:
        Type: AWS::SNS::Topic
      Q:
        Type: AWS::SQS::Queue
        Properties:
          Tags:
            Fn::ForEach::Tags:
              - Key
              - [a, b]
              - {Key: !Ref Key, Value: !Sub "${Key}-{v}"}
    """
    gone = "      Gone:\n        Type: AWS::SNS::Topic\n"
    s = stack(tags.replace("{v}", "1"), tags.replace("{v}", "2").replace(gone, ""))
    assert not found(s, "dangling-reference")


def test_a_macro_may_add_the_resource(stack):
    macro = "Transform: Company::Macro\n" + USERS
    assert not found(stack(macro, macro.replace("TABLE: !Ref Table", "TABLE: !Ref FnRole")), "dangling-reference")


SAM_USERS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Environment:
        Variables:
          TABLE: Table
"""


def test_sam_is_expanded_before_references_are_checked(stack):
    # The role the transform generates for a function is a resource like any other ...
    assert not found(stack(SAM_USERS, SAM_USERS.replace("TABLE: Table", "TABLE: !Ref FnRole")), "dangling-reference")
    # ... and a name that neither the template nor the transform defines dangles.
    (f,) = found(stack(SAM_USERS, SAM_USERS.replace("TABLE: Table", "TABLE: !Ref FnRoel")), "dangling-reference")
    assert (f["logical_id"], f["path"]) == ("Fn", "/Properties/Environment/Variables/TABLE")
