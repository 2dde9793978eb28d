"""SAM templates expanded offline by the transform's own library, through the CLI."""

import json
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import REPO

SAM_DIR = REPO / "tests" / "data" / "sam"

FN = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 10
Resources:
  OrdersFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/orders/
      MemorySize: 128
      AutoPublishAlias: live
      Events:
        Get:
          Type: Api
          Properties: {Path: /orders, Method: get}
  ReportsFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: reports.handler
      CodeUri: src/reports/
  Orders:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: id, Type: String}
"""


@pytest.fixture
def diff(impact, write):
    def _diff(old, new, *args, fmt="json"):
        a, b = write("old.yaml", old), write("new.yaml", new)
        result = impact("diff", a, b, "--format", fmt, *args)
        assert result.code == 0, result
        assert "Traceback" not in result.err, result
        return result.json()["stacks"][0] if fmt == "json" else result.out

    return _diff


def resources(stack):
    return {r["logical_id"]: r for r in stack["resources"]}


def change(resource, path):
    (c,) = [c for c in resource["changes"] if c["path"] == path]
    return c


def test_function_name_added_replaces_the_function_and_memory_updates_in_place(diff):
    new = FN.replace("      MemorySize: 128\n", "      MemorySize: 256\n      FunctionName: orders\n")
    s = diff(FN, new)
    fn = resources(s)["OrdersFn"]
    assert fn["type"] == "AWS::Lambda::Function"
    assert fn["origin"] == {"type": "AWS::Serverless::Function", "logical_id": "OrdersFn"}
    assert change(fn, "/Properties/FunctionName")["impact"] == "replacement"
    assert change(fn, "/Properties/MemorySize")["impact"] == "no-interruption"
    # The change points at the SAM resource's own line in the source.
    assert change(fn, "/Properties/MemorySize")["position"]["line"] == new.splitlines().index("      MemorySize: 256") + 1
    assert not any("unknown" in (c["impact"] or "") for r in s["resources"] for c in r["changes"])


def test_simple_table_key_change_replaces_the_table_and_puts_its_data_at_risk(diff):
    s = diff(FN, FN.replace("PrimaryKey: {Name: id,", "PrimaryKey: {Name: pk,"))
    table = resources(s)["Orders"]
    assert (table["type"], table["impact"]) == ("AWS::DynamoDB::Table", "replacement")
    assert table["origin"] == {"type": "AWS::Serverless::SimpleTable", "logical_id": "Orders"}
    (f,) = [f for f in s["findings"] if f["id"] == "stateful-replacement"]
    assert f["logical_id"] == "Orders" and f["data"] == "items"


def test_globals_reach_every_function(diff):
    s = diff(FN, FN.replace("    Timeout: 10", "    Timeout: 30"))
    rs = resources(s)
    for fn in ("OrdersFn", "ReportsFn"):
        c = change(rs[fn], "/Properties/Timeout")
        assert (c["before"], c["after"], c["impact"]) == (10, 30, "no-interruption")  # numbers, as written


def test_a_new_version_is_one_event_paired_old_with_new(diff):
    s = diff(FN, FN.replace("CodeUri: src/orders/", "CodeUri: src/orders-v2/"))
    versions = [r for r in s["resources"] if r["type"] == "AWS::Lambda::Version"]
    assert len(versions) == 1, versions  # not an add and a remove
    (v,) = versions
    assert v["action"] == "modify" and v["old_logical_id"] != v["logical_id"]
    assert v["logical_id"].startswith("OrdersFnVersion") and v["old_logical_id"].startswith("OrdersFnVersion")
    assert v["event"].startswith("a new version is published; alias OrdersFnAliaslive moves to it")
    assert "kept (DeletionPolicy Retain)" in v["event"]
    assert v["origin"]["logical_id"] == "OrdersFn"
    # The code path is part of the function, as a placeholder object key.
    code = change(resources(s)["OrdersFn"], "/Properties/Code/S3Key")
    assert (code["before"], code["after"], code["impact"]) == ("src/orders", "src/orders-v2", "no-interruption")
    assert not [f for f in s["findings"] if f["id"] in ("rename", "dangling-reference")]


def test_an_api_change_creates_a_new_deployment(diff):
    s = diff(FN, FN.replace("Path: /orders, Method: get", "Path: /orders/all, Method: get"))
    deployments = [r for r in s["resources"] if r["type"] == "AWS::ApiGateway::Deployment"]
    assert len(deployments) == 1 and deployments[0]["action"] == "modify", deployments
    d = deployments[0]
    assert d["event"].startswith("a new deployment is created; stage ServerlessRestApiProdStage moves to it")
    assert d["origin"] == {"type": "AWS::Serverless::Api", "logical_id": "ServerlessRestApi"}
    api = resources(s)["ServerlessRestApi"]
    assert api["type"] == "AWS::ApiGateway::RestApi" and api["impact"] == "no-interruption"
    assert any(c["path"].startswith("/Properties/Body/paths") for c in api["changes"])


def test_layer_and_state_machine(diff):
    old = (SAM_DIR / "others.yaml").read_text()
    new = old.replace("ContentUri: layers/deps/", "ContentUri: layers/deps2/").replace("End: true", "End: true\n            TimeoutSeconds: 30")
    s = diff(old, new)
    rs = resources(s)
    layers = [r for r in s["resources"] if r["type"] == "AWS::Lambda::LayerVersion"]
    assert len(layers) == 1 and layers[0]["old_logical_id"].startswith("Deps"), layers
    assert layers[0]["event"].startswith("a new layer version is published; the old layer version")
    flow = rs["Flow"]
    assert flow["type"] == "AWS::StepFunctions::StateMachine"
    assert flow["origin"]["type"] == "AWS::Serverless::StateMachine"
    assert {c["impact"] for c in flow["changes"]} == {"no-interruption"}


def test_sar_application_stays_unknown_with_a_note(diff):
    old = (SAM_DIR / "others.yaml").read_text()
    s = diff(old, old.replace("SemanticVersion: 1.2.3", "SemanticVersion: 1.3.0"))
    app = resources(s)["FromRepository"]
    assert app["type"] == "AWS::Serverless::Application" and app["impact"] == "unknown"
    assert any("FromRepository comes from the Serverless Application Repository" in n for n in s["notes"])


def test_local_application_becomes_a_nested_stack(diff):
    old = (SAM_DIR / "others.yaml").read_text()
    s = diff(old, old.replace("Location: apps/child.yaml", "Location: apps/child2.yaml"))
    child = resources(s)["Child"]
    assert child["type"] == "AWS::CloudFormation::Stack"
    c = change(child, "/Properties/TemplateURL")
    assert c["after"].endswith("/apps/child2.yaml") and c["impact"] == "no-interruption"


PLAIN = """\
  Plain:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.11
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/worker
      Code: {ZipFile: "def handler(event, context): pass"}
"""


def test_a_refused_resource_is_compared_as_written_and_the_rest_is_expanded(diff):
    bad = FN.replace("      Events:\n        Get:", "      Evnts:\n        Get:") + PLAIN
    new = (bad.replace("MemorySize: 128", "MemorySize: 256").replace("python3.11", "python3.12")
           .replace("CodeUri: src/reports/", "CodeUri: src/reports/\n      Timeout: 60"))
    s = diff(bad, new)
    rs = resources(s)
    fn = rs["OrdersFn"]
    assert fn["type"] == "AWS::Serverless::Function" and fn["impact"] == "unknown" and "origin" not in fn
    (note,) = [n for n in s["notes"] if "refuses" in n]
    assert note == (
        "Transform AWS::Serverless-2016-10-31: aws-sam-translator " + version("aws-sam-translator")
        + " refuses OrdersFn (Resource with id [OrdersFn] is invalid. property Evnts not defined for resource of type "
        "AWS::Serverless::Function (both revisions)), so OrdersFn is compared as written in both revisions and its "
        "changes are unknown; the rest of the template is expanded"
    )
    # The other SAM function is expanded, and labelled by the rules of what it expands to.
    reports = rs["ReportsFn"]
    assert reports["type"] == "AWS::Lambda::Function" and reports["impact"] == "no-interruption"
    assert change(reports, "/Properties/Timeout")["after"] == 60
    # A resource that never was SAM keeps its own label.
    runtime = change(rs["Plain"], "/Properties/Runtime")
    assert (runtime["before"], runtime["after"], runtime["impact"]) == ("python3.11", "python3.12", "no-interruption")


def test_a_refusal_of_the_whole_template_keeps_the_labels_of_the_other_resources(diff):
    bad = FN.replace("    Timeout: 10", "    Timeout: 10\n    Colour: blue") + PLAIN
    s = diff(bad, bad.replace("python3.11", "python3.12").replace("MemorySize: 128", "MemorySize: 256"))
    (note,) = [n for n in s["notes"] if "refuses" in n]
    assert note.startswith(
        "Transform AWS::Serverless-2016-10-31: aws-sam-translator " + version("aws-sam-translator")
        + " refuses the template ('Globals' section is invalid. 'Colour' is not a supported property of 'Function'."
    )
    assert note.endswith("(both revisions)), so both revisions are compared as written: the changes of "
                         "AWS::Serverless resources are unknown, the other resources keep their labels")
    rs = resources(s)
    assert rs["OrdersFn"]["impact"] == "unknown"
    assert change(rs["Plain"], "/Properties/Runtime")["impact"] == "no-interruption"
    text = diff(bad, bad.replace("python3.11", "python3.12"), fmt="text")
    assert "no-interruption  /Properties/Runtime" in text


def test_a_refusal_in_one_revision_holds_the_resource_out_of_both(diff):
    bad = FN.replace("Path: /orders, Method: get", "Path: /orders, Method: get, RestApiId: 12")
    s = diff(FN, bad)
    rs = resources(s)
    assert rs["OrdersFn"]["type"] == "AWS::Serverless::Function"
    (note,) = [n for n in s["notes"] if "refuses" in n]
    assert "refuses OrdersFn (" in note and "new.yaml: Resource with id [OrdersFn] is invalid. Event with id [Get]" in note
    assert "old.yaml" not in note and "both revisions)" not in note
    assert "ReportsFn" not in rs  # unchanged, and expanded on both sides


def test_a_template_whose_only_sam_resource_is_refused_keeps_the_rest(diff):
    only = "Transform: AWS::Serverless-2016-10-31\nResources:\n" + FN.split("Resources:\n", 1)[1].split("  ReportsFn:")[0]
    bad = only.replace("      Events:\n        Get:", "      Evnts:\n        Get:")
    for old in (bad, bad + PLAIN):  # nothing left to translate, or a plain resource
        s = diff(old, old.replace("python3.11", "python3.12").replace("MemorySize: 128", "MemorySize: 256"))
        (note,) = [n for n in s["notes"] if "refuses" in n]
        assert "refuses OrdersFn (" in note and "refuses the template" not in note
        assert resources(s)["OrdersFn"]["impact"] == "unknown"
    assert change(resources(s)["Plain"], "/Properties/Runtime")["impact"] == "no-interruption"


def test_quoted_numbers_stay_strings_for_the_translator(diff):
    api = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  CachedApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      CacheClusterEnabled: true
      CacheClusterSize: "118"
      DefinitionBody: {swagger: "2.0", info: {title: cached}, paths: {}}
"""
    s = diff(api, api.replace('"118"', '"237"'))
    assert not [n for n in s["notes"] if "refuses" in n], s["notes"]
    stage = resources(s)["CachedApiprodStage"]
    c = change(stage, "/Properties/CacheClusterSize")
    assert (c["before"], c["after"], c["impact"]) == ("118", "237", "no-interruption")


def test_expanded_values_keep_the_types_the_template_wrote(diff):
    s = diff(FN, FN.replace("MemorySize: 128", "MemorySize: 256"))
    c = change(resources(s)["OrdersFn"], "/Properties/MemorySize")
    assert (c["before"], c["after"]) == (128, 256)
    s = diff(FN, FN.replace("MemorySize: 128", 'MemorySize: "256"'))
    c = change(resources(s)["OrdersFn"], "/Properties/MemorySize")
    assert (c["before"], c["after"]) == (128, "256")
    text = diff(FN, FN.replace("MemorySize: 128", "MemorySize: 256"), fmt="text")
    assert "/Properties/MemorySize  128 → 256" in text


# A function whose Api event is on the API named Api.
ITEMS_FN = """\
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Get:
          Type: Api
          Properties: {Path: /items, Method: get, RestApiId: !Ref Api}
"""


INCLUDED = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: ./api.yaml
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://specs/http.yaml}}
""" + ITEMS_FN


def test_an_included_api_body_is_not_compared_but_its_location_is(diff):
    s = diff(INCLUDED, INCLUDED.replace("./api.yaml", "./api-v2.yaml"))
    assert not [n for n in s["notes"] if "refuses" in n], s["notes"]
    assert ("Api: its DefinitionBody is included from ./api.yaml, then ./api-v2.yaml (AWS::Include) at deploy time "
            "and impact does not read it, so what the body defines is not compared; a change of its Location is"
            ) in s["notes"]
    assert any(n.startswith("Http: its DefinitionBody is included from s3://specs/http.yaml (AWS::Include)")
               for n in s["notes"])
    rs = resources(s)
    api = rs["Api"]
    assert api["type"] == "AWS::ApiGateway::RestApi" and api["origin"]["logical_id"] == "Api"
    c = change(api, "/Properties/Body/Fn::Transform/Parameters/Location")
    assert (c["before"], c["after"], c["impact"]) == ("./api.yaml", "./api-v2.yaml", "no-interruption")
    (deployment,) = [r for r in s["resources"] if r["type"] == "AWS::ApiGateway::Deployment"]
    assert deployment["event"].startswith("a new deployment is created; stage ApiprodStage moves to it")


IMAGE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      MemorySize: 1024
    Metadata:
      Dockerfile: Dockerfile
      DockerContext: ./worker
      DockerTag: python3.12-v1
"""


def test_an_image_function_built_by_sam_build_is_expanded_and_its_dockerfile_is_its_code(diff):
    s = diff(IMAGE, IMAGE.replace("Dockerfile: Dockerfile", "Dockerfile: Dockerfile.arm"))
    assert not [n for n in s["notes"] if "refuses" in n], s["notes"]
    worker = resources(s)["Worker"]
    assert worker["type"] == "AWS::Lambda::Function"
    c = change(worker, "/Properties/Code/ImageUri")
    assert (c["before"], c["after"], c["impact"]) == (
        "impact-local-image/worker/Dockerfile:python3.12-v1", "impact-local-image/worker/Dockerfile.arm:python3.12-v1",
        "no-interruption")
    s = diff(IMAGE, IMAGE.replace("DockerTag: python3.12-v1", "DockerTag: python3.12-v1\n      DockerBuildArgs: {V: 2}"))
    assert "DockerBuildArgs" in change(resources(s)["Worker"], "/Properties/Code/ImageUri")["after"]


ALWAYS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AlwaysDeploy: true
""" + ITEMS_FN


def test_always_deploy_is_a_new_deployment_every_time_the_same_way(impact, write):
    a, b = write("a.yaml", ALWAYS), write("b.yaml", ALWAYS.replace("Handler: app.handler", "Handler: app.main"))
    for old, new in ((a, a), (a, b)):
        runs = [impact("diff", old, new, "--format", "json") for _ in range(2)]
        assert runs[0].out == runs[1].out  # nothing depends on the clock
        stack = runs[0].json()["stacks"][0]
        (deployment,) = [r for r in stack["resources"] if r["type"] == "AWS::ApiGateway::Deployment"]
        assert deployment["action"] == "modify" and deployment["old_logical_id"] != deployment["logical_id"]
        assert deployment["event"].startswith("a new deployment is created; stage ApiprodStage moves to it")
        assert ("Api has AlwaysDeploy: true: every deploy creates a new deployment, whatever changed (the transform "
                "names it by the time of the deploy)") in stack["notes"]
    # Without AlwaysDeploy, an unchanged template has no new deployment.
    plain = write("c.yaml", ALWAYS.replace("      AlwaysDeploy: true\n", ""))
    stack = impact("diff", plain, plain, "--format", "json").json()["stacks"][0]
    assert stack["resources"] == []


def test_admin_policy_on_a_function_is_a_permission_change(diff):
    s = diff(FN, FN.replace("      AutoPublishAlias: live\n", "      AutoPublishAlias: live\n      Policies: [AdministratorAccess]\n"))
    (f,) = [f for f in s["findings"] if f["id"] == "permissions-broadened"]
    assert f["logical_id"] == "OrdersFnRole" and "AdministratorAccess" in f["message"]
    assert resources(s)["OrdersFnRole"]["origin"] == {"type": "AWS::Serverless::Function", "logical_id": "OrdersFn"}


def test_region_sets_the_partition(diff, write):
    new = FN.replace("      AutoPublishAlias: live\n", "      AutoPublishAlias: live\n      Policies: [AmazonS3ReadOnlyAccess]\n")
    s = diff(FN, new, "--region", "cn-north-1")
    role = resources(s)["OrdersFnRole"]
    arns = json.dumps(role["changes"])
    assert "arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess" in arns
    write(".impact.yaml", "region: us-gov-west-1\n")
    s = diff(FN, new, "--config", str(Path(write("cfg/.impact.yaml", "region: us-gov-west-1\n"))))
    assert "arn:aws-us-gov:iam::aws:policy/AmazonS3ReadOnlyAccess" in json.dumps(resources(s)["OrdersFnRole"]["changes"])


def test_bad_region_is_a_usage_error(impact, write):
    a = write("a.yaml", FN)
    result = impact("diff", a, a, "--region", "moon")
    assert result.code == 2 and "--region" in result.err and "Traceback" not in result.err


def test_origin_is_shown_in_every_format(diff):
    new = FN.replace("MemorySize: 128", "FunctionName: orders")
    for fmt in ("text", "md", "checklist", "html", "github", "sarif"):
        out = diff(FN, new, fmt=fmt)
        assert "from AWS::Serverless::Function OrdersFn" in out, fmt
    text = diff(FN, FN.replace("CodeUri: src/orders/", "CodeUri: src/v2/"), fmt="text")
    lines = [l for l in text.splitlines() if l.startswith(("~", "+", "-"))]
    # Everything expanded from OrdersFn is listed together.
    owners = [("OrdersFn" in l.split("from ")[-1]) if "from " in l else None for l in lines]
    first = owners.index(True)
    assert all(owners[first : first + owners.count(True)]), lines


def test_translator_missing_says_how_to_get_it(impact, write, tmp_path):
    shadow = tmp_path / "shadow" / "samtranslator"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('No module named samtranslator')\n")
    a = write("a.yaml", FN)
    b = write("b.yaml", FN.replace("MemorySize: 128", "MemorySize: 256"))
    result = impact("diff", a, b, "--format", "json", env={"PYTHONPATH": str(tmp_path / "shadow")})
    assert result.code == 0, result
    notes = result.json()["stacks"][0]["notes"]
    assert any("pip install 'aws-sam-translator" in n for n in notes), notes


@pytest.mark.parametrize("name", sorted(p.name for p in SAM_DIR.glob("*.yaml")))
def test_fixtures_self_diff_empty_in_yaml_and_json(name, impact, write):
    from samtranslator.yaml_helper import yaml_parse

    path = SAM_DIR / name
    result = impact("diff", path, path, "--format", "json")
    assert result.code == 0, result
    stack = result.json()["stacks"][0]
    assert stack["resources"] == [] and stack["sections"] == []
    assert not [n for n in stack["notes"] if "rejects" in n or "unknown" in n and "Repository" not in n], stack["notes"]
    as_json = write(name.replace(".yaml", ".json"), json.dumps(yaml_parse(path.read_text()), indent=2))
    result = impact("diff", path, as_json, "--format", "json")
    stack = result.json()["stacks"][0]
    assert stack["resources"] == [] and stack["sections"] == [], stack


def test_fixtures_cover_every_serverless_type_and_the_common_events():
    text = "".join(p.read_text() for p in SAM_DIR.glob("*.yaml"))
    for t in ("Function", "Api", "HttpApi", "SimpleTable", "LayerVersion", "StateMachine", "Application",
              "Connector", "GraphQLApi"):
        assert f"Type: AWS::Serverless::{t}\n" in text, t
    for event in ("Api", "HttpApi", "S3", "SQS", "SNS", "Kinesis", "DynamoDB", "Schedule", "ScheduleV2",
                  "EventBridgeRule", "CloudWatchEvent", "CloudWatchLogs", "IoTRule", "Cognito"):
        assert f"Type: {event}\n" in text, event
