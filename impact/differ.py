"""Diff two templates resource by resource, property by property.

Resources are first compared for equality, and only the unequal ones are
diffed leaf by leaf (DeepDiff's changes, see :func:`diff_values`), so the cost
follows what changed rather than the size of the template.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Callable, Optional

from .equivalent import drop_equivalent, mappings_of
from .loader import collector_paused
from .model import ADD, MODIFY, REMOVE, RETAIN_POLICIES, Change, ResourceDiff, Template, pointer

CDK_PATH = "aws:cdk:path"
FOREACH = "Fn::ForEach"  # the pseudo type of an AWS::LanguageExtensions loop

# ``unordered(resource_type, keys)`` says whether the list at ``keys`` (a
# path below Properties, list indices left out) may be compared as a multiset.
Unordered = Callable[[str, tuple], bool]


def _names(depends) -> Optional[list]:
    """The logical IDs of a ``DependsOn``, or None when it is not names."""
    items = depends if isinstance(depends, list) else [depends]
    return items if all(isinstance(i, str) for i in items) else None


def normalize(resource: dict) -> dict:
    """The resource as CloudFormation compares it: ``DependsOn: A`` is ``[A]``,
    the order of ``DependsOn`` does not matter, and empty ``Properties`` are
    no properties."""
    out = resource
    if "Properties" in out and out["Properties"] in (None, {}):
        out = {k: v for k, v in out.items() if k != "Properties"}
    depends = out.get("DependsOn")
    items = _names(depends) if depends is not None else None
    if items is None:
        return out  # absent, or not names: compared as written
    names = sorted(set(items))
    if depends == names:
        return out
    return {**out, "DependsOn": names}


def _depends_changes(old, new) -> Optional[list]:
    """A ``DependsOn`` compared as a set of names, each change at the name's
    own index in its template (``/DependsOn`` for a single name), or None
    when either side is not names."""
    before = _names(old) if old is not None else []
    after = _names(new) if new is not None else []
    if before is None or after is None:
        return None
    if isinstance(old, str) and isinstance(new, str):
        return [(["DependsOn"], MODIFY, old, new)]

    def at(value, i) -> list:
        return ["DependsOn"] if isinstance(value, str) else ["DependsOn", i]

    out = [(at(old, i), REMOVE, n, None) for i, n in enumerate(before) if n not in after and n not in before[:i]]
    out += [(at(new, i), ADD, None, n) for i, n in enumerate(after) if n not in before and n not in after[:i]]
    return out


def _property_keys(path: list) -> tuple:
    """``['Properties', 'Rules', 0, 'Name']`` -> ``('Rules', 'Name')``."""
    return tuple(k for k in path[1:] if isinstance(k, str))


def diff_values(old, new, rtype: str = "", unordered: Optional[Unordered] = None) -> list:
    """Leaf-level changes between two values of one resource, as (path, kind, before, after).

    Equal subtrees cost one comparison.  Mappings, and lists of mappings or
    lists compared in order, are walked key by key and index by index (extra
    items are added or removed); DeepDiff compares the rest: lists of
    scalars, whose insertions and deletions it matches up, and lists compared
    as multisets.  The changes are exactly those DeepDiff gives for the whole
    value (tests/test_properties.py checks it)."""
    out: list = []
    if old != new:
        _diff_into(out, [], old, new, rtype, unordered)
    out.sort(key=_order)
    return out


def _order(change) -> list:
    """Changes sort by path, list indices in numeric order."""
    return [str(k) if isinstance(k, str) else f"{k:09d}" for k in change[0]]


def _diff_into(out: list, path: list, old, new, rtype: str, unordered: Optional[Unordered]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key, before in old.items():
            if key not in new:
                out.append((path + [key], REMOVE, before, None))
            elif before != new[key]:
                _diff_into(out, path + [key], before, new[key], rtype, unordered)
        for key, after in new.items():
            if key not in old:
                out.append((path + [key], ADD, None, after))
    elif isinstance(old, list) and isinstance(new, list):
        if _as_multiset(path, rtype, unordered) or not (_has_collection(old) or _has_collection(new)):
            out.extend(_diff_lists(path, old, new, rtype, unordered))
            return
        for i, (before, after) in enumerate(zip_longest(old, new, fillvalue=_ABSENT)):
            if after is _ABSENT:
                out.append((path + [i], REMOVE, before, None))
            elif before is _ABSENT:
                out.append((path + [i], ADD, None, after))
            elif before != after:
                _diff_into(out, path + [i], before, after, rtype, unordered)
    else:
        out.append((path, MODIFY, old, new))


_ABSENT = object()


def _has_collection(items: list) -> bool:
    return any(isinstance(item, (dict, list)) for item in items)


def _as_multiset(path: list, rtype: str, unordered: Optional[Unordered]) -> bool:
    """Whether the list at ``path`` is compared without regard to order."""
    if unordered is None or not path or path[0] != "Properties":
        return False
    return unordered(rtype, _property_keys(path))


def _diff_lists(prefix: list, old: list, new: list, rtype: str, unordered: Optional[Unordered]) -> list:
    """DeepDiff's changes between two unequal lists at ``prefix``."""
    from deepdiff import DeepDiff  # imported only when a list changed

    kwargs = {}
    if unordered is not None:

        def ignore_order(level) -> bool:
            return isinstance(level.t1, list) and _as_multiset(prefix + level.path(output_format="list"), rtype, unordered)

        kwargs = {"ignore_order_func": ignore_order, "report_repetition": True}
    result = DeepDiff(old, new, view="tree", verbose_level=2, threshold_to_diff_deeper=0, **kwargs)
    out = []
    for report, levels in result.items():
        for level in levels:
            path = prefix + level.path(output_format="list")
            if report in ("dictionary_item_added", "iterable_item_added"):
                out.append((path, ADD, None, level.t2))
            elif report in ("dictionary_item_removed", "iterable_item_removed"):
                out.append((path, REMOVE, level.t1, None))
            elif report == "repetition_change":
                rep = level.additional["repetition"]
                kind = ADD if rep["new_repeat"] > rep["old_repeat"] else REMOVE
                before = [level.t1] * rep["old_repeat"]
                after = [level.t1] * rep["new_repeat"]
                out.append((path, kind, before, after))
            elif report in ("values_changed", "type_changes"):
                out.append((path, MODIFY, level.t1, level.t2))
            # Other reports (attribute changes, set items) cannot occur in template data.
    return out


def pair_edits(changes: list) -> list:
    """A scalar removed and another added at the same path (a one-item edit
    in a list of scalars compared as a multiset) are one modify."""

    def scalar(value) -> bool:
        return not isinstance(value, (dict, list))

    added: dict = {}
    for i, (path, kind, before, after) in enumerate(changes):
        if kind == ADD and scalar(after):
            added.setdefault(tuple(path), i)
    if not added:
        return changes
    pairs: dict = {}  # index of a remove -> index of its add
    for i, (path, kind, before, after) in enumerate(changes):
        j = added.pop(tuple(path), None) if kind == REMOVE and scalar(before) else None
        if j is not None:
            pairs[i] = j
    taken = set(pairs.values())
    out = []
    for i, change in enumerate(changes):
        if i in pairs:
            out.append((change[0], MODIFY, change[2], changes[pairs[i]][3]))
        elif i not in taken:
            out.append(change)
    return out


def _position(template: Template, logical_id: str, path=()):
    return template.position(("Resources", logical_id) + tuple(path))


def diff_resource(logical_id: str, old: dict, new: dict, old_t: Template, new_t: Template, unordered=None):
    """The changes inside one resource present in both templates, or None when equal."""
    old_n, new_n = normalize(old), normalize(new)
    if old_n == new_n:
        return None
    rtype = new.get("Type", "")
    changes = []
    found = None
    if old_n.get("DependsOn") != new_n.get("DependsOn"):
        found = _depends_changes(old.get("DependsOn"), new.get("DependsOn"))
    if found is not None:
        old_n = {k: v for k, v in old_n.items() if k != "DependsOn"}
        new_n = {k: v for k, v in new_n.items() if k != "DependsOn"}
        found = sorted(found + diff_values(old_n, new_n, rtype, unordered), key=_order)
    else:
        found = diff_values(old_n, new_n, rtype, unordered)
    found = drop_equivalent(found, old_n, new_n, mappings_of(old_t.data), mappings_of(new_t.data))
    for path, kind, before, after in pair_edits(found):
        source = old_t if kind == REMOVE else new_t
        changes.append(
            Change(
                path=pointer(path),
                kind=kind,
                keys=tuple(path),
                before=before,
                after=after,
                position=_position(source, logical_id, path),
            )
        )
    if not changes:
        return None  # only differences the comparison ignores (an unordered list reordered)
    return ResourceDiff(
        logical_id=logical_id,
        type=rtype,
        action=MODIFY,
        changes=changes,
        old_type=old.get("Type") if old.get("Type") != rtype else None,
        position=_position(new_t, logical_id),
        construct_path=cdk_path(new),
    )


def cdk_path(resource: dict) -> Optional[str]:
    meta = resource.get("Metadata")
    if isinstance(meta, dict):
        value = meta.get(CDK_PATH)
        if isinstance(value, str):
            return value
    return None


def _whole(logical_id: str, resource: dict, action: str, template: Template) -> ResourceDiff:
    if not isinstance(resource, dict):  # an Fn::ForEach loop
        return ResourceDiff(logical_id, FOREACH, action, position=_position(template, logical_id))
    properties = resource.get("Properties") if action == ADD else None
    return ResourceDiff(
        logical_id=logical_id,
        type=resource["Type"],
        action=action,
        position=_position(template, logical_id),
        construct_path=cdk_path(resource),
        retained=action == REMOVE and resource.get("DeletionPolicy") in RETAIN_POLICIES,
        properties=properties if isinstance(properties, dict) else None,
    )


def diff_resources(old: Template, new: Template, unordered: Optional[Unordered] = None) -> list:
    """Every added, removed and modified resource: new template order first,
    then the removed ones in old template order."""
    with collector_paused():
        return _diff_resources(old, new, unordered)


def _diff_resources(old: Template, new: Template, unordered: Optional[Unordered]) -> list:
    old_res, new_res = old.resources, new.resources
    out = []
    for logical_id, resource in new_res.items():
        before = old_res.get(logical_id)
        if before is None:
            out.append(_whole(logical_id, resource, ADD, new))
        elif before != resource:
            if not isinstance(before, dict) or not isinstance(resource, dict):
                # Fn::ForEach loops are lists: one unit, replaced as a whole.
                rd = ResourceDiff(logical_id, FOREACH, MODIFY, position=_position(new, logical_id))
                rd.changes.append(Change("", MODIFY, (), before, resource, position=rd.position))
                out.append(rd)
                continue
            rd = diff_resource(logical_id, before, resource, old, new, unordered)
            if rd is not None:
                out.append(rd)
    for logical_id, resource in old_res.items():
        if logical_id not in new_res:
            out.append(_whole(logical_id, resource, REMOVE, old))
    return out
