import importlib.util
import json
import os
from pathlib import Path

import pytest

from impact.classify.rules import REVIEWED, UNDECIDED, UNREVIEWED
from impact.build.schema import BuildError, build_schema_layer, compare_layers, find_schema_dir, schema_date, schema_facts, schema_verdict
from impact.build.rulesio import write_json
from impact.paths import read_json

TABLE = Path(__file__).resolve().parents[1] / "rules" / "schema"
needs_cfnlint = pytest.mark.skipif(importlib.util.find_spec("cfnlint") is None, reason="cfn-lint not installed")

CLUSTER = {
    "typeName": "AWS::Test::Cluster",
    "properties": {
        "Name": {"type": "string"},
        "Nodes": {"$ref": "#/definitions/Nodes", "description": "siblings of $ref are allowed"},
        "Subnets": {"type": "array", "insertionOrder": False, "items": {"type": "string"}},
        "Steps": {"type": "array", "items": {"$ref": "#/definitions/Step"}},
        "Ordered": {"type": "array", "insertionOrder": True, "items": {"type": "string"}},
        "Settings": {"type": "object", "properties": {"Mode": {"type": "string"}, "Limits": {
            "type": "object", "properties": {"Max": {"type": "integer"}}}}},
        "Target": {"oneOf": [{"$ref": "#/definitions/Queue"}, {"$ref": "#/definitions/Topic"}]},
        "Level": {"allOf": [{"$ref": "#/definitions/Nodes"}, {"default": 1}]},
        "Labels": {"type": "object", "patternProperties": {".*": {"type": "string"}}},
        "Tags": {"type": "array", "insertionOrder": False, "items": {"$ref": "#/definitions/Tag"}},
        "Arn": {"type": "string"},
    },
    "definitions": {
        "Nodes": {"type": "object", "properties": {
            "Subnets": {"type": "array", "items": {"type": "string"}},
            "Size": {"type": "string"},
            "Parent": {"$ref": "#/definitions/Nodes"},
        }},
        "Step": {"type": "object", "properties": {"Name": {"type": "string"}}},
        "Queue": {"type": "object", "properties": {"QueueArn": {"type": "string"}, "Name": {"type": "string"}}},
        "Topic": {"type": "object", "properties": {"TopicArn": {"type": "string"}, "Name": {"type": "integer"}}},
        "Unused": {"type": "object", "properties": {"X": {"type": "string"}}},
        "Tag": {"type": "object", "properties": {"Key": {"type": "string"}, "Value": {"type": "string"}}},
    },
    "createOnlyProperties": ["/properties/Nodes/Subnets", "/properties/Steps/*/Name", "/properties/Name",
                             "/properties/Name"],
    "conditionalCreateOnlyProperties": ["/properties/Settings/Mode"],
    "readOnlyProperties": ["/properties/Arn"],
    "handlers": {"create": {}, "read": {}, "update": {}, "delete": {}},
    "tagging": {"taggable": True, "tagProperty": "/properties/Tags"},
}


def test_schema_facts_nodes_and_pointers():
    facts = schema_facts(CLUSTER)
    props, defs = facts["properties"], facts["definitions"]
    assert facts["type"] == "AWS::Test::Cluster"
    assert props["Name"] == {}
    assert props["Nodes"] == {"ref": "Nodes"}
    assert props["Subnets"] == {"array": True, "insertion_order": False}
    assert props["Steps"] == {"array": True, "ref": "Step"}
    assert props["Ordered"] == {"array": True}
    assert props["Labels"] == {}
    assert props["Tags"] == {"array": True, "insertion_order": False, "ref": "Tag"}
    assert props["Level"] == {"ref": "Nodes"}  # allOf with one object alternative keeps its name
    assert defs["Nodes"] == {"Subnets": {"array": True}, "Size": {}, "Parent": {"ref": "Nodes"}}
    assert "Unused" not in defs  # only definitions reachable from the properties
    assert facts["create_only"] == ["/Name", "/Nodes/Subnets", "/Steps/Name"]
    assert facts["conditional_create_only"] == ["/Settings/Mode"]
    assert facts["read_only"] == ["/Arn"]
    assert facts["updatable"] is True
    assert facts["tag_property"] == "/Tags"


def test_schema_facts_inline_objects_get_synthetic_definitions():
    facts = schema_facts(CLUSTER)
    assert facts["properties"]["Settings"] == {"ref": "Cluster.Settings"}
    assert facts["definitions"]["Cluster.Settings"] == {"Mode": {}, "Limits": {"ref": "Cluster.Settings.Limits"}}
    assert facts["definitions"]["Cluster.Settings.Limits"] == {"Max": {}}


def test_schema_facts_merges_combinator_alternatives():
    facts = schema_facts(CLUSTER)
    assert facts["properties"]["Target"] == {"ref": "Cluster.Target"}
    assert facts["definitions"]["Cluster.Target"] == {"QueueArn": {}, "TopicArn": {}, "Name": {}}


def test_schema_facts_definition_of_alternatives_keeps_its_name():
    schema = {
        "typeName": "AWS::Test::Thing",
        "properties": {"Items": {"type": "array", "items": {"$ref": "#/definitions/Item"}}},
        "definitions": {
            "Item": {"oneOf": [{"$ref": "#/definitions/A"}, {"properties": {"B": {"type": "string"}}}]},
            "A": {"properties": {"A": {"type": "string"}}},
        },
    }
    facts = schema_facts(schema)
    assert facts["properties"]["Items"] == {"array": True, "ref": "Item"}
    assert facts["definitions"] == {"Item": {"A": {}, "B": {}}}


def test_schema_facts_handlers_and_tagging():
    base = {"typeName": "AWS::Test::Key", "properties": {"Value": {"type": "string"}}}
    no_update = schema_facts(dict(base, handlers={"create": {}, "read": {}, "delete": {}}))
    assert no_update["updatable"] is False
    no_handlers = schema_facts(base)
    assert no_handlers["updatable"] is True
    assert no_handlers["tag_property"] is None
    nested = schema_facts(dict(base, tagging={"tagProperty": "/properties/TagSpecifications/*/Tags"}))
    assert nested["tag_property"] == "/TagSpecifications/Tags"


def test_schema_verdict():
    facts = schema_facts(CLUSTER)
    assert schema_verdict(facts, "/Nodes/Subnets") == "replacement"
    assert schema_verdict(facts, "/Steps/Name") == "replacement"
    assert schema_verdict(facts, "/Nodes/Size") == "no-interruption"
    assert schema_verdict(facts, "/Nodes") == "no-interruption"
    assert schema_verdict(facts, "/Settings/Mode") == "conditional"
    assert schema_verdict(facts, "/Arn") == "read-only"
    assert schema_verdict(dict(facts, updatable=False), "/Nodes/Size") == "replacement"


def _fake_new_layout(root: Path, with_version: bool = True) -> Path:
    folder = root / "cfnlint" / "data" / "schemas"
    write_json(folder / "providers" / "us-east-1.json", {"AWS::Test::Cluster": "abc123", "AWS::Test::Key": "def456"})
    write_json(folder / "resources" / "abc123.json", CLUSTER)
    write_json(folder / "resources" / "def456.json", {"typeName": "AWS::Test::Key", "properties": {"V": {}}})
    if with_version:
        write_json(folder / "version.json", {"schema_date": "2026-10-20T22:11:15Z"})
    return folder


def test_build_new_layout(tmp_path):
    folder = _fake_new_layout(tmp_path)
    out = tmp_path / "out"
    write_json(out / "AWS-Gone-Type.json", {"type": "AWS::Gone::Type"})
    meta = build_schema_layer(out, folder)
    assert sorted(p.name for p in out.iterdir()) == ["AWS-Test-Cluster.json", "AWS-Test-Key.json", "_meta.json"]
    cluster = read_json(out / "AWS-Test-Cluster.json")
    assert cluster["source"] == "schema-2026-10-20/AWS::Test::Cluster"
    assert cluster["create_only"] == ["/Name", "/Nodes/Subnets", "/Steps/Name"]
    # Cluster: 11 properties + Nodes 3, Step 1, Tag 2, Cluster.Target 3, Cluster.Settings 2, its Limits 1; Key: 1
    expected = {"source": "schema-2026-10-20", "cfn_lint": "unknown", "schema_date": "2026-10-20T22:11:15Z",
                "types": 2, "rules": 24}
    assert read_json(out / "_meta.json") == expected
    assert meta["seconds"] >= 0 and {k: meta[k] for k in expected} == expected


def test_build_old_layout(tmp_path):
    folder = tmp_path / "schemas"
    per_type = folder / "providers" / "us_east_1"
    write_json(per_type / "aws-test-cluster.json", CLUSTER)
    (per_type / "__init__.py").write_text("")
    stamp = 1_700_000_000  # 2023-11-14 UTC
    os.utime(per_type / "aws-test-cluster.json", (stamp, stamp))
    meta = build_schema_layer(tmp_path / "out", folder)
    assert meta["types"] == 1 and meta["schema_date"] == "2023-11-14"
    assert read_json(tmp_path / "out" / "AWS-Test-Cluster.json")["source"] == "schema-2023-11-14/AWS::Test::Cluster"


def test_schema_date_fallbacks(tmp_path):
    assert schema_date(tmp_path) == "unknown"
    folder = _fake_new_layout(tmp_path, with_version=False)
    for f in folder.rglob("*.json"):
        os.utime(f, (1_700_000_000, 1_700_000_000))
    assert schema_date(folder) == "2023-11-14"


def test_build_without_schemas_fails(tmp_path):
    with pytest.raises(BuildError):
        build_schema_layer(tmp_path / "out", tmp_path)


def test_find_schema_dir_without_cfnlint(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(BuildError, match="cfn-lint is not installed"):
        find_schema_dir()


def _rule(label, ref=None):
    rule = {"label": label, "source": "docs-test/page.md", "required": False, "type": "String"}
    return dict(rule, ref=ref) if ref else rule


def test_compare_layers(tmp_path):
    docs, schema = tmp_path / "docs", tmp_path / "schema"
    write_json(schema / "AWS-Test-Cluster.json", dict(schema_facts(CLUSTER), source="schema-x/abc.json"))
    write_json(docs / "AWS-Test-Cluster.json", {
        "type": "AWS::Test::Cluster",
        "source": "docs-test",
        "page": "page.md",
        "properties": {
            "Name": _rule("not-updatable"),  # schema: replacement, compatible
            "Nodes": _rule("some-interruptions", "aws-properties-nodes"),  # schema: no-interruption, compatible
            "Settings": _rule("no-interruption", "aws-properties-settings"),
            "Arn": _rule("no-interruption"),  # schema: read-only
            "Steps": _rule("replacement", "aws-properties-step"),  # schema: only Steps/Name is create-only
            "DocsOnly": _rule("replacement"),  # not in the schema: not compared
        },
        "property_types": {
            "aws-properties-nodes": {
                "Subnets": _rule("no-interruption"),  # schema: replacement, docs: some-interruptions from Nodes
                "Size": _rule("no-interruption"),
                "Parent": _rule("no-interruption", "aws-properties-nodes"),  # recursive
            },
            "aws-properties-settings": {"Mode": _rule("conditional"), "Limits": _rule("no-interruption")},
            "aws-properties-step": {"Name": _rule("no-interruption")},  # replacement inherited from Steps
        },
    })
    write_json(docs / "AWS-Docs-Only.json", {"type": "AWS::Docs::Only", "properties": {"X": _rule("replacement")}})
    write_json(docs / "_meta.json", {"source": "docs-test"})
    result = compare_layers(docs, schema)
    assert result["examples"] == [
        ("AWS::Test::Cluster", "/Arn", "no-interruption", "read-only"),
        ("AWS::Test::Cluster", "/Nodes/Subnets", "some-interruptions", "replacement"),
        ("AWS::Test::Cluster", "/Steps", "replacement", "no-interruption"),
    ]
    assert result["disagree"] == 3
    # Arn, Name, Nodes, Settings, Steps; Nodes/{Parent,Size,Subnets} (Parent is not entered again);
    # Settings/{Limits,Mode}; Steps/Name
    assert result["compared"] == 5 + 3 + 2 + 1
    # Docs' replacement against the schema's update, with no review: conditional.
    assert result["settled"] == [("AWS::Test::Cluster", "/Steps", "conditional", UNREVIEWED)]
    # A review beside the layers settles it; an entry that settles nothing is stale.
    entry = {"label": "no-interruption", "reason": "updated in place", "source": "https://example.com"}
    write_json(tmp_path / "layers.json", {"paths": {"AWS::Test::Cluster": {"/Steps": entry, "/Gone": entry}}, "types": {}})
    result = compare_layers(docs, schema)
    assert result["settled"] == [("AWS::Test::Cluster", "/Steps", "no-interruption", REVIEWED)]
    assert result["stale"] == [("AWS::Test::Cluster", "/Gone")]
    undecided = dict(entry, label="conditional", undecided=True)
    write_json(tmp_path / "layers.json", {"paths": {"AWS::Test::Cluster": {"/Steps": undecided}}, "types": {}})
    assert compare_layers(docs, schema)["settled"] == [("AWS::Test::Cluster", "/Steps", "conditional", UNDECIDED)]


@needs_cfnlint
def test_find_schema_dir():
    folder, version, date = find_schema_dir()
    assert (folder / "providers").is_dir()
    assert version[0].isdigit() and date


def _table(type_name):
    return read_json(TABLE / (type_name.replace("::", "-") + ".json"))


def test_committed_table_covers_every_type():
    files = [p for p in TABLE.glob("*.json") if p.name != "_meta.json"]
    assert len(files) > 1800
    meta = read_json(TABLE / "_meta.json")
    assert meta["types"] == len(files) and meta["source"].startswith("schema-")
    for path in files:
        facts = json.loads(path.read_text(encoding="utf-8"))
        assert {"type", "source", "updatable"} <= facts.keys(), path.name
        assert facts["source"].startswith(meta["source"] + "/")


def test_committed_table_facts():
    msk = _table("AWS::MSK::Cluster")
    assert "/BrokerNodeGroupInfo/ClientSubnets" in msk["create_only"]
    assert "/BrokerNodeGroupInfo/InstanceType" not in msk["create_only"]
    assert msk["properties"]["BrokerNodeGroupInfo"] == {"ref": "BrokerNodeGroupInfo"}
    instance = _table("AWS::EC2::Instance")
    assert "/InstanceType" in instance["conditional_create_only"]
    assert instance["properties"]["SecurityGroupIds"] == {"array": True, "insertion_order": False}
    assert _table("AWS::IAM::Role")["properties"]["ManagedPolicyArns"] == {"array": True, "insertion_order": False}


def test_schema_facts_nested_and_recursive_arrays():
    schema = {
        "typeName": "AWS::Test::Grid",
        "properties": {
            "Rows": {"type": "array", "items": {"type": "array", "items": {"$ref": "#/definitions/Cell"}}},
            "Loop": {"$ref": "#/definitions/Loop"},
        },
        "definitions": {
            "Cell": {"properties": {"V": {"type": "string"}}},
            "Loop": {"type": "array", "insertionOrder": False, "items": {"$ref": "#/definitions/Loop"}},
        },
    }
    facts = schema_facts(schema)
    assert facts["properties"]["Rows"] == {"array": True, "ref": "Cell"}
    assert facts["properties"]["Loop"] == {"array": True, "insertion_order": False}
