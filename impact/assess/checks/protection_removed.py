"""A safeguard is switched off: encryption at rest, deletion protection,
backups, access logging, key rotation, or a DeletionPolicy or
UpdateReplacePolicy that kept a resource's data.

The safeguards and the values that switch them on are reviewed data,
``rules/protections.json``, each entry with the page that documents it; what
the two policies keep is :mod:`impact.assess.retention`'s.  A safeguard whose
new value is set at deploy time (a ``Ref`` or ``Fn::If``) may be off, and is
reported too.

Severity: info for a policy of a type CloudFormation deletes only when empty
(an S3 bucket): without the policy it still deletes none of the data.  An
UpdateReplacePolicy weakened on a resource that this very change replaces is
left to ``stateful-replacement``, which says what the replacement deletes."""

from __future__ import annotations

from ..retention import POLICIES, stateful
from ._security import finding, rows

ID = "protection-removed"
SEVERITY = "warning"
HELP = "A safeguard against data loss or exposure is switched off, and nothing else in the stack takes its place."


def check(ctx):
    for row in rows(ctx, family="protection", public=False):
        severity = SEVERITY
        if row.path.lstrip("/") in POLICIES:
            if row.path == "/UpdateReplacePolicy" and ctx.replaced(row.logical_id):
                continue
            if (stateful(ctx.book, row.type) or {}).get("not_emptied"):
                severity = "info"
        yield finding(ID, severity, row)
