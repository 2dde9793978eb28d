"""The Markdown report (a pull-request comment)."""

from __future__ import annotations

from .jinja import render_template


def render(report, **_options) -> str:
    return render_template("comment.md.j2", autoescape=False, report=report)
