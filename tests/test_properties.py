"""Properties of the differ over generated templates (hypothesis).

Every test runs a fixed number of derandomized examples, so a run is
deterministic and takes a few seconds.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import to_json, to_yaml
from impact.diff.differ import _property_keys, change_order, diff_resources, diff_values
from impact.load.loader import load_text
from impact.model import ADD, LABELS, MODIFY, REMOVE, Report
from impact.pipeline import diff_templates
from impact.render import MODULES, render
from impact.classify.rules import RuleBook

PROPERTIES = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BOOK = RuleBook()

# Real types and properties, so that rules (and multiset lists such as
# SecurityGroupIngress) apply, and types no rule knows.
TYPES = {
    "AWS::S3::Bucket": ["BucketName", "Tags", "VersioningConfiguration", "LifecycleConfiguration"],
    "AWS::SQS::Queue": ["QueueName", "VisibilityTimeout", "Tags", "RedrivePolicy"],
    "AWS::Lambda::Function": ["MemorySize", "Code", "Environment", "Layers", "Tags"],
    "AWS::EC2::SecurityGroup": ["GroupDescription", "SecurityGroupIngress", "SecurityGroupEgress", "Tags"],
    "AWS::IAM::Policy": ["PolicyDocument", "PolicyName", "Roles"],
    "AWS::DynamoDB::Table": ["KeySchema", "AttributeDefinitions", "BillingMode", "GlobalSecondaryIndexes"],
    "Custom::Thing": ["ServiceToken", "Anything"],
    "AWS::Made::Up": ["Whatever"],
}
LOGICAL_IDS = st.sampled_from(["Bucket", "Queue", "Fn", "Group", "Policy", "Table", "Thing", "Other", "Extra1", "Extra2"])
SPECIAL = ["", " ", "true", "no", "Off", "~", "null", "10", "0x1F", "1e3", "-", ":", "#x", "&a", "*a", "!Ref", "<<", "=",
           "'", '"', "{", "[", "---", "...", "a: b", "line\nbreak", "tab\there", "é中🙂", "${AWS::Region}"]
TEXT = st.sampled_from(SPECIAL) | st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]), max_size=8)
KEYS = st.sampled_from(["Key", "Value", "Name", "Rules", "Id", "Status", "Ref", "a/b", "c~d", "x.y"]) | TEXT
SCALARS = TEXT | st.none() | st.integers(-1000, 10**6) | st.booleans()
INTRINSICS = st.one_of(
    st.builds(lambda r: {"Ref": r}, LOGICAL_IDS),
    st.builds(lambda r, a: {"Fn::GetAtt": [r, a]}, LOGICAL_IDS, st.sampled_from(["Arn", "Url", "Endpoint.Address"])),
    st.builds(lambda s: {"Fn::Sub": s}, TEXT),
    st.builds(lambda c, a, b: {"Fn::If": [c, a, b]}, st.sampled_from(["IsProd", "HasX"]), TEXT, TEXT),
)
VALUES = st.recursive(
    SCALARS | INTRINSICS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def resources(draw):
    out = {}
    for logical_id in draw(st.lists(LOGICAL_IDS, unique=True, max_size=5)):
        rtype = draw(st.sampled_from(sorted(TYPES)))
        props = draw(st.dictionaries(st.sampled_from(TYPES[rtype]), VALUES, max_size=4))
        resource = {"Type": rtype, "Properties": props}
        if draw(st.booleans()):
            resource["DependsOn"] = draw(st.lists(LOGICAL_IDS, max_size=3))
        if draw(st.booleans()):
            resource["Metadata"] = {"aws:cdk:path": f"Stack/{logical_id}/Resource"}
        out[logical_id] = resource
    return out


@st.composite
def templates(draw):
    template = {"Resources": draw(resources())}
    if draw(st.booleans()):
        template["Outputs"] = {"Out": {"Value": draw(VALUES)}}
    if draw(st.booleans()):
        template["Parameters"] = {"Env": {"Type": "String", "Default": draw(TEXT)}}
    return template


@st.composite
def edited(draw, template):
    """``template`` with some resources, properties or values changed."""
    new = json.loads(json.dumps(template))
    for logical_id in draw(st.lists(LOGICAL_IDS, unique=True, max_size=3)):
        action = draw(st.sampled_from(["remove", "replace", "edit"]))
        if action == "remove":
            new["Resources"].pop(logical_id, None)
        elif action == "replace" or logical_id not in new["Resources"]:
            new["Resources"][logical_id] = draw(resources()).get(logical_id) or {"Type": "AWS::SQS::Queue"}
        else:
            props = new["Resources"][logical_id].setdefault("Properties", {})
            props[draw(st.sampled_from(TYPES[new["Resources"][logical_id]["Type"]]))] = draw(VALUES)
    return new


def load(template, fmt="json"):
    return load_text(f"t.{fmt}", to_json(template) if fmt == "json" else to_yaml(template))


def report(old, new):
    return Report(stacks=[diff_templates(old, new, BOOK)])


def all_changes(stack):
    return [(rd.logical_id, c) for rd in stack.resources for c in rd.changes]


def signature(resources):
    """Each resource's action, and each change's path and kind."""
    return {(rd.logical_id, rd.action, c.path, c.kind) for rd in resources for c in rd.changes} | {
        (rd.logical_id, rd.action, None, None) for rd in resources
    }


SWAP = {ADD: REMOVE, REMOVE: ADD, MODIFY: MODIFY}


@PROPERTIES
@given(templates())
def test_a_template_against_itself_reports_nothing(template):
    t = load(template)
    stack = report(t, t).stacks[0]
    assert stack.resources == [] and stack.sections == []


@PROPERTIES
@given(templates(), st.sampled_from([("json", "yaml"), ("yaml", "json"), ("yaml", "yaml")]))
def test_a_template_against_its_rerendering_reports_nothing(template, formats):
    old, new = load(template, formats[0]), load(template, formats[1])
    assert old.data == new.data
    stack = report(old, new).stacks[0]
    assert stack.resources == [] and stack.sections == []


@PROPERTIES
@given(st.data())
def test_diff_is_symmetric(data):
    a = data.draw(templates())
    b = data.draw(edited(a))
    ta, tb = load(a), load(b)
    forward = diff_resources(ta, tb, BOOK.unordered)
    backward = diff_resources(tb, ta, BOOK.unordered)
    assert signature(forward) == {(i, SWAP[act], p, SWAP.get(k)) for i, act, p, k in signature(backward)}


@PROPERTIES
@given(st.data())
def test_every_change_has_a_label_and_every_format_renders(data):
    a = data.draw(templates())
    b = data.draw(edited(a))
    fmt = data.draw(st.sampled_from(["json", "yaml"]))
    rep = report(load(a, fmt), load(b, fmt))
    for _, change in all_changes(rep.stacks[0]):
        assert change.verdict is not None and change.verdict.label in LABELS
    for name in MODULES:
        assert isinstance(render(rep, name), str)


# diff_values walks mappings and lists of collections itself and hands the
# rest to DeepDiff; its answer must be DeepDiff's on the whole value.


def deepdiff_reference(old, new, rtype, unordered):
    """The change list DeepDiff gives when it compares the whole value."""
    from deepdiff import DeepDiff

    kwargs = {}
    if unordered is not None:

        def ignore_order(level):
            path = level.path(output_format="list")
            if not path or path[0] != "Properties" or not isinstance(level.t1, list):
                return False
            return unordered(rtype, _property_keys(path))

        kwargs = {"ignore_order_func": ignore_order, "report_repetition": True}
    result = DeepDiff(old, new, view="tree", verbose_level=2, threshold_to_diff_deeper=0, **kwargs)
    out = []
    for report_type, levels in result.items():
        for level in levels:
            path = level.path(output_format="list")
            if report_type in ("dictionary_item_added", "iterable_item_added"):
                out.append((path, ADD, None, level.t2))
            elif report_type in ("dictionary_item_removed", "iterable_item_removed"):
                out.append((path, REMOVE, level.t1, None))
            elif report_type == "repetition_change":
                rep = level.additional["repetition"]
                kind = ADD if rep["new_repeat"] > rep["old_repeat"] else REMOVE
                out.append((path, kind, [level.t1] * rep["old_repeat"], [level.t1] * rep["new_repeat"]))
            elif report_type in ("values_changed", "type_changes"):
                out.append((path, MODIFY, level.t1, level.t2))
    # DeepDiff's order of two changes at one path follows its set of report
    # kinds, which changes from one process to the next: sort them as impact does.
    out.sort(key=change_order)
    return out


PLAIN = st.recursive(
    st.sampled_from(["a", "b", "c", "", "10"]) | st.none(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.sampled_from(["k", "Tags", "Rules", "x"]), inner, max_size=4),
    max_leaves=20,
)


@st.composite
def value_pairs(draw):
    old = {"Properties": draw(st.dictionaries(st.sampled_from(["Tags", "Rules", "List", "Map"]), PLAIN, max_size=3))}
    if draw(st.booleans()):
        return old, draw(st.builds(lambda p: {"Properties": p}, st.dictionaries(st.sampled_from(["Tags", "Rules", "List", "Map"]), PLAIN, max_size=3)))
    new = json.loads(json.dumps(old))
    for _ in range(draw(st.integers(1, 3))):
        node, key = new, "Properties"
        while isinstance(node[key], (dict, list)) and node[key] and draw(st.booleans()):
            node = node[key]
            key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        node[key] = draw(PLAIN)
    return old, new


MULTISETS = st.sampled_from([None, frozenset(), frozenset({("Tags",)}), frozenset({("Rules",), ("List",)}), frozenset({("Tags",), ("Tags", "k"), ("Map", "x")})])


@settings(PROPERTIES, max_examples=400)
@given(value_pairs(), MULTISETS)
def test_diff_values_gives_deepdiffs_changes(pair, multisets):
    old, new = pair
    unordered = None if multisets is None else (lambda rtype, keys: keys in multisets)
    assert diff_values(old, new, "AWS::X::Y", unordered) == deepdiff_reference(old, new, "AWS::X::Y", unordered)


@pytest.mark.parametrize(
    "old, new",
    [
        ({"Properties": {"Tags": [{"k": "a"}, "b"]}}, {"Properties": {"Tags": ["b", {"k": "a"}, None]}}),
        ({"Properties": {"Rules": [[1, 2], [3]]}}, {"Properties": {"Rules": [[1], [3, 4], []]}}),
        ({"Properties": {"List": ["a", "b", "c"]}}, {"Properties": {"List": ["b", "c", "d"]}}),
        # difflib replaces one item with three: the extra ones are added at their new indices.
        ({"Properties": {"List": ["b", "a"]}}, {"Properties": {"List": ["a", "b", "b", "b"]}}),
        ({"Properties": {"List": ["a", "b", "b", "b"]}}, {"Properties": {"List": ["b", "a"]}}),
    ],
)
def test_diff_values_matches_deepdiff_on_known_shapes(old, new):
    for unordered in (None, lambda rtype, keys: True, lambda rtype, keys: False):
        assert diff_values(old, new, "T", unordered) == deepdiff_reference(old, new, "T", unordered)


# The shapes the hash matching and the index-by-index comparison answer
# without DeepDiff: long lists with some items edited in place, and one large
# item of a multiset edited a little.

WORDS = st.sampled_from(["a", "b", "c", "d", "10.0.0.1/32", "", None])


@st.composite
def edited_lists(draw):
    old = draw(st.lists(WORDS | st.text(max_size=3), min_size=0, max_size=30))
    new = list(old)
    for _ in range(draw(st.integers(0, 8))):
        if new and draw(st.booleans()):
            new[draw(st.integers(0, len(new) - 1))] = draw(WORDS | st.text(max_size=3))
        elif draw(st.booleans()):
            new.append(draw(WORDS))
        elif new:
            new.pop(draw(st.integers(0, len(new) - 1)))
    return old, new


@settings(PROPERTIES, max_examples=300)
@given(edited_lists(), st.booleans())
def test_lists_of_scalars_give_deepdiffs_changes(pair, as_multiset):
    old, new = ({"Properties": {"List": v}} for v in pair)
    unordered = lambda rtype, keys: as_multiset  # noqa: E731
    assert diff_values(old, new, "T", unordered) == deepdiff_reference(old, new, "T", unordered)


STATEMENT = st.fixed_dictionaries(
    {"Effect": st.sampled_from(["Allow", "Deny"]), "Action": st.lists(WORDS, max_size=3), "Resource": WORDS}
)


@st.composite
def edited_documents(draw):
    """A multiset of a few policies, one of which has a long document with some statements edited."""
    statements = draw(st.lists(STATEMENT, min_size=1, max_size=25))
    others = draw(st.lists(st.fixed_dictionaries({"PolicyName": WORDS}), max_size=3))
    edited = json.loads(json.dumps(statements))
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(edited)))
        if i == len(edited):
            edited.append(draw(STATEMENT))
        else:
            edited[i] = draw(STATEMENT)
    old = others + [{"PolicyName": "p", "PolicyDocument": {"Statement": statements}}]
    new = [{"PolicyName": "p", "PolicyDocument": {"Statement": edited}}] + others
    return {"Properties": {"Policies": old}}, {"Properties": {"Policies": new}}


@settings(PROPERTIES, max_examples=200)
@given(edited_documents())
def test_a_large_edited_item_of_a_multiset_gives_deepdiffs_changes(pair):
    old, new = pair
    unordered = lambda rtype, keys: keys == ("Policies",)  # noqa: E731
    assert diff_values(old, new, "T", unordered) == deepdiff_reference(old, new, "T", unordered)


FLAT = st.dictionaries(st.sampled_from(["Key", "Value", "Name", "Id"]), WORDS | st.dictionaries(st.sampled_from(["a", "b"]), WORDS, max_size=2), max_size=4)


@st.composite
def edited_tags(draw):
    """A multiset of mappings without lists (tags, rules) with one of them edited a little or a lot."""
    old = draw(st.lists(FLAT, min_size=1, max_size=6))
    new = json.loads(json.dumps(old))
    i = draw(st.integers(0, len(new) - 1))
    new[i] = draw(FLAT) if draw(st.booleans()) else {**new[i], draw(st.sampled_from(["Key", "Value", "Extra"])): draw(WORDS)}
    draw(st.randoms()).shuffle(new)
    return {"Properties": {"Tags": old}}, {"Properties": {"Tags": new}}


@settings(PROPERTIES, max_examples=300)
@given(edited_tags())
def test_an_edited_item_of_a_multiset_of_mappings_gives_deepdiffs_changes(pair):
    old, new = pair
    unordered = lambda rtype, keys: keys == ("Tags",)  # noqa: E731
    assert diff_values(old, new, "T", unordered) == deepdiff_reference(old, new, "T", unordered)
