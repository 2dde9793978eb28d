"""The pull-request comment: marker, verdict, summary, what needs a decision
(each once, linked to its row), one <details> per stack (worst first, open
with an error) and per resource, no table wider than the column, and a size
budget met by whole structures with an exact account of what was left out."""

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
    assert lines[2] == "### ⛔ impact: 4 resources replaced, 1 removed, 1 updated in place, 1 added; 2 warnings"
    assert "| stack |" not in md  # one stack: the headline says it all
    # What needs a decision, once each, before any detail, each linked to its row.
    assert lines[4] == "**⛔ Needs a decision: 5 resources**"
    decided = re.findall(r"^- (\S+) \[<b>(\w+)</b>\]\(#user-content-(impact-[\d-]+)\) (\w[\w-]*)", md, re.M)
    assert [(mark, lid, word) for mark, lid, _, word in decided] == [
        ("🔴", "ArtifactBucket", "replacement"), ("🔴", "ArtifactBucketPolicy", "replacement"),
        ("🔴", "HealthCheck", "replacement"), ("🔴", "ModelPackage", "replacement"), ("🗑️", "LegacyTopic", "removed")]
    for _, lid, anchor, _ in decided:
        assert re.search(rf'^<summary>\S+ <b>{lid}</b> .*<a name="{anchor}"></a></summary>$', md, re.M), lid
    assert ("<code>/Properties/HealthCheckConfig/Type</code>: <code>\"HTTPS\"</code> → <code>\"HTTP\"</code>"
            in next(line for line in lines if "HealthCheck</b>](" in line))
    assert "replacement — because `ArtifactBucket` is replaced" in md
    assert md.index("Needs a decision") < md.index("<details open>\n<summary>⛔ <b>examples/new.yaml</b>")
    summaries = [line for line in lines if line.startswith("<summary>") and "<b>" in line]
    # Worst first: replacements, then the removal, then the rest.
    assert [s.split("<b>")[1].split("</b>")[0] for s in summaries[1:]] == [
        "ArtifactBucket", "ArtifactBucketPolicy", "HealthCheck", "ModelPackage", "LegacyTopic", "InferenceQueue"]
    assert "- ➕ <b>ModelEvents</b> <code>AWS::SNS::Topic</code>\n  - <code>DisplayName</code>: <code>\"model events\"</code>" in md
    assert "<summary>➕ 1 resource added</summary>" in md
    assert "knock-on: changes because <code>ArtifactBucket</code> is replaced" in md
    # A warning is named on its resource's line; its sentence is told once, at the end.
    assert "· replacement · ⚠️ <code>stateful-replacement</code>" in md
    assert md.count("Replacing or removing a resource that holds data") == 1
    assert "|---" not in md  # no table but the summary's, which one stack does not need
    assert not left_out(md)


def test_an_error_finding_needs_a_decision(write):
    old = write("old.yaml", "Resources:\n  Cache:\n    Type: AWS::SNS::Topic\n")
    new = write("new.yaml", "Resources:\n  Cache:\n    Type: AWS::SQS::Queue\n")
    md = run_impact("diff", old, new, "--format", "md").out
    assert_well_formed(md)
    top = md.split("<details")[0]  # above every stack
    assert "**⛔ Needs a decision: 1 resource**" in top
    assert re.search(r"^- ⛔ \[<b>Cache</b>\]\(#user-content-impact-1-1\) not-updatable — .*`type-change`: Cache changes Type", top, re.M), top


def test_every_feature_of_the_model_is_shown():
    md = render(sample_report(), "md")
    assert_well_formed(md)
    assert "| ⛔ <code>prod/app.yaml</code> | 2 | 1 | 1 | 2 | 1 | 2 |" in md
    assert "| ✅ <code>prod/edge.yaml</code> |  |  |  | 1 |  |  |" in md
    top = md[md.index("Needs a decision"): md.index("<details")]
    assert top.index("<b>Cache</b>") < top.index("<b>Orders</b>")  # worst first: not-updatable, then replacements
    assert "`type-change`: Cache changes Type" in top and "stateful-replacement" not in top  # a warning
    assert "> [!NOTE]\n> Transform AWS::Serverless-2016-10-31" in md
    assert "**Changes outside Resources**" in md and "- Parameters Env modify <code>/Parameters/Env/Default</code>:" in md
    assert "knock-on: changes because <code>Orders</code> is replaced" in md
    assert "override: stopped in the maintenance window anyway" in md
    assert "<br><sub>sources differ: see note 1</sub>" in md
    assert ("\n\n1. <code>AWS::DynamoDB::Table</code>: replacement (docs 2023-09-19); "
            "conditional (schema 2026-10-20) (1 change)\n") in md
    assert "- ⚪ replacement (ignored) <code>/Properties/Monitoring</code>: " in md
    assert "<br><sub>ignored: monitoring is reviewed by ops" in md
    assert "<summary>⚪ 1 resource ignored by config</summary>" in md
    assert "(Type was <code>AWS&#58;&#58;ElastiCache" not in md  # colons stay readable
    assert "(Type was <code>AWS::ElastiCache::CacheCluster</code>)" in md
    assert md.endswith("</details>\n") and "<summary>What the findings mean</summary>" in md


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
    dropped = sum(number(n) for n in re.findall(r"^> - the per-resource detail of stack .* \(([\d,]+) resources?, ", md, re.M))
    assert shown_blocks + shown_lines + claims["quiet"] + claims["none"] + dropped == total
    # A change without its values: its label and path, and nothing after them but its reasons.
    collapsed = len(re.findall(r"^- \S+ [a-z-]+(?: \(ignored\))? <code>[^<]*</code>(?:<br>|$)", md, re.M))
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
    items = [item.split(" of ")[0] for item in left_out(md)]
    assert items and set(items) <= {"why each resource needs a decision (its row says it)", "the before and after values"}
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
    assert "> - the last 5 lines of what needs a decision\n" in md  # the last step was taken too
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
    rows = [line for line in md.splitlines() if line.startswith(("- 🔴 replacement <code>", "- 🟣 conditional <code>"))]
    assert len(rows) == 60
    for row in rows:
        n = numbers["key"] if "/KeySchema/" in row else numbers["attributes"]
        assert row.count("sources differ") == 1 and f"sources differ: see note {n}" in row, row

    short = run_impact("diff", old, new, "--format", "md", "--max-chars", "3000").out
    assert_well_formed(short)
    assert len(short) <= 3000 and "2 notes on where sources differ" in left_out(short)
    assert "**Sources differ**" not in short and KEY_SCHEMA not in short


# --- a pull request of three stacks, as a reviewer sees it -------------------


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    """bench.screen's pull request: replacements and a removal in one stack,
    grants and rules opened in another, a new template of additions."""
    from bench.screen import three_stacks

    repo = three_stacks(tmp_path_factory.mktemp("pr") / "repo")
    r = run_impact("diff", "--base", "main", "--format", "md", cwd=repo)
    assert r.code == 0, r
    return r.out


def test_a_pull_request_reads_verdict_then_decisions_then_stacks_worst_first(three):
    md = three
    assert_well_formed(md)
    lines = md.splitlines()
    assert lines[2].startswith("### ⛔ impact: 4 resources replaced, 1 removed, 2 interrupted")
    # The table: the worst stacks first, each with its mark; the add-only one last.
    rows = re.findall(r"^\| (\S+) <code>stacks/(\w+)\.ya?ml</code> \|", md, re.M)
    assert rows == [("⛔", "registry"), ("⛔", "security"), ("✅", "alerts")]
    top = md[:md.index("<details")]
    assert "**⛔ Needs a decision: 9 resources** in 2 stacks" in top
    # Each error once, under its stack, linked to its row, on both axes.
    groups = re.split(r"^⛔ `stacks/", top, flags=re.M)[1:]
    named = {g.split(".", 1)[0]: re.findall(r"^- \S+ \[<b>(\w+)</b>\]\(#user-content-(impact-\d+-\d+)\)", g, re.M)
             for g in groups}
    assert [lid for lid, _ in named["registry"]] == ["ArtifactBucket", "ArtifactBucketPolicy", "HealthCheck",
                                                     "ModelPackage", "LegacyTopic"]
    assert [lid for lid, _ in named["security"]] == ["ApiSecurityGroup", "Database", "AssetsPolicy", "WorkerRole"]
    for lid, anchor in named["registry"] + named["security"]:
        assert md.count(f'<a name="{anchor}"></a>') == 1 and f"<b>{lid}</b>" in md.split(f'<a name="{anchor}">')[0].rsplit("<summary>", 1)[1]
    assert "🔑 [<b>WorkerRole</b>]" in top and "attaches AWS-managed AdministratorAccess" in top
    # No security row, finding or error is told twice above the stacks.
    assert top.count("allows ingress tcp port 22") == 1
    # Stacks: worst first, those with errors open, the add-only one closed.
    stacks = re.findall(r"^<details( open)?>\n<summary>(\S+) <b>stacks/(\w+)", md, re.M)
    assert stacks == [(" open", "⛔", "registry"), (" open", "⛔", "security"), ("", "✅", "alerts")]
    assert "|---" not in md.split("<details", 1)[1]  # no table in the detail


def test_a_pull_request_fits_the_column_in_a_browser(three, tmp_path):
    """Rendered as GitHub renders it (cmark-gfm) in a column 880 px wide:
    nothing is wider than the column, and what needs a decision ends before
    the first stack's detail starts."""
    pytest.importorskip("cmarkgfm", reason="cmarkgfm (GitHub's Markdown library) is not installed")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from bench.screen import ARGS, COLUMN, COMMENT_LAYOUT, gfm_html

    import os
    import shutil
    path = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium")
    if not path:
        pytest.skip("no Chromium here: .ci/run installs Debian's chromium where apt can")
    page_file = tmp_path / "comment.html"
    page_file.write_text(gfm_html(three), encoding="utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=ARGS)
        page = browser.new_page(viewport={"width": COLUMN, "height": 900})
        page.goto(page_file.as_uri())
        layout = page.evaluate(COMMENT_LAYOUT)
        # measured from the column's top, as the layout's "top" is
        last = page.evaluate("() => { const body = document.querySelector('.markdown-body'); "
                             "const items = body.querySelectorAll(':scope > ul'); "
                             "return items[items.length - 1].getBoundingClientRect().bottom "
                             "- body.getBoundingClientRect().top; }")
        browser.close()
    assert layout["wide"] == [] and layout["widest_table"] <= COLUMN, layout
    assert last <= layout["top"], layout  # the list of what needs a decision, then the stacks
