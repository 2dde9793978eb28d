"""Load a CloudFormation template from YAML or JSON into plain data.

The result is plain dicts, lists, strings and ``None``: every scalar is a
string, as CloudFormation passes it to resources, so ``10`` and ``"10"`` or
``true`` and ``"true"`` compare equal.  A number or boolean written unquoted
is a string subclass from :mod:`impact.load.typed` that remembers its type, for
the JSON report.  Short-form tags become their long
forms.  The loader keeps the line and column of every mapping key, and turns
every kind of bad input into a :class:`LoadError` naming the file, line and
column.
"""

from __future__ import annotations

import gc
import json
import re
from bisect import bisect_left
from contextlib import contextmanager
from itertools import accumulate
from json.decoder import scanstring
from typing import Optional

from ..model import DUPLICATE_KEY, LOOSE_JSON, Template, TemplateWarning, pointer
from .spans import Resources, scan_yaml
from .typed import FALSE, TRUE, Float, Int
from .visible import strip_control

MAX_BYTES = 20 * 1024 * 1024  # a template this large is not a real template
MAX_DEPTH = 200  # nesting levels; real templates stay under 30
MAX_ALIASES = 10_000
MAX_ALIAS_NODES = 100_000  # nodes that aliases add by repeating what they name
MAX_NODES = 1_000_000  # nodes after expanding aliases; a 2,000-resource stack has about 60,000
MAX_WARNINGS = 100  # warnings told one by one per template; the rest are counted in one more


class LoadError(Exception):
    """Bad input: a one-line message ``FILE:LINE:COL: message``, or
    ``FILE: message`` for what concerns the file as a whole (it cannot be
    read, it is too large): ``line`` and ``col`` None."""

    def __init__(self, path: str, line: Optional[int], col: Optional[int], message: str):
        super().__init__(message)
        self.path, self.line, self.col = strip_control(str(path)), line, col
        self.message = strip_control(" ".join(str(message).split()))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class JsonSyntaxError(LoadError):
    """Text that looks like JSON and breaks its grammar (not a cap, not a
    duplicate): a template's may still be YAML."""


# ---------------------------------------------------------------------------
# Short-form tags

_FN_TAGS = (
    "And Base64 Cidr Equals FindInMap GetAZs If ImportValue Join Not Or Select "
    "Split Sub Transform ToJsonString Length"
    # The rule functions of the Rules section.
    " Contains EachMemberEquals EachMemberIn RefAll ValueOf ValueOfAll"
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
# The plain scalars that keep their type for the JSON report.
_TYPED = {"tag:yaml.org,2002:int": Int, "tag:yaml.org,2002:float": Float}


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


_COLUMNS = 1 << 32


def _packed(line: int, column: int) -> int:
    """A 1-based line and column as one int: line * 2**32 + column."""
    return line * _COLUMNS + column


class YamlPositions:
    """Positions recorded while reading YAML: ``{key: position}`` for a
    mapping and ``[position]`` for a sequence, where a scalar's position is
    an int (see ``_packed``) and a collection's is ``(int, children)``.
    Plain ints keep the tree small and out of the garbage collector's way.

    With ``resources`` (a template's :class:`~impact.load.spans.Resources`
    read from spans), a path below a resource decodes it first, which adds
    its positions to the tree."""

    def __init__(self, root, resources: Optional[Resources] = None):
        self.root = root
        self.resources = resources

    def find(self, path):
        resources = self.resources
        if resources is not None:
            if len(path) > 2 and path[0] == "Resources" and path[1] in resources:
                resources.get(path[1])
            if resources.whole is not None:  # read whole after all: its positions too
                self.root, self.resources = resources.extra["root"], None
        node, best = self.root, None
        for key in path:
            try:
                entry = node[key] if isinstance(node, dict) else node[int(key)]
            except (KeyError, IndexError, ValueError, TypeError):
                break
            best, node = (entry, None) if entry.__class__ is int else entry
        return None if best is None else divmod(best, _COLUMNS)


class JsonPositions:
    """Positions in JSON text, found on demand.

    Walks the text from the root along the path, skipping sibling values
    with the C decoder.  An object's members are read only as far as the one
    asked for, and reading resumes there, so looking up many resources reads
    the Resources object at most once; nothing is spent on templates whose
    positions are never asked for.
    """

    _ws = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: str):
        self.text = text
        self._blocks = None  # newlines before each block of _BLOCK characters
        self._maps: dict = {}
        self._decoder = json.JSONDecoder()

    _BLOCK = 4096

    def known(self, start: int, members: dict) -> None:
        """Where each member of the object at ``start`` is, as its reader found."""
        self._maps[start] = [members, None]

    def line_col(self, offset: int):
        text, size = self.text, self._BLOCK
        if self._blocks is None:
            counts = (text.count("\n", i, i + size) for i in range(0, len(text) + 1, size))
            self._blocks = list(accumulate(counts, initial=0))
        start = offset // size * size
        before = self._blocks[start // size]
        newline = text.rfind("\n", start, offset)
        if newline < 0 and before:
            block = bisect_left(self._blocks, before) - 1  # the block holding the last newline before start
            newline = text.rfind("\n", block * size, (block + 1) * size)
        return before + text.count("\n", start, offset) + 1, offset - newline

    def _skip_ws(self, i):
        return self._ws.match(self.text, i).end()

    def _member(self, start: int, key):
        """The (key offset, value offset) of member ``key`` of the object or
        array starting at ``start``.  Members are read only as far as the one
        asked for, and where reading stopped is kept for the next lookup."""
        entry = self._maps.get(start)
        if entry is None:
            i = self._skip_ws(start)
            entry = self._maps[start] = [{} if self.text[i] == "{" else [], self._skip_ws(i + 1)]
        members, i = entry
        is_object = isinstance(members, dict)
        if not is_object:
            key = int(key)
        text = self.text
        while i is not None and (key not in members if is_object else key >= len(members)):
            if i >= len(text) or text[i] in "]}":
                i = None
                break
            if is_object:
                key_at = i
                name, i = scanstring(text, i + 1)
                i = self._skip_ws(self._skip_ws(i) + 1)  # the colon
                members.setdefault(name, (key_at, i))
            else:
                members.append((i, i))
            _, i = self._decoder.raw_decode(text, i)
            i = self._skip_ws(i)
            if text[i] == ",":
                i = self._skip_ws(i + 1)
        entry[1] = i
        return members[key]

    def find(self, path):
        at, best = 0, None
        try:
            for key in path:
                best, at = self._member(at, key)
        except (KeyError, IndexError, ValueError, TypeError):
            pass
        return None if best is None else self.line_col(best)


# ---------------------------------------------------------------------------
# YAML


_MERGE = "tag:yaml.org,2002:merge"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_OPEN = object()  # the data of an anchored collection still being read


class _YamlReader:
    """Builds plain data and positions straight from PyYAML's event stream.

    No node graph is kept: each node becomes data as it is read, so the caps
    on nesting, nodes and aliases stop a hostile document before it costs
    time or memory, and the first problem in reading order is the one
    reported.  An alias shares the data of its anchor, and its expanded size
    is counted against the caps.
    """

    def __init__(self, path: str, parser, duplicates: Optional[list] = None, line_offset: int = 0):
        from yaml import ScalarNode, events

        self.path = path
        # Lines before the text read (a resource read alone): added to every position.
        self.offset = line_offset
        self.base = line_offset * _COLUMNS + _COLUMNS + 1
        # (name, position, earlier positions, same value[, JSON Pointer]) of each key given more than once in a
        # mapping, CloudFormation's way: the last one wins.  None: a key given twice is bad input.
        self.duplicates = duplicates
        self.parser = parser
        self.next_event = parser.get_event
        self.resolve = lambda value: parser.resolve(ScalarNode, value, (True, False))
        self.Alias, self.Scalar = events.AliasEvent, events.ScalarEvent
        self.SequenceStart, self.SequenceEnd = events.SequenceStartEvent, events.SequenceEndEvent
        self.MappingStart, self.MappingEnd = events.MappingStartEvent, events.MappingEndEvent
        self.StreamEnd = events.StreamEndEvent
        # anchor -> (data, positions, expanded size, mark, tag); a scalar keeps
        # its text and tag, a collection being read has _OPEN as its data.
        self.anchors: dict = {}
        self.tags: dict = {}  # plain scalar -> the tag PyYAML's resolver gives it
        self.aliases = 0
        self.repeated = 0  # nodes added by aliases
        self.nodes = 0

    def fail(self, mark, message):
        raise LoadError(self.path, mark.line + 1 + self.offset, mark.column + 1, message)

    def document(self, kind: str):
        """(data, positions) of the one document, or None for an empty stream."""
        from yaml.composer import ComposerError

        self.next_event()  # stream start
        if self.parser.check_event(self.StreamEnd):
            return None
        self.next_event()  # document start
        root = self.next_event()
        if root.__class__ is not self.MappingStart or root.tag not in (None, "!", _MAP):
            self.fail(root.start_mark, f"not {kind}: the document is not a mapping")
        built = self.node(root, 0)
        self.next_event()  # document end
        if not self.parser.check_event(self.StreamEnd):
            raise ComposerError(
                "expected a single document in the stream",
                root.start_mark,
                "but found another document",
                self.next_event().start_mark,
            )
        return built

    def scalar_tag(self, event) -> str:
        tag = event.tag
        if tag is not None and tag != "!":
            return tag
        if not event.implicit[0]:
            return _STR
        value = event.value
        tag = self.tags.get(value)
        if tag is None:
            tag = self.tags[value] = self.resolve(value)
        return tag

    def count(self, mark, depth) -> None:
        if depth > MAX_DEPTH:
            self.fail(mark, f"nesting deeper than {MAX_DEPTH} levels")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.fail(mark, "document too large")

    def anchored(self, alias) -> tuple:
        from yaml.composer import ComposerError

        entry = self.anchors.get(alias.anchor)
        if entry is None:
            raise ComposerError(None, None, "found undefined alias", alias.start_mark)
        return entry

    def new_anchor(self, event) -> None:
        from yaml.composer import ComposerError

        first = self.anchors.get(event.anchor)
        if first is not None:
            raise ComposerError("found duplicate anchor; first occurrence", first[3], "second occurrence", event.start_mark)

    def scalar(self, value: str, tag: str, mark):
        if tag in _PLAIN_SCALARS:
            typed = _TYPED.get(tag)
            return (value if typed is None else typed(value)), None
        if tag in SHORT_TAGS:
            name = SHORT_TAGS[tag]
            if name == "Fn::GetAtt":
                if "." not in value:
                    self.fail(mark, "!GetAtt needs the form Resource.Attribute")
                value = value.split(".", 1)
            return {name: value}, {name: self.base + mark.line * _COLUMNS + mark.column}
        if tag == _BOOL:
            return (TRUE if value.lower() in _TRUE else FALSE), None
        if tag == _NULL:
            return None, None
        self.fail(mark, f"unsupported tag {tag}")

    def child(self, event, depth):
        """``node`` with the common case, an untagged scalar, handled inline."""
        if event.__class__ is self.Scalar and event.anchor is None and event.tag is None and depth <= MAX_DEPTH:
            value = event.value
            tag = (self.tags.get(value) or self.scalar_tag(event)) if event.implicit[0] else _STR
            if tag in _PLAIN_SCALARS:
                self.nodes += 1
                if self.nodes > MAX_NODES:
                    self.fail(event.start_mark, "document too large")
                typed = _TYPED.get(tag)
                return (value if typed is None else typed(value)), None
        return self.node(event, depth)

    def node(self, event, depth):
        """(data, positions) of the node that ``event`` starts."""
        cls = event.__class__
        if cls is self.Alias:
            data, positions, size, mark, tag = self.anchored(event)
            if tag is not None:  # a scalar reads the same wherever it appears
                self.count(mark, depth)
                return self.scalar(data, tag, mark)
            if data is _OPEN:
                self.fail(mark, "recursive YAML alias")
            self.aliases += 1
            self.repeated += size
            self.nodes += size
            if self.aliases > MAX_ALIASES:
                self.fail(mark, f"more than {MAX_ALIASES} YAML aliases")
            if self.repeated > MAX_ALIAS_NODES or self.nodes > MAX_NODES:
                self.fail(mark, "YAML aliases expand to too large a document")
            return data, positions
        mark, anchor = event.start_mark, event.anchor
        if anchor is not None:
            self.new_anchor(event)
        if cls is self.Scalar:
            tag = self.scalar_tag(event)
            if anchor is not None:
                self.anchors[anchor] = (event.value, None, 0, mark, tag)
            self.count(mark, depth)
            return self.scalar(event.value, tag, mark)
        if anchor is not None:
            self.anchors[anchor] = (_OPEN, None, 0, mark, None)
        before = self.nodes
        self.count(mark, depth)
        plain = _SEQ if cls is self.SequenceStart else _MAP
        tag = plain if event.tag in (None, "!") else event.tag
        if tag != plain and tag not in SHORT_TAGS:
            self.fail(mark, f"unsupported tag {tag}")
        data, positions = self.sequence(depth) if plain is _SEQ else self.mapping(depth)
        if tag in SHORT_TAGS:
            name = SHORT_TAGS[tag]
            data, positions = {name: data}, {name: (self.base + mark.line * _COLUMNS + mark.column, positions)}
        if anchor is not None:
            self.anchors[anchor] = (data, positions, self.nodes - before, mark, None)
        if self.nodes > MAX_NODES:
            self.fail(mark, "document too large")
        return data, positions

    def sequence(self, depth):
        items, positions = [], []
        next_event, child, end, alias, base = self.next_event, self.child, self.SequenceEnd, self.Alias, self.base
        while True:
            event = next_event()
            if event.__class__ is end:
                return items, positions
            value, sub = child(event, depth + 1)
            items.append(value)
            mark = self.anchors[event.anchor][3] if event.__class__ is alias else event.start_mark
            at = base + mark.line * _COLUMNS + mark.column
            positions.append(at if sub is None else (at, sub))

    def mapping(self, depth):
        data, positions = {}, {}
        next_event, child, end, base = self.next_event, self.child, self.MappingEnd, self.base
        twice = None  # name -> (earlier positions, all the same value), when a key is given again
        while True:
            key = next_event()
            cls = key.__class__
            if cls is end:
                if twice:
                    self.given_again(twice, positions)
                return data, positions
            if cls is self.Scalar:
                mark, name = key.start_mark, key.value
                if key.anchor is not None:
                    tag = self.scalar_tag(key)
                    self.new_anchor(key)
                    self.anchors[key.anchor] = (name, None, 0, mark, tag)
                elif key.tag is None or key.tag == "!":  # of the tags it could resolve to, only merge matters
                    tag = _MERGE if key.implicit[0] and name == "<<" else _STR
                else:
                    tag = key.tag
            elif cls is self.Alias:
                name, _, _, mark, tag = self.anchored(key)
                if tag is None:
                    self.fail(mark, "a mapping key must be a plain scalar")
            else:
                mark, name, tag = key.start_mark, None, key.tag
            if tag == _MERGE:
                self.fail(mark, "YAML merge keys (<<) are not supported by CloudFormation")
            if name is None or tag in SHORT_TAGS:
                self.fail(mark, "a mapping key must be a plain scalar")
            again = name in data
            if again and self.duplicates is None:
                self.fail(mark, f"duplicate key {name!r}")
            value, sub = child(next_event(), depth + 1)
            at = base + mark.line * _COLUMNS + mark.column
            if again:  # CloudFormation uses the last one
                before = positions[name]
                earlier, same = (twice or {}).get(name, ([], True))
                twice = twice or {}
                twice[name] = (earlier + [before if before.__class__ is int else before[0]], same and data[name] == value)
            data[name] = value
            positions[name] = at if sub is None else (at, sub)

    def given_again(self, twice: dict, positions: dict) -> None:
        for name, (earlier, same) in twice.items():
            last = positions[name]
            last = last if last.__class__ is int else last[0]
            self.duplicates.append((name, divmod(last, _COLUMNS), [divmod(e, _COLUMNS) for e in earlier], same))


TEMPLATE = "a CloudFormation template"
# The constructs a YAML error can leave open, by the parser's context.
_UNCLOSED = {
    "while parsing a flow sequence": "the '[' here",
    "while parsing a flow mapping": "the '{' here",
    "while scanning a quoted scalar": "the quoted string that starts here",
}


def _open_flow(text: str):
    """Where the innermost ``[`` or ``{`` still open when the text ends
    opens, as a YAML mark, or None."""
    import yaml

    opened = []
    starts = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
    ends = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)
    try:
        for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(token, starts):
                opened.append(token.start_mark)
            elif isinstance(token, ends) and opened:
                opened.pop()
    except yaml.YAMLError:
        pass
    return opened[-1] if opened else None


def _tab(text: str, mark) -> Optional[str]:
    """What a tab YAML stops at means, or None when it stopped at something else."""
    if text[mark.index : mark.index + 1] != "\t":
        return None
    start = text.rfind("\n", 0, mark.index) + 1
    if not text[start : mark.index].strip(" \t"):
        return "a tab in the indentation: YAML indents with spaces only"
    return "a tab where YAML expects a key or a value: use spaces"


def _load_yaml(path: str, text: str, kind: str = TEMPLATE, duplicates: Optional[list] = None, line_offset: int = 0):
    import yaml

    parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        built = _YamlReader(path, parser, duplicates, line_offset).document(kind)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "invalid YAML"
        if mark is None:
            raise LoadError(path, 1, 1, problem) from None
        opened = _UNCLOSED.get(e.context) if e.context_mark is not None else None
        start = e.context_mark
        if not opened and not text[mark.index:].strip():  # the text ends inside a flow collection?
            start = _open_flow(text)
            opened = start is not None and f"the '{text[start.index]}' here"
        if opened:  # reported where the construct starts, as the place to fix
            raise LoadError(
                path, start.line + 1, start.column + 1,
                f"{opened} is not closed: {problem} at {mark.line + 1}:{mark.column + 1}",
            ) from None
        raise LoadError(path, mark.line + 1, mark.column + 1, _tab(text, mark) or problem) from None
    except yaml.YAMLError as e:
        raise LoadError(path, 1, 1, f"invalid YAML: {e}") from None
    except RecursionError:
        raise LoadError(path, 1, 1, "nesting too deep") from None
    finally:
        parser.dispose()
    if built is None:
        raise LoadError(path, 1, 1, f"empty document: not {kind}")
    data, positions = built
    if duplicates:
        _yaml_pointers(positions, duplicates)
    return data, YamlPositions(positions)


def _load_yaml_spans(path: str, text: str, kind: str, duplicates: Optional[list], like: Optional[Resources] = None):
    """(data, positions) of a YAML template whose Resources are read from
    spans (:mod:`impact.load.spans`), or None when it must be read whole."""
    if _faults_anywhere(text):
        return None  # read whole, so that the fault is told wherever it is
    skeleton = scan_yaml(text, like)
    if skeleton is None:
        return None
    found = None if duplicates is None else []
    try:
        data, positions = _load_yaml(path, skeleton.masked, kind, found)
    except LoadError:
        return None  # the whole text says what is wrong, and where
    head = positions.root.get("Resources")
    if "Resources" not in data or data["Resources"] is not None or head != _packed(skeleton.line + 1, 1):
        return None
    if "Transform" in data:
        return None  # expanded whole: read whole
    resources = Resources(text, "yaml", skeleton.spans, skeleton.types, _yaml_member, "\\")
    tree = {lid: _packed(line + 1, skeleton.indent + 1) for lid, line in skeleton.lines.items()}
    resources.extra = {"lines": skeleton.lines, "tree": tree, "kind": kind}
    positions.root["Resources"] = (head, tree)
    positions.resources = resources
    data["Resources"] = resources
    if found:
        duplicates.extend(found)
    return data, positions


# Faults the whole reading tells wherever they are, and a resource read from
# its span would tell only when it is read (a resource whose text is the same
# in both revisions never is): a tag impact does not know, a !GetAtt scalar
# without its dot, a plain scalar starting with a character YAML reserves
# (a build tool's placeholder: %NAME%, @NAME@, `cmd`), a tab after "- ".  A quoted scalar that
# runs on to another line may hold lines that look like members of
# Resources, which a line scan cannot see through.  Each is looked for where
# a node may start (a line's first character, after "key: ", "- ", "[", "{",
# "," or a tag); what only looks like one (inside a string or a block
# scalar) just costs the whole reading.
_TAG_NAME = re.compile(r"[^\s,\[\]{}]+")
_GETATT_SCALAR = re.compile(r"[ \t]+[^\s\[{'\"#][^\n#]*")
_DOUBLE_REST = re.compile(r'(?:[^"\\\n]|\\[^\n])*"')
_SINGLE_REST = re.compile(r"(?:[^'\n]|'')*'")


def _node_start(text: str, i: int) -> bool:
    """Whether a node may start at ``text[i]`` (see above)."""
    j = i - 1
    while j >= 0 and (text[j] == " " or text[j] == "\t"):
        j -= 1
    if j < 0:
        return True
    c = text[j]
    if c == "\n" or c == "\r" or c == "[" or c == "{" or c == ",":
        return True
    if j == i - 1:
        return False  # no space between: inside a word
    if c == ":" or c == "-":
        return True
    k = j  # after a tag and a space: the tag's own start
    while k >= 0 and text[k] not in " \t\n\r[{,":
        k -= 1
    return text[k + 1] == "!" and _node_start(text, k + 1)


def _positions(text: str, char: str):
    i = text.find(char)
    while i >= 0:
        yield i
        i = text.find(char, i + 1)


def _faults_anywhere(text: str) -> bool:
    """Whether the text holds what only a whole reading tells (see above)."""
    for char in "@`%":
        for i in _positions(text, char):
            if _node_start(text, i):
                return True
    for i in _positions(text, "\t"):  # a tab after "- " (block style): YAML takes it for no token
        j = i - 1
        while j >= 0 and (text[j] == " " or text[j] == "\t"):
            j -= 1
        if j >= 0 and text[j] in "-?" and (j == 0 or text[j - 1] in " \t\n\r"):
            return True
    for i in _positions(text, "!"):
        name = _TAG_NAME.match(text, i + 1)
        if name is None or not _node_start(text, i):
            continue
        tag = "!" + name.group()
        if tag not in SHORT_TAGS:
            return True
        if tag == "!GetAtt":
            value = _GETATT_SCALAR.match(text, name.end())
            if value is not None and "." not in value.group():
                return True
    for quote, rest in (('"', _DOUBLE_REST), ("'", _SINGLE_REST)):
        i = text.find(quote)
        while i >= 0:
            if _node_start(text, i):
                end = rest.match(text, i + 1)
                if end is None:
                    return True
                i = text.find(quote, end.end())
            else:
                i = text.find(quote, i + 1)
    return False


def _yaml_member(resources: Resources, logical_id: str):
    """One resource of a YAML template read from its span; the whole
    template, when the span does not read as that one resource."""
    start, end = resources.spans[logical_id]
    found: list = []
    try:
        data, positions = _load_yaml(resources.where, resources.text[start:end], resources.extra["kind"], found,
                                     resources.extra["lines"][logical_id])
    except LoadError:
        return _yaml_whole(resources)
    if len(data) != 1 or logical_id not in data:
        return _yaml_whole(resources)
    resources.extra["tree"][logical_id] = positions.root[logical_id]
    if found:
        found = [(*d[:4], "/Resources" + d[4] if d[4] else "") for d in found]
        _tell(resources, found)
    return data[logical_id]


def _tell(resources: Resources, duplicates: list) -> None:
    """The warnings of keys given twice in a resource read after its template, in the order of the text."""
    resources.warnings.extend(_duplicate_warnings(resources.shown, duplicates))
    resources.warnings.sort(key=lambda w: (w.line, w.column))


def _yaml_whole(resources: Resources):
    """Read the template whole (its error, if it has one, is the error), and
    keep its Resources and positions."""
    duplicates: list = []
    with collector_paused():
        data, positions = _load_yaml(resources.where, resources.text, resources.extra["kind"], duplicates)
    whole = data.get("Resources")
    if not isinstance(whole, dict):
        raise LoadError(resources.where, *(positions.find(("Resources",)) or (1, 1)),
                        "Resources must be a mapping of logical IDs to resources")
    resources.warnings[:] = _duplicate_warnings(resources.shown, duplicates) if duplicates else []
    resources.extra["root"], resources.extra["data"] = positions.root, data
    resources.take_whole(whole)
    return None


def _yaml_pointers(root, duplicates: list) -> None:
    """Each duplicate's JSON Pointer, added to it, found by one walk of the
    positions tree (rare: only a template with a key given twice)."""
    wanted = {line * _COLUMNS + col: i for i, (_, (line, col), _, _) in enumerate(duplicates)}
    found: dict = {}
    stack = [(root, ())]
    while stack and len(found) < len(wanted):
        node, path = stack.pop()
        for key, entry in node.items() if isinstance(node, dict) else enumerate(node):
            at, sub = (entry, None) if entry.__class__ is int else entry
            if at in wanted and isinstance(node, dict):
                found.setdefault(wanted[at], path + (key,))
            if sub is not None:
                stack.append((sub, path + (key,)))
    for i, entry in enumerate(duplicates):
        duplicates[i] = (*entry, pointer(found[i]) if i in found else "")  # "": under a key given again


# ---------------------------------------------------------------------------
# JSON


class _Duplicate(Exception):
    pass


def _fix_list(items):
    return [(TRUE if v else FALSE) if v is True or v is False else (_fix_list(v) if isinstance(v, list) else v) for v in items]


def _pairs(pairs):
    data = {}
    for k, v in pairs:
        if k in data:
            raise _Duplicate(k)
        if v is True or v is False:
            v = TRUE if v else FALSE
        elif v.__class__ is list:
            v = _fix_list(v)
        data[k] = v
    return data


def _last_wins(pairs):
    """``_pairs`` as CloudFormation reads a key given twice: the last one wins."""
    return _pairs(list(dict(pairs).items()))


def _bad_constant(name):
    raise ValueError(f"{name} is not valid JSON")


# A string, or what is left of an unterminated one: never a failed match to
# retry from the next quote, so the scan stays linear on any input.
_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


def _within_depth(data, depth: int = 1) -> bool:
    """Whether parsed JSON, ``depth`` containers deep itself, nests at most
    MAX_DEPTH containers deep; one level at a time, so the cost is a look at
    every value."""
    level = [data]
    while level:
        if depth > MAX_DEPTH:
            return False
        below = []
        for container in level:
            for value in container.values() if container.__class__ is dict else container:
                if value.__class__ is dict or value.__class__ is list:
                    below.append(value)
        level, depth = below, depth + 1
    return True


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


def _json_duplicates(positions: JsonPositions, start: Optional[int] = None, path: tuple = ()) -> list:
    """(name, [(key offset, value offset), ...], JSON Pointer) of each key given more than
    once in an object of the JSON text (of the value at ``start``, at
    ``path``, when given), which is valid and nests at most MAX_DEPTH deep.
    The objects that have one are handed to ``positions`` with their last
    members, the ones CloudFormation uses."""
    text = positions.text
    root = _WS.match(text).end()
    found: list = []
    _twice_in(positions, root if start is None else start, path, root, found)
    return found


def _twice_in(positions: JsonPositions, i: int, path: tuple, root: int, found: list) -> int:
    """The offset after the value at ``i``, the keys given twice in it added to ``found``."""
    text, ws = positions.text, _WS.match
    c = text[i]
    if c == "[":
        i = ws(text, i + 1).end()
        n = 0
        while text[i] != "]":
            i = ws(text, _twice_in(positions, i, path + (n,), root, found)).end()
            n += 1
            if text[i] == ",":
                i = ws(text, i + 1).end()
        return i + 1
    if c != "{":
        return positions._decoder.raw_decode(text, i)[1]
    start, members, twice = i, {}, None
    i = ws(text, i + 1).end()
    while text[i] != "}":
        key_at = i
        key, i = scanstring(text, i + 1)
        i = ws(text, ws(text, i).end() + 1).end()  # past the colon
        if key in members:
            twice = twice or {}
            twice.setdefault(key, [members[key]]).append((key_at, i))
        members[key] = (key_at, i)
        i = ws(text, _twice_in(positions, i, path + (key,), root, found)).end()
        if text[i] == ",":
            i = ws(text, i + 1).end()
    if twice:
        positions.known(0 if start == root else start, members)
        found.extend((key, places, pointer(path + (key,))) for key, places in twice.items())
    return i + 1


def _duplicate_entries(positions: JsonPositions, found: list) -> list:
    """``_json_duplicates``' answer as ``_YamlReader`` keeps duplicates: (name, position, earlier positions,
    whether all the values are the same, JSON Pointer)."""
    out = []
    for name, places, at in found:
        values = [positions._decoder.raw_decode(positions.text, value_at)[0] for _, value_at in places]
        where = [positions.line_col(key_at) for key_at, _ in places]
        out.append((name, where[-1], where[:-1], all(v == values[0] for v in values), at))
    return out


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_int=Int, parse_float=Float, parse_constant=_bad_constant)
# No hooks: finds where a value ends, and checks it, in C; what it builds is let go.
_PLAIN = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=_bad_constant)
_LAST_WINS = json.JSONDecoder(
    object_pairs_hook=_last_wins, parse_int=Int, parse_float=Float, parse_constant=_bad_constant
)
_WS = re.compile(r"[ \t\n\r]*")


def _read_json(text: str, positions: "JsonPositions", lazy: bool = False, like: Optional[Resources] = None):
    """The document, decoded as ``json.loads`` would, and whether it may nest
    deeper than MAX_DEPTH.

    The top-level mapping and ``Resources`` are read member by member, each
    value by the C decoder, and where each member starts is handed to
    ``positions``: looking a resource up later decodes nothing again.  A
    value nests no deeper than it has brackets, so only values with more
    than MAX_DEPTH brackets (counted in C) have their depth checked."""
    start = _WS.match(text).end()
    if text[start : start + 1] != "{":
        data = _DECODER.decode(text)
        return data, True
    data, end, deep = _read_members(text, start, positions, 1, lazy, like)
    end = _WS.match(text, end).end()
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return data, deep


def _read_members(text: str, start: int, positions: "JsonPositions", depth: int, lazy: bool = False,
                  like: Optional[Resources] = None):
    """(mapping, end, may be too deep) of the object at ``start``, nested
    ``depth`` containers deep; ``Resources`` in the top level is read the
    same way, or, ``lazy``, scanned (:func:`_scan_resources`)."""
    ws, decode = _WS.match, _DECODER.raw_decode
    out: dict = {}
    members: dict = {}
    deep = False
    i = ws(text, start + 1).end()
    if text[i : i + 1] == "}":
        positions.known(start, members)
        return out, i + 1, False
    while True:
        key_at, key, i = _member_key(text, i)
        at = i
        if depth == 1 and key == "Resources" and text[i : i + 1] == "{":
            if lazy:
                value, i, inner = _scan_resources(text, i, positions, like)
            else:
                value, i, inner = _read_members(text, i, positions, 2)
            deep = deep or inner
        else:
            try:
                value, i = decode(text, i)
            except StopIteration:
                raise json.JSONDecodeError("Expecting value", text, i) from None
            if value is True or value is False:
                value = "true" if value else "false"
            elif value.__class__ is list:
                value = _fix_list(value)
            if value.__class__ is dict or value.__class__ is list:
                brackets = text.count("{", at, i) + text.count("[", at, i)
                if depth + brackets > MAX_DEPTH and not _within_depth(value, depth + 1):
                    deep = True
        if key in out:
            raise _Duplicate(key)
        out[key] = value
        members[key] = (key_at, at)
        i, closed = _member_end(text, i)
        if closed:
            positions.known(start, members)
            return out, i, deep


def _member_key(text: str, i: int) -> tuple:
    """(key offset, key, value offset) of the member of an object at ``i``."""
    if text[i : i + 1] != '"':
        raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, i)
    key_at = i
    key, i = scanstring(text, i + 1)
    i = _WS.match(text, i).end()
    if text[i : i + 1] != ":":
        raise json.JSONDecodeError("Expecting ':' delimiter", text, i)
    return key_at, key, _WS.match(text, i + 1).end()


def _member_end(text: str, i: int) -> tuple:
    """(where the next member starts, False), or (the offset after the object, True), after a value ending at ``i``."""
    i = _WS.match(text, i).end()
    c = text[i : i + 1]
    if c == ",":
        return _WS.match(text, i + 1).end(), False
    if c == "}":
        return i + 1, True
    raise json.JSONDecodeError("Expecting ',' delimiter", text, i)


_SCAN_KEY = re.compile(r'"([^"\\\x00-\x1f]*)"[ \t\n\r]*:[ \t\n\r]*')  # a key with no escapes, and its colon
_SCAN_NEXT = re.compile(r"[ \t\n\r]*(?:(,)[ \t\n\r]*|\})")


def _scan_resources(text: str, start: int, positions: "JsonPositions", like: Optional[Resources] = None):
    """(Resources, end, may be too deep) of the Resources object at
    ``start``: each member's value is found, and checked, by the C decoder
    with no hooks, and read only when asked for (:func:`_json_member`).
    ``like``, the other revision's Resources, saves decoding: a member whose
    text is the text of a resource there ends where that text ends."""
    plain, key_match, next_match = _PLAIN.raw_decode, _SCAN_KEY.match, _SCAN_NEXT.match
    members: dict = {}
    spans: dict = {}
    types: dict = {}
    if like is not None and (like.fmt != "json" or like.whole is not None):
        like = None
    known, known_text, known_types = (like.spans, like.text, like.types) if like is not None else ({}, "", {})
    i = _WS.match(text, start + 1).end()
    end = i + 1 if text[i : i + 1] == "}" else None
    while end is None:
        m = key_match(text, i)
        if m is not None:
            key_at, key, i = i, m.group(1), m.end()
        else:
            key_at, key, i = _member_key(text, i)
        at = i
        if key in spans:
            raise _Duplicate(key)
        there = known.get(key)
        if there is not None and text.startswith(known_text[there[0] : there[1]], at):
            # The same text as a complete value there: it ends at the same place, and says the same.
            i = at + there[1] - there[0]
            types[key] = known_types[key]
        else:
            try:
                value, i = plain(text, at)
            except StopIteration:
                raise json.JSONDecodeError("Expecting value", text, at) from None
            types[key] = _plain_type(key, value)
            if value.__class__ is dict or value.__class__ is list:
                brackets = text.count("{", at, i) + text.count("[", at, i)
                if 2 + brackets > MAX_DEPTH and not _within_depth(value, 3):
                    raise RecursionError("nesting too deep")  # where, the whole text tells
        spans[key] = (at, i)
        members[key] = (key_at, at)
        m = next_match(text, i)
        if m is None:
            _member_end(text, i)  # raises the error
        elif m.group(1):
            i = m.end()
        else:
            end = m.end()
    positions.known(start, members)
    resources = Resources(text, "json", spans, types, _json_member, "\\u")
    resources.extra = {"positions": positions}
    return resources, end, False


def _plain_type(key: str, value) -> Optional[str]:
    """The Type of a resource decoded without hooks, or None when it needs
    the loader's checks (see ``_check_template``): a loop, not a mapping, a
    Type that is not a non-empty string, Properties that are not a mapping."""
    if value.__class__ is not dict or key.startswith("Fn::ForEach::"):
        return None
    rtype = value.get("Type")
    if rtype.__class__ is not str or not rtype:
        return None
    props = value.get("Properties")
    if props is not None and props.__class__ is not dict:
        return None
    return rtype


def _json_member(resources: Resources, logical_id: str):
    """One resource of a JSON template, decoded from its span; a key given
    twice in it is read as CloudFormation reads it, with a warning."""
    at = resources.spans[logical_id][0]
    text = resources.text
    try:
        value, _ = _DECODER.raw_decode(text, at)
    except _Duplicate:
        value, _ = _LAST_WINS.raw_decode(text, at)
        positions = resources.extra["positions"]
        _tell(resources, _duplicate_entries(positions, _json_duplicates(positions, at, ("Resources", logical_id))))
    if value is True or value is False:
        value = "true" if value else "false"
    elif value.__class__ is list:
        value = _fix_list(value)
    return value


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _unclosed_bracket(text: str, end: int):
    """Where the innermost bracket still open at ``end`` opens, or None."""
    opened = []
    for m in _TOKENS.finditer(text, 0, end):
        token = m.group()
        if token in "[{":
            opened.append(m.start())
        elif token in "]}":
            if opened:
                opened.pop()
    return opened[-1] if opened else None


def _load_json(path: str, text: str, kind: str = TEMPLATE, duplicates: Optional[list] = None, lazy: bool = False,
               like: Optional[Resources] = None):
    """(data, positions) of a JSON document.  A key given twice is bad input,
    or, with a ``duplicates`` list to add them to (see ``_YamlReader``), read
    as CloudFormation reads it: the last one wins.  ``lazy``: Resources is
    scanned, its members read when asked for (:func:`_scan_resources`)."""
    positions = JsonPositions(text)
    stopped = None
    deep = twice = False
    try:
        try:
            data, deep = _read_json(text, positions, lazy, like)
        except _Duplicate:
            if duplicates is None:
                raise
            # Rare: read again, whole, the last of each key kept; where each key is is found after.
            positions, twice = JsonPositions(text), True
            data, deep = _LAST_WINS.decode(text), True
    except json.JSONDecodeError as e:
        opened = _unclosed_bracket(text, e.pos) if not text[e.pos:].strip() else None
        if opened is not None:  # the text ends inside a bracket: say where it opens
            line, col = positions.line_col(opened)
            message = f"the '{text[opened]}' here is not closed: {e.msg} at {e.lineno}:{e.colno}"
            raise JsonSyntaxError(path, line, col, message) from None
        raise JsonSyntaxError(path, e.lineno, e.colno, e.msg) from None
    except (_Duplicate, RecursionError) as e:
        stopped = e
    except ValueError as e:
        raise LoadError(path, 1, 1, str(e)) from None
    if stopped is None and not isinstance(data, dict):
        raise LoadError(path, 1, 1, f"not {kind}: the document is not a mapping")
    if stopped is not None or (deep and not _within_depth(data)):
        deep_at = _too_deep(text)
        if deep_at is not None:
            line, col = positions.line_col(deep_at)
            raise LoadError(path, line, col, f"nesting deeper than {MAX_DEPTH} levels")
    if isinstance(stopped, _Duplicate):
        try:
            found = _duplicate_position(positions)
        except ValueError:  # the text breaks off after the duplicate
            found = None
        line, col = positions.line_col(found[0]) if found else (1, 1)
        raise LoadError(path, line, col, f"duplicate key {stopped.args[0]!r}") from None
    if stopped is not None:
        raise LoadError(path, 1, 1, "nesting too deep") from None
    if twice:
        duplicates.extend(_duplicate_entries(positions, _json_duplicates(positions)))
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


@contextmanager
def collector_paused(freeze: bool = True):
    """Pause the cyclic garbage collector.  Loading and diffing allocate a
    great many objects and free few; left running, the collector scans the
    whole growing document again and again, and time grows faster than the
    template.  With ``freeze``, what is alive when it ends (a template just
    read: no cycles, and it lives on) is moved out of the collector's
    generations, so that no later collection walks it again; it is still
    freed as usual once let go.  A run over many stacks collects what each
    left behind before reading the next (``impact.cli.diff``), so that no
    cycle is frozen as garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if freeze:
                gc.freeze()
            gc.enable()


@contextmanager
def collector_running():
    """Run the cyclic garbage collector, even inside :func:`collector_paused`:
    for work that makes cyclic garbage, such as DeepDiff's result trees."""
    enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()


def parse(path: str, text: str, kind: str = TEMPLATE, warnings: Optional[list] = None, lazy: bool = False,
          like: Optional[Resources] = None):
    """Text to (data, positions, format); YAML or JSON chosen by content.

    A key given twice in a mapping is bad input, unless a ``warnings`` list
    is given: then it is read as CloudFormation reads a template, the last
    one winning, and a :class:`~impact.model.TemplateWarning` for it is
    added to the list.  So is a text that looks like JSON and is not, but
    that YAML reads (a trailing comma, a tab inside a string): CloudFormation
    reads such a template as YAML; without the list its JSON error stands.
    ``lazy``: a template's Resources are read from spans
    (:mod:`impact.load.spans`) where the text allows it, ``like`` (the
    other revision's) saving the decoding of what is the same there."""
    duplicates = None if warnings is None else []
    loose = None if warnings is None else []
    with collector_paused():
        out = _parse(path, text, kind, duplicates, loose, lazy, like)
    if loose:
        (e,) = loose
        warnings.append(TemplateWarning(
            LOOSE_JSON, e.path, e.line, e.col,
            f"not valid JSON ({e.message}), but valid YAML: read as YAML, as CloudFormation reads a template",
        ))
    if duplicates:
        warnings.extend(_duplicate_warnings(path, duplicates))
    return out


def _duplicate_warnings(path: str, duplicates: list) -> list:
    """One warning per key given more than once, in the order of the text."""
    path = strip_control(str(path))
    out = []
    for name, (line, col), earlier, same, at in sorted(duplicates, key=lambda d: d[1])[:MAX_WARNINGS]:
        name = strip_control(" ".join(str(name).split())) or repr(name)
        name = name if len(name) <= 80 else name[:79] + "…"
        times = "twice" if len(earlier) == 1 else f"{len(earlier) + 1} times"
        also = ", ".join(f"{l}:{c}" for l, c in earlier[:10]) + (", …" if len(earlier) > 10 else "")
        if same:
            message = f"key {name} is given {times} with the same value (also at {also})"
        else:
            message = f"key {name} is given {times} (also at {also}); CloudFormation uses this one"
        out.append(TemplateWarning(DUPLICATE_KEY, path, line, col, message, at))
    if len(duplicates) > MAX_WARNINGS:
        line, col = sorted(duplicates, key=lambda d: d[1])[MAX_WARNINGS][1]
        more = len(duplicates) - MAX_WARNINGS
        out.append(TemplateWarning(DUPLICATE_KEY, path, line, col,
                                   f"{more} more keys are given more than once; CloudFormation uses the last of each"))
    return out


def _parse(path: str, text: str, kind: str, duplicates: Optional[list] = None, loose: Optional[list] = None,
           lazy: bool = False, like: Optional[Resources] = None):
    if not text.strip():
        raise LoadError(path, 1, 1, f"empty file: not {kind}")
    if looks_like_json(text):
        found = len(duplicates) if duplicates is not None else 0
        try:
            data, positions = _load_json(path, text, kind, duplicates, lazy, like)
            return data, positions, "json"
        except LoadError as e:
            # A YAML flow mapping also starts with "{": when not even the first
            # key is JSON, read it as YAML; otherwise the JSON error stands,
            # unless a template's text is YAML (``loose`` receives the error).
            first = re.compile(r"\s*[\[{]\s*").match(text).end()
            if text[first : first + 1] in ('"', "[", "]", "{", "}"):
                if loose is None or not isinstance(e, JsonSyntaxError):
                    raise
                if duplicates is not None:
                    del duplicates[found:]  # read again, by YAML
                try:
                    data, positions = _load_yaml(path, text, kind, duplicates)
                except LoadError:
                    raise e from None
                if not isinstance(data, dict):
                    raise e from None
                loose.append(e)
                return data, positions, "yaml"
    if lazy:
        spans = _load_yaml_spans(path, text, kind, duplicates, like)
        if spans is not None:
            return (*spans, "yaml")
    data, positions = _load_yaml(path, text, kind, duplicates)
    return data, positions, "yaml"


def _check_template(path: str, data: dict, positions) -> None:
    def at(*keys):
        return positions.find(keys) or (1, 1)

    resources = data.get("Resources", _MISSING)
    if resources is _MISSING:
        raise LoadError(path, 1, 1, "not a CloudFormation template: no Resources mapping")
    if not isinstance(resources, (dict, Resources)):
        raise LoadError(path, *at("Resources"), "Resources must be a mapping of logical IDs to resources")
    if isinstance(resources, Resources):
        # The scan vouched for the others; the odd ones are read now.
        for logical_id in resources.odd:
            resources.get(logical_id)
        if resources.whole is not None:  # the text read whole after all: what it says, and where
            whole = resources.extra["data"]
            data.clear()
            data.update(whole)
            resources = data["Resources"]
            if isinstance(positions, YamlPositions):
                positions.find(())
        items = resources.items() if isinstance(resources, dict) else ((lid, resources[lid]) for lid in resources.odd)
    else:
        items = resources.items()
    for logical_id, resource in items:
        if logical_id.startswith("Fn::ForEach::"):
            # An AWS::LanguageExtensions loop, diffed as one unit.
            if not isinstance(resource, list):
                raise LoadError(
                    path, *at("Resources", logical_id), f"{logical_id} must be a list: [identifier, collection, template]"
                )
            continue
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


def load_text(path: str, text: str, spans: bool = True, like: Optional[Template] = None) -> Template:
    """The template in ``text``, read as CloudFormation reads it: a key given
    twice is not bad input, the last one wins, with a warning.  Its
    resources are read from spans, as they are asked for (``spans``, where
    the text allows it: :mod:`impact.load.spans`), or all at once.  ``like``
    is the other revision, when it is read first: a resource whose text is
    the same there is found without decoding it."""
    warnings: list = []
    hint = like.data.get("Resources") if like is not None else None
    hint = hint if isinstance(hint, Resources) else None
    data, positions, fmt = parse(path, text, warnings=warnings, lazy=spans, like=hint)
    resources = data.get("Resources")
    if isinstance(resources, Resources):
        resources.where = resources.shown = path
        resources.warnings = warnings
        if "Transform" in data:  # a macro (SAM, the language extensions) reads the template whole
            data["Resources"] = resources.materialize()
    _check_template(path, data, positions)
    return Template(path=path, data=data, fmt=fmt, positions=positions, warnings=warnings)


def load_bytes(path: str, raw: bytes, max_bytes: int = MAX_BYTES, like: Optional[Template] = None) -> Template:
    return load_text(path, decode(path, raw, max_bytes), like=like)


def load_file(path: str, max_bytes: int = MAX_BYTES, like: Optional[Template] = None) -> Template:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
            if len(raw) > max_bytes:
                size = fh.seek(0, 2)
                raise LoadError(
                    path, None, None, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (raise it with --max-bytes)"
                )
    except OSError as e:
        raise LoadError(path, None, None, e.strerror or str(e)) from None
    return load_bytes(path, raw, max_bytes, like)
