"""Value conditions through the real CLI: the values before and after decide
what a conditional rule means, and updates the service refuses are errors."""

import pytest
from conftest import changes

RDS = """\
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: postgres
      EngineVersion: "15.4"
      DBInstanceClass: db.t3.micro
      AllocatedStorage: "100"
      BackupRetentionPeriod: "7"
      MasterUsername: admin
      ManageMasterUserPassword: true
"""


def one(stack, finding_id):
    (f,) = [f for f in stack["findings"] if f["id"] == finding_id]
    return f


def ids(stack):
    return [f["id"] for f in stack["findings"]]


@pytest.mark.parametrize(
    "before, after, label, note",
    [
        ("7", "14", "no-interruption", "no interruption: retention stays above 0"),
        ("7", "0", "some-interruptions", "turned on or off"),
        ("0", "1", "some-interruptions", "turned on or off"),
    ],
)
def test_backup_retention_is_decided_by_the_values(stack, before, after, label, note):
    old = RDS.replace('BackupRetentionPeriod: "7"', f'BackupRetentionPeriod: "{before}"')
    new = RDS.replace('BackupRetentionPeriod: "7"', f'BackupRetentionPeriod: "{after}"')
    c = changes(stack(old, new), "Db")["/Properties/BackupRetentionPeriod"]
    assert c["impact"] == label and note in c["rule"]["note"], c
    assert "value_conditions" in c["rule"]["source"] or "ModifyDBInstance" in c["rule"]["source"]


def test_backup_retention_from_a_parameter_stays_conditional(stack):
    old = "Parameters:\n  Days: {Type: Number}\n" + RDS
    new = old.replace('BackupRetentionPeriod: "7"', "BackupRetentionPeriod: !Ref Days")
    assert changes(stack(old, new), "Db")["/Properties/BackupRetentionPeriod"]["impact"] == "conditional"


def test_decreasing_allocated_storage_is_rejected(stack):
    s = stack(RDS, RDS.replace('AllocatedStorage: "100"', 'AllocatedStorage: "50"'))
    c = changes(s, "Db")["/Properties/AllocatedStorage"]
    assert c["impact"] == "not-updatable"
    f = one(s, "update-rejected")
    assert f["severity"] == "error" and f["path"] == "/Properties/AllocatedStorage"
    assert "cannot decrease allocated storage" in f["message"] and "create a new instance" in f["message"]
    assert "not-updatable" not in ids(s)  # one finding, the one that says why
    s = stack(RDS, RDS.replace('AllocatedStorage: "100"', 'AllocatedStorage: "200"'))
    assert "update-rejected" not in ids(s)


def test_major_engine_upgrade_needs_allow_major_version_upgrade(stack, impact, write):
    new = RDS.replace('EngineVersion: "15.4"', 'EngineVersion: "16.1"')
    s = stack(RDS, new)
    assert changes(s, "Db")["/Properties/EngineVersion"]["impact"] == "not-updatable"
    assert "AllowMajorVersionUpgrade: true" in one(s, "update-rejected")["message"]
    allowed = new.replace("MasterUsername: admin", "MasterUsername: admin\n      AllowMajorVersionUpgrade: true")
    old_allowed = RDS.replace("MasterUsername: admin", "MasterUsername: admin\n      AllowMajorVersionUpgrade: true")
    s = stack(old_allowed, allowed)
    c = changes(s, "Db")["/Properties/EngineVersion"]
    assert c["impact"] == "some-interruptions" and "outage" in c["rule"]["note"]
    assert "update-rejected" not in ids(s)
    # The checklist says a major upgrade is an outage.
    r = impact("diff", write("o.yaml", old_allowed), write("n.yaml", allowed), "--format", "checklist")
    assert "major version upgrade is an outage" in r.out, r.out
    # A minor upgrade is no major one.
    s = stack(RDS, RDS.replace('EngineVersion: "15.4"', 'EngineVersion: "15.5"'))
    assert changes(s, "Db")["/Properties/EngineVersion"]["impact"] == "some-interruptions"


def test_aurora_instance_settings_live_on_the_cluster(stack):
    aurora = RDS.replace("Engine: postgres", "Engine: aurora-postgresql\n      DBClusterIdentifier: !Ref Cluster")
    aurora = "Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties: {Engine: aurora-postgresql}\n" + aurora[len("Resources:\n"):]
    s = stack(aurora, aurora.replace('BackupRetentionPeriod: "7"', 'BackupRetentionPeriod: "0"'))
    c = changes(s, "Db")["/Properties/BackupRetentionPeriod"]
    assert c["impact"] == "no-interruption" and "DB cluster" in c["rule"]["note"]


def test_multi_az_is_some_interruptions(stack):
    s = stack(RDS, RDS.replace("MasterUsername: admin", "MasterUsername: admin\n      MultiAZ: true"))
    assert changes(s, "Db")["/Properties/MultiAZ"]["impact"] == "some-interruptions"


TABLE = """\
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: pk, AttributeType: S}
      KeySchema:
        - {AttributeName: pk, KeyType: HASH}
      GlobalSecondaryIndexes:
GSIS
"""


def _gsi(name):
    return (
        f"        - IndexName: {name}\n          KeySchema: [{{AttributeName: pk, KeyType: HASH}}]\n"
        "          Projection: {ProjectionType: ALL}"
    )


def test_more_than_one_index_created_or_deleted_in_one_update_is_rejected(stack):
    old = TABLE.replace("GSIS", _gsi("a"))
    s = stack(old, TABLE.replace("GSIS", "\n".join([_gsi("a"), _gsi("b")])))
    assert "update-rejected" not in ids(s)
    s = stack(old, TABLE.replace("GSIS", "\n".join([_gsi("a"), _gsi("b"), _gsi("c")])))
    f = one(s, "update-rejected")
    assert "only one global secondary index" in f["message"] and "split" in f["message"]
    # Renaming an index deletes one and creates another.
    s = stack(old, TABLE.replace("GSIS", _gsi("renamed")))
    assert "update-rejected" in ids(s)


POOL = """\
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      Schema:
        - {Name: tier, AttributeDataType: String, Mutable: true}
"""


def test_user_pool_attributes_cannot_be_changed_or_removed(stack):
    s = stack(POOL, POOL + "        - {Name: team, AttributeDataType: String}\n")
    assert "update-rejected" not in ids(s)
    s = stack(POOL, POOL.replace("Mutable: true", "Mutable: false"))
    assert "cannot be changed or removed" in one(s, "update-rejected")["message"]
    s = stack(POOL, POOL.replace("        - {Name: tier, AttributeDataType: String, Mutable: true}\n", "        - {Name: x, AttributeDataType: String}\n"))
    assert "update-rejected" in ids(s)


def test_a_new_generate_secret_string_regenerates_the_secret(stack):
    old = "Resources:\n  S:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      GenerateSecretString: {PasswordLength: 16}\n"
    c = changes(stack(old, old.replace("16", "32")), "S")["/Properties/GenerateSecretString/PasswordLength"]
    assert c["impact"] == "some-interruptions" and "generated anew" in c["rule"]["note"]


def test_elasticache_node_count_replaces_only_without_zones(stack):
    old = "Resources:\n  C:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: {Engine: memcached, CacheNodeType: cache.t3.micro, NumCacheNodes: 1}\n"
    new = old.replace("NumCacheNodes: 1", "NumCacheNodes: 2")
    assert changes(stack(old, new), "C")["/Properties/NumCacheNodes"]["impact"] == "replacement"
    zoned = old.replace("}", ", PreferredAvailabilityZones: [eu-west-1a]}")
    s = stack(zoned, zoned.replace("NumCacheNodes: 1", "NumCacheNodes: 2"))
    assert changes(s, "C")["/Properties/NumCacheNodes"]["impact"] == "some-interruptions"
