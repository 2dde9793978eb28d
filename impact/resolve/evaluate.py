"""Intrinsic functions evaluated offline: the one evaluator behind both the
language-extensions expander (:mod:`impact.expand.langext`) and the resolve
stage (:mod:`impact.resolve.stage`).

:class:`Evaluator` evaluates a template value for one revision (a
:class:`Side`: its parameters, mappings, conditions and the values given for
its stack) where its inputs are known: ``Ref`` to a parameter or a pseudo
parameter, ``Fn::If``, ``Fn::Equals``, ``Fn::And``, ``Fn::Or``,
``Fn::Not``, ``Condition``, ``Fn::FindInMap`` (with ``DefaultValue``),
``Fn::Select``, ``Fn::Join``, ``Fn::Split``, ``Fn::Sub``, ``Fn::Base64``,
``Fn::Length``, ``Fn::ToJsonString`` and ``Fn::Cidr``; ``AWS::NoValue``
makes its key or list item disappear (:data:`NO_VALUE`).  ``Ref`` and
``Fn::GetAtt`` to resources, ``Fn::ImportValue`` and ``Fn::GetAZs`` stay
symbols, in one canonical form each:

- a string built from known text and symbols (``Fn::Sub``, or ``Fn::Join``
  of strings) is ``{"Fn::Sub": "text ${Name} ${Res.Attr}"}``, or, where a
  part cannot be written in a ``Fn::Sub``, ``{"Fn::Join": ["", parts]}``;
  a single symbol is that symbol;
- ``Fn::GetAtt`` is ``[name, attribute]``; ``Fn::GetAZs`` names its
  region (``""`` is the stack's region);
- a parameter nobody gave is ``{"Ref": name}``; a list parameter is
  ``{"Fn::Split": [",", {"Ref": name}]}``, so that a change of a
  parameter's ``Type`` between a string and a list is a change of value and
  a change between ``String`` and ``Number`` is not.

Two modes:

- *strict* (the expander): a parameter without a given value is its
  ``Default``; anything only the deployment knows raises :class:`Unresolved`,
  whose message names it.
- *symbolic* (the resolve stage): what is unknown stays a symbol, and where
  a choice must be made, the evaluator asks its :class:`World`: an
  ``Fn::Equals`` it cannot decide is a variable (true or false), a mapping
  key given by an unknown parameter or pseudo parameter is a variable over
  the mapping's keys, and a parameter whose ``Default`` differs between the
  two revisions is a variable "the stack uses the default".  A world that
  has not decided a variable raises :class:`Choose`; the caller enumerates
  (:mod:`impact.resolve.worlds`).
"""

from __future__ import annotations

import base64
import json
import re
from typing import Optional


class _NoValue:
    """``AWS::NoValue``: the key or list item that holds it disappears."""

    __slots__ = ()

    def __repr__(self):
        return "NO_VALUE"


NO_VALUE = _NoValue()
SSM_TYPE = "AWS::SSM::Parameter::Value<"
LIST_TYPES = ("CommaDelimitedList", "List<")
REGION = "AWS::Region"
PSEUDO = ("AWS::AccountId", "AWS::NotificationARNs", "AWS::Partition", REGION, "AWS::StackId", "AWS::StackName",
          "AWS::URLSuffix")
MAX_DEPTH = 100  # nested functions; a real template nests a handful
OTHER = "(none of the mapping's keys)"  # a key variable's choice when the lookup takes its DefaultValue

_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


class Unresolved(Exception):
    """A value only the deployment knows; the message names it."""


class Choose(Exception):
    """The evaluation needs a variable the world has not decided: ``var`` and the choices it has."""

    def __init__(self, var: tuple, domain: tuple):
        super().__init__(var)
        self.var, self.domain = var, domain


class TooLarge(Exception):
    """The values to compare are too large to evaluate in every world within the budget."""


class Infeasible(Exception):
    """The world's choices make CloudFormation reject the template: a lookup of a key no mapping has."""


def is_list_type(ptype) -> bool:
    return isinstance(ptype, str) and ptype.startswith(LIST_TYPES)


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    return "aws"


def url_suffix(region: str) -> str:
    return "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"


def has_function(value) -> bool:
    """Whether ``value`` holds an intrinsic function or a ``Condition`` key (fast for plain data)."""
    kind = type(value)
    if kind is dict:
        for k, v in value.items():
            if k == "Ref" or k == "Condition" or (k.startswith("Fn::") if type(k) is str else False):
                return True
            if (type(v) is dict or type(v) is list) and has_function(v):
                return True
        return False
    if kind is list:
        return any((type(v) is dict or type(v) is list) and has_function(v) for v in value)
    return False


def is_symbol(value) -> bool:
    """Whether an evaluated value is (or holds) something only the deployment knows."""
    return has_function(value)


class Side:
    """What one revision of a template says about its values: its
    parameters, mappings and conditions, the parameter values given for its
    stack, and the pseudo parameters given (``AWS::Region``, ...)."""

    def __init__(self, data: dict, values: Optional[dict] = None, pseudo: Optional[dict] = None):
        def section(name):
            value = data.get(name) if isinstance(data, dict) else None
            return value if isinstance(value, dict) else {}

        self.params = section("Parameters")
        self.mappings = section("Mappings")
        self.conditions = section("Conditions")
        self.values = values or {}
        self.given = values is not None
        self.pseudo = dict(pseudo or {})
        self.twin: Optional["Side"] = None  # the other revision, when two are compared

    def declaration(self, name) -> Optional[dict]:
        decl = self.params.get(name)
        return decl if isinstance(decl, dict) else None

    def ptype(self, name) -> str:
        decl = self.declaration(name) or {}
        return decl["Type"] if isinstance(decl.get("Type"), str) else "String"

    def default(self, name):
        """(has a Default, its value as a reference reads it)."""
        decl = self.declaration(name)
        if decl is None or "Default" not in decl:
            return False, None
        return True, self.typed(name, decl["Default"])

    def typed(self, name, value):
        """A parameter's value as ``Ref`` gives it: a list for list types."""
        if is_list_type(self.ptype(name)) and isinstance(value, str):
            return [part.strip() for part in value.split(",")]
        return value

    def symbol(self, name) -> dict:
        ref = {"Ref": name}
        return {"Fn::Split": [",", ref]} if is_list_type(self.ptype(name)) else ref


class World:
    """The choices of one enumeration step: ``{variable: choice}``.  A
    variable not decided raises :class:`Choose`; ``atoms`` keeps what each
    undecided ``Fn::Equals`` compared, for the consistency check."""

    __slots__ = ("choices", "atoms", "split", "keys", "budget")

    def __init__(self, choices: Optional[dict] = None, atoms: Optional[dict] = None, split=frozenset(), keys=True,
                 budget=None):
        self.choices = choices if choices is not None else {}
        self.atoms = atoms if atoms is not None else {}
        self.split = split  # parameters whose Default differs between the revisions
        self.keys = keys  # whether a mapping key nobody gave is a variable (else the lookup stays a symbol)
        self.budget = budget  # [values left to evaluate], shared by the worlds of one comparison

    def choose(self, var: tuple, domain: tuple):
        if var in self.choices:
            return self.choices[var]
        raise Choose(var, domain)


def _text(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def atom_var(a, b) -> tuple:
    """The variable of an ``Fn::Equals`` of two evaluated values nobody can decide offline."""
    return ("atom", _text(["Fn::Equals", sorted((_text(a), _text(b)))]))


class Evaluator:
    """Evaluates values of one :class:`Side` in one :class:`World` (None: strict mode)."""

    def __init__(self, side: Side, world: Optional[World] = None):
        self.side = side
        self.world = world
        self.strict = world is None
        self._conditions: dict = {}
        self.depth = 0

    # -- what is unknown ---------------------------------------------------------

    def unknown(self, node, why: str):
        if self.strict:
            raise Unresolved(why)
        return node

    # -- references --------------------------------------------------------------

    def ref(self, name, env=None):
        if not isinstance(name, str):
            return self.unknown({"Ref": name}, "a Ref that is not a name")
        if env and name in env:
            return env[name]
        if name.startswith("AWS::"):
            return self.pseudo(name)
        if name in self.side.params:
            return self.parameter(name)
        if self.strict:
            raise Unresolved(f"{name} is not a parameter of the template")
        return {"Ref": name}

    def parameter(self, name: str):
        side = self.side
        ptype = side.ptype(name)
        if ptype.startswith(SSM_TYPE):
            return self.unknown({"Ref": name}, f"parameter {name} is an SSM parameter, read at deploy time")
        if name in side.values:
            return side.typed(name, side.values[name])
        has_default, default = side.default(name)
        if self.strict:
            if has_default:
                return default
            raise Unresolved(f"parameter {name} has no Default and no value was given (--parameters)")
        world = self.world
        if name in world.split and world.choose(("default", name), (True, False)):
            return default if has_default else side.symbol(name)
        key = world.choices.get(("key", name))
        if key is not None and key is not OTHER:
            return key
        return side.symbol(name)

    def region(self):
        given = self.side.pseudo.get(REGION)
        if given is not None:
            return given
        if self.strict:
            raise Unresolved(f"the pseudo parameter {REGION} is known only at deploy time")
        key = self.world.choices.get(("key", REGION))
        return key if key is not None and key is not OTHER else None

    def pseudo(self, name: str):
        if name == "AWS::NoValue":
            return NO_VALUE
        given = self.side.pseudo.get(name)
        if given is not None:
            return given
        if name == REGION:
            region = self.region()
            return region if region is not None else {"Ref": REGION}
        if name in ("AWS::Partition", "AWS::URLSuffix"):
            try:
                region = self.region()
            except Unresolved:
                region = None
            if region is not None:
                return partition(region) if name == "AWS::Partition" else url_suffix(region)
        return self.unknown({"Ref": name}, f"the pseudo parameter {name} is known only at deploy time")

    # -- values ------------------------------------------------------------------

    def value(self, node, env=None):
        """``node`` evaluated; :data:`NO_VALUE` where it disappears."""
        if self.world is not None and self.world.budget is not None:
            budget = self.world.budget
            budget[0] -= 1
            if budget[0] < 0:
                raise TooLarge()
        kind = type(node)
        if kind is list:
            out = []
            for item in node:
                got = self.value(item, env)
                if got is not NO_VALUE:
                    out.append(got)
            return out
        if kind is not dict:
            return node
        if len(node) == 1:
            (fn, arg), = node.items()
            if fn == "Ref":
                return self.ref(arg, env)
            if type(fn) is str and fn.startswith("Fn::"):
                handler = FUNCTIONS.get(fn)
                if handler is None:
                    return self.unknown(node, f"{fn} is evaluated at deploy time")
                self.depth += 1
                try:
                    if self.depth > MAX_DEPTH:
                        return self.unknown(node, "functions nested too deep")
                    return handler(self, arg, env, node)
                finally:
                    self.depth -= 1
        out = {}
        for key, item in node.items():
            got = self.value(item, env)
            if got is not NO_VALUE:
                out[key] = got
        return out

    def strings(self, node, env, what: str):
        got = self.value(node, env)
        if not isinstance(got, str):
            raise Unresolved(what)
        return got

    # -- conditions --------------------------------------------------------------

    def condition(self, name, seen: tuple = ()) -> bool:
        if name in self._conditions:
            return self._conditions[name]
        conditions = self.side.conditions
        if not isinstance(name, str) or name in seen or name not in conditions:
            if self.strict:
                raise Unresolved(f"condition {name} cannot be evaluated offline")
            return self.world.choose(("atom", _text(["Condition", name])), (True, False))
        got = self.truth(conditions[name], seen + (name,))
        self._conditions[name] = got
        return got

    def truth(self, node, seen: tuple = ()) -> bool:
        if isinstance(node, dict) and len(node) == 1:
            (fn, arg), = node.items()
            if fn == "Condition" and isinstance(arg, str):
                return self.condition(arg, seen)
            if fn == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
                return self.equals(self.value(arg[0]), self.value(arg[1]))
            if fn == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
                return not self.truth(arg[0], seen)
            if fn == "Fn::And" and isinstance(arg, list):
                return all(self.truth(a, seen) for a in arg)
            if fn == "Fn::Or" and isinstance(arg, list):
                return any(self.truth(a, seen) for a in arg)
        if node in ("true", "false"):
            return node == "true"
        if self.strict:
            raise Unresolved("a condition that cannot be evaluated offline")
        return self.world.choose(("atom", _text(node)), (True, False))

    def equals(self, a, b) -> bool:
        if not is_symbol(a) and not is_symbol(b):
            return _scalar(a) == _scalar(b)
        if a == b:
            return True
        if self.strict:
            raise Unresolved("a condition that cannot be evaluated offline")
        var = atom_var(a, b)
        self.world.atoms.setdefault(var, (a, b))
        return self.world.choose(var, (True, False))

    # -- mappings ----------------------------------------------------------------

    def find_in_map(self, arg, env=None, node=None):
        if not isinstance(arg, list) or len(arg) not in (3, 4):
            return self.unknown(node, "an Fn::FindInMap that is not [map, key, key]")
        default = None
        if len(arg) == 4:
            if not (isinstance(arg[3], dict) and set(arg[3]) == {"DefaultValue"}):
                return self.unknown(node, "an Fn::FindInMap whose fourth argument is not {DefaultValue: ...}")
            default = arg[3]
        name = self.value(arg[0], env)
        entry = self.side.mappings.get(name) if isinstance(name, str) else None
        if not isinstance(entry, dict):
            if isinstance(name, str) and default is not None:
                return self.value(default["DefaultValue"], env)
            return self.unknown(self._symbolic(node, env), f"Mappings has no {name}" if isinstance(name, str)
                                else "an Fn::FindInMap key that is not a string")
        chosen = False
        for level in (1, 2):
            key = self._level_key(arg[level], env)
            chosen = chosen or self._chosen(arg[level])
            if not isinstance(key, str):
                key, by_choice = self._key(key, entry, default is not None)
                if key is None or (key is OTHER and default is None):
                    return self.unknown(self._symbolic(node, env), "an Fn::FindInMap key that is not a string")
                chosen = chosen or by_choice
            if key is OTHER:
                return self.value(default["DefaultValue"], env)
            got = entry.get(key) if isinstance(entry, dict) else None
            if got is None:
                if default is not None:
                    return self.value(default["DefaultValue"], env)
                if chosen:
                    raise Infeasible()
                return self.unknown(self._symbolic(node, env), f"Mappings has no {'/'.join(map(str, arg[:level + 1]))}")
            entry = got
        return entry

    def _level_key(self, written, env):
        """A mapping key.  One read from another mapping by a key nobody
        gave (``!FindInMap [InstanceTypes, !Ref InstanceType, Arch]``) is a
        variable over the values that mapping holds, not over its keys: an
        AMI looked up by region and architecture depends on a few
        architectures, not on every instance type."""
        if not self.strict and self.world.keys and type(written) is dict and len(written) == 1 \
                and "Fn::FindInMap" in written:
            found = self._lookup_values(written["Fn::FindInMap"], env)
            if found is not None:
                label, values = found
                return self.world.choose(("value", label), values)
        return self.value(written, env)

    def _lookup_values(self, arg, env):
        """(label, the distinct values) of a lookup whose first key nobody gave, or None."""
        if not (isinstance(arg, list) and len(arg) == 3 and all(isinstance(a, str) for a in arg[::2])):
            return None
        entry = self.side.mappings.get(arg[0])
        twin = self.side.twin
        if twin is not None and twin.mappings.get(arg[0]) != entry:
            return None  # the values differ between the revisions: the key is the variable
        key = self.value(arg[1], env)
        name = key.get("Ref") if isinstance(key, dict) and len(key) == 1 else None
        if not isinstance(entry, dict) or not isinstance(name, str) or ("key", name) in self.world.choices:
            return None
        values = []
        for item in entry.values():
            got = item.get(arg[2]) if isinstance(item, dict) else None
            if not isinstance(got, str):
                if got is not None:
                    return None
                continue
            if got not in values:
                values.append(got)
        return (f"{arg[0]}/{arg[2]} of {name}", tuple(values)) if values else None

    def _chosen(self, written) -> bool:
        """Whether a written key is a reference the world has decided (a key variable)."""
        if self.strict or not (isinstance(written, dict) and len(written) == 1):
            return False
        name = written.get("Ref")
        return isinstance(name, str) and ("key", name) in self.world.choices

    def _key(self, key, entry, has_default: bool):
        """A symbolic mapping key decided by the world: (key, True), or (None, False) when it cannot be."""
        if self.strict or not self.world.keys or not isinstance(entry, dict):
            return None, False
        if isinstance(key, dict) and len(key) == 1 and isinstance(key.get("Ref"), str):
            name = key["Ref"]
            if name.startswith("AWS::") and name != REGION:
                return None, False
            domain = tuple(k for k in entry if isinstance(k, str))
            if has_default:
                domain += (OTHER,)
            if not domain:
                return None, False
            return self.world.choose(("key", name), domain), True
        return None, False

    def _symbolic(self, node, env):
        """A function left for the deployment, its arguments evaluated as far as they go."""
        if node is None or self.strict:
            return node
        (fn, arg), = node.items()
        return {fn: self.value(arg, env)}


def _scalar(value):
    """Values as ``Fn::Equals`` compares them: strings (``22`` is ``"22"``)."""
    if isinstance(value, list):
        return [_scalar(v) for v in value]
    if isinstance(value, dict):
        return {k: _scalar(v) for k, v in value.items()}
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value if value is None or isinstance(value, str) else str(value)


# -- the functions ---------------------------------------------------------------


def _if(ev: Evaluator, arg, env, node):
    if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
        return ev.unknown(node, "an Fn::If that is not [condition, then, else]")
    return ev.value(arg[1] if ev.condition(arg[0]) else arg[2], env)


def _find_in_map(ev: Evaluator, arg, env, node):
    return ev.find_in_map(arg, env, node)


def _select(ev: Evaluator, arg, env, node):
    if not (isinstance(arg, list) and len(arg) == 2):
        return ev.unknown(node, "an Fn::Select that is not [index, list]")
    index, items = ev.value(arg[0], env), ev.value(arg[1], env)
    if isinstance(index, str) and index.isdigit() and isinstance(items, list) and int(index) < len(items):
        return items[int(index)]
    return ev.unknown({"Fn::Select": [index, items]}, "an Fn::Select of values known at deploy time")


def _split(ev: Evaluator, arg, env, node):
    if not (isinstance(arg, list) and len(arg) == 2):
        return ev.unknown(node, "an Fn::Split that is not [separator, text]")
    sep, text = ev.value(arg[0], env), ev.value(arg[1], env)
    if isinstance(sep, str) and isinstance(text, str) and sep:
        return text.split(sep)
    if sep == "," and isinstance(text, dict) and text.get("Fn::Join", [None])[0] == ",":
        return text["Fn::Join"][1]  # a list joined with the same separator
    return ev.unknown({"Fn::Split": [sep, text]}, "an Fn::Split of values known at deploy time")


def _join(ev: Evaluator, arg, env, node):
    if not (isinstance(arg, list) and len(arg) == 2):
        return ev.unknown(node, "an Fn::Join that is not [separator, list]")
    sep, items = ev.value(arg[0], env), ev.value(arg[1], env)
    if isinstance(sep, str) and isinstance(items, list):
        if all(isinstance(i, str) for i in items):
            return sep.join(items)
        if not ev.strict and all(isinstance(i, (str, dict)) for i in items) and not any(_listish(i) for i in items):
            parts: list = []
            for i, item in enumerate(items):
                if i and sep:
                    parts.append(sep)
                parts.append(item)
            return concat(parts)
    if isinstance(items, dict) and len(items) == 1 and "Fn::Split" in items:
        split = items["Fn::Split"]  # Join of Split with the same separator: the text itself
        if isinstance(split, list) and len(split) == 2 and split[0] == sep:
            return split[1]
    return ev.unknown({"Fn::Join": [sep, items]}, "an Fn::Join of values known at deploy time")


def _listish(value) -> bool:
    """Whether a symbol stands for a list (a list parameter, a split, GetAZs)."""
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("Fn::Split", "Fn::GetAZs", "Fn::Cidr")


def _sub(ev: Evaluator, arg, env, node):
    if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], dict):
        text, given = arg[0], arg[1]
    elif isinstance(arg, str):
        text, given = arg, {}
    else:
        return ev.unknown(node, "an Fn::Sub that is not text or [text, variables]")
    own = {k: ev.value(v, env) for k, v in given.items()}
    parts: list = []
    at = 0
    for m in _SUB_VAR.finditer(text):
        parts.append(text[at:m.start()])
        at = m.end()
        body = m.group(1)
        if body.startswith("!"):
            parts.append("${" + body[1:] + "}")
            continue
        name = body.strip()
        if name in own:
            got = own[name]
        elif env and name in env:
            got = env[name]
        elif "." in name and not name.startswith("AWS::"):
            resource, _, attribute = name.partition(".")
            got = ev.unknown({"Fn::GetAtt": [resource, attribute]}, f"${{{name}}} is known at deploy time")
        else:
            got = ev.ref(name, env)
        if got is NO_VALUE:
            got = ""
        if isinstance(got, str):
            parts.append(got)
        elif isinstance(got, dict) and not _listish(got):
            if ev.strict:
                raise Unresolved(f"${{{name}}} is not a string")
            parts.append(got)
        else:
            return ev.unknown({"Fn::Sub": [text, own]} if own else {"Fn::Sub": text}, f"${{{name}}} is not a string")
    parts.append(text[at:])
    return concat(parts)


def concat(parts: list):
    """Text and symbols in a row, as one value: a string when every part is
    text; else ``{"Fn::Sub": ...}`` naming each ``Ref`` and ``Fn::GetAtt``,
    or ``{"Fn::Join": ["", parts]}`` when some part cannot be named in it."""
    merged: list = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] += part
                continue
        merged.append(part)
    if not merged:
        return ""
    if len(merged) == 1:
        return merged[0]
    text = []
    for part in merged:
        if isinstance(part, str):
            text.append(part.replace("${", "${!"))
            continue
        name = _sub_name(part)
        if name is None:
            return {"Fn::Join": ["", merged]}
        text.append("${" + name + "}")
    return {"Fn::Sub": "".join(text)}


def _sub_name(part) -> Optional[str]:
    if not (isinstance(part, dict) and len(part) == 1):
        return None
    (fn, arg), = part.items()
    if fn == "Ref" and isinstance(arg, str) and "}" not in arg and not arg.startswith("!"):
        return arg
    if fn == "Fn::GetAtt" and isinstance(arg, list) and len(arg) == 2 and all(isinstance(a, str) for a in arg):
        if "}" not in "".join(arg) and not arg[0].startswith("!"):
            return f"{arg[0]}.{arg[1]}"
    return None


def _base64(ev: Evaluator, arg, env, node):
    text = ev.value(arg, env)
    if isinstance(text, str):
        return base64.b64encode(text.encode("utf-8")).decode("ascii")
    return ev.unknown({"Fn::Base64": text}, "an Fn::Base64 of a value known at deploy time")


def _length(ev: Evaluator, arg, env, node):
    items = ev.value(arg, env)
    if isinstance(items, list):
        return str(len(items))
    return ev.unknown({"Fn::Length": items}, "an Fn::Length of a list known at deploy time")


def _to_json_string(ev: Evaluator, arg, env, node):
    got = ev.value(arg, env)
    if got is not NO_VALUE and not is_symbol(got) and isinstance(got, (dict, list)):
        return json.dumps(got, separators=(",", ":"), ensure_ascii=False)
    return ev.unknown({"Fn::ToJsonString": got}, "an Fn::ToJsonString of a value known at deploy time")


MAX_CIDRS = 256


def _cidr(ev: Evaluator, arg, env, node):
    if isinstance(arg, list) and len(arg) == 3:
        block, count, bits = (ev.value(a, env) for a in arg)
        if all(isinstance(v, str) for v in (block, count, bits)) and count.isdigit() and bits.isdigit():
            import ipaddress

            try:
                network = ipaddress.ip_network(block, strict=False)
                prefix = network.max_prefixlen - int(bits)
                if network.prefixlen <= prefix and 0 < int(count) <= MAX_CIDRS:
                    out = []
                    for subnet in network.subnets(new_prefix=prefix):
                        out.append(str(subnet))
                        if len(out) == int(count):
                            return out
            except ValueError:
                pass
        return ev.unknown({"Fn::Cidr": [block, count, bits]}, "an Fn::Cidr of values known at deploy time")
    return ev.unknown(node, "an Fn::Cidr that is not [block, count, bits]")


def _get_azs(ev: Evaluator, arg, env, node):
    region = ev.value(arg, env)
    if region == "" or region == {"Ref": REGION}:
        region = ev.pseudo(REGION)
        if isinstance(region, dict) and ev.strict:
            raise Unresolved("Fn::GetAZs is known only at deploy time")
    return ev.unknown({"Fn::GetAZs": region}, "Fn::GetAZs is known only at deploy time")


def _get_att(ev: Evaluator, arg, env, node):
    if isinstance(arg, str) and "." in arg:
        arg = arg.split(".", 1)
    if isinstance(arg, list):
        arg = [ev.value(a, env) for a in arg]
    return ev.unknown({"Fn::GetAtt": arg}, "Fn::GetAtt is known only at deploy time")


def _symbol(ev: Evaluator, arg, env, node):
    (fn, _), = node.items()
    return ev.unknown({fn: ev.value(arg, env)}, f"{fn} is known only at deploy time")


def _condition_function(ev: Evaluator, arg, env, node):
    """``Fn::Equals``, ``Fn::And``, ... where a value is expected: "true" or "false"."""
    return "true" if ev.truth(node) else "false"


FUNCTIONS = {
    "Fn::If": _if,
    "Fn::FindInMap": _find_in_map,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::Join": _join,
    "Fn::Sub": _sub,
    "Fn::Base64": _base64,
    "Fn::Length": _length,
    "Fn::ToJsonString": _to_json_string,
    "Fn::Cidr": _cidr,
    "Fn::GetAZs": _get_azs,
    "Fn::GetAtt": _get_att,
    "Fn::ImportValue": _symbol,
    "Fn::Equals": _condition_function,
    "Fn::And": _condition_function,
    "Fn::Or": _condition_function,
    "Fn::Not": _condition_function,
}
