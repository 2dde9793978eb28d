"""--parameters: the deployed stack's values resolve conditions, Fn::If, Fn::FindInMap and loops."""

import json

import pytest

from conftest import assert_one_line_error

TPL = """\
Parameters:
  Env:
    Type: String
    Default: dev
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /images/base
Mappings:
  Sizes:
    dev: {Type: t3.small}
    prod: {Type: m5.large}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "data-${Env}"
  Replica:
    Type: AWS::S3::Bucket
    Condition: IsProd
    Properties:
      Tags: [{Key: role, Value: replica}]
  Server:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref Ami
      InstanceType: !FindInMap [Sizes, !Ref Env, Type]
      Monitoring: !If [IsProd, true, false]
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


def aws_file(write, name="params.json", **values):
    return write(name, json.dumps([{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()]))


def test_a_false_condition_leaves_its_resource_out(diff, write):
    new = TPL.replace("Value: replica", "Value: standby")
    assert "Replica" in by_id(diff(TPL, new))  # without values: compared as written
    s = diff(TPL, new, "--parameters", aws_file(write, Env="dev"))
    assert "Replica" not in by_id(s)
    assert any("so the stack has none of these resources and their changes deploy nothing: Replica (IsProd)" in n
               for n in s["notes"])
    s = diff(TPL, new, "--parameters", aws_file(write, Env="prod"))
    assert by_id(s)["Replica"]["impact"] == "no-interruption"


def test_fn_if_and_find_in_map_take_the_branch_the_values_choose(diff, write):
    new = TPL.replace("prod: {Type: m5.large}", "prod: {Type: m5.xlarge}").replace("!If [IsProd, true, false]", "!If [IsProd, false, false]")
    assert "Server" in by_id(diff(TPL, new))
    # The dev stack uses neither the prod map entry nor the prod branch: nothing changes for it.
    s = diff(TPL, new, "--parameters", aws_file(write, Env="dev"))
    server = by_id(s)["Server"]
    assert server["impact"] == "none" and s["summary"]["not_updated"] == 1 and s["summary"]["changes"] == {}
    (c,) = server["changes"]
    assert c["path"] == "/Properties/Monitoring/Fn::If/1" and c["resolved"]["changes"] == "never"  # as written
    assert c["resolved"]["text"] == "resolves to false: no change"
    s = diff(TPL, new, "--parameters", aws_file(write, Env="prod"))
    changes = {c["path"]: c for c in by_id(s)["Server"]["changes"]}
    assert set(changes) == {"/Properties/InstanceType", "/Properties/Monitoring/Fn::If/1"}  # paths as written
    # Shown as written, with what each resolves to.
    instance = changes["/Properties/InstanceType"]
    assert instance["before"] == instance["after"] == {"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Type"]}
    assert (instance["resolved"]["before"], instance["resolved"]["after"]) == ("m5.large", "m5.xlarge")
    assert instance["because"] == "Mapping Sizes changes"
    monitoring = changes["/Properties/Monitoring/Fn::If/1"]
    assert (monitoring["resolved"]["before"], monitoring["resolved"]["after"]) == (True, False)


def test_old_and_new_values_differ(diff, write):
    old_p, new_p = write("old.txt", "Env=dev\n"), write("new.txt", "Env=prod\n")
    s = diff(TPL, TPL, "--parameters-old", old_p, "--parameters-new", new_p)
    rs = by_id(s)
    assert rs["Replica"]["action"] == "add"  # created once the condition holds
    assert rs["Replica"]["exists"] == "created: condition IsProd is now true"
    server = {c["path"]: c for c in rs["Server"]["changes"]}
    instance = server["/Properties/InstanceType"]
    assert (instance["resolved"]["before"], instance["resolved"]["after"]) == ("t3.small", "m5.large")
    assert instance["resolved"]["text"] == 'resolves to "t3.small" → "m5.large"'
    bucket = rs["Bucket"]
    (c,) = bucket["changes"]
    assert c["path"] == "/Properties/BucketName" and c["impact"] == "replacement"
    assert c["because"] == "Parameter Env changes"  # certain: both values are known
    assert (c["resolved"]["before"], c["resolved"]["after"]) == ("data-dev", "data-prod")


def test_a_changed_default_is_no_change_when_the_value_is_given(diff, write):
    new = TPL.replace("    Default: dev\n", "    Default: test\n")
    assert by_id(diff(TPL, new))["Bucket"]["changes"][0]["because"].startswith("Parameter Env")
    s = diff(TPL, new, "--parameters", "Env=dev")  # Key=Value pairs given on the command line
    assert "Bucket" not in by_id(s), s["resources"]


def test_ssm_parameters_stay_deploy_time(diff, write):
    new = TPL.replace("Default: /images/base", "Default: /images/v2")
    s = diff(TPL, new, "--parameters", aws_file(write, Env="dev", Ami="ami-123"))
    (c,) = by_id(s)["Server"]["changes"]
    assert c["path"] == "/Properties/ImageId" and c["impact"] == "conditional"
    assert c["because"] == "Parameter Ami may change"


def test_loop_collection_from_values(diff, write):
    loop = """\
Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Topics:
    - Name
    - !Ref Names
    - ${Name}Topic:
        Type: AWS::SNS::Topic
        Properties: {DisplayName: !Ref Name}
"""
    s = diff(loop, loop.replace("{DisplayName: !Ref Name}", "{DisplayName: !Sub '${Name}!'}"),
             "--parameters", aws_file(write, Names="Orders,Refunds"))
    assert set(by_id(s)) == {"OrdersTopic", "RefundsTopic"}
    s = diff(loop, loop, "--parameters-old", aws_file(write, "a.json", Names="Orders"),
             "--parameters-new", aws_file(write, "b.json", Names="Orders,Refunds"))
    assert [(r["logical_id"], r["action"]) for r in s["resources"]] == [("RefundsTopic", "add")]


def test_both_formats_and_the_describe_stacks_shape(impact, write):
    a = write("a.yaml", TPL)
    for name, body in [
        ("list.json", '[{"ParameterKey": "Env", "ParameterValue": "prod"}, {"ParameterKey": "Ami", "UsePreviousValue": true}]'),
        ("pairs.txt", "# deployed values\nEnv=prod 'Other=two words'\n"),
        ("config.json", '{"Parameters": {"Env": "prod"}}'),
    ]:
        result = impact("diff", a, a, "--format", "json", "--parameters", write(name, body))
        assert result.code == 0, (name, result)
        assert result.json()["stacks"][0]["resources"] == []


@pytest.mark.parametrize("name, body, line, col, message", [
    ("p.json", '[{"ParameterKey": "Env"}]', 1, 2, "parameter Env has no ParameterValue"),
    ("p.json", '[\n {"ParameterKey": "Env", "ParameterValue": "a"},\n {"ParameterKey": "Env", "ParameterValue": "b"}]', 3, 3, "given twice"),
    ("p.json", '[{"ParameterKey": "Env", "Value": "a"}]', 1, 26, "unknown key 'Value'"),
    ("p.json", '[{"ParameterKey": "Env", ', 1, 26, "Expecting property name"),
    ("p.json", '{"Env": "a"}', 1, 1, "expected a list"),
    ("p.txt", "Env=dev\nbroken\n", 2, 1, "expected Key=Value"),
    ("p.txt", "Env=dev\nbad-name=x\n", 2, 1, "is not a parameter name"),
    ("p.txt", "Env='open\n", 1, 1, "cannot read Key=Value pairs"),
    ("p.txt", "", 1, 1, "empty parameters file"),
])
def test_bad_parameter_files_are_one_line_errors(impact, write, name, body, line, col, message):
    a = write("a.yaml", TPL)
    p = write(name, body)
    assert_one_line_error(impact("diff", a, a, "--parameters", p), path=p, line=line, col=col, contains=message)


def test_parameter_file_limits(impact, write):
    a = write("a.yaml", TPL)
    big = write("big.txt", "Env=" + "x" * (1024 * 1024) + "\n")
    assert_one_line_error(impact("diff", a, a, "--parameters", big), path=big, contains="limit")
    assert_one_line_error(impact("diff", a, a, "--parameters", "missing.json"), path="missing.json", contains="cannot read")
    assert_one_line_error(impact("diff", a, a, "--parameters", write("nul.txt", b"Env=\x00")), contains="NUL byte")
