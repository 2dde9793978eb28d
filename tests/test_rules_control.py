"""Users' control over the rules: rules show, import-doc, .impact.yaml; template-level facts."""

import json

import pytest

from conftest import SHARED, assert_one_line_error

QUEUE = """\
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
      Tags: [{Key: team, Value: a}]
  T:
    Type: AWS::SNS::Topic
    Properties: {DisplayName: x}
"""
QUEUE_NEW = QUEUE.replace("30", "60").replace("Value: a", "Value: b").replace("DisplayName: x", "DisplayName: y")


def changes(result):
    stack = result.json()["stacks"][0]
    return {(r["logical_id"], c["path"]): c for r in stack["resources"] for c in r["changes"]}, stack


# rules show


def test_rules_show_prints_effective_label_and_every_source(impact):
    r = impact("rules", "show", "AWS::EC2::Instance", "InstanceType")
    assert r.code == 0, r
    assert "effective: conditional" in r.out
    assert "some-interruptions (docs 2023-09-19)" in r.out and "conditional (schema" in r.out
    assert "docs-2023-09-19/aws-properties-ec2-instance.md: some-interruptions" in r.out


def test_rules_show_nested_path_and_constraints(impact):
    r = impact("rules", "show", "AWS::MSK::Cluster", "/BrokerNodeGroupInfo/ClientSubnets")
    assert "effective: replacement" in r.out
    r = impact("rules", "show", "AWS::MSK::Cluster", "BrokerNodeGroupInfo/InstanceType")
    assert "effective: no-interruption" in r.out
    r = impact("rules", "show", "AWS::Lambda::Function", "MemorySize")
    assert "effective: no-interruption" in r.out
    assert "min: 128" in r.out and "max: 10240" in r.out


def test_rules_show_unknown_type(impact):
    r = impact("rules", "show", "Custom::Thing")
    assert r.code == 0 and "unknown" in r.out and "custom resource" in r.out


def test_rules_show_matches_type_names_without_regard_to_case(impact):
    exact = impact("rules", "show", "AWS::RDS::DBInstance", "StorageEncrypted")
    lower = impact("rules", "show", "aws::rds::dbinstance", "StorageEncrypted")
    assert exact.code == lower.code == 0, lower
    assert lower.out == exact.out and lower.out.startswith("AWS::RDS::DBInstance /Properties/StorageEncrypted\n")
    assert "effective: replacement" in lower.out


def test_rules_show_unknown_type_exits_2_with_the_closest_names(impact):
    r = impact("rules", "show", "AWS::S3::Buckit")
    assert_one_line_error(r, contains="AWS::S3::Buckit")
    assert "closest known: AWS::S3::Bucket" in r.err and r.out == ""
    r = impact("rules", "show", "aws::ec2::securitygroupingres")
    assert_one_line_error(r)
    assert "AWS::EC2::SecurityGroupIngress" in r.err.split("closest known:")[1]
    r = impact("rules", "show", "Nothing::Like::This::At::All")
    assert_one_line_error(r, contains="no rules for this resource type")


# import-doc

PRIVATE_PAGE = """\
# Acme::Billing::Ledger<a name="acme-billing-ledger"></a>

## Syntax<a name="acme-billing-ledger-syntax"></a>

```
{
  "Type" : "Acme::Billing::Ledger",
  "Properties" : {
      "[Currency](#acme-ledger-currency)" : String,
      "[Retention](#acme-ledger-retention)" : Retention
    }
}
```

## Properties<a name="acme-billing-ledger-properties"></a>

`Currency`  <a name="acme-ledger-currency"></a>
The ledger's money.  
*Required*: Yes  
*Type*: String  
*Update requires*: [Replacement](https://example.invalid/behaviors.html#update-replacement)

`Retention`  <a name="acme-ledger-retention"></a>
How long entries stay.  
*Required*: No  
*Type*: [Retention](acme-properties-ledger-retention.md)  
*Update requires*: [No interruption](https://example.invalid/behaviors.html#update-no-interrupt)
"""
RETENTION_PAGE = """\
# Acme::Billing::Ledger Retention<a name="acme-properties-ledger-retention"></a>

## Properties<a name="acme-properties-ledger-retention-properties"></a>

`Days`  <a name="acme-ledger-retention-days"></a>
Days kept.  
*Required*: No  
*Type*: Integer  
*Update requires*: [Some interruptions](https://example.invalid/behaviors.html#update-some-interrupt)
"""


def test_import_doc_adds_a_private_type_used_by_diff(impact, write, tmp_path):
    page = write("acme-resource-billing-ledger.md", PRIVATE_PAGE)
    sub = write("acme-properties-ledger-retention.md", RETENTION_PAGE)
    old = write("old.yaml", "Resources:\n  L:\n    Type: Acme::Billing::Ledger\n    Properties: {Currency: EUR, Retention: {Days: 1}}\n")
    new = write("new.yaml", "Resources:\n  L:\n    Type: Acme::Billing::Ledger\n    Properties: {Currency: USD, Retention: {Days: 2}}\n")
    before, _ = changes(impact("diff", old, new, "--format", "json", cwd=tmp_path))
    assert {c["impact"] for c in before.values()} == {"unknown"}

    r = impact("rules", "import-doc", page, sub, cwd=tmp_path)
    assert r.code == 0, r
    assert (tmp_path / ".impact" / "rules" / "Acme-Billing-Ledger.json").is_file()
    after, _ = changes(impact("diff", old, new, "--format", "json", cwd=tmp_path))
    assert after[("L", "/Properties/Currency")]["impact"] == "replacement"
    assert after[("L", "/Properties/Retention/Days")]["impact"] == "some-interruptions"
    assert after[("L", "/Properties/Currency")]["rule"]["source"].startswith("local-")


def test_import_doc_accepts_the_html_form(impact, write, tmp_path):
    html = (
        "<h1>Acme::Billing::Ledger</h1>\n<h2>Syntax</h2>\n<p><code>\n{\n  \"Type\" : \"Acme::Billing::Ledger\",\n}\n</code></p>\n"
        "<h2>Properties<a name=\"p\"></a></h2>\n"
        "<p><code>Currency</code>  <a name=\"acme-ledger-currency\"></a>\nMoney.<br />\n<em>Required</em>: Yes<br />\n"
        "<em>Type</em>: String<br />\n<em>Update requires</em>: <a href=\"https://example.invalid/b.html#update-replacement\">Replacement</a></p>\n"
    )
    page = write("ledger.txt", html)
    r = impact("rules", "import-doc", page, cwd=tmp_path)
    assert r.code == 0, r
    r = impact("rules", "show", "Acme::Billing::Ledger", "Currency", cwd=tmp_path)
    assert "effective: replacement" in r.out


def test_import_doc_rejects_a_page_without_a_type(impact, write, tmp_path):
    page = write("x.md", RETENTION_PAGE)
    r = impact("rules", "import-doc", page, cwd=tmp_path)
    assert r.code == 2 and "resource page" in r.err and "Traceback" not in r.err


# .impact.yaml


def test_config_overrides_and_ignores_are_shown_not_silent(impact, write, tmp_path):
    old, new = write("old.yaml", QUEUE), write("new.yaml", QUEUE_NEW)
    write(".impact.yaml", """\
overrides:
  - type: AWS::SQS::Queue
    path: /Properties/VisibilityTimeout
    label: replacement
    reason: consumers pin the timeout
ignore:
  - path: /Properties/Tags
    reason: tags are managed centrally
  - type: AWS::SNS::*
    reason: topics are reviewed elsewhere
""")
    got, stack = changes(impact("diff", old, new, "--format", "json", cwd=tmp_path))
    vt = got[("Q", "/Properties/VisibilityTimeout")]
    assert vt["impact"] == "replacement" and vt["rule"]["override"] == "consumers pin the timeout"
    assert "no-interruption" in vt["rule"]["note"]
    tag = got[("Q", "/Properties/Tags/0/Value")]
    assert tag["ignored"] == "tags are managed centrally"
    (topic,) = [r for r in stack["resources"] if r["logical_id"] == "T"]
    assert topic["ignored"] == "topics are reviewed elsewhere"
    assert stack["summary"]["ignored"] == 2
    assert stack["summary"]["changes"] == {"replacement": 1}
    text = impact("diff", old, new, cwd=tmp_path).out
    assert "override: consumers pin the timeout" in text and "ignored: tags are managed centrally" in text


def test_a_resource_whose_changes_are_all_ignored_is_not_counted_as_modified(impact, write, tmp_path):
    old = write("old.yaml", QUEUE)
    new = write("new.yaml", QUEUE.replace("Value: a", "Value: b"))
    write(".impact.yaml", "ignore:\n  - path: /Properties/Tags\n    reason: tags are managed centrally\n")
    _, stack = changes(impact("diff", old, new, "--format", "json", cwd=tmp_path))
    assert stack["summary"]["resources"] == {"add": 0, "remove": 0, "modify": 0}
    assert stack["summary"]["ignored"] == 1 and stack["summary"]["changes"] == {}


def test_config_default_fail_on_and_found_upwards(impact, write, tmp_path):
    old, new = write("old.yaml", QUEUE), write("new.yaml", QUEUE_NEW)
    write(".impact.yaml", "fail_on: no-interruption\n")
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    assert impact("diff", old, new, cwd=sub).code == 1
    assert impact("diff", old, new, "--fail-on", "replacement", cwd=sub).code == 0


@pytest.mark.parametrize(
    "text, where, message",
    [
        ("overides: []\n", ":1:1:", "unknown config key"),
        ("overrides:\n  - type: X\n    label: replacement\n", ":2:5:", "needs a reason"),
        ("overrides:\n  - type: X\n    label: bogus\n    reason: r\n", ":3:5:", "label must be one of"),
        ("ignore:\n  - reason: r\n", ":2:5:", "needs a type, a path or both"),
        ("ignore:\n  - path: Properties/X\n    reason: r\n", ":2:5:", "JSON Pointer"),
        ("fail_on: sometimes\n", ":1:1:", "fail_on must be one of"),
        ("fail_on: [\n", ":1:10:", "the '[' here is not closed"),
        ("- a\n", ":1:1:", "not an impact config"),
    ],
)
def test_bad_config_is_a_one_line_error(impact, write, tmp_path, text, where, message):
    old = write("old.yaml", QUEUE)
    cfg = write("cfg.yaml", text)
    r = impact("diff", old, old, "--config", cfg)
    assert_one_line_error(r, contains=message)
    assert r.err.startswith(f"{cfg}{where}"), r.err


# Template-level facts and the schema layer


def test_insertion_order_false_lists_are_multisets(impact, write):
    old = write("old.yaml", "Resources:\n  I:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      SecurityGroupIds: [sg-1, sg-2, sg-3]\n")
    new = write("new.yaml", "Resources:\n  I:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      SecurityGroupIds: [sg-3, sg-1, sg-2]\n")
    r = impact("diff", old, new, "--format", "json")
    assert r.json()["stacks"][0]["resources"] == []
    role_old = write("r1.yaml", "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns: [arn:a, arn:b]\n")
    role_new = write("r2.yaml", "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns: [arn:b, arn:a]\n")
    assert impact("diff", role_old, role_new, "--format", "json").json()["stacks"][0]["resources"] == []


def test_sam_types_are_unknown_not_replacement(impact, write):
    sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: python3.11, MemorySize: 128}\n"
    old, new = write("old.yaml", sam), write("new.yaml", sam.replace("128", "256"))
    got, stack = changes(impact("diff", old, new, "--format", "json"))
    assert got[("F", "/Properties/MemorySize")]["impact"] == "unknown"
    assert any("AWS::Serverless-2016-10-31" in n for n in stack["notes"])


def test_fn_foreach_over_a_deploy_time_collection_is_diffed_as_one_unit(impact, write):
    loop = """\
Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Topics:
    - Name
    - !Ref Names
    - Topic${Name}:
        Type: AWS::SNS::Topic
        Properties: {DisplayName: !Ref Name}
"""
    old, new = write("old.yaml", loop), write("new.yaml", loop.replace("DisplayName: !Ref Name", "DisplayName: x"))
    r = impact("diff", old, new, "--format", "json")
    assert r.code == 0, r
    stack = r.json()["stacks"][0]
    (res,) = stack["resources"]
    assert res["logical_id"] == "Fn::ForEach::Topics" and res["action"] == "modify"
    assert res["changes"][0]["impact"] == "unknown"
    assert "Fn::ForEach::Topics is compared as one unit: its collection is not known offline (parameter Names " \
           "has no Default and no value was given (--parameters))" in stack["notes"]


@pytest.mark.parametrize(
    "rtype, path, docs, schema",
    [
        ("AWS::EC2::Instance", "InstanceType", "some-interruptions", "conditional"),
        ("AWS::RDS::DBInstance", "DBInstanceClass", "some-interruptions", "no-interruption"),
        ("AWS::MSK::Cluster", "BrokerNodeGroupInfo/ClientSubnets", "replacement", "replacement"),
        ("AWS::MSK::Cluster", "BrokerNodeGroupInfo/InstanceType", "no-interruption", "no-interruption"),
        ("AWS::Lambda::Function", "MemorySize", "no-interruption", "no-interruption"),
    ],
)
def test_known_facts_per_source(rtype, path, docs, schema):
    from impact.classify.labels import classify_property
    from impact.model import worst
    from impact.classify.rules import RuleBook

    rules = RuleBook().for_type(rtype)
    keys = tuple(path.split("/"))
    v = classify_property(rules, keys)
    by_source = {}
    for s in v.sources:
        by_source.setdefault(s.source.split("-")[0], []).append(s.label)
    assert worst(by_source["docs"]) == docs
    assert worst(by_source["schema"]) == schema
    assert v.label == worst([docs, schema])


def test_table_covers_every_schema_type_and_every_doc_page():
    from impact.paths import rules_dir

    schema = {p.name for p in (rules_dir() / "schema").glob("*.json") if not p.name.startswith("_")}
    docs = {p.name for p in (rules_dir() / "docs").glob("*.json") if not p.name.startswith("_")}
    meta = json.loads((rules_dir() / "schema" / "_meta.json").read_text())
    assert len(schema) == meta["types"] > 1800
    assert len(docs) > 1100
    assert meta["cfn_lint"] and meta["schema_date"]


@pytest.mark.skipif(not (SHARED / "cfn-docs").is_dir(), reason="../shared/cfn-docs is absent")
def test_every_doc_resource_page_has_a_table_entry():
    import re

    from impact.paths import rules_dir

    pages = (SHARED / "cfn-docs" / "doc_source").glob("aws-resource-*.md")
    missing = []
    for page in pages:
        m = re.search(r'"Type" : "([A-Za-z0-9:]+)"', page.read_text(encoding="utf-8"))
        if m and m[1] in page.read_text(encoding="utf-8").splitlines()[0]:
            if not (rules_dir() / "docs" / (m[1].replace("::", "-") + ".json")).is_file():
                missing.append(m[1])
    assert missing == []
