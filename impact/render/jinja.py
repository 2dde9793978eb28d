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
_MD_SPECIAL = re.compile(r"[&<>|`*_\[\]!#~@\\$\u2060]|:(?=//)|(?<=www)\.", re.IGNORECASE)

# GitHub links some text after rendering, outside code: ``@user``, ``#12``,
# ``GH-12``, commit SHAs (7 to 40 hex digits) and ``:emoji:`` shortcodes
# (lower case, so ``AWS::Serverless-2016-10-31:`` is left alone); URLs and
# ``www.`` too.  A word joiner (U+2060, invisible) after the ``@``, ``#``,
# ``GH-``, opening colon, the colon of ``://`` or ``www``, and after every
# sixth digit of a hex run, leaves none of them whole.
WORD_JOINER = "\u2060"
_REFERENCE = re.compile(r"[@#]|(?<![0-9A-Za-z_])(?i:GH)-(?=[0-9])|:(?=[a-z0-9_+-]+:|//)|(?i:www)(?=\.)")
_HEX_RUN = re.compile(r"(?<![0-9A-Za-z_])[0-9A-Fa-f]{7,}(?![0-9A-Za-z_])")


def _unlinked(text: str) -> str:
    text = _REFERENCE.sub(lambda m: m.group() + WORD_JOINER, text)
    return _HEX_RUN.sub(lambda m: WORD_JOINER.join(re.findall(".{1,6}", m.group())), text)


def _visible(text: str) -> str:
    return common.strip_control(text).replace("\r\n", "\n")


def _references(text: str) -> str:
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text).replace("\n", " ↵ ")


def md_text(value) -> str:
    """Text from a template, safe anywhere in a Markdown line, a table cell
    or an HTML element: one line, every special character a reference, and
    nothing GitHub would turn into a link, a mention or an emoji."""
    return _references(_unlinked(_visible(str(value))))


def md_code(value) -> str:
    """Inline code that is safe in a table cell or an HTML element.  GitHub
    links no references inside code, so the text keeps its characters; only
    autolinks, which Markdown itself makes, are broken."""
    return f"<code>{_references(_visible(str(value)))}</code>" if value not in (None, "") else ""


def md_lines(lines) -> str:
    """Lines of template text as one code cell, a line break between lines."""
    def one(line: str) -> str:
        text = _references(_visible(line))
        # HTML would fold the indentation away: a leading space, and every run of two, are kept as no-break spaces.
        return re.sub(r"^ +| {2,}", lambda m: "\u00a0" * len(m.group()), text)

    return "<code>" + "<br>".join(one(str(line)) for line in lines) + "</code>"


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


_INNER_SLASH = re.compile(r"(?<!^)/")


def html_path(value):
    """A path or file name for HTML: escaped, with a line-break opportunity
    (``<wbr>``) after each slash but a leading one, so that it wraps between its segments and
    not inside them.  The markup is added after escaping, so template text
    stays text."""
    from markupsafe import Markup, escape

    return Markup(_INNER_SLASH.sub("/<wbr>", str(escape(common.strip_control(str(value))))))


def _finalize(value):
    """Every output expression: control characters (terminal escapes, bidi
    overrides) made visible, before any escaping.  Markup is ours."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return common.strip_control(value)
    return value


# Precompiled templates (``python -m impact.build.templates``), one folder per
# environment: the code Jinja generates depends on its options.
COMPILED = "compiled"
MANIFEST = "manifest.json"


def flavour(autoescape: bool) -> str:
    return "html" if autoescape else "text"


def settings(autoescape: bool) -> dict:
    """The options of the environment the renderers use, and the build compiles with."""
    from jinja2 import StrictUndefined

    return dict(
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )


def source_digests(folder) -> dict:
    """The SHA-256 of each template source (``*.j2``) in ``folder``, by name."""
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.j2"))}


def _compiled(autoescape: bool):
    """The folder of the templates compiled for this environment, when they
    were compiled from the sources here by this version of Jinja; else None."""
    import json

    import jinja2

    folder = reports_dir()
    try:
        manifest = json.loads((folder / COMPILED / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    if manifest.get("jinja2") != jinja2.__version__ or manifest.get("sources") != source_digests(folder):
        return None
    return folder / COMPILED / flavour(autoescape)


@lru_cache(maxsize=2)
def environment(autoescape: bool):
    """The renderers' Jinja environment: templates loaded compiled (Jinja's
    ``ModuleLoader``), so that no run compiles them; from their sources
    when the compiled ones are missing or out of date."""
    from jinja2 import Environment, FileSystemLoader, ModuleLoader

    compiled = _compiled(autoescape)
    loader = ModuleLoader(str(compiled)) if compiled is not None else FileSystemLoader(str(reports_dir()))
    env = Environment(loader=loader, **settings(autoescape))
    env.filters.update(FILTERS)
    # ``view`` is common.py: templates share its views with the Python renderers.
    env.globals.update(view=common, md_text=md_text, md_code=md_code)
    return env


FILTERS = dict(md=md_text, mdcode=md_code, mdspan=md_span, mdlines=md_lines, slashes=html_path)


def template(name: str, autoescape: bool):
    return environment(autoescape).get_template(name)


def render_template(name: str, autoescape: bool, **context) -> str:
    return template(name, autoescape).render(**context)
