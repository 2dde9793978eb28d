"""A ``${...}`` of an Fn::Sub string that is no variable name.

CloudFormation reads every ``${...}`` of an Fn::Sub string as a variable,
and a variable name may hold only letters, digits, ``_``, ``.`` and ``:``;
anything else (a shell's ``${VAR//a/b}`` or ``${VAR#prefix}``, JavaScript's
``${event["detail-type"]}``) fails the template: "variable names in Fn::Sub
syntax must contain only alphanumeric characters, underscores, periods, and
colons".  ``${!...}`` writes the text as it is.  The entries examined are
those the change adds or edits; one that held the same text in the old
template already is an info, once per entry."""

from __future__ import annotations

from ..graph import BAD_SUB
from ...model import Finding, pointer
from .dangling_reference import LOOP_PREFIX, _in_loop, _macros, _sites, old_references

ID = "invalid-sub-variable"
SEVERITY = "error"  # info for a text the old template held already
HELP = (
    "CloudFormation rejects an Fn::Sub whose ${...} is not a variable name (only letters, digits, underscores, "
    "periods and colons); ${!...} writes the text literally."
)

SHOWN = 40  # characters of the text shown


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def check(ctx):
    if _macros(ctx.new):
        return
    defined = set(ctx.new.resources)
    seen: set = set()
    still: dict = {}  # (section, name) -> (first text, its path, how many)
    for section, name, entry, ref in _sites(ctx, defined):
        if ref.kind != BAD_SUB or not isinstance(entry, dict):
            continue
        if name.startswith(LOOP_PREFIX) or _in_loop(entry, ref.keys):
            continue  # a loop's ${Identifier} and &{Identifier} are its own
        rd = ctx.diff(name) if section == "Resources" else None
        if rd is not None and rd.ignored:
            continue
        key = (section, name, ref.keys, ref.target)
        if key in seen:
            continue
        seen.add(key)
        who = name if section == "Resources" else f"{section[:-1]} {name}"
        path = pointer(ref.keys)
        if any(r.kind == BAD_SUB and r.target == ref.target for r in old_references(ctx, section, name)):
            first = still.get((section, name))
            still[(section, name)] = (ref, path, 1) if first is None else (first[0], first[1], first[2] + 1)
            continue
        text = _shown(ref.target)
        yield Finding(
            ID,
            SEVERITY,
            name,
            f"{who} has ${{{text}}} in an Fn::Sub at {path}, which is not a variable name "
            "(only letters, digits, _, . and :): CloudFormation rejects the template; "
            f"to keep the text as written (a shell's or a script's own ${{...}}), write ${{!{text}}}",
            path,
            ctx.new.position((section, name) + ref.keys),
        )
    for (section, name), (ref, path, count) in still.items():
        who = name if section == "Resources" else f"{section[:-1]} {name}"
        more = f" (and {count - 1} more)" if count > 1 else ""
        yield Finding(
            ID,
            "info",
            name,
            f"{who} still has ${{{_shown(ref.target)}}} in an Fn::Sub at {path}{more}, which is not a variable name: "
            f"CloudFormation rejects the template before and after this change; write ${{!...}} to keep such text",
            path,
            ctx.new.position((section, name) + ref.keys),
        )
