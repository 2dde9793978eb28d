"""Entry point.  ``impact --version`` answers before anything heavy is imported."""

from __future__ import annotations

import sys


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["--version"], ["-V"]):
        from . import __version__

        print(f"impact {__version__}")
        return 0
    from .cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
