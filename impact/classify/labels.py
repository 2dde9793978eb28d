"""Label each change with the rules table.

A change's label is the most disruptive label on its path from the resource
root, over every source that covers the path.  A path no source covers is
``unknown``; so is every change of a type the table does not know.
"""

from __future__ import annotations

from typing import Optional

from ..diff.differ import FOREACH
from ..model import CONDITIONAL, MODIFY, NONE, RANK, UNKNOWN, SourceVerdict, Verdict, pointer, worst
from .rules import (
    AGREE,
    READ_ONLY,
    READ_ONLY_NOTE,
    REVIEWED,
    REVIEWED_SOURCE,
    UNREVIEWED,
    UNREVIEWED_NOTE,
    RuleBook,
    TypeRules,
    is_custom,
    rule_keys,
    settle,
)

MAX_SUBPATHS = 500  # nested keys examined inside one added or removed value
# A change of DependsOn alone: CloudFormation lists no change for the resource.
ORDER_ONLY = "order only: the resource is not updated"


def unknown_type_note(type_name: str) -> str:
    if is_custom(type_name):
        return f"{type_name} is a custom resource: its provider decides what an update does"
    if type_name.startswith("AWS::Serverless::"):
        return f"{type_name} is expanded by the SAM transform at deploy time; impact has no rules for it"
    if type_name == FOREACH:
        return "an Fn::ForEach loop expands at deploy time; it is compared as one unit"
    return f"no rules for resource type {type_name}"


def _subpaths(value, prefix: tuple, out: list) -> None:
    """Every mapping-key path inside ``value``, functions left out.  The items
    of a list are new elements, created rather than updated: what lies inside
    them is not looked up."""
    if len(out) >= MAX_SUBPATHS:
        return
    if isinstance(value, dict):
        for key, sub in value.items():
            if key == "Fn::If" and isinstance(sub, list):
                for branch in sub[1:]:  # each branch is a property value
                    _subpaths(branch, prefix, out)
            elif key != "Ref" and not key.startswith("Fn::"):
                out.append(prefix + (key,))
                _subpaths(sub, prefix + (key,), out)


def _worst_of(verdicts) -> Optional[str]:
    return worst(v.label for v in verdicts) if verdicts else None


def classify_property(rules: TypeRules, keys: tuple, before=None, after=None) -> Verdict:
    """The verdict for a change at ``keys`` below ``Properties``."""
    paths = [keys] if keys else []
    extra: list = []
    for value in (before, after):
        _subpaths(value, keys, extra)
    paths.extend(p for p in extra if p not in paths)
    if not paths:
        paths = [()]

    doc_layer = rules.doc_layer()
    doc_verdicts, schema_verdicts, reviewed_verdicts = [], [], []
    labels = []
    disagree = unreviewed = False
    for path in paths:
        d_v, d_known = doc_layer.walk(path) if doc_layer else ([], False)
        s_v, s_known = rules.schema.walk(path) if rules.schema else ([], False)
        if path and not (d_known or s_known):
            labels.append(UNKNOWN)
        doc_verdicts.extend(v for v in d_v if v not in doc_verdicts)
        schema_verdicts.extend(v for v in s_v if v not in schema_verdicts)
        review = rules.review(path) if rules.layers else None
        label, branch = settle(
            _worst_of(d_v), _worst_of([v for v in s_v if v.label != READ_ONLY]), review and review["label"]
        )
        if branch == REVIEWED:
            # The review's word joins the sources: its label, its reason, the page that shows it.
            reviewed = SourceVerdict(
                f"{REVIEWED_SOURCE}/{review['source']}",
                review["label"],
                review["reason"],
                review.get("pointer") or pointer(path),
            )
            if reviewed not in reviewed_verdicts:
                reviewed_verdicts.append(reviewed)
        unreviewed = unreviewed or branch == UNREVIEWED
        if label:
            labels.append(label)
        disagree = disagree or branch != AGREE
    label = worst(labels, default=UNKNOWN)

    sources = doc_verdicts + schema_verdicts + reviewed_verdicts
    notes = []
    # The deepest verdict that gave the label: a review's, then the docs', then the schema's.
    candidates = [*reversed(reviewed_verdicts), *reversed(doc_verdicts), *reversed(schema_verdicts)]
    winner = next((v for v in candidates if v.label == label), None)
    if winner and winner.note:
        notes.append(winner.note)
    if unreviewed and label == CONDITIONAL and not winner:
        notes.append(UNREVIEWED_NOTE)
    if any(v.label == READ_ONLY for v in schema_verdicts):
        notes.append(READ_ONLY_NOTE)
    if label == UNKNOWN and UNKNOWN in labels:
        if is_custom(rules.type_name):
            notes.append(unknown_type_note(rules.type_name))
        else:
            notes.append(f"no rule covers this property of {rules.type_name}")
    return Verdict(
        label=label,
        source=winner.source if winner else None,
        note="; ".join(dict.fromkeys(notes)) or None,
        sources=sources,
        disagreement=disagree,
    )


def classify_change(book: RuleBook, type_name: str, keys: tuple, before, after) -> Verdict:
    if not keys:
        # The whole resource changed as one unit (an Fn::ForEach loop).
        return Verdict(UNKNOWN, note=unknown_type_note(type_name))
    head = keys[0]
    if head == "Properties":
        rules = book.for_type(type_name)
        if not rules.known:
            return Verdict(UNKNOWN, note=unknown_type_note(type_name))
        if isinstance(keys[-1], int):
            # A list element added, removed or swapped whole takes the label of the list.
            return classify_property(rules, rule_keys(keys[1:]))
        return classify_property(rules, rule_keys(keys[1:]), before, after)
    attribute = book.attributes()["attributes"].get(head)
    if attribute is None:
        return Verdict(UNKNOWN, note=f"{head} is not a resource attribute impact knows")
    sv = SourceVerdict(attribute["source"], attribute["label"], attribute.get("note"), "/" + head)
    if head == "DependsOn":  # the order of operations alone: CloudFormation lists no change for the resource
        return Verdict(NONE, source=sv.source, note=ORDER_ONLY, sources=[sv])
    return Verdict(attribute["label"], source=sv.source, note=sv.note, sources=[sv])


SHOWN_PATHS = 5  # paths named in the note of a Type change that carries others


def _fold_type_change(book: RuleBook, rd) -> None:
    """A resource whose Type changes is one change, its ``/Type``:
    CloudFormation rejects it whatever else changes, and the other paths
    belong to a resource of another type.  The note names them."""
    head = next((c for c in rd.changes if c.keys == ("Type",)), None)
    if head is None:
        return
    others = [c.path for c in rd.changes if c is not head]
    head.verdict = classify_change(book, rd.type, head.keys, head.before, head.after)
    if others:
        shown = ", ".join(others[:SHOWN_PATHS]) + (f" and {len(others) - SHOWN_PATHS} more" if len(others) > SHOWN_PATHS else "")
        count = "1 other change" if len(others) == 1 else f"{len(others)} other changes"
        head.verdict.note = f"{head.verdict.note}; its {count} ({shown}) belong to the {rd.type} and are not compared"
    rd.changes = [head]


def classify_resources(book: RuleBook, resources: list) -> None:
    """Fill in the verdict of every change of every modified resource."""
    for rd in resources:
        if rd.action != MODIFY:
            continue
        if rd.old_type:
            _fold_type_change(book, rd)
        for change in rd.changes:
            if change.verdict is None:
                change.verdict = classify_change(book, rd.type, change.keys, change.before, change.after)


def apply_resolved(resources: list) -> None:
    """A change that happens only in some cases (its values resolve apart
    only when a condition holds, in some regions, with the Default) is at
    most ``conditional``: the rules' label holds only then."""
    for rd in resources:
        for change in rd.changes:
            r, v = change.resolved, change.verdict
            if r is not None and r.when and v is not None and RANK[v.label] > RANK[CONDITIONAL] and not v.override:
                v.relabel(CONDITIONAL)


def apply_config(config, resources: list) -> None:
    """Apply the user's overrides and ignores; each keeps its reason for the reports."""
    if config is None or not (config.overrides or config.ignores):
        return
    for rd in resources:
        rule = config.ignore_for(rd.type)
        if rule or rd.ignored:
            rd.ignored = rd.ignored or rule.reason
            continue
        for change in rd.changes:
            if change.ignored or (change.verdict and (change.verdict.override or change.verdict.label == NONE)):
                continue  # already applied, or nothing deploys: nothing to override
            rule = config.ignore_for(rd.type, change.path)
            if rule:
                change.ignored = rule.reason
                continue
            rule = config.override_for(rd.type, change.path)
            if rule and change.verdict:
                change.verdict.relabel(rule.label)
                change.verdict.override = rule.reason
