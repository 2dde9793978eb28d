"""What a change opens up: network rules, public exposure and protections,
through the real CLI.  IAM grants have their own tests (tests/test_iam*.py)."""

import json
import re
from textwrap import dedent, indent

import pytest

from impact.classify.rules import RuleBook
from impact.diff.sections import path_keys


@pytest.fixture
def run(impact, write):
    def _run(old, new, *args):
        r = impact("diff", write("old.yaml", dedent(old)), write("new.yaml", dedent(new)), *args)
        assert r.code in (0, 1), r
        return r

    return _run


@pytest.fixture
def stack(run):
    def _stack(old, new):
        return run(old, new, "--format", "json").json()["stacks"][0]

    return _stack


SECURITY = {"public-exposure", "permissions-broadened", "permissions-narrowed", "network-broadened", "protection-removed"}


def ids(stack):
    """The security findings' ids, sorted (a replacement's findings are other tests' business)."""
    return sorted(f["id"] for f in stack["findings"] if f["id"] in SECURITY)


SG = """\
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
{rules}
"""


def sg(*rules):
    return SG.format(rules="\n".join(f"        - {r}" for r in rules))


HTTPS_INTERNAL = "{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16}"


def test_ssh_open_to_the_world_is_public_exposure_at_the_rule(stack):
    s = stack(sg(HTTPS_INTERNAL), sg(HTTPS_INTERNAL, "{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}"))
    (f,) = s["findings"]
    assert (f["id"], f["severity"], f["logical_id"]) == ("public-exposure", "error", "Web")
    assert "0.0.0.0/0" in f["message"] and "port 22" in f["message"]
    assert f["path"] == "/Properties/SecurityGroupIngress/1" and f["position"]["line"] == 8
    (row,) = s["security"]
    assert (row["family"], row["direction"], row["change"], row["public"]) == ("network", "opens", "added", True)
    assert row["fields"]["source"] == "0.0.0.0/0 (the whole internet)" and row["fields"]["ports"] == "port 22"


def test_widening_and_narrowing_a_rule(stack):
    narrow = "{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16}"
    wide = "{IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 10.0.0.0/8}"
    s = stack(sg(narrow), sg(wide))
    assert ids(s) == ["network-broadened"]
    (row,) = s["security"]
    assert (row["direction"], row["change"]) == ("opens", "widened")
    assert "443" in row["summary"] and "10.0.0.0/8" in row["summary"]
    back = stack(sg(wide), sg(narrow))
    assert ids(back) == []  # narrowing never raises a broadening finding
    (row,) = back["security"]
    assert (row["direction"], row["change"]) == ("closes", "narrowed")


def test_new_protocol_all_and_ipv6_and_source_group_broaden(stack):
    s = stack(
        sg(HTTPS_INTERNAL),
        sg(
            HTTPS_INTERNAL,
            "{IpProtocol: '-1', CidrIpv6: '2001:db8::/32'}",
            "{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: sg-123}",
            "{IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIpv6: '::/0'}",
        ),
    )
    assert ids(s) == ["network-broadened", "network-broadened", "public-exposure"]
    assert [r["public"] for r in s["security"]] == [True, False, False]


def test_formatting_of_rules_is_no_security_change(stack):
    old = sg("{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}")
    new = sg("{IpProtocol: '6', FromPort: '22', ToPort: '22', CidrIp: 10.0.0.0/8, Description: ssh from the VPN}")
    s = stack(old, new)
    assert s["security"] == [] and ids(s) == []


def test_the_same_network_written_two_ways_is_no_change(stack):
    old = sg("{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}")
    assert stack(old, old.replace("0.0.0.0/0", "192.168.1.0/0"))["security"] == []
    assert stack(old, old.replace("CidrIp: 0.0.0.0/0", "CidrIpv6: '::/0'"))["security"][0]["public"]


def test_a_rule_covered_by_one_that_stays_opens_nothing(stack):
    wide = "{IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 10.0.0.0/8}"
    s = stack(sg(wide), sg(wide, "{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.1.0.0/16}"))
    assert s["security"] == []


def test_ingress_resource_and_egress_resource(stack):
    base = ("Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n"
            "      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]\n")
    rule = base + indent(dedent(
        """\
          In:
            Type: AWS::EC2::SecurityGroupIngress
            Properties: {GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIpv6: '::/0'}
          Out:
            Type: AWS::EC2::SecurityGroupEgress
            Properties: {GroupId: !Ref Sg, IpProtocol: '-1', CidrIp: 0.0.0.0/0}
        """
    ), "  ")
    s = stack(base, rule)
    by_id = {r["logical_id"]: r for r in s["security"]}
    assert by_id["In"]["public"] and by_id["In"]["fields"]["ports"] == "port 3389"
    assert not by_id["Out"]["public"] and by_id["Out"]["fields"]["direction"] == "egress"
    assert ids(s) == ["network-broadened", "public-exposure"]
    gone = stack(rule, base)  # removing the rules closes
    assert {r["direction"] for r in gone["security"]} == {"closes"} and ids(gone) == []


NACL = """\
Resources:
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {{VpcId: vpc-1}}
{entries}
"""
DENY_SSH = """\
  DenySsh:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 90, Protocol: 6, RuleAction: deny, CidrBlock: 0.0.0.0/0, PortRange: {From: 22, To: 22}}
"""
ALLOW_ALL = """\
  AllowAll:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, RuleAction: allow, CidrBlock: 0.0.0.0/0}
"""


def test_network_acl_deny_removed_opens_and_allow_added_opens(stack):
    s = stack(NACL.format(entries=DENY_SSH), NACL.format(entries=""))
    (row,) = s["security"]
    assert (row["direction"], row["change"]) == ("opens", "removed") and "deny" in row["summary"]
    assert ids(s) == ["network-broadened"]
    s = stack(NACL.format(entries=""), NACL.format(entries=ALLOW_ALL))
    # A network ACL is stateless and sits behind the security groups: world-open, but not public by itself.
    assert ids(s) == ["network-broadened"] and s["security"][0]["public"] is False
    s = stack(NACL.format(entries=""), NACL.format(entries=DENY_SSH))
    assert ids(s) == [] and s["security"][0]["direction"] == "closes"


DB = """\
Parameters:
  Encrypt: {{Type: String, Default: "true"}}
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
{props}
"""


def db(**props):
    return DB.format(props="\n".join(f"      {k}: {v}" for k, v in props.items()))


def test_rds_publicly_accessible_and_protections_switched_off(stack):
    old = db(StorageEncrypted="true", DeletionProtection="true", BackupRetentionPeriod=7, PubliclyAccessible="false")
    new = db(StorageEncrypted="!Ref Encrypt", DeletionProtection="false", BackupRetentionPeriod=0, PubliclyAccessible="true")
    s = stack(old, new)
    assert ids(s) == ["protection-removed"] * 3 + ["public-exposure"]
    by_path = {r["path"]: r for r in s["security"]}
    assert by_path["/Properties/PubliclyAccessible"]["public"]
    assert "automated backups" in by_path["/Properties/BackupRetentionPeriod"]["summary"]
    assert "may be off" in by_path["/Properties/StorageEncrypted"]["summary"]  # set at deploy time
    assert by_path["/Properties/DeletionProtection"]["fields"] == {
        "protection": "deletion protection",
        "before": "true",
        "after": "false",
    }
    # Switching them back on closes, and raises nothing.
    back = stack(new.replace("!Ref Encrypt", "true"), old)
    assert ids(back) == [] and {r["direction"] for r in back["security"]} == {"closes"}


def test_protection_absent_means_its_documented_default(stack):
    # No DeletionProtection before and after: nothing changed; BackupRetentionPeriod absent is on (1 day).
    s = stack(db(), db(BackupRetentionPeriod=1))
    assert s["security"] == []
    s = stack(db(DeletionProtection="true"), db())
    assert ids(s) == ["protection-removed"]


LOG_GROUP = """\
Parameters:
  Key: {{Type: String}}
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      KmsKeyId: {key}
"""


def test_a_key_that_only_has_to_be_there_is_there_whatever_its_reference_gives(stack):
    # From a dynamic reference to a parameter: both give a key, encryption stays on.
    s = stack(LOG_GROUP.format(key="'{{resolve:ssm:/keys/logs}}'"), LOG_GROUP.format(key="!Ref Key"))
    assert s["security"] == [] and ids(s) == []
    # An Fn::If may leave it out: it is off in that case.
    s = stack(LOG_GROUP.format(key="!Ref Key"),
              "Conditions:\n  NoKey: !Equals [!Ref Key, '']\n" + LOG_GROUP.format(key="!If [NoKey, !Ref AWS::NoValue, !Ref Key]"))
    assert ids(s) == ["protection-removed"] and s["security"][0]["summary"].endswith("when NoKey is true")


BUCKET = """\
Resources:
  Site:
    Type: AWS::S3::Bucket
{props}
"""


def bucket(text=""):
    body = "".join(f"\n      {line}" for line in dedent(text).strip().splitlines())
    return BUCKET.format(props="    Properties:" + body if text else "")


PAB = """\
PublicAccessBlockConfiguration:
  BlockPublicAcls: true
  BlockPublicPolicy: {policy}
  IgnorePublicAcls: true
  RestrictPublicBuckets: true
"""


def test_s3_public_access_block_relaxed_or_removed(stack):
    s = stack(bucket(PAB.format(policy="true")), bucket(PAB.format(policy="false")))
    (f,) = s["findings"]
    assert f["id"] == "public-exposure" and "BlockPublicPolicy" in f["message"]
    s = stack(bucket(PAB.format(policy="true")), bucket("VersioningConfiguration: {Status: Enabled}"))
    assert ids(s) == ["public-exposure"] and "BlockPublicAcls" in s["findings"][0]["message"]
    # A bucket that never set one keeps S3's default block: nothing opens.
    assert stack(bucket(), bucket("Tags: [{Key: a, Value: b}]"))["security"] == []
    # A new bucket that turns a flag off opens it.
    new = bucket(PAB.format(policy="false")).replace("Site:", "Other:")
    assert "public-exposure" in ids(stack(bucket(), bucket() + new.split("Resources:\n", 1)[1]))


def test_s3_public_acl_versioning_suspended_and_logging_removed(stack):
    old = bucket("VersioningConfiguration: {Status: Enabled}\nLoggingConfiguration: {DestinationBucketName: logs}")
    new = bucket("VersioningConfiguration: {Status: Suspended}\nAccessControl: PublicRead")
    s = stack(old, new)
    assert ids(s) == ["protection-removed", "protection-removed", "public-exposure"]
    summaries = " | ".join(r["summary"] for r in s["security"])
    assert "versioning" in summaries and "server access logging" in summaries and "PublicRead" in summaries


def test_lambda_url_and_permission_to_anyone(stack):
    old = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
    new = old + indent(dedent(
        """\
          Url:
            Type: AWS::Lambda::Url
            Properties: {AuthType: NONE, TargetFunctionArn: arn:aws:lambda:eu-west-1:123456789012:function:f}
          Anyone:
            Type: AWS::Lambda::Permission
            Properties: {Action: lambda:InvokeFunction, FunctionName: f, Principal: "*"}
          FromBucket:
            Type: AWS::Lambda::Permission
            Properties: {Action: lambda:InvokeFunction, FunctionName: f, Principal: "*", SourceArn: arn:aws:s3:::b}
        """
    ), "  ")
    s = stack(old, new)
    public = sorted(f["logical_id"] for f in s["findings"] if f["id"] == "public-exposure")
    assert public == ["Anyone", "Url"]  # FromBucket's SourceArn restricts who may call
    anyone = next(r for r in s["security"] if r["logical_id"] == "Anyone")
    assert anyone["family"] == "permissions" and anyone["fields"]["actions"] == "lambda:InvokeFunction (Write)"
    iam_url = new.replace("AuthType: NONE", "AuthType: AWS_IAM")
    assert "Url" not in {f["logical_id"] for f in stack(old, iam_url)["findings"]}


def test_dynamodb_kms_elb_and_cognito_safeguards(stack):
    old = dedent(
        """\
        Resources:
          T:
            Type: AWS::DynamoDB::Table
            Properties:
              KeySchema: [{AttributeName: id, KeyType: HASH}]
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              BillingMode: PAY_PER_REQUEST
              PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
          K:
            Type: AWS::KMS::Key
            Properties: {EnableKeyRotation: true, KeyPolicy: {}}
          Lb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties:
              LoadBalancerAttributes:
                - {Key: idle_timeout.timeout_seconds, Value: "60"}
                - {Key: deletion_protection.enabled, Value: "true"}
          Pool:
            Type: AWS::Cognito::UserPool
            Properties: {DeletionProtection: ACTIVE}
        """
    )
    new = (
        old.replace("PointInTimeRecoveryEnabled: true", "PointInTimeRecoveryEnabled: false")
        .replace("EnableKeyRotation: true", "EnableKeyRotation: false")
        .replace('{Key: deletion_protection.enabled, Value: "true"}', '{Key: deletion_protection.enabled, Value: "false"}')
        .replace("DeletionProtection: ACTIVE", "DeletionProtection: INACTIVE")
    )
    s = stack(old, new)
    assert {f["logical_id"] for f in s["findings"] if f["id"] == "protection-removed"} == {"T", "K", "Lb", "Pool"}
    lb = next(r for r in s["security"] if r["logical_id"] == "Lb")
    assert lb["path"] == "/Properties/LoadBalancerAttributes"


def test_fail_on_broadening(run, write, impact):
    opened = sg(HTTPS_INTERNAL, "{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}")
    assert run(sg(HTTPS_INTERNAL), opened, "--fail-on", "broadening").code == 1
    assert run(opened, sg(HTTPS_INTERNAL), "--fail-on", "broadening").code == 0  # narrowing
    # A protection switched off is not a broadening.
    assert run(db(DeletionProtection="true"), db(), "--fail-on", "broadening").code == 0
    cfg = write(".impact.yaml", "fail_on: broadening\n")
    r = impact("diff", write("a.yaml", sg(HTTPS_INTERNAL)), write("b.yaml", opened), "--config", cfg)
    assert r.code == 1 and "Security:" in r.out


OPEN_OLD = sg(HTTPS_INTERNAL)
OPEN_NEW = sg(HTTPS_INTERNAL, "{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}")


def test_every_format_shows_the_world_open_rule_whole(run):
    text = run(OPEN_OLD, OPEN_NEW).out
    assert "Security: 1 change opens access (1 to anyone)" in text
    assert "! public Web  network  allows ingress tcp port 22 from 0.0.0.0/0 (the whole internet)" in text
    md = run(OPEN_OLD, OPEN_NEW, "--format", "md").out
    assert "- 🌐 public · network: allows ingress tcp port 22 from 0.0.0.0/0 (the whole internet)" in md
    assert re.search(r"^- 🌐 \[<b>Web</b>\]\(#user-content-impact-1-1\) public — allows ingress tcp port 22 from 0\.0\.0\.0/0", md, re.M)
    html = run(OPEN_OLD, OPEN_NEW, "--format", "html").out
    assert 'aria-label="Needs a decision"' in html and "from 0.0.0.0/0 (the whole internet)" in html
    assert '<li><span class="sec sec-public">public</span> network: allows ingress tcp port 22 from 0.0.0.0/0' in html
    checklist = run(OPEN_OLD, OPEN_NEW, "--format", "checklist").out
    assert "- [ ] ⛔ 🌐 Confirm `Web` is meant to be reachable by anyone: it allows ingress tcp port 22" in checklist
    sarif = json.loads(run(OPEN_OLD, OPEN_NEW, "--format", "sarif").out)
    results = sarif["runs"][0]["results"]
    exposure = [r for r in results if r["ruleId"] == "finding/public-exposure"]
    assert len(exposure) == 1 and exposure[0]["level"] == "error"
    assert exposure[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 8
    assert "finding/public-exposure" in {d["id"] for d in sarif["runs"][0]["tool"]["driver"]["rules"]}
    github = run(OPEN_OLD, OPEN_NEW, "--format", "github").out
    line = next(l for l in github.splitlines() if "public-exposure" in l)
    assert line.startswith("::error file=") and ",line=8," in line and "0.0.0.0/0" in line


def test_template_text_in_the_security_section_is_escaped(run):
    hostile = "{IpProtocol: tcp, FromPort: 22, ToPort: 22, SourceSecurityGroupId: '<img src=x onerror=alert(1)>|@team'}"
    html = run(OPEN_OLD, sg(HTTPS_INTERNAL, hostile), "--format", "html").out
    assert "<img src=x" not in html and "&lt;img src=x" in html
    md = run(OPEN_OLD, sg(HTTPS_INTERNAL, hostile), "--format", "md").out
    assert "&#60;img src=x" in md and "<img" not in md and "@team" not in md


def test_an_unchanged_stack_has_no_security_section(run):
    assert "Security:" not in run(OPEN_NEW, OPEN_NEW).out


def test_reviewed_protection_and_exposure_paths_exist_in_the_rules_table():
    """Each reviewed entry names a property the rules table knows for its type."""
    book = RuleBook()
    protections = book.data("protections")
    exposure = book.data("exposure")
    entries = [(t, p) for t, paths in protections["types"].items() for p in paths]
    for kind in ("publicly_accessible", "public_acls", "public_access_blocks", "function_urls"):
        entries += [(t, e["path"]) for t, e in exposure[kind].items()]
    for type_name, path in entries:
        rules = book.for_type(type_name)
        keys = tuple(k.partition("[")[0] for k in path_keys(path))[:1]
        doc = rules.doc_layer()
        known = (doc and doc.rule(keys)) or (rules.schema and keys[0] in rules.schema.data.get("properties", {}))
        assert known, (type_name, path)
    for entry in (e for paths in protections["types"].values() for e in paths.values()):
        assert entry["source"].startswith("docs-") and entry["absent"] in ("on", "off")


def test_the_docs_show_the_real_security_section(impact):
    """The security page's example is what impact prints for the bundled pair."""
    from conftest import EXAMPLES, REPO

    r = impact("diff", EXAMPLES / "security-old.yaml", EXAMPLES / "security-new.yaml")
    assert r.code == 0
    lines = r.out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  Security:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    shown = "\n".join(lines[start:end])
    assert shown in (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    assert "7 changes open access (3 to anyone), 2 safeguards switched off" in shown
