"""One verdict, said once: the worst of the change labels and of the finding
severities, with the same mark at the head of every format, in the summary
table, in the HTML page's title and in the exit code; and each resource row
with the mark of what it opens (public, admin, opens, unprotected)."""

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_impact

from impact import levels

# A grant widened to every action on every resource: nothing is replaced, nothing interrupted.
OLD = """
Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: work
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::assets/*}
"""
NEW = OLD.replace("Action: s3:GetObject, Resource: arn:aws:s3:::assets/*", "Action: '*', Resource: '*'")
# Port 22 opened to the world, and a database's deletion protection removed.
SG_OLD = """
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.small
      Engine: postgres
      DeletionProtection: true
"""
SG_NEW = SG_OLD.replace(
    "        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}\n",
    "        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}\n"
    "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n",
).replace("DeletionProtection: true", "DeletionProtection: false")
# Only a replacement: what breaks, nothing opens.
Q_OLD = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: a\n"
Q_NEW = Q_OLD.replace("QueueName: a", "QueueName: b")
# Only an in-place update: nothing to decide.
T_OLD = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30\n"
T_NEW = T_OLD.replace("30", "60")


@pytest.fixture
def pair(write):
    def make(old, new):
        return write("old.yaml", old), write("new.yaml", new)

    return make


def heads(old, new) -> dict:
    """The headline of each format that has one, and the JSON's and SARIF's verdict."""
    out = {}
    text = run_impact("diff", old, new).out.splitlines()
    out["text"] = text[1].strip()
    md = run_impact("diff", old, new, "--format", "md").out.splitlines()
    out["md"] = md[2]
    checklist = run_impact("diff", old, new, "--format", "checklist").out.splitlines()
    out["checklist"] = checklist[2]
    page = run_impact("diff", old, new, "--format", "html").out
    out["html"] = re.search(r"<title>(.*?)</title>", page).group(1)
    out["json"] = run_impact("diff", old, new, "--format", "json").json()["verdict"]
    out["sarif"] = run_impact("diff", old, new, "--format", "sarif").json()["runs"][0]["properties"]["verdict"]
    return out


def test_a_grant_widened_to_everything_heads_every_format_with_the_error_mark(pair):
    old, new = pair(OLD, NEW)
    got = heads(old, new)
    assert got["text"] == "⛔ 1 resource updated in place; 1 error"
    assert got["md"] == "### ⛔ impact: 1 resource updated in place; 1 error"
    assert got["checklist"].startswith("**⛔ 1 resource updated in place; 1 error**")
    assert got["html"] == "⛔ impact review: 1 resource updated in place; 1 error"
    assert got["json"] == {"level": "error", "mark": "⛔", "text": "1 resource updated in place; 1 error"}
    assert got["sarif"] == got["json"]


@pytest.mark.parametrize("old, new, level", [(Q_OLD, Q_NEW, "error"), (T_OLD, T_NEW, "none"), (SG_OLD, SG_NEW, "error")],
                         ids=["replacement", "in-place", "public"])
def test_the_mark_is_the_worst_of_both_axes(pair, old, new, level):
    got = heads(*pair(old, new))
    mark = {"error": "⛔", "none": "✅"}[level]
    assert got["json"]["level"] == level and got["json"]["mark"] == mark
    assert got["text"].startswith(mark + " ") and got["md"].startswith(f"### {mark} impact: ")
    assert got["checklist"].startswith(f"**{mark} ") and got["html"].startswith(f"{mark} impact review")


def test_the_summary_table_and_the_page_carry_each_stacks_mark(write):
    """Two stacks in two folders, one that opens port 22 and one that only
    updates in place: each row of the table has its own mark, the worst first."""
    old = write("a/web.yaml", SG_OLD).parent
    write("a/queue.yaml", T_OLD)
    new = write("b/web.yaml", SG_NEW).parent
    write("b/queue.yaml", T_NEW)
    md = run_impact("diff", old, new, "--format", "md").out
    rows = re.findall(r"^\| (\S+) <code>(\w+)\.yaml</code> \|", md, re.M)
    assert rows == [("⛔", "web"), ("✅", "queue")], md
    assert md.splitlines()[2].startswith("### ⛔ impact: ")
    page = run_impact("diff", old, new, "--format", "html").out
    assert '<h1><span class="dot v-error" title="error"></span>impact review</h1>' in page
    marks = re.findall(r'<tr><td class="mono"><span class="mark">(\S+)</span> (\w+)\.yaml</td>', page)
    assert marks == [("⛔", "web"), ("✅", "queue")], marks


def test_exit_codes_gate_on_both_axes_or_on_one(pair, write):
    """``error``: both axes; a label: what breaks only; ``broadening``: what opens up only."""
    sg = pair(SG_OLD, SG_NEW)
    q = (write("q-old.yaml", Q_OLD), write("q-new.yaml", Q_NEW))
    t = (write("t-old.yaml", T_OLD), write("t-new.yaml", T_NEW))
    codes = {name: {level: run_impact("diff", *files, "--fail-on", level).code
                    for level in ("error", "warning", "replacement", "broadening", "none")}
             for name, files in (("public", sg), ("replacement", q), ("in-place", t))}
    assert codes["public"] == {"error": 1, "warning": 1, "replacement": 0, "broadening": 1, "none": 0}
    assert codes["replacement"] == {"error": 1, "warning": 1, "replacement": 1, "broadening": 0, "none": 0}
    assert codes["in-place"] == {"error": 0, "warning": 0, "replacement": 0, "broadening": 0, "none": 0}


def test_the_action_and_the_hook_gate_on_errors_of_both_axes_by_default(pair, tmp_path):
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["inputs"]["fail-on"]["default"] == "error"
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["args"] == ["--fail-on", "error"]
    old, new = pair(SG_OLD, SG_NEW)  # port 22 opened: no replacement
    assert run_impact("diff", old, new, *hook["args"]).code == 1


def test_the_readme_says_how_to_gate_on_one_axis_on_its_first_screen():
    first = "\n".join((REPO / "README.md").read_text(encoding="utf-8").splitlines()[:60])
    for level in ("error", "replacement", "broadening"):
        assert f"--fail-on {level}" in first, level


def test_levels_hold_the_one_vocabulary():
    assert levels.worst_tier(["no-interruption", "warning"]) == "warning"
    assert levels.worst_tier(["added", "public"]) == "error"
    assert levels.worst_tier(["info"]) == "note" and levels.worst_tier([]) is None
    assert [levels.verdict_mark(t) for t in ("error", "warning", "note", None)] == ["⛔", "⚠️", "ℹ️", "✅"]
    assert levels.mark("admin") == "🔑" and levels.level("admin").tier == "error"
    assert levels.level("unprotected").tier == "warning"


# --- each resource row carries its worst security row's mark ----------------


def test_every_format_marks_the_row_of_what_opens(pair):
    old, new = pair(SG_OLD, SG_NEW)
    text = run_impact("diff", old, new).out
    assert re.search(r"^~ Web  AWS::EC2::SecurityGroup  \S+  public$", text, re.M), text
    assert re.search(r"^~ Db  AWS::RDS::DBInstance  \S+  unprotected$", text, re.M), text
    md = run_impact("diff", old, new, "--format", "md").out
    assert re.search(r"<b>Web</b> <code>AWS::EC2::SecurityGroup</code> · [a-z-]+ · 🌐 public", md), md
    assert re.search(r"<b>Db</b> <code>AWS::RDS::DBInstance</code> · [a-z-]+ · 🛡️ unprotected", md), md
    page = run_impact("diff", old, new, "--format", "html").out
    assert re.search(r'<summary><span class="label l-[a-z-]+">[a-z-]+</span> <span class="sec sec-public">public</span> '
                     r'<b class="id">Web</b>', page)
    doc = run_impact("diff", old, new, "--format", "json").json()
    assert {r["logical_id"]: r["access"] for r in doc["stacks"][0]["resources"]} == {"Web": "public", "Db": "unprotected"}
    sarif = run_impact("diff", old, new, "--format", "sarif").json()["runs"][0]["results"]
    assert {r["properties"].get("access") for r in sarif if r["properties"].get("logicalId") == "Web"
            and "label" in r["properties"]} == {"public"}
    github = run_impact("diff", old, new, "--format", "github").out
    assert "title=Web%3A some-interruptions%2C public::" in github


def test_an_admin_grant_marks_its_row_and_opens_it(pair):
    old, new = pair(OLD, NEW)
    text = run_impact("diff", old, new).out
    assert re.search(r"^~ WorkerRole  AWS::IAM::Role  no-interruption  admin$", text, re.M), text
    md = run_impact("diff", old, new, "--format", "md").out
    assert "<summary>🟢 <b>WorkerRole</b> <code>AWS::IAM::Role</code> · no-interruption · 🔑 admin" in md
    # It needs a decision: the list above every stack says why, once, and links to its row.
    assert re.search(r"^- 🔑 \[<b>WorkerRole</b>\]\(#user-content-impact-1-1\) admin — .* to this role .*\(admin-equivalent\)$", md, re.M), md
    doc = run_impact("diff", old, new, "--format", "json").json()
    assert doc["stacks"][0]["resources"][0]["access"] == "admin"


def test_a_protection_removed_is_not_access_opened(pair):
    """Switching DeletionProtection off is a safeguard switched off: its row
    says so, and the tally does not count it as access opened."""
    old, new = pair(SG_OLD, SG_NEW)
    text = run_impact("diff", old, new).out
    assert "Security: 1 change opens access (1 to anyone), 1 safeguard switched off" in text
    assert re.search(r"^    \+ unprotected Db  protection  switches off deletion protection", text, re.M), text
    assert "opens" not in [line for line in text.splitlines() if "deletion protection" in line][0].split("Db")[0]
