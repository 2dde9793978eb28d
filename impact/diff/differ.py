"""Diff two templates resource by resource, property by property.

Resources are first compared for equality, and only the unequal ones are
diffed leaf by leaf (DeepDiff's changes, see :func:`diff_values`), so the cost
follows what changed rather than the size of the template.  DeepDiff itself
is imported only where its own measure decides the answer.
"""

from __future__ import annotations

import json
from collections import Counter
from itertools import zip_longest
from typing import Callable, Optional

from .equivalent import drop_equivalent, mappings_of
from ..load.loader import collector_paused, collector_running
from ..load.spans import same_text
from ..model import ADD, MODIFY, REMOVE, RETAIN_POLICIES, Change, ResourceDiff, Template, pointer

CDK_PATH = "aws:cdk:path"
FOREACH = "Fn::ForEach"  # the pseudo type of an AWS::LanguageExtensions loop

# ``unordered(resource_type, keys)`` says whether the list at ``keys`` (a
# path below Properties, list indices left out) may be compared as a multiset;
# ``STATEMENTS`` or ``POLICIES`` (truthy) that it holds policy statements or
# named inline policies, matched by content and then by name (_diff_matched).
Unordered = Callable[[str, tuple], bool]
STATEMENTS, POLICIES = "statements", "policies"
MATCHED = (STATEMENTS, POLICIES)


def _names(depends) -> Optional[list]:
    """The logical IDs of a ``DependsOn``, or None when it is not names."""
    items = depends if isinstance(depends, list) else [depends]
    return items if all(isinstance(i, str) for i in items) else None


def normalize(resource: dict) -> dict:
    """The resource as CloudFormation compares it: ``DependsOn: A`` is ``[A]``,
    the order of ``DependsOn`` does not matter, and empty ``Properties`` are
    no properties."""
    out = resource
    if "Properties" in out and out["Properties"] in (None, {}):
        out = {k: v for k, v in out.items() if k != "Properties"}
    depends = out.get("DependsOn")
    items = _names(depends) if depends is not None else None
    if items is None:
        return out  # absent, or not names: compared as written
    names = sorted(set(items))
    if depends == names:
        return out
    return {**out, "DependsOn": names}


def _depends_changes(old, new) -> Optional[list]:
    """A ``DependsOn`` compared as a set of names, each change at the name's
    own index in its template (``/DependsOn`` for a single name), or None
    when either side is not names."""
    before = _names(old) if old is not None else []
    after = _names(new) if new is not None else []
    if before is None or after is None:
        return None
    if isinstance(old, str) and isinstance(new, str):
        return [(["DependsOn"], MODIFY, old, new)]

    def at(value, i) -> list:
        return ["DependsOn"] if isinstance(value, str) else ["DependsOn", i]

    out = [(at(old, i), REMOVE, n, None) for i, n in enumerate(before) if n not in after and n not in before[:i]]
    out += [(at(new, i), ADD, None, n) for i, n in enumerate(after) if n not in before and n not in after[:i]]
    return out


def _property_keys(path: list) -> tuple:
    """``['Properties', 'Rules', 0, 'Name']`` -> ``('Rules', 'Name')``."""
    return tuple(k for k in path[1:] if isinstance(k, str))


def diff_values(old, new, rtype: str = "", unordered: Optional[Unordered] = None) -> list:
    """Leaf-level changes between two values of one resource, as (path, kind, before, after).

    Equal subtrees cost one comparison.  Mappings, and lists of mappings or
    lists compared in order, are walked key by key and index by index (extra
    items are added or removed); lists compared as multisets are matched by
    the hashes of their items (:func:`_diff_multiset`), lists of scalars
    index by index or, where insertions and deletions must be matched up, by
    DeepDiff.  The changes are exactly those DeepDiff gives for the whole
    value, in a fixed order (tests/test_properties.py checks it)."""
    out: list = []
    if old != new:
        _diff_into(out, [], old, new, rtype, unordered)
    out.sort(key=change_order)
    return out


def change_order(change: tuple) -> tuple:
    """The order of a value's changes: by path, indices as numbers; at one
    path a removal, then an addition, then a change of how often an item
    repeats, then a modification."""
    path, kind, before, after = change
    rank = {REMOVE: 0, ADD: 2, MODIFY: 4}[kind] + (kind != MODIFY and before is not None and after is not None)
    return [str(k) if isinstance(k, str) else f"{k:09d}" for k in path], rank


def _diff_into(out: list, path: list, old, new, rtype: str, unordered: Optional[Unordered]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key, before in old.items():
            if key not in new:
                out.append((path + [key], REMOVE, before, None))
            elif before != new[key]:
                _diff_into(out, path + [key], before, new[key], rtype, unordered)
        for key, after in new.items():
            if key not in old:
                out.append((path + [key], ADD, None, after))
    elif isinstance(old, list) and isinstance(new, list):
        if _as_multiset(path, rtype, unordered) or not (_has_collection(old) or _has_collection(new)):
            out.extend(_diff_lists(path, old, new, rtype, unordered))
            return
        for i, (before, after) in enumerate(zip_longest(old, new, fillvalue=_ABSENT)):
            if after is _ABSENT:
                out.append((path + [i], REMOVE, before, None))
            elif before is _ABSENT:
                out.append((path + [i], ADD, None, after))
            elif before != after:
                _diff_into(out, path + [i], before, after, rtype, unordered)
    else:
        out.append((path, MODIFY, old, new))


_ABSENT = object()
# The intrinsic functions a list item may be instead of a plain value.
_FUNCTIONS = frozenset(
    ("Ref", "Fn::If", "Fn::Sub", "Fn::Join", "Fn::GetAtt", "Fn::ImportValue", "Fn::FindInMap", "Fn::Select")
)


def _has_collection(items: list) -> bool:
    return any(isinstance(item, (dict, list)) for item in items)


def _holds_collection(items: list, seen: dict) -> bool:
    """:func:`_has_collection`, once per list however many changes lie inside it."""
    found = seen.get(id(items))
    if found is None:
        found = seen[id(items)] = _has_collection(items)
    return found


def _as_multiset(path: list, rtype: str, unordered: Optional[Unordered]) -> bool:
    """Whether the list at ``path`` is compared without regard to order."""
    if unordered is None or not path or path[0] != "Properties":
        return False
    return unordered(rtype, _property_keys(path))


def _diff_lists(prefix: list, old: list, new: list, rtype: str, unordered: Optional[Unordered]) -> list:
    """DeepDiff's changes between two unequal lists at ``prefix``: lists
    compared as multisets by :func:`_diff_multiset`, lists of scalars in order
    by :func:`_diff_scalars`; policies and their statements by :func:`_diff_matched`."""
    mode = unordered(rtype, _property_keys(prefix)) if unordered is not None and prefix and prefix[0] == "Properties" else None
    if mode in MATCHED:
        found = _diff_matched(prefix, old, new, rtype, unordered, mode)
        if found is not None:
            return found
    if _as_multiset(prefix, rtype, unordered):
        found = _diff_multiset(prefix, old, new, rtype, unordered)
    else:
        found = _diff_scalars(prefix, old, new)
    return found if found is not None else _deepdiff(prefix, old, new, rtype, unordered)


def _diff_matched(prefix: list, old: list, new: list, rtype: str, unordered: Optional[Unordered], mode) -> Optional[list]:
    """A list whose order means nothing to AWS, its items matched by what
    they are: equal items by content, then an edited item with the one it
    replaces.  ``mode`` says which that is: for policy ``STATEMENTS``, the
    same ``Sid``, else the next one left with the same effect about the same
    services; for ``POLICIES`` (a role's inline policies), the same
    ``PolicyName``, else the only one left on each side.  An item added is
    one addition at its new index, one removed one removal at its old index,
    an edited one its own changes at its old index; the cost follows the
    items that changed, not the list.  None when the items cannot be hashed."""
    # Items that stand where they stood, equal, at either end, are matched at
    # once; only those between are hashed.
    head, size = 0, min(len(old), len(new))
    while head < size and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < size - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    try:
        old_keys = {i: _canonical(old[i]) for i in range(head, len(old) - tail)}
        new_keys = {j: _canonical(new[j]) for j in range(head, len(new) - tail)}
    except (TypeError, ValueError):
        return None
    pool: dict = {}
    for i, key in old_keys.items():
        pool.setdefault(key, []).append(i)
    added = []
    for j, key in new_keys.items():
        same = pool.get(key)
        if same:
            same.pop()
        else:
            added.append(j)
    removed = sorted(i for group in pool.values() for i in group)
    name = "Sid" if mode == STATEMENTS else "PolicyName"
    pairs = []
    for i in list(removed):  # the same name
        key = _name(old[i], name)
        j = next((j for j in added if key is not None and _name(new[j], name) == key), None)
        if j is not None:
            pairs.append((i, j))
            added.remove(j)
            removed.remove(i)
    if mode == STATEMENTS:
        for i in list(removed):  # alike: one effect, one service
            j = next((j for j in added if _alike(old[i], new[j])), None)
            if j is not None:
                pairs.append((i, j))
                added.remove(j)
                removed.remove(i)
    elif len(removed) == 1 and len(added) == 1:
        pairs.append((removed.pop(), added.pop()))
    out: list = []
    for i, j in pairs:
        _diff_into(out, prefix + [i], old[i], new[j], rtype, unordered)
    out += [(prefix + [i], REMOVE, old[i], None) for i in removed]
    out += [(prefix + [j], ADD, None, new[j]) for j in added]
    return out


def _name(item, key: str):
    value = item.get(key) if isinstance(item, dict) else None
    return value if isinstance(value, str) and value else None


def _alike(a, b) -> bool:
    """Two statements with one effect about one service: the same statement edited."""
    if not (isinstance(a, dict) and isinstance(b, dict)) or a.get("Effect") != b.get("Effect"):
        return False
    return bool(_services(a)) and _services(a) == _services(b)


def _services(statement: dict) -> frozenset:
    actions = statement.get("Action", statement.get("NotAction"))
    actions = [actions] if isinstance(actions, str) else actions if isinstance(actions, list) else []
    return frozenset(a.split(":", 1)[0].lower() for a in actions if isinstance(a, str))


def _diff_scalars(prefix: list, old: list, new: list) -> Optional[list]:
    """Two lists of scalars compared in order, with DeepDiff's answer.

    DeepDiff matches the lists up with difflib, and also compares them index
    by index; it keeps the index-by-index answer unless difflib's has fewer
    changes, or one.  difflib's changes are at least the items the lists do
    not share (as multisets), so when those are as many as the
    index-by-index changes, and more than one, difflib is not needed."""
    by_index = [(prefix + [i], MODIFY, a, b) for i, (a, b) in enumerate(zip(old, new)) if a != b]
    by_index += [(prefix + [i], REMOVE, old[i], None) for i in range(len(new), len(old))]
    by_index += [(prefix + [i], ADD, None, new[i]) for i in range(len(old), len(new))]
    try:
        shared = sum((Counter(old) & Counter(new)).values())
    except TypeError:  # not hashable: a list of collections
        return None
    unshared = max(len(old), len(new)) - shared
    if unshared > 1 and unshared >= len(by_index):
        return by_index
    matched = _diff_by_difflib(prefix, old, new)
    return by_index if len(matched) > 1 and len(matched) >= len(by_index) else matched


def _diff_by_difflib(prefix: list, old: list, new: list) -> list:
    """DeepDiff's changes from difflib's opcodes: a replaced run is compared
    item by item, then what one side has more is removed or added, each at
    its own side's index; deleted and inserted runs are removed and added."""
    from difflib import SequenceMatcher

    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "replace":
            for k, (a, b) in enumerate(zip_longest(old[i1:i2], new[j1:j2], fillvalue=_ABSENT)):
                if b is _ABSENT:
                    out.append((prefix + [i1 + k], REMOVE, a, None))
                elif a is _ABSENT:
                    out.append((prefix + [j1 + k], ADD, None, b))
                else:
                    out.append((prefix + [i1 + k], MODIFY, a, b))
        elif tag == "delete":
            out.extend((prefix + [i], REMOVE, old[i], None) for i in range(i1, i2))
        elif tag == "insert":
            out.extend((prefix + [j], ADD, None, new[j]) for j in range(j1, j2))
    return out


# DeepDiff's constants for lists compared without order (deepdiff.diff).
_PAIRS_CUTOFF = 0.7  # cutoff_intersection_for_pairs: above this share of unmatched items, none are paired
_DISTANCE_CUTOFF = 0.3  # cutoff_distance_for_pairs: items further apart than this are not paired


# One text per value, equal for equal values (key order left out).
_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def _diff_multiset(prefix: list, old: list, new: list, rtype: str, unordered: Optional[Unordered]) -> Optional[list]:
    """Two lists compared as multisets, with the answer DeepDiff gives
    (``ignore_order`` with ``report_repetition``), or None when only DeepDiff
    can give it.

    Each item is hashed once, by its canonical text, and equal hashes are
    matched; only the unmatched items are compared further, so the cost
    follows the change, not the lists.  DeepDiff is left the one thing it
    decides by a measure of its own: which removed item an added one is a
    modification of, when there are both."""
    try:
        old_keys = [_canonical(v) for v in old]
        new_keys = [_canonical(v) for v in new]
    except (TypeError, ValueError):
        return None
    old_at: dict = {}
    new_at: dict = {}
    for i, key in enumerate(old_keys):
        old_at.setdefault(key, []).append(i)
    for i, key in enumerate(new_keys):
        new_at.setdefault(key, []).append(i)
    removed = [k for k in old_at if k not in new_at]
    added = [k for k in new_at if k not in old_at]
    repeated = [k for k in old_at if k in new_at and len(old_at[k]) != len(new_at[k])]
    # DeepHash, which DeepDiff matches items by, counts a list's items but
    # forgets where repeats stand: it would match some unequal lists, so
    # lists with a repeated item go to DeepDiff.
    shapes = [_shape(old[old_at[k][0]]) for k in removed + repeated] + [_shape(new[new_at[k][0]]) for k in added]
    if any(repeats for _, repeats in shapes):
        return None
    pairs = bool(added and removed)
    if pairs and (len(added) + len(removed)) / (len(old_at) + len(new_at) + 1) > _PAIRS_CUTOFF:
        pairs = False
    out: list = []
    if pairs:
        if len(added) > 1 or len(removed) > 1:
            return None  # which items pair up is DeepDiff's measure
        if any(_shape(old[v[0]])[1] for k, v in old_at.items() if k in new_at):
            return None  # matched items could be DeepHash-equal to each other
        before, after = old[old_at[removed[0]][0]], new[new_at[added[0]][0]]
        at = old_at[removed[0]]
        changes: list = []
        _diff_into(changes, prefix + [at[0]], before, after, rtype, unordered)
        size = shapes[0][0] + shapes[-1][0]
        distance = _distance(before, after, changes, size)
        if distance is None and not _surely_paired(size, changes):
            return None
        pairs = distance is None or distance < _DISTANCE_CUTOFF
    if pairs:
        # DeepDiff reports the pair's changes at each place of the removed item.
        out += changes
        for i in at[1:]:
            out.extend(([*prefix, i, *path[len(prefix) + 1 :]], kind, b, a) for path, kind, b, a in changes)
    else:
        out += [(prefix + [i], REMOVE, old[i], None) for k in removed for i in old_at[k]]
        out += [(prefix + [i], ADD, None, new[i]) for k in added for i in new_at[k]]
    for k in repeated:
        item, before, after = old[old_at[k][0]], len(old_at[k]), len(new_at[k])
        out.append((prefix + [old_at[k][0]], ADD if after > before else REMOVE, [item] * before, [item] * after))
    return out


def _shape(node) -> tuple:
    """(DeepHash's count of ``node``, whether a list in it holds two equal
    items).  The count is 1 for a scalar, 1 plus its items' for a list, and
    1 plus one per key and its value's for a mapping."""
    cls = node.__class__
    if cls is dict:
        count, repeats = 1 + len(node), False
        for v in node.values():
            if v.__class__ is dict or v.__class__ is list:
                size, inner = _shape(v)
                count, repeats = count + size, repeats or inner
            else:
                count += 1
        return count, repeats
    if cls is not list:
        return 1, False
    inner = [v for v in node if v.__class__ is dict or v.__class__ is list]
    count, repeats = 1 + len(node) - len(inner), False
    if len(node) > 1:
        if inner:
            keys = [_canonical(v) if v.__class__ is dict or v.__class__ is list else (v.__class__, v) for v in node]
            repeats = len(set(keys)) < len(keys)
        else:
            repeats = len(set(node)) < len(node)
    for v in inner:
        size, deeper = _shape(v)
        count, repeats = count + size, repeats or deeper
    return count, repeats


def _distance(before, after, changes: list, size: int) -> Optional[float]:
    """DeepDiff's distance between two items without lists (the size of its
    directed delta over the items' sizes), or None for other items, and for
    changes of type, whose delta DeepDiff counts its own way."""
    if _holds_list(before) or _holds_list(after):
        return None
    length = 0
    for _, kind, b, a in changes:
        if kind == MODIFY:
            if not (b.__class__ is str and a.__class__ is str):
                return None
            length += 1
        else:
            length += _leaves(a if kind == ADD else b)
    return length / size if length else 0


def _holds_list(node) -> bool:
    if node.__class__ is list:
        return True
    return node.__class__ is dict and any(_holds_list(v) for v in node.values())


def _leaves(node) -> int:
    """The strings in a value without lists: what DeepDiff's delta length counts."""
    if node.__class__ is dict:
        return sum(_leaves(v) for v in node.values())
    return 1 if node.__class__ is str else 0


def _surely_paired(size: int, changes: list) -> bool:
    """Whether DeepDiff pairs a removed and an added item, of ``size``
    together, for sure: its distance (the size of the change over the size
    of both items) is below its cutoff.  The change is measured here by the
    size of every value it names, more than DeepDiff counts, and must be
    under half the cutoff."""
    change = sum(_shape(b)[0] + _shape(a)[0] for _, _, b, a in changes)
    return change < _DISTANCE_CUTOFF / 2 * size


def _deepdiff(prefix: list, old: list, new: list, rtype: str, unordered: Optional[Unordered]) -> list:
    """DeepDiff's changes between two unequal lists at ``prefix``."""
    from deepdiff import DeepDiff  # imported only where it decides

    kwargs = {}
    if unordered is not None:

        def ignore_order(level) -> bool:
            # Policies and statements inside what DeepDiff compares stay in order there: matched without
            # order, DeepDiff pairs them by its own measure, at a cost that grows with the policy.
            if not isinstance(level.t1, list):
                return False
            path = prefix + level.path(output_format="list")
            return bool(unordered(rtype, _property_keys(path)) not in MATCHED and _as_multiset(path, rtype, unordered))

        kwargs = {"ignore_order_func": ignore_order, "report_repetition": True}
    with collector_running():  # its result is a tree of cycles
        return _changes(prefix, DeepDiff(old, new, view="tree", verbose_level=2, threshold_to_diff_deeper=0, **kwargs))


def _changes(prefix: list, result) -> list:
    """A DeepDiff tree result as (path, kind, before, after)."""
    out = []
    for report, levels in result.items():
        for level in levels:
            path = prefix + level.path(output_format="list")
            if report in ("dictionary_item_added", "iterable_item_added"):
                out.append((path, ADD, None, level.t2))
            elif report in ("dictionary_item_removed", "iterable_item_removed"):
                out.append((path, REMOVE, level.t1, None))
            elif report == "repetition_change":
                rep = level.additional["repetition"]
                kind = ADD if rep["new_repeat"] > rep["old_repeat"] else REMOVE
                before = [level.t1] * rep["old_repeat"]
                after = [level.t1] * rep["new_repeat"]
                out.append((path, kind, before, after))
            elif report in ("values_changed", "type_changes"):
                out.append((path, MODIFY, level.t1, level.t2))
            # Other reports (attribute changes, set items) cannot occur in template data.
    return out


# Aligning ordered lists: one edit, one change.
#
# DeepDiff compares a list that holds mappings (or Ref and Fn::GetAtt among
# strings, as an Fn::Join's parts do) index by index, so one item inserted
# near the front shows as a change of every item after it: 30 rows for one
# new line of a UserData script, 120 for one step inserted in an SSM
# document.  :func:`align_lists` matches such a list's items up by their
# text instead (difflib, as DeepDiff does for lists of scalars) and keeps
# that answer when it has fewer changes: items inserted or deleted whole are
# one change each, and an item edited in place is compared key by key.
# Removals are at their old index, everything else at its new one.

MAX_ALIGNED = 5000  # items of a list matched up; a longer one keeps DeepDiff's answer


def align_lists(
    changes: list,
    old,
    new,
    rtype: str = "",
    unordered: Optional[Unordered] = None,
    maps=(None, None),
    base: tuple = (),
    moved: Optional[dict] = None,
) -> list:
    """``changes`` (as ``(path, kind, before, after)``) between ``old`` and
    ``new``, the values at path ``base``, with the changes below each ordered
    list of collections replaced by the list's aligned changes where those
    are fewer.  ``moved`` receives, for each item edited in place whose index
    differs between the two, its new path (a tuple) -> its old index."""
    groups: dict = {}  # list path -> indices of its changes in ``changes``
    seen: dict = {}  # id of a list -> whether it holds a collection (the lists live as long as this call)
    for i, (path, _, _, _) in enumerate(changes):
        at = _outer_list(path, len(base), old, new, rtype, unordered, seen)
        if at is not None:
            groups.setdefault(at, []).append(i)
    replaced: dict = {}  # first index of a group -> its aligned changes
    dropped: set = set()
    for at, members in groups.items():
        if len(members) < 2:
            continue
        inside = at[len(base):]
        before, after = _at_path(old, inside), _at_path(new, inside)
        found: dict = {}
        aligned = _aligned(list(at), before, after, rtype, unordered, maps, found)
        if aligned is not None and len(aligned) < len(members):
            replaced[members[0]] = aligned
            dropped.update(members)
            if moved is not None:
                moved.update(found)
    if not replaced:
        return changes
    out = []
    for i, change in enumerate(changes):
        if i in replaced:
            out.extend(replaced[i])
        elif i not in dropped:
            out.append(change)
    out.sort(key=change_order)
    return out


def moved_from(path, moved: dict) -> Optional[tuple]:
    """Where the value at ``path`` of the new value sits in the old one, when
    an item on the way moved (``moved`` from :func:`align_lists`), else None."""
    if not moved:
        return None
    out, shifted = list(path), False
    for depth in range(1, len(out) + 1):
        i = moved.get(tuple(path[:depth]))
        if i is not None:
            out[depth - 1], shifted = i, True
    return tuple(out) if shifted else None


def _outer_list(path: list, start: int, old, new, rtype: str, unordered: Optional[Unordered],
                seen: dict) -> Optional[tuple]:
    """The path of the outermost ordered list of collections that ``path``
    lies strictly inside in both values (which are at ``path[:start]``), or None."""
    a, b = old, new
    for depth in range(start, len(path)):
        if a.__class__ is list and b.__class__ is list:
            prefix = path[:depth]
            collections = _holds_collection(a, seen) or _holds_collection(b, seen)
            if collections and not _as_multiset(prefix, rtype, unordered):
                return tuple(prefix)
        try:
            a, b = a[path[depth]], b[path[depth]]
        except (KeyError, IndexError, TypeError):
            return None
    return None


def _at_path(value, path: tuple):
    for key in path:
        value = value[key]
    return value


MAX_BLOCK = 400  # old x new items of one unmatched run paired by their differences; a larger one by position


def _aligned(
    prefix: list, old: list, new: list, rtype: str, unordered: Optional[Unordered], maps, moved: dict
) -> Optional[list]:
    """The changes between two lists at ``prefix`` with their items matched
    up by text (difflib), or None when they cannot be (too long, not
    encodable).  In a run of items that match nothing, an item is edited in
    place where it resembles the other, inserted or deleted where it does
    not (:func:`_pairing`)."""
    from difflib import SequenceMatcher

    if len(old) > MAX_ALIGNED or len(new) > MAX_ALIGNED:
        return None
    try:
        old_keys = [_canonical(v) for v in old]
        new_keys = [_canonical(v) for v in new]
    except (TypeError, ValueError):
        return None
    out: list = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        edits: dict = {}  # (i, j) -> the changes of old[i] edited into new[j]

        inner_moved: dict = {}  # (i, j) -> what moved inside that edit

        def edit(i: int, j: int) -> list:
            if (i, j) not in edits:
                inner_moved[i, j] = {}
                edits[i, j] = _edit([*prefix, j], old[i], new[j], rtype, unordered, maps, inner_moved[i, j])
            return edits[i, j]

        for op, i, j in _pairing(i1, i2, j1, j2, edit, old, new):
            if op == REMOVE:
                out.append(([*prefix, i], REMOVE, old[i], None))
            elif op == ADD:
                out.append(([*prefix, j], ADD, None, new[j]))
            else:
                out.extend(edit(i, j))
                moved.update(inner_moved[i, j])
                if i != j:
                    moved[(*prefix, j)] = i
    return out


def _edit(at: list, a, b, rtype: str, unordered: Optional[Unordered], maps, moved: dict) -> list:
    """The changes of item ``a`` edited into ``b`` at path ``at``: key by key,
    forms CloudFormation reads the same left out, lists inside aligned again."""
    from .equivalent import drop_equivalent

    inner: list = []
    _diff_into(inner, at, a, b, rtype, unordered)
    kept = drop_equivalent([(p[len(at):], *rest) for p, *rest in inner], a, b, *maps)
    inner = [([*at, *p], *rest) for p, *rest in kept]
    return align_lists(inner, a, b, rtype, unordered, maps, tuple(at), moved)


def _pairing(i1: int, i2: int, j1: int, j2: int, edit, old: list, new: list) -> list:
    """How old items ``i1:i2`` become new items ``j1:j2`` with the least to
    read: ``(MODIFY, i, j)`` an item edited, ``(REMOVE, i, None)``,
    ``(ADD, None, j)``.  A removal or an addition costs the size of its item,
    an edit the size of what it changes, so that an item is edited where it
    resembles the other and removed and added where it does not.  One item in
    place of one other is an edit, and a run too large for this is paired by
    position."""
    n, m = i2 - i1, j2 - j1
    if n * m > MAX_BLOCK or n * m <= 1:
        paired = min(n, m)
        return (
            [(MODIFY, i1 + k, j1 + k) for k in range(paired)]
            + [(REMOVE, i, None) for i in range(i1 + paired, i2)]
            + [(ADD, None, j) for j in range(j1 + paired, j2)]
        )
    gone = [_shape(old[i1 + x])[0] for x in range(n)]
    came = [_shape(new[j1 + y])[0] for y in range(m)]
    costs: dict = {}

    def edited(x: int, y: int) -> int:
        if (x, y) not in costs:
            costs[x, y] = sum(_shape(b)[0] * (b is not None) + _shape(a)[0] * (a is not None)
                              for _, _, b, a in edit(i1 + x, j1 + y))
        return costs[x, y]

    # cost[x][y]: the least to read turning old items x: into new items y:.
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for x in range(n, -1, -1):
        for y in range(m, -1, -1):
            if x == n or y == m:
                cost[x][y] = sum(gone[x:]) + sum(came[y:])
            else:
                cost[x][y] = min(gone[x] + cost[x + 1][y], came[y] + cost[x][y + 1], edited(x, y) + cost[x + 1][y + 1])
    steps, x, y = [], 0, 0
    while x < n or y < m:
        if x < n and y < m and cost[x][y] == edited(x, y) + cost[x + 1][y + 1]:
            steps.append((MODIFY, i1 + x, j1 + y))
            x, y = x + 1, y + 1
        elif x < n and (y == m or cost[x][y] == gone[x] + cost[x + 1][y]):
            steps.append((REMOVE, i1 + x, None))
            x += 1
        else:
            steps.append((ADD, None, j1 + y))
            y += 1
    return steps


def pair_edits(changes: list) -> list:
    """A scalar removed and another added at the same path (a one-item edit
    in a list of scalars compared as a multiset) are one modify; so are a
    scalar and an intrinsic function (an ARN that becomes an ``Fn::If``)."""

    def scalar(value) -> bool:
        if isinstance(value, dict):
            return len(value) == 1 and next(iter(value)) in _FUNCTIONS
        return not isinstance(value, list)

    added: dict = {}
    for i, (path, kind, before, after) in enumerate(changes):
        if kind == ADD and scalar(after):
            added.setdefault(tuple(path), i)
    if not added:
        return changes
    pairs: dict = {}  # index of a remove -> index of its add
    for i, (path, kind, before, after) in enumerate(changes):
        j = added.pop(tuple(path), None) if kind == REMOVE and scalar(before) else None
        if j is not None:
            pairs[i] = j
    taken = set(pairs.values())
    out = []
    for i, change in enumerate(changes):
        if i in pairs:
            out.append((change[0], MODIFY, change[2], changes[pairs[i]][3]))
        elif i not in taken:
            out.append(change)
    return out


def _position(template: Template, logical_id: str, path=()):
    return template.position(("Resources", logical_id) + tuple(path))


def diff_resource(logical_id: str, old: dict, new: dict, old_t: Template, new_t: Template, unordered=None):
    """The changes inside one resource present in both templates, or None when equal."""
    old_n, new_n = normalize(old), normalize(new)
    if old_n == new_n:
        return None
    rtype = new.get("Type", "")
    changes = []
    found = None
    if old_n.get("DependsOn") != new_n.get("DependsOn"):
        found = _depends_changes(old.get("DependsOn"), new.get("DependsOn"))
    if found is not None:
        old_n = {k: v for k, v in old_n.items() if k != "DependsOn"}
        new_n = {k: v for k, v in new_n.items() if k != "DependsOn"}
        found = sorted(found + diff_values(old_n, new_n, rtype, unordered), key=change_order)
    else:
        found = diff_values(old_n, new_n, rtype, unordered)
    maps = (mappings_of(old_t.data), mappings_of(new_t.data))
    found = drop_equivalent(found, old_n, new_n, *maps)
    moved: dict = {}
    found = align_lists(found, old_n, new_n, rtype, unordered, maps, moved=moved)
    for path, kind, before, after in pair_edits(found):
        source = old_t if kind == REMOVE else new_t
        changes.append(
            Change(
                path=pointer(path),
                kind=kind,
                keys=tuple(path),
                before=before,
                after=after,
                position=_position(source, logical_id, path),
                old_keys=moved_from(path, moved) if kind != REMOVE else None,
            )
        )
    if not changes:
        return None  # only differences the comparison ignores (an unordered list reordered)
    return ResourceDiff(
        logical_id=logical_id,
        type=rtype,
        action=MODIFY,
        changes=changes,
        old_type=old.get("Type") if old.get("Type") != rtype else None,
        position=_position(new_t, logical_id),
        construct_path=cdk_path(new),
    )


def cdk_path(resource: dict) -> Optional[str]:
    meta = resource.get("Metadata")
    if isinstance(meta, dict):
        value = meta.get(CDK_PATH)
        if isinstance(value, str):
            return value
    return None


def _whole(logical_id: str, resource: dict, action: str, template: Template) -> ResourceDiff:
    if not isinstance(resource, dict):  # an Fn::ForEach loop
        return ResourceDiff(logical_id, FOREACH, action, position=_position(template, logical_id))
    properties = resource.get("Properties") if action == ADD else None
    return ResourceDiff(
        logical_id=logical_id,
        type=resource["Type"],
        action=action,
        position=_position(template, logical_id),
        construct_path=cdk_path(resource),
        retained=action == REMOVE and resource.get("DeletionPolicy") in RETAIN_POLICIES,
        properties=properties if isinstance(properties, dict) else None,
    )


def diff_resources(old: Template, new: Template, unordered: Optional[Unordered] = None) -> list:
    """Every added, removed and modified resource: new template order first,
    then the removed ones in old template order.  A resource whose text is
    the same in both revisions is unchanged as written, and is not read."""
    with collector_paused(freeze=False):
        return _diff_resources(old, new, unordered)


def _diff_resources(old: Template, new: Template, unordered: Optional[Unordered]) -> list:
    old_res, new_res = old.resources, new.resources
    out = []
    for logical_id in new_res:
        if logical_id not in old_res:
            out.append(_whole(logical_id, new_res[logical_id], ADD, new))
            continue
        if same_text(old_res, new_res, logical_id):
            continue
        before, resource = old_res[logical_id], new_res[logical_id]
        if before is None:
            out.append(_whole(logical_id, resource, ADD, new))
        elif before != resource:
            if not isinstance(before, dict) or not isinstance(resource, dict):
                # Fn::ForEach loops are lists: one unit, replaced as a whole.
                rd = ResourceDiff(logical_id, FOREACH, MODIFY, position=_position(new, logical_id))
                rd.changes.append(Change("", MODIFY, (), before, resource, position=rd.position))
                out.append(rd)
                continue
            rd = diff_resource(logical_id, before, resource, old, new, unordered)
            if rd is not None:
                out.append(rd)
    for logical_id in old_res:
        if logical_id not in new_res:
            out.append(_whole(logical_id, old_res[logical_id], REMOVE, old))
    return out
