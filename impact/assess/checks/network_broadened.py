"""A security-group or network-ACL rule lets more traffic through.

A rule is added or widened (more ports, protocol ``-1``, a wider CIDR, an
IPv6 range, a prefix list or a source group), or a network-ACL deny entry
is removed or narrowed.  A rule already covered by one that stays is no
change; a rule open to the whole internet is :mod:`public_exposure`'s."""

from __future__ import annotations

from ._security import finding, rows

ID = "network-broadened"
SEVERITY = "warning"
HELP = "A network rule now lets more traffic reach or leave the resources it guards."


def check(ctx):
    for row in rows(ctx, family="network", public=False):
        yield finding(ID, SEVERITY, row)
