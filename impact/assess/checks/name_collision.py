"""A resource added with the physical name of one removed.

CloudFormation creates the resources an update adds before it deletes the
ones it removes (in the clean-up phase), so when a removed and an added
resource of one type set the same physical name (``rules/names.json``, or a
replacing ``Name`` / ``<Type>Name`` property), in the same parent where
names are unique only within one (an API Gateway stage in its API), the
name is still taken and creating the new resource fails.

Severity: an error; a warning when either resource has a ``Condition``,
for then both exist only when both conditions hold.  A pair that the
``rename`` check already reports is left to it."""

from __future__ import annotations

import json

from ...diff.differ import FOREACH
from ...model import ADD, REMOVE, Finding
from .custom_name_replacement import same_name
from .rename import pairs

ID = "name-collision"
SEVERITY = "error"
HELP = (
    "CloudFormation creates an added resource before it deletes a removed one, so an added resource "
    "that takes the physical name of a removed one fails to create."
)


def _shown(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(", ", ": "))


def check(ctx):
    renamed = {(gone.logical_id, fresh.logical_id) for gone, fresh, _ in pairs(ctx)}
    removed = [rd for rd in ctx.resources(REMOVE) if rd.type != FOREACH]
    taken: set = set()
    for fresh in ctx.resources(ADD):
        after = ctx.new.resources.get(fresh.logical_id)
        if fresh.type == FOREACH or not isinstance(after, dict):
            continue
        for gone in removed:
            before = ctx.old.resources.get(gone.logical_id)
            if gone.type != fresh.type or gone.logical_id in taken or not isinstance(before, dict):
                continue
            prop = same_name(ctx, fresh.type, before, after)
            if prop is None:
                continue
            taken.add(gone.logical_id)
            if (gone.logical_id, fresh.logical_id) in renamed:
                break  # the rename finding says the create fails
            conditional = "Condition" in before or "Condition" in after
            value = _shown(after["Properties"][prop])
            message = (
                f"{fresh.logical_id} is added with {prop} {value}, the name of {gone.logical_id}, which is removed: "
                f"CloudFormation creates {fresh.logical_id} before it deletes {gone.logical_id}, so the name is "
                f"still taken and the update fails"
            )
            if conditional:
                message += " (when the conditions of both resources hold)"
            message += (
                f"; keep the logical ID {gone.logical_id}, give {fresh.logical_id} another {prop}, "
                f"or remove {gone.logical_id} in an earlier update"
            )
            yield Finding(
                ID,
                "warning" if conditional else SEVERITY,
                fresh.logical_id,
                message,
                "/Properties/" + prop,
                ctx.new.position(("Resources", fresh.logical_id, "Properties", prop)),
            )
            break
