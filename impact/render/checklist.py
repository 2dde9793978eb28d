"""The release checklist: Markdown for a release review, one ``- [ ]`` item
per thing to check (replacement, removal, interruption, conditional or
unknown change, error or warning finding), grouped by stack, each saying
what to check; a sign-off section at the end."""

from __future__ import annotations

from dataclasses import dataclass

from .. import levels
from ..model import NO_INTERRUPTION, NOT_UPDATABLE, REMOVE, REPLACEMENT, UNKNOWN
from . import common
from .jinja import md_span, md_text, render_template


@dataclass
class Item:
    key: str  # a severity, a label or ``removed``: orders the items and marks them
    text: str  # Markdown, already escaped


ORDER = ("error", "warning", REPLACEMENT, NOT_UPDATABLE, "removed", "conditional", UNKNOWN, "some-interruptions")


def _outcome(findings) -> tuple:
    """(what the resource holds, what its policy does with it: ``deleted``,
    ``retained``, ``snapshot`` or ``unknown``), as the assessment found;
    ``("", None)`` for a resource that holds no data."""
    for f in findings:
        if f.data and f.kept:
            return f.data, f.kept
    return "", None


def _paths(changes) -> str:
    """The changes' paths, and when the resolved values change, where only in some cases."""
    paths = ", ".join(md_span(c.path or "(whole resource)") for c in changes)
    whens = dict.fromkeys(c.resolved.when for c in changes if c.resolved is not None and c.resolved.when)
    return paths + "".join(f"; changes only {md_text(when)}" for when in whens)


def _config(changes) -> str:
    reasons = sorted({c.verdict.override for c in changes if c.verdict and c.verdict.override})
    return "".join(f" (override: {md_text(r)})" for r in reasons)


def _knock_on(changes) -> str:
    events = sorted({common.because(c, md_text, md_span) for c in changes if c.cause})
    if not events:
        return ""
    return ", because " + " and ".join(events)


def resource_items(rd, findings=()) -> list:
    """What to check about one resource, most disruptive first.  ``findings``
    are the stack's findings about it: they say what data it holds and what
    its policy does with it."""
    name = md_span(rd.logical_id)
    if rd.origin:
        name += f" ({md_text(str(rd.origin))})"
    data, kept = _outcome(findings)
    data = md_text(data)
    if rd.action == REMOVE:
        # Removed from the text, or kept in the text and deleted by its condition.
        gone = f"its condition deletes it ({md_text(rd.exists)})" if rd.exists else "it is removed from the template"
        if kept == "retained":
            return [Item("removed", f"Confirm what happens to the {data} of {name}: {gone} "
                                    "and its DeletionPolicy keeps it outside the stack (see the finding).")]
        if kept == "snapshot":
            return [Item("removed", f"Confirm what happens to the {data} of {name}: {gone} "
                                    "and its DeletionPolicy keeps a snapshot before deleting it (see the finding).")]
        if kept == "unknown":
            return [Item("removed", f"Confirm what the DeletionPolicy of {name} keeps: {gone}, "
                                    f"and the policy is set at deploy time, so its {data} may be deleted "
                                    "(see the finding).")]
        if kept == "not-emptied":
            return [Item("removed", f"Confirm what happens to the {data} of {name}: {gone}; "
                                    f"CloudFormation does not delete the {data}, and deleting it fails while it holds any "
                                    "(see the finding).")]
        if kept == "deleted":
            return [Item("removed", f"Confirm a backup of {name} exists: {gone} and "
                                    f"CloudFormation deletes it with its {data} (see the finding).")]
        if rd.goes_with:
            return [Item("removed", f"Confirm {name} may be deleted: it is removed from the template, and it goes "
                                    f"with {md_span(rd.goes_with)}, which the change deletes, whatever its DeletionPolicy.")]
        if rd.retained:
            return [Item("removed", f"Confirm {name} is meant to stay in the account: {gone} "
                                    "and its DeletionPolicy Retain leaves it outside the stack (orphaned, not deleted).")]
        return [Item("removed", f"Confirm {name} may be deleted: {gone}, and CloudFormation "
                                "deletes it unless its DeletionPolicy keeps it.")]
    by_label: dict = {}
    for c in rd.changes:
        if not c.ignored and levels.to_check(c.impact):
            by_label.setdefault(c.impact, []).append(c)
    items = []
    replaced = by_label.get(REPLACEMENT, [])
    if replaced:
        why = f"{_knock_on(replaced)} ({_paths(replaced)}){_config(replaced)}"
        if kept in ("retained", "snapshot"):
            what = "the old one" if kept == "retained" else "a snapshot of the old one"
            items.append(Item(REPLACEMENT, f"Confirm the {data} of {name} are moved or not needed: it will be "
                                           f"replaced by an empty one, and its UpdateReplacePolicy keeps {what} "
                                           f"(see the finding){why}."))
        elif kept == "unknown":
            items.append(Item(REPLACEMENT, f"Confirm what the UpdateReplacePolicy of {name} keeps: it will be replaced "
                                           f"by an empty one, and the policy is set at deploy time, so its {data} "
                                           f"may be deleted (see the finding){why}."))
        elif kept == "not-emptied":
            items.append(Item(REPLACEMENT, f"Confirm what happens to the {data} of {name}: it will be replaced by an "
                                           f"empty one; CloudFormation does not delete the {data}, and deleting the "
                                           f"old one fails while it holds any (see the finding){why}."))
        elif kept == "deleted":
            items.append(Item(REPLACEMENT, f"Confirm a backup of {name} exists: it will be replaced and its "
                                           f"{data} deleted{why}."))
        else:
            items.append(Item(REPLACEMENT, f"Confirm nothing depends on the physical name or ID of {name}: "
                                           f"a new {md_span(rd.type)} replaces it{why}."))
    frozen = by_label.get(NOT_UPDATABLE, [])
    if frozen:
        items.append(Item(NOT_UPDATABLE, f"Confirm the update of {name} can go through: {_paths(frozen)} cannot be "
                                         f"updated, so CloudFormation fails the update{_config(frozen)}."))
    for c in by_label.get("conditional", []):
        note = md_text(c.verdict.note) if c.verdict and c.verdict.note else "it depends on the old and new values"
        if c.resolved is not None:
            note += f"; {md_text(c.resolved.text)}"
        items.append(Item("conditional", f"Check whether {md_span(c.path)} of {name} replaces or interrupts it: "
                                         f"{note}{_knock_on([c])}{_config([c])}."))
    unknown = by_label.get(UNKNOWN, [])
    if unknown:
        items.append(Item(UNKNOWN, f"Check {name} by hand: no rule covers {_paths(unknown)}{_config(unknown)}."))
    paused = by_label.get("some-interruptions", [])
    if paused:
        # What the values say about the interruption (a major upgrade is an outage).
        said = [md_text(c.verdict.note) for c in paused if c.verdict and c.verdict.valued and c.verdict.note]
        what = f"the interruption of {name} is acceptable at release time: {'; '.join(said)}" if said else (
            f"a brief interruption of {name} is acceptable at release time")
        items.append(Item("some-interruptions", f"Confirm {what} "
                                                f"({_paths(paused)}){_knock_on(paused)}{_config(paused)}."))
    return items


def finding_item(f) -> Item:
    verb = "Resolve" if f.severity == "error" else "Review"
    where = f" in {md_span(f.logical_id)}" if f.logical_id else ""
    help_text = common.finding_help(f.id)
    return Item(f.severity, f"{verb} the {f.severity} {md_span(f.id)}{where}: {md_text(f.message)}"
                            + (f" <br>_{md_text(help_text)}_" if help_text else ""))


# The findings the security rows raise: the checklist names each row instead.
SECURITY_FINDINGS = ("public-exposure", "permissions-broadened", "network-broadened", "protection-removed")
ASKS = {
    "public": "is meant to be reachable by anyone",
    "permissions": "should be granted this",
    "network": "should let this traffic through",
    "protection": "may go without this safeguard",
    "exposure": "is meant to be reachable by anyone",
}


def security_item(row) -> Item:
    """Confirm one change that opens access, by name, with what it grants."""
    ask = ASKS["public" if row.public else row.family]
    details = "; ".join(f"{md_text(k)}: {md_span(v)}" for k, v in common.security_details(row))
    severity = "error" if row.public or row.admin else "warning"
    mark = common.EMOJI[common.security_key(row)]
    text = f"{mark} Confirm {md_span(row.logical_id)} {ask}: it {md_text(row.summary)}"
    return Item(severity, text + (f" ({details})." if details else "."))


def stack_items(stack) -> list:
    items = [
        finding_item(f)
        for f in common.sorted_findings(stack.findings)
        if levels.to_check(f.severity) and f.id not in SECURITY_FINDINGS
    ]
    items += [security_item(row) for row in stack.security if row.direction == "opens"]
    about: dict = {}
    for f in stack.findings:
        about.setdefault(f.logical_id, []).append(f)
    for rd in common.sorted_resources(stack):
        if not rd.ignored:
            items += resource_items(rd, about.get(rd.logical_id, ()))
    return sorted(items, key=lambda item: ORDER.index(item.key))


def ignored_entries(stack) -> list:
    """[(what, reason)] for what the config ignores; ``what`` is Markdown."""
    out = []
    for rd in stack.resources:
        if rd.ignored:
            out.append((f"{md_span(rd.logical_id)} ({md_span(rd.type)})", rd.ignored))
            continue
        out += [(f"{md_span(c.path)} of {md_span(rd.logical_id)}", c.ignored) for c in rd.changes if c.ignored]
    return out


def quiet_changes(stack) -> tuple:
    """(changes, resources) that update in place without interruption."""
    changes = resources = 0
    for rd in stack.resources:
        n = 0 if rd.ignored else sum(1 for c in rd.changes if not c.ignored and c.impact == NO_INTERRUPTION)
        changes, resources = changes + n, resources + bool(n)
    return changes, resources


def render(report, **_options) -> str:
    stacks = [(stack, stack_items(stack), quiet_changes(stack), ignored_entries(stack)) for stack in common.worst_first(report.stacks)]
    return render_template("checklist.md.j2", autoescape=False, report=report, stacks=stacks,
                           total=sum(len(entry[1]) for entry in stacks))
