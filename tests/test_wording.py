"""Wording that must be true, through the real CLI: retained resources are
orphaned, not deleted, in every format; a bucket that holds objects is not
emptied by CloudFormation; a rename can keep its resource by stack refactoring."""

import json
from textwrap import dedent

OLD = """\
Resources:
  Logs:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
  Jobs:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    Properties: {DelaySeconds: 5, VisibilityTimeout: 30, MessageRetentionPeriod: 600}
  T: {Type: AWS::SNS::Topic}
"""
NEW = """\
Resources:
  T: {Type: AWS::SNS::Topic}
  JobsQueue:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    Properties: {DelaySeconds: 5, VisibilityTimeout: 30, MessageRetentionPeriod: 600}
"""


def _run(impact, write, old, new, *args):
    return impact("diff", write("old.yaml", dedent(old)), write("new.yaml", dedent(new)), *args)


def test_a_retained_removal_is_orphaned_not_deleted_in_every_format(impact, write):
    for fmt in ("text", "md", "checklist", "html", "github", "sarif", "json"):
        out = _run(impact, write, OLD, NEW, "--format", fmt).out
        assert "CloudFormation deletes it" not in out, (fmt, out)
        assert "orphaned" in out, fmt
    github = _run(impact, write, OLD, NEW, "--format", "github").out
    assert not [line for line in github.splitlines() if line.startswith("::error") and "Logs" in line], github


def test_a_renamed_retained_resource_is_orphaned_and_refactoring_keeps_it(impact, write, tmp_path):
    out = _run(impact, write, OLD, NEW, "--format", "json").json()
    (f,) = [f for f in out["stacks"][0]["findings"] if f["id"] == "rename"]
    assert "then deleting Jobs" not in f["message"]
    assert "orphaned" in f["message"]
    assert "stack refactoring" in f["message"] and "Jobs → JobsQueue" in f["message"]
    target = tmp_path / "refactor.json"
    r = _run(impact, write, OLD, NEW, "--refactor-file", target, "--refactor-stack", "app")
    assert r.code == 0, r
    assert json.loads(target.read_text()) == [
        {"Source": {"StackName": "app", "LogicalResourceId": "Jobs"},
         "Destination": {"StackName": "app", "LogicalResourceId": "JobsQueue"}}
    ]
    assert "Jobs → JobsQueue" in r.out


BUCKET = """\
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties: {BucketName: NAME}
"""


def test_a_bucket_that_holds_objects_is_not_emptied(impact, write):
    s = _run(impact, write, BUCKET.replace("NAME", "d1"), BUCKET.replace("NAME", "d2"), "--format", "json").json()["stacks"][0]
    (f,) = [f for f in s["findings"] if f["id"] == "stateful-replacement"]
    assert "does not delete the objects" in f["message"] and "fails" in f["message"]
    checklist = _run(impact, write, BUCKET.replace("NAME", "d1"), BUCKET.replace("NAME", "d2"), "--format", "checklist").out
    assert "does not delete the objects" in checklist, checklist
    s = _run(impact, write, BUCKET.replace("NAME", "d1"), "Resources:\n  T: {Type: AWS::SNS::Topic}\n", "--format", "json").json()
    (f,) = [f for f in s["stacks"][0]["findings"] if f["id"] == "stateful-replacement"]
    assert "does not delete the objects" in f["message"]


DB_OLD = """\
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: db.t3.micro, Engine: postgres, DeletionProtection: true}
"""
DB_NEW = """\
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: db.t3.micro, Engine: postgres}
"""


def test_a_value_the_template_does_not_set_reads_the_same_in_findings_and_diff(impact, write):
    """A property taken out is "(not set)" in the finding, the security row and the change row alike."""
    text = _run(impact, write, DB_OLD, DB_NEW).out
    assert "Db switches off deletion protection (DeletionProtection: true → (not set))" in text
    assert "/Properties/DeletionProtection  true → (not set)" in text
    md = _run(impact, write, DB_OLD, DB_NEW, "--format", "md").out
    assert "<code>true</code> → <code>(not set)</code>" in md and "(DeletionProtection: true → (not set))" in md
    page = _run(impact, write, DB_OLD, DB_NEW, "--format", "html").out
    assert '<span class="none">(not set)</span>' in page
    back = _run(impact, write, DB_NEW, DB_OLD).out  # and put back: the same words on the other side
    assert "/Properties/DeletionProtection  (not set) → true" in back
    for out in (text, md, page, back):
        assert "(none)" not in out
