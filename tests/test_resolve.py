"""The resolve stage, through the CLI: templates are compared as CloudFormation
resolves them (parameters, conditions, mappings, intrinsic functions) and
shown as written."""

import json

import pytest

from conftest import changes, resource


def ids(stack):
    return {r["logical_id"]: r for r in stack["resources"]}


# -- existence -------------------------------------------------------------------

EXISTS = """\
Conditions:
  IsProd: !Equals ["true", "{flag}"]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      QueueName: orders
  Consumer:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !If [IsProd, !GetAtt Queue.Arn, none]
"""


def test_a_condition_turning_false_deletes_the_resource(stack):
    s = stack(EXISTS.format(flag="true"), EXISTS.format(flag="false"))
    queue = resource(s, "Queue")
    assert queue["action"] == "remove" and queue["exists"] == "deleted: condition IsProd is now false"
    assert queue["changes"] == []
    # Not a replacement: no custom-name finding; the removal's data finding instead.
    assert {f["id"] for f in s["findings"]} == {"stateful-replacement"}
    (finding,) = s["findings"]
    assert "Queue is removed" in finding["message"]
    # What read the condition resolves anew, for certain.
    display = changes(s, "Consumer")["/Properties/DisplayName"]
    assert display["because"] == "Condition IsProd changes"
    assert display["resolved"]["after"] == "none"


def test_a_condition_turning_true_creates_the_resource(stack):
    s = stack(EXISTS.format(flag="false"), EXISTS.format(flag="true"))
    queue = resource(s, "Queue")
    assert queue["action"] == "add" and queue["exists"] == "created: condition IsProd is now true"
    assert queue["properties"] == {"QueueName": "orders"}


def test_a_condition_false_in_both_revisions_deploys_nothing(stack):
    old = EXISTS.format(flag="false")
    s = stack(old, old.replace("QueueName: orders", "QueueName: orders-v2"))
    assert s["resources"] == []
    assert any("their changes deploy nothing: Queue (IsProd)" in n for n in s["notes"])


CONDITION_OVER_PARAMETER = """\
Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Condition: IsProd
  Watcher:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Ref Queue
"""


def test_conditions_over_given_parameter_values(stack, write):
    old_values, new_values = write("old.txt", "Env=prod\n"), write("new.txt", "Env=dev\n")
    s = stack(CONDITION_OVER_PARAMETER, CONDITION_OVER_PARAMETER, "--parameters-old", old_values,
              "--parameters-new", new_values)
    assert resource(s, "Queue")["action"] == "remove"
    assert resource(s, "Queue")["exists"] == "deleted: condition IsProd is now false"
    s = stack(CONDITION_OVER_PARAMETER, CONDITION_OVER_PARAMETER, "--parameters", "Env=prod")
    assert s["resources"] == []  # the same values: nothing changes


def test_a_condition_nobody_can_decide_creates_or_deletes(stack):
    new = CONDITION_OVER_PARAMETER.replace("[!Ref Env, prod]", "[!Ref Env, production]")
    s = stack(CONDITION_OVER_PARAMETER, new)
    queue = resource(s, "Queue")
    assert queue["action"] == "modify" and queue["impact"] == "conditional"
    assert queue["exists"] == "created or deleted depending on IsProd"
    (c,) = queue["changes"]
    assert (c["path"], c["cause"]) == ("/Condition", "Condition IsProd")
    # What refers to it: the resource may be deleted, not replaced.
    (watch,) = resource(s, "Watcher")["changes"]
    assert watch["because"] == "Queue may be deleted"
    assert not [f for f in s["findings"] if f["id"] == "custom-name-replacement"]  # not a replacement
    (data,) = [f for f in s["findings"] if f["id"] == "stateful-replacement"]  # but its messages may go with it
    assert data["severity"] == "warning"
    assert data["message"].startswith("Queue may be deleted (created or deleted depending on IsProd)")


def test_a_changed_default_deletes_only_if_the_stack_uses_it(stack):
    old = CONDITION_OVER_PARAMETER.replace("Env: {Type: String}", "Env: {Type: String, Default: prod}")
    s = stack(old, old.replace("Default: prod", "Default: dev"))
    queue = resource(s, "Queue")
    assert queue["impact"] == "conditional"
    assert queue["exists"] == "deleted if the stack uses the default of Env"


def test_the_same_condition_under_another_name_is_no_change(stack):
    new = CONDITION_OVER_PARAMETER.replace("IsProd", "IsProduction")
    s = stack(CONDITION_OVER_PARAMETER, new)
    (c,) = resource(s, "Queue")["changes"]
    assert c["path"] == "/Condition" and c["impact"] == "none"
    assert c["resolved"]["text"] == "the resource exists in the same cases: no change"


# -- values: Fn::If, AWS::NoValue, equivalence over branches -----------------------

TABLE = """\
Parameters:
  SortKey: {{Type: String, Default: ""}}
  LogGroup: {{Type: String, Default: ""}}
Conditions:
  HasSortKey: !Not [!Equals [!Ref SortKey, ""]]
  HasLogGroup: !Not [!Equals [!Ref LogGroup, ""]]
  Both: !And [!Condition HasSortKey, !Condition HasLogGroup]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}]
      KeySchema: {keys}
      Tags: {tags}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/x
      Code: {{ZipFile: "x"}}
      Runtime: python3.12
      Handler: index.handler
      LoggingConfig: {logging}
"""
KEYS_IF = "!If [HasSortKey, [{AttributeName: pk, KeyType: HASH}, {AttributeName: !Ref SortKey, KeyType: RANGE}], [{AttributeName: pk, KeyType: HASH}]]"
KEYS_ITEM = "[{AttributeName: pk, KeyType: HASH}, !If [HasSortKey, {AttributeName: !Ref SortKey, KeyType: RANGE}, !Ref AWS::NoValue]]"
TAGS_NESTED = "[{Key: a, Value: x}, !If [HasSortKey, !If [HasLogGroup, {Key: b, Value: y}, !Ref AWS::NoValue], !Ref AWS::NoValue]]"
TAGS_AND = "!If [Both, [{Key: a, Value: x}, {Key: b, Value: y}], [{Key: a, Value: x}]]"
LOG_INSIDE = "{LogFormat: JSON, LogGroup: !If [HasLogGroup, !Ref LogGroup, !Ref AWS::NoValue]}"
LOG_OUTSIDE = "!If [HasLogGroup, {LogFormat: JSON, LogGroup: !Ref LogGroup}, {LogFormat: JSON}]"


def test_the_same_value_under_every_branch_is_no_change(stack):
    old = TABLE.format(keys=KEYS_IF, tags=TAGS_NESTED, logging=LOG_INSIDE)
    new = TABLE.format(keys=KEYS_ITEM, tags=TAGS_AND, logging=LOG_OUTSIDE)
    s = stack(old, new)
    table = resource(s, "Table")
    assert table["impact"] == "none"
    assert {c["path"]: c["impact"] for c in table["changes"]} == {"/Properties/KeySchema": "none", "/Properties/Tags": "none"}
    keys = changes(s, "Table")["/Properties/KeySchema"]
    # Shown as written ...
    assert keys["before"] == {"Fn::If": ["HasSortKey", [{"AttributeName": "pk", "KeyType": "HASH"},
                                                       {"AttributeName": {"Ref": "SortKey"}, "KeyType": "RANGE"}],
                                         [{"AttributeName": "pk", "KeyType": "HASH"}]]}
    # ... compared as resolved, under each branch.
    assert keys["resolved"]["text"] == "resolves to the same value whether HasSortKey is true or false: no change"
    tags = changes(s, "Table")["/Properties/Tags"]
    assert "whether HasSortKey is true or false and whether HasLogGroup is true or false" in tags["resolved"]["text"]
    assert resource(s, "Fn")["impact"] == "none"
    # No replacement, no data finding, and the headline counts no update.
    assert s["findings"] == [] and s["summary"]["resources"]["modify"] == 0 and s["summary"]["not_updated"] == 2


def test_a_branch_that_differs_makes_the_change_conditional(stack):
    old = TABLE.format(keys=KEYS_IF, tags="[]", logging="{LogFormat: JSON}")
    new = TABLE.format(keys=KEYS_ITEM.replace("KeyType: RANGE", "KeyType: HASH"), tags="[]", logging="{LogFormat: JSON}")
    s = stack(old, new)
    (keys,) = resource(s, "Table")["changes"]
    assert keys["impact"] == "conditional"  # a replacement, only when HasSortKey is true
    assert keys["resolved"]["changes"] == "sometimes" and keys["resolved"]["when"] == "when HasSortKey is true"
    assert keys["rule"]["note"].startswith("the rules say replacement")


def test_a_value_that_differs_under_every_branch_keeps_its_label(stack):
    old = TABLE.format(keys=KEYS_IF, tags="[]", logging="{LogFormat: JSON}")
    new = TABLE.format(keys=KEYS_ITEM.replace("AttributeName: pk", "AttributeName: id"), tags="[]",
                       logging="{LogFormat: JSON}")
    (keys,) = resource(stack(old, new), "Table")["changes"]
    assert keys["impact"] == "replacement" and keys["resolved"]["changes"] == "always"


def test_more_cases_than_the_bound_are_compared_as_written(stack):
    names = [f"C{i}" for i in range(9)]  # 2^9 = 512 cases, past the bound of 256
    conditions = "".join(f"  {n}: !Equals [!Ref P{i}, x]\n" for i, n in enumerate(names))
    params = "".join(f"  P{i}: {{Type: String}}\n" for i in range(9))
    value = "!Join [\"\", [" + ", ".join(f"!If [{n}, a, b]" for n in names) + ", z]]"  # independent choices
    tpl = f"Parameters:\n{params}Conditions:\n{conditions}Resources:\n  T:\n    Type: AWS::SNS::Topic\n" \
          f"    Properties:\n      DisplayName: VALUE\n"
    s = stack(tpl.replace("VALUE", value), tpl.replace("VALUE", value.replace("z", "y")))
    (c,) = resource(s, "T")["changes"]
    assert c["impact"] == "no-interruption" and "resolved" not in c
    assert "T /Properties/DisplayName: more than 256 combinations of conditions and mapping keys to compare: " \
           "compared as written" in s["notes"]


# -- mappings over AWS::Region ------------------------------------------------------

AMI = """\
Mappings:
  RegionMap:
    us-east-1: {{AMI: {east}}}
    eu-west-1: {{AMI: {west}}}
Resources:
  Lc:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: {image}
      InstanceType: t3.micro
"""
LOOKUP = "!FindInMap [RegionMap, !Ref AWS::Region, AMI]"


def test_a_mapping_entry_changed_in_every_region_changes_for_certain(stack):
    s = stack(AMI.format(east="ami-1", west="ami-2", image=LOOKUP), AMI.format(east="ami-3", west="ami-4", image=LOOKUP))
    (c,) = resource(s, "Lc")["changes"]
    assert (c["impact"], c["because"]) == ("replacement", "Mapping RegionMap changes")
    assert c["resolved"]["text"] == 'resolves to "ami-1" → "ami-3" in us-east-1; changes in every region of the mapping'


def test_a_mapping_entry_changed_in_some_regions_is_conditional(stack):
    s = stack(AMI.format(east="ami-1", west="ami-2", image=LOOKUP), AMI.format(east="ami-1", west="ami-4", image=LOOKUP))
    (c,) = resource(s, "Lc")["changes"]
    assert c["impact"] == "conditional"
    assert c["because"] == "Mapping RegionMap may change (in eu-west-1)"
    # With the stack's region, the answer is certain.
    assert stack(AMI.format(east="ami-1", west="ami-2", image=LOOKUP), AMI.format(east="ami-1", west="ami-4", image=LOOKUP),
                 "--region", "us-east-1")["resources"] == []
    (c,) = resource(stack(AMI.format(east="ami-1", west="ami-2", image=LOOKUP),
                          AMI.format(east="ami-1", west="ami-4", image=LOOKUP), "--region", "eu-west-1"), "Lc")["changes"]
    assert c["impact"] == "replacement"


def test_a_lookup_the_same_in_every_region_is_no_change(stack):
    s = stack(AMI.format(east="ami-1", west="ami-1", image=LOOKUP), AMI.format(east="ami-1", west="ami-1", image="ami-1"))
    (c,) = resource(s, "Lc")["changes"]
    assert c["impact"] == "none"
    assert c["resolved"]["text"] == 'resolves to "ami-1" in every region of the mapping: no change'


def test_pseudo_parameters_are_known_when_given(stack):
    old = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: {name}\n"
    args = ("--region", "eu-west-1", "--pseudo", "AccountId=123456789012", "--pseudo", "StackName=shop")
    s = stack(old.format(name='!Sub "${AWS::StackName}-${AWS::AccountId}-${AWS::Region}-${AWS::Partition}"'),
              old.format(name="shop-123456789012-eu-west-1-aws"), *args)
    (c,) = resource(s, "T")["changes"]
    assert c["impact"] == "none" and c["resolved"]["text"] == 'resolves to "shop-123456789012-eu-west-1-aws": no change'
    # Without them, they are symbols: the written literal may differ.
    s = stack(old.format(name='!Sub "${AWS::StackName}-x"'), old.format(name="shop-x"))
    assert resource(s, "T")["impact"] == "replacement"


def test_a_bad_pseudo_parameter_is_a_usage_error(impact, write):
    a = write("a.yaml", "Resources:\n  T: {Type: AWS::SNS::Topic}\n")
    r = impact("diff", a, a, "--pseudo", "Region=eu-west-1")
    assert r.code == 2 and "the Region comes from --region" in r.err and "Traceback" not in r.err


# -- parameters -------------------------------------------------------------------

VPC = """\
Parameters:
  Octet:
    Type: {type}
    Default: "0"
    Description: {description}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Sub "10.${{Octet}}.0.0/16"
      Tags: [{{Key: octet, Value: !Ref Octet}}]
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Sub "10.${{Octet}}.1.0/24"
"""


def test_a_parameter_type_change_with_the_same_value_changes_the_parameters_section_only(stack):
    s = stack(VPC.format(type="String", description="second octet"), VPC.format(type="Number", description="octet"))
    assert s["resources"] == [] and s["findings"] == []
    assert {(x["section"], x["path"]) for x in s["sections"]} == {("Parameters", "/Type"), ("Parameters", "/Description")}
    # A type that makes the value a list changes what a reference reads.
    s = stack(VPC.format(type="String", description="x"), VPC.format(type="CommaDelimitedList", description="x"),
              "--parameters", "Octet=0")
    tag = changes(s, "Vpc")["/Properties/Tags/0/Value"]
    assert tag["because"] == "Parameter Octet changes"
    assert (tag["resolved"]["before"], tag["resolved"]["after"]) == ("0", ["0"])


def test_a_parameter_default_change_is_conditional_as_written(stack):
    s = stack(VPC.format(type="String", description="x"), VPC.format(type="String", description="x").replace('"0"', '"1"'))
    c = changes(s, "Vpc")["/Properties/CidrBlock"]
    assert c["impact"] == "conditional" and c["because"] == "Parameter Octet may change (if the stack uses the default)"
    assert (c["resolved"]["before"], c["resolved"]["after"]) == ("10.0.0.0/16", "10.1.0.0/16")


# -- DependsOn --------------------------------------------------------------------

def test_depends_on_alone_is_order_only(impact, write):
    old = "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B: {Type: AWS::SQS::Queue}\n"
    new = "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::SQS::Queue\n    DependsOn: A\n"
    a, b = write("old.yaml", old), write("new.yaml", new)
    r = impact("diff", a, b, "--format", "json")
    s = r.json()["stacks"][0]
    (c,) = resource(s, "B")["changes"]
    assert (c["impact"], c["rule"]["note"]) == ("none", "order only: the resource is not updated")
    assert s["summary"]["resources"] == {"add": 0, "remove": 0, "modify": 0} and s["summary"]["not_updated"] == 1
    text = impact("diff", a, b).out
    assert "1 resource not updated" in text and "updated in place" not in text
    assert impact("diff", a, b, "--fail-on", "no-interruption").code == 0


# -- security rows read resolved values ---------------------------------------------

SECURITY = """\
Parameters:
  Engine: {{Type: String, Default: mysql}}
  Internal: {{Type: String, Default: "false", AllowedValues: ["true", "false"]}}
  BastionCidr: {{Type: String, Default: ""}}
Conditions:
  IsInternal: !Equals [!Ref Internal, "true"]
  HasBastion: !Not [!Equals [!Ref BastionCidr, ""]]
Mappings:
  EngineMap:
    mysql: {{Port: 3306}}
    aurora-mysql: {{Port: 3306}}
    {extra}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - {{IpProtocol: tcp, FromPort: {port}, ToPort: 3306, CidrIp: {cidr}}}
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      {block}
  Ssh:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - {{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: {ssh}}}
"""
OPEN = dict(extra="", port="3306", cidr="0.0.0.0/0", block="Tags: []", ssh="10.0.0.0/8")
FIND_PORT = "!FindInMap [EngineMap, !Ref Engine, Port]"


def security(s):
    return [(r["logical_id"], r["direction"], r["summary"]) for r in s["security"]]


def test_cidr_made_conditional_on_no_value_keeps_or_narrows_access(stack):
    s = stack(SECURITY.format(**OPEN), SECURITY.format(**{**OPEN, "cidr": "!If [IsInternal, !Ref AWS::NoValue, 0.0.0.0/0]"}))
    assert [r for r in s["security"] if r["direction"] == "opens"] == []
    assert security(s) == [("Sg", "closes", "removes the allow rule ingress tcp port 3306 from 0.0.0.0/0 "
                                            "(the whole internet) when IsInternal is true")]
    assert s["security"][0]["when"] == "when IsInternal is true"
    assert not [f for f in s["findings"] if f["id"] in ("network-broadened", "public-exposure")]


def test_a_public_access_block_added_inside_fn_if_closes_access(stack):
    flags = "{{BlockPublicAcls: {v}, BlockPublicPolicy: {v}, IgnorePublicAcls: {v}, RestrictPublicBuckets: {v}}}"
    on, off = flags.format(v="true"), flags.format(v="false")
    s = stack(SECURITY.format(**{**OPEN, "block": f"PublicAccessBlockConfiguration: {off}"}),
              SECURITY.format(**{**OPEN, "block": f"PublicAccessBlockConfiguration: !If [IsInternal, {on}, {off}]"}))
    assert security(s) == [("Bucket", "closes", "turns on the public access block's BlockPublicAcls, BlockPublicPolicy, "
                                                "IgnorePublicAcls, RestrictPublicBuckets when IsInternal is true")]
    # Added where there was none (S3 blocks public access by default): nothing opens, nothing is turned off.
    s = stack(SECURITY.format(**OPEN),
              SECURITY.format(**{**OPEN, "block": f"PublicAccessBlockConfiguration: !If [IsInternal, {on}, !Ref AWS::NoValue]"}))
    assert s["security"] == [] and not [f for f in s["findings"] if f["id"] == "public-exposure"]


def test_a_port_from_a_mapping_that_resolves_to_the_old_port_is_no_change(stack, impact, write):
    old, new = SECURITY.format(**OPEN), SECURITY.format(**{**OPEN, "port": FIND_PORT})
    s = stack(old, new)
    assert s["security"] == [] and s["findings"] == []
    (c,) = resource(s, "Sg")["changes"]
    assert c["impact"] == "none" and c["resolved"]["changes"] == "never"
    # Another engine's port: the rule changes for that engine only, and the row says so.
    extra = "postgres: {Port: 5432}"
    s = stack(SECURITY.format(**{**OPEN, "extra": extra}), SECURITY.format(**{**OPEN, "extra": extra, "port": FIND_PORT}))
    assert [r["when"] for r in s["security"]] == ["when Engine is postgres"]
    assert "ports 5432-3306" in s["security"][0]["summary"]
    # Given the engine, the answer is certain.
    s = stack(SECURITY.format(**{**OPEN, "extra": extra}), SECURITY.format(**{**OPEN, "extra": extra, "port": FIND_PORT}),
              "--parameters", "Engine=mysql")
    assert s["security"] == [] and resource(s, "Sg")["impact"] == "none"


def test_a_rule_that_holds_under_a_condition_says_when(stack):
    s = stack(SECURITY.format(**OPEN), SECURITY.format(**{**OPEN, "ssh": "!If [HasBastion, !Ref BastionCidr, 0.0.0.0/0]"}))
    opens = [r for r in s["security"] if r["direction"] == "opens"]
    # Open to the world without a bastion; to the bastion's range, known at deploy time, with one.
    assert [(r["logical_id"], r["public"], r["when"]) for r in opens] == [
        ("Ssh", True, "when HasBastion is false"), ("Ssh", False, "when HasBastion is true")]
    assert opens[0]["summary"].endswith("from 0.0.0.0/0 (the whole internet) when HasBastion is false")
    assert opens[1]["summary"] == 'allows ingress tcp port 22 from {"Ref": "BastionCidr"} when HasBastion is true'

    (public,) = [f for f in s["findings"] if f["id"] == "public-exposure"]
    assert public["message"].endswith("when HasBastion is false")
    (broadened,) = [f for f in s["findings"] if f["id"] == "network-broadened"]
    assert broadened["message"].endswith("when HasBastion is true")


# -- every report says the same ----------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "md", "html", "checklist", "sarif", "github", "json"])
def test_every_report_shows_the_text_as_written_and_what_it_resolves_to(impact, write, fmt):
    flags = "{BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}"
    old = SECURITY.format(**{**OPEN, "extra": "postgres: {Port: 5432}"})
    new = SECURITY.format(**{**OPEN, "extra": "postgres: {Port: 5432}", "port": FIND_PORT,
                             "cidr": "!If [IsInternal, !Ref AWS::NoValue, 0.0.0.0/0]",
                             "block": f"PublicAccessBlockConfiguration: !If [IsInternal, {flags}, !Ref AWS::NoValue]"})
    a, b = write("old.yaml", old), write("new.yaml", new)
    r = impact("diff", a, b, "--format", fmt, "--parameters", "Engine=mysql")
    assert r.code == 0, r
    out = r.out
    if fmt == "json":
        s = r.json()["stacks"][0]
        removed, added = resource(s, "Sg")["changes"]
        assert removed["resolved"]["when"] == added["resolved"]["when"] == "when IsInternal is true"
        assert added["after"]["FromPort"] == {"Fn::FindInMap": ["EngineMap", {"Ref": "Engine"}, "Port"]}
        assert s["security"][0]["when"] == "when IsInternal is true"
        return
    assert "changes only when IsInternal is true" in out  # beside each change of the rule
    if fmt in ("text", "md", "html", "sarif", "github"):
        assert "FindInMap" in out  # the text as written
    if fmt in ("text", "md", "html"):
        assert "from 0.0.0.0/0 (the whole internet) when IsInternal is true" in out  # the security row


def test_reports_show_a_none_change_with_what_it_resolves_to(impact, write):
    old, new = SECURITY.format(**OPEN), SECURITY.format(**{**OPEN, "port": FIND_PORT})
    a, b = write("old.yaml", old), write("new.yaml", new)
    text = impact("diff", a, b).out
    assert "~ Sg  AWS::EC2::SecurityGroup  none" in text
    assert "resolves to the same value for every Engine the mapping lists: no change" in text
    md = impact("diff", a, b, "--format", "md").out
    assert "1 resource not updated" in md and "resolves to the same value" in md
    html = impact("diff", a, b, "--format", "html").out
    assert "resolves to the same value" in html
    for fmt in ("sarif", "github"):
        out = impact("diff", a, b, "--format", fmt).out
        assert "SecurityGroupIngress" not in out  # nothing to annotate: the resource is not updated
    sarif = json.loads(impact("diff", a, b, "--format", "sarif").out)
    assert sarif["runs"][0]["results"] == []


def test_a_port_read_from_a_mapping_shows_what_it_resolves_to(impact, write):
    tpl = """\
Parameters:
  Engine: {Type: String, Default: mysql}
Mappings:
  EngineMap:
    mysql: {Port: 3306}
    aurora-mysql: {Port: 3306}
Resources:
  DbIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: sg-1, IpProtocol: tcp, FromPort: PORT, ToPort: 3306, CidrIp: 10.0.0.0/8}
"""
    a = write("old.yaml", tpl.replace("PORT", "3306"))
    b = write("new.yaml", tpl.replace("PORT", "!FindInMap [EngineMap, !Ref Engine, Port]"))
    lines = impact("diff", a, b, "--parameters", "Engine=mysql").out.splitlines()
    at = lines.index("~ DbIngress  AWS::EC2::SecurityGroupIngress  none")
    assert lines[at + 1:at + 3] == [
        '    none  /Properties/FromPort  3306 → {"Fn::FindInMap": ["EngineMap", {"Ref": "Engine"}, "Port"]}',
        "          resolves to 3306: no change",
    ]
    # Without the engine: 3306 for every engine the mapping lists.
    assert "resolves to 3306 for every Engine the mapping lists: no change" in impact("diff", a, b).out


def test_an_export_that_resolves_the_same_is_no_change(stack):
    tpl = """\
Parameters:
  Octet: {Type: TYPE, Default: "0"}
Resources:
  T: {Type: AWS::SNS::Topic}
Outputs:
  Range:
    Value: !Sub "10.${Octet}.0.0/16"
    Export: {Name: range}
"""
    s = stack(tpl.replace("TYPE", "String"), tpl.replace("TYPE", "Number"))
    assert s["findings"] == []  # no export-changed: the value resolves the same
    s = stack(tpl.replace("TYPE", "String"), tpl.replace("TYPE", "String").replace('"0"', '"1"'))
    (f,) = [f for f in s["findings"] if f["id"] == "export-changed"]
    assert "may change" in f["message"]


AMI_BY_OS = """\
Parameters:
  OS: {Type: String, Default: AL2}
Mappings:
  OSCodes:
    AL2: {Code: AMZN2}
    SLES: {Code: CODE}
  Amis:
    us-east-1: {AMZN2: ami-1, CODE: ami-2}
    eu-west-1: {AMZN2: ami-3, CODE: ami-4}
Resources:
  Lc:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: !FindInMap [Amis, !Ref AWS::Region, !FindInMap [OSCodes, !Ref OS, Code]]
      InstanceType: t3.micro
"""


def test_a_lookup_keyed_by_another_lookup(stack):
    # The code of SLES is renamed in both mappings, and its AMI changes: a change for SLES stacks only.
    new = AMI_BY_OS.replace("Code: CODE", "Code: CODE2").replace("CODE: ami-2", "CODE2: ami-5") \
        .replace("CODE: ami-4", "CODE2: ami-6")
    (c,) = resource(stack(AMI_BY_OS, new), "Lc")["changes"]
    assert c["impact"] == "conditional" and c["resolved"]["when"] == "when OS is SLES"
    # The same AMIs under the new code: no change at all.
    same = AMI_BY_OS.replace("Code: CODE", "Code: CODE2").replace("CODE: ami", "CODE2: ami")
    assert stack(AMI_BY_OS, same)["resources"] == []
    # A region the new mapping drops: the update fails there.
    dropped = AMI_BY_OS.replace("    eu-west-1: {AMZN2: ami-3, CODE: ami-4}\n", "")
    (c,) = resource(stack(AMI_BY_OS, dropped), "Lc")["changes"]
    assert c["resolved"]["when"].startswith("in eu-west-1")


def test_a_range_set_at_deploy_time_in_place_of_the_whole_internet_narrows(stack):
    # Whatever CIDR the stack passes lies within 0.0.0.0/0: the rule can only narrow, never open more.
    old = SECURITY.format(**{**OPEN, "ssh": "0.0.0.0/0"})
    new = SECURITY.format(**{**OPEN, "ssh": "!Ref BastionCidr"})
    s = stack(old, new)
    assert [(r["logical_id"], r["direction"], r["change"]) for r in s["security"]] == [("Ssh", "closes", "narrowed")]
    assert not [f for f in s["findings"] if f["id"] in ("network-broadened", "public-exposure")]


def test_a_malformed_equals_is_a_condition_nothing_can_decide(stack):
    # Fn::Equals takes two values; one with three cannot be evaluated, and the
    # resource it guards may or may not exist: said so, in words, never a crash.
    old = """\
    Conditions:
      Odd: !Or
        - !Equals [!Ref "AWS::Region", !Ref "AWS::Region", ap-south-1]
        - !Equals [!Ref "AWS::Region", us-east-1]
    Resources:
      Queue:
        Type: AWS::SQS::Queue
      Topic:
        Type: AWS::SNS::Topic
        Condition: Odd
    """
    new = old[: old.index("      Topic:")]
    s = stack(old, new)
    topic = resource(s, "Topic")
    assert topic["action"] == "remove"
    assert topic["exists"].startswith("deleted only when ")
    assert "Fn::Equals" in topic["exists"] and "us-east-1" in topic["exists"]


SHARED = """\
Parameters:
  Shared: {Type: String}
Conditions:
  IsShared: !Or [!Equals [!Ref Shared, "Yes"], !Equals [!Ref Shared, "yes"]]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Condition: IsShared
"""


def test_a_default_that_may_create_a_resource_is_named_once_and_deletes_nothing(stack):
    s = stack(SHARED, SHARED.replace("Shared: {Type: String}", 'Shared: {Type: String, Default: "Yes"}'))
    assert resource(s, "Queue")["exists"] == "may be created, depending on the default of Shared"
    assert s["findings"] == []  # created in some cases, deleted in none: no data at risk


ZONE = """\
Parameters:
  Zone: {Type: String, Default: eu-west-1a}
Resources:
  Volume:
    Type: AWS::EC2::Volume
    Properties:
      Size: 10
      AvailabilityZone: !Ref Zone
Outputs:
  VolumeId:
    Value: !Ref Volume
    Export: {Name: volume}
"""


def test_a_property_that_cannot_be_updated_changing_in_some_cases_fails_the_update_and_replaces_nothing(stack):
    s = stack(ZONE, ZONE.replace("eu-west-1a", "eu-west-1b"))
    assert changes(s, "Volume")["/Properties/AvailabilityZone"]["impact"] == "conditional"
    # no "may be replaced": no data at risk, no export changing with it
    assert [(f["id"], f["severity"]) for f in s["findings"]] == [("not-updatable", "warning")]
    assert "changes only if the stack uses the default of Zone: then the update fails" in s["findings"][0]["message"]


REDEFINED = CONDITION_OVER_PARAMETER + """\
  Web:
    Type: AWS::EC2::SecurityGroupIngress
    Condition: IsProd
    Properties: {GroupId: sg-1, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
"""


def test_a_condition_redefined_under_its_name_says_which_revision_each_case_reads(stack):
    s = stack(REDEFINED, REDEFINED.replace("[!Ref Env, prod]", "[!Ref Env, production]"))
    opens = [r["summary"] for r in s["security"] if r["direction"] == "opens"]
    assert opens == ["allows ingress tcp port 443 from 10.0.0.0/8 when IsProd (old) is false and IsProd is true"]
