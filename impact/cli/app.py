"""The application every command registers with, and what the commands share:
the options' vocabulary, errors, exit codes, and writing a report.

Exit codes follow diff(1): 0 when it ran, 1 when ``--fail-on`` is met,
2 for bad input or bad usage.  No command is imported here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from .. import __version__
from ..render import FORMATS
from ..model import BROADENING, BROADENING_FINDINGS, NEVER, RANK, REMOVE, REPLACEMENT, SEVERITY_RANK

EXIT_OK, EXIT_FAIL_ON, EXIT_TROUBLE = 0, 1, 2

FAIL_ON_HELP = (
    "Exit 1 when the report reaches LEVEL: error or warning (the verdict, both axes: an error is a replacement, "
    "a removal or an error finding), a label such as replacement (what breaks only: a change that disruptive or "
    "more), broadening (what opens up only: a change that opens access), or none (never, whatever .impact.yaml says)."
)
FORMAT_HELP = "The report: " + ", ".join(FORMATS[:-1]) + " or " + FORMATS[-1] + "."


class UsageError(Exception):
    """Bad usage or bad input that is not a template's fault: exit 2, one line."""


# -h as well as --help, for every command.
HELP = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    add_completion=False,
    context_settings=HELP,
    rich_markup_mode=None,  # plain help: descriptions get the width of the terminal
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="What a CloudFormation template change will do to the live stack.",
)
rules_app = typer.Typer(
    add_completion=False, context_settings=HELP, rich_markup_mode=None, no_args_is_help=True, help="Build and inspect the rules table."
)
app.add_typer(rules_app, name="rules", short_help="Build and inspect the rules table.")


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
    """Whether the report reaches ``threshold``.

    ``error`` and ``warning`` weigh both axes, as the verdict does: a
    replacement, a removal or an error finding is an error.  A label weighs
    what breaks only: some change at or above it, a removed resource
    counting as a replacement.  ``broadening`` weighs what opens up only: a
    finding that a change opens access.  ``none`` is never met.
    """
    if threshold == NEVER:
        return False
    if threshold == BROADENING:
        return any(f.id in BROADENING_FINDINGS for s in report.stacks for f in s.findings)
    if threshold in SEVERITY_RANK:
        from ..levels import LEVELS, TIER_RANK
        from ..render.common import verdict_tier

        return TIER_RANK[verdict_tier(report.stacks)] >= TIER_RANK[LEVELS[threshold].tier]
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


def emit(report, fmt: str, output: Optional[Path], fail_on, step_summary: bool, max_chars, timings) -> None:
    """Render and write the report, the step summary and timings; exit 1
    when ``--fail-on`` is met."""
    from ..render import render

    if max_chars is not None and max_chars < 1:
        raise UsageError(f"--max-chars {max_chars}: give a number of characters, 1 or more")
    terminal = output is None and fmt == "text" and sys.stdout.isatty()
    color = terminal and not os.environ.get("NO_COLOR")
    budget = {} if max_chars is None else {"max_chars": max_chars}
    fit = {}
    if terminal:  # fit the terminal: its width, or COLUMNS when set
        import shutil

        fit["width"] = shutil.get_terminal_size().columns
    with timings.stage("render"):
        text = render(report, fmt, color=color, **budget, **fit)
    write_output(text, output)
    if step_summary and os.environ.get("GITHUB_STEP_SUMMARY"):
        summary = text if fmt == "md" else render(report, "md", **budget)
        append_summary(summary, Path(os.environ["GITHUB_STEP_SUMMARY"]))
    if os.environ.get("IMPACT_TIMINGS"):
        sys.stderr.write(" ".join(f"{k}={v * 1000:.1f}ms" for k, v in timings.items()) + "\n")
    if fail_on is not None and fail_on_met(report, fail_on):
        raise typer.Exit(EXIT_FAIL_ON)


def parameter_values(given: Optional[str], option: str) -> Optional[dict]:
    """The values an option names: a file, or Key=Value pairs written out."""
    from ..load import params

    if given is None:
        return None
    if os.path.exists(given) or "=" not in given:
        return params.read(given)
    return params.parse(option, given)


# The pseudo parameters a stack's values may be given for; AWS::Region comes from --region.
PSEUDO_NAMES = ("AccountId", "NotificationARNs", "Partition", "StackId", "StackName", "URLSuffix")


def pseudo_values(given: list) -> Optional[dict]:
    """``--pseudo NAME=VALUE`` options as ``{"AWS::NAME": VALUE}``."""
    out: dict = {}
    for item in given or []:
        name, sep, value = item.partition("=")
        name = name.strip().removeprefix("AWS::")
        if not sep or not value or name not in PSEUDO_NAMES:
            raise UsageError(
                f"--pseudo {item!r}: give NAME=VALUE, NAME one of {', '.join(PSEUDO_NAMES)} "
                "(the Region comes from --region)"
            )
        if name == "AccountId" and not (value.isdigit() and len(value) == 12):
            raise UsageError(f"--pseudo {item!r}: an account ID is 12 digits")
        out[f"AWS::{name}"] = value
    return out or None


def region_name(region: Optional[str]) -> Optional[str]:
    from ..classify.config import REGION

    if region is not None and not REGION.match(region):
        raise UsageError(f"--region {region!r} is not a region name such as eu-west-1")
    return region


def append_summary(text: str, path: Path) -> None:
    """Add to a GitHub step summary; steps append to the same file."""
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    except OSError as e:
        raise UsageError(f"{path}: cannot write the step summary: {e.strerror or e}") from None
