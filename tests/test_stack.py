"""``impact diff --stack NAME NEW`` against a local AWS endpoint: moto's
server, started here on 127.0.0.1 on a free port.  The CLI runs in a
subprocess whose boto3 speaks the real wire protocol to it, with fake
credentials; nothing reaches the internet.

moto models a change set's Action (Add, Modify, Remove), LogicalResourceId,
ResourceType, Status, ExecutionStatus and the StatusReason of an empty
change set; it gives no Details, Replacement, PolicyAction or drift, which
the fixture tests (tests/test_changeset.py) cover."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO, assert_one_line_error, run_impact

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

REGION = "eu-west-1"
DEPLOYED = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: staging
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Ref Env
"""
NEW = DEPLOYED.replace("VisibilityTimeout: 30", "VisibilityTimeout: 60") + """
  Alerts:
    Type: AWS::SNS::Topic
"""


@pytest.fixture(scope="module")
def aws():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    env = {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_PROXY": "127.0.0.1",
    }
    client = boto3.client(
        "cloudformation",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    yield env, client
    server.stop()


@pytest.fixture
def stack(aws, request):
    env, client = aws
    name = "app-" + request.node.name.replace("_", "-")[:40]
    client.create_stack(StackName=name, TemplateBody=DEPLOYED, Parameters=[{"ParameterKey": "Env", "ParameterValue": "prod"}])
    return name


def backend():
    from moto.cloudformation.models import cloudformation_backends

    return cloudformation_backends["123456789012"][REGION]


def test_stack_diff_merges_the_change_set_and_deletes_it(aws, stack, write):
    env, client = aws
    new = write("new.yaml", NEW)
    r = run_impact("diff", "--stack", stack, new, "--format", "json", env=env)
    assert r.code == 0, r
    doc = r.json()
    top = doc["stacks"][0]
    assert top["name"] == stack and top["old"] == f"{stack} (deployed in {REGION})"
    assert top["change_set"]["Status"] == "CREATE_COMPLETE"
    assert top["change_set"]["ChangeSetName"].startswith("impact-preview-")
    queue = next(rd for rd in top["resources"] if rd["logical_id"] == "Queue")
    assert queue["change_set"]["Action"] == "Modify"
    assert queue["changes"][0]["path"] == "/Properties/VisibilityTimeout"
    assert queue["changes"][0]["impact"] == "no-interruption"  # moto gives no Details: the offline label stays
    alerts = next(rd for rd in top["resources"] if rd["logical_id"] == "Alerts")
    assert alerts["action"] == "add" and alerts["change_set"]["Action"] == "Add"
    # The change set is gone, never executed: the stack still has the old template.
    assert client.list_change_sets(StackName=stack)["Summaries"] == []
    assert "VisibilityTimeout: 30" in client.get_template(StackName=stack)["TemplateBody"]
    assert r.err == ""


def test_stack_diff_uses_the_deployed_parameters_unless_given(aws, stack, write):
    env, client = aws
    seen = []
    original = type(backend()).create_change_set

    def spy(self, **kwargs):
        seen.append(kwargs["parameters"])
        return original(self, **kwargs)

    type(backend()).create_change_set = spy
    try:
        new = write("new.yaml", NEW)
        assert run_impact("diff", "--stack", stack, new, env=env).code == 0
        params = write("params.json", json.dumps([{"ParameterKey": "Env", "ParameterValue": "test"}]))
        assert run_impact("diff", "--stack", stack, new, "--parameters", params, env=env).code == 0
        assert run_impact("diff", "--stack", stack, new, "--parameters", "Env=qa", env=env).code == 0
    finally:
        type(backend()).create_change_set = original
    assert seen == [{"Env": "prod"}, {"Env": "test"}, {"Env": "qa"}]


def test_stack_text_report(aws, stack, write):
    env, _ = aws
    r = run_impact("diff", "--stack", stack, write("new.yaml", NEW), env=env)
    assert r.code == 0, r
    assert f"{stack}: {stack} (deployed in {REGION}) → " in r.out
    assert "+ Alerts  AWS::SNS::Topic  added" in r.out
    assert "change set: Action Add" in r.out


def test_stack_not_found(aws, write):
    env, _ = aws
    r = run_impact("diff", "--stack", "nope", write("new.yaml", NEW), env=env)
    assert_one_line_error(r, contains=f"stack nope not found in {REGION}")


def test_no_credentials(aws, write):
    env, _ = aws
    env = {k: v for k, v in env.items() if not k.startswith("AWS_ACCESS") and k not in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
    blank = dict(os.environ)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        blank.pop(key, None)
    proc = subprocess.run(
        [sys.executable, "-m", "impact", "diff", "--stack", "x", str(write("new.yaml", NEW))],
        env={**blank, **env},
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "no AWS credentials" in lines[0], proc.stderr
    assert proc.stdout == ""


def test_no_changes_is_not_an_error(aws, stack, write):
    env, client = aws
    r = run_impact("diff", "--stack", stack, write("same.yaml", DEPLOYED), env=env)
    assert r.code == 0, r
    assert f"stack {stack}: no changes" in r.err
    assert client.list_change_sets(StackName=stack)["Summaries"] == []


def test_failed_change_set_shows_aws_reason_and_is_deleted(aws, stack, write):
    env, client = aws
    original = type(backend()).create_change_set

    def failing(self, **kwargs):
        ids = original(self, **kwargs)
        cs = self.change_sets[ids[0]]
        cs.status, cs.status_reason = "FAILED", "Template error: instance of Fn::GetAtt references undefined resource Nope"
        return ids

    type(backend()).create_change_set = failing
    try:
        r = run_impact("diff", "--stack", stack, write("new.yaml", NEW), env=env)
    finally:
        type(backend()).create_change_set = original
    assert_one_line_error(
        r, contains=f"change set for stack {stack} FAILED: Template error: instance of Fn::GetAtt references undefined resource Nope"
    )
    assert client.list_change_sets(StackName=stack)["Summaries"] == []


def test_ctrl_c_deletes_the_change_set(aws, stack, write):
    """Interrupted while AWS is still creating the change set: it is deleted all the same."""
    env, client = aws
    original = type(backend()).create_change_set

    def slow(self, **kwargs):
        ids = original(self, **kwargs)
        self.change_sets[ids[0]].status = "CREATE_IN_PROGRESS"
        return ids

    type(backend()).create_change_set = slow
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "impact", "diff", "--stack", stack, str(write("new.yaml", NEW))],
            env={**os.environ, **env},
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline and not client.list_change_sets(StackName=stack)["Summaries"]:
            time.sleep(0.1)
        assert client.list_change_sets(StackName=stack)["Summaries"], "no change set was created"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        type(backend()).create_change_set = original
    assert proc.returncode == 130, err
    assert "Traceback" not in err and out == ""
    assert client.list_change_sets(StackName=stack)["Summaries"] == []


def test_stack_usage_errors(aws, stack, write):
    env, _ = aws
    new = write("new.yaml", NEW)
    assert_one_line_error(run_impact("diff", "--stack", stack, env=env), contains="give the new template")
    assert_one_line_error(run_impact("diff", "--stack", stack, new, "--base", "HEAD", env=env), contains="--stack")
    bad = write("p.json", '[{"ParameterKey": "Nope", "ParameterValue": "x"}]')
    assert_one_line_error(run_impact("diff", "--stack", stack, new, "--parameters", bad, env=env), contains="Nope not a parameter")
    broken = write("p2.json", '[{"ParameterKey": "Env", ')
    assert_one_line_error(run_impact("diff", "--stack", stack, new, "--parameters", broken, env=env), path=broken, line=1)


def test_region_option_picks_the_region(aws, stack, write):
    """The stack lives in eu-west-1: asked for in us-east-1, it is not there."""
    env, _ = aws
    r = run_impact("diff", "--stack", stack, write("new.yaml", NEW), "--region", "us-east-1", env=env)
    assert_one_line_error(r, contains=f"stack {stack} not found in us-east-1")


def test_boto3_is_imported_only_for_stack(write):
    """The offline path never imports boto3."""
    code = (
        "import sys, runpy; sys.argv = ['impact', 'diff', sys.argv[1], sys.argv[2]];"
        "from impact.cli import run; run(sys.argv[1:]); print('boto3' in sys.modules, 'botocore' in sys.modules)"
    )
    old = write("a.yaml", DEPLOYED)
    new = write("b.yaml", NEW)
    proc = subprocess.run([sys.executable, "-c", code, str(old), str(new)], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "False False", proc
