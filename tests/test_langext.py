"""Fn::ForEach and the other AWS::LanguageExtensions, expanded before the diff, through the CLI."""

import pytest

LIST = """\
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Topics:
    - Name
    - [Orders, Refunds]
    - ${Name}Topic:
        Type: AWS::SNS::Topic
        Properties:
          TopicName: !Sub "${Name}-events"
  Fn::ForEach::Queues:
    - Name
    - [Orders, Refunds]
    - ${Name}Queue:
        Type: AWS::SQS::Queue
        Properties:
          VisibilityTimeout: 30
"""


@pytest.fixture
def diff(impact, write):
    def _diff(old, new, *args):
        a, b = write("old.yaml", old), write("new.yaml", new)
        result = impact("diff", a, b, "--format", "json", *args)
        assert result.code == 0, result
        return result.json()["stacks"][0]

    return _diff


def by_id(stack):
    return {r["logical_id"]: r for r in stack["resources"]}


def test_adding_to_a_literal_list_adds_one_resource_and_leaves_the_others(diff):
    s = diff(LIST, LIST.replace("    - [Orders, Refunds]\n    - ${Name}Topic", "    - [Orders, Refunds, Payments]\n    - ${Name}Topic"))
    assert [(r["logical_id"], r["action"]) for r in s["resources"]] == [("PaymentsTopic", "add")]
    assert s["resources"][0]["origin"] == {"type": "Fn::ForEach::Topics", "logical_id": None}


def test_a_change_in_the_loop_body_changes_every_generated_resource(diff):
    new = LIST.replace("VisibilityTimeout: 30", "VisibilityTimeout: 60")
    s = diff(LIST, new)
    rs = by_id(s)
    assert set(rs) == {"OrdersQueue", "RefundsQueue"}
    for r in rs.values():
        (c,) = r["changes"]
        assert (c["path"], c["impact"]) == ("/Properties/VisibilityTimeout", "no-interruption")
        assert c["position"]["line"] == new.splitlines().index("          VisibilityTimeout: 60") + 1


def test_a_changed_collection_shows_what_is_replaced(diff):
    s = diff(LIST, LIST.replace("TopicName: !Sub \"${Name}-events\"", "TopicName: !Sub \"${Name}-v2\""))
    rs = by_id(s)
    assert {k: r["impact"] for k, r in rs.items()} == {"OrdersTopic": "replacement", "RefundsTopic": "replacement"}
    assert rs["OrdersTopic"]["changes"][0]["after"] == "Orders-v2"


LOOKUPS = """\
Transform: AWS::LanguageExtensions
Parameters:
  Names:
    Type: CommaDelimitedList
    Default: a-b,c
  Deployed:
    Type: CommaDelimitedList
Mappings:
  Fleet:
    Queues: {Sizes: [small, large]}
Resources:
  Fn::ForEach::Topics:
    - Name
    - !Ref Names
    - Topic&{Name}:
        Type: AWS::SNS::Topic
        Properties: {DisplayName: !Ref Name}
  Fn::ForEach::Queues:
    - Size
    - !FindInMap [Fleet, Queues, Sizes]
    - Fn::ForEach::Kinds:
        - Kind
        - !FindInMap [Fleet, Kinds, Names, {DefaultValue: [std, dlq]}]
        - ${Size}${Kind}Queue:
            Type: AWS::SQS::Queue
            Properties:
              DelaySeconds: !Length [a, b]
              Tags: [{Key: k, Value: !ToJsonString {size: !Ref Size}}]
"""


def test_defaults_maps_with_default_values_and_nested_loops(diff):
    s = diff(LOOKUPS, LOOKUPS.replace("Default: a-b,c", "Default: a-b,c,d").replace("DelaySeconds: !Length [a, b]", "DelaySeconds: !Length [a, b, c]"))
    rs = by_id(s)
    assert rs["Topicd"]["action"] == "add"  # &{Name} drops what is not alphanumeric: a-b -> Topicab
    assert "Topicab" not in rs and "Topicc" not in rs
    queues = {k for k in rs if k.endswith("Queue")}
    assert queues == {"smallstdQueue", "smalldlqQueue", "largestdQueue", "largedlqQueue"}
    c = rs["largedlqQueue"]["changes"][0]
    assert (c["path"], c["before"], c["after"]) == ("/Properties/DelaySeconds", "2", "3")
    assert rs["largedlqQueue"]["origin"]["type"] == "Fn::ForEach::Queues"


def test_to_json_string_is_evaluated(diff):
    s = diff(LOOKUPS, LOOKUPS.replace("{size: !Ref Size}", "{size: !Ref Size, v: 2}"))
    c = by_id(s)["smallstdQueue"]["changes"][0]
    assert (c["before"], c["after"]) == ('{"size":"small"}', '{"size":"small","v":"2"}')


def test_an_unknown_collection_keeps_the_loop_as_one_unit_and_names_the_parameter(diff):
    unit = LOOKUPS.replace("    - !Ref Names\n", "    - !Ref Deployed\n")
    s = diff(unit, unit.replace("DisplayName: !Ref Name", "DisplayName: fixed"))
    (loop,) = [r for r in s["resources"] if r["logical_id"].startswith("Fn::ForEach::")]
    assert loop["logical_id"] == "Fn::ForEach::Topics" and loop["changes"][0]["impact"] == "unknown"
    assert any("Fn::ForEach::Topics is compared as one unit" in n and "parameter Deployed has no Default" in n
               for n in s["notes"]), s["notes"]
    assert not any(r["logical_id"].startswith("Topic") for r in s["resources"])  # no invented names


def test_ssm_parameters_stay_deploy_time(diff):
    ssm = LOOKUPS.replace("  Deployed:\n    Type: CommaDelimitedList\n",
                          "  Deployed:\n    Type: AWS::SSM::Parameter::Value<List<String>>\n    Default: /fleet/names\n")
    ssm = ssm.replace("    - !Ref Names\n", "    - !Ref Deployed\n")
    s = diff(ssm, ssm.replace("DisplayName: !Ref Name", "DisplayName: fixed"))
    assert any("parameter Deployed is an SSM parameter" in n for n in s["notes"]), s["notes"]


def test_intrinsic_deletion_policy_is_resolved(diff):
    tpl = """\
Transform: AWS::LanguageExtensions
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: !If [IsProd, Retain, Delete]
    UpdateReplacePolicy: !If [IsProd, Retain, Delete]
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
"""
    new = tpl.replace("AttributeName: id, KeyType", "AttributeName: pk, KeyType").replace("{AttributeName: id, AttributeType", "{AttributeName: pk, AttributeType")
    (f,) = [f for f in diff(tpl, new)["findings"] if f["id"] == "stateful-replacement"]
    assert f["kept"] == "deleted"
    (f,) = [f for f in diff(tpl, new.replace("Default: dev", "Default: prod"))["findings"] if f["id"] == "stateful-replacement"]
    assert f["kept"] == "retained"


def test_a_loop_that_writes_a_duplicate_is_compared_as_written(diff):
    dup = LIST.replace("${Name}Queue:", "${Name}Topic:")
    s = diff(dup, dup.replace("VisibilityTimeout: 30", "VisibilityTimeout: 60"))
    assert any("the loops cannot be expanded" in n and "already defined" in n for n in s["notes"]), s["notes"]
