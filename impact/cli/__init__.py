"""The command line.  ``app`` holds the application and what the commands
share; ``diff``, ``changeset`` and ``rules`` each register their commands on
it.  Takes arguments; gives a report on stdout (or a file) and an exit code.
"""

from __future__ import annotations

import os
import sys

import typer

from ..load.loader import LoadError
from . import diff, changeset, rules  # noqa: F401,I001  (each registers its commands on the app, in this order)
from .app import EXIT_OK, EXIT_TROUBLE, UsageError, app


def run(args) -> int:
    """Run the CLI; every error ends as one line on stderr."""
    try:
        code = app(args=args, prog_name="impact", standalone_mode=False)
    except LoadError as e:
        sys.stderr.write(f"{e}\n")
        return EXIT_TROUBLE
    except UsageError as e:
        sys.stderr.write(f"impact: {e}\n")
        return EXIT_TROUBLE
    except typer.Exit as e:
        return e.exit_code
    except typer.Abort:
        sys.stderr.write("impact: aborted\n")
        return EXIT_TROUBLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:
        if type(e).__name__ == "NoArgsIsHelpError":  # `impact`, `impact rules`: the usage, on stdout
            sys.stdout.write(e.ctx.get_help() + "\n")
            return EXIT_TROUBLE
        if hasattr(e, "format_message"):  # the command line itself is wrong
            sys.stderr.write(f"impact: {' '.join(e.format_message().split())} (see impact --help)\n")
            return EXIT_TROUBLE
        if os.environ.get("IMPACT_DEBUG"):
            raise
        # A bug: still one line, never a traceback.
        sys.stderr.write(f"impact: internal error: {type(e).__name__}: {e} (IMPACT_DEBUG=1 shows where)\n")
        return EXIT_TROUBLE
    return code if isinstance(code, int) else EXIT_OK
