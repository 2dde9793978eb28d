"""Knock-on changes: what the edits change beyond the edited properties.

When a resource is replaced, its physical ID and attributes change, and so
does every value elsewhere that refers to it, though that value's text did
not change.  The same holds for a parameter whose value changed, a changed
condition and a changed mapping entry.  Each such value becomes a change of
its resource, labelled by its own rule, its ``cause`` naming what set it off;
a resource that is then replaced sets off its own referrers in turn, until
nothing new changes.  When what set a change off only *may* change (a
conditional replacement, a condition, a parameter known only at deploy time,
a mapping looked up with computed keys), the change's label is at most
``conditional``.  The reference index is built only when something can knock
on, in one walk of the new template.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Optional

from ..classify.labels import apply_config, classify_change
from ..classify.values import decide_knock_on
from ..diff.differ import cdk_path
from . import autoscaling
from .autoscaling import group_replacing  # noqa: F401  (where the checks have always found it)
from .graph import CONDITION, FIND_IN_MAP, GETATT, SUB, VALUE_KINDS, ReferenceIndex
from ..model import ADD, CONDITIONAL, MODIFY, NOT_UPDATABLE, RANK, REMOVE, REPLACEMENT, Change, ResourceDiff, StackDiff, Template, pointer
from ..resolve.parameters import effective
from ..classify.rules import RuleBook
from ..diff.resolved import normalizer, value_at
from ..diff.sections import path_keys
from ..resolve.stage import ALWAYS, NEVER, SOMETIMES

# How sure a knock-on is: the value changes, or it may.
CERTAIN, POSSIBLE = 2, 1

SSM_PARAMETER = "AWS::SSM::Parameter::Value<"


def entries(template: Template, section: str) -> dict:
    """A section of named entries (Parameters, Outputs; Resources read as spans), or {} when absent or malformed."""
    value = template.data.get(section)
    return value if isinstance(value, Mapping) else {}


def _plain_prefix(keys: tuple) -> tuple:
    """``keys`` up to the first intrinsic function: the value a reference's site resolves as."""
    for i, key in enumerate(keys):
        if isinstance(key, str) and (key == "Ref" or key.startswith("Fn::")):
            return keys[:i]
    return keys


def within(path: str, other: str) -> bool:
    """Whether one of two JSON Pointers lies at or below the other."""
    return path == other or path.startswith(other + "/") or other.startswith(path + "/")


def _value_at(value, keys: tuple):
    for key in keys:
        value = value[key]
    return value


def _known_offline(parameter) -> bool:
    """Whether a parameter's value is its Default, known before deployment."""
    return (
        isinstance(parameter, dict)
        and "Default" in parameter
        and not str(parameter.get("Type", "")).startswith(SSM_PARAMETER)
    )


def _map_match(map_keys: tuple, changed: list, sure: int) -> int:
    """How sure an ``Fn::FindInMap`` with ``map_keys`` sees a changed entry (0: it cannot)."""
    top, second = map_keys
    best = 0
    for t, s in changed:
        if (t is None or top is None or top == t) and (s is None or second is None or second == s):
            best = max(best, sure if top is not None and second is not None else POSSIBLE)
    return best


class KnockOn:
    """One stack's knock-on propagation.  After :meth:`run`, ``replaced``
    says how sure each resource is replaced, and ``outputs`` how sure each
    output's value changes and why."""

    def __init__(self, stack: StackDiff, new: Template, book: RuleBook, config=None, old: Optional[Template] = None,
                 res=None):
        self.stack, self.new, self.book, self.config = stack, new, book, config
        self.old = old
        self.res = res  # the resolve stage's Resolution: what a value resolves to in each revision
        self.deleted: dict = {}  # logical ID -> "deleted" or "created": its condition decides, in some cases only
        self.diffs = {rd.logical_id: rd for rd in stack.resources}
        self.replaced: dict = {}  # logical ID -> how sure it is replaced, as propagated
        self.knocked: dict = {}  # (logical ID, path) -> (knock-on Change, how sure)
        self.outputs: dict = {}  # output name -> (how sure its value changes, cause)
        self.conditions: set = set()  # conditions already propagated
        self.qualifiers: dict = {}  # cause -> when it applies: "if the stack uses the default"
        self.attributes: dict = {}  # (logical ID, attribute) -> how sure an in-place update changes it
        self.queue: deque = deque()
        self._index: Optional[ReferenceIndex] = None

    @property
    def index(self) -> ReferenceIndex:
        if self._index is None:
            self._index = ReferenceIndex(self.new.data)
        return self._index

    def run(self) -> "KnockOn":
        for rd in list(self.stack.resources):
            self._reached(rd)
        self._seed_sections()
        while self.queue:
            self._propagate(*self.queue.popleft())
        order = {lid: i for i, lid in enumerate(self.new.resources)}
        self.stack.resources.sort(key=lambda rd: (rd.action == REMOVE, order.get(rd.logical_id, 0)))
        return self

    def cause(self, cause: str, sure: int, when: Optional[str] = None) -> str:
        """``Bucket is replaced``, ``Parameter Env may change``: what ``cause`` does."""
        if cause in self.replaced:
            return f"{cause} {'is' if sure == CERTAIN else 'may be'} replaced"
        if cause in self.deleted:
            return f"{cause} may be {self.deleted[cause]}"
        qualifier = (when or self.qualifiers.get(cause)) if sure < CERTAIN else None
        if qualifier and cause.startswith("Parameter "):  # the cause names the parameter already
            qualifier = qualifier.replace(f"the default of {cause[len('Parameter '):]}", "the default")
        return f"{cause} {'changes' if sure == CERTAIN else 'may change'}" + (f" ({qualifier})" if qualifier else "")

    def _seed_sections(self) -> None:
        parameters = entries(self.new, "Parameters")
        seeded: set = set()
        changed: dict = {}
        for sc in self.stack.sections:
            if sc.name is None or (sc.path == "" and sc.kind == ADD):
                continue  # what refers to a new entry was edited, and is a change already
            keys = path_keys(sc.path)
            if sc.section == "Parameters" and self._values_given():
                if sc.name not in seeded and sc.name not in self.new.resources:
                    seeded.add(sc.name)
                    sure = self._given_change(sc.name, declared_change=True)
                    if sure:
                        self.queue.append((sc.name, VALUE_KINDS, f"Parameter {sc.name}", sure, None))
            elif sc.section == "Parameters":
                value_changes = not keys or keys[0] in ("Default", "Type")
                if value_changes and sc.name not in seeded and sc.name not in self.new.resources:
                    seeded.add(sc.name)
                    sure = self._parameter_certainty(sc.name, keys, parameters.get(sc.name))
                    self.queue.append((sc.name, VALUE_KINDS, f"Parameter {sc.name}", sure, None))
            elif sc.section == "Conditions":
                self._condition(sc.name)
            elif sc.section == "Mappings":
                changed.setdefault(sc.name, []).append(tuple((keys + [None, None])[:2]))
        for name, keys in changed.items():
            self.queue.append((name, (FIND_IN_MAP,), f"Mapping {name}", CERTAIN, keys))
        if self._values_given():  # a value given for each side changes with no edit of the template
            for name in entries(self.new, "Parameters"):
                if name not in seeded and name not in self.new.resources:
                    sure = self._given_change(name, declared_change=False)
                    if sure:
                        self.queue.append((name, VALUE_KINDS, f"Parameter {name}", sure, None))

    def _values_given(self) -> bool:
        """Whether --parameters gave the deployed values of either side."""
        return self.old is not None and (self.old.values is not None or self.new.values is not None)

    def _given_change(self, name: str, declared_change: bool) -> int:
        """How sure parameter ``name`` changes value, judged by the values given
        (a parameter without one is at its Default): certain when both values
        are known and differ, none when they are equal, possible when one is
        known only at deploy time (an SSM parameter) and its declaration changed."""
        if name not in entries(self.old, "Parameters"):
            return 0  # a new parameter: what refers to it was edited already
        (known_old, before), (known_new, after) = effective(self.old, name), effective(self.new, name)
        if known_old and known_new:
            return CERTAIN if before != after else 0
        return POSSIBLE if declared_change else 0

    def _parameter_certainty(self, name: str, keys: list, parameter) -> int:
        """How sure a parameter's value changes.  A changed ``Default`` is
        the stack's value only if the stack uses the default: a deployment
        may pass its own value."""
        if not _known_offline(parameter):
            return POSSIBLE
        if keys and keys[0] == "Default":
            self.qualifiers[f"Parameter {name}"] = "if the stack uses the default"
            return POSSIBLE
        return CERTAIN

    def _condition(self, name: str) -> None:
        if name not in self.conditions:
            self.conditions.add(name)
            self.queue.append((name, (CONDITION,), f"Condition {name}", POSSIBLE, None))

    def _propagate(self, target: str, kinds, cause: str, sure: int, changed: Optional[list], attribute=None) -> None:
        for section, name, ref in self.index.referrers(target):
            if ref.kind not in kinds or (attribute is not None and ref.attribute != attribute):
                continue
            here = sure if changed is None else _map_match(ref.map_keys, changed, sure)
            if not here:
                continue
            if section == "Resources":
                self._knock(name, ref.keys, cause, here)
            elif section == "Outputs":
                if self.res is not None and self._resolvable(cause):
                    here = self._output(name, ref.keys, here)
                if here > self.outputs.get(name, (0, None))[0]:
                    self.outputs[name] = (here, cause)
            else:
                self._condition(name)

    def _knock(self, logical_id: str, keys: tuple, cause: str, sure: int) -> None:
        """The value at ``keys`` of a resource changes because of ``cause``."""
        resource = self.new.resources.get(logical_id)
        rd = self.diffs.get(logical_id)
        if not isinstance(resource, dict) or (rd is not None and (rd.action != MODIFY or rd.old_type)):
            return  # an Fn::ForEach loop, an added resource (its references are edits already), a new Type (rejected)
        path = pointer(keys)
        if rd is not None and any(c.cause is None and within(path, c.path) for c in rd.changes):
            return  # the text there changed, and is labelled already
        resolved = None
        if self.res is not None and self._resolvable(cause):
            if keys[:1] == ("Condition",):
                return  # whether the resource exists: the resolve stage decided it
            found = self._resolved(logical_id, resource, keys)
            if found is not None:
                sure, resolved = found
                if not sure:
                    return  # the value resolves the same in both revisions
        prior = self.knocked.get((logical_id, path))
        if prior is not None and prior[1] >= sure:
            return
        because = self.cause(cause, sure, resolved.when if resolved is not None else None)
        verdict = classify_change(self.book, resource["Type"], keys, None, None)
        decide_knock_on(self.book, resource["Type"], keys, self.old, self.new, logical_id, verdict)
        if sure < CERTAIN and RANK[verdict.label] > RANK[CONDITIONAL]:
            verdict.relabel(CONDITIONAL, f"only if the value changes: {because}")
        if prior is not None:
            change = prior[0]
            change.verdict, change.cause, change.because, change.resolved = verdict, cause, because, resolved
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
                resolved=resolved,
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

    def _output(self, name: str, keys: tuple, sure: int) -> int:
        """How sure output ``name``'s value at ``keys`` changes, as resolved (``sure`` when unknown)."""
        before = entries(self.old, "Outputs").get(name) if self.old is not None else None
        after = entries(self.new, "Outputs").get(name)
        if not (isinstance(before, dict) and isinstance(after, dict)):
            return sure
        site = _plain_prefix(keys)
        found = self.res.compare(value_at(before, site), value_at(after, site))
        return sure if found is None else {NEVER: 0, ALWAYS: CERTAIN, SOMETIMES: POSSIBLE}[found.changes]

    def _resolvable(self, cause: str) -> bool:
        """Whether the resolve stage can tell what ``cause`` does to a value:
        a parameter (not an SSM one: its value is read anew at each
        deployment), a mapping or a condition; not a replaced resource."""
        kind, _, name = cause.partition(" ")
        if kind == "Parameter":
            declared = [entries(t, "Parameters").get(name) for t in (self.old, self.new) if t is not None]
            return len(declared) == 2 and all(
                isinstance(d, dict) and not str(d.get("Type", "")).startswith(SSM_PARAMETER) for d in declared
            )  # not a parameter removed (a dangling reference) or read from SSM
        return kind in ("Mapping", "Condition")

    def _resolved(self, logical_id: str, resource: dict, keys: tuple):
        """(how sure, Resolved) for the value at ``keys`` as the two revisions
        resolve it, or None when they cannot be compared (past the bound)."""
        old_r = self.old.resources.get(logical_id) if self.old is not None else None
        if not isinstance(old_r, dict):
            return None
        site = _plain_prefix(keys)  # the same text in both revisions: no item can shift against another
        before, after = value_at(old_r, site), value_at(resource, site)
        found = self.res.compare(before, after, normalizer(resource["Type"], site, self.book.unordered))
        if found is None:
            return None
        sure = {NEVER: 0, ALWAYS: CERTAIN, SOMETIMES: POSSIBLE}[found.changes]
        return sure, found.resolved(before, after)

    def _reached(self, rd: ResourceDiff) -> None:
        """Queue a modified resource's referrers when it is (or may be) replaced."""
        if rd.action != MODIFY or rd.ignored:
            return
        # A knock-on that only may happen only may replace the group.
        autoscaling.settle(rd, self.new, lambda c: self._sureness(rd, c) < CERTAIN)
        # A change the rules reject, made conditional by the values, fails the update if it happens:
        # it replaces nothing.
        labels = {c.impact for c in rd.changes if not c.ignored and c.keys[:1] != ("Condition",)
                  and not (c.verdict is not None and c.verdict.ruled == NOT_UPDATABLE)}
        sure = CERTAIN if REPLACEMENT in labels else POSSIBLE if CONDITIONAL in labels else 0
        if sure > self.replaced.get(rd.logical_id, 0):
            self.replaced[rd.logical_id] = sure
            self.queue.append((rd.logical_id, VALUE_KINDS, rd.logical_id, sure, None))
        existence = any(c.keys[:1] == ("Condition",) and c.impact == CONDITIONAL and not c.ignored for c in rd.changes)
        if existence and not sure and rd.logical_id not in self.deleted:
            # Created or deleted in some cases only: what refers to it may change.
            only_created = (rd.exists or "").startswith(("created ", "may be created")) and "deleted" not in rd.exists
            self.deleted[rd.logical_id] = "created" if only_created else "deleted"
            self.queue.append((rd.logical_id, VALUE_KINDS, rd.logical_id, POSSIBLE, None))
        if not sure:
            self._updated_attributes(rd)

    def _sureness(self, rd: ResourceDiff, change: Change) -> int:
        """How sure a change of ``rd`` happens: CERTAIN for an edit."""
        if change.cause is None:
            return CERTAIN
        return self.knocked.get((rd.logical_id, change.path), (None, CERTAIN))[1]

    def _updated_attributes(self, rd: ResourceDiff) -> None:
        """Queue the referrers of the attributes an in-place update changes
        (``rules/updated_attributes.json``: a launch template's
        LatestVersionNumber, a new version of it)."""
        table = self.book.data("updated_attributes")["types"].get(rd.type)
        for attribute, entry in (table or {}).items():
            paths = [("Properties",) + tuple(p.split("/")) for p in entry["when"]]
            sure = max(
                (self._sureness(rd, c) for c in rd.changes if not c.ignored and any(c.keys[: len(p)] == p for p in paths)),
                default=0,
            )
            key = (rd.logical_id, attribute)
            if sure > self.attributes.get(key, 0):
                self.attributes[key] = sure
                cause = f"{rd.logical_id}.{attribute}"
                self.queue.append((rd.logical_id, (GETATT, SUB), cause, sure, None, attribute))
