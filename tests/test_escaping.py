"""Hostile text in valid templates (``</details>``, ``<script>``,
``<img onerror>``, ``|``, backticks, ``-->``, line breaks, terminal and bidi
controls, very long values) comes out as text in every report and never
breaks its structure."""

import json
import re
from html.parser import HTMLParser

import pytest

from conftest import run_impact
from render_samples import HOSTILE, LONG, assert_md_well_formed, change, hostile_report, hostile_templates, sample_report

from impact.render import render
from impact.model import Report, ResourceDiff, SourceVerdict, StackDiff
from impact.render.markdown import MARKER
from impact.load.visible import strip_control

# The only tags the Markdown reports write themselves.
MD_TAGS = re.compile(re.escape(MARKER) + r'|</?(details|summary|code|b|sub)>|<details open>|<br>|<a name="impact-\d+-\d+"></a>'
                     r"|\]\(#user-content-impact-\d+-\d+\)")
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def cli_reports(tmp_path_factory):
    """Every format of the hostile templates, through the command line."""
    folder = tmp_path_factory.mktemp("hostile")
    old, new, config = hostile_templates(folder)
    out = {}
    for fmt in ("text", "md", "checklist", "html", "sarif"):
        r = run_impact("diff", old, new, "--format", fmt, "--config", config)
        assert r.code == 0, r
        assert "is given twice" in r.out, fmt  # the hostile key given twice, named in a warning
        out[fmt] = r.out
    return out


def reports(fmt, cli_reports):
    """The hostile templates through the CLI, and a hostile model with every feature."""
    return [cli_reports[fmt], render(hostile_report(), fmt)]


def assert_markdown_inert(md: str, whole_values: bool = False) -> None:
    """Only our own tags; template text either inside a backtick span (where
    nothing is markup) or written with references."""
    assert "```" not in md
    for line in md.splitlines():
        assert line.count("`") % 2 == 0, line
    outside = re.sub(r"`[^`\n]*`", "", md)
    rest = MD_TAGS.sub("", outside)
    assert "<" not in rest, rest[rest.index("<") - 80:][:200]
    for raw in ("@team", "#1 ", "[x](", "http://", "${", "*bold*", "_em_", "~~s~~", "\\ line", "| a | b |"):
        assert raw not in rest, raw
    assert not CONTROLS.search(md.replace("\n", ""))
    if not whole_values:  # else the comment had room for whole values
        assert LONG not in md
        assert max(len(line) for line in md.splitlines()) < 6000


@pytest.mark.parametrize("index", [0, 1], ids=["cli", "model"])
def test_markdown_comment(cli_reports, index):
    md = reports("md", cli_reports)[index]
    assert_md_well_formed(md)
    assert_markdown_inert(md, whole_values=True)
    assert_markdown_inert(render(hostile_report(), "md", max_chars=12_000))  # no room: values shortened
    assert md.count("-->") == 1  # the marker's own
    if index == 1:
        assert len(md.splitlines()) == len(render(sample_report(), "md").splitlines())
    assert "&#60;/details&#62;" in md and "&#60;script&#62;" in md and "&#124;" in md


@pytest.mark.parametrize("index", [0, 1], ids=["cli", "model"])
def test_checklist(cli_reports, index):
    text = reports("checklist", cli_reports)[index]
    assert_markdown_inert(text)
    assert "-->" not in text
    if index == 1:
        assert len(text.splitlines()) == len(render(sample_report(), "checklist").splitlines())
    assert text.rstrip().endswith("Date: ____________")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.handlers, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, value in attrs if name.startswith("on") or "javascript:" in (value or "")]

    def handle_data(self, data):
        self.text.append(data)


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "span", "section", "details",
                "summary", "code", "ul", "li", "a", "b", "table", "thead", "tbody", "tr", "th", "td", "nav", "div",
                "label", "input", "select", "option", "button", "main", "pre", "del", "ins", "script", "caption", "wbr",
                "ol"}


@pytest.mark.parametrize("index", [0, 1], ids=["cli", "model"])
def test_html_page(cli_reports, index):
    page = reports("html", cli_reports)[index]
    parser = _Tags()
    parser.feed(page)
    assert set(parser.tags) <= ALLOWED_TAGS
    assert parser.tags.count("script") == 1 and parser.tags.count("img") == 0
    assert parser.handlers == []
    assert parser.tags.count("details") == page.count("</details>")
    assert "&lt;/details&gt;&lt;/summary&gt;&lt;details open&gt;&lt;script&gt;" in page
    assert "\u202e" not in page and "\x1b" not in page and "\\u202e" in page
    assert LONG not in page


class _Cells(_Tags):
    """The text of each ``<code>`` in the page, and the tags inside it."""

    def __init__(self):
        super().__init__()
        self.codes, self.inside, self.depth = [], [], 0

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if tag == "code":
            self.depth += 1
            self.codes.append("")
        elif self.depth:
            self.inside.append(tag)

    def handle_endtag(self, tag):
        if tag == "code":
            self.depth -= 1

    def handle_data(self, data):
        super().handle_data(data)
        if self.depth:
            self.codes[-1] += data


def test_html_paths_break_at_slashes_and_stay_text():
    """Paths, file names and the notes on where sources differ carry
    ``<wbr>`` after their slashes, added after escaping: hostile text with
    slashes of its own stays text, and reads the same."""
    path = "/Properties/" + HOSTILE + "/x/</code><script>alert(3)</script>/y"
    c = change(path, "replacement", "a", "b", disagreement=True)
    for verdict in c.verdict.sources:
        verdict.path = "/" + HOSTILE + "/</code>"
    rd = ResourceDiff("Thing", "AWS::S3::Bucket", "modify", changes=[c], construct_path="Stack/" + HOSTILE + "/Resource")
    stack = StackDiff(name="stacks/" + HOSTILE + ".yaml", old="old/" + HOSTILE, new="new/" + HOSTILE, resources=[rd])
    page = render(Report(stacks=[stack]), "html")
    parser = _Cells()
    parser.feed(page)
    assert set(parser.tags) <= ALLOWED_TAGS and parser.handlers == []
    assert parser.tags.count("script") == 1 and "<script>alert" not in page
    assert set(parser.inside) == {"wbr"}  # nothing but line-break opportunities inside code
    assert strip_control(path) in parser.codes
    assert strip_control("/" + HOSTILE + "/</code>") in parser.codes  # the note's rule path
    shown = "".join(parser.text)
    for text in (stack.name, stack.old, stack.new, rd.construct_path):
        assert strip_control(text) in shown
    assert "/<wbr>" in page and "&lt;/<wbr>code&gt;&lt;script&gt;" in page
    assert "\u202e" not in page and "\\u202e" in page


def test_html_path_keys_from_a_template_stay_text(tmp_path):
    key = HOSTILE.replace("\n", " ").replace("\r", " ")
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    for file, value in ((old, 1), (new, 2)):
        file.write_text(json.dumps({"Resources": {"Thing": {"Type": "Custom::Thing", "Properties": {
            "ServiceToken": "arn", key: {key: value}}}}}), encoding="utf-8")
    r = run_impact("diff", old, new, "--format", "html")
    assert r.code == 0, r
    parser = _Cells()
    parser.feed(r.out)
    assert set(parser.tags) <= ALLOWED_TAGS and parser.handlers == []
    assert set(parser.inside) <= {"wbr"}
    pointer = strip_control(key).replace("~", "~0").replace("/", "~1")
    assert f"/Properties/{pointer}/{pointer}" in parser.codes


@pytest.mark.parametrize("index", [0, 1], ids=["cli", "model"])
def test_sarif(cli_reports, index):
    log = json.loads(reports("sarif", cli_reports)[index])
    for result in log["runs"][0]["results"]:
        text = result["message"]["text"]
        assert not CONTROLS.search(text) and "\n" not in text
        assert not re.search(r"(?<!\\)\[", text), text  # no embedded link can form
        assert LONG not in text


@pytest.mark.parametrize("index", [0, 1], ids=["cli", "model"])
def test_terminal_text(cli_reports, index):
    text = reports("text", cli_reports)[index]
    assert not CONTROLS.search(text.replace("\n", ""))
    assert "\\u001b[31mred\\u202e" in text
    assert LONG not in text
    coloured = render(hostile_report(), "text", color=True)
    assert not CONTROLS.search(re.sub(r"\x1b\[[0-9;]+m", "", coloured).replace("\n", ""))
    if index == 1:  # one line per item, as with harmless text; multi-line values are indented blocks
        def items(out):
            return [line for line in out.splitlines() if len(line) - len(line.lstrip(" ")) < 6]

        assert len(items(text)) == len(items(render(sample_report(), "text")))
