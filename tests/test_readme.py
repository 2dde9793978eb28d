"""The examples of the README and of every page in docs/ are what impact
prints: every ``$ impact ...`` block, and every block after an
``<!-- output of: impact ... -->`` comment, that runs on the bundled examples
is run and compared.  A line that is only ``…`` stands for lines left out; a
block may stop before the output does.  The README stays short, and every
page it does not hold is linked from it."""

import re
import shlex

import pytest

from conftest import REPO, run_impact

BLOCK = re.compile(
    r"```[a-z]*\n\$ (impact [^\n]*)\n(.*?)```|<!-- output of: (impact [^\n]*?) -->\n```[a-z]*\n(.*?)```", re.S
)


def runnable(command: str) -> bool:
    """Commands that need only the bundled files: no git range, no pipe, no
    folders or files the reader brings."""
    words = shlex.split(command)
    return "|" not in command and "--base" not in words and "-o" not in words and all(
        not w.endswith((".yaml", ".json")) or (REPO / w).is_file() for w in words
    )


PAGES = [REPO / "README.md"] + sorted((REPO / "docs").glob("*.md"))


def blocks():
    """``(page, command, shown)`` for every runnable example."""
    out = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        found = [(m.group(1) or m.group(3), m.group(2) if m.group(1) else m.group(4)) for m in BLOCK.finditer(text)]
        out += [(page.relative_to(REPO).as_posix(), command, shown) for command, shown in found if runnable(command)]
    return out


def matches(shown: str, out: str) -> bool:
    pattern = "".join(r"(?:.*\n)*?" if line.strip() == "…" else re.escape(line) + r"\n" for line in shown.splitlines())
    return re.match(pattern, out) is not None


def test_the_readme_and_the_docs_have_runnable_examples():
    pages = {page for page, _, _ in blocks()}
    assert {"README.md", "docs/formats.md", "docs/security.md", "docs/sam.md", "docs/aws.md"} <= pages, pages
    commands = [command for _, command, _ in blocks()]
    assert len(commands) >= 11, commands
    assert "impact diff examples/old.yaml examples/new.yaml" in commands


@pytest.mark.parametrize("page, command, shown", blocks(), ids=[f"{p}:{i}:{c}" for i, (p, c, _) in enumerate(blocks())])
def test_an_example_is_the_real_output(page, command, shown):
    r = run_impact(*shlex.split(command)[1:])
    assert r.code in (0, 1), r
    assert matches(shown, r.out), f"{page}: the block for `{command}` differs from its output:\n{r.out}"


def test_blocks_are_found_after_either_marker():
    commands = [command for _, command, _ in blocks()]
    assert "impact diff examples/old.yaml examples/new.yaml --format md" in commands
    assert "impact diff examples/old.yaml examples/new.yaml --format checklist" in commands


def test_the_readme_is_short_and_links_every_page():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 300
    for page in sorted((REPO / "docs").glob("*.md")):
        assert f"(docs/{page.name})" in readme, page.name


def test_the_pages_name_no_internal_path_nor_placeholder():
    """What a reader cannot have (the folder the team keeps beside the
    repository) or must fill in (OWNER/...) is no instruction; nor is an
    install from a package index that does not serve impact."""
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for bad in ("../shared", "OWNER/", "pip install 'impact-cfn", "pip install impact-cfn"):
            assert bad not in text, (page.name, bad)


def test_links_between_pages_lead_somewhere():
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", text):
            assert (page.parent / target).resolve().is_file(), (page.name, target)


def test_elision_stands_for_lines_not_for_anything():
    assert matches("a\n  …\nd\n", "a\nb\nc\nd\ne\n")
    assert not matches("a\n  …\nd\n", "a\nb\nc\nx\n")
    assert not matches("a\nc\n", "a\nb\nc\n")
