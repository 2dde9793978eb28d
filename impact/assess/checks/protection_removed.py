"""A safeguard is switched off: encryption at rest, deletion protection,
backups, access logging, key rotation.

The safeguards and the values that switch them on are reviewed data,
``rules/protections.json``, each entry with the page that documents it.  A
safeguard whose new value is set at deploy time (a ``Ref`` or ``Fn::If``) may
be off, and is reported too."""

from __future__ import annotations

from ._security import finding, rows

ID = "protection-removed"
SEVERITY = "warning"
HELP = "A safeguard against data loss or exposure is switched off, and nothing else in the stack takes its place."


def check(ctx):
    for row in rows(ctx, family="protection", public=False):
        yield finding(ID, SEVERITY, row)
