"""The ``schema`` layer of the rules table, built from the CloudFormation
registry schemas that ship inside the ``cfn-lint`` package.

cfn-lint is never imported: its package folder is located without executing
it and its data files are read directly.  Two layouts are understood:

* ``data/schemas/providers/us-east-1.json`` maps each type name to a hash and
  the schema is ``data/schemas/resources/<hash>.json`` (``version.json`` next
  to them may hold the schema date);
* ``data/schemas/providers/us_east_1/<service-resource>.json``, one schema per
  type.

See ``rules/README.md`` for the format of the files written here.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import time
from datetime import datetime, timezone
from pathlib import Path

from ..model import CONDITIONAL, NO_INTERRUPTION, REPLACEMENT, worst
from ..classify.rules import READ_ONLY, REVIEWED, UNDECIDED, UNREVIEWED, layers_agree, review_of, settle

READ_ONLY_BRANCH = "read-only in the schema: the docs decide"
from ..paths import read_json, type_filename
from .rulesio import write_json

COMBINATORS = ("allOf", "anyOf", "oneOf")
MAX_DEPTH = 16  # bound on nested combinators and on the docs/schema comparison walk



class BuildError(Exception):
    """The schema source is missing or unreadable."""


def find_schema_dir() -> tuple[Path, str, str]:
    """The installed cfn-lint's ``data/schemas`` folder, its version and its schema date."""
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise BuildError("cfn-lint is not installed; install the build extra: pip install -e '.[build]' in a clone of impact")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "schemas"
    if not (folder / "providers").is_dir():
        raise BuildError(f"no registry schemas under {folder}")
    try:
        version = importlib.metadata.version("cfn-lint")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return folder, version, schema_date(folder)


def schema_date(folder: Path) -> str:
    """``schema_date`` from ``version.json``, else the date of the newest schema file, else ``unknown``."""
    version_file = folder / "version.json"
    if version_file.is_file():
        date = read_json(version_file).get("schema_date")
        if date:
            return date
    mtimes = [f.stat().st_mtime for f in folder.rglob("*.json")]
    if not mtimes:
        return "unknown"
    return datetime.fromtimestamp(max(mtimes), timezone.utc).strftime("%Y-%m-%d")


def _schemas(folder: Path):
    """Yield ``(type name, schema)`` for every us-east-1 resource type."""
    index = folder / "providers" / "us-east-1.json"
    per_type = folder / "providers" / "us_east_1"
    if index.is_file():
        for type_name, digest in sorted(read_json(index).items()):
            path = folder / "resources" / f"{digest}.json"
            yield type_name, read_json(path)
    elif per_type.is_dir():
        for path in sorted(per_type.glob("*.json")):
            schema = read_json(path)
            if "typeName" in schema:
                yield schema["typeName"], schema
    else:
        raise BuildError(f"no us-east-1 provider schemas under {folder}")


def _pointer(pointer: str) -> str:
    """``/properties/Rules/*/Name`` -> ``/Rules/Name``."""
    parts = pointer.split("/")
    if parts[:2] == ["", "properties"]:
        parts = parts[2:]
    return "/" + "/".join(p for p in parts if p and p != "*")


def _pointers(pointers) -> list:
    return sorted({_pointer(p) for p in pointers or ()})


def _is_array(node: dict) -> bool:
    kind = node.get("type")
    return "items" in node or kind == "array" or (isinstance(kind, list) and "array" in kind)


class _Converter:
    """Turns one registry schema's properties into NODEs, adding a definition
    for every object a NODE refers to (named after the schema's definition, or
    ``<Parent>.<Property>`` for an inline or merged object)."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.definitions: dict = {}
        self.synthetic: dict = {}  # id(inline schema) -> its definition name

    def _deref(self, node):
        """Follow local ``$ref`` links; return the target and the last definition name."""
        name, seen = None, set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            parts = node["$ref"].split("/")
            if len(parts) != 3 or parts[0] != "#" or parts[2] not in (self.schema.get(parts[1]) or {}):
                break
            name = parts[2] if parts[1] == "definitions" else None
            node = self.schema[parts[1]][parts[2]]
        return (node if isinstance(node, dict) else {}), name

    def _object(self, node, depth: int = 0) -> tuple:
        """``(definition name or None, properties)`` of an object schema, its
        combinator alternatives merged in (the first to define a property wins)."""
        node, name = self._deref(node)
        own = node.get("properties")
        own = own if isinstance(own, dict) else {}
        alternatives = []
        if depth < MAX_DEPTH:
            alternatives = [self._object(alt, depth + 1) for key in COMBINATORS for alt in node.get(key) or ()]
            alternatives = [alt for alt in alternatives if alt[1]]
        if not own and len(alternatives) == 1:
            return alternatives[0]
        merged = dict(own)
        for _, props in alternatives:
            for prop, sub in props.items():
                merged.setdefault(prop, sub)
        return name, merged

    def node(self, sub, parent: str, prop: str) -> dict:
        out: dict = {}
        target, _ = self._deref(sub)
        if _is_array(target):
            out["array"] = True
            order = sub.get("insertionOrder", target.get("insertionOrder")) if isinstance(sub, dict) else None
            if order is False:
                out["insertion_order"] = False
            sub = target.get("items")
            for _ in range(MAX_DEPTH):  # nested arrays: pointers carry no list indexes
                inner, _ = self._deref(sub)
                if not _is_array(inner):
                    break
                sub = inner.get("items")
        name, props = self._object(sub)
        if props:
            if name is None:
                name = self._synthetic_name(sub, f"{parent}.{prop}")
            self.define(name, props)
            out["ref"] = name
        return out

    def _synthetic_name(self, sub, base: str) -> str:
        key = id(self._deref(sub)[0])
        if key not in self.synthetic:
            taken = set(self.synthetic.values()) | set(self.schema.get("definitions") or ())
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base}.{n}"
            self.synthetic[key] = name
        return self.synthetic[key]

    def define(self, name: str, props: dict) -> None:
        if name in self.definitions:
            return
        self.definitions[name] = nodes = {}  # registered first: definitions may be recursive
        for prop, sub in sorted(props.items()):
            nodes[prop] = self.node(sub, name, prop)


def schema_facts(schema: dict) -> dict:
    """One registry schema as a ``schema/<Type>.json`` structure (``source`` not set)."""
    type_name = schema.get("typeName", "")
    converter = _Converter(schema)
    parent = type_name.rsplit("::", 1)[-1]
    properties = {
        prop: converter.node(sub, parent, prop) for prop, sub in sorted((schema.get("properties") or {}).items())
    }
    handlers = schema.get("handlers")
    tag_property = (schema.get("tagging") or {}).get("tagProperty")
    return {
        "conditional_create_only": _pointers(schema.get("conditionalCreateOnlyProperties")),
        "create_only": _pointers(schema.get("createOnlyProperties")),
        "definitions": converter.definitions,
        "properties": properties,
        "read_only": _pointers(schema.get("readOnlyProperties")),
        "tag_property": _pointer(tag_property) if tag_property else None,
        "type": type_name,
        "updatable": "update" in handlers if isinstance(handlers, dict) else True,
    }


def _rule_count(facts: dict) -> int:
    return len(facts["properties"]) + sum(len(nodes) for nodes in facts["definitions"].values())


def build_schema_layer(out_dir: Path, schema_dir: Path | None = None) -> dict:
    """Write ``out_dir/<Type>.json`` for every us-east-1 type and ``out_dir/_meta.json``.

    ``schema_dir`` is a cfn-lint ``data/schemas`` folder; by default the
    installed cfn-lint's (a folder given explicitly records version ``unknown``).
    Type files no longer in the schemas are removed.
    """
    start = time.perf_counter()
    if schema_dir is None:
        schema_dir, version, date = find_schema_dir()
    else:
        schema_dir = Path(schema_dir)
        version, date = "unknown", schema_date(schema_dir)
    source = "schema-" + date[:10]
    out_dir = Path(out_dir)
    written, rules = set(), 0
    for type_name, schema in _schemas(schema_dir):
        facts = schema_facts(dict(schema, typeName=type_name))
        facts["source"] = f"{source}/{type_name}"  # the registry schema of that type
        filename = type_filename(type_name)
        write_json(out_dir / filename, facts)
        written.add(filename)
        rules += _rule_count(facts)
    for stale in out_dir.glob("*.json"):
        if stale.name != "_meta.json" and stale.name not in written:
            stale.unlink()
    meta = {"cfn_lint": version, "rules": rules, "schema_date": date, "source": source, "types": len(written)}
    write_json(out_dir / "_meta.json", meta)
    return dict(meta, seconds=round(time.perf_counter() - start, 2))


def schema_verdict(facts: dict, path: str) -> str:
    """What the schema says a change at ``path`` (``/A/B``, no list indexes) does."""

    def covered(pointers) -> bool:
        return any(path == p or path.startswith(p + "/") for p in pointers)

    if not facts["updatable"] or covered(facts["create_only"]):
        return REPLACEMENT
    if covered(facts["conditional_create_only"]):
        return CONDITIONAL
    if covered(facts["read_only"]):
        return READ_ONLY
    return NO_INTERRUPTION


def _matched(property_types: dict, definitions: dict, rules: dict, nodes: dict, prefix="", above=NO_INTERRUPTION,
             seen=frozenset()):
    """Yield ``(path, docs label)`` for each docs rule whose property the schema
    also has.  The label is the most disruptive one on the path: what the docs
    layer says a change there does."""
    for prop, rule in sorted(rules.items()):
        node = nodes.get(prop)
        if node is None:
            continue
        path, label = f"{prefix}/{prop}", worst([above, rule["label"]])
        yield path, label
        pair = (rule.get("ref"), node.get("ref"))
        if all(pair) and pair not in seen and len(seen) < MAX_DEPTH:
            yield from _matched(
                property_types,
                definitions,
                property_types.get(pair[0]) or {},
                definitions.get(pair[1]) or {},
                path,
                label,
                seen | {pair},
            )


def _reviewed_layers(table: Path) -> dict:
    """``layers.json`` beside the layers, or the bundled table's."""
    from ..paths import rules_dir

    for folder in (table, rules_dir()):
        if (folder / "layers.json").is_file():
            return read_json(folder / "layers.json")
    return {}


def compare_layers(docs_dir: Path, schema_dir: Path) -> dict:
    """Count the properties on which the docs and schema layers disagree, and
    how many of them each branch of :func:`impact.classify.rules.settle` decides
    (``by_branch``), with the types that disagree most (``by_type``).  Where
    the docs say replacement and the schema says update, ``settled`` lists
    each path with the label it takes and the branch: reviewed (the review's
    label), reviewed and undecided, or not reviewed (both ``conditional``);
    ``stale`` lists the path entries of ``layers.json`` that settle nothing.

    Paths are compared as a change there would be labelled: by the most
    disruptive rule on the path in each layer."""
    compared, disagree, examples = 0, 0, []
    by_branch: dict = {}
    by_type: dict = {}
    settled: list = []
    layers = _reviewed_layers(Path(docs_dir).parent)
    used: set = set()
    for docs_file in sorted(Path(docs_dir).glob("*.json")):
        schema_file = Path(schema_dir) / docs_file.name
        if docs_file.name.startswith("_") or not schema_file.is_file():
            continue
        docs, facts = read_json(docs_file), read_json(schema_file)
        pairs = _matched(
            docs.get("property_types") or {},
            facts.get("definitions") or {},
            docs.get("properties") or {},
            facts.get("properties") or {},
        )
        for path, label in pairs:
            compared += 1
            verdict = schema_verdict(facts, path)
            if not layers_agree(label, verdict):
                disagree += 1
                if verdict == READ_ONLY:
                    branch, decided = READ_ONLY_BRANCH, label
                else:
                    review = review_of(layers, facts["type"], path)
                    decided, branch = settle(label, verdict, review and review["label"])
                    if branch == REVIEWED:
                        if "pointer" in review:
                            used.add((facts["type"], review["pointer"]))
                        if review.get("undecided"):
                            branch = UNDECIDED  # counted apart from the reviews that decide
                    if branch in (REVIEWED, UNDECIDED, UNREVIEWED):
                        settled.append((facts["type"], path, decided, branch))
                key = (branch, label, verdict, decided)
                by_branch[key] = by_branch.get(key, 0) + 1
                by_type.setdefault(facts["type"], {}).setdefault(key, 0)
                by_type[facts["type"]][key] += 1
                if len(examples) < 20:
                    examples.append((facts["type"], path, label, verdict))
    return {
        "compared": compared,
        "disagree": disagree,
        "examples": examples,
        "by_branch": by_branch,
        "by_type": by_type,
        "settled": settled,
        "stale": sorted(
            (type_name, ptr)
            for type_name, entries in layers.get("paths", {}).items()
            for ptr in entries
            if (type_name, ptr) not in used
        ),
    }
