"""References in the new template to logical IDs it does not define.

Only references that can newly dangle are examined: those to a removed
resource, through the reference index (built only when something is
removed), and those of an added or edited resource, output or condition.
Names an Fn::ForEach loop defines or generates are not looked up, and a
template with a macro (SAM, AWS::Include, any transform but the language
extensions, or Fn::Transform in Resources) is left alone: the macro may add
the resource at deploy time.

A reference that dangled in the old template already (the same entry named
the same missing ID) is no news of this change: one info per entry and
target says it still dangles.  A ``${...}`` of an Fn::Sub that is no variable
name is the ``invalid-sub-variable`` finding, not a missing ID."""

from __future__ import annotations

import re

from ...diff.differ import FOREACH
from ..graph import DEPENDS_ON, GETATT, PSEUDO_PREFIX, REF, SUB, VALUE_KINDS, entry_references, resource_references
from ..knockon import entries
from ...model import ADD, REMOVE, Finding, pointer

ID = "dangling-reference"
SEVERITY = "error"  # info for a reference that dangled before the change too
HELP = (
    "CloudFormation rejects a template whose DependsOn, Ref, Fn::GetAtt or Fn::Sub names a logical ID "
    "the template does not define, such as a removed resource."
)

LOOP_PREFIX = FOREACH + "::"  # Fn::ForEach::Name, the key of an AWS::LanguageExtensions loop
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
# The references CloudFormation resolves against the template's logical IDs.
ID_KINDS = VALUE_KINDS | {DEPENDS_ON}
# How a dangling reference names its target, by kind.
REFERS = {DEPENDS_ON: "depends on", REF: "refers to", GETATT: "reads an attribute of", SUB: "substitutes"}
_PLACEHOLDER = re.compile(r"[$&]\{[^}]*\}")  # ${Identifier} or &{Identifier} in a loop's generated logical ID


def _has_loop(value) -> bool:
    """Whether ``value`` holds an Fn::ForEach loop at any depth."""
    if isinstance(value, dict):
        return any((isinstance(k, str) and k.startswith(LOOP_PREFIX)) or _has_loop(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_loop(item) for item in value)
    return False


def _in_loop(entry, keys: tuple) -> bool:
    """Whether the reference site at ``keys`` of ``entry`` lies inside an
    Fn::ForEach loop, or holds one: its names may be the loop's identifiers."""
    value = entry
    for key in keys:
        if isinstance(value, dict) and any(isinstance(k, str) and k.startswith(LOOP_PREFIX) for k in value):
            return True
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return False
    return _has_loop(value)


def _loop_ids(resources: dict) -> list:
    """Patterns of the logical IDs the Resources section's Fn::ForEach loops
    generate: ``Topic${Name}`` matches any ``Topic...``."""
    out: list = []
    for name in resources:
        if name.startswith(LOOP_PREFIX):
            _fragment(resources[name], out)
    return out


def _fragment(loop, out: list) -> None:
    """Add the patterns of the IDs one loop generates to ``out``."""
    if isinstance(loop, list) and len(loop) == 3 and isinstance(loop[2], dict):
        for key, value in loop[2].items():
            if not isinstance(key, str):
                continue
            if key.startswith(LOOP_PREFIX):
                _fragment(value, out)
            else:
                out.append(re.compile(".+".join(map(re.escape, _PLACEHOLDER.split(key))) + r"\Z"))


def _macros(template) -> bool:
    """Whether a transform other than the language extensions may add resources at deploy time."""
    value = template.data.get("Transform")
    names = value if isinstance(value, list) else [value]
    return any(t is not None and t != LANGUAGE_EXTENSIONS for t in names) or "Fn::Transform" in template.resources


def old_references(ctx, section: str, name: str) -> list:
    """The references of the entry ``name`` of ``section`` in the old template."""
    entry = entries(ctx.old, section).get(name)
    return [] if entry is None else entry_references(section, entry)


def _sites(ctx, defined: set) -> list:
    """``[(section, entry name, entry, Reference)]``: the references that may newly dangle."""
    found: list = []
    for rd in ctx.stack.resources:
        if rd.action == REMOVE and rd.logical_id not in defined:
            for section, name, ref in ctx.knock.index.referrers(rd.logical_id):
                found.append((section, name, entries(ctx.new, section).get(name), ref))
    for rd in ctx.stack.resources:
        if rd.action != ADD and all(c.cause for c in rd.changes):
            continue  # only knock-on changes: its text names nothing new
        entry = ctx.new.resources.get(rd.logical_id)
        if isinstance(entry, dict):
            # The whole resource, not only its edited values: a reference that dangled already is told too (an info).
            found.extend(("Resources", rd.logical_id, entry, ref) for ref in resource_references(entry))
    for section, name in dict.fromkeys(
        (sc.section, sc.name) for sc in ctx.stack.sections if sc.section in ("Outputs", "Conditions") and sc.name
    ):
        entry = entries(ctx.new, section).get(name)
        if entry is not None:
            found.extend((section, name, entry, ref) for ref in entry_references(section, entry))
    return found


def check(ctx):
    if _macros(ctx.new):
        return
    defined = set(ctx.new.resources) | set(entries(ctx.new, "Parameters"))
    defined_before = set(ctx.old.resources) | set(entries(ctx.old, "Parameters"))
    loops = None
    seen: set = set()
    still: dict = {}  # (section, name, target) -> the first such reference, and how many
    for section, name, entry, ref in _sites(ctx, defined):
        target = ref.target
        if ref.kind not in ID_KINDS or target in defined or target.startswith(PSEUDO_PREFIX):
            continue
        if not isinstance(entry, dict) or name.startswith(LOOP_PREFIX) or _in_loop(entry, ref.keys):
            continue
        rd = ctx.diff(name) if section == "Resources" else None
        if rd is not None and rd.ignored:
            continue
        if loops is None:
            loops = _loop_ids(ctx.new.resources)
        if any(p.match(target) for p in loops):
            continue  # an ID an Fn::ForEach loop generates
        key = (section, name, ref.keys, ref.kind, target)
        if key in seen:
            continue
        seen.add(key)
        who = name if section == "Resources" else f"{section[:-1]} {name}"
        path = pointer(ref.keys)
        if target not in defined_before and any(
            r.target == target and r.kind in ID_KINDS for r in old_references(ctx, section, name)
        ):
            first, count = still.get((section, name, target), ((who, ref, path), 0))
            still[(section, name, target)] = (first, count + 1)
            continue
        what = f"{target} is removed" if target in ctx.old.resources else f"there is no {target}"
        yield Finding(
            ID,
            SEVERITY,
            name,
            f"{who} {REFERS[ref.kind]} {target} at {path}, but {what} in the new template: "
            f"CloudFormation rejects the template; remove the reference, or keep {target}",
            path,
            ctx.new.position((section, name) + ref.keys),
        )
    for (section, name, target), ((who, ref, path), count) in still.items():
        more = f" (and {count - 1} more {'place' if count == 2 else 'places'})" if count > 1 else ""
        yield Finding(
            ID,
            "info",
            name,
            f"{who} still {REFERS[ref.kind]} {target} at {path}{more}, which neither template defines: "
            "CloudFormation rejects the template before and after this change",
            path,
            ctx.new.position((section, name) + ref.keys),
        )
