"""Benchmark of the SAM and language-extension expansion.

Prints, as Markdown:

- the import cost of ``aws-sam-translator`` (a fresh interpreter importing
  what ``impact.expand.sam`` imports, minus one that imports nothing);
- a 100-function SAM pair: the translator's own time for translating both
  revisions and impact's whole expansion of the pair (both in process, the
  translator imported, in turns), and impact's whole CLI run less the
  interpreter's start and the translator's import, each as a ratio to the
  translator's time (target 1.2);
- the cost of a run without SAM: impact's median wall time on the
  500-resource pair of ``bench.generate``, here and at ``--base REV`` (the
  revision before the expansion), run in turns.

- a small SAM pair (``examples/sam``) against a small plain pair
  (``examples/old.yaml``, ``examples/new.yaml``): impact's whole run, wall and
  CPU, with the translator imported as impact imports it (only what a
  translation runs: :mod:`impact.expand.samlib`), the ordinary way
  (``IMPACT_SAM_IMPORT=plain``) and, with ``--base REV``, at that revision;
- what importing the translator still costs, by package (``-X importtime``,
  self time summed per top-level package, so the parts add up).

Run ``python -m bench.sam [--runs 9] [--base REV]``.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import write_pairs
from bench.run import run_once, run_timed, stage_times

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = 100
RATIO_TARGET = 1.2
IMPORTS = "from impact.expand.samlib import library; library()"  # what a SAM template makes impact import
SMALL = {"SAM": ("examples/sam/old.yaml", "examples/sam/new.yaml"), "plain": ("examples/old.yaml", "examples/new.yaml")}


def sam_template(functions: int, revision: int) -> str:
    """A SAM template of ``functions`` functions with API, SQS and schedule
    events; revision 2 changes Globals, ten functions' memory and five code paths."""
    timeout = 10 if revision == 1 else 20
    lines = [
        "Transform: AWS::Serverless-2016-10-31",
        "Globals:",
        "  Function:",
        "    Runtime: python3.12",
        f"    Timeout: {timeout}",
        "Resources:",
        "  Jobs:",
        "    Type: AWS::SQS::Queue",
        "  Items:",
        "    Type: AWS::Serverless::SimpleTable",
    ]
    for i in range(functions):
        memory = 256 if revision == 2 and i % 10 == 0 else 128
        code = f"src/fn{i}" + ("-v2" if revision == 2 and i % 20 == 0 else "")
        lines += [
            f"  Fn{i}:",
            "    Type: AWS::Serverless::Function",
            "    Properties:",
            "      Handler: app.handler",
            f"      CodeUri: {code}",
            f"      MemorySize: {memory}",
            "      AutoPublishAlias: live",
            "      Policies:",
            "        - DynamoDBCrudPolicy: {TableName: !Ref Items}",
            "      Events:",
            "        Get:",
            "          Type: Api",
            f"          Properties: {{Path: /fn{i}, Method: get}}",
        ]
        if i % 4 == 0:
            lines += ["        Work:", "          Type: SQS", "          Properties: {Queue: !GetAtt Jobs.Arn}"]
        if i % 5 == 0:
            lines += ["        Tick:", "          Type: Schedule", "          Properties: {Schedule: rate(1 hour)}"]
    return "\n".join(lines) + "\n"


def import_costs(runs: int) -> dict:
    """Median (wall, CPU) seconds of importing the translator in a fresh
    interpreter, less one that imports only impact.expand: as impact imports
    it, and the ordinary way; in turns."""
    deferred, plain = dict(os.environ), dict(os.environ, IMPACT_SAM_IMPORT="plain")
    timings: dict = {"bare": [], "deferred": [], "plain": []}
    for _ in range(runs):
        timings["bare"].append(run_timed([sys.executable, "-c", "import impact.expand"], deferred))
        timings["deferred"].append(run_timed([sys.executable, "-c", IMPORTS], deferred))
        timings["plain"].append(run_timed([sys.executable, "-c", IMPORTS], plain))
    wall = {k: statistics.median(t[0] for t in v) for k, v in timings.items()}
    cpu = {k: statistics.median(t[2] for t in v) for k, v in timings.items()}
    return {k: (wall[k] - wall["bare"], cpu[k] - cpu["bare"]) for k in ("deferred", "plain")}


def import_breakdown(mode: str = "") -> list:
    """(package, seconds) of what importing the translator still imports,
    by top-level package (samtranslator by its second level), largest first."""
    env = dict(os.environ, IMPACT_SAM_IMPORT=mode) if mode else dict(os.environ)
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", IMPORTS], env=env, capture_output=True,
                         text=True, cwd=ROOT).stderr
    base = subprocess.run([sys.executable, "-X", "importtime", "-c", "import impact.expand"], env=env,
                          capture_output=True, text=True, cwd=ROOT).stderr
    before = {m.group(2) for m in IMPORT_LINE.finditer(base)}
    totals: dict = {}
    for m in IMPORT_LINE.finditer(err):
        name = m.group(2)
        if name in before:
            continue
        parts = name.split(".")
        key = ".".join(parts[:2]) if parts[0] == "samtranslator" else parts[0]
        totals[key] = totals.get(key, 0) + int(m.group(1)) / 1e6
    return sorted(totals.items(), key=lambda kv: -kv[1])


IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", re.M)


def small_pairs(runs: int, base_tree: Path | None) -> dict:
    """Median (wall, CPU) seconds of ``impact diff`` on the small pairs: here,
    here with the translator imported the ordinary way, and at the base; in turns."""
    here = dict(os.environ)
    here.pop("IMPACT_DEBUG", None)
    setups = {"here": (ROOT, here), "plain import": (ROOT, dict(here, IMPACT_SAM_IMPORT="plain"))}
    if base_tree is not None:
        setups["base"] = (base_tree, dict(here, PYTHONPATH=str(base_tree)))
    out: dict = {}
    for _ in range(runs):
        for kind, (old, new) in SMALL.items():
            for name, (cwd, env) in setups.items():
                if kind == "plain" and name == "plain import":
                    continue
                command = [sys.executable, "-m", "impact", "diff", str(ROOT / old), str(ROOT / new), "--format", "json"]
                out.setdefault((kind, name), []).append(run_timed(command, env, cwd))
    return {key: (statistics.median(t[0] for t in v), statistics.median(t[2] for t in v)) for key, v in out.items()}


def translator_time(paths: list, runs: int) -> float:
    """Median seconds of the translator alone translating both revisions."""
    from types import SimpleNamespace

    from impact.expand import sam
    from impact.expand.samlib import library
    from impact.load.loader import load_file

    lib = library()
    inputs = []
    for path in paths:
        data = sam._typed(load_file(str(path)).data)
        sam._rewrite_local(data)
        inputs.append(data)
    policies = lib.policies("aws")
    times = []
    with sam._quiet_region(sam.REGION):
        for _ in range(runs):
            start = time.perf_counter()
            for data in inputs:
                lib.Translator(None, lib.Parser(), boto_session=SimpleNamespace(region_name=sam.REGION)).translate(
                    copy.deepcopy(data), {}, get_managed_policy_map=lambda: policies
                )
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def expand_time(paths: list, runs: int) -> float:
    """Median seconds of impact's whole expansion of the pair (translator already imported)."""
    from impact.expand import expand_pair
    from impact.expand.samlib import library

    library()  # the import is measured on its own
    from impact.load.loader import load_file

    old, new = (load_file(str(p)) for p in paths)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        expand_pair(old, new)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def impact_run(paths: list, runs: int, cwd: Path, python_path: str | None = None) -> tuple:
    """(median wall, median stage times) of ``impact diff`` on the pair."""
    env = dict(os.environ, IMPACT_TIMINGS="1")
    env.pop("IMPACT_DEBUG", None)
    if python_path:
        env["PYTHONPATH"] = python_path
    command = [sys.executable, "-m", "impact", "diff", str(paths[0]), str(paths[1]), "--format", "json"]
    subprocess.run(command, cwd=cwd, env=env, capture_output=True)
    walls, stages = [], {}
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        for name, seconds in stage_times(proc.stderr).items():
            stages.setdefault(name, []).append(seconds)
    return statistics.median(walls), {k: statistics.median(v) for k, v in stages.items()}


def module_cost(runs: int) -> float:
    """Median seconds to import what every run now imports for the expansion
    (impact.expand, impact.diff.hashed, impact.load.params), with the rest of impact loaded."""
    code = (
        "import time, impact.load.loader, impact.diff.differ, impact.model;"
        "t = time.perf_counter(); import impact.expand, impact.diff.hashed, impact.load.params;"
        "print(time.perf_counter() - t)"
    )
    out = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True).stdout)
           for _ in range(runs)]
    return statistics.median(out)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--base", help="git revision to compare against (the small pairs and the run without SAM)")
    parser.add_argument("--small", action="store_true", help="only the import and the small pairs")
    args = parser.parse_args(argv)
    import compileall

    import impact

    compileall.compile_dir(str(Path(impact.__file__).parent), quiet=1)  # measured as installed
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old_tree = None
        if args.base:
            old_tree = tmp / "base"
            archive = subprocess.run(["git", "archive", args.base], cwd=ROOT, capture_output=True, check=True).stdout
            old_tree.mkdir()
            subprocess.run(["tar", "-x", "-C", str(old_tree)], input=archive, check=True)
            compileall.compile_dir(str(old_tree / "impact"), quiet=1)
        costs = import_costs(args.runs)
        print(f"- importing the translator (median of {args.runs}, fresh interpreters, wall / CPU): "
              f"{costs['deferred'][0] * 1000:.0f} / {costs['deferred'][1] * 1000:.0f} ms as impact imports it, "
              f"{costs['plain'][0] * 1000:.0f} / {costs['plain'][1] * 1000:.0f} ms the ordinary way")
        left = import_breakdown()
        total = sum(t for _, t in left)
        print(f"  what it still imports ({total * 1000:.0f} ms by -X importtime, self times): "
              + ", ".join(f"{name} {t * 1000:.0f} ms" for name, t in left[:8]))
        small = small_pairs(args.runs, old_tree)
        for (kind, name), (wall, cpu) in small.items():
            where = f"at {args.base}" if name == "base" else name
            print(f"- small {kind} pair ({' '.join(SMALL[kind])}), {where}: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU")
        if args.small:
            return
        pair = [tmp / "old.yaml", tmp / "new.yaml"]
        for path, revision in zip(pair, (1, 2)):
            path.write_text(sam_template(FUNCTIONS, revision))
        imported = costs["deferred"][0]
        alone_runs, expand_runs = [], []
        for _ in range(args.runs):  # in turns
            alone_runs.append(translator_time(pair, 1))
            expand_runs.append(expand_time(pair, 1))
        alone, expanded = statistics.median(alone_runs), statistics.median(expand_runs)
        wall, stages = impact_run(pair, args.runs, ROOT)
        start = statistics.median(run_once([sys.executable, "-c", "pass"], dict(os.environ))[0] for _ in range(args.runs))
        print(f"- translator alone, both revisions of {FUNCTIONS} functions: {alone * 1000:.0f} ms")
        print(f"- impact's expansion of the pair, in process: {expanded * 1000:.0f} ms = {expanded / alone:.2f}x the "
              f"translator (target {RATIO_TARGET}x)")
        rest = wall - start - imported
        print(f"- impact's whole run: {wall * 1000:.0f} ms; less interpreter start ({start * 1000:.0f} ms) and "
              f"translator import: {rest * 1000:.0f} ms = {rest / alone:.2f}x the translator")
        print("  stages: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in stages.items()))
        write_pairs(tmp / "plain", sizes=(500,))
        plain = [tmp / "plain" / "500" / "old.json", tmp / "plain" / "500" / "new.json"]
        if old_tree is not None:
            here, there = [], []
            for _ in range(args.runs):  # in turns, so a busy spell does not fall on one side
                here.append(impact_run(plain, 1, ROOT)[0])
                there.append(impact_run(plain, 1, old_tree, python_path=str(old_tree))[0])
            a, b = statistics.median(here), statistics.median(there)
            print(f"- without SAM, 500 resources (json): {a * 1000:.0f} ms here, {b * 1000:.0f} ms at {args.base} "
                  f"({a / b:.2f}x)")
        w, st = impact_run(plain, args.runs, ROOT)
        print(f"- without SAM, 500 resources (json): {w * 1000:.0f} ms; its expand stage {st.get('expand', 0) * 1000:.2f} ms, "
              f"diff {st.get('diff', 0) * 1000:.1f} ms; importing the expansion's modules {module_cost(args.runs) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
