"""False alarms and noise found by reading impact's output on public template
histories, each shown on a minimal template pair through the real CLI: what
CloudFormation does is said once, with the right label, and nothing that
was already true of the old template is reported as news."""

import json

import pytest
from conftest import assert_one_line_error, changes, resource


def findings(stack, finding_id=None):
    return [f for f in stack["findings"] if finding_id is None or f["id"] == finding_id]


# -- AWS::SSM::Document: UpdateMethod decides -------------------------------

DOCUMENT = """\
Parameters:
  Method: {Type: String, Default: NewVersion}
  Greeting: {Type: String, Default: hello}
Resources:
  Doc:
    Type: AWS::SSM::Document
    Properties:
      DocumentType: Command
      METHOD
      Content:
        schemaVersion: "2.2"
        mainSteps:
          - action: aws:runShellScript
            name: run
            inputs:
              runCommand:
                - !Sub echo ${Greeting} one
"""


def _document(method, text="one"):
    return DOCUMENT.replace("METHOD", method).replace("one", text)


@pytest.mark.parametrize(
    "method, label, words",
    [
        ("DocumentFormat: YAML", "replacement", "UpdateMethod is Replace"),  # the default
        ("UpdateMethod: Replace", "replacement", "UpdateMethod is Replace"),
        ("UpdateMethod: NewVersion", "some-interruptions", "new version"),
    ],
)
def test_document_content_is_decided_by_update_method(stack, method, label, words):
    s = stack(_document(method), _document(method, "two"))
    (c,) = resource(s, "Doc")["changes"]
    assert c["path"].startswith("/Properties/Content/") and c["impact"] == label, c
    assert words in c["rule"]["note"], c
    assert "UpdateMethod" in c["rule"]["source"] and "aws-resource-ssm-document" in c["rule"]["source"], c


def test_document_update_method_from_a_parameter_decides_nothing(stack):
    s = stack(_document("UpdateMethod: !Ref Method"), _document("UpdateMethod: !Ref Method", "two"))
    (c,) = resource(s, "Doc")["changes"]
    assert c["impact"] == "conditional", c


def test_document_update_method_decides_a_knock_on_too(stack):
    old = _document("UpdateMethod: NewVersion")
    s = stack(old, old.replace("Default: hello", "Default: bye"))
    (c,) = resource(s, "Doc")["changes"]
    assert c.get("cause") == "Parameter Greeting", c
    assert c["impact"] == "some-interruptions" and "new version" in c["rule"]["note"], c
    # Replaced by default; the Default may not be the stack's value, so it may.
    old = _document("DocumentFormat: YAML")
    s = stack(old, old.replace("Default: hello", "Default: bye"))
    (c,) = resource(s, "Doc")["changes"]
    assert c["impact"] == "conditional" and "UpdateMethod is Replace" in c["rule"]["note"], c


# -- custom resources: a new ServiceToken is rejected -------------------------

CUSTOM = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "def handler(e, c): pass"}
  Thing:
    Type: TYPE
    Properties:
      ServiceToken: TOKEN
      Size: 1
"""


@pytest.mark.parametrize("rtype", ["Custom::Thing", "AWS::CloudFormation::CustomResource"])
def test_a_new_service_token_is_an_update_cloudformation_rejects(stack, rtype):
    old = CUSTOM.replace("TYPE", rtype).replace("TOKEN", "arn:aws:lambda:us-east-1:123456789012:function:one")
    s = stack(old, old.replace("function:one", "function:two"))
    c = changes(s, "Thing")["/Properties/ServiceToken"]
    assert c["impact"] == "not-updatable", c
    assert "cloudformation-coverage-roadmap" in c["rule"]["source"], c
    (f,) = findings(s, "update-rejected")
    assert f["logical_id"] == "Thing" and "service token" in f["message"] and "new logical ID" in f["message"], f
    assert not findings(s, "not-updatable")  # one finding, the one that says why


def test_a_service_token_that_changes_with_its_function_is_rejected_too(stack):
    old = CUSTOM.replace("TYPE", "Custom::Thing").replace("TOKEN", "!GetAtt Fn.Arn")
    s = stack(old, old.replace("Handler: index.handler", "Handler: index.handler\n      FunctionName: renamed"))
    c = changes(s, "Thing")["/Properties/ServiceToken"]
    assert c["cause"] == "Fn" and c["impact"] == "not-updatable", c
    (f,) = findings(s, "update-rejected")
    assert "because Fn is replaced" in f["message"], f


def test_other_custom_properties_stay_the_providers_business(stack):
    old = CUSTOM.replace("TYPE", "Custom::Thing").replace("TOKEN", "!GetAtt Fn.Arn")
    s = stack(old, old.replace("Size: 1", "Size: 2"))
    assert changes(s, "Thing")["/Properties/Size"]["impact"] == "unknown"
    assert not findings(s, "update-rejected")


# -- a new Type: one change, rejected ------------------------------------------

HELM = """\
Parameters:
  Cluster: {Type: String, Default: one}
Resources:
  Chart:
    Type: Custom::Helm
    Version: "1.0"
    Properties:
      ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:helm
      ClusterID: one
      ClusterName: !Ref Cluster
      Chart: stable/nginx
  Reader:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !Ref Chart
"""


def test_a_new_type_is_one_rejected_change_whatever_else_changes(stack):
    new = HELM.replace("Type: Custom::Helm", "Type: AWSQS::Kubernetes::Helm").replace(
        "      ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:helm\n", "").replace("ClusterID: one", "ClusterID: two"
    ).replace("Default: one", "Default: two")
    s = stack(HELM, new)
    rd = resource(s, "Chart")
    (c,) = rd["changes"]
    assert c["path"] == "/Type" and c["impact"] == "not-updatable", c
    assert "/Properties/ClusterID" in c["rule"]["note"] and "/Properties/ServiceToken" in c["rule"]["note"], c
    assert [f["id"] for f in findings(s) if f["logical_id"] == "Chart"] == ["type-change"]
    # CloudFormation rejects the update: nothing refers to a replaced resource.
    assert "Reader" not in {r["logical_id"] for r in s["resources"]}


# -- the legacy Version attribute -------------------------------------------------

def test_the_legacy_version_attribute_changes_nothing(stack):
    s = stack(HELM, HELM.replace('Version: "1.0"', 'Version: "2.0"'))
    (c,) = resource(s, "Chart")["changes"]
    assert c["path"] == "/Version" and c["impact"] == "no-interruption", c
    assert "legacy" in c["rule"]["note"] and "aws-resource-cfn-customresource" in c["rule"]["source"], c
    s = stack(HELM, HELM.replace('    Version: "1.0"\n', ""))
    assert [c["impact"] for c in resource(s, "Chart")["changes"]] == ["no-interruption"]


# -- dangling references: only new ones are news ------------------------------

DANGLING = """\
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Metadata: {note: one}
    Properties:
      DisplayName: !Ref Missing
      TopicName: !Sub "${Missing}-topic"
"""


def test_a_reference_that_already_dangled_is_an_info_once(stack):
    s = stack(DANGLING, DANGLING.replace("note: one", "note: two"))
    (f,) = findings(s, "dangling-reference")
    assert f["severity"] == "info" and "still refers to Missing" in f["message"], f
    assert "and 1 more place" in f["message"] and "neither template defines" in f["message"], f
    assert "keep Missing" not in f["message"]


def test_a_new_reference_to_a_missing_id_is_an_error(stack):
    old = DANGLING.replace("!Ref Missing", "plain").replace('!Sub "${Missing}-topic"', "t")
    s = stack(old, DANGLING)
    fs = findings(s, "dangling-reference")
    assert {f["severity"] for f in fs} == {"error"} and len(fs) == 2, fs
    # A reference to an ID the old template defined and the new one removes is news too.
    s = stack(DANGLING.replace("Resources:\n", "Resources:\n  Missing:\n    Type: AWS::SQS::Queue\n"), DANGLING)
    assert {f["severity"] for f in findings(s, "dangling-reference")} == {"error"}


# -- a shell's ${VAR//a/b} in an Fn::Sub -----------------------------------------

SCRIPT = """\
Resources:
  Host:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          NAME="$1"
          echo ${AWS::Region}
          NAME=${NAME//"+"/".plus."}
          echo ${NAME#x}
"""


def test_a_shell_expansion_in_an_fn_sub_says_what_is_wrong(stack):
    old = SCRIPT.replace('NAME=${NAME//"+"/".plus."}', "true").replace("${NAME#x}", "done")
    s = stack(old, SCRIPT)
    assert not findings(s, "dangling-reference"), findings(s)
    (f,) = findings(s, "invalid-sub-variable")  # one per Fn::Sub
    assert f["severity"] == "error" and f["path"] == "/Properties/UserData", f
    assert 'NAME//"+"/".plus."} (and 1 more)' in f["message"] and "not a variable name" in f["message"], f
    assert '${!NAME//"+"/".plus."}' in f["message"], f
    # Written as literals, it is fine.
    s = stack(old, SCRIPT.replace("${NAME", "${!NAME"))
    assert not findings(s, "invalid-sub-variable") and not findings(s, "dangling-reference")
    # Already there before the change: an info.
    s = stack(SCRIPT, SCRIPT.replace('NAME="$1"', 'NAME="$2"'))
    (f,) = findings(s, "invalid-sub-variable")
    assert f["severity"] == "info" and "still has" in f["message"], f


# -- SAM's Globals, when the transform cannot expand the template ---------------

SAM_REFUSED = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 3
    NotAFunctionSetting: 1
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(e, c): pass"
"""


def test_globals_is_a_sam_section_even_when_the_transform_refuses(stack):
    s = stack(SAM_REFUSED, SAM_REFUSED.replace("Timeout: 3", "Timeout: 30"))
    assert not [n for n in s["notes"] if "not a section impact knows" in n], s["notes"]
    (sc,) = s["sections"]
    assert (sc["section"], sc["name"], sc["path"]) == ("Globals", "Function", "/Timeout"), sc



# -- one edit, one change ----------------------------------------------------------

BASTION = """\
Parameters:
  Bucket: {Type: String}
Resources:
  Host:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData:
        Fn::Base64:
          Fn::Join:
            - ""
            - - "#!/bin/bash\\n"
              - "BUCKET="
              - !Ref Bucket
              - "\\n"
              - "aws s3 cp s3://${BUCKET}/setup.sh .\\n"
              - "chmod +x setup.sh\\n"
              - "./setup.sh --region "
              - !Ref AWS::Region
              - "\\n"
              - "echo done\\n"
"""


def test_a_line_inserted_in_a_joined_script_is_one_change(stack):
    s = stack(BASTION, BASTION.replace('- "#!/bin/bash\\n"', '- "#!/bin/bash\\n"\n              - "set -e\\n"'))
    (c,) = resource(s, "Host")["changes"]
    assert c["kind"] == "add" and c["path"] == "/Properties/UserData/Fn::Base64/Fn::Join/1/1", c
    assert c["after"] == "set -e\n"
    # Deleted, the same; an edit in place stays an edit of its element.
    s = stack(BASTION, BASTION.replace('              - "chmod +x setup.sh\\n"\n', ""))
    assert [(c["kind"], c["path"][-2:]) for c in resource(s, "Host")["changes"]] == [("remove", "/5")]
    s = stack(BASTION, BASTION.replace("echo done", "echo finished"))
    assert [(c["kind"], c["path"][-2:]) for c in resource(s, "Host")["changes"]] == [("modify", "/9")]


DOC_STEPS = """\
Resources:
  Doc:
    Type: AWS::SSM::Document
    Properties:
      DocumentType: Automation
      UpdateMethod: NewVersion
      Content:
        schemaVersion: "0.3"
        mainSteps:
          - {name: one, action: "aws:sleep", inputs: {Duration: PT1S}, nextStep: two}
          - {name: two, action: "aws:sleep", inputs: {Duration: PT2S}, nextStep: three}
          - {name: three, action: "aws:sleep", inputs: {Duration: PT3S}, nextStep: four}
          - {name: four, action: "aws:sleep", inputs: {Duration: PT4S}}
"""


def test_a_step_inserted_in_a_list_of_mappings_is_one_change(stack):
    new = DOC_STEPS.replace(
        "          - {name: one,", "          - {name: zero, action: \"aws:sleep\", inputs: {Duration: PT0S}, nextStep: one}\n          - {name: one,"
    ).replace("Duration: PT3S", "Duration: PT30S")
    s = stack(DOC_STEPS, new)
    got = [(c["kind"], c["path"]) for c in resource(s, "Doc")["changes"]]
    assert got == [
        ("add", "/Properties/Content/mainSteps/0"),
        ("modify", "/Properties/Content/mainSteps/3/inputs/Duration"),
    ], got


def test_a_string_that_becomes_a_function_in_a_list_is_one_change(stack):
    role = """\
Conditions:
  Prod: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
"""
    new = role.replace("- arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                       "- !If [Prod, arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess, !Ref AWS::NoValue]")
    s = stack(role, new)
    (c,) = resource(s, "Role")["changes"]
    assert c["kind"] == "modify" and c["path"] == "/Properties/ManagedPolicyArns/1", c


def _at(value, path):
    for key in path:
        value = value[key]
    return value


def test_aligned_changes_are_never_more_and_point_at_their_values():
    from hypothesis import given, settings
    from test_properties import PROPERTIES, value_pairs

    from impact.diff.differ import align_lists, diff_values

    @settings(PROPERTIES, max_examples=300)
    @given(value_pairs())
    def check(pair):
        old, new = pair
        plain = diff_values(old, new, "T", None)
        aligned = align_lists(plain, old, new, "T", None)
        assert len(aligned) <= len(plain)
        for path, kind, before, after in aligned:  # removals at their old index, the rest at their new one
            if kind == "remove":
                assert _at(old, path) == before
            else:
                assert _at(new, path) == after

    check()


def test_an_item_that_moved_is_resolved_against_its_old_self(stack):
    params = "Parameters:\n  Short: {Type: String, Default: PT1S}\n  Long: {Type: String, Default: PT9S}\n"
    doc = params + DOC_STEPS[: DOC_STEPS.index("          - {name: one")] + "STEPS"
    old = doc.replace("STEPS", """\
          - {name: zero, action: "aws:sleep", inputs: {Duration: PT0S}}
          - {name: one, action: "aws:sleep", inputs: {Duration: !Ref Short}}
          - {name: two, action: "aws:sleep", inputs: {Duration: !Ref Long}}
""")
    new = doc.replace("STEPS", """\
          - {name: one, action: "aws:sleep", inputs: {Duration: !Ref Short}}
          - {name: two, action: "aws:sleep", inputs: {Duration: !Ref Short}}
""")
    s = stack(old, new)
    got = {c["path"]: (c["kind"], c["impact"]) for c in resource(s, "Doc")["changes"]}
    assert got == {
        "/Properties/Content/mainSteps/0": ("remove", "some-interruptions"),
        "/Properties/Content/mainSteps/1/inputs/Duration/Ref": ("modify", "some-interruptions"),
    }, got


# -- JSON that CloudFormation reads as YAML -------------------------------------

QUEUE_JSON = '{\n  "Resources": {\n    "Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "a", "DelaySeconds": 1}}\n  }\n}\n'


def test_json_with_a_trailing_comma_is_read_as_yaml_with_a_warning(impact, write):
    loose = QUEUE_JSON.replace('"DelaySeconds": 1}}\n', '"DelaySeconds": 2}},\n')
    r = impact("diff", write("old.json", QUEUE_JSON), write("new.json", loose), "--format", "json")
    assert r.code == 0, r
    s = r.json()["stacks"][0]
    assert changes(s, "Q")["/Properties/DelaySeconds"]["after"] == 2
    (w,) = s["warnings"]
    assert w["kind"] == "loose-json" and (w["line"], w["column"]) == (4, 3), w
    assert "not valid JSON" in w["message"] and "as CloudFormation reads a template" in w["message"], w


def test_json_with_a_tab_inside_a_string_is_read_as_yaml(stack):
    s = stack(QUEUE_JSON, QUEUE_JSON.replace('"QueueName": "a"', '"QueueName": "a\tb"'), suffix="json")
    assert changes(s, "Q")["/Properties/QueueName"]["after"] == "a\tb"
    assert [w["kind"] for w in s["warnings"]] == ["loose-json"]


def test_json_that_yaml_cannot_read_either_is_refused_where_json_breaks(impact, write):
    broken = QUEUE_JSON.replace('"QueueName": "a",', '"QueueName": "a"')
    r = impact("diff", write("old.json", QUEUE_JSON), write("new.json", broken))
    assert_one_line_error(r, contains="Expecting ',' delimiter")
    assert r.err.split(":")[1:3] == ["3", "70"], r.err


def test_items_edited_in_place_stay_edits_of_their_fields(stack):
    new = DOC_STEPS
    for name, seconds in (("one", "1"), ("two", "2"), ("three", "3"), ("four", "4")):
        new = new.replace(f"{{name: {name}, action: \"aws:sleep\", inputs: {{Duration: PT{seconds}S}}",
                          f"{{name: {name}x, action: \"aws:pause\", inputs: {{Duration: PT{seconds}0S}}")
    got = [(c["kind"], c["path"].rsplit("/", 1)[-1]) for c in resource(stack(DOC_STEPS, new), "Doc")["changes"]]
    assert len(got) == 12 and {k for k, _ in got} == {"modify"}, got
