"""What the security stage costs: ``impact diff`` with it and without it.

Times the CLI on a template pair in fresh processes, taking turns, once as
it is and once with the security stage (``impact.assess.security.assess_security``)
replaced by nothing, and prints the medians of the CPU time (user + system)
and of the wall time, and their ratios.  CPU time is the steadier figure on
a shared machine.

    python -m bench.security OLD NEW [--runs 11]

With no pair given it generates the 2,000-resource pair of ``bench.generate``
(whose changes include IAM roles, policies and security groups) and a pair
of the same stack where only tags change.
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WITHOUT = (
    "import sys, impact.assess.stage as a; a.assess_security = lambda *args: None; "
    "from impact.__main__ import main; sys.argv[0] = 'impact'; main()"
)


def _run(cmd: list) -> tuple:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def measure(old: Path, new: Path, runs: int) -> dict:
    args = ["diff", str(old), str(new), "--format", "json"]
    cmds = {"with": [sys.executable, "-m", "impact", *args], "without": [sys.executable, "-c", WITHOUT, *args]}
    times: dict = {k: [] for k in cmds}
    for _ in range(runs):
        for key, cmd in cmds.items():
            times[key].append(_run(cmd))
    out = {}
    for key, pairs in times.items():
        out[key] = (statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs))
    return out


def _pairs(folder: Path) -> list:
    from .generate import generate_pair

    old, new = generate_pair(2000)
    tags = copy.deepcopy(old)
    for i, r in enumerate(r for r in tags["Resources"].values() if r["Type"] in ("AWS::Lambda::Function", "AWS::SQS::Queue")):
        if i < 200:
            r.setdefault("Properties", {}).setdefault("Tags", []).append({"Key": "Tier", "Value": "gold"})
    out = []
    for name, (a, b) in {"2,000 resources": (old, new), "2,000 resources, tags only": (old, tags)}.items():
        pa, pb = folder / f"{len(out)}-old.json", folder / f"{len(out)}-new.json"
        pa.write_text(json.dumps(a), encoding="utf-8")
        pb.write_text(json.dumps(b), encoding="utf-8")
        out.append((name, pa, pb))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pair", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args(argv)
    print("| pair | CPU with | CPU without | ratio | wall with | wall without | ratio |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory() as tmp:
        pairs = [("given", *args.pair)] if args.pair else _pairs(Path(tmp))
        for name, old, new in pairs:
            m = measure(old, new, args.runs)
            (cw, ww), (co, wo) = m["with"], m["without"]
            print(f"| {name} | {cw:.3f} s | {co:.3f} s | {cw / co:.3f} | {ww:.3f} s | {wo:.3f} s | {ww / wo:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
