"""The release checklist: one item per thing to check, grouped by stack,
saying what to check, and a sign-off at the end."""

from conftest import run_impact
from render_samples import sample_report

from impact.render import render

OLD, NEW = "examples/old.yaml", "examples/new.yaml"


def items(text: str) -> list:
    return [line[6:] for line in text.splitlines() if line.startswith("- [ ] ")]


def test_checklist_on_the_examples():
    r = run_impact("diff", OLD, NEW, "--format", "checklist")
    assert r.code == 0, r
    text = r.out
    assert text.startswith("# Release checklist\n")
    got = items(text)
    work = [i for i in got if "Every item above" not in i and "rollback" not in i]
    # Findings first, then replacements, then the removal; nothing for in-place updates.
    assert work[0].startswith("⚠️ Review the warning ")
    # Its UpdateReplacePolicy is Retain: the old bucket is kept, the new one starts empty.
    assert "🔴 Confirm the objects of `ArtifactBucket` are moved or not needed: it will be replaced by an empty " \
           "one, and its UpdateReplacePolicy keeps the old one (see the finding) " \
           "(`/Properties/BucketName/Fn::Sub`)." in work
    assert any(i.startswith("🔴 Confirm nothing depends on the physical name or ID of `HealthCheck`: a new "
                            "`AWS::Route53::HealthCheck` replaces it") for i in work)
    assert any(i.startswith("🔴 Confirm nothing depends on the physical name or ID of `ArtifactBucketPolicy`") and
               "because `ArtifactBucket` is replaced" in i for i in work)
    assert work[-1].startswith("🗑️ Confirm `LegacyTopic` may be deleted")
    assert not any("InferenceQueue" in i for i in work)
    assert "- 🟢 Updated in place without interruption: 4 changes in 4 resources." in text
    assert "## ⛔ examples/new.yaml" in text
    assert text.rstrip().endswith("Approved for release by: ____________________ Date: ____________")
    assert text.index("## Sign-off") > text.index("## ⛔ examples/new.yaml")


def test_every_kind_of_item_grouped_by_stack():
    report = sample_report()
    orders = report.stacks[0].findings[0]
    assert orders.id == "stateful-replacement"
    orders.data, orders.kept = "items", "retained"  # as the assessment records it
    text = render(report, "checklist")
    app, edge = text.split("## ⛔ prod/app.yaml")[1].split("## ✅ prod/edge.yaml")
    keys = [i.split(" ", 1)[0] for i in items(app)]
    assert keys == ["⛔", "⚠️", "🔴", "🔴", "🗑️", "🟣", "🟡", "🟠"]
    got = items(app)
    assert got[0].startswith("⛔ Resolve the error `type-change` in `Cache`: Cache changes Type")
    assert "Confirm the items of `Orders` are moved or not needed: it will be replaced by an empty one" in got[3]
    assert got[5] == ("🟣 Check whether `/Properties/UserData` of `Worker` replaces or interrupts it: "
                      "Replacement if the instance is EBS-backed.")
    assert got[6] == "🟡 Check `Worker` by hand: no rule covers `/Metadata/Build`."
    assert got[7] == ("🟠 Confirm a brief interruption of `Worker` is acceptable at release time "
                      "(`/Properties/InstanceType`) (override: stopped in the maintenance window anyway).")
    # What needs no check is still said, apart from the items.
    info = app.split("For information:")[1]
    assert "ℹ️ `no-op-update`: Only Metadata changed in one place" in info
    assert "⚪ Ignored by config: `/Properties/Monitoring` of `Worker`: monitoring is reviewed by ops" in info
    assert "⚪ Ignored by config: `Provisioner` (`Custom::Thing`): custom resources are reviewed by their owners" in info
    assert "Parameters `Env`: modify `/Parameters/Env/Default`, `\"dev\"` → `\"prod\"`" in info
    assert "> [!NOTE]\n> Transform AWS::Serverless-2016-10-31" in app
    assert "Nothing to check in this stack." in edge
    assert "8 items to check across 2 stacks." in text


def test_nothing_to_check(write):
    old = write("old.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30\n")
    new = write("new.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 60\n")
    text = run_impact("diff", old, new, "--format", "checklist").out
    assert "Nothing to check: no change replaces, removes or interrupts a resource" in text
    assert items(text) == [
        "Every item above is checked, or has a ticket that says why it is safe",
        "The release window and a rollback plan are agreed",
    ]


def test_a_deleting_policy_asks_for_a_backup(impact, write):
    table = ("Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
             "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n")
    old, new = write("old.yaml", table), write("new.yaml", table.replace("id,", "pk,"))
    text = impact("diff", old, new, "--format", "checklist").out
    assert "Confirm a backup of `Orders` exists: it will be replaced and its items deleted" in text


def test_a_policy_set_at_deploy_time_is_not_said_to_keep_data(impact, write):
    table = ("Conditions:\n  Prod: !Equals [a, a]\n"
             "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n"
             "    UpdateReplacePolicy: !If [Prod, Retain, Delete]\n"
             "    DeletionPolicy: !If [Prod, Retain, Delete]\n    Properties:\n"
             "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
             "  Keep:\n    Type: AWS::SNS::Topic\n")
    old, new = write("old.yaml", table), write("new.yaml", table.replace("id,", "pk,"))
    text = impact("diff", old, new, "--format", "checklist").out
    assert ("Confirm what the UpdateReplacePolicy of `Orders` keeps: it will be replaced by an empty one, and the "
            "policy is set at deploy time, so its items may be deleted (see the finding)") in text
    assert "keeps the old one" not in text
    gone = write("gone.yaml", "Resources:\n  Keep:\n    Type: AWS::SNS::Topic\n")
    text = impact("diff", old, gone, "--format", "checklist").out
    assert ("Confirm what the DeletionPolicy of `Orders` keeps: it is removed from the template, and the policy is "
            "set at deploy time, so its items may be deleted (see the finding).") in text
    assert "keeps it outside the stack" not in text


def test_what_a_policy_keeps_on_removal(impact, write):
    keep = "Resources:\n  Keep:\n    Type: AWS::SNS::Topic\n"
    db = "  Db:\n    Type: AWS::RDS::DBCluster\n    Properties: {Engine: aurora-postgresql}\n"
    table = "  Orders:\n    Type: AWS::DynamoDB::Table\n    DeletionPolicy: Retain\n"
    queue = "  Jobs:\n    Type: AWS::SQS::Queue\n"
    text = impact("diff", write("old.yaml", keep + db + table + queue), write("new.yaml", keep),
                  "--format", "checklist").out
    got = items(text)
    assert ("🗑️ Confirm what happens to the databases of `Db`: it is removed from the template and its "
            "DeletionPolicy keeps a snapshot before deleting it (see the finding).") in got
    assert ("🗑️ Confirm what happens to the items of `Orders`: it is removed from the template and its "
            "DeletionPolicy keeps it outside the stack (see the finding).") in got
    assert ("🗑️ Confirm a backup of `Jobs` exists: it is removed from the template and CloudFormation deletes it "
            "with its messages (see the finding).") in got


def test_data_kinds_come_from_the_findings_not_the_rules_folder():
    from impact.render import checklist

    assert not hasattr(checklist, "_stateful")
    # A replaced data-bearing resource with no finding about its data reads as any other.
    report = sample_report()
    report.stacks[0].findings = [f for f in report.stacks[0].findings if f.id != "stateful-replacement"]
    text = render(report, "checklist")
    assert "Confirm nothing depends on the physical name or ID of `Orders`" in text
