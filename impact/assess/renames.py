"""Renames: a removed and an added resource that look like one renamed.

Two resources are one renamed when they have the same type and at least 80%
of their (path, value) leaves are equal (Metadata, which holds the CDK path,
left out).  The ``rename`` check reports them; the security stage compares
the two as one resource, so that access a renamed resource keeps is not
counted as new."""

from __future__ import annotations

from ..diff.differ import FOREACH
from ..model import ADD, REMOVE

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


def rename_pairs(resources: list, old, new) -> list:
    """``[(removed, added, similarity)]`` among the resource diffs
    ``resources`` (those the config does not ignore): the renames, most
    similar first, each resource in at most one."""
    removed = [rd for rd in resources if rd.action == REMOVE and not rd.ignored and rd.type != FOREACH]
    added = [rd for rd in resources if rd.action == ADD and not rd.ignored and rd.type != FOREACH]
    types = {rd.type for rd in added} & {rd.type for rd in removed}
    if not types:
        return []
    before = {rd.logical_id: _comparable(old.resources[rd.logical_id]) for rd in removed if rd.type in types}
    after = {rd.logical_id: _comparable(new.resources[rd.logical_id]) for rd in added if rd.type in types}
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
