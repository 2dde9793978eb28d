"""Reports built directly from the model, with every feature the renderers
show: findings of each severity, knock-on changes, overrides, ignores, source
disagreements, notes, changes outside Resources, several stacks; and the same
report with hostile text in every string a template can control."""

from __future__ import annotations

from impact.model import Change, Finding, Report, ResourceDiff, SectionChange, SourceVerdict, StackDiff, TemplateWarning, Verdict
from impact.render.markdown import MARKER

HOSTILE = (
    "</details></summary><details open><script>alert(1)</script>"
    "<img src=x onerror=alert(2)> | a | b | `tick` ``` --> <!-- @team #1 [x](http://evil.example) "
    "${AWS::Region} *bold* _em_ ~~s~~ \\ line\nbreak\r\n \x1b[31mred\u202e"
)
LONG = "x" * 5000 + "-tail"


def _docs(label, note=None):
    return SourceVerdict(source="docs-2023-09-19/page.md", label=label, note=note)


def _schema(label):
    return SourceVerdict(source="schema-2026-10-20/type.json", label=label)


def change(path, label, before, after, *, kind="modify", note=None, cause=None, because=None, override=None,
           ignored=None, disagreement=False, position=(10, 7)):
    sources = [_docs(label, note)] + ([_schema("conditional" if label != "conditional" else "no-interruption")] if disagreement else [])
    keys = tuple(int(k) if k.isdigit() else k for k in path.strip("/").split("/")) if path else ()
    return Change(
        path=path, kind=kind, keys=keys, before=before, after=after, cause=cause, because=because, ignored=ignored,
        position=position,
        verdict=Verdict(label=label, source=sources[0].source, note=note, sources=sources, disagreement=disagreement,
                        override=override),
    )


def sample_report(text=lambda s: s) -> Report:
    """``text`` maps each template-controlled string (IDs, values, reasons)."""
    t = text
    orders = ResourceDiff(
        t("Orders"), "AWS::DynamoDB::Table", "modify", position=(5, 3), construct_path=t("Shop/Orders/Resource"),
        changes=[
            change("/Properties/KeySchema/0/AttributeName", "replacement", t("pk"), t("tenantId"), disagreement=True,
                   position=(9, 11)),
            change("/Properties/Tags/0/Value", "no-interruption", t("orders"), t("orders-v2"), position=(14, 13)),
        ],
    )
    policy = ResourceDiff(
        t("OrdersPolicy"), "AWS::IAM::Policy", "modify", position=(20, 3),
        changes=[change("/Properties/PolicyDocument/Statement/0/Resource", "no-interruption",
                        {"Fn::GetAtt": [t("Orders"), "Arn"]}, {"Fn::GetAtt": [t("Orders"), "Arn"]}, cause=t("Orders"),
                        because=t("Orders") + " is replaced",
                        position=(24, 15))],
    )
    worker = ResourceDiff(
        t("Worker"), "AWS::EC2::Instance", "modify", position=(30, 3),
        changes=[
            change("/Properties/InstanceType", "some-interruptions", t("t3.small"), t("t3.large"),
                   override=t("stopped in the maintenance window anyway"), note=t("the rules say replacement"),
                   position=(32, 21)),
            change("/Properties/UserData", "conditional", t("#!/bin/sh\necho 1\n" + LONG), t("#!/bin/sh\necho 2\n" + LONG),
                   note=t("Replacement if the instance is EBS-backed"), position=(33, 17)),
            change("/Metadata/Build", "unknown", None, t("42"), kind="add", position=(40, 7)),
            change("/Properties/Monitoring", "replacement", "false", "true", ignored=t("monitoring is reviewed by ops"),
                   position=(34, 19)),
        ],
    )
    queue = ResourceDiff(
        t("Queue"), "AWS::SQS::Queue", "modify", position=(50, 3),
        changes=[change("/Properties/VisibilityTimeout", "no-interruption", "30", "60", position=(52, 26))],
    )
    legacy = ResourceDiff(t("LegacyTopic"), "AWS::SNS::Topic", "remove", position=(60, 3))
    events = ResourceDiff(t("Events"), "AWS::SNS::Topic", "add", position=(62, 3))
    custom = ResourceDiff(t("Provisioner"), "Custom::Thing", "modify", position=(70, 3), ignored=t("custom resources are reviewed by their owners"),
                          changes=[change("/Properties/Version", "unknown", "1", "2")])
    retyped = ResourceDiff(t("Cache"), "AWS::ElastiCache::ReplicationGroup", "modify", old_type="AWS::ElastiCache::CacheCluster",
                           position=(80, 3), changes=[change("/Type", "replacement", "AWS::ElastiCache::CacheCluster",
                                                             "AWS::ElastiCache::ReplicationGroup", position=(80, 9))])
    app = StackDiff(
        name=t("prod/app.yaml"), old=t("prod/app.old.yaml"), new=t("prod/app.yaml"),
        resources=[orders, policy, worker, queue, legacy, events, custom, retyped],
        findings=[
            Finding("stateful-replacement", "warning", t("Orders"), t("Orders is replaced: its items are deleted"),
                    path="/Properties/KeySchema", position=(9, 11)),
            Finding("type-change", "error", t("Cache"), t("Cache changes Type: CloudFormation refuses this update"),
                    path="/Type", position=(80, 9)),
            Finding("no-op-update", "info", None, t("Only Metadata changed in one place")),
        ],
        sections=[
            SectionChange("Parameters", t("Env"), "/Parameters/Env/Default", "modify", t("dev"), t("prod")),
            SectionChange("Outputs", t("TableArn"), "/Outputs/TableArn", "remove", {"Value": t("x")}, None),
        ],
        notes=[t("Transform AWS::Serverless-2016-10-31: AWS::Serverless resources are expanded at deploy time")],
        warnings=[TemplateWarning("duplicate-key", t("prod/app.yaml"), 12, 7,
                                  f"key {t('Env')} is given twice (also at 9:7); CloudFormation uses this one",
                                  "/Parameters/" + t("Env"))],
    )
    edge = StackDiff(
        name=t("prod/edge.yaml"), old=t("prod/edge.old.yaml"), new=t("prod/edge.yaml"),
        resources=[ResourceDiff(t("Cdn"), "AWS::CloudFront::Distribution", "modify", position=(3, 3), changes=[
            change("/Properties/DistributionConfig/Comment", "no-interruption", t("a"), t("b"), position=(6, 18))])],
    )
    return Report(stacks=[app, edge], rules_info={"docs": {"source": "docs-2023-09-19"}, "schema": {"schema_date": "2026-10-20"}})


def hostile_report() -> Report:
    return sample_report(lambda s: f"{s}{HOSTILE}")


def big_report(n: int = 2000, changes_per_resource: int = 3) -> Report:
    """``n`` modified resources, a fifth replaced, most with long values."""
    labels = ("no-interruption", "no-interruption", "some-interruptions", "conditional", "replacement")
    resources = []
    for i in range(n):
        label = labels[i % len(labels)]
        changes = [
            change(f"/Properties/Environment/Variables/VAR_{j}", label if j == 0 else "no-interruption",
                   f"arn:aws:sqs:eu-west-1:123456789012:queue-{i}-{j}-" + "a" * 80,
                   f"arn:aws:sqs:eu-west-1:123456789012:queue-{i}-{j}-" + "b" * 80, position=(i * 20 + j + 5, 9))
            for j in range(changes_per_resource)
        ]
        resources.append(ResourceDiff(f"Function{i:04d}", "AWS::Lambda::Function", "modify", changes=changes,
                                      position=(i * 20 + 3, 3), construct_path=f"Big/Function{i:04d}/Resource"))
    stack = StackDiff(name="big.yaml", old="big.old.yaml", new="big.yaml", resources=resources)
    return Report(stacks=[stack])


def hostile_templates(folder) -> tuple:
    """A valid pair of JSON templates with hostile text in every value a
    template author controls, and a config whose reasons are hostile too."""
    import json
    from pathlib import Path

    folder = Path(folder)

    def template(version: str) -> dict:
        tag = f"{HOSTILE} {version}"
        return {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": HOSTILE,
            "Parameters": {"Env": {"Type": "String", "Default": f"{HOSTILE}{version}"}},
            "Resources": {
                "Bucket": {
                    "Type": "AWS::S3::Bucket",
                    "Metadata": {"aws:cdk:path": f"Stack/{HOSTILE}/Resource"},
                    "Properties": {
                        "BucketName": f"name-{version}-{HOSTILE}",
                        "Tags": [{"Key": HOSTILE, "Value": tag}],
                    },
                },
                "Queue": {
                    "Type": "AWS::SQS::Queue",
                    "Properties": {"VisibilityTimeout": 30 if version == "1" else 60,
                                   "Tags": [{"Key": "blob", "Value": LONG + version}]},
                },
                "Thing": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn", "Payload": tag}},
            },
            "Outputs": {"Name": {"Value": {"Ref": "Bucket"}, "Description": tag}},
        }

    old, new = folder / "old.json", folder / "new.json"
    old.write_text(json.dumps(template("1")), encoding="utf-8")
    second = template("2")
    second["Resources"]["Bucket"]["Metadata"]["twice"] = 1
    # A hostile key given twice: a warning that names it.
    twice = f"{json.dumps(HOSTILE)}: 1, {json.dumps(HOSTILE)}: 2"
    new.write_text(json.dumps(second).replace('"twice": 1', twice), encoding="utf-8")
    config = folder / ".impact.yaml"
    config.write_text(
        "ignore:\n  - type: Custom::*\n    reason: " + json.dumps(HOSTILE) + "\n"
        "overrides:\n  - type: AWS::SQS::Queue\n    path: /Properties/VisibilityTimeout\n"
        "    label: some-interruptions\n    reason: " + json.dumps(HOSTILE) + "\n",
        encoding="utf-8",
    )
    return old, new, config


def cells(line: str) -> int:
    """Cells of a Markdown table row (pipes in content are references)."""
    assert line.startswith("|") and line.endswith("|"), line
    return line.count("|") - 1


def assert_md_well_formed(md: str) -> None:
    """Every <details> closed in order, every table row whole."""
    assert md.startswith(MARKER + "\n")
    depth = 0
    lines = md.split("\n")
    for i, line in enumerate(lines):
        depth += line.count("<details") - line.count("</details>")
        assert depth >= 0, (i, line)
        if line.startswith("|"):
            header = i
            while header > 0 and lines[header - 1].startswith("|"):
                header -= 1
            assert cells(line) == cells(lines[header]), (i, line)
    assert depth == 0


# What the docs and the registry schema each say about the two properties
# that disagreeing_tables changes.
KEY_SCHEMA = "replacement (docs 2023-09-19); conditional (schema 2026-10-20)"
ATTRIBUTES = "conditional (docs 2023-09-19); no-interruption (schema 2026-10-20)"


def disagreeing_tables(folder, n: int = 30) -> tuple:
    """A pair of templates in which ``n`` DynamoDB tables rename their key
    attribute: in its KeySchema and its AttributeDefinitions, two properties
    on whose update behaviour the docs and the registry schema disagree, the
    same two disagreements in every table."""
    import json
    from pathlib import Path

    def template(key: str) -> dict:
        return {"Resources": {
            f"Table{i:02d}": {"Type": "AWS::DynamoDB::Table", "Properties": {
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
            }} for i in range(n)
        }}

    old, new = Path(folder) / "old.json", Path(folder) / "new.json"
    old.write_text(json.dumps(template("pk")), encoding="utf-8")
    new.write_text(json.dumps(template("id")), encoding="utf-8")
    return old, new
