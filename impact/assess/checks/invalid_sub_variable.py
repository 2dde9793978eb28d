"""A ``${...}`` of an Fn::Sub string that is no variable name.

CloudFormation reads every ``${...}`` of an Fn::Sub string as a variable,
and a variable name may hold only letters, digits, ``_``, ``.`` and ``:``;
anything else (a shell's ``${VAR//a/b}`` or ``${VAR#prefix}``, JavaScript's
``${event["detail-type"]}``) fails the template: "variable names in Fn::Sub
syntax must contain only alphanumeric characters, underscores, periods, and
colons".  ``${!...}`` writes the text as it is.  The entries examined are
those the change adds or edits, one finding per Fn::Sub; texts the same
entry held in the old template already are an info, once per entry."""

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
    new: dict = {}  # (section, name, site) -> the texts there, in order
    still: dict = {}  # (section, name) -> the texts the old template held already, with their sites
    for section, name, entry, ref in _sites(ctx, defined):
        if ref.kind != BAD_SUB or not isinstance(entry, dict):
            continue
        if name.startswith(LOOP_PREFIX) or _in_loop(entry, ref.keys):
            continue  # a loop's ${Identifier} and &{Identifier} are its own
        rd = ctx.diff(name) if section == "Resources" else None
        if rd is not None and rd.ignored:
            continue
        if any(r.kind == BAD_SUB and r.target == ref.target for r in old_references(ctx, section, name)):
            texts = still.setdefault((section, name), {})
        else:
            texts = new.setdefault((section, name, ref.keys), {})
        texts.setdefault(ref.target, ref.keys)
    for (section, name, keys), texts in new.items():
        who = name if section == "Resources" else f"{section[:-1]} {name}"
        path = pointer(keys)
        first = _shown(next(iter(texts)))
        yield Finding(
            ID,
            SEVERITY,
            name,
            f"{who} has ${{{first}}}{_more(texts)} in an Fn::Sub at {path}, which is not a variable name "
            "(only letters, digits, _, . and :): CloudFormation rejects the template; "
            f"to keep the text as written (a shell's or a script's own ${{...}}), write ${{!{first}}}",
            path,
            ctx.new.position((section, name) + keys),
        )
    for (section, name), texts in still.items():
        who = name if section == "Resources" else f"{section[:-1]} {name}"
        text, keys = next(iter(texts.items()))
        path = pointer(keys)
        yield Finding(
            ID,
            "info",
            name,
            f"{who} still has ${{{_shown(text)}}}{_more(texts)} in an Fn::Sub at {path}, which is not a variable "
            "name: CloudFormation rejects the template before and after this change; write ${!...} to keep such text",
            path,
            ctx.new.position((section, name) + keys),
        )


def _more(texts: dict) -> str:
    return f" (and {len(texts) - 1} more)" if len(texts) > 1 else ""
