"""What the security checks share: which rows of ``stack.security`` each one reports.

Every row that opens access raises exactly one finding, the most pointed
that applies: ``public-exposure`` when anyone can now reach the resource,
else the finding of its family.  Rows that close access raise
``permissions-narrowed`` for IAM grants and are shown, without a finding,
in the security section for the other families."""

from __future__ import annotations

from ...model import CLOSES, OPENS, Finding


def rows(ctx, direction: str = OPENS, family=None, public=None) -> list:
    return [
        r
        for r in ctx.stack.security
        if r.direction == direction
        and (family is None or r.family == family)
        and (public is None or r.public == public)
    ]


def finding(check_id: str, severity: str, row) -> Finding:
    return Finding(check_id, severity, row.logical_id, f"{row.logical_id} {row.summary}", row.path or None, row.position)


__all__ = ["CLOSES", "OPENS", "finding", "rows"]
