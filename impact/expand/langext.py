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

Values are evaluated by the resolve stage's evaluator
(:mod:`impact.resolve.evaluate`) in its strict mode: a parameter without a
given value is its ``Default``, and what only the deployment knows stops the
evaluation with a reason.

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
from ..resolve.evaluate import Evaluator, Side, Unresolved, has_function
from . import FOREACH, LANGEXT

SECTIONS = ("Conditions", "Resources", "Outputs")
POLICIES = ("DeletionPolicy", "UpdateReplacePolicy")
MAX_GENERATED = 20_000  # keys a template's loops may write; a real template stays far below
_SUB_VAR = re.compile(r"\$\{(?!!)\s*([^}]*?)\s*\}")
_AMP_VAR = re.compile(r"&\{\s*([^}]*?)\s*\}")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


class Invalid(Exception):
    """The extensions cannot be applied (a duplicate generated key, a loop of the wrong shape)."""


def _sub_key(key: str, env: dict) -> str:
    if not env or ("${" not in key and "&{" not in key):
        return key
    key = _SUB_VAR.sub(lambda m: str(env[m.group(1)]) if m.group(1) in env else m.group(0), key)
    return _AMP_VAR.sub(lambda m: _NOT_ALNUM.sub("", str(env[m.group(1)])) if m.group(1) in env else m.group(0), key)


class Expander:
    def __init__(self, data: dict, values: Optional[dict], keep=frozenset(), pseudo: Optional[dict] = None):
        self.evaluator = Evaluator(Side(data, values, pseudo))
        self.keep = keep
        self.kept: dict = {}  # loop key -> why it is kept as written
        self.generated = 0

    # -- values known offline (the shared evaluator, strict) ---------------------

    def value(self, node, env: dict):
        """``node`` evaluated offline; raises Unresolved when it cannot be."""
        return self.evaluator.value(node, env)

    def find_in_map(self, arg, env: dict):
        return self.evaluator.find_in_map(arg, env, {"Fn::FindInMap": arg})

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
        if fn == "Fn::ToJsonString" and not has_function(arg):
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


def expand(data: dict, values: Optional[dict] = None, keep=frozenset(), pseudo: Optional[dict] = None):
    """(expanded data, {logical ID: Origin}, {logical ID: source path}, {loop: why kept}).

    Raises :class:`Invalid` when the loops cannot be expanded at all.
    """
    ex = Expander(data, values, keep, pseudo)
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
