"""Many templates: git revisions, two folders (cdk.out), nested stacks."""

import json
import os
import subprocess

import pytest

from conftest import assert_one_line_error

QUEUE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: {name}
      VisibilityTimeout: {timeout}
"""
TOPIC = """\
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: {name}
  Alarm:
    Type: AWS::SNS::Topic
"""
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def queue(name="q", timeout="30"):
    return QUEUE.format(name=name, timeout=timeout)


class Repo:
    def __init__(self, root):
        self.root = root
        self.git("init", "-q", "-b", "main")

    def git(self, *args):
        env = {**os.environ, **GIT_ENV}
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True, text=True).stdout

    def write(self, path, text):
        full = self.root / path
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_bytes(text) if isinstance(text, bytes) else full.write_text(text)

    def remove(self, path):
        (self.root / path).unlink()

    def commit(self, message="c"):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path):
    return Repo(tmp_path)


def stacks(result):
    assert result.code == 0, result
    return {s["name"]: s for s in result.json()["stacks"]}


def actions(stack):
    return {r["logical_id"]: r["action"] for r in stack["resources"]}


def build_history(repo):
    """A base commit and a head commit with every kind of file change."""
    repo.write("stacks/app.yaml", queue())
    repo.write("stacks/gone.yaml", TOPIC.format(name="old"))
    repo.write("legacy/db.json", json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "db"}}}}, indent=1))
    repo.write("README.md", "# infra\n\nResources: see below\n")
    repo.write("compose.yaml", "x: &a {Resources: 1}\ny:\n  <<: *a\n")  # YAML CloudFormation refuses; not a template
    repo.write("logo.png", b"\x89PNG\r\n\x1a\n\0\0Resources")
    base = repo.commit("base")
    repo.write("stacks/app.yaml", queue(timeout="60"))
    repo.remove("stacks/gone.yaml")
    repo.write("data/db.json", (repo.root / "legacy/db.json").read_text().replace('"db"', '"db2"'))
    repo.remove("legacy/db.json")
    repo.write("README.md", "# infra\n\nResources: see above\n")
    repo.write("compose.yaml", "x: &a {Resources: 2}\ny:\n  <<: *a\n")
    repo.write("logo.png", b"\x89PNG\r\n\x1a\n\0\0Resources!")
    repo.write("infra/topic", "# the alerts\n" + queue(name="alerts").replace("Queue", "Alerts"))  # found by content
    head = repo.commit("head")
    return base, head


def test_git_range_compares_every_template_that_differs(impact, repo):
    base, head = build_history(repo)
    got = stacks(impact("diff", "--base", base, "--head", head, "--format", "json", cwd=repo.root))
    assert sorted(got) == ["data/db.json", "infra/topic", "stacks/app.yaml", "stacks/gone.yaml"]
    app = got["stacks/app.yaml"]
    assert (app["old"], app["new"]) == (f"{base}:stacks/app.yaml", "stacks/app.yaml")
    assert [c["path"] for r in app["resources"] for c in r["changes"]] == ["/Properties/VisibilityTimeout"]
    assert actions(got["infra/topic"]) == {"Alerts": "add"}
    assert got["infra/topic"]["old"] is None
    assert actions(got["stacks/gone.yaml"]) == {"Topic": "remove", "Alarm": "remove"}
    assert got["stacks/gone.yaml"]["new"] is None
    renamed = got["data/db.json"]
    assert renamed["old"] == f"{base}:legacy/db.json" and renamed["new"] == "data/db.json"
    assert "renamed from legacy/db.json" in renamed["notes"]
    assert [c["path"] for r in renamed["resources"] for c in r["changes"]] == ["/Properties/QueueName"]


def test_git_range_in_every_report_and_fail_on(impact, repo):
    base, head = build_history(repo)
    text = impact("diff", "--base", base, "--head", head, cwd=repo.root)
    assert text.code == 0
    assert f"{base}:stacks/gone.yaml" in text.out and "infra/topic" in text.out
    md = impact("diff", "--base", base, "--head", head, "--format", "md", cwd=repo.root)
    assert all(name in md.out for name in ("infra/topic", "stacks/gone.yaml", "data/db.json"))
    assert impact("diff", "--base", base, "--head", head, "--fail-on", "replacement", cwd=repo.root).code == 1


def test_working_tree_is_the_default_head_with_untracked_templates(impact, repo):
    repo.write("app.yaml", queue())
    repo.write(".gitignore", "build/\n")
    repo.commit()
    repo.write("app.yaml", queue(name="renamed"))
    repo.write("new/extra.yml", TOPIC.format(name="x"))
    repo.write("build/out.yaml", TOPIC.format(name="ignored"))
    (repo.root / "sub").mkdir()
    r = impact("diff", "--base", "HEAD", "--format", "json", cwd=repo.root / "sub")
    got = stacks(r)
    assert sorted(got) == ["app.yaml", "new/extra.yml"]
    assert got["app.yaml"]["old"] == "HEAD:app.yaml"
    assert "HEAD:app.yaml" in impact("diff", "--base", "HEAD", cwd=repo.root).out


def test_path_filters_limit_the_comparison(impact, repo):
    base, head = build_history(repo)
    got = stacks(impact("diff", "--base", base, "--head", head, "--format", "json", "--", "stacks", "infra", cwd=repo.root))
    assert sorted(got) == ["infra/topic", "stacks/app.yaml", "stacks/gone.yaml"]
    got = stacks(impact("diff", "--base", base, "--head", head, "--format", "json", "app.yaml", cwd=repo.root / "stacks"))
    assert sorted(got) == ["stacks/app.yaml"]


def test_no_template_differs_says_so(impact, repo):
    repo.write("app.yaml", queue())
    repo.write("notes.txt", "a")
    base = repo.commit()
    repo.write("notes.txt", "b")
    head = repo.commit()
    r = impact("diff", "--base", base, "--head", head, cwd=repo.root)
    assert r.code == 0 and f"no CloudFormation template differs between {base} and {head}" in r.err
    r = impact("diff", "--base", base, "--head", head, "--format", "json", cwd=repo.root)
    assert r.json()["stacks"] == []
    assert "no changes" in impact("diff", "--base", base, "--head", head, "--format", "md", cwd=repo.root).out


def test_a_broken_template_in_a_revision_is_one_line_naming_it(impact, repo):
    repo.write("app.yaml", queue())
    repo.commit()
    repo.write("app.yaml", queue() + "  Bad: [\n")
    repo.commit()
    r = impact("diff", "--base", "HEAD~1", "--head", "HEAD", cwd=repo.root)
    assert_one_line_error(r, path="HEAD:app.yaml")
    r = impact("diff", "--base", "HEAD~1", "--head", "HEAD~1", cwd=repo.root)
    assert r.code == 0 and r.err.startswith("impact: no CloudFormation template differs")
    repo.write("app.yaml", "Resources:\n  Q:\n    Properties: {}\n")  # the working tree
    assert_one_line_error(impact("diff", "--base", "HEAD~1", cwd=repo.root), path="app.yaml", line=2, contains="no Type")


@pytest.mark.parametrize(
    "broken, line, contains",
    [
        ('{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Metadata": ' + "[" * 210 + "]" * 210 + "}}}", 1,
         "nesting deeper than 200 levels"),
        ('{"Resources": {\n  "Q": {"Properties": {}}}}', 2, "no Type"),
    ],
)
def test_a_json_template_read_when_diffed_still_stops_the_run_before_any_report(impact, repo, broken, line, contains):
    """JSON templates are read in full only when their stack is diffed: a
    broken one, after stacks that were diffed already, is still one line and
    no report."""
    for name in ("a", "b", "c"):
        repo.write(f"{name}.json", json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}))
    repo.commit()
    repo.write("a.json", json.dumps({"Resources": {"Q": {"Type": "AWS::SNS::Topic"}}}))
    repo.write("b.json", broken)
    repo.write("c.json", json.dumps({"Resources": {}}))
    repo.commit()
    for fmt in ("json", "md"):
        r = impact("diff", "--base", "HEAD~1", "--head", "HEAD", "--format", fmt, cwd=repo.root)
        assert r.out == ""
        assert_one_line_error(r, path="HEAD:b.json", line=line, contains=contains)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--base", "no-such-ref"], "unknown revision 'no-such-ref'"),
        (["--base", "--upload-pack=x"], "bad revision"),
        (["--base", "HEAD", "--head", "-x"], "bad revision"),
        (["--head", "HEAD"], "--head needs --base"),
        (["old.yaml"], "give OLD and NEW"),
        ([], "give OLD and NEW"),
        (["old.yaml", "d"], "not one of each"),
        (["d", "missing"], "missing: no such folder"),
        (["old.yaml", "old.yaml", "--format", "pdf"], "github"),
        (["old.yaml", "old.yaml", "--max-chars", "0"], "max-chars"),
    ],
)
def test_usage_errors_are_one_line(impact, repo, args, message):
    repo.write("old.yaml", queue())
    (repo.root / "d").mkdir()
    repo.commit()
    assert_one_line_error(impact("diff", *args, cwd=repo.root), contains=message)


def test_outside_a_repository_is_one_line(impact, tmp_path):
    assert_one_line_error(impact("diff", "--base", "HEAD", cwd=tmp_path), contains="not a git repository")


def test_without_git_is_one_line(impact, tmp_path):
    r = impact("diff", "--base", "HEAD", cwd=tmp_path, env={"PATH": str(tmp_path)})
    assert_one_line_error(r, contains="git is not installed")


# Two folders, cdk.out


def cdk_template(nested_asset, bucket_name, with_nested=True):
    resources = {
        "Bucket83908E77": {
            "Type": "AWS::S3::Bucket",
            "Properties": {"BucketName": bucket_name},
            "Metadata": {"aws:cdk:path": "AppStack/Bucket/Resource"},
        }
    }
    if with_nested:
        resources["NestedNestedStackResource1A2B3C4D"] = {
            "Type": "AWS::CloudFormation::Stack",
            "Properties": {
                "TemplateURL": {"Fn::Join": ["", ["https://s3.", {"Ref": "AWS::Region"}, "/cdk-assets/", "0123abcd.json"]]}
            },
            "Metadata": {
                "aws:cdk:path": "AppStack/Nested.NestedStack/Nested.NestedStackResource",
                "aws:asset:path": nested_asset,
                "aws:asset:property": "TemplateURL",
            },
        }
    return json.dumps({"Resources": resources, "Parameters": {"BootstrapVersion": {"Type": "String"}}}, indent=1)


def nested_template(queue_name):
    return json.dumps({
        "Resources": {
            "Queue4A7E3555": {
                "Type": "AWS::SQS::Queue",
                "Properties": {"QueueName": queue_name},
                "Metadata": {"aws:cdk:path": "AppStack/Nested/Queue/Resource"},
            }
        }
    }, indent=1)


def cdk_out(root, bucket, queue_name, asset, extra=None):
    nested = "AppStackNestedA1B2C3D4.nested.template.json"
    files = {
        "manifest.json": json.dumps({"version": "36.0.0", "artifacts": {"AppStack": {"type": "aws:cloudformation:stack"}}}),
        # tree.json is JSON with "Resources" deep inside: not a template.
        "tree.json": json.dumps({"tree": {"children": {"AppStack": {"attributes": {"Resources": {"x": 1}}}}}}),
        "AppStack.template.json": cdk_template(nested, bucket),
        nested: nested_template(queue_name),
        "AppStack.assets.json": json.dumps({"version": "36.0.0", "files": {}}),
        f"asset.{asset}/index.js": "exports.handler = async () => ({Resources: 1});\n",
        f"asset.{asset}/logo.png": b"\x89PNG\0Resources",
        **(extra or {}),
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)


def test_two_cdk_out_folders_pair_templates_and_follow_nested_stacks(impact, tmp_path):
    cdk_out(tmp_path / "old", "logs", "jobs", "aaa")
    cdk_out(tmp_path / "new", "logs-v2", "jobs-v2", "bbb", {"Other.template.json": queue()})
    got = stacks(impact("diff", "old", "new", "--format", "json", cwd=tmp_path))
    assert sorted(got) == [
        "AppStack.template.json",
        "AppStack.template.json/NestedNestedStackResource1A2B3C4D",
        "Other.template.json",
    ]
    app = got["AppStack.template.json"]
    assert (app["old"], app["new"]) == ("old/AppStack.template.json", "new/AppStack.template.json")
    (bucket,) = app["resources"]
    assert bucket["construct_path"] == "AppStack/Bucket/Resource" and bucket["impact"] == "replacement"
    nested = got["AppStack.template.json/NestedNestedStackResource1A2B3C4D"]
    assert nested["new"] == "new/AppStackNestedA1B2C3D4.nested.template.json"
    (q,) = nested["resources"]
    assert q["construct_path"] == "AppStack/Nested/Queue/Resource" and q["changes"][0]["path"] == "/Properties/QueueName"
    assert actions(got["Other.template.json"]) == {"Queue": "add"}
    assert "AppStack/Bucket/Resource" in impact("diff", "old", "new", cwd=tmp_path).out


def test_identical_folders_say_so(impact, tmp_path):
    cdk_out(tmp_path / "old", "logs", "jobs", "aaa")
    cdk_out(tmp_path / "new", "logs", "jobs", "aaa")
    r = impact("diff", "old", "new", "--format", "json", cwd=tmp_path)
    assert r.code == 0 and r.json()["stacks"] == []
    assert "no CloudFormation template differs between old and new" in r.err


def test_an_added_nested_stack_adds_every_resource_of_its_template(impact, tmp_path):
    nested = "AppStackNestedA1B2C3D4.nested.template.json"
    (tmp_path / "old").mkdir()
    (tmp_path / "old/AppStack.template.json").write_text(cdk_template(nested, "logs", with_nested=False))
    cdk_out(tmp_path / "new", "logs", "jobs", "aaa")
    got = stacks(impact("diff", "old", "new", "--format", "json", cwd=tmp_path))
    assert sorted(got) == ["AppStack.template.json", "AppStack.template.json/NestedNestedStackResource1A2B3C4D"]
    assert actions(got["AppStack.template.json/NestedNestedStackResource1A2B3C4D"]) == {"Queue4A7E3555": "add"}


# Nested stacks by TemplateURL


PARENT = """\
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: {url}
  Remote:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/bucket/remote.yaml
"""


def test_nested_stack_by_relative_template_url(impact, write):
    write("old/parent.yaml", PARENT.format(url="./nested/network.yaml"))
    write("old/nested/network.yaml", queue(name="a"))
    write("new/parent.yaml", PARENT.format(url="./nested/network.yaml"))
    write("new/nested/network.yaml", queue(name="b"))
    r = impact("diff", "old/parent.yaml", "new/parent.yaml", "--format", "json", cwd=write("x", "").parent)
    got = stacks(r)
    assert sorted(got) == ["new/parent.yaml", "new/parent.yaml/Network"]
    assert got["new/parent.yaml"]["resources"] == []
    child = got["new/parent.yaml/Network"]
    assert (child["old"], child["new"]) == ("old/nested/network.yaml", "new/nested/network.yaml")
    assert child["resources"][0]["changes"][0]["path"] == "/Properties/QueueName"


def test_nested_stacks_that_cannot_be_followed_are_noted(impact, write):
    root = write("old/parent.yaml", PARENT.format(url="../../outside.yaml")).parent.parent
    write("new/parent.yaml", PARENT.format(url="missing.yaml"))
    got = stacks(impact("diff", "old/parent.yaml", "new/parent.yaml", "--format", "json", cwd=root))
    assert sorted(got) == ["new/parent.yaml"]
    (note,) = got["new/parent.yaml"]["notes"]
    assert note == "nested stack Network: '../../outside.yaml' is outside the compared files; not compared"
    write("old/parent.yaml", PARENT.format(url="missing.yaml"))
    write("new/parent.yaml", PARENT.format(url="parent.yaml"))  # itself
    got = stacks(impact("diff", "old/parent.yaml", "new/parent.yaml", "--format", "json", cwd=root))
    assert got["new/parent.yaml"]["notes"] == ["nested stack Network: old/missing.yaml not found, or larger than --max-bytes; not compared"]
    write("old/parent.yaml", PARENT.format(url="parent.yaml"))
    got = stacks(impact("diff", "old/parent.yaml", "new/parent.yaml", "--format", "json", cwd=root))
    assert got["new/parent.yaml"]["notes"] == ["nested stack Network: old/parent.yaml contains itself; not compared"]


def test_a_broken_nested_template_is_one_line_naming_it(impact, write):
    root = write("old/parent.yaml", PARENT.format(url="child.yaml")).parent.parent
    write("old/child.yaml", queue())
    write("new/parent.yaml", PARENT.format(url="child.yaml"))
    write("new/child.yaml", "Resources:\n  Q: [\n")
    r = impact("diff", "old", "new", cwd=root)
    assert_one_line_error(r, path=os.path.join("new", "child.yaml"), line=2, col=6)


def test_nested_stacks_in_git_revisions(impact, repo):
    repo.write("stacks/parent.yaml", PARENT.format(url="child.yaml"))
    repo.write("stacks/child.yaml", queue(name="a"))
    base = repo.commit()
    repo.write("stacks/child.yaml", queue(name="b"))
    repo.commit()
    # The parent did not change: the child is still named after it, and the
    # parent, with nothing to report, is left out.
    got = stacks(impact("diff", "--base", base, "--head", "HEAD", "--format", "json", cwd=repo.root))
    assert sorted(got) == ["stacks/parent.yaml/Network"]
    assert got["stacks/parent.yaml/Network"]["new"] == "stacks/child.yaml"
    repo.write("stacks/child.yaml", queue(name="c"))  # the working tree
    got = stacks(impact("diff", "--base", "HEAD", "--format", "json", cwd=repo.root))
    assert sorted(got) == ["stacks/parent.yaml/Network"]
    assert got["stacks/parent.yaml/Network"]["old"] == "HEAD:stacks/child.yaml"
    repo.write("stacks/child.yaml", queue(name="b"))
    # The parent changed: the child is compared as its nested stack.
    repo.write("stacks/parent.yaml", PARENT.format(url="./child.yaml").replace("Remote:", "Remote2:"))
    got = stacks(impact("diff", "--base", base, "--format", "json", cwd=repo.root))
    assert sorted(got) == ["stacks/parent.yaml", "stacks/parent.yaml/Network"]
    assert got["stacks/parent.yaml/Network"]["old"] == f"{base}:stacks/child.yaml"
    assert got["stacks/parent.yaml/Network"]["new"] == "stacks/child.yaml"


def test_an_unchanged_parent_names_its_changed_child_in_folder_mode(impact, write):
    """Two folders: the parent and the middle stack are the same on both
    sides; the grandchild changed and is named after both."""
    for side, name in (("old", "a"), ("new", "b")):
        write(f"{side}/app.yaml", PARENT.format(url="./network.yaml"))
        write(f"{side}/network.yaml", PARENT.format(url="./queues/q.yaml"))
        write(f"{side}/queues/q.yaml", queue(name=name))
        write(f"{side}/notes.yaml", "Description: AWS::CloudFormation::Stack is named here, not a template\n")
    root = write("x", "").parent
    got = stacks(impact("diff", "old", "new", "--format", "json", cwd=root))
    assert sorted(got) == ["app.yaml/Network/Network"]
    child = got["app.yaml/Network/Network"]
    assert (child["old"], child["new"]) == ("old/queues/q.yaml", "new/queues/q.yaml")
    assert impact("diff", "old", "new", cwd=root).out.startswith("app.yaml/Network/Network: old/queues/q.yaml → new/queues/q.yaml\n")
    # Two files: the unchanged middle stack is followed to the grandchild too.
    got = stacks(impact("diff", "old/app.yaml", "new/app.yaml", "--format", "json", cwd=root))
    assert sorted(got) == ["new/app.yaml", "new/app.yaml/Network/Network"]
    # Nothing changed: still nothing to report.
    write("new/queues/q.yaml", queue(name="a"))
    r = impact("diff", "old", "new", "--format", "json", cwd=root)
    assert r.code == 0 and r.json()["stacks"] == []


def test_an_unchanged_parent_that_does_not_parse_stops_nothing(impact, write):
    for side, name in (("old", "a"), ("new", "b")):
        write(f"{side}/broken.yaml", "Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n  [\n")
        write(f"{side}/q.yaml", queue(name=name))
    got = stacks(impact("diff", "old", "new", "--format", "json", cwd=write("x", "").parent))
    assert sorted(got) == ["q.yaml"]


def test_nested_stacks_stop_at_the_depth_limit(impact, write):
    from impact.load.sources import MAX_NESTING

    for side, name in (("old", "a"), ("new", "b")):
        for level in range(MAX_NESTING + 2):
            write(f"{side}/s{level}.yaml", PARENT.format(url=f"s{level + 1}.yaml") + f"  Q:\n    Type: AWS::SQS::Queue\n    Properties: {{QueueName: {name}}}\n")
    got = stacks(impact("diff", "old/s0.yaml", "new/s0.yaml", "--format", "json", cwd=write("x", "").parent))
    assert len(got) == MAX_NESTING + 1
    deepest = max(got, key=len)
    assert got[deepest]["notes"] == [f"nested stack Network: more than {MAX_NESTING} levels deep; not compared"]


# The step summary


def test_step_summary_is_appended_when_github_sets_it(impact, write, tmp_path):
    old, new = write("old.yaml", queue()), write("new.yaml", queue(name="other"))
    summary = write("summary.md", "earlier step\n")
    r = impact("diff", old, new, "--step-summary", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert r.code == 0 and str(new) in r.out
    written = summary.read_text()
    assert written.startswith("earlier step\n<!-- impact:") and "replacement" in written
    r = impact("diff", old, new, "--step-summary", "--format", "md", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert summary.read_text() == written + r.out


def test_step_summary_is_not_written_otherwise(impact, write, tmp_path):
    old, new = write("old.yaml", queue()), write("new.yaml", queue(name="other"))
    summary = tmp_path / "summary.md"
    env = {k: "" for k in ("GITHUB_STEP_SUMMARY",)}
    assert impact("diff", old, new, "--step-summary", env=env).code == 0
    assert impact("diff", old, new, env={"GITHUB_STEP_SUMMARY": str(summary)}).code == 0
    assert not summary.exists()


def test_templates_that_only_point_at_each_other_are_still_compared(impact, write):
    for side, name in (("old", "a"), ("new", "b")):
        write(f"{side}/one.yaml", PARENT.format(url="two.yaml") + f"  Q:\n    Type: AWS::SQS::Queue\n    Properties: {{QueueName: {name}}}\n")
        write(f"{side}/two.yaml", PARENT.format(url="one.yaml") + f"  Q:\n    Type: AWS::SQS::Queue\n    Properties: {{QueueName: {name}}}\n")
    got = stacks(impact("diff", "old", "new", "--format", "json", cwd=write("x", "").parent))
    assert sorted(got) == ["one.yaml", "one.yaml/Network"]
    assert got["one.yaml/Network"]["notes"] == ["nested stack Network: old/one.yaml contains itself; not compared"]


def test_a_key_given_twice_in_a_json_template_read_when_diffed_is_a_warning_at_its_repository_path(impact, repo):
    repo.write("stacks/a.json", json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}))
    repo.commit()
    repo.write("stacks/a.json", '{"Resources": {"Q": {"Type": "AWS::SQS::Queue",\n "Type": "AWS::SNS::Topic"}}}')
    r = impact("diff", "--base", "HEAD", "--format", "json", cwd=repo.root)
    (stack,) = r.json()["stacks"]
    (w,) = stack["warnings"]
    assert (w["file"], w["line"], w["column"]) == ("stacks/a.json", 2, 2) and w["file"] == stack["new"]
    assert w["message"] == "key Type is given twice (also at 1:22); CloudFormation uses this one"
    (rd,) = stack["resources"]
    assert (rd["type"], rd["old_type"]) == ("AWS::SNS::Topic", "AWS::SQS::Queue")
