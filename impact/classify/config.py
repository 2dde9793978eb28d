"""The user's configuration: ``.impact.yaml``.

Found from the current folder upwards, or given with ``--config``::

    fail_on: replacement            # the default --fail-on
    region: eu-west-1               # the stacks' region: AWS::Region, and where SAM templates are expanded
    overlay: .impact/rules          # pages added with `impact rules import-doc`
    overrides:
      - type: AWS::EC2::Instance
        path: /Properties/InstanceType
        label: some-interruptions
        reason: instances are stopped in the maintenance window anyway
    ignore:
      - type: Custom::*
        reason: custom resources are reviewed by their owners
      - path: /Metadata
        reason: metadata never changes the stack

``type`` and each ``/``-separated part of ``path`` may use shell wildcards.
A path covers everything below it.  Overrides and ignores are shown in every
report as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Optional

from ..load.loader import LoadError, decode, parse
from ..model import FAIL_ON_LEVELS, LABELS, UNKNOWN

CONFIG_NAME = ".impact.yaml"
OVERLAY_DEFAULT = Path(".impact") / "rules"
MAX_CONFIG_BYTES = 1024 * 1024
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]{1,2}\Z")  # eu-west-1, us-gov-west-1, cn-north-1


@dataclass
class Rule:
    """One override or ignore entry."""

    type: str = "*"
    path: str = ""
    reason: str = ""
    label: Optional[str] = None

    def matches_type(self, type_name: str) -> bool:
        return fnmatchcase(type_name, self.type)

    def matches_path(self, path: str) -> bool:
        if not self.path or self.path == "/":
            return True
        want = self.path.strip("/").split("/")
        have = path.strip("/").split("/") if path else []
        return len(have) >= len(want) and all(fnmatchcase(h, w) for h, w in zip(have, want))


@dataclass
class Config:
    path: Optional[str] = None
    fail_on: Optional[str] = None
    overlay: Optional[Path] = None
    overrides: list = field(default_factory=list)
    ignores: list = field(default_factory=list)
    region: Optional[str] = None

    def overlay_dir(self) -> Path:
        """Where a user's own doc pages live: the configured folder, or
        ``.impact/rules`` beside the config file (or in the current folder)."""
        if self.overlay is not None:
            return self.overlay
        base = Path(self.path).resolve().parent if self.path else Path.cwd()
        return base / OVERLAY_DEFAULT

    def override_for(self, type_name: str, path: str) -> Optional[Rule]:
        for rule in self.overrides:
            if rule.matches_type(type_name) and rule.matches_path(path):
                return rule
        return None

    def ignore_for(self, type_name: str, path: str = "") -> Optional[Rule]:
        """The entry that ignores this change (or, with no path, the whole resource)."""
        for rule in self.ignores:
            if rule.matches_type(type_name) and (rule.matches_path(path) if path else not rule.path):
                return rule
        return None


def find_config(start: Optional[Path] = None) -> Optional[Path]:
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def load_config(path: Optional[Path] = None) -> Config:
    """The configuration at ``path``, or the one found upwards, or the defaults."""
    if path is None:
        path = find_config()
    if path is None:
        return Config()
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise LoadError(name, None, None, f"cannot read config: {e.strerror or e}") from None
    text = decode(name, raw, MAX_CONFIG_BYTES)
    if not text.strip():
        return Config(path=name)
    data, positions, _ = parse(name, text, kind="an impact config")
    return _build(name, data, positions, Path(path).resolve().parent)


def _build(name: str, data: dict, positions, folder: Path) -> Config:
    def fail(keys, message):
        line, col = positions.find(keys) or (1, 1)
        raise LoadError(name, line, col, message)

    known = {"fail_on", "overlay", "overrides", "ignore", "region"}
    for key in data:
        if key not in known:
            fail((key,), f"unknown config key {key!r}; expected one of {', '.join(sorted(known))}")
    config = Config(path=name)

    fail_on = data.get("fail_on")
    if fail_on is not None:
        if fail_on not in FAIL_ON_LEVELS:
            fail(("fail_on",), f"fail_on must be one of {', '.join(FAIL_ON_LEVELS)}")
        config.fail_on = fail_on

    region = data.get("region")
    if region is not None:
        if not isinstance(region, str) or not REGION.match(region):
            fail(("region",), "region must be a region name such as eu-west-1")
        config.region = region

    overlay = data.get("overlay")
    if overlay is not None:
        if not isinstance(overlay, str) or not overlay:
            fail(("overlay",), "overlay must be a folder path")
        config.overlay = (folder / overlay).resolve()

    for section, target, needs_label in (("overrides", config.overrides, True), ("ignore", config.ignores, False)):
        entries = data.get(section)
        if entries is None:
            continue
        if not isinstance(entries, list):
            fail((section,), f"{section} must be a list")
        for i, entry in enumerate(entries):
            target.append(_entry(entry, (section, i), needs_label, fail))
    return config


def _entry(entry, keys, needs_label: bool, fail) -> Rule:
    section = keys[0]
    if not isinstance(entry, dict):
        fail(keys, f"each {section} entry must be a mapping")
    allowed = {"type", "path", "reason", "label"} if needs_label else {"type", "path", "reason"}
    for key in entry:
        if key not in allowed:
            fail(keys + (key,), f"unknown key {key!r} in {section}; expected {', '.join(sorted(allowed))}")
    for key in ("type", "path", "reason", "label"):
        if key in entry and not isinstance(entry[key], str):
            fail(keys + (key,), f"{key} must be a string")
    reason = (entry.get("reason") or "").strip()
    if not reason:
        fail(keys, f"each {section} entry needs a reason")
    if "type" not in entry and "path" not in entry:
        fail(keys, f"each {section} entry needs a type, a path or both")
    path = entry.get("path", "")
    if path and not path.startswith("/"):
        fail(keys + ("path",), "path must be a JSON Pointer starting with /, e.g. /Properties/InstanceType")
    label = entry.get("label")
    if needs_label:
        if label is None:
            fail(keys, "each override needs a label")
        if label not in LABELS or label == UNKNOWN:
            fail(keys + ("label",), f"label must be one of {', '.join(x for x in LABELS if x != UNKNOWN)}")
    return Rule(type=entry.get("type", "*"), path=path, reason=reason, label=label)
