"""SARIF 2.1.0 for GitHub code scanning.

One rule per disruptive label (``change/<label>``, plus ``resource/removed``),
per finding id (``finding/<id>``) and per kind of template warning
(``template/duplicate-key``).  A result per disruptive change, per
removed resource and per finding, located at the new template's line; its
``partialFingerprints`` hash what it is about (template, rule, logical ID,
path), never its line, so an alert survives edits above it.  Messages are
plain text with SARIF's link syntax escaped.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import PurePath
from urllib.parse import quote

from .. import __version__, levels
from ..assess.checks import help_texts
from ..load.typed import Unstated
from ..model import DUPLICATE_KEY, LOOSE_JSON, MODIFY, REMOVE
from . import common

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
REMOVED = "removed"
FINGERPRINT = "impact/v1"

# The labels and actions that are results, each at impact/levels.py's level.
REPORTED = (*common.DISRUPTIVE, REMOVED)
PHRASES = {
    "replacement": "will be replaced",
    "not-updatable": "cannot be updated",
    "conditional": "may be replaced or interrupted",
    "unknown": "changes in a way no rule covers",
    "some-interruptions": "is interrupted during the update",
    REMOVED: "is removed from the template",
}
TITLES = {
    "replacement": "Replacement",
    "not-updatable": "NotUpdatable",
    "conditional": "ConditionalReplacement",
    "unknown": "UnknownUpdateBehaviour",
    "some-interruptions": "SomeInterruptions",
    REMOVED: "ResourceRemoved",
}


def _text(value) -> str:
    """Plain SARIF message text: one line, brackets escaped so that no
    template content can form an embedded link."""
    text = re.sub(r"\\(?=[\[\]])", r"\\\\", common.one_line(value))
    return text.replace("[", "\\[").replace("]", "\\]")


# What each kind of template warning says, as the rule's description.
WARNINGS = {
    DUPLICATE_KEY: "A mapping key is given more than once: CloudFormation accepts the template and uses the last one.",
    LOOSE_JSON: "A JSON template is not valid JSON (a trailing comma, a tab in a string) but valid YAML, as CloudFormation reads it.",
}


def rule_id(key: str, finding: bool = False, warning: bool = False) -> str:
    if finding:
        return f"finding/{key}"
    if warning:
        return f"template/{key}"
    return f"resource/{key}" if key == REMOVED else f"change/{key}"


def _descriptor(rid: str, name: str, short: str, level: str, tags: list) -> dict:
    return {
        "id": rid,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": short},
        "help": {"text": short},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": tags},
    }


def _finding_ids(report) -> list:
    known = list(help_texts())
    seen = {f.id for s in report.stacks for f in s.findings}
    return known + sorted(seen - set(known))


def rules(report) -> list:
    out = []
    for label in REPORTED:
        description = common.DESCRIPTIONS[label]
        short = description[0].upper() + description[1:] + "."
        tags = ["cloudformation", "update-behaviour"]
        out.append(_descriptor(rule_id(label), TITLES[label], short, levels.sarif(label), tags))
    for kind in sorted({w.kind for s in report.stacks for w in s.warnings}):
        short = WARNINGS.get(kind, f"impact reads the template as CloudFormation does, with a warning ({kind}).")
        name = "".join(part.capitalize() for part in kind.split("-"))
        out.append(_descriptor(rule_id(kind, warning=True), name, short, "warning", ["cloudformation", "template"]))
    for fid in _finding_ids(report):
        short = common.finding_help(fid) or f"impact finding {fid}."
        name = "".join(part.capitalize() for part in fid.split("-"))
        out.append(_descriptor(rule_id(fid, True), name, short, "warning", ["cloudformation", "finding"]))
    return out


# ``REF:path``, as a git range names a template of its base revision.  No
# ref starts with "/" or holds a backslash, and a letter before the colon is
# a Windows drive (``C:\x.yaml``), not a ref; the path after it is relative.
_REF_PATH = re.compile(r"^(?![A-Za-z]:|/)[^:\\]+:(?=[^/\\])")


def repository_path(path: str) -> str:
    """``path`` without the ``REF:`` in front of a git revision's template:
    ``main:stacks/app.yaml`` is ``stacks/app.yaml``."""
    return _REF_PATH.sub("", path, count=1)


def artifact_uri(stack) -> str:
    """The template's path as a URI: relative and percent-encoded where
    possible (``stacks/s%20p%23.yaml``), a ``file:`` URI for an absolute path
    on another drive.  A deleted template is located at its path in the
    repository, without the revision it was read from."""
    path = stack.new or (repository_path(stack.old) if stack.old else stack.name)
    if os.path.isabs(path):
        try:
            path = os.path.relpath(path)
        except ValueError:  # another drive
            return PurePath(path).as_uri()
    return quote(PurePath(path).as_posix(), safe="/")


def _location(uri: str, position, logical_id=None, path=None, kind="resource") -> dict:
    """Where a result is: its ``(line, column)`` in the new template, and the
    logical ID it is about."""
    line, column = position
    physical = {"artifactLocation": {"uri": uri}, "region": {"startLine": max(1, line), "startColumn": max(1, column)}}
    out = {"physicalLocation": physical}
    if logical_id:
        name = logical_id + (path or "")
        out["logicalLocations"] = [{"name": logical_id, "fullyQualifiedName": name, "kind": kind}]
    return out


class _Results:
    def __init__(self, index: dict):
        self.index = index
        self.items = []
        self.seen: dict = {}

    def add(self, rid: str, level: str, text: str, location: dict, key: tuple, properties: dict) -> None:
        digest = hashlib.sha256("\x1f".join(map(str, (rid,) + key)).encode("utf-8")).hexdigest()[:32]
        n = self.seen[digest] = self.seen.get(digest, 0) + 1
        self.items.append({
            "ruleId": rid,
            "ruleIndex": self.index[rid],
            "level": level,
            "message": {"text": text},
            "locations": [location],
            "partialFingerprints": {FINGERPRINT: digest if n == 1 else f"{digest}:{n}"},
            "properties": properties,
        })


def _change_message(rd, c) -> str:
    before, after = common.value_pair(c.before, c.after, 80)
    values = f"from {_text(before)} to {_text(after)}"
    if isinstance(c.before, Unstated) and isinstance(c.after, Unstated):
        values = f"({common.UNSTATED_BOTH})"
    text = f"{_text(rd.logical_id)} ({_text(rd.type)}) {PHRASES[c.impact]}: {_text(c.path or '(whole resource)')} " \
           f"changes {values}."
    why = common.reasons(c, text=_text, code=_text) + [_text(p) for p in common.provenance(rd)]
    return text + (" " + "; ".join(why) + "." if why else "")


def render(report, **_options) -> str:
    descriptors = rules(report)
    results = _Results({r["id"]: i for i, r in enumerate(descriptors)})
    for stack in report.stacks:
        uri = artifact_uri(stack)
        resources = {rd.logical_id: rd for rd in stack.resources}
        access = common.access_marks(stack)
        for rd in common.sorted_resources(stack):
            if rd.ignored:
                continue
            props = {"stack": stack.name, "logicalId": rd.logical_id, "resourceType": rd.type}
            if access.get(rd.logical_id):  # its security mark: public, admin, opens, unprotected
                props["access"] = access[rd.logical_id]
            if rd.action == REMOVE:
                how = f"is deleted ({_text(rd.exists)})" if rd.exists else PHRASES[REMOVED]
                text = f"{_text(rd.logical_id)} ({_text(rd.type)}) {how}: {common.removal(rd)}."
                location = _location(uri, common.new_position(rd), rd.logical_id)
                level = levels.sarif("info") if rd.retained else levels.sarif(REMOVED)
                results.add(rule_id(REMOVED), level, text, location, (uri, rd.logical_id),
                            dict(props, label=REMOVED))
                continue
            if rd.action != MODIFY:
                continue
            for c in rd.changes:
                if c.ignored or c.impact not in REPORTED:
                    continue
                position = common.new_position(rd, c.position, in_old=c.kind == REMOVE)
                results.add(rule_id(c.impact), levels.sarif(c.impact), _change_message(rd, c),
                            _location(uri, position, rd.logical_id, c.path), (uri, rd.logical_id, c.path),
                            dict(props, path=c.path, label=c.impact))
        for w in stack.warnings:
            # One in the old revision is located at line 1 of the new template, and names its place.
            ours = w.file == stack.new
            text = _text(w.message if ours else str(w))
            location = _location(uri, (w.line, w.column) if ours else (1, 1))
            results.add(rule_id(w.kind, warning=True), "warning", text, location, (uri, w.kind, w.pointer or w.message),
                        {"stack": stack.name, "file": w.file, "pointer": w.pointer})
        for f in common.sorted_findings(stack.findings):
            rd = resources.get(f.logical_id)
            position = common.new_position(rd, f.position)
            subject = f"{_text(f.logical_id)}: " if f.logical_id else ""
            kind = "resource" if rd is not None else "object"  # else an output
            results.add(rule_id(f.id, True), levels.sarif(f.severity), subject + _text(f.message),
                        _location(uri, position, f.logical_id, f.path, kind), (uri, f.logical_id or "", f.path or ""),
                        {"stack": stack.name, "logicalId": f.logical_id, "severity": f.severity})
    driver = {"name": "impact", "version": __version__, "semanticVersion": __version__, "rules": descriptors}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": results.items,
            "properties": {"rules": report.rules_info, "verdict": {
                "level": levels.verdict_word(common.verdict_tier(report.stacks)),
                "mark": common.verdict_mark(report.stacks),
                "text": common.verdict(report.stacks),
            }},
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
