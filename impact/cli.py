"""The command line: ``impact diff`` and ``impact rules``.

Exit codes follow diff(1): 0 when it ran, 1 when ``--fail-on`` is met,
2 for bad input or bad usage.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .loader import MAX_BYTES, LoadError
from .model import LABELS, RANK, REMOVE, REPLACEMENT, SEVERITY_RANK

EXIT_OK, EXIT_FAIL_ON, EXIT_TROUBLE = 0, 1, 2
FORMATS = ("text", "md", "html", "json")
FAIL_ON = tuple(label for label in LABELS) + ("error", "warning")


class UsageError(Exception):
    """Bad usage or bad input that is not a template's fault: exit 2, one line."""


app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="What a CloudFormation template change will do to the live stack.",
)
rules_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Build and inspect the rules table.")
app.add_typer(rules_app, name="rules")


def _version(value: bool):
    if value:
        typer.echo(f"impact {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Show the version."),
):
    pass


def fail_on_met(report, threshold: str) -> bool:
    """Whether some change (or finding, for error/warning) is at or above ``threshold``.

    A removed resource counts as a replacement: it is deleted.
    """
    if threshold in SEVERITY_RANK:
        floor = SEVERITY_RANK[threshold]
        return any(SEVERITY_RANK[f.severity] >= floor for s in report.stacks for f in s.findings)
    floor = RANK[threshold]
    for stack in report.stacks:
        for rd in stack.resources:
            if rd.ignored:
                continue
            if rd.action == REMOVE and RANK[REPLACEMENT] >= floor:
                return True
            if any(RANK[c.impact] >= floor for c in rd.changes if not c.ignored):
                return True
    return False


def write_output(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise UsageError(f"{output}: cannot write: {e.strerror or e}") from None


@app.command()
def diff(
    old: Path = typer.Argument(..., help="The template before the change."),
    new: Path = typer.Argument(..., help="The template after the change."),
    fmt: str = typer.Option("text", "--format", "-f", help="text, md, html or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report here instead of stdout."),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", help="Exit 1 when a change is at or above this label: " + ", ".join(FAIL_ON) + "."
    ),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", help="Refuse templates larger than this."),
    config: Optional[Path] = typer.Option(None, "--config", help="An .impact.yaml (default: found upwards)."),
):
    """Compare two revisions of a template."""
    from .config import load_config
    from .pipeline import Timings, diff_files
    from .render import render

    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise UsageError(f"unknown --fail-on {fail_on!r}: choose one of {', '.join(FAIL_ON)}")
    cfg = load_config(config)
    fail_on = fail_on or cfg.fail_on
    timings = Timings()
    report = diff_files(str(old), str(new), max_bytes=max_bytes, timings=timings, config=cfg)
    color = output is None and fmt == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    with timings.stage("render"):
        text = render(report, fmt, color=color)
    write_output(text, output)
    if os.environ.get("IMPACT_TIMINGS"):
        sys.stderr.write(" ".join(f"{k}={v * 1000:.1f}ms" for k, v in timings.items()) + "\n")
    if fail_on is not None and fail_on_met(report, fail_on):
        raise typer.Exit(EXIT_FAIL_ON)


from . import cli_rules  # noqa: E402,F401  (registers the `impact rules` commands)


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
        if hasattr(e, "format_message"):  # the command line itself is wrong
            sys.stderr.write(f"impact: {' '.join(e.format_message().split())} (see impact --help)\n")
            return EXIT_TROUBLE
        if os.environ.get("IMPACT_DEBUG"):
            raise
        # A bug: still one line, never a traceback.
        sys.stderr.write(f"impact: internal error: {type(e).__name__}: {e} (IMPACT_DEBUG=1 shows where)\n")
        return EXIT_TROUBLE
    return code if isinstance(code, int) else EXIT_OK
