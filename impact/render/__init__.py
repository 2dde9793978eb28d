"""Render: takes a :class:`~impact.model.Report`; gives it as text in one
format, one module per format, each with ``render(report, **options) -> str``.
Renderers only read the model."""

from __future__ import annotations

from importlib import import_module

# In the one order every list of formats follows: by reader, a person first.
MODULES = {
    "text": "text",
    "md": "markdown",
    "html": "htmlpage",
    "checklist": "checklist",
    "json": "jsondoc",
    "sarif": "sarif",
    "github": "github",
}
FORMATS = tuple(MODULES)


def render(report, fmt: str, **options) -> str:
    module = import_module(f"{__name__}.{MODULES[fmt]}")
    return module.render(report, **options)
