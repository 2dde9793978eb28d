"""Change sets: ``impact changeset`` and ``impact diff --change-set``,
through the command line, on fixtures written from the CloudFormation API
reference (DescribeChangeSet, Change, ResourceChange, ResourceChangeDetail,
ResourceTargetDefinition, LiveResourceDrift)."""

import json
from html.parser import HTMLParser

import pytest

from conftest import REPO, assert_one_line_error
from test_escaping import assert_markdown_inert

DATA = REPO / "tests" / "data" / "changeset"
ROOT, PAGE2, NESTED = DATA / "root.json", DATA / "root-page2.json", DATA / "network.json"
OLD, NEW = DATA / "old.yaml", DATA / "new.yaml"
FORMATS = ("text", "md", "html", "json", "checklist", "sarif", "github")


def resource(doc, stack_index, logical_id):
    return next(r for r in doc["stacks"][stack_index]["resources"] if r["logical_id"] == logical_id)


def change(rd, path):
    return next(c for c in rd["changes"] if c["path"] == path)


# -- impact changeset --------------------------------------------------------


def test_changeset_text_shows_every_answer(impact):
    r = impact("changeset", ROOT, PAGE2, NESTED)
    assert r.code == 0, r
    out = r.out
    # Stacks: the root under its stack name, the nested one below it.
    assert "app: deployed → " in out and "app/Network: deployed → " in out
    # Pages of one change set are joined: the second page's resources are here.
    assert "+ Imported  AWS::SNS::Topic  imported" in out  # an Import is shown as one
    assert "- OldAlarm  AWS::CloudWatch::Alarm  removed" in out
    # AWS's answer is the label; the rules' is kept beside it.
    assert "~ Table  AWS::DynamoDB::Table  replacement" in out
    assert "disagreement: offline: conditional; change set: replacement, Static" in out
    # Dynamic action and a Dynamic evaluation of a conditional recreation.
    assert "~ Setup  Custom::Setup  conditional" in out
    assert "change set: Action Dynamic, Replacement Conditional" in out
    # SyncWithActual with drift from a drift-aware change set.
    assert "change set: Action SyncWithActual" in out
    assert "drift: actual 14 (last deployed 7)" in out
    assert "the before value is the resource's actual state" in out
    assert "deployment mode REVERT_DRIFT" in out
    # Parameters, with a resolved SSM value.
    assert "parameters: Env=prod, DbHost=/app/db-host → db.internal.example.com" in out
    # A change caused by a parameter says so.
    assert "knock-on: changes because Parameter Env has a new value" in out
    assert "1 disagreement with the change set" in out


def test_changeset_json_keeps_the_change_sets_facts(impact):
    r = impact("changeset", ROOT, PAGE2, NESTED, "--format", "json")
    assert r.code == 0, r
    doc = r.json()
    assert doc["schema_version"] == 1
    root, nested = doc["stacks"]
    assert root["name"] == "app" and nested["name"] == "app/Network"
    assert root["change_set"]["Status"] == "CREATE_COMPLETE"
    assert root["change_set"]["DeploymentMode"] == "REVERT_DRIFT"
    assert nested["change_set"]["ParentChangeSetId"] == root["change_set"]["ChangeSetId"]
    assert root["summary"]["disagreements"] == 1

    bucket = resource(doc, 0, "Bucket")
    facts = bucket["change_set"]
    assert facts["Action"] == "Modify" and facts["Replacement"] == "True"
    assert facts["PolicyAction"] == "ReplaceAndDelete" and facts["HookInvocationCount"] == 1
    assert json.loads(facts["BeforeContext"]) == {"Properties": {"BucketName": "app-staging-data"}}
    assert json.loads(facts["AfterContext"]) == {"Properties": {"BucketName": "app-prod-data-v2"}}
    name = change(bucket, "/Properties/BucketName")
    assert name["impact"] == "replacement"
    sources = {d["ChangeSource"] for d in name["change_set"]}
    assert sources == {"DirectModification", "ParameterReference"}
    target = name["change_set"][0]["Target"]
    assert target["RequiresRecreation"] == "Always" and target["BeforeValue"] == "app-staging-data"
    assert target["AfterValue"] == "app-prod-data-v2" and name["change_set"][0]["Evaluation"] == "Static"

    queue = resource(doc, 0, "Queue")
    assert queue["change_set"]["ResourceDriftStatus"] == "MODIFIED"
    assert queue["change_set"]["ResourceDriftIgnoredAttributes"][0]["Reason"] == "WRITE_ONLY_PROPERTY"
    timeout = change(queue, "/Properties/VisibilityTimeout")["change_set"][0]["Target"]
    assert timeout["Drift"]["ActualValue"] == "45" and timeout["BeforeValueFrom"] == "ACTUAL_STATE"
    assert timeout["AfterValueFrom"] == "TEMPLATE"

    table = change(resource(doc, 0, "Table"), "/Properties/AttributeDefinitions")
    assert table["offline"] == "conditional" and table["impact"] == "replacement" and table["disagrees"] is True

    setup = resource(doc, 0, "Setup")
    assert setup["change_set"]["Action"] == "Dynamic" and setup["impact"] == "conditional"
    logs = resource(doc, 1, "Logs")
    assert logs["change_set"]["Action"] == "SyncWithActual"
    assert change(logs, "/Properties/RetentionInDays")["change_set"][0]["Target"]["AttributeChangeType"] == "SyncWithActual"
    assert resource(doc, 0, "OldAlarm")["change_set"]["ModuleInfo"]["TypeHierarchy"] == "My::Alarms::Module"
    assert resource(doc, 0, "Imported")["action"] == "import"
    network = resource(doc, 0, "Network")
    assert network["change_set"]["ChangeSetId"] == nested["change_set"]["ChangeSetId"]


def test_truncated_values_stay_text(impact):
    """AWS cuts large values: a cut JSON object is shown as the text AWS gave."""
    doc = impact("changeset", ROOT, "--format", "json").json()
    env = change(resource(doc, 0, "Function"), "/Properties/Environment")
    assert env["after"] == '{"Variables":{"DB_HOST":"db.internal.exa'
    assert env["before"] == {"Variables": {"DB_HOST": "db.old.example.com"}}
    text = impact("changeset", ROOT).out
    assert '"{\\"Variables\\":{\\"DB_HOST\\":\\"db.internal.exa"' in text  # a string: its quotes escaped


@pytest.mark.parametrize("fmt", FORMATS)
def test_changeset_every_format(impact, fmt):
    r = impact("changeset", ROOT, PAGE2, NESTED, "--format", fmt)
    assert r.code == 0, r
    assert "Table" in r.out
    if fmt in ("text", "md", "html", "checklist"):
        assert "disagreement" in r.out
    if fmt == "sarif":
        json.loads(r.out)


def test_changeset_fail_on(impact):
    assert impact("changeset", ROOT, "--fail-on", "replacement").code == 1
    # No findings without templates, but a replacement is an error of the verdict.
    assert impact("changeset", NESTED, "--fail-on", "error").code == 1


def test_no_changes_change_set(impact, write):
    path = write(
        "none.json",
        json.dumps(
            {
                "ChangeSetName": "x",
                "ChangeSetId": "arn:x",
                "StackName": "app",
                "Status": "FAILED",
                "StatusReason": "The submitted information didn't contain changes. Submit different information to create a change set.",
                "Changes": [],
            }
        ),
    )
    r = impact("changeset", path)
    assert r.code == 0, r
    assert "no changes" in r.out and "didn't contain changes" in r.out


# -- impact diff --change-set ------------------------------------------------


@pytest.fixture(scope="module")
def merged():
    from conftest import run_impact

    r = run_impact("diff", OLD, NEW, "--change-set", ROOT, "--change-set", PAGE2, "--change-set", NESTED, "-f", "json")
    assert r.code == 0, r
    return r.json()


def test_merge_change_set_label_wins_and_offline_is_kept(merged):
    table = resource(merged, 0, "Table")
    attr = change(table, "/Properties/AttributeDefinitions/0/AttributeName")
    assert attr["impact"] == "replacement" and attr["offline"] == "conditional" and attr["disagrees"] is True
    key = change(table, "/Properties/KeySchema/0/AttributeName")
    assert key["offline"] == "replacement" and key["disagrees"] is False
    assert merged["stacks"][0]["summary"]["disagreements"] == 1


def test_merge_adds_what_only_the_change_set_sees(merged):
    function = resource(merged, 0, "Function")
    assert function["only"] == "change set"
    description = change(function, "/Properties/Description")
    assert description["only"] == "change set"
    assert description["cause"] == "Parameter Env" and description["because"] == "Parameter Env has a new value"
    assert description["before"] == "staging" and description["after"] == "prod"
    dynamic = change(function, "/Properties/Environment")
    assert dynamic["change_set"][0]["Evaluation"] == "Dynamic"
    assert resource(merged, 0, "Imported")["only"] == "change set"
    assert resource(merged, 1, "Logs")["only"] == "change set"


def test_merge_marks_what_only_the_template_sees(merged):
    assert resource(merged, 0, "Topic")["only"] == "template"
    queue = resource(merged, 0, "Queue")
    assert change(queue, "/Properties/MessageRetentionPeriod")["only"] == "template"
    assert "only" not in change(queue, "/Properties/VisibilityTimeout")


def test_merge_nested_change_set_goes_to_the_nested_stack(merged):
    nested = merged["stacks"][1]
    assert nested["name"].endswith("new.yaml/Network")
    assert nested["change_set"]["StackName"] == "app-Network-1A2B3C"
    vpc = change(resource(merged, 1, "Vpc"), "/Properties/CidrBlock")
    assert vpc["change_set"][0]["Target"]["RequiresRecreation"] == "Always"


def test_merge_text_shows_the_disagreement(impact):
    r = impact("diff", OLD, NEW, "--change-set", ROOT, "--change-set", NESTED)
    assert r.code == 0, r
    assert "disagreement: offline: conditional; change set: replacement, Static" in r.out
    assert "only in the template diff: the change set does not list this resource" in r.out
    assert "only in the change set (ParameterReference Env)" in r.out
    assert "1 disagreement with the change set" in r.out


@pytest.mark.parametrize("fmt", FORMATS)
def test_merge_every_format(impact, fmt):
    r = impact("diff", OLD, NEW, "--change-set", ROOT, "--change-set", NESTED, "--format", fmt)
    assert r.code == 0, r
    if fmt != "json":
        assert "disagreement" in r.out


TABLE_OLD = """
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
  Reader:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !GetAtt Table.Arn
"""


def _table_change_set(rr):
    return {
        "ChangeSetName": "c",
        "ChangeSetId": "arn:c",
        "StackName": "s",
        "Status": "CREATE_COMPLETE",
        "Changes": [
            {
                "Type": "Resource",
                "ResourceChange": {
                    "Action": "Modify",
                    "LogicalResourceId": "Table",
                    "ResourceType": "AWS::DynamoDB::Table",
                    "Replacement": "True" if rr == "Always" else "False",
                    "Details": [
                        {
                            "Target": {
                                "Attribute": "Properties",
                                "Name": "AttributeDefinitions",
                                "Path": "/Properties/AttributeDefinitions",
                                "RequiresRecreation": rr,
                            },
                            "Evaluation": "Static",
                            "ChangeSource": "DirectModification",
                        }
                    ],
                },
            }
        ],
    }


def test_findings_and_knock_on_use_the_merged_labels(impact, write):
    """Offline, an edited AttributeDefinition is only conditional; the change
    set says the table is replaced: the stateful finding and the knock-on
    on its referrer follow AWS's answer."""
    old = write("t-old.yaml", TABLE_OLD)
    new = write("t-new.yaml", TABLE_OLD.replace("AttributeType: S}]", "AttributeType: N}]"))
    offline = impact("diff", old, new, "-f", "json").json()["stacks"][0]
    maybe = [f for f in offline["findings"] if f["id"] == "stateful-replacement"]
    assert maybe[0]["severity"] == "warning" and maybe[0]["message"].startswith("Table may be replaced")
    cs = write("cs.json", json.dumps(_table_change_set("Always")))
    doc = impact("diff", old, new, "--change-set", cs, "-f", "json").json()["stacks"][0]
    finding = [f for f in doc["findings"] if f["id"] == "stateful-replacement"]
    assert finding[0]["severity"] == "error" and finding[0]["message"].startswith("Table is replaced")
    reader = next(r for r in doc["resources"] if r["logical_id"] == "Reader")
    assert reader["changes"][0]["because"] == "Table is replaced"
    # And the reverse: AWS says it is not replaced.
    cs = write("cs2.json", json.dumps(_table_change_set("Never")))
    doc = impact("diff", old, new, "--change-set", cs, "-f", "json").json()["stacks"][0]
    table = next(r for r in doc["resources"] if r["logical_id"] == "Table")
    assert table["impact"] == "no-interruption"
    assert not [r for r in doc["resources"] if r["logical_id"] == "Reader"]
    assert not [f for f in doc["findings"] if f["id"] == "stateful-replacement"]


def test_rules_disagreements_from_a_saved_report(impact, tmp_path):
    saved = tmp_path / "merged.json"
    r = impact("diff", OLD, NEW, "--change-set", ROOT, "--change-set", NESTED, "-f", "json", "-o", saved)
    assert r.code == 0, r
    r = impact("rules", "disagreements", saved)
    assert r.code == 0, r
    lines = r.out.splitlines()
    assert lines[0].split("  ") == [
        str(NEW),
        "Table",
        "AWS::DynamoDB::Table",
        "/Properties/AttributeDefinitions/0/AttributeName",
        "offline: conditional; change set: replacement, Static",
    ]
    assert lines[-1].startswith("1 disagreement")


def test_rules_disagreements_bad_report(impact, write):
    assert_one_line_error(impact("rules", "disagreements", write("r.json", '{"stacks": [}')), line=1, col=13)
    assert_one_line_error(impact("rules", "disagreements", write("r2.json", '{"a": 1}')), contains="not a JSON report")


# -- untrusted input -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, col, message",
    [
        ('{\n  "Changes": [\n    {"Type": "Resource",,}\n  ]\n}', 3, 25, "Expecting"),
        ('{"Changes": {}}', 1, 2, "Changes must be a list"),
        ('{"ChangeSetId": "x", "Changes": [{"ResourceChange": {"Action": [], "LogicalResourceId": "A"}}]}', 1, 54, "must be a string"),
        ('{"Changes": [{"ResourceChange": {"LogicalResourceId": "A"}}]}', 1, 15, "has no Action"),
        ('{"Changes": [{"ResourceChange": {"Action": "Modify", "LogicalResourceId": "A", "Details": [{"Target": []}]}}]}', 1, 93, "must be an object"),
        ('{"Changes": [], "Changes": []}', 1, 17, "duplicate key"),
        ('[1]', 1, 1, "not a change set"),
        ('{"Stacks": []}', 1, 1, "not a change set"),
        ('', 1, 1, "empty file"),
    ],
)
def test_malformed_change_set(impact, write, text, line, col, message):
    path = write("bad.json", text)
    assert_one_line_error(impact("changeset", path), path=path, line=line, col=col, contains=message)
    assert_one_line_error(impact("diff", OLD, NEW, "--change-set", path), path=path, line=line, col=col)


def test_change_set_size_cap_and_bytes(impact, write):
    big = write("big.json", json.dumps({"ChangeSetId": "x", "Changes": [], "Description": "x" * 5000}))
    assert_one_line_error(impact("changeset", big, "--max-bytes", "1000"), path=big, contains="limit")
    binary = write("bin.json", b'{"Changes": [\xff]}')
    assert_one_line_error(impact("changeset", binary), path=binary, line=1, col=14, contains="UTF-8")
    missing = impact("changeset", DATA / "missing.json")
    assert_one_line_error(missing, contains="No such file")
    assert missing.err == f"{DATA / 'missing.json'}: No such file or directory\n"  # no made-up position


def test_a_template_given_as_a_change_set(impact, write):
    """A YAML file is no change set: said where its text starts, and what to run instead."""
    path = write("t.yaml", "\n# a template\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    assert_one_line_error(impact("changeset", path), path=path, line=2, col=1,
                          contains="not a change set (the JSON of describe-change-set)")
    assert "this is a template; compare two with impact diff OLD NEW" in impact("changeset", path).err
    other = write("notes.txt", "  hello\n")
    r = impact("changeset", other)
    assert_one_line_error(r, path=other, line=1, col=3, contains="a JSON object starting with '{'")
    assert "compare two" not in r.err
    assert_one_line_error(impact("diff", OLD, NEW, "--change-set", path), path=path, line=2, col=1)


def test_two_root_change_sets_are_refused(impact):
    assert_one_line_error(impact("diff", OLD, NEW, "--change-set", ROOT, "--change-set", DATA / "other-root.json"),
                          contains="second root change set")


HOSTILE = "</details><script>alert(1)</script> @team #1 ::error::x \x1b[31m\u202e [x](http://e.v) ${X}"


def _hostile_change_set():
    return {
        "ChangeSetName": HOSTILE,
        "ChangeSetId": "arn:h",
        "StackName": "h",
        "StatusReason": HOSTILE,
        "Parameters": [{"ParameterKey": "P", "ParameterValue": HOSTILE}],
        "Changes": [
            {
                "Type": "Resource",
                "ResourceChange": {
                    "Action": "Modify",
                    "LogicalResourceId": "Res",
                    "ResourceType": "AWS::SNS::Topic",
                    "PhysicalResourceId": HOSTILE,
                    "Replacement": "True",
                    "Details": [
                        {
                            "Target": {
                                "Attribute": "Properties",
                                "Name": "TopicName",
                                "Path": "/Properties/TopicName",
                                "RequiresRecreation": "Always",
                                "BeforeValue": HOSTILE,
                                "AfterValue": HOSTILE + "2",
                                "Drift": {"ActualValue": HOSTILE, "PreviousValue": "p"},
                            },
                            "Evaluation": "Static",
                            "ChangeSource": "ParameterReference",
                            "CausingEntity": HOSTILE,
                        }
                    ],
                },
            }
        ],
    }


def test_change_set_text_is_escaped_in_every_format(impact, write):
    path = write("hostile.json", json.dumps(_hostile_change_set()))
    for fmt in FORMATS:
        r = impact("changeset", path, "--format", fmt)
        assert r.code == 0, (fmt, r)
        if fmt != "json":  # JSON carries the text as data, escaped by the encoder
            assert "\x1b" not in r.out and "\u202e" not in r.out, fmt
        if fmt == "md":
            assert_markdown_inert(r.out.replace(path.name, "file"))
        if fmt == "html":
            assert "<script>alert" not in r.out
            HTMLParser().feed(r.out)
        if fmt == "github":
            for line in r.out.splitlines():
                assert line.startswith(("::error ", "::warning ", "::notice ")), line  # no command of its own
        if fmt in ("json", "sarif"):
            json.loads(r.out)


EXAMPLES = REPO / "examples"


def test_dynamic_replacement_is_certain_only_where_the_diff_is(impact):
    """Always with a Dynamic evaluation: AWS cannot tell whether the value
    changes.  Read alone it is conditional; merged with a diff that edits the
    value, or that knocks on from a certain replacement, it is a replacement."""
    alone = impact("changeset", EXAMPLES / "changeset.json", "-f", "json").json()
    policy = resource(alone, 0, "ArtifactBucketPolicy")
    assert change(policy, "/Properties/Bucket")["impact"] == "conditional"
    merged = impact(
        "diff", EXAMPLES / "old.yaml", EXAMPLES / "new.yaml", "--change-set", EXAMPLES / "changeset.json", "-f", "json"
    ).json()
    policy = resource(merged, 0, "ArtifactBucketPolicy")
    assert "only" not in policy  # the knock-on stage finds it too
    bucket = change(policy, "/Properties/Bucket")
    assert bucket["impact"] == "replacement" and bucket["because"] == "ArtifactBucket is replaced"
    statement = change(policy, "/Properties/PolicyDocument/Statement/0/Resource")
    assert statement["change_set"][0]["ChangeSource"] == "ResourceAttribute"
    data_url = change(resource(merged, 0, "ModelPackage"), "/Properties/InferenceSpecification/Containers/0/ModelDataUrl/Fn::Sub")
    assert data_url["impact"] == "replacement" and data_url["change_set"][0]["Evaluation"] == "Dynamic"
    description = change(resource(merged, 0, "ModelPackage"), "/Properties/ModelPackageDescription")
    assert description["disagrees"] is True and description["offline"] == "replacement"
    assert description["impact"] == "no-interruption"


# -- what a change set does not give, and imports -------------------------------


def test_a_value_the_change_set_does_not_give_is_said_so_in_every_format(impact):
    """AWS gives no value for HealthCheckConfig/Type: never "(none) → (none)",
    which reads as "nothing changes", nor "(not set)"."""
    cs = EXAMPLES / "changeset.json"
    text = impact("changeset", cs).out
    assert "/Properties/HealthCheckConfig/Type  values not in the change set" in text  # neither: said once
    assert '/Properties/VisibilityTimeout  "30" → "60"' in text  # values given are shown as given
    md = impact("changeset", cs, "-f", "md").out
    assert "<code>/Properties/HealthCheckConfig/Type</code>: values not in the change set" in md
    page = impact("changeset", cs, "-f", "html").out
    assert page.count('<span class="none">value not in the change set</span>') >= 2
    sarif = impact("changeset", cs, "-f", "sarif").out
    github = impact("changeset", cs, "-f", "github").out
    for out in (text, md, page, sarif, github):
        assert "(none)" not in out and "(not set)" not in out
    assert "changes (values not in the change set)" in sarif and "Type: values not in the change set" in github
    # A removal: the change set's PolicyAction says what becomes of it.
    assert "<b>LegacyTopic</b>](#user-content-impact-1-4) removed — deleted (the change set's PolicyAction is Delete)" in md
    assert "CloudFormation deletes it (the change set&#39;s PolicyAction is Delete)." in page
    doc = impact("changeset", cs, "-f", "json").json()
    check = change(resource(doc, 0, "HealthCheck"), "/Properties/HealthCheckConfig/Type")
    assert check["before"] is None and check["after"] is None
    assert check["not_in_change_set"] == ["before", "after"]
    queue = change(resource(doc, 0, "InferenceQueue"), "/Properties/VisibilityTimeout")
    assert "not_in_change_set" not in queue
    # An added resource: the change set gives none of its properties, which is not "no properties".
    assert "<b>ModelEvents</b> <code>AWS::SNS::Topic</code>: properties not in the change set" in md
    assert "properties" not in resource(doc, 0, "ModelEvents")


def test_an_import_is_shown_as_an_import_in_every_format(impact):
    text = impact("changeset", ROOT, PAGE2).out
    assert "+ Imported  AWS::SNS::Topic  imported" in text and "1 imported" in text
    assert "added" not in text.split("\n")[1]  # the headline counts it as imported, not added
    md = impact("changeset", ROOT, PAGE2, "-f", "md").out
    assert "📥 <b>Imported</b> <code>AWS::SNS::Topic</code> · imported" in md
    page = impact("changeset", ROOT, PAGE2, "-f", "html").out
    assert "brings the existing resource under the stack's management: nothing is created" in page
    assert '<span class="label l-imported">imported</span> <b class="id">Imported</b>' in page
    checklist = impact("changeset", ROOT, PAGE2, "-f", "checklist").out
    assert "📥 Imported (existing resources brought under the stack; nothing is created): `Imported` (`AWS::SNS::Topic`)" in checklist
    doc = impact("changeset", ROOT, PAGE2, "-f", "json").json()
    assert resource(doc, 0, "Imported")["action"] == "import"
    assert doc["stacks"][0]["summary"]["resources"]["import"] == 1


# -- the checks a change set alone supports ---------------------------------------


def test_a_change_set_alone_gets_the_findings_a_diff_gets(impact):
    """ArtifactBucket is replaced with PolicyAction ReplaceAndRetain: the
    same stateful-replacement finding as the diff of the templates."""
    cs = EXAMPLES / "changeset.json"
    text = impact("changeset", cs).out
    said = "UpdateReplacePolicy Retain keeps the old AWS::S3::Bucket with its objects outside the stack; the new one starts empty"
    assert "WARNING stateful-replacement" in text and f"ArtifactBucket is replaced (/Properties/BucketName changes): {said}" in text
    both = impact("diff", EXAMPLES / "old.yaml", EXAMPLES / "new.yaml", "--change-set", cs).out
    assert said in both
    # What it cannot check without the templates, it says.
    assert "a change set alone gives no template: custom names, references, exports" in text
    doc = impact("changeset", cs, "-f", "json").json()
    assert [(f["id"], f["severity"], f["logical_id"]) for f in doc["stacks"][0]["findings"]] == [
        ("stateful-replacement", "warning", "ArtifactBucket")]
    # A DynamoDB table replaced with ReplaceAndDelete: its items are deleted, an error.
    root = impact("changeset", ROOT).out
    assert "ERROR stateful-replacement" in root and "Table is replaced (/Properties/AttributeDefinitions changes) and its UpdateReplacePolicy is Delete" in root


def _detail(name, before=None, after=None):
    target = {"Attribute": "Properties", "Name": name, "RequiresRecreation": "Never", "Path": "/Properties/" + name,
              "AttributeChangeType": "Modify"}
    if before is not None:
        target["BeforeValue"] = before if isinstance(before, str) else json.dumps(before)
    if after is not None:
        target["AfterValue"] = after if isinstance(after, str) else json.dumps(after)
    return {"Target": target, "Evaluation": "Static", "ChangeSource": "DirectModification"}


def _modify(lid, type_, *details):
    return {"Type": "Resource", "ResourceChange": {
        "Action": "Modify", "LogicalResourceId": lid, "ResourceType": type_, "Replacement": "False",
        "Scope": ["Properties"], "Details": list(details)}}


HTTPS = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8"}
SSH = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}


def _policy(action, resource):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}


SECURITY_CHANGE_SET = {
    "ChangeSetName": "sec", "ChangeSetId": "arn:aws:cloudformation:eu-west-1:123456789012:changeSet/sec/1",
    "StackName": "web", "Status": "CREATE_COMPLETE",
    "Changes": [
        _modify("WebSecurityGroup", "AWS::EC2::SecurityGroup", _detail("SecurityGroupIngress", [HTTPS], [HTTPS, SSH])),
        _modify("WorkerPolicy", "AWS::IAM::ManagedPolicy",
                _detail("PolicyDocument", _policy("s3:GetObject", "arn:aws:s3:::b/*"), _policy("s3:*", "*"))),
        _modify("QuietGroup", "AWS::EC2::SecurityGroup", _detail("SecurityGroupIngress")),  # no values
        _modify("Db", "AWS::RDS::DBInstance", _detail("DeletionProtection", "true")),  # no after value
        {"Type": "Resource", "ResourceChange": {"Action": "Remove", "LogicalResourceId": "OldTable",
                                                "ResourceType": "AWS::DynamoDB::Table", "PolicyAction": "Retain"}},
        {"Type": "Resource", "ResourceChange": {"Action": "Remove", "LogicalResourceId": "Logs",
                                                "ResourceType": "AWS::Logs::LogGroup"}},
        {"Type": "Resource", "ResourceChange": {"Action": "Add", "LogicalResourceId": "NewGroup",
                                                "ResourceType": "AWS::EC2::SecurityGroup"}},
    ],
}


def test_a_change_set_alone_says_what_opens_up_from_the_values_it_gives(impact, write):
    path = write("sec.json", json.dumps(SECURITY_CHANGE_SET))
    text = impact("changeset", path).out
    assert "ERROR public-exposure" in text and "WebSecurityGroup allows ingress tcp port 22 from 0.0.0.0/0" in text
    assert "WARNING permissions-broadened" in text and "WorkerPolicy widens a grant" in text
    assert "~ WebSecurityGroup  AWS::EC2::SecurityGroup  some-interruptions  public" in text
    # PolicyAction: Retain orphans the table; none given: said, not guessed.
    assert "OldTable is removed with DeletionPolicy Retain" in text
    assert "Logs is removed, and the change set does not say what becomes of it (no PolicyAction)" in text
    # One side given: that value, and the other said to be missing, not unset.
    assert '/Properties/DeletionProtection  "true" → value not in the change set' in text
    doc = impact("changeset", path, "-f", "json").json()
    stack = doc["stacks"][0]
    # No value, or a value on one side only: nothing reads as opened or switched off.
    assert {r["logical_id"] for r in stack["security"]} == {"WebSecurityGroup", "WorkerPolicy"}
    access = {r["logical_id"]: r["access"] for r in stack["resources"]}
    assert access == {"WebSecurityGroup": "public", "WorkerPolicy": "opens", "QuietGroup": None, "Db": None,
                      "OldTable": None, "Logs": None, "NewGroup": None}
    md = impact("changeset", path, "-f", "md").out
    assert "🌐 public" in md and "public-exposure" in md
    assert impact("changeset", path, "--fail-on", "error").code == 1


def test_a_resource_the_template_adds_and_the_change_set_imports_is_imported(impact, write):
    old = write("old.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    new = write("new.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  T:\n    Type: AWS::SNS::Topic\n"
                            "    DeletionPolicy: Retain\n    Properties: {TopicName: kept}\n")
    cs = write("cs.json", json.dumps({"ChangeSetId": "arn:aws:cloudformation:eu-west-1:1:changeSet/i/1", "Changes": [
        {"Type": "Resource", "ResourceChange": {"Action": "Import", "LogicalResourceId": "T",
                                                "ResourceType": "AWS::SNS::Topic", "PhysicalResourceId": "arn:t"}}]}))
    text = impact("diff", old, new, "--change-set", cs).out
    assert "+ T  AWS::SNS::Topic  imported" in text and "1 resource imported" in text and " added" not in text
    doc = impact("diff", old, new, "--change-set", cs, "-f", "json").json()
    assert resource(doc, 0, "T")["action"] == "import"


def test_a_db_instance_the_change_set_does_not_place_in_a_cluster_is_a_warning(impact, write):
    """A DB instance of an Aurora cluster holds no data of its own: where the
    change set does not give DBClusterIdentifier, the data finding is a
    warning that says so; where it gives it, there is none."""
    def replaced(lid, name, before, after):
        return {"Type": "Resource", "ResourceChange": {
            "Action": "Modify", "LogicalResourceId": lid, "ResourceType": "AWS::RDS::DBInstance", "Replacement": "True",
            "PolicyAction": "ReplaceAndDelete", "Details": [{"Target": {
                "Attribute": "Properties", "Name": name, "RequiresRecreation": "Always", "BeforeValue": before,
                "AfterValue": after}, "Evaluation": "Static", "ChangeSource": "DirectModification"}]}}
    path = write("db.json", json.dumps({"ChangeSetId": "arn:aws:cloudformation:eu-west-1:1:changeSet/db/1", "Changes": [
        replaced("Db", "DBInstanceIdentifier", "a", "b"), replaced("Member", "DBClusterIdentifier", "c1", "c2")]}))
    doc = impact("changeset", path, "-f", "json").json()
    (finding,) = doc["stacks"][0]["findings"]
    assert (finding["id"], finding["severity"], finding["logical_id"]) == ("stateful-replacement", "warning", "Db")
    assert "its UpdateReplacePolicy is Delete: CloudFormation deletes the old AWS::RDS::DBInstance" in finding["message"]
    assert finding["message"].endswith("(if it holds data of its own: the change set does not say whether "
                                       "DBClusterIdentifier is set)")
