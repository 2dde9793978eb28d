"""End-to-end benchmark of ``impact diff`` on generated CDK-style template pairs.

Generates the pairs (``bench.generate``), runs the real CLI several times per
size and format, and prints a Markdown table: the median wall time, the
median time of each stage (``IMPACT_TIMINGS``), the peak resident memory,
the 2,000/500 ratio, ``impact --version`` start-up, PyYAML's C loader alone
on the same YAML files, and the time to load the rules of 30 resource types
from the real table and from one padded with many more type files.

It then times impact against its peer, AWS CDK's diff engine
(``@aws-cdk/cloudformation-diff``, installed under ``bench/peer`` with
``npm ci --prefix bench/peer``), on the pairs of 500, 2,000 and 5,000
resources in JSON and in YAML (the peer reads the JSON of the same
templates), on the pairs of ``bench.cases`` (a 1 MB inline policy with one
statement edited and one added that repeats a grant, the same document as a
managed policy, a 10,000-address IP set, a 10,000-rule security group) and on
``--base`` over 90 changed stacks in the json and md formats; and against the
floor (``bench/floor.py``: PyYAML's C loader or ``json.loads`` decoding both
files of a generated pair and nothing else). impact, the peer and the floor
take turns, run after run; each is reported by its median wall and CPU time
and its peak memory, with the ratios and the goals they are held to.

Run ``python -m bench.run [--runs 15] [--peer-runs 5] [--update-docs]``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench.cases import write_cases
from bench.floor import cfn_loader
from bench.generate import write_pairs
import impact
from impact import paths
from impact.classify.rules import RuleBook

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
PEER_START, PEER_END = "<!-- bench-peer:start -->", "<!-- bench-peer:end -->"
STAGES = ("load", "expand", "resolve", "diff", "classify", "assess", "render")  # as IMPACT_TIMINGS names them
FORMATS = ("json", "yaml")

# Targets from the issue, on a 2-core machine.
JSON_500_TARGET = 0.2  # seconds end to end
RATIO_TARGET = 4.4  # 2,000 resources against 500
MEMORY_TARGET = 150  # MiB at 2,000 resources
STARTUP_TARGET = 0.12  # seconds for impact --version
PEER_TARGET = 0.5  # impact's time over the peer's, wall and CPU, every case
PEER_500_TARGET = 0.15  # the same for the 500-resource JSON pair
FLOOR_YAML_TARGET = 0.8  # a YAML pair against the C loader decoding both files...
FLOOR_YAML_SIZES = (500, 5000)  # ...at these sizes
PEER_MEMORY_TARGET = 100  # MiB, every case
MD_JSON_TARGET = 1.2  # --base over 90 stacks: md against json
SCALE_TARGET = 2.6  # 5,000 resources against 2,000
PEER_DIR = ROOT / "bench" / "peer"
RULES_TARGET = 0.02  # seconds to load the rules of a 500-resource template of about 30 types

# The types of the generated stacks, and more of the most used ones, to 30.
RULE_TYPES = (
    "AWS::CDK::Metadata", "AWS::DynamoDB::Table", "AWS::EC2::SecurityGroup", "AWS::IAM::Policy",
    "AWS::IAM::Role", "AWS::Lambda::Function", "AWS::S3::Bucket", "AWS::SQS::Queue",
    "AWS::SNS::Topic", "AWS::SNS::Subscription", "AWS::Lambda::Permission", "AWS::Lambda::EventSourceMapping",
    "AWS::Logs::LogGroup", "AWS::KMS::Key", "AWS::KMS::Alias", "AWS::S3::BucketPolicy",
    "AWS::SQS::QueuePolicy", "AWS::Events::Rule", "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Resource", "AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage",
    "AWS::CloudWatch::Alarm", "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::SecurityGroupIngress",
    "AWS::ECS::Service", "AWS::ECS::TaskDefinition", "AWS::StepFunctions::StateMachine",
)
PAD_FACTOR = 10  # the padded table holds this many copies of every type file


def cli() -> list:
    """The installed ``impact`` command, or the module when it is not on disk."""
    script = Path(sys.executable).with_name("impact")
    return [str(script)] if script.exists() else [sys.executable, "-m", "impact"]


# Runs impact's entry point and, as the process ends, prints its peak resident
# set (VmHWM: the counters of wait4 would also count the forking parent).
MEMORY_PROBE = """
import atexit, sys
def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                sys.stderr.write("peak_kib=" + line.split()[1] + "\\n")
atexit.register(peak)
from impact.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def run_once(command: list, env: dict, cwd: Path = ROOT) -> tuple:
    """(wall seconds, stderr) of one run."""
    return run_timed(command, env, cwd)[:2]


def run_timed(command: list, env: dict, cwd: Path = ROOT) -> tuple:
    """(wall seconds, stderr, CPU seconds) of one run; the CPU time (user and
    system, of the process and its threads) is what a busy machine changes least."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {proc.stderr}")
    return wall, proc.stderr, cpu


def peak_mib(args: list, env: dict, cwd: Path = ROOT) -> float:
    """Peak resident memory of one run, in MiB (0 where /proc is missing)."""
    if not Path("/proc/self/status").exists():
        return 0.0
    _, err = run_once([sys.executable, "-c", MEMORY_PROBE, *args], env, cwd)
    return int(re.search(r"peak_kib=(\d+)", err).group(1)) / 1024


def stage_times(stderr: str) -> dict:
    return {k: float(v) / 1000 for k, v in re.findall(r"(\w+)=([\d.]+)ms", stderr)}


def bench_diffs(cases: list, runs: int, rules_dir: Path | None = None) -> dict:
    """For each (directory, format): the median wall time and stage times of
    ``runs`` runs, and the peak memory.  The cases take turns, run after run,
    so that a busy spell of the machine does not fall on one case alone."""
    env = dict(os.environ, IMPACT_TIMINGS="1")
    env.pop("IMPACT_DEBUG", None)
    if rules_dir is not None:
        env["IMPACT_RULES_DIR"] = str(rules_dir)
    argv = {
        case: ["diff", str(case[0] / f"old.{case[1]}"), str(case[0] / f"new.{case[1]}"), "--format", "json"]
        for case in cases
    }
    walls: dict = {case: [] for case in cases}
    stages: dict = {case: {} for case in cases}
    for args in argv.values():
        run_once(cli() + args, env)  # warm the file cache
    for _ in range(runs):
        for case, args in argv.items():
            wall, err = run_once(cli() + args, env)
            walls[case].append(wall)
            for name, seconds in stage_times(err).items():
                stages[case].setdefault(name, []).append(seconds)
    return {
        case: {
            "wall": statistics.median(walls[case]),
            "peak_mib": max(peak_mib(argv[case], env) for _ in range(2)),
            "stages": {k: statistics.median(v) for k, v in stages[case].items()},
        }
        for case in cases
    }


def bench_startup(runs: int) -> float:
    env = dict(os.environ)
    run_once(cli() + ["--version"], env)
    return statistics.median(run_once(cli() + ["--version"], env)[0] for _ in range(runs))


_CfnLoader = cfn_loader()


def bench_pyyaml(directory: Path, runs: int) -> float:
    """Median seconds PyYAML's C loader alone takes to parse both YAML files of a pair."""
    texts = [(directory / f"{side}.yaml").read_text(encoding="utf-8") for side in ("old", "new")]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for text in texts:
            yaml.load(text, Loader=_CfnLoader)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def padded_table(source: Path, target: Path, factor: int) -> int:
    """A copy of the rules table with ``factor`` times as many type files; returns the file count."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("docs", "schema", "__pycache__"))
    count = 0
    for layer in ("docs", "schema"):
        (target / layer).mkdir()
        for path in (source / layer).iterdir():
            copies = [path.name]
            if not path.name.startswith("_"):  # _meta.json stays one file
                copies += [f"Pad{i}-{path.name}" for i in range(1, factor)]
            for name in copies:
                try:
                    os.link(path, target / layer / name)
                except OSError:
                    shutil.copyfile(path, target / layer / name)
                count += 1
    return count


def table_files(rules_dir: Path) -> int:
    return sum(1 for layer in ("docs", "schema") for _ in (rules_dir / layer).iterdir())


def bench_rules(rules_dir: Path, runs: int) -> float:
    """Median seconds a fresh RuleBook takes to load everything the classifier reads for RULE_TYPES."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        book = RuleBook(rules_dir=rules_dir)
        for type_name in RULE_TYPES:
            book.for_type(type_name)
        book.attributes()
        book.meta("docs")
        book.meta("schema")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def report(results: dict, sizes: tuple, runs: int) -> str:
    lines = [
        f"Median of {runs} runs of `impact diff OLD NEW --format json` per pair; stage times are the",
        "medians of what `IMPACT_TIMINGS=1` prints; peak memory is the process's peak resident set (VmHWM).",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.machine()}.",
        "",
        "| resources | format | end to end | " + " | ".join(STAGES) + " | peak memory |",
        "| ---: | --- | ---: | " + " | ".join("---:" for _ in STAGES) + " | ---: |",
    ]
    for n in sizes:
        for fmt in FORMATS:
            r = results["diff"][(n, fmt)]
            cells = [ms(r["stages"].get(s, 0.0)) for s in STAGES]
            lines.append(
                f"| {n:,} | {fmt.upper()} | {ms(r['wall'])} | " + " | ".join(cells) + f" | {r['peak_mib']:.0f} MiB |"
            )
    lines.append("")
    targets = ["| target | measured | |", "| --- | ---: | --- |"]
    diff = results["diff"]
    if (500, "json") in diff:
        wall = diff[(500, "json")]["wall"]
        targets.append(f"| 500 resources, JSON, end to end < {ms(JSON_500_TARGET)} | {ms(wall)} | {verdict(wall < JSON_500_TARGET)} |")
    if (500, "yaml") in diff:
        wall, floor = diff[(500, "yaml")]["wall"], results["pyyaml"][500]
        targets.append(
            f"| 500 resources, YAML, end to end <= PyYAML's C loader alone on both files ({ms(floor)}) "
            f"| {ms(wall)} | {verdict(wall <= floor)} |"
        )
    if 500 in sizes and 2000 in sizes:
        for fmt in FORMATS:
            ratio = diff[(2000, fmt)]["wall"] / diff[(500, fmt)]["wall"]
            targets.append(f"| 2,000 / 500 resources, {fmt.upper()} <= {RATIO_TARGET}x | {ratio:.2f}x | {verdict(ratio <= RATIO_TARGET)} |")
        peak = max(diff[(2000, fmt)]["peak_mib"] for fmt in FORMATS)
        targets.append(f"| 2,000 resources, peak memory < {MEMORY_TARGET} MiB | {peak:.0f} MiB | {verdict(peak < MEMORY_TARGET)} |")
    startup = results["startup"]
    targets.append(f"| `impact --version` < {ms(STARTUP_TARGET)} | {ms(startup)} | {verdict(startup < STARTUP_TARGET)} |")
    rules = results["rules"]
    targets.append(
        f"| rules of {len(RULE_TYPES)} types < {ms(RULES_TARGET)} (table of {rules['files']:,} files) "
        f"| {ms(rules['real'])} | {verdict(rules['real'] < RULES_TARGET)} |"
    )
    targets.append(
        f"| the same with the table padded to {rules['padded_files']:,} files: no slower "
        f"| {ms(rules['padded'])} | {verdict(rules['padded'] < max(RULES_TARGET, 1.5 * rules['real']))} |"
    )
    if "classify_padded" in rules:
        targets.append(
            f"| classify stage, 500 resources JSON, real / padded table "
            f"| {ms(rules['classify_real'])} / {ms(rules['classify_padded'])} | |"
        )
    return "\n".join(lines + targets) + "\n"


def peer_command() -> list | None:
    """The peer's runner, or None when node or the package is missing."""
    node = shutil.which("node")
    if node is None or not (PEER_DIR / "node_modules" / "@aws-cdk" / "cloudformation-diff").is_dir():
        return None
    return [node, str(PEER_DIR / "diff.js")]


def mb(paths: list) -> str:
    return f"{sum(p.stat().st_size for p in paths) / 2 / 1e6:.2f} MB"


ROLE_CASE = "`AWS::IAM::Role`, 1 MB inline policy, 1 statement edited and 1 added that repeats a grant already there (new `Sid`)"
BASE_CASE = "`--base`, 90 changed stacks, `--format {}`"


def size_case(n: int, fmt: str) -> str:
    return f"{n:,} resources, {fmt.upper()}"


def peer_cases(out: Path, sizes: tuple, cases: dict) -> list:
    """Each case: its name, how big its templates are, impact's arguments and
    folder, the pairs the peer reads and, for the generated stacks, the pair
    the floor decodes.  The peer reads JSON only: on a YAML pair it is timed
    on the JSON of the same templates."""
    found = []
    for n in sizes:
        jold, jnew = out / str(n) / "old.json", out / str(n) / "new.json"
        for fmt in FORMATS:
            old, new = out / str(n) / f"old.{fmt}", out / str(n) / f"new.{fmt}"
            found.append({
                "name": size_case(n, fmt), "size": mb([old, new]), "cwd": ROOT,
                "impact": ["diff", str(old), str(new), "--format", "json"], "peer": [str(jold), str(jnew)],
                "peer_key": f"{n} resources", "floor": [fmt, str(old), str(new)],
            })
    for name, label in (
        ("role-policy", ROLE_CASE),
        ("managed-policy", "the same document in an `AWS::IAM::ManagedPolicy`"),
        ("ipset", "WAFv2 `IPSet`, 10,000 addresses, 1,000 changed"),
        ("security-group", "security group, 10,000 ingress rules, 1 added"),
    ):
        old, new = cases[name] / "old.json", cases[name] / "new.json"
        found.append({
            "name": label, "size": mb([old, new]), "cwd": ROOT,
            "impact": ["diff", str(old), str(new), "--format", "json"], "peer": [str(old), str(new)],
        })
    base = cases["base-90"]
    olds = sorted((base / "old").glob("*.json"))
    pairs = [str(p) for old in olds for p in (old, base / "new" / old.name)]
    for fmt in ("json", "md"):
        found.append({
            "name": BASE_CASE.format(fmt), "size": f"90 × {mb(olds[:1] * 2)}",
            "cwd": base / "repo", "impact": ["diff", "--base", "HEAD~1", "--head", "HEAD", "--format", fmt],
            "peer": pairs, "peer_key": "base-90",
        })
    return found


FLOOR_SCRIPT = ROOT / "bench" / "floor.py"


def floor_command(floor: list) -> list:
    return [sys.executable, str(FLOOR_SCRIPT), *floor]


def _kib(stderr: str) -> float:
    return int(re.search(r"peak_kib=(\d+)", stderr).group(1)) / 1024


def bench_peer(cases: list, runs: int, peer: list) -> dict:
    """Median wall and CPU time and peak memory of impact, of the peer and of
    the floor (``bench/floor.py``) on each case, the three taking turns, run
    after run; a peer run shared by cases with the same ``peer_key`` is made
    once per round."""
    env = dict(os.environ)
    env.pop("IMPACT_DEBUG", None)
    peer_env = dict(env, PEER_PEAK="1")
    walls = {c["name"]: [] for c in cases}
    cpus = {c["name"]: [] for c in cases}
    floors: dict = {c["name"]: {} for c in cases if c.get("floor")}
    peer_walls: dict = {}
    peer_cpus: dict = {}
    for c in cases:  # warm the file cache
        run_once(cli() + c["impact"], env, c["cwd"])
        if c.get("floor"):
            run_once(floor_command(c["floor"]), env)
    for _ in range(runs):
        done = set()
        for c in cases:
            wall, _, cpu = run_timed(cli() + c["impact"], env, c["cwd"])
            walls[c["name"]].append(wall)
            cpus[c["name"]].append(cpu)
            key = c.get("peer_key", c["name"])
            if key not in done:
                done.add(key)
                wall, _, cpu = run_timed(peer + c["peer"], peer_env)
                peer_walls.setdefault(key, []).append(wall)
                peer_cpus.setdefault(key, []).append(cpu)
            for prefix, flags in (("", []), ("paused_", ["--paused"])) if c.get("floor") else ():
                wall, err, cpu = run_timed(floor_command(flags + c["floor"]), env)
                got = floors[c["name"]]
                for k, v in (("wall", wall), ("cpu", cpu), ("mib", _kib(err)),
                             *((k, float(v)) for k, v in re.findall(r"(decode_\w+)=([\d.]+)", err))):
                    got.setdefault(prefix + k, []).append(v)
    peer_peaks = {}
    results = {}
    for c in cases:
        key = c.get("peer_key", c["name"])
        if key not in peer_peaks:
            peer_peaks[key] = _kib(run_once(peer + c["peer"], peer_env)[1])
        results[c["name"]] = {
            "size": c["size"],
            "impact": statistics.median(walls[c["name"]]),
            "peer": statistics.median(peer_walls[key]),
            "impact_cpu": statistics.median(cpus[c["name"]]),
            "peer_cpu": statistics.median(peer_cpus[key]),
            "impact_mib": max(peak_mib(c["impact"], env, c["cwd"]) for _ in range(2)),
            "peer_mib": peer_peaks[key],
        }
        if c.get("floor"):
            got = floors[c["name"]]
            results[c["name"]]["floor"] = {
                k: (max(v) if k.endswith("mib") else statistics.median(v)) for k, v in got.items()
            }
    return results


def s_or_ms(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else ms(seconds)


def goals(results: dict) -> list:
    """The goals of the comparison, each as (what, wall, CPU, goal, met):
    ``wall`` and ``CPU`` are the measured ratios (``CPU`` None where only one
    figure exists) and ``met`` requires both within the goal."""
    rows = []

    def ratio(label, wall, cpu, goal, strict=False):
        ok = all(v < goal if strict else v <= goal for v in (wall, cpu) if v is not None)
        rows.append((label, wall, cpu, goal, ok))

    for name, r in results.items():
        goal = PEER_500_TARGET if name == size_case(500, "json") else PEER_TARGET
        ratio(f"{name}: impact / peer", r["impact"] / r["peer"], r["impact_cpu"] / r["peer_cpu"], goal)
    md, js = results.get(BASE_CASE.format("md")), results.get(BASE_CASE.format("json"))
    if md and js:
        ratio("`--base`, 90 changed stacks: md / json", md["impact"] / js["impact"], md["impact_cpu"] / js["impact_cpu"],
              MD_JSON_TARGET)
    for name, r in results.items():
        floor = r.get("floor")
        if floor and any(name == size_case(n, "yaml") for n in FLOOR_YAML_SIZES):
            ratio(f"{name}: impact / the floor (the C loader decoding both files)",
                  r["impact"] / floor["decode_wall"], r["impact_cpu"] / floor["decode_cpu"], FLOOR_YAML_TARGET)
    big, small = results.get(size_case(5000, "json")), results.get(size_case(2000, "json"))
    if big and small:
        ratio("5,000 / 2,000 resources, JSON", big["impact"] / small["impact"], big["impact_cpu"] / small["impact_cpu"],
              SCALE_TARGET)
    if results:
        worst = max(results, key=lambda name: results[name]["impact_mib"])
        peak = results[worst]["impact_mib"]
        rows.append((f"peak memory, every case (most: {worst})", peak, None, PEER_MEMORY_TARGET, peak < PEER_MEMORY_TARGET))
    return rows


def report_peer(results: dict, runs: int) -> str:
    lines = [
        f"impact against AWS CDK's diff engine (`@aws-cdk/cloudformation-diff` {peer_version()}, its `diffTemplate`,",
        f"run by `bench/peer/diff.js` in one Node.js process per case): median of {runs} runs each, impact, the peer",
        "and the floor taking turns; impact's `--format json` report (or md) against the peer's diff alone. The peer",
        "reads JSON only: on a YAML pair it is timed on the JSON of the same templates. Template size is one side of",
        "the pair; wall is elapsed time, CPU the user and system time of the process and its threads; peak memory",
        "is each process's peak resident set (VmHWM).",
        "",
        "| case | template | impact wall | peer wall | impact/peer | impact CPU | peer CPU | impact/peer CPU | impact peak | peer peak |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['size']} | {s_or_ms(r['impact'])} | {s_or_ms(r['peer'])} | {r['impact'] / r['peer']:.2f}x "
            f"| {s_or_ms(r['impact_cpu'])} | {s_or_ms(r['peer_cpu'])} | {r['impact_cpu'] / r['peer_cpu']:.2f}x "
            f"| {r['impact_mib']:.0f} MiB | {r['peer_mib']:.0f} MiB |"
        )
    floored = {name: r for name, r in results.items() if r.get("floor")}
    if floored:
        lines += [
            "",
            "The floor (`bench/floor.py`): the two files of the pair decoded and nothing else, by PyYAML's C loader",
            "(`CSafeLoader` with CloudFormation's short-form tags) or `json.loads`. *Decode* is the time that takes",
            "inside the process, the floor of the goals; *paused* the same with the cyclic garbage collector paused, as",
            "impact pauses it; *interpreter and decode* is the whole process, timed like impact.",
            "",
            "| pair | impact wall / CPU | decode wall / CPU | impact / decode, wall / CPU | paused decode, CPU "
            "| impact / paused, CPU | interpreter and decode, wall / CPU | impact / that, wall / CPU | impact peak | floor peak |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, r in floored.items():
            f = r["floor"]
            lines.append(
                f"| {name} | {s_or_ms(r['impact'])} / {s_or_ms(r['impact_cpu'])} "
                f"| {s_or_ms(f['decode_wall'])} / {s_or_ms(f['decode_cpu'])} "
                f"| {r['impact'] / f['decode_wall']:.2f}x / {r['impact_cpu'] / f['decode_cpu']:.2f}x "
                f"| {s_or_ms(f['paused_decode_cpu'])} | {r['impact_cpu'] / f['paused_decode_cpu']:.2f}x "
                f"| {s_or_ms(f['wall'])} / {s_or_ms(f['cpu'])} | {r['impact'] / f['wall']:.2f}x / {r['impact_cpu'] / f['cpu']:.2f}x "
                f"| {r['impact_mib']:.0f} MiB | {f['mib']:.0f} MiB |"
            )
    lines += ["", "| goal | wall | CPU | target | |", "| --- | ---: | ---: | ---: | --- |"]
    for label, wall, cpu, goal, ok in goals(results):
        if cpu is None:  # a memory goal
            lines.append(f"| {label} | {wall:.0f} MiB | | < {goal} MiB | {verdict(ok)} |")
        else:
            lines.append(f"| {label} | {wall:.2f}x | {cpu:.2f}x | <= {goal}x | {verdict(ok)} |")
    return "\n".join(lines) + "\n"


def peer_version() -> str:
    import json

    package = PEER_DIR / "node_modules" / "@aws-cdk" / "cloudformation-diff" / "package.json"
    if not package.exists():
        return "(not installed)"
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def published(table: str) -> str:
    """A table as docs/benchmarks.md shows it: the measurements, without the
    targets and goals they are checked against (printed by the run)."""
    return re.sub(r"\n\| (?:target \| measured|goal \| wall \| CPU \| target) \| \|\n(?:\|.*\n)*", "\n", table)


def update_doc(table: str, start: str = START, end: str = END) -> None:
    text = DOC.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"{DOC.name} has no {start} ... {end} markers")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    DOC.write_text(f"{head}{start}\n{published(table)}{end}{tail}", encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="where the pairs go (default: bench/out)")
    parser.add_argument("--sizes", default="50,500,2000", help="resource counts (default: 50,500,2000)")
    parser.add_argument("--runs", type=int, default=15, help="runs per measurement (default: 15)")
    parser.add_argument("--peer-runs", type=int, default=5, help="runs per comparison with the peer (default: 5; 0 skips it)")
    parser.add_argument("--peer-sizes", default="500,2000,5000", help="resource counts timed against the peer (default: 500,2000,5000)")
    parser.add_argument("--only-peer", action="store_true", help="only the comparison with the peer")
    parser.add_argument("--update-docs", action="store_true", help="write the tables into docs/benchmarks.md")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
    peer_sizes = tuple(int(s) for s in args.peer_sizes.split(",") if s.strip())

    write_pairs(args.out, tuple(sorted(set(sizes) | set(peer_sizes))))
    # Measure impact as installed: pip compiles the bytecode of every module it
    # installs, the report templates' compiled modules included; an editable
    # install does not.
    import impact.report_templates

    for package in (impact, impact.report_templates):
        compileall.compile_dir(str(Path(package.__file__).parent), quiet=1)
    peer_table = ""
    peer = peer_command() if args.peer_runs else None
    if args.peer_runs and peer is None:
        print("the peer is not installed (npm ci --prefix bench/peer): no comparison with it\n", file=sys.stderr)
    if peer is not None:
        cases = peer_cases(args.out, peer_sizes, write_cases(args.out))
        peer_table = report_peer(bench_peer(cases, args.peer_runs, peer), args.peer_runs)
        print(peer_table)
    if args.only_peer:
        if args.update_docs and peer_table:
            update_doc(peer_table, PEER_START, PEER_END)
        return
    results: dict = {"pyyaml": {}}
    measured = bench_diffs([(args.out / str(n), fmt) for n in sizes for fmt in FORMATS], args.runs)
    results["diff"] = {(int(directory.name), fmt): r for (directory, fmt), r in measured.items()}
    for n in sizes:
        results["pyyaml"][n] = bench_pyyaml(args.out / str(n), args.runs)
    results["startup"] = bench_startup(args.runs)

    real = paths.rules_dir()
    with tempfile.TemporaryDirectory() as tmp:
        padded = Path(tmp) / "rules"
        padded_files = padded_table(real, padded, PAD_FACTOR)
        rules = {
            "files": table_files(real),
            "padded_files": padded_files,
            "real": bench_rules(real, args.runs),
            "padded": bench_rules(padded, args.runs),
        }
        if 500 in sizes:
            rules["classify_real"] = results["diff"][(500, "json")]["stages"]["classify"]
            case = (args.out / "500", "json")
            rules["classify_padded"] = bench_diffs([case], args.runs, padded)[case]["stages"]["classify"]
    results["rules"] = rules

    table = report(results, sizes, args.runs)
    print(table)
    if args.update_docs:
        update_doc(table)
        if peer_table:
            update_doc(peer_table, PEER_START, PEER_END)


if __name__ == "__main__":
    main()
