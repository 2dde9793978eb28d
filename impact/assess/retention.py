"""What a resource's DeletionPolicy and UpdateReplacePolicy keep.

The data-bearing types and what each policy does for them are reviewed data,
``rules/stateful.json``: which types hold data (and when one holds none: a
DB instance of an Aurora cluster keeps its data in the cluster), which
support ``Snapshot`` (and when one cannot be snapshotted: a Memcached
cluster), and where the default policy is not ``Delete``.  A policy keeps
the data when it is ``Retain``, ``RetainExceptOnCreate``, or ``Snapshot``
on a resource that can be snapshotted; ``Snapshot`` elsewhere is ``Delete``.

:func:`policy_changes` turns a policy that stops keeping the data into a
``protection`` row of the security stage, which ``protection-removed``
reports; a policy that starts keeping it is a row that closes.

:func:`mark_children` finds the removed resources that a ``Retain`` policy
does not keep after all: those that cannot outlive a parent this change
deletes (``rules/children.json``: a Lambda version goes with its function).
"""

from __future__ import annotations

from typing import Optional

from .graph import VALUE_KINDS, references
from .knockon import CERTAIN
from ..model import CLOSES, MODIFY, OPENS, REMOVE, RETAIN_POLICIES, SecurityChange

POLICIES = ("DeletionPolicy", "UpdateReplacePolicy")
SNAPSHOT = "Snapshot"


def stateful(book, type_name: str):
    """The reviewed entry of a data-bearing type, or None."""
    return book.data("stateful")["types"].get(type_name)


def _properties(resource) -> dict:
    props = resource.get("Properties") if isinstance(resource, dict) else None
    return props if isinstance(props, dict) else {}


def _matches(unless: dict, props: dict) -> Optional[bool]:
    """Whether ``props`` meet one of ``unless``'s ``{property: [values]}``
    (compared case-insensitively); None when a value is set at deploy time."""
    unknown = False
    for prop, values in unless.items():
        if prop in ("reason", "source") or prop not in props:
            continue
        value = props[prop]
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            unknown = True
        elif str(value).lower() in {v.lower() for v in values}:
            return True
    return None if unknown else False


def holds_data(info, resource) -> bool:
    """Whether a resource of a reviewed type holds data of its own."""
    if info is None:
        return False
    without = info.get("no_data_with")
    return not (without and without["property"] in _properties(resource))


def snapshots(info, resource) -> Optional[bool]:
    """Whether ``Snapshot`` keeps a snapshot of this resource (None: known only at deploy time)."""
    if not info or not info.get("snapshot"):
        return False
    unless = info.get("snapshot_unless")
    if not unless:
        return True
    matched = _matches(unless, _properties(resource))
    return None if matched is None else not matched


def deletion_policy(info, resource: dict):
    """A resource's DeletionPolicy, with the type's default when it sets none."""
    default = "Delete"
    if info and info.get("deletion_default") and info.get("deletion_default_unless") not in _properties(resource):
        default = info["deletion_default"]
    return resource.get("DeletionPolicy", default)


def policy(info, resource: dict, attribute: str):
    """The resource's ``attribute`` (DeletionPolicy or UpdateReplacePolicy), defaults applied."""
    if attribute == "DeletionPolicy":
        return deletion_policy(info, resource)
    return resource.get(attribute, "Delete")


def keeps(info, resource: dict, attribute: str) -> Optional[bool]:
    """Whether the policy ``attribute`` keeps the resource's data when it is
    deleted; None when that is decided at deploy time."""
    value = policy(info, resource, attribute)
    if not isinstance(value, str):
        return None
    if value in RETAIN_POLICIES:
        return True
    if value == SNAPSHOT:
        return snapshots(info, resource)
    return False


def _shown(resource: dict, attribute: str, value) -> str:
    if not isinstance(value, str):
        return "(set at deploy time)"
    return value if attribute in resource else f"{value} (the default)"


def policy_changes(book, type_name: str, before: dict, after: dict):
    """The protection rows of one resource's DeletionPolicy and
    UpdateReplacePolicy, between its old and new definitions."""
    info = stateful(book, type_name)
    if info is None or not isinstance(before, dict) or not isinstance(after, dict):
        return
    if not (holds_data(info, before) and holds_data(info, after)):
        return  # a policy protects no data there
    data = info["data"]
    for attribute in POLICIES:
        if before.get(attribute) == after.get(attribute):
            continue  # the policy is as it was (what else changed is a change of the resource)
        was, now = keeps(info, before, attribute), keeps(info, after, attribute)
        if was == now:
            continue
        old_value, new_value = policy(info, before, attribute), policy(info, after, attribute)
        shown_old, shown_new = _shown(before, attribute, old_value), _shown(after, attribute, new_value)
        fields = {"protection": attribute, "before": shown_old, "after": shown_new}
        event = "removed from the stack" if attribute == "DeletionPolicy" else "replaced"
        old = "it" if attribute == "DeletionPolicy" else "the old one"
        if was and not now:
            if now is None:
                fate = f"whether CloudFormation keeps {old} with its {data} is decided at deploy time"
            elif info.get("not_emptied"):
                fate = (f"CloudFormation deletes {old} if it is empty; it does not delete the {data}, "
                        f"and the deletion fails while it holds any")
            else:
                fate = f"CloudFormation deletes {old} with its {data}"
            summary = f"no longer keeps its {data} ({attribute}: {shown_old} → {shown_new}): when it is {event}, {fate}"
            yield _row(OPENS, "removed", summary, attribute, fields)
        elif now and was is False:
            summary = f"keeps its {data} ({attribute}: {shown_old} → {shown_new}) when it is {event}"
            yield _row(CLOSES, "added", summary, attribute, fields)


def _row(direction: str, change: str, summary: str, attribute: str, fields: dict) -> SecurityChange:
    return SecurityChange(
        logical_id="",
        type="",
        family="protection",
        direction=direction,
        change=change,
        summary=summary,
        path="/" + attribute,
        fields=fields,
    )


# -- children that go with their parent ---------------------------------------


def _parent(book, old, logical_id: str) -> Optional[str]:
    """The logical ID of the parent a resource of the old template names, when
    ``rules/children.json`` says it cannot outlive it."""
    resource = old.resources.get(logical_id)
    entry = book.data("children")["types"].get(resource.get("Type")) if isinstance(resource, dict) else None
    if entry is None:
        return None
    value = _properties(resource).get(entry["parent"])
    targets = {
        ref.target
        for ref in references(value)
        if ref.kind in VALUE_KINDS and isinstance(old.resources.get(ref.target), dict)
        and old.resources[ref.target].get("Type") in entry["parent_types"]
    }
    return targets.pop() if len(targets) == 1 else None


def mark_children(stack, old, new, book, replaced: dict) -> None:
    """Set ``goes_with`` on each removed resource whose DeletionPolicy retains
    it but whose parent this change deletes (or replaces), deleting it too:
    a Lambda version removed with its function."""
    diffs = {rd.logical_id: rd for rd in stack.resources}
    memo: dict = {}
    for rd in stack.resources:
        if rd.action == REMOVE and rd.retained and not rd.ignored:
            parent = _parent(book, old, rd.logical_id)
            if parent is not None and _deleted(parent, diffs, old, new, book, replaced, memo):
                rd.goes_with, rd.retained = parent, False


def _deleted(logical_id: str, diffs: dict, old, new, book, replaced: dict, memo: dict, depth: int = 0) -> bool:
    """Whether this change deletes the physical resource of ``logical_id``."""
    if logical_id in memo:
        return memo[logical_id]
    memo[logical_id] = False  # a cycle deletes nothing
    rd, resource = diffs.get(logical_id), old.resources.get(logical_id)
    out = False
    if rd is None or rd.ignored or not isinstance(resource, dict) or depth > 20:
        out = False
    elif rd.action == REMOVE:
        policy = resource.get("DeletionPolicy", "Delete")
        if isinstance(policy, str) and policy not in RETAIN_POLICIES:
            out = True
        else:
            parent = _parent(book, old, logical_id)
            out = parent is not None and _deleted(parent, diffs, old, new, book, replaced, memo, depth + 1)
    elif rd.action == MODIFY and not rd.old_type and replaced.get(logical_id) == CERTAIN:
        after = new.resources.get(logical_id)
        policy = after.get("UpdateReplacePolicy", "Delete") if isinstance(after, dict) else None
        out = isinstance(policy, str) and policy not in RETAIN_POLICIES
    memo[logical_id] = out
    return out
