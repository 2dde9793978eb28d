"""Where the bundled data lives: ``rules/`` and ``reports/`` in a checkout,
``impact/rules_data`` and ``impact/report_templates`` once installed; how a
file of the rules table is named and read."""

from __future__ import annotations

import json
import os
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def _package_dir(package: str, checkout_name: str, marker: str) -> Path:
    try:
        module = __import__(package, fromlist=["__path__"])
        for p in getattr(module, "__path__", []):
            if (Path(p) / marker).exists():
                return Path(p)
    except ImportError:
        pass
    return _CHECKOUT / checkout_name


def rules_dir() -> Path:
    env = os.environ.get("IMPACT_RULES_DIR")
    if env:
        return Path(env)
    return _package_dir("impact.rules_data", "rules", "attributes.json")


def reports_dir() -> Path:
    return _package_dir("impact.report_templates", "reports", "base.css")


def type_filename(type_name: str) -> str:
    """``AWS::MSK::Cluster`` -> ``AWS-MSK-Cluster.json`` (type names are alphanumeric)."""
    return type_name.replace("::", "-") + ".json"


def read_json(path: Path):
    with open(path, "rb") as fh:
        return json.loads(fh.read())
