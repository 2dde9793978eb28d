"""A deployed stack as OLD: its template, and a change set for NEW that is
created, read and always deleted, never executed.

boto3 is imported here only, when ``impact diff --stack`` runs; it is the
optional ``aws`` extra.  Credentials, region and profile come from boto3's
usual chain (environment, ``AWS_PROFILE``, config files, OIDC web identity,
instance roles); ``AWS_ENDPOINT_URL`` points it elsewhere, as the tests do.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Optional

MAX_BODY = 51_200  # bytes CloudFormation accepts as TemplateBody
# Creating a change set needs every capability the template might need; it
# grants nothing, since impact never executes the change set.
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
IN_PROGRESS = ("CREATE_PENDING", "CREATE_IN_PROGRESS")
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
POLL_SECONDS = 2.0
WAIT_SECONDS = 900.0
MAX_NESTED = 200  # nested change sets read for one stack


class AwsError(Exception):
    """Something AWS (or the way to it) refused: one line for the user."""


@dataclass
class StackPreview:
    """What AWS says about deploying NEW over a stack."""

    stack: str
    region: str
    template: str  # the deployed template, as text
    parameters: dict = field(default_factory=dict)  # the deployed stack's parameter values
    pages: list = field(default_factory=list)  # describe-change-set responses, root first, then nested
    no_changes: bool = False
    deleted: bool = True


def _boto3():
    try:
        import boto3  # noqa: F401
        import botocore  # noqa: F401
    except ImportError:
        raise AwsError("--stack needs boto3, the aws extra: pip install boto3") from None
    return boto3


def _plain(value):
    """A response as JSON data: timestamps as ISO 8601 text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _message(error) -> str:
    response = getattr(error, "response", None) or {}
    err = response.get("Error") or {}
    return " ".join(str(err.get("Message") or error).split())


def _code(error) -> str:
    return ((getattr(error, "response", None) or {}).get("Error") or {}).get("Code") or ""


def _template_text(body) -> str:
    """GetTemplate's TemplateBody: botocore hands JSON templates over parsed."""
    if isinstance(body, str):
        return body
    return json.dumps(body, indent=1)


def _parameters(deployed: list, new_names: list, given: dict) -> list:
    """The change set's parameters: a given value, else the deployed stack's
    (UsePreviousValue) where it has the parameter, else the template default."""
    have = {p.get("ParameterKey") for p in deployed}
    out = []
    for name in new_names:
        if name in given:
            out.append({"ParameterKey": name, "ParameterValue": given[name]})
        elif name in have:
            out.append({"ParameterKey": name, "UsePreviousValue": True})
    return out


def preview(
    stack: str,
    new_body: str,
    new_parameters: list,
    given: Optional[dict] = None,
    say: Callable[[str], None] = lambda text: None,
    warn: Callable[[str], None] = lambda text: None,
    sleep: Callable[[float], None] = time.sleep,
    region: Optional[str] = None,
) -> StackPreview:
    """GetTemplate of ``stack`` and a change set of ``new_body`` over it,
    described with its property values and nested change sets, then deleted
    whatever happens (errors and Ctrl-C too)."""
    boto3 = _boto3()
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

    try:
        client = boto3.session.Session(region_name=region).client("cloudformation")
    except NoRegionError:
        raise AwsError("no AWS region: set AWS_DEFAULT_REGION, a profile's region or --region") from None
    except BotoCoreError as e:
        raise AwsError(f"cannot reach CloudFormation: {e}") from None
    region = client.meta.region_name
    try:
        found = client.describe_stacks(StackName=stack)["Stacks"]
        template = client.get_template(StackName=stack, TemplateStage="Original")["TemplateBody"]
    except NoCredentialsError:
        raise AwsError("no AWS credentials: configure them (aws configure, AWS_PROFILE, or OIDC in CI)") from None
    except ClientError as e:
        if _code(e) == "ValidationError" and "does not exist" in _message(e):
            raise AwsError(f"stack {stack} not found in {region}") from None
        raise AwsError(f"{stack}: {_code(e)}: {_message(e)}") from None
    except BotoCoreError as e:
        raise AwsError(f"cannot reach CloudFormation in {region}: {e}") from None
    if len(new_body.encode("utf-8")) > MAX_BODY:
        raise AwsError(
            f"the new template is over CloudFormation's {MAX_BODY:,}-byte TemplateBody limit; "
            "create the change set from S3 yourself and give it with --change-set"
        )
    out = StackPreview(stack=stack, region=region, template=_template_text(template))
    for p in found[0].get("Parameters") or []:
        if isinstance(p.get("ParameterKey"), str):
            out.parameters[p["ParameterKey"]] = p.get("ResolvedValue") or p.get("ParameterValue")
    name = f"impact-preview-{uuid.uuid4().hex[:12]}"
    params = _parameters(found[0].get("Parameters") or [], new_parameters, given or {})
    attempted = False  # whether a change set may exist and needs deleting
    try:
        say(f"creating change set {name} for stack {stack} in {region} (never executed; deleted after reading)")
        attempted = True
        try:
            client.create_change_set(
                StackName=stack,
                ChangeSetName=name,
                ChangeSetType="UPDATE",
                TemplateBody=new_body,
                Parameters=params,
                Capabilities=CAPABILITIES,
                IncludeNestedStacks=True,
                Description="impact preview: read-only, deleted after reading",
            )
        except ClientError as e:
            attempted = False  # refused: nothing was created
            if any(reason in _message(e) for reason in NO_CHANGES):
                out.no_changes = True
                out.pages = [{"ChangeSetName": name, "StackName": stack, "Status": "FAILED", "StatusReason": _message(e), "Changes": []}]
                return out
            raise
        root = _wait(client, stack, name, sleep)
        if root.get("Status") == "FAILED":
            reason = " ".join(str(root.get("StatusReason") or "no reason given").split())
            if any(r in reason for r in NO_CHANGES):
                out.no_changes = True
                out.pages = [_plain(root)]
                return out
            raise AwsError(f"change set for stack {stack} FAILED: {reason}")
        out.pages = _describe_all(client, stack, name)
        return out
    except NoCredentialsError:
        raise AwsError("no AWS credentials: configure them (aws configure, AWS_PROFILE, or OIDC in CI)") from None
    except ClientError as e:
        raise AwsError(f"{stack}: {_code(e)}: {_message(e)}") from None
    except BotoCoreError as e:
        raise AwsError(f"{stack}: {e}") from None
    finally:
        # Also when the create call itself was cut short: it may have gone through.
        out.deleted = _delete(client, stack, name, sleep, say, warn) if attempted else True


def _wait(client, stack: str, name: str, sleep) -> dict:
    waited = 0.0
    while True:
        page = client.describe_change_set(StackName=stack, ChangeSetName=name)
        if page.get("Status") not in IN_PROGRESS:
            return page
        if waited >= WAIT_SECONDS:
            raise AwsError(f"change set {name} still {page.get('Status')} after {int(WAIT_SECONDS)} s")
        sleep(POLL_SECONDS)
        waited += POLL_SECONDS


def _describe(client, stack: Optional[str], name: str) -> list:
    pages, token = [], None
    while True:
        args = {"ChangeSetName": name, "IncludePropertyValues": True}
        if stack:
            args["StackName"] = stack
        if token:
            args["NextToken"] = token
        page = _plain(client.describe_change_set(**args))
        pages.append(page)
        token = page.get("NextToken")
        if not token:
            return pages


def _describe_all(client, stack: str, name: str) -> list:
    """The root change set's pages, then every nested change set's, by id."""
    pages = _describe(client, stack, name)
    queue = [p for p in pages]
    seen: set = set()
    while queue:
        page = queue.pop(0)
        for change in page.get("Changes") or []:
            rc = change.get("ResourceChange") or {}
            nested = rc.get("ChangeSetId")
            if nested and rc.get("ResourceType") == "AWS::CloudFormation::Stack" and nested not in seen:
                if len(seen) >= MAX_NESTED:
                    raise AwsError(f"more than {MAX_NESTED} nested change sets")
                seen.add(nested)
                more = _describe(client, None, nested)
                pages.extend(more)
                queue.extend(more)
    return pages


def _delete(client, stack: str, name: str, sleep, say, warn) -> bool:
    """Delete the change set (its nested ones go with it); a change set
    still being created cannot be deleted yet, so wait for it a little."""
    from botocore.exceptions import BotoCoreError, ClientError

    for _ in range(30):
        try:
            client.delete_change_set(StackName=stack, ChangeSetName=name)
            say(f"deleted change set {name}")
            return True
        except ClientError as e:
            if _code(e) == "InvalidChangeSetStatus":
                sleep(POLL_SECONDS)
                continue
            if _code(e) == "ChangeSetNotFound":
                return True
            warn(f"could not delete change set {name} of stack {stack}: {_message(e)}; delete it by hand")
            return False
        except (BotoCoreError, KeyError) as e:
            warn(f"could not delete change set {name} of stack {stack}: {e}; delete it by hand")
            return False
    warn(f"could not delete change set {name} of stack {stack}: still in progress; delete it by hand")
    return False
