"""A resource removed with a DeletionPolicy that retains it.

A resource that cannot outlive a parent this change deletes (a Lambda
version removed with its function) is deleted all the same: no finding."""

from __future__ import annotations

from ...model import REMOVE, Finding
from ..retention import deletion_policy, stateful
from ...model import RETAIN_POLICIES

ID = "retained-removal"
SEVERITY = "info"
HELP = (
    "A resource removed with DeletionPolicy Retain stays in the account outside any stack, "
    "still running and still billed, until someone deletes it."
)


def check(ctx):
    for rd in ctx.resources(REMOVE):
        if rd.goes_with:
            continue  # deleted with its parent all the same (see impact.assess.retention.mark_children)
        resource = ctx.old.resources.get(rd.logical_id)
        if not isinstance(resource, dict):
            continue
        info = stateful(ctx.book, rd.type)
        policy = deletion_policy(info, resource)
        if policy not in RETAIN_POLICIES:
            continue
        yield Finding(
            ID,
            SEVERITY,
            rd.logical_id,
            f"{rd.logical_id} is removed with DeletionPolicy {policy}: CloudFormation leaves the {rd.type} in the "
            "account, outside any stack (orphaned, not deleted), where it stays and is billed until someone deletes it",
            "/DeletionPolicy",
            rd.position,
            info["data"] if info else None,
            "retained",
        )
