"""IAM policies compared as grants.

A policy document is read into statements, each normalised to a grant:
(effect, principal, action, resource, condition).  Two documents are compared
grant by grant, not as JSON: formatting (a string or a one-item list, the
order of statements, ``Sid``, the case of actions, ``"*"`` or ``{"AWS": "*"}``,
a condition value or a one-item list of it) is never a change.  Wildcards are
matched both ways, so ``s3:GetObject`` -> ``s3:Get*`` widens and the reverse
narrows.  An Allow widens access, a Deny narrows it; a Deny grants nothing.

Where policies live in a template comes from ``rules/policies.json`` (built
from the registry schemas and a reviewed overlay), what the actions mean from
``rules/iam/<service>.json`` (the IAM service reference), and the reviewed
lists of admin-equivalent managed policies and restricting condition keys from
``rules/security.json``.  Each is read only when a policy changed.

Intrinsic functions stay symbolic and are shown as written: ``Ref Bucket``,
``GetAtt Bucket.Arn``, ``${Bucket.Arn}/*`` (a ``Sub`` string, or a ``Join``
rendered as one).  A statement inside ``Fn::If`` counts with both branches,
and so does a value inside ``Fn::If``: conservatively, as if both applied.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..model import CLOSES, MOVES, OPENS, SecurityChange, escape

ALLOW, DENY = "Allow", "Deny"

ADDED, REMOVED, WIDENED, NARROWED, CHANGED, MOVED = "added", "removed", "widened", "narrowed", "changed", "moved"
LEVELS = ("List", "Read", "Tagging", "Write", "Permissions management")
ANYONE = "AWS *"
NO_VALUE = {"Ref": "AWS::NoValue"}
MAX_JSON = 5_000_000  # characters of a policy given as a JSON string
MAX_ATOMS = 4000  # action x resource pairs checked one by one per statement
_SERVICE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ACCOUNT = re.compile(r"^\d{12}$")


# --- reviewed data and the catalogue, loaded lazily --------------------------


@lru_cache(maxsize=None)
def _rules(name: str) -> dict:
    from ..paths import read_json, rules_dir

    path = rules_dir() / name
    return read_json(path) if path.is_file() else {}


def policy_locations() -> dict:
    """``rules/policies.json``: where each type keeps its policies."""
    return _rules("policies.json")


def security_data() -> dict:
    return _rules("security.json")


@lru_cache(maxsize=None)
def _service(prefix: str) -> Optional[dict]:
    """``{lowercase action: (Name, access level)}`` of one service, or None
    when the catalogue does not know the service."""
    from ..paths import read_json, rules_dir

    if not _SERVICE.match(prefix):
        return None
    path = rules_dir() / "iam" / f"{prefix}.json"
    if not path.is_file():
        return None
    return {name.lower(): (name, level) for name, level in read_json(path).items()}


def action_levels(action: str) -> tuple:
    """``(levels, display name, known)`` of one action or wildcard pattern:
    ``s3:getobject`` -> ``({"Read"}, "s3:GetObject", True)``; a wildcard
    expands against the catalogue; an unknown action has no levels."""
    if action == "*":
        return set(LEVELS), "*", True
    prefix, _, name = action.lower().partition(":")
    if not name:
        return set(), action, False
    if "*" in prefix or "?" in prefix:
        return set(LEVELS), action, True
    actions = _service(prefix)
    if actions is None:
        return set(), action, False
    if "*" not in name and "?" not in name:
        hit = actions.get(name)
        return ({hit[1]}, f"{prefix}:{hit[0]}", True) if hit else (set(), action, False)
    pattern = _pattern(name, False)
    levels = {level for low, (_, level) in actions.items() if pattern.fullmatch(low)}
    return levels, action, bool(levels)


def _ordered_levels(levels) -> list:
    return [level for level in LEVELS if level in levels]


def _and(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# --- values as written --------------------------------------------------------


def _canon(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _intrinsic(value):
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        if key == "Ref" or key.startswith("Fn::"):
            return key, value[key]
    return None, None


def _inline(value) -> str:
    """A value as it reads inside a ``Sub`` string: ``${Bucket.Arn}``."""
    if isinstance(value, str):
        return value
    key, arg = _intrinsic(value)
    if key == "Ref" and isinstance(arg, str):
        return "${" + arg + "}"
    if key == "Fn::GetAtt":
        return "${" + _getatt(arg) + "}"
    if key == "Fn::Sub":
        return show(value)
    return "${" + _canon(value) + "}"


def _getatt(arg) -> str:
    if isinstance(arg, list):
        return ".".join(show(a) for a in arg)
    return show(arg)


def show(value) -> str:
    """A value as written: ``Ref Bucket``, ``GetAtt Bucket.Arn``, a ``Sub``
    string as it is, a ``Join`` as the string it builds."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    key, arg = _intrinsic(value)
    if key == "Ref" and isinstance(arg, str):
        return f"Ref {arg}"
    if key == "Fn::GetAtt":
        return f"GetAtt {_getatt(arg)}"
    if key == "Fn::Sub":
        if isinstance(arg, str):
            return arg
        if isinstance(arg, list) and arg and isinstance(arg[0], str):
            if len(arg) > 1 and arg[1]:
                return f"{arg[0]} (with {_canon(arg[1])})"
            return arg[0]
    if key == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], list):
        return arg[0].join(_inline(part) for part in arg[1])
    if key == "Fn::ImportValue":
        return f"ImportValue {show(arg)}"
    return _canon(value)


def _branches(value):
    """The values ``value`` can take: both branches of an ``Fn::If``
    (recursively), none for ``AWS::NoValue``."""
    key, arg = _intrinsic(value)
    if key == "Fn::If" and isinstance(arg, list) and len(arg) == 3:
        return list(_branches(arg[1])) + list(_branches(arg[2]))
    if value is None or value == NO_VALUE:
        return []
    return [value]


def _as_list(value) -> list:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    out = []
    for branch in _branches(value):
        if isinstance(branch, list):
            for item in branch:
                out.extend(_branches(item))
        else:
            out.append(branch)
    return out


# --- statements -----------------------------------------------------------------


@dataclass(frozen=True)
class Values:
    """The values of Action, Resource or Principal; ``neg`` for the
    ``Not`` form (every value but these)."""

    neg: bool
    items: frozenset


@dataclass
class Statement:
    path: tuple  # keys below the resource, e.g. ("Properties", "PolicyDocument", "Statement", 1)
    effect: str
    principal: Optional[Values]  # None: an identity policy (the principal is who it is attached to)
    actions: Values
    resources: Values
    condition: frozenset  # of (operator, lowercase key, frozenset of values)
    raw: object = None
    opaque: bool = False  # not readable: compared as written
    kind: str = "resource"  # identity | resource | trust | permission (a resource-policy statement given as properties)

    @property
    def key(self):
        if self.opaque:
            return (self.kind, "opaque", _canon(self.raw))
        return (self.kind, self.effect, self.principal, self.actions, self.resources, self.condition)


class Entry:
    """A statement as written, read as a grant only when it is needed: most
    statements of a changed document are equal as written and never are."""

    __slots__ = ("path", "raw", "kind", "_stmt")

    def __init__(self, path: tuple, raw, kind: str = "resource", stmt: Optional[Statement] = None):
        self.path, self.raw, self.kind, self._stmt = path, raw, kind, stmt

    @property
    def stmt(self) -> Statement:
        if self._stmt is None:
            self._stmt = parse_statement(self.raw, self.path)
            self._stmt.kind = self.kind
        return self._stmt

    def written(self):
        """A key equal for statements written alike (``Sid`` aside)."""
        raw = self.raw
        if isinstance(raw, dict) and "Sid" in raw:
            raw = {k: v for k, v in raw.items() if k != "Sid"}
        try:
            return self.kind, json.dumps(raw, separators=(",", ":"), ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            return self.kind, repr(raw)

    def prefixes(self) -> set:
        """The services of the statement's actions (``*``: any), read from
        the statement as written when it has not been parsed."""
        if self._stmt is not None:
            s = self._stmt
            return {"*"} if s.opaque or s.actions.neg else {_prefix(a) for a in s.actions.items}
        raw = self.raw
        if not isinstance(raw, dict) or "NotAction" in raw:
            return {"*"}
        action = raw.get("Action")
        items = [action] if isinstance(action, str) else action if isinstance(action, list) else None
        if not items:
            return {"*"}
        out = set()
        for a in items:
            i = a.find(":") if a.__class__ is str else -1
            if i < 0:
                return {"*"}
            out.add(a[:i].lower())
        return {p if "*" not in p and "?" not in p else "*" for p in out}

    def exact_actions(self) -> Optional[set]:
        """The statement's actions, lowercase, when each names one action
        (``service:Name``, no wildcard); None when any may name more."""
        if self._stmt is not None:
            s = self._stmt
            if s.opaque or s.actions.neg:
                return None
            items = s.actions.items
        else:
            raw = self.raw
            if not isinstance(raw, dict) or "NotAction" in raw:
                return None
            action = raw.get("Action")
            items = [action] if isinstance(action, str) else action if isinstance(action, list) else None
            if not items or any(a.__class__ is not str for a in items):
                return None
            items = [a.lower() for a in items]
        if not items or any(":" not in a or "*" in a or "?" in a for a in items):
            return None
        return set(items)


def _principal_items(value) -> set:
    items = set()
    for branch in _as_list(value):
        if branch == "*":
            items.add(ANYONE)
        elif isinstance(branch, dict) and _intrinsic(branch)[0] is None:
            for kind, values in branch.items():
                for v in _as_list(values):
                    items.add(_principal_item(str(kind), show(v)))
        else:
            items.add(_principal_item("AWS", show(branch)))
    return items


def _principal_item(kind: str, value: str) -> str:
    if kind == "AWS" and _ACCOUNT.match(value):
        value = f"arn:aws:iam::{value}:root"  # an account ID is its root principal
    if kind == "Service":
        value = value.lower()
    return f"{kind} {value}"


def _values(stmt: dict, name: str, lower: bool = False) -> Values:
    neg = "Not" + name in stmt and name not in stmt
    raw = stmt.get("Not" + name) if neg else stmt.get(name)
    items = {show(v) for v in _as_list(raw)}
    if lower:
        items = {v.lower() for v in items}
    return Values(neg, frozenset(items))


def _condition(raw) -> frozenset:
    if raw is None:
        return frozenset()
    if not isinstance(raw, dict) or _intrinsic(raw)[0] is not None:
        return frozenset({("?", _canon(raw), frozenset())})
    out = set()
    for op, clause in raw.items():
        if isinstance(clause, dict) and _intrinsic(clause)[0] is None:
            for key, values in clause.items():
                out.add((str(op), str(key).lower(), frozenset(show(v) for v in _as_list(values))))
        else:
            out.add((str(op), "?", frozenset({_canon(clause)})))
    return frozenset(out)


def parse_statement(raw, path: tuple = ()) -> Statement:
    """One statement (a dict as written) as a grant."""
    if not isinstance(raw, dict) or _intrinsic(raw)[0] is not None:
        return Statement(path, ALLOW, None, Values(False, frozenset()), Values(False, frozenset()), frozenset(), raw, True)
    effect = DENY if show(raw.get("Effect", ALLOW)).strip().lower() == "deny" else ALLOW
    principal = None
    if "Principal" in raw or "NotPrincipal" in raw:
        neg = "NotPrincipal" in raw and "Principal" not in raw
        principal = Values(neg, frozenset(_principal_items(raw.get("NotPrincipal") if neg else raw.get("Principal"))))
    return Statement(
        path,
        effect,
        principal,
        _values(raw, "Action", lower=True),
        _values(raw, "Resource"),
        _condition(raw.get("Condition")),
        raw,
    )


def _load_json(text: str):
    if len(text) > MAX_JSON:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _document_value(value):
    """A document given as a JSON string (or a ``Sub`` of one) parsed; else as it is."""
    if isinstance(value, str):
        return _load_json(value), True
    key, arg = _intrinsic(value)
    if key == "Fn::Sub":
        text = arg if isinstance(arg, str) else arg[0] if isinstance(arg, list) and arg and isinstance(arg[0], str) else None
        if text is not None:
            return _load_json(text), True
    return value, False


def document_statements(value, path: tuple = (), single: bool = False, kind: str = "resource") -> list:
    """The statements of one policy document (``single``: the value is one
    statement), as :class:`Entry` objects with their paths.  A document given
    as a string has its statements at the string's path."""
    out: list = []
    _document_into(out, value, tuple(path), None, single, kind)
    return out


def _document_into(out: list, doc, at: tuple, fixed, single: bool, kind: str) -> None:
    """Add the statements of one document (or, ``single``, one statement) at ``at`` to ``out``."""
    for i, branch in _if_branches(doc, at):
        if isinstance(branch, str) or _intrinsic(branch)[0] == "Fn::Sub":
            parsed, _ = _document_value(branch)
            if parsed is None:
                out.append(Entry(fixed or i, branch, kind))
            else:
                _document_into(out, parsed, i, fixed or i, single, kind)
            continue
        if single:
            _statement_into(out, branch, i, fixed, kind)
            continue
        if not isinstance(branch, dict) or _intrinsic(branch)[0] is not None:
            out.append(Entry(fixed or i, branch, kind))
            continue
        if "Statement" not in branch:
            continue
        body = branch["Statement"]
        at_body = i + ("Statement",)
        for j, listed in _if_branches(body, at_body):
            if isinstance(listed, list):
                for n, item in enumerate(listed):
                    _statement_into(out, item, j + (n,), fixed, kind)
            else:
                _statement_into(out, listed, j, fixed, kind)


def _statement_into(out: list, item, at: tuple, fixed, kind: str) -> None:
    for i, branch in _if_branches(item, at):
        out.append(Entry(fixed or i, branch, kind))


def _if_branches(value, at: tuple):
    """``[(path, value)]`` for ``value`` and, through ``Fn::If``, each branch
    (``AWS::NoValue`` dropped)."""
    key, arg = _intrinsic(value)
    if key == "Fn::If" and isinstance(arg, list) and len(arg) == 3:
        return _if_branches(arg[1], at + ("Fn::If", 1)) + _if_branches(arg[2], at + ("Fn::If", 2))
    if value == NO_VALUE:
        return []
    return [(at, value)]


# --- wildcards and coverage ----------------------------------------------------


@lru_cache(maxsize=8192)
def _pattern(text: str, case: bool):
    """A wildcard pattern as a regex.  Matched against another pattern taken
    literally, it tells whether the first covers the second: ``*`` spans
    anything (a ``*`` too), ``?`` one character but not a ``*``."""
    out = []
    for ch in text:
        out.append(".*" if ch == "*" else "[^*]" if ch == "?" else re.escape(ch))
    return re.compile("".join(out), 0 if case else re.I | re.S)


def covers(p: str, q: str, case: bool = True) -> bool:
    """Whether pattern ``p`` matches everything pattern ``q`` matches."""
    if p == q or p == "*":
        return True
    if not case:
        p, q = p.lower(), q.lower()
    if "*" not in p and "?" not in p:
        return p == q
    if "?" in p:
        return bool(_pattern(p, True).fullmatch(q))
    return _glob(p, q)


def _glob(p: str, q: str) -> bool:
    """``p`` (with ``*`` only) matches ``q`` taken literally."""
    parts = p.split("*")
    first, last = parts[0], parts[-1]
    if len(q) < len(first) + len(last) or not q.startswith(first) or not q.endswith(last):
        return False
    pos, end = len(first), len(q) - len(last)
    for middle in parts[1:-1]:
        i = q.find(middle, pos, end)
        if i < 0:
            return False
        pos = i + len(middle)
    return True


def _principal_covers(p: str, q: str) -> bool:
    if p == ANYONE or p == q:
        return True
    kind_p, _, value_p = p.partition(" ")
    kind_q, _, value_q = q.partition(" ")
    return kind_p == kind_q and covers(_as_pattern(value_p), _as_pattern(value_q))


def values_cover(t: Values, s: Values, match) -> bool:
    """Whether the set ``t`` includes the set ``s``."""
    if not t.neg and not s.neg:
        return all(any(match(p, q) for p in t.items) for q in s.items)
    if t.neg and s.neg:  # all but T includes all but S when S excludes all T excludes
        return all(any(match(q, p) for q in s.items) for p in t.items)
    if t.neg:  # all but T includes S when no item of S is excluded
        return not any(match(p, q) or match(q, p) for p in t.items for q in s.items)
    return any(match(p, "*") for p in t.items) or ANYONE in t.items


def _negated(op: str) -> bool:
    return "Not" in op and op != "Null"


def condition_covers(t: frozenset, s: frozenset) -> bool:
    """Whether a statement with condition ``t`` applies whenever one with
    condition ``s`` does: each clause of ``t`` is also in ``s``, as strict
    or stricter."""
    if not t:
        return True
    index = {(op, key): values for op, key, values in s}
    for op, key, values in t:
        mine = index.get((op, key))
        if mine is None:
            return False
        if mine == values:
            continue
        if _negated(op):
            if not values <= mine:
                return False
        elif not all(any(covers(p, q) for p in values) for q in mine):
            return False
    return True


def _action_match(p: str, q: str) -> bool:
    return covers(p, q, case=False)


_PARTITION = "${AWS::Partition}"


def _resource_match(p: str, q: str) -> bool:
    """ARN patterns compared as sets.  ``${AWS::Partition}`` is the
    partition the stack is deployed in: ``arn:${AWS::Partition}:logs:...``
    and ``arn:aws:logs:...`` name the same resources.  Another ``${...}``
    stands for one value (a region, an account, a resource's name), which
    only a ``*`` of the other pattern, or the same ``${...}``, covers; and
    ``GetAtt Queue.Arn`` is ``${Queue.Arn}``."""
    return covers(_as_pattern(p), _as_pattern(q))


def _as_pattern(value: str) -> str:
    """A value as written, as the pattern it stands for (see
    :func:`_resource_match`): a reference to a resource of the template whose
    ARN has a known form (``rules/security.json``, ``arn_formats``) is that
    ARN, ``GetAtt Logs.Arn`` the log group's ``arn:aws:logs:...:log-group:${Logs}:*``."""
    table = _REFERENCES.table
    if table and (value in table or "${" in value):
        hit = table.get(value)
        if hit is not None:
            value = hit
        elif "Arn}" in value:
            value = _INLINE_REFERENCE.sub(lambda m: table.get(m.group(0), m.group(0)), value)
    if _PARTITION in value:
        value = value.replace(_PARTITION, "aws")
    if value.startswith(("Ref ", "GetAtt ")):
        return "${" + value.partition(" ")[2] + "}"
    return value


_INLINE_REFERENCE = re.compile(r"\$\{[A-Za-z0-9]+\.[A-Za-z]+\}")


class _REFERENCES:
    """What the references of the template being compared stand for:
    ``{"GetAtt Logs.Arn" or "${Logs.Arn}" or "Ref Topic": ARN pattern}``,
    set by :func:`policy_changes` for the resource it compares."""

    table: dict = {}


def reference_arns(types: dict) -> dict:
    """The ARN patterns of the references to the resources ``{logical ID:
    type}`` whose ARN has a known form (``rules/security.json``)."""
    formats = (security_data().get("arn_formats") or {}).get("types") or {}
    out: dict = {}
    for logical_id, type_name in types.items():
        for attribute, pattern in (formats.get(type_name) or {}).items():
            arn = pattern.replace("${Ref}", "${" + logical_id + "}").replace("${Ref.", "${" + logical_id + ".")
            if attribute == "Ref":
                out[f"Ref {logical_id}"] = arn
            else:
                out[f"GetAtt {logical_id}.{attribute}"] = arn
                out["${" + logical_id + "." + attribute + "}"] = arn
    return out


def _prefix(action: str) -> str:
    prefix = action.partition(":")[0]
    return "*" if "*" in prefix or "?" in prefix or ":" not in action else prefix


class _Index:
    """The statements of one side by the actions they name, to find the ones
    that could cover a given action; each is read as a grant only when it is
    a candidate.  A statement whose actions each name one action is found by
    them (``exact``); one with a wildcard, a ``NotAction`` or an action
    written otherwise, by its services (``wild``; ``*``: any).  So an action
    is compared with the statements that name it and with the wildcards of
    its service, however many other statements that service has."""

    def __init__(self, entries):
        self.all = entries
        self.by = {}  # service -> every statement about it
        self.wild = {}  # service -> the statements about it that are not found by exact action
        self.exact = {}  # lowercase action -> the statements naming it
        for e in entries:
            prefixes = e.prefixes()
            for key in prefixes:
                self.by.setdefault(key, []).append(e)
            names = e.exact_actions()
            if names is None:
                for key in prefixes:
                    self.wild.setdefault(key, []).append(e)
            else:
                for name in names:
                    self.exact.setdefault(name, []).append(e)

    def candidates(self, effect: str, action: Optional[str]):
        if action is None or _prefix(action) == "*":
            group = self.all
        elif "*" in action or "?" in action:
            group = _unique(self.by.get(_prefix(action), []) + self.by.get("*", []))
        else:
            prefix = _prefix(action)
            group = _unique(self.exact.get(action, []) + self.wild.get(prefix, []) + self.wild.get("*", []))
        return [s for s in (e.stmt for e in group) if not s.opaque and s.effect == effect]


def _unique(items):
    seen, out = set(), []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out


def _applies(s: Statement, t: Statement) -> bool:
    """Whether ``t`` applies to every principal, and under every condition,
    that ``s`` does."""
    if s.principal is None or t.principal is None:
        if (s.principal is None) != (t.principal is None):
            return False
    elif not values_cover(t.principal, s.principal, _principal_covers):
        return False
    return condition_covers(t.condition, s.condition)


def uncovered(s: Statement, index: _Index) -> tuple:
    """``(actions, resources)`` of ``s`` that no statement of the other side
    (same effect) covers; both empty when ``s`` adds nothing."""
    if s.opaque:
        return ({_canon(s.raw)}, set())
    if s.actions.neg or not s.actions.items:
        atoms_a = [(None, s.actions)]
    else:
        atoms_a = [(a, Values(False, frozenset({a}))) for a in sorted(s.actions.items)]
    split_r = not s.resources.neg and len(atoms_a) * max(1, len(s.resources.items)) <= MAX_ATOMS
    atoms_r = [Values(False, frozenset({r})) for r in sorted(s.resources.items)] if split_r and s.resources.items else [s.resources]
    bad_a, bad_r = set(), set()
    for action, actions in atoms_a:
        candidates = [t for t in index.candidates(s.effect, action) if values_cover(t.actions, actions, _action_match)]
        candidates = [t for t in candidates if _applies(s, t)]
        for resources in atoms_r:
            if not any(values_cover(t.resources, resources, _resource_match) for t in candidates):
                bad_a.add(action)
                bad_r.update(resources.items)
    return bad_a, bad_r


# --- comparing two sets of statements ------------------------------------------


_PAIRING = ("services", "actions", "sid")  # what a changed statement must share with the old one it is paired with


def _pair(new_left: list, old_left: list) -> dict:
    """Pair changed statements with the old ones they most resemble: of the
    same kind and effect, about the same services (or with the same actions
    or Sid), and then with the most of principal, actions, resources,
    condition and Sid equal.  A statement about other services is another
    statement: added, and the old one removed."""
    buckets: dict = {}
    for o in old_left:
        if o.opaque:
            continue
        for dim, value in _dims(o):
            if dim in _PAIRING:
                buckets.setdefault((o.kind, o.effect, dim, value), []).append(o)
    taken, pairs = set(), {}
    for n in new_left:
        if n.opaque:
            continue
        dims = _dims(n)
        mine = set(dims)
        best, score = None, 0
        for dim, value in dims:
            if dim not in _PAIRING:
                continue
            for o in buckets.get((n.kind, n.effect, dim, value), ()):
                if id(o) in taken:
                    continue
                s = sum(1 for d, v in _dims(o) if (d, v) in mine)
                if s > score:
                    best, score = o, s
        if best is not None:
            taken.add(id(best))
            pairs[id(n)] = best
    return pairs


def _dims(s: Statement):
    services = frozenset(_prefix(a) for a in s.actions.items)  # s3:GetObject and s3:* are both about s3
    out = [
        ("principal", s.principal),
        ("actions", s.actions),
        ("services", services),
        ("resources", s.resources),
        ("condition", s.condition),
    ]
    sid = s.raw.get("Sid") if isinstance(s.raw, dict) else None
    if isinstance(sid, str) and sid:
        out.append(("sid", sid))
    return out


@dataclass
class GrantChange:
    """One statement that adds or takes away access: a statement added or
    removed, or one changed (one row, whatever it gains and loses)."""

    change: str  # added | removed | widened | narrowed | changed
    direction: str  # opens | closes
    statement: Statement  # as it is now (as it was, for a removal)
    actions: set  # the actions (lowercase patterns) that changed; None in it: a NotAction
    before: Optional[Statement] = None  # the old statement of a changed one
    path: tuple = ()
    lost: set = None  # of a changed statement: the actions it no longer covers


def _unmatched(old: list, new: list, key) -> tuple:
    """The items of each side that no equal item (by ``key``) of the other
    matches, counting repeats."""
    pool: dict = {}
    for item in old:
        pool.setdefault(key(item), []).append(item)
    new_left = []
    for item in new:
        same = pool.get(key(item))
        if same:
            same.pop()
        else:
            new_left.append(item)
    return [item for group in pool.values() for item in group], new_left


def compare_statements(old: list, new: list) -> list:
    """The grants that changed between two lists of :class:`Entry`: linear
    in their size, as statements written alike are matched by hash first,
    then the rest by their normalised grants, and only what is left is
    compared further."""
    at: dict = {}
    for e in old:
        at[(e.path, e.kind)] = e if (e.path, e.kind) not in at else None  # a path shared (a JSON string) pairs nothing
    same = set()
    for e in new:  # a statement left where it was, as it was: the common case
        o = at.get((e.path, e.kind))
        if o is not None and id(o) not in same and o.raw == e.raw:
            same.add(id(o))
            same.add(id(e))
    if len(same) == len(old) + len(new):
        return []
    old_left, new_left = _unmatched(
        [e for e in old if id(e) not in same], [e for e in new if id(e) not in same], Entry.written
    )
    if not new_left and not old_left:
        return []
    old_left, new_left = _unmatched(old_left, new_left, lambda e: e.stmt.key)
    if not new_left and not old_left:
        return []
    old_left, new_left = [e.stmt for e in old_left], [e.stmt for e in new_left]
    pairs = _pair(new_left, old_left)
    paired = {id(o) for o in pairs.values()}
    old_index, new_index = _Index(old), _Index(new)
    out = []
    for s in new_left:
        gained, _ = _uncovered_actions(s, old_index)
        o = pairs.get(id(s))
        if o is None:
            if gained:
                out.append(GrantChange(ADDED, OPENS if s.effect == ALLOW else CLOSES, s, gained, None, s.path))
            continue
        lost, _ = _uncovered_actions(o, new_index)
        if not gained and not lost:
            continue
        # One row per statement: what it gains and what it loses, together.
        if gained and lost:
            change, direction = CHANGED, OPENS
        elif gained:
            change, direction = WIDENED, OPENS if s.effect == ALLOW else CLOSES
        else:
            change, direction = NARROWED, CLOSES if s.effect == ALLOW else OPENS
        out.append(GrantChange(change, direction, s, gained or lost, o, s.path, lost))
    for o in old_left:
        if id(o) in paired:
            continue
        lost, _ = _uncovered_actions(o, new_index)
        if lost:
            out.append(GrantChange(REMOVED, CLOSES if o.effect == ALLOW else OPENS, o, lost, None, o.path))
    return out


def _uncovered_actions(s: Statement, index: "_Index") -> tuple:
    """``(actions, resources)`` of ``s`` that the other side does not
    cover; ``actions`` holds a placeholder when only the resources are
    (so it is true exactly when something is uncovered)."""
    actions, resources = uncovered(s, index)
    if resources and not actions:
        actions = {None}
    return actions, resources


# --- saying what a grant means --------------------------------------------------


def describe_actions(actions, written: Optional[dict] = None) -> tuple:
    """``("Write and Permissions management on s3", [unknown actions])`` for
    a set of (lowercase) action patterns (``written``: how each was written)."""
    services: dict = {}
    unknown = []
    everything = False
    for action in sorted(actions):
        if action == "*" or action == "*:*":
            everything = True
            continue
        levels, name, known = action_levels(action)
        if not known:
            unknown.append((written or {}).get(action, name))
            continue
        prefix = action.partition(":")[0]
        services.setdefault(prefix, set()).update(levels)
    parts = ["every action on every service"] if everything else []
    parts += [f"{_and(_ordered_levels(levels))} on {prefix}" for prefix, levels in sorted(services.items())]
    return ", ".join(parts), unknown


def _written_actions(s: Statement) -> dict:
    """``{lowercase pattern: as written}`` of a statement's actions."""
    raw = s.raw if isinstance(s.raw, dict) else {}
    out = {}
    for key in ("Action", "NotAction"):
        for v in _as_list(raw.get(key)):
            out.setdefault(show(v).lower(), show(v))
    return out


def _action_list(values: Values, written: dict) -> str:
    shown = []
    for action in sorted(values.items):
        if action in ("*", "*:*"):
            shown.append(f"{action} (every action)")
            continue
        levels, name, known = action_levels(action)
        name = name if name != action else written.get(action, action)
        if known:
            shown.append(f"{name} ({', '.join(_ordered_levels(levels))})")
        else:
            shown.append(f"{name} (unknown action)")
    text = ", ".join(shown)
    return f"every action except {text}" if values.neg else text


def _principal_text(principal: Optional[Values], identity: str) -> str:
    if principal is None:
        return identity
    items = sorted("*" if p == ANYONE else p for p in principal.items)
    text = ", ".join(items)
    return f"every principal except {text}" if principal.neg else text


def _resource_text(resources: Values) -> str:
    text = ", ".join(sorted(resources.items))
    return f"every resource except {text}" if resources.neg else text


def _condition_text(raw) -> str:
    if not isinstance(raw, dict) or "Condition" not in raw:
        return ""
    return _canon(raw["Condition"])


def statement_fields(s: Statement, identity: str = "") -> dict:
    """The display columns of one statement, all text, never cut."""
    if s.opaque:
        return {"statement": show(s.raw)}
    return {
        "effect": s.effect,
        "principal": _principal_text(s.principal, identity),
        "actions": _action_list(s.actions, _written_actions(s)),
        "resources": _resource_text(s.resources),
        "condition": _condition_text(s.raw),
    }


def _restricting(condition: frozenset) -> bool:
    keys = {k.lower() for k in (security_data().get("restricting_condition_keys") or {}).get("keys", {})}
    for op, key, values in condition:
        if key in keys and not _negated(op) and not op.endswith("IfExists") and values and "*" not in values:
            return True
    return False


def is_public(s: Statement) -> bool:
    """An Allow to anyone (``*``, ``{"AWS": "*"}``, or every principal but
    some) with no condition that restricts who."""
    if s.opaque or s.effect != ALLOW or s.principal is None:
        return False
    anyone = s.principal.neg or ANYONE in s.principal.items
    return anyone and not _restricting(s.condition)


# --- admin-equivalent grants ------------------------------------------------------


def _every(resource: str) -> bool:
    """Whether a resource pattern names every resource of its kind: ``*``,
    ``arn:aws:iam::*:*``, ``arn:aws:iam::${AWS::AccountId}:role/*``."""
    if resource == "*":
        return True
    if not resource.startswith("arn:") or not resource.endswith("*"):
        return False
    parts = _PSEUDO.sub("x", resource).split(":", 5)
    if len(parts) < 6:
        return False
    tail = parts[5]
    return tail == "*" or bool(_KIND_ALL.match(tail))


_KIND_ALL = re.compile(r"^[A-Za-z0-9_.-]+[/:]\*$")
_PSEUDO = re.compile(r"\$\{AWS::[A-Za-z]+\}")


def _on_every_resource(raw) -> bool:
    """Whether a statement as written names every resource (a ``NotResource``
    counts: it names all but some), read without parsing it."""
    if not isinstance(raw, dict):
        return False
    if "NotResource" in raw and "Resource" not in raw:
        return True
    return any(_every(show(r)) for r in _as_list(raw.get("Resource")))


def _grants(s: Statement, action: str) -> bool:
    """Whether the (Allow) statement grants ``action`` (``*``: every action)."""
    if action == "*":
        return not s.actions.neg and bool(s.actions.items & {"*", "*:*"})
    hit = any(covers(p if p != "*:*" else "*", action, case=False) for p in s.actions.items)
    return hit != s.actions.neg


@lru_cache(maxsize=None)
def _admin_entries() -> tuple:
    """``((name, why, groups of lowercase actions), ...)`` from ``rules/security.json``."""
    grants = (security_data().get("admin_equivalent_grants") or {}).get("grants") or {}
    return tuple(
        (name, entry.get("why", ""), tuple(tuple(a.lower() for a in group) for group in entry.get("groups") or ()))
        for name, entry in grants.items()
    )


def _admin_why(name: str) -> str:
    return next((why for n, why, _ in _admin_entries() if n == name), "")


@lru_cache(maxsize=None)
def _admin_services() -> frozenset:
    return frozenset(a.partition(":")[0] for _, _, groups in _admin_entries() for g in groups for a in g if a != "*")


def _could_make_admin(s: Statement) -> bool:
    """Whether an Allow grants, on every resource, an action of some
    admin-equivalent grant (``rules/security.json``)."""
    if s.opaque or s.effect != ALLOW or s.principal is not None or not _on_every_resource(s.raw):
        return False
    return any(_grants(s, a) for _, _, groups in _admin_entries() for group in groups for a in group)


def admin_grants(entries: list) -> dict:
    """``{name: set of ids of the statements that make it}``: the
    admin-equivalent grants (``rules/security.json``) the identity
    statements of one resource make together, on every resource."""
    services = _admin_services()
    candidates = []
    for e in entries:  # read as grants only the statements that could count
        if e.kind != "identity" or not _on_every_resource(e.raw):
            continue
        prefixes = e.prefixes()
        if "*" not in prefixes and not (prefixes & services):
            continue
        s = e.stmt
        if not s.opaque and s.effect == ALLOW and s.principal is None:
            candidates.append(s)
    out = {}
    if not candidates:
        return out
    for name, _, groups in _admin_entries():
        makers = set()
        for group in groups:
            found = {id(s) for s in candidates if any(_grants(s, a) for a in group)}
            if not found:
                break
            makers |= found
        else:
            out[name] = makers
    return out


SHORT_CHANGE = 160  # characters of a changed value, before and after, said in the summary itself


def _action_name(action: str, written: dict) -> str:
    """An action as the catalogue names it, else as the template wrote it."""
    levels, name, known = action_levels(action)
    return name if known and name != action else written.get(action, name)


def _values_text(values: Values, name=None) -> str:
    text = ", ".join(sorted(name(v) if name else "*" if v == ANYONE else v for v in values.items))
    return f"all but {text}" if values.neg else text


def _what_changed(before: Statement, after: Statement) -> list:
    notes = []
    for name, a, b, match in (
        ("principal", before.principal, after.principal, _principal_covers),
        ("actions", before.actions, after.actions, _action_match),
        ("resources", before.resources, after.resources, _resource_match),
    ):
        if a == b:
            continue
        if a is None or b is None:
            notes.append(f"{name} changed")
        elif values_cover(a, b, match):
            notes.append(f"{name} narrowed")
        elif values_cover(b, a, match):
            notes.append(f"{name} widened")
        else:
            written = {**_written_actions(before), **_written_actions(after)} if name == "actions" else {}
            shown = (lambda v: _action_name(v, written)) if name == "actions" else None
            was, now = _values_text(a, shown), _values_text(b, shown)
            short = len(was) + len(now) <= SHORT_CHANGE
            notes.append(f"{name} {was} → {now}" if short else f"{name} changed")
    if before.condition != after.condition:
        if not after.condition:
            notes.append("condition removed")
        elif not before.condition:
            notes.append("condition added")
        elif condition_covers(after.condition, before.condition):
            notes.append("condition relaxed")
        elif condition_covers(before.condition, after.condition):
            notes.append("condition tightened")
        else:
            notes.append("condition changed")
    if before.effect != after.effect:
        notes.append(f"effect {before.effect} -> {after.effect}")
    return notes


_VERBS = {
    (ALLOW, ADDED): "grants",
    (ALLOW, REMOVED): "no longer grants",
    (ALLOW, WIDENED): "widens a grant:",
    (ALLOW, NARROWED): "narrows a grant:",
    (DENY, ADDED): "denies",
    (DENY, REMOVED): "no longer denies",
    (DENY, WIDENED): "denies more:",
    (DENY, NARROWED): "denies less:",
    (ALLOW, CHANGED): "changes a grant:",
    (DENY, CHANGED): "changes a deny:",
}


def grant_summary(g: GrantChange, identity: str, kind: str) -> str:
    s = g.statement
    if s.opaque:
        verb = "adds" if g.change == ADDED else "removes"
        return f"{verb} a statement that cannot be read as a grant: {show(s.raw)}"
    # The actions named: those gained (added, widened), lost (removed,
    # narrowed: as the old statement wrote them), or all (changed).
    source = g.before if g.change == NARROWED and g.before is not None else s
    actions = set(source.actions.items) if g.change == CHANGED else {a for a in g.actions if a is not None}
    what = _what(source, actions or set(source.actions.items))
    principal = _principal_text(s.principal, identity)
    text = f"{_VERBS[(s.effect, g.change)]} {what}"
    if principal:
        text += f" to {principal}"
    when = condition_phrase(s.raw)
    if when:
        text += f" {when}"
    if kind == "trust" and s.effect == ALLOW:
        text += " (who may assume the role)"
    if g.before is not None:
        notes = _what_changed(g.before, s)
        if notes:
            text += " (" + ", ".join(notes) + ")"
    return text


def _what(s: Statement, actions: set) -> str:
    """``Write on s3``, ``every action except ...``, with unknown actions said."""
    if s.actions.neg:
        return "every action except " + ", ".join(sorted(action_levels(a)[1] for a in s.actions.items))
    what, unknown = describe_actions(actions, _written_actions(s))
    if unknown:
        what = ", ".join(x for x in (what, "unknown action" + ("s " if len(unknown) > 1 else " ") + ", ".join(unknown)) if x)
    return what or "no action"


# How a condition operator reads: "if aws:SourceArn matches arn:...".
_CONDITION_WORDS = {
    "StringEquals": "is", "StringEqualsIgnoreCase": "is", "StringLike": "matches",
    "StringNotEquals": "is not", "StringNotEqualsIgnoreCase": "is not", "StringNotLike": "does not match",
    "ArnEquals": "is", "ArnLike": "matches", "ArnNotEquals": "is not", "ArnNotLike": "does not match",
    "Bool": "is", "BinaryEquals": "is", "IpAddress": "is in", "NotIpAddress": "is not in",
    "NumericEquals": "=", "NumericNotEquals": "≠", "NumericLessThan": "<", "NumericLessThanEquals": "≤",
    "NumericGreaterThan": ">", "NumericGreaterThanEquals": "≥",
    "DateEquals": "is", "DateNotEquals": "is not", "DateLessThan": "is before", "DateLessThanEquals": "is at or before",
    "DateGreaterThan": "is after", "DateGreaterThanEquals": "is at or after",
}


def condition_phrase(raw) -> str:
    """A statement's ``Condition`` as words: ``if kms:ViaService is
    s3.us-east-1.amazonaws.com and aws:SecureTransport is true``; the values
    whole.  Empty when the statement has none.  (A row that holds only in
    some of the template's cases ends with "when IsProd is true".)"""
    condition = raw.get("Condition") if isinstance(raw, dict) else None
    if condition is None:
        return ""
    if not isinstance(condition, dict) or _intrinsic(condition)[0] is not None:
        return f"if {show(condition)}"
    parts = []
    for op, clause in condition.items():
        op = str(op)
        if not isinstance(clause, dict) or _intrinsic(clause)[0] is not None:
            parts.append(f"{op} {show(clause)}")
            continue
        for key, values in clause.items():
            parts.append(_clause_words(op, str(key), [show(v) for v in _as_list(values)]))
    return "if " + " and ".join(parts)


def _clause_words(op: str, key: str, values: list) -> str:
    quantifier, _, base = op.rpartition(":")
    exists = base.endswith("IfExists")
    base = base[: -len("IfExists")] if exists else base
    listed = values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1] if values else "(nothing)"
    if base == "Null":
        absent = listed.lower() == "true"
        text = f"{key} is {'absent' if absent else 'present'}"
    elif base in _CONDITION_WORDS:
        word = _CONDITION_WORDS[base]
        if len(values) > 1 and word in ("is not", "does not match", "is not in"):
            word, listed = f"{word.replace(' not', '')} none of", ", ".join(values)
        text = f"{key} {word} {listed}"
    else:
        text = f"{key} {base} {listed}"
    if quantifier:
        text = f"{'any' if quantifier.lower() == 'foranyvalue' else 'every'} value of {text}"
    return text + (" (if present)" if exists else "")


# --- where policies live in a resource -------------------------------------------


def _walk(value, parts: list, at: tuple):
    """``(path, value)`` at the pointer ``parts`` (``*`` for list items)
    below ``value``, through ``Fn::If`` branches."""
    for here, branch in _if_branches(value, at):
        if not parts:
            yield here, branch
            continue
        head, rest = parts[0], parts[1:]
        if head == "*":
            if isinstance(branch, list):
                for i, item in enumerate(branch):
                    yield from _walk(item, rest, here + (i,))
        elif isinstance(branch, dict) and head in branch and _intrinsic(branch)[0] is None:
            yield from _walk(branch[head], rest, here + (head,))


def _parts(pointer: str) -> list:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.strip("/").split("/") if p]


def _identity(type_name: str, props: dict, logical_id: str) -> str:
    """Who an identity policy grants to, as written."""
    short = type_name.rsplit("::", 1)[-1]
    if short in ("Role", "User", "Group"):
        return f"Ref {logical_id}" if logical_id else f"this {short.lower()}"
    names = []
    for key in ("Roles", "Users", "Groups", "RoleName", "UserName", "GroupName"):
        names.extend(show(v) for v in _as_list(props.get(key)))
    if names:
        return ", ".join(names)
    if type_name == "AWS::SSO::PermissionSet":
        return "whoever is assigned the permission set"
    return "whoever it is attached to"


def resource_statements(type_name: str, props) -> list:
    """Every policy statement of one resource's properties, as :class:`Entry`
    objects that know their kind (identity, resource, trust)."""
    if not isinstance(props, dict):
        return []
    locations = policy_locations()
    out = []
    for pointer, entry in ((locations.get("documents") or {}).get(type_name) or {}).items():
        for at, doc in _walk(props, _parts(pointer), ("Properties",)):
            out.extend(document_statements(doc, at, bool(entry.get("statement")), entry.get("kind", "resource")))
    permission = (locations.get("permissions") or {}).get(type_name)
    if permission and props:
        stmt = _permission_statement(permission, props)
        stmt.kind = "permission"
        out.append(Entry(stmt.path, stmt.raw, "permission", stmt))
    return out


def _get(props: dict, pointer: str):
    value = props
    for part in _parts(pointer):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _permission_statement(spec: dict, props: dict) -> Statement:
    """A resource-policy statement given as properties (``Lambda::Permission``)."""
    prefix = spec.get("prefix")
    actions = set()
    for a in _as_list(_get(props, spec["actions"])):
        text = show(a)
        actions.add((f"{prefix}:{text}" if prefix and ":" not in text else text).lower())
    principals = set()
    for p in _as_list(_get(props, spec["principal"])):
        text = show(p)
        if text == "*":
            principals.add(ANYONE)
        elif isinstance(p, str) and not text.startswith("arn:") and not _ACCOUNT.match(text) and "." in text:
            principals.add(_principal_item("Service", text))
        else:
            principals.add(_principal_item("AWS", text))
    resources = {show(r) for r in _as_list(_get(props, spec["resource"]))}
    condition, raw_condition = set(), {}
    for pointer, (op, key) in sorted((spec.get("conditions") or {}).items()):
        value = _get(props, pointer)
        if value is None:
            continue
        condition.add((op, key.lower(), frozenset(show(v) for v in _as_list(value))))
        raw_condition.setdefault(op, {})[key] = show(value)
    raw = {"Effect": ALLOW, "Principal": sorted(principals), "Action": sorted(actions), "Resource": sorted(resources)}
    if raw_condition:
        raw["Condition"] = raw_condition
    return Statement(
        ("Properties",), ALLOW, Values(False, frozenset(principals)), Values(False, frozenset(actions)),
        Values(False, frozenset(resources)), frozenset(condition), raw,
    )


def _items(props, pointer: str, at=("Properties",)) -> dict:
    """``{shown value: path}`` of the items of a list property (or its one value)."""
    out = {}
    if not isinstance(props, dict):
        return out
    for here, value in _walk(props, _parts(pointer), at):
        if isinstance(value, list):
            for i, item in enumerate(value):
                for there, branch in _if_branches(item, here + (i,)):
                    out.setdefault(_item_text(branch), there)
        else:
            out.setdefault(_item_text(value), here)
    return out


def _item_text(value) -> str:
    if isinstance(value, dict) and _intrinsic(value)[0] is None:
        return ", ".join(f"{k} {show(v)}" for k, v in sorted(value.items()))
    return show(value)


def _pointer(path: tuple) -> str:
    return "".join("/" + escape(k) for k in path)


_ADMIN_ARN = re.compile(r":iam::aws:policy/(?:.*/)?([^/]+)$")


def admin_managed(arn: str) -> bool:
    """Whether an ARN names an AWS-managed admin-equivalent policy."""
    m = _ADMIN_ARN.search(arn)
    names = ((security_data().get("admin_managed_policies") or {}).get("policies") or {})
    return bool(m) and m.group(1) in names


# --- the entry point ------------------------------------------------------------


def policy_changes(type_name: str, old_props, new_props, logical_id: str = "", references=None) -> list:
    """:func:`compare_policies`, with ``references`` (:func:`reference_arns`)
    saying what the template's references stand for."""
    saved, _REFERENCES.table = _REFERENCES.table, references or {}
    try:
        return compare_policies(type_name, old_props, new_props, logical_id)
    finally:
        _REFERENCES.table = saved


def compare_policies(type_name: str, old_props, new_props, logical_id: str = "") -> list:
    """One :class:`SecurityChange` per statement added, removed or changed
    in one resource (``old_props``/``new_props`` are its Properties, None for
    an added or removed resource); managed policies attached or detached; a
    permissions boundary removed or added; a policy attached to more or fewer
    identities or resources.  A new (or removed) Lambda function's standard
    execution role is one row."""
    locations = policy_locations()
    if not any(type_name in (locations.get(k) or {}) for k in ("documents", "permissions", "managed_policies", "boundaries", "attachments")):
        return []
    added, removed = old_props is None, new_props is None
    whole = added or removed
    old_props = old_props if isinstance(old_props, dict) else {}
    new_props = new_props if isinstance(new_props, dict) else {}
    out: list = []
    old_stmts = resource_statements(type_name, old_props)
    new_stmts = resource_statements(type_name, new_props)
    identity = _identity(type_name, new_props or old_props, logical_id)
    if old_stmts or new_stmts:
        changes = compare_statements(old_stmts, new_stmts)
        admin = _admin_makers(changes, old_stmts, new_stmts)
        for g in changes:
            out.append(_grant_row(type_name, logical_id, identity, g, admin))
    for pointer in (locations.get("managed_policies") or {}).get(type_name) or {}:
        out.extend(_managed_changes(type_name, logical_id, identity, pointer, old_props, new_props))
    for pointer in (locations.get("boundaries") or {}).get(type_name) or {}:
        if not whole:
            out.extend(_boundary_changes(type_name, logical_id, identity, pointer, old_props, new_props))
        elif added:  # a new identity's grants are capped from the start: said on each
            cap = ", ".join(_items(new_props, pointer))
            for row in out:
                if cap and row.direction == OPENS:
                    row.fields["permissions boundary"] = cap
        # a removed identity's boundary goes with it: it no longer caps anything
    attachments = (locations.get("attachments") or {}).get(type_name) or {}
    if attachments and not (whole and (old_stmts or new_stmts)):
        out.extend(_attachment_changes(type_name, logical_id, attachments, old_props, new_props))
    if whole and type_name == "AWS::IAM::Role":
        out = _standard_role(out, new_props if added else old_props, adding=added)
    return out


def _admin_makers(changes: list, old_stmts: list, new_stmts: list) -> dict:
    """``{id of a new statement: name of the admin-equivalent grant it makes}``
    for the grants the new statements make that the old ones did not."""
    opening = [g.statement for g in changes if g.direction == OPENS and g.statement.kind == "identity"]
    if not any(_could_make_admin(s) for s in opening):
        return {}  # no statement that opens is part of any: the policy is not read further
    now = admin_grants(new_stmts)
    if not now:
        return {}
    before = admin_grants(old_stmts)
    out = {}
    for name, makers in now.items():
        if name not in before:
            for i in makers:
                out.setdefault(i, name)
    return out


def _grant_row(type_name, logical_id, identity, g: GrantChange, admin: dict) -> SecurityChange:
    s = g.statement
    kind = s.kind
    who = identity if kind != "trust" else ""
    opens = g.direction == OPENS
    reason = admin.get(id(s)) if opens and kind == "identity" else None
    summary = grant_summary(g, who, kind)
    direction, change = g.direction, g.change
    if kind == "permission" and g.change == CHANGED:
        direction, change, summary = _repointed(g, summary)
    fields = statement_fields(s, who)
    if g.before is not None:
        fields.update(_before_fields(g.before, s, who))
    if reason:
        summary += " (admin-equivalent)"
        fields["admin-equivalent"] = f"{reason}: {_admin_why(reason)}"
    return SecurityChange(
        logical_id=logical_id,
        type=type_name,
        family="permissions",
        direction=direction,
        change=change,
        summary=summary,
        path=_pointer(g.path),
        public=direction == OPENS and kind != "identity" and is_public(s) and type_name not in _endpoint_types(),
        admin=bool(reason),
        fields=fields,
    )


@lru_cache(maxsize=None)
def _endpoint_types() -> frozenset:
    """The types whose policy open to ``*`` is everyone inside the VPC, not anyone (``rules/security.json``)."""
    return frozenset((security_data().get("endpoint_policies") or {}).get("types") or ())


def _before_fields(before: Statement, after: Statement, identity: str) -> dict:
    """The columns of a changed statement as they were, where they differ."""
    was, now = statement_fields(before, identity), statement_fields(after, identity)
    return {f"{name} before": value or "(not set)" for name, value in was.items() if value != now.get(name)}


# --- a permission re-pointed -------------------------------------------------------

_REFERENCE = re.compile(r"\$\{(?!AWS::)([^}]+)\}")


def _shape(text: str) -> str:
    """A value with the template's references taken out: the scope it
    names, whichever resource it names it on."""
    if text.startswith(("Ref ", "GetAtt ", "ImportValue ")):
        return "${}"
    return _REFERENCE.sub("${}", text)


def _shaped(s: Statement) -> Statement:
    def values(v: Optional[Values]) -> Optional[Values]:
        return None if v is None else Values(v.neg, frozenset(_shape(x) for x in v.items))

    condition = frozenset((op, key, frozenset(_shape(x) for x in vals)) for op, key, vals in s.condition)
    return Statement(s.path, s.effect, values(s.principal), s.actions, values(s.resources), condition, s.raw)


def _statement_covers(t: Statement, s: Statement) -> bool:
    """Whether ``t`` grants everything ``s`` does."""
    return (
        values_cover(t.actions, s.actions, _action_match)
        and values_cover(t.resources, s.resources, _resource_match)
        and _applies(s, t)
    )


_SOURCE_KEYS = ("aws:sourcearn", "aws:sourceaccount", "aws:principalorgid")


def _referred(values) -> str:
    """The template resources some values refer to (``AppApi`` for
    ``arn:...:${AppApi}/*`` or ``Ref AppApi``), else the values as written."""
    names = sorted({m.split(".")[0] for v in values for m in _REFERENCE.findall(v)}
                   | {v.split(" ", 1)[1].split(".")[0] for v in values if v.startswith(("Ref ", "GetAtt "))})
    return ", ".join(names) if names else ", ".join(sorted(values))


def _source(s: Statement) -> str:
    """What a permission names as its source: the condition on ``SourceArn``,
    ``SourceAccount`` or ``PrincipalOrgID``, else the principal."""
    values = [v for _, key, vals in s.condition if key in _SOURCE_KEYS for v in vals]
    return _referred(values) if values else _principal_text(s.principal, "")


def _repointed(g: GrantChange, summary: str) -> tuple:
    """``(direction, change, summary)`` of a permission given as properties
    (``Lambda::Permission``) that now names another source or resource: a
    move when its scope is the same or narrower, opening when it is wider."""
    old, new = _shaped(g.before), _shaped(g.statement)
    wider = _statement_covers(new, old) and not _statement_covers(old, new)
    if not _statement_covers(old, new) and not wider:
        return g.direction, g.change, summary  # other actions or principals: a change of its own
    actions = g.statement.actions.items
    invoke = actions and all(a.startswith("lambda:invokefunction") for a in actions)
    parts = []
    was, now = _referred(g.before.resources.items), _referred(g.statement.resources.items)
    if was != now:
        parts.append(f"{'of' if invoke else 'on'} {now} instead of {was}")
    was, now = _source(g.before), _source(g.statement)
    if was != now:
        parts.append(f"from {now} instead of {was}")
    what = "allows invocation" if invoke else f"grants {_what(g.statement, set(actions))}"
    text = f"now {what} " + ", and ".join(parts) if parts else summary
    if wider:
        return OPENS, CHANGED, text + " (scope widened)"
    narrower = not _statement_covers(new, old)
    return MOVES, MOVED, text + (" (scope narrowed)" if narrower else "")


# --- a Lambda function's standard execution role -------------------------------------


def _standard_role(rows: list, props: dict, adding: bool) -> list:
    """The rows of a new (``adding``) or removed role, with its trust for
    Lambda and the standard managed policies (``rules/security.json``) made
    one info row; every other row kept as it is."""
    spec = security_data().get("lambda_execution_role") or {}
    policies = spec.get("policies") or {}
    trust = [r for r in rows if r.path.startswith("/Properties/AssumeRolePolicyDocument")]
    if len(trust) != 1 or not _trusts_only(props, spec.get("service", "")):
        return rows
    standard = []
    for r in rows:
        m = _ADMIN_ARN.search(r.fields.get("managed policy", ""))
        if m and m.group(1) in policies and r.path.startswith("/Properties/ManagedPolicyArns"):
            standard.append((r, m.group(1)))
    if not any(policies[name].get("base") for _, name in standard):
        return rows
    grants = []
    for _, name in standard:
        for word in policies[name].get("grants") or ():
            if word not in grants:
                grants.append(word)
    names = ", ".join(name for _, name in standard)
    first = trust[0]
    row = SecurityChange(
        logical_id=first.logical_id, type=first.type, family="permissions",
        direction=OPENS if adding else CLOSES, change=ADDED if adding else REMOVED,
        summary=f"{'' if adding else 'removes the '}standard Lambda execution role: {', '.join(grants)}",
        path="/Properties/AssumeRolePolicyDocument", routine=True,
        fields={"trust": f"Service {spec.get('service')}", "managed policies": names},
    )
    gone = {id(first)} | {id(r) for r, _ in standard}
    return [row] + [r for r in rows if id(r) not in gone]


def _trusts_only(props: dict, service: str) -> bool:
    """Whether the role's trust policy is one statement that lets ``service``
    alone assume it, with no condition."""
    stmts = [e.stmt for e in resource_statements("AWS::IAM::Role", props) if e.kind == "trust"]
    if len(stmts) != 1:
        return False
    s = stmts[0]
    return (
        not s.opaque and s.effect == ALLOW and not s.condition and s.principal is not None
        and not s.principal.neg and s.principal.items == {f"Service {service}"}
        and not s.actions.neg and s.actions.items <= {"sts:assumerole", "sts:tagsession"}
    )


def _managed_changes(type_name, logical_id, identity, pointer, old_props, new_props) -> list:
    before, after = _items(old_props, pointer), _items(new_props, pointer)
    was = {_as_pattern(text) for text in before}  # arn:${AWS::Partition}:iam::aws:policy/X is arn:aws:iam::aws:policy/X
    now = {_as_pattern(text) for text in after}
    before = {text: path for text, path in before.items() if _as_pattern(text) not in now}
    after = {text: path for text, path in after.items() if _as_pattern(text) not in was}
    out = []
    for text, path in after.items():
        if text not in before:
            admin = admin_managed(text)
            what = f"AWS-managed {_ADMIN_ARN.search(text).group(1)} (admin-equivalent)" if admin else f"managed policy {text}"
            out.append(_row(type_name, logical_id, OPENS, ADDED, f"attaches {what} to {identity}", path, admin=admin,
                            fields={"principal": identity, "managed policy": text}))
    for text, path in before.items():
        if text not in after:
            out.append(_row(type_name, logical_id, CLOSES, REMOVED, f"detaches managed policy {text} from {identity}", path,
                            fields={"principal": identity, "managed policy": text}))
    return out


def _boundary_changes(type_name, logical_id, identity, pointer, old_props, new_props) -> list:
    before, after = _items(old_props, pointer), _items(new_props, pointer)
    path = "/Properties" + pointer
    if before and not after:
        text = ", ".join(before)
        return [_row(type_name, logical_id, OPENS, REMOVED,
                     f"removes the permissions boundary {text} from {identity}: its permissions are no longer capped",
                     path, fields={"principal": identity, "permissions boundary": text})]
    if after and not before:
        text = ", ".join(after)
        return [_row(type_name, logical_id, CLOSES, ADDED, f"caps {identity} with the permissions boundary {text}",
                     path, fields={"principal": identity, "permissions boundary": text})]
    if before != after and before and after:
        old, new = ", ".join(before), ", ".join(after)
        return [_row(type_name, logical_id, OPENS, WIDENED,
                     f"replaces the permissions boundary {old} of {identity} with {new}; what the new one allows is not compared",
                     path, fields={"principal": identity, "permissions boundary": f"{old} -> {new}"})]
    return []


def _attachment_changes(type_name, logical_id, attachments: dict, old_props, new_props) -> list:
    if type_name == "AWS::SSO::Assignment":
        def key(props):
            if not props:
                return None
            return "permission set {} to {} {} in {} {}".format(
                show(props.get("PermissionSetArn")), show(props.get("PrincipalType")), show(props.get("PrincipalId")),
                show(props.get("TargetType")), show(props.get("TargetId")))
        before, after = key(old_props), key(new_props)
        out = []
        if after and after != before:
            out.append(_row(type_name, logical_id, OPENS, ADDED, f"assigns {after}", "/Properties", fields={"assignment": after}))
        if before and after != before:
            out.append(_row(type_name, logical_id, CLOSES, REMOVED, f"no longer assigns {before}", "/Properties",
                            fields={"assignment": before}))
        return out
    out = []
    for pointer, entry in sorted(attachments.items()):
        label = str(entry.get("source", "")).split(": ", 1)[-1]
        before, after = _items(old_props, pointer), _items(new_props, pointer)
        for text, path in after.items():
            if text not in before:
                out.append(_row(type_name, logical_id, OPENS, ADDED, f"now applies to {text} ({label})", path,
                                fields={pointer.strip("/"): text}))
        for text, path in before.items():
            if text not in after:
                out.append(_row(type_name, logical_id, CLOSES, REMOVED, f"no longer applies to {text} ({label})", path,
                                fields={pointer.strip("/"): text}))
    return out


def _row(type_name, logical_id, direction, change, summary, path, admin=False, fields=None) -> SecurityChange:
    if isinstance(path, tuple):
        path = _pointer(path)
    return SecurityChange(
        logical_id=logical_id, type=type_name, family="permissions", direction=direction, change=change,
        summary=summary, path=path, admin=admin, fields=dict(fields or {}),
    )
