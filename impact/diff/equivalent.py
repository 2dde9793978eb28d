"""Forms CloudFormation reads the same, so that they compare equal.

- ``Fn::GetAZs: ""`` and ``Fn::GetAZs: {Ref: AWS::Region}``: the stack's Region.
- ``Fn::GetAtt: "A.Arn"`` (the string form) and ``["A", "Arn"]``.
- ``Fn::FindInMap`` with literal keys is the value it looks up in the
  template's own Mappings.
- A ``Fn::Select`` index ``0`` and ``"0"`` already load as the same string.
- ``Fn::Sub`` of a string with no ``${}`` variable (or with an empty
  variable map) is that string, ``${!Literal}`` read as ``${Literal}``.
- ``Fn::Join`` of literal strings is the joined string.

Only values that differ as written are canonicalised, and only the part
around each difference (:func:`same`), so the cost follows the changes.
"""

from __future__ import annotations

from typing import Optional

REGION = {"Ref": "AWS::Region"}
_DEPTH = 64  # mappings are at most three levels; values nest little


def canonical(value, mappings: Optional[dict] = None, depth: int = 0):
    """``value`` with equivalent forms made one."""
    if depth > _DEPTH:
        return value
    if isinstance(value, list):
        return [canonical(v, mappings, depth + 1) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (key, arg), = value.items()
        if key == "Fn::GetAZs":
            arg = canonical(arg, mappings, depth + 1)
            return {key: "" if arg == REGION else arg}
        if key == "Fn::GetAtt" and isinstance(arg, str) and "." in arg:
            return {key: arg.split(".", 1)}
        if key == "Fn::Sub":
            literal = _literal_sub(arg)
            if literal is not None:
                return literal
        if key == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
            parts = canonical(arg[1], mappings, depth + 1)
            if isinstance(parts, list) and all(isinstance(p, str) for p in parts):
                return arg[0].join(parts)
        if key == "Fn::FindInMap" and isinstance(arg, list) and 3 <= len(arg) <= 4:
            found = _lookup(mappings, [canonical(a, mappings, depth + 1) for a in arg[:3]])
            if found is not _MISSING:
                return found
    return {k: canonical(v, mappings, depth + 1) for k, v in value.items()}


_MISSING = object()


def _literal_sub(arg) -> Optional[str]:
    """The string a ``Fn::Sub`` with nothing to substitute reads as, or None."""
    if isinstance(arg, list) and len(arg) == 2 and arg[1] == {}:
        arg = arg[0]
    if not isinstance(arg, str) or "${" in arg.replace("${!", ""):
        return None
    return arg.replace("${!", "${")


def _lookup(mappings: Optional[dict], keys: list):
    if not isinstance(mappings, dict) or not all(isinstance(k, str) for k in keys):
        return _MISSING
    node = mappings
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return _MISSING
        node = node[key]
    return node


def equal(old, new, old_maps: Optional[dict] = None, new_maps: Optional[dict] = None) -> bool:
    """Whether two values read the same to CloudFormation."""
    return old == new or canonical(old, old_maps) == canonical(new, new_maps)


def mappings_of(data: dict) -> Optional[dict]:
    value = data.get("Mappings")
    return value if isinstance(value, dict) else None


def _site(path: list) -> int:
    """How many keys of ``path`` lead to the outermost intrinsic function on
    it, or to its end when there is none."""
    for i, key in enumerate(path):
        if isinstance(key, str) and (key == "Ref" or key.startswith("Fn::")):
            return i
    return len(path)


def _at(value, path):
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return value


def same(old, new, path: list, old_maps: Optional[dict], new_maps: Optional[dict]) -> bool:
    """Whether the change at ``path`` between ``old`` and ``new`` is only a
    change of form: the function around it reads the same in both."""
    site = path[: _site(path)]
    before, after = _at(old, site), _at(new, site)
    if before is _MISSING or after is _MISSING:
        return False
    return canonical(before, old_maps) == canonical(after, new_maps)


def drop_equivalent(changes: list, old, new, old_maps: Optional[dict], new_maps: Optional[dict]) -> list:
    """``changes`` (as ``(path, kind, before, after)``) without those that are
    only a change of form."""
    return [c for c in changes if not same(old, new, c[0], old_maps, new_maps)]
