"""Diffing: resource by resource, leaf by leaf, and no false alarms from formatting."""

import json

import pytest

from impact.diff.differ import diff_resources
from impact.load.loader import load_text
from impact.model import ADD, MODIFY, REMOVE


def diff(old_text, new_text, unordered=None):
    return diff_resources(load_text("old", old_text), load_text("new", new_text), unordered)


def changes_of(result, logical_id):
    (rd,) = [r for r in result if r.logical_id == logical_id]
    return {c.path: c for c in rd.changes}


PKG_OLD = """\
Resources:
  Pkg:
    Type: AWS::SageMaker::ModelPackage
    DependsOn: [B, A]
    Properties:
      ModelPackageDescription: v1
      InferenceSpecification:
        Containers:
          - Image: repo/img:1
            ModelDataUrl: s3://b/k
        SupportedContentTypes: [text/csv]
      Tags:
        - {Key: a, Value: "1"}
  Gone:
    Type: AWS::SNS::Topic
"""


def test_leaf_paths_kinds_and_values():
    new = PKG_OLD.replace("v1", "v2").replace("repo/img:1", "repo/img:2").replace("Value: \"1\"}", "Value: \"1\"}\n        - {Key: b, Value: \"2\"}")
    new = new.replace("  Gone:\n    Type: AWS::SNS::Topic\n", "  Fresh:\n    Type: AWS::SQS::Queue\n")
    result = diff(PKG_OLD, new)
    actions = {r.logical_id: r.action for r in result}
    assert actions == {"Pkg": MODIFY, "Fresh": ADD, "Gone": REMOVE}
    ch = changes_of(result, "Pkg")
    assert set(ch) == {
        "/Properties/ModelPackageDescription",
        "/Properties/InferenceSpecification/Containers/0/Image",
        "/Properties/Tags/1",
    }
    image = ch["/Properties/InferenceSpecification/Containers/0/Image"]
    assert (image.kind, image.before, image.after) == (MODIFY, "repo/img:1", "repo/img:2")
    tag = ch["/Properties/Tags/1"]
    assert (tag.kind, tag.before, tag.after) == (ADD, None, {"Key": "b", "Value": "2"})
    assert image.keys == ("Properties", "InferenceSpecification", "Containers", 0, "Image")


def test_removed_property_and_attributes_are_changes():
    old = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {DisplayName: x, TopicName: t}\n"
    new = (
        "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n"
        "    Condition: IsProd\n    DependsOn: Other\n    Metadata: {k: v}\n    UpdatePolicy: {x: y}\n"
        "    CreationPolicy: {ResourceSignal: {Count: 1}}\n    Properties: {DisplayName: x}\n"
    )
    ch = changes_of(diff(old, new), "T")
    assert ch["/Properties/TopicName"].kind == REMOVE and ch["/Properties/TopicName"].before == "t"
    for attr in ("DeletionPolicy", "UpdateReplacePolicy", "Condition", "DependsOn", "Metadata", "UpdatePolicy", "CreationPolicy"):
        assert f"/{attr}" in ch, attr
        assert ch[f"/{attr}"].kind == ADD


def test_json_pointer_escaping():
    old = 'Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment: {Variables: {"a/b~c": "1"}}\n'
    ch = changes_of(diff(old, old.replace('"1"', '"2"')), "F")
    assert list(ch) == ["/Properties/Environment/Variables/a~1b~0c"]


def test_type_change_is_recorded():
    old = "Resources:\n  R:\n    Type: AWS::SNS::Topic\n"
    (rd,) = diff(old, old.replace("SNS::Topic", "SQS::Queue"))
    assert rd.old_type == "AWS::SNS::Topic" and rd.type == "AWS::SQS::Queue"
    assert "/Type" in {c.path for c in rd.changes}


JSON_EQUIVALENT = json.dumps({
    "Resources": {
        "Pkg": {
            "Properties": {
                "Tags": [{"Value": 1, "Key": "a"}],
                "InferenceSpecification": {
                    "SupportedContentTypes": ["text/csv"],
                    "Containers": [{"ModelDataUrl": "s3://b/k", "Image": "repo/img:1"}],
                },
                "ModelPackageDescription": "v1",
            },
            "DependsOn": ["A", "B"],
            "Type": "AWS::SageMaker::ModelPackage",
        },
        "Gone": {"Type": "AWS::SNS::Topic"},
    }
}, indent=4)


@pytest.mark.parametrize(
    "old, new",
    [
        (PKG_OLD, JSON_EQUIVALENT),  # YAML vs JSON, reordered keys, 1 vs "1", DependsOn order
        (
            "Resources:\n  P:\n    Type: X::Y::Z\n    Properties: {A: !GetAtt B.Arn, N: 10, F: true}\n",
            '{"Resources": {"P": {"Type": "X::Y::Z", "Properties": {"A": {"Fn::GetAtt": ["B", "Arn"]}, "N": "10", "F": "true"}}}}',
        ),
        (
            "Resources:\n  P:\n    Type: X::Y::Z\n    DependsOn: A\n",
            "Resources:\n  P:\n    Type: X::Y::Z\n    DependsOn: [A]\n",
        ),
        ("Resources:\n  P:\n    Type: X::Y::Z\n", "Resources:\n  P:\n    Type: X::Y::Z\n    Properties: {}\n"),
        ("Resources:\n  P:\n    Type: X::Y::Z\n    Properties:\n", "Resources:\n  P:\n    Type: X::Y::Z\n    Properties: {}\n"),
    ],
)
def test_no_false_alarms_from_formatting(old, new):
    assert diff(old, new) == []
    assert diff(new, old) == []


def test_unordered_lists_compare_as_multisets():
    old = "Resources:\n  I:\n    Type: AWS::EC2::Instance\n    Properties: {SecurityGroupIds: [a, b, c], Order: [a, b]}\n"
    new = "Resources:\n  I:\n    Type: AWS::EC2::Instance\n    Properties: {SecurityGroupIds: [c, a, b], Order: [b, a]}\n"

    def unordered(rtype, keys):
        return rtype == "AWS::EC2::Instance" and keys == ("SecurityGroupIds",)

    ch = changes_of(diff(old, new, unordered), "I")
    assert all(p.startswith("/Properties/Order") for p in ch), ch
    assert diff(old, new.replace("Order: [b, a]", "Order: [a, b]"), unordered) == []
    # A real change to an unordered list is still reported.
    grown = diff(old, new.replace("[c, a, b]", "[c, a, b, d]").replace("[b, a]", "[a, b]"), unordered)
    (c,) = grown[0].changes
    assert c.kind == ADD and c.after == "d"


def test_change_positions_point_at_the_new_template_or_old_for_removals():
    old = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: a\n      TopicName: t\n"
    new = "Resources:\n\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: b\n"
    ch = changes_of(diff(old, new), "T")
    assert ch["/Properties/DisplayName"].position == (6, 7)
    assert ch["/Properties/TopicName"].position == (6, 7)  # line 6 of the old template


def test_depends_on_that_is_not_a_list_of_names_is_compared_as_written():
    old = "Resources:\n  P:\n    Type: X::Y::Z\n    DependsOn: [[]]\n"
    assert diff(old, old) == []
    (rd,) = diff(old, old.replace("[[]]", "[[a]]"))
    assert [c.path for c in rd.changes] == ["/DependsOn/0/0"]
