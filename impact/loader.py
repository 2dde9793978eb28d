"""Load a CloudFormation template from YAML or JSON into plain data.

The result is plain dicts, lists, strings and ``None``: every scalar is a
string, as CloudFormation passes it to resources, so ``10`` and ``"10"`` or
``true`` and ``"true"`` compare equal.  Short-form tags become their long
forms.  The loader keeps the line and column of every mapping key, and turns
every kind of bad input into a :class:`LoadError` naming the file, line and
column.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from json.decoder import scanstring

import yaml

from .model import Template

MAX_BYTES = 20 * 1024 * 1024  # a template this large is not a real template
MAX_DEPTH = 200  # nesting levels; real templates stay under 30
MAX_ALIASES = 10_000
MAX_NODES = 5_000_000  # nodes after expanding aliases

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LoadError(Exception):
    """Bad input: a one-line message ``FILE:LINE:COL: message``."""

    def __init__(self, path: str, line: int, col: int, message: str):
        super().__init__(message)
        self.path, self.line, self.col = path, line, col
        self.message = " ".join(str(message).split())

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


# ---------------------------------------------------------------------------
# Short-form tags

_FN_TAGS = (
    "And Base64 Cidr Equals FindInMap GetAZs If ImportValue Join Not Or Select "
    "Split Sub Transform ToJsonString Length"
).split()
SHORT_TAGS = {"!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt"}
SHORT_TAGS.update({"!" + name: "Fn::" + name for name in _FN_TAGS})

_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_PLAIN_SCALARS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:binary",
}
_TRUE = {"true", "yes", "on", "y"}


def canon_scalar(value):
    """A scalar as CloudFormation sees it: a string, or None."""
    if value is None or isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


# ---------------------------------------------------------------------------
# Positions


class YamlPositions:
    """Positions recorded while constructing YAML: a tree of
    ``{key: (line, col, children)}`` for mappings and ``[(line, col, children)]``
    for sequences."""

    def __init__(self, root):
        self.root = root

    def find(self, path):
        node, best = self.root, None
        for key in path:
            try:
                line, col, node = node[key] if isinstance(node, dict) else node[int(key)]
            except (KeyError, IndexError, ValueError, TypeError):
                break
            best = (line, col)
        return best


class JsonPositions:
    """Positions in JSON text, found on demand.

    Walks the text from the root along the path, skipping sibling values
    with the C decoder, so a lookup costs a scan of the enclosing objects and
    nothing is spent on templates whose positions are never asked for.
    """

    _ws = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: str):
        self.text = text
        self._lines = None
        self._maps: dict = {}
        self._decoder = json.JSONDecoder()

    def line_col(self, offset: int):
        if self._lines is None:
            self._lines = [m.end() for m in re.finditer("\n", self.text)]
        line = bisect_right(self._lines, offset)
        start = self._lines[line - 1] if line else 0
        return line + 1, offset - start + 1

    def _skip_ws(self, i):
        return self._ws.match(self.text, i).end()

    def _members(self, start: int):
        """Offsets of the members of the object or array starting at ``start``:
        ``{key: (key_offset, value_offset)}`` or ``[(offset, offset), ...]``."""
        if start in self._maps:
            return self._maps[start]
        text, i = self.text, self._skip_ws(start)
        opener = text[i]
        members: object = {} if opener == "{" else []
        i = self._skip_ws(i + 1)
        closer = "}" if opener == "{" else "]"
        while i < len(text) and text[i] != closer:
            if opener == "{":
                key_at = i
                key, i = scanstring(text, i + 1)
                i = self._skip_ws(self._skip_ws(i) + 1)  # the colon
                members.setdefault(key, (key_at, i))
            else:
                members.append((i, i))
            _, i = self._decoder.raw_decode(text, i)
            i = self._skip_ws(i)
            if text[i] == ",":
                i = self._skip_ws(i + 1)
        self._maps[start] = members
        return members

    def find(self, path):
        at, best = 0, None
        try:
            for key in path:
                members = self._members(at)
                key_at, at = members[key] if isinstance(members, dict) else members[int(key)]
                best = self.line_col(key_at)
        except (KeyError, IndexError, ValueError, TypeError):
            pass
        return best


# ---------------------------------------------------------------------------
# YAML


class _YamlBuilder:
    """Turns a composed YAML node graph into plain data and positions."""

    def __init__(self, path: str):
        self.path = path
        self.aliases = 0
        self.nodes = 0
        self.done: dict = {}  # id(node) -> (data, positions, expanded size)
        self.active: set = set()

    def fail(self, node, message):
        mark = node.start_mark
        raise LoadError(self.path, mark.line + 1, mark.column + 1, message)

    def build(self, node, depth=0):
        key = id(node)
        if key in self.done:
            self.aliases += 1
            data, pos, size = self.done[key]
            self.nodes += size
            if self.aliases > MAX_ALIASES:
                self.fail(node, f"more than {MAX_ALIASES} YAML aliases")
            if self.nodes > MAX_NODES:
                self.fail(node, "YAML aliases expand to too large a document")
            return data, pos
        if key in self.active:
            self.fail(node, "recursive YAML alias")
        if depth > MAX_DEPTH:
            self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        before = self.nodes
        self.nodes += 1
        self.active.add(key)
        data, pos = self._build(node, depth)
        self.active.discard(key)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            self.done[key] = (data, pos, self.nodes - before)
        if self.nodes > MAX_NODES:
            self.fail(node, "document too large")
        return data, pos

    def _build(self, node, depth):
        tag = node.tag
        if tag in SHORT_TAGS:
            return self._short_form(node, SHORT_TAGS[tag], depth)
        if isinstance(node, yaml.ScalarNode):
            if tag in _PLAIN_SCALARS:
                return node.value, None
            if tag == _BOOL:
                return ("true" if node.value.lower() in _TRUE else "false"), None
            if tag == _NULL:
                return None, None
            self.fail(node, f"unsupported tag {tag}")
        if isinstance(node, yaml.SequenceNode):
            if tag != "tag:yaml.org,2002:seq":
                self.fail(node, f"unsupported tag {tag}")
            items, pos = [], []
            for child in node.value:
                value, sub = self.build(child, depth + 1)
                items.append(value)
                mark = child.start_mark
                pos.append((mark.line + 1, mark.column + 1, sub))
            return items, pos
        if tag != "tag:yaml.org,2002:map":
            self.fail(node, f"unsupported tag {tag}")
        data, pos = {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, "YAML merge keys (<<) are not supported by CloudFormation")
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag in SHORT_TAGS:
                self.fail(key_node, "a mapping key must be a plain scalar")
            k = key_node.value
            if k in data:
                self.fail(key_node, f"duplicate key {k!r}")
            value, sub = self.build(value_node, depth + 1)
            data[k] = value
            mark = key_node.start_mark
            pos[k] = (mark.line + 1, mark.column + 1, sub)
        return data, pos

    def _short_form(self, node, name, depth):
        if isinstance(node, yaml.ScalarNode):
            value = node.value
            if name == "Fn::GetAtt":
                if "." not in value:
                    self.fail(node, "!GetAtt needs the form Resource.Attribute")
                value = value.split(".", 1)
            sub = None
        else:
            plain = node.__class__(
                "tag:yaml.org,2002:seq" if isinstance(node, yaml.SequenceNode) else "tag:yaml.org,2002:map",
                node.value,
                node.start_mark,
                node.end_mark,
            )
            value, sub = self._build(plain, depth)
        mark = node.start_mark
        return {name: value}, {name: (mark.line + 1, mark.column + 1, sub)}


TEMPLATE = "a CloudFormation template"


def _load_yaml(path: str, text: str, kind: str = TEMPLATE):
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "invalid YAML"
        if mark is None:
            raise LoadError(path, 1, 1, problem) from None
        raise LoadError(path, mark.line + 1, mark.column + 1, problem) from None
    except yaml.YAMLError as e:
        raise LoadError(path, 1, 1, f"invalid YAML: {e}") from None
    except RecursionError:
        raise LoadError(path, 1, 1, "nesting too deep") from None
    if root is None:
        raise LoadError(path, 1, 1, f"empty document: not {kind}")
    if not isinstance(root, yaml.MappingNode) or root.tag != "tag:yaml.org,2002:map":
        mark = root.start_mark
        raise LoadError(path, mark.line + 1, mark.column + 1, f"not {kind}: the document is not a mapping")
    data, pos = _YamlBuilder(path).build(root)
    return data, YamlPositions(pos)


# ---------------------------------------------------------------------------
# JSON


class _Duplicate(Exception):
    pass


def _fix_list(items):
    return [canon_scalar(v) if v is True or v is False else (_fix_list(v) if isinstance(v, list) else v) for v in items]


def _pairs(pairs):
    data = {}
    for k, v in pairs:
        if k in data:
            raise _Duplicate(k)
        if v is True or v is False:
            v = "true" if v else "false"
        elif v.__class__ is list:
            v = _fix_list(v)
        data[k] = v
    return data


def _bad_constant(name):
    raise ValueError(f"{name} is not valid JSON")


_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep(text: str):
    """The offset where nesting first exceeds MAX_DEPTH, or None."""
    depth = 0
    for m in _BRACKETS.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return m.start()
        elif c in "]}":
            depth -= 1
    return None


def _duplicate_position(positions: JsonPositions, start=0):
    """The offset and name of the first duplicate key in the JSON text."""
    text, dec = positions.text, positions._decoder
    i = positions._skip_ws(start)
    if text[i] not in "[{":
        return None
    opener, closer = text[i], "}" if text[i] == "{" else "]"
    seen = set()
    i = positions._skip_ws(i + 1)
    while text[i] != closer:
        if opener == "{":
            key_at = i
            key, i = scanstring(text, i + 1)
            if key in seen:
                return key_at, key
            seen.add(key)
            i = positions._skip_ws(positions._skip_ws(i) + 1)
        found = _duplicate_position(positions, i)
        if found:
            return found
        _, i = dec.raw_decode(text, i)
        i = positions._skip_ws(i)
        if text[i] == ",":
            i = positions._skip_ws(i + 1)
    return None


def _load_json(path: str, text: str, kind: str = TEMPLATE):
    positions = JsonPositions(text)
    deep_at = None
    if text.count("{") + text.count("[") > MAX_DEPTH:
        deep_at = _too_deep(text)
    if deep_at is not None:
        line, col = positions.line_col(deep_at)
        raise LoadError(path, line, col, f"nesting deeper than {MAX_DEPTH} levels")
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_int=str, parse_float=str, parse_constant=_bad_constant)
    except json.JSONDecodeError as e:
        raise LoadError(path, e.lineno, e.colno, e.msg) from None
    except _Duplicate as e:
        found = _duplicate_position(positions)
        line, col = positions.line_col(found[0]) if found else (1, 1)
        raise LoadError(path, line, col, f"duplicate key {e.args[0]!r}") from None
    except ValueError as e:
        raise LoadError(path, 1, 1, str(e)) from None
    if not isinstance(data, dict):
        raise LoadError(path, 1, 1, f"not {kind}: the document is not a mapping")
    return data, positions


# ---------------------------------------------------------------------------
# Entry points


def decode(path: str, raw: bytes, max_bytes: int = MAX_BYTES) -> str:
    """Bytes to text, rejecting what is too large, binary or not UTF-8."""
    if len(raw) > max_bytes:
        raise LoadError(
            path, 1, 1, f"file is {len(raw):,} bytes, over the {max_bytes:,}-byte limit (raise it with --max-bytes)"
        )
    nul = raw.find(b"\0")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        col = nul - (raw.rfind(b"\n", 0, nul) + 1) + 1
        raise LoadError(path, line, col, "NUL byte: this is a binary file, not a template")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise LoadError(path, line, col, f"not UTF-8 (byte 0x{raw[e.start]:02x})") from None


def looks_like_json(text: str) -> bool:
    stripped = text.lstrip(" \t\r\n")
    return stripped[:1] in ("{", "[")


def parse(path: str, text: str, kind: str = TEMPLATE):
    """Text to (data, positions, format); YAML or JSON chosen by content."""
    if not text.strip():
        raise LoadError(path, 1, 1, f"empty file: not {kind}")
    if looks_like_json(text):
        try:
            data, positions = _load_json(path, text, kind)
            return data, positions, "json"
        except LoadError:
            # A YAML flow mapping also starts with "{": when not even the first
            # key is JSON, read it as YAML; otherwise the JSON error stands.
            first = re.compile(r"\s*[\[{]\s*").match(text).end()
            if text[first : first + 1] in ('"', "]", "}"):
                raise
    data, positions = _load_yaml(path, text, kind)
    return data, positions, "yaml"


def _check_template(path: str, data: dict, positions) -> None:
    def at(*keys):
        return positions.find(keys) or (1, 1)

    resources = data.get("Resources", _MISSING)
    if resources is _MISSING:
        raise LoadError(path, 1, 1, "not a CloudFormation template: no Resources mapping")
    if not isinstance(resources, dict):
        raise LoadError(path, *at("Resources"), "Resources must be a mapping of logical IDs to resources")
    for logical_id, resource in resources.items():
        if logical_id.startswith("Fn::ForEach::"):
            continue  # an AWS::LanguageExtensions loop, diffed as one unit
        if not isinstance(resource, dict):
            raise LoadError(path, *at("Resources", logical_id), f"resource {logical_id} must be a mapping")
        rtype = resource.get("Type")
        if rtype is None:
            raise LoadError(path, *at("Resources", logical_id), f"resource {logical_id} has no Type")
        if not isinstance(rtype, str) or not rtype:
            raise LoadError(path, *at("Resources", logical_id, "Type"), f"resource {logical_id} has an invalid Type")
        props = resource.get("Properties")
        if props is not None and not isinstance(props, dict):
            raise LoadError(
                path, *at("Resources", logical_id, "Properties"), f"Properties of {logical_id} must be a mapping"
            )


_MISSING = object()


def load_text(path: str, text: str) -> Template:
    data, positions, fmt = parse(path, text)
    _check_template(path, data, positions)
    return Template(path=path, data=data, fmt=fmt, positions=positions)


def load_bytes(path: str, raw: bytes, max_bytes: int = MAX_BYTES) -> Template:
    return load_text(path, decode(path, raw, max_bytes))


def load_file(path: str, max_bytes: int = MAX_BYTES) -> Template:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
            if len(raw) > max_bytes:
                size = fh.seek(0, 2)
                raise LoadError(
                    path, 1, 1, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (raise it with --max-bytes)"
                )
    except OSError as e:
        raise LoadError(path, 1, 1, e.strerror or str(e)) from None
    return load_bytes(path, raw, max_bytes)
