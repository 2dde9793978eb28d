"""Value conditions: where the values before and after decide what a change does.

A rule such as "some interruptions if backups are turned on or off" is
``conditional`` until one looks at the values.  ``rules/value_conditions.json``
is the reviewed table: per resource type, entries that name the properties
they cover, one of the tests below and what each outcome means, each entry
with its source.  The first entry whose test decides labels the change; its
note says why ("no interruption: retention stays above 0").  A test decides
nothing when a value is computed at deploy time (a ``Ref``, a knock-on), and
the rules' label stands, unless the test reads other properties only (the
document's ``UpdateMethod``): then it decides a knock-on change too
(:func:`decide_knock_on`).

An outcome with ``instead`` is an update the service refuses: the change is
``not-updatable`` and raises the ``update-rejected`` finding, whose sentence
says what to do instead.  An outcome with ``"scope": "elements"`` labels only
list elements added or removed whole; edits inside an element keep their rule.
"""

from __future__ import annotations

from typing import Callable, Optional

from ..model import MODIFY, NONE, Template
from .rules import CUSTOM_RESOURCE, is_custom

TABLE = "value_conditions"


def _props(template: Template, logical_id: str) -> dict:
    resource = template.resources.get(logical_id)
    props = resource.get("Properties") if isinstance(resource, dict) else None
    return props if isinstance(props, dict) else {}


def _number(value) -> Optional[float]:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _true(value) -> bool:
    return str(value).lower() == "true"


# Each test reads the entry, both resources' properties and the property's
# values; it returns the outcome's key in the entry, or None to decide nothing.
Test = Callable[[dict, dict, dict, object, object], Optional[str]]


def _zero_crossing(entry, old, new, before, after) -> Optional[str]:
    default = entry.get("default")
    b = _number(default if before is None else before)
    a = _number(default if after is None else after)
    if b is None or a is None:
        return None
    return "crossing" if (b == 0) != (a == 0) else "otherwise"


def _decrease(entry, old, new, before, after) -> Optional[str]:
    b, a = _number(before), _number(after)
    if b is None or a is None:
        return None
    return "decrease" if a < b else "otherwise"


def _major(engine: str, version: str) -> Optional[str]:
    parts = version.split(".")
    if not parts or not parts[0].isdigit():
        return None
    if "postgres" in engine and int(parts[0]) >= 10:
        return parts[0]
    return ".".join(parts[:2])


def _major_version(entry, old, new, before, after) -> Optional[str]:
    if not (isinstance(before, str) and isinstance(after, str)):
        return None
    engine = new.get("Engine", old.get("Engine", ""))
    if not isinstance(engine, str):
        return None
    was, now = _major(engine.lower(), before), _major(engine.lower(), after)
    if was is None or now is None:
        return None
    if was == now:
        return "minor"
    return "allowed" if _true(new.get("AllowMajorVersionUpgrade")) else "rejected"


def _when_set(entry, old, new, before, after) -> Optional[str]:
    """The outcome ``set`` when the resource sets ``entry["when"]`` (an Aurora
    instance names its cluster)."""
    return "set" if entry["when"] in new else None


def _names(items, key: str) -> Optional[dict]:
    if items is None:
        return {}
    if not isinstance(items, list):
        return None
    out = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get(key), str):
            return None
        out[item[key]] = item
    return out


def _elements_created_or_deleted(entry, old, new, before, after) -> Optional[str]:
    """How many elements, matched by ``entry["key"]``, one update creates or deletes."""
    was, now = _names(before, entry["key"]), _names(after, entry["key"])
    if was is None or now is None:
        return None
    created = [n for n in now if n not in was]
    deleted = [n for n in was if n not in now]
    return "many" if len(created) + len(deleted) > entry["most"] else "otherwise"


def _elements_changed_or_removed(entry, old, new, before, after) -> Optional[str]:
    """Whether an element, matched by ``entry["key"]``, is changed or removed."""
    was, now = _names(before, entry["key"]), _names(after, entry["key"])
    if was is None or now is None:
        return None
    touched = [n for n, item in was.items() if now.get(n) != item]
    return "touched" if touched else "otherwise"


def _any_change(entry, old, new, before, after) -> Optional[str]:
    return "changed"


def _added(entry, old, new, before, after) -> Optional[str]:
    return "added" if before is None and after is not None else "otherwise"


def _unless_any_set(entry, old, new, before, after) -> Optional[str]:
    """``none`` when neither template sets any of ``entry["keys"]``."""
    return "some" if any(k in old or k in new for k in entry["keys"]) else "none"


def _value_of(entry, old, new, before, after) -> Optional[str]:
    """The new template's value of ``entry["key"]`` (``entry["default"]``
    when absent), when it names an outcome: what the update does follows a
    setting of the resource (an SSM document's ``UpdateMethod``)."""
    value = new.get(entry["key"], entry.get("default"))
    return value if isinstance(value, str) else None


TESTS: dict = {
    "zero-crossing": _zero_crossing,
    "decrease": _decrease,
    "major-version": _major_version,
    "when-set": _when_set,
    "elements-created-or-deleted": _elements_created_or_deleted,
    "elements-changed-or-removed": _elements_changed_or_removed,
    "any-change": _any_change,
    "added": _added,
    "unless-any-set": _unless_any_set,
    "value-of": _value_of,
}
# Tests that read other properties only, never the changed values: they
# decide a value computed at deploy time, and a knock-on change, too.
OTHER_PROPERTIES = frozenset({"when-set", "unless-any-set", "value-of", "any-change"})


def _entries(table: dict, type_name: str) -> list:
    """The table's entries for a type; ``Custom::X`` shares those of its long form."""
    return table.get(CUSTOM_RESOURCE if is_custom(type_name) else type_name) or []


def _value(props: dict, prop: str, res=None, side: int = 0):
    value = props.get(prop)
    if res is not None and not _plain(value):
        resolved = res.certain(side, value)
        if resolved is not None:
            return resolved
    return value


def apply_value_conditions(book, resources: list, old: Template, new: Template, res=None) -> None:
    """Label the changes the values decide, per the reviewed table.  With a
    resolution (:mod:`impact.resolve.stage`), a value written with intrinsic
    functions counts when it resolves to one plain value in every case."""
    table = book.data(TABLE)["types"]
    for rd in resources:
        entries = _entries(table, rd.type)
        if not entries or rd.action != MODIFY:
            continue
        old_props, new_props = _props(old, rd.logical_id), _props(new, rd.logical_id)
        decided: set = set()
        for entry in entries:
            for prop in entry["properties"]:
                if prop in decided:
                    continue
                hits = [
                    c
                    for c in rd.changes
                    if c.cause is None and c.verdict and c.verdict.label != NONE and len(c.keys) >= 2
                    and c.keys[:2] == ("Properties", prop)
                ]
                if not hits:
                    continue
                before, after = _value(old_props, prop, res, 0), _value(new_props, prop, res, 1)
                if entry["test"] not in OTHER_PROPERTIES and not all(_plain(v) for v in (before, after)):
                    continue  # computed at deploy time: the values decide nothing
                result = _outcome(entry, old_props, new_props, before, after)
                if result is None:
                    continue
                decided.add(prop)
                if result.get("scope") == "elements":  # only list elements added or removed whole
                    hits = [c for c in hits if len(c.keys) == 3 and isinstance(c.keys[2], int)]
                for c in hits:
                    c.verdict.resolve(result["label"], result["note"], entry["source"], result.get("instead"))


def _outcome(entry, old_props: dict, new_props: dict, before, after) -> Optional[dict]:
    outcome = TESTS[entry["test"]](entry, old_props, new_props, before, after)
    return entry["outcomes"].get(outcome) if isinstance(outcome, str) else None


def decide_knock_on(
    book, type_name: str, keys: tuple, old: Optional[Template], new: Template, logical_id: str, verdict
) -> None:
    """Label a knock-on change (its text is the same, its value is not) by
    the first entry for its property whose test reads other properties only."""
    if len(keys) < 2 or keys[0] != "Properties" or verdict is None:
        return
    old_props = _props(old, logical_id) if old is not None else {}
    new_props = _props(new, logical_id)
    for entry in _entries(book.data(TABLE)["types"], type_name):
        if keys[1] not in entry["properties"] or entry["test"] not in OTHER_PROPERTIES:
            continue
        value = _value(new_props, keys[1])
        result = _outcome(entry, old_props, new_props, value, value)
        if result is not None and result.get("scope") != "elements":
            verdict.resolve(result["label"], result["note"], entry["source"], result.get("instead"))
            return


def _plain(value) -> bool:
    """Whether ``value`` holds no intrinsic function (it is known before deployment)."""
    if isinstance(value, dict):
        return not any(isinstance(k, str) and (k == "Ref" or k.startswith("Fn::")) for k in value) and all(
            _plain(v) for v in value.values()
        )
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return True


def coverage(book) -> dict:
    """How many rules of the table the value conditions decide: per type, the
    properties an entry covers, and which of them the rules call conditional."""
    from .labels import classify_property

    table = book.data(TABLE)["types"]
    covered, conditional = 0, 0
    for type_name, entries in table.items():
        rules = book.for_type(type_name)
        props = {p for e in entries for p in e["properties"]}
        covered += len(props)
        conditional += sum(1 for p in props if classify_property(rules, (p,)).label == "conditional")
    return {"properties": covered, "conditional": conditional}
