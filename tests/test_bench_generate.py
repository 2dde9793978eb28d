import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

from bench.generate import generate_pair, to_json, to_yaml, write_pairs  # noqa: E402


class _IntrinsicLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader that reads CloudFormation short forms back into long form."""


def _construct_intrinsic(loader, suffix, node):
    key = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {key: value}


_IntrinsicLoader.add_multi_constructor("!", _construct_intrinsic)


def _load_yaml(text):
    return yaml.load(text, Loader=_IntrinsicLoader)


@pytest.fixture(scope="module")
def pair500():
    return generate_pair(500)


def _differing(old, new):
    """(changed, added, removed) logical IDs between two templates' resources."""
    o, n = old["Resources"], new["Resources"]
    changed = [k for k in o if k in n and o[k] != n[k]]
    added = [k for k in n if k not in o]
    removed = [k for k in o if k not in n]
    return changed, added, removed


def test_same_arguments_give_identical_output():
    first, second = generate_pair(300, seed=7), generate_pair(300, seed=7)
    assert first == second
    assert [to_json(t) for t in first] == [to_json(t) for t in second]
    assert [to_yaml(t) for t in first] == [to_yaml(t) for t in second]
    assert generate_pair(300, seed=8)[0] != first[0]


def test_output_does_not_depend_on_hash_seed():
    script = (
        "import hashlib; from bench.generate import generate_pair, to_json, to_yaml;"
        "old, new = generate_pair(120, seed=3);"
        "print(hashlib.sha256((to_json(old) + to_yaml(new)).encode()).hexdigest())"
    )
    digests = {
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    old, new = generate_pair(120, seed=3)
    assert digests == {hashlib.sha256((to_json(old) + to_yaml(new)).encode()).hexdigest() + "\n"}


@pytest.mark.parametrize("n", [1, 7, 50, 500])
def test_old_template_has_exactly_n_resources(n):
    old, _ = generate_pair(n)
    assert len(old["Resources"]) == n


def test_cdk_shaped_sections(pair500):
    old, _ = pair500
    assert old["AWSTemplateFormatVersion"] == "2010-09-09"
    assert old["Description"]
    assert old["Parameters"]["BootstrapVersion"]["Type"] == "AWS::SSM::Parameter::Value<String>"
    assert "Default" in old["Parameters"]["Env"]
    assert old["Conditions"] and old["Mappings"]
    assert any("Export" in output for output in old["Outputs"].values())
    types = {r["Type"] for r in old["Resources"].values()}
    assert {
        "AWS::Lambda::Function", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::S3::Bucket",
        "AWS::SQS::Queue", "AWS::DynamoDB::Table", "AWS::EC2::SecurityGroup",
    } <= types
    assert all(re.fullmatch(r"[A-Za-z0-9]+[0-9A-F]{8}", k) for k in old["Resources"] if k != "CDKMetadata")


def test_about_ten_percent_of_resources_differ(pair500):
    old, new = pair500
    changed, added, removed = _differing(old, new)
    assert 0.08 <= (len(changed) + len(added) + len(removed)) / 500 <= 0.12
    assert 2 <= len(added) <= 15 and 2 <= len(removed) <= 15
    changed_types = {old["Resources"][k]["Type"] for k in changed}
    assert {
        "AWS::Lambda::Function", "AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::DynamoDB::Table",
        "AWS::IAM::Policy", "AWS::EC2::SecurityGroup",
    } <= changed_types
    # a key schema change, which forces the table's replacement
    assert any(
        old["Resources"][k]["Properties"]["KeySchema"] != new["Resources"][k]["Properties"]["KeySchema"]
        for k in changed if old["Resources"][k]["Type"] == "AWS::DynamoDB::Table"
    )


def test_one_logical_id_is_renamed(pair500):
    old, new = pair500
    _, added, removed = _differing(old, new)

    def body(resource):
        return {k: v for k, v in resource.items() if k != "Metadata"}

    def moved_down(before, after):
        """``after`` is the construct path ``before`` with one segment inserted."""
        o, n = before.split("/"), after.split("/")
        return any(n[:i] + n[i + 1:] == o for i in range(len(n)))

    renames = [
        (k_old, k_new) for k_old in removed for k_new in added
        if body(old["Resources"][k_old]) == body(new["Resources"][k_new])
        and moved_down(old["Resources"][k_old]["Metadata"]["aws:cdk:path"],
                       new["Resources"][k_new]["Metadata"]["aws:cdk:path"])
    ]
    assert len(renames) == 1
    (k_old, k_new), = renames
    # whatever referred to the old ID now refers to the new one
    assert k_old not in json.dumps(new)
    assert k_new in json.dumps({k: r for k, r in new["Resources"].items() if k != k_new})


def test_changes_are_spread_over_the_template(pair500):
    old, new = pair500
    changed, _, removed = _differing(old, new)
    order = list(old["Resources"])
    quarters = {order.index(k) * 4 // len(order) for k in changed + removed}
    assert quarters == {0, 1, 2, 3}


def test_every_resource_has_a_cdk_path(pair500):
    for template in pair500:
        for resource in template["Resources"].values():
            assert resource["Metadata"]["aws:cdk:path"].startswith("ShopStack/")


def test_500_resources_are_about_half_a_megabyte(pair500):
    old, _ = pair500
    text = to_json(old)
    assert 0.35e6 <= len(text.encode()) <= 0.7e6
    assert text.startswith('{\n "AWSTemplateFormatVersion"')  # indent=1, as cdk synth writes


SHORT_TAGS = [
    "!Ref", "!GetAtt", "!Sub", "!Join", "!If", "!Equals", "!FindInMap", "!Select", "!Split",
    "!ImportValue", "!Base64", "!GetAZs", "!Not", "!And", "!Or", "!Condition",
]


def test_yaml_uses_short_forms_and_round_trips(pair500):
    for template in pair500:
        text = to_yaml(template)
        assert "Fn::GetAtt" not in text and '"Ref"' not in text
        for tag in SHORT_TAGS:
            assert re.search(re.escape(tag) + r"\b", text), tag
        assert _load_yaml(text) == json.loads(to_json(template))


def test_yaml_keeps_lookalike_strings_quoted():
    data = {
        "Resources": {"A": {"Properties": {
            "Strings": ["1", "-1", "0.5", "true", "no", "on", "null", "~", "2012-10-17", "", "1e3", "0x1F"],
            "Numbers": [1, 0.5, True, None],
            "Att": {"Fn::GetAtt": ["B", "Endpoint.Address"]},
            "Nested": {"Fn::Base64": {"Fn::Sub": "${AWS::StackName}"}},
            "Zones": {"Fn::GetAZs": ""},
            "SubList": {"Fn::Sub": ["${X}-1", {"X": {"Ref": "B"}}]},
        }}},
    }
    text = to_yaml(data)
    assert "!GetAtt B.Endpoint.Address" in text
    assert _load_yaml(text) == data


def _targets(node):
    """Names a template fragment refers to via Ref, Fn::GetAtt, Fn::Sub and DependsOn."""
    if isinstance(node, list):
        for item in node:
            yield from _targets(item)
    elif isinstance(node, dict):
        if len(node) == 1:
            key, value = next(iter(node.items()))
            if key == "Ref":
                yield value
                return
            if key == "Fn::GetAtt":
                yield value[0] if isinstance(value, list) else value.split(".")[0]
                return
            if key == "Fn::Sub":
                text, variables = (value, {}) if isinstance(value, str) else value
                for name in re.findall(r"\$\{([^!}][^}]*)\}", text):
                    if name.split(".")[0] not in variables:
                        yield name.split(".")[0]
                yield from _targets(variables)
                return
        for key, value in node.items():
            if key == "DependsOn":
                yield from [value] if isinstance(value, str) else value
            else:
                yield from _targets(value)


def _conditions_used(node):
    if isinstance(node, list):
        for item in node:
            yield from _conditions_used(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "Condition" and isinstance(value, str):
                yield value
            elif key == "Fn::If":
                yield value[0]
                yield from _conditions_used(value[1:])
            else:
                yield from _conditions_used(value)


@pytest.mark.parametrize("n", [50, 500])
def test_references_resolve_within_each_template(n):
    for template in generate_pair(n, seed=11):
        known = set(template["Resources"]) | set(template["Parameters"])
        body = [template["Resources"], template["Outputs"], template["Conditions"]]
        targets = list(_targets(body))
        assert len([t for t in targets if t in template["Resources"]]) > n / 2  # densely linked
        dangling = {t for t in targets if t not in known and not t.startswith("AWS::")}
        assert not dangling
        assert set(_conditions_used(body)) <= set(template["Conditions"])


def test_write_pairs(tmp_path):
    paths = write_pairs(tmp_path, sizes=(20, 30))
    assert sorted(p.relative_to(tmp_path).as_posix() for p in paths) == [
        f"{n}/{label}.{ext}" for n in (20, 30) for label in ("new", "old") for ext in ("json", "yaml")
    ]
    old, new = generate_pair(20)
    assert json.loads((tmp_path / "20" / "new.json").read_text()) == new
    assert _load_yaml((tmp_path / "20" / "old.yaml").read_text()) == old
