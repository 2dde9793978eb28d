"""Views of the model shared by the renderers: ordering, wording, counts and
short values.  Nothing here knows about an output syntax; where a phrase holds
template content, the caller passes the escaping functions."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Optional

from ..assess.checks import help_texts
from .. import levels
from ..levels import LEVELS
from ..load.typed import Typed, Unstated, as_written
from ..model import ADD, IMPORT, LABELS, MODIFY, NO_INTERRUPTION, NONE, NOT_UPDATABLE, RANK, REMOVE, REPLACEMENT, SEVERITY_RANK, UNKNOWN
from ..load.visible import strip_control  # noqa: F401  (the renderers' one way to show template text)

# Labels most disruptive first, for summaries and legends.
LABEL_ORDER = sorted(LABELS, key=lambda label: (-RANK[label], -LABELS.index(label)))
# Labels a reviewer must act on: every label but no-interruption.
DISRUPTIVE = tuple(label for label in LABEL_ORDER if label != NO_INTERRUPTION)

ACTION_WORDS = {ADD: "added", IMPORT: "imported", REMOVE: "removed", MODIFY: "modified"}

DESCRIPTIONS = {
    "replacement": "a new physical resource replaces the old one; data in it can be lost",
    "not-updatable": "the property cannot be updated; the update fails or needs a replacement",
    "conditional": "replacement or interruption depending on the values; read the note",
    "unknown": "no rule covers this change; check it by hand",
    "some-interruptions": "the resource stays, with a brief interruption",
    "no-interruption": "updated in place without interruption",
    "removed": "the resource is deleted with the stack update, unless its DeletionPolicy Retain leaves it orphaned",
    "added": "a new resource is created",
    "imported": "an existing resource is brought under the stack's management; nothing is created",
    "none": "the text changed, but what CloudFormation deploys does not: the resource is not updated",
}

# How the headline counts resources, by their worst label or action.
RESOURCE_PHRASES = (
    (REPLACEMENT, "replaced"),
    (NOT_UPDATABLE, "not updatable"),
    ("removed", "removed"),
    ("conditional", "conditional"),
    (UNKNOWN, "unknown"),
    ("some-interruptions", "interrupted"),
    (NO_INTERRUPTION, "updated in place"),
    ("added", "added"),
    ("imported", "imported"),
    # Text changed, nothing deploys differently: counted apart from the updates.
    (NONE, "not updated"),
)

# A mark per label, action and severity for the Markdown reports, where
# colour is not available: impact/levels.py decides them.
EMOJI = {key: lv.mark for key, lv in LEVELS.items()}

RESOURCE_KEYS = [key for key, _ in RESOURCE_PHRASES]

ELLIPSIS = "…"


def one_line(value) -> str:
    """A value as one line of visible characters: strings as they are (newlines
    written ``\\n``), everything else as compact JSON."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return strip_control(text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))


# A value the template does not set, shown as the security rows show it.
NOT_SET = "(not set)"


def absent(value) -> Optional[str]:
    """How a value that is not there reads: ``(not set)`` for a value the
    template does not set, ``value not in the change set`` for one AWS does
    not give; None for a value."""
    if value is None:
        return NOT_SET
    return str(value) if isinstance(value, Unstated) else None


def _quoted(value, text: str) -> str:
    if absent(value):
        return absent(value)
    return f'"{text}"' if isinstance(value, str) and not isinstance(value, Typed) else text


def _json(value) -> str:
    """JSON on one line, numbers and booleans as the template writes them."""
    return json.dumps(as_written(value), ensure_ascii=False)


def value_text(value) -> str:
    """A value on one line as JSON writes it, visible characters only; a
    string without its quotes, its own quotes and backslashes escaped, so a
    quoted value reads back as one value."""
    if value is None:
        return ""
    if isinstance(value, Unstated):
        return str(value)
    text = _json(value)
    return strip_control(text[1:-1] if isinstance(value, str) and not isinstance(value, Typed) else text)


def short_value(value, limit: Optional[int] = 60) -> str:
    """A value on one line, cut to ``limit`` characters (None: whole)."""
    text = value_text(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + ELLIPSIS
    return _quoted(value, text)


def whole_value(value) -> str:
    """A value on one line, whole: ``"tcp"``, ``{"FromPort": 22}``, ``(not set)``."""
    return _quoted(value, value_text(value))


def affixes(a: str, b: str) -> tuple:
    """Lengths of the longest common prefix and suffix of ``a`` and ``b``,
    never overlapping in the shorter one."""
    p = len(os.path.commonprefix([a, b]))
    s = len(os.path.commonprefix([a[p:][::-1], b[p:][::-1]]))
    return p, s


def window(text: str, p: int, s: int, limit: int) -> str:
    """``text`` shortened towards ``limit`` characters around its part that
    differs (``text[p:len(text) - s]``), which is never cut: unchanged
    context on each side (about a third of it after the difference, at
    least a few characters); every cut is marked with an ellipsis, which
    counts towards the limit."""
    if len(text) <= limit:
        return text
    end = len(text) - s
    spare = max(limit - 2 - (end - p), 2 * CONTEXT)
    after = min(s, max(spare // 3, CONTEXT))
    before = min(p, spare - after)
    after = min(s, spare - before)
    start, stop = p - before, end + after
    if start == 0:  # no ellipsis needed in front: one more character after
        stop = min(len(text), stop + 1)
    elif stop == len(text):
        start = max(0, start - 1)
    return (ELLIPSIS if start else "") + text[start:stop] + (ELLIPSIS if stop < len(text) else "")


# What a knock-on change shows as its new value: the text is the same, what it
# resolves to at deploy time is not.
RESOLVES_ANEW = "(same text, new value)"


def after_subject(finding) -> str:
    """The finding's message as it reads after its logical ID, for reports
    that show the ID first: "ArtifactBucket is replaced" continues with
    " is replaced"; any other message follows a colon."""
    lid, message = finding.logical_id or "", finding.message
    if lid and message.startswith(lid) and message[len(lid) : len(lid) + 1] in (" ", ":"):
        return message[len(lid) :]
    return ": " + message


UNSTATED_BOTH = "values not in the change set"


def values_line(before, after, limit: Optional[int] = 60, code=lambda text: text) -> str:
    """``before → after`` on one line (each shown with ``code``), or, where
    the change set gives neither value, that said once."""
    if isinstance(before, Unstated) and isinstance(after, Unstated):
        return UNSTATED_BOTH
    a, b = value_pair(before, after, limit)
    return f"{code(a)} → {code(b)}"


def value_pair(before, after, limit: Optional[int] = 60) -> tuple:
    """``before`` and ``after`` on one line each, shortened towards ``limit``
    characters (None: whole) only where they are the same: the part that
    differs is never cut.  Strings keep the part that differs with context
    around it (``"…churn:1.0"`` and ``"…churn:2.0"``); mappings and lists
    keep every key and item that differs whole and shorten the ones that are
    equal on both sides; a value added or removed whole is the difference,
    shown whole."""
    if absent(before) or absent(after):  # nothing to shorten around: each whole
        return whole_value(before), whole_value(after)
    if before == after:  # a knock-on: same text, new value
        return short_value(before, limit), RESOLVES_ANEW
    if limit is None:
        return whole_value(before), whole_value(after)
    a, b = value_text(before), value_text(after)
    if len(a) <= limit and len(b) <= limit:
        return _quoted(before, a), _quoted(after, b)
    if isinstance(before, str) and isinstance(after, str):
        p, s = affixes(a, b)
        return _quoted(before, window(a, p, s, limit)), _quoted(after, window(b, p, s, limit))
    if isinstance(before, (dict, list)) and isinstance(after, type(before)):
        for same_shown in (SAME_SHOWN, 1, 0):  # short equal values; their keys only; neither
            a, b = _compact(before, after, limit, same_shown)
            if len(a) <= limit and len(b) <= limit:
                break
        return a, b
    return whole_value(before), whole_value(after)


CONTEXT = 6  # characters of unchanged text kept on each side of a difference
SAME_SHOWN = 24  # a value equal on both sides is shown when it is this short
SAME = object()  # what stands for a run of equal keys or items


def _compact(a, b, limit: int, same_shown: int) -> tuple:
    """JSON texts of two unequal mappings or lists: what differs whole (a
    string around its difference), what is the same shortened: shown when
    its text is at most ``same_shown`` characters, else ``"Key": …``, and
    runs of equal list items as one ``…``."""
    if isinstance(a, dict) and isinstance(b, dict):
        left, right = [], []
        for key in list(a) + [k for k in b if k not in a]:
            name = strip_control(_json(key)) + ": "
            if key not in b:
                left.append(name + value_text_json(a[key]))
            elif key not in a:
                right.append(name + value_text_json(b[key]))
            elif a[key] == b[key]:
                text = value_text_json(a[key])
                shown = name + (text if len(text) <= same_shown else ELLIPSIS) if same_shown else SAME
                left.append(shown)
                right.append(shown)
            else:
                x, y = _compact_value(a[key], b[key], limit, same_shown)
                left.append(name + x)
                right.append(name + y)
        return "{" + _join(left) + "}", "{" + _join(right) + "}"
    left, right = [], []
    for x, y in zip_longest(a, b, fillvalue=_NOTHING):
        if x is _NOTHING:
            right.append(value_text_json(y))
        elif y is _NOTHING:
            left.append(value_text_json(x))
        elif x == y:
            text = value_text_json(x)
            shown = text if same_shown and len(text) <= same_shown else SAME
            left.append(shown)
            right.append(shown)
        else:
            x, y = _compact_value(x, y, limit, same_shown)
            left.append(x)
            right.append(y)
    return "[" + _join(left) + "]", "[" + _join(right) + "]"


_NOTHING = object()


def _join(parts: list) -> str:
    """Parts joined by commas, each run of :data:`SAME` as one ellipsis."""
    out = []
    for part in parts:
        if part is SAME:
            if not out or out[-1] != ELLIPSIS:
                out.append(ELLIPSIS)
        else:
            out.append(part)
    return ", ".join(out)


def _compact_value(a, b, limit: int, same_shown: int) -> tuple:
    if isinstance(a, (dict, list)) and isinstance(b, type(a)):
        return _compact(a, b, limit, same_shown)
    if isinstance(a, str) and isinstance(b, str):
        x, y = value_text(a), value_text(b)
        p, s = affixes(x, y)
        room = max(limit // 2, 2 * CONTEXT + 2)
        return f'"{window(x, p, s, room)}"', f'"{window(y, p, s, room)}"'
    return value_text_json(a), value_text_json(b)


def value_text_json(value) -> str:
    """A value as JSON on one line, visible characters only (strings quoted)."""
    return strip_control(_json(value))


def is_block(before, after) -> bool:
    """Whether a change is between multi-line strings (a Lambda's inline
    code, a script): shown as lines, not as one quoted value."""
    if before == after:  # a knock-on: same text, new value
        return False
    return any(isinstance(v, str) and "\n" in v.strip("\n") for v in (before, after)) and all(
        v is None or isinstance(v, str) for v in (before, after))


def block_diff(before, after, context: int = 2) -> list:
    """The lines of two multi-line strings that differ, with ``context``
    lines around them, as ``(mark, line)``: ``-`` before, ``+`` after, a
    space for context, and ``…`` for lines left out."""
    import difflib

    a = (before or "").splitlines() if before is not None else []
    b = (after or "").splitlines() if after is not None else []
    out = []
    for line in difflib.unified_diff(a, b, n=context, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if out:
                out.append((ELLIPSIS, ""))
            continue
        text = strip_control(line[1:].replace("\t", "    "))
        if line[0] == " " and len(text) > CONTEXT_LINE:  # the same on both sides: shortened
            text = text[: CONTEXT_LINE - 1] + ELLIPSIS
        out.append((line[0], text))
    return out


CONTEXT_LINE = 80  # characters of an unchanged line shown around a changed one


def block_lines(before, after, context: int = 2) -> list:
    """The lines of :func:`block_diff` as text: ``- old line``, ``+ new
    line``, ``  context``, ``…``."""
    return [mark if mark == ELLIPSIS else f"{mark} {line}" for mark, line in block_diff(before, after, context)]


def full_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(as_written(value), indent=2, ensure_ascii=False)


def split_values(before, after, limit: int = 4000) -> tuple:
    """Full (multi-line) values cut around their difference, each as
    ``(unchanged start, changed part, unchanged end)``, for highlighting."""
    if before == after and not absent(before):  # a knock-on: same text, new value
        return (full_value(before), "", ""), ("", RESOLVES_ANEW, "")
    a, b = full_value(before), full_value(after)
    if before is None or after is None:  # all of the one value is the change
        return tuple(("", window(t, 0, 0, limit), "") for t in (a, b))
    p, s = affixes(a, b)
    a, b = window(a, p, s, limit), window(b, p, s, limit)
    p, s = affixes(a, b)
    return tuple((t[:p], t[p : len(t) - s], t[len(t) - s :]) for t in (a, b))


def source_name(source: str) -> str:
    """``docs-2023-09-19/aws-resource-x.md`` -> ``docs 2023-09-19``."""
    layer = (source or "").split("/", 1)[0]
    name, _, date = layer.partition("-")
    return f"{name} {date}" if date else name


# What a change set's PolicyAction says CloudFormation does with a removed
# resource (Retain sets ``retained``).
POLICY_ACTION_REMOVALS = {
    "Delete": ("deleted (the change set's PolicyAction is Delete)",
               "CloudFormation deletes it (the change set's PolicyAction is Delete)"),
    "Snapshot": ("deleted after a snapshot (PolicyAction Snapshot)",
                 "CloudFormation takes a snapshot, then deletes it (the change set's PolicyAction is Snapshot)"),
}


def _removal_words(rd) -> tuple:
    """What becomes of a removed resource: ``(in a few words, as a clause)``."""
    if rd.goes_with:
        return (f"goes with {rd.goes_with}, which the change deletes",
                f"it goes with {rd.goes_with}, which the change deletes: its DeletionPolicy Retain keeps nothing")
    if rd.retained:
        return ("orphaned: its DeletionPolicy Retain keeps it outside the stack",
                "its DeletionPolicy Retain leaves it in the account, outside the stack: orphaned, not deleted")
    return POLICY_ACTION_REMOVALS.get((rd.changeset or {}).get("PolicyAction")) or (
        "deleted, unless its DeletionPolicy keeps it", "CloudFormation deletes it, unless its DeletionPolicy keeps it")


def removal_brief(rd) -> str:
    """What becomes of a removed resource, in a few words."""
    return _removal_words(rd)[0]


def removal(rd) -> str:
    """What CloudFormation does with a removed resource, as a clause."""
    return _removal_words(rd)[1]


def _source_words(verdict) -> dict:
    """Per source (``docs 2023-09-19``): its most disruptive label along the
    path, and the rule paths that say it."""
    per_source: dict = {}
    for v in verdict.sources:
        if v.label == "read-only":
            continue
        name = source_name(v.source)
        if name not in per_source or RANK[v.label] > RANK[per_source[name][0]]:
            per_source[name] = (v.label, [])
        label, paths = per_source[name]
        if v.label == label and v.path and v.path not in paths:
            paths.append(v.path)
    return per_source


def disagreement(verdict) -> str:
    """``replacement (docs 2023-09-19); conditional (schema 2026-10-20)``, or ''."""
    if not verdict or not verdict.disagreement:
        return ""
    return "; ".join(f"{label} ({name})" for name, (label, _) in _source_words(verdict).items())


def _rule_paths(verdict) -> tuple:
    """The rule paths a disagreement is about: those every source speaks of
    (``/KeySchema``), else all of them."""
    per_source = [paths for _, paths in _source_words(verdict).values()]
    every = tuple(dict.fromkeys(p for paths in per_source for p in paths))
    common = tuple(p for p in every if all(p in paths for paths in per_source))
    return common or every


class SourcesDiffer:
    """One disagreement of sources: what each says about a property of a
    type (``paths``: the rule paths they speak of), and how many changes of
    the report it decides."""

    def __init__(self, number: int, type_name: str, paths: tuple, text: str):
        self.number, self.type, self.paths, self.text = number, type_name, paths, text
        self.changes = 0


class DisagreementNotes:
    """The distinct disagreements of sources in a report, numbered in the
    order the reports show their changes: each is told once, in a list of
    its own, and each change it decides points to it by number.  ``shown``
    picks the resources a report lists with their changes."""

    def __init__(self, stacks, shown=lambda rd: True):
        self.notes: list = []
        self._of: dict = {}
        index: dict = {}
        for stack in stacks:
            for rd in sorted_resources(stack):
                if not shown(rd):
                    continue
                for c in rd.changes:
                    v = c.verdict
                    if not v or not v.disagreement:
                        continue
                    key = (rd.type, _rule_paths(v), disagreement(v))
                    note = index.get(key)
                    if note is None:
                        note = index[key] = SourcesDiffer(len(self.notes) + 1, *key)
                        self.notes.append(note)
                    note.changes += 1
                    self._of[id(c)] = note

    def of(self, change) -> Optional[SourcesDiffer]:
        return self._of.get(id(change))

    def marker(self, change) -> Optional[str]:
        """``sources differ: see note 2`` for a change a note covers, else None."""
        note = self.of(change)
        return f"sources differ: see note {note.number}" if note else None


def because(change, text=str, code=str) -> str:
    """What set a knock-on change off, ``Bucket is replaced``, with the cause
    formatted by ``code`` and the rest by ``text``."""
    event = change.because or f"{change.cause} changes"
    if event.startswith(change.cause):
        return code(change.cause) + text(event[len(change.cause) :])
    return text(event)


def reasons(change, text=str, code=str, differ=None) -> list:
    """Why a change has its label, as short statements.  ``text`` escapes
    free text and ``code`` a logical ID for the output at hand.  ``differ``
    (a change to a short statement, or None) stands for what the sources say
    where a report tells each disagreement once (:class:`DisagreementNotes`)."""
    out = []
    if change.ignored:
        out.append("ignored: " + text(change.ignored))
    if change.cause:
        out.append("knock-on: changes because " + because(change, text, code))
    if change.resolved is not None:
        out.append(text(change.resolved.text))
    v = change.verdict
    if v and v.override:
        out.append("override: " + text(v.override))
    if v and v.disagreement:
        out.append((differ and differ(change)) or "sources differ: " + text(disagreement(v)))
    if v and v.note:
        out.append(text(v.note))
    out.extend(text(line) for line in changeset_reasons(change))
    return out


def changeset_reasons(change) -> list:
    """What a change set says about a change: its answer beside the offline
    one (``offline: conditional; change set: replacement, Static``), which
    side alone sees it, and drift."""
    from ..aws.changeset import answer, origin

    out = []
    if change.changeset:
        said = answer(change.changeset)
        if change.disagrees:
            out.append(f"disagreement: offline: {change.offline}; change set: {said}")
        elif change.offline is not None:
            out.append(f"change set: {said} (offline: {change.offline})")
        else:
            out.append(f"change set: {said}")
    if change.only == "change set":
        source = origin(change.changeset)
        out.append(f"only in the change set ({source})" if source else "only in the change set")
    elif change.only == "template":
        out.append("only in the template diff: the change set does not list this change")
    for d in change.changeset:
        target = d.get("Target") or {}
        drift = target.get("Drift")
        if isinstance(drift, dict) and (drift.get("ActualValue") is not None or drift.get("PreviousValue") is not None):
            out.append(
                f"drift: actual {one_line(drift.get('ActualValue'))!s} (last deployed {one_line(drift.get('PreviousValue'))})"
            )
        if target.get("BeforeValueFrom") == "ACTUAL_STATE":
            out.append("the before value is the resource's actual state")
    return out


def resource_reasons(rd) -> list:
    """What the resource's condition decides, and what a change set says
    about a whole resource, as short statements."""
    out = [rd.exists] if rd.exists else []
    if rd.only == "change set":
        out.append("only in the change set")
    elif rd.only == "template":
        out.append("only in the template diff: the change set does not list this resource")
    facts = rd.changeset
    if facts:
        parts = [f"Action {facts.get('Action')}"]
        for key, name in (
            ("Replacement", "Replacement"),
            ("PolicyAction", "PolicyAction"),
            ("PhysicalResourceId", "physical ID"),
            ("ResourceDriftStatus", "drift"),
        ):
            if facts.get(key):
                parts.append(f"{name} {facts[key]}")
        if facts.get("Scope"):
            parts.append("scope " + ", ".join(map(str, facts["Scope"])))
        if facts.get("ChangeSetId") and rd.type == "AWS::CloudFormation::Stack":
            parts.append(f"nested change set {facts['ChangeSetId']}")
        if facts.get("HookInvocationCount"):
            parts.append(plural(int(facts["HookInvocationCount"]), "hook invocation"))
        out.append("change set: " + ", ".join(parts))
    return out


def rules_summary(report) -> str:
    """``docs 2023-09-19, schema 2026-10-20``: where the labels come from."""
    names = []
    for layer, info in (report.rules_info or {}).items():
        date = str(info.get("schema_date") or "")[:10]
        source = info.get("source") or layer
        names.append(f"{layer} {date}".strip() if date else source_name(str(source)))
    return ", ".join(names)


def finding_help(finding_id: str) -> str:
    """The one-sentence explanation of a finding id, when one is known."""
    return help_texts().get(finding_id, "")


def _finding_key(f) -> tuple:
    return (-SEVERITY_RANK[f.severity], f.id, f.logical_id or "")


def sorted_findings(findings):
    """Most severe first, then by id, so that findings of a kind stay together."""
    return sorted(findings, key=_finding_key)


def finding_groups(pairs) -> list:
    """``[(stack, finding)]`` (in order) grouped by severity and id:
    ``[(severity, id, help, [(stack, finding)])]``, so that each kind of
    finding is explained once."""
    groups: dict = {}
    for stack, f in pairs:
        groups.setdefault((f.severity, f.id), []).append((stack, f))
    return [(sev, fid, finding_help(fid), items) for (sev, fid), items in groups.items()]


def resource_word(rd) -> str:
    """``added``, ``removed`` or the worst label of a modified resource."""
    return ACTION_WORDS[rd.action] if rd.action != MODIFY else rd.impact


def resource_rank(rd, access: Optional[str] = None) -> tuple:
    """Sort key: the worst tier first, of the label and of the security mark
    (``access``), so that a resource made public ranks with the
    replacements; then most disruptive first; removals rank with
    replacements (after them), additions after every label, ignored
    resources last."""
    if rd.ignored:
        rank, tier = -3, None
    else:
        if rd.action == MODIFY and rd.impact == NONE:
            rank = -2
        else:
            rank = RANK[REPLACEMENT] if rd.action == REMOVE else -1 if rd.action in (ADD, IMPORT) else RANK[rd.impact]
        tier = levels.worst_tier([resource_word(rd)] + ([access] if access else []))
    return (-levels.TIER_RANK[tier], -rank, rd.action == REMOVE, rd.logical_id)


def sorted_resources(stack) -> list:
    """Worst first (:func:`resource_rank`); the resources expanded from one
    SAM resource or loop stay together, under the worst of them."""
    access = access_marks(stack) if stack.security else {}
    ranked = sorted(stack.resources, key=lambda rd: resource_rank(rd, access.get(rd.logical_id)))
    if not any(rd.origin for rd in ranked):
        return ranked
    groups: dict = {}
    for rd in ranked:
        key = (rd.origin.type, rd.origin.logical_id) if rd.origin else ("", rd.logical_id)
        groups.setdefault(key, []).append(rd)
    return [rd for members in groups.values() for rd in members]


def properties_word(rd) -> str:
    """What is known of an added or imported resource's properties, when
    none are shown: ``properties not in the change set``, ``no properties``."""
    if rd.properties:
        return ""
    return "properties not in the change set" if rd.unstated else "no properties"


def provenance(rd) -> list:
    """Where an expanded resource comes from, and the ID a hashed one follows:
    ``from AWS::Serverless::Function OrdersFn``, ``was OrdersFnVersion3f6462f125``."""
    out = []
    if rd.origin:
        out.append(str(rd.origin))
    if rd.old_logical_id:
        out.append(f"was {rd.old_logical_id}")
    return out


def resource_labels(rd) -> list:
    """The distinct labels of a resource's changes that count, most disruptive
    first; ``added``/``removed`` for whole resources."""
    if rd.action != MODIFY:
        return [resource_word(rd)]
    present = {c.impact for c in rd.changes if not c.ignored}
    return [label for label in LABEL_ORDER if label in present]


def stack_counts(stack) -> dict:
    """Changes per label plus resources added and removed and what the config
    ignores: the columns of a summary table."""
    summary = stack.summary()
    out = dict(summary["changes"])
    out["added"] = summary["resources"][ADD]
    out["imported"] = summary["resources"].get(IMPORT, 0)
    out["removed"] = summary["resources"][REMOVE]
    out["ignored"] = summary.get("ignored", 0)
    return out


# The summary table counts what the headline counts: resources, each under
# its most disruptive change (or added, removed), and what the config
# ignores; then the changed properties, all labels together.
SUMMARY_COLUMNS = RESOURCE_KEYS + ["ignored", "changes"]
COLUMN_TITLES = {**dict(RESOURCE_PHRASES), "ignored": "ignored by config", "changes": "changes"}
SUMMARY_CAPTION = (
    "Resources, by their most disruptive change, as in the headline; "
    "changes: the changed properties of those resources."
)


def summary_counts(stack) -> dict:
    """The columns of the summary table for ``stack``."""
    out = resource_tally([stack])
    counts = stack_counts(stack)
    out["ignored"] = counts["ignored"]
    out["changes"] = sum(stack.summary()["changes"].values())
    return out


def summary_columns(report) -> list:
    """The summary-table columns that are not zero for every stack."""
    totals = [summary_counts(s) for s in report.stacks]
    return [c for c in SUMMARY_COLUMNS if any(t.get(c) for t in totals)]


def column_title(column: str) -> str:
    """``replaced``, ``updated in place``, ``changes``: the headline's words."""
    return COLUMN_TITLES[column]


SHORT_TITLES = {NO_INTERRUPTION: "in place", "ignored": "ignored"}


def short_title(column: str) -> str:
    """A column's title where room is short (the comment's table fits the column)."""
    return SHORT_TITLES.get(column) or COLUMN_TITLES[column]


def resource_tally(stacks) -> dict:
    """Resources per headline key (worst label, added, removed), leaving out
    what the config ignores."""
    tally: dict = {}
    for stack in stacks:
        for rd in stack.resources:
            if not rd.ignored:
                key = resource_word(rd)
                tally[key] = tally.get(key, 0) + 1
    return tally


def worst_key(stacks) -> str:
    """The headline's key: the most disruptive thing in ``stacks``, with
    removals counted as replacements; ``none`` when nothing changed."""
    tally = resource_tally(stacks)
    for key, _ in RESOURCE_PHRASES:
        if tally.get(key) and key != NONE:
            return REPLACEMENT if key == "removed" else key
    changed = any(s.sections or any(rd.updated for rd in s.resources) for s in stacks)
    return NO_INTERRUPTION if changed else "none"


def severity_counts(stacks) -> list:
    """[(severity, count)] most severe first, for the findings that occur."""
    counts: dict = {}
    for stack in stacks:
        for f in stack.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
    return [(s, counts[s]) for s in sorted(counts, key=lambda s: -SEVERITY_RANK[s])]


def verdict_keys(stacks) -> list:
    """What the verdict weighs: each resource's label or action (what the
    config ignores aside) and each finding's severity."""
    keys = [resource_word(rd) for s in stacks for rd in s.resources if not rd.ignored]
    return keys + [f.severity for s in stacks for f in s.findings]


def verdict_tier(stacks) -> Optional[str]:
    """``error``, ``warning``, ``note`` or None: the worst of the labels and
    of the finding severities in ``stacks``, both axes."""
    return levels.worst_tier(verdict_keys(stacks))


def verdict_mark(stacks) -> str:
    """⛔, ⚠️, ℹ️ or ✅: the verdict's mark, the same in every format."""
    return levels.verdict_mark(verdict_tier(stacks))


def worst_first(stacks) -> list:
    """Stacks in the order a reviewer reads them: the worst verdict first,
    then the most errors, then by name as given."""
    def key(pair):
        index, stack = pair
        tier = verdict_tier([stack])
        errors = sum(1 for k in verdict_keys([stack]) if levels.level(k).tier == levels.ERROR)
        return (-levels.TIER_RANK[tier], -errors, index)

    return [stack for _, stack in sorted(enumerate(stacks), key=key)]


def plural(n: int, word: str, many: str = "") -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def verdict_parts(stacks) -> list:
    """The one-line verdict as ``[(key, text)]``: resources per worst label
    (``key`` a label, ``added`` or ``removed``), what the config ignores,
    then findings per severity."""
    tally = resource_tally(stacks)
    parts = [(key, f"{tally[key]:,} {phrase}") for key, phrase in RESOURCE_PHRASES if tally.get(key)]
    if parts:
        key, text = parts[0]
        n, phrase = text.split(" ", 1)
        parts[0] = (key, f"{n} {'resource' if n == '1' else 'resources'} {phrase}")
    else:
        sections = sum(len(s.sections) for s in stacks)
        parts = [("none", f"{plural(sections, 'change')} outside Resources" if sections else "no changes")]
    ignored = sum(stack_counts(s)["ignored"] for s in stacks)
    if ignored:
        parts.append(("ignored", f"{ignored:,} ignored by config"))
    disagreements = sum(s.summary().get("disagreements", 0) for s in stacks)
    if disagreements:
        parts.append(("disagreement", f"{plural(disagreements, 'disagreement')} with the change set"))
    cdk = sum(s.summary().get("cdk_metadata", 0) for s in stacks)
    if cdk:
        parts.append(("ignored", f"{plural(cdk, 'AWS::CDK::Metadata resource')} apart"))
    parts += [(sev, plural(n, sev, sev if sev == "info" else "")) for sev, n in severity_counts(stacks)]
    return parts


def _plain(text: str, key: str) -> str:
    return text


def verdict(stacks, paint=_plain) -> str:
    """``3 resources replaced, 1 removed, 4 updated in place; 1 error``;
    ``paint(text, key)`` dresses each part (a colour per label or severity)."""
    parts = verdict_parts(stacks)
    changes = ", ".join(paint(text, key) for key, text in parts if key not in SEVERITY_RANK)
    findings = ", ".join(paint(text, key) for key, text in parts if key in SEVERITY_RANK)
    return f"{changes}; {findings}" if findings else changes


def summary_row(stack, columns) -> list:
    """The counts of ``stack`` under ``columns``, blank for zero."""
    counts = summary_counts(stack)
    return [f"{counts[c]:,}" if counts.get(c) else "" for c in columns]


FIRST_LINE = (1, 1)


def new_position(rd, position=None, in_old: bool = False) -> tuple:
    """Where something about resource ``rd`` (None: no resource, as for an
    output) is in the new template, as ``(line, column)``: at ``position``,
    unless that is a line of the old template (``in_old``, as for a removed
    property), then at the resource; at line 1 when the resource is removed,
    or when neither has a line.  Annotations and SARIF share it."""
    if rd is not None and rd.action == REMOVE:
        return FIRST_LINE
    if position and not in_old:
        return tuple(position)
    return tuple(rd.position) if rd is not None and rd.position else FIRST_LINE


def section_title(sc) -> str:
    return f"{sc.section} {sc.name}" if sc.name else sc.section


# -- the security section -----------------------------------------------------

FAMILY_WORDS = {"permissions": "IAM", "network": "network", "exposure": "exposure", "protection": "protection"}


def security_key(row) -> str:
    """The mark of a security row: ``public`` (anyone can reach it),
    ``admin`` (an administrator-equivalent grant), ``unprotected`` (a
    safeguard switched off), ``opens``, ``moves`` (the same access moved) or
    ``closes``."""
    if row.direction in ("closes", "moves"):
        return row.direction
    if row.public:
        return "public"
    if row.admin:
        return "admin"
    if row.family == "protection":
        return "unprotected"
    return "opens"


def access_key(rows) -> Optional[str]:
    """The worst mark of ``rows`` (public, admin, opens, unprotected), or None
    when none opens anything."""
    keys = {security_key(row) for row in rows}
    return next((key for key in levels.ACCESS if key in keys), None)


def access_marks(stack) -> dict:
    """The security mark of each resource of ``stack`` that has one, by logical ID."""
    rows: dict = {}
    for row in stack.security:
        rows.setdefault(row.logical_id, []).append(row)
    return {lid: key for lid, key in ((lid, access_key(r)) for lid, r in rows.items()) if key}


def security_tally(rows) -> str:
    """``3 changes open access (1 to anyone), 2 safeguards switched off, 1 change closes access``."""
    keys = [security_key(r) for r in rows]
    opens = [r for r, k in zip(rows, keys) if k in ("public", "admin", "opens")]
    public = sum(r.public for r in opens)
    off = keys.count("unprotected")
    moves = keys.count("moves")
    closes = keys.count("closes")
    parts = []
    if opens:
        parts.append(f"{plural(len(opens), 'change opens', 'changes open')} access" + (f" ({public:,} to anyone)" if public else ""))
    if off:
        parts.append(f"{plural(off, 'safeguard')} switched off")
    if moves:
        parts.append(f"{plural(moves, 'change moves', 'changes move')} access")
    if closes:
        parts.append(f"{plural(closes, 'change closes', 'changes close')} access")
    return ", ".join(parts)


def security_details(row) -> list:
    """``[(name, value)]``: the columns of a security row that its summary
    does not already say, each whole."""
    return [(name, value) for name, value in row.fields.items() if value and value not in row.summary]


# -- what a review lists: each stack's resources with their security rows and
#    findings, and what needs a decision ---------------------------------------


def told_by(finding, rows) -> bool:
    """Whether a security row already says what ``finding`` says."""
    return any(row.summary and row.summary in finding.message for row in rows)


def is_error(key) -> bool:
    """Whether a label, action, severity or security mark is an error."""
    return bool(key) and levels.level(key).tier == levels.ERROR


@dataclass
class Listed:
    """A resource a review lists with its changes, and what it says beside them."""

    rd: object
    access: Optional[str]  # its security mark
    rows: list  # its security rows
    findings: list  # its findings that are not errors and that no row already says
    errors: list  # its error findings
    decide: bool  # an error on either axis: it needs a decision


@dataclass
class Decision:
    """Why a resource (or a finding about no listed resource) needs a
    decision: the keys that make it an error (its label or action, its
    security mark, ``error``), the changes that replace it directly, the
    knock-on ones (one per cause), its error security rows and error
    findings that no row says."""

    listed: Optional[Listed]
    keys: list
    changes: list = field(default_factory=list)
    causes: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    findings: list = field(default_factory=list)


@dataclass
class StackView:
    stack: object
    listed: list  # of Listed, worst first
    added: list  # added resources listed by name only
    ignored: list  # resources the config ignores
    findings: list  # findings about no listed resource that are not errors
    decisions: list  # of Decision, in the order of ``listed``, then the loose errors


def stack_view(stack) -> StackView:
    """What a review shows of ``stack``: the resources it lists (modified and
    removed ones, and added ones that open access or have a finding), each
    with its security rows and findings, and what needs a decision."""
    access = access_marks(stack)
    rows: dict = {}
    for row in stack.security:
        rows.setdefault(row.logical_id, []).append(row)
    about: dict = {}
    for f in sorted_findings(stack.findings):
        about.setdefault(f.logical_id, []).append(f)
    told = set(access) | {lid for lid in about if lid}
    listed, decisions = [], []
    for rd in sorted_resources(stack):
        if rd.ignored or (rd.action in (ADD, IMPORT) and rd.logical_id not in told):
            continue
        lid, mark = rd.logical_id, access.get(rd.logical_id)
        own = rows.get(lid, [])
        errors = [f for f in about.get(lid, ()) if f.severity == "error"]
        others = [f for f in about.get(lid, ()) if f.severity != "error" and not told_by(f, own)]
        word = resource_word(rd)
        item = Listed(rd, mark, own, others, errors, is_error(word) or is_error(mark) or bool(errors))
        listed.append(item)
        if item.decide:
            decision = Decision(item, [k for k in (word, mark) if is_error(k)] or ["error"])
            if rd.action == MODIFY and is_error(word):
                for c in rd.changes:
                    if c.ignored or not is_error(c.impact):
                        continue
                    if not c.cause:
                        decision.changes.append(c)
                    elif all(c.cause != other.cause for other in decision.causes):
                        decision.causes.append(c)
            decision.rows = [row for row in own if is_error(security_key(row))] if is_error(mark) else []
            decision.findings = [f for f in errors if not told_by(f, own)]
            decisions.append(decision)
    ids = {item.rd.logical_id for item in listed}
    loose = [f for f in sorted_findings(stack.findings) if f.logical_id not in ids]
    decisions += [Decision(None, ["error"], findings=[f]) for f in loose if f.severity == "error"]
    added = [rd for rd in sorted_resources(stack) if not rd.ignored and rd.action in (ADD, IMPORT) and rd.logical_id not in ids]
    ignored = [rd for rd in sorted_resources(stack) if rd.ignored]
    return StackView(stack, listed, added, ignored, [f for f in loose if f.severity != "error"], decisions)
