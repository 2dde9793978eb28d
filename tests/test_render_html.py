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
from render_samples import big_report, hostile_templates, sample_report

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
    findings = page[page.index('<section class="findings"'):page.index("</section>")]
    assert findings.index("type-change") < findings.index("stateful-replacement") < findings.index("no-op-update")
    assert '<a href="#r0-7" class="jump">Cache</a> changes Type: CloudFormation refuses this update <span class="muted">(in prod/app.yaml)</span>' in findings
    assert '<p class="note">Transform AWS::Serverless-2016-10-31' in page
    assert "<summary>Changes outside Resources" in page
    assert "<li>knock-on: changes because Orders is replaced</li>" in page
    assert "<li>override: stopped in the maintenance window anyway</li>" in page
    assert "<li>sources differ: replacement (docs 2023-09-19); conditional (schema 2026-10-20)</li>" in page
    assert '<tr data-l="ignored" data-p="/properties/monitoring">' in page
    assert '<p class="why">ignored: custom resources are reviewed by their owners</p>' in page
    assert '<select id="stack" aria-label="Stack"><option value="">all stacks</option>' in page
    # A long value is cut around its difference.
    worker = page[page.index("/Properties/UserData"):]
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


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("dialog", lambda d: (page.problems.append("dialog: " + d.message), d.dismiss()))
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
