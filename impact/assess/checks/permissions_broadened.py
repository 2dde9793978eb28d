"""An IAM grant is added or widened.

:mod:`impact.assess.iam` compares the policies as grants (effect, principal,
action, resource, condition), so formatting never counts.  It opens access
when a statement is added, an action, resource or principal widened
(wildcards, ``NotAction``, ``NotResource``, ``NotPrincipal`` with Allow), a
Deny removed or narrowed, a condition removed or relaxed, a managed policy
attached, a permissions boundary removed or a trust policy widened.
Severity: an error for administrator-equivalent grants, those that can take
over the account (``*`` on ``*``, writing IAM policies, credentials of any
user, ``sts:AssumeRole`` on ``*``, ``iam:PassRole`` on ``*`` with a compute
service: the list, with its sources, is in ``rules/security.json``; an
AWS-managed admin policy such as ``AdministratorAccess``); info for what
every such resource has (a new Lambda function's standard execution role);
a warning otherwise.  A grant that anyone can use is :mod:`public_exposure`'s."""

from __future__ import annotations

from ._security import finding, rows

ID = "permissions-broadened"
SEVERITY = "warning"
HELP = "An IAM grant is added or widened: someone can do more than before."


def check(ctx):
    for row in rows(ctx, family="permissions", public=False):
        yield finding(ID, "error" if row.admin else "info" if row.routine else SEVERITY, row)
