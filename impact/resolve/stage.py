"""The resolve stage: both revisions' values as CloudFormation deploys them.

A :class:`Resolution` holds what each revision knows (its parameters,
mappings, conditions, the values given for its stack and the pseudo
parameters given) and compares a value of the old revision with a value of
the new one *as resolved*: in every world (:mod:`impact.resolve.worlds`), the
two are evaluated (:mod:`impact.resolve.evaluate`) and compared.  The answer
is a :class:`Comparison`: the values never differ, always differ, or differ
only in some worlds, which it names ("when IsProd is true", "in eu-west-1",
"if the stack uses the Default of Env").

What a parameter is worth:

- a value given for the stack (``--parameters``, the deployed stack's) is
  that value;
- a parameter nobody gave is a symbol, the same in both revisions: whatever
  the stack passes, it passes to both.  Its ``Default`` is the case shown
  ("resolves to 3306") and, where the ``Default`` differs between the
  revisions, a variable: "if the stack uses the Default";
- a mapping key given by a parameter nobody gave, or by ``AWS::Region``
  without ``--region``, is a variable over the mapping's keys: a value that
  differs in every region's entry changes for certain, one that is the same in
  every entry does not change;
- an ``Fn::Equals`` nobody can decide (``!Equals [!Ref Env, prod]``) is a
  variable, true or false.

The stage costs nothing for a template without parameters, mappings or
conditions (:func:`resolution` gives None), and otherwise only what the
compared values cost: nothing is walked ahead of time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Optional

from ..load.typed import as_written
from ..model import Resolved, Template
from .evaluate import (NO_VALUE, OTHER, REGION, Choose, Evaluator, Infeasible, Side, TooLarge, World, _scalar, _text,
                       atom_var, is_symbol)
from .worlds import MAX_WORLDS, TooMany, enumerate_worlds, separating, substitute, variables

NEVER, ALWAYS, SOMETIMES = "never", "always", "sometimes"
# Values evaluated for one comparison, over all its worlds, and for one pair of templates: past them, compared as
# written.  A real comparison evaluates a few hundred; a large policy in many worlds a few thousand.
STEPS = 60_000
TOTAL_STEPS = 300_000
BOUND_NOTE = f"more than {MAX_WORLDS} combinations of conditions and mapping keys to compare: compared as written"
SIZE_NOTE = "too large to compare in every combination of conditions and mapping keys: compared as written"
# What makes the evaluator read a value otherwise than its text (a Ref to a resource does not).
EVALUATED = ("Fn::If", "Fn::FindInMap", "AWS::", "Fn::Select", "Fn::Split", "Fn::Join", "Fn::Sub", "Fn::Base64",
             "Fn::Length", "Fn::ToJsonString", "Fn::Cidr", "Fn::GetAZs", "Fn::GetAtt", "Fn::Equals", "Fn::And",
             "Fn::Or", "Fn::Not")
# What makes a resource's security rows differ once resolved: a branch, a lookup, a value that disappears.
BRANCHING = ("Fn::If", "Fn::FindInMap", "AWS::NoValue")
SHOWN = 60  # characters of a resolved value shown in a sentence


@dataclass
class Comparison:
    """Two values compared in every world: ``[(world, same, before, after)]``."""

    worlds: list
    resolution: "Resolution"

    @property
    def changes(self) -> str:
        same = sum(1 for w in self.worlds if w[1])
        if same == len(self.worlds):
            return NEVER
        return ALWAYS if same == 0 else SOMETIMES

    def shown(self) -> tuple:
        """(world, before, after) of the case shown: the given values and Defaults where the worlds allow."""
        for world, _, before, after in self.worlds:
            if self.resolution.preferred(world):
                return world, before, after
        world, _, before, after = self.worlds[0]
        return world, before, after

    def when(self) -> str:
        """The worlds where the values differ, in words."""
        differ = [w[0] for w in self.worlds if not w[1]]
        same = [w[0] for w in self.worlds if w[1]]
        return self.resolution.when(differ, same)

    def scope(self) -> str:
        """What the worlds range over, in words ("whether IsProd is true or false"), or ''."""
        return self.resolution.scope([w[0] for w in self.worlds])

    def resolved(self, written_before, written_after) -> Optional[Resolved]:
        """What a report says beside the written values, or None when it would say nothing new."""
        changes = self.changes
        _, before, after = self.shown()
        scope = self.scope() if len(self.worlds) > 1 else ""
        if changes == NEVER:
            values = {_text(w[2]) for w in self.worlds}
            what = shown(before) if before is not None else "nothing on either side"
            if is_symbol(before) and len(self.worlds) == 1:  # known at deploy time, written two ways
                text = "the same value written another way: no change"
            elif len(values) == 1 and not what.endswith("…"):  # one short value in every case
                text = f"resolves to {what}{' ' + scope if scope else ''}: no change"
            else:
                text = f"resolves to the same value {scope}: no change"
            return Resolved(NEVER, text, before, after)
        if changes == SOMETIMES:
            when = self.when()
            text = f"changes in some cases, {when}" if when.startswith("depending on ") else f"changes only {when}"
            return Resolved(SOMETIMES, text, before, after, when)
        if len(self.worlds) == 1 and (before, after) == (written_before, written_after):
            return None
        text = f"resolves to {shown(before)} → {shown(after)}"
        if scope:
            world, _, _ = self.shown()
            where = self.resolution.case(world)
            text += f"{' ' + where if where else ''}; changes {scope}"
        return Resolved(ALWAYS, text, before, after)


# What a lookup gives where the new revision's mapping lacks the key the old one had: the update fails there.
LOOKUP_FAILS = "(no value: the mapping has no such key, and the update fails)"


def shown(value) -> str:
    """A resolved value in a sentence: strings quoted, the rest as JSON, cut to :data:`SHOWN` characters."""
    if value is None:
        return "(not set)"
    if value is LOOKUP_FAILS:
        return value
    text = json.dumps(as_written(value), ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _sections_differ(old: dict, new: dict, names) -> bool:
    return any(old.get(n) != new.get(n) for n in names)


class Resolution:
    """Both revisions, resolved on demand."""

    def __init__(self, old: Template, new: Template, pseudo: Optional[dict] = None):
        self.old_t, self.new_t = old, new
        self.sides = (Side(old.data, old.values, pseudo), Side(new.data, new.values, pseudo))
        self.sides[0].twin, self.sides[1].twin = self.sides[1], self.sides[0]
        old_side, new_side = self.sides
        split = set()
        for name in set(old_side.params) & set(new_side.params):
            if name in old_side.values or name in new_side.values:
                continue
            # A Default changed, added or removed: a stack that uses it may get another value.
            if old_side.default(name) != new_side.default(name):
                split.add(name)
        self.split = frozenset(split)
        # Whether a condition can resolve differently in the two revisions.
        self.conditions_differ = bool(split) or old_side.values != new_side.values or _sections_differ(
            old.data, new.data, ("Conditions", "Mappings", "Parameters"))
        self.has_conditions = bool(old_side.conditions or new_side.conditions)
        # Names whose references resolve to something else than themselves: parameters given a value
        # or whose Default differs, and the pseudo parameters given.
        self.names = tuple(sorted(set(old_side.values) | set(new_side.values) | split | set(old_side.pseudo)))
        self._atom_names: Optional[dict] = None
        self.spent = 0  # values evaluated so far, against TOTAL_STEPS
        self.why = BOUND_NOTE  # why the last comparison that gave up did

    # -- comparing ---------------------------------------------------------------

    def matters(self, value, tokens=None) -> bool:
        """Whether resolving may read ``value`` otherwise than its text: it
        holds one of ``tokens`` (the functions the evaluator computes) or a
        name in :attr:`names`.  A quick look at the text, in C: a false
        alarm costs an evaluation, never a wrong answer."""
        if value is None or isinstance(value, str):
            return False
        text = repr(value)
        return any(t in text for t in (tokens or EVALUATED)) or any(n in text for n in self.names)

    def compare(self, before, after, normal: Optional[Callable] = None) -> Optional[Comparison]:
        """``before`` (old revision) and ``after`` (new revision) compared as
        resolved, or None past :data:`MAX_WORLDS` assignments."""
        old_side, new_side = self.sides
        normal = normal or (lambda v: v)

        def run(world: World):
            a = _absent(Evaluator(old_side, world).value(before))  # a case the old revision rejects never was
            try:
                b = _absent(Evaluator(new_side, world).value(after))
            except Infeasible:  # one the new revision rejects is a change: the update fails there
                return False, a, LOOKUP_FAILS
            return normal(a) == normal(b), a, b

        found = self._enumerate(run)
        if not found:
            return None  # past the bounds, or no world CloudFormation accepts: nothing to say
        return Comparison([(w, *result) for w, result in found], self)

    def _enumerate(self, run: Callable, keys: bool = True) -> Optional[list]:
        """:func:`enumerate_worlds` within the budgets; None past them (``why`` says which)."""
        budget = [min(STEPS, TOTAL_STEPS - self.spent)]
        start = budget[0]
        try:
            if start <= 0:
                raise TooLarge()
            return enumerate_worlds(run, self.split, keys=keys, budget=budget)
        except TooMany:
            self.why = BOUND_NOTE
        except TooLarge:
            self.why = SIZE_NOTE
        finally:
            self.spent += start - budget[0]
        return None

    def existence(self, old_resource, new_resource) -> Optional[list]:
        """``[(world, exists before, exists after)]`` for a resource (None: absent from that revision)."""

        def exists(ev: Evaluator, resource) -> bool:
            if not isinstance(resource, dict):
                return False
            condition = resource.get("Condition")
            return condition is None or ev.condition(condition)

        return self._both(exists, old_resource, new_resource)

    def variants(self, old_resource, new_resource, key: str = "Properties", keys: bool = True) -> Optional[list]:
        """``[(world, old value, new value)]``: ``key`` of a resource in each
        world, None where the resource does not exist (absent, or its
        condition is false); None past the bound.  Without ``keys``, a
        mapping looked up by a key nobody gave stays a symbol."""

        def value(ev: Evaluator, resource):
            if not isinstance(resource, dict):
                return None
            condition = resource.get("Condition")
            if condition is not None and not ev.condition(condition):
                return None
            got = _absent(ev.value(resource.get(key)))
            return got if got is not None else {}

        return self._both(value, old_resource, new_resource, keys)

    def _both(self, read: Callable, old_resource, new_resource, keys: bool = True) -> Optional[list]:
        """``[(world, read(old), read(new))]`` in every world, each revision
        read by its own evaluator; None past the bound."""
        old_side, new_side = self.sides

        def run(world: World):
            return read(Evaluator(old_side, world), old_resource), read(Evaluator(new_side, world), new_resource)

        found = self._enumerate(run, keys)
        return None if found is None else [(w, *result) for w, result in found]

    def written(self, index: int, node, keys: list, world: World) -> Optional[list]:
        """The path, as written in revision ``index`` (0 old, 1 new), of
        the resolved value at ``keys`` below ``node`` in ``world``: through
        the ``Fn::If`` branch the world takes, and with list indices counting
        the items ``AWS::NoValue`` removes.  None when it cannot be told."""
        # The world's own choices, without the budget its comparison spent.
        ev = Evaluator(self.sides[index], World(world.choices, world.atoms, world.split, world.keys))
        out: list = []
        try:
            for key in keys:
                while isinstance(node, dict) and len(node) == 1 and isinstance(node.get("Fn::If"), list) \
                        and len(node["Fn::If"]) == 3 and isinstance(node["Fn::If"][0], str):
                    branch = 1 if ev.condition(node["Fn::If"][0]) else 2
                    out += ["Fn::If", branch]
                    node = node["Fn::If"][branch]
                if isinstance(node, dict) and key in node:
                    out.append(key)
                    node = node[key]
                elif isinstance(node, list) and str(key).isdigit():
                    kept = [j for j, item in enumerate(node) if not _may_vanish(item) or ev.value(item) is not NO_VALUE]
                    if int(key) >= len(kept):
                        return None
                    out.append(kept[int(key)])
                    node = node[kept[int(key)]]
                else:
                    return None
        except (Choose, Infeasible, TooLarge):
            return None
        return out

    def certain(self, index: int, value):
        """``value`` of one revision (0 old, 1 new) resolved, when it is the
        same in every world and holds no symbol; else None."""
        side = self.sides[index]
        found = self._enumerate(lambda world: _absent(Evaluator(side, world).value(value)))
        if not found:
            return None
        first = found[0][1]
        if is_symbol(first) or any(got != first for _, got in found[1:]):
            return None
        return first

    # -- the case shown ----------------------------------------------------------

    def preferred(self, world: World) -> bool:
        """Whether ``world`` is the one the given values and Defaults make."""
        new_side = self.sides[1]
        for var, choice in world.choices.items():
            kind, name = var
            if kind == "default" and choice is not True:
                return False
            if kind == "key" and name != REGION:
                has, default = new_side.default(name)
                if has and isinstance(default, str) and choice != default:
                    return False
            if kind == "atom":
                pref = self._atom_default(world, var)
                if pref is not None and pref != choice:
                    return False
        return True

    def _atom_default(self, world: World, var) -> Optional[bool]:
        pair = world.atoms.get(var)
        if pair is None:
            return None
        defaults = {}
        for side in self.sides[::-1]:
            for name in side.params:
                has, default = side.default(name)
                if has and name not in defaults:
                    defaults[name] = default
        a, b = (substitute(v, defaults) for v in pair)
        if is_symbol(a) or is_symbol(b):
            return None
        return _scalar(a) == _scalar(b)

    # -- words -------------------------------------------------------------------

    def atom_names(self) -> dict:
        """``{atom variable: (condition name, polarity)}`` for the conditions
        that are one ``Fn::Equals`` (or its ``Fn::Not``), the new revision's first."""
        if self._atom_names is not None:
            return self._atom_names
        names: dict = {}
        newer = set(self.sides[1].conditions)
        for side in self.sides[::-1]:
            for name, formula in side.conditions.items():
                if side is self.sides[0] and name in newer:
                    name = f"{name} (old)"  # its old formula, where the new revision gives the name another
                names.setdefault(("atom", _text(formula)), (name, True))  # a formula nothing can evaluate
                polarity = True
                if isinstance(formula, dict) and len(formula) == 1 and isinstance(formula.get("Fn::Not"), list) \
                        and len(formula["Fn::Not"]) == 1:
                    formula, polarity = formula["Fn::Not"][0], False
                if not (isinstance(formula, dict) and len(formula) == 1 and isinstance(formula.get("Fn::Equals"), list)
                        and len(formula["Fn::Equals"]) == 2):
                    continue
                try:
                    ev = Evaluator(side, World({("default", p): False for p in self.split}, split=self.split))
                    a, b = (ev.value(x) for x in formula["Fn::Equals"])
                except Choose:
                    continue
                if is_symbol(a) or is_symbol(b):
                    names.setdefault(atom_var(a, b), (name, polarity))
        self._atom_names = names
        return names

    def _atom_phrase(self, var, value: bool, world: Optional[World]) -> str:
        name = self.atom_names().get(var)
        if name is not None:
            return f"when {name[0]} is {'true' if value == name[1] else 'false'}"
        text = json.loads(var[1])
        if _condition_name(text):
            return f"when {text[1]} is {'true' if value else 'false'}"
        pair = world.atoms.get(var) if world is not None else None
        if _is_pair(pair):
            a, b = _ref_first(pair)
            if _ref_name(a) and isinstance(b, str):
                return f"when {_ref_name(a)} is {'' if value else 'not '}{json.dumps(b, ensure_ascii=False)}"
            return f"when {_short(a)} {'equals' if value else 'does not equal'} {_short(b)}"
        return f"when {_short(text)} is {'true' if value else 'false'}"

    def phrase(self, var, choices: list, world: Optional[World] = None, named: bool = True) -> str:
        """``var`` taking ``choices``, in words; ``named``: say which
        parameter's default (where the sentence names it already, it need not)."""
        kind, name = var
        choices = list(dict.fromkeys(choices))
        if kind == "atom":
            return self._atom_phrase(var, choices[0], world)
        if kind == "default":
            of = f" of {name}" if named else ""
            return f"if the stack uses the default{of}" if choices[0] else f"if the stack passes its own {name}"
        named = ["another value" if c is OTHER else c for c in choices]
        listed = _or(named)
        if kind == "value":
            return f"when {name} is {listed}"
        if name == REGION:
            return f"in {listed}" if len(named) <= 4 else f"in {len(named)} regions ({_or(named[:3] + ['…'])})"
        return f"when {name} is {listed}"

    def case(self, world: World) -> str:
        """The choices of ``world`` that nothing prefers (a region, a mapping
        key of a parameter without a Default), in words: where a value shown was taken."""
        new_side = self.sides[1]
        parts = []
        for var, choice in world.choices.items():
            kind, name = var
            if kind == "key" and (name == REGION or not new_side.default(name)[0]):
                parts.append(self.phrase(var, [choice], world))
        return " and ".join(parts)

    def when(self, differ: list, same: list) -> str:
        var, choices = separating(differ, same)
        if var is not None:
            return self.phrase(var, choices, differ[0])
        if len(differ) <= 2 and all(len(w.choices) <= 2 for w in differ):
            return " or ".join(
                " and ".join(self.phrase(v, [w.choices[v]], w) for v in w.choices).replace(" and when ", " and ")
                for w in differ
            )
        worlds = differ + same
        labels = list(dict.fromkeys(self.label(v, worlds) for v in variables(worlds)))
        # a test of a parameter whose default changes is said once, with the default
        labels = [x for x in labels if f"the default of {x}" not in labels]
        if len(labels) > 3:
            labels = labels[:3] + [f"{len(labels) - 3} more"]
        return "depending on " + _and(labels)

    def label(self, var, worlds=()) -> str:
        kind, name = var
        if kind == "atom":
            named = self.atom_names().get(var)
            if named is not None:
                return named[0]
            text = json.loads(name)
            if _condition_name(text):
                return text[1]
            pair = next((w.atoms[var] for w in worlds if var in w.atoms), None)
            if _is_pair(pair):
                a, b = _ref_first(pair)
                if _ref_name(a):
                    return _ref_name(a)
                return f"{_short(a)} = {_short(b)}"
            return _short(text)
        if kind == "value":
            return name
        if kind == "default":
            return f"the default of {name}"
        return "the Region" if name == REGION else name

    def scope(self, worlds: list) -> str:
        parts = []
        for var in variables(worlds):
            kind, name = var
            if kind == "atom":
                parts.append(f"whether {self.label(var, worlds)} is true or false" if self.atom_names().get(var)
                             else f"for every {self.label(var, worlds)}")
            elif kind == "value":
                parts.append(f"for every value of {name}")
            elif kind == "default":
                parts.append(f"whether or not the stack uses the default of {name}")
            elif name == REGION:
                parts.append("in every region of the mapping")
            else:
                parts.append(f"for every {name} the mapping lists")
        return " and ".join(dict.fromkeys(parts))


def _ref_name(value) -> Optional[str]:
    """The name a symbol ``{"Ref": name}`` (or a list parameter's) stands for, or None."""
    if isinstance(value, dict) and len(value) == 1:
        if isinstance(value.get("Ref"), str):
            return value["Ref"]
        split = value.get("Fn::Split")
        if isinstance(split, list) and len(split) == 2:
            return _ref_name(split[1])
    return None


def _condition_name(atom) -> bool:
    """Whether an atom's text is a condition by name (["Condition", name]);
    any other formula nothing can evaluate is written as a mapping."""
    return isinstance(atom, list) and len(atom) == 2 and atom[0] == "Condition"


def _is_pair(pair) -> bool:
    """Whether ``pair`` is the two sides of an Fn::Equals."""
    return isinstance(pair, (list, tuple)) and len(pair) == 2


def _ref_first(pair) -> tuple:
    a, b = pair
    return (b, a) if _ref_name(b) and not _ref_name(a) else (a, b)


def _may_vanish(item) -> bool:
    return isinstance(item, dict) and len(item) == 1 and ("Fn::If" in item or item.get("Ref") == "AWS::NoValue")


def _absent(value):
    return None if value is NO_VALUE else value


def _short(value) -> str:
    text = value if isinstance(value, str) else _text(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _or(items: list) -> str:
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _and(items: list) -> str:
    items = list(dict.fromkeys(str(i) for i in items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def resolution(old: Template, new: Template, region: Optional[str] = None, pseudo: Optional[dict] = None):
    """The :class:`Resolution` of a pair, or None when there is nothing to
    resolve: neither revision has parameters, mappings or conditions, and no
    pseudo parameter was given."""
    given = dict(pseudo or {})
    if region:
        given.setdefault(REGION, region)
    if not given and not any(
        isinstance(t.data.get(s), dict) and t.data.get(s) for t in (old, new) for s in ("Parameters", "Mappings", "Conditions")
    ):
        return None
    return Resolution(old, new, given)


__all__ = ["ALWAYS", "BOUND_NOTE", "BRANCHING", "EVALUATED", "MAX_WORLDS", "NEVER", "SIZE_NOTE", "SOMETIMES", "Comparison", "Resolution", "resolution", "shown"]
