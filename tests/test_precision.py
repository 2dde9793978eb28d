"""Precision through the real CLI: no false alarms on valid templates,
equivalent forms compare equal, certainty travels with knock-on changes.
Each test is a minimal template pair that shows one class of mistake."""

import json
from textwrap import dedent

import pytest
from conftest import changes, resource


@pytest.fixture
def run(impact, write):
    """run(old_text, new_text, *args) -> the CLI result."""

    def _run(old, new, *args):
        return impact("diff", write("old.yaml", dedent(old)), write("new.yaml", dedent(new)), *args)

    return _run


def finding_ids(stack):
    return [f["id"] for f in stack["findings"]]


# -- list elements ----------------------------------------------------------

TABLE = """\
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: pk, AttributeType: S}
        - {AttributeName: gk, AttributeType: S}
      KeySchema:
        - {AttributeName: pk, KeyType: HASH}
      GlobalSecondaryIndexes:
        - IndexName: byG
          KeySchema:
            - {AttributeName: gk, KeyType: HASH}
          Projection: {ProjectionType: ALL}
"""
SECOND_GSI = """\
        - IndexName: byH
          KeySchema:
            - {AttributeName: pk, KeyType: HASH}
          Projection: {ProjectionType: KEYS_ONLY}
"""


def test_added_list_element_takes_the_label_of_the_list(stack):
    s = stack(TABLE, TABLE + SECOND_GSI)
    (change,) = resource(s, "Table")["changes"]
    assert change["path"] == "/Properties/GlobalSecondaryIndexes/1" and change["kind"] == "add"
    assert change["impact"] == "no-interruption"
    assert "not-updatable" not in finding_ids(s)
    # Removed, the same.
    s = stack(TABLE + SECOND_GSI, TABLE)
    assert [c["impact"] for c in resource(s, "Table")["changes"]] == ["no-interruption"]
    assert "not-updatable" not in finding_ids(s)


def test_editing_inside_an_existing_list_element_is_judged_by_its_rule(stack):
    s = stack(TABLE, TABLE.replace("{AttributeName: gk, KeyType: HASH}", "{AttributeName: pk, KeyType: HASH}"))
    (change,) = resource(s, "Table")["changes"]
    assert change["impact"] == "not-updatable"


def test_new_mapping_key_inside_an_existing_object_stays_judged_by_what_it_holds(stack):
    # A create-only key added inside an existing object is a replacement,
    # and so is an added object that holds one.
    old = TABLE.replace("          Projection: {ProjectionType: ALL}\n", "")
    s = stack(old, TABLE.replace("Projection: {ProjectionType: ALL}", "Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [a]}"))
    assert {c["impact"] for c in resource(s, "Table")["changes"]} == {"not-updatable"}


# -- docs versus schema -----------------------------------------------------

DATASYNC_S3 = """\
Resources:
  Landing:
    Type: AWS::DataSync::LocationS3
    Properties:
      S3BucketArn: arn:aws:s3:::landing-zone
      S3Config: {BucketAccessRoleArn: arn:aws:iam::123456789012:role/datasync}
      Subdirectory: /incoming
"""


def test_a_reviewed_schema_update_stands_over_stale_docs(stack, impact):
    # The 2023 docs say a new subdirectory replaces the location; DataSync has
    # updated locations in place since, and rules/layers.json says so.
    s = stack(DATASYNC_S3, DATASYNC_S3.replace("/incoming", "/landing"))
    (change,) = resource(s, "Landing")["changes"]
    assert change["impact"] == "no-interruption"
    assert "UpdateLocationS3" in change["rule"]["note"]
    r = impact("rules", "show", "AWS::DataSync::LocationS3", "Subdirectory")
    assert "effective: no-interruption" in r.out
    # Both sources are still shown, beside the review.
    assert "replacement (docs" in r.out and "no-interruption (schema" in r.out and "no-interruption (reviewed)" in r.out


def test_docs_refine_a_schema_update(impact):
    # Into some interruptions ...
    r = impact("rules", "show", "AWS::RDS::DBInstance", "DBInstanceClass")
    assert "effective: some-interruptions" in r.out, r
    # ... and into an update the service rejects, which the schema cannot say.
    r = impact("rules", "show", "AWS::DynamoDB::Table", "/GlobalSecondaryIndexes/KeySchema")
    assert "effective: not-updatable" in r.out, r


def test_reviewed_types_keep_the_docs_replacement(impact):
    # rules/layers.json: the EMR cluster's instance groups are immutable.
    r = impact("rules", "show", "AWS::EMR::Cluster", "/Instances/CoreInstanceGroup/InstanceType")
    assert "effective: replacement" in r.out, r
    assert "replacement (docs" in r.out and "no-interruption (schema" in r.out


def test_schema_create_only_decides_replacement(impact):
    r = impact("rules", "show", "AWS::S3::Bucket", "BucketName")
    assert "effective: replacement" in r.out, r


# -- equivalent forms -------------------------------------------------------


def _subnet(az):
    return json.dumps(
        {
            "Resources": {
                "S": {
                    "Type": "AWS::EC2::Subnet",
                    "Properties": {
                        "VpcId": "vpc-1",
                        "CidrBlock": "10.0.0.0/24",
                        "AvailabilityZone": {"Fn::Select": [az[0], {"Fn::GetAZs": az[1]}]},
                    },
                }
            }
        }
    )


def test_get_azs_of_empty_string_and_of_the_region_are_equal(stack):
    s = stack(_subnet([0, ""]), _subnet([0, {"Ref": "AWS::Region"}]), suffix="json")
    assert s["resources"] == []


def test_select_index_number_and_string_are_equal(stack):
    s = stack(_subnet([0, ""]), _subnet(["0", ""]), suffix="json")
    assert s["resources"] == []
    s = stack(_subnet([0, ""]), _subnet(["1", ""]), suffix="json")
    assert len(s["resources"]) == 1


def _role(path):
    return json.dumps({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Statement": []}, "Path": path}}}})


def test_sub_and_join_with_nothing_to_substitute_equal_the_string(stack):
    """A Role's Path is create-only: a false replacement if the forms differed."""
    for same in ({"Fn::Sub": "/app/"}, {"Fn::Sub": ["/app/", {}]}, {"Fn::Join": ["/", ["", "app", ""]]}):
        s = stack(_role("/app/"), _role(same), suffix="json")
        assert s["resources"] == [], same
    s = stack(_role("/app/${Literal}/"), _role({"Fn::Sub": "/app/${!Literal}/"}), suffix="json")
    assert s["resources"] == []  # ${!Literal} writes ${Literal}
    s = stack(_role("/app/${!Literal}/"), _role({"Fn::Sub": "/app/${!Literal}/"}), suffix="json")
    assert len(s["resources"]) == 1
    for different in ({"Fn::Sub": "/app/${AWS::Region}/"}, {"Fn::Sub": "/apps/"}, {"Fn::Join": ["/", ["", {"Ref": "AWS::Region"}, ""]]}):
        s = stack(_role("/app/"), _role(different), suffix="json")
        (r,) = s["resources"]
        assert r["impact"] == "replacement", different


def _getatt(form):
    return json.dumps(
        {
            "Resources": {
                "Q": {"Type": "AWS::SQS::Queue"},
                "P": {
                    "Type": "AWS::SNS::Subscription",
                    "Properties": {"TopicArn": "arn:t", "Protocol": "sqs", "Endpoint": {"Fn::GetAtt": form}},
                },
            },
            "Outputs": {"Arn": {"Value": {"Fn::GetAtt": form}, "Export": {"Name": "arn"}}},
        }
    )


def test_get_att_string_and_list_forms_are_equal_in_properties_and_outputs(stack):
    s = stack(_getatt("Q.Arn"), _getatt(["Q", "Arn"]), suffix="json")
    assert s["resources"] == [] and s["sections"] == [] and s["findings"] == []
    s = stack(_getatt("Q.Arn"), _getatt(["Q", "QueueUrl"]), suffix="json")
    assert len(s["resources"]) == 1 and len(s["sections"]) == 1


def test_get_att_forms_are_equal_inside_a_condition_branch(stack):
    def t(form):
        return json.dumps(
            {
                "Parameters": {"On": {"Type": "String", "Default": "yes"}},
                "Conditions": {"C": {"Fn::Equals": [{"Ref": "On"}, "yes"]}},
                "Resources": {
                    "Q": {"Type": "AWS::SQS::Queue"},
                    "T": {"Type": "AWS::SNS::Topic"},
                },
                "Outputs": {"A": {"Value": {"Fn::If": ["C", {"Fn::GetAtt": form}, "none"]}}},
            }
        )

    assert stack(t("Q.Arn"), t(["Q", "Arn"]), suffix="json")["sections"] == []


MAP = """\
Mappings:
  Images:
    t3.micro: {AMI: ami-1}
    t3.small: {AMI: ami-1}
    t3.large: {AMI: ami-2}
Resources:
  I:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: t3.micro
      ImageId: !FindInMap [Images, t3.micro, AMI]
"""


def test_find_in_map_lookups_that_resolve_to_the_same_value_are_equal(stack):
    s = stack(MAP, MAP.replace("[Images, t3.micro, AMI]", "[Images, t3.small, AMI]"))
    assert s["resources"] == []
    s = stack(MAP, MAP.replace("[Images, t3.micro, AMI]", "[Images, t3.large, AMI]"))
    assert changes(s, "I")["/Properties/ImageId/Fn::FindInMap/1"]["impact"] == "replacement"


# -- valid templates ---------------------------------------------------------

RULES = """\
Parameters:
  Env: {Type: String, Default: a}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>"}
Rules:
  R:
    RuleCondition: !Contains [[a, b], !Ref Env]
    Assertions:
      - Assert: !EachMemberEquals [!ValueOfAll ["AWS::EC2::Subnet::Id", VpcId], vpc-1]
      - Assert: !EachMemberIn [!ValueOfAll ["AWS::EC2::Subnet::Id", VpcId], !RefAll "AWS::EC2::VPC::Id"]
      - Assert: !Equals [!ValueOf [Subnets, VpcId], vpc-1]
Resources:
  T: {Type: AWS::SNS::Topic}
"""


def test_rule_function_short_forms_load_as_their_long_forms(stack):
    s = stack(RULES, RULES.replace("vpc-1]\n      - Assert: !EachMemberIn", "vpc-2]\n      - Assert: !EachMemberIn"))
    (sc,) = s["sections"]
    assert sc["section"] == "Rules" and sc["path"] == "/Assertions/0/Assert/Fn::EachMemberEquals/1"
    s = stack(RULES, RULES.replace("!Contains [[a, b]", "!Contains [[a, c]"))
    assert s["sections"][0]["path"].startswith("/RuleCondition/Fn::Contains/0")


HOOKS = """\
Transform: [AWS::CodeDeployBlueGreen]
Hooks:
  CodeDeployBlueGreenHook:
    Type: AWS::CodeDeploy::BlueGreen
    Properties:
      TrafficRoutingConfig: {Type: AllAtOnce}
Resources:
  T: {Type: AWS::SNS::Topic}
"""


def test_hooks_and_unknown_sections_are_compared_never_dropped(stack, run):
    s = stack(HOOKS, HOOKS.replace("AllAtOnce", "TimeBasedCanary"))
    (sc,) = s["sections"]
    assert (sc["section"], sc["name"], sc["path"]) == ("Hooks", "CodeDeployBlueGreenHook", "/Properties/TrafficRoutingConfig/Type")
    text = run(HOOKS, HOOKS.replace("AllAtOnce", "TimeBasedCanary"), "--format", "text").out
    assert "the same to CloudFormation" not in text and "Hooks" in text
    odd = "Resources:\n  T: {Type: AWS::SNS::Topic}\nFutureSection: {A: 1}\n"
    s = stack(odd, odd.replace("A: 1", "A: 2"))
    assert [(x["section"], x["kind"]) for x in s["sections"]] == [("FutureSection", "modify")]
    assert any("FutureSection" in n and "not a section impact knows" in n for n in s["notes"]), s["notes"]


CDK = """\
Resources:
  CDKMetadata:
    Type: AWS::CDK::Metadata
    Properties: {Analytics: "v2:deflate64:AAA"}
  T: {Type: AWS::SNS::Topic}
"""


def test_cdk_metadata_is_shown_apart_and_not_counted(stack, run):
    s = stack(CDK, CDK.replace("AAA", "BBB"))
    assert s["summary"]["resources"] == {"add": 0, "remove": 0, "modify": 0}
    assert s["summary"].get("cdk_metadata") == 1 and "ignored" not in s["summary"]
    assert "CDK" in resource(s, "CDKMetadata")["ignored"]
    text = run(CDK, CDK.replace("AAA", "BBB"), "--format", "text").out
    assert "1 resource updated" not in text and "ignored by config" not in text
    assert "1 AWS::CDK::Metadata resource apart" in text
    assert "CDKMetadata  AWS::CDK::Metadata" in text


# -- smaller defects ------------------------------------------------------------

DEPENDS = """\
Resources:
  Q:
    Type: AWS::SNS::Topic
    DependsOn: [Z, Y]
  Y: {Type: AWS::SNS::Topic}
  Z: {Type: AWS::SNS::Topic}
  W: {Type: AWS::SNS::Topic}
"""


def test_depends_on_pointers_point_at_the_element_of_each_template(stack):
    s = stack(DEPENDS, DEPENDS.replace("[Z, Y]", "[Z, W]"))
    got = {(c["kind"], c["path"], c["before"], c["after"]) for c in resource(s, "Q")["changes"]}
    assert got == {("modify", "/DependsOn/1", "Y", "W")}
    s = stack(DEPENDS, DEPENDS.replace("[Z, Y]", "[W, Z]"))
    got = {(c["kind"], c["path"], c["before"], c["after"]) for c in resource(s, "Q")["changes"]}
    assert got == {("remove", "/DependsOn/1", "Y", None), ("add", "/DependsOn/0", None, "W")}
    assert stack(DEPENDS, DEPENDS.replace("[Z, Y]", "[Y, Z]"))["resources"] == []


PROFILE = """\
Resources:
  P:
    Type: AWS::IAM::InstanceProfile
    Properties: {Roles: [RoleA]}
"""


def test_one_item_edit_in_a_list_of_scalars_is_one_modify(stack):
    s = stack(PROFILE, PROFILE.replace("RoleA", "RoleB"))
    assert [(c["kind"], c["path"], c["before"], c["after"]) for c in resource(s, "P")["changes"]] == [
        ("modify", "/Properties/Roles/0", "RoleA", "RoleB")
    ]


CUSTOM = """\
Resources:
  C:
    Type: TYPE
    Properties:
      ServiceToken: arn:aws:lambda:eu-west-1:1:function:a
  User:
    Type: AWS::SNS::Topic
    Properties: {DisplayName: !GetAtt C.Name}
"""


def test_custom_resource_service_token_has_one_rule_for_both_spellings(stack):
    labels = {}
    for kind in ("AWS::CloudFormation::CustomResource", "Custom::Thing"):
        t = CUSTOM.replace("TYPE", kind)
        s = stack(t, t.replace("function:a", "function:b"))
        labels[kind] = (changes(s, "C")["/Properties/ServiceToken"]["impact"], sorted(r["logical_id"] for r in s["resources"]))
    assert labels["AWS::CloudFormation::CustomResource"] == labels["Custom::Thing"], labels


# -- certainty ----------------------------------------------------------------

LAUNCH = """\
Parameters:
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
Resources:
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: !Ref Ami, InstanceType: t3.micro}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy:
      AutoScalingReplacingUpdate:
        WillReplace: true
    Properties:
      MinSize: "1"
      MaxSize: "2"
      LaunchConfigurationName: !Ref Config
      VPCZoneIdentifier: [subnet-a]
  Hook:
    Type: AWS::AutoScaling::LifecycleHook
    Properties:
      AutoScalingGroupName: !Ref Group
      LifecycleTransition: autoscaling:EC2_INSTANCE_LAUNCHING
"""


def test_a_knock_on_of_a_possible_cause_is_only_possible_through_update_policy(stack):
    s = stack(LAUNCH, LAUNCH.replace("kernel-default", "kernel-6.1"))
    assert resource(s, "Config")["impact"] == "conditional"
    group = changes(s, "Group")["/Properties/LaunchConfigurationName"]
    assert group["impact"] == "conditional", group
    assert "may be replaced" in group["because"]
    hook = changes(s, "Hook")["/Properties/AutoScalingGroupName"]
    assert hook["impact"] == "conditional" and hook["because"] == "Group may be replaced"


PARAM = """\
Parameters:
  Env: {Type: String, Default: dev}
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: !Sub "app-${Env}"}
"""


def test_changed_parameter_default_is_only_a_possible_change(stack):
    s = stack(PARAM, PARAM.replace("Default: dev", "Default: prod"))
    c = changes(s, "Topic")["/Properties/TopicName"]
    assert c["impact"] == "conditional"
    assert c["because"] == "Parameter Env may change (if the stack uses the default)"


def test_given_parameter_values_decide_instead_of_the_default(stack):
    new = PARAM.replace("Default: dev", "Default: prod")
    # The stack passes its own value: the new Default changes nothing.
    assert stack(PARAM, new, "--parameters", "Env=staging")["resources"] == []
    # Values given for each side that differ: a certain change.
    s = stack(PARAM, new, "--parameters-old", "Env=dev", "--parameters-new", "Env=prod")
    assert changes(s, "Topic")["/Properties/TopicName"]["impact"] == "replacement"
