"""A removed and an added resource that look like one renamed.

Two resources are one renamed when they have the same type and at least 80%
of their (path, value) leaves are equal (Metadata, which holds the CDK path,
left out: :mod:`impact.assess.renames`).  Severity: an error when both set
the same physical name in the same parent
(:func:`~.custom_name_replacement.same_name`), for then creating the new one
fails; a warning otherwise."""

from __future__ import annotations

from ...model import Finding
from .custom_name_replacement import same_name

ID = "rename"
SEVERITY = "warning"
HELP = (
    "A new logical ID is a new resource to CloudFormation: it creates the new one and deletes the old one, "
    "even when nothing else changed."
)


def pairs(ctx) -> list:
    """``[(removed, added, similarity)]``: the renames (:mod:`impact.assess.renames`)."""
    return ctx.renames


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
