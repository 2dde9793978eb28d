"""Parameter values of the deployed stack: ``--parameters FILE``.

Two formats, chosen by content:

- the JSON list ``aws cloudformation`` takes and ``describe-stacks`` prints,
  ``[{"ParameterKey": "Env", "ParameterValue": "prod"}, ...]`` (an entry
  with ``UsePreviousValue: true`` and no value says nothing);
- ``Key=Value`` pairs, as ``sam deploy --parameter-overrides`` and
  ``aws cloudformation deploy --parameter-overrides`` take them, separated by
  spaces or newlines, shell-quoted where a value holds spaces.

A parameter file is untrusted input: it is size-capped, read as data only,
and every problem is one line ``FILE:LINE:COL: message``.
"""

from __future__ import annotations

import json
import re
from .loader import JsonPositions, LoadError, canon_scalar, decode, looks_like_json

MAX_PARAMETER_BYTES = 1024 * 1024
MAX_PARAMETERS = 10_000
NAME = re.compile(r"[A-Za-z0-9]{1,255}\Z")


def read(path: str, max_bytes: int = MAX_PARAMETER_BYTES) -> dict:
    """The values in the file at ``path``: {name: value}."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as e:
        raise LoadError(path, None, None, f"cannot read parameters: {e.strerror or e}") from None
    if len(raw) > max_bytes:
        raise LoadError(path, None, None, f"parameters file is over the {max_bytes:,}-byte limit")
    text = decode(path, raw, max_bytes)
    return parse(path, text)


def parse(path: str, text: str) -> dict:
    if not text.strip():
        raise LoadError(path, 1, 1, "empty parameters file: expected a JSON list or Key=Value pairs")
    if looks_like_json(text):
        return _json(path, text)
    return _pairs(path, text)


def _json(path: str, text: str) -> dict:
    try:
        data = json.loads(text, parse_int=str, parse_float=str)
    except json.JSONDecodeError as e:
        raise LoadError(path, e.lineno, e.colno, e.msg) from None
    except (ValueError, RecursionError) as e:
        raise LoadError(path, 1, 1, f"invalid JSON: {e}") from None
    positions = JsonPositions(text)

    def fail(keys, message):
        line, col = (positions.find(keys) if positions else None) or (1, 1)
        raise LoadError(path, line, col, message)

    if isinstance(data, dict) and isinstance(data.get("Parameters"), dict):
        data = [{"ParameterKey": k, "ParameterValue": v} for k, v in data["Parameters"].items()]
        positions = None  # the {"Parameters": {...}} form: its entries are made here
    if not isinstance(data, list):
        fail((), 'expected a list of {"ParameterKey": ..., "ParameterValue": ...}')
    if len(data) > MAX_PARAMETERS:
        fail((), f"more than {MAX_PARAMETERS:,} parameters")
    out: dict = {}
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            fail((i,), 'each entry must be {"ParameterKey": ..., "ParameterValue": ...}')
        unknown = set(entry) - {"ParameterKey", "ParameterValue", "UsePreviousValue", "ResolvedValue"}
        if unknown:
            key = sorted(unknown)[0]
            fail((i, key), f"unknown key {key!r}; expected ParameterKey, ParameterValue or UsePreviousValue")
        name = entry.get("ParameterKey")
        if not isinstance(name, str) or not NAME.match(name):
            fail((i, "ParameterKey") if "ParameterKey" in entry else (i,), "ParameterKey must be a parameter name")
        if name in out:
            fail((i, "ParameterKey"), f"parameter {name} is given twice")
        if "ParameterValue" not in entry:
            if entry.get("UsePreviousValue") in (True, "true"):
                continue  # the deployed value, which the file does not say
            fail((i,), f"parameter {name} has no ParameterValue")
        value = entry["ParameterValue"]
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            value = ",".join(canon_scalar(v) for v in value)
        value = canon_scalar(value)
        if not isinstance(value, str):
            fail((i, "ParameterValue"), f"the value of {name} must be a string")
        out[name] = value
    return out


def _pairs(path: str, text: str) -> dict:
    import shlex

    out: dict = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError as e:
            raise LoadError(path, number, 1, f"cannot read Key=Value pairs: {e}") from None
        for word in words:
            col = max(line.find(word.split("=", 1)[0]), 0) + 1
            name, sep, value = word.partition("=")
            if not sep:
                raise LoadError(path, number, col, f"expected Key=Value, not {word!r}")
            if not NAME.match(name):
                raise LoadError(path, number, col, f"{name!r} is not a parameter name")
            if name in out:
                raise LoadError(path, number, col, f"parameter {name} is given twice")
            out[name] = value
            if len(out) > MAX_PARAMETERS:
                raise LoadError(path, number, col, f"more than {MAX_PARAMETERS:,} parameters")
    if not out:
        raise LoadError(path, 1, 1, "no Key=Value pairs in the parameters file")
    return out
