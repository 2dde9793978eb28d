"""The Jinja environment shared by the Markdown and HTML renderers."""

from __future__ import annotations

import re
from functools import lru_cache

from ..paths import reports_dir
from . import common

# Characters that Markdown, GitHub or HTML give a meaning to, written as
# numeric references so that template content can only ever be text.
_MD_SPECIAL = re.compile(r"[&<>|`*_\[\]!#~@\\$]")


def md_text(value) -> str:
    """Text from a template, safe anywhere in a Markdown line or table cell."""
    text = common.strip_control(str(value)).replace("\r\n", "\n")
    text = _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)
    return text.replace("\n", " ↵ ")


def md_code(value) -> str:
    """Inline code for a table cell: ``<code>`` with every special escaped."""
    return f"<code>{md_text(value)}</code>" if value not in (None, "") else ""


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
    )
    env.filters.update(
        md=md_text,
        mdcode=md_code,
        short=common.short_value,
        full=common.full_value,
        source_name=common.source_name,
        disagreement=common.disagreement,
    )
    env.globals.update(
        label_counts=common.label_counts,
        sorted_findings=common.sorted_findings,
        resource_rank=common.resource_rank,
        ACTION_WORDS=common.ACTION_WORDS,
        DESCRIPTIONS=common.DESCRIPTIONS,
        LABEL_ORDER=common.LABEL_ORDER,
        sorted=sorted,
    )
    return env


def render_template(name: str, autoescape: bool, **context) -> str:
    return environment(autoescape).get_template(name).render(**context)

