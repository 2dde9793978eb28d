import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"<exit {self.code}: out={self.out[:300]!r} err={self.err[:300]!r}>"


def run_impact(*args, cwd=None, env=None, input=None, timeout=180):
    """Run the installed CLI in a real subprocess.  ``timeout`` only stops a
    hang; it is generous so that a loaded machine never fails a test."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "impact", *map(str, args)],
        cwd=cwd or REPO,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Result(proc)


@pytest.fixture
def impact():
    return run_impact


@pytest.fixture
def write(tmp_path):
    """write(name, text_or_bytes) -> path in tmp_path."""

    def _write(name, content):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def stack(impact, write):
    """stack(old_text, new_text, *args, suffix="yaml") -> the JSON report's only stack."""
    from textwrap import dedent

    def _stack(old, new, *args, suffix="yaml"):
        r = impact("diff", write(f"old.{suffix}", dedent(old)), write(f"new.{suffix}", dedent(new)), "--format", "json", *args)
        assert r.code == 0, r
        return r.json()["stacks"][0]

    return _stack


def resource(stack, logical_id):
    """The one resource of a JSON report's stack with ``logical_id``."""
    (rd,) = [r for r in stack["resources"] if r["logical_id"] == logical_id]
    return rd


def changes(stack, logical_id):
    """That resource's changes by path."""
    return {c["path"]: c for c in resource(stack, logical_id)["changes"]}


def assert_one_line_error(result, path=None, line=None, col=None, contains=None):
    assert result.code == 2, result
    assert "Traceback" not in result.err, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result
    if path is not None:
        prefix = f"{path}:"
        if line is not None:
            prefix += f"{line}:"
            if col is not None:
                prefix += f"{col}:"
        assert lines[0].startswith(prefix), (prefix, lines[0])
    if contains:
        assert contains.lower() in lines[0].lower(), lines[0]
    assert result.out == ""
