"""A change the service refuses, known from the values before and after
(``rules/value_conditions.json``): allocated storage decreased, a major engine
upgrade not allowed, more than one global secondary index created or deleted,
a user pool attribute changed or removed, a custom resource's service token
changed (its value too: the function it names is replaced).  One finding per resource and
reason, naming every path it covers."""

from __future__ import annotations

from ...model import MODIFY, NOT_UPDATABLE, Finding
from . import because

ID = "update-rejected"
SEVERITY = "error"
HELP = "The service refuses this change of value, so the stack update fails and rolls back."


def check(ctx):
    for rd in ctx.resources(MODIFY):
        reasons: dict = {}  # why -> (what to do instead, the changes)
        for c in rd.changes:
            v = c.verdict
            # A knock-on that only may change is conditional: not a rejection for sure.
            if v is not None and v.rejected is not None and v.label == NOT_UPDATABLE and not c.ignored:
                reasons.setdefault(v.rejected_why, (v.rejected, []))[1].append(c)
        for why, (instead, hits) in reasons.items():
            paths = ", ".join(dict.fromkeys(c.path for c in hits))
            causes = {because(c) for c in hits}
            cause = causes.pop() if len(causes) == 1 else ""
            yield Finding(
                ID,
                SEVERITY,
                rd.logical_id,
                f"{rd.logical_id}: {paths} {'changes' if len(hits) == 1 else 'change'}{cause} and {why}, "
                f"so the update fails; {instead}",
                hits[0].path,
                hits[0].position,
            )
