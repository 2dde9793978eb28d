"""The JSON report: a versioned contract (``schema_version``).

``before``, ``after`` and an added resource's ``properties`` are the values as
the template writes them: ``22`` and ``false`` where they are written
unquoted, ``"22"`` where quoted (impact compares them as CloudFormation
does, as the same).  Where what a value resolves to is not what it says
(parameters, conditions, mappings), a change has ``resolved``: whether the
resolved value changes (``never``, ``always``, ``sometimes`` and ``when``),
the resolved ``before`` and ``after`` in the case shown, and the sentence the
other reports show."""

from __future__ import annotations

import json

from .. import levels
from ..model import ADD, MODIFY
from ..load.typed import Unstated, as_written
from . import common

SCHEMA_VERSION = 1


def _position(pos):
    return {"line": pos[0], "column": pos[1]} if pos else None


def _change(c) -> dict:
    v = c.verdict
    out = {
        "path": c.path,
        "kind": c.kind,
        "before": as_written(c.before),
        "after": as_written(c.after),
        "impact": c.impact,
        "rule": {
            "source": v.source if v else None,
            "note": v.note if v else None,
        },
    }
    unstated = [side for side, value in (("before", c.before), ("after", c.after)) if isinstance(value, Unstated)]
    if unstated:
        out["not_in_change_set"] = unstated  # null above: AWS gives no value, not "not set"
    if v and v.disagreement:
        out["rule"]["verdicts"] = [{"source": s.source, "label": s.label, "path": s.path} for s in v.sources]
    if v and v.override:
        out["rule"]["override"] = v.override
    if c.cause:
        out["cause"] = c.cause
        out["because"] = c.because
    if c.resolved is not None:
        r = c.resolved
        out["resolved"] = {"changes": r.changes, "before": as_written(r.before), "after": as_written(r.after),
                           "text": r.text}
        if r.when:
            out["resolved"]["when"] = r.when
    if c.ignored:
        out["ignored"] = c.ignored
    if c.position:
        out["position"] = _position(c.position)
    if c.changeset:
        out["change_set"] = c.changeset
    if c.offline is not None:
        out["offline"] = c.offline
        out["disagrees"] = c.disagrees
    if c.only:
        out["only"] = c.only
    return out


def _resource(rd, access=None) -> dict:
    out = {
        "logical_id": rd.logical_id,
        "type": rd.type,
        "action": rd.action,
        "impact": rd.impact if rd.action == MODIFY else None,
        # what its changes do to access, at worst: public, admin, opens, unprotected (None: nothing opens)
        "access": access,
        "changes": [_change(c) for c in rd.changes],
    }
    if rd.action == ADD and not rd.unstated:
        out["properties"] = as_written(rd.properties or {})
    if rd.exists:
        out["exists"] = rd.exists
    if rd.old_type:
        out["old_type"] = rd.old_type
    if rd.construct_path:
        out["construct_path"] = rd.construct_path
    if rd.origin:
        out["origin"] = {"type": rd.origin.type, "logical_id": rd.origin.logical_id}
    if rd.old_logical_id:
        out["old_logical_id"] = rd.old_logical_id
        out["event"] = rd.event
    if rd.goes_with:
        out["goes_with"] = rd.goes_with
    if rd.ignored:
        out["ignored"] = rd.ignored
    if rd.position:
        out["position"] = _position(rd.position)
    if rd.changeset:
        out["change_set"] = rd.changeset
    if rd.only:
        out["only"] = rd.only
    return out


def _finding(f) -> dict:
    out = {"id": f.id, "severity": f.severity, "logical_id": f.logical_id, "message": f.message, "path": f.path}
    if f.position:
        out["position"] = _position(f.position)
    if f.data:
        out["data"] = f.data
    if f.kept:
        out["kept"] = f.kept
    return out


def _section(s) -> dict:
    return {"section": s.section, "name": s.name, "path": s.path, "kind": s.kind, "before": as_written(s.before), "after": as_written(s.after)}


def _security(x) -> dict:
    out = {
        "logical_id": x.logical_id,
        "type": x.type,
        "family": x.family,
        "direction": x.direction,
        "change": x.change,
        "summary": x.summary,
        "path": x.path,
        "public": x.public,
        "admin": x.admin,
        "routine": x.routine,
        "fields": dict(x.fields),
    }
    if x.when:
        out["when"] = x.when
    if x.position:
        out["position"] = _position(x.position)
    return out


def _warning(w) -> dict:
    return {"kind": w.kind, "file": w.file, "line": w.line, "column": w.column, "message": w.message,
            "pointer": w.pointer}


def _verdict(stacks) -> dict:
    """The verdict over ``stacks``: its level (error, warning, note, none),
    its mark and its words, as every format's headline has them."""
    tier = common.verdict_tier(stacks)
    return {"level": levels.verdict_word(tier), "mark": levels.verdict_mark(tier), "text": common.verdict(stacks)}


def _stack(s) -> dict:
    access = common.access_marks(s)
    return {
        **({"change_set": s.changeset} if s.changeset else {}),
        "name": s.name,
        "old": s.old,
        "new": s.new,
        "verdict": _verdict([s]),
        "summary": s.summary(),
        "resources": [_resource(r, access.get(r.logical_id)) for r in s.resources],
        "findings": [_finding(f) for f in s.findings],
        "sections": [_section(x) for x in s.sections],
        "security": [_security(x) for x in s.security],
        "notes": list(s.notes),
        "warnings": [_warning(w) for w in s.warnings],
    }


def to_dict(report) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "verdict": _verdict(report.stacks),
        "rules": report.rules_info,
        "stacks": [_stack(s) for s in report.stacks],
    }


# Reports longer than this, written compactly, stay on one line: Python
# indents JSON only with its encoder written in Python, several times slower
# than the compact one, and such reports are read by programs.
INDENT_UP_TO = 256 * 1024


def render(report, **_options) -> str:
    data = to_dict(report)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if len(text) <= INDENT_UP_TO:
        text = json.dumps(data, indent=2, ensure_ascii=False)
    return text + "\n"
