"""The Jinja environment shared by the Markdown and HTML renderers, and the
Markdown escaping every Markdown output uses."""

from __future__ import annotations

import re
from functools import lru_cache

from ..paths import reports_dir
from . import common

# Characters that Markdown, GitHub or HTML give a meaning to, written as
# numeric references so that template content can only ever be text; the
# colon of ``://`` and the dot of ``www.`` too, against autolinks.
_MD_SPECIAL = re.compile(r"[&<>|`*_\[\]!#~@\\$]|:(?=//)|(?<=www)\.", re.IGNORECASE)


def md_text(value) -> str:
    """Text from a template, safe anywhere in a Markdown line, a table cell
    or an HTML element: one line, every special character a reference."""
    text = common.strip_control(str(value)).replace("\r\n", "\n")
    text = _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)
    return text.replace("\n", " ↵ ")


def md_code(value) -> str:
    """Inline code that is safe in a table cell or an HTML element."""
    return f"<code>{md_text(value)}</code>" if value not in (None, "") else ""


_PLAIN_SPAN = re.compile(r"[^`\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]*")


def md_span(value) -> str:
    """Inline code for running Markdown text (not table cells): a backtick
    span when the text allows one, else :func:`md_code`.  Nothing inside a
    backtick span is Markdown or HTML, so only backticks and line breaks
    need the other form."""
    text = str(value)
    if text and _PLAIN_SPAN.fullmatch(text) and text.strip() == text:
        return f"`{text}`"
    return md_code(value)


def _visible(value):
    """Every output expression: control characters (terminal escapes, bidi
    overrides) made visible, before any escaping.  Markup is ours."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return common.strip_control(value)
    return value


@lru_cache(maxsize=2)
def environment(autoescape: bool):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(reports_dir())),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_visible,
    )
    env.filters.update(md=md_text, mdcode=md_code, mdspan=md_span)
    # ``view`` is common.py: templates share its views with the Python renderers.
    env.globals.update(view=common, md_text=md_text, md_code=md_code)
    return env


def template(name: str, autoescape: bool):
    return environment(autoescape).get_template(name)


def render_template(name: str, autoescape: bool, **context) -> str:
    return template(name, autoescape).render(**context)
