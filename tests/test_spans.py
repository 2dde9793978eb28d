"""Resources read from spans of the text (impact/load/spans.py): the same
answers as reading every resource, with only what differs read."""

import copy
import json

import pytest

from bench.generate import generate_pair, to_json, to_yaml
from impact.classify.rules import RuleBook
from impact.load.loader import LoadError, load_text
from impact.load.spans import Resources, scan_yaml
from impact.model import Report
from impact.pipeline import diff_templates
from impact.render import render

BOOK = RuleBook()
FORMATS = {"json": to_json, "yaml": to_yaml}


def stack(n: int = 40):
    old, _ = generate_pair(n)
    return old


def report(old_text: str, new_text: str, fmt: str, spans: bool) -> dict:
    old = load_text(f"old.{fmt}", old_text, spans=spans)
    new = load_text(f"new.{fmt}", new_text, spans=spans)
    if spans:
        assert isinstance(old.resources, Resources) and isinstance(new.resources, Resources)
    else:
        assert type(old.resources) is dict
    out = json.loads(render(Report(stacks=[diff_templates(old, new, BOOK, name="s")]), "json"))
    return out["stacks"]


def first(template: dict, rtype: str) -> dict:
    return next(r for r in template["Resources"].values() if r["Type"] == rtype)


def default(t):
    t["Parameters"]["LogRetentionDays"]["Default"] = "60"


def mapping(t):
    t["Mappings"]["EnvConfig"]["prod"]["LogLevel"] = "ERROR"


def condition(t):
    t["Conditions"]["IsProd"] = {"Fn::Equals": [{"Ref": "Env"}, "production"]}


def removed(t):
    role = next(lid for lid, r in t["Resources"].items() if r["Type"] == "AWS::IAM::Role")
    del t["Resources"][role]


def replaced(t):
    first(t, "AWS::DynamoDB::Table")["Properties"]["TableName"] = "renamed"


def edited(t):
    first(t, "AWS::Lambda::Function")["Properties"]["MemorySize"] = 3008
    first(t, "AWS::SQS::Queue")["Properties"]["VisibilityTimeout"] = 777


def added(t):
    t["Resources"]["ExtraTopic"] = {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "x"}}


def retyped(t):
    lid = next(lid for lid, r in t["Resources"].items() if r["Type"] == "AWS::SQS::Queue")
    t["Resources"][lid]["Type"] = "AWS::SNS::Topic"


CHANGES = [default, mapping, condition, removed, replaced, edited, added, retyped]


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("fmt", FORMATS)
def test_spans_give_the_report_reading_every_resource_gives(fmt, change):
    """Parameters, conditions and mappings change what resources whose text is
    the same resolve to: those are read through the text that names them."""
    old = stack()
    new = copy.deepcopy(old)
    change(new)
    old_text, new_text = FORMATS[fmt](old), FORMATS[fmt](new)
    lazy = report(old_text, new_text, fmt, spans=True)
    assert lazy == report(old_text, new_text, fmt, spans=False)
    assert lazy[0]["resources"] or lazy[0]["sections"]


def test_a_changed_default_reads_the_resources_naming_it_and_reports_them():
    old = stack(300)
    new = copy.deepcopy(old)
    default(new)
    # What names it, or a condition that reads it.
    names = ("LogRetentionDays", "ExpireLogs", "HasLogRetention")
    naming = {lid for lid, r in new["Resources"].items() if any(name in json.dumps(r) for name in names)}
    assert 10 < len(naming) < 60
    o, n = load_text("old.json", to_json(old)), load_text("new.json", to_json(new))
    s = diff_templates(o, n, BOOK)
    assert {rd.logical_id for rd in s.resources} <= naming  # identical text, changed value: reported
    assert len(s.resources) > 10
    assert {c.cause for rd in s.resources for c in rd.changes} == {"Parameter LogRetentionDays", "Condition ExpireLogs"}
    # Read: what names them, and what names a Condition (whether a resource exists may change).
    conditioned = {lid for lid, r in new["Resources"].items() if "Condition" in json.dumps(r)}
    assert set(n.resources.cache) <= naming | conditioned and set(o.resources.cache) <= naming | conditioned
    assert len(n.resources.cache) < len(new["Resources"]) / 2


def test_identical_text_is_never_read():
    old = stack(100)
    new = copy.deepcopy(old)
    edited(new)
    for fmt, write in FORMATS.items():
        o, n = load_text(f"old.{fmt}", write(old)), load_text(f"new.{fmt}", write(new))
        s = diff_templates(o, n, BOOK)
        assert len(s.resources) == 2
        assert o.resources.decodes == n.resources.decodes == 2


YAML = """\
Parameters:
  Env: {Type: String}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      MaximumMessageSize: 1024
      MaximumMessageSize: 2048
  # a comment between members
  Topic:
    Type: 'AWS::SNS::Topic'   # quoted
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${Env}-data"
Outputs:
  Name: {Value: !Ref Bucket}
"""


def test_yaml_members_are_found_by_their_lines():
    t = load_text("t.yaml", YAML)
    r = t.resources
    assert isinstance(r, Resources) and list(r) == ["Queue", "Topic", "Bucket"]
    assert r.types == {"Queue": "AWS::SQS::Queue", "Topic": "AWS::SNS::Topic", "Bucket": "AWS::S3::Bucket"}
    assert r.decodes == 0
    assert t.position(("Resources", "Topic")) == (10, 3)
    assert t.position(("Resources", "Bucket", "Properties", "BucketName")) == (15, 7)
    assert r.decodes == 1 and r["Bucket"] == {"Type": "AWS::S3::Bucket",
                                              "Properties": {"BucketName": {"Fn::Sub": "${Env}-data"}}}
    # A key given twice inside a resource is told when the resource is read, in the order of the text.
    assert t.warnings == []
    assert r["Queue"]["Properties"]["MaximumMessageSize"] == "2048"
    assert [str(w) for w in t.warnings] == [
        "t.yaml:8:7: key MaximumMessageSize is given twice (also at 7:7); CloudFormation uses this one"]
    assert t.warnings[0].pointer == "/Resources/Queue/Properties/MaximumMessageSize"
    assert r.naming("Env") == ["Bucket"] and r.naming("Queue") == ["Queue"]
    assert dict(r) == load_text("t.yaml", YAML, spans=False).resources


@pytest.mark.parametrize("text", [
    "Resources:\n  A: &a\n    Type: AWS::SNS::Topic\n  B: *a\n",  # an alias: the same text may mean another value
    "Resources:\n  A:\n    <<: {Type: X}\n",  # a merge key
    "%YAML 1.1\n---\nResources:\n  A:\n    Type: AWS::SNS::Topic\n",  # a directive
    "Resources:\n  A:\n    Type: AWS::SNS::Topic\n---\nResources: {}\n",  # two documents
    "Resources: {A: {Type: AWS::SNS::Topic}}\n",  # flow style
    "Resources:\n\tA:\n\t\tType: AWS::SNS::Topic\n",  # tabs
    "Resources:\n  A-b:\n    Type: AWS::SNS::Topic\n",  # not a logical ID CloudFormation takes
    "Resources:\n  A:\n    Type: AWS::SNS::Topic\nOther:\n  x: 1\n",  # a key after Resources that is no section
    "Resources:\n  A:\n    Type: AWS::SNS::Topic\r  B:\n    Type: AWS::SNS::Topic\r",  # lines that end in \r
    "Transform: AWS::Serverless-2016-10-31\nResources:\n  A:\n    Type: AWS::SNS::Topic\n",  # expanded whole
    # a quoted scalar over several lines, holding a line that looks like a member
    "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      Name: \"x\n  B:\n    Type: AWS::SNS::Topic\n    Properties:\n      Name: y\"\n",
    "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      Name: 'x\n  B:\n    Type: AWS::SNS::Topic\n    Properties:\n      Name: y'\n",
])
def test_what_a_line_scan_cannot_vouch_for_is_read_whole(text):
    try:
        whole = load_text("t.yaml", text, spans=False)
    except LoadError as e:
        with pytest.raises(LoadError) as got:
            load_text("t.yaml", text)
        assert str(got.value) == str(e)
        return
    t = load_text("t.yaml", text)
    assert type(t.resources) is dict and t.data == whole.data


@pytest.mark.parametrize("member", [
    "  A:\n    Type: AWS::SNS::Topic\n    Properties: [x]\n",
    "  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      - x\n",
    "  A:\n    Type: AWS::SNS::Topic\n    Properties: scalar\n",
    "  A:\n    Properties: {}\n",
    "  A:\n    Type: !Ref X\n",
    "  A:\n    Type:\n",
    "  A:\n",
    "  A:\n    Type: AWS::SNS::Topic\n   Bad: indentation\n",
    "  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      Name: \"unclosed\n",
])
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_bad_input_in_a_changed_resource_is_still_bad_input(member, fmt):
    """What the scan cannot vouch for is read when the template is, and a
    resource whose text changed is read: the same error as reading it all."""
    old = "Resources:\n  Z:\n    Type: AWS::SNS::Topic\n"
    new = old + member
    if fmt == "json":
        import yaml

        try:
            old, new = json.dumps(yaml.safe_load(old)), json.dumps(yaml.safe_load(new))
        except yaml.YAMLError:
            pytest.skip("not YAML either")

    def run(spans: bool):
        try:
            old_t, new_t = load_text(f"old.{fmt}", old, spans=spans), load_text(f"new.{fmt}", new, spans=spans)
            return render(Report(stacks=[diff_templates(old_t, new_t, BOOK, name="s")]), "json")
        except LoadError as e:
            return str(e)

    assert run(True) == run(False)


@pytest.mark.parametrize("value", [
    "!Rain::Embed file.txt",  # a tag impact does not know
    "!Su 'arn:aws:s3:::x'",  # a mistyped one
    "!Sub %BUCKET_NAME%",  # a build tool's placeholder: a character that cannot start a value
    "@NAME@",
    "[a, `b`]",
    "!GetAtt Queue",  # no attribute
])
def test_a_fault_in_text_the_same_in_both_revisions_is_told(value):
    """Faults the whole reading tells wherever they are (a tag impact does not
    know, a reserved character where a value starts, a !GetAtt without its
    dot) are told even in a resource whose text is the same in both revisions."""
    text = f"Resources:\n  Z:\n    Type: AWS::SNS::Topic\n    Properties:\n      Name: {value}\n"
    new = text + "  Y:\n    Type: AWS::SNS::Topic\n"
    with pytest.raises(LoadError) as whole:
        load_text("t.yaml", text, spans=False)
    for path, t in (("t.yaml", text), ("new.yaml", new)):
        with pytest.raises(LoadError) as got:
            old = load_text("t.yaml", text)
            diff_templates(old, load_text(path, t, like=old), BOOK)
        assert str(got.value) == str(whole.value)


def test_what_only_looks_like_a_fault_inside_a_string_is_read_from_spans():
    text = "Resources:\n  Z:\n    Type: AWS::SNS::Topic\n    Properties:\n      Name: '[ ! -d x ] 50% user@example.com'\n"
    t = load_text("t.yaml", text)
    assert isinstance(t.resources, Resources) and dict(t.resources) == load_text("t.yaml", text, spans=False).resources


@pytest.mark.parametrize("fmt", FORMATS)
def test_positions_are_those_of_the_whole_read(fmt):
    text = FORMATS[fmt](stack(30))
    lazy, whole = load_text(f"t.{fmt}", text), load_text(f"t.{fmt}", text, spans=False)
    paths = []

    def walk(value, path):
        paths.append(path)
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + (i,))

    walk(whole.data, ())
    assert [lazy.position(p) for p in paths] == [whole.position(p) for p in paths]


def test_a_scan_reads_the_lines_once():
    """The scan's cost follows the text; members are many, their patterns compiled once."""
    text = to_yaml(stack(200))
    skeleton = scan_yaml(text)
    assert skeleton is not None and len(skeleton.spans) == 200 and None not in skeleton.types.values()
    assert skeleton.masked.count("\n") == text.count("\n")
