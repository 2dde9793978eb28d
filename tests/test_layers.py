"""Where the docs say a change replaces the resource and the registry schema
says it updates in place: the reviewed list rules/layers.json decides each
path, and a path no review covers is conditional, never the milder update.

Through the CLI on templates of our own, one per kind of decision; then the
list itself, checked against the table it settles."""

import os
import re
from pathlib import Path

import pytest
from conftest import REPO, resource

from impact import paths
from impact.build.schema import compare_layers
from impact.classify.labels import classify_property
from impact.classify.rules import REVIEWED, UNDECIDED, UNREVIEWED, RuleBook, review_of
from impact.model import CONDITIONAL, NO_INTERRUPTION, RULE_LABELS

RULES = REPO / "rules"

RECORD = """\
Resources:
  Zone:
    Type: AWS::Route53::HostedZone
    Properties:
      Name: example.com
  Api:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneId: !Ref Zone
      Name: api.example.com
      Type: CNAME
      TTL: "300"
      ResourceRecords: [origin.example.net]
"""

KEY = """\
Resources:
  Signing:
    Type: AWS::KMS::Key
    Properties:
      Description: release signing
      KeySpec: SYMMETRIC_DEFAULT
      KeyUsage: ENCRYPT_DECRYPT
"""

LUSTRE = """\
Resources:
  Scratch:
    Type: AWS::FSx::FileSystem
    Properties:
      FileSystemType: LUSTRE
      StorageCapacity: 1200
      SubnetIds: [subnet-0a1b2c3d]
      LustreConfiguration:
        DeploymentType: PERSISTENT_2
        PerUnitStorageThroughput: 125
"""


def sources_of(change):
    """(source name, label) of each verdict a JSON report gives for a change."""
    return {(v["source"].split("/")[0].split("-")[0], v["label"]) for v in change["rule"]["verdicts"]}


def test_a_renamed_record_set_is_replaced(stack):
    s = stack(RECORD, RECORD.replace("api.example.com", "www.example.com"))
    (change,) = resource(s, "Api")["changes"]
    assert change["path"] == "/Properties/Name" and change["impact"] == "replacement"
    # The schema's update is still shown beside the docs and the review.
    assert sources_of(change) == {("docs", "replacement"), ("schema", "no-interruption"), ("reviewed", "replacement")}
    assert change["rule"]["source"] == "reviewed/https://docs.aws.amazon.com/Route53/latest/APIReference/API_Change.html"
    assert resource(s, "Api")["action"] == "modify" and resource(s, "Api")["impact"] == "replacement"


def test_a_new_key_spec_or_key_usage_fails_the_update(stack, impact, write):
    new = KEY.replace("SYMMETRIC_DEFAULT", "RSA_2048").replace("ENCRYPT_DECRYPT", "SIGN_VERIFY")
    s = stack(KEY, new)
    by_path = {c["path"]: c for c in resource(s, "Signing")["changes"]}
    assert {p: c["impact"] for p, c in by_path.items()} == {
        "/Properties/KeySpec": "not-updatable",
        "/Properties/KeyUsage": "not-updatable",
    }
    assert "KMS has no call" in by_path["/Properties/KeySpec"]["rule"]["note"]
    findings = [f for f in s["findings"] if f["id"] == "not-updatable"]
    assert len(findings) == 2 and {f["severity"] for f in findings} == {"error"}
    # A description alone still updates in place.
    s = stack(KEY, KEY.replace("release signing", "artifact signing"))
    assert [c["impact"] for c in resource(s, "Signing")["changes"]] == ["no-interruption"]
    # The text report says the update fails, once per property, worst first.
    r = impact("diff", write("k0.yaml", KEY), write("k1.yaml", new))
    assert r.code == 0 and r.out.count("does not support updates, so the update fails") == 2, r


def test_fsx_a_new_lustre_deployment_type_replaces_the_file_system(stack):
    s = stack(LUSTRE, LUSTRE.replace("DeploymentType: PERSISTENT_2", "DeploymentType: PERSISTENT_1"))
    (change,) = resource(s, "Scratch")["changes"]
    assert change["impact"] == "replacement"
    assert ("reviewed", "replacement") in sources_of(change)
    # A file system holds data: the replacement is a finding of its own.
    assert "stateful-replacement" in {f["id"] for f in s["findings"]}


def test_an_undecided_path_is_conditional_and_shows_the_disagreement(stack, impact, write):
    # FSx gained a throughput update after the 2023 page said replacement;
    # nothing current says whether CloudFormation's handler uses it.
    new = LUSTRE.replace("PerUnitStorageThroughput: 125", "PerUnitStorageThroughput: 250")
    s = stack(LUSTRE, new)
    (change,) = resource(s, "Scratch")["changes"]
    assert change["impact"] == "conditional"
    assert sources_of(change) >= {("docs", "replacement"), ("schema", "no-interruption"), ("reviewed", "conditional")}
    r = impact("diff", write("o.yaml", LUSTRE), write("n.yaml", new))
    assert "sources differ: replacement (docs 2023-09-19); no-interruption (schema " in r.out, r
    assert "conditional (reviewed)" in r.out
    # The pull-request comment lists the disagreement once, in its notes.
    r = impact("diff", write("o.yaml", LUSTRE), write("n.yaml", new), "--format", "md")
    assert re.search(r"replacement \(docs 2023-09-19\); no-interruption \(schema [0-9-]+\); conditional \(reviewed\)", r.out), r


@pytest.mark.parametrize(
    "rtype, prop, before, after, expected",
    [
        # The port is changed in place, and the database restarts.
        ("AWS::RDS::DBInstance", "Port", "5432", "6432", "some-interruptions"),
        # Object Lock can be turned on in place, never off again: the values decide.
        ("AWS::S3::Bucket", "ObjectLockEnabled", "false", "true", "conditional"),
        # DataSync has updated its locations in place since 2025.
        ("AWS::DataSync::LocationEFS", "Subdirectory", "/a", "/b", "no-interruption"),
    ],
)
def test_each_reviewed_label_reaches_the_report(stack, rtype, prop, before, after, expected):
    template = f"Resources:\n  R:\n    Type: {rtype}\n    Properties:\n      {prop}: {{v}}\n"
    s = stack(template.format(v=before), template.format(v=after))
    (change,) = resource(s, "R")["changes"]
    assert change["impact"] == expected
    assert ("reviewed", expected) in sources_of(change) and change["rule"]["note"]


def _table_without(tmp_path, type_name, ptr):
    """A copy of the bundled table whose reviewed list lacks one entry."""
    table = tmp_path / "rules"
    table.mkdir()
    for entry in RULES.iterdir():
        if entry.name != "layers.json":
            os.symlink(entry, table / entry.name)
    layers = paths.read_json(RULES / "layers.json")
    del layers["paths"][type_name][ptr]
    from impact.build.rulesio import write_json

    write_json(table / "layers.json", layers)
    return table


def test_a_disagreement_no_review_covers_is_conditional_never_the_milder_update(tmp_path, impact, write):
    old = "Resources:\n  L:\n    Type: AWS::DataSync::LocationEFS\n    Properties:\n      Subdirectory: /a\n"
    new = old.replace("/a", "/b")
    table = _table_without(tmp_path, "AWS::DataSync::LocationEFS", "/Subdirectory")
    r = impact("diff", write("o.yaml", old), write("n.yaml", new), "--format", "json", env={"IMPACT_RULES_DIR": str(table)})
    (change,) = resource(r.json()["stacks"][0], "L")["changes"]
    assert change["impact"] == "conditional"
    assert "no review settles it" in change["rule"]["note"]
    assert sources_of(change) == {("docs", "replacement"), ("schema", "no-interruption")}  # and no review
    r = impact("rules", "show", "AWS::DataSync::LocationEFS", "Subdirectory", env={"IMPACT_RULES_DIR": str(table)})
    assert "effective: conditional" in r.out and "sources differ: replacement (docs" in r.out, r


# -- the list itself ----------------------------------------------------------


@pytest.fixture(scope="module")
def layers():
    return paths.read_json(RULES / "layers.json")


@pytest.fixture(scope="module")
def compared():
    return compare_layers(RULES / "docs", RULES / "schema")


def _entries(layers):
    for type_name, entry in layers["types"].items():
        yield type_name, None, entry
    for type_name, entries in layers["paths"].items():
        for ptr, entry in entries.items():
            yield type_name, ptr, entry


def test_every_review_has_a_label_a_reason_and_the_page_that_shows_it(layers):
    entries = list(_entries(layers))
    assert len(entries) > 150
    for type_name, ptr, entry in entries:
        where = f"{type_name} {ptr or '(whole type)'}"
        assert entry["label"] in RULE_LABELS, where
        assert isinstance(entry["reason"], str) and len(entry["reason"]) > 40, where
        # One sentence, not a copied paragraph.
        assert not re.search(r"[.!?] [A-Z]", entry["reason"]) and "\n" not in entry["reason"], where
        assert re.fullmatch(r"https://[^\s]+", entry["source"]), where
        assert set(entry) <= {"label", "reason", "source", "undecided"}, where
        if entry.get("undecided"):
            assert entry["label"] == CONDITIONAL, where
        if ptr is not None:
            assert ptr.startswith("/") and not ptr.endswith("/") and "*" not in ptr, where


def test_every_review_settles_a_disagreement_of_the_table(compared):
    # An entry the table no longer needs (the layers agree there now, or the
    # pointer is misspelt) is stale: `impact rules build` names it too.
    assert compared["stale"] == []


def test_every_disagreement_is_reviewed_or_conditional(compared, layers):
    """Counted from the data: a schema that adds a disagreement nobody
    reviewed makes it conditional, never a silent no-interruption."""
    book = RuleBook(RULES)
    settled = compared["settled"]
    assert len(settled) > 400
    counts: dict = {"unreviewed": 0}
    for type_name, ptr, decided, branch in settled:
        review = review_of(layers, type_name, ptr)
        assert branch == (UNREVIEWED if not review else UNDECIDED if review.get("undecided") else REVIEWED), (type_name, ptr)
        assert decided == (review["label"] if review else CONDITIONAL), (type_name, ptr)
        # The label a change there gets through the classifier is the same.
        keys = tuple(ptr.strip("/").split("/"))
        verdict = classify_property(book.for_type(type_name), keys)
        assert verdict.label == decided and verdict.disagreement, (type_name, ptr, verdict.label)
        if decided == NO_INTERRUPTION:
            assert review and review["label"] == NO_INTERRUPTION
        kind = "undecided" if review and review.get("undecided") else decided if review else "unreviewed"
        counts[kind] = counts.get(kind, 0) + 1
    # The documentation's account of the table says the same.
    readme = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    said = re.search(r"decides the (\d+) paths where the docs say replacement", readme)
    assert said and int(said.group(1)) == len(settled), said
    for kind, n in counts.items():
        assert f"{n} {kind}" in readme, (kind, n)
