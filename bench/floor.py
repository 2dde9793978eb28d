"""The floor impact is measured against: a fresh interpreter that decodes both
templates of a pair and does nothing else.

YAML is decoded by PyYAML's C loader (``CSafeLoader``) taught CloudFormation's
short-form tags and nothing else; JSON by ``json.loads``. No positions, no
checks, no diff. The script prints, on standard error, how long the decode of
both files took inside the process (read and decode, wall and CPU) and its peak
resident memory, so that one run gives both floors: the decode alone, and
(timed from outside) interpreter start, import and decode.

With ``--paused`` the cyclic garbage collector is paused while decoding, as
impact pauses it while loading: PyYAML's loader otherwise spends much of its
time in the collector, more the larger the document (at 5,000 resources,
about 70 %). The plain decode is the floor the goals are set against; the
paused one is the least a decode costs.

Run ``python bench/floor.py [--paused] json|yaml OLD NEW``. It imports nothing
of impact or of the ``bench`` package, so its start-up is the interpreter's
and the decoder's alone.
"""

import sys
import time


def cfn_loader():
    """PyYAML's C loader, taught CloudFormation's short-form tags and nothing else."""
    import yaml

    class CfnLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        """PyYAML's C loader, taught CloudFormation's short-form tags and nothing else."""

    def tagged(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_mapping(node, deep=True)

    CfnLoader.add_multi_constructor("!", tagged)
    return CfnLoader


def _peak_kib() -> int:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main(argv) -> int:
    paused = argv[:1] == ["--paused"]
    argv = argv[1:] if paused else argv
    if len(argv) != 3 or argv[0] not in ("json", "yaml"):
        sys.stderr.write("usage: floor.py [--paused] json|yaml OLD NEW\n")
        return 2
    if argv[0] == "json":
        import json

        decode = json.loads
    else:
        import yaml

        loader = cfn_loader()

        def decode(text):
            return yaml.load(text, Loader=loader)
    if paused:
        import gc

        gc.disable()
    wall, cpu = time.perf_counter(), time.process_time()
    for path in argv[1:]:
        with open(path, encoding="utf-8") as f:
            decode(f.read())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    sys.stderr.write(f"decode_wall={wall:.6f} decode_cpu={cpu:.6f} peak_kib={_peak_kib()}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
