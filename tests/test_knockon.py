"""Knock-on changes through the real CLI: a replaced resource, a changed
parameter, condition or mapping reaches every value that refers to it."""

import json
from textwrap import dedent

import pytest
from conftest import changes, resource

from impact.assess.graph import CONDITION, DEPENDS_ON, FIND_IN_MAP, GETATT, REF, SUB, ReferenceIndex, entry_references, Reference, references, resource_references, sub_variables


def ids(stack):
    return {r["logical_id"] for r in stack["resources"]}


BUCKET = """\
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: data-v1
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Join ["", [!GetAtt Bucket.Arn, "/*"]]
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Sub "${Bucket}"
  Later:
    Type: AWS::SNS::Topic
    DependsOn: Bucket
    Properties:
      DisplayName: later
  Unrelated:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Sub "${AWS::Region}-${!Bucket}"
"""


def test_replaced_resource_knocks_on_each_referring_property_with_its_own_rule(stack):
    s = stack(BUCKET, BUCKET.replace("data-v1", "data-v2"))
    policy = changes(s, "Policy")
    bucket = policy["/Properties/Bucket"]
    assert bucket["impact"] == "replacement"
    assert bucket["cause"] == "Bucket" and bucket["because"] == "Bucket is replaced"
    assert bucket["kind"] == "modify"
    assert bucket["before"] == bucket["after"] == {"Ref": "Bucket"}
    assert bucket["position"]["line"] == 9
    statement = policy["/Properties/PolicyDocument/Statement/0/Resource"]
    assert statement["impact"] == "no-interruption" and statement["cause"] == "Bucket"
    assert statement["after"] == {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/*"]]}
    assert resource(s, "Policy")["action"] == "modify"
    assert resource(s, "Policy")["impact"] == "replacement"
    topic = changes(s, "Topic")["/Properties/DisplayName"]
    assert (topic["impact"], topic["cause"]) == ("no-interruption", "Bucket")
    # DependsOn only orders operations; literals and pseudo parameters refer to nothing.
    assert "Later" not in ids(s) and "Unrelated" not in ids(s)


def test_knock_on_changes_are_listed_in_every_format(impact, write):
    old, new = write("old.yaml", BUCKET), write("new.yaml", BUCKET.replace("data-v1", "data-v2"))
    text = impact("diff", old, new).out
    assert "because Bucket" in text and "Policy" in text
    md = impact("diff", old, new, "--format", "md").out
    assert "Policy" in md and "Topic" in md


def test_chain_of_replacements_repeats_until_nothing_new_changes(stack):
    old = """\
    Resources:
      Queue:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: jobs-v1
      Mapping:
        Type: AWS::Lambda::EventSourceMapping
        Properties:
          EventSourceArn: !GetAtt [Queue, Arn]
          FunctionName: worker
      Pointer:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: !Ref Mapping
    """
    s = stack(old, old.replace("jobs-v1", "jobs-v2"))
    arn = changes(s, "Mapping")["/Properties/EventSourceArn"]
    assert (arn["impact"], arn["cause"]) == ("replacement", "Queue")
    value = changes(s, "Pointer")["/Properties/Value"]
    assert (value["impact"], value["cause"]) == ("no-interruption", "Mapping")


def test_getatt_string_form_and_sub_forms(stack):
    old = {
        "Resources": {
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b1"}},
            "Policy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {"Bucket": {"Fn::GetAtt": "Bucket.Arn"}, "PolicyDocument": {}},
            },
            "Mapped": {
                "Type": "AWS::SNS::Topic",
                "Properties": {"DisplayName": {"Fn::Sub": ["${Name}-x", {"Name": {"Ref": "Bucket"}}]}},
            },
            "Attr": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::Sub": "${Bucket.Arn}"}}},
            "Shadowed": {
                "Type": "AWS::SNS::Topic",
                "Properties": {"DisplayName": {"Fn::Sub": ["${Bucket}", {"Bucket": "literal"}]}},
            },
            "Selected": {
                "Type": "AWS::SNS::Topic",
                "Properties": {"DisplayName": {"Fn::Select": [0, [{"Fn::If": ["C", {"Ref": "Bucket"}, "x"]}]]}},
            },
        },
        "Conditions": {"C": {"Fn::Equals": ["a", "a"]}},
    }
    new = json.loads(json.dumps(old).replace('"b1"', '"b2"'))
    s = stack(json.dumps(old), json.dumps(new), suffix="json")
    assert changes(s, "Policy")["/Properties/Bucket"]["impact"] == "replacement"
    mapped = changes(s, "Mapped")["/Properties/DisplayName"]
    assert mapped["cause"] == "Bucket" and mapped["before"] == {"Fn::Sub": ["${Name}-x", {"Name": {"Ref": "Bucket"}}]}
    assert changes(s, "Attr")["/Properties/DisplayName"]["cause"] == "Bucket"
    assert changes(s, "Selected")["/Properties/DisplayName"]["cause"] == "Bucket"
    assert "Shadowed" not in ids(s)


def test_edited_text_is_not_reported_twice(stack):
    old = BUCKET
    new = BUCKET.replace("data-v1", "data-v2").replace('DisplayName: !Sub "${Bucket}"', 'DisplayName: !Sub "${Bucket}-2"')
    topic = changes(stack(old, new), "Topic")
    assert list(topic) == ["/Properties/DisplayName/Fn::Sub"]
    assert "cause" not in topic["/Properties/DisplayName/Fn::Sub"]


def test_conditional_replacement_caps_knock_on_at_conditional(stack):
    old = """\
    Resources:
      Table:
        Type: AWS::DynamoDB::Table
        Properties:
          KeySchema: [{AttributeName: pk, KeyType: HASH}]
          AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
          BillingMode: PAY_PER_REQUEST
      Trigger:
        Type: AWS::Lambda::EventSourceMapping
        Properties:
          EventSourceArn: !GetAtt Table.StreamArn
          FunctionName: worker
      Name:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: !Ref Table
    """
    s = stack(old, old.replace("AttributeType: S", "AttributeType: N"))
    assert resource(s, "Table")["impact"] == "conditional"
    trigger = changes(s, "Trigger")["/Properties/EventSourceArn"]
    assert trigger["impact"] == "conditional" and trigger["cause"] == "Table"
    assert trigger["rule"]["note"].startswith("the rules say replacement; only if the value changes: ")
    assert "Table may be replaced" in trigger["rule"]["note"]
    assert changes(s, "Name")["/Properties/Value"]["impact"] == "no-interruption"


PARAMS = """\
Parameters:
  Env:
    Type: String
    Default: dev
    Description: the stage
  Image:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /images/v1
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Ref Env
      DisplayName: !Sub "events-${Env}"
  Volume:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Name: !Sub "/ami/${Image}"
      Value: !Ref Image
"""


def test_changed_parameter_default_reaches_its_references(stack):
    s = stack(PARAMS, PARAMS.replace("Default: dev", "Default: prod"))
    topic = changes(s, "Topic")
    # A new Default is the stack's value only if the stack uses the default.
    assert topic["/Properties/TopicName"]["impact"] == "conditional"
    assert topic["/Properties/TopicName"]["cause"] == "Parameter Env"
    assert topic["/Properties/TopicName"]["because"] == "Parameter Env may change (if the stack uses the default)"
    assert topic["/Properties/DisplayName"]["impact"] == "no-interruption"
    assert "Volume" not in ids(s)
    assert {"section": "Parameters", "name": "Env", "path": "/Default", "kind": "modify", "before": "dev", "after": "prod"} in s["sections"]


def test_parameter_known_only_at_deploy_time_is_conditional(stack):
    s = stack(PARAMS, PARAMS.replace("/images/v1", "/images/v2"))
    name = changes(s, "Volume")["/Properties/Name"]
    assert name["impact"] == "conditional" and name["cause"] == "Parameter Image"
    assert name["because"] == "Parameter Image may change"
    assert changes(s, "Volume")["/Properties/Value"]["impact"] == "no-interruption"
    # Without a Default, the value is whatever the deployer passes.
    s = stack(PARAMS, PARAMS.replace("    Default: dev\n", ""))
    assert changes(s, "Topic")["/Properties/TopicName"]["impact"] == "conditional"


def test_parameter_description_reaches_nothing(stack):
    s = stack(PARAMS, PARAMS.replace("the stage", "the stage name"))
    assert s["resources"] == []
    assert [x["path"] for x in s["sections"]] == ["/Description"]


def test_removed_parameter_reaches_what_still_refers_to_it(stack):
    new = PARAMS.replace("  Env:\n    Type: String\n    Default: dev\n    Description: the stage\n", "")
    topic = changes(stack(PARAMS, new), "Topic")
    assert topic["/Properties/TopicName"]["cause"] == "Parameter Env"
    assert topic["/Properties/TopicName"]["impact"] == "conditional"


CONDITIONS = """\
Parameters:
  Env:
    Type: String
    Default: dev
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsBig: !And [!Condition IsProd, !Equals [a, a]]
  Unused: !Equals [!Ref Env, test]
Resources:
  Alarm:
    Type: AWS::SNS::Topic
    Condition: IsBig
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: !If [IsProd, true, !Ref AWS::NoValue]
      DelaySeconds: !If [IsProd, 5, 0]
Outputs:
  QueueArn:
    Value: !If [IsProd, !GetAtt Queue.Arn, none]
    Export:
      Name: queue-arn
"""


def test_changed_condition_reaches_guarded_resources_and_properties(stack):
    s = stack(CONDITIONS, CONDITIONS.replace("[!Ref Env, prod]", "[!Ref Env, production]"))
    queue = changes(s, "Queue")
    fifo = queue["/Properties/FifoQueue"]
    assert fifo["cause"] == "Condition IsProd"
    assert fifo["impact"] == "conditional"  # replacement, if the condition's value changes
    assert queue["/Properties/DelaySeconds"]["impact"] == "no-interruption"
    alarm = changes(s, "Alarm")["/Condition"]
    assert (alarm["impact"], alarm["cause"]) == ("conditional", "Condition IsBig")
    (export,) = [f for f in s["findings"] if f["id"] == "export-changed"]
    assert export["logical_id"] == "QueueArn" and "may change" in export["message"]
    assert not [f for f in s["findings"] if f["id"] == "no-op-update"]


def test_parameter_reaches_conditions_and_their_resources(stack):
    s = stack(CONDITIONS, CONDITIONS.replace("Default: dev", "Default: prod"))
    assert changes(s, "Alarm")["/Condition"]["cause"] == "Condition IsBig"
    assert changes(s, "Queue")["/Properties/FifoQueue"]["cause"] == "Condition IsProd"


def test_unused_condition_alone_is_a_no_op_update(stack):
    s = stack(CONDITIONS, CONDITIONS.replace("[!Ref Env, test]", "[!Ref Env, qa]"))
    assert s["resources"] == []
    (finding,) = s["findings"]
    assert finding["id"] == "no-op-update" and finding["severity"] == "info"
    assert finding["logical_id"] is None and "Conditions" in finding["message"]


MAPPINGS = """\
Mappings:
  Sizes:
    dev: {memory: "128", timeout: "3"}
    prod: {memory: "1024", timeout: "30"}
  Spare:
    any: {value: x}
Resources:
  Fixed:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !FindInMap [Sizes, dev, timeout]
      QueueName: !FindInMap [Sizes, prod, memory]
  Computed:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !FindInMap [Sizes, !Ref AWS::Region, timeout]
"""


def test_changed_mapping_entry_reaches_the_lookups_that_can_see_it(stack):
    s = stack(MAPPINGS, MAPPINGS.replace('timeout: "3"', 'timeout: "5"'))
    fixed = changes(s, "Fixed")
    assert list(fixed) == ["/Properties/DelaySeconds"]
    assert (fixed["/Properties/DelaySeconds"]["cause"], fixed["/Properties/DelaySeconds"]["impact"]) == (
        "Mapping Sizes",
        "no-interruption",
    )
    computed = changes(s, "Computed")["/Properties/QueueName"]
    assert (computed["impact"], computed["cause"]) == ("conditional", "Mapping Sizes")
    assert {"section": "Mappings", "name": "Sizes", "path": "/dev/timeout", "kind": "modify", "before": "3", "after": "5"} in s["sections"]


def test_changed_mapping_entry_with_literal_keys_is_certain(stack):
    s = stack(MAPPINGS, MAPPINGS.replace('memory: "1024"', 'memory: "2048"'))
    assert changes(s, "Fixed")["/Properties/QueueName"]["impact"] == "replacement"
    assert "Computed" not in ids(s)  # it looks up timeout, never memory


def test_unused_mapping_alone_is_a_no_op_update(stack):
    s = stack(MAPPINGS, MAPPINGS.replace("value: x", "value: y"))
    assert s["resources"] == []
    assert [f["id"] for f in s["findings"]] == ["no-op-update"]


LOG_FILTER = """\
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: app-logs-v1
  Filter:
    Type: AWS::Logs::SubscriptionFilter
    Properties:
      FilterName: errors
      LogGroupName: !Ref Logs
      FilterPattern: ERROR
      DestinationArn: arn:aws:lambda:eu-west-1:123456789012:function:f
"""

CACHE = """\
Resources:
  Subnets:
    Type: AWS::ElastiCache::SubnetGroup
    Properties:
      CacheSubnetGroupName: cache-v1
      Description: cache subnets
      SubnetIds: [subnet-1]
  Cache:
    Type: AWS::ElastiCache::CacheCluster
    Properties:
      ClusterName: sessions
      CacheSubnetGroupName: !Ref Subnets
      Engine: redis
      CacheNodeType: cache.t3.micro
      NumCacheNodes: 1
"""


def test_knock_on_replacement_sets_off_findings(stack):
    s = stack(CACHE, CACHE.replace("cache-v1", "cache-v2"))
    group = changes(s, "Cache")["/Properties/CacheSubnetGroupName"]
    assert (group["impact"], group["cause"]) == ("replacement", "Subnets")
    found = {(f["id"], f["logical_id"]): f for f in s["findings"]}
    custom = found[("custom-name-replacement", "Cache")]
    assert custom["severity"] == "error" and custom["path"] == "/Properties/ClusterName"
    assert "because Subnets is replaced" in custom["message"]
    assert ("custom-name-replacement", "Subnets") not in found  # its name changes with it


def test_a_name_unique_within_a_replaced_parent_is_free_under_the_new_one(stack):
    """A subscription filter's name is unique per log group: replaced with
    its log group, the new filter cannot collide with the old."""
    s = stack(LOG_FILTER, LOG_FILTER.replace("app-logs-v1", "app-logs-v2"))
    assert changes(s, "Filter")["/Properties/LogGroupName"]["cause"] == "Logs"
    found = {(f["id"], f["logical_id"]): f for f in s["findings"]}
    assert ("custom-name-replacement", "Filter") not in found
    assert found[("stateful-replacement", "Logs")]["severity"] == "error"


# -- the reference graph ----------------------------------------------------


def test_ref_and_pseudo_parameters():
    refs = references({"A": {"Ref": "X"}, "B": {"Ref": "AWS::Region"}, "C": {"Ref": "AWS::NoValue"}}, ("Properties",))
    assert refs == [Reference("X", REF, ("Properties", "A"))]


def test_getatt_both_forms_and_nested_attributes():
    refs = references([{"Fn::GetAtt": ["X", "Arn"]}, {"Fn::GetAtt": "Db.Endpoint.Address"}])
    assert [(r.target, r.kind, r.attribute, r.keys) for r in refs] == [
        ("X", GETATT, "Arn", (0,)),
        ("Db", GETATT, "Endpoint.Address", (1,)),
    ]


def test_getatt_with_a_computed_attribute_refers_to_the_parameter_too():
    refs = references({"Fn::GetAtt": ["X", {"Ref": "P"}]})
    assert [(r.target, r.kind, r.attribute) for r in refs] == [("X", GETATT, None), ("P", REF, None)]


def test_sub_string_parsing():
    assert sub_variables("${A}-${B.Arn}-${!Literal}-${AWS::Region}-${ C }-$NotOne-${}") == [
        ("A", None),
        ("B", "Arn"),
        ("C", None),
    ]


def test_sub_variable_map_names_are_not_references():
    value = {"Fn::Sub": ["${Name}-${Other}-${Other2.Arn}", {"Name": {"Fn::GetAtt": ["R", "Arn"]}}]}
    refs = references(value, ("Properties", "P"))
    assert {(r.target, r.kind) for r in refs} == {("Other", SUB), ("Other2", SUB), ("R", GETATT)}
    assert all(r.keys == ("Properties", "P") for r in refs)  # the site is the Fn::Sub


def test_site_is_the_outermost_function_except_inside_if_branches():
    value = {
        "Join": {"Fn::Join": ["", [{"Fn::Select": [0, {"Fn::Split": [",", {"Ref": "A"}]}]}, {"Fn::Base64": {"Ref": "B"}}]]},
        "If": {"Fn::If": ["C", {"Subnets": [{"Ref": "S"}]}, {"Ref": "AWS::NoValue"}]},
        "Nested": {"Fn::Join": ["", [{"Fn::If": ["D", {"Ref": "T"}, "x"]}]]},
    }
    refs = {(r.target, r.kind): r.keys for r in references(value)}
    assert refs[("A", REF)] == ("Join",) and refs[("B", REF)] == ("Join",)
    assert refs[("C", CONDITION)] == ("If",)
    assert refs[("S", REF)] == ("If", "Fn::If", 1, "Subnets", 0)
    assert refs[("T", REF)] == refs[("D", CONDITION)] == ("Nested",)


def test_find_in_map_keys():
    (literal,) = references({"Fn::FindInMap": ["M", "top", "second"]})
    assert (literal.target, literal.kind, literal.map_keys) == ("M", FIND_IN_MAP, ("top", "second"))
    refs = references({"Fn::FindInMap": ["M", {"Ref": "Env"}, {"Ref": "AWS::Region"}]})
    assert [(r.target, r.map_keys) for r in refs] == [("M", (None, None)), ("Env", ())]


def test_other_functions_are_walked_through():
    value = {
        "Fn::ToJsonString": {"k": {"Ref": "A"}},
        "x": {"Fn::ImportValue": {"Fn::Sub": "${B}-export"}},
        "y": {"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, "6", "8"]},
        "z": {"Fn::GetAZs": {"Ref": "AWS::Region"}},
        "w": {"Fn::Length": {"Ref": "List"}},
    }
    assert {r.target for r in references(value)} == {"A", "B", "Vpc", "List"}


def test_condition_references_only_in_conditions():
    body = {"Fn::And": [{"Condition": "A"}, {"Fn::Not": [{"Condition": "B"}]}, {"Fn::Equals": [{"Ref": "P"}, "x"]}]}
    assert {(r.target, r.kind) for r in references(body, conditions=True)} == {("A", CONDITION), ("B", CONDITION), ("P", REF)}
    # In properties, a key named Condition is a property (an IAM policy's, say).
    assert references({"Condition": "A"}) == []


def test_resource_attributes():
    res = {
        "Type": "AWS::SNS::Topic",
        "DependsOn": ["A", "B"],
        "Condition": "IsProd",
        "Metadata": {"m": {"Ref": "M"}},
        "Properties": {"DisplayName": {"Ref": "P"}},
    }
    refs = {(r.target, r.kind, r.keys) for r in resource_references(res)}
    assert refs == {
        ("A", DEPENDS_ON, ("DependsOn",)),
        ("B", DEPENDS_ON, ("DependsOn",)),
        ("IsProd", CONDITION, ("Condition",)),
        ("M", REF, ("Metadata", "m")),
        ("P", REF, ("Properties", "DisplayName")),
    }
    assert [r.target for r in resource_references({"Type": "T", "DependsOn": "Single"})] == ["Single"]


def test_index_covers_resources_outputs_and_conditions_in_order():
    data = {
        "Resources": {"R": {"Type": "T", "Properties": {"A": {"Ref": "P"}}}, "S": {"Type": "T", "DependsOn": "R"}},
        "Outputs": {"O": {"Value": {"Fn::GetAtt": ["R", "Arn"]}, "Condition": "C"}},
        "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "x"]}},
        "Rules": {"X": {"Assertions": [{"Assert": {"Fn::Equals": [{"Ref": "P"}, "x"]}}]}},
    }
    index = ReferenceIndex(data)
    assert [(s, n, r.kind) for s, n, r in index.referrers("P")] == [("Resources", "R", REF), ("Conditions", "C", REF)]
    assert [(s, n, r.kind) for s, n, r in index.referrers("R")] == [("Resources", "S", DEPENDS_ON), ("Outputs", "O", GETATT)]
    assert [(s, n) for s, n, _ in index.referrers("C")] == [("Outputs", "O")]
    assert index.referrers("nothing") == []


def test_index_finds_every_reference_form_and_walks_only_entries_naming_the_target():
    data = {
        "Resources": {
            "Bucket": {"Type": "T"},
            "BucketPolicy": {"Type": "T", "Properties": {"B": {"Ref": "Bucket"}}},
            "Att": {"Type": "T", "Properties": {"A": {"Fn::GetAtt": "Bucket.Arn"}, "L": {"Fn::GetAtt": ["Bucket", "Id"]}}},
            "Sub": {"Type": "T", "Properties": {"S": {"Fn::Sub": "arn:${ Bucket }/${Bucket.Arn}/${!Bucket}"}}},
            "Own": {"Type": "T", "Properties": {"S": {"Fn::Sub": ["${Bucket}", {"Bucket": "x"}]}}},
            "Quoted": {"Type": "T", "Properties": {"Q": {"Ref": 'Odd"Name\\'}}},
            "Other": {"Type": "T", "Properties": {"Deep": [[{"Ref": "Elsewhere"}]], "Flag": True}},
        },
        "Outputs": {"O": {"Value": {"Fn::If": ["Cond", {"Ref": "BucketPolicy"}, {"Ref": "AWS::NoValue"}]}}},
        "Conditions": {"Cond": {"Fn::Equals": [{"Ref": "Bucket"}, "x"]}},
    }
    index = ReferenceIndex(data)
    assert [(s, n, r.kind, r.attribute) for s, n, r in index.referrers("Bucket")] == [
        ("Resources", "BucketPolicy", REF, None),
        ("Resources", "Att", GETATT, "Arn"),
        ("Resources", "Att", GETATT, "Id"),
        ("Resources", "Sub", SUB, None),
        ("Resources", "Sub", SUB, "Arn"),
        ("Conditions", "Cond", REF, None),
    ]
    walked = {name for _, name in index._refs}
    # "Own" and "O" hold the text (its own variable, "BucketPolicy"); "Other" and "Quoted" do not
    assert walked == {"BucketPolicy", "Att", "Sub", "Own", "O", "Cond"}
    assert [(s, n) for s, n, _ in index.referrers("BucketPolicy")] == [("Outputs", "O")]
    assert [n for _, n, _ in index.referrers('Odd"Name\\')] == ["Quoted"]
    assert [n for _, n, _ in index.referrers("Cond")] == ["O"]
    assert index.referrers("Elsewhere")[0][1] == "Other"
    # the same answers as a walk of every entry
    for target in ("Bucket", "BucketPolicy", "Cond", "Elsewhere", 'Odd"Name\\', "Arn", "x"):
        every = [(s, n, r) for s in ("Resources", "Outputs", "Conditions") for n, e in data[s].items()
                 for r in entry_references(s, e) if r.target == target]
        assert index.referrers(target) == every
