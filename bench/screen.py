"""What a reviewer sees first: the pull-request comment and the HTML page of a
three-stack pull request, measured.

The pull request (``three_stacks``) changes three stacks of one repository:
``stacks/registry.yaml`` (examples/old.yaml to examples/new.yaml: replacements
and a removal), ``stacks/security.yaml`` (examples/security-*.yaml: grants
and network rules opened, nothing replaced) and ``stacks/alerts.yml``, a new
template (only additions).  impact compares them as the Action does
(``impact diff --base main --format md``).

The comment is measured as GitHub shows it: rendered by cmark-gfm (GitHub's
own Markdown library, ``pip install cmarkgfm``) and styled by
github-markdown-css (``npm ci --prefix bench/gfm``; without it a few rules
of the same sizes stand in) in a column 880 px wide, in headless Chromium
(playwright and Debian's chromium, with an emoji font such as Debian's
fonts-noto-color-emoji): its lines, characters and rendered height, how far
down the first stack's detail starts (what a reviewer reads before it: the
verdict, the summary and what needs a decision), and the widest element
against the column.

The page is measured at 1280 px and at 390 px: every place a line breaks
between two letters or digits of one word (a word wider than its line is
left out: it cannot fit), and how far down the summary table and the
toolbar start.

Run ``python -m bench.screen [--out DIR] [--python PYTHON]``: it prints the
measurements as JSON and leaves the comment, its rendering and the page in
DIR; ``--python`` measures the impact another Python has installed (another
revision, for a before and after).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CHROMIUM = "/usr/bin/chromium"
COLUMN = 880  # px: the body of a pull-request comment
GFM_CSS = ROOT / "bench" / "gfm" / "node_modules" / "github-markdown-css" / "github-markdown-light.css"
# The sizes github-markdown-css gives, when it is not installed.
FALLBACK_CSS = """
.markdown-body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; word-wrap: break-word; }
.markdown-body p, .markdown-body blockquote, .markdown-body ul, .markdown-body ol, .markdown-body table,
.markdown-body pre, .markdown-body details { margin-top: 0; margin-bottom: 16px; }
.markdown-body h3 { font-size: 1.25em; font-weight: 600; line-height: 1.25; margin: 24px 0 16px; }
.markdown-body table { display: block; width: max-content; max-width: 100%; overflow: auto; border-collapse: collapse; }
.markdown-body td, .markdown-body th { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body code { padding: .2em .4em; font-size: 85%; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.markdown-body ul, .markdown-body ol { padding-left: 2em; }
.markdown-body blockquote { padding: 0 1em; border-left: .25em solid #d1d9e0; }
.markdown-body sub { font-size: 75%; }
"""
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


ALERTS = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: alerts
  AlertsSubscription:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Alerts
      Protocol: email
      Endpoint: oncall@example.com
"""


def three_stacks(folder: Path) -> Path:
    """A repository whose branch ``main`` has two stacks and whose working
    tree changes both and adds a third."""
    folder.mkdir(parents=True, exist_ok=True)
    stacks = folder / "stacks"
    stacks.mkdir(exist_ok=True)
    git(folder, "init", "-q", "-b", "main")
    shutil.copy(EXAMPLES / "old.yaml", stacks / "registry.yaml")
    shutil.copy(EXAMPLES / "security-old.yaml", stacks / "security.yaml")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "base")
    shutil.copy(EXAMPLES / "new.yaml", stacks / "registry.yaml")
    shutil.copy(EXAMPLES / "security-new.yaml", stacks / "security.yaml")
    (stacks / "alerts.yml").write_text(ALERTS, encoding="utf-8")
    return folder


PYTHON = [sys.executable]  # the Python that runs impact (--python: another install, to compare)


def impact(*args, cwd: Path) -> str:
    r = subprocess.run([*PYTHON, "-m", "impact", *map(str, args)], cwd=cwd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit(f"impact {' '.join(map(str, args))}: exit {r.returncode}: {r.stderr}")
    return r.stdout


def gfm_html(markdown: str) -> str:
    """The comment as GitHub renders it: cmark-gfm with its extensions and
    the tag filter; HTML in the comment is kept (GitHub keeps <details>,
    <summary>, <sub>, <b>, <code>, <br>)."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    body = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    css = GFM_CSS.read_text(encoding="utf-8") if GFM_CSS.is_file() else FALLBACK_CSS
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>" + css
        + f"\nbody {{ margin: 0; }} .markdown-body {{ box-sizing: content-box; width: {COLUMN}px; padding: 0; }}"
        + "</style></head><body><article class='markdown-body'>" + body + "</article></body></html>"
    )


COMMENT_LAYOUT = """() => {
    const body = document.querySelector('.markdown-body');
    const column = body.getBoundingClientRect();
    const wide = [...body.querySelectorAll('*')].filter(el => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > column.right + 0.5 || el.scrollWidth > el.clientWidth + 1 && el.tagName === 'TABLE');
    }).map(el => el.tagName + ': ' + el.textContent.slice(0, 60));
    const tables = [...body.querySelectorAll('table')].map(t => Math.max(t.scrollWidth, t.getBoundingClientRect().width));
    const first = body.querySelector(':scope > details');
    return {height: Math.round(body.getBoundingClientRect().height), wide: wide.slice(0, 8),
            top: first ? Math.round(first.getBoundingClientRect().top - column.top) : null,
            widest_table: Math.round(Math.max(0, ...tables)), column: column.width};
}"""

# Each place a line breaks between two letters or digits of one word that is
# not wider than the page's column (``main``, else the body): such a word
# could have stayed whole on a line of its own.
WORD_BREAKS = """() => {
    for (const d of document.querySelectorAll('details')) { d.open = true; d.style.contentVisibility = 'visible'; }
    const column = document.querySelector('main') || document.body;
    const style = getComputedStyle(column);
    const room = column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const word = /[\\p{L}\\p{N}]/u;
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement || node.parentElement.closest('script, style, [hidden], option')) continue;
        const text = node.data;
        let top = null;
        for (let i = 0; i < text.length; i++) {
            const range = document.createRange();
            range.setStart(node, i); range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect || !rect.width) continue;
            const broke = top !== null && rect.top > top + 2;
            top = rect.top;
            if (!broke || i === 0 || !word.test(text[i]) || !word.test(text[i - 1])) continue;
            let a = i, b = i;
            while (a > 0 && word.test(text[a - 1])) a--;
            while (b < text.length && word.test(text[b])) b++;
            const whole = document.createRange();
            whole.setStart(node, a); whole.setEnd(node, b);
            const width = [...whole.getClientRects()].reduce((sum, r) => sum + r.width, 0);
            if (width <= room) out.push(text.slice(a, i) + '/' + text.slice(i, b));
        }
    }
    return out;
}"""

FIRST_SCREEN = """() => {
    const top = sel => { const el = document.querySelector(sel); return el ? Math.round(el.getBoundingClientRect().top + scrollY) : null; };
    return {summary: top('section.summary'), toolbar: top('nav.toolbar'), height: document.documentElement.scrollHeight};
}"""


def browser():
    from playwright.sync_api import sync_playwright

    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not path:
        raise SystemExit("no Chromium here")
    playwright = sync_playwright().start()
    return playwright, playwright.chromium.launch(executable_path=path, args=ARGS)


def measure_comment(chromium, markdown: str, out: Path) -> dict:
    html = out / "comment.html"
    html.write_text(gfm_html(markdown), encoding="utf-8")
    page = chromium.new_page(viewport={"width": COLUMN, "height": 900})
    page.goto(html.as_uri())
    layout = page.evaluate(COMMENT_LAYOUT)
    page.screenshot(path=str(out / "comment.png"), full_page=True)
    page.screenshot(path=str(out / "comment-top.png"))  # the first 900 px: what a reviewer sees first
    page.close()
    return {"lines": markdown.count("\n"), "characters": len(markdown), "height_px": layout["height"],
            "before_first_stack_px": layout["top"],
            "widest_table_px": layout["widest_table"], "wider_than_column": layout["wide"],
            "css": "github-markdown-css" if GFM_CSS.is_file() else "fallback"}


def measure_page(chromium, html: Path, width: int, out: Path) -> dict:
    page = chromium.new_page(viewport={"width": width, "height": 900})
    page.goto(html.as_uri())
    first = page.evaluate(FIRST_SCREEN)
    page.screenshot(path=str(out / f"page-{width}.png"))
    breaks = page.evaluate(WORD_BREAKS)
    page.close()
    return {**first, "words_broken": len(breaks), "examples": breaks[:12]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="where to leave the comment, its rendering and the page")
    parser.add_argument("--python", help="the Python whose impact to measure (default: this one)")
    args = parser.parse_args(argv)
    if args.python:
        PYTHON[:] = [args.python]
    out = args.out or Path(tempfile.mkdtemp(prefix="impact-screen-"))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        repo = three_stacks(Path(tmp) / "repo")
        markdown = impact("diff", "--base", "main", "--format", "md", cwd=repo)
        impact("diff", "--base", "main", "--format", "html", "--output", out / "page.html", cwd=repo)
    (out / "comment.md").write_text(markdown, encoding="utf-8")
    playwright, chromium = browser()
    try:
        result = {
            "comment": measure_comment(chromium, markdown, out),
            "page": {str(w): measure_page(chromium, out / "page.html", w, out) for w in (1280, 390)},
            "out": str(out),
        }
    finally:
        chromium.close()
        playwright.stop()
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
