"""Security rows a reviewer can trust, through the real CLI: each class of
false alarm or miss found reading impact's rows over public template
histories, on a template of our own.  Counted per finding id and row."""

from textwrap import dedent

import pytest

SECURITY = {"public-exposure", "permissions-broadened", "permissions-narrowed", "network-broadened", "protection-removed"}


@pytest.fixture
def run(impact, write):
    def _run(old, new, *args, fmt="json"):
        r = impact("diff", write("old.yaml", dedent(old)), write("new.yaml", dedent(new)), "--format", fmt, *args)
        assert r.code in (0, 1), r
        return r.json()["stacks"][0] if fmt == "json" else r.out

    return _run


def findings(stack):
    return sorted((f["id"], f["severity"], f["logical_id"]) for f in stack["findings"] if f["id"] in SECURITY)


def rows(stack):
    return [(r["logical_id"], r["direction"], r["change"], r["summary"]) for r in stack["security"]]


# --- a renamed resource is not new exposure ------------------------------------------------

RENAMED_OLD = """\
Resources:
  WebSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: vpc-123
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
  HttpIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref WebSecurityGroup, IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}
"""


def test_a_renamed_public_rule_is_still_public_not_new_exposure(run):
    new = RENAMED_OLD.replace("WebSecurityGroup", "FrontSecurityGroup").replace("HttpIn", "PlainHttpIn")
    s = run(RENAMED_OLD, new)
    assert findings(s) == []  # was two ERROR public-exposure
    assert sorted(rows(s)) == [
        ("FrontSecurityGroup", "moves", "moved",
         "still public (moved from WebSecurityGroup): allows ingress tcp port 443 from 0.0.0.0/0 (the whole internet)"),
        ("PlainHttpIn", "moves", "moved",
         "still public (moved from HttpIn): allows ingress tcp port 80 from 0.0.0.0/0 (the whole internet)"),
    ]
    assert {f["id"] for f in s["findings"]} == {"rename"}  # the rename itself is still said
    text = run(RENAMED_OLD, new, fmt="text")
    assert "Security: 2 changes move access" in text
    assert "    ~ FrontSecurityGroup  network  still public (moved from WebSecurityGroup)" in text


def test_a_renamed_resource_that_opens_more_says_what_is_new(run):
    tags = "".join(f"        - {{Key: k{i}, Value: v{i}}}\n" for i in range(10))  # enough alike to be one renamed
    old = RENAMED_OLD.replace("      SecurityGroupIngress:", "      Tags:\n" + tags + "      SecurityGroupIngress:")
    new = old.replace("WebSecurityGroup", "FrontSecurityGroup").replace(
        "        - {IpProtocol: tcp, FromPort: 443", "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n"
        "        - {IpProtocol: tcp, FromPort: 443")
    s = run(old, new)
    assert findings(s) == [("public-exposure", "error", "FrontSecurityGroup")]
    opened = [r for r in s["security"] if r["direction"] == "opens"]
    assert [r["summary"] for r in opened] == ["allows ingress tcp port 22 from 0.0.0.0/0 (the whole internet)"]


def test_a_renamed_rule_on_another_group_is_new_exposure(run):
    old = RENAMED_OLD + "  Other:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: other, VpcId: vpc-123}\n"
    new = old.replace("HttpIn:", "OtherHttpIn:").replace("GroupId: !Ref WebSecurityGroup", "GroupId: !Ref Other")
    s = run(old, new)
    assert findings(s) == [("public-exposure", "error", "OtherHttpIn")]


def test_a_grant_on_a_renamed_resource_is_the_grant_it_was(run):
    old = dedent("""\
        Resources:
          RecordTrasnformationTable:
            Type: AWS::DynamoDB::Table
            Properties:
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
          Policy:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              Roles: [worker]
              PolicyDocument:
                Statement: [{Effect: Allow, Action: dynamodb:PutItem, Resource: !GetAtt RecordTrasnformationTable.Arn}]
    """)
    s = run(old, old.replace("RecordTrasnformationTable", "RecordTransformationTable"))
    assert s["security"] == [] and "rename" in {f["id"] for f in s["findings"]}  # the table itself is said


# --- statements matched by identity, one row per statement change ---------------------------

ROLE = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
{statements}
"""
GET = "              - {Effect: Allow, Action: [s3:GetObject, s3:PutObject], Resource: 'arn:aws:s3:::b/*'}"
SEND = "              - {Effect: Allow, Action: sqs:SendMessage, Resource: 'arn:aws:sqs:*:*:q'}"
DENY_B = "              - {Effect: Deny, Action: s3:DeleteObject, Resource: 'arn:aws:s3:::b/*'}"
DENY_C = "              - {Effect: Deny, Action: [s3:DeleteObject, s3:DeleteObjectVersion], Resource: 'arn:aws:s3:::c/*'}"
READ = "              - {Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Table.Arn}"


def role(*statements):
    return ROLE.replace("{statements}", "\n".join(statements))


def test_a_statement_inserted_before_others_is_one_change_and_one_row(run, impact, write):
    s = run(role(GET, SEND, DENY_B), role(READ, GET, SEND, DENY_B))
    (res,) = [r for r in s["resources"] if r["logical_id"] == "Role"]
    assert [(c["path"], c["kind"]) for c in res["changes"]] == [("/Properties/Policies/0/PolicyDocument/Statement/0", "add")]
    assert rows(s) == [("Role", "opens", "added", "grants Read on dynamodb to this role")]


def test_a_changed_deny_is_one_row(run):
    s = run(role(GET, DENY_B), role(GET, DENY_C))
    assert rows(s) == [("Role", "opens", "changed",
                        "changes a deny: Write on s3 to this role (actions widened, resources arn:aws:s3:::b/* → arn:aws:s3:::c/*)")]
    assert findings(s) == [("permissions-broadened", "warning", "Role")]  # no longer also "denies more"
    assert s["security"][0]["fields"]["actions before"] == "s3:DeleteObject (Write)"


def test_inline_policies_are_matched_by_name_not_position(run):
    def policies(*named):
        return ROLE.split("      Policies:")[0] + "      Policies:\n" + "".join(
            f"        - PolicyName: {name}\n          PolicyDocument:\n            Statement:\n{statement}\n"
            for name, statement in named)

    logs_stmt = "              - {Effect: Allow, Action: logs:PutLogEvents, Resource: 'arn:aws:logs:*:*:log-group:app:*'}"
    wider = SEND.replace("sqs:SendMessage", "[sqs:SendMessage, sqs:ReceiveMessage]")
    s = run(policies(("read", GET), ("queue", SEND)), policies(("logs", logs_stmt), ("queue", wider), ("read", GET)))
    (res,) = [r for r in s["resources"] if r["logical_id"] == "Role"]
    assert [(c["path"], c["kind"]) for c in res["changes"]] == [
        ("/Properties/Policies/0", "add"), ("/Properties/Policies/1/PolicyDocument/Statement/0/Action", "modify")]
    assert rows(s) == [("Role", "opens", "added", "grants Write on logs to this role"),
                       ("Role", "opens", "widened", "widens a grant: Read on sqs to this role (actions widened)")]


def test_reordered_actions_and_statements_are_no_change(run):
    swapped = GET.replace("[s3:GetObject, s3:PutObject]", "[s3:PutObject, s3:GetObject]")
    s = run(role(GET, SEND), role(SEND, swapped))
    assert s["security"] == [] and [r for r in s["resources"] if r["logical_id"] == "Role"] == []


# --- narrowing in two dimensions is narrowing ------------------------------------------------

LOGS = """\
Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: states.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: ACTIONS
                Resource: RESOURCE
"""


def logs(actions, resource):
    return LOGS.replace("ACTIONS", actions).replace("RESOURCE", resource)


def test_actions_cut_and_resource_narrowed_to_one_log_group_is_narrowing(run):
    old = logs("[logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents]", "arn:aws:logs:*:*:*")
    new = logs("[logs:CreateLogStream, logs:PutLogEvents]",
                      "!Sub 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/vendedlogs/states:*'")
    s = run(old, new)
    assert rows(s) == [("FnRole", "closes", "narrowed", "narrows a grant: Write on logs to this role (actions narrowed, resources narrowed)")]
    assert findings(s) == [("permissions-narrowed", "info", "FnRole")]
    assert rows(run(new, old)) == [("FnRole", "opens", "widened", "widens a grant: Write on logs to this role (actions widened, resources widened)")]


def test_a_log_groups_arn_by_getatt_is_narrower_than_every_log_group(run):
    old = logs("[logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents]", "arn:aws:logs:*:*:*")
    new = logs("[logs:CreateLogStream, logs:PutLogEvents]", "!GetAtt Logs.Arn") + "  Logs:\n    Type: AWS::Logs::LogGroup\n"
    assert rows(run(old, new)) == [
        ("FnRole", "closes", "narrowed", "narrows a grant: Write on logs to this role (actions narrowed, resources narrowed)")]


def test_a_tables_arn_by_getatt_or_written_out_is_the_same_resource(run):
    table = "  Table:\n    Type: AWS::DynamoDB::Table\n"
    by_getatt = logs("dynamodb:GetItem", "[!GetAtt Table.Arn, !Sub '${Table.Arn}/index/*']") + table
    written = logs("dynamodb:GetItem", "[!Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}',"
                   " !Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}/index/*']") + table
    assert run(by_getatt, written)["security"] == []


def test_the_partition_written_either_way_is_the_same_resource(run):
    old = logs("logs:PutLogEvents", "'arn:aws:logs:us-east-1:111122223333:log-group:app:*'")
    new = logs("logs:PutLogEvents", "!Sub 'arn:${AWS::Partition}:logs:us-east-1:111122223333:log-group:app:*'")
    assert run(old, new)["security"] == []


# --- a re-pointed permission is a move ------------------------------------------------------

PERMISSION = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {{Handler: x, Runtime: python3.12, Role: arn:aws:iam::111122223333:role/r, Code: {{ZipFile: x}}}}
  HttpApi:
    Type: AWS::ApiGatewayV2::Api
    Properties: {{Name: a, ProtocolType: HTTP}}
  AppApi:
    Type: AWS::ApiGatewayV2::Api
    Properties: {{Name: b, ProtocolType: HTTP}}
  ApiPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Fn
      Principal: apigateway.amazonaws.com
      SourceArn: !Sub 'arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/{route}'
"""


@pytest.mark.parametrize(
    "old_route, new_route, direction, change, summary",
    [
        ("*", "*", "moves", "moved", "now allows invocation from AppApi instead of HttpApi"),
        ("*", "*/GET/items", "moves", "moved", "now allows invocation from AppApi instead of HttpApi (scope narrowed)"),
        ("prod/GET/items", "*", "opens", "changed", "now allows invocation from AppApi instead of HttpApi (scope widened)"),
    ],
)
def test_a_lambda_permission_re_pointed_to_another_api_is_one_row(run, old_route, new_route, direction, change, summary):
    s = run(PERMISSION.format(api="HttpApi", route=old_route), PERMISSION.format(api="AppApi", route=new_route))
    assert rows(s) == [("ApiPermission", direction, change, summary)]
    assert findings(s) == ([("permissions-broadened", "warning", "ApiPermission")] if direction == "opens" else [])


def test_a_lambda_permission_re_pointed_to_another_function_is_a_move(run):
    old = PERMISSION.format(api="HttpApi", route="*") + (
        "  Fn2:\n    Type: AWS::Lambda::Function\n"
        "    Properties: {Handler: x, Runtime: python3.12, Role: arn:aws:iam::111122223333:role/r, Code: {ZipFile: x}}\n")
    s = run(old, old.replace("FunctionName: !Ref Fn\n", "FunctionName: !Ref Fn2\n"))
    assert rows(s) == [("ApiPermission", "moves", "moved", "now allows invocation of Fn2 instead of Fn")]


def test_a_lambda_permission_widened_on_the_same_api_opens(run):
    s = run(PERMISSION.format(api="HttpApi", route="prod/GET/items"), PERMISSION.format(api="HttpApi", route="*"))
    ((_, direction, change, summary),) = rows(s)
    assert (direction, change) == ("opens", "widened")
    assert summary.startswith("widens a grant: Write on lambda to Service apigateway.amazonaws.com if aws:SourceArn matches ")


# --- defaults are not changes ---------------------------------------------------------------

GROUP = """\
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: vpc-1
{egress}
"""
ALL_OUT = "      SecurityGroupEgress: [{IpProtocol: '-1', CidrIp: 0.0.0.0/0}]"
HTTPS_OUT = "      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]"


def test_explicit_all_traffic_egress_added_to_a_group_with_none_is_the_default(run):
    assert run(GROUP.format(egress=""), GROUP.format(egress=ALL_OUT))["security"] == []
    assert run(GROUP.format(egress=ALL_OUT), GROUP.format(egress=""))["security"] == []
    standalone = GROUP.format(egress="") + (
        "  Out:\n    Type: AWS::EC2::SecurityGroupEgress\n"
        "    Properties: {GroupId: !GetAtt Sg.GroupId, IpProtocol: '-1', CidrIp: 0.0.0.0/0}\n")
    assert run(GROUP.format(egress=""), standalone)["security"] == []
    new_group = run("Resources:\n  Q: {Type: AWS::SQS::Queue}\n", GROUP.format(egress=ALL_OUT))
    assert new_group["security"] == []  # a new group's egress is at most the default


def test_a_first_egress_rule_takes_the_default_away_and_the_last_brings_it_back(run):
    s = run(GROUP.format(egress=""), GROUP.format(egress=HTTPS_OUT))
    assert rows(s) == [("Sg", "closes", "narrowed",
                        "narrows the default egress rule (all traffic to 0.0.0.0/0, the whole internet) "
                        "to egress tcp port 443 to 0.0.0.0/0 (the whole internet)")]
    s = run(GROUP.format(egress=HTTPS_OUT), GROUP.format(egress=""))
    assert [r[1:3] for r in rows(s)] == [("opens", "widened")] and findings(s) == [("network-broadened", "warning", "Sg")]


# --- "admin-equivalent" means it ------------------------------------------------------------


@pytest.mark.parametrize(
    "action, resource, severity",
    [
        ("'*'", "'*'", "error"),
        ("iam:*", "'*'", "error"),
        ("sts:AssumeRole", "'*'", "error"),
        ("[iam:PassRole, ec2:RunInstances]", "'*'", "error"),
        ("iam:PassRole", "'*'", "warning"),  # nothing to pass it to
        ("cloudwatch:*", "'*'", "warning"),
        ("logs:*", "'*'", "warning"),
        ("s3:PutBucketPolicy", "'*'", "warning"),
        ("'*'", "arn:aws:s3:::b", "warning"),
    ],
)
def test_admin_equivalent_only_for_grants_that_take_over_the_account(run, action, resource, severity):
    statement = f"              - {{Effect: Allow, Action: {action}, Resource: {resource}}}"
    s = run(role(SEND), role(SEND, statement))
    assert findings(s) == [("permissions-broadened", severity, "Role")]
    (row,) = s["security"]
    assert row["admin"] == (severity == "error") and ("admin-equivalent" in row["summary"]) == row["admin"]


# --- conditions are shown -------------------------------------------------------------------

KEY = """\
Conditions:
  IsProd: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Key:
    Type: AWS::KMS::Key
    {condition}
    Properties:
      KeyPolicy:
        Statement:
          - {{Sid: root, Effect: Allow, Principal: {{AWS: 'arn:aws:iam::111122223333:root'}}, Action: 'kms:*', Resource: '*'}}
{more}
"""
VIA_S3 = """\
          - Effect: Allow
            Principal: {AWS: '*'}
            Action: [kms:Encrypt, kms:Decrypt]
            Resource: '*'
            Condition:
              StringEquals: {kms:ViaService: s3.us-east-1.amazonaws.com, kms:CallerAccount: '111122223333'}
"""


def test_a_statement_condition_and_the_resource_condition_are_in_the_row(run):
    s = run(KEY.format(condition="Condition: IsProd", more=""), KEY.format(condition="Condition: IsProd", more=VIA_S3))
    (row,) = s["security"]
    assert row["summary"] == (
        "grants Write on kms to * if kms:ViaService is s3.us-east-1.amazonaws.com and kms:CallerAccount is 111122223333"
        " when IsProd is true")  # the statement's condition, then the resource's
    assert not row["public"]  # kms:CallerAccount restricts who


# --- boilerplate is one line ----------------------------------------------------------------

SAM_OLD = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::Serverless::SimpleTable
"""
SAM_NEW = SAM_OLD + """\
  OrdersFn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: s3://bucket/key.zip
      Tracing: Active
      Policies:
        - DynamoDBReadPolicy: {TableName: !Ref Table}
"""


def test_a_new_functions_standard_execution_role_is_one_info_row(run):
    s = run(SAM_OLD, SAM_NEW)
    assert rows(s) == [
        ("OrdersFnRole", "opens", "added", "grants Read on dynamodb to this role"),
        ("OrdersFnRole", "opens", "added", "standard Lambda execution role: logs, X-Ray"),
    ]
    assert findings(s) == [("permissions-broadened", "info", "OrdersFnRole"), ("permissions-broadened", "warning", "OrdersFnRole")]
    standard = s["security"][1]
    assert standard["routine"] and standard["fields"] == {
        "trust": "Service lambda.amazonaws.com", "managed policies": "AWSLambdaBasicExecutionRole, AWSXrayWriteOnlyAccess"}
    gone = run(SAM_NEW, SAM_OLD)
    assert [r[1:] for r in rows(gone)] == [
        ("closes", "removed", "no longer grants Read on dynamodb to this role"),
        ("closes", "removed", "removes the standard Lambda execution role: logs, X-Ray"),
    ]


def test_a_role_that_is_not_the_standard_keeps_its_rows(run):
    old = "Resources:\n  Q: {Type: AWS::SQS::Queue}\n"
    new = old + (
        "  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n"
        "        Statement: [{Effect: Allow, Principal: {Service: [lambda.amazonaws.com, ec2.amazonaws.com]}, Action: sts:AssumeRole}]\n"
        "      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]\n")
    s = run(old, new)
    assert len(s["security"]) == 2 and not any(r["routine"] for r in s["security"])


# --- attribute-based access -----------------------------------------------------------------

ABAC = """\
Resources:
  Abac:
    Type: AWS::SSO::InstanceAccessControlAttributeConfiguration
    Properties:
      InstanceArn: arn:aws:sso:::instance/ssoins-1
      AccessControlAttributes:
{attributes}
"""
TEAM = "        - {Key: team, Value: {Source: ['${path:enterprise.department}']}}"
COST = "        - {Key: costcenter, Value: {Source: ['${path:enterprise.costCenter}']}}"


def test_attribute_based_access_added_is_a_broadening(run):
    s = run("Resources:\n  Q: {Type: AWS::SQS::Queue}\n", ABAC.format(attributes=TEAM))
    assert findings(s) == [("permissions-broadened", "warning", "Abac")]
    assert rows(s) == [("Abac", "opens", "added",
                        "lets permission-set policies of arn:aws:sso:::instance/ssoins-1 match on the attribute team "
                        "(aws:PrincipalTag/team), from ${path:enterprise.department}")]
    more = run(ABAC.format(attributes=TEAM), ABAC.format(attributes=TEAM + "\n" + COST))
    assert [r[3].split(" (")[0] for r in rows(more)] == [
        "lets permission-set policies of arn:aws:sso:::instance/ssoins-1 match on the attribute costcenter"]
    fewer = run(ABAC.format(attributes=TEAM + "\n" + COST), ABAC.format(attributes=TEAM))
    assert [r[1:3] for r in rows(fewer)] == [("closes", "removed")]


def test_a_removed_permission_set_is_not_its_boundary_removed(run):
    old = dedent("""\
        Resources:
          Ps:
            Type: AWS::SSO::PermissionSet
            Properties:
              InstanceArn: arn:aws:sso:::instance/ssoins-1
              Name: dev
              PermissionsBoundary: {ManagedPolicyArn: arn:aws:iam::aws:policy/PowerUserAccess}
              InlinePolicy: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]}
    """)
    s = run(old, "Resources:\n  Q: {Type: AWS::SQS::Queue}\n")
    assert [r[1:3] for r in rows(s)] == [("closes", "removed")]
    assert not any("boundary" in r[3] for r in rows(s)) and findings(s) == [("permissions-narrowed", "info", "Ps")]
