"""IAM grants through the real CLI: the behaviours of AWS CDK's
cloudformation-diff (test/iam/broadening, detect-changes, statement) as
impact answers them, with impact's own answer where the peer's is wrong
(an Allow with NotPrincipal grants every principal but one; a Deny grants
nothing; a grant inside Fn::If is a grant)."""

import json

import pytest

SECURITY = {"public-exposure", "permissions-broadened", "permissions-narrowed", "network-broadened", "protection-removed"}


@pytest.fixture
def stack(impact, write):
    def _stack(old_resources, new_resources, *args):
        old = write("old.json", json.dumps({"Resources": old_resources or {"Placeholder": {"Type": "AWS::SNS::Topic"}}}))
        new = write("new.json", json.dumps({"Resources": new_resources or {"Placeholder": {"Type": "AWS::SNS::Topic"}}}))
        r = impact("diff", old, new, "--format", "json", *args)
        assert r.code in (0, 1), r
        return r.json()["stacks"][0]

    return _stack


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def resource(type_name, **props):
    return {"Type": type_name, "Properties": props}


def findings(s):
    return sorted((f["id"], f["severity"], f["logical_id"]) for f in s["findings"] if f["id"] in SECURITY)


def rows(s):
    return [(r["logical_id"], r["direction"], r["change"]) for r in s["security"] if r["family"] == "permissions"]


SEND = {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "Principal": {"Service": "sns.amazonaws.com"}}
LOOK = dict(SEND, Action="sqs:LookAtMessage")


def queue_policy(*statements, queue="MyQueue"):
    return resource("AWS::SQS::QueuePolicy", Queues=[{"Ref": queue}], PolicyDocument=doc(*statements))


# --- broadening is --------------------------------------------------------------------


def test_adding_a_positive_statement_is_broadening(stack):
    s = stack({}, {"QueuePolicy": queue_policy(SEND)})
    assert findings(s) == [("permissions-broadened", "warning", "QueuePolicy")]
    (row,) = s["security"]
    assert row["summary"] == "grants Write on sqs to Service sns.amazonaws.com"
    assert row["fields"] == {
        "effect": "Allow",
        "principal": "Service sns.amazonaws.com",
        "actions": "sqs:SendMessage (Write)",
        "resources": "*",
        "condition": "",
    }


def test_adding_a_statement_to_an_existing_policy_is_broadening_at_its_line(stack, impact, write):
    s = stack({"QueuePolicy": queue_policy(SEND)}, {"QueuePolicy": queue_policy(SEND, LOOK)})
    assert findings(s) == [("permissions-broadened", "warning", "QueuePolicy")]
    (row,) = s["security"]
    assert row["path"] == "/Properties/PolicyDocument/Statement/1"
    assert "unknown action sqs:LookAtMessage" in row["summary"]  # said, not guessed
    yaml_new = write(
        "new.yaml",
        "Resources:\n  QueuePolicy:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [!Ref MyQueue]\n"
        "      PolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Action: sqs:SendMessage, Resource: '*', Principal: {Service: sns.amazonaws.com}}\n"
        "          - Effect: Allow\n            Action: sqs:ReceiveMessage\n            Resource: '*'\n"
        "            Principal: {Service: sns.amazonaws.com}\n",
    )
    yaml_old = write(
        "old.yaml",
        "Resources:\n  QueuePolicy:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [!Ref MyQueue]\n"
        "      PolicyDocument:\n        Statement:\n"
        "          - {Effect: Allow, Action: sqs:SendMessage, Resource: '*', Principal: {Service: sns.amazonaws.com}}\n",
    )
    row = impact("diff", yaml_old, yaml_new, "--format", "json").json()["stacks"][0]["security"][0]
    assert row["position"] == {"line": 9, "column": 13}  # the added statement's first key


def test_allow_with_not_principal_removed_narrows_and_added_broadens(stack):
    # The peer calls removing this statement broadening: it treats an Allow
    # with NotPrincipal as negative.  It grants every principal but one.
    stmt = {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "NotPrincipal": {"Service": "sns.amazonaws.com"}}
    removed = stack({"QueuePolicy": queue_policy(stmt)}, {})
    assert findings(removed) == [("permissions-narrowed", "info", "QueuePolicy")]
    added = stack({}, {"QueuePolicy": queue_policy(stmt)})
    assert findings(added) == [("public-exposure", "error", "QueuePolicy")]
    assert added["security"][0]["fields"]["principal"] == "every principal except Service sns.amazonaws.com"


def test_changing_the_resource_a_policy_applies_to_is_broadening(stack):
    s = stack({"QueuePolicy": queue_policy(SEND, queue="MyQueue")}, {"QueuePolicy": queue_policy(SEND, queue="MyOtherQueue")})
    assert sorted(rows(s)) == [("QueuePolicy", "closes", "removed"), ("QueuePolicy", "opens", "added")]
    opened = next(r for r in s["security"] if r["direction"] == "opens")
    assert opened["summary"] == "now applies to Ref MyOtherQueue (queues the policy applies to)"
    assert ("permissions-broadened", "warning", "QueuePolicy") in findings(s)


# --- broadening is not ------------------------------------------------------------------


def test_removing_a_positive_statement_is_narrowing_only(stack):
    s = stack({"QueuePolicy": queue_policy(SEND, LOOK)}, {"QueuePolicy": queue_policy(SEND)}, "--fail-on", "broadening")
    assert findings(s) == [("permissions-narrowed", "info", "QueuePolicy")]
    assert s["security"][0]["path"] == "/Properties/PolicyDocument/Statement/1"  # where it was


def test_formatting_only_changes_nothing(stack):
    old = {
        "Role": resource("AWS::IAM::Role", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}),
            Policies=[{"PolicyName": "P", "PolicyDocument": doc(
                {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": "*",
                 "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}},
            )}]),
        "Bucket": resource("AWS::S3::BucketPolicy", Bucket="b", PolicyDocument=doc(
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
             "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}})),
    }
    new = {
        "Role": resource("AWS::IAM::Role", AssumeRolePolicyDocument=json.dumps(doc(
            {"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": ["sts:assumerole"]})),
            Policies=[{"PolicyName": "P", "PolicyDocument": doc(
                {"Effect": "Allow", "Action": "sqs:sendmessage", "Resource": ["*"],
                 "Condition": {"StringEquals": {"aws:SourceAccount": ["111122223333"]}}},
                {"Sid": "B", "Effect": "Allow", "Action": ["S3:getobject"], "Resource": "*"},
            )}]),
        "Bucket": resource("AWS::S3::BucketPolicy", Bucket="b", PolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"],
             "Condition": {"StringEquals": {"aws:SourceVpce": ["vpce-1"]}}})),
    }
    s = stack(old, new, "--fail-on", "broadening")
    assert s["security"] == [] and findings(s) == []


def test_narrowing_never_raises_broadening(stack, impact, write):
    wide = {"Role": resource("AWS::IAM::ManagedPolicy", Roles=["r"], PolicyDocument=doc(
        {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"}))}
    narrow = {"Role": resource("AWS::IAM::ManagedPolicy", Roles=["r"], PolicyDocument=doc(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/reports/*"}))}
    s = stack(wide, narrow)
    assert findings(s) == [("permissions-narrowed", "info", "Role")]
    assert findings(stack(narrow, wide)) == [("permissions-broadened", "warning", "Role")]
    old, new = write("o.json", json.dumps({"Resources": wide})), write("n.json", json.dumps({"Resources": narrow}))
    assert impact("diff", old, new, "--fail-on", "broadening").code == 0
    assert impact("diff", new, old, "--fail-on", "broadening").code == 1


# --- detect-changes -------------------------------------------------------------------------


def test_new_trust_policy_is_shown(stack):
    trust = doc({"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}})
    s = stack({}, {"MyRole": resource("AWS::IAM::Role", AssumeRolePolicyDocument=trust)})
    (row,) = s["security"]
    assert row["fields"]["principal"] == "Service lambda.amazonaws.com"
    assert row["fields"]["actions"] == "sts:AssumeRole (Write)"
    assert row["path"] == "/Properties/AssumeRolePolicyDocument/Statement/0"
    anyone = doc({"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": "*"}})
    s = stack({"MyRole": resource("AWS::IAM::Role", AssumeRolePolicyDocument=trust)},
              {"MyRole": resource("AWS::IAM::Role", AssumeRolePolicyDocument=anyone)})
    assert ("public-exposure", "error", "MyRole") in findings(s)


def test_identity_policy_grants_to_what_it_is_attached_to(stack):
    thing = doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
    new = {
        "MyPolicy": resource("AWS::IAM::Policy", PolicyName="P", Roles=[{"Ref": "MyRole"}, {"Ref": "ThyRole"}], PolicyDocument=thing),
        "MyUser": resource("AWS::IAM::User", Policies=[{"PolicyName": "Polly", "PolicyDocument": thing}]),
    }
    s = stack({}, new)
    by_id = {r["logical_id"]: r for r in s["security"]}
    assert by_id["MyPolicy"]["fields"]["principal"] == "Ref MyRole, Ref ThyRole"
    assert by_id["MyPolicy"]["summary"] == "grants Read on s3 to Ref MyRole, Ref ThyRole"
    assert by_id["MyUser"]["path"] == "/Properties/Policies/0/PolicyDocument/Statement/0"
    attached = stack({"MyPolicy": new["MyPolicy"]},
                     {"MyPolicy": resource("AWS::IAM::Policy", PolicyName="P", Roles=[{"Ref": "MyRole"}, {"Ref": "ThyRole"}],
                                           Users=[{"Ref": "Bob"}], PolicyDocument=thing)})
    assert rows(attached) == [("MyPolicy", "opens", "added")]
    assert attached["security"][0]["path"] == "/Properties/Users/0"


def test_statement_inside_fn_if_is_a_grant(stack):
    # The peer shows it as an unparseable blob; impact reads both branches.
    policy = doc({"Fn::If": ["SomeCondition", {"Effect": "Allow", "Action": "iam:*", "Resource": "*"}, {"Ref": "AWS::NoValue"}]})
    s = stack({}, {"MyIdentity": resource("AWS::IAM::User", Policies=[{"PolicyName": "Polly", "PolicyDocument": policy}])})
    assert findings(s) == [("permissions-broadened", "error", "MyIdentity")]  # iam:* on * is admin-equivalent
    assert s["security"][0]["path"] == "/Properties/Policies/0/PolicyDocument/Statement/0/Fn::If/1"


def test_lambda_permission_is_read_as_a_statement(stack):
    props = {"Action": "lambda:InvokeFunction", "FunctionName": {"Ref": "MyFunction"}, "Principal": "s3.amazonaws.com",
             "SourceAccount": {"Ref": "AWS::AccountId"}, "SourceArn": {"Fn::GetAtt": ["MyBucket", "Arn"]}}
    s = stack({}, {"MyPermission": resource("AWS::Lambda::Permission", **props)})
    (row,) = s["security"]
    assert row["fields"]["resources"] == "Ref MyFunction"
    assert json.loads(row["fields"]["condition"]) == {
        "ArnLike": {"aws:SourceArn": "GetAtt MyBucket.Arn"}, "StringEquals": {"aws:SourceAccount": "Ref AWS::AccountId"}}
    assert findings(s) == [("permissions-broadened", "warning", "MyPermission")]


def test_sole_and_one_of_many_statement_removals(stack):
    put = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*", "Principal": {"AWS": "me"}}
    look = dict(put, Action="s3:LookAtObject")
    bp = lambda *st: resource("AWS::S3::BucketPolicy", Bucket={"Ref": "MyBucket"}, PolicyDocument=doc(*st))  # noqa: E731
    s = stack({"BucketPolicy": bp(put)}, {})
    assert rows(s) == [("BucketPolicy", "closes", "removed")]
    s = stack({"BucketPolicy": bp(put, look)}, {"BucketPolicy": bp(look)})
    (row,) = s["security"]
    assert (row["change"], row["fields"]["actions"], row["fields"]["principal"]) == ("removed", "s3:PutObject (Write)", "AWS me")


def test_managed_policies_attached_and_removed(stack):
    s = stack({"SomeRole": resource("AWS::IAM::Role", ManagedPolicyArns=["arn:policy", "arn:policy2"])},
              {"SomeRole": resource("AWS::IAM::Role", ManagedPolicyArns=[
                  "arn:policy2", {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"}])})
    assert findings(s) == [("permissions-broadened", "error", "SomeRole"), ("permissions-narrowed", "info", "SomeRole")]
    opened = next(r for r in s["security"] if r["direction"] == "opens")
    assert opened["admin"] and opened["summary"].startswith("attaches AWS-managed AdministratorAccess (admin-equivalent)")
    s = stack({}, {"MyRole": resource("AWS::IAM::Role", ManagedPolicyArns={
        "Fn::If": ["SomeCondition", ["then-managed-policy-arn"], ["else-managed-policy-arn"]]})})
    assert sorted(r["fields"]["managed policy"] for r in s["security"]) == ["else-managed-policy-arn", "then-managed-policy-arn"]


def test_permissions_boundary_removed_is_broadening(stack):
    s = stack({"R": resource("AWS::IAM::Role", PermissionsBoundary="arn:aws:iam::111122223333:policy/cap")},
              {"R": resource("AWS::IAM::Role")})
    assert findings(s) == [("permissions-broadened", "warning", "R")]
    assert "no longer capped" in s["security"][0]["summary"]


def test_sso_permission_set_and_assignment(stack):
    permission_set = resource(
        "AWS::SSO::PermissionSet", Name="PleaseWork", InstanceArn="arn:aws:sso:::instance/ssoins-1111111111111111",
        ManagedPolicies=["arn:aws:iam::aws:policy/AlwaysBeManaging"],
        PermissionsBoundary={"ManagedPolicyArn": "arn:aws:iam::aws:policy/GreatAtManaging"},
        InlinePolicy=doc({"Sid": "VisualEditor0", "Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": ["*"]}),
    )
    assignment = resource(
        "AWS::SSO::Assignment", InstanceArn="arn:aws:sso:::instance/ssoins-1111111111111111",
        PermissionSetArn={"Fn::GetAtt": ["MySsoPermissionSet", "PermissionSetArn"]}, PrincipalId="33333333-3333-4444-5555-777777777777",
        PrincipalType="USER", TargetId="222222222222", TargetType="AWS_ACCOUNT",
    )
    s = stack({}, {"MySsoPermissionSet": permission_set, "MyAssignment": assignment})
    summaries = {r["logical_id"] + ": " + r["summary"] for r in s["security"]}
    assert "MyAssignment: assigns permission set GetAtt MySsoPermissionSet.PermissionSetArn to USER " \
           "33333333-3333-4444-5555-777777777777 in AWS_ACCOUNT 222222222222" in summaries
    assert any(x.startswith("MySsoPermissionSet: grants Write on iam") for x in summaries)
    assert any("AlwaysBeManaging" in x for x in summaries)
    capped = [r for r in s["security"] if r["logical_id"] == "MySsoPermissionSet" and r["direction"] == "opens"]
    assert capped and all("GreatAtManaging" in r["fields"]["permissions boundary"] for r in capped)  # capped from the start


def test_policy_given_as_a_json_string_is_compared_as_grants(stack):
    before = doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:Decrypt", "Resource": "*"})
    after = doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"})
    s = stack({"Key": resource("AWS::KMS::Key", KeyPolicy=json.dumps(before))},
              {"Key": resource("AWS::KMS::Key", KeyPolicy=json.dumps(after, indent=2))})
    (row,) = [r for r in s["security"] if r["family"] == "permissions"]
    assert (row["change"], row["path"]) == ("widened", "/Properties/KeyPolicy")
    assert "Permissions management" in row["summary"] and "actions widened" in row["summary"]


def test_deny_removed_is_broadening_and_deny_added_narrowing(stack):
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    keep = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    bp = lambda *st: {"BP": resource("AWS::S3::BucketPolicy", Bucket="b", PolicyDocument=doc(*st))}  # noqa: E731
    assert findings(stack(bp(keep, deny), bp(keep))) == [("permissions-broadened", "warning", "BP")]
    # The peer counts a Deny with NotPrincipal as a grant; a Deny grants nothing.
    not_me = {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"}
    assert findings(stack(bp(keep), bp(keep, not_me))) == [("permissions-narrowed", "info", "BP")]
