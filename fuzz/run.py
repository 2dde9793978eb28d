"""Run the fuzz target for a fixed time: with atheris (coverage-guided, from
libFuzzer) where it is installed, otherwise with hypothesis mutating the
seed inputs.  Both start from fixed seeds.  Exits non-zero, with the input,
on the first finding.

    python -m fuzz.run [--seconds 60] [--engine atheris|hypothesis]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def with_atheris(seconds: int) -> None:
    import atheris

    with atheris.instrument_imports(include=["impact", "yaml", "deepdiff"]):
        from fuzz import target

    with tempfile.TemporaryDirectory() as corpus:
        for i, seed in enumerate(target.seeds()):
            (Path(corpus) / f"seed{i}").write_bytes(seed)
        atheris.Setup(
            [sys.argv[0], "-seed=1", f"-max_total_time={seconds}", "-rss_limit_mb=2048", "-timeout=20", "-verbosity=0", corpus],
            target.check,
        )
        atheris.Fuzz()


def with_hypothesis(seconds: int) -> None:
    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis import strategies as st

    from fuzz import target

    seeds = target.seeds()
    # Edits that matter to YAML and JSON: structure, quoting, tags, anchors, bytes that are not text.
    pieces = st.sampled_from(
        [b"{", b"}", b"[", b"]", b":", b",", b"-", b"\n", b"  ", b'"', b"'", b"!", b"!!", b"&a", b"*a", b"#",
         b"|", b">", b"\\", b"\x00", b"\xff", b"~", b"null", b"<<", b"!Ref ", b"!GetAtt ", b"Resources", b"Type"]
    ) | st.binary(max_size=6)

    @st.composite
    def mutated(draw):
        data = bytearray(draw(st.sampled_from(seeds)))
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data)))
            action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
            if action == "insert":
                data[at:at] = draw(pieces)
            elif action == "delete":
                del data[at : at + draw(st.integers(1, 40))]
            elif action == "replace":
                data[at : at + draw(st.integers(1, 6))] = draw(pieces)
            else:
                data[at:at] = data[at : at + draw(st.integers(1, 200))]
        return bytes(data)

    @settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(mutated())
    def fuzz(data):
        target.check(data)

    deadline = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < deadline:
        seed(rounds)(fuzz)()  # a fixed sequence of inputs, however long the budget
        rounds += 1
    print(f"fuzz: {rounds * 200} inputs in {seconds} s, no finding")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="time budget (default: 60)")
    parser.add_argument("--engine", choices=("atheris", "hypothesis"), help="default: atheris when installed")
    args = parser.parse_args(argv)
    engine = args.engine
    if engine is None:
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    print(f"fuzz: {engine}, {args.seconds} s", flush=True)
    if engine == "atheris":
        with_atheris(args.seconds)
    else:
        with_hypothesis(args.seconds)


if __name__ == "__main__":
    main()
