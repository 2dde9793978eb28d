"""Content-hashed logical IDs: one event, not an unrelated add and remove.

The SAM transform names Lambda versions, layer versions and API deployments
after a hash of what they hold (``OrdersFnVersion317ec961bf``,
``ServerlessRestApiDeployment3f6462f125``), so a code or API change removes
one logical ID and adds another.  Such a pair, same type, same origin and the
same name up to the hash, is reported as one modified resource under its new
ID, with the old ID beside it and a sentence saying what happens: a new
version is published and the alias moves to it, a new deployment is created
and the stage moves to it, and what becomes of the old one.
"""

from __future__ import annotations

import re
from typing import Optional

from .differ import diff_resource
from ..load.spans import naming, resource_type
from ..model import ADD, MODIFY, NO_INTERRUPTION, REMOVE, Change, ResourceDiff, Template, Verdict

HASH = re.compile(r"^(.+?)([0-9a-f]{10})$")
# type -> (what the new ID is, the type that follows it, the property it is read through)
HASHED = {
    "AWS::Lambda::Version": ("a new version is published", "AWS::Lambda::Alias", "alias"),
    "AWS::ApiGateway::Deployment": ("a new deployment is created", "AWS::ApiGateway::Stage", "stage"),
    "AWS::Lambda::LayerVersion": ("a new layer version is published", None, None),
}
WORD = {"AWS::Lambda::Version": "version", "AWS::ApiGateway::Deployment": "deployment", "AWS::Lambda::LayerVersion": "layer version"}


def _stem(rd: ResourceDiff, template: Template) -> Optional[tuple]:
    if rd.type not in HASHED or rd.ignored:
        return None
    m = HASH.match(rd.logical_id)
    return (rd.type, m.group(1), template.origins.get(rd.logical_id)) if m else None


def _mentions(value, logical_id: str) -> bool:
    if isinstance(value, dict):
        if value.get("Ref") == logical_id:
            return True
        att = value.get("Fn::GetAtt")
        if isinstance(att, list) and att and att[0] == logical_id:
            return True
        return any(_mentions(v, logical_id) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, logical_id) for v in value)
    return False


def event(type_name: str, old_id: str, new_id: str, old: Template, new: Template) -> str:
    """What the new hashed ID does, in one sentence."""
    what, follower, word = HASHED[type_name]
    parts = [what]
    if follower:
        resources = new.resources
        moved = sorted(
            lid
            for lid in naming(resources, new_id)  # only those whose text names it are read
            if resource_type(resources, lid) == follower and _mentions(resources[lid].get("Properties"), new_id)
        )
        if moved:
            parts.append(f"{word} {', '.join(moved)} moves to it")
    before = old.resources.get(old_id) or {}
    kept = before.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate")
    parts.append(f"the old {WORD[type_name]} {old_id} is {'kept (DeletionPolicy Retain)' if kept else 'deleted'}")
    return "; ".join(parts)


def pair_hashed(resources: list, old: Template, new: Template, unordered=None) -> None:
    """Replace each removed/added pair of hashed IDs by one modified resource (in place)."""
    removed: dict = {}
    for rd in resources:
        if rd.action == REMOVE:
            key = _stem(rd, old)
            if key:
                removed.setdefault(key, []).append(rd)
    if not removed:
        return
    added: dict = {}
    for rd in resources:
        if rd.action == ADD:
            key = _stem(rd, new)
            if key in removed:
                added.setdefault(key, []).append(rd)
    drop = set()
    for key, fresh in added.items():
        gone = removed[key]
        if len(fresh) != 1 or len(gone) != 1:
            continue  # more than one of either: no way to tell which follows which
        a, r = fresh[0], gone[0]
        merged = _merge(a, r, old, new, unordered)
        resources[resources.index(a)] = merged
        drop.add(id(r))
    resources[:] = [rd for rd in resources if id(rd) not in drop]


def _merge(added: ResourceDiff, removed: ResourceDiff, old: Template, new: Template, unordered) -> ResourceDiff:
    text = event(added.type, removed.logical_id, added.logical_id, old, new)
    before, after = old.resources[removed.logical_id], new.resources[added.logical_id]
    # The old body is compared under the new ID, so both sides line up.
    shifted = Template(path=old.path, data={"Resources": {added.logical_id: before}}, fmt=old.fmt)
    inner = diff_resource(added.logical_id, before, after, shifted, new, unordered)
    changes = inner.changes if inner else []
    note = f"{text}: the {WORD[added.type]} is new, so this is not an update of {removed.logical_id}"
    for c in changes:
        c.verdict = Verdict(NO_INTERRUPTION, note=note)
    if not changes:
        changes = [
            Change(
                path="",
                kind=MODIFY,
                before=removed.logical_id,
                after=added.logical_id,
                verdict=Verdict(NO_INTERRUPTION, note=text),
                position=added.position,
            )
        ]
    return ResourceDiff(
        logical_id=added.logical_id,
        type=added.type,
        action=MODIFY,
        changes=changes,
        position=added.position,
        construct_path=added.construct_path,
        origin=new.origins.get(added.logical_id),
        old_logical_id=removed.logical_id,
        event=text,
    )
