"""Where the CPU time of one ``impact`` run goes.

Runs the command in this process on a CPU-time clock (``time.process_time``),
so that a machine busy with other work changes the figures little, and prints
the CPU time of each stage (what ``IMPACT_TIMINGS=1`` prints, on the same
clock). Then, either or both:

- ``--time MODULE:FUNCTION,...``: the calls and CPU time (with callees) of
  the named functions (``impact.load.sources:_deferred``,
  ``impact.assess.graph:ReferenceIndex.referrers``). Each is replaced
  wherever impact's modules hold it, and counted once however deep it
  recurses; the cost is a clock read per call, so time functions called a
  few hundred times, not a million.
- ``--profile``: cProfile on the same clock, the functions that took the
  most time themselves (``--top``, ``--sort``), and how often the functions
  named by ``--calls`` ran. Its overhead is in the figures, most where calls
  are many and short: compare within one run.

``--repeat N`` runs the command N times, each in a fresh process, and prints
the median of every figure. ``--out FILE`` keeps the (last) profile for
``pstats``.

Run ``python -m bench.profile [--cwd DIR] [--repeat 5] [--time ...] [--profile] -- diff OLD NEW --format json``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import time
from types import SimpleNamespace


def _resolve(spec: str):
    module_name, _, qualname = spec.partition(":")
    owner = importlib.import_module(module_name)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    return owner, name


def install_timers(specs: list) -> dict:
    """Wrap each function named by ``specs``; returns {spec: [calls, seconds]}."""
    counts: dict = {}
    for spec in specs:
        owner, name = _resolve(spec)
        original = getattr(owner, name)
        tally = counts[spec] = [0, 0.0]
        depth = [0]

        def timed(*args, _original=original, _tally=tally, _depth=depth, **kwargs):
            _tally[0] += 1
            if _depth[0]:
                return _original(*args, **kwargs)
            _depth[0] += 1
            start = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                _tally[1] += time.process_time() - start
                _depth[0] -= 1

        if isinstance(owner, type):
            setattr(owner, name, timed)
            continue
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("impact"):
                for attr, value in list(vars(module).items()):
                    if value is original:
                        setattr(module, attr, timed)
    return counts


def run_once(command: list, timers: list, profile: bool, top: int, sort: str, calls: str, out) -> dict:
    """One run in this process: {"total": s, "stages": {...}, "timers": {spec: [calls, s]}}."""
    import cProfile
    import pstats

    from impact import pipeline
    from impact.__main__ import main as impact_main
    import impact.cli.diff  # noqa: F401  (the command's modules, so that their names can be timed)

    pipeline.time = SimpleNamespace(perf_counter=time.process_time)  # the stages on the CPU clock
    os.environ["IMPACT_TIMINGS"] = "1"
    counts = install_timers(timers)
    profiler = cProfile.Profile(time.process_time) if profile else None
    stderr = io.StringIO()
    start = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
        if profiler:
            profiler.enable()
        try:
            impact_main(command)
        except SystemExit:
            pass
        finally:
            if profiler:
                profiler.disable()
    total = time.process_time() - start
    stages = {k: float(v) / 1000 for k, v in re.findall(r"(\w+)=([\d.]+)ms", stderr.getvalue())}
    if profiler:
        if out:
            profiler.dump_stats(out)
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.strip_dirs().sort_stats(sort).print_stats(top)
        wanted = {name for name in calls.split(",") if name}
        for (filename, line, name), (_, ncalls, tottime, cumtime, _) in sorted(stats.stats.items()):
            if name in wanted:
                print(f"{name} ({filename}:{line}): {ncalls:,} calls, {tottime * 1000:.0f} ms self, {cumtime * 1000:.0f} ms with callees")
    return {"total": total, "stages": stages, "timers": counts}


def show(results: list) -> None:
    runs = len(results)
    median = statistics.median
    total = median(r["total"] for r in results)
    print(f"CPU, median of {runs} run{'s' if runs > 1 else ''}: {total * 1000:.0f} ms from the command's start to its end")
    names = list(dict.fromkeys(k for r in results for k in r["stages"]))
    print("stages: " + ", ".join(f"{k} {median(r['stages'].get(k, 0.0) for r in results) * 1000:.0f} ms" for k in names))
    for spec in results[0]["timers"]:
        calls = median(r["timers"][spec][0] for r in results)
        seconds = median(r["timers"][spec][1] for r in results)
        print(f"  {seconds * 1000:7.1f} ms  {calls:>9,.0f} calls  {spec}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cwd", help="run from this folder (a git repository for --base)")
    parser.add_argument("--time", default="", help="comma-separated MODULE:FUNCTION to time (CPU, with callees)")
    parser.add_argument("--profile", action="store_true", help="also run cProfile and list the costliest functions")
    parser.add_argument("--top", type=int, default=30, help="how many functions cProfile lists (default: 30)")
    parser.add_argument("--sort", default="tottime", help="pstats order: tottime or cumulative (default: tottime)")
    parser.add_argument("--calls", default="", help="comma-separated function names whose cProfile call counts to print")
    parser.add_argument("--repeat", type=int, default=1, help="runs, each in a fresh process; medians are printed")
    parser.add_argument("--out", help="write the cProfile profile here")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one run's figures, for --repeat
    parser.add_argument("args", nargs=argparse.REMAINDER, help="impact's arguments, after --")
    args = parser.parse_args(argv)
    command = args.args[1:] if args.args[:1] == ["--"] else args.args
    if not command:
        parser.error("give impact's arguments after --")
    timers = [t for t in args.time.split(",") if t]
    if args.repeat > 1:
        child = [sys.executable, "-m", "bench.profile", "--json", "--time", args.time, "--"] + command
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
        results = []
        for _ in range(args.repeat):
            done = subprocess.run(child, cwd=args.cwd, env=env, capture_output=True, text=True, check=True)
            results.append(json.loads(done.stdout.splitlines()[-1]))
        show(results)
        if not args.profile:
            return
    if args.cwd:
        os.chdir(args.cwd)
    result = run_once(command, timers, args.profile, args.top, args.sort, args.calls, args.out)
    if args.json:
        print(json.dumps(result))
    elif args.repeat <= 1:
        show([result])


if __name__ == "__main__":
    main()
