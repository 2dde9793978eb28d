"""Writing the rules table's files (reading them is :mod:`impact.paths`).

The table lives in ``rules/`` as one JSON file per resource type and layer
(``rules/docs/AWS-MSK-Cluster.json``, ``rules/schema/AWS-MSK-Cluster.json``).
Files are written with sorted keys and one rule per line, so that a
regeneration shows up as a small, reviewable diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def _dumps(value, depth: int) -> str:
    """JSON text with sorted keys: mappings of mappings are expanded one key a
    line; anything else (a rule, a list, a scalar) stays on one line.  Top-level
    lists of scalars are expanded one item a line."""
    pad = " " * (depth + 1)
    if isinstance(value, dict) and value and (depth == 0 or all(isinstance(v, dict) for v in value.values())):
        items = [f"{pad}{json.dumps(k)}: {_dumps(value[k], depth + 1)}" for k in sorted(value)]
        return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}"
    if isinstance(value, list) and depth == 1 and value and all(not isinstance(v, (dict, list)) for v in value):
        items = [f"{pad}{json.dumps(v, sort_keys=True)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * depth + "]"
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def dumps(obj: dict) -> str:
    return _dumps(obj, 0) + "\n"


def write_json(path: Path, obj: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dumps(obj)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
