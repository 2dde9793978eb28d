"""Expand: takes two loaded :class:`~impact.model.Template` objects; gives
them as plain CloudFormation, with ``Fn::ForEach`` and the other language
extensions (:mod:`.langext`) and the SAM transform (:mod:`.sam`) applied.

The language extensions run first, then the SAM transform, so every
generated resource is labelled by the rules of its own type.  Each generated resource keeps its
origin (``Template.origins``) and points at the source template's line of
the SAM resource or loop it came from.

A resource the SAM translator refuses is held out of the translation and
compared as written in both revisions, with the translator's reason in a
note; a refusal that names no resource leaves both revisions as written
(so that the two sides stay comparable).  Nothing here reads the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Optional

from ..load.spans import Resources, materialize
from ..model import Template


SAM = "AWS::Serverless-2016-10-31"
LANGEXT = "AWS::LanguageExtensions"
FOREACH = "Fn::ForEach::"


def transform_declared(data: dict, name: str) -> bool:
    value = data.get("Transform")
    return value == name or (isinstance(value, list) and name in value)


@dataclass
class Inputs:
    """What the expansion may know about the deployed stack."""

    region: Optional[str] = None  # None: the placeholder region
    old_values: Optional[dict] = None  # parameter values of the old revision's stack
    new_values: Optional[dict] = None
    pseudo: Optional[dict] = None  # pseudo parameters given: {"AWS::AccountId": ..., "AWS::StackName": ...}


class Relocated:
    """Positions of an expanded template: a path below a generated resource is
    looked up below the source it came from (its SAM resource, or the body of
    its loop), so reports point at the line the author wrote."""

    def __init__(self, inner, where: dict):
        self.inner, self.where = inner, where

    def find(self, path):
        if self.inner is None:
            return None
        path = tuple(path)
        if len(path) >= 2 and path[0] == "Resources" and path[1] in self.where:
            return self.inner.find(self.where[path[1]] + path[2:])
        return self.inner.find(path)


def _expanded(template: Template, data: dict, origins: dict, where: dict, values) -> Template:
    """The expanded revision; ``where`` maps generated logical IDs to their source path."""
    positions = template.positions
    if where:
        earlier = positions.where if isinstance(positions, Relocated) else {}
        inner = positions.inner if isinstance(positions, Relocated) else positions
        merged = dict(earlier)
        for lid, prefix in where.items():
            # What a generated resource generates points where its source points.
            source = prefix[1] if len(prefix) == 2 and prefix[0] == "Resources" else None
            merged[lid] = earlier.get(source, prefix)
        positions = Relocated(inner, merged)
    return Template(
        path=template.path,
        data=data,
        fmt=template.fmt,
        positions=positions,
        origins={**template.origins, **origins},
        values=values,
        warnings=template.warnings,
    )


def _sam_side(template: Template, translated: tuple) -> Template:
    """The revision as the SAM translator expanded it: (data, origins, notes)."""
    from . import sam

    data, origins, _ = translated
    where = {lid: sam.source_path(o, template.data) for lid, o in origins.items()}
    return _expanded(template, data, origins, where, template.values)


def _langext_side(template: Template, values, keep, region=None):
    from . import langext

    pseudo = {"AWS::Region": region} if region else None
    data, origins, where, kept = langext.expand(template.data, values, keep, pseudo)
    return _expanded(template, data, origins, where, values), kept


def _loops(old: Template, new: Template, values, notes: list, region=None):
    """Both revisions with their loops expanded.  A loop that one revision
    cannot expand is kept as written in both, so it compares as one unit."""
    sides = (old, new)
    if not any(transform_declared(t.data, LANGEXT) or _has_loops(t.data) for t in sides):
        return old, new
    from . import langext
    keep: frozenset = frozenset()
    whys: dict = {}
    try:
        while True:  # at most twice: the second pass keeps what either side kept
            done = [_langext_side(t, v, keep, region) for t, v in zip(sides, values)]
            kept = {**done[1][1], **done[0][1]}
            for loop, why in kept.items():
                whys.setdefault(loop, why)
            if set(kept) <= keep:
                break
            keep = keep | frozenset(kept)
    except langext.Invalid as e:
        notes.append(f"{langext.LANGEXT}: the loops cannot be expanded, so they are compared as written: {e}")
        return old, new
    for loop, why in sorted(whys.items()):
        notes.append(f"{loop} is compared as one unit: its collection is not known offline ({why})")
    return done[0][0], done[1][0]


def _has_loops(data: dict) -> bool:
    resources = data.get("Resources")
    if isinstance(resources, Resources):
        return resources.loops
    return isinstance(resources, Mapping) and any(isinstance(k, str) and k.startswith(FOREACH) for k in resources)


def expand_pair(old: Template, new: Template, inputs: Optional[Inputs] = None):
    """(old, new, notes): both revisions expanded as far as they can be."""
    inputs = inputs or Inputs()
    notes: list = []
    if any(transform_declared(t.data, SAM) or transform_declared(t.data, LANGEXT) or _has_loops(t.data)
           for t in (old, new)):
        # The expansions read whole templates: every resource is read (see docs/benchmarks.md).
        for t in (old, new):
            materialize(t.data)
    values = (inputs.old_values, inputs.new_values)
    old, new = (t if v is None or t.values is not None else replace(t, values=v) for t, v in zip((old, new), values))
    old, new = _loops(old, new, values, notes, inputs.region)
    sides = [old, new]
    declared = [transform_declared(t.data, SAM) for t in sides]
    if not any(declared):
        return old, new, notes
    from . import sam

    names = [t.path or side for t, side in zip(sides, ("old", "new"))]
    try:
        done, pair_notes = sam.translate_pair(
            [(t.data, v, name) if d else None for t, v, name, d in zip(sides, values, names, declared)], inputs.region
        )
    except sam.Missing as e:
        notes.append(
            f"Transform {sam.SAM}: aws-sam-translator cannot be imported ({e}), so AWS::Serverless resources "
            f"are compared as written and their changes are unknown; pip install '{sam.REQUIREMENT}' expands them"
        )
        return old, new, notes
    except sam.Rejected as e:
        notes.append(
            f"Transform {sam.SAM}: aws-sam-translator {sam.version()} refuses the template ({'; '.join(e.reasons)}), "
            "so both revisions are compared as written: the changes of AWS::Serverless resources are unknown, the "
            "other resources keep their labels"
        )
        return old, new, notes
    for side in done:
        notes.extend(n for n in (side[2] if side else ()) if n not in notes)
    notes.extend(pair_notes)
    old, new = (_sam_side(t, side) if side else t for t, side in zip(sides, done))
    return old, new, notes
