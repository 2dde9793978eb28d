"""What DeletionPolicy and UpdateReplacePolicy keep, through the real CLI:
a policy that stops keeping a resource's data is ``protection-removed``; a
policy that never kept any is no finding."""

import pytest

TABLE = """\
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    {policy}
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{{AttributeName: id, KeyType: HASH}}]
      AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]
"""


def found(stack, finding_id):
    return [f for f in stack["findings"] if f["id"] == finding_id]


def policy_rows(stack):
    return [r for r in stack["security"] if r["family"] == "protection" and r["path"].endswith("Policy")]


@pytest.mark.parametrize(
    "before, after",
    [
        ("DeletionPolicy: Retain", ""),
        ("DeletionPolicy: Retain", "DeletionPolicy: Delete"),
        ("DeletionPolicy: RetainExceptOnCreate", "DeletionPolicy: Snapshot"),  # a table cannot be snapshotted
        ("UpdateReplacePolicy: Retain", ""),
    ],
)
def test_a_policy_that_stops_keeping_the_data_is_a_protection_removed(stack, before, after):
    s = stack(TABLE.format(policy=before), TABLE.format(policy=after))
    (f,) = found(s, "protection-removed")
    attribute = before.split(":")[0]
    assert (f["severity"], f["logical_id"], f["path"]) == ("warning", "Table", "/" + attribute)
    assert "no longer keeps its items" in f["message"] and "deletes" in f["message"]
    (row,) = policy_rows(s)
    assert row["direction"] == "opens" and row["fields"]["protection"] == attribute


@pytest.mark.parametrize(
    "before, after",
    [
        ("DeletionPolicy: Retain", "DeletionPolicy: RetainExceptOnCreate"),
        ("", "DeletionPolicy: Delete"),  # the default, written
        ("DeletionPolicy: Delete", ""),
    ],
)
def test_a_policy_that_keeps_as_much_as_before_is_no_finding(stack, before, after):
    s = stack(TABLE.format(policy=before), TABLE.format(policy=after))
    assert not found(s, "protection-removed") and not policy_rows(s)


def test_a_policy_that_starts_keeping_the_data_closes(stack):
    s = stack(TABLE.format(policy=""), TABLE.format(policy="DeletionPolicy: Retain"))
    (row,) = policy_rows(s)
    assert row["direction"] == "closes" and "keeps its items" in row["summary"]
    assert not found(s, "protection-removed")


CACHE = """\
Resources:
  Cache:
    Type: AWS::ElastiCache::CacheCluster
    {policy}
    Properties: {{Engine: {engine}, CacheNodeType: cache.t3.micro, NumCacheNodes: 1}}
"""


def test_snapshot_of_a_cache_that_cannot_be_snapshotted_protected_nothing(stack):
    old = CACHE.format(policy="DeletionPolicy: Snapshot", engine="memcached")
    s = stack(old, CACHE.format(policy="", engine="memcached"))
    assert not found(s, "protection-removed") and not policy_rows(s)
    # The same on Redis kept a snapshot.
    old = CACHE.format(policy="DeletionPolicy: Snapshot", engine="redis")
    (f,) = found(stack(old, CACHE.format(policy="", engine="redis")), "protection-removed")
    assert "cached data" in f["message"]


def test_a_removed_memcached_cluster_with_snapshot_is_deleted(stack):
    keep = "Resources:\n  K:\n    Type: AWS::SNS::Topic\n"
    old = keep + CACHE.format(policy="DeletionPolicy: Snapshot", engine="memcached").replace("Resources:\n", "")
    (f,) = found(stack(old, keep), "stateful-replacement")
    assert (f["severity"], f["kept"]) == ("error", "deleted")
    assert "cannot be snapshotted" in f["message"] and "or Snapshot" not in f["message"]


DATABASES = """\
Resources:
  Single:
    Type: AWS::RDS::DBInstance
    {policy}
    Properties: {{Engine: mysql, DBInstanceClass: db.t3.micro}}
  Member:
    Type: AWS::RDS::DBInstance
    {policy}
    Properties: {{Engine: aurora-mysql, DBInstanceClass: db.r5.large, DBClusterIdentifier: c}}
  Docs:
    Type: AWS::DocDB::DBCluster
    {policy}
    Properties: {{MasterUsername: u}}
"""


def test_database_defaults_and_members_of_a_cluster(stack):
    # Retain removed: a lone DB instance falls back to its default, Snapshot;
    # an Aurora member instance holds no data; a DocumentDB cluster is deleted.
    s = stack(DATABASES.format(policy="DeletionPolicy: Retain"), DATABASES.format(policy=""))
    assert [f["logical_id"] for f in found(s, "protection-removed")] == ["Docs"]
    # Snapshot to Delete, written: the lone instance and the cluster lose their snapshot.
    s = stack(DATABASES.format(policy="DeletionPolicy: Snapshot"), DATABASES.format(policy="DeletionPolicy: Delete"))
    assert sorted(f["logical_id"] for f in found(s, "protection-removed")) == ["Docs", "Single"]


def test_a_bucket_policy_kept_no_objects(stack):
    bucket = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    {policy}\n"
    (f,) = found(stack(bucket.format(policy="DeletionPolicy: Retain"), bucket.format(policy="")), "protection-removed")
    assert f["severity"] == "info" and "does not delete the objects" in f["message"]


def test_a_weakened_replace_policy_on_a_replaced_resource_is_said_once(stack):
    old = TABLE.format(policy="UpdateReplacePolicy: Retain").replace("BillingMode", "TableName: a\n      BillingMode")
    new = TABLE.format(policy="").replace("BillingMode", "TableName: b\n      BillingMode")
    s = stack(old, new)
    assert not found(s, "protection-removed")
    (f,) = found(s, "stateful-replacement")
    assert f["severity"] == "error" and "removes UpdateReplacePolicy Retain" in f["message"]


def test_a_policy_set_at_deploy_time_may_keep_nothing(stack):
    conditions = "Conditions:\n  Prod: !Equals [!Ref AWS::Region, us-east-1]\n"
    s = stack(
        conditions + TABLE.format(policy="DeletionPolicy: Retain"),
        conditions + TABLE.format(policy="DeletionPolicy: !If [Prod, Retain, Delete]"),
    )
    (f,) = found(s, "protection-removed")
    assert "decided at deploy time" in f["message"]


def test_a_type_that_holds_no_data_has_no_policy_finding(stack):
    topic = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    {policy}\n"
    s = stack(topic.format(policy="DeletionPolicy: Retain"), topic.format(policy=""))
    assert not found(s, "protection-removed") and not policy_rows(s)


# A retained resource that goes with its parent.

FUNCTION = """\
Resources:
  Keep:
    Type: AWS::SNS::Topic
  Fn:
    Type: AWS::Lambda::Function
    {fn_policy}
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {{ZipFile: x}}
  Version:
    Type: AWS::Lambda::Version
    DeletionPolicy: Retain
    Properties: {{FunctionName: !Ref Fn}}
  Permission:
    Type: AWS::Lambda::Permission
    DeletionPolicy: Retain
    Properties: {{FunctionName: !GetAtt Fn.Arn, Action: lambda:InvokeFunction, Principal: sns.amazonaws.com}}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    DeletionPolicy: Retain
    Properties: {{FunctionName: !Ref Fn, EventSourceArn: arn:aws:sqs:us-east-1:123456789012:q}}
"""
KEEP = "Resources:\n  Keep:\n    Type: AWS::SNS::Topic\n"


def test_a_version_removed_with_its_function_goes_with_it(stack):
    s = stack(FUNCTION.format(fn_policy=""), KEEP)
    # An event source mapping outlives its function: it stays, orphaned.
    assert [f["logical_id"] for f in found(s, "retained-removal")] == ["Mapping"]
    goes = {r["logical_id"]: r.get("goes_with") for r in s["resources"]}
    assert goes == {"Fn": None, "Version": "Fn", "Permission": "Fn", "Mapping": None}


def test_a_retained_parent_keeps_its_children(stack):
    s = stack(FUNCTION.format(fn_policy="DeletionPolicy: Retain"), KEEP)
    assert sorted(f["logical_id"] for f in found(s, "retained-removal")) == ["Fn", "Mapping", "Permission", "Version"]


def test_a_version_removed_while_its_function_stays_is_kept(stack):
    old = FUNCTION.format(fn_policy="")
    new = old.split("  Version:")[0] + "  Permission:" + old.split("  Permission:")[1]
    s = stack(old, new)
    # The function stays: the version is orphaned; nothing else is removed.
    assert [f["logical_id"] for f in found(s, "retained-removal")] == ["Version"]


def test_a_child_removed_while_its_parent_is_replaced_goes_with_the_old_parent(stack):
    old = FUNCTION.format(fn_policy="").replace("Handler: app.handler", "Handler: app.handler\n      FunctionName: a")
    new = old.split("  Version:")[0].replace("FunctionName: a", "FunctionName: b")
    s = stack(old, new)
    assert "Version" not in [f["logical_id"] for f in found(s, "retained-removal")]


def test_every_format_says_the_child_goes_with_its_parent(impact, write):
    old, new = write("old.yaml", FUNCTION.format(fn_policy="")), write("new.yaml", KEEP)
    for fmt, words in (("md", "It goes with Fn"), ("checklist", "goes with `Fn`"), ("github", "goes with Fn")):
        r = impact("diff", old, new, "--format", fmt)
        assert words in r.out, (fmt, r.out)
