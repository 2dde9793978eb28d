"""A template's Resources read as spans of its text.

Reading a resource costs far more than finding where it is written, and a
change touches few of them: a resource whose text is the same in both
revisions says the same thing in both.  So the loader finds each resource's
*span* (where its text starts and ends) and its ``Type`` with a cheap scan,
and decodes a resource only when it is asked for.  :class:`Resources` is that
section: a read-only mapping of logical IDs to resources, whose keys, types
and texts cost nothing, and whose values are decoded one by one, on demand,
then kept.

- JSON is scanned exactly: the C decoder with no hooks finds where each
  member ends and checks its syntax, and is then let go.
- YAML is scanned by lines (:func:`scan_yaml`): a resource starts at a line
  at the members' indentation, and runs to the next one.  What a line scan
  cannot vouch for (anchors used by aliases, merge keys, directives, several
  documents, flow style at the top, tabs, line breaks other than ``\\n``,
  logical IDs that are not alphanumeric) is read whole, as before; so is a
  template with a ``Transform`` or a loop, by the expansion.

What the scan cannot check of a resource (its value is a mapping, its Type a
non-empty string, its Properties a mapping) makes it *odd*: an odd resource is
decoded as soon as the template is read, so bad input is still bad input.
A resource whose text is the same in both revisions is never decoded: a key
given twice inside it, or a fault in both revisions of its text, is not told.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from typing import Callable, Optional


class Resources(Mapping):
    """The Resources of one template, decoded as they are asked for.

    ``spans`` maps each logical ID, in template order, to where its text
    lies (JSON: the value; YAML: the key's line to the next member's);
    ``types`` maps it to its ``Type`` (None for an odd one, decoded at once).
    ``read(self, logical_id)`` decodes one resource; a reader that finds the
    scan wrong replaces the whole section by ``whole`` (see :meth:`take_whole`)."""

    def __init__(self, text: str, fmt: str, spans: dict, types: dict, read: Callable, escape: str):
        self.text, self.fmt = text, fmt
        self.spans = spans
        self.types = types
        self.read = read
        self.escape = escape  # text that may hide a name: an escape sequence
        self.cache: dict = {}
        self.whole: Optional[dict] = None  # every resource, once read whole
        self.odd = [lid for lid, t in types.items() if t is None]
        # Whether it holds an Fn::ForEach loop (the language extensions' key; never a scanned YAML member).
        self.loops = any(lid.startswith("Fn::ForEach::") for lid in self.odd)
        self.decodes = 0  # resources decoded, for tests that count the work
        self._starts: Optional[list] = None
        self._escaped: Optional[set] = None
        # Filled by the loader: where errors and warnings point, and the list warnings go to.
        self.where = ""
        self.shown = ""
        self.warnings: list = []
        self.extra: dict = {}  # what the format's reader keeps (JSON positions, YAML lines)

    # -- the mapping -------------------------------------------------------------

    def __getitem__(self, logical_id):
        if self.whole is not None:
            return self.whole[logical_id]
        found = self.cache.get(logical_id, _ABSENT)
        if found is not _ABSENT:
            return found
        if logical_id not in self.spans:
            raise KeyError(logical_id)
        self.decodes += 1
        value = self.read(self, logical_id)
        if self.whole is not None:  # the reader found the scan wrong, and read the template whole
            return self.whole[logical_id]
        self.cache[logical_id] = value
        return value

    def __iter__(self):
        return iter(self.whole if self.whole is not None else self.spans)

    def __len__(self) -> int:
        return len(self.whole if self.whole is not None else self.spans)

    def __contains__(self, logical_id) -> bool:
        return logical_id in (self.whole if self.whole is not None else self.spans)

    def __repr__(self) -> str:
        return f"<Resources: {len(self)} in {self.fmt}, {len(self.cache)} read>"

    # -- what the text tells without decoding -------------------------------------

    def type_of(self, logical_id) -> Optional[str]:
        """The resource's Type, as a string, or None (not a string, or absent)."""
        if self.whole is not None:
            resource = self.whole.get(logical_id)
            rtype = resource.get("Type") if isinstance(resource, dict) else None
            return rtype if isinstance(rtype, str) else None
        rtype = self.types.get(logical_id)
        if rtype is None and logical_id in self.spans:
            resource = self[logical_id]
            rtype = resource.get("Type") if isinstance(resource, dict) else None
            return rtype if isinstance(rtype, str) else None
        return rtype

    def text_of(self, logical_id) -> Optional[str]:
        if self.whole is not None or logical_id not in self.spans:
            return None
        start, end = self.spans[logical_id]
        return self.text[start:end]

    def same(self, logical_id, other) -> bool:
        """Whether the resource's text is the same here and in ``other`` (a
        Resources of the same format): then it says the same in both, as
        written, and neither is decoded."""
        if not isinstance(other, Resources) or other.fmt != self.fmt:
            return False
        mine, theirs = self.text_of(logical_id), other.text_of(logical_id)
        return mine is not None and mine == theirs

    def naming(self, name: str) -> list:
        """The logical IDs whose text may name ``name``, in template order:
        those whose text holds it, and those with an escape sequence, which
        could spell it otherwise.  Found by searching the text, in C."""
        if self.whole is not None:
            return list(self.whole)
        if self._starts is None:
            self._starts = [start for start, _ in self.spans.values()]
            self._ids = list(self.spans)
            self._escaped = self._holding(self.escape) if self.escape else set()
        found = set(self._escaped) | self._holding(name)
        return [lid for lid in self._ids if lid in found]

    def _holding(self, needle: str) -> set:
        text, found, at = self.text, set(), 0
        first = self._starts[0] if self._starts else 0
        while True:
            at = text.find(needle, max(at, first))
            if at < 0:
                return found
            i = bisect_right(self._starts, at) - 1
            lid = self._ids[i]
            start, end = self.spans[lid]
            if at + len(needle) <= end:
                found.add(lid)
                at = end  # one hit is enough: on to the next resource
            else:
                at += 1

    # -- reading everything ----------------------------------------------------

    def take_whole(self, resources: dict) -> None:
        """Hold ``resources``, read from the whole text, from now on."""
        self.whole = resources
        self.cache = {}

    def materialize(self) -> dict:
        """Every resource, decoded, as a plain dict in template order."""
        if self.whole is not None:
            return self.whole
        return {lid: self[lid] for lid in list(self.spans)}


_ABSENT = object()


def resource_type(resources, logical_id) -> Optional[str]:
    """The Type of a resource of a Resources section (lazy or a plain dict), as a string, or None."""
    if isinstance(resources, Resources):
        return resources.type_of(logical_id)
    resource = resources.get(logical_id)
    rtype = resource.get("Type") if isinstance(resource, dict) else None
    return rtype if isinstance(rtype, str) else None


def of_type(resources, type_name: str) -> list:
    """The logical IDs of a Resources section (lazy or a plain dict) whose Type is ``type_name``."""
    if isinstance(resources, Resources) and resources.whole is None:
        return [lid for lid, t in resources.types.items() if t == type_name or (t is None and resources.type_of(lid) == type_name)]
    return [lid for lid in resources if resource_type(resources, lid) == type_name]


def naming(resources, name: str) -> list:
    """The logical IDs of a Resources section whose resources may name ``name`` (all of a plain dict)."""
    if isinstance(resources, Resources):
        return resources.naming(name)
    return list(resources)


def same_text(old_resources, new_resources, logical_id) -> bool:
    """Whether a resource's text is the same in both revisions (False when unknown)."""
    return isinstance(new_resources, Resources) and new_resources.same(logical_id, old_resources)


def materialize(data: dict) -> None:
    """Decode every resource of ``data`` (a template's), for what needs them whole (the expansion)."""
    resources = data.get("Resources")
    if isinstance(resources, Resources):
        data["Resources"] = resources.materialize()


# ---------------------------------------------------------------------------
# YAML: a line scan


# What the scan leaves to the whole-text reader, anywhere in the text.  Each
# is looked for with a literal first (str.find, in C), then a pattern.
_LONE_CR = re.compile("\r(?!\n)")  # line breaks other than \n and \r\n count lines otherwise
_MARKER = re.compile(r"\n(?:---|\.\.\.)(?=[ \t\r\n]|\Z)")
_MERGE = re.compile(r"<<[ \t]*:")
_TAB_INDENT = re.compile(r"\n *\t")
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&([^\s,\[\]{}]+)", re.M)
_RESOURCES_LINE = re.compile(r"Resources[ ]*:[ ]*(?:#[^\n]*)?\r?(?=\n|\Z)")
_FIRST = re.compile(r"(?:[ ]*(?:#[^\n]*)?\r?\n)*( *)(?=[^ \r\n])")
_ID = r"[A-Za-z0-9]+"
_KEY_LINE = re.compile(r"( +)(?:(" + _ID + r")|\"(" + _ID + r")\"|'(" + _ID + r")')[ ]*:[ ]*(?:#[^\n]*)?\r?(?=\n|\Z)")
_TOP_KEY = re.compile(r"([A-Za-z]+)[ ]*:(?=[ ]|\r?\n|\Z)")
_TOP_LINE = re.compile(r"\n(?=[^ \r\n#])")
_SECTIONS = (
    "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions",
    "Transform", "Outputs", "Hooks",
)
_TYPE_NAME = r"[A-Za-z0-9][A-Za-z0-9_.-]*(?:::[A-Za-z0-9_.-]+)+"
_TYPE_VALUE = re.compile(
    r"[ ]*:[ ]+(?:\"(" + _TYPE_NAME + r")\"|'(" + _TYPE_NAME + r")'|(" + _TYPE_NAME + r"))(?:[ ]+#[^\n]*)?[ ]*\r?(?=\n|\Z)"
)
_EMPTY_VALUE = re.compile(r"[ ]*:[ ]*(?:#[^\n]*)?\r?(?=\n|\Z)")
_MAPPING_LINE = re.compile(r"( +)(?:[^\s#'\"\-?:,\[\]{}|>!&*%@`][^\n]*?|\"[^\"\n]*\"|'[^'\n]*')[ ]*:(?:[ ]|\r?(?=\n|\Z))")
_CONTENT = re.compile(r"\n( *)(?=[^ \r\n#])")


class Skeleton:
    """What :func:`scan_yaml` found: the text with the members of Resources
    blanked out (same lines), the line of the ``Resources`` key, and each
    member's span, line (0-based) and Type (None: odd)."""

    def __init__(self, masked: str, line: int, spans: dict, lines: dict, types: dict, indent: int):
        self.masked, self.line = masked, line
        self.spans, self.lines, self.types, self.indent = spans, lines, types, indent


def _refused(text: str) -> bool:
    """Whether the text holds what only a whole read can tell (see the module's docstring)."""
    if "\r" in text and _LONE_CR.search(text):
        return True
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        return True
    if text.startswith("%") or "\n%" in text:
        return True  # a directive
    if "<<" in text and _MERGE.search(text):
        return True
    if "\t" in text and (text.startswith("\t") or _TAB_INDENT.search(text)):
        return True
    if _MARKER.search(text):
        return True  # a document marker after the first line: only a leading --- is read here
    return _aliased(text)


def _resources_head(text: str):
    """The match of the one ``Resources:`` line at the top level, or None."""
    found = [i + 1 for i in _find_all(text, "\nResources")] + ([0] if text.startswith("Resources") else [])
    quoted = '\n"Resources"' in text or "\n'Resources'" in text or text.startswith(("\"Resources\"", "'Resources'"))
    if len(found) != 1 or quoted:
        return None
    return _RESOURCES_LINE.match(text, found[0])


def _find_all(text: str, needle: str) -> list:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def scan_yaml(text: str, like: Optional[Resources] = None) -> Optional[Skeleton]:
    """The skeleton of a YAML template in block style, or None when only
    reading it whole can tell what it says (see the module's docstring).
    ``like``, the other revision's Resources, gives the Type of a member
    whose text is the same there."""
    if _refused(text):
        return None
    head = _resources_head(text)
    if head is None:
        return None
    body = head.end() + 1  # the line after "Resources:"
    if body > len(text):
        return None
    first = _FIRST.match(text, body)
    indent = len(first.group(1)) if first else 0
    if first is None or indent == 0:
        return None  # no members, or not in block style
    starts: list = []  # (offset of a member's line, logical ID, end of its key)
    end = len(text)
    at = first.end() - indent
    boundary = _AT_MOST.get(indent)
    if boundary is None:
        boundary = _AT_MOST[indent] = re.compile(r"\n( {0,%d})(?=[^ \r\n#])" % indent)
    key_line = _KEY_LINE.match
    while True:
        key = key_line(text, at)
        if key is None or len(key.group(1)) != indent:
            return None
        starts.append((at, key.group(2) or key.group(3) or key.group(4), key.end()))
        nxt = boundary.search(text, key.end())
        if nxt is None:
            break
        width = len(nxt.group(1))
        if width == indent:
            at = nxt.start() + 1
            continue
        if width != 0:
            return None  # between the top level and the members: not a template this scan reads
        end = nxt.start() + 1
        break
    if not _tail_is_sections(text, end):
        return None
    spans, lines, types = {}, {}, {}
    offsets = [start for start, _, _ in starts]
    for k, (start, lid, _) in enumerate(starts):
        if lid in spans:
            return None  # a logical ID given twice: read whole, with its warning
        spans[lid] = (start, offsets[k + 1] if k + 1 < len(offsets) else end)
    line = text.count("\n", 0, offsets[0])
    prev = offsets[0]
    for lid, (start, _) in spans.items():
        line += text.count("\n", prev, start)
        prev = start
        lines[lid] = line
    same = {}
    if like is not None and like.fmt == "yaml" and like.whole is None:
        for lid, (start, stop) in spans.items():
            there = like.spans.get(lid)
            if there is not None and there[1] - there[0] == stop - start and like.text.startswith(text[start:stop], there[0]):
                same[lid] = like.types[lid]
    if len(same) * 4 >= len(spans) * 3:  # most are known: read the others one by one
        types = {lid: same[lid] if lid in same else _yaml_type(text, *spans[lid], indent) for lid in spans}
    else:
        types = _types(text, starts, spans, offsets, indent, end)
    region_start, region_end = offsets[0], end
    masked = text[:region_start] + "\n" * text.count("\n", region_start, region_end) + text[region_end:]
    return Skeleton(masked, text.count("\n", 0, head.start()), spans, lines, types, indent)


def _types(text: str, starts: list, spans: dict, offsets: list, indent: int, end: int) -> dict:
    """Each member's Type, read from its lines, or None (odd) when the lines
    cannot vouch for the member being a mapping with a Type and, if any,
    mapping Properties.  Members whose body is indented as the first one's
    are read by a few passes over the whole section; the others one by one."""
    first_start, first_id, first_key_end = starts[0]
    body = _CONTENT.search(text, first_key_end, spans[first_id][1])
    width = len(body.group(1)) if body else 0
    if width <= indent:
        return {lid: _yaml_type(text, *spans[lid], indent) for _, lid, _ in starts}
    pad = " " * width
    slow = set()
    for start, lid, key_end in starts:
        # The line after the key is the body, at the usual indentation: else read one by one.
        at = key_end + (2 if text.startswith("\r\n", key_end) else 1)
        if not text.startswith(pad, at) or text[at + width : at + width + 1] in ("", " ", "\r", "\n", "#"):
            slow.add(lid)
    ids = [lid for _, lid, _ in starts]
    region = (offsets[0], end)
    if width > indent + 1:
        between = re.compile(r"\n {%d,%d}(?=[^ \r\n#])" % (indent + 1, width - 1))
        for m in between.finditer(text, *region):
            slow.add(ids[bisect_right(offsets, m.start()) - 1])
    found: dict = {}  # logical ID -> {"Type": [offsets], "Properties": [offsets]}
    keys = re.compile(r"\n {%d}(?:(Type|Properties)|\"(Type|Properties)\"|'(Type|Properties)')(?=[ ]*:)" % width)
    for m in keys.finditer(text, *region):
        lid = ids[bisect_right(offsets, m.start()) - 1]
        found.setdefault(lid, {}).setdefault(m.group(1) or m.group(2) or m.group(3), []).append(m.end())
    out = {}
    for lid in ids:
        if lid in slow:
            out[lid] = _yaml_type(text, *spans[lid], indent)
            continue
        got = found.get(lid, {})
        out[lid] = _member_type(text, got.get("Type", ()), got.get("Properties", ()), spans[lid][1], width)
    return out


def _member_type(text: str, type_at, props_at, stop: int, width: int) -> Optional[str]:
    """The Type of a member from where its ``Type`` and ``Properties`` keys
    end (at the body's indentation), or None (odd)."""
    if len(type_at) != 1 or len(props_at) > 1:
        return None  # no Type, or a key given twice
    value = _TYPE_VALUE.match(text, type_at[0])
    if value is None:
        return None
    if props_at:
        empty = _EMPTY_VALUE.match(text, props_at[0])
        if empty is None:
            return None  # a value on the key's line: flow, tagged or scalar
        below = _CONTENT.search(text, empty.end(), stop)
        if below is not None and len(below.group(1)) > width:
            line = _MAPPING_LINE.match(text, below.start() + 1)
            if line is None or len(line.group(1)) != len(below.group(1)):
                return None  # not a block mapping: a list or a scalar
    return value.group(1) or value.group(2) or value.group(3)


def _aliased(text: str) -> bool:
    """Whether an anchor may be used by an alias: identical text could then mean something else."""
    if "&" not in text or "*" not in text:
        return False
    for m in _ANCHOR.finditer(text):
        if re.search(r"(?:^|[\s\[{,])\*" + re.escape(m.group(1)) + r"(?![^\s,\[\]{}])", text, re.M):
            return True
    return False


_AT_MOST: dict = {}


def _tail_is_sections(text: str, end: int) -> bool:
    """Whether every top-level line after Resources is a key of a known section."""
    at = end
    while at < len(text):
        key = _TOP_KEY.match(text, at)
        if key is None or key.group(1) not in _SECTIONS:
            return False
        nxt = _TOP_LINE.search(text, at)
        if nxt is None:
            return True
        at = nxt.end()
    return True


def _yaml_type(text: str, start: int, stop: int, indent: int) -> Optional[str]:
    """The Type of the member spanning ``text[start:stop]``, read from its
    lines one by one, or None (odd)."""
    body = _CONTENT.search(text, start, stop)
    if body is None:
        return None  # nothing below the key: a null
    width = len(body.group(1))
    if width <= indent:
        return None
    if width > indent + 1:
        between = re.compile(r"\n {%d,%d}(?=[^ \r\n#])" % (indent + 1, width - 1))
        if between.search(text, start, stop):
            return None
    keys = re.compile(r"\n {%d}(?:(Type|Properties)|\"(Type|Properties)\"|'(Type|Properties)')(?=[ ]*:)" % width)
    found: dict = {}
    for m in keys.finditer(text, start, stop):
        found.setdefault(m.group(1) or m.group(2) or m.group(3), []).append(m.end())
    return _member_type(text, found.get("Type", ()), found.get("Properties", ()), stop, width)
