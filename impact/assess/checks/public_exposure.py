"""Something becomes reachable by anyone.

Raised for every row of the security stage marked public
(:mod:`impact.assess.security` and :mod:`impact.assess.iam` decide which):

- ingress from ``0.0.0.0/0`` or ``::/0`` in a security group (a network-ACL
  entry alone is not: the security groups still stand behind it);
- a resource or trust policy, or a ``Lambda::Permission``, whose principal
  is ``*`` or ``{"AWS": "*"}`` with no condition that restricts it (the
  keys in ``rules/security.json``);
- an S3 public access block removed or relaxed, a public canned ACL,
  ``PubliclyAccessible: true``, a Lambda function URL with ``AuthType:
  NONE`` (``rules/exposure.json``)."""

from __future__ import annotations

from ._security import finding, rows

ID = "public-exposure"
SEVERITY = "error"
HELP = "After this change anyone on the internet, or any AWS account, can reach the resource or act on it."


def check(ctx):
    for row in rows(ctx, public=True):
        yield finding(ID, SEVERITY, row)
