"""A replaced resource that keeps a fixed physical name.

Severity: an error when the replacement is certain, a warning when it only
may happen."""

from __future__ import annotations

from ..graph import VALUE_KINDS, references
from ..knockon import CERTAIN, within
from ...model import ADD, MODIFY, REMOVE, REPLACEMENT, Finding, escape
from ...classify.rules import RuleBook

ID = "custom-name-replacement"
SEVERITY = "error"
HELP = (
    "CloudFormation creates the replacement before deleting the old resource, "
    "so a fixed physical name is still taken and the update fails."
)


def physical_names(book: RuleBook, type_name: str) -> list:
    """The properties that give a resource of ``type_name`` its physical name.

    The reviewed list in ``rules/names.json`` decides for the types it names;
    for the others, a property named ``Name`` or ``<Type>Name`` (``BucketName``
    for ``AWS::S3::Bucket``) whose change replaces the resource.
    """
    reviewed = book.data("names")["types"].get(type_name)
    if reviewed is not None:
        return list(reviewed["properties"])
    rules = book.for_type(type_name)
    doc = rules.doc_layer()
    out = []
    for prop in (type_name.rsplit("::", 1)[-1] + "Name", "Name"):
        rule = doc.rule((prop,)) if doc else None
        by_docs = bool(rule) and rule["label"] == REPLACEMENT
        by_schema = bool(rules.schema) and prop in rules.schema.data.get("properties", {}) and (
            rules.schema.label_at("/" + prop) == REPLACEMENT
        )
        if by_docs or by_schema:
            out.append(prop)
    return out


def name_scope(book: RuleBook, type_name: str) -> list:
    """The properties naming the parent a name is unique within (a Lambda
    alias's function): when one changes, the new name cannot collide."""
    reviewed = book.data("names")["types"].get(type_name)
    return list(reviewed.get("scope", ())) if reviewed else []


def _moves(ctx, value) -> bool:
    """Whether ``value`` names a resource this change adds, removes or
    replaces: then it need not be the same on both sides."""
    for ref in references(value):
        if ref.kind not in VALUE_KINDS:
            continue
        rd = ctx.diff(ref.target)
        if rd is not None and (rd.action in (ADD, REMOVE) or ctx.replaced(ref.target)):
            return True
    return False


def same_name(ctx, type_name: str, before: dict, after: dict):
    """The physical-name property that a removed resource (``before``) and an
    added one (``after``), both of ``type_name``, set to the same name in the
    same parent; None when they cannot collide."""
    old = before.get("Properties") if isinstance(before.get("Properties"), dict) else {}
    new = after.get("Properties") if isinstance(after.get("Properties"), dict) else {}
    for prop in name_scope(ctx.book, type_name):
        if old.get(prop) != new.get(prop) or _moves(ctx, new.get(prop)):
            return None  # another parent, or one that may change: the name is free there
    for prop in physical_names(ctx.book, type_name):
        value = new.get(prop)
        if value is not None and old.get(prop) == value and not _moves(ctx, value):
            return prop
    return None


def check(ctx):
    for rd in ctx.resources(MODIFY):
        sure = ctx.replaced(rd.logical_id)
        resource = ctx.new.resources.get(rd.logical_id)
        if rd.old_type or not sure or not isinstance(resource, dict):  # an Fn::ForEach loop has no properties
            continue
        props = resource.get("Properties") or {}
        event = ctx.replacement_event(rd)
        scope = ["/Properties/" + escape(p) for p in name_scope(ctx.book, rd.type)]
        if any(within(path, c.path) for path in scope for c in rd.changes):
            continue  # a new parent: the name is free there
        for prop in physical_names(ctx.book, rd.type):
            path = "/Properties/" + escape(prop)
            if prop not in props or any(within(path, c.path) for c in rd.changes):
                continue
            yield Finding(
                ID,
                SEVERITY if sure == CERTAIN else "warning",
                rd.logical_id,
                f"{rd.logical_id} {event} while {prop} keeps its value: CloudFormation creates the replacement "
                f"before deleting the old {rd.type}, the name is taken and the update fails; "
                f"change {prop} as well, or remove it",
                path,
                ctx.new.position(("Resources", rd.logical_id, "Properties", prop)),
            )
