"""Worlds: every assignment of the unknowns a value depends on.

A value of a template may depend on things nobody gave: a condition over a
parameter without a value, a mapping entry chosen by the stack's Region, a
parameter whose ``Default`` changed.  The evaluator
(:mod:`impact.resolve.evaluate`) asks for each such variable as it meets it;
:func:`enumerate_worlds` runs an evaluation once per assignment of the
variables it asked for, depth first, so that a value that depends on nothing
costs one run, and stops past :data:`MAX_WORLDS` assignments.

A world where the choices contradict each other (an ``Fn::Equals`` taken as
true although the mapping key chosen for its parameter makes it false), or
where CloudFormation would reject the template (a lookup of a key the mapping
does not have), is left out.
"""

from __future__ import annotations

from typing import Callable, Optional

from .evaluate import OTHER, Choose, Infeasible, TooLarge, World, _scalar, is_symbol

# Assignments enumerated for one comparison: past it, the values are compared as written.
MAX_WORLDS = 256


class TooMany(Exception):
    """More than MAX_WORLDS assignments: the caller compares as written."""


def enumerate_worlds(run: Callable, split=frozenset(), bound: int = MAX_WORLDS, keys: bool = True,
                     budget: Optional[list] = None) -> list:
    """``[(world, run(world))]`` for every feasible assignment of the
    variables ``run`` asks for, the first choice of each variable first.
    ``budget`` (``[n]``) caps the values evaluated over all the worlds:
    past it, :class:`~impact.resolve.evaluate.TooLarge` is raised."""
    pending: list = [{}]
    done: list = []
    tried = 0
    while pending:
        choices = pending.pop()
        world = World(dict(choices), {}, split, keys, budget)
        tried += 1
        if tried > 8 * bound:
            raise TooMany()
        try:
            result = run(world)
        except Choose as c:
            for choice in reversed(c.domain):
                pending.append({**choices, c.var: choice})
            if len(done) + len(pending) > bound:
                raise TooMany() from None
            continue
        except Infeasible:
            continue
        if consistent(world):
            done.append((world, result))
    return done


def substitute(value, keys: dict):
    """``value`` with each ``Ref`` to a name in ``keys`` replaced by its value there."""
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("Ref"), str) and value["Ref"] in keys:
            return keys[value["Ref"]]
        return {k: substitute(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, keys) for v in value]
    return value


def consistent(world: World) -> bool:
    """Whether the world's ``Fn::Equals`` choices agree with its mapping-key choices."""
    if not world.atoms:
        return True
    keys = {var[1]: choice for var, choice in world.choices.items() if var[0] == "key" and choice is not OTHER}
    if not keys:
        return True
    for var, (a, b) in world.atoms.items():
        if var not in world.choices:
            continue
        a, b = substitute(a, keys), substitute(b, keys)
        if not is_symbol(a) and not is_symbol(b) and (_scalar(a) == _scalar(b)) != world.choices[var]:
            return False
    return True


def variables(worlds) -> list:
    """The variables decided in any of ``worlds``, in the order first met."""
    seen: dict = {}
    for world in worlds:
        for var in world.choices:
            seen.setdefault(var, None)
    return list(seen)


def separating(differ: list, same: list):
    """A variable that alone tells the worlds in ``differ`` from those in
    ``same``, with the choices it has in ``differ``; or (None, None)."""
    for var in variables(differ + same):
        if not all(var in w.choices for w in differ + same):
            continue
        chosen = {_key(w.choices[var]) for w in differ}
        if not chosen & {_key(w.choices[var]) for w in same}:
            return var, [w.choices[var] for w in differ if _key(w.choices[var]) in chosen]
    return None, None


def _key(choice):
    return ("other",) if choice is OTHER else (type(choice).__name__, choice)
