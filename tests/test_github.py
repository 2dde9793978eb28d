"""--format github: workflow-command annotations, escaped against hostile templates."""

import json
import re

from impact.model import Change, Finding, Report, ResourceDiff, StackDiff, Verdict
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
