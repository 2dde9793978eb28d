"""Facts from one CloudFormation User Guide page.

A page documents a resource type (``aws-resource-*.md``) or a property type
(``aws-properties-*.md``).  Its ``## Properties`` section lists each property
as a line ``\\`Name\\`  <a name="..."></a>`` followed by field lines such as
``*Required*: Yes``, ``*Type*: [X](page.md)`` and
``*Update requires*: [Replacement](...#update-replacement)``.

:func:`parse_page` accepts the markdown sources and their HTML rendering (which
it turns back into markdown first) and returns the facts as :class:`PageFacts`:
one rule per property, in the shape of ``rules/README.md`` minus ``source``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import CONDITIONAL, NO_INTERRUPTION, NOT_UPDATABLE, RANK, REPLACEMENT, SOME_INTERRUPTIONS, worst

NO_UPDATE_INFO = "The page gives no update behaviour for this property."


@dataclass
class PageFacts:
    name: str  # page file name, e.g. aws-resource-msk-cluster.md
    resource_type: Optional[str]  # None on a property-type page
    properties: dict = field(default_factory=dict)  # property name -> rule


# --- HTML rendering -> markdown -------------------------------------------

_HTML_HEADING = re.compile(r"^\s*<h[1-6][\s>]", re.M)
_MD_HEADING = re.compile(r"^#{1,6} ", re.M)


def is_html(text: str) -> bool:
    """True when the page's headings are HTML tags rather than markdown."""
    return bool(_HTML_HEADING.search(text)) and not _MD_HEADING.search(text)


def html_to_markdown(text: str) -> str:
    # Backslashes in prose are literal in HTML but escapes in markdown.
    parts = re.split(r"(<code>.*?</code>)", text, flags=re.S)
    text = "".join(p if p.startswith("<code>") else p.replace("\\", "\\\\") for p in parts)
    text = re.sub(r"<h([1-6])[^>]*>(.*?)</h\1>", lambda m: "#" * int(m[1]) + " " + m[2], text, flags=re.S)
    text = re.sub(r"</?code>", "`", text)
    text = re.sub(r"</?(?:em|i)>", "*", text)
    text = re.sub(r"</?(?:strong|b)>", "**", text)
    text = re.sub(r'<a\s+href="([^"]*)"[^>]*>(.*?)</a>', r"[\2](\1)", text, flags=re.S)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"<li>", "+ ", text)
    text = re.sub(r"</?(?:p|ul|ol|li|pre|div|span)\b[^>]*>", "", text)
    return html.unescape(text)


# --- markdown helpers -----------------------------------------------------

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_CODE = re.compile(r"(`[^`]*`)")


def unescape(text: str, emphasis: bool = False) -> str:
    """Code spans reduced to their content; elsewhere backslash escapes (and,
    with ``emphasis``, emphasis marks) removed."""
    out = []
    for part in _CODE.split(text):
        if len(part) > 1 and part.startswith("`") and part.endswith("`"):
            out.append(part[1:-1])
        else:
            if emphasis:
                part = re.sub(r"(?<!\\)\*", "", part)
            out.append(_ESCAPE.sub(r"\1", part))
    return "".join(out)


def plain(text: str) -> str:
    """Markdown text as plain text: links reduced to their text, markup removed."""
    return re.sub(r"\s+", " ", unescape(_LINK.sub(r"\1", text), emphasis=True)).strip()


def link_stem(target: str) -> str:
    """``aws-properties-x.md`` / ``.../aws-properties-x.html`` / ``#aws-properties-x`` -> ``aws-properties-x``."""
    path, _, fragment = target.partition("#")
    name = path.rsplit("/", 1)[-1]
    return re.sub(r"\.(md|html?)$", "", name) if name else fragment


# --- the page -------------------------------------------------------------

_TYPE_LINE = re.compile(r'"Type"\s*:\s*"([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)\b')
_PROPERTY = re.compile(r"^\s*`([^`]+)`\s*<a name=\"[^\"]*\"></a>\s*$")
# A field line: *Name*: value, *Name:* value, Name: value (the name from a known set).
_FIELD_NAMES = r"(Required|Type|Update requires|Allowed values?|Valid values|Minimum|Maximum|Pattern|Length constraints)"
_FIELD = re.compile(rf"^\s*(?:\*{_FIELD_NAMES}(?:\*:?|:\*)|{_FIELD_NAMES}:)\s*(.*?)\s*$", re.I)
_LABEL_ANCHORS = {
    "update-no-interrupt": NO_INTERRUPTION,
    "update-some-interrupt": SOME_INTERRUPTIONS,
    "update-replacement": REPLACEMENT,
}
_LABEL_WORDS = (
    ("not supported", NOT_UPDATABLE),
    ("no interruption", NO_INTERRUPTION),
    ("some interruption", SOME_INTERRUPTIONS),
    ("replacement", REPLACEMENT),
)
# A sentence of free text that states how an update behaves.
_UPDATE_REQUIRES = re.compile(r"\bupdate requires\b", re.I)
_UPDATE_SENTENCE = re.compile(
    r"\bupdat\w*\b.*\b(requires?|interruptions?|replacement|supported)\b|\brequires?\b.*\b(replacement|interruptions?)\b",
    re.I,
)


def parse_page(text: str, name: str) -> PageFacts:
    if is_html(text):
        text = html_to_markdown(text)
    title, sections = _sections(text)
    match = _TYPE_LINE.search(sections.get("syntax", ""))
    # A page about something else (a metadata key) may show the resource it sits in.
    resource_type = match[1] if match and match[1] in title else None
    properties = {prop: _rule(block) for prop, block in _blocks(sections.get("properties", ""))}
    return PageFacts(name=name, resource_type=resource_type, properties=properties)


def _sections(text: str):
    """The page's title and the text of each level-2 section, keyed by the
    section's first word in lower case."""
    title, out, key = "", {}, None
    for line in text.splitlines():
        heading = re.match(r"^(#{1,2})\s+`?(\w+)", line)
        if heading:
            if len(heading[1]) == 1 and not title:
                title = line
            key = heading[2].lower() if len(heading[1]) == 2 else None
            if key in out:  # only the first section of a name counts
                key = None
            elif key:
                out[key] = ""
        elif key:
            out[key] += line + "\n"
    return title, out


def _blocks(section: str):
    """(property name, lines of its block) for each property of a section."""
    name, lines = None, []
    for line in section.splitlines():
        match = _PROPERTY.match(line)
        if match:
            if name:
                yield name, lines
            name, lines = match[1].strip(), []
        elif name:
            lines.append(line)
    if name:
        yield name, lines


def _rule(lines: list) -> dict:
    rule: dict = {}
    constraints: dict = {}
    labels, prose, conditions = [], [], []
    for i, line in enumerate(lines):
        match = _FIELD.match(line)
        if not match:
            prose.append(line)
            continue
        key, value = (match[1] or match[2]).lower(), match[3]
        if key == "required":
            word = plain(value).split(".")[0].strip().lower()
            rule["required"] = {"yes": True, "no": False}.get(word, CONDITIONAL)
        elif key == "type":
            _type(value, rule)
        elif key == "update requires":
            label = _label(value)
            if label:
                labels.append(label)
            if not label:
                rest = value
            else:  # a label stated in words ("Updates are not supported.") leaves nothing
                rest = _LINK.sub("", value).lstrip(" .\\") if _LINK.search(value) else ""
            if rest.strip(" .\\"):  # words beyond the label state a condition: kept for the note
                conditions.append(rest)
        elif key.startswith(("allowed", "valid")):
            allowed = _allowed(value, lines[i + 1:])
            if allowed:
                constraints["allowed"] = allowed
        elif key in ("minimum", "maximum"):
            number = _number(plain(value))
            if number is not None:
                constraints[key[:3]] = number
        elif key == "pattern":
            pattern = value[value.find("`") + 1: value.rfind("`")] if value.count("`") >= 2 else unescape(value)
            if pattern:
                constraints["pattern"] = pattern
        else:  # length constraints
            text = plain(value).lower()
            for bound in ("min", "max"):
                found = re.search(bound + r"imum length of (\d+)", text)
                if found:
                    constraints[bound] = int(found[1])
    if labels:
        # Beside a stated label, only a sentence that itself says what an
        # update requires is a condition on it.
        sentences = _sentences(conditions) + [s for s in _sentences(prose) if _UPDATE_REQUIRES.search(s)]
        rule["label"] = worst(labels)  # a block that states its label twice keeps the more disruptive one
        if sentences:
            # A stated condition under which the property is replaced makes a
            # milder label conditional; the condition is kept either way.
            rule["note"] = " ".join(sentences)
            if RANK[rule["label"]] < RANK[CONDITIONAL] and re.search(r"\breplace", rule["note"], re.I):
                rule["label"] = CONDITIONAL
    else:
        sentences = _sentences(conditions) + [s for s in _sentences(prose) if _UPDATE_SENTENCE.search(s)]
        rule["label"] = CONDITIONAL
        rule["note"] = " ".join(sentences) or NO_UPDATE_INFO
    if constraints:
        rule["constraints"] = constraints
    return rule


def _type(value: str, rule: dict) -> None:
    links = _LINK.findall(value)
    rule["type"] = plain(value).rstrip(".").strip()
    if links:
        rule["ref"] = link_stem(links[-1][1])


def _label(value: str) -> Optional[str]:
    for anchor, label in _LABEL_ANCHORS.items():
        if "#" + anchor in value:
            return label
    text = plain(value).lower()
    for words, label in _LABEL_WORDS:
        if words in text:
            return label
    return None


def _allowed(value: str, following: list) -> list:
    """Allowed values on the line, or in the ``+`` list right below it."""
    if not value.strip():
        bullets = []
        for line in filter(str.strip, following):
            if not line.lstrip().startswith("+"):
                break
            bullets.append(line.strip()[1:])
        value = " | ".join(bullets)
    spans = re.findall(r"`([^`]*)`", value)
    items = [part for span in spans for part in span.split("|")] if spans else unescape(value).split("|")
    return [item.strip() for item in items if item.strip()]


def _number(text: str):
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


def _sentences(lines: list) -> list:
    text = plain(" ".join(lines))
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]
