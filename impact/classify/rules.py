"""The rules table at run time: load a type's rules, look up a path.

Only the files of the resource types a template uses are read, so the cost
of loading rules follows the template, not the size of the table.  Each
layer (the docs, the registry schemas, a user's own overlay of doc pages)
gives its own verdicts; the classifier merges them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from .. import paths
from ..diff.differ import POLICIES, STATEMENTS
from ..model import CONDITIONAL, NO_INTERRUPTION, NOT_UPDATABLE, REPLACEMENT, SOME_INTERRUPTIONS, SourceVerdict, pointer, worst

READ_ONLY = "read-only"  # a schema verdict: the property is an output, not an input
READ_ONLY_NOTE = "read-only in the registry schema: an output of the resource, not expected in a template"

# What the schema can say: it cannot tell interruptions apart, and it calls a
# property that cannot be updated create-only.  So these are no disagreement.
_SCHEMA_TERMS = {SOME_INTERRUPTIONS: NO_INTERRUPTION, NOT_UPDATABLE: REPLACEMENT}


def layers_agree(docs_label: str, schema_label: str) -> bool:
    """Whether a docs label and a schema verdict say the same thing."""
    return _SCHEMA_TERMS.get(docs_label, docs_label) == _SCHEMA_TERMS.get(schema_label, schema_label)


# How the layers' disagreements are settled, one name per branch of the rule
# (``impact rules build`` counts them).
AGREE = "agree"
DOCS_REFINE = "docs refine the schema's update"
SCHEMA_REPLACEMENT = "schema's replacement over docs' update"
SCHEMA_CONDITIONAL = "schema's conditional replacement over docs' update"
DOCS_DECIDE = "docs decide the schema's conditional replacement"
REVIEWED = "docs' replacement against schema's update, reviewed"  # rules/layers.json gives the label
UNDECIDED = "docs' replacement against schema's update, reviewed and undecided: conditional"
UNREVIEWED = "docs' replacement against schema's update, not reviewed: conditional"
BRANCHES = (DOCS_REFINE, SCHEMA_REPLACEMENT, SCHEMA_CONDITIONAL, DOCS_DECIDE, REVIEWED, UNDECIDED, UNREVIEWED)
# What only the docs can say about an update: it interrupts, the service
# rejects it, or it depends on the values.
_REFINEMENTS = (SOME_INTERRUPTIONS, NOT_UPDATABLE, CONDITIONAL)
REVIEWED_SOURCE = "reviewed"  # a review's verdict: ``reviewed/<the page that shows it>``
UNREVIEWED_NOTE = (
    "the docs say a change replaces the resource and the registry schema says it updates in place; "
    "no review settles it, so it may replace"
)


def settle(docs_label: Optional[str], schema_label: Optional[str], reviewed: Optional[str] = None) -> tuple:
    """One label from the docs' and the schema's, and the branch that decided.

    The registry schema is the current word on replacement versus update: it
    decides whether a change replaces the resource (create-only; every
    property of a type without an update handler) or may replace it
    (conditionally create-only).  The docs refine an update: into some
    interruptions, an update the service rejects, or a change whose effect
    depends on the values; and where the schema says only that a change may
    replace, docs that say it replaces (or is rejected) decide.  Where the
    layers agree, or only one covers the path, the most disruptive label
    stands.

    Where the docs say a change replaces the resource and the schema says it
    updates in place, neither is trusted alone: a path reviewed in
    ``rules/layers.json`` takes its reviewed label (``reviewed``), any other
    is ``conditional``, never the schema's milder word.
    """
    if docs_label is None or schema_label is None:
        return (docs_label or schema_label), AGREE
    if layers_agree(docs_label, schema_label):
        return worst((docs_label, schema_label)), AGREE
    if schema_label == NO_INTERRUPTION:
        if docs_label in _REFINEMENTS:
            return docs_label, DOCS_REFINE
        if reviewed:
            return reviewed, REVIEWED
        return CONDITIONAL, UNREVIEWED
    if schema_label == REPLACEMENT:
        return REPLACEMENT, SCHEMA_REPLACEMENT
    # The schema says a change may replace the resource (conditionally
    # create-only): docs that say it does, or that it is rejected, decide.
    if docs_label in (REPLACEMENT, NOT_UPDATABLE):
        return docs_label, DOCS_DECIDE
    return CONDITIONAL, SCHEMA_CONDITIONAL


def review_of(layers: dict, type_name: str, ptr: str) -> Optional[dict]:
    """The entry of ``rules/layers.json`` that settles a disagreement at
    ``ptr`` (``/A/B``) of ``type_name``: the entry of the longest pointer at or
    above it, else the type's own entry, else None.  Each entry has a
    ``label``, a ``reason`` and a ``source``; a path entry also its
    ``pointer``."""
    entries = layers.get("paths", {}).get(type_name)
    if entries:
        at = ptr
        while at:
            entry = entries.get(at)
            if entry is not None:
                return dict(entry, pointer=at)
            at = at.rpartition("/")[0]
    return layers.get("types", {}).get(type_name)


CUSTOM_RESOURCE = "AWS::CloudFormation::CustomResource"


def is_custom(type_name: str) -> bool:
    """Whether ``type_name`` is a custom resource: ``Custom::X`` or its long form."""
    return type_name == CUSTOM_RESOURCE or type_name.startswith("Custom::")


def _is_function(key: str) -> bool:
    return key == "Ref" or key.startswith("Fn::")


POLICY_STATEMENT_LISTS = ("Action", "NotAction", "Resource", "NotResource")


def rule_keys(keys) -> tuple:
    """Path keys that take part in rule lookup: no list indices, no intrinsic
    functions.  A branch of ``Fn::If`` is a property value and lookup goes on
    inside it; inside any other function the keys are the function's own
    arguments (an ``Fn::Sub`` variable map), so lookup stops there."""
    out = []
    for k in keys:
        if not isinstance(k, str):
            continue
        if _is_function(k):
            if k == "Fn::If":
                continue
            break
        out.append(k)
    return tuple(out)


class DocRules:
    """One type's rules from a doc layer (the snapshot or an overlay)."""

    def __init__(self, data: dict):
        self.data = data
        self.source = data.get("source", "docs")

    def walk(self, keys):
        """Verdicts along ``keys`` and whether the whole path is covered."""
        props = self.data.get("properties", {})
        types = self.data.get("property_types", {})
        verdicts = []
        for i, key in enumerate(keys):
            rule = props.get(key)
            if rule is None:
                return verdicts, False
            verdicts.append(
                SourceVerdict(rule.get("source", self.source), rule["label"], rule.get("note"), pointer(keys[: i + 1]))
            )
            ref = rule.get("ref")
            if ref is None or ref not in types:
                return verdicts, True  # a leaf, a map or Json: it covers what lies below
            props = types[ref]
        return verdicts, True

    def rule(self, keys) -> Optional[dict]:
        props = self.data.get("properties", {})
        types = self.data.get("property_types", {})
        rule = None
        for key in keys:
            if props is None:
                return None
            rule = props.get(key)
            if rule is None:
                return None
            props = types.get(rule["ref"]) if "ref" in rule else None
        return rule

    def children(self, keys) -> dict:
        """The rules one level below ``keys`` (the type's properties for ``()``)."""
        if not keys:
            return self.data.get("properties", {})
        rule = self.rule(keys)
        if rule and "ref" in rule:
            return self.data.get("property_types", {}).get(rule["ref"], {})
        return {}


class SchemaRules:
    """One type's facts from its registry schema."""

    def __init__(self, data: dict):
        self.data = data
        self.source = data.get("source", "schema")
        self.create_only = set(data.get("create_only", ()))
        self.cond_create_only = set(data.get("conditional_create_only", ()))
        self.read_only = set(data.get("read_only", ()))
        self.updatable = data.get("updatable", True)

    def _node(self, keys):
        props = self.data.get("properties", {})
        defs = self.data.get("definitions", {})
        node = None
        for key in keys:
            if props is None:
                return node, True  # below a node without a definition: covered
            node = props.get(key)
            if node is None:
                return None, False
            props = defs.get(node["ref"]) if "ref" in node else None
        return node, True

    def label_at(self, ptr: str) -> str:
        if not self.updatable or ptr in self.create_only:
            return REPLACEMENT
        if ptr in self.cond_create_only:
            return CONDITIONAL
        if ptr in self.read_only:
            return READ_ONLY
        return NO_INTERRUPTION

    def walk(self, keys):
        verdicts = []
        props = self.data.get("properties", {})
        defs = self.data.get("definitions", {})
        for i, key in enumerate(keys):
            ptr = pointer(keys[: i + 1])
            if props is None:
                break  # free-form below this point; pointers may still name deeper paths
            node = props.get(key)
            if node is None:
                return verdicts, False
            verdicts.append(self._verdict(ptr))
            props = defs.get(node["ref"]) if "ref" in node else None
        else:
            return verdicts, True
        # Below a free-form node, only explicit pointers add anything.
        for j in range(i, len(keys)):
            ptr = pointer(keys[: j + 1])
            if ptr in self.create_only or ptr in self.cond_create_only or ptr in self.read_only:
                verdicts.append(self._verdict(ptr))
        return verdicts, True

    def _verdict(self, ptr: str) -> SourceVerdict:
        label = self.label_at(ptr)
        note = None
        if not self.updatable:
            note = "the registry schema has no update handler: every change replaces the resource"
        elif label == READ_ONLY:
            note = READ_ONLY_NOTE
        return SourceVerdict(self.source, label, note, ptr)

    def unordered(self, keys) -> bool:
        node, _ = self._node(keys)
        return bool(node) and node.get("insertion_order") is False

    def tag_property(self) -> Optional[str]:
        return self.data.get("tag_property")


class TypeRules:
    """Every layer's rules for one resource type."""

    def __init__(self, type_name: str, docs=None, schema=None, overlay=None):
        self.type_name = type_name
        self.docs: Optional[DocRules] = DocRules(docs) if docs else None
        self.schema: Optional[SchemaRules] = SchemaRules(schema) if schema else None
        self.overlay: Optional[DocRules] = DocRules(overlay) if overlay else None
        self.layers: dict = {}  # rules/layers.json: reviewed disagreements of the layers

    @property
    def known(self) -> bool:
        return bool(self.docs or self.schema or self.overlay)

    def doc_layer(self) -> Optional[DocRules]:
        """A user's own pages (``impact rules import-doc``) replace the docs for their type."""
        return self.overlay or self.docs

    def unordered(self, keys) -> bool:
        return bool(self.schema) and self.schema.unordered(keys)

    def review(self, keys) -> Optional[dict]:
        """The reviewed entry (``rules/layers.json``) for a disagreement at ``keys``."""
        return review_of(self.layers, self.type_name, pointer(keys))


class RuleBook:
    """The table, loaded type by type on first use."""

    def __init__(self, rules_dir: Optional[Path] = None, overlay_dir: Optional[Path] = None):
        self.rules_dir = Path(rules_dir) if rules_dir else paths.rules_dir()
        self.overlay_dir = Path(overlay_dir) if overlay_dir else None
        self._types: dict = {}
        self._attributes = None
        self._meta: dict = {}
        self._data: dict = {}
        self._policy_lists_cache: dict = {}

    def _read(self, folder: Optional[Path], type_name: str):
        if folder is None:
            return None
        path = folder / paths.type_filename(type_name)
        try:
            return paths.read_json(path)
        except FileNotFoundError:
            return None

    def for_type(self, type_name: str) -> TypeRules:
        rules = self._types.get(type_name)
        if rules is None:
            if is_custom(type_name) and type_name != CUSTOM_RESOURCE:
                # Custom::X is an AWS::CloudFormation::CustomResource by another name.
                base = self.for_type(CUSTOM_RESOURCE)
                rules = TypeRules(type_name)
                rules.docs, rules.schema, rules.overlay = base.docs, base.schema, base.overlay
            elif not type_name.replace("::", "").isalnum():
                rules = TypeRules(type_name)  # never a file name: Custom::*, typos, hostile text
            else:
                rules = TypeRules(
                    type_name,
                    docs=self._read(self.rules_dir / "docs", type_name),
                    schema=self._read(self.rules_dir / "schema", type_name),
                    overlay=self._read(self.overlay_dir, type_name),
                )
            rules.layers = self.data("layers")
            self._types[type_name] = rules
        return rules

    def known_types(self) -> list:
        """Every resource type the table or the overlay has rules for."""
        names = set()
        for folder in (self.rules_dir / "docs", self.rules_dir / "schema", self.overlay_dir):
            if folder is not None and folder.is_dir():
                names.update(p.stem.replace("-", "::") for p in folder.glob("*.json") if p.stem.count("-") == 2)
        return sorted(names)

    def resolve_type(self, type_name: str) -> tuple:
        """(the known type's name, closest known names): a name matched without
        regard to case, or up to three close ones when nothing matches."""
        import difflib

        known = self.known_types()
        by_lower = {name.lower(): name for name in known}
        hit = by_lower.get(type_name.lower())
        if hit:
            return hit, []
        close = difflib.get_close_matches(type_name.lower(), list(by_lower), n=3, cutoff=0.6)
        return None, [by_lower[c] for c in close]

    def attributes(self) -> dict:
        if self._attributes is None:
            self._attributes = paths.read_json(self.rules_dir / "attributes.json")
        return self._attributes

    def data(self, name: str) -> dict:
        """A reviewed data file of the table, ``rules/<name>.json``: ``stateful``, ``names``, ``layers``."""
        if name not in self._data:
            try:
                self._data[name] = paths.read_json(self.rules_dir / f"{name}.json")
            except FileNotFoundError:  # a table without that file: nothing reviewed
                self._data[name] = {"types": {}}
        return self._data[name]

    def meta(self, layer: str) -> dict:
        if layer not in self._meta:
            try:
                self._meta[layer] = paths.read_json(self.rules_dir / layer / "_meta.json")
            except FileNotFoundError:
                self._meta[layer] = {}
        return self._meta[layer]

    def unordered(self, type_name: str, keys):
        """Whether the list at ``keys`` is compared without regard to order:
        ``STATEMENTS`` for a policy's statements, matched by content."""
        keys = rule_keys(keys)
        mode = self._policy_lists(type_name).get(keys)
        return mode if mode is not None else self.for_type(type_name).unordered(keys)

    def _policy_lists(self, type_name: str) -> dict:
        """``{keys: mode}``: the lists of a type's policies whose order means
        nothing to IAM (``rules/policies.json``): a list of named policies
        (``POLICIES``), a document's ``Statement`` (``STATEMENTS``), each
        statement's ``Action``, ``Resource`` and their ``Not`` forms (True: a
        multiset).  So a statement inserted before others is one addition."""
        cache = self._policy_lists_cache
        if type_name not in cache:
            documents = (self.data("policies").get("documents") or {}).get(type_name) or {}
            out: dict = {}
            for pointer, entry in documents.items():
                parts = [p for p in pointer.strip("/").split("/") if p]
                if "*" in parts:  # a list of named policies: Policies/*/PolicyDocument
                    out[tuple(p for p in parts[: parts.index("*")] if p != "*")] = POLICIES
                if entry.get("statement"):
                    continue
                base = tuple(p for p in parts if p != "*") + ("Statement",)
                out[base] = STATEMENTS
                out.update((base + (k,), True) for k in POLICY_STATEMENT_LISTS)
            cache[type_name] = out
        return cache[type_name]
