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
"""

from __future__ import annotations

from typing import Optional

from ..model import CLOSES, OPENS, RETAIN_POLICIES, SecurityChange

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
