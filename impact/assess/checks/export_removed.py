"""An exported output removed, or its export name changed or dropped."""

from __future__ import annotations

from ..knockon import entries
from ...model import Finding

ID = "export-removed"
SEVERITY = "warning"
HELP = "CloudFormation refuses to remove an export while another stack imports it."


def exported(ctx):
    """``[(name, old output, new output or None)]`` for every output the old template exports."""
    before, after = entries(ctx.old, "Outputs"), entries(ctx.new, "Outputs")
    return [
        (name, out, after.get(name) if isinstance(after.get(name), dict) else None)
        for name, out in before.items()
        if isinstance(out, dict) and "Export" in out
    ]


def check(ctx):
    for name, old_out, new_out in exported(ctx):
        if new_out is None:
            yield Finding(
                ID,
                SEVERITY,
                name,
                f"{name} is an exported output and is removed: "
                "CloudFormation refuses this while another stack imports it",
            )
        elif new_out.get("Export") != old_out["Export"]:
            what = "its Export is removed" if "Export" not in new_out else "its export name changes"
            yield Finding(
                ID,
                SEVERITY,
                name,
                f"{name} is an exported output and {what}, so the old export disappears: "
                "CloudFormation refuses this while another stack imports it",
                "/Export",
                ctx.new.position(("Outputs", name)),
            )
