"""The HTML review page: one self-contained file under a strict CSP, with
filters, search and expand/collapse that work in a real browser, also for
2,000 resources."""

import base64
import hashlib
import os
import re
import shutil
import time

import pytest

from conftest import run_impact
from render_samples import ATTRIBUTES, KEY_SCHEMA, big_report, disagreeing_tables, hostile_templates, sample_report

from impact.render import render

OLD, NEW = "examples/old.yaml", "examples/new.yaml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_one_self_contained_file_under_a_strict_csp(tmp_path):
    out = tmp_path / "review.html"
    r = run_impact("diff", OLD, NEW, "--format", "html", "--output", out)
    assert r.code == 0, r
    page = out.read_text(encoding="utf-8")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    assert csp == (f"default-src 'none'; style-src {_sha256(style)}; script-src {_sha256(script)}; "
                   "img-src 'none'; base-uri 'none'; form-action 'none'")
    assert page.count("<script") == 1 and page.count("<style") == 1
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r'\b(src|href)="(?!#)', page)  # only in-page links
    assert "http://" not in page and "https://" not in page


def test_replacements_open_values_side_by_side_with_the_change_marked(tmp_path):
    page = render_cli(tmp_path)
    opened = re.findall(r'<details class="res" id="[^"]+" data-s="0" data-l="[^"]*" data-q="([^" ]+)[^"]*" open>', page)
    assert opened == ["artifactbucket", "artifactbucketpolicy", "healthcheck", "modelpackage", "legacytopic"]
    assert 'data-q="inferencequeue aws::sqs::queue /properties/visibilitytimeout">' in page
    assert ('<td class="v"><pre>123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:<del>1</del>.0</pre></td>'
            '<td class="v"><pre>123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:<ins>2</ins>.0</pre></td>') in page
    assert '<label class="chip" title="4 resources"><input type="checkbox" value="replacement" checked>' in page


def render_cli(tmp_path) -> str:
    out = tmp_path / "review.html"
    r = run_impact("diff", OLD, NEW, "--format", "html", "--output", out)
    assert r.code == 0, r
    return out.read_text(encoding="utf-8")


def test_every_feature_of_the_model_is_shown():
    page = render(sample_report(), "html")
    # What needs a decision: once each, under its stack, linked to its resource, with why.
    decide = page[page.index('<section class="decide"'):]
    decide = decide[:decide.index("</section>")]
    assert '<h2><span class="mark">⛔</span> Needs a decision: 3 resources</h2>' in decide
    assert decide.index(">Cache</a>") < decide.index(">Orders</a>") < decide.index(">LegacyTopic</a>")
    assert '<a href="#r0-7" class="jump">Cache</a>' in decide and "<code>type-change</code>: Cache changes Type" in decide
    # The other findings sit with their resource (or their stack), each said once, its explanation at hand.
    assert page.count("Orders is replaced: its items are deleted") == 1
    assert '<span class="sev warning">warning</span> <code title="' in page
    assert '<section class="explained" aria-label="What the findings mean">' in page
    assert '<p class="note">Transform AWS::Serverless-2016-10-31' in page
    assert "<summary>Changes outside Resources" in page
    assert "<li>knock-on: changes because Orders is replaced</li>" in page
    assert "<li>override: stopped in the maintenance window anyway</li>" in page
    assert '<li>sources differ: <a class="differ" href="#differ-1">see note 1</a></li>' in page
    assert ('<li id="differ-1"><code class="type">AWS::DynamoDB::Table</code>: replacement (docs 2023-09-19); '
            'conditional (schema 2026-10-20) <span class="muted">(1 change)</span></li>') in page
    assert '<tr data-l="ignored" data-p="/properties/monitoring">' in page
    assert '<p class="why">ignored: custom resources are reviewed by their owners</p>' in page
    assert '<select id="stack" aria-label="Stack"><option value="">all stacks</option>' in page
    # A long value is cut around its difference.
    worker = page[page.index("/Properties/<wbr>UserData"):]
    cell = worker[worker.index('<td class="v">'):]
    cell = cell[:cell.index("</td>")]
    assert "echo <del>1</del>" in cell and len(cell) < 4200 and cell.endswith("…</pre>")


def test_2000_resources_render_quickly_into_a_usable_size():
    report = big_report(2000)
    start = time.perf_counter()
    page = render(report, "html")
    elapsed = time.perf_counter() - start
    assert elapsed < 10, elapsed
    assert len(page.encode()) < 8_000_000
    assert page.count('<details class="res"') == 2000
    assert page.count(" open>") == 400  # only the replacements start expanded


def test_a_disagreement_of_sources_is_told_once_and_linked_from_each_row(tmp_path):
    old, new = disagreeing_tables(tmp_path, 30)
    out = tmp_path / "review.html"
    assert run_impact("diff", old, new, "--format", "html", "--output", out).code == 0
    page = out.read_text(encoding="utf-8")
    assert page.count(KEY_SCHEMA) == 1 and page.count(ATTRIBUTES) == 1
    notes = page[page.index('<section class="differ"'):]
    notes = notes[:notes.index("</section>")]
    items = dict(re.findall(r'<li id="(differ-\d+)">(.*?)</li>', notes))
    assert list(items) == ["differ-1", "differ-2"]
    key_schema = next(id for id, item in items.items() if KEY_SCHEMA in item)
    assert items[key_schema] == (f'<code class="type">AWS::DynamoDB::Table</code> <code>/KeySchema</code>: {KEY_SCHEMA}'
                                 ' <span class="muted">(30 changes)</span>')
    rows = re.findall(r'<tr data-l="[^"]+" data-p="([^"]+)">(.*?)</tr>', page, re.S)
    assert len(rows) == 60
    for path, row in rows:
        links = re.findall(r'href="#(differ-\d+)"', row)
        assert len(links) == 1, row
        assert (links[0] == key_schema) == ("/keyschema/" in path), path


# --- in a real browser ----------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not path:
        pytest.skip("no Chromium here: .ci/run installs Debian's chromium where apt can")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open_page(browser, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("dialog", lambda d: (page.problems.append("dialog: " + d.message), d.dismiss()))
    return page


@pytest.fixture
def page(browser):
    page = _open_page(browser, 1280)
    yield page
    page.close()


NARROW = 420  # a phone held upright


@pytest.fixture
def narrow(browser):
    page = _open_page(browser, NARROW)
    yield page
    page.close()


def expect(locator):
    from playwright.sync_api import expect

    return expect(locator)


def visible_ids(page) -> list:
    return page.eval_on_selector_all("details.res:not([hidden]) b.id", "els => els.map(e => e.textContent)")


def test_filters_hide_and_show_rows_in_a_browser(page, tmp_path):
    out = tmp_path / "review.html"
    assert run_impact("diff", OLD, NEW, "--format", "html", "--output", out).code == 0
    page.goto(out.as_uri())
    everything = visible_ids(page)
    assert len(everything) == 7 and "InferenceQueue" in everything
    assert page.text_content("#status") == "7 resources"
    tags_row = 'details.res[data-q^="artifactbucket "] tr[data-p="/properties/tags/0/value"]'
    assert page.is_visible(tags_row)

    page.uncheck('.chips input[value="no-interruption"]')
    assert "InferenceQueue" not in visible_ids(page)
    assert "ArtifactBucket" in visible_ids(page)  # it has a replacement
    assert not page.is_visible(tags_row)  # its no-interruption row is hidden
    assert page.text_content("#status") == "showing 6 of 7 resources"

    page.check('.chips input[value="no-interruption"]')
    assert visible_ids(page) == everything and page.is_visible(tags_row)

    page.fill("#q", "health")
    expect(page.locator("#status")).to_have_text("showing 1 of 7 resources")
    assert visible_ids(page) == ["HealthCheck"]
    page.fill("#q", "")
    expect(page.locator("#status")).to_have_text("7 resources")

    page.click("#collapse")
    assert page.eval_on_selector_all("details.res[open]", "els => els.length") == 0
    page.click("#expand")
    assert page.eval_on_selector_all("details.res[open]", "els => els.length") == 7

    shot = tmp_path / "review.png"
    page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    assert page.problems == []


def test_a_finding_link_opens_its_resource(page, tmp_path):
    out = tmp_path / "review.html"
    out.write_text(render(sample_report(), "html"), encoding="utf-8")
    page.goto(out.as_uri())
    page.uncheck('.chips input[value="replacement"]')
    page.uncheck('.chips input[value="removed"]')
    assert not page.is_visible("#r0-7")
    page.click('a.jump[href="#r0-7"]')
    assert page.is_visible("#r0-7") and page.get_attribute("#r0-7", "open") is not None
    page.select_option("#stack", "1")
    assert visible_ids(page) == ["Cdn"]
    assert page.problems == []


def test_hostile_templates_run_nothing_in_a_browser(page, tmp_path):
    old, new, config = hostile_templates(tmp_path)
    out = tmp_path / "review.html"
    assert run_impact("diff", old, new, "--format", "html", "--config", config, "--output", out).code == 0
    page.goto(out.as_uri())
    assert page.evaluate("document.scripts.length") == 1
    assert page.evaluate("document.images.length") == 0
    assert page.evaluate("[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
                         ".some(a => a.name.startsWith('on'))).length") == 0
    assert page.eval_on_selector_all("details.res", "els => els.length") == 3
    assert page.evaluate("document.querySelectorAll('details details.res').length") == 0
    page.fill("#q", "</details>")
    expect(page.locator("#status")).to_have_text("showing 1 of 3 resources")
    assert page.problems == []


def test_2000_resources_filter_quickly_in_a_browser(page, tmp_path):
    out = tmp_path / "big.html"
    out.write_text(render(big_report(2000), "html"), encoding="utf-8")
    start = time.perf_counter()
    page.goto(out.as_uri())
    load = time.perf_counter() - start
    measure = """async (selector) => {
        const start = performance.now();
        document.querySelector(selector).click();
        await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
        return performance.now() - start;
    }"""
    hide = page.evaluate(measure, '.chips input[value="no-interruption"]')
    assert page.text_content("#status") == "showing 1200 of 2000 resources"
    show = page.evaluate(measure, '.chips input[value="no-interruption"]')
    expand = page.evaluate(measure, "#expand")
    print(f"2,000 resources: load {load:.2f} s, filter {hide:.0f} ms / {show:.0f} ms, expand all {expand:.0f} ms")
    assert load < 15 and hide < 1500 and show < 1500 and expand < 3000
    assert page.problems == []


# Every resource open and laid out (``content-visibility: auto`` skips the
# layout of what is off screen), then what a reader on a narrow screen sees:
# how wide the document is, where each before and after cell is, and the
# text of each line of every path that wraps.
NARROW_LAYOUT = """() => {
    for (const d of document.querySelectorAll("details")) { d.open = true; d.style.contentVisibility = "visible"; }
    const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const lines = el => {
        const out = [];
        let top = null;
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const rect = range.getClientRects()[0];
                if (!rect) continue;
                if (top === null || rect.top > top + 2) { out.push(""); top = rect.top; }
                out[out.length - 1] += node.data[i];
            }
        }
        return out;
    };
    const wide = [...document.body.querySelectorAll("*")].filter(el => el.getBoundingClientRect().right > innerWidth + 0.5)
        .map(el => el.tagName + "." + el.className + ": " + el.textContent.slice(0, 60));
    return {
        wide: wide.slice(0, 5),
        width: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        pairs: [...document.querySelectorAll("tr")].filter(tr => tr.querySelectorAll(":scope > td.v").length === 2)
            .map(tr => [box(tr.closest("table")), ...[...tr.querySelectorAll(":scope > td.v")].map(box)]),
        paths: [...document.querySelectorAll("td.path > code")].map(lines),
    };
}"""


def assert_readable_at_420(page, url):
    page.goto(url)
    layout = page.evaluate(NARROW_LAYOUT)
    assert layout["width"] <= NARROW and layout["body"] <= NARROW, layout["width"]
    assert layout["wide"] == []  # nor scrolled inside a box of its own
    assert layout["pairs"]
    for table, before, after in layout["pairs"]:
        assert after[1] >= before[3] - 1, (before, after)  # after below before
        assert after[0] == pytest.approx(before[0], abs=1)
        for cell in (before, after):  # each as wide as its table, no sliver
            assert cell[2] - cell[0] >= 0.9 * (table[2] - table[0]), (table, cell)
    wrapped = [lines for lines in layout["paths"] if len(lines) > 1]
    assert wrapped, "no path is long enough to wrap"
    for lines in wrapped:
        for line in lines[:-1]:
            # A path breaks after a slash; only a segment longer than the
            # whole line is broken inside.
            assert line.endswith("/") or "/" not in line, lines
    assert page.problems == []
    return layout


@pytest.mark.parametrize("pair", [("examples/old.yaml", "examples/new.yaml"),
                                  ("examples/security-old.yaml", "examples/security-new.yaml")],
                         ids=["example", "security"])
def test_a_narrow_screen_stacks_values_and_breaks_paths_at_slashes(narrow, tmp_path, pair):
    out = tmp_path / "review.html"
    assert run_impact("diff", *pair, "--format", "html", "--output", out).code == 0
    assert_readable_at_420(narrow, out.as_uri())


@pytest.fixture(scope="module")
def bench_page(tmp_path_factory):
    """The page of a generated 2,000-resource pair (bench/generate.py)."""
    from bench.generate import generate_pair, to_json

    folder = tmp_path_factory.mktemp("bench")
    old, new = generate_pair(2000)
    (folder / "old.json").write_text(to_json(old), encoding="utf-8")
    (folder / "new.json").write_text(to_json(new), encoding="utf-8")
    out = folder / "review.html"
    r = run_impact("diff", folder / "old.json", folder / "new.json", "--format", "html", "--output", out)
    assert r.code == 0, r
    return out


def test_a_narrow_screen_reads_every_part_of_the_page(narrow, tmp_path):
    out = tmp_path / "review.html"
    out.write_text(render(sample_report(), "html"), encoding="utf-8")  # two stacks, every feature
    assert_readable_at_420(narrow, out.as_uri())


def test_a_narrow_screen_reads_a_2000_resource_page(narrow, bench_page):
    layout = assert_readable_at_420(narrow, bench_page.as_uri())
    assert len(layout["pairs"]) > 200


@pytest.mark.parametrize("width", [NARROW, 1280])
def test_a_row_links_to_its_note_on_where_sources_differ(browser, bench_page, width):
    page = _open_page(browser, width)
    page.goto(bench_page.as_uri())
    assert page.eval_on_selector_all("section.differ li", "els => els.length") == 2
    link = page.locator('a.differ[href="#differ-2"]').last  # far down the page
    link.scroll_into_view_if_needed()
    page.evaluate("document.querySelector('section.differ details').open = false")
    link.click()
    expect(page.locator("#differ-2")).to_be_in_viewport()
    assert "(docs 2023-09-19)" in page.text_content("#differ-2")
    assert page.problems == []
    page.close()


# --- the first screen, and words kept whole --------------------------------


@pytest.fixture(scope="module")
def review_pages(tmp_path_factory):
    """Pages a reviewer opens: a pull request of three stacks (bench.screen's),
    the security example, and a model with every feature and hostile text."""
    from bench.screen import three_stacks

    folder = tmp_path_factory.mktemp("pages")
    repo = three_stacks(folder / "repo")
    pages = {"three-stacks": folder / "three.html", "security": folder / "security.html", "model": folder / "model.html"}
    assert run_impact("diff", "--base", "main", "--format", "html", "--output", pages["three-stacks"], cwd=repo).code == 0
    assert run_impact("diff", "examples/security-old.yaml", "examples/security-new.yaml", "--format", "html",
                      "--output", pages["security"]).code == 0
    pages["model"].write_text(render(sample_report(), "html"), encoding="utf-8")
    return pages


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", ["three-stacks", "security", "model"])
def test_no_word_is_broken_inside_and_the_summary_is_on_the_first_screen(browser, review_pages, name, width):
    """Every place a line breaks between two letters or digits of one word
    that would fit its line fails the test (badges like "pub/lic", IDs like
    "ApiSecurityGr/oup"), every details open; and the summary table ends
    within the first 900 px."""
    from bench.screen import FIRST_SCREEN, WORD_BREAKS

    page = _open_page(browser, width)
    page.goto(review_pages[name].as_uri())
    first = page.evaluate(FIRST_SCREEN)
    bottom = page.evaluate("() => document.querySelector('section.summary').getBoundingClientRect().bottom")
    assert first["summary"] is not None and bottom <= 900, (first, bottom)
    assert page.evaluate(WORD_BREAKS) == []
    assert page.problems == []
    page.close()


def test_the_word_check_finds_a_word_broken_inside(browser, tmp_path):
    """The check itself: a badge squeezed into a narrow cell breaks inside
    its word, and the check says where."""
    from bench.screen import WORD_BREAKS

    out = tmp_path / "broken.html"
    out.write_text('<!DOCTYPE html><body><table style="width:100%"><tr><td style="overflow-wrap:anywhere">'
                   '<span>public</span></td><td>' + "a sentence that takes the room of the line " * 20 +
                   '</td></tr></table></body>', encoding="utf-8")
    page = _open_page(browser, 390)
    page.goto(out.as_uri())
    assert page.evaluate(WORD_BREAKS), "a squeezed word is not found"
    page.close()
