"""A removed and an added resource that look like one renamed.

Two resources are one renamed when they have the same type and at least 80%
of their (path, value) leaves are equal (Metadata, which holds the CDK path,
left out).  Severity: an error when both set the same physical name in the
same parent (:func:`~.custom_name_replacement.same_name`), for then creating
the new one fails; a warning otherwise."""

from __future__ import annotations

from ...diff.differ import FOREACH
from ...model import ADD, REMOVE, Finding
from .custom_name_replacement import same_name

ID = "rename"
SEVERITY = "warning"
HELP = (
    "A new logical ID is a new resource to CloudFormation: it creates the new one and deletes the old one, "
    "even when nothing else changed."
)
SIMILARITY = 0.8  # share of equal leaves for a removed and an added resource to be one renamed


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
    return _leaves({k: v for k, v in resource.items() if k not in ("Type", "Metadata")}, (), set())


def pairs(ctx) -> list:
    """``[(removed, added, similarity)]``: the renames, most similar first,
    each resource in at most one."""
    removed = [rd for rd in ctx.resources(REMOVE) if rd.type != FOREACH]
    added = [rd for rd in ctx.resources(ADD) if rd.type != FOREACH]
    types = {rd.type for rd in added} & {rd.type for rd in removed}
    if not types:
        return []
    before = {rd.logical_id: _comparable(ctx.old.resources[rd.logical_id]) for rd in removed if rd.type in types}
    after = {rd.logical_id: _comparable(ctx.new.resources[rd.logical_id]) for rd in added if rd.type in types}
    candidates = []
    for i, gone in enumerate(removed):
        for j, fresh in enumerate(added):
            if fresh.type != gone.type:
                continue
            a, b = before[gone.logical_id], after[fresh.logical_id]
            larger = max(len(a), len(b))
            if larger and min(len(a), len(b)) < SIMILARITY * larger:
                continue
            similarity = len(a & b) / larger if larger else 1.0
            if similarity >= SIMILARITY:
                candidates.append((-similarity, i, j, gone, fresh))
    used: set = set()
    out = []
    for negative, _, _, gone, fresh in sorted(candidates, key=lambda p: p[:3]):
        if gone.logical_id in used or fresh.logical_id in used:
            continue
        used.update((gone.logical_id, fresh.logical_id))
        out.append((gone, fresh, -negative))
    return out


def check(ctx):
    for gone, fresh, similarity in pairs(ctx):
        taken = same_name(ctx, fresh.type, ctx.old.resources[gone.logical_id], ctx.new.resources[fresh.logical_id])
        fate = (
            f"leaving {gone.logical_id} in the account, orphaned, not deleted (DeletionPolicy Retain)"
            if gone.retained
            else f"then deleting {gone.logical_id}"
        )
        message = (
            f"{gone.logical_id} is removed and {fresh.logical_id} added with the same type and "
            f"{similarity:.0%} of the same properties: this looks like a rename, which CloudFormation "
            f"carries out by creating {fresh.logical_id} and {fate}"
        )
        if taken:
            message += f"; both set {taken} to the same name, so creating {fresh.logical_id} fails"
        message += (
            f". To keep the resource, rename it with stack refactoring (aws cloudformation create-stack-refactor, "
            f"mapping {gone.logical_id} → {fresh.logical_id}; impact diff --refactor-file writes the mappings), "
            f"or keep the logical ID {gone.logical_id}"
        )
        yield Finding(
            ID, "error" if taken else SEVERITY, fresh.logical_id, message, None, fresh.position,
            renamed_from=gone.logical_id,
        )
