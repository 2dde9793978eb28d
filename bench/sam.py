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

Run ``python -m bench.sam [--runs 9] [--base REV]``.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import write_pairs
from bench.run import run_once, stage_times

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = 100
RATIO_TARGET = 1.2
IMPORTS = (
    "from samtranslator.translator.translator import Translator;"
    "from samtranslator.parser.parser import Parser;"
    "from samtranslator.internal.managed_policies import get_bundled_managed_policy_map;"
    "from samtranslator.plugins.application.serverless_app_plugin import ServerlessAppPlugin"
)


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


def import_cost(runs: int) -> float:
    bare = [run_once([sys.executable, "-c", "pass"], dict(os.environ))[0] for _ in range(runs)]
    full = [run_once([sys.executable, "-c", IMPORTS], dict(os.environ))[0] for _ in range(runs)]
    return statistics.median(full) - statistics.median(bare)


def translator_time(paths: list, runs: int) -> float:
    """Median seconds of the translator alone translating both revisions."""
    from types import SimpleNamespace

    from impact.expand import sam
    from impact.load.loader import load_file
    from samtranslator.internal.managed_policies import get_bundled_managed_policy_map
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    inputs = []
    for path in paths:
        data = sam._typed(load_file(str(path)).data)
        sam._rewrite_local(data)
        inputs.append(data)
    policies = get_bundled_managed_policy_map("aws")
    times = []
    with sam._quiet_region(sam.REGION):
        for _ in range(runs):
            start = time.perf_counter()
            for data in inputs:
                Translator(None, Parser(), boto_session=SimpleNamespace(region_name=sam.REGION)).translate(
                    copy.deepcopy(data), {}, get_managed_policy_map=lambda: policies
                )
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def expand_time(paths: list, runs: int) -> float:
    """Median seconds of impact's whole expansion of the pair (translator already imported)."""
    import samtranslator.translator.translator  # noqa: F401  (the import is measured on its own)

    from impact.expand import expand_pair
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
    parser.add_argument("--base", help="git revision to compare the run without SAM against")
    args = parser.parse_args(argv)
    import compileall

    import impact

    compileall.compile_dir(str(Path(impact.__file__).parent), quiet=1)  # measured as installed
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pair = [tmp / "old.yaml", tmp / "new.yaml"]
        for path, revision in zip(pair, (1, 2)):
            path.write_text(sam_template(FUNCTIONS, revision))
        imported = import_cost(args.runs)
        alone_runs, expand_runs = [], []
        for _ in range(args.runs):  # in turns
            alone_runs.append(translator_time(pair, 1))
            expand_runs.append(expand_time(pair, 1))
        alone, expanded = statistics.median(alone_runs), statistics.median(expand_runs)
        wall, stages = impact_run(pair, args.runs, ROOT)
        start = statistics.median(run_once([sys.executable, "-c", "pass"], dict(os.environ))[0] for _ in range(args.runs))
        print(f"- translator import: {imported * 1000:.0f} ms (median of {args.runs}, fresh interpreters)")
        print(f"- translator alone, both revisions of {FUNCTIONS} functions: {alone * 1000:.0f} ms")
        print(f"- impact's expansion of the pair, in process: {expanded * 1000:.0f} ms = {expanded / alone:.2f}x the "
              f"translator (target {RATIO_TARGET}x)")
        rest = wall - start - imported
        print(f"- impact's whole run: {wall * 1000:.0f} ms; less interpreter start ({start * 1000:.0f} ms) and "
              f"translator import: {rest * 1000:.0f} ms = {rest / alone:.2f}x the translator")
        print("  stages: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in stages.items()))
        write_pairs(tmp / "plain", sizes=(500,))
        plain = [tmp / "plain" / "500" / "old.json", tmp / "plain" / "500" / "new.json"]
        if args.base:
            old_tree = tmp / "base"
            archive = subprocess.run(["git", "archive", args.base], cwd=ROOT, capture_output=True, check=True).stdout
            old_tree.mkdir()
            subprocess.run(["tar", "-x", "-C", str(old_tree)], input=archive, check=True)
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
