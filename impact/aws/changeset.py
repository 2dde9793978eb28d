"""CloudFormation change sets: read them, turn them into stacks of changes,
and merge them with the offline diff.

A change set file is the JSON of ``aws cloudformation describe-change-set
--include-property-values`` (the DescribeChangeSet response).  Its
``Changes`` are ``ResourceChange`` objects, each with ``Details``: one
``ResourceChangeDetail`` per target (property or attribute) with AWS's own
``RequiresRecreation``, ``Evaluation`` and ``ChangeSource``.

A change set's answer is AWS's: where it has one, it is the label; the
offline prediction is kept beside it (``Change.offline``), and a change on
which the two disagree about replacement is marked (``Change.disagrees``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Optional

from ..load.loader import MAX_BYTES, LoadError, _load_json, decode, looks_like_json
from ..load.typed import NOT_IN_CHANGE_SET, Unstated
from ..model import ADD, CONDITIONAL, IMPORT, MODIFY, NO_INTERRUPTION, NOT_UPDATABLE, REMOVE, REPLACEMENT, SOME_INTERRUPTIONS, UNKNOWN, Change, ResourceDiff, StackDiff, Verdict, escape, worst

KIND = "a change set (the JSON of describe-change-set)"
MAX_CHANGES = 20_000  # resource changes in one file; a stack holds at most 500 resources
MAX_DETAILS = 2_000  # details of one resource change
DEPLOYED = "deployed"

# What the command line reports when a change set has nothing to change.
NO_CHANGES_REASONS = ("didn't contain changes", "No updates are to be performed")

# The fields kept from each level, as AWS names them (API reference:
# DescribeChangeSet, Change, ResourceChange, ResourceChangeDetail,
# ResourceTargetDefinition, LiveResourceDrift).
STACK_FIELDS = (
    "ChangeSetName",
    "ChangeSetId",
    "StackId",
    "StackName",
    "Description",
    "Parameters",
    "CreationTime",
    "ExecutionStatus",
    "Status",
    "StatusReason",
    "StackDriftStatus",
    "NotificationARNs",
    "RollbackConfiguration",
    "Capabilities",
    "Tags",
    "NextToken",
    "IncludeNestedStacks",
    "ParentChangeSetId",
    "RootChangeSetId",
    "OnStackFailure",
    "ImportExistingResources",
    "DeploymentMode",
    "DeploymentConfig",
)
RESOURCE_FIELDS = (
    "PolicyAction",
    "Action",
    "LogicalResourceId",
    "PhysicalResourceId",
    "ResourceType",
    "Replacement",
    "Scope",
    "ResourceDriftStatus",
    "ResourceDriftIgnoredAttributes",
    "ChangeSetId",
    "ModuleInfo",
    "BeforeContext",
    "AfterContext",
    "PreviousDeploymentContext",
)
TARGET_FIELDS = (
    "Attribute",
    "Name",
    "RequiresRecreation",
    "Path",
    "BeforeValue",
    "AfterValue",
    "BeforeValueFrom",
    "AfterValueFrom",
    "Drift",
    "AttributeChangeType",
)
DETAIL_FIELDS = ("Target", "Evaluation", "ChangeSource", "CausingEntity")

# Fields that must be strings where present; the rest are checked by shape.
_STRINGS = {
    "ChangeSetName", "ChangeSetId", "StackId", "StackName", "Description", "ExecutionStatus", "Status",
    "StatusReason", "StackDriftStatus", "NextToken", "ParentChangeSetId", "RootChangeSetId", "OnStackFailure",
    "DeploymentMode", "PolicyAction", "Action", "LogicalResourceId", "PhysicalResourceId", "ResourceType",
    "Replacement", "ResourceDriftStatus", "BeforeContext", "AfterContext", "PreviousDeploymentContext",
    "Attribute", "Name", "RequiresRecreation", "Path", "BeforeValue", "AfterValue", "BeforeValueFrom",
    "AfterValueFrom", "AttributeChangeType", "Evaluation", "ChangeSource", "CausingEntity", "CreationTime",
}  # fmt: skip
_LISTS = {"Parameters", "NotificationARNs", "Capabilities", "Tags", "Scope", "ResourceDriftIgnoredAttributes"}
_MAPS = {"RollbackConfiguration", "ModuleInfo", "Drift", "DeploymentConfig", "Target"}

# RequiresRecreation -> label; how an offline label answers the same question.
RECREATION = {"Always": REPLACEMENT, "Conditionally": CONDITIONAL, "Never": NO_INTERRUPTION}
RECREATION_WORDS = {"Always": "replacement", "Conditionally": "conditional", "Never": "no replacement"}
OFFLINE_RECREATION = {
    REPLACEMENT: "Always",
    NOT_UPDATABLE: "Always",
    CONDITIONAL: "Conditionally",
    SOME_INTERRUPTIONS: "Never",
    NO_INTERRUPTION: "Never",
    UNKNOWN: None,
}
# A Ref or a Fn::GetAtt of another resource: what the knock-on stage may find too.
KNOCK_ON_SOURCES = ("ResourceReference", "ResourceAttribute")
REPLACEMENT_LABELS = {"True": REPLACEMENT, "Conditional": CONDITIONAL, "False": NO_INTERRUPTION}
ACTIONS = {"Add": ADD, "Import": IMPORT, "Remove": REMOVE}  # every other action modifies

CHANGE_SOURCES = {
    "ResourceReference": "a resource it refers to",
    "ParameterReference": "a parameter value",
    "ResourceAttribute": "a resource attribute",
    "DirectModification": "an edit of the template",
    "Automatic": "a nested stack's update",
    "NoModification": "no modification (drift is reverted)",
}


@dataclass
class ChangeSet:
    """One change set as read from a file (its pages joined)."""

    path: str
    facts: dict  # STACK_FIELDS present in the file
    changes: list = field(default_factory=list)  # [(resource change facts, [details], position, hooks)]
    name: Optional[str] = None  # the stack name it is shown under, nested ones below their parent
    nested: list = field(default_factory=list)  # [(logical ID, ChangeSet)]

    @property
    def id(self) -> Optional[str]:
        return self.facts.get("ChangeSetId")

    def logical_ids(self) -> set:
        return {facts["LogicalResourceId"] for facts, _, _ in self.changes}

    @property
    def no_changes(self) -> bool:
        reason = self.facts.get("StatusReason") or ""
        return self.facts.get("Status") == "FAILED" and any(r in reason for r in NO_CHANGES_REASONS)


# ---------------------------------------------------------------------------
# Reading


def _where(positions, keys) -> tuple:
    return positions.find(tuple(keys)) or (1, 1)


def _kept(path, positions, value, names, keys) -> dict:
    """The members of ``value`` named in ``names``, each checked for its shape."""
    out = {}
    for name in names:
        if name not in value:
            continue
        item = value[name]
        here = keys + [name]
        label = ".".join(str(k) for k in here)
        if item is None:
            continue
        if name in _STRINGS and not isinstance(item, str):
            raise LoadError(path, *_where(positions, here), f"{label} must be a string")
        if name in _LISTS and not isinstance(item, list):
            raise LoadError(path, *_where(positions, here), f"{label} must be a list")
        if name in _MAPS and not isinstance(item, dict):
            raise LoadError(path, *_where(positions, here), f"{label} must be an object")
        out[name] = item
    return out


def parse_change_set(path: str, text: str) -> ChangeSet:
    if not looks_like_json(text):
        start = len(text) - len(text.lstrip(" \t\r\n"))
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        template = re.search(r"^(Resources|AWSTemplateFormatVersion|Transform)\s*:", text, re.M)
        hint = ": this is a template; compare two with impact diff OLD NEW" if template else ""
        raise LoadError(path, line, col, f"not {KIND}, which is a JSON object starting with '{{'{hint}")
    data, positions = _load_json(path, text, KIND)
    if not any(k in data for k in ("Changes", "ChangeSetId", "ChangeSetName")):
        raise LoadError(path, 1, 1, f"not {KIND}: no Changes, ChangeSetId or ChangeSetName")
    facts = _kept(path, positions, data, STACK_FIELDS, [])
    changes = data.get("Changes")
    changes = [] if changes is None else changes
    if not isinstance(changes, list):
        raise LoadError(path, *_where(positions, ["Changes"]), "Changes must be a list")
    if len(changes) > MAX_CHANGES:
        raise LoadError(path, *_where(positions, ["Changes"]), f"more than {MAX_CHANGES:,} changes")
    cs = ChangeSet(path=path, facts=facts)
    for i, change in enumerate(changes):
        keys = ["Changes", i]
        if not isinstance(change, dict):
            raise LoadError(path, *_where(positions, keys), f"Changes.{i} must be an object")
        if change.get("Type", "Resource") != "Resource":
            continue  # the only type the API defines; a new one is not ours to guess
        rc = change.get("ResourceChange")
        keys = keys + ["ResourceChange"]
        if not isinstance(rc, dict):
            raise LoadError(path, *_where(positions, keys), f"Changes.{i}.ResourceChange must be an object")
        facts_rc = _kept(path, positions, rc, RESOURCE_FIELDS, keys)
        for name in ("LogicalResourceId", "Action"):
            if not facts_rc.get(name):
                raise LoadError(path, *_where(positions, keys), f"Changes.{i}.ResourceChange has no {name}")
        hooks = change.get("HookInvocationCount")
        if hooks is not None:
            if not str(hooks).isdigit():
                raise LoadError(path, *_where(positions, ["Changes", i, "HookInvocationCount"]), f"Changes.{i}.HookInvocationCount must be a number")
            facts_rc["HookInvocationCount"] = int(hooks)
        details = rc.get("Details") or []
        if not isinstance(details, list):
            raise LoadError(path, *_where(positions, keys + ["Details"]), f"Changes.{i}.ResourceChange.Details must be a list")
        if len(details) > MAX_DETAILS:
            raise LoadError(path, *_where(positions, keys + ["Details"]), f"more than {MAX_DETAILS:,} details")
        kept = []
        for j, detail in enumerate(details):
            dkeys = keys + ["Details", j]
            if not isinstance(detail, dict):
                raise LoadError(path, *_where(positions, dkeys), f"{'.'.join(map(str, dkeys))} must be an object")
            d = _kept(path, positions, detail, DETAIL_FIELDS, dkeys)
            target = _kept(path, positions, d.get("Target") or {}, TARGET_FIELDS, dkeys + ["Target"])
            d["Target"] = target
            kept.append((d, _where(positions, dkeys)))
        cs.changes.append((facts_rc, kept, _where(positions, keys)))
    return cs


def read_change_set(path: str, max_bytes: int = MAX_BYTES) -> ChangeSet:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as e:
        raise LoadError(path, None, None, e.strerror or str(e)) from None
    if len(raw) > max_bytes:
        raise LoadError(path, None, None, f"file is over the {max_bytes:,}-byte limit (raise it with --max-bytes)")
    text = decode(path, raw, max_bytes)
    if not text.strip():
        raise LoadError(path, 1, 1, f"empty file: not {KIND}")
    return parse_change_set(path, text)


def link(change_sets: list) -> list:
    """Join pages of one change set (the same ChangeSetId), put each nested
    change set under its parent, and name each one: the stack name for a
    root, ``parent/LogicalId`` for a nested stack.  Returns the roots."""
    by_id: dict = {}
    joined = []
    for cs in change_sets:
        prior = by_id.get(cs.id) if cs.id else None
        if prior is not None:
            prior.changes.extend(cs.changes)
            continue
        if cs.id:
            by_id[cs.id] = cs
        joined.append(cs)
    child_of: dict = {}  # nested change set id -> (parent, logical ID)
    for cs in joined:
        for facts, _, _ in cs.changes:
            if facts.get("ChangeSetId") and facts.get("ResourceType") == "AWS::CloudFormation::Stack":
                child_of[facts["ChangeSetId"]] = (cs, facts["LogicalResourceId"])
    roots = []
    for cs in joined:
        parent = child_of.get(cs.id) if cs.id else None
        if parent is None or parent[0] is cs:
            roots.append(cs)
        else:
            parent[0].nested.append((parent[1], cs))

    def name(cs, base: str) -> None:
        cs.name = base
        for logical_id, child in cs.nested:
            name(child, f"{base}/{logical_id}")

    for cs in roots:
        name(cs, cs.facts.get("StackName") or cs.facts.get("ChangeSetName") or cs.path)
    return roots


def walk(roots: list):
    """Every change set, each parent before its nested ones."""
    for cs in roots:
        yield cs
        yield from walk([child for _, child in cs.nested])


# ---------------------------------------------------------------------------
# Labels


def target_path(detail: dict) -> str:
    """The JSON Pointer, relative to the resource, of what a detail changes."""
    target = detail.get("Target") or {}
    path = target.get("Path")
    if isinstance(path, str) and path.startswith("/"):
        return path
    attribute, name = target.get("Attribute"), target.get("Name")
    if attribute == "Properties" and name:
        return "/Properties/" + escape(name)
    if attribute == "Tags":
        return "/Properties/Tags"
    return "/" + escape(attribute) if attribute else ""


def detail_label(detail: dict) -> Optional[str]:
    """The label AWS's answer amounts to, or None where it gives none.

    ``Always`` with a ``Dynamic`` evaluation is only a possible replacement:
    whether the value changes is known during the update.  ``Never`` says
    nothing about interruptions; :func:`merged_label` keeps the offline
    ``some-interruptions`` beside it."""
    target = detail.get("Target") or {}
    if target.get("AttributeChangeType") == "SyncWithActual":
        return NO_INTERRUPTION
    label = RECREATION.get(target.get("RequiresRecreation"))
    if label == REPLACEMENT and detail.get("Evaluation") == "Dynamic":
        return CONDITIONAL
    return label


def merged_label(details: list, offline: Optional[str], sure: bool = False) -> Optional[str]:
    """The label of a change with these details.  ``Always`` with a
    ``Dynamic`` evaluation is a replacement where the offline diff is
    ``sure`` the value changes (a template edit, or a knock-on of a certain
    replacement, labelled replacement), else conditional."""
    labels = [detail_label(d) for d in details]
    if sure and offline in (REPLACEMENT, NOT_UPDATABLE):
        labels = [
            REPLACEMENT if (d.get("Target") or {}).get("RequiresRecreation") == "Always" else label
            for d, label in zip(details, labels)
        ]
    labels = [label for label in labels if label]
    if not labels:
        return None
    label = worst(labels)
    if label == NO_INTERRUPTION and offline in (SOME_INTERRUPTIONS, UNKNOWN):
        return SOME_INTERRUPTIONS if offline == SOME_INTERRUPTIONS else NO_INTERRUPTION
    return label


def disagrees(details: list, offline: Optional[str]) -> bool:
    """Whether AWS and the offline label differ on replacement."""
    if OFFLINE_RECREATION.get(offline) is None:
        return False  # no offline prediction (unknown): nothing to disagree with
    answers = {(d.get("Target") or {}).get("RequiresRecreation") for d in details}
    answers.discard(None)
    if not answers:
        return False
    aws = next(r for r in ("Always", "Conditionally", "Never") if r in answers)
    return OFFLINE_RECREATION.get(offline) != aws


def answer(details: list) -> str:
    """``replacement, Static``: the change set's word, as a reviewer reads it."""
    parts = []
    for d in details:
        target = d.get("Target") or {}
        word = RECREATION_WORDS.get(target.get("RequiresRecreation")) or (
            "resynced with the actual state" if target.get("AttributeChangeType") == "SyncWithActual" else "changes"
        )
        text = ", ".join(x for x in (word, d.get("Evaluation")) if x)
        if text not in parts:
            parts.append(text)
    return "; ".join(parts)


def cause_of(detail: dict) -> tuple:
    """``(cause, because)`` of a knock-on change that only the change set
    sees: a parameter value or a referenced resource; ``(None, None)`` else."""
    source, entity = detail.get("ChangeSource"), detail.get("CausingEntity")
    if source == "ParameterReference" and entity:
        return f"Parameter {entity}", f"Parameter {entity} has a new value"
    if source in KNOCK_ON_SOURCES and entity:
        lid = entity.split(".", 1)[0]
        return lid, f"{lid} changes" if lid == entity else f"{lid} changes ({entity})"
    return None, None


def origin(details: list) -> str:
    """``ParameterReference Env``: where AWS says a change comes from."""
    parts = []
    for d in details:
        text = " ".join(x for x in (d.get("ChangeSource"), d.get("CausingEntity")) if x)
        if text and text not in parts:
            parts.append(text)
    return "; ".join(parts)


def _value(text, kind: str = MODIFY, side: str = "before"):
    """A change set value as data where it is JSON, else as AWS wrote it.
    AWS cuts large values; a cut object or list stays text.  A value AWS
    does not give is :data:`NOT_IN_CHANGE_SET`, except the side that an
    added or removed property has no value on (None: not set)."""
    if text is None:
        return None if (kind, side) in ((ADD, "before"), (REMOVE, "after")) else NOT_IN_CHANGE_SET
    if isinstance(text, str) and text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def known(value):
    """A change's value, None where the change set does not give it."""
    return None if isinstance(value, Unstated) else value


def _keys(path: str) -> tuple:
    from ..diff.sections import path_keys

    return tuple(int(k) if k.isdigit() else k for k in path_keys(path))


def _within(path: str, other: str) -> bool:
    """Whether one of two pointers is the other or below it."""
    return path == other or path.startswith(other + "/") or other.startswith(path + "/") or other == ""


# ---------------------------------------------------------------------------
# Applying a change set to a stack


def _apply(change: Change, details: list, sure: bool = True) -> None:
    """Give ``change`` the change set's label, keeping the offline one;
    ``sure``: the offline label comes from the template diff, not from the
    rules alone."""
    fresh = not change.changeset
    change.changeset.extend(details)
    if fresh and change.verdict is not None:
        change.offline = change.verdict.label  # before the change set's answer
    offline = change.offline
    label = merged_label(change.changeset, offline, sure)
    change.disagrees = disagrees(change.changeset, offline)
    if change.verdict is None:  # only the change set sees it: no offline prediction
        change.verdict = Verdict(label or UNKNOWN, source="change set")
    if label and not change.verdict.override:
        change.verdict.label = label  # the offline label stays in change.offline


def _new_change(rd: ResourceDiff, detail: dict, position) -> Change:
    path = target_path(detail)
    target = detail.get("Target") or {}
    kind = {"Add": ADD, "Remove": REMOVE}.get(target.get("AttributeChangeType"), MODIFY)
    cause, because = cause_of(detail)
    change = Change(
        path=path,
        kind=kind,
        keys=_keys(path),
        before=_value(target.get("BeforeValue"), kind, "before"),
        after=_value(target.get("AfterValue"), kind, "after"),
        cause=cause,
        because=because,
        position=position,
    )
    change.only = "change set"
    return change


def _whole(rd: ResourceDiff, facts: dict, position) -> Change:
    """The one change of a modified resource whose change set lists no detail."""
    action = facts.get("Action")
    label = CONDITIONAL if action == "Dynamic" else REPLACEMENT_LABELS.get(facts.get("Replacement"), UNKNOWN)
    if action == "SyncWithActual":
        label = NO_INTERRUPTION
    why = {
        "Dynamic": "the change set cannot tell what changes until the update runs",
        "SyncWithActual": "its drift status is reset; the resource is not modified",
    }.get(action, f"the change set lists no detail (Replacement: {facts.get('Replacement') or 'not given'})")
    change = Change(path="", kind=MODIFY, verdict=Verdict(label, source="change set", note=why), position=position)
    change.only = "change set"
    return change


def stack_from_change_set(cs: ChangeSet, book) -> StackDiff:
    """A stack of changes read from a change set alone.  Each change also
    gets the rules' label from ``book``, kept as the offline one."""
    from ..classify.labels import classify_change

    stack = StackDiff(name=cs.name, old=DEPLOYED, new=cs.path)
    stack.changeset = dict(cs.facts)
    for facts, details, position in cs.changes:
        action = ACTIONS.get(facts["Action"], MODIFY)
        rd = ResourceDiff(
            logical_id=facts["LogicalResourceId"],
            type=facts.get("ResourceType") or "(unknown type)",
            action=action,
            position=position,
        )
        rd.changeset = dict(facts)
        rd.unstated = action in (ADD, IMPORT)  # a change set gives no property of a new resource
        stack.resources.append(rd)
        if action != MODIFY:
            continue
        if not details:
            rd.changes.append(_whole(rd, facts, position))
            continue
        for d, where in details:
            path = target_path(d)
            existing = next((c for c in rd.changes if c.path == path), None)
            if existing is not None:
                _apply(existing, [d], sure=False)
                continue
            change = _new_change(rd, d, where)
            change.only = None
            change.verdict = classify_change(book, rd.type, change.keys, known(change.before), known(change.after))
            _apply(change, [d], sure=False)
            rd.changes.append(change)
    stack.notes.extend(change_set_notes(cs))
    return stack


def change_set_notes(cs: ChangeSet) -> list:
    f = cs.facts
    head = f"change set {f.get('ChangeSetName') or cs.id or cs.path}"
    if f.get("Status"):
        head += f": {f['Status']}"
        if f.get("ExecutionStatus"):
            head += f", {f['ExecutionStatus']}"
    if f.get("StatusReason"):
        head += f" ({f['StatusReason']})"
    notes = [head]
    params = [p for p in f.get("Parameters") or [] if isinstance(p, dict) and isinstance(p.get("ParameterKey"), str)]
    if params:
        shown = []
        for p in params:
            previous = p.get("UsePreviousValue") in (True, "true")
            value = "(previous value)" if previous else p.get("ParameterValue")
            if p.get("ResolvedValue") is not None:
                value = f"{value} → {p['ResolvedValue']}"
            shown.append(f"{p['ParameterKey']}={value}")
        notes.append("parameters: " + ", ".join(shown))
    if f.get("DeploymentMode"):
        notes.append(f"deployment mode {f['DeploymentMode']}: drift-aware, values compared with the actual state")
    if f.get("StackDriftStatus"):
        notes.append(f"stack drift status: {f['StackDriftStatus']}")
    if f.get("NextToken"):
        notes.append("the change set has more pages (NextToken): give every page")
    return notes


def merge_direct(stack: StackDiff, cs: ChangeSet) -> list:
    """Apply the change set to the offline changes before knock-on
    propagation: labels of matching changes, resources and changes only the
    change set has.  Returns the details left for :func:`merge_knock_on`:
    references to resources the offline diff may knock on."""
    stack.changeset = dict(cs.facts)
    stack.notes.extend(change_set_notes(cs))
    diffs = {rd.logical_id: rd for rd in stack.resources}
    later = []
    for facts, details, position in cs.changes:
        lid = facts["LogicalResourceId"]
        action = ACTIONS.get(facts["Action"], MODIFY)
        rd = diffs.get(lid)
        if rd is None:
            rd = ResourceDiff(
                logical_id=lid, type=facts.get("ResourceType") or "(unknown type)", action=action, position=None
            )
            rd.only = "change set"
            rd.unstated = action in (ADD, IMPORT)
            stack.resources.append(rd)
            diffs[lid] = rd
        elif action == IMPORT and rd.action == ADD:
            rd.action = IMPORT  # new in the template; the change set brings an existing resource in
        rd.changeset = dict(facts)
        if action != MODIFY or rd.action != MODIFY:
            continue
        if not details:
            if not rd.changes:
                rd.changes.append(_whole(rd, facts, rd.position))
            continue
        for d, _ in details:
            path = target_path(d)
            matched = [c for c in rd.changes if c.cause is None and _within(c.path, path)]
            if matched:
                for c in matched:
                    _apply(c, [d])
            elif d.get("ChangeSource") in KNOCK_ON_SOURCES:
                later.append((rd, d))
            else:
                change = _new_change(rd, d, rd.position)
                _apply(change, [d])
                rd.changes.append(change)
    return later


def merge_knock_on(stack: StackDiff, later: list, listed: set) -> None:
    """After propagation: attach the remaining details to knock-on changes
    (or add them), and mark what only the template diff sees."""
    for rd in stack.resources:
        # A change the change set alone saw, which propagation then found too.
        for c in [c for c in rd.changes if c.only == "change set" and c.path]:
            twin = next((k for k in rd.changes if k is not c and k.cause and not k.changeset and k.path == c.path), None)
            if twin is not None:
                _apply(twin, c.changeset)
                rd.changes.remove(c)
    for rd in stack.resources:
        if rd.only == "change set" and any(c.only != "change set" for c in rd.changes):
            rd.only = None  # the knock-on stage found changes in it too
    for rd, d in later:
        path = target_path(d)
        matched = [c for c in rd.changes if _within(c.path, path)]
        if matched:
            for c in matched:
                _apply(c, [d])
        else:
            change = _new_change(rd, d, rd.position)
            _apply(change, [d])
            rd.changes.append(change)
    for rd in stack.resources:
        if rd.only == "change set":
            continue
        if rd.logical_id not in listed:
            rd.only = "template"
        elif rd.action == MODIFY and any(c.changeset for c in rd.changes):
            for c in rd.changes:
                if not c.changeset and c.only is None:
                    c.only = "template"


def assign(roots: list, names: list) -> tuple:
    """Which change set goes with which stack: the root with the first
    stack, nested ones by ``parent/LogicalId``.  Returns ``({stack name:
    ChangeSet}, [change sets with no stack of that name])``."""
    if len(roots) > 1:
        raise LoadError(
            roots[1].path, 1, 1, f"a second root change set (the first is {roots[0].path}): give one stack's change sets"
        )
    found: dict = {}
    extra = []
    if not roots or not names:
        return found, list(walk(roots))
    top = names[0]
    for cs in walk(roots):
        name = top if cs is roots[0] else top + cs.name[len(roots[0].name) :]
        if name in names:
            found[name] = cs
        else:
            cs.name = name
            extra.append(cs)
    return found, extra


def disagreements_in(path: str, max_bytes: int = MAX_BYTES) -> list:
    """``[(stack, logical ID, type, path, "offline: X; change set: Y")]``
    from a saved JSON report, each field one line of visible text."""
    from ..load.visible import strip_control

    def text(value) -> str:
        return strip_control(" ".join(str(value).split()))

    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as e:
        raise LoadError(path, None, None, e.strerror or str(e)) from None
    data, positions = _load_json(path, decode(path, raw, max_bytes), "a JSON report of impact")
    stacks = data.get("stacks")
    if data.get("schema_version") != "1" or not isinstance(stacks, list):
        raise LoadError(path, 1, 1, "not a JSON report of impact (schema_version 1 with stacks)")
    rows = []
    for i, stack in enumerate(stacks):
        resources = stack.get("resources") if isinstance(stack, dict) else None
        if not isinstance(resources, list):
            raise LoadError(path, *_where(positions, ["stacks", i]), f"stacks.{i}.resources must be a list")
        for j, rd in enumerate(resources):
            changes = rd.get("changes") if isinstance(rd, dict) else None
            if not isinstance(changes, list):
                raise LoadError(path, *_where(positions, ["stacks", i, "resources", j]), "a resource needs a changes list")
            for c in changes:
                if not isinstance(c, dict) or c.get("disagrees") not in (True, "true"):
                    continue
                details = [d for d in c.get("change_set") or [] if isinstance(d, dict)]
                said = answer([d for d in details if isinstance(d.get("Target"), dict)])
                rows.append(
                    tuple(
                        text(x)
                        for x in (
                            stack.get("name"),
                            rd.get("logical_id"),
                            rd.get("type"),
                            c.get("path"),
                            f"offline: {c.get('offline')}; change set: {said}",
                        )
                    )
                )
    return rows


# ---------------------------------------------------------------------------
# Findings from a change set alone

# What becomes of the old physical resource, as PolicyAction says: the
# DeletionPolicy of a removal, the UpdateReplacePolicy of a replacement.
DELETION_POLICIES = {"Delete": "Delete", "Retain": "Retain", "Snapshot": "Snapshot"}
REPLACE_POLICIES = {"ReplaceAndDelete": "Delete", "ReplaceAndRetain": "Retain", "ReplaceAndSnapshot": "Snapshot"}

# The checks that read only what a change set says: what the replacement or
# removal does to data (PolicyAction), and what the changed values open up.
# The others read the template (names kept, references, exports, Auto
# Scaling update policies): for them, give the templates with --change-set.
CHANGE_SET_CHECKS = (
    "stateful_replacement",
    "retained_removal",
    "public_exposure",
    "permissions_broadened",
    "network_broadened",
    "protection_removed",
    "permissions_narrowed",
)
TEMPLATE_ONLY_NOTE = (
    "a change set alone gives no template: custom names, references, exports and Auto Scaling update policies "
    "are checked with the templates (impact diff OLD NEW --change-set FILE)"
)


def _put(resource: dict, keys: tuple, value) -> None:
    """Set ``value`` at ``keys`` (mapping keys only) inside ``resource``."""
    here = resource
    for key in keys[:-1]:
        here = here.setdefault(key, {})
        if not isinstance(here, dict):
            return
    here[keys[-1]] = value


def change_set_templates(stack: StackDiff, book=None) -> tuple:
    """``(old, new)``: the two revisions as far as the change set tells them.
    Each resource has its Type, the policy its PolicyAction names, and the
    properties whose values the change set gives on that side; a property
    given on one side only where the other side has a value AWS does not
    give is left out of both, so that nothing reads as set or unset that is
    not."""
    from ..assess.retention import stateful
    from ..model import Template

    old: dict = {}
    new: dict = {}
    for rd in stack.resources:
        facts = rd.changeset or {}
        action = facts.get("PolicyAction")
        before = {"Type": rd.type}
        after = {"Type": rd.type}
        if rd.action == REMOVE:
            before["DeletionPolicy"] = DELETION_POLICIES.get(action, NOT_IN_CHANGE_SET)
        if rd.action == MODIFY:
            policy = REPLACE_POLICIES.get(action, NOT_IN_CHANGE_SET)
            before["UpdateReplacePolicy"] = after["UpdateReplacePolicy"] = policy
            for c in rd.changes:
                keys = c.keys
                if not keys or keys[0] != "Properties" or len(keys) < 2 or any(not isinstance(k, str) for k in keys):
                    continue
                if isinstance(c.before, Unstated) or isinstance(c.after, Unstated):
                    continue
                if c.before is not None:
                    _put(before, keys, c.before)
                if c.after is not None:
                    _put(after, keys, c.after)
        without = (stateful(book, rd.type) or {}).get("no_data_with") if book else None
        if without:  # whether it holds data of its own: known only where the change set gives the property
            for side in (before, after):
                side.setdefault("Properties", {}).setdefault(without["property"], NOT_IN_CHANGE_SET)
        if rd.action != ADD and rd.action != IMPORT:
            old[rd.logical_id] = before
        if rd.action != REMOVE:
            new[rd.logical_id] = after
    return (Template(path=stack.old, data={"Resources": old}, fmt="json"),
            Template(path=stack.new, data={"Resources": new}, fmt="json"))


def assess_change_set(stack: StackDiff, book) -> None:
    """The findings a change set alone supports: :data:`CHANGE_SET_CHECKS`,
    run on :func:`change_set_templates`, with AWS's replacements.  Access
    is read on the modified resources only: the change set gives no
    property of an added or removed one."""
    from ..assess import checks
    from ..assess.knockon import CERTAIN, POSSIBLE, KnockOn
    from ..assess.security import assess_security

    old, new = change_set_templates(stack, book)
    knock = KnockOn(stack, new, book, old=old)
    for rd in stack.resources:
        if rd.action == MODIFY and not rd.ignored:
            label = rd.impact
            if label in (REPLACEMENT, NOT_UPDATABLE):
                knock.replaced[rd.logical_id] = CERTAIN
            elif label == CONDITIONAL:  # AWS: recreation Conditionally, or Always with a Dynamic evaluation
                knock.replaced[rd.logical_id] = POSSIBLE
        if rd.action == REMOVE and (rd.changeset or {}).get("PolicyAction") in ("Retain",):
            rd.retained = True
    assess_security(stack, old, new, book)
    stack.security = [row for row in stack.security if knock.diffs[row.logical_id].action == MODIFY]
    ctx = checks.Context(stack=stack, old=old, new=new, book=book, knock=knock)
    stack.findings.extend(checks.run(ctx, CHANGE_SET_CHECKS))
    stack.notes.append(TEMPLATE_ONLY_NOTE)
