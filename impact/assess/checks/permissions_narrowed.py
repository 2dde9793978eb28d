"""An IAM grant is removed or narrowed: the mirror of :mod:`permissions_broadened`.

Worth a look all the same: a grant something still relies on breaks it."""

from __future__ import annotations

from ._security import CLOSES, finding, rows

ID = "permissions-narrowed"
SEVERITY = "info"
HELP = "An IAM grant is removed or narrowed: check that nothing still relies on it."


def check(ctx):
    for row in rows(ctx, CLOSES, family="permissions"):
        yield finding(ID, SEVERITY, row)
