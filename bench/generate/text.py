"""A generated template as text: JSON as ``cdk synth`` writes it, and YAML
with the short-form tags people write."""

from __future__ import annotations

import json
from typing import Any

import yaml

from .stack import Template

def to_json(template: Template) -> str:
    """JSON the way ``cdk synth`` writes it (one-space indent)."""
    return json.dumps(template, indent=1) + "\n"


SHORT_FORM_TAGS = {"Ref": "!Ref", "Condition": "!Condition"} | {
    f"Fn::{name}": f"!{name}"
    for name in ("And", "Base64", "Cidr", "Equals", "FindInMap", "GetAZs", "GetAtt", "If",
                 "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub")
}


FLOW_LIMIT = 100  # longest argument list (as JSON) a short form writes on one line


class _CfnDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _short_form(node: Any) -> tuple[str, Any] | None:
    """(tag, argument) when ``node`` is an intrinsic function YAML can write in short form."""
    if isinstance(node, dict) and len(node) == 1:
        key, value = next(iter(node.items()))
        if key in SHORT_FORM_TAGS and isinstance(value, (str, list, dict)):
            return SHORT_FORM_TAGS[key], value
    return None


def _is_flat(node: Any) -> bool:
    """True for scalars and for lists and short forms made only of those."""
    if isinstance(node, list):
        return all(_is_flat(item) for item in node)
    if isinstance(node, dict):
        short = _short_form(node)
        return short is not None and _is_flat(short[1])
    return True


def _represent_dict(dumper: yaml.SafeDumper, data: dict) -> yaml.Node:
    """Intrinsic functions in short form.  A short-form tag cannot directly
    hold another one (``!Base64 !Sub x`` is not YAML), so an intrinsic whose
    argument is itself an intrinsic tags that argument's mapping, which keeps
    the inner function in long form (``!Base64 {Fn::Sub: x}``)."""
    short = _short_form(data)
    if short is None:
        return dumper.represent_dict(data)
    tag, value = short
    if isinstance(value, dict):
        return dumper.represent_mapping(tag, value)
    if isinstance(value, str):
        return dumper.represent_scalar(tag, value, style="'" if tag == "!Sub" or not value else None)
    if tag == "!GetAtt" and len(value) == 2 and all(isinstance(v, str) for v in value):
        return dumper.represent_scalar(tag, ".".join(value))
    one_line = _is_flat(value) and len(json.dumps(value)) <= FLOW_LIMIT
    return dumper.represent_sequence(tag, value, flow_style=one_line)


_CfnDumper.add_representer(dict, _represent_dict)


def to_yaml(template: Template) -> str:
    """YAML with CloudFormation short-form intrinsic tags, keys in template order."""
    return yaml.dump(template, Dumper=_CfnDumper, sort_keys=False, default_flow_style=False, width=120)
