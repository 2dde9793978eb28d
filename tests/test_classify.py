"""Classifying: the most disruptive label on the path, from every source, or unknown."""

import pytest

from impact import paths
from impact.build import rulesio
from impact.classify.labels import classify_change
from impact.diff.differ import diff_resources
from impact.load.loader import load_text
from impact.classify.labels import classify_resources
from impact.classify.rules import RuleBook

DOCS = {
    "type": "Test::Svc::Thing",
    "source": "docs-2023-09-19",
    "page": "thing.md",
    "properties": {
        "Name": {"label": "replacement", "source": "docs-2023-09-19/thing.md", "type": "String"},
        "Config": {"label": "no-interruption", "source": "docs-2023-09-19/thing.md", "type": "Config", "ref": "cfg"},
        "Size": {"label": "some-interruptions", "source": "docs-2023-09-19/thing.md", "type": "Integer"},
        "Mode": {"label": "conditional", "note": "only when shrinking", "source": "docs-2023-09-19/thing.md", "type": "String"},
        "Frozen": {"label": "not-updatable", "source": "docs-2023-09-19/thing.md", "type": "String"},
        "Env": {"label": "no-interruption", "source": "docs-2023-09-19/thing.md", "type": "Map of String"},
        "Items": {"label": "no-interruption", "source": "docs-2023-09-19/thing.md", "type": "List of Item", "ref": "item"},
    },
    "property_types": {
        "cfg": {
            "Kind": {"label": "replacement", "source": "docs-2023-09-19/cfg.md", "type": "String"},
            "Port": {"label": "no-interruption", "source": "docs-2023-09-19/cfg.md", "type": "Integer"},
        },
        "item": {"Id": {"label": "no-interruption", "source": "docs-2023-09-19/item.md", "type": "String"}},
    },
}
SCHEMA = {
    "type": "Test::Svc::Thing",
    "source": "schema-2026-10-20/thing.json",
    "updatable": True,
    "properties": {
        "Name": {}, "Config": {"ref": "Cfg"}, "Size": {}, "Mode": {}, "Frozen": {}, "Env": {},
        "Items": {"array": True, "ref": "Item"}, "NewProp": {}, "Arn": {},
    },
    "definitions": {"Cfg": {"Kind": {}, "Port": {}}, "Item": {"Id": {}}},
    "create_only": ["/Config/Kind", "/Config/Port", "/Name"],
    "conditional_create_only": ["/Size"],
    "read_only": ["/Arn"],
    "tag_property": None,
}


@pytest.fixture
def book(tmp_path):
    rulesio.write_json(tmp_path / "docs" / "Test-Svc-Thing.json", DOCS)
    rulesio.write_json(tmp_path / "schema" / "Test-Svc-Thing.json", SCHEMA)
    rulesio.write_json(tmp_path / "attributes.json", paths.read_json(paths.rules_dir() / "attributes.json"))
    return RuleBook(tmp_path)


def label(book, *keys, before="a", after="b", rtype="Test::Svc::Thing"):
    return classify_change(book, rtype, ("Properties",) + keys, before, after)


def test_a_replacement_property_is_a_replacement(book):
    v = label(book, "Name")
    assert v.label == "replacement" and v.source.startswith("docs-2023-09-19/thing.md")


def test_a_replacement_sub_property_inside_a_no_interruption_property(book):
    assert label(book, "Config", "Kind").label == "replacement"


def test_the_schema_can_raise_a_label(book):
    # docs say no-interruption, the schema's create-only pointer says replacement
    v = label(book, "Config", "Port")
    assert v.label == "replacement"
    assert v.disagreement


def _docs_replace_schema_updates(tmp_path, layers=None, **schema):
    """A table where the docs say Config/Kind replaces and a schema with an
    update handler does not list it as create-only, with ``layers`` as its
    reviewed list."""
    rulesio.write_json(tmp_path / "docs" / "Test-Svc-Thing.json", DOCS)
    rulesio.write_json(tmp_path / "schema" / "Test-Svc-Thing.json", dict(SCHEMA, create_only=["/Config/Port", "/Name"], **schema))
    rulesio.write_json(tmp_path / "attributes.json", paths.read_json(paths.rules_dir() / "attributes.json"))
    if layers is not None:
        rulesio.write_json(tmp_path / "layers.json", layers)
    return RuleBook(tmp_path)


def test_docs_replacement_against_schema_update_is_conditional_until_reviewed(tmp_path):
    # Neither source alone: the milder update is never the answer.
    v = label(_docs_replace_schema_updates(tmp_path), "Config", "Kind")
    assert v.label == "conditional" and v.disagreement
    assert "no review settles it" in v.note
    assert {(s.source.split("/")[0], s.label) for s in v.sources} >= {("docs-2023-09-19", "replacement"), ("schema-2026-10-20", "no-interruption")}
    # Without an update handler every change replaces: no disagreement to settle.
    book = _docs_replace_schema_updates(tmp_path, updatable=False)
    assert label(book, "Config", "Kind").label == "replacement"


@pytest.mark.parametrize("decided", ["no-interruption", "not-updatable", "replacement", "some-interruptions"])
def test_a_reviewed_path_takes_its_reviewed_label_with_its_reason(tmp_path, decided):
    entry = {"label": decided, "reason": "the service cannot change it.", "source": "https://example.com/page.html"}
    book = _docs_replace_schema_updates(tmp_path, {"paths": {"Test::Svc::Thing": {"/Config": entry}}, "types": {}})
    # The entry covers what lies below its pointer.
    v = label(book, "Config", "Kind")
    assert v.label == decided and v.disagreement and v.note == "the service cannot change it."
    assert v.source == "reviewed/https://example.com/page.html"
    assert ("reviewed/https://example.com/page.html", decided, "/Config") in {(s.source, s.label, s.path) for s in v.sources}
    # A path the sources agree on keeps its own label: Config/Port is create-only in both.
    assert label(book, "Config", "Port").label == "replacement"


def test_a_reviewed_type_keeps_the_docs_replacement_everywhere_a_path_entry_does_not_say_otherwise(tmp_path):
    kind = {"label": "no-interruption", "reason": "in place.", "source": "https://example.com/kind.html"}
    whole = {"label": "replacement", "reason": "the docs are right.", "source": "https://example.com/type.html"}
    book = _docs_replace_schema_updates(tmp_path, {"paths": {}, "types": {"Test::Svc::Thing": whole}})
    assert label(book, "Config", "Kind").label == "replacement"
    book = _docs_replace_schema_updates(tmp_path, {"paths": {"Test::Svc::Thing": {"/Config/Kind": kind}}, "types": {"Test::Svc::Thing": whole}})
    assert label(book, "Config", "Kind").label == "no-interruption"


def test_docs_some_interruptions_stays_when_schema_only_says_updatable(book):
    # Size is conditional create-only in the schema: the most disruptive wins
    assert label(book, "Size").label == "conditional"


def test_conditional_keeps_its_note(book):
    v = label(book, "Mode")
    assert v.label == "conditional" and "only when shrinking" in v.note


def test_not_updatable(book):
    assert label(book, "Frozen").label == "not-updatable"


def test_list_indices_do_not_take_part(book):
    assert label(book, "Items", 3, "Id").label == "no-interruption"


def test_map_values_are_covered_by_their_property(book):
    assert label(book, "Env", "ANY_KEY").label == "no-interruption"


def test_intrinsic_functions_do_not_take_part(book):
    assert label(book, "Config", "Fn::If", 1, "Kind").label == "replacement"
    assert label(book, "Name", "Fn::Sub").label == "replacement"
    # Keys inside a function's arguments are not properties: a Fn::Sub variable map.
    assert label(book, "Config", "Fn::Sub", 1, "Kind").label == "no-interruption"
    v = label(book, "Config", before=None, after={"Fn::Sub": ["${Kind}", {"Kind": "x"}]})
    assert v.label == "no-interruption"
    v = label(book, "Config", before=None, after={"Fn::If": ["C", {"Kind": "x"}, {"Port": "1"}]})
    assert v.label == "replacement"


def test_a_property_only_the_schema_knows(book):
    assert label(book, "NewProp").label == "no-interruption"


def test_an_unknown_property_is_unknown(book):
    v = label(book, "Typo")
    assert v.label == "unknown" and "no rule" in v.note
    # ...but a replacement above it still wins
    assert label(book, "Config", "Typo").label == "unknown"


def test_read_only_property_is_reported_as_such(book):
    v = label(book, "Arn")
    assert v.label == "unknown" and "read-only" in v.note


def test_adding_a_whole_object_looks_inside_it(book):
    v = label(book, "Config", before=None, after={"Port": "80"})
    assert v.label == "replacement"
    v = label(book, "Config", before=None, after={"Kind": "x"})
    assert v.label == "replacement"


@pytest.mark.parametrize("rtype", ["Custom::Thing", "AWS::Nope::Typo", "Acme::Private::Thing", "AWS::Serverless::Function"])
def test_unknown_types_are_unknown(book, rtype):
    v = label(book, "Anything", rtype=rtype)
    assert v.label == "unknown"
    assert rtype in v.note


@pytest.mark.parametrize(
    "attr, expected",
    [("DeletionPolicy", "no-interruption"), ("Condition", "conditional"), ("Metadata", "no-interruption"),
     ("DependsOn", "none"), ("UpdatePolicy", "no-interruption"), ("Type", "not-updatable"),
     ("Version", "no-interruption")],
)
def test_resource_attributes(book, attr, expected):
    v = classify_change(book, "Test::Svc::Thing", (attr,), "a", "b")
    assert v.label == expected and v.source


# Against the bundled table.


def classify_pair(old, new):
    resources = diff_resources(load_text("old", old), load_text("new", new))
    classify_resources(RuleBook(), resources)
    return {(r.logical_id, c.path): c.impact for r in resources for c in r.changes}


def test_bundled_route53_health_check_type_is_replacement():
    old = "Resources:\n  H:\n    Type: AWS::Route53::HealthCheck\n    Properties:\n      HealthCheckConfig: {Type: HTTPS, RequestInterval: 30}\n"
    new = old.replace("HTTPS", "HTTP").replace("30", "10")
    labels = classify_pair(old, new)
    assert labels[("H", "/Properties/HealthCheckConfig/Type")] == "replacement"
    assert labels[("H", "/Properties/HealthCheckConfig/RequestInterval")] != "unknown"


def test_bundled_seed_type():
    old = "Resources:\n  P:\n    Type: AWS::SageMaker::ModelPackage\n    Properties: {ModelPackageDescription: a, ModelApprovalStatus: Approved}\n"
    new = old.replace("a,", "b,").replace("Approved", "Rejected")
    labels = classify_pair(old, new)
    assert labels[("P", "/Properties/ModelPackageDescription")] == "replacement"
    assert labels[("P", "/Properties/ModelApprovalStatus")] == "no-interruption"


def test_bundled_unknown_type_is_labelled_unknown_not_dropped():
    old = "Resources:\n  C:\n    Type: Custom::Thing\n    Properties: {ServiceToken: arn, Size: 1}\n"
    labels = classify_pair(old, old.replace("1}", "2}"))
    assert labels == {("C", "/Properties/Size"): "unknown"}
