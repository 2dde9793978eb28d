"""The sections other than Resources: diffed entry by entry, reported in every format."""

from textwrap import dedent

from impact.load.loader import load_text
from impact.diff.sections import diff_sections, path_keys

OLD = dedent(
    """\
    AWSTemplateFormatVersion: "2010-09-09"
    Description: the old stack
    Transform: AWS::Serverless-2016-10-31
    Metadata:
      Owner: team-a
      Stable: yes
    Parameters:
      Env: {Type: String, Default: dev}
      Gone: {Type: String}
    Rules:
      ProdOnly:
        Assertions:
          - Assert: !Equals [!Ref Env, prod]
    Mappings:
      Sizes:
        dev: {memory: "128"}
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
    Resources:
      Topic:
        Type: AWS::SNS::Topic
    Outputs:
      Name:
        Value: !GetAtt Topic.TopicName
      Old:
        Value: x
    """
)

NEW = dedent(
    """\
    AWSTemplateFormatVersion: "2010-09-09"
    Description: the new stack
    Transform: [AWS::Serverless-2016-10-31]
    Metadata:
      Owner: team-b
      Stable: yes
    Parameters:
      Env: {Type: String, Default: prod}
      Added: {Type: Number, Default: 1}
    Rules:
      ProdOnly:
        Assertions:
          - Assert: !Equals [!Ref Env, production]
    Mappings:
      Sizes:
        dev: {memory: "256"}
        prod: {memory: "1024"}
    Conditions:
      IsProd: !Equals [!Ref Env, production]
    Resources:
      Topic:
        Type: AWS::SNS::Topic
    Outputs:
      Name:
        Value: !Ref Topic
      New:
        Value: y
    """
)

EXPECTED = [
    ("Description", None, "", "modify", "the old stack", "the new stack"),
    ("Metadata", "Owner", "", "modify", "team-a", "team-b"),
    ("Parameters", "Env", "/Default", "modify", "dev", "prod"),
    ("Parameters", "Added", "", "add", None, {"Type": "Number", "Default": 1}),  # through SAM's translator, as written
    ("Parameters", "Gone", "", "remove", {"Type": "String"}, None),
    ("Rules", "ProdOnly", "/Assertions/0/Assert/Fn::Equals/1", "modify", "prod", "production"),
    ("Mappings", "Sizes", "/dev/memory", "modify", "128", "256"),
    ("Mappings", "Sizes", "/prod", "add", None, {"memory": "1024"}),
    ("Conditions", "IsProd", "/Fn::Equals/1", "modify", "prod", "production"),
    ("Outputs", "Name", "/Value/Fn::GetAtt", "remove", ["Topic", "TopicName"], None),
    ("Outputs", "Name", "/Value/Ref", "add", None, "Topic"),
    ("Outputs", "New", "", "add", None, {"Value": "y"}),
    ("Outputs", "Old", "", "remove", {"Value": "x"}, None),
]


def as_tuples(sections):
    return [(s["section"], s["name"], s["path"], s["kind"], s["before"], s["after"]) for s in sections]


def test_every_section_in_the_json(impact, write):
    r = impact("diff", write("old.yaml", OLD), write("new.yaml", NEW), "--format", "json")
    assert r.code == 0, r
    stack = r.json()["stacks"][0]
    assert as_tuples(stack["sections"]) == EXPECTED
    assert stack["resources"] == []


def test_sections_in_text_and_markdown(impact, write):
    old, new = write("old.yaml", OLD), write("new.yaml", NEW)
    for fmt in ("text", "md"):
        out = impact("diff", old, new, "--format", fmt).out
        for name in ("Parameters", "Mappings", "Outputs", "Conditions", "Description"):
            assert name in out, (fmt, name)


def test_transform_named_alone_or_in_a_list_is_the_same():
    old = load_text("old.yaml", "Transform: X\nResources: {}\n")
    assert diff_sections(old, load_text("new.yaml", "Transform: [X]\nResources: {}\n")) == []
    (change,) = diff_sections(old, load_text("new.yaml", "Transform: [X, Y]\nResources: {}\n"))
    assert (change.section, change.name, change.path, change.kind, change.after) == ("Transform", None, "/1", "add", "Y")


def test_whole_sections_added_and_removed():
    old = load_text("old.yaml", "Resources: {}\n")
    new = load_text("new.yaml", "Description: hi\nConditions:\n  C: !Equals [a, b]\nResources: {}\n")
    got = [(c.section, c.name, c.path, c.kind) for c in diff_sections(old, new)]
    assert got == [("Description", None, "", "add"), ("Conditions", "C", "", "add")]
    back = [(c.section, c.name, c.kind) for c in diff_sections(new, old)]
    assert back == [("Description", None, "remove"), ("Conditions", "C", "remove")]


def test_equal_templates_have_no_section_changes():
    t = load_text("t.yaml", OLD)
    assert diff_sections(t, load_text("t.yaml", OLD)) == []


def test_path_keys_undo_pointer_escapes():
    assert path_keys("/a~1b/c~0d/0") == ["a/b", "c~d", "0"]
    assert path_keys("") == []
