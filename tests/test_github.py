"""--format github: workflow-command annotations, escaped against hostile templates."""

import json
import re

import pytest

from render_samples import HOSTILE, hostile_report, sample_report

from impact.model import Change, Finding, Report, ResourceDiff, StackDiff, Verdict
from impact.render import render as render_format
from impact.render.common import new_position
from impact.render.github import escape_data, escape_property, render

OLD = """\
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
      VisibilityTimeout: 30
      Tags:
        - Key: owner
          Value: a
  Gone:
    Type: AWS::SNS::Topic
"""
NEW = """\
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs-v2
      VisibilityTimeout: 60
      Tags:
        - Key: owner
          Value: b
"""
COMMAND = re.compile(r"^::(error|warning|notice)( [^:]*)?::[^\r\n]*$")


def annotations(text):
    lines = text.splitlines()
    assert all(COMMAND.match(line) for line in lines), text
    return lines


def test_one_annotation_per_change_at_its_line_in_the_new_template(impact, write):
    old, new = write("old.yaml", OLD), write("new.yaml", NEW)
    r = impact("diff", old, new, "--format", "github")
    assert r.code == 0, r
    lines = annotations(r.out)
    replacement = [line for line in lines if "QueueName" in line and "title=Queue%3A replacement" in line]
    assert replacement == [f'::error file={escape_property(str(new))},line=5,col=7,title=Queue%3A replacement::'
                           '/Properties/QueueName: "jobs" → "jobs-v2"']
    # The removed resource: at line 1 of the new template.
    assert any(line.startswith(f"::error file={escape_property(str(new))},line=1,col=1,title=Gone%3A removed::")
               for line in lines)
    # No-interruption changes (the tag, the timeout) are not annotated.
    assert not any("/Properties/Tags" in line or "VisibilityTimeout" in line for line in lines)


def test_hostile_values_cannot_start_a_workflow_command(impact, write):
    hostile = "x\n::error::pwned\r\n::add-mask::y 100% done, a:b"
    old = write("old.json", json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "a"}}}}))
    new = write("we,ird:name%.json", json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": hostile}}}}))
    r = impact("diff", old, new, "--format", "github")
    lines = annotations(r.out)
    (line,) = [line for line in lines if "title=Q%3A replacement" in line]
    assert line.startswith(f"::error file={escape_property(str(new))},line=1,") and "we%2Cird%3Aname%25.json" in line
    assert line.endswith('::/Properties/QueueName: "a" → "x\\n::error::pwned\\r\\n::add-mask::y 100%25 done, a:b"')


def test_escaping_rules():
    assert escape_data("100% a\r\nb") == "100%25 a%0D%0Ab"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("\x1b[31m") == "\\u001b[31m"


def change(path, label, kind="modify", position=(5, 7), ignored=None):
    return Change(path=path, kind=kind, before="a", after="b", verdict=Verdict(label=label), position=position, ignored=ignored)


def test_levels_skips_and_deleted_templates():
    rd = ResourceDiff("Q", "AWS::SQS::Queue", "modify", position=(2, 3), changes=[
        change("/Properties/A", "replacement"),
        change("/Properties/B", "conditional"),
        change("/Properties/C", "unknown"),
        change("/Properties/D", "some-interruptions"),
        change("/Properties/E", "no-interruption"),
        change("/Properties/F", "not-updatable", ignored="reviewed"),
        change("/Properties/G", "replacement", kind="remove", position=(40, 9)),  # a line in the old template
    ])
    added = ResourceDiff("New", "AWS::SNS::Topic", "add", position=(9, 3))
    findings = [
        Finding("type-change", "error", "Q", "m1", position=(2, 3)),
        Finding("note", "info", None, "m2\n::error::pwned"),
    ]
    stack = StackDiff("s", "old.yaml", "new.yaml", resources=[rd, added], findings=findings)
    lines = render(Report(stacks=[stack])).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::error", "::notice", "::error", "::warning", "::warning", "::warning", "::error",
    ]
    assert lines[1] == "::notice file=new.yaml,line=1,col=1,title=note::m2%0A::error::pwned"
    assert lines[-1].startswith("::error file=new.yaml,line=2,col=3,title=Q%3A replacement::/Properties/G")
    gone = StackDiff("s", "old.yaml", None, resources=[ResourceDiff("T", "AWS::SNS::Topic", "remove", position=(3, 3))])
    (line,) = render(Report(stacks=[gone])).splitlines()
    assert line.startswith("::error title=T%3A removed::old.yaml: AWS::SNS::Topic T is removed")


def test_nothing_to_annotate_is_empty():
    assert render(Report()) == ""


QUEUE = ResourceDiff("Q", "AWS::SQS::Queue", "modify", position=(2, 3))
GONE = ResourceDiff("G", "AWS::SNS::Topic", "remove", position=(40, 3))


@pytest.mark.parametrize("rd, position, in_old, want", [
    (QUEUE, (5, 7), False, (5, 7)),  # a change at its own line
    (QUEUE, (40, 9), True, (2, 3)),  # a removed property: its line is in the old template
    (QUEUE, None, False, (2, 3)),  # nothing of its own: at the resource
    (GONE, (40, 9), False, (1, 1)),  # a removed resource has no line in the new template
    (GONE, None, False, (1, 1)),
    (None, (7, 5), False, (7, 5)),  # not about a resource (an output)
    (None, None, False, (1, 1)),
    (ResourceDiff("N", "AWS::SNS::Topic", "modify"), None, False, (1, 1)),
])
def test_new_position(rd, position, in_old, want):
    assert new_position(rd, position, in_old) == want


def test_annotations_and_sarif_results_are_at_the_same_places():
    stack = StackDiff("s", "old.yaml", "new.yaml", resources=[
        ResourceDiff("Q", "AWS::SQS::Queue", "modify", position=(2, 3), changes=[
            change("/Properties/A", "replacement"),
            change("/Properties/G", "replacement", kind="remove", position=(40, 9)),
            change("/Properties/H", "conditional", position=None),
        ]),
        ResourceDiff("G", "AWS::SNS::Topic", "remove", position=(30, 3)),
    ], findings=[
        Finding("type-change", "error", "Q", "on a kept resource, with no line of its own"),
        Finding("stateful-replacement", "warning", "G", "on a removed one", position=(30, 3)),
        Finding("export-changed", "warning", None, "an output", position=(50, 5)),
    ])
    for report in (Report(stacks=[stack]), sample_report()):
        lines = render(report).splitlines()
        annotated = sorted(tuple(map(int, re.search(r"line=(\d+),col=(\d+)", line).groups())) for line in lines)
        results = json.loads(render_format(report, "sarif"))["runs"][0]["results"]
        located = sorted((r["locations"][0]["physicalLocation"]["region"]["startLine"],
                          r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in results)
        assert annotated == located
    assert annotated != [(1, 1)] * len(annotated)
    positions = [tuple(map(int, re.search(r"line=(\d+),col=(\d+)", line).groups()))
                 for line in render(Report(stacks=[stack])).splitlines()]
    assert positions == [(2, 3), (1, 1), (50, 5), (5, 7), (2, 3), (2, 3), (1, 1)]


def test_every_annotation_has_its_control_characters_made_visible():
    text = render(hostile_report())
    assert text and not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", text)
    assert "\\u001b[31mred\\u202e" in text
    gone = StackDiff("s", f"main:{HOSTILE}.yaml", None, resources=[ResourceDiff("T", "AWS::SNS::Topic", "remove")])
    (line,) = render(Report(stacks=[gone])).splitlines()
    assert line.startswith("::error title=T%3A removed::main:</details>") and "\\u202e" in line
