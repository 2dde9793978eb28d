"""One severity vocabulary: every format gives a label, an action and a
finding severity the level impact/levels.py decides."""

import json
import re

from impact import levels

OLD = """\
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      DBInstanceClass: db.t3.small
      Engine: postgres
      DBName: app
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: alerts
  Gone:
    Type: AWS::SQS::Queue
"""
NEW = OLD.replace("db.t3.small", "db.t3.large").replace("TopicName: alerts", "TopicName: alerts-v2").replace(
    "  Gone:\n    Type: AWS::SQS::Queue\n", "")

TIER_OF = {"github": {"error": "error", "warning": "warning", "notice": "note"},
           "sarif": {"error": "error", "warning": "warning", "note": "note"}}


def test_the_table():
    assert levels.level("some-interruptions").github == "warning"
    assert levels.level("some-interruptions").sarif == "warning"
    assert [levels.sarif(k) for k in ("error", "warning", "info")] == ["error", "warning", "note"]
    assert [levels.github(k) for k in ("error", "warning", "info")] == ["error", "warning", "notice"]
    assert levels.github("no-interruption") is None and levels.sarif("added") is None
    assert levels.to_check("conditional") and not levels.to_check("info")


def test_github_and_sarif_agree_on_every_change(impact, write):
    old, new = write("old.yaml", OLD), write("new.yaml", NEW)
    gh = impact("diff", old, new, "--format", "github")
    sarif = impact("diff", old, new, "--format", "sarif").json()
    by_title = {}
    for line in gh.out.splitlines():
        m = re.match(r"::(\w+) .*title=([^:,]+)%3A ([^:,]+)::", line)
        by_title[(m.group(2), m.group(3))] = TIER_OF["github"][m.group(1)]
    results = {}
    for r in sarif["runs"][0]["results"]:
        p = r["properties"]
        key = (p["logicalId"], p.get("label") or r["ruleId"].split("/", 1)[1])
        results[key] = TIER_OF["sarif"][r["level"]]
    assert ("Db", "some-interruptions") in by_title, gh.out
    assert by_title[("Db", "some-interruptions")] == results[("Db", "some-interruptions")] == "warning"
    assert by_title[("Topic", "replacement")] == results[("Topic", "replacement")] == "error"
    assert by_title[("Gone", "removed")] == results[("Gone", "removed")] == "error"
    # Every rule's default level is the level of its label.
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
        kind, key = rule["id"].split("/", 1)
        if kind != "finding":
            assert rule["defaultConfiguration"]["level"] == levels.sarif(key), rule["id"]


def test_markdown_marks_are_the_vocabulary(impact, write):
    old, new = write("old.yaml", OLD), write("new.yaml", NEW)
    md = impact("diff", old, new, "--format", "md").out
    assert f"{levels.mark('some-interruptions')} some-interruptions" in md
    assert f"{levels.mark('replacement')} replacement" in md
    checklist = impact("diff", old, new, "--format", "checklist").out
    assert f"- [ ] {levels.mark('some-interruptions')} Confirm a brief interruption of `Db`" in checklist
