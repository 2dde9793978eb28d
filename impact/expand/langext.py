"""Expand ``AWS::LanguageExtensions`` offline, deterministically.

- ``Fn::ForEach::Name: [Identifier, Collection, {Key: Value}]`` in
  Resources, Outputs, Conditions and inside resources, nested loops too.
  The collection is a literal list, a parameter (the value given with
  ``--parameters``, else its ``Default``), ``Fn::FindInMap`` (with
  ``DefaultValue``), ``Fn::Split`` or ``Fn::Join`` of those.  In the
  template, ``${Identifier}`` and ``&{Identifier}`` (the value without its
  non-alphanumeric characters) are replaced in keys, ``${Identifier}`` in
  ``Fn::Sub`` strings, and ``Ref: Identifier`` by the value.
- ``Fn::Length``, ``Fn::ToJsonString`` and ``Fn::FindInMap`` with
  ``DefaultValue`` are evaluated when their arguments are known offline.
- An intrinsic ``DeletionPolicy`` or ``UpdateReplacePolicy`` (``Ref`` to a
  parameter, ``Fn::If`` on a condition of parameters) is resolved likewise.

A collection that is not known offline (a parameter without a value or
``Default``, an SSM parameter, a pseudo parameter) leaves its loop as
written, compared as one unit, with a note naming what is missing: names are
never invented.
"""

from __future__ import annotations

import json
import re
from typing import Optional

from ..load.loader import canon_scalar
from ..model import Origin
from . import FOREACH, LANGEXT

SECTIONS = ("Conditions", "Resources", "Outputs")
POLICIES = ("DeletionPolicy", "UpdateReplacePolicy")
MAX_GENERATED = 20_000  # keys a template's loops may write; a real template stays far below
_SUB_VAR = re.compile(r"\$\{(?!!)\s*([^}]*?)\s*\}")
_AMP_VAR = re.compile(r"&\{\s*([^}]*?)\s*\}")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


class Unresolved(Exception):
    """A value only the deployment knows; the message names it."""


class Invalid(Exception):
    """The extensions cannot be applied (a duplicate generated key, a loop of the wrong shape)."""


def _sub_key(key: str, env: dict) -> str:
    if not env or ("${" not in key and "&{" not in key):
        return key
    key = _SUB_VAR.sub(lambda m: str(env[m.group(1)]) if m.group(1) in env else m.group(0), key)
    return _AMP_VAR.sub(lambda m: _NOT_ALNUM.sub("", str(env[m.group(1)])) if m.group(1) in env else m.group(0), key)


def _has_function(value) -> bool:
    if isinstance(value, dict):
        return any(k == "Ref" or k == "Condition" or k.startswith("Fn::") or _has_function(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_function(v) for v in value)
    return False


class Expander:
    def __init__(self, data: dict, values: Optional[dict], keep=frozenset()):
        params = data.get("Parameters")
        self.params = params if isinstance(params, dict) else {}
        mappings = data.get("Mappings")
        self.mappings = mappings if isinstance(mappings, dict) else {}
        conditions = data.get("Conditions")
        self.conditions = conditions if isinstance(conditions, dict) else {}
        self.values = values or {}
        self.keep = keep
        self.kept: dict = {}  # loop key -> why it is kept as written
        self.generated = 0

    # -- values known offline ------------------------------------------------

    def parameter(self, name: str):
        decl = self.params.get(name)
        if not isinstance(decl, dict):
            if isinstance(name, str) and name.startswith("AWS::"):
                raise Unresolved(f"the pseudo parameter {name} is known only at deploy time")
            raise Unresolved(f"{name} is not a parameter of the template")
        ptype = decl.get("Type") if isinstance(decl.get("Type"), str) else "String"
        if ptype.startswith("AWS::SSM::Parameter::"):
            raise Unresolved(f"parameter {name} is an SSM parameter, read at deploy time")
        if name in self.values:
            value = self.values[name]
        elif "Default" in decl:
            value = decl["Default"]
        else:
            raise Unresolved(f"parameter {name} has no Default and no value was given (--parameters)")
        if ptype == "CommaDelimitedList" or ptype.startswith("List<"):
            if isinstance(value, str):
                return [part.strip() for part in value.split(",")]
        return value

    def value(self, node, env: dict):
        """``node`` evaluated offline; raises Unresolved when it cannot be."""
        if node is None or isinstance(node, str):
            return node
        if isinstance(node, list):
            return [self.value(v, env) for v in node]
        if not isinstance(node, dict) or len(node) != 1:
            raise Unresolved("a value that is not a list, a parameter or a mapping lookup")
        (fn, arg), = node.items()
        if fn == "Ref" and isinstance(arg, str):
            return env[arg] if arg in env else self.parameter(arg)
        if fn == "Fn::FindInMap":
            return self.find_in_map(arg, env)
        if fn == "Fn::Split" and isinstance(arg, list) and len(arg) == 2:
            sep, text = self.value(arg[0], env), self.value(arg[1], env)
            if isinstance(sep, str) and isinstance(text, str) and sep:
                return text.split(sep)
        if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            sep, items = self.value(arg[0], env), self.value(arg[1], env)
            if isinstance(sep, str) and isinstance(items, list) and all(isinstance(i, str) for i in items):
                return sep.join(items)
        if fn == "Fn::Select" and isinstance(arg, list) and len(arg) == 2:
            index, items = self.value(arg[0], env), self.value(arg[1], env)
            if isinstance(index, str) and index.isdigit() and isinstance(items, list) and int(index) < len(items):
                return items[int(index)]
        if fn == "Fn::Length":
            items = self.value(arg, env)
            if isinstance(items, list):
                return str(len(items))
        if fn == "Fn::Sub" and isinstance(arg, str):
            def var(m):
                name = m.group(1)
                got = env[name] if name in env else self.parameter(name)
                if not isinstance(got, str):
                    raise Unresolved(f"${{{name}}} is not a string")
                return got

            return _SUB_VAR.sub(var, arg).replace("${!", "${")
        if fn == "Fn::If" and isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str):
            return self.value(arg[1] if self.condition(arg[0]) else arg[2], env)
        raise Unresolved(f"{fn} is evaluated at deploy time")

    def find_in_map(self, arg, env: dict):
        if not isinstance(arg, list) or len(arg) not in (3, 4):
            raise Unresolved("an Fn::FindInMap that is not [map, key, key]")
        default = None
        if len(arg) == 4:
            if not (isinstance(arg[3], dict) and set(arg[3]) == {"DefaultValue"}):
                raise Unresolved("an Fn::FindInMap whose fourth argument is not {DefaultValue: ...}")
            default = arg[3]
        names = [self.value(a, env) for a in arg[:3]]
        if not all(isinstance(n, str) for n in names):
            raise Unresolved("an Fn::FindInMap key that is not a string")
        entry = self.mappings.get(names[0])
        entry = entry.get(names[1]) if isinstance(entry, dict) else None
        entry = entry.get(names[2]) if isinstance(entry, dict) else None
        if entry is not None:
            return entry
        if default is not None:
            return self.value(default["DefaultValue"], env)
        raise Unresolved(f"Mappings has no {names[0]}/{names[1]}/{names[2]}")

    def condition(self, name: str, seen=()) -> bool:
        if name in seen or name not in self.conditions:
            raise Unresolved(f"condition {name} cannot be evaluated offline")
        return self.truth(self.conditions[name], seen + (name,))

    def truth(self, node, seen=()) -> bool:
        if isinstance(node, dict) and len(node) == 1:
            (fn, arg), = node.items()
            if fn == "Condition" and isinstance(arg, str):
                return self.condition(arg, seen)
            if fn == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
                return self.value(arg[0], {}) == self.value(arg[1], {})
            if fn == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
                return not self.truth(arg[0], seen)
            if fn == "Fn::And" and isinstance(arg, list):
                return all(self.truth(a, seen) for a in arg)
            if fn == "Fn::Or" and isinstance(arg, list):
                return any(self.truth(a, seen) for a in arg)
        if node in ("true", "false"):
            return node == "true"
        raise Unresolved("a condition that cannot be evaluated offline")

    # -- expansion -------------------------------------------------------------

    def mapping(self, node: dict, env: dict, path: tuple, where: Optional[dict] = None) -> dict:
        out: dict = {}
        for key, value in node.items():
            if isinstance(key, str) and key.startswith(FOREACH) and key not in self.keep:
                try:
                    generated = list(self.loop(key, value, env, path + (key,)))
                except Unresolved as e:
                    self.kept.setdefault(key, str(e))
                    out[key] = value
                    continue
                for gkey, gvalue, gpath in generated:
                    if gkey in out or gkey in node:
                        raise Invalid(f"{key} writes {gkey}, which is already defined")
                    out[gkey] = gvalue
                    if where is not None:
                        where[gkey] = gpath
                continue
            new_key = _sub_key(key, env)
            if new_key in out:
                raise Invalid(f"{new_key} is defined twice once the loops are expanded")
            out[new_key] = self.walk(value, env)
            if where is not None and new_key != key:
                where[new_key] = path + (key,)
        return out

    def loop(self, key: str, value, env: dict, path: tuple):
        if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[2], dict)):
            raise Invalid(f"{key} must be [identifier, collection, {{key: template}}]")
        ident, collection, body = value
        items = self.value(collection, env)
        if not isinstance(items, list):
            raise Unresolved("the collection is not a list")
        for item in items:
            item = canon_scalar(item)
            if not isinstance(item, str):
                raise Unresolved("the collection holds something other than strings")
            inner: dict = {}
            fragment = self.mapping(body, {**env, ident: item}, path + (2,), inner)
            self.generated += len(fragment)
            if self.generated > MAX_GENERATED:
                raise Invalid(f"the loops write more than {MAX_GENERATED:,} keys")
            for gkey, gvalue in fragment.items():
                yield gkey, gvalue, inner.get(gkey, path + (2, gkey))

    def walk(self, node, env: dict):
        if isinstance(node, list):
            return [self.walk(v, env) for v in node]
        if not isinstance(node, dict):
            return node
        out = self.mapping(node, env, ())
        if len(out) != 1:
            return out
        (fn, arg), = out.items()
        if fn == "Ref" and isinstance(arg, str) and arg in env:
            return env[arg]
        if fn == "Fn::Sub" and env:
            text = arg[0] if isinstance(arg, list) and arg else arg
            if isinstance(text, str):
                text = _SUB_VAR.sub(lambda m: str(env[m.group(1)]) if m.group(1) in env else m.group(0), text)
                if isinstance(arg, list):
                    return {fn: [text, *arg[1:]]}
                return text if not _SUB_VAR.search(text) and "${!" not in text else {fn: text}
        if fn == "Fn::Length":
            try:
                items = self.value(arg, env)
            except Unresolved:
                return out
            if isinstance(items, list):
                return str(len(items))
        if fn == "Fn::ToJsonString" and not _has_function(arg):
            return json.dumps(arg, separators=(",", ":"), ensure_ascii=False)
        if fn == "Fn::FindInMap" and isinstance(arg, list) and len(arg) == 4:
            try:
                return self.find_in_map(arg, env)
            except Unresolved:
                return out
        return out

    def policies(self, resources: dict) -> None:
        for resource in resources.values():
            if not isinstance(resource, dict):
                continue
            for attr in POLICIES:
                if isinstance(resource.get(attr), dict):
                    try:
                        got = self.value(resource[attr], {})
                    except Unresolved:
                        continue
                    if isinstance(got, str):
                        resource[attr] = got


_NO_VALUE = object()


def _resolve(ex: Expander, node):
    """``node`` with each ``Fn::If`` whose condition the values decide replaced
    by its branch, and each ``Fn::FindInMap`` they decide by its value."""
    if isinstance(node, list):
        return [v for v in (_resolve(ex, x) for x in node) if v is not _NO_VALUE]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        (fn, arg), = node.items()
        if fn == "Ref" and arg == "AWS::NoValue":
            return _NO_VALUE
        if fn == "Fn::If" and isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str):
            try:
                return _resolve(ex, arg[1] if ex.condition(arg[0]) else arg[2])
            except Unresolved:
                pass
        if fn == "Fn::FindInMap":
            try:
                return ex.find_in_map(arg, {})
            except Unresolved:
                pass
    out = {}
    for key, value in node.items():
        value = _resolve(ex, value)
        if value is not _NO_VALUE:
            out[key] = value
    return out


def resolve(data: dict, values: dict):
    """The template as deployed with ``values`` (the rest at their Default):
    conditions the values decide are applied, so resources and outputs whose
    condition is false are left out, and ``Fn::If`` and ``Fn::FindInMap``
    they decide are replaced by their result.  Returns (data, left out)."""
    ex = Expander(data, values)
    out = dict(data)
    left_out = []
    for section in ("Resources", "Outputs"):
        body = data.get(section)
        if not isinstance(body, dict):
            continue
        kept = {}
        for name, entry in body.items():
            condition = entry.get("Condition") if isinstance(entry, dict) else None
            if isinstance(condition, str):
                try:
                    if not ex.condition(condition):
                        left_out.append((section, name, condition))
                        continue
                except Unresolved:
                    pass
            kept[name] = entry if name.startswith(FOREACH) else _resolve(ex, entry)
        out[section] = kept
    return out, left_out


def expand(data: dict, values: Optional[dict] = None, keep=frozenset()):
    """(expanded data, {logical ID: Origin}, {logical ID: source path}, {loop: why kept}).

    Raises :class:`Invalid` when the loops cannot be expanded at all.
    """
    ex = Expander(data, values, keep)
    out = dict(data)
    where: dict = {}
    for section in SECTIONS:
        body = data.get(section)
        if isinstance(body, dict):
            found: dict = {}
            out[section] = ex.mapping(body, {}, (section,), found)
            if section == "Resources":
                where = {k: p for k, p in found.items() if len(p) > 1 and str(p[1]).startswith(FOREACH)}
    resources = out.get("Resources") or {}
    for lid in where:
        resource = resources.get(lid)
        if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str) or not resource["Type"]:
            raise Invalid(f"{where[lid][1]} writes {lid}, which is not a resource with a Type")
        props = resource.get("Properties")
        if props is not None and not isinstance(props, dict):
            raise Invalid(f"{where[lid][1]} writes {lid}, whose Properties are not a mapping")
    ex.policies(resources)
    transform = out.get("Transform")
    if transform == LANGEXT:
        del out["Transform"]
    elif isinstance(transform, list) and LANGEXT in transform:
        rest = [t for t in transform if t != LANGEXT]
        out["Transform"] = rest if len(rest) != 1 else rest[0]
        if not rest:
            del out["Transform"]
    origins = {lid: Origin(path[1]) for lid, path in where.items()}
    return out, origins, where, ex.kept
