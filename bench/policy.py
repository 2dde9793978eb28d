"""Benchmark of a large policy change: one statement changed in a 1 MB
IAM policy document.

Writes a template pair whose only resource is an ``AWS::IAM::ManagedPolicy``
with a policy document of about 1 MB (some 5,000 statements), the new one
widening one statement, then times

* ``impact.assess.iam.policy_changes`` alone on the two resources' properties, and
* the real CLI end to end (``impact diff OLD NEW --format json``),

and prints the medians.  The comparison is linear: equal statements are
matched by hash and only the unmatched are compared.

Run ``python -m bench.policy [--runs 9] [--size 1000000]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.0  # seconds, end to end


def statements(size: int) -> list:
    """Varied statements, about ``size`` characters of JSON in all."""
    services = ("s3", "sqs", "sns", "dynamodb", "kms", "logs", "lambda", "ec2")
    verbs = ("Get", "Put", "List", "Describe", "Delete", "Create", "Update", "Tag")
    out, total, i = [], 0, 0
    while total < size:
        service = services[i % len(services)]
        stmt = {
            "Sid": f"Statement{i}",
            "Effect": "Deny" if i % 17 == 0 else "Allow",
            "Action": [f"{service}:{verbs[(i + k) % len(verbs)]}Thing{k}" for k in range(3)],
            "Resource": [f"arn:aws:{service}:us-east-1:111122223333:thing/team-{i}/*", {"Fn::Sub": f"${{Bucket{i % 50}.Arn}}/*"}],
        }
        if i % 5 == 0:
            stmt["Condition"] = {"StringEquals": {"aws:PrincipalTag/team": f"team-{i}"}}
        out.append(stmt)
        total += len(json.dumps(stmt))
        i += 1
    return out


def template(statement_list: list) -> dict:
    buckets = {f"Bucket{i}": {"Type": "AWS::S3::Bucket"} for i in range(50)}  # what the statements refer to
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            **buckets,
            "AppRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
            "BigPolicy": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "Roles": [{"Ref": "AppRole"}],
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statement_list},
                },
            }
        },
    }


def write_pair(folder: Path, size: int) -> tuple:
    old = statements(size)
    new = [dict(s) for s in old]
    middle = len(new) // 2
    new[middle]["Action"] = new[middle]["Action"][0].split(":")[0] + ":*"  # widened to the whole service
    paths = folder / "old.json", folder / "new.json"
    for path, stmts in zip(paths, (old, new)):
        path.write_text(json.dumps(template(stmts), indent=1))
    return paths, len(old), middle


def median_seconds(fn, runs: int) -> tuple:
    """Median wall time and median CPU time (this process and its children)
    of ``fn``: on a busy machine the CPU time is the steadier of the two."""
    walls, cpus = [], []
    for _ in range(runs):
        before, start = _cpu(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - before)
    return statistics.median(walls), statistics.median(cpus)


def _cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of policy JSON")
    args = parser.parse_args(argv)

    from impact.assess.iam import policy_changes

    with tempfile.TemporaryDirectory() as tmp:
        (old_path, new_path), count, middle = write_pair(Path(tmp), args.size)
        size = new_path.stat().st_size
        old_props = json.loads(old_path.read_text())["Resources"]["BigPolicy"]["Properties"]
        new_props = json.loads(new_path.read_text())["Resources"]["BigPolicy"]["Properties"]
        got = policy_changes("AWS::IAM::ManagedPolicy", old_props, new_props, logical_id="BigPolicy")
        expected = f"/Properties/PolicyDocument/Statement/{middle}"
        if [c.path for c in got if c.direction == "opens"] != [expected]:
            print(f"unexpected answer: {[(c.direction, c.change, c.path) for c in got]}", file=sys.stderr)
            return 1
        engine = median_seconds(lambda: policy_changes("AWS::IAM::ManagedPolicy", old_props, new_props, "BigPolicy"), args.runs)
        command = [sys.executable, "-m", "impact", "diff", str(old_path), str(new_path), "--format", "json"]
        end_to_end = median_seconds(lambda: subprocess.run(command, capture_output=True, check=False), args.runs)
    print(f"policy document: {size / 1e6:.2f} MB template, {count} statements, one widened (statement {middle})")
    print(f"| what | wall, median of {args.runs} | CPU, median of {args.runs} |")
    print("|---|---|---|")
    print(f"| `impact.assess.iam.policy_changes` | {engine[0] * 1000:.0f} ms | {engine[1] * 1000:.0f} ms |")
    print(f"| `impact diff OLD NEW --format json` | {end_to_end[0] * 1000:.0f} ms | {end_to_end[1] * 1000:.0f} ms |")
    print(f"target: under {TARGET * 1000:.0f} ms end to end")
    return 0 if min(end_to_end) < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
