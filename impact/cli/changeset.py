"""``impact changeset``: read a change set alone, in every report format."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..load.loader import MAX_BYTES
from ..model import FAIL_ON_LEVELS as FAIL_ON
from .app import FAIL_ON_HELP, FORMAT_HELP, UsageError, app, emit


@app.command("changeset", short_help="Report a change set AWS made (describe-change-set JSON).")
def changeset(
    files: List[Path] = typer.Argument(
        ...,
        metavar="FILE...", help="describe-change-set JSON files: a stack's change set and its nested stacks' ones (and pages)."
    ),
    fmt: str = typer.Option("text", "--format", "-f", metavar="FORMAT", help=FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the report here instead of stdout."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="LEVEL", help=FAIL_ON_HELP),
    step_summary: bool = typer.Option(
        False, "--step-summary", help="Also append the Markdown report to $GITHUB_STEP_SUMMARY, when it is set."
    ),
    max_chars: Optional[int] = typer.Option(None, "--max-chars", metavar="N", help="Size budget of the Markdown report."),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", metavar="BYTES", help="Refuse change-set files larger than this."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="An .impact.yaml (default: found upwards)."),
):
    """Render a change set (`aws cloudformation describe-change-set --include-property-values`) beside the rules' prediction."""
    from ..aws.changeset import link, read_change_set, walk
    from ..classify.config import load_config
    from ..model import Report
    from ..pipeline import Timings, change_set_stacks, rules_info
    from ..render import MODULES
    from ..classify.rules import RuleBook

    if fmt not in MODULES:
        raise UsageError(f"unknown --format {fmt!r}: choose one of {', '.join(MODULES)}")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise UsageError(f"unknown --fail-on {fail_on!r}: choose one of {', '.join(FAIL_ON)}")
    cfg = load_config(config)
    timings = Timings()
    with timings.stage("load"):
        roots = link([read_change_set(str(f), max_bytes) for f in files])
    book = RuleBook(overlay_dir=cfg.overlay_dir())
    report = Report(rules_info=rules_info(book))
    with timings.stage("classify"):
        report.stacks = change_set_stacks(list(walk(roots)), book, cfg)
    emit(report, fmt, output, fail_on or cfg.fail_on, step_summary, max_chars, timings)
