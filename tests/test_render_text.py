"""The terminal view: one line per resource, changed paths beneath, values
shortened around their difference, colour only on a terminal."""

import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES, REPO, run_impact
from render_samples import HOSTILE, sample_report

from impact.model import Report, ResourceDiff, StackDiff
from impact.render import render
from impact.render.common import finding_help, value_pair, verdict

OLD, NEW = EXAMPLES / "old.yaml", EXAMPLES / "new.yaml"


def test_one_line_per_resource_with_its_worst_label_and_paths_beneath():
    r = run_impact("diff", OLD, NEW)
    assert r.code == 0, r
    lines = r.out.splitlines()
    assert lines[0] == f"{OLD} → {NEW}"
    heads = [line for line in lines if line[:2] in ("~ ", "+ ", "- ")]
    assert heads[0].startswith("~ ArtifactBucket  AWS::S3::Bucket  replacement")
    assert "- LegacyTopic  AWS::SNS::Topic  removed" in heads
    assert heads[-1] == "+ ModelEvents  AWS::SNS::Topic  added"
    queue = lines.index("~ InferenceQueue  AWS::SQS::Queue  no-interruption")
    assert lines[queue + 1].split() == ["no-interruption", "/Properties/VisibilityTimeout", '30', "→", '"60"']  # as written
    assert "\x1b[" not in r.out  # not a terminal


def test_long_values_show_the_part_that_differs():
    r = run_impact("diff", OLD, NEW)
    image = next(line for line in r.out.splitlines() if "/Containers/0/Image" in line)
    before, after = image.split("  ")[-1].split(" → ")
    assert before.startswith('"…') and before.endswith('churn:1.0"'), before
    assert after.startswith('"…') and after.endswith('churn:2.0"'), after
    assert before != after


@pytest.mark.parametrize(
    "before, after, want",
    [
        ("a" * 50 + "churn:1.0", "a" * 50 + "churn:2.0", ('"…aaaaaaaaaachurn:1.0"', '"…aaaaaaaaaachurn:2.0"')),
        ("x-1-" + "y" * 80, "x-2-" + "y" * 80, ('"x-1-yyyyyyyyyyyyyyy…"', '"x-2-yyyyyyyyyyyyyyy…"')),
        ("short", "other", ('"short"', '"other"')),
        (None, "new", ("(not set)", '"new"')),
        ({"Ref": "A"}, {"Ref": "B"}, ('{"Ref": "A"}', '{"Ref": "B"}')),
    ],
)
def test_value_pair(before, after, want):
    assert value_pair(before, after, 20) == want


def test_value_pair_keeps_the_limit_and_marks_every_cut():
    a = "p" * 100 + "OLD" + "s" * 100
    b = "p" * 100 + "NEWER" + "s" * 100
    x, y = value_pair(a, b, 30)
    assert len(x) <= 32 and len(y) <= 32  # plus the quotes
    assert "OLD" in x and "NEWER" in y
    assert x.count("…") == 2 and y.count("…") == 2


def test_value_pair_never_cuts_a_difference_longer_than_the_limit():
    x, y = value_pair("same-" + "a" * 200, "same-" + "b" * 200, 20)
    assert x == '"same-' + "a" * 200 + '"' and y == '"same-' + "b" * 200 + '"'
    x, y = value_pair("p" * 100 + "a" * 50 + "s" * 100, "p" * 100 + "b" * 50 + "s" * 100, 20)
    assert x == '"…' + "p" * 6 + "a" * 50 + "s" * 6 + '…"'


WORLD_OPEN = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8",
              "Description": "the office network, reachable from the whole building"}


def test_value_pair_shows_the_keys_that_differ_whole_and_shortens_the_same():
    x, y = value_pair(WORLD_OPEN, dict(WORLD_OPEN, CidrIp="0.0.0.0/0"), 60)
    assert (x, y) == ('{…, "CidrIp": "10.0.0.0/8", …}', '{…, "CidrIp": "0.0.0.0/0", …}')
    x, y = value_pair(WORLD_OPEN, dict(WORLD_OPEN, CidrIp="0.0.0.0/0"), 100)
    assert y == '{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0", "Description": …}'
    # A key on one side only is whole; so is a value added whole.
    x, y = value_pair({"A": "1" * 80}, {"A": "1" * 80, "B": "new"}, 20)
    assert (x, y) == ('{"A": …}', '{"A": …, "B": "new"}')
    assert value_pair(None, WORLD_OPEN, 20)[1].endswith('"Description": "the office network, reachable from the whole building"}')
    # Lists: equal runs are one ellipsis, the differing item whole.
    x, y = value_pair([{"a": "1" * 30}, "same", {"b": "2"}], [{"a": "1" * 30}, "same", {"b": "3"}], 20)
    assert (x, y) == ('[…, {"b": "2"}]', '[…, {"b": "3"}]')


def test_value_pair_without_a_limit_is_whole_and_quotes_escape():
    assert value_pair('say "hi"', 'say "ho"', None) == ('"say \\"hi\\""', '"say \\"ho\\""')


def test_findings_with_their_explanation_and_every_reason():
    out = render(sample_report(), "text")
    lines = out.splitlines()
    explanation = finding_help("type-change")
    error = lines.index(f"  ERROR type-change: {explanation}" if explanation else "  ERROR type-change")
    assert lines[error + 1] == "    Cache changes Type: CloudFormation refuses this update"
    assert out.index("ERROR") < out.index("WARNING") < out.index("INFO") < out.index("~ Cache")
    assert "knock-on: changes because Orders is replaced" in out
    assert "override: stopped in the maintenance window anyway" in out
    assert "ignored: monitoring is reviewed by ops" in out
    assert "ignored: custom resources are reviewed by their owners" in out
    assert "sources differ: replacement (docs 2023-09-19); conditional (schema 2026-10-20)" in out
    assert "note: Transform AWS::Serverless-2016-10-31" in out
    assert "Outside Resources:" in out and '/Parameters/Env/Default  "dev" → "prod"' in out
    assert "(Type was AWS::ElastiCache::CacheCluster)" in out
    assert out.startswith("⛔ 2 stacks: 2 resources replaced, 1 removed, 1 conditional")


def _run_on_terminal(env):
    """Run the CLI with stdout on a pseudo-terminal; return what it wrote."""
    import pty

    leader, follower = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env.update(env)
    proc = subprocess.run([sys.executable, "-m", "impact", "diff", str(OLD), str(NEW)], cwd=REPO, env=full_env,
                          stdout=follower, stderr=subprocess.PIPE, timeout=60)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.returncode == 0, proc.stderr
    return b"".join(chunks).decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color():
    coloured = _run_on_terminal({})
    assert "\x1b[31;1mreplacement\x1b[0m" in coloured
    plain = _run_on_terminal({"NO_COLOR": "1"})
    assert "\x1b[" not in plain and "replacement" in plain


PARENT = "Resources:\n  Network:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./network.yaml\n"
CHILD = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: {}\n"


def test_nested_stacks_that_share_a_child_template_are_told_apart_by_name(write):
    for side in ("old", "new"):
        extra = "  Extra:\n    Type: AWS::SNS::Topic\n" if side == "new" else ""
        write(f"{side}/a.yaml", PARENT + extra)
        write(f"{side}/b.yaml", PARENT + extra)
    write("old/network.yaml", CHILD.format(30))
    folder = write("new/network.yaml", CHILD.format(60)).parent.parent
    r = run_impact("diff", "old", "new", cwd=folder)
    assert r.code == 0, r
    heads = [line for line in r.out.splitlines() if "→" in line and not line.startswith(" ")]
    join = os.path.join
    assert heads == [
        f"{join('old', 'a.yaml')} → {join('new', 'a.yaml')}",  # the path ends with the name: not repeated
        f"a.yaml/Network: {join('old', 'network.yaml')} → {join('new', 'network.yaml')}",
        f"{join('old', 'b.yaml')} → {join('new', 'b.yaml')}",
        f"b.yaml/Network: {join('old', 'network.yaml')} → {join('new', 'network.yaml')}",
    ]


def test_template_text_in_the_stack_head_is_made_visible():
    stack = StackDiff(f"parent.yaml/{HOSTILE}", f"old/{HOSTILE}", "new/child.yaml",
                      resources=[ResourceDiff("Topic", "AWS::SNS::Topic", "add")])
    head = render(Report(stacks=[stack]), "text").splitlines()[0]
    assert head.startswith("parent.yaml/</details>") and head.endswith(" → new/child.yaml")
    assert "\\u001b[31mred\\u202e" in head and "\x1b" not in head and "\u202e" not in head and "\\n" in head


def test_the_verdict_can_be_painted_part_by_part():
    report = sample_report()
    assert verdict(report.stacks) == "2 resources replaced, 1 removed, 1 conditional, 3 updated in place, 1 added, " \
                                     "2 ignored by config; 1 error, 1 warning, 1 info"
    painted = verdict(report.stacks, lambda text, key: f"<{key}>{text}")
    assert painted.startswith("<replacement>2 resources replaced, <removed>1 removed, <conditional>1 conditional")
    assert painted.endswith("; <error>1 error, <warning>1 warning, <info>1 info")
