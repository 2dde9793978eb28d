"""``impact changeset``: read a change set alone, in every report format."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .cli import FAIL_ON, UsageError, app, emit
from .loader import MAX_BYTES


def change_set_stacks(change_sets: list, book, cfg) -> list:
    """One stack per change set, each change with AWS's label and the rules' beside it."""
    from .changeset import stack_from_change_set
    from .classify import apply_config

    stacks = []
    for cs in change_sets:
        stack = stack_from_change_set(cs, book)
        apply_config(cfg, stack.resources)
        stacks.append(stack)
    return stacks


@app.command("changeset")
def changeset(
    files: List[Path] = typer.Argument(
        ..., help="describe-change-set JSON files: a stack's change set and its nested stacks' ones (and pages)."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text, md, html, json, checklist, sarif or github."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report here instead of stdout."),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", help="Exit 1 when a change is at or above this label: " + ", ".join(FAIL_ON) + "."
    ),
    step_summary: bool = typer.Option(
        False, "--step-summary", help="Also append the Markdown report to $GITHUB_STEP_SUMMARY, when it is set."
    ),
    max_chars: Optional[int] = typer.Option(None, "--max-chars", min=1, help="Size budget of the Markdown report."),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", help="Refuse change-set files larger than this."),
    config: Optional[Path] = typer.Option(None, "--config", help="An .impact.yaml (default: found upwards)."),
):
    """Render a change set (`aws cloudformation describe-change-set --include-property-values`) beside the rules' prediction."""
    from .changeset import link, read_change_set, walk
    from .config import load_config
    from .model import Report
    from .pipeline import Timings, rules_info
    from .render import MODULES
    from .rules import RuleBook

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


def stack_inputs(stack: str, paths: list, given: Optional[dict], max_bytes: int, region: Optional[str]) -> tuple:
    """``impact diff --stack NAME NEW``: the deployed template as OLD, and
    the change set AWS makes of NEW.  Returns ``(pairs, {stack: ChangeSet},
    [nested change sets], Inputs)``: the change sets as
    :func:`impact.cli.change_sets_for` gives them, and the region and
    parameter values of both sides for the expansion."""
    import json
    import sys

    from .aws import AwsError, preview
    from .changeset import assign, link, parse_change_set
    from .expand import Inputs
    from .loader import load_file, load_text
    from .sources import Pair

    if len(paths) != 1:
        raise UsageError("--stack NAME NEW: give the new template only")
    new = load_file(str(paths[0]), max_bytes)
    given = dict(given or {})
    declared = new.data.get("Parameters")
    names = list(declared) if isinstance(declared, dict) else []
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise UsageError(f"--parameters: {', '.join(unknown)} not a parameter of {paths[0]}")
    try:
        with open(paths[0], "rb") as fh:
            body = fh.read().decode("utf-8")
        def say(text: str) -> None:
            sys.stderr.write(f"impact: {text}\n")

        # Progress only at a terminal: in CI, stderr holds errors alone.
        quiet = say if sys.stderr.isatty() else (lambda text: None)
        result = preview(stack, body, names, given, say=quiet, warn=say, region=region)
    except AwsError as e:
        raise UsageError(str(e)) from None
    old = load_text(f"{stack} (deployed in {result.region})", result.template)
    pairs = [Pair(name=stack, old=old, new=new)]
    if result.no_changes:
        sys.stderr.write(f"impact: stack {stack}: no changes (CloudFormation has nothing to update)\n")
    label = f"change set of stack {stack}"
    change_sets = [parse_change_set(label, json.dumps(page)) for page in result.pages]
    merging, unpaired = assign(link(change_sets), [stack])
    deployed = {k: v for k, v in result.parameters.items() if isinstance(v, str)}
    inputs = Inputs(region=result.region, old_values=deployed, new_values={**deployed, **given})
    return pairs, merging, unpaired, inputs
