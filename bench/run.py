"""End-to-end benchmark of ``impact diff`` on generated CDK-style template pairs.

Generates the pairs (``bench.generate``), runs the real CLI several times per
size and format, and prints a Markdown table: the median wall time, the
median time of each stage (``IMPACT_TIMINGS``), the peak resident memory,
the 2,000/500 ratio, ``impact --version`` start-up, PyYAML's C loader alone
on the same YAML files, and the time to load the rules of 30 resource types
from the real table and from one padded with many more type files.

Run ``python -m bench.run [--runs 15] [--update-readme]``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench.generate import write_pairs
import impact
from impact import paths
from impact.rules import RuleBook

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
STAGES = ("load", "diff", "classify", "assess", "render")  # as IMPACT_TIMINGS names them
FORMATS = ("json", "yaml")

# Targets from the issue, on a 2-core machine.
JSON_500_TARGET = 0.2  # seconds end to end
RATIO_TARGET = 4.4  # 2,000 resources against 500
MEMORY_TARGET = 150  # MiB at 2,000 resources
STARTUP_TARGET = 0.12  # seconds for impact --version
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


def run_once(command: list, env: dict) -> tuple:
    """(wall seconds, stderr) of one run."""
    start = time.perf_counter()
    proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {proc.stderr}")
    return wall, proc.stderr


def peak_mib(args: list, env: dict) -> float:
    """Peak resident memory of one run, in MiB (0 where /proc is missing)."""
    if not Path("/proc/self/status").exists():
        return 0.0
    _, err = run_once([sys.executable, "-c", MEMORY_PROBE, *args], env)
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


class _CfnLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's C loader, taught CloudFormation's short-form tags and nothing else."""


def _tagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_CfnLoader.add_multi_constructor("!", _tagged)


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
        "| resources | format | end to end | load | diff | classify | assess | render | peak memory |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
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


def update_readme(table: str) -> None:
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} ... {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{table}{END}{tail}", encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="where the pairs go (default: bench/out)")
    parser.add_argument("--sizes", default="50,500,2000", help="resource counts (default: 50,500,2000)")
    parser.add_argument("--runs", type=int, default=15, help="runs per measurement (default: 15)")
    parser.add_argument("--update-readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())

    write_pairs(args.out, sizes)
    # Measure impact as installed: pip compiles the package's bytecode at
    # install time, an editable install does not.
    compileall.compile_dir(str(Path(impact.__file__).parent), quiet=1)
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
    if args.update_readme:
        update_readme(table)


if __name__ == "__main__":
    main()
