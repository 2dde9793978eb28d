"""The HTML review page: one standalone file, inline CSS, no external assets."""

from __future__ import annotations

from ..paths import reports_dir
from .jinja import render_template


def render(report, **_options) -> str:
    css = (reports_dir() / "base.css").read_text(encoding="utf-8")
    return render_template("review.html.j2", autoescape=True, report=report, css=css)
