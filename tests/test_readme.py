"""The README's examples are what impact prints: every ``$ impact ...``
block, and every block after an ``<!-- output of: impact ... -->`` comment,
that runs on the bundled examples is run and compared.  A line that is only
``…`` stands for lines left out; a block may stop before the output does."""

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


def blocks():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = [(m.group(1) or m.group(3), m.group(2) if m.group(1) else m.group(4)) for m in BLOCK.finditer(text)]
    return [(command, shown) for command, shown in found if runnable(command)]


def matches(shown: str, out: str) -> bool:
    pattern = "".join(r"(?:.*\n)*?" if line.strip() == "…" else re.escape(line) + r"\n" for line in shown.splitlines())
    return re.match(pattern, out) is not None


def test_the_readme_has_runnable_examples():
    commands = [command for command, _ in blocks()]
    assert len(commands) >= 9, commands
    assert "impact diff examples/old.yaml examples/new.yaml" in commands


@pytest.mark.parametrize("command, shown", blocks(), ids=[f"{i}:{c}" for i, (c, _) in enumerate(blocks())])
def test_a_readme_example_is_the_real_output(command, shown):
    r = run_impact(*shlex.split(command)[1:])
    assert r.code in (0, 1), r
    assert matches(shown, r.out), f"README block for `{command}` differs from its output:\n{r.out}"


def test_blocks_are_found_after_either_marker():
    commands = [command for command, _ in blocks()]
    assert "impact diff examples/old.yaml examples/new.yaml --format md" in commands
    assert "impact diff examples/old.yaml examples/new.yaml --format checklist" in commands


def test_elision_stands_for_lines_not_for_anything():
    assert matches("a\n  …\nd\n", "a\nb\nc\nd\ne\n")
    assert not matches("a\n  …\nd\n", "a\nb\nc\nx\n")
    assert not matches("a\nc\n", "a\nb\nc\n")
