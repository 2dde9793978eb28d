"""How fast YAML parsers read the 500- and 2,000-resource templates.

Compares impact's loader (PyYAML's C event parser, data and positions built
as events arrive) with PyYAML's C loader alone and, when it is installed
(``pip install rapidyaml``), with rapidyaml: its parse alone, and its parse
plus the least walk that turns its tree into Python data (no positions, no
tags, no duplicate keys; its Python binding gives no node positions).

Run ``python -m bench.yaml_parsers`` after ``python -m bench.run`` or
``python -m bench.generate``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

import yaml

from bench.run import ROOT, _CfnLoader
from impact.load.loader import load_text


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def ryml_walk(tree, ryml):
    """rapidyaml's tree as plain data, through its Python binding, one call per node."""
    none = ryml.NONE
    is_map, is_seq, first, nxt, key, val = tree.is_map, tree.is_seq, tree.first_child, tree.next_sibling, tree.key, tree.val

    def build(node):
        if is_map(node):
            out, child = {}, first(node)
            while child != none:
                out[bytes(key(child)).decode()] = build(child)
                child = nxt(child)
            return out
        if is_seq(node):
            items, child = [], first(node)
            while child != none:
                items.append(build(child))
                child = nxt(child)
            return items
        return bytes(val(node)).decode()

    return build(tree.root_id())


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.yaml_parsers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    try:
        import ryml
    except ImportError:
        ryml = None
    rows = []
    for n in (500, 2000):
        texts = [(args.out / str(n) / f"{side}.yaml").read_text(encoding="utf-8") for side in ("old", "new")]
        raw = [t.encode() for t in texts]
        row = {
            "impact loader (data + positions)": median_ms(lambda texts=texts: [load_text("t.yaml", t) for t in texts], args.runs),
            "PyYAML C loader alone": median_ms(lambda texts=texts: [yaml.load(t, Loader=_CfnLoader) for t in texts], args.runs),
        }
        if ryml is not None:
            row["rapidyaml parse alone"] = median_ms(lambda raw=raw: [ryml.parse_in_arena(b) for b in raw], args.runs)
            gc.disable()
            row["rapidyaml parse + walk to data"] = median_ms(
                lambda raw=raw: [ryml_walk(ryml.parse_in_arena(b), ryml) for b in raw], args.runs
            )
            gc.enable()
        rows.append((n, row))
    names = list(rows[0][1])
    print("| both files of the pair | " + " | ".join(f"{n:,} resources" for n, _ in rows) + " |")
    print("| --- | " + " | ".join("---:" for _ in rows) + " |")
    for name in names:
        print(f"| {name} | " + " | ".join(f"{row[name]:.0f} ms" for _, row in rows) + " |")
    if ryml is None:
        print("\n(rapidyaml is not installed: pip install rapidyaml)")


if __name__ == "__main__":
    main()
