"""The composite action's steps, run end to end offline (tests/actionrun.py):
a pull request's clone (shallow, from a local ``origin``), impact itself,
and ``gh`` replaying recorded GitHub API answers."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from actionrun import run_action, evaluate
from test_sources import GIT_ENV

DATA = Path(__file__).parent / "data" / "ghcomment"

TOPIC = """\
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: {name}
      DisplayName: {display}
"""
QUEUE = """\
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: {timeout}
"""

# Replays `gh api`: GitHub Actions' token cannot read /user; the listing is
# the recorded pages; a POST answers with the recorded new comment.  Every
# call and its input is appended to $GH_CALLS as one JSON line.
FAKE_GH = f"""\
#!{sys.executable}
import json, os, sys
from pathlib import Path
data = Path({str(DATA)!r})
args = sys.argv[1:]
stdin = sys.stdin.read() if "--input" in args else None
with open(os.environ["GH_CALLS"], "a") as fh:
    fh.write(json.dumps({{"args": args, "input": stdin, "token": os.environ.get("GH_TOKEN")}}) + "\\n")
if args == ["api", "user"]:
    sys.stderr.write("gh: Resource not accessible by integration (HTTP 403)\\n")
    sys.exit(1)
if args[:2] == ["api", "--paginate"]:
    sys.stdout.write((data / "comments-page1.json").read_text() + (data / "comments-without-marker.json").read_text())
elif args[:3] == ["api", "--method", "POST"]:
    sys.stdout.write((data / "created.json").read_text())
else:
    sys.stderr.write("unexpected call\\n")
    sys.exit(1)
"""


def git(cwd, *args):
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def commit(cwd, files: dict, message: str) -> str:
    for name, text in files.items():
        path = Path(cwd) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", message)
    return git(cwd, "rev-parse", "HEAD").strip()


@pytest.fixture
def pull_request(tmp_path):
    """An origin whose main moved on after the pull request branched off,
    and the pull request's head checked out with depth 1, as
    actions/checkout does; returns the clone."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")  # as GitHub allows fetching a commit
    commit(origin, {
        ".impact.yaml": "fail_on: no-interruption\n",
        "stacks/topic.yaml": TOPIC.format(name="alerts", display="Alerts"),
        "stacks/queue.yaml": QUEUE.format(timeout=30),
    }, "base")
    for n in range(3):
        commit(origin, {f"docs/{n}.md": "notes\n"}, f"docs {n}")
    git(origin, "checkout", "-q", "-b", "pr")
    commit(origin, {"stacks/topic.yaml": TOPIC.format(name="alerts-v2", display="Alerts")}, "rename the topic")
    git(origin, "checkout", "-q", "main")
    # main moves on: a change the pull request did not make.
    commit(origin, {"stacks/queue.yaml": QUEUE.format(timeout=90)}, "longer timeout")
    clone = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{origin}", str(clone)],
                   check=True, capture_output=True, env={**os.environ, **GIT_ENV})
    return clone


def fake_gh(tmp_path) -> dict:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    calls = tmp_path / "gh-calls.jsonl"
    return {"PATH_FIRST": str(bin_dir), "GH_CALLS": str(calls)}


def gh_calls(env) -> list:
    path = Path(env["GH_CALLS"])
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


PR_EVENT = {"pull_request": {"number": 7}}
PR_ENV = {"GITHUB_BASE_REF": "main", "GITHUB_REPOSITORY": "octo-org/infra", "GITHUB_EVENT_NAME": "pull_request"}


def test_with_a_config_fail_on_every_reporting_step_reports_and_only_the_last_fails(pull_request, tmp_path):
    env = {**PR_ENV, **fake_gh(tmp_path)}
    run = run_action(pull_request, {"sarif": "true"}, PR_EVENT, dict(env), tmp_path)
    assert run.failed == ["Decide the job's status"], [(s.name, s.outcome, s.stderr) for s in run.steps]
    last = run.step("Decide the job's status")
    assert last.code == 1 and "::error::impact: the report reaches fail-on error" in last.stdout
    # The comparison met fail-on (TopicName is a replacement) and did not fail its step.
    compare = run.step("Compare the templates")
    assert compare.outputs["exit-code"] == "1" and compare.outcome == "success"
    # Annotations, although .impact.yaml's fail_on is met too.
    annotate = run.step("Annotate the changed lines")
    assert annotate.ran and annotate.outcome == "success", annotate.stderr
    assert "::error file=stacks/topic.yaml,line=5" in annotate.stdout
    # The comment: one POST with the report, marker first.
    calls = gh_calls(env)
    posts = [c for c in calls if c["args"][:3] == ["api", "--method", "POST"]]
    assert len(posts) == 1 and posts[0]["token"] == "t0ken"
    body = json.loads(posts[0]["input"])["body"]
    assert body.startswith("<!-- impact: pull-request report -->") and "TopicName" in body
    assert "created comment https://github.com/octo-org/infra/pull/7#issuecomment-1999" in run.step("Comment").stdout
    # SARIF written and handed to the upload step.
    upload = run.step("Upload the SARIF report")
    sarif = json.loads(Path(upload.with_["sarif_file"]).read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["change/replacement"]
    assert "TopicName" in run.summary


def test_the_comparison_starts_at_the_merge_base_not_where_main_is_now(pull_request, tmp_path):
    env = {**PR_ENV, **fake_gh(tmp_path)}
    run = run_action(pull_request, {"fail-on": "none"}, PR_EVENT, dict(env), tmp_path)
    assert run.failed == [], [(s.name, s.outcome, s.stderr) for s in run.steps]
    report = Path(run.step("Compare the templates").outputs["report"]).read_text()
    assert "Topic" in report
    # main's later VisibilityTimeout change is not the pull request's.
    assert "queue.yaml" not in report and "VisibilityTimeout" not in report
    assert "VisibilityTimeout" not in run.step("Annotate the changed lines").stdout


def test_fail_on_input_empty_uses_the_config_and_none_never_fails(pull_request, tmp_path):
    env = {**PR_ENV, **fake_gh(tmp_path)}
    run = run_action(pull_request, {"fail-on": "", "comment": "false"}, PR_EVENT, dict(env), tmp_path)
    assert run.failed == ["Decide the job's status"]
    assert "the fail_on of .impact.yaml" in run.step("Decide").stdout
    assert not run.step("Comment").ran and gh_calls(env) == []


def test_bad_input_reports_what_it_can_and_fails_at_the_end(pull_request, tmp_path):
    commit(pull_request, {"stacks/topic.yaml": "Resources:\n  Topic: [\n"}, "broken")
    git(pull_request, "push", "-q", "origin", "HEAD:pr")
    env = {**PR_ENV, **fake_gh(tmp_path)}
    run = run_action(pull_request, {}, PR_EVENT, dict(env), tmp_path)
    compare = run.step("Compare the templates")
    assert compare.outcome == "success" and compare.outputs["exit-code"] == "2"
    assert compare.stderr.startswith("HEAD:stacks/topic.yaml:")
    assert not run.step("Annotate").ran and not run.step("Comment").ran
    assert run.failed == ["Decide the job's status"] and run.step("Decide").code == 2


def test_outside_a_pull_request_the_base_input_is_needed(pull_request, tmp_path):
    run = run_action(pull_request, {}, {}, {"GITHUB_REPOSITORY": "octo-org/infra"}, tmp_path)
    assert run.failed == ["Find the base revision", "Decide the job's status"]
    assert "set the base input outside pull requests" in run.step("Find the base revision").stdout
    # Nothing after it runs but the last step, which fails for want of a comparison.
    assert [s.name for s in run.steps if s.ran] == ["Find the base revision", "Decide the job's status"]


def test_expressions():
    ctx = {"inputs": {"a": "true", "b": ""}, "steps": {"run": {"outputs": {"x": "1"}}}, "github": {"event": {}}}
    status = {"success": True, "failure": False, "always": True, "cancelled": False}
    assert evaluate("!cancelled() && inputs.a == 'true' && steps.run.outputs.x != ''", ctx, status)
    assert not evaluate("inputs.b == 'true' || github.event.pull_request.number", ctx, status)
    assert evaluate("steps.nope.outputs.report == ''", ctx, status)
