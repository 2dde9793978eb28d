"""Expand the SAM transform (``AWS::Serverless-2016-10-31``) offline.

The template is handed to ``aws-sam-translator``, the library the transform
itself runs, which is imported only here (see :mod:`.samlib`) and only for a
template that declares the transform.  Offline means:

- managed policy names come from the translator's bundled map;
- the region is a placeholder (``--region`` or ``region:`` in .impact.yaml);
- a local ``CodeUri``, ``ContentUri``, ``DefinitionUri`` or ``SchemaUri``
  becomes ``s3://impact-local-artifacts/<path>``, so that a changed path is
  still a change; an image function with no ``ImageUri`` (``sam build``
  builds it from the ``Docker*`` keys of its ``Metadata``) gets
  ``impact-local-image/<DockerContext>/<Dockerfile>:<DockerTag>``, so that a
  change of what the image is built from is a change of its code;
- a ``DefinitionBody`` included with ``Fn::Transform: AWS::Include`` is not
  read: the translator gets a minimal OpenAPI document in its place, which
  keeps the ``Fn::Transform`` (so a change of ``Location`` is a change of the
  API's body), and a note says the body is not compared;
- an API with ``AlwaysDeploy: true``, whose deployment the transform names by
  the time of the deploy, gets a new deployment in every comparison, named
  the same way every time (by revision, not by the clock);
- an ``AWS::Serverless::Application`` from the Serverless Application
  Repository is held out of the translation and kept as it is: its template
  is fetched at deploy time, so its changes stay unknown;
- the translator's Serverless Application Repository client refuses to be
  created, so no network call can happen.

The translator checks types (``Enabled: true`` must be a boolean,
``CacheClusterSize: "0.5"`` a string), as the transform does on what
CloudFormation hands it: it gets the values with the types the template
wrote (:mod:`impact.load.typed`), and its output keeps them.

A resource the translator refuses (``Resource with id [X] is invalid``) is
held out of the translation in both revisions and compared as written, so
that the rest is still expanded (:func:`translate_pair`).
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from contextlib import contextmanager
from typing import Optional
from urllib.parse import quote

from ..load.typed import FALSE, TRUE, Float, Int, Typed
from ..model import Origin
from . import SAM

PREFIX = "AWS::Serverless::"
# The translator's version range (pyproject.toml): see the README.
REQUIREMENT = "aws-sam-translator>=1.100,<2"
REGION = "us-east-1"  # the placeholder region when none is given
BUCKET = "impact-local-artifacts"
IMAGE = "impact-local-image"
APPLICATION = "AWS::Serverless::Application"
FUNCTION = "AWS::Serverless::Function"
# Resources the transform adds on behalf of several SAM resources.
IMPLICIT = {
    "ServerlessRestApi": "AWS::Serverless::Api",
    "ServerlessHttpApi": "AWS::Serverless::HttpApi",
}
# SAM type -> the properties that may name a local file or folder.
LOCAL_URIS = {
    FUNCTION: ("CodeUri",),
    "AWS::Serverless::LayerVersion": ("ContentUri",),
    "AWS::Serverless::Api": ("DefinitionUri",),
    "AWS::Serverless::HttpApi": ("DefinitionUri",),
    "AWS::Serverless::StateMachine": ("DefinitionUri",),
    "AWS::Serverless::GraphQLApi": ("SchemaUri",),
}
GLOBALS = {"Function": FUNCTION, "Api": "AWS::Serverless::Api", "HttpApi": "AWS::Serverless::HttpApi"}
# The API types whose DefinitionBody may be included, and the smallest document each accepts in its place.
INCLUDE_STANDIN = {
    "AWS::Serverless::Api": {"swagger": "2.0", "info": {"title": "", "version": "1.0"}, "paths": {}},
    "AWS::Serverless::HttpApi": {"openapi": "3.0.1", "info": {"title": "", "version": "1.0"}, "paths": {}},
}
MAX_REASON = 600  # characters of the translator's reason quoted in a note
MAX_ROUNDS = 4  # translations of the pair, each holding out what the one before refused
_REMOTE = re.compile(r"^(s3|https?)://", re.IGNORECASE)
_REFUSED = re.compile(r"Resource with id \[([^\]]+)\] is invalid")
_DEPLOYMENT = re.compile(r"^(.+Deployment)([0-9a-f]{10})$")


class Rejected(Exception):
    """The translator refused the template: ``reasons`` are its messages,
    each on one line, and the message is them joined."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__("; ".join(self.reasons))


class Missing(Exception):
    """aws-sam-translator is not installed."""


def _typed(value):
    """The value as the template wrote it: numbers and booleans written
    unquoted as such, what was quoted as a string."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, Typed):
        return value.as_written()
    return value


def _canon(value):
    """Back to the loader's form: every scalar a string, numbers and
    booleans keeping their type (:mod:`impact.load.typed`)."""
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    if value is True:
        return TRUE
    if value is False:
        return FALSE
    if isinstance(value, int):
        return Int(value)
    if isinstance(value, float):
        return Float(repr(value))
    return value


def placeholder(path: str, scheme: str = "s3") -> str:
    """The stable stand-in for a local artifact path."""
    norm = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    norm = "" if norm == "." else norm
    if scheme == "s3":
        return f"s3://{BUCKET}/{norm}"
    return f"https://{BUCKET}.s3.amazonaws.com/{norm}"


def image_placeholder(logical_id: str, metadata) -> str:
    """The stand-in ``ImageUri`` of an image function ``sam build`` builds
    from its Metadata: what the image is built from, so that a change of it
    is a change."""
    docker = {k: v for k, v in metadata.items() if isinstance(k, str) and k.startswith("Docker")} \
        if isinstance(metadata, dict) else {}
    context, dockerfile = docker.pop("DockerContext", "."), docker.pop("Dockerfile", "Dockerfile")
    tag = docker.pop("DockerTag", "latest")
    if not all(isinstance(x, str) for x in (context, dockerfile, tag)):
        return f"{IMAGE}/{logical_id}"
    norm = posixpath.normpath(f"{context}/{dockerfile}".replace("\\", "/")).lstrip("/")
    uri = f"{IMAGE}/{norm}:{tag}"
    if docker:  # DockerBuildArgs, DockerBuildTarget, ...
        uri += "?" + "&".join(f"{k}={quote(json.dumps(v, sort_keys=True, default=str))}" for k, v in sorted(docker.items()))
    return uri


def _local(value) -> bool:
    return isinstance(value, str) and not _REMOTE.match(value)


def _section(data: dict, name: str) -> dict:
    globals_ = data.get("Globals")
    section = globals_.get(name) if isinstance(globals_, dict) else None
    return section if isinstance(section, dict) else {}


def _rewrite_local(data: dict) -> None:
    """Local artifact paths become placeholders (in place, on the copy)."""
    for section, rtype in GLOBALS.items():
        props = _section(data, section)
        for key in LOCAL_URIS[rtype]:
            if _local(props.get(key)):
                props[key] = placeholder(props[key])
    function_globals = _section(data, "Function")
    global_code = "CodeUri" in function_globals
    for logical_id, resource in data["Resources"].items():
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
        if rtype != FUNCTION:
            continue
        image = props.get("PackageType", function_globals.get("PackageType")) == "Image"
        if image and "ImageUri" not in props and "ImageUri" not in function_globals:
            props["ImageUri"] = image_placeholder(logical_id, resource.get("Metadata"))  # sam build builds it
        elif not image and not global_code and not any(k in props for k in ("CodeUri", "InlineCode", "ImageUri")):
            props["CodeUri"] = placeholder(".")  # sam build packages the template's folder


def _include(body) -> Optional[str]:
    """The Location of a body given as ``Fn::Transform: AWS::Include``
    ("" when it has none), or None."""
    if isinstance(body, dict) and len(body) == 1 and isinstance(body.get("Fn::Transform"), dict):
        transform = body["Fn::Transform"]
        if transform.get("Name") == "AWS::Include":
            params = transform.get("Parameters")
            location = params.get("Location") if isinstance(params, dict) else None
            return location if isinstance(location, str) else json.dumps(location, sort_keys=True, default=str)
    return None


def _stand_in_includes(data: dict) -> dict:
    """Included API bodies replaced by a minimal document that keeps the
    ``Fn::Transform`` (in place, on the copy): {logical ID: Location}."""
    found = {}
    for logical_id, resource in data["Resources"].items():
        if not isinstance(resource, dict) or resource.get("Type") not in INCLUDE_STANDIN:
            continue
        props = resource.get("Properties")
        location = _include(props.get("DefinitionBody")) if isinstance(props, dict) else None
        if location is None:
            continue
        standin = json.loads(json.dumps(INCLUDE_STANDIN[resource["Type"]]))
        standin["info"]["title"] = logical_id
        props["DefinitionBody"] = {**standin, **props["DefinitionBody"]}
        found[logical_id] = location
    return found


def _include_notes(includes: list) -> list:
    """A note per API whose body is included, in either revision: ``includes``
    holds each revision's {logical ID: Location}."""
    notes = []
    for logical_id in dict.fromkeys(lid for side in includes for lid in side):
        places = list(dict.fromkeys(side[logical_id] or "a Location" for side in includes if logical_id in side))
        where = " and ".join(places) if len(places) == 1 else f"{places[0]}, then {places[1]}"
        notes.append(
            f"{logical_id}: its DefinitionBody is included from {where} (AWS::Include) at deploy time and impact "
            "does not read it, so what the body defines is not compared; a change of its Location is"
        )
    return notes


def _always_deploy(data: dict) -> list:
    """The APIs with ``AlwaysDeploy: true`` (their own, or from Globals)."""
    default = _section(data, "Api").get("AlwaysDeploy") is True
    apis = []
    for logical_id, resource in data["Resources"].items():
        if isinstance(resource, dict) and resource.get("Type") == "AWS::Serverless::Api":
            props = resource.get("Properties") if isinstance(resource.get("Properties"), dict) else {}
            if props.get("AlwaysDeploy", default) is True:
                apis.append(logical_id)
    if default:
        apis.append("ServerlessRestApi")  # the implicit API of functions' Api events takes the Globals too
    return apis


def _renamed(value, names: dict):
    """``value`` with every string that names a key of ``names`` renamed."""
    if isinstance(value, dict):
        return {names.get(k, k): _renamed(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    if isinstance(value, str):
        if value in names:
            return names[value]
        for old, new in names.items():
            if old in value:
                value = value.replace(old, new)
    return value


def _deploy_always(out: dict, apis: list, side: str) -> dict:
    """The deployments of ``apis`` named by revision (``side``), not by the
    clock: a new one in every comparison, the same every time."""
    names = {}
    for logical_id, resource in out.get("Resources", {}).items():
        m = _DEPLOYMENT.match(logical_id)
        if m and m.group(1)[: -len("Deployment")] in apis and resource.get("Type") == "AWS::ApiGateway::Deployment":
            digest = hashlib.sha1(f"{side}:{logical_id[: -10]}".encode()).hexdigest()
            names[logical_id] = m.group(1) + digest[:10]
            description = resource.get("Properties", {}).get("Description", "")
            old_digest = description.rsplit(" ", 1)[-1] if isinstance(description, str) else ""
            if re.fullmatch(r"[0-9a-f]{40}", old_digest):
                names[old_digest] = digest
    return _renamed(out, names) if names else out


def _held_out(data: dict, refused: frozenset) -> list:
    """SAR applications (a Location with an ApplicationId) and the resources
    the translator refused: removed from the copy for the translator, their
    IDs returned."""
    out = []
    for logical_id, resource in list(data["Resources"].items()):
        if logical_id in refused:
            out.append(logical_id)
        elif isinstance(resource, dict) and resource.get("Type") == APPLICATION and _sar(resource):
            out.append(logical_id)
    for logical_id in out:
        del data["Resources"][logical_id]
    return out


def _refuse_network():
    raise Rejected(["a Serverless Application Repository lookup would need the network"])


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


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def _reasons(error: Exception) -> list:
    causes = getattr(error, "causes", None)
    if causes:
        texts = [str(getattr(c, "message", c)) for c in causes]
    else:
        texts = [str(getattr(error, "message", "") or error) or type(error).__name__]
    return [_one_line(t) for t in texts]


def version() -> str:
    try:
        from importlib.metadata import version as installed

        return installed("aws-sam-translator")
    except Exception:  # not installed as a distribution
        return "?"


def _raw(data: dict, values: Optional[dict], region: str, refused: frozenset):
    """(the translator's output, IDs held out, {API: Location of its included
    body}, APIs that always deploy)."""
    from .samlib import library

    with _quiet_region(region):
        try:
            lib = library()
        except ImportError as e:
            raise Missing(str(e)) from None
        sam_input = _typed(data)
        held = _held_out(sam_input, refused)
        _rewrite_local(sam_input)
        includes = _stand_in_includes(sam_input)
        always = _always_deploy(sam_input)
        if not sam_input["Resources"]:  # everything held out: nothing to translate
            out = {k: v for k, v in sam_input.items() if k not in ("Transform", "Globals")}
            return out, held, includes, always
        partition = lib.ArnGenerator.get_partition_name(region)
        policies = lib.policies(partition) or lib.policies("aws") or {}
        translator = lib.Translator(
            None,
            lib.Parser(),
            plugins=[lib.ServerlessAppPlugin(sar_client_creator=_refuse_network)],
            boto_session=_Session(region),
            metrics=lib.Metrics("ServerlessTransform", lib.DummyMetricsPublisher()),
        )
        params = {k: v for k, v in (values or {}).items() if isinstance(v, str)}
        try:
            out = translator.translate(sam_input, params, get_managed_policy_map=lambda: policies)
        except RecursionError:
            raise Rejected(["the template nests too deeply for the transform"]) from None
        except Rejected:
            raise
        except Exception as e:  # the translator's own checks, or its failures on odd input
            raise Rejected(_reasons(e)) from None
        finally:
            translator.metrics.publish()  # to its dummy publisher: nothing leaves the process
    return out, held, includes, always


def _finish(raw: tuple, data: dict, refused: frozenset, side: str):
    """(expanded data, origins, notes) of one revision from ``_raw``'s answer
    (left as it is: the same answer may finish both revisions).  The notes
    on included bodies are the pair's (:func:`_include_notes`)."""
    out, held, _, always = raw
    notes = []
    if always:
        out = _deploy_always(out, always, side)
        made = out.get("Resources", {})
        notes += [f"{api} has AlwaysDeploy: true: every deploy creates a new deployment, whatever changed "
                  "(the transform names it by the time of the deploy)"
                  for api in always if any(_DEPLOYMENT.match(k) and k.startswith(api + "Deployment") for k in made)]
    out = _canon(out)
    resources = out.setdefault("Resources", {})
    for logical_id in held:
        resources[logical_id] = data["Resources"][logical_id]
    notes += [
        f"{APPLICATION} {lid} comes from the Serverless Application Repository: its template is fetched "
        "at deploy time, so it is compared as written and its changes are unknown"
        for lid in held if lid not in refused
    ]
    return out, origins(data, resources, refused), notes


def translate(data: dict, values: Optional[dict], region: Optional[str], refused: frozenset = frozenset(),
              side: str = "new"):
    """(expanded data, {logical ID: Origin}, notes) for one SAM template;
    the resources in ``refused`` are held out and kept as written.  ``side``
    (old or new) names the revision, for what the transform names by time.

    Raises :class:`Rejected` with the translator's reasons when it refuses the
    template, and :class:`Missing` when the translator is not installed.
    """
    raw = _raw(data, values, region or REGION, refused)
    out, found, notes = _finish(raw, data, refused, side)
    return out, found, _include_notes([raw[2]]) + notes


class _Session:
    """What the translator reads of a boto3 session: its region."""

    def __init__(self, region: str):
        self.region_name = region


def owner(logical_id: str, data: dict) -> Optional[str]:
    """The resource of the template that a logical ID the translator names
    belongs to (``OrdersFnGetEvent`` -> ``OrdersFn``), or None."""
    resources = data.get("Resources") or {}
    if logical_id in resources:
        return logical_id
    for lid in sorted(resources, key=len, reverse=True):
        if logical_id.startswith(lid):
            return lid
    return None


def translate_pair(sides: list, region: Optional[str]):
    """Both revisions translated: ``sides`` is [(data, values, name) or None
    for a revision without the transform] * 2.  Returns ([(data, origins,
    notes) or None] * 2, notes about the pair).

    A resource the translator refuses in either revision is held out of both
    and compared as written, and the pair translated again, up to
    MAX_ROUNDS times.  Raises :class:`Rejected` (its reasons naming the
    revisions) when a refusal names no resource of the template, and
    :class:`Missing` when the translator is not installed.
    """
    region = region or REGION
    refused: dict = {}  # logical ID -> {reason: [revision names]}
    said: list = []
    for _ in range(MAX_ROUNDS):
        done, fresh, whole, raw, includes = [], {}, [], None, []
        held = frozenset(refused)
        for index, side in enumerate(sides):
            if side is None:
                done.append(None)
                continue
            data, values, name = side
            same = index == 1 and raw is not None and data == sides[0][0] and values == sides[0][1]
            try:
                if not same:  # the translator is slow: the same template and values are translated once
                    raw = _raw(data, values, region, held)
                done.append(_finish(raw, data, held, "old" if index == 0 else "new"))
                includes.append(raw[2])
            except Rejected as e:
                done.append(None)
                for reason in e.reasons:
                    said.append((name, reason))
                    ids = {owner(lid, data) for lid in _REFUSED.findall(reason)} - {None}
                    if not ids:
                        whole.append((name, reason))
                    for lid in ids:
                        fresh.setdefault(lid, {}).setdefault(reason, []).append(name)
        if not whole and not fresh:
            return done, _include_notes(includes) + _refused_notes(refused)
        if whole or set(fresh) <= held:
            break
        for lid, why in fresh.items():
            for reason, names in why.items():
                refused.setdefault(lid, {}).setdefault(reason, []).extend(names)
    raise Rejected(_said_once(said))


def _said_once(pairs: list) -> list:
    """Each reason once, with the revisions that gave it."""
    names: dict = {}
    for name, reason in pairs:
        if name not in names.setdefault(reason, []):
            names[reason].append(name)
    return [f"{reason} (both revisions)" if len(given) > 1 else f"{given[0]}: {reason}"
            for reason, given in names.items()]


def _refused_notes(refused: dict) -> list:
    notes = []
    for logical_id, why in refused.items():
        reasons = "; ".join(_said_once([(n, r) for r, names in why.items() for n in names]))
        notes.append(
            f"Transform {SAM}: aws-sam-translator {version()} refuses {logical_id} ({reasons}), so {logical_id} is "
            "compared as written in both revisions and its changes are unknown; the rest of the template is expanded"
        )
    return notes


def origins(data: dict, resources: dict, refused: frozenset = frozenset()) -> dict:
    """The SAM resource each generated resource comes from.

    The transform names what it generates after the SAM resource
    (``OrdersFn`` -> ``OrdersFnRole``, ``OrdersFnVersion3f6462f125``), so a
    generated ID belongs to the longest SAM logical ID it starts with.
    ``ServerlessRestApi`` and ``ServerlessHttpApi`` are the APIs the transform
    makes for functions' API events; what is left (CodeDeploy's application
    and role) is the transform's own.  What was held out (a SAR application,
    a resource the translator refused) comes from no expansion.
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
        if lid in source and (lid not in sam or lid in refused):
            continue  # the template's own CloudFormation resource, or one compared as written
        owner_id = next((n for n in names if lid.startswith(n)), None)
        if owner_id is not None:
            out[lid] = Origin(sam[owner_id], owner_id)
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
