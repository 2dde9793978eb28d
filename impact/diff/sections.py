"""Diff the sections of a template other than Resources.

Sections made of named entries (Parameters, Outputs, ...) are compared entry
by entry: an entry added or removed is one change at path ``""``, a modified
entry gives one change per leaf, its path a JSON Pointer relative to the
entry (``Parameters``, ``Env``, ``/Default``).  Description and Transform are
compared as a whole.  Only unequal entries are diffed leaf by leaf.
"""

from __future__ import annotations

from .differ import align_lists, diff_values, pair_edits
from .equivalent import drop_equivalent, mappings_of
from ..model import ADD, MODIFY, REMOVE, SectionChange, Template, pointer

SECTIONS = (
    "AWSTemplateFormatVersion",
    "Description",
    "Transform",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Hooks",
    "Outputs",
)
VERSION = "2010-09-09"
NAMED = ("Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Hooks", "Outputs", "Globals")
# The SAM transform's own section: its entries (Function, Api, ...) set what
# every AWS::Serverless resource of their kind inherits.  Left in a template
# only when the transform could not expand it.
SAM = "AWS::Serverless-2016-10-31"
GLOBALS = "Globals"


def path_keys(path: str) -> list:
    """``/Top/a~1b`` -> ``["Top", "a/b"]``: the keys of a JSON Pointer."""
    return [k.replace("~1", "/").replace("~0", "~") for k in path.split("/")[1:]]


def _value(section: str, template: Template):
    value = template.data.get(section)
    if section == "AWSTemplateFormatVersion" and value is None:
        return VERSION  # the only version, and the one assumed when none is given
    if section == "Transform" and isinstance(value, str):
        return [value]  # one transform, named alone or in a list, is the same template
    return value


def _leaves(section: str, name, before, after, maps=(None, None)) -> list:
    if before is None:
        return [SectionChange(section, name, "", ADD, None, after)]
    if after is None:
        return [SectionChange(section, name, "", REMOVE, before, None)]
    if not isinstance(before, (dict, list)) or not isinstance(after, (dict, list)):
        return [SectionChange(section, name, "", MODIFY, before, after)]
    found = diff_values(before, after)
    if section != "Mappings":
        found = drop_equivalent(found, before, after, *maps)
    found = align_lists(found, before, after, maps=maps if section != "Mappings" else (None, None))
    return [SectionChange(section, name, pointer(path), kind, b, a) for path, kind, b, a in pair_edits(found)]


def _transforms(template: Template) -> list:
    value = template.data.get("Transform")
    return value if isinstance(value, list) else [value]


def sections(old: Template, new: Template) -> tuple:
    """The sections impact knows in these templates: :data:`SECTIONS`, and
    ``Globals`` where either declares the SAM transform."""
    if SAM in _transforms(old) or SAM in _transforms(new):
        return (*SECTIONS[:3], GLOBALS, *SECTIONS[3:])
    return SECTIONS


def unknown_sections(old: Template, new: Template) -> list:
    """Top-level keys that are no section impact knows, in template order."""
    known = set(sections(old, new)) | {"Resources"}
    keys = [*new.data, *(k for k in old.data if k not in new.data)]
    return [k for k in keys if isinstance(k, str) and k not in known]


def unknown_section_note(names: list) -> str:
    return (
        f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} not a section impact knows: "
        "compared as written, with no rules"
    )


def diff_sections(old: Template, new: Template) -> list:
    """Every change outside Resources: sections in :func:`sections` order,
    entries in new template order, then the removed ones in old order; then
    any other top-level key, compared as a whole (never dropped)."""
    out = []
    maps = (mappings_of(old.data), mappings_of(new.data))
    for section in [*sections(old, new), *unknown_sections(old, new)]:
        before, after = _value(section, old), _value(section, new)
        if before == after:
            continue
        if section in NAMED and isinstance(before or {}, dict) and isinstance(after or {}, dict):
            before, after = before or {}, after or {}
            for name in [*after, *(n for n in before if n not in after)]:
                if before.get(name) != after.get(name):
                    out.extend(_leaves(section, name, before.get(name), after.get(name), maps))
        else:
            out.extend(_leaves(section, None, before, after))
    return out
