"""An IAM grant is added or widened.

:mod:`impact.assess.iam` compares the policies as grants (effect, principal,
action, resource, condition), so formatting never counts.  It opens access
when a statement is added, an action, resource or principal widened
(wildcards, ``NotAction``, ``NotResource``, ``NotPrincipal`` with Allow), a
Deny removed or narrowed, a condition removed or relaxed, a managed policy
attached, a permissions boundary removed or a trust policy widened.
Severity: an error for administrator-equivalent grants (``*`` on ``*``, a
Permissions-management action on ``*``, an AWS-managed admin policy such as
``AdministratorAccess``), a warning otherwise.  A grant that anyone can use
is :mod:`public_exposure`'s."""

from __future__ import annotations

from ._security import finding, rows

ID = "permissions-broadened"
SEVERITY = "warning"
HELP = "An IAM grant is added or widened: someone can do more than before."


def check(ctx):
    for row in rows(ctx, family="permissions", public=False):
        yield finding(ID, "error" if row.admin else SEVERITY, row)
