"""A resource added with the physical name of one removed, through the real CLI."""

STAGES = """\
{condition}
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {{Name: api}}
  Other:
    Type: AWS::ApiGateway::RestApi
    Properties: {{Name: other}}
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties: {{RestApiId: !Ref Api}}
  {stage}:
    Type: AWS::ApiGateway::Stage
    {stage_condition}
    Properties:
      RestApiId: !Ref {api}
      DeploymentId: !Ref Deployment
      StageName: {name}
      {extra}
"""


def stages(stage="TestStage", api="Api", name="test", extra="", condition="", stage_condition=""):
    return STAGES.format(stage=stage, api=api, name=name, extra=extra, condition=condition,
                         stage_condition=stage_condition)


def found(stack, finding_id):
    return [f for f in stack["findings"] if f["id"] == finding_id]


def test_a_stage_whose_logical_id_changes_while_its_name_stays_collides(stack):
    new = stages(stage="ApiStageTest", extra="TracingEnabled: true\n      Variables: {a: b}\n      Description: x")
    s = stack(stages(), new)
    (f,) = found(s, "name-collision")
    assert (f["severity"], f["logical_id"], f["path"]) == ("error", "ApiStageTest", "/Properties/StageName")
    assert "TestStage" in f["message"] and "fails" in f["message"]
    assert not found(s, "rename")  # too different to be a rename


def test_names_in_different_parents_or_different_names_do_not_collide(stack):
    s = stack(stages(), stages(stage="ApiStageTest", api="Other"))
    assert not found(s, "name-collision")
    s = stack(stages(), stages(stage="ApiStageTest", name="prod"))
    assert not found(s, "name-collision")


def test_a_collision_that_looks_like_a_rename_is_said_once(stack):
    s = stack(stages(), stages(stage="ApiStageTest"))
    assert not found(s, "name-collision")
    (f,) = found(s, "rename")
    assert f["severity"] == "error" and "both set StageName to the same name" in f["message"]


def test_a_rename_into_another_parent_is_no_collision(stack):
    extra = "TracingEnabled: true\n      Variables: {a: b, c: d, e: f}\n      Description: x"
    s = stack(stages(extra=extra), stages(stage="ApiStageTest", api="Other", extra=extra))
    (f,) = found(s, "rename")
    assert f["severity"] == "warning" and "same name" not in f["message"]


def test_a_collision_under_a_condition_is_a_warning(stack):
    condition = "Conditions:\n  Prod: !Equals [!Ref AWS::Region, us-east-1]"
    new = stages(stage="ApiStageTest", condition=condition, stage_condition="Condition: Prod",
                 extra="TracingEnabled: true\n      Variables: {a: b}\n      Description: x")
    (f,) = found(stack(stages(condition=condition), new), "name-collision")
    assert f["severity"] == "warning" and "conditions" in f["message"]


def test_a_name_of_an_account_wide_type_collides(stack):
    old = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: jobs}\n"
    new = "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: jobs, DelaySeconds: 5, VisibilityTimeout: 60}\n"
    (f,) = found(stack(old, new), "name-collision")
    assert f["logical_id"] == "Jobs" and "QueueName jobs" in f["message"]
    # No name given: CloudFormation makes a unique one.
    unnamed = new.replace("QueueName: jobs, ", "")
    assert not found(stack(old.replace("{QueueName: jobs}", "{DelaySeconds: 1}"), unnamed), "name-collision")


def test_a_name_made_from_a_replaced_resource_need_not_collide(stack):
    old = (
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: a}\n"
        "  Queue:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: !GetAtt Topic.TopicName}\n"
    )
    new = old.replace("TopicName: a", "TopicName: b").replace("  Queue:", "  Jobs:").replace(
        "{QueueName: !GetAtt Topic.TopicName}", "{QueueName: !GetAtt Topic.TopicName, DelaySeconds: 5, VisibilityTimeout: 9}"
    )
    assert not found(stack(old, new), "name-collision")
