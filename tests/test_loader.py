"""Loading templates: formats, tags, scalars, positions and every kind of bad input."""

import json

import pytest

from impact.load.loader import MAX_WARNINGS, LoadError, load_text

from conftest import assert_one_line_error

BUCKET_YAML = """\
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: logs
      ObjectLockEnabled: true
      Tags:
        - Key: n
          Value: 10
"""


def test_yaml_and_json_give_the_same_data():
    y = load_text("t.yaml", BUCKET_YAML)
    j = load_text("t.json", json.dumps({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {
        "BucketName": "logs", "ObjectLockEnabled": True, "Tags": [{"Key": "n", "Value": 10}]}}}}))
    assert y.fmt == "yaml" and j.fmt == "json"
    assert y.data == j.data


def test_format_is_chosen_by_content_not_extension():
    assert load_text("t.json", BUCKET_YAML).fmt == "yaml"
    assert load_text("t.yaml", '{"Resources": {}}').fmt == "json"
    # A YAML flow mapping that is not JSON is still read as YAML.
    assert load_text("t.json", "{Resources: {}}").data == {"Resources": {}}


def test_scalars_become_strings_as_cloudformation_passes_them():
    data = load_text("t", "Resources: {}\nA: 10\nB: true\nC: 1.50\nD: 2010-09-09\nE: ~\nF: yes\n").data
    assert data["A"] == "10" and data["B"] == "true" and data["C"] == "1.50"
    assert data["D"] == "2010-09-09" and data["E"] is None and data["F"] == "true"
    j = load_text("t", '{"Resources": {}, "A": 10, "B": true, "C": 1.50, "L": [false, [true]]}').data
    assert j["A"] == "10" and j["B"] == "true" and j["C"] == "1.50" and j["L"] == ["false", ["true"]]


@pytest.mark.parametrize(
    "short, long",
    [
        ("!Ref Bucket", {"Ref": "Bucket"}),
        ("!Condition IsProd", {"Condition": "IsProd"}),
        ("!GetAtt Bucket.Arn", {"Fn::GetAtt": ["Bucket", "Arn"]}),
        ("!GetAtt A.B.C", {"Fn::GetAtt": ["A", "B.C"]}),
        ("!GetAtt [A, Arn]", {"Fn::GetAtt": ["A", "Arn"]}),
        ("!Sub '${AWS::Region}-x'", {"Fn::Sub": "${AWS::Region}-x"}),
        ("!Sub ['${X}', {X: !Ref Y}]", {"Fn::Sub": ["${X}", {"X": {"Ref": "Y"}}]}),
        ("!If [C, a, !Ref AWS::NoValue]", {"Fn::If": ["C", "a", {"Ref": "AWS::NoValue"}]}),
        ("!Join [',', [a, b]]", {"Fn::Join": [",", ["a", "b"]]}),
        ("!Select [0, !GetAZs '']", {"Fn::Select": ["0", {"Fn::GetAZs": ""}]}),
        ("!Split [',', a]", {"Fn::Split": [",", "a"]}),
        ("!FindInMap [M, k, v]", {"Fn::FindInMap": ["M", "k", "v"]}),
        ("!Base64 abc", {"Fn::Base64": "abc"}),
        ("!Cidr [10.0.0.0/16, 4, 8]", {"Fn::Cidr": ["10.0.0.0/16", "4", "8"]}),
        ("!ImportValue Shared", {"Fn::ImportValue": "Shared"}),
        ("!Equals [a, b]", {"Fn::Equals": ["a", "b"]}),
        ("!And [!Condition A, !Condition B]", {"Fn::And": [{"Condition": "A"}, {"Condition": "B"}]}),
        ("!Or [!Condition A, !Condition B]", {"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]}),
        ("!Not [!Condition A]", {"Fn::Not": [{"Condition": "A"}]}),
        ("!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}",
         {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}}),
    ],
)
def test_short_form_tags_become_long_form(short, long):
    data = load_text("t.yaml", f"Resources: {{}}\nValue: {short}\n").data
    assert data["Value"] == long


def test_positions_of_resources_and_properties():
    t = load_text("t.yaml", BUCKET_YAML)
    assert t.position(("Resources", "Bucket")) == (2, 3)
    assert t.position(("Resources", "Bucket", "Properties", "BucketName")) == (5, 7)
    assert t.position(("Resources", "Bucket", "Properties", "Tags", 0, "Value")) == (9, 11)
    # An unknown path falls back to its nearest known ancestor.
    assert t.position(("Resources", "Bucket", "Properties", "Nope")) == (4, 5)


def test_positions_in_json():
    text = '{\n "Resources": {\n  "Bucket": {\n   "Type": "AWS::S3::Bucket",\n   "Properties": {"Tags": [{"Key": "a"}]}\n  }\n }\n}\n'
    t = load_text("t.json", text)
    assert t.position(("Resources", "Bucket")) == (3, 3)
    assert t.position(("Resources", "Bucket", "Type")) == (4, 4)
    assert t.position(("Resources", "Bucket", "Properties", "Tags", 0, "Key")) == (5, 29)


def test_positions_of_short_form_values():
    t = load_text("t.yaml", "Resources:\n  A:\n    Type: X::Y::Z\n    Properties:\n      P: !Ref B\n")
    assert t.position(("Resources", "A", "Properties", "P")) == (5, 7)
    assert t.position(("Resources", "A", "Properties", "P", "Ref")) == (5, 10)


@pytest.mark.parametrize(
    "text, line, col, message",
    [
        ("Resources:\n  A:\n    Properties: {}\n", 2, 3, "has no Type"),
        ("- a\n- b\n", 1, 1, "not a mapping"),
        ("Description: x\n", 1, 1, "no Resources"),
        ("Resources: [a]\n", 1, 1, "must be a mapping"),
        ("Resources:\n  A: [1]\n", 2, 3, "must be a mapping"),
        ("Resources:\n  A:\n    Type: X\n    Properties: [1]\n", 4, 5, "Properties"),
        ('{"Resources": {"A": ', 1, 15, "the '{' here is not closed: Expecting value at 1:21"),
        ("Resources:\n  A: [\n", 2, 6, "the '[' here is not closed"),
        ("Resources:\n  A: !Tags [x]\n", 2, 6, "unsupported tag !Tags"),
        ("Resources: !!python/object/apply:os.system [ls]\n", 1, 12, "unsupported tag"),
        ("a: &a [*a]\nResources: {}\n", 1, 4, "recursive"),
        ("", 1, 1, "empty"),
        ("   \n\n", 1, 1, "empty"),
    ],
)
def test_bad_templates(text, line, col, message):
    with pytest.raises(LoadError) as info:
        load_text("bad.yaml", text)
    err = info.value
    assert (err.line, err.col) == (line, col), str(err)
    assert message in str(err)
    assert str(err).startswith(f"bad.yaml:{line}:{col}: ")
    assert "\n" not in str(err)


@pytest.mark.parametrize(
    "text, line, col, message",
    [
        ("Resources:\n\tA:\n    Type: AWS::SQS::Queue\n", 2, 1, "a tab in the indentation: YAML indents with spaces only"),
        ("Resources:\n  A:\n  \tType: AWS::SQS::Queue\n", 3, 3, "a tab in the indentation: YAML indents with spaces only"),
        ("Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      L:\n      -\t- y\n", 6, 8,
         "a tab where YAML expects a key or a value: use spaces"),
    ],
)
def test_a_tab_in_yaml_is_named(impact, write, text, line, col, message):
    """YAML's "found character that cannot start any token" at a tab, in words a user acts on."""
    path = write("tab.yaml", text)
    r = impact("diff", path, path)
    assert_one_line_error(r, path=path, line=line, col=col, contains=message)
    assert "cannot start any token" not in r.err


def test_a_missing_file_has_no_position(impact, write, tmp_path):
    good = write("good.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    missing = tmp_path / "missing.yaml"
    for args in (("diff", good, missing), ("diff", missing, good)):
        r = impact(*args)
        assert_one_line_error(r, contains="No such file")
        assert r.err == f"{missing}: No such file or directory\n"
    r = impact("diff", good, good, "--parameters", tmp_path / "p.json")
    assert r.err == f"{tmp_path / 'p.json'}: cannot read parameters: No such file or directory\n"
    r = impact("diff", good, good, "--config", tmp_path / "c.yaml")
    assert r.err == f"{tmp_path / 'c.yaml'}: cannot read config: No such file or directory\n"


def test_fn_foreach_is_accepted_as_a_unit():
    t = load_text("t.yaml", """\
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Topics:
    - Name
    - [a, b]
    - Topic${Name}:
        Type: AWS::SNS::Topic
""")
    assert isinstance(t.resources["Fn::ForEach::Topics"], list)


# Through the real CLI: one line, FILE:LINE:COL, exit 2, no traceback.


# A key given twice: CloudFormation accepts the template and uses the last one; so does impact, with a warning.

DUPLICATES_YAML = """\
Description: first
Parameters:
  Env:
    Type: String
  Env:
    Type: String
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 5
      DelaySeconds: 10
      Tags: [{Key: a, Value: b, Value: c, Value: d}]
Description: second
"""


def test_a_key_given_twice_is_read_as_cloudformation_reads_it_last_one_wins():
    t = load_text("app.yaml", DUPLICATES_YAML)
    assert t.data["Description"] == "second"
    assert t.data["Resources"]["Queue"]["Properties"]["DelaySeconds"] == "10"
    assert t.data["Resources"]["Queue"]["Properties"]["Tags"] == [{"Key": "a", "Value": "d"}]
    # Positions point at the key CloudFormation uses.
    assert t.position(("Resources", "Queue", "Properties", "DelaySeconds")) == (12, 7)
    assert t.position(("Description",)) == (14, 1)
    assert [str(w) for w in t.warnings] == [
        "app.yaml:5:3: key Env is given twice with the same value (also at 3:3)",
        "app.yaml:12:7: key DelaySeconds is given twice (also at 11:7); CloudFormation uses this one",
        "app.yaml:13:43: key Value is given 3 times (also at 13:23, 13:33); CloudFormation uses this one",
        "app.yaml:14:1: key Description is given twice (also at 1:1); CloudFormation uses this one",
    ]
    assert [w.pointer for w in t.warnings] == [
        "/Parameters/Env", "/Resources/Queue/Properties/DelaySeconds", "/Resources/Queue/Properties/Tags/0/Value",
        "/Description",
    ]
    assert {w.kind for w in t.warnings} == {"duplicate-key"}


def test_a_key_given_twice_in_json_last_one_wins_with_its_position():
    text = (
        '{"Description": "first",\n'
        ' "Resources": {"Queue": {"Type": "AWS::SQS::Queue",\n'
        '   "Properties": {"DelaySeconds": 5, "Tags": [{"Key": "a", "Key": "b"}],\n'
        '                  "DelaySeconds": 10}}},\n'
        ' "Description": "second"}'
    )
    t = load_text("app.json", text)
    assert t.data["Description"] == "second" and t.fmt == "json"
    props = t.data["Resources"]["Queue"]["Properties"]
    assert props["DelaySeconds"] == "10" and props["Tags"] == [{"Key": "b"}]
    assert t.position(("Resources", "Queue", "Properties", "DelaySeconds")) == (4, 19)
    assert t.position(("Resources", "Queue", "Properties", "Tags", 0, "Key")) == (3, 60)
    assert t.position(("Description",)) == (5, 2)
    assert t.position(("Resources", "Queue", "Type")) == (2, 26)
    assert [str(w) for w in t.warnings] == [
        "app.json:3:60: key Key is given twice (also at 3:48); CloudFormation uses this one",
        "app.json:4:19: key DelaySeconds is given twice (also at 3:19); CloudFormation uses this one",
        "app.json:5:2: key Description is given twice (also at 1:2); CloudFormation uses this one",
    ]
    # The same values as a plain JSON reader keeps (the last of each key).
    assert t.data == json.loads(text, parse_int=str, parse_float=str)


def test_a_template_without_duplicates_has_no_warnings():
    assert load_text("t.yaml", "Resources:\n  A:\n    Type: X\n").warnings == []
    assert load_text("t.json", '{"Resources": {"A": {"Type": "X"}}}').warnings == []


def test_many_keys_given_twice_are_told_up_to_a_cap():
    text = "Resources:\n  A:\n    Type: X\n    Metadata:\n" + "".join(f"      k{i}: 1\n      k{i}: 2\n" for i in range(150))
    warnings = load_text("t.yaml", text).warnings
    assert len(warnings) == MAX_WARNINGS + 1
    assert warnings[-1].message == "50 more keys are given more than once; CloudFormation uses the last of each"


def test_cli_a_key_given_twice_is_a_warning_in_every_format(impact, write):
    old = write("old.yaml", "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: 0\n")
    new = write("app.yaml", DUPLICATES_YAML)
    message = "key DelaySeconds is given twice (also at 11:7); CloudFormation uses this one"
    r = impact("diff", old, new)
    assert r.code == 0, r
    assert f"  warning: {new}:12:7: {message}" in r.out
    # The value CloudFormation uses is the one compared.
    assert "/Properties/DelaySeconds  0 → 10" in r.out
    doc = impact("diff", old, new, "--format", "json").json()
    (stack,) = doc["stacks"]
    assert {"kind": "duplicate-key", "file": str(new), "line": 12, "column": 7, "message": message,
            "pointer": "/Resources/Queue/Properties/DelaySeconds"} in stack["warnings"]
    for fmt in ("md", "checklist"):
        out = impact("diff", old, new, "--format", fmt).out
        assert f"> [!WARNING]\n> `{new}:12:7`: {message}\n" in out, fmt
    html = impact("diff", old, new, "--format", "html").out
    assert f'app.yaml:12:7</span>: {message}</p>' in html  # the folders may break after each slash
    github = impact("diff", old, new, "--format", "github").out
    assert f"::warning file={new},line=12,col=7,title=duplicate-key::{message}\n" in github
    sarif = impact("diff", old, new, "--format", "sarif").json()
    (result,) = [x for x in sarif["runs"][0]["results"] if x["message"]["text"] == message]
    assert result["ruleId"] == "template/duplicate-key" and result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 7}


def test_cli_a_key_given_twice_in_the_old_revision_only_is_told_with_its_file(impact, write):
    old = write("old.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Type: AWS::SNS::Topic\n")
    new = write("new.yaml", "Resources:\n  Q:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: t}\n")
    (stack,) = impact("diff", old, new, "--format", "json").json()["stacks"]
    assert [(w["file"], w["line"]) for w in stack["warnings"]] == [(str(old), 4)]
    # The old revision is read as a topic, its last Type: the change is the name, not the type.
    (rd,) = stack["resources"]
    assert rd["type"] == "AWS::SNS::Topic" and "old_type" not in rd
    github = impact("diff", old, new, "--format", "github").out
    assert f"::warning title=duplicate-key::{old}:4:5: key Type is given twice" in github
    # A warning the new revision repeats at the same key is told once, for the new revision.
    (stack,) = impact("diff", old, old, "--format", "json").json()["stacks"]
    assert len(stack["warnings"]) == 1


def test_cli_malformed_json(impact, write):
    # Not JSON, and not YAML either (a trailing comma is YAML: tests/test_reviewer_trust.py).
    bad = write("bad.json", '{"Resources": {"A": {"Type": "X" "Y"}}}')
    good = write("good.yaml", "Resources: {}\n")
    assert_one_line_error(impact("diff", good, bad), str(bad), 1, 34, "Expecting ',' delimiter")


def test_cli_not_utf8(impact, write):
    bad = write("bad.yaml", b"Resources:\n  A:\n    Type: \xff\xfe\n")
    good = write("good.yaml", "Resources: {}\n")
    assert_one_line_error(impact("diff", bad, good), str(bad), 3, 11, "not UTF-8")


def test_cli_not_a_template(impact, write):
    bad = write("list.yaml", "- 1\n- 2\n")
    assert_one_line_error(impact("diff", bad, bad), str(bad), 1, 1, "not a CloudFormation template")
    bad = write("nores.json", '{"Description": "x"}')
    assert_one_line_error(impact("diff", bad, bad), str(bad), 1, 1, "no Resources")


def test_cli_resource_without_type(impact, write):
    bad = write("notype.yaml", "Resources:\n  Queue:\n    Properties: {}\n")
    good = write("good.yaml", "Resources: {}\n")
    assert_one_line_error(impact("diff", good, bad), str(bad), 2, 3, "no Type")



def test_fn_foreach_that_is_not_a_list_is_bad_input():
    with pytest.raises(LoadError) as info:
        load_text("t.yaml", "Resources:\n  Fn::ForEach::Topics:\n    Type: AWS::SNS::Topic\n")
    assert (info.value.line, info.value.col) == (2, 3)
    assert "must be a list" in str(info.value)


def test_error_messages_show_control_characters_instead_of_obeying_them(impact, write):
    bad = write("bad.json", '{"Resources": {"\\u001b[31mRed": {"Properties": {}}}}')
    r = impact("diff", bad, bad)
    assert_one_line_error(r, str(bad), 1, 16, "has no Type")
    assert "\x1b" not in r.err and "\\u001b[31mRed" in r.err
