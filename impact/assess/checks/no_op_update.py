"""A change set that updates no resource."""

from __future__ import annotations

from ...model import MODIFY, Finding

ID = "no-op-update"
SEVERITY = "info"
HELP = (
    "Changes to Conditions, Mappings nothing uses, template Metadata or update and deletion policies alone "
    "update no resource, and CloudFormation rejects the update as having no changes."
)
# What CloudFormation does not count as an update on its own.
INERT_SECTIONS = ("Conditions", "Mappings", "Metadata")
INERT_ATTRIBUTES = ("CreationPolicy", "DeletionPolicy", "UpdatePolicy", "UpdateReplacePolicy")


def check(ctx):
    stack = ctx.stack
    if not (stack.resources or stack.sections) or ctx.knock.outputs:
        return
    inert_resources = all(
        rd.action == MODIFY and all(c.keys and c.keys[0] in INERT_ATTRIBUTES for c in rd.changes)
        for rd in stack.resources
    )
    if not inert_resources or any(sc.section not in INERT_SECTIONS for sc in stack.sections):
        return
    what = [s for s in INERT_SECTIONS if any(sc.section == s for sc in stack.sections)]
    what += [a for a in INERT_ATTRIBUTES if any(c.keys[0] == a for rd in stack.resources for c in rd.changes)]
    yield Finding(
        ID,
        SEVERITY,
        None,
        f"only {', '.join(what)} change: no resource is updated, so CloudFormation rejects the update "
        "as containing no changes; deploy it together with a resource change (a resource's Metadata will do)",
    )
