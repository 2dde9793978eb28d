"""What the changes do to the stack beyond the edited properties.

Knock-on changes.  When a resource is replaced, its physical ID and
attributes change, and so does every value elsewhere that refers to it,
though that value's text did not change.  The same holds for a parameter
whose value changed, a changed condition and a changed mapping entry.  Each
such value becomes a change of its resource, labelled by its own rule, its
``cause`` naming what set it off; a resource that is then replaced sets off
its own referrers in turn, until nothing new changes.  When what set a change
off only *may* change (a conditional replacement, a condition, a parameter
known only at deploy time, a mapping looked up with computed keys), the
change's label is at most ``conditional``.  The reference index is built only
when something can knock on or is removed, in one walk of the new template.

Findings.  Resource-level events a reviewer must see (:mod:`impact.findings`),
and references the new template cannot resolve.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Optional

from . import findings as F
from .classify import apply_config, classify_change
from .differ import FOREACH, cdk_path
from .graph import (
    CONDITION,
    DEPENDS_ON,
    FIND_IN_MAP,
    GETATT,
    PSEUDO_PREFIX,
    REF,
    SUB,
    VALUE_KINDS,
    ReferenceIndex,
    entry_references,
    resource_references,
)
from .model import (
    ADD,
    CONDITIONAL,
    MODIFY,
    NOT_UPDATABLE,
    RANK,
    REMOVE,
    REPLACEMENT,
    SEVERITY_RANK,
    Change,
    Finding,
    ResourceDiff,
    StackDiff,
    Template,
    escape,
    pointer,
)
from .rules import RuleBook
from .sections import path_keys

# How sure a knock-on is: the value changes, or it may.
CERTAIN, POSSIBLE = 2, 1

SSM_PARAMETER = "AWS::SSM::Parameter::Value<"
RETAIN_POLICIES = ("Retain", "RetainExceptOnCreate")
# What CloudFormation does not count as an update on its own.
INERT_SECTIONS = ("Conditions", "Mappings", "Metadata")
INERT_ATTRIBUTES = ("CreationPolicy", "DeletionPolicy", "UpdatePolicy", "UpdateReplacePolicy")
RENAME_SIMILARITY = 0.8  # share of equal leaves for a removed and an added resource to be one renamed
ASG = "AWS::AutoScaling::AutoScalingGroup"
ASG_GROUP_PATHS = (
    ("Properties", "LaunchConfigurationName"),
    ("Properties", "LaunchTemplate"),
    ("Properties", "MixedInstancesPolicy", "LaunchTemplate"),
    ("Properties", "VPCZoneIdentifier"),
)
LOOP_PREFIX = FOREACH + "::"  # Fn::ForEach::Name, the key of an AWS::LanguageExtensions loop
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
# The references CloudFormation resolves against the template's logical IDs.
ID_KINDS = VALUE_KINDS | {DEPENDS_ON}
# How a dangling reference names its target, by kind.
REFERS = {DEPENDS_ON: "depends on", REF: "refers to", GETATT: "reads an attribute of", SUB: "substitutes"}
_PLACEHOLDER = re.compile(r"[$&]\{[^}]*\}")  # ${Identifier} or &{Identifier} in a loop's generated logical ID


def assess(stack: StackDiff, old: Template, new: Template, book: RuleBook, config=None) -> None:
    """Add knock-on changes and findings to ``stack``; ``config`` is applied to what is added."""
    Assessment(stack, old, new, book, config).run()


def physical_names(book: RuleBook, type_name: str) -> list:
    """The properties that give a resource of ``type_name`` its physical name.

    The reviewed list in ``rules/names.json`` decides for the types it names;
    for the others, a property named ``Name`` or ``<Type>Name`` (``BucketName``
    for ``AWS::S3::Bucket``) whose change replaces the resource.
    """
    reviewed = book.data("names")["types"].get(type_name)
    if reviewed is not None:
        return list(reviewed["properties"])
    rules = book.for_type(type_name)
    doc = rules.doc_layer()
    out = []
    for prop in (type_name.rsplit("::", 1)[-1] + "Name", "Name"):
        rule = doc.rule((prop,)) if doc else None
        by_docs = bool(rule) and rule["label"] == REPLACEMENT
        by_schema = bool(rules.schema) and prop in rules.schema.data.get("properties", {}) and (
            rules.schema.label_at("/" + prop) == REPLACEMENT
        )
        if by_docs or by_schema:
            out.append(prop)
    return out


def _entries(template: Template, section: str) -> dict:
    """A section of named entries (Parameters, Outputs), or {} when absent or malformed."""
    value = template.data.get(section)
    return value if isinstance(value, dict) else {}


def _value_at(value, keys: tuple):
    for key in keys:
        value = value[key]
    return value


def _within(path: str, other: str) -> bool:
    """Whether one of two JSON Pointers lies at or below the other."""
    return path == other or path.startswith(other + "/") or other.startswith(path + "/")


def _known_offline(parameter) -> bool:
    """Whether a parameter's value is its Default, known before deployment."""
    return (
        isinstance(parameter, dict)
        and "Default" in parameter
        and not str(parameter.get("Type", "")).startswith(SSM_PARAMETER)
    )


def _map_match(map_keys: tuple, entries: list, sure: int) -> int:
    """How sure an ``Fn::FindInMap`` with ``map_keys`` sees a changed entry (0: it cannot)."""
    top, second = map_keys
    best = 0
    for t, s in entries:
        if (t is None or top is None or top == t) and (s is None or second is None or second == s):
            best = max(best, sure if top is not None and second is not None else POSSIBLE)
    return best


def _leaves(value, keys: tuple, out: set) -> set:
    if isinstance(value, dict):
        for key, item in value.items():
            _leaves(item, keys + (key,), out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _leaves(item, keys + (i,), out)
    else:
        out.add((keys, value))
    return out


def _comparable(resource: dict) -> set:
    """A resource's leaves for rename detection: its Metadata (the CDK path) left out."""
    return _leaves({k: v for k, v in resource.items() if k not in ("Type", "Metadata")}, (), set())


def _has_loop(value) -> bool:
    """Whether ``value`` holds an Fn::ForEach loop at any depth."""
    if isinstance(value, dict):
        return any((isinstance(k, str) and k.startswith(LOOP_PREFIX)) or _has_loop(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_loop(item) for item in value)
    return False


def _in_loop(entry, keys: tuple) -> bool:
    """Whether the reference site at ``keys`` of ``entry`` lies inside an
    Fn::ForEach loop, or holds one: its names may be the loop's identifiers."""
    value = entry
    for key in keys:
        if isinstance(value, dict) and any(isinstance(k, str) and k.startswith(LOOP_PREFIX) for k in value):
            return True
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return False
    return _has_loop(value)


def _loop_ids(resources: dict) -> list:
    """Patterns of the logical IDs the Resources section's Fn::ForEach loops
    generate: ``Topic${Name}`` matches any ``Topic...``."""
    out: list = []

    def fragment(loop) -> None:
        if isinstance(loop, list) and len(loop) == 3 and isinstance(loop[2], dict):
            for key, value in loop[2].items():
                if not isinstance(key, str):
                    continue
                if key.startswith(LOOP_PREFIX):
                    fragment(value)
                else:
                    out.append(re.compile(".+".join(map(re.escape, _PLACEHOLDER.split(key))) + r"\Z"))

    for name, loop in resources.items():
        if name.startswith(LOOP_PREFIX):
            fragment(loop)
    return out


def _macros(template: Template) -> bool:
    """Whether a transform other than the language extensions may add resources at deploy time."""
    value = template.data.get("Transform")
    names = value if isinstance(value, list) else [value]
    return any(t is not None and t != LANGUAGE_EXTENSIONS for t in names) or "Fn::Transform" in template.resources


def _because(change: Change) -> str:
    """`` because Bucket is replaced`` for a knock-on change, else ``""``."""
    return f" because {change.because}" if change.cause else ""


class Assessment:
    """One stack's knock-on propagation, then its findings."""

    def __init__(self, stack: StackDiff, old: Template, new: Template, book: RuleBook, config=None):
        self.stack, self.old, self.new, self.book, self.config = stack, old, new, book, config
        self.diffs = {rd.logical_id: rd for rd in stack.resources}
        self.replaced: dict = {}  # logical ID -> how sure it is replaced, as propagated
        self.knocked: dict = {}  # (logical ID, path) -> (knock-on Change, how sure)
        self.outputs: dict = {}  # output name -> (how sure its value changes, cause)
        self.conditions: set = set()  # conditions already propagated
        self.queue: deque = deque()
        self._index: Optional[ReferenceIndex] = None

    # -- knock-on ---------------------------------------------------------

    @property
    def index(self) -> ReferenceIndex:
        if self._index is None:
            self._index = ReferenceIndex(self.new.data)
        return self._index

    def run(self) -> None:
        for rd in list(self.stack.resources):
            self._reached(rd)
        self._seed_sections()
        while self.queue:
            self._propagate(*self.queue.popleft())
        order = {lid: i for i, lid in enumerate(self.new.resources)}
        self.stack.resources.sort(key=lambda rd: (rd.action == REMOVE, order.get(rd.logical_id, 0)))
        self.stack.findings.extend(self._findings())
        self.stack.findings.sort(key=lambda f: -SEVERITY_RANK[f.severity])

    def _seed_sections(self) -> None:
        parameters = _entries(self.new, "Parameters")
        seeded: set = set()
        entries: dict = {}
        for sc in self.stack.sections:
            if sc.name is None or (sc.path == "" and sc.kind == ADD):
                continue  # what refers to a new entry was edited, and is a change already
            keys = path_keys(sc.path)
            if sc.section == "Parameters":
                value_changes = not keys or keys[0] in ("Default", "Type")
                if value_changes and sc.name not in seeded and sc.name not in self.new.resources:
                    seeded.add(sc.name)
                    sure = CERTAIN if _known_offline(parameters.get(sc.name)) else POSSIBLE
                    self.queue.append((sc.name, VALUE_KINDS, f"Parameter {sc.name}", sure, None))
            elif sc.section == "Conditions":
                self._condition(sc.name)
            elif sc.section == "Mappings":
                entries.setdefault(sc.name, []).append(tuple((keys + [None, None])[:2]))
        for name, changed in entries.items():
            self.queue.append((name, (FIND_IN_MAP,), f"Mapping {name}", CERTAIN, changed))

    def _condition(self, name: str) -> None:
        if name not in self.conditions:
            self.conditions.add(name)
            self.queue.append((name, (CONDITION,), f"Condition {name}", POSSIBLE, None))

    def _propagate(self, target: str, kinds, cause: str, sure: int, entries: Optional[list]) -> None:
        for section, name, ref in self.index.referrers(target):
            if ref.kind not in kinds:
                continue
            here = sure if entries is None else _map_match(ref.map_keys, entries, sure)
            if not here:
                continue
            if section == "Resources":
                self._knock(name, ref.keys, cause, here)
            elif section == "Outputs":
                if here > self.outputs.get(name, (0, None))[0]:
                    self.outputs[name] = (here, cause)
            else:
                self._condition(name)

    def _knock(self, logical_id: str, keys: tuple, cause: str, sure: int) -> None:
        """The value at ``keys`` of a resource changes because of ``cause``."""
        resource = self.new.resources.get(logical_id)
        rd = self.diffs.get(logical_id)
        if not isinstance(resource, dict) or (rd is not None and rd.action != MODIFY):
            return  # an Fn::ForEach loop, or an added resource: its references are edits already
        path = pointer(keys)
        if rd is not None and any(c.cause is None and _within(path, c.path) for c in rd.changes):
            return  # the text there changed, and is labelled already
        prior = self.knocked.get((logical_id, path))
        if prior is not None and prior[1] >= sure:
            return
        because = self._cause(cause, sure)
        verdict = classify_change(self.book, resource["Type"], keys, None, None)
        if sure < CERTAIN and RANK[verdict.label] > RANK[CONDITIONAL]:
            verdict.relabel(CONDITIONAL, f"only if the value changes: {because}")
        if prior is not None:
            change = prior[0]
            change.verdict, change.cause, change.because = verdict, cause, because
        else:
            value = _value_at(resource, keys)
            change = Change(
                path=path,
                kind=MODIFY,
                keys=keys,
                before=value,
                after=value,
                verdict=verdict,
                cause=cause,
                because=because,
                position=self.new.position(("Resources", logical_id) + keys),
            )
            if rd is None:
                rd = ResourceDiff(
                    logical_id=logical_id,
                    type=resource["Type"],
                    action=MODIFY,
                    position=self.new.position(("Resources", logical_id)),
                    construct_path=cdk_path(resource),
                )
                self.diffs[logical_id] = rd
                self.stack.resources.append(rd)
            rd.changes.append(change)
        self.knocked[(logical_id, path)] = (change, sure)
        apply_config(self.config, [rd])
        self._reached(rd)

    def _reached(self, rd: ResourceDiff) -> None:
        """Queue a modified resource's referrers when it is (or may be) replaced."""
        if rd.action != MODIFY or rd.ignored:
            return
        for change in self._group_replacing(rd):
            v = change.verdict
            if v.label != REPLACEMENT and not v.override:
                v.relabel(REPLACEMENT, "UpdatePolicy AutoScalingReplacingUpdate WillReplace replaces the whole group")
        labels = {c.impact for c in rd.changes if not c.ignored}
        sure = CERTAIN if REPLACEMENT in labels else POSSIBLE if CONDITIONAL in labels else 0
        if sure > self.replaced.get(rd.logical_id, 0):
            self.replaced[rd.logical_id] = sure
            self.queue.append((rd.logical_id, VALUE_KINDS, rd.logical_id, sure, None))

    def _group_replacing(self, rd: ResourceDiff) -> list:
        """An Auto Scaling group's changes that make CloudFormation replace the whole group."""
        if rd.type != ASG:
            return []
        policy = self.new.resources[rd.logical_id].get("UpdatePolicy")
        replacing = policy.get("AutoScalingReplacingUpdate") if isinstance(policy, dict) else None
        will = replacing.get("WillReplace") if isinstance(replacing, dict) else None
        if not (isinstance(will, str) and will.lower() == "true"):
            return []
        return [
            c
            for c in rd.changes
            if not c.ignored and c.verdict and any(c.keys[: len(p)] == p for p in ASG_GROUP_PATHS)
        ]

    # -- findings ---------------------------------------------------------

    def _findings(self) -> list:
        out = []
        for rd in self.stack.resources:
            if rd.ignored:
                continue
            if rd.action == MODIFY:
                out.extend(self._modified(rd))
            elif rd.action == REMOVE:
                out.extend(self._removed(rd))
        out.extend(self._renames())
        out.extend(self._dangling())
        out.extend(self._exports())
        out.extend(self._no_op())
        return out

    def _cause(self, cause: str, sure: int) -> str:
        """``Bucket is replaced``, ``Parameter Env may change``: what ``cause`` does."""
        if cause in self.replaced:
            return f"{cause} {'is' if sure == CERTAIN else 'may be'} replaced"
        return f"{cause} {'changes' if sure == CERTAIN else 'may change'}"

    def _why(self, rd: ResourceDiff, label: str) -> str:
        """``/Properties/X changes``, with its cause: why ``rd`` has ``label``."""
        change = next((c for c in rd.changes if c.impact == label and not c.ignored), None)
        if change is None:
            return f"its changes are {label}"
        return f"{change.path} changes{_because(change)}"

    def _modified(self, rd: ResourceDiff):
        lid = rd.logical_id
        if rd.old_type:
            yield Finding(
                F.TYPE_CHANGE,
                "error",
                lid,
                f"{lid} changes Type from {rd.old_type} to {rd.type}: CloudFormation refuses this update",
                "/Type",
                rd.position,
            )
            return
        for c in rd.changes:
            if c.impact == NOT_UPDATABLE and not c.ignored:
                because = f" (its value changes{_because(c)})" if c.cause else ""
                yield Finding(
                    F.NOT_UPDATABLE,
                    "error",
                    lid,
                    f"{lid}: {c.path} does not support updates{because}, so the update fails; "
                    "keep the old value, or create the resource under a new logical ID",
                    c.path,
                    c.position,
                )
        group = self._group_replacing(rd)
        if group:
            paths = ", ".join(dict.fromkeys(c.path for c in group))
            yield Finding(
                F.AUTOSCALING_REPLACING_UPDATE,
                "warning",
                lid,
                f"{lid} has UpdatePolicy AutoScalingReplacingUpdate WillReplace and {paths} changes: "
                "CloudFormation creates a whole new Auto Scaling group, "
                "and deletes the old one once the new one is ready",
                group[0].path,
                group[0].position,
            )
        sure = self.replaced.get(lid, 0)
        if sure and isinstance(self.new.resources.get(lid), dict):  # an Fn::ForEach loop has no properties
            label = REPLACEMENT if sure == CERTAIN else CONDITIONAL
            event = f"{'is' if sure == CERTAIN else 'may be'} replaced ({self._why(rd, label)})"
            yield from self._custom_names(rd, event, sure)
            yield from self._stateful_replacement(rd, event, sure)

    def _custom_names(self, rd: ResourceDiff, event: str, sure: int):
        props = self.new.resources[rd.logical_id].get("Properties") or {}
        for prop in physical_names(self.book, rd.type):
            path = "/Properties/" + escape(prop)
            if prop not in props or any(_within(path, c.path) for c in rd.changes):
                continue
            yield Finding(
                F.CUSTOM_NAME_REPLACEMENT,
                "error" if sure == CERTAIN else "warning",
                rd.logical_id,
                f"{rd.logical_id} {event} while {prop} keeps its value: CloudFormation creates the replacement "
                f"before deleting the old {rd.type}, the name is taken and the update fails; "
                f"change {prop} as well, or remove it",
                path,
                self.new.position(("Resources", rd.logical_id, "Properties", prop)),
            )

    def _stateful(self, type_name: str) -> Optional[dict]:
        return self.book.data("stateful")["types"].get(type_name)

    def _stateful_replacement(self, rd: ResourceDiff, event: str, sure: int):
        info = self._stateful(rd.type)
        if info is None:
            return
        lid, data = rd.logical_id, info["data"]
        resource = self.new.resources[lid]
        policy = resource.get("UpdateReplacePolicy", "Delete")
        where = self.new.position(("Resources", lid))
        if not isinstance(policy, str):
            severity, kept = "warning", "unknown"
            message = f"{lid} {event} and its UpdateReplacePolicy is set at deploy time: check what it keeps"
        elif policy == "Retain":
            severity, kept = "warning", "retained"
            message = (
                f"{lid} {event}: UpdateReplacePolicy Retain keeps the old {rd.type} with its {data} outside the stack; "
                "the new one starts empty"
            )
        elif policy == "Snapshot" and info.get("snapshot"):
            severity, kept = "warning", "snapshot"
            message = (
                f"{lid} {event}: UpdateReplacePolicy Snapshot keeps a snapshot of the old {rd.type} "
                "before deleting it; the new one starts empty"
            )
        else:
            severity, kept = ("error" if sure == CERTAIN else "warning"), "deleted"
            stated = "" if "UpdateReplacePolicy" in resource else " (the default)"
            message = (
                f"{lid} {event} and its UpdateReplacePolicy is {policy}{stated}: CloudFormation deletes the old "
                f"{rd.type} with its {data}, and the new one starts empty; "
                f"set UpdateReplacePolicy to Retain{' or Snapshot' if info.get('snapshot') else ''} to keep them"
            )
        yield Finding(F.STATEFUL_REPLACEMENT, severity, lid, message, "/UpdateReplacePolicy", where, data, kept)

    def _removed(self, rd: ResourceDiff):
        resource = self.old.resources.get(rd.logical_id)
        if not isinstance(resource, dict):
            return
        lid = rd.logical_id
        info = self._stateful(rd.type)
        stated = "DeletionPolicy" in resource
        default = "Delete"
        if info and info.get("deletion_default") and info.get("deletion_default_unless") not in (
            resource.get("Properties") or {}
        ):
            default = info["deletion_default"]
        policy = resource.get("DeletionPolicy", default)
        if policy in RETAIN_POLICIES:
            yield Finding(
                F.RETAINED_REMOVAL,
                "info",
                lid,
                f"{lid} is removed with DeletionPolicy {policy}: CloudFormation leaves the {rd.type} in the account, "
                "outside any stack (orphaned, not deleted), where it stays and is billed until someone deletes it",
                "/DeletionPolicy",
                rd.position,
                info["data"] if info else None,
                "retained",
            )
            return
        if info is None:
            return
        data = info["data"]
        if not isinstance(policy, str):
            severity, kept = "warning", "unknown"
            message = f"{lid} is removed and its DeletionPolicy is set at deploy time: check what it keeps"
        elif policy == "Snapshot" and info.get("snapshot"):
            severity, kept = "warning", "snapshot"
            message = (
                f"{lid} is removed: DeletionPolicy Snapshot keeps a snapshot of its {data}, then deletes the {rd.type}"
            )
        else:
            severity, kept = "error", "deleted"
            message = (
                f"{lid} is removed and its DeletionPolicy is {policy}{'' if stated else ' (the default)'}: "
                f"CloudFormation deletes the {rd.type} with its {data}; set DeletionPolicy to Retain to keep them"
            )
        yield Finding(F.STATEFUL_REPLACEMENT, severity, lid, message, "/DeletionPolicy", rd.position, data, kept)

    def _renames(self):
        removed = [rd for rd in self.stack.resources if rd.action == REMOVE and not rd.ignored and rd.type != FOREACH]
        added = [rd for rd in self.stack.resources if rd.action == ADD and not rd.ignored and rd.type != FOREACH]
        types = {rd.type for rd in added} & {rd.type for rd in removed}
        if not types:
            return
        before = {rd.logical_id: _comparable(self.old.resources[rd.logical_id]) for rd in removed if rd.type in types}
        after = {rd.logical_id: _comparable(self.new.resources[rd.logical_id]) for rd in added if rd.type in types}
        pairs = []
        for i, gone in enumerate(removed):
            for j, fresh in enumerate(added):
                if fresh.type != gone.type:
                    continue
                a, b = before[gone.logical_id], after[fresh.logical_id]
                larger = max(len(a), len(b))
                if larger and min(len(a), len(b)) < RENAME_SIMILARITY * larger:
                    continue
                similarity = len(a & b) / larger if larger else 1.0
                if similarity >= RENAME_SIMILARITY:
                    pairs.append((-similarity, i, j, gone, fresh))
        used: set = set()
        for negative, _, _, gone, fresh in sorted(pairs, key=lambda p: p[:3]):
            if gone.logical_id in used or fresh.logical_id in used:
                continue
            used.update((gone.logical_id, fresh.logical_id))
            yield self._rename(gone, fresh, -negative)

    def _rename(self, gone: ResourceDiff, fresh: ResourceDiff, similarity: float) -> Finding:
        before = self.old.resources[gone.logical_id].get("Properties") or {}
        after = self.new.resources[fresh.logical_id].get("Properties") or {}
        taken = [p for p in physical_names(self.book, fresh.type) if p in after and before.get(p) == after[p]]
        message = (
            f"{gone.logical_id} is removed and {fresh.logical_id} added with the same type and "
            f"{similarity:.0%} of the same properties: this looks like a rename, which CloudFormation "
            f"carries out by creating {fresh.logical_id} and then deleting {gone.logical_id}"
        )
        if taken:
            message += f"; both set {taken[0]} to the same name, so creating {fresh.logical_id} fails"
        message += f". Keep the logical ID {gone.logical_id} to keep the resource"
        return Finding(F.RENAME, "error" if taken else "warning", fresh.logical_id, message, None, fresh.position)

    def _dangling(self):
        """References in the new template to logical IDs it does not define.

        Only references that can newly dangle are examined: those to a removed
        resource, through the reference index (built only when something is
        removed), and those of an added or edited resource, output or
        condition.  Names an Fn::ForEach loop defines or generates are not
        looked up, and a template with a macro (SAM, AWS::Include) is left
        alone: the macro may add the resource at deploy time.
        """
        if _macros(self.new):
            return
        defined = set(self.new.resources) | set(_entries(self.new, "Parameters"))
        found: list = []  # (section, entry name, entry, Reference)
        removed = [rd.logical_id for rd in self.stack.resources if rd.action == REMOVE and rd.logical_id not in defined]
        for target in removed:
            for section, name, ref in self.index.referrers(target):
                found.append((section, name, _entries(self.new, section).get(name), ref))
        for rd in self.stack.resources:
            entry = self.new.resources.get(rd.logical_id)
            if isinstance(entry, dict) and (rd.action == ADD or any(c.cause is None for c in rd.changes)):
                found.extend(("Resources", rd.logical_id, entry, ref) for ref in resource_references(entry))
        for section, name in dict.fromkeys(
            (sc.section, sc.name) for sc in self.stack.sections if sc.section in ("Outputs", "Conditions") and sc.name
        ):
            entry = _entries(self.new, section).get(name)
            if entry is not None:
                found.extend((section, name, entry, ref) for ref in entry_references(section, entry))
        loops = None
        seen: set = set()
        for section, name, entry, ref in found:
            target = ref.target
            if ref.kind not in ID_KINDS or target in defined or target.startswith(PSEUDO_PREFIX):
                continue
            if not isinstance(entry, dict) or name.startswith(LOOP_PREFIX) or _in_loop(entry, ref.keys):
                continue
            rd = self.diffs.get(name) if section == "Resources" else None
            if rd is not None and rd.ignored:
                continue
            if loops is None:
                loops = _loop_ids(self.new.resources)
            if any(p.match(target) for p in loops):
                continue  # an ID an Fn::ForEach loop generates
            key = (section, name, ref.keys, ref.kind, target)
            if key in seen:
                continue
            seen.add(key)
            who = name if section == "Resources" else f"{section[:-1]} {name}"
            what = f"{target} is removed" if target in self.old.resources else f"there is no {target}"
            path = pointer(ref.keys)
            yield Finding(
                F.DANGLING_REFERENCE,
                "error",
                name,
                f"{who} {REFERS[ref.kind]} {target} at {path}, but {what} in the new template: "
                f"CloudFormation rejects the template; remove the reference, or keep {target}",
                path,
                self.new.position((section, name) + ref.keys),
            )

    def _exports(self):
        before, after = _entries(self.old, "Outputs"), _entries(self.new, "Outputs")
        for name, old_out in before.items():
            if not isinstance(old_out, dict) or "Export" not in old_out:
                continue
            new_out = after.get(name)
            if not isinstance(new_out, dict):
                yield Finding(
                    F.EXPORT_REMOVED,
                    "warning",
                    name,
                    f"{name} is an exported output and is removed: "
                    "CloudFormation refuses this while another stack imports it",
                )
            elif new_out.get("Export") != old_out["Export"]:
                what = "its Export is removed" if "Export" not in new_out else "its export name changes"
                yield Finding(
                    F.EXPORT_REMOVED,
                    "warning",
                    name,
                    f"{name} is an exported output and {what}, so the old export disappears: "
                    "CloudFormation refuses this while another stack imports it",
                    "/Export",
                    self.new.position(("Outputs", name)),
                )
            elif new_out.get("Value") != old_out.get("Value"):
                yield Finding(
                    F.EXPORT_CHANGED,
                    "warning",
                    name,
                    f"{name} is an exported output and its value changes: "
                    "CloudFormation refuses this while another stack imports it",
                    "/Value",
                    self.new.position(("Outputs", name)),
                )
            elif name in self.outputs:
                sure, cause = self.outputs[name]
                verb = "changes" if sure == CERTAIN else "may change"
                yield Finding(
                    F.EXPORT_CHANGED,
                    "warning",
                    name,
                    f"{name} is an exported output and its value {verb} because {self._cause(cause, sure)}: "
                    "CloudFormation refuses this while another stack imports it",
                    "/Value",
                    self.new.position(("Outputs", name)),
                )

    def _no_op(self):
        stack = self.stack
        if not (stack.resources or stack.sections) or self.outputs:
            return
        inert_resources = all(
            rd.action == MODIFY and all(c.keys and c.keys[0] in INERT_ATTRIBUTES for c in rd.changes)
            for rd in stack.resources
        )
        if not inert_resources or any(sc.section not in INERT_SECTIONS for sc in stack.sections):
            return
        what = [s for s in INERT_SECTIONS if any(sc.section == s for sc in stack.sections)]
        what += [a for a in INERT_ATTRIBUTES if any(c.keys[0] == a for rd in stack.resources for c in rd.changes)]
        yield Finding(
            F.NO_OP_UPDATE,
            "info",
            None,
            f"only {', '.join(what)} change: no resource is updated, so CloudFormation rejects the update "
            "as containing no changes; deploy it together with a resource change (a resource's Metadata will do)",
        )
