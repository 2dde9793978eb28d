"""The HTML review page: one self-contained file for a release ticket.

Inline CSS and JS only, each allowed by its hash in a Content-Security-Policy
that allows nothing else (no network, no other script), so the page works
from disk and template content can never run.  It filters by label and by
stack, searches logical IDs, types and paths, expands and collapses
resources, and shows before and after side by side with the changed part
marked (stacked, before above after, on a narrow screen).  Where the
docs and the registry schema disagree on a property, the page says what
each says once per disagreement, in notes at its end that the rows link
to.  Only replacements and removals start expanded, and filtering reads
``data-*`` attributes, so it stays quick for thousands of resources.
"""

from __future__ import annotations

import base64
import hashlib

from .. import __version__, levels
from ..model import MODIFY
from . import common
from .jinja import render_template
from ..paths import reports_dir

CHIP_ORDER = common.LABEL_ORDER[:2] + ["removed"] + common.LABEL_ORDER[2:] + ["added", "imported", "ignored"]


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(css: str, js: str) -> str:
    return (
        f"default-src 'none'; style-src {_hash(css)}; script-src {_hash(js)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


def keys(rd) -> list:
    """What a resource is filtered by: its labels, ``added``, ``removed``, ``ignored``."""
    if rd.ignored:
        return ["ignored"]
    out = common.resource_labels(rd)
    if rd.action == MODIFY and any(c.ignored for c in rd.changes):
        out.append("ignored")
    return out


def search_text(rd) -> str:
    parts = [rd.logical_id, rd.type, rd.construct_path or ""] + [c.path for c in rd.changes]
    return " ".join(common.one_line(p) for p in parts if p).lower()


def differ_link(notes):
    """The short statement a row makes of a disagreement of sources: a link
    to its note, told once at the end of the page."""
    from markupsafe import Markup

    def link(change):
        note = notes.of(change)
        if note is None:
            return None
        return Markup('sources differ: <a class="differ" href="#differ-{0}">see note {0}</a>').format(note.number)

    return link


def render(report, **_options) -> str:
    css = (reports_dir() / "base.css").read_text(encoding="utf-8")
    js = (reports_dir() / "review.js").read_text(encoding="utf-8")
    anchors = {}
    for s, stack in enumerate(report.stacks):
        for i, rd in enumerate(stack.resources):
            anchors.setdefault((s, rd.logical_id), f"r{s}-{i}")
    index = {id(stack): s for s, stack in enumerate(report.stacks)}
    counts: dict = {}
    for stack in report.stacks:
        for rd in stack.resources:
            for key in keys(rd):
                counts[key] = counts.get(key, 0) + 1
    notes = common.DisagreementNotes(report.stacks)
    stacks = common.worst_first(report.stacks)
    views = [common.stack_view(stack) for stack in stacks]
    for v in views:
        v.by_id = {item.rd.logical_id: item for item in v.listed}
    decisions = [(v.stack, v.decisions) for v in views if v.decisions]
    decided = sum(len(items) for _, items in decisions)
    kinds = sorted({f.id for stack in stacks for f in stack.findings})
    return render_template(
        "review.html.j2",
        autoescape=True,
        report=report,
        css=css,
        js=js,
        csp=csp(css, js),
        version=__version__,
        rules=common.rules_summary(report),
        verdict=levels.verdict_word(common.verdict_tier(report.stacks)),
        stacks=stacks,
        views=views,
        decisions=decisions,
        decided=decided,
        all_resources=all(d.listed is not None for _, items in decisions for d in items),
        kinds=[(k, common.finding_help(k)) for k in kinds if common.finding_help(k)],
        columns=common.summary_columns(report),
        chips=[(key, counts[key]) for key in CHIP_ORDER if counts.get(key)],
        many=len(report.stacks) > 1,
        anchor=lambda stack, logical_id: anchors.get((index[id(stack)], logical_id)),
        keys=lambda rd: " ".join(keys(rd)),
        search=search_text,
        notes=notes.notes,
        differ=differ_link(notes),
    )
