"""The report templates ship compiled (``python -m impact.build.templates``):
no run compiles them, the compiled form is what the sources give, and a
compiled form that is not (a source edited since) is never used."""

import filecmp
import shutil

import jinja2

from conftest import REPO
from impact.build.templates import compile_templates
from impact.cli import run
from impact.render import jinja


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def test_the_shipped_compiled_templates_are_the_sources_compiled(tmp_path):
    fresh = compile_templates(tmp_path / "compiled", REPO / "reports")
    shipped = REPO / "reports" / "compiled"
    assert _files(fresh) == _files(shipped), "run: python -m impact.build.templates"
    different = [name for name in _files(fresh) if not filecmp.cmp(fresh / name, shipped / name, shallow=False)]
    assert different == [], "run: python -m impact.build.templates"
    assert {"text", "html"} <= {p.name for p in shipped.iterdir()}


def _compiles(monkeypatch, tmp_path, fmt: str) -> tuple:
    """(templates compiled, report) for ``impact diff --format fmt`` on the examples."""
    jinja.environment.cache_clear()
    calls = []
    original = jinja2.Environment.compile

    def counted(self, *args, **kwargs):
        calls.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    out = tmp_path / f"report.{fmt}"
    run(["diff", str(REPO / "examples" / "old.yaml"), str(REPO / "examples" / "new.yaml"), "--format", fmt, "-o", str(out)])
    monkeypatch.undo()
    jinja.environment.cache_clear()
    return calls, out.read_text()


def test_a_run_compiles_no_template(monkeypatch, tmp_path):
    for fmt in ("md", "checklist", "html"):
        calls, report = _compiles(monkeypatch, tmp_path, fmt)
        assert calls == [] and report


def test_a_source_edited_since_compiling_is_read_from_its_source(monkeypatch, tmp_path):
    """The manifest names each source's digest: an edited template is
    compiled from its text at run time, never replaced by its stale compiled form."""
    copy = tmp_path / "reports"
    shutil.copytree(REPO / "reports", copy, ignore=shutil.ignore_patterns("__pycache__"))
    source = copy / "comment.md.j2"
    source.write_text(source.read_text().replace("{% macro head(stacks, columns) -%}", "{% macro head(stacks, columns) -%}\nEDITED ", 1))
    monkeypatch.setattr(jinja, "reports_dir", lambda: copy)
    calls, report = _compiles(monkeypatch, tmp_path, "md")
    assert "comment.md.j2" in calls and "EDITED" in report
    monkeypatch.setattr(jinja, "reports_dir", lambda: copy)
    compile_templates(sources=copy)  # compiled again: used again, and it says the same
    calls, again = _compiles(monkeypatch, tmp_path, "md")
    assert calls == [] and again == report
