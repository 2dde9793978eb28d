"""The written diff, read as resolved: compare what CloudFormation resolves,
show what is written.

The differ finds where the text changed; here each change is compared again
at its *site* (the value around it that resolves as one: the path up to the
first intrinsic function, and up to a list whose items may disappear through
``AWS::NoValue`` or that is compared without regard to order) by the resolve
stage (:class:`impact.resolve.stage.Resolution`):

- a site that resolves the same in every world is no change: its changes,
  as written, are labelled ``none`` and say what the site resolves to
  ("resolves to 3306: no change");
- a site that differs only in some worlds keeps its changes, each saying when
  ("changes only when IsProd is true"): the classifier then caps a
  replacement at ``conditional``;
- a site that always differs keeps its changes, with the resolved values
  beside them where they are not the text.

A resource's ``Condition`` decides whether it exists: resolved in both
revisions, true to false is a removal ("deleted: condition IsProd is now
false"), false to true an addition, and a condition nobody can decide makes
the resource "created or deleted depending on IsProd".
"""

from __future__ import annotations

from functools import partial

from ..load.spans import naming
from ..model import ADD, CONDITIONAL, MODIFY, NONE, REMOVE, RETAIN_POLICIES, Change, Resolved, ResourceDiff, Verdict, pointer
from ..resolve.stage import NEVER
from .differ import _canonical, cdk_path

_MISSING = object()
_SKIPPED = ("DependsOn", "Condition", "Type")  # ordering, existence, and a type change: not values
NO_VALUE_ITEM = {"Ref": "AWS::NoValue"}


def _is_function(node) -> bool:
    if type(node) is not dict or len(node) != 1:
        return False
    key = next(iter(node))
    return type(key) is str and (key == "Ref" or key.startswith("Fn::"))


def _may_vanish(items) -> bool:
    """Whether a list's items may disappear or shift once resolved."""
    return type(items) is list and any(_vanishes(i) for i in items)


def _vanishes(item) -> bool:
    return type(item) is dict and len(item) == 1 and ("Fn::If" in item or item == NO_VALUE_ITEM)


def _aligned(old, new) -> bool:
    """Whether two lists keep their items in step once resolved: the same
    length, and every item that may disappear the same in both, so that
    both lose the same places in every case."""
    if type(old) is not list or type(new) is not list or len(old) != len(new):
        return False
    return all(a == b or not (_vanishes(a) or _vanishes(b)) for a, b in zip(old, new))


def _child(node, key):
    if type(node) is dict:
        return node.get(key, _MISSING)
    if type(node) is list and type(key) is int and 0 <= key < len(node):
        return node[key]
    return _MISSING


def _function_path(keys: tuple) -> bool:
    return any(type(k) is str and (k == "Ref" or k.startswith("Fn::")) for k in keys)


def site_of(keys: tuple, old, new, rtype: str, unordered, old_keys=None) -> tuple:
    """The path around ``keys`` whose value resolves as one (``old_keys``:
    the same path in ``old``, when a list item on the way moved)."""
    site: list = []
    nodes = [old, new]
    for depth, key in enumerate(keys):
        if type(key) is str and (key == "Ref" or key.startswith("Fn::")):
            break
        if any(_is_function(n) for n in nodes):
            break
        if type(key) is int:
            if any(_may_vanish(n) for n in nodes) and not _aligned(*nodes):
                break
            if unordered is not None and site and site[0] == "Properties" and unordered(
                rtype, tuple(k for k in site[1:] if type(k) is str)
            ):
                break
        site.append(key)
        nodes = [_child(nodes[0], old_keys[depth] if old_keys else key), _child(nodes[1], key)]
    return tuple(site)


def value_at(node, keys: tuple):
    """The value at ``keys`` below ``node``, None when absent."""
    for key in keys:
        node = _child(node, key)
        if node is _MISSING:
            return None
    return node


def normalizer(rtype: str, site: tuple, unordered):
    """Values made comparable: lists compared without regard to order are sorted."""
    if unordered is None or not site or site[0] != "Properties":
        return None
    base = tuple(k for k in site[1:] if type(k) is str)
    return partial(_sorted_lists, rtype=rtype, unordered=unordered, keys=base)


def _sorted_lists(value, rtype: str, unordered, keys: tuple):
    """``value`` with the lists compared without regard to order (below ``keys``) sorted."""
    if type(value) is dict:
        return {k: _sorted_lists(v, rtype, unordered, keys + (k,)) for k, v in value.items()}
    if type(value) is list:
        items = [_sorted_lists(v, rtype, unordered, keys) for v in value]
        if keys and unordered(rtype, keys):
            try:
                items.sort(key=_canonical)
            except (TypeError, ValueError):
                pass
        return items
    return value


def _merge(sites: dict) -> dict:
    """Sites that lie below another site join it."""
    out: dict = {}
    for site in sorted(sites, key=len):
        parent = next((s for s in out if site[: len(s)] == s), None)
        if parent is None:
            out[site] = list(sites[site])
        else:
            out[parent].extend(sites[site])
    return out


def apply_resolution(stack, old, new, res, unordered=None) -> None:
    """Read the written diff of ``stack`` as resolved (see the module's docstring)."""
    if res is None:
        return
    apply_existence(stack, old, new, res)
    for rd in stack.resources:
        if rd.action == MODIFY and not rd.old_type and rd.changes:
            _resolve_changes(stack, rd, old, new, res, unordered)


def _resolve_changes(stack, rd: ResourceDiff, old, new, res, unordered) -> None:
    old_r = old.resources.get(rd.old_logical_id or rd.logical_id)
    new_r = new.resources.get(rd.logical_id)
    if type(old_r) is not dict or type(new_r) is not dict:
        return
    candidates = [c for c in rd.changes if not (c.cause or c.verdict is not None or not c.keys or c.keys[0] in _SKIPPED)]
    # An edit of plain values at a plain path resolves as written: only the others choose the sites.
    sites: dict = {}
    plain = []
    for c in candidates:
        if _function_path(c.keys) or res.matters(c.before) or res.matters(c.after):
            sites.setdefault(site_of(c.keys, old_r, new_r, rd.type, unordered, c.old_keys), []).append(c)
        else:
            plain.append(c)
    if not sites:
        return
    sites = _merge(sites)
    for c in plain:  # a plain edit inside a site is compared with it
        site = next((s for s in sites if c.keys[: len(s)] == s), None)
        if site is not None:
            sites[site].append(c)
    for site, changes in sites.items():
        moved = next((c.old_keys for c in changes if c.old_keys), None)  # a list item on the way moved
        before, after = value_at(old_r, moved[: len(site)] if moved else site), value_at(new_r, site)
        if not (res.matters(before) or res.matters(after)):
            continue  # nothing to resolve: the text is the value
        found = res.compare(before, after, normalizer(rd.type, site, unordered))
        if found is None:
            note = f"{rd.logical_id} {pointer(site)}: {res.why}"
            if note not in stack.notes:
                stack.notes.append(note)
            continue
        path = pointer(site)
        resolved = found.resolved(before, after)
        if found.changes == NEVER:  # each change of the text, as written, deploys nothing
            for c in changes:
                c.verdict, c.resolved = Verdict(NONE), resolved
            continue
        if resolved is None:
            continue
        for c in changes:
            if c.path == path or len(changes) == 1 or resolved.when:
                c.resolved = resolved


# -- existence -------------------------------------------------------------------


def _condition(resource):
    if type(resource) is not dict:
        return None
    condition = resource.get("Condition")
    return condition if isinstance(condition, str) else None


def apply_existence(stack, old, new, res) -> None:
    """What each resource's ``Condition`` decides, resolved in both revisions."""
    if not res.has_conditions:
        return
    old_res, new_res = old.resources, new.resources
    diffs = {rd.logical_id: rd for rd in stack.resources}
    if res.conditions_differ:  # only the resources whose text names a Condition are read
        names = [lid for lid in naming(new_res, "Condition") if _condition(new_res[lid])]
        names += [lid for lid in naming(old_res, "Condition")
                  if _condition(old_res[lid]) and (lid not in new_res or not _condition(new_res[lid]))]
    else:  # the conditions resolve alike in both revisions: only the resources that changed can differ
        names = [lid for lid in diffs if _condition(old_res.get(lid)) or _condition(new_res.get(lid))]
    gone: set = set()
    notes: list = []
    for lid in dict.fromkeys(names):
        o, n = old_res.get(lid), new_res.get(lid)
        if (o is not None and type(o) is not dict) or (n is not None and type(n) is not dict):
            continue  # an Fn::ForEach loop
        worlds = res.existence(o, n)
        if not worlds:
            continue
        rd = diffs.get(lid)
        cases = {(a, b) for _, a, b in worlds}
        condition = _condition(n) or _condition(o)
        if cases == {(False, False)}:
            if rd is not None:
                gone.add(lid)
                notes.append(f"{lid} ({condition})")
            continue
        if all(a == b for a, b in cases):
            if rd is not None and rd.action == MODIFY:
                for c in rd.changes:
                    if c.keys[:1] == ("Condition",) and c.verdict is None:
                        c.verdict = Verdict(NONE)
                        c.resolved = Resolved(NEVER, "the resource exists in the same cases: no change",
                                              _condition(o), _condition(n))
            continue
        if o is None or n is None:
            _one_side(rd, worlds, res, n is not None)
            continue
        if cases == {(True, False)}:
            _replace(stack, diffs, _whole(lid, o, REMOVE, old, f"deleted: condition {condition} is now false"))
        elif cases == {(False, True)}:
            _replace(stack, diffs, _whole(lid, n, ADD, new, f"created: condition {condition} is now true"))
        else:
            _maybe(stack, diffs, lid, o, n, worlds, res, new)
    if gone:
        stack.resources = [rd for rd in stack.resources if rd.logical_id not in gone]
        stack.notes.append(
            "their conditions are false in both revisions, so the stack has none of these resources and their "
            "changes deploy nothing: " + ", ".join(notes)
        )


def _one_side(rd, worlds, res, added: bool) -> None:
    """An added (or removed) resource that exists only in some worlds."""
    if rd is None:
        return
    exists = [w for w, a, b in worlds if (b if added else a)]
    absent = [w for w, a, b in worlds if not (b if added else a)]
    if not absent:
        return
    if not exists:
        rd.exists = ("not created: its condition is false" if added
                     else "it did not exist: its condition was false, so nothing is deleted")
        return
    when = res.when(exists, absent)
    if when.startswith("depending on "):
        rd.exists = _may("created" if added else "deleted", when)
    else:
        rd.exists = f"created only {when}" if added else f"deleted only {when} (where it exists)"


def _may(what: str, when: str) -> str:
    """``deleted when IsProd is false``, or ``may be deleted, depending on A and B``."""
    return f"may be {what}, {when}" if when.startswith("depending on ") else f"{what} {when}"


def _whole(lid: str, resource: dict, action: str, template, exists: str) -> ResourceDiff:
    properties = resource.get("Properties") if action == ADD else None
    return ResourceDiff(
        logical_id=lid,
        type=resource.get("Type") if isinstance(resource.get("Type"), str) else "",
        action=action,
        position=template.position(("Resources", lid)),
        construct_path=cdk_path(resource),
        retained=action == REMOVE and resource.get("DeletionPolicy") in RETAIN_POLICIES,
        properties=properties if isinstance(properties, dict) else None,
        exists=exists,
    )


def _replace(stack, diffs: dict, rd: ResourceDiff) -> None:
    prior = diffs.get(rd.logical_id)
    if prior is not None:
        stack.resources[stack.resources.index(prior)] = rd
    else:
        stack.resources.append(rd)
    diffs[rd.logical_id] = rd


def _maybe(stack, diffs: dict, lid: str, o: dict, n: dict, worlds, res, new) -> None:
    """A resource in both revisions that is created or deleted in some worlds only."""
    deleted = [w for w, a, b in worlds if a and not b]
    created = [w for w, a, b in worlds if b and not a]
    others = [w for w, a, b in worlds if a == b]
    names = list(dict.fromkeys(c for c in (_condition(o), _condition(n)) if c))
    if deleted and created:
        exists = f"created or deleted depending on {' and '.join(names)}"
    elif deleted:
        exists = _may("deleted", res.when(deleted, others + created))
    else:
        exists = _may("created", res.when(created, others + deleted))
    rd = diffs.get(lid)
    if rd is None:
        rd = ResourceDiff(logical_id=lid, type=n.get("Type", ""), action=MODIFY,
                          position=new.position(("Resources", lid)), construct_path=cdk_path(n))
        stack.resources.append(rd)
        diffs[lid] = rd
    rd.exists = exists
    verdict = Verdict(CONDITIONAL)
    for c in rd.changes:
        if c.keys[:1] == ("Condition",):
            c.verdict = verdict
            return
    # The text names the same condition: what it resolves to changed, a knock-on of the condition.
    cause = f"Condition {_condition(n)}"
    rd.changes.insert(0, Change(path="/Condition", kind=MODIFY, keys=("Condition",), before=_condition(o),
                                after=_condition(n), verdict=verdict, cause=cause, because=f"{cause} may change",
                                position=new.position(("Resources", lid, "Condition")) or rd.position))
