"""The work of a diff follows what changed and the types used, not the size
of the template.  These tests count calls; they measure no time."""

import copy

import pytest

import deepdiff
from bench.generate import generate_pair, to_json, to_yaml
from impact.diff import differ
from impact import paths
from impact.load.loader import load_text
from impact.model import Report
from impact.pipeline import diff_templates
from impact.render import render
from impact.classify.rules import RuleBook

CHANGED = 6


def pair(n: int):
    """A generated stack of ``n`` resources, and a revision of it in which the
    same CHANGED resources differ whatever ``n`` is: three functions get more
    memory, three queues a new tag."""
    old, _ = generate_pair(n)
    new = copy.deepcopy(old)
    functions = [r for r in new["Resources"].values() if r["Type"] == "AWS::Lambda::Function"][:3]
    queues = [r for r in new["Resources"].values() if r["Type"] == "AWS::SQS::Queue"][:3]
    assert len(functions) == len(queues) == 3
    for resource in functions:
        resource["Properties"]["MemorySize"] = 4096
    for resource in queues:
        resource["Properties"].setdefault("Tags", []).append({"Key": "Tier", "Value": "gold"})
    return old, new


class Counter:
    def __init__(self, monkeypatch):
        self.counts = {}
        self.monkeypatch = monkeypatch

    def wrap(self, owner, name):
        original = getattr(owner, name)

        def counted(*args, **kwargs):
            self.counts[name] = self.counts.get(name, 0) + 1
            return original(*args, **kwargs)

        self.monkeypatch.setattr(owner, name, counted)


def work(monkeypatch, n: int, fmt: str) -> dict:
    old, new = pair(n)
    render_text = to_json if fmt == "json" else to_yaml
    old_t, new_t = load_text(f"old.{fmt}", render_text(old)), load_text(f"new.{fmt}", render_text(new))
    counter = Counter(monkeypatch)
    counter.wrap(differ, "diff_values")
    counter.wrap(deepdiff, "DeepDiff")
    counter.wrap(paths, "read_json")
    counter.wrap(differ, "_position")
    stack = diff_templates(old_t, new_t, RuleBook())
    render(Report(stacks=[stack]), "json")
    assert len(stack.resources) == CHANGED
    return counter.counts


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_diff_classify_and_positions_follow_the_changes(monkeypatch, fmt):
    work(monkeypatch, 60, fmt)  # once first, so that what a process reads once is read before counting
    monkeypatch.undo()
    small = work(monkeypatch, 60, fmt)
    monkeypatch.undo()
    large = work(monkeypatch, 1500, fmt)
    assert small["diff_values"] == large["diff_values"] == CHANGED
    # The queues' tag lists are multisets: matched by hash, no DeepDiff.
    assert small.get("DeepDiff", 0) == large.get("DeepDiff", 0) == 0
    assert small["read_json"] == large["read_json"]  # rule files of the types that changed
    assert small["_position"] == large["_position"]


def decodes(monkeypatch, n: int):
    """A JSON template of ``n`` resources, and the offsets its positions decode from now on."""
    old, _ = pair(n)
    template = load_text("t.json", to_json(old))
    calls = []
    decoder = template.positions._decoder
    original = decoder.raw_decode
    monkeypatch.setattr(decoder, "raw_decode", lambda text, i: calls.append(i) or original(text, i))
    return template, calls


def test_json_positions_read_the_text_once(monkeypatch):
    """Looking up every resource, in template order, decodes each at most once."""
    template, calls = decodes(monkeypatch, 1500)
    for logical_id in template.resources:
        assert template.position(("Resources", logical_id, "Type")) is not None
    assert len(calls) == len(set(calls)) <= 2 * len(template.resources) + 10


def test_json_resources_are_found_without_decoding_again(monkeypatch):
    """Reading a JSON template notes where each resource starts: looking
    every resource up afterwards decodes nothing."""
    template, calls = decodes(monkeypatch, 300)
    lines = [template.position(("Resources", logical_id))[0] for logical_id in template.resources]
    assert calls == []
    assert lines == sorted(lines) and len(set(lines)) == len(lines)


def test_rules_load_per_type_not_per_table(monkeypatch):
    """Loading a type's rules opens that type's files, however many the table has."""
    opened = []
    original = paths.read_json
    monkeypatch.setattr(paths, "read_json", lambda path: opened.append(path.name) or original(path))
    book = RuleBook()
    for type_name in ("AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::S3::Bucket"):
        book.for_type(type_name)
    # ... plus the one small reviewed list of rules/layers.json, once.
    assert sorted(opened) == [
        "AWS-S3-Bucket.json", "AWS-S3-Bucket.json", "AWS-SQS-Queue.json", "AWS-SQS-Queue.json", "layers.json"
    ]


def resolve_work(monkeypatch, old: dict, new: dict) -> dict:
    """Evaluations and comparisons of the resolve stage for one pair."""
    from impact.resolve import evaluate, stage

    counter = Counter(monkeypatch)
    counter.wrap(evaluate.Evaluator, "value")
    counter.wrap(stage.Resolution, "compare")
    stack = diff_templates(load_text("old.json", to_json(old)), load_text("new.json", to_json(new)), RuleBook())
    monkeypatch.undo()
    return {"value": counter.counts.get("value", 0), "compare": counter.counts.get("compare", 0), "stack": stack}


def test_a_template_without_parameters_mappings_or_conditions_is_not_resolved(monkeypatch):
    old, new = pair(300)
    for template in (old, new):
        for section in ("Parameters", "Mappings", "Conditions", "Rules"):
            template.pop(section, None)
        template["Outputs"] = {}
        for resource in template["Resources"].values():  # no Fn::If left to choose a branch
            props = resource.get("Properties") or {}
            for key in [k for k, v in props.items() if "Fn::If" in repr(v) or "FindInMap" in repr(v)]:
                del props[key]
    work = resolve_work(monkeypatch, old, new)
    assert work["value"] == work["compare"] == 0
    assert len(work["stack"].resources) == CHANGED


def test_resolving_follows_the_changes(monkeypatch):
    """The resolve stage evaluates the changed values only, whatever the template's size."""
    counts = []
    for n in (60, 1500):
        old, new = pair(n)
        tables = [r for r in new["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"
                  and "PointInTimeRecoverySpecification" in r["Properties"]]
        # The same switch, written the other way round: no change once resolved.
        tables[0]["Properties"]["PointInTimeRecoverySpecification"] = {
            "PointInTimeRecoveryEnabled": {"Fn::If": ["IsNotProd", False, True]}}
        work = resolve_work(monkeypatch, old, new)
        changed = {rd.logical_id: rd.impact for rd in work["stack"].resources}
        assert sorted(changed.values()).count("none") == 1
        counts.append((work["value"], work["compare"]))
    assert counts[0] == counts[1] and counts[0][1] == 1
