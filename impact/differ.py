"""Diff two templates resource by resource, property by property.

Resources are first compared for equality, and only the unequal ones are
handed to DeepDiff, so the cost follows what changed rather than the size of
the template.
"""

from __future__ import annotations

from typing import Callable, Optional

from .model import ADD, MODIFY, REMOVE, Change, ResourceDiff, Template, pointer

CDK_PATH = "aws:cdk:path"
FOREACH = "Fn::ForEach"  # the pseudo type of an AWS::LanguageExtensions loop

# ``unordered(resource_type, keys)`` says whether the list at ``keys`` (a
# path below Properties, list indices left out) may be compared as a multiset.
Unordered = Callable[[str, tuple], bool]


def normalize(resource: dict) -> dict:
    """The resource as CloudFormation compares it: ``DependsOn: A`` is ``[A]``,
    and the order of ``DependsOn`` does not matter."""
    depends = resource.get("DependsOn")
    if depends is None or (isinstance(depends, list) and depends == sorted(set(depends), key=str)):
        return resource
    out = dict(resource)
    items = depends if isinstance(depends, list) else [depends]
    if all(isinstance(i, str) for i in items):
        out["DependsOn"] = sorted(set(items))
    return out


def _property_keys(path: list) -> tuple:
    """``['Properties', 'Rules', 0, 'Name']`` -> ``('Rules', 'Name')``."""
    return tuple(k for k in path[1:] if isinstance(k, str))


def diff_values(old, new, rtype: str = "", unordered: Optional[Unordered] = None) -> list:
    """Leaf-level changes between two values of one resource, as (path, kind, before, after)."""
    from deepdiff import DeepDiff  # imported only when something changed

    kwargs = {}
    if unordered is not None:

        def ignore_order(level) -> bool:
            path = level.path(output_format="list")
            if not path or path[0] != "Properties" or not isinstance(level.t1, list):
                return False
            return unordered(rtype, _property_keys(path))

        kwargs = {"ignore_order_func": ignore_order, "report_repetition": True}
    result = DeepDiff(old, new, view="tree", verbose_level=2, threshold_to_diff_deeper=0, **kwargs)
    out = []
    for report, levels in result.items():
        for level in levels:
            path = level.path(output_format="list")
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
    out.sort(key=lambda c: [str(k) if isinstance(k, str) else f"{k:09d}" for k in c[0]])
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
    for path, kind, before, after in diff_values(old_n, new_n, rtype, unordered):
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
        construct_path=_cdk_path(new),
    )


def _cdk_path(resource: dict) -> Optional[str]:
    meta = resource.get("Metadata")
    if isinstance(meta, dict):
        value = meta.get(CDK_PATH)
        if isinstance(value, str):
            return value
    return None


def _whole(logical_id: str, resource: dict, action: str, template: Template) -> ResourceDiff:
    if not isinstance(resource, dict):  # an Fn::ForEach loop
        return ResourceDiff(logical_id, FOREACH, action, position=_position(template, logical_id))
    return ResourceDiff(
        logical_id=logical_id,
        type=resource["Type"],
        action=action,
        position=_position(template, logical_id),
        construct_path=_cdk_path(resource),
    )


def diff_resources(old: Template, new: Template, unordered: Optional[Unordered] = None) -> list:
    """Every added, removed and modified resource: new template order first,
    then the removed ones in old template order."""
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
