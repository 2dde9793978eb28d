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


# Reading follows the change: a resource whose text is the same in both revisions is never read
# (impact/load/spans.py), and each file is scanned once.


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_only_the_resources_whose_text_changed_are_read(monkeypatch, fmt):
    from impact.load import loader

    counts = []
    for n in (60, 1500):
        old, new = pair(n)
        write = to_json if fmt == "json" else to_yaml
        counter = Counter(monkeypatch)
        counter.wrap(loader, "_read_members")  # JSON objects read whole by the hooked decoder
        counter.wrap(loader, "_load_yaml")  # YAML texts read: each file's skeleton, then one per resource
        counter.wrap(loader, "_scan_resources")
        counter.wrap(loader, "scan_yaml")
        old_t, new_t = load_text(f"old.{fmt}", write(old)), load_text(f"new.{fmt}", write(new))
        stack = diff_templates(old_t, new_t, RuleBook())
        monkeypatch.undo()
        assert len(stack.resources) == CHANGED
        read = (old_t.resources.decodes, new_t.resources.decodes)
        counts.append((read, counter.counts))
    (small, small_calls), (large, large_calls) = counts
    assert small == large == (CHANGED, CHANGED)
    assert small_calls == large_calls
    if fmt == "json":  # the top level of each file, nothing whole below it; each Resources scanned once
        assert large_calls == {"_read_members": 2, "_scan_resources": 2}
    else:  # each file scanned once, its sections read without Resources, then each changed resource
        assert large_calls == {"scan_yaml": 2, "_load_yaml": 2 + 2 * CHANGED}


def test_each_file_is_read_once_when_comparing_git_revisions(monkeypatch, tmp_path):
    """``--base``: a template is read when its revision is listed, and that
    reading serves the diff (no first reading to recognise it)."""
    from test_sources import Repo

    from impact.cli import run
    from impact.load import loader, sources

    repo = Repo(tmp_path)
    olds = {}
    for i in range(3):
        old, new = pair(60)
        olds[i] = new
        repo.write(f"stacks/s{i}.json", to_json(old))
        repo.write(f"stacks/s{i}.yaml", to_yaml(old))
    repo.commit()
    for i, new in olds.items():
        repo.write(f"stacks/s{i}.json", to_json(new))
        repo.write(f"stacks/s{i}.yaml", to_yaml(new))
    repo.commit()
    monkeypatch.chdir(tmp_path)
    counter = Counter(monkeypatch)
    counter.wrap(sources, "load_text")
    counter.wrap(loader, "_scan_resources")
    counter.wrap(loader, "scan_yaml")
    assert run(["diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", "-o", str(tmp_path / "r.json")]) == 0
    assert counter.counts == {"load_text": 12, "_scan_resources": 6, "scan_yaml": 6}


def test_a_template_read_whole_is_out_of_the_collectors_way():
    """What a reading makes holds no cycles and lives on: it is frozen, so no
    later collection walks it (its objects are not in the collector's generations)."""
    import gc

    grew = []
    for n in (60, 1500):
        text = to_json(pair(n)[0])
        gc.collect()
        gc.freeze()  # what lived before is out of the count
        before = len(gc.get_objects())
        template = load_text("t.json", text, spans=False)
        grew.append(len(gc.get_objects()) - before)
        assert len(template.resources) == n
        del template
    gc.unfreeze()
    assert max(grew) < 20  # the Template and the like; not its 1,500 resources


def test_a_diff_leaves_no_cycle_holding_a_template():
    """Nothing the stages make keeps a template alive in a cycle: a run over
    many stacks lets each go once it is diffed (a cycle frozen with it would not be)."""
    import gc

    from impact.load.spans import Resources
    from impact.model import Template

    old, new = pair(60)
    new["Resources"].pop(next(iter(new["Resources"])))
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        stack = diff_templates(load_text("old.json", to_json(old)), load_text("new.json", to_json(new)), RuleBook())
        gc.collect()
        held = [o for o in gc.garbage if isinstance(o, (Template, Resources))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert stack.resources and held == []


# IAM: an added statement is compared with the statements that name its actions, and with the
# wildcards of its service, not with every statement of that service.


def _policy(statements: int, wildcards: int) -> dict:
    """A managed policy's Properties: ``statements`` statements of one service, each
    granting its own actions, then ``wildcards`` statements granting ``s3:Get*``-like patterns."""
    listed = [
        {"Sid": f"S{i}", "Effect": "Allow", "Action": [f"s3:Op{i}a", f"s3:Op{i}b"],
         "Resource": f"arn:aws:s3:::bucket-{i}/*"}
        for i in range(statements)
    ]
    listed += [
        {"Sid": f"W{i}", "Effect": "Allow", "Action": f"s3:Wild{i}*", "Resource": f"arn:aws:s3:::other-{i}/*"}
        for i in range(wildcards)
    ]
    return {"PolicyDocument": {"Version": "2012-10-17", "Statement": listed}}


def _repeat_added(monkeypatch, statements: int, wildcards: int):
    """(rows, covers calls) when a copy of statement 7 is added under a new Sid."""
    from impact.assess import iam

    old = _policy(statements, wildcards)
    new = copy.deepcopy(old)
    repeated = dict(new["PolicyDocument"]["Statement"][7], Sid="Repeated")
    new["PolicyDocument"]["Statement"].append(repeated)
    counter = Counter(monkeypatch)
    counter.wrap(iam, "covers")
    rows = iam.policy_changes("AWS::IAM::ManagedPolicy", old, new, "Policy")
    monkeypatch.undo()
    return rows, counter.counts.get("covers", 0)


def test_an_added_statement_is_compared_with_the_statements_naming_its_actions(monkeypatch):
    small, large = _repeat_added(monkeypatch, 200, 0), _repeat_added(monkeypatch, 4000, 0)
    assert small[0] == large[0] == []  # a repeated grant opens nothing
    assert small[1] == large[1] > 0
    with_wildcards = [_repeat_added(monkeypatch, n, k)[1] for n, k in ((200, 5), (4000, 5), (200, 10))]
    assert with_wildcards[0] == with_wildcards[1] > small[1]  # wildcards of the service cost, the others not
    assert with_wildcards[2] > with_wildcards[0]


def test_an_added_statement_is_found_covered_by_a_wildcard_or_not_at_all(monkeypatch):
    """The index changes what is compared, not the answer: a grant a wildcard
    covers is no row; an action no statement grants is one."""
    from impact.assess import iam

    old = _policy(50, 3)
    covered = copy.deepcopy(old)
    covered["PolicyDocument"]["Statement"].append(
        {"Sid": "New", "Effect": "Allow", "Action": "S3:Wild1Thing", "Resource": "arn:aws:s3:::other-1/*"})
    assert iam.policy_changes("AWS::IAM::ManagedPolicy", old, covered, "Policy") == []
    opened = copy.deepcopy(old)
    opened["PolicyDocument"]["Statement"].append(
        {"Sid": "New", "Effect": "Allow", "Action": ["s3:Op3a", "s3:Op4b"], "Resource": "arn:aws:s3:::bucket-3/*"})
    rows = iam.policy_changes("AWS::IAM::ManagedPolicy", old, opened, "Policy")
    assert len(rows) == 1 and rows[0].summary == "grants unknown action s3:Op4b to whoever it is attached to"


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_changed_role_reads_no_other_resource(fmt):
    """The security stage names the ARNs of the template's resources by their
    types, which the scan knows: a changed policy reads no other resource."""
    write = to_json if fmt == "json" else to_yaml
    counts = []
    for n in (60, 1500):
        old, new = pair(n)
        role = next(r for r in new["Resources"].values() if r["Type"] == "AWS::IAM::Role")
        role["Properties"].setdefault("Policies", []).append({"PolicyName": "Extra", "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}})
        old_t = load_text(f"old.{fmt}", write(old))
        new_t = load_text(f"new.{fmt}", write(new), like=old_t)
        stack = diff_templates(old_t, new_t, RuleBook())
        assert stack.security
        counts.append((old_t.resources.decodes, new_t.resources.decodes))
    assert counts[0] == counts[1] == (CHANGED + 1, CHANGED + 1)


def test_a_long_list_is_looked_through_once_however_many_of_its_items_change(monkeypatch):
    """Each change inside a list asks whether the list holds collections (to
    align it): the list is looked through once, not once per change."""
    counts = []
    for n in (1000, 10000):
        addresses = [f"10.{i // 65536}.{i // 256 % 256}.{i % 256}/32" for i in range(n)]
        changed = [a if i % 10 else a.replace("/32", "/31") for i, a in enumerate(addresses)]
        old = {"Resources": {"Set": {"Type": "AWS::WAFv2::IPSet", "Properties": {"Addresses": addresses}}}}
        new = copy.deepcopy(old)
        new["Resources"]["Set"]["Properties"]["Addresses"] = changed
        counter = Counter(monkeypatch)
        counter.wrap(differ, "_has_collection")
        stack = diff_templates(load_text("old.json", to_json(old)), load_text("new.json", to_json(new)), RuleBook())
        monkeypatch.undo()
        assert sum(len(rd.changes) for rd in stack.resources) == n // 10
        counts.append(counter.counts.get("_has_collection", 0))
    assert counts[0] == counts[1] <= 4
