"""The fuzz target: two byte strings are loaded as the old and the new
template, diffed, classified, assessed and rendered in every format.

Whatever the bytes, loading either succeeds or raises a ``LoadError`` whose
message is one line naming the file, line and column; YAML that loads gives
the data PyYAML's own loader gives under CloudFormation's conventions, JSON
the data Python's reader gives (a key given twice: the last one, with a
one-line warning naming it, as CloudFormation reads it); a
template diffed against itself shows no change; every change gets a label;
every renderer returns text.  Any other exception is a finding.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from impact.load.loader import MAX_BYTES, SHORT_TAGS, LoadError, decode, load_bytes, load_text
from impact.model import RANK, Report
from impact.pipeline import diff_templates
from impact.render import MODULES, render
from impact.classify.rules import RuleBook

ROOT = Path(__file__).resolve().parent.parent
BOOK = RuleBook()
SEPARATOR = b"\n#####\n"
_ERROR = re.compile(r"^(old|new):[1-9][0-9]*:[1-9][0-9]*: \S[^\n]*$")
_WARNING = re.compile(
    r"^(old|new):[1-9][0-9]*:[1-9][0-9]*: "
    r"(key [^\n]+ is given|[0-9]+ more keys are given|not valid JSON \([^\n]*\), but valid YAML)[^\n]*$"
)


def _json_pairs(pairs):
    """JSON as impact reads it: booleans as their text, the last of each key."""
    return {k: ("true" if v else "false") if v is True or v is False else _json_list(v) for k, v in pairs}


def _json_list(value):
    if isinstance(value, list):
        return [("true" if v else "false") if v is True or v is False else _json_list(v) for v in value]
    return value


class _Reference(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's loader with CloudFormation's conventions: keys and scalars as
    their text, booleans as ``true``/``false``, short-form tags in long form."""

    def construct_mapping(self, node, deep=False):
        return {key.value: self.construct_object(value, deep=deep) for key, value in node.value}


def _text(loader, node):
    return node.value


def _short_form(loader, suffix, node):
    name = SHORT_TAGS["!" + suffix]
    if isinstance(node, yaml.ScalarNode):
        value = node.value
        return {name: value.split(".", 1) if name == "Fn::GetAtt" else value}
    if isinstance(node, yaml.SequenceNode):
        return {name: loader.construct_sequence(node, deep=True)}
    return {name: loader.construct_mapping(node, deep=True)}


for _tag in ("str", "int", "float", "timestamp", "binary"):
    _Reference.add_constructor(f"tag:yaml.org,2002:{_tag}", _text)
_Reference.add_constructor(
    "tag:yaml.org,2002:bool", lambda loader, node: "true" if node.value.lower() in ("true", "yes", "on", "y") else "false"
)
_Reference.add_constructor("tag:yaml.org,2002:null", lambda loader, node: None)
_Reference.add_multi_constructor("!", _short_form)


def load(name: str, raw: bytes, like=None):
    """The template, or None when it is rejected the way bad input must be
    (``like``: the other revision, read first, as impact reads pairs)."""
    try:
        template = load_bytes(name, raw, like=like)
    except LoadError as e:
        assert _ERROR.match(str(e)), repr(str(e))
        return None
    try:
        _compare(template, raw)
    except LoadError as e:
        # A resource read from its span tells a fault in its text when it is read: the same fault
        # reading the whole file tells.
        _same_fault(name, raw, e)
        return None
    # a key given twice (the last one wins) or JSON read as YAML: both as CloudFormation reads them
    for warning in template.warnings:
        assert _WARNING.match(str(warning)), repr(str(warning))
    return template


def _same_fault(side: str, raw: bytes, e: LoadError) -> None:
    """A fault told when a resource is read from its span is the fault reading the whole file tells."""
    assert _ERROR.match(str(e)), repr(str(e))
    try:
        load_text(side, decode(side, raw, MAX_BYTES), spans=False)
    except LoadError as whole:
        assert str(e) == str(whole), (str(e), str(whole))
        return
    raise AssertionError(f"read from spans, {side} is refused ({e}); read whole, it is not")


def _compare(template, raw: bytes) -> None:
    """The template's data is what PyYAML's or Python's own reader gives."""
    text = raw.removeprefix(b"\xef\xbb\xbf").decode()
    if template.fmt == "yaml":
        try:
            reference = yaml.load(text, Loader=_Reference)
        except (yaml.YAMLError, KeyError, TypeError, RecursionError):  # TypeError: a key that is a list
            reference = template.data  # a document PyYAML's loader cannot build this way
        assert template.data == reference, "the loader and PyYAML disagree"
    else:
        try:
            reference = json.loads(text, parse_int=str, parse_float=str, object_pairs_hook=_json_pairs)
        except (ValueError, RecursionError):
            reference = template.data
        assert template.data == reference, "the loader and Python's JSON reader disagree"


def check(data: bytes) -> None:
    """One fuzz input: the old template's bytes, SEPARATOR, the new one's."""
    old_raw, _, new_raw = data.partition(SEPARATOR)
    old = load("old", old_raw)
    new = load("new", new_raw, like=old)
    if old is not None:
        same = diff_templates(old, old, BOOK)
        assert not same.resources and not same.sections, "a template differs from itself"
    if old is None or new is None:
        return
    try:
        stack = diff_templates(old, new, BOOK)
    except LoadError as e:
        # A resource is read from its span when a stage asks for it: a fault in its text is told then,
        # as reading the whole file tells it.
        side = str(e).split(":", 1)[0]
        _same_fault(side, old_raw if side == "old" else new_raw, e)
        return
    for rd in stack.resources:
        for change in rd.changes:
            assert change.verdict is not None and change.verdict.label in RANK, change
    report = Report(stacks=[stack])
    for fmt in MODULES:
        assert isinstance(render(report, fmt), str)


def seeds() -> list:
    """Starting inputs: the example templates and small generated stacks, as pairs."""
    from bench.generate import generate_pair, to_json, to_yaml

    examples = [(ROOT / "examples" / name).read_bytes() for name in ("old.yaml", "new.yaml")]
    out = [examples[0] + SEPARATOR + examples[1]]
    for n in (3, 12):
        old, new = generate_pair(n, seed=n)
        out.append(to_yaml(old).encode() + SEPARATOR + to_yaml(new).encode())
        out.append(to_json(old).encode() + SEPARATOR + to_json(new).encode())
    return out
