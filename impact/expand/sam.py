"""Expand the SAM transform (``AWS::Serverless-2016-10-31``) offline.

The template is handed to ``aws-sam-translator``, the library the transform
itself runs, which is imported only here and only for a template that
declares the transform.  Offline means:

- managed policy names come from the translator's bundled map;
- the region is a placeholder (``--region`` or ``region:`` in .impact.yaml);
- a local ``CodeUri``, ``ContentUri``, ``DefinitionUri`` or ``SchemaUri``
  becomes ``s3://impact-local-artifacts/<path>``, so that a changed path is
  still a change;
- an ``AWS::Serverless::Application`` from the Serverless Application
  Repository is held out of the translation and kept as it is: its template
  is fetched at deploy time, so its changes stay unknown;
- the translator's Serverless Application Repository client refuses to be
  created, so no network call can happen.

The loader turns every scalar into a string; the translator checks types
(``Enabled: true`` must be a boolean), so integers and booleans are given
back to it as such, and its output is turned into strings again.
"""

from __future__ import annotations

import os
import posixpath
import re
from contextlib import contextmanager
from typing import Optional

from ..load.loader import canon_scalar
from ..model import Origin
from . import SAM

PREFIX = "AWS::Serverless::"
# The translator's version range (pyproject.toml): see the README.
REQUIREMENT = "aws-sam-translator>=1.100,<2"
REGION = "us-east-1"  # the placeholder region when none is given
BUCKET = "impact-local-artifacts"
APPLICATION = "AWS::Serverless::Application"
# Resources the transform adds on behalf of several SAM resources.
IMPLICIT = {
    "ServerlessRestApi": "AWS::Serverless::Api",
    "ServerlessHttpApi": "AWS::Serverless::HttpApi",
}
# SAM type -> the properties that may name a local file or folder.
LOCAL_URIS = {
    "AWS::Serverless::Function": ("CodeUri",),
    "AWS::Serverless::LayerVersion": ("ContentUri",),
    "AWS::Serverless::Api": ("DefinitionUri",),
    "AWS::Serverless::HttpApi": ("DefinitionUri",),
    "AWS::Serverless::StateMachine": ("DefinitionUri",),
    "AWS::Serverless::GraphQLApi": ("SchemaUri",),
}
GLOBALS = {"Function": "AWS::Serverless::Function", "Api": "AWS::Serverless::Api", "HttpApi": "AWS::Serverless::HttpApi"}
MAX_REASON = 600  # characters of the translator's reason quoted in a note
_REMOTE = re.compile(r"^(s3|https?)://", re.IGNORECASE)
_INT = re.compile(r"-?(0|[1-9][0-9]{0,17})\Z")


class Rejected(Exception):
    """The translator refused the template; the message is its reason, on one line."""


class Missing(Exception):
    """aws-sam-translator is not installed."""


def _typed(value):
    """The value with integers and booleans as the translator expects them."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if value == "true":
        return True
    if value == "false":
        return False
    if isinstance(value, str) and _INT.match(value):
        return int(value)
    return value


def _canon(value):
    """Back to the loader's form: every scalar a string."""
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    return canon_scalar(value)


def placeholder(path: str, scheme: str = "s3") -> str:
    """The stable stand-in for a local artifact path."""
    norm = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    norm = "" if norm == "." else norm
    if scheme == "s3":
        return f"s3://{BUCKET}/{norm}"
    return f"https://{BUCKET}.s3.amazonaws.com/{norm}"


def _local(value) -> bool:
    return isinstance(value, str) and not _REMOTE.match(value)


def _rewrite_local(data: dict) -> None:
    """Local artifact paths become placeholders (in place, on the copy)."""
    globals_ = data.get("Globals") if isinstance(data.get("Globals"), dict) else {}
    for section, rtype in GLOBALS.items():
        props = globals_.get(section)
        if isinstance(props, dict):
            for key in LOCAL_URIS[rtype]:
                if _local(props.get(key)):
                    props[key] = placeholder(props[key])
    global_code = isinstance(globals_.get("Function"), dict) and "CodeUri" in globals_["Function"]
    for resource in data["Resources"].values():
        if not isinstance(resource, dict):
            continue
        rtype = resource.get("Type")
        props = resource.get("Properties")
        if rtype == APPLICATION and isinstance(props, dict) and _local(props.get("Location")):
            props["Location"] = placeholder(props["Location"], "https")
        if rtype not in LOCAL_URIS:
            continue
        if not isinstance(props, dict):
            props = resource["Properties"] = {} if props is None else props
            if not isinstance(props, dict):
                continue
        for key in LOCAL_URIS[rtype]:
            if _local(props.get(key)):
                props[key] = placeholder(props[key])
        if (
            rtype == "AWS::Serverless::Function"
            and not global_code
            and not any(k in props for k in ("CodeUri", "InlineCode", "ImageUri"))
            and props.get("PackageType") != "Image"
        ):
            props["CodeUri"] = placeholder(".")  # sam build packages the template's folder


def _held_out(data: dict) -> dict:
    """SAR applications (a Location with an ApplicationId): removed from the
    copy for the translator, returned to be put back as they are."""
    out = {}
    for logical_id, resource in list(data["Resources"].items()):
        if isinstance(resource, dict) and resource.get("Type") == APPLICATION:
            props = resource.get("Properties")
            if isinstance(props, dict) and isinstance(props.get("Location"), dict):
                out[logical_id] = data["Resources"].pop(logical_id)
    return out


def _refuse_network():
    raise Rejected("a Serverless Application Repository lookup would need the network")


@contextmanager
def _quiet_region(region: str):
    """The placeholder region for every boto3 lookup the translator makes
    (local configuration only), and none of its log lines or warnings."""
    import logging

    saved = {k: os.environ.get(k) for k in ("AWS_DEFAULT_REGION", "AWS_EC2_METADATA_DISABLED")}
    os.environ["AWS_DEFAULT_REGION"] = region
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    logger = logging.getLogger("samtranslator")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _reason(error: Exception) -> str:
    causes = getattr(error, "causes", None)
    if causes:
        text = "; ".join(str(getattr(c, "message", c)) for c in causes)
    else:
        text = str(getattr(error, "message", "") or error) or type(error).__name__
    text = " ".join(text.split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def translate(data: dict, values: Optional[dict], region: Optional[str]):
    """(expanded data, {logical ID: Origin}, notes) for one SAM template.

    Raises :class:`Rejected` with the translator's reason when it refuses the
    template, and :class:`Missing` when the translator is not installed.
    """
    region = region or REGION
    with _quiet_region(region):
        try:
            from types import SimpleNamespace

            from samtranslator.internal.managed_policies import get_bundled_managed_policy_map
            from samtranslator.metrics.metrics import DummyMetricsPublisher, Metrics
            from samtranslator.parser.parser import Parser
            from samtranslator.plugins.application.serverless_app_plugin import ServerlessAppPlugin
            from samtranslator.translator.arn_generator import ArnGenerator
            from samtranslator.translator.translator import Translator
        except ImportError as e:
            raise Missing(str(e)) from None
        sam_input = _typed(data)
        held = _held_out(sam_input)
        _rewrite_local(sam_input)
        partition = ArnGenerator.get_partition_name(region)
        policies = get_bundled_managed_policy_map(partition) or get_bundled_managed_policy_map("aws") or {}
        translator = Translator(
            None,
            Parser(),
            plugins=[ServerlessAppPlugin(sar_client_creator=_refuse_network)],
            boto_session=SimpleNamespace(region_name=region),
            metrics=Metrics("ServerlessTransform", DummyMetricsPublisher()),
        )
        params = {k: v for k, v in (values or {}).items() if isinstance(v, str)}
        try:
            out = translator.translate(sam_input, params, get_managed_policy_map=lambda: policies)
        except RecursionError:
            raise Rejected("the template nests too deeply for the transform") from None
        except Rejected:
            raise
        except Exception as e:  # the translator's own checks, or its failures on odd input
            raise Rejected(_reason(e)) from None
        finally:
            translator.metrics.publish()  # to its dummy publisher: nothing leaves the process
    out = _canon(out)
    resources = out.setdefault("Resources", {})
    resources.update(_canon(held))
    notes = [
        f"{APPLICATION} {lid} comes from the Serverless Application Repository: its template is fetched "
        "at deploy time, so it is compared as written and its changes are unknown"
        for lid in held
    ]
    return out, origins(data, resources), notes


def origins(data: dict, resources: dict) -> dict:
    """The SAM resource each generated resource comes from.

    The transform names what it generates after the SAM resource
    (``OrdersFn`` -> ``OrdersFnRole``, ``OrdersFnVersion3f6462f125``), so a
    generated ID belongs to the longest SAM logical ID it starts with.
    ``ServerlessRestApi`` and ``ServerlessHttpApi`` are the APIs the transform
    makes for functions' API events; what is left (CodeDeploy's application
    and role) is the transform's own.
    """
    source = data.get("Resources") or {}
    sam = {}
    for lid, r in source.items():
        rtype = r.get("Type") if isinstance(r, dict) else None
        if isinstance(rtype, str) and rtype.startswith(PREFIX) and not (rtype == APPLICATION and _sar(r)):
            sam[lid] = rtype
    names = sorted(sam, key=len, reverse=True)
    out = {}
    for lid in resources:
        if lid in source and lid not in sam:
            continue  # the template's own CloudFormation resource
        owner = next((n for n in names if lid.startswith(n)), None)
        if owner is not None:
            out[lid] = Origin(sam[owner], owner)
            continue
        implicit = next((n for n in IMPLICIT if lid.startswith(n)), None)
        out[lid] = Origin(IMPLICIT[implicit], implicit) if implicit else Origin(SAM)
    return out


def _sar(resource: dict) -> bool:
    props = resource.get("Properties")
    return isinstance(props, dict) and isinstance(props.get("Location"), dict)


def source_path(origin: Origin, data: dict) -> tuple:
    """Where a resource generated from ``origin`` is shown in the source template."""
    if origin.logical_id and origin.logical_id in (data.get("Resources") or {}):
        return ("Resources", origin.logical_id)
    return ("Transform",)
