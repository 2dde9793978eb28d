"""Diff the sections of a template other than Resources.

Sections made of named entries (Parameters, Outputs, ...) are compared entry
by entry: an entry added or removed is one change at path ``""``, a modified
entry gives one change per leaf, its path a JSON Pointer relative to the
entry (``Parameters``, ``Env``, ``/Default``).  Description and Transform are
compared as a whole.  Only unequal entries are diffed leaf by leaf.
"""

from __future__ import annotations

from .differ import diff_values
from .model import ADD, MODIFY, REMOVE, SectionChange, Template, pointer

SECTIONS = ("Description", "Transform", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Outputs")
NAMED = ("Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Outputs")


def path_keys(path: str) -> list:
    """``/Top/a~1b`` -> ``["Top", "a/b"]``: the keys of a JSON Pointer."""
    return [k.replace("~1", "/").replace("~0", "~") for k in path.split("/")[1:]]


def _value(section: str, template: Template):
    value = template.data.get(section)
    if section == "Transform" and isinstance(value, str):
        return [value]  # one transform, named alone or in a list, is the same template
    return value


def _leaves(section: str, name, before, after) -> list:
    if before is None:
        return [SectionChange(section, name, "", ADD, None, after)]
    if after is None:
        return [SectionChange(section, name, "", REMOVE, before, None)]
    if not isinstance(before, (dict, list)) or not isinstance(after, (dict, list)):
        return [SectionChange(section, name, "", MODIFY, before, after)]
    return [
        SectionChange(section, name, pointer(path), kind, b, a) for path, kind, b, a in diff_values(before, after)
    ]


def diff_sections(old: Template, new: Template) -> list:
    """Every change outside Resources: sections in :data:`SECTIONS` order,
    entries in new template order, then the removed ones in old order."""
    out = []
    for section in SECTIONS:
        before, after = _value(section, old), _value(section, new)
        if before == after:
            continue
        if section in NAMED and isinstance(before or {}, dict) and isinstance(after or {}, dict):
            before, after = before or {}, after or {}
            for name in [*after, *(n for n in before if n not in after)]:
                if before.get(name) != after.get(name):
                    out.extend(_leaves(section, name, before.get(name), after.get(name)))
        else:
            out.extend(_leaves(section, None, before, after))
    return out
