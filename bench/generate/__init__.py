"""Deterministic generator of realistic CloudFormation template pairs for benchmarks.

Each pair imitates ``cdk synth`` output of one application stack -- Lambda
services with their IAM roles and default policies, S3 buckets, SQS queues,
DynamoDB tables and security groups, all wired together with ``Ref``,
``Fn::GetAtt`` and ``Fn::Sub`` -- and a later revision of that stack in which
about a tenth of the resources changed the way real deployments change:
tuned Lambda settings, new asset code, lifecycle and billing tweaks, a key
schema change that forces replacement, grants and ingress rules added, a few
services added and removed, one construct moved (renamed logical ID) and a
couple of tag values edited.  The same arguments always give the same pair.

The old template is built in :mod:`.stack`, the new one in :mod:`.revision`,
and both are written out by :mod:`.text`.  Run
``python -m bench.generate [--out DIR] [--sizes 50,500,2000]`` to write
``DIR/<n>/{old,new}.{json,yaml}``.
"""

from __future__ import annotations

from pathlib import Path

from .revision import generate_pair
from .text import to_json, to_yaml

__all__ = ["generate_pair", "to_json", "to_yaml", "write_pairs"]


def write_pairs(out_dir: Path, sizes: tuple[int, ...] = (50, 500, 2000), seed: int = 0) -> list[Path]:
    """Write ``out_dir/<n>/{old,new}.{json,yaml}`` for each size; returns the paths written."""
    written = []
    for n in sizes:
        directory = Path(out_dir) / str(n)
        directory.mkdir(parents=True, exist_ok=True)
        old, new = generate_pair(n, seed)
        for label, template in (("old", old), ("new", new)):
            for suffix, render in (("json", to_json), ("yaml", to_yaml)):
                path = directory / f"{label}.{suffix}"
                path.write_text(render(template), encoding="utf-8")
                written.append(path)
    return written
