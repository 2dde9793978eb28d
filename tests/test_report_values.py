"""What a report shows of a change's values: never cut where they differ,
whole when the report has room, an added resource's properties, the
template's own types in JSON, multi-line text as lines; and counts that say
what they count."""

import json
import re

import pytest

OLD = """\
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 10.0.0.0/8
          Description: ssh from the office network, for the operators who are on call this week
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/x
      Timeout: 30
      Code:
        ZipFile: |
          import json
          def handler(event, context):
              print("hello")
              return {"status": "ok"}
"""
NEW = OLD.replace("CidrIp: 10.0.0.0/8", "CidrIp: 0.0.0.0/0").replace('print("hello")', 'print("hello, \\"you\\"")').replace(
    "Timeout: 30", 'Timeout: "60"') + """\
  Ssh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref Group
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
      Description: the whole internet may reach port 22 of every instance in this group
  Flag:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: "false"
      AllowedPattern: x
"""
NEW_RULES = NEW.replace("- IpProtocol: tcp", "- IpProtocol: tcp\n          SourceSecurityGroupOwnerId: '123'", 1)


@pytest.fixture
def pair(write):
    return write("old.yaml", OLD), write("new.yaml", NEW)


def test_text_never_cuts_the_difference_of_an_object(impact, write):
    # Two keys change inside one rule: each is shown whole.
    rule = "- {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: %s, Description: %s}"
    long = "ssh from the office network, for the operators who are on call this week"
    base = "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g\n      SecurityGroupIngress:\n        "
    old = write("o.yaml", base + rule % ("10.0.0.0/8", long) + "\n")
    new = write("n.yaml", base + rule % ("0.0.0.0/0", long) + "\n")
    r = impact("diff", old, new)
    assert '"10.0.0.0/8" → "0.0.0.0/0"' in r.out, r.out


def test_an_added_rule_is_shown_whole_in_text_md_and_github(impact, pair):
    old, new = pair
    text = impact("diff", old, new).out
    md = impact("diff", old, new, "--format", "md").out
    # The added resource's properties, whole, every one.
    assert re.search(r'^    CidrIp +"0\.0\.0\.0/0"$', text, re.M), text
    assert re.search(r"^    FromPort +22$", text, re.M), text
    assert '"the whole internet may reach port 22 of every instance in this group"' in text
    assert "- ➕ <code>CidrIp</code>: <code>\"0.0.0.0/0\"</code>" in md  # it opens access: listed with its properties
    # Added, and open to the world: listed with what needs a decision, not in the list of additions.
    assert re.search(r'^<summary>➕ <b>Ssh</b> <code>AWS::EC2::SecurityGroupIngress</code> · added · 🌐 public<a name="impact-1-\d"></a></summary>$', md, re.M), md
    # A short comment has room for whole values: nothing is cut.
    assert "…" not in md.split("<details")[2], md


def test_the_comment_shortens_values_only_without_room(impact, write):
    long = "x" * 300
    old = write("o.yaml", f"Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: [{{Key: a, Value: {long}1}}]\n")
    new = write("n.yaml", f"Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: [{{Key: a, Value: {long}2}}]\n")
    roomy = impact("diff", old, new, "--format", "md").out
    assert long + "1" in roomy and long + "2" in roomy
    tight = impact("diff", old, new, "--format", "md", "--max-chars", str(len(roomy) - 100)).out
    assert len(tight) <= len(roomy) - 100
    assert long not in tight and re.search(r'"…x+1"', tight) and re.search(r'"…x+2"', tight)


def test_added_resources_list_their_properties_in_every_format(impact, pair):
    old, new = pair
    doc = impact("diff", old, new, "--format", "json").json()
    ssh = next(r for r in doc["stacks"][0]["resources"] if r["logical_id"] == "Ssh")
    assert ssh["changes"] == [] and ssh["properties"] == {
        "GroupId": {"Ref": "Group"}, "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0",
        "Description": "the whole internet may reach port 22 of every instance in this group"}
    html = impact("diff", old, new, "--format", "html").out
    block = html[html.index('<b class="id">Ssh</b>'):]
    block = block[: block.index("</details>")]
    assert "6 properties" in block and "<code>CidrIp</code>" in block and "<pre>0.0.0.0/0</pre>" in block
    checklist = impact("diff", old, new, "--format", "checklist").out
    assert "`Ssh` (`AWS::EC2::SecurityGroupIngress`, with `GroupId`, `IpProtocol`, `FromPort`, `ToPort`, `CidrIp`, `Description`)" in checklist


def test_json_keeps_the_types_as_written_and_compares_as_cloudformation(impact, pair, write):
    old, new = pair
    doc = impact("diff", old, new, "--format", "json").json()
    fn = next(r for r in doc["stacks"][0]["resources"] if r["logical_id"] == "Fn")
    timeout = next(c for c in fn["changes"] if c["path"] == "/Properties/Timeout")
    assert (timeout["before"], timeout["after"]) == (30, "60")
    flag = next(r for r in doc["stacks"][0]["resources"] if r["logical_id"] == "Flag")
    assert flag["properties"]["Value"] == "false"
    # 22 and "22", true and "true": the same to CloudFormation, so no change.
    a = write("a.json", json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {
        "DelaySeconds": 22, "FifoQueue": True, "Tags": [{"Key": "n", "Value": 1.5}]}}}}))
    b = write("b.yaml", 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: "22"\n'
                        '      FifoQueue: "true"\n      Tags: [{Key: n, Value: "1.5"}]\n')
    r = impact("diff", a, b, "--format", "json")
    assert r.json()["stacks"][0]["resources"] == []
    c = write("c.json", json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {
        "DelaySeconds": 23, "FifoQueue": False, "Tags": [{"Key": "n", "Value": 1.5}]}}}}))
    changes = impact("diff", a, c, "--format", "json").json()["stacks"][0]["resources"][0]["changes"]
    assert [(x["before"], x["after"]) for x in changes] == [(22, 23), (True, False)]


def test_multi_line_text_is_shown_as_lines(impact, pair):
    old, new = pair
    text = impact("diff", old, new).out
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("no-interruption  /Properties/Code/ZipFile"))
    assert lines[at].rstrip().endswith("/Properties/Code/ZipFile")
    assert lines[at + 3].strip() == '-     print("hello")'
    assert lines[at + 4].strip() == '+     print("hello, \\"you\\"")'
    md = impact("diff", old, new, "--format", "md").out
    row = next(line for line in md.splitlines() if "/Properties/Code/ZipFile" in line)
    # The lines that differ, marked - and +, with their indentation kept, and two lines around them.
    assert "<br>\u00a0\u00a0def handler(event, context):<br>-\u00a0\u00a0\u00a0\u00a0\u00a0print(" in row
    assert "<br>+\u00a0\u00a0\u00a0\u00a0\u00a0print(\"hello, &#92;\"you&#92;\"\")" in row
    assert "\\n" not in row


def test_counts_say_what_they_count(impact, pair, write):
    old, new = pair
    md = impact("diff", old, new, "--format", "md").out.splitlines()
    assert md[2] == "### ⛔ impact: 1 resource interrupted, 1 updated in place, 2 added; 2 errors"
    assert not any(line.startswith("| stack |") for line in md)  # one stack: the headline says it
    for name in ("one", "two"):  # the same pair twice, in two folders: a table of the two stacks
        write(f"a/{name}.yaml", OLD), write(f"b/{name}.yaml", NEW)
    md = impact("diff", old.parent / "a", new.parent / "b", "--format", "md").out.splitlines()
    assert md[4] == "| stack | 🟠 interrupted | 🟢 in place | ➕ added |"
    assert md[6] == "| ⛔ <code>one.yaml</code> | 1 | 1 | 2 |" and md[7] == "| ⛔ <code>two.yaml</code> | 1 | 1 | 2 |"
    assert md[9] == "<sub>Resources, by their most disruptive change, as in the headline.</sub>"
    html = impact("diff", old, new, "--format", "html").out
    assert "<caption>Resources, by their most disruptive change" in html
    assert '<span class="muted">Resources with:</span>' in html


def test_json_report_is_indented_when_small_and_on_one_line_when_large(impact, write):
    from impact.render.jsondoc import INDENT_UP_TO

    old = write("old.json", json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}))
    queues = {f"Q{i}": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": f"q{i}-" + "x" * 1000}} for i in range(300)}
    small = write("small.json", json.dumps({"Resources": dict(list(queues.items())[:3])}))
    large = write("large.json", json.dumps({"Resources": queues}))
    out = impact("diff", old, small, "--format", "json")
    assert out.code == 0, out
    assert out.out.startswith('{\n  "schema_version": 1,\n') and len(out.out) < INDENT_UP_TO
    out = impact("diff", old, large, "--format", "json")
    assert out.code == 0, out
    assert out.out.count("\n") == 1 and out.out.endswith("}\n") and len(out.out) > INDENT_UP_TO
    doc = out.json()
    added = [r for r in doc["stacks"][0]["resources"] if r["action"] == "add"]
    assert len(added) == 300 and added[0]["properties"]["QueueName"].endswith("x" * 1000)
