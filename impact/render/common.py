"""Views of the model shared by the renderers: ordering, wording, short values."""

from __future__ import annotations

import json
import re

from ..model import ADD, LABELS, MODIFY, RANK, REMOVE, SEVERITY_RANK, UNKNOWN

# Labels most disruptive first, for summaries and legends.
LABEL_ORDER = sorted(LABELS, key=lambda label: (-RANK[label], -LABELS.index(label)))

ACTION_WORDS = {ADD: "added", REMOVE: "removed", MODIFY: "modified"}

DESCRIPTIONS = {
    "replacement": "a new physical resource replaces the old one; data in it can be lost",
    "not-updatable": "the property cannot be updated; the update fails or needs a replacement",
    "conditional": "replacement or interruption depending on the values; read the note",
    "unknown": "no rule covers this change; check it by hand",
    "some-interruptions": "the resource stays, with a brief interruption",
    "no-interruption": "updated in place without interruption",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def strip_control(text: str) -> str:
    """Make control characters visible (terminal escapes, bidi overrides)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def short_value(value, limit: int = 60) -> str:
    """A value on one line, cut to ``limit`` characters."""
    if value is None:
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=False, ensure_ascii=False)
    text = strip_control(text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
    if isinstance(value, str):
        text = json.dumps(text, ensure_ascii=False)[1:-1]
        text = f'"{text}"'
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def full_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def source_name(source: str) -> str:
    """``docs-2023-09-19/aws-resource-x.md`` -> ``docs 2023-09-19``."""
    layer = (source or "").split("/", 1)[0]
    name, _, date = layer.partition("-")
    return f"{name} {date}" if date else name


def disagreement(verdict) -> str:
    """``replacement (docs 2023-09-19); conditional (schema 2026-10-20)``, or ''."""
    if not verdict or not verdict.disagreement:
        return ""
    per_source: dict = {}
    for v in verdict.sources:
        if v.label == "read-only":
            continue
        name = source_name(v.source)
        per_source[name] = v.label if name not in per_source or RANK[v.label] > RANK[per_source[name]] else per_source[name]
    return "; ".join(f"{label} ({name})" for name, label in per_source.items())


def sorted_findings(findings):
    return sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], f.logical_id or "", f.id))


def resource_rank(rd) -> tuple:
    """Sort key: most disruptive first; removals rank with replacements."""
    if rd.action == REMOVE:
        rank = RANK["replacement"]
    elif rd.action == ADD:
        rank = -1
    else:
        rank = RANK[rd.impact]
    return (-rank, rd.logical_id)


def label_counts(stack) -> list:
    """[(label, count)] for the labels that occur, most disruptive first."""
    counts = stack.summary()["changes"]
    return [(label, counts[label]) for label in LABEL_ORDER if counts.get(label)]


def is_unknown(label: str) -> bool:
    return label == UNKNOWN
