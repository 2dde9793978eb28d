"""Where the bundled data lives: ``rules/`` and ``reports/`` in a checkout,
``impact/rules_data`` and ``impact/report_templates`` once installed."""

from __future__ import annotations

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
