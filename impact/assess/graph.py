"""Who refers to what in a template.

A reference is any place where a template names a resource, a parameter, a
condition or a mapping: ``Ref``; ``Fn::GetAtt`` in its list and ``"X.Attr"``
forms; ``Fn::Sub`` strings (``${X}`` and ``${X.Attr}``; ``${!X}`` is literal
text and the names of its own variable map are not references); the
condition of ``Fn::If``; ``{"Condition": X}`` inside the Conditions section;
``Fn::FindInMap``; a resource's ``DependsOn`` and ``Condition``.  Every other
function is walked through.  Pseudo parameters (``AWS::Region``,
``AWS::NoValue``, ...) are not references.

Each reference carries the keys of its *site*: the value whose meaning
changes when the target changes.  That is the outermost intrinsic function
around the reference, except that each branch of ``Fn::If`` is a value of its
own, so ``VpcConfig: !If [C, {SubnetIds: [!Ref S]}, ...]`` has its site at
``VpcConfig/Fn::If/1/SubnetIds/0``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Optional

from ..load.spans import Resources

REF = "Ref"
GETATT = "Fn::GetAtt"
SUB = "Fn::Sub"
DEPENDS_ON = "DependsOn"
CONDITION = "Condition"
FIND_IN_MAP = "Fn::FindInMap"
# A ${...} of an Fn::Sub string that is no variable name (a shell's
# ${VAR//a/b}): CloudFormation rejects the template.  Its target is the text.
BAD_SUB = "Fn::Sub text"

# Kinds that read a value: a DependsOn only orders operations.
VALUE_KINDS = frozenset((REF, GETATT, SUB))

PSEUDO_PREFIX = "AWS::"
_CONTAINERS = (dict, list)
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
# What CloudFormation accepts as a variable name in Fn::Sub: "variable names in
# Fn::Sub syntax must contain only alphanumeric characters, underscores,
# periods, and colons" (its template error).
_SUB_NAME = re.compile(r"[A-Za-z0-9_.:]+")

# The sections whose entries can refer to others, in the order they are walked.
REFERRING_SECTIONS = ("Resources", "Outputs", "Conditions")


@dataclass(frozen=True)
class Reference:
    target: str  # a logical ID, or a parameter, condition or mapping name
    kind: str  # REF, GETATT, SUB, DEPENDS_ON, CONDITION, FIND_IN_MAP or BAD_SUB
    keys: tuple  # the site, from the root of the entry that holds it
    attribute: Optional[str] = None  # for Fn::GetAtt and ${X.Attr}; None when computed
    map_keys: tuple = ()  # for Fn::FindInMap: top and second level keys, None where computed


def sub_variables(text: str) -> list:
    """The ``(name, attribute)`` pairs a ``Fn::Sub`` string refers to, in order.

    ``${X}`` gives ``(X, None)``, ``${X.Attr}`` gives ``(X, "Attr")``; literals
    (``${!X}``), pseudo parameters and what is no variable name
    (:func:`sub_texts`) are left out.
    """
    out = []
    for body in _sub_bodies(text):
        if not _SUB_NAME.fullmatch(body):
            continue
        name, _, attribute = body.partition(".")
        if name.startswith(PSEUDO_PREFIX):
            continue
        out.append((name, attribute or None))
    return out


def sub_texts(text: str) -> list:
    """The ``${...}`` of a ``Fn::Sub`` string that are no variable name (only
    letters, digits, ``_``, ``.`` and ``:`` make one), such as a shell's
    ``${VAR//a/b}``: CloudFormation rejects them; ``${!...}`` is literal."""
    return [body for body in _sub_bodies(text) if not _SUB_NAME.fullmatch(body)]


def _sub_bodies(text: str):
    for match in _SUB_VARIABLE.finditer(text):
        body = match.group(1).strip()
        if body and not body.startswith("!"):
            yield body


def references(value, keys: tuple = (), conditions: bool = False) -> list:
    """Every reference inside ``value``; ``keys`` is where ``value`` sits.

    With ``conditions``, ``{"Condition": X}`` is a reference to condition X, as
    it is inside the Conditions section.
    """
    out: list = []
    _walk(value, keys, None, out, conditions)
    return out


def _walk(value, keys: tuple, site, out: list, conditions: bool) -> None:
    # The loader gives plain dicts, lists and strings: exact type tests are enough, and fast.
    kind = type(value)
    if kind is list:
        for i, item in enumerate(value):
            if type(item) in _CONTAINERS:
                _walk(item, keys + (i,), site, out, conditions)
        return
    if kind is not dict:
        return
    if len(value) == 1:
        for fn, arg in value.items():
            if fn == REF or fn.startswith("Fn::") or (conditions and fn == CONDITION):
                _function(fn, arg, keys, site, out, conditions)
                return
    for key, item in value.items():
        if type(item) in _CONTAINERS:
            _walk(item, keys + (key,), site, out, conditions)


def _function(fn: str, arg, keys: tuple, site, out: list, conditions: bool) -> None:
    """One intrinsic function at ``keys``, inside another function's ``site``
    (None when it is the outermost one)."""
    inner = keys + (fn,)
    branch_site = site  # each Fn::If branch is a value of its own, unless inside another function
    site = keys if site is None else site
    if fn in (REF, CONDITION) and isinstance(arg, str):
        if not arg.startswith(PSEUDO_PREFIX):
            out.append(Reference(arg, fn, site))
        return
    if fn == GETATT:
        if isinstance(arg, str):
            arg = arg.split(".", 1)
        if isinstance(arg, list) and arg and isinstance(arg[0], str):
            attribute = arg[1] if len(arg) > 1 and isinstance(arg[1], str) else None
            out.append(Reference(arg[0], GETATT, site, attribute=attribute))
            _walk(arg[1:], inner, site, out, conditions)
            return
    elif fn == SUB:
        text, variables = (arg[0], arg[1]) if isinstance(arg, list) and len(arg) == 2 else (arg, None)
        if isinstance(text, str):
            own = variables if isinstance(variables, dict) else {}
            for name, attribute in sub_variables(text):
                if name not in own:
                    out.append(Reference(name, SUB, site, attribute=attribute))
            out.extend(Reference(body, BAD_SUB, site) for body in sub_texts(text))
            _walk(variables, inner, site, out, conditions)
            return
    elif fn == "Fn::If" and isinstance(arg, list) and arg and isinstance(arg[0], str):
        out.append(Reference(arg[0], CONDITION, site))
        for i, branch in enumerate(arg[1:], start=1):
            _walk(branch, inner + (i,), branch_site, out, conditions)
        return
    elif fn == FIND_IN_MAP and isinstance(arg, list) and arg and isinstance(arg[0], str):
        top, second = (arg[i] if len(arg) > i and isinstance(arg[i], str) else None for i in (1, 2))
        out.append(Reference(arg[0], FIND_IN_MAP, site, map_keys=(top, second)))
        _walk(arg[1:], inner, site, out, conditions)
        return
    _walk(arg, inner, site, out, conditions)


def resource_references(resource: dict) -> list:
    """Every reference of one resource, its ``DependsOn`` and ``Condition`` included."""
    out = []
    for key, value in resource.items():
        if key == DEPENDS_ON:
            names = value if isinstance(value, list) else [value]
            out.extend(Reference(n, DEPENDS_ON, (DEPENDS_ON,)) for n in names if isinstance(n, str))
        elif key == CONDITION and isinstance(value, str):
            out.append(Reference(value, CONDITION, (CONDITION,)))
        elif key != "Type":
            out.extend(references(value, (key,)))
    return out


def entry_references(section: str, entry) -> list:
    """Every reference of one entry of Resources, Outputs or Conditions."""
    if section == "Conditions":
        return references(entry, conditions=True)
    if isinstance(entry, dict):
        return resource_references(entry)  # an output's Condition works as a resource's
    return references(entry)  # an Fn::ForEach loop


_PLAIN_NAME = re.compile(r"[A-Za-z0-9:._-]+")


class ReferenceIndex:
    """The referrers of the names of one template, found as they are asked
    for: only entries whose text holds the name are walked, each at most
    once, so the walking follows the names asked about, not the template.
    The text of a resource read from spans is its text in the template
    (:meth:`~impact.load.spans.Resources.naming`: a resource that is not
    asked about is never read); that of any other entry its ``repr``, made
    in C.  A name that either could write otherwise is looked for in every
    entry."""

    def __init__(self, data: dict):
        self._sections = []  # (section, its entries), in template order
        for section in REFERRING_SECTIONS:
            entries = data.get(section)
            if isinstance(entries, Mapping):
                self._sections.append((section, entries))
        self._texts: dict = {}  # section -> the repr of each entry, by name
        self._refs: dict = {}  # (section, name) -> its references
        self._by_target: dict = {}

    def _references(self, section: str, entries, name: str) -> list:
        refs = self._refs.get((section, name))
        if refs is None:
            refs = self._refs[(section, name)] = entry_references(section, entries[name])
        return refs

    def _candidates(self, section: str, entries, target: str):
        """The names of the entries of ``section`` whose text may hold ``target``."""
        if isinstance(entries, Resources):
            # JSON and YAML write such a name as it is, unless escaped (naming() counts escapes in)
            return entries.naming(target) if _PLAIN_NAME.fullmatch(target) else list(entries)
        if repr(target) != f"'{target}'" or '"' in target:
            return list(entries)  # Python would write the name otherwise inside a string
        texts = self._texts.get(section)
        if texts is None:
            texts = self._texts[section] = dict(zip(entries, map(repr, entries.values())))
        return [name for name, text in texts.items() if target in text]

    def referrers(self, target: str) -> list:
        """``(section, entry name, Reference)`` for each reference to ``target``, in template order."""
        found = self._by_target.get(target)
        if found is not None:
            return found
        found = self._by_target[target] = [
            (section, name, ref)
            for section, entries in self._sections
            for name in self._candidates(section, entries, target)
            for ref in self._references(section, entries, name)
            if ref.target == target
        ]
        return found
