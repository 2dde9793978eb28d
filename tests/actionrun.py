"""Runs the steps of the composite action (``action.yml``) offline, as the
GitHub runner does: ``${{ }}`` expressions, ``if:`` conditions with the
status functions, ``$GITHUB_OUTPUT``, ``$GITHUB_STEP_SUMMARY`` and
``$RUNNER_TEMP``, each ``run:`` in ``bash -e`` and each step's outputs for the
later ones.  ``uses:`` steps are recorded, not run; the step that pip-installs
the action is recorded too (impact is already installed in this
interpreter's environment, whose ``bin`` comes first on ``PATH``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
NOT_RUN = ("Install impact",)

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+)|(?P<op>==|!=|&&|\|\||!|\(|\))|(?P<call>[a-z]+)\(\)|(?P<ctx>[A-Za-z_][\w.-]*))"
)


def _lookup(contexts: dict, dotted: str):
    value = contexts
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return ""
        value = value[part]
    return value


def evaluate(expr: str, contexts: dict, status: dict):
    """A GitHub Actions expression, for the operators action.yml uses."""
    out, pos = [], 0
    values = []
    expr = expr.strip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot parse {expr!r} at {pos}")
        pos = m.end()
        if m.group("str") is not None:
            values.append(m.group("str")[1:-1].replace("''", "'"))
            out.append(f"_v[{len(values) - 1}]")
        elif m.group("num") is not None:
            out.append(m.group("num"))
        elif m.group("op"):
            out.append({"&&": " and ", "||": " or ", "!": " not "}.get(m.group("op"), m.group("op")))
        elif m.group("call"):
            out.append(repr(status[m.group("call")]))
        else:
            values.append(_lookup(contexts, m.group("ctx")))
            out.append(f"_v[{len(values) - 1}]")
    return eval("".join(out), {"__builtins__": {}}, {"_v": values})  # noqa: S307 (our own action.yml)


def substitute(text: str, contexts: dict, status: dict) -> str:
    def one(m):
        value = evaluate(m.group(1), contexts, status)
        return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(text))


@dataclass
class Step:
    name: str
    ran: bool
    outcome: str = "skipped"  # success | failure | skipped
    code: int = 0
    stdout: str = ""
    stderr: str = ""
    outputs: dict = field(default_factory=dict)
    env: dict = field(default_factory=dict)
    with_: dict = field(default_factory=dict)


@dataclass
class Run:
    steps: list
    summary: str
    temp: Path

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name or s.name.startswith(name))

    @property
    def failed(self) -> list:
        return [s.name for s in self.steps if s.outcome == "failure"]


def _read_outputs(path: Path) -> dict:
    out, lines = {}, path.read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and "=" not in line.split("<<")[0]:
            key, delim = line.split("<<", 1)
            j = lines.index(delim, i + 1)
            out[key] = "\n".join(lines[i + 1 : j])
            i = j + 1
            continue
        key, _, value = line.partition("=")
        out[key] = value
        i += 1
    return out


def run_action(workspace: Path, inputs: dict, event: dict, env: dict, tmp: Path) -> Run:
    """Every step of action.yml in ``workspace`` (the checked-out repository)."""
    action = yaml.safe_load((REPO / "action.yml").read_text())
    temp = tmp / "runner-temp"
    temp.mkdir()
    summary = tmp / "step-summary.md"
    summary.write_text("")
    defaults = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    contexts = {
        "inputs": {},
        "steps": {},
        "github": {"event": event, "action_path": str(REPO), "token": "t0ken"},
        "runner": {"temp": str(temp)},
    }
    status = {"success": True, "failure": False, "always": True, "cancelled": False}
    contexts["inputs"] = {k: str(inputs[k]) if k in inputs else substitute(v, contexts, status) for k, v in defaults.items()}
    base_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
        "PATH": os.pathsep.join([env.pop("PATH_FIRST", ""), str(Path(sys.executable).parent), os.environ["PATH"]]),
        "RUNNER_TEMP": str(temp),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_WORKSPACE": str(workspace),
        **env,
    }
    base_env.pop("NO_COLOR", None)
    steps = []
    for n, spec in enumerate(action["runs"]["steps"]):
        name = spec.get("name") or spec.get("uses")
        status["success"] = not any(s.outcome == "failure" for s in steps)
        status["failure"] = not status["success"]
        cond = spec.get("if", "success()")
        cond = re.sub(r"^\$\{\{(.*)\}\}$", r"\1", str(cond).strip(), flags=re.S)
        if not re.search(r"\b(success|failure|always|cancelled)\(\)", cond):
            cond = f"success() && ({cond})"
        step = Step(name, ran=False)
        steps.append(step)
        if not evaluate(cond, contexts, status):
            continue
        step.env = {k: substitute(v, contexts, status) for k, v in (spec.get("env") or {}).items()}
        step.with_ = {k: substitute(v, contexts, status) for k, v in (spec.get("with") or {}).items()}
        if "uses" in spec or name in NOT_RUN:
            step.outcome = "success"  # recorded, not run
            continue
        step.ran = True
        output_file = tmp / f"output-{n}"
        output_file.write_text("")
        script = substitute(spec["run"], contexts, status)
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=workspace,
            env={**base_env, **step.env, "GITHUB_OUTPUT": str(output_file)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        step.code, step.stdout, step.stderr = proc.returncode, proc.stdout, proc.stderr
        step.outcome = "success" if proc.returncode == 0 else "failure"
        step.outputs = _read_outputs(output_file)
        if spec.get("id"):
            contexts["steps"][spec["id"]] = {"outputs": step.outputs, "outcome": step.outcome}
    return Run(steps, summary.read_text(), temp)
