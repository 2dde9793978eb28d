"""``python -m bench.generate``: write the benchmark pairs."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from . import __doc__ as DOC, write_pairs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=DOC.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out"), help="output directory (default: bench/out)")
    parser.add_argument("--sizes", default="50,500,2000", help="comma-separated resource counts (default: 50,500,2000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
    started = time.perf_counter()
    paths = write_pairs(args.out, sizes, args.seed)
    elapsed = time.perf_counter() - started
    for path in paths:
        print(f"{path}  {path.stat().st_size / 1e6:.3f} MB")
    print(f"wrote {len(paths)} files in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
