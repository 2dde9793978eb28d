"""The pull-request comment: marker, verdict, summary, findings, one
<details> per stack and per resource, and a size budget met by whole
structures with an exact account of what was left out."""

import html
import json
import re

import pytest

from bench.generate import generate_pair, to_yaml
from conftest import run_impact
from render_samples import ATTRIBUTES, KEY_SCHEMA, assert_md_well_formed as assert_well_formed, big_report, disagreeing_tables, sample_report

from impact.render import render
from impact.render.jinja import md_code
from impact.render.markdown import MAX_CHARS

OLD, NEW = "examples/old.yaml", "examples/new.yaml"  # run from the checkout


def left_out(md: str) -> list:
    match = re.search(r"> \[!NOTE\]\n> Shortened to fit in [\d,]+ characters\. Left out:\n((?:> - .*\n)+)", md)
    return [line[4:] for line in match.group(1).splitlines()] if match else []


def number(text: str) -> int:
    return int(text.replace(",", ""))


def test_comment_layout_on_the_examples():
    r = run_impact("diff", OLD, NEW, "--format", "md")
    assert r.code == 0, r
    md = r.out
    assert_well_formed(md)
    lines = md.splitlines()
    assert lines[0] == "<!-- impact: pull-request report -->"
    assert lines[2].startswith("### ⛔ impact: 4 resources replaced, 1 removed, 1 updated in place, 1 added")
    # The table counts what the headline counts: resources; then changes.
    assert lines[4] == "| stack | 🔴 replaced | 🗑️ removed | 🟢 updated in place | ➕ added | changes |"
    assert lines[6] == "| ⛔ <code>examples/new.yaml</code> | 4 | 1 | 1 | 1 | 10 |"
    assert lines[8].startswith("<sub>Resources, by their most disruptive change, as in the headline")
    assert md.index("**Findings**") < md.index("<details open>\n<summary>⛔ <b>examples/new.yaml</b>")
    summaries = [line for line in lines if line.startswith("<summary>") and "<b>" in line]
    # Replacements first and open, then the removal, then the rest closed, additions last.
    assert [s.split("<b>")[1].split("</b>")[0] for s in summaries[1:]] == [
        "ArtifactBucket", "ArtifactBucketPolicy", "HealthCheck", "ModelPackage", "LegacyTopic", "InferenceQueue",
        "ModelEvents",  # in the collapsed list of added resources, with its properties
    ]
    opened = {lines[i + 1].split("<b>")[1].split("</b>")[0] for i, line in enumerate(lines) if line == "<details open>"}
    assert {"ArtifactBucket", "HealthCheck", "ModelPackage", "LegacyTopic"} <= opened
    assert "InferenceQueue" not in opened
    assert "<summary>➕ 1 resource added</summary>" in md
    assert "knock-on: changes because <code>ArtifactBucket</code> is replaced" in md
    assert not left_out(md)


def test_an_error_finding_becomes_a_caution_alert(write):
    old = write("old.yaml", "Resources:\n  Cache:\n    Type: AWS::SNS::Topic\n")
    new = write("new.yaml", "Resources:\n  Cache:\n    Type: AWS::SQS::Queue\n")
    md = run_impact("diff", old, new, "--format", "md").out
    assert_well_formed(md)
    alert = md.split("> [!CAUTION]\n", 1)[1]
    assert alert.startswith("> **1 error** to resolve before merging.")
    assert "> - ⛔ **error** `type-change`" in alert
    assert "> - ⛔ **error**" in md.split("<details")[0]  # above every stack


def test_every_feature_of_the_model_is_shown():
    md = render(sample_report(), "md")
    assert_well_formed(md)
    assert "| ⛔ <code>prod/app.yaml</code> | 2 | 1 | 1 | 2 | 1 | 2 | 8 |" in md
    assert "| ✅ <code>prod/edge.yaml</code> |  |  |  | 1 |  |  | 1 |" in md
    findings = md[md.index("[!CAUTION]"): md.index("<details")]
    assert findings.index("type-change") < findings.index("stateful-replacement") < findings.index("no-op-update")
    assert "> [!NOTE]\n> Transform AWS::Serverless-2016-10-31" in md
    assert "**Changes outside Resources**" in md and "| Parameters Env | <code>/Parameters/Env/Default</code> | modify |" in md
    assert "knock-on: changes because <code>Orders</code> is replaced" in md
    assert "override: stopped in the maintenance window anyway" in md
    assert "<br><sub>sources differ: see note 1</sub>" in md
    assert md.endswith("\n\n1. <code>AWS::DynamoDB::Table</code>: replacement (docs 2023-09-19); "
                       "conditional (schema 2026-10-20) (1 change)\n")
    assert "| ⚪ replacement (ignored) | <code>/Properties/Monitoring</code><br><sub>ignored: monitoring is reviewed by ops" in md
    assert "<summary>⚪ 1 resource ignored by config</summary>" in md
    assert "(Type was <code>AWS&#58;&#58;ElastiCache" not in md  # colons stay readable
    assert "(Type was <code>AWS::ElastiCache::CacheCluster</code>)" in md


def _account(md: str, total: int) -> None:
    """The note's numbers match what the comment shows, resource by resource."""
    items = left_out(md)
    shown_blocks = len(re.findall(r"^<summary>\S+ <b>Function\d+</b>", md, re.M))
    shown_lines = len(re.findall(r"^- \S+ <b>Function\d+</b>", md, re.M))
    claims = {"quiet": 0, "none": 0, "values": 0, "rows": 0}
    for item in items:
        if m := re.fullmatch(r"([\d,]+) resources? whose changes are all no-interruption \(.*\)", item):
            claims["quiet"] = number(m.group(1))
        elif m := re.fullmatch(r"([\d,]+) resources? not listed at all \(.*\)", item):
            claims["none"] = number(m.group(1))
        elif m := re.match(r"the before and after values of ([\d,]+) changes? in", item):
            claims["values"] = number(m.group(1))
        elif m := re.fullmatch(r"([\d,]+) no-interruption changes? in [\d,]+ other resources?", item):
            claims["rows"] = number(m.group(1))
        elif m := re.fullmatch(r"the change tables of ([\d,]+) resources? \(.*\), listed by name only", item):
            assert number(m.group(1)) == shown_lines
    assert shown_blocks + shown_lines + claims["quiet"] + claims["none"] == total
    collapsed = 0
    for table in re.findall(r"^\| label \| path \|\n\|---\|---\|\n((?:\|.*\n)+)", md, re.M):
        collapsed += table.count("\n")
    assert collapsed == claims["values"]
    hidden = sum(number(n) for n in re.findall(r"<sub>([\d,]+) no-interruption changes? not shown\.</sub>", md))
    assert hidden == claims["rows"]


@pytest.mark.parametrize("budget", [200_000, 60_000, 20_000, 5_000])
def test_budget_is_met_by_whole_structures_and_the_account_is_exact(budget):
    md = render(big_report(2000), "md", max_chars=budget)
    assert len(md) <= budget
    assert_well_formed(md)
    assert left_out(md)
    _account(md, 2000)


def test_values_go_first_then_no_interruption_detail():
    report = big_report(300)
    from impact.render.markdown import _Comment

    shortened = len(_Comment(report, 10**9).text())  # values shortened where they are the same
    assert len(render(report, "md", max_chars=10**9)) > shortened  # whole values, when they fit
    md = render(report, "md", max_chars=shortened - 2000)
    assert [item.split(" of ")[0] for item in left_out(md)] == ["the before and after values"]
    assert_well_formed(md)
    _account(md, 300)


def test_below_the_minimal_form_whole_stacks_lose_their_detail_and_say_so():
    md = render(sample_report(), "md", max_chars=2000)
    assert_well_formed(md)
    items = left_out(md)
    assert "the per-resource detail of stack `prod/app.yaml` (8 resources, 10 changes)" in items
    assert "<sub>Per-resource detail left out for size: 8 resources, 10 changes.</sub>" in md
    assert len(md) <= 2000


@pytest.fixture(scope="module")
def big_pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    old, new = generate_pair(2000, seed=0)
    (folder / "old.yaml").write_text(to_yaml(old), encoding="utf-8")
    (folder / "new.yaml").write_text(to_yaml(new), encoding="utf-8")
    return folder / "old.yaml", folder / "new.yaml"


def test_a_2000_resource_diff_fits_a_comment(big_pair):
    r = run_impact("diff", *big_pair, "--format", "md", timeout=120)
    assert r.code == 0, r
    assert len(r.out) <= MAX_CHARS + 1  # plus the final line break
    assert_well_formed(r.out)
    assert left_out(r.out)
    assert "<summary>🔴 <b>" in r.out  # replacements keep their detail
    # Shortened, the rows still name their note, told once at the end.
    assert r.out.count("(docs 2023-09-19)") == 2
    assert r.out.count("sources differ: see note") == r.out.count("sources differ") > 10


def test_max_chars_sets_the_budget(big_pair):
    r = run_impact("diff", *big_pair, "--format", "md", "--max-chars", "15000", timeout=120)
    assert r.code == 0, r
    assert len(r.out) <= 15000 + 1
    assert_well_formed(r.out)


def test_a_budget_that_cannot_be_met_says_so():
    md = run_impact("diff", OLD, NEW, "--format", "md", "--max-chars", "1").out
    assert_well_formed(md)
    assert "> Could not fit in 1 character; this is the shortest form. Left out:\n" in md
    assert "Shortened to fit" not in md
    assert "> - 2 findings, the least severe\n" in md  # the last step was taken too
    fits = run_impact("diff", OLD, NEW, "--format", "md", "--max-chars", "2000").out
    assert "> Shortened to fit in 2,000 characters. Left out:\n" in fits and len(fits) <= 2001


REFERENCES = ("see https://evil.example and WWW.evil.example, fixed in 0123abc4567 and cafebabe, "
              ":rocket: :+1: @octo-org/team #12 GH-34")


def test_template_text_cannot_link_mention_or_emoji(write):
    """GitHub links URLs, @mentions, #issues, GH-issues and commit SHAs, and
    renders :emoji:, in comment text; none of them survives whole outside
    code, and the text still reads the same."""
    queue = "Resources:\n  Deadbeef1234:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: {}\n"
    old, new = write("old.yaml", queue.format(30)), write("new.yaml", queue.format(60))
    config = write(".impact.yaml", "overrides:\n  - type: AWS::SQS::Queue\n    path: /Properties/VisibilityTimeout\n"
                                   f"    label: some-interruptions\n    reason: {json.dumps(REFERENCES)}\n")
    md = run_impact("diff", old, new, "--format", "md", "--config", config).out
    assert_well_formed(md)
    text = re.sub(r"`[^`\n]*`|<code>.*?</code>", "", md)  # GitHub links nothing in code
    rendered = html.unescape(text)  # what GitHub's filters read
    assert "override: " in rendered
    for linked in (r"\w+://", r"(?i)www\.", r"(?<![\w])[0-9a-f]{7,}(?![\w])", r":[a-z0-9_+-]+:", r"@\w", r"#\d",
                   r"GH-\d"):
        assert not re.search(linked, rendered), (linked, re.search(linked, rendered))
    assert REFERENCES in rendered.replace("\u2060", "")
    assert "<b>Deadbe&#8288;ef1234</b>" in md  # a logical ID that is all hex digits
    # In code, GitHub makes nothing of them: the text keeps its characters.
    assert "<b>Deadbe&#8288;ef1234</b> <code>AWS::SQS::Queue</code>" in md
    assert md_code("cafebabe1 :+1: @team") == "<code>cafebabe1 :+1: &#64;team</code>"
    assert md_code("https://evil.example") == "<code>https&#58;//evil.example</code>"  # no autolink there either


def test_a_disagreement_of_sources_is_told_once_and_numbered_on_each_row(tmp_path):
    old, new = disagreeing_tables(tmp_path, 30)
    r = run_impact("diff", old, new, "--format", "md")
    assert r.code == 0, r
    md = r.out
    assert_well_formed(md)
    assert md.count(KEY_SCHEMA) == 1 and md.count(ATTRIBUTES) == 1
    notes = md[md.index("**Sources differ**"):]
    items = re.findall(r"^(\d+)\. (.*)$", notes, re.M)
    assert [n for n, _ in items] == ["1", "2"]
    numbers = {("key" if KEY_SCHEMA in text else "attributes"): n for n, text in items}
    assert "<code>/KeySchema</code>" in dict(items)[numbers["key"]]
    rows = [line for line in md.splitlines() if line.startswith("| 🔴") or line.startswith("| 🟣")]
    assert len(rows) == 60
    for row in rows:
        n = numbers["key"] if "/KeySchema/" in row else numbers["attributes"]
        assert row.count("sources differ") == 1 and f"sources differ: see note {n}" in row, row

    short = run_impact("diff", old, new, "--format", "md", "--max-chars", "3000").out
    assert_well_formed(short)
    assert len(short) <= 3000 and "2 notes on where sources differ" in left_out(short)
    assert "**Sources differ**" not in short and KEY_SCHEMA not in short
