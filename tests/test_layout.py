"""The shape of the package: one package per stage, build-time code apart,
and the layers that import-linter checks."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import EXAMPLES, REPO

STAGES = ("cli", "load", "expand", "resolve", "diff", "classify", "assess", "aws", "render", "build")


def _modules_after(argv: list, cwd=REPO) -> list:
    """The impact modules loaded once ``impact ARGV`` has run, in a fresh interpreter."""
    code = (
        "import json, sys\n"
        "from impact.__main__ import main\n"
        "code = main(sys.argv[1:])\n"
        "print(json.dumps({'code': code, 'modules': sorted(m for m in sys.modules if m.startswith('impact'))}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv], cwd=cwd, capture_output=True, text=True, timeout=180
    )
    last = proc.stdout.strip().splitlines()[-1]
    result = json.loads(last)
    assert result["code"] == 0, proc.stderr
    return result["modules"]


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_a_diff_imports_nothing_of_the_build(fmt):
    modules = _modules_after(["diff", str(EXAMPLES / "old.yaml"), str(EXAMPLES / "new.yaml"), "--format", fmt])
    assert "impact.pipeline" in modules and "impact.classify.rules" in modules  # the diff did run
    assert [m for m in modules if m == "impact.build" or m.startswith("impact.build.")] == []


def test_rules_show_imports_nothing_of_the_build():
    modules = _modules_after(["rules", "show", "AWS::S3::Bucket"])
    assert not [m for m in modules if m.startswith("impact.build")]


def test_the_top_holds_the_stage_packages_and_at_most_five_modules():
    top = REPO / "impact"
    packages = {p.name for p in top.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in top.glob("*.py")} - {"__init__", "__main__"}
    assert set(STAGES) <= packages
    assert len(modules) <= 5, modules


@pytest.mark.parametrize("stage", STAGES + ("assess.checks",))
def test_each_package_says_what_it_takes_and_gives(stage):
    import importlib

    doc = importlib.import_module(f"impact.{stage}").__doc__ or ""
    assert doc.strip(), stage
    first = doc.strip().split("\n\n")[0]
    assert 2 <= len(first.splitlines()) <= 3 or stage == "assess.checks", first


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter not installed")
def test_the_layers_hold_and_an_upward_import_breaks_them(tmp_path):
    ok = subprocess.run(["lint-imports"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stdout[-2000:]
    # A copy of the package with one upward import (diff -> classify) breaks the layers contract.
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "impact", copy / "impact", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    with open(copy / "impact" / "diff" / "sections.py", "a") as fh:
        fh.write("\nfrom ..classify import labels  # noqa\n")
    env = dict(os.environ, PYTHONPATH=str(copy))
    broken = subprocess.run(["lint-imports"], cwd=copy, capture_output=True, text=True, timeout=300, env=env)
    assert broken.returncode != 0
    assert "each layer imports only the layers below it BROKEN" in broken.stdout
