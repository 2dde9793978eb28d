"""A resource that holds data is replaced or removed.

What happens to the data depends on the resource's UpdateReplacePolicy (for
a replacement) or DeletionPolicy (for a removal), read against the reviewed
list of data-bearing types in ``rules/stateful.json`` (see
:mod:`impact.assess.retention`).  Severity: an error
when the data is deleted for certain; a warning when the policy retains or
snapshots it, is set at deploy time, or the replacement (or a deletion the
resource's condition decides) only may happen.
A removal whose policy retains the resource is :mod:`retained_removal`'s."""

from __future__ import annotations

from ..knockon import CERTAIN
from ..retention import deletion_policy, holds_data, keeps, snapshots, stateful
from ...load.typed import Unstated
from ...model import MODIFY, REMOVE, RETAIN_POLICIES, Finding

ID = "stateful-replacement"
SEVERITY = "error"
HELP = (
    "Replacing or removing a resource that holds data starts from an empty resource; its UpdateReplacePolicy "
    "or DeletionPolicy decides whether the old data is deleted, retained or snapshotted."
)
def check(ctx):
    for rd in ctx.resources(MODIFY):
        if not rd.old_type and ctx.replaced(rd.logical_id) and isinstance(ctx.new.resources.get(rd.logical_id), dict):
            yield from _replaced(ctx, rd)
    for rd in ctx.resources(REMOVE):
        yield from _removed(ctx, rd)
    for rd in ctx.resources(MODIFY):
        if ctx.knock.deleted.get(rd.logical_id) == "deleted":  # its condition may turn false
            yield from _removed(ctx, rd, f"may be deleted ({rd.exists})")


def _unsure(info, resource) -> str:
    """Where a change set does not say whether the resource holds data of
    its own (the property that says so is not in it): what to add to the
    finding, which is then a warning at most; else ""."""
    without = (info or {}).get("no_data_with")
    props = resource.get("Properties") if isinstance(resource, dict) else None
    if without and isinstance(props, dict) and isinstance(props.get(without["property"]), Unstated):
        return f" (if it holds data of its own: the change set does not say whether {without['property']} is set)"
    return ""


def _at_most_warning(finding: Finding, unsure: str) -> Finding:
    if unsure:
        finding.severity = "warning" if finding.severity == "error" else finding.severity
        finding.message += unsure
    return finding


def _replaced(ctx, rd):
    info = stateful(ctx.book, rd.type)
    unsure = _unsure(info, ctx.new.resources[rd.logical_id])
    if not unsure and not holds_data(info, ctx.new.resources[rd.logical_id]):
        return
    lid, data = rd.logical_id, info["data"]
    sure = ctx.replaced(lid)
    event = ctx.replacement_event(rd)
    resource = ctx.new.resources[lid]
    policy = resource.get("UpdateReplacePolicy", "Delete")
    where = ctx.new.position(("Resources", lid))
    if isinstance(policy, Unstated):
        severity, kept = "warning", "unknown"
        message = (f"{lid} {event}, and the change set does not say what becomes of the old {rd.type} "
                   f"(no PolicyAction): check its UpdateReplacePolicy, or its {data} may be deleted")
    elif not isinstance(policy, str):
        severity, kept = "warning", "unknown"
        message = f"{lid} {event} and its UpdateReplacePolicy is set at deploy time: check what it keeps"
    elif policy == "Retain":
        severity, kept = "warning", "retained"
        message = (
            f"{lid} {event}: UpdateReplacePolicy Retain keeps the old {rd.type} with its {data} outside the stack; "
            "the new one starts empty"
        )
    elif policy == "Snapshot" and snapshots(info, resource) is not False:
        severity, kept = "warning", "snapshot"
        message = (
            f"{lid} {event}: UpdateReplacePolicy Snapshot keeps a snapshot of the old {rd.type} "
            "before deleting it; the new one starts empty"
        )
    elif info.get("not_emptied"):
        severity, kept = "warning", "not-emptied"
        stated = "" if "UpdateReplacePolicy" in resource else " (the default)"
        message = (
            f"{lid} {event} and its UpdateReplacePolicy is {policy}{stated}: CloudFormation does not delete the "
            f"{data}; deleting the old {rd.type} fails while it holds any, and it stays outside the stack with them; "
            f"the new one starts empty. Move the {data} and empty the old one, or set UpdateReplacePolicy to Retain"
        )
    else:
        severity, kept = ("error" if sure == CERTAIN else "warning"), "deleted"
        stated = _stated(info, resource, "UpdateReplacePolicy", policy)
        message = (
            f"{lid} {event} and its UpdateReplacePolicy is {policy}{stated}: CloudFormation deletes the old "
            f"{rd.type} with its {data}, and the new one starts empty; "
            f"set UpdateReplacePolicy to Retain{' or Snapshot' if snapshots(info, resource) else ''} to keep them"
        )
        before = ctx.old.resources.get(lid)
        if isinstance(before, dict) and keeps(info, before, "UpdateReplacePolicy"):
            message += f" (this change removes UpdateReplacePolicy {before['UpdateReplacePolicy']}, which kept them)"
    yield _at_most_warning(Finding(ID, severity, lid, message, "/UpdateReplacePolicy", where, data, kept), unsure)


def _removed(ctx, rd, event: str = "is removed"):
    """A removal, or (another ``event``) one that only may happen: then a warning at most."""
    resource = ctx.old.resources.get(rd.logical_id)
    info = stateful(ctx.book, rd.type)
    unsure = _unsure(info, resource)
    if not isinstance(resource, dict) or not (unsure or holds_data(info, resource)):
        return
    policy = deletion_policy(info, resource)
    if policy in RETAIN_POLICIES:
        return
    lid, data = rd.logical_id, info["data"]
    if isinstance(policy, Unstated):
        severity, kept = "warning", "unknown"
        message = (f"{lid} {event}, and the change set does not say what becomes of it (no PolicyAction): "
                   f"check its DeletionPolicy, or its {data} may be deleted")
    elif not isinstance(policy, str):
        severity, kept = "warning", "unknown"
        message = f"{lid} {event} and its DeletionPolicy is set at deploy time: check what it keeps"
    elif policy == "Snapshot" and snapshots(info, resource) is not False:
        severity, kept = "warning", "snapshot"
        message = f"{lid} {event}: DeletionPolicy Snapshot keeps a snapshot of its {data}, then deletes the {rd.type}"
    elif info.get("not_emptied"):
        severity, kept = "warning", "not-emptied"
        stated = "" if "DeletionPolicy" in resource else " (the default)"
        message = (
            f"{lid} {event} and its DeletionPolicy is {policy}{stated}: CloudFormation does not delete the "
            f"{data}; deleting the {rd.type} fails while it holds any, and it stays outside the stack with them. "
            f"Move the {data} and empty it, or set DeletionPolicy to Retain"
        )
    else:
        severity, kept = ("error" if event == "is removed" else "warning"), "deleted"
        stated = _stated(info, resource, "DeletionPolicy", policy)
        message = (
            f"{lid} {event} and its DeletionPolicy is {policy}{stated}: "
            f"CloudFormation deletes the {rd.type} with its {data}; set DeletionPolicy to Retain to keep them"
        )
    yield _at_most_warning(Finding(ID, severity, lid, message, "/DeletionPolicy", rd.position, data, kept), unsure)


def _stated(info, resource: dict, attribute: str, policy) -> str:
    """`` (the default)`` for a policy not written, or why ``Snapshot`` deletes."""
    if attribute not in resource:
        return " (the default)"
    if policy == "Snapshot":
        return f", which deletes it: {info.get('snapshot_unless', {}).get('reason', 'this type cannot be snapshotted')}"
    return ""
