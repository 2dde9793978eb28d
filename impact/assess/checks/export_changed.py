"""An exported output's value changes: edited, or through a knock-on (the
resource it names is replaced, a parameter it reads changes)."""

from __future__ import annotations

from ...diff.equivalent import equal, mappings_of
from ..knockon import CERTAIN
from ...model import Finding
from .export_removed import exported

ID = "export-changed"
SEVERITY = "warning"
HELP = "CloudFormation refuses to change an exported output's value while another stack imports it."


def check(ctx):
    for name, old_out, new_out in exported(ctx):
        if new_out is None or new_out.get("Export") != old_out["Export"]:
            continue  # the export disappears: export-removed
        if not equal(old_out.get("Value"), new_out.get("Value"), mappings_of(ctx.old.data), mappings_of(ctx.new.data)):
            why = ""
        elif name in ctx.knock.outputs:
            sure, cause = ctx.knock.outputs[name]
            why = f" because {ctx.knock.cause(cause, sure)}"
            if sure != CERTAIN:
                yield _finding(ctx, name, "may change" + why)
                continue
        else:
            continue
        yield _finding(ctx, name, "changes" + why)


def _finding(ctx, name: str, verb: str) -> Finding:
    return Finding(
        ID,
        SEVERITY,
        name,
        f"{name} is an exported output and its value {verb}: CloudFormation refuses this while another stack imports it",
        "/Value",
        ctx.new.position(("Outputs", name)),
    )
