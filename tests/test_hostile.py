"""Hostile and broken inputs, each through the real CLI.

Every one must end quickly (the subprocess has a timeout) with exit code 2
and one line, ``FILE:LINE:COL: message``, and no traceback.
"""

import pytest

from conftest import assert_one_line_error

QUICKLY = 30  # seconds; each case takes well under one
GOOD = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"


@pytest.fixture
def good(write):
    return write("good.yaml", GOOD)


def diff(impact, *args):
    return impact("diff", *args, "--format", "json", timeout=QUICKLY)


def test_yaml_alias_bomb(impact, write, good):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    bomb = write("bomb.yaml", "\n".join(lines) + "\nResources: {}\n")
    # Aliases of e (7,381 nodes each) push what aliases add past the cap; the
    # error names where e's anchor is.
    assert_one_line_error(diff(impact, good, bomb), str(bomb), 5, 4, "aliases expand to too large a document")


def test_yaml_alias_bomb_whose_leaf_changes(impact, write):
    """Under the cap on the document's size, a bomb whose one leaf changes
    would turn into tens of thousands of changes: the cap on what aliases
    add stops it first."""
    lines = ["Resources:", "  Q:", "    Type: AWS::SQS::Queue", "    Properties:", "      Defs:"]
    lines.append('        a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]')
    for prev, name in zip("abcd", "bcde"):
        lines.append(f"        {name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    lines.append("      Bomb: [" + ", ".join(["*e"] * 9) + "]")
    old = write("old.yaml", "\n".join(lines) + "\n")
    new = write("new.yaml", old.read_text().replace('"lol"]', '"lul"]', 1))
    assert_one_line_error(diff(impact, old, new), str(old), 10, 12, "aliases expand to too large a document")


def test_yaml_alias_flood(impact, write, good):
    flood = write("flood.yaml", "a: &a [x]\nb: [" + ", ".join(["*a"] * 10_001) + "]\nResources: {}\n")
    assert_one_line_error(diff(impact, good, flood), str(flood), 1, 4, "more than 10000 YAML aliases")


def test_recursive_yaml_alias(impact, write, good):
    loop = write("loop.yaml", "Resources: {}\nA: &a {b: *a}\n")
    assert_one_line_error(diff(impact, loop, good), str(loop), 2, 4, "recursive YAML alias")


@pytest.mark.parametrize(
    "name, text, line, col, message",
    [
        # A flow sequence: the YAML scanner looks ahead and stops at 1,000 levels.
        ("flow.yaml", "Resources: {}\nX: " + "[" * 20_000 + "]" * 20_000 + "\n", 2, 1003, "exceeded maximum nesting depth"),
        # A flow mapping, compact block sequences: the loader stops at 200.
        ("flow-map.yaml", "Resources: {}\nX: " + "{a: " * 20_000 + "b" + "}" * 20_000 + "\n", 2, 804, "deeper than 200 levels"),
        ("block.yaml", "Resources: {}\nX:\n" + "- " * 20_000 + "x\n", 3, 401, "nesting deeper than 200 levels"),
    ],
)
def test_yaml_nested_20000_levels(impact, write, good, name, text, line, col, message):
    deep = write(name, text)
    assert_one_line_error(diff(impact, good, deep), str(deep), line, col, message)


@pytest.mark.parametrize(
    "name, text, col",
    [
        ("deep.json", '{"Resources": {}, "X": ' + "[" * 20_000 + "]" * 20_000 + "}", 223),
        ("deep-obj.json", '{"Resources": {}, "X": ' + '{"a": ' * 20_000 + "1" + "}" * 20_000 + "}", 1218),
        ("deep-truncated.json", "[" * 20_000, 201),
    ],
)
def test_json_nested_20000_levels(impact, write, good, name, text, col):
    deep = write(name, text)
    assert_one_line_error(diff(impact, deep, good), str(deep), 1, col, "nesting deeper than 200 levels")


def _first_too_deep(text: str) -> int:
    """The column of the bracket that opens level 201 (no string here holds one)."""
    depth = 0
    for i, c in enumerate(text):
        depth += (c in "[{") - (c in "]}")
        if depth > 200:
            return i + 1
    raise AssertionError("not deeper than 200 levels")


def _json_nested(levels: int, where: str) -> str:
    """A template with a value ``levels`` lists deep in a resource's properties or in Outputs."""
    value = "[" * levels + "]" * levels
    if where == "resource":
        return '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"X": ' + value + "}}}}"
    return '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}, "Outputs": {"X": {"Value": ' + value + "}}}"


@pytest.mark.parametrize("where, levels", [("resource", 196), ("outputs", 197)])
def test_json_nested_to_the_limit_loads(impact, write, good, where, levels):
    """Nesting of exactly 200 levels, the limit, is a template."""
    text = _json_nested(levels, where)
    with pytest.raises(AssertionError):
        _first_too_deep(text)
    assert diff(impact, good, write("limit.json", text), "--format", "json").code == 0


@pytest.mark.parametrize("where, levels", [("resource", 197), ("resource", 600), ("outputs", 198), ("outputs", 900)])
def test_json_nested_past_the_limit_names_where(impact, write, good, where, levels):
    text = _json_nested(levels, where)
    deep = write("deep.json", text)
    assert_one_line_error(diff(impact, good, deep), str(deep), 1, _first_too_deep(text), "nesting deeper than 200 levels")


def test_more_yaml_nodes_than_the_cap(impact, write, good):
    flat = write("flat.yaml", "Resources: {}\nX: [" + ",".join(["0"] * 1_100_000) + "]\n")
    assert_one_line_error(diff(impact, good, flat), str(flat), 2, None, "document too large")


def test_60_mb_file_and_the_flag_that_raises_the_cap(impact, write, tmp_path, good):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.write(b'{"Resources": {}, "Pad": "')
        fh.write(b"x" * 60_000_000)
        fh.write(b'"}')
    result = diff(impact, good, big)
    assert_one_line_error(result, contains="over the 20,971,520-byte limit (raise it with --max-bytes)")
    assert result.err.startswith(f"{big}: file is ")  # the file as a whole: no line, no column
    small = write("small.yaml", GOOD + "    Properties: {QueueName: " + "q" * 200 + "}\n")
    assert_one_line_error(diff(impact, good, small, "--max-bytes", "100"), contains="--max-bytes")
    assert diff(impact, good, small, "--max-bytes", "1000").code == 0


def test_nul_bytes(impact, write, good):
    nul = write("nul.yaml", b"Resources:\n  Q:\n    Type: AWS::SQS\x00::Queue\n")
    assert_one_line_error(diff(impact, good, nul), str(nul), 3, 19, "NUL byte")


@pytest.mark.parametrize(
    "raw, line, col",
    [
        (b"Resources:\n  Q:\n    Type: \xc3\x28\n", 3, 11),  # a broken two-byte sequence
        (b"\xff\xfeR\x00e\x00s\x00", 1, 4),  # UTF-16 with a byte-order mark
        (b'{"Resources": {"Q": {"Type": "AWS::SQS::Queue\xe9"}}}', 1, 46),  # Latin-1
    ],
)
def test_not_utf8(impact, write, good, raw, line, col):
    bad = write("bad.yaml", raw)
    result = diff(impact, bad, good)
    assert_one_line_error(result, str(bad), line, col)
    assert "NUL byte" in result.err or "not UTF-8" in result.err


@pytest.mark.parametrize("content", ["", "\n\n  \n", "\ufeff"])
def test_empty_file(impact, write, good, content):
    empty = write("empty.yaml", content)
    assert_one_line_error(diff(impact, good, empty), str(empty), 1, 1, "empty")


def test_empty_yaml_document(impact, write, good):
    empty = write("empty.yaml", "# nothing but a comment\n")
    assert_one_line_error(diff(impact, good, empty), str(empty), 1, 1, "empty document")


@pytest.mark.parametrize(
    "name, text, line, col",
    [
        ("list.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  - Type: AWS::SQS::Queue\n", 2, 1),
        ("list.json", '{\n  "Resources": [{"Type": "AWS::SQS::Queue"}]\n}', 2, 3),
    ],
)
def test_resources_as_a_list(impact, write, good, name, text, line, col):
    bad = write(name, text)
    assert_one_line_error(diff(impact, bad, good), str(bad), line, col, "Resources must be a mapping")


@pytest.mark.parametrize(
    "text, line, col",
    [
        ('{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "q', 1, 77),
        # The text ends inside brackets: reported where the innermost opens.
        ('{\n "Resources": {\n  "Q": {\n   "Type": "AWS::SQS::Queue"\n  }\n', 2, 15),
        ('{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}, ', 1, 1),
        ('{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"N": 1', 1, 63),
        ('{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [\n  {"Key": "a"}\n', 1, 72),
        ('{"Resources": {"Q": {"Type": "[not a bracket {", "Properties": {"N": "]}"\n', 1, 64),
    ],
)
def test_truncated_json(impact, write, good, text, line, col):
    bad = write("truncated.json", text)
    assert_one_line_error(diff(impact, good, bad), str(bad), line, col)


@pytest.mark.parametrize(
    "text, line, col, opened, end",
    [
        ("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: [ {Key: a, Value: b}\n",
         5, 13, "'['", "6:1"),
        ("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {Tags: [1, 2\n  R:\n    Type: x\n",
         4, 24, "'['", "5:4"),
        ("Resources:\n  Q: {Type: AWS::SQS::Queue,\n  R: 1\n", 2, 6, "'{'", "4:1"),
        ('Resources:\n  Q: {Type: "AWS::SQS::Queue}\n', 2, 13, "quoted string", "3:1"),
    ],
)
def test_unclosed_yaml_is_reported_where_it_opens(impact, write, good, text, line, col, opened, end):
    bad = write("unclosed.yaml", text)
    r = diff(impact, good, bad)
    assert_one_line_error(r, str(bad), line, col, contains="is not closed")
    assert opened in r.err and r.err.rstrip().endswith(f"at {end}"), r.err


@pytest.mark.parametrize(
    "value, tag",
    [
        ("!!python/object/apply:os.system [touch MARKER]", "python/object/apply:os.system"),
        ("!!python/name:os.system", "python/name:os.system"),
        ("!!python/object:builtins.dict {a: 1}", "python/object:builtins.dict"),
        ("!!python/object/new:subprocess.Popen [[touch, MARKER]]", "python/object/new:subprocess.Popen"),
    ],
)
def test_python_tags_are_refused_and_never_run(impact, write, good, tmp_path, value, tag):
    marker = tmp_path / "ran"
    text = GOOD + "    Properties:\n      X: " + value.replace("MARKER", str(marker)) + "\n"
    bad = write("python.yaml", text)
    assert_one_line_error(diff(impact, good, bad), str(bad), 5, 10, f"unsupported tag tag:yaml.org,2002:{tag}")
    assert not marker.exists()


@pytest.mark.parametrize(
    "text, line, col, tag",
    [
        ("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: !Tags [a, b]\n", 5, 13, "!Tags"),
        ("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Name: !Reff Bucket\n", 5, 13, "!Reff"),
        ("Resources: !Custom\n  Q:\n    Type: AWS::SQS::Queue\n", 1, 12, "!Custom"),
    ],
)
def test_unknown_tags(impact, write, good, text, line, col, tag):
    bad = write("tags.yaml", text)
    assert_one_line_error(diff(impact, bad, good), str(bad), line, col, f"unsupported tag {tag}")
