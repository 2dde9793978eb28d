"""``impact diff``: two templates, two folders, two git revisions, or the
deployed stack against a template."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..load.loader import MAX_BYTES
from ..model import FAIL_ON_LEVELS as FAIL_ON
from .app import FAIL_ON_HELP, FORMAT_HELP, UsageError, app, emit, parameter_values, pseudo_values, region_name, write_output


@app.command(short_help="Compare two templates, two folders or two git revisions.")
def diff(
    paths: Optional[List[Path]] = typer.Argument(
        None,
        metavar="[OLD NEW | PATH...]",
        help="OLD NEW: two templates, or two folders whose templates are paired by relative path. "
        "With --base: paths to limit the comparison to.",
        show_default=False,
    ),
    base: Optional[str] = typer.Option(
        None, "--base", metavar="REF", help="Compare every template that differs between this git revision and --head."
    ),
    merge_base: bool = typer.Option(
        False,
        "--merge-base",
        help="Compare from the merge base of --base and --head (or HEAD), as a pull request's changes are shown.",
    ),
    head: Optional[str] = typer.Option(
        None,
        "--head", metavar="REF",
        help="The later git revision (default: the working tree, with untracked files that git does not ignore).",
    ),
    fmt: str = typer.Option("text", "--format", "-f", metavar="FORMAT", help=FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the report here instead of stdout."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="LEVEL", help=FAIL_ON_HELP),
    step_summary: bool = typer.Option(
        False, "--step-summary", help="Also append the Markdown report to $GITHUB_STEP_SUMMARY, when it is set."
    ),
    max_chars: Optional[int] = typer.Option(
        None, "--max-chars", metavar="N", help="Size budget of the Markdown report (default: it fits a pull-request comment)."
    ),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", metavar="BYTES", help="Refuse templates larger than this."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="An .impact.yaml (default: found upwards)."),
    parameters: Optional[str] = typer.Option(
        None,
        "--parameters", metavar="VALUES",
        help="Parameter values of the deployed stack: a file (aws cloudformation's JSON list, or Key=Value pairs), "
        "or Key=Value pairs themselves.",
    ),
    parameters_old: Optional[str] = typer.Option(None, "--parameters-old", metavar="VALUES", help="Parameter values for OLD only."),
    parameters_new: Optional[str] = typer.Option(None, "--parameters-new", metavar="VALUES", help="Parameter values for NEW only."),
    region: Optional[str] = typer.Option(
        None, "--region", metavar="REGION", help="The stack's region: AWS::Region for mappings and conditions, and "
        "the region SAM templates are expanded for (default: region in .impact.yaml; else AWS::Region is every "
        "region a mapping lists, and SAM uses us-east-1)."
    ),
    pseudo: List[str] = typer.Option(
        [],
        "--pseudo", metavar="NAME=VALUE",
        help="A pseudo parameter of the deployed stack: AccountId, StackName, StackId, Partition, URLSuffix or "
        "NotificationARNs. Repeat for each.",
    ),
    refactor_file: Optional[Path] = typer.Option(
        None,
        "--refactor-file", metavar="FILE",
        help="Write the detected renames as the resource mappings aws cloudformation create-stack-refactor "
        "--resource-mappings takes: refactoring keeps the resource under its new logical ID.",
    ),
    refactor_stack: Optional[str] = typer.Option(
        None,
        "--refactor-stack", metavar="NAME",
        help="The deployed stack's name in --refactor-file (default: --stack, else the template's file name).",
    ),
    change_set: List[Path] = typer.Option(
        [],
        "--change-set", metavar="FILE",
        help="describe-change-set JSON (with --include-property-values) to merge: AWS's answer wins, "
        "the offline prediction is kept beside it. Repeat for nested stacks' change sets.",
    ),
    stack_name: Optional[str] = typer.Option(
        None,
        "--stack", metavar="NAME",
        help="Compare the deployed stack NAME with NEW: needs AWS credentials and the aws extra. "
        "A change set is created, read and deleted; it is never executed.",
    ),
):
    """Compare two revisions of a template, of a folder of templates, or of a git repository."""
    from ..classify.config import load_config
    from ..expand import Inputs
    from ..model import Report
    from ..pipeline import Timings, change_set_stacks, diff_templates, rules_info
    from ..render import MODULES
    from ..classify.rules import RuleBook

    if fmt not in MODULES:
        raise UsageError(f"unknown --format {fmt!r}: choose one of {', '.join(MODULES)}")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise UsageError(f"unknown --fail-on {fail_on!r}: choose one of {', '.join(FAIL_ON)}")
    cfg = load_config(config)
    fail_on = fail_on or cfg.fail_on
    both = parameter_values(parameters, "--parameters")
    old_values, new_values = parameter_values(parameters_old, "--parameters-old"), parameter_values(parameters_new, "--parameters-new")
    inputs = Inputs(
        region=region_name(region) or cfg.region,
        old_values=old_values if old_values is not None else both,
        new_values=new_values if new_values is not None else both,
        pseudo=pseudo_values(pseudo),
    )
    timings = Timings()
    merging, unpaired = {}, []
    with timings.stage("load"):
        if stack_name is not None:
            if base or head or change_set or merge_base:
                raise UsageError("--stack compares the deployed stack with NEW: no --base, --head or --change-set")
            given = inputs.new_values  # the change set's values; the deployed stack's by default
            pairs, merging, unpaired, inputs = stack_inputs(stack_name, paths or [], given, max_bytes, inputs.region,
                                                            inputs.pseudo)
            compared = f"stack {stack_name} and {paths[0]}"
        else:
            pairs, compared = _template_pairs(paths or [], base, head, max_bytes, merge_base)
    book = RuleBook(overlay_dir=cfg.overlay_dir())
    report = Report(rules_info=rules_info(book))
    if change_set:
        merging, unpaired = change_sets_for(change_set, pairs, max_bytes)
    for pair in pairs:
        with timings.stage("load"):
            old, new = pair.old, pair.new
        stack = diff_templates(
            old,
            new,
            book,
            name=pair.name,
            timings=timings,
            config=cfg,
            inputs=inputs,
            changeset=merging.get(pair.name),
        )
        stack.notes.extend(pair.notes)
        report.stacks.append(stack)
        del old, new
        pair.release()
    if unpaired:
        report.stacks.extend(change_set_stacks(unpaired, book, cfg))
    if not report.stacks:
        sys.stderr.write(f"impact: no CloudFormation template differs between {compared}\n")
    if refactor_file is not None:
        import json

        from ..aws.refactor import mappings

        write_output(json.dumps(mappings(report, refactor_stack or stack_name), indent=1) + "\n", refactor_file)
    emit(report, fmt, output, fail_on, step_summary, max_chars, timings)


def change_sets_for(paths: list, pairs: list, max_bytes: int) -> tuple:
    """The change sets of ``paths`` keyed by the name of the stack each
    belongs to, and those of nested stacks with no template pair here."""
    from ..aws.changeset import assign, link, read_change_set

    roots = link([read_change_set(str(p), max_bytes) for p in paths])
    return assign(roots, [pair.name for pair in pairs])


def _template_pairs(paths: list, base: Optional[str], head: Optional[str], max_bytes: int, merge_base=False):
    """The pairs of templates the arguments name, and how to name what was compared."""
    from ..load import sources

    try:
        if base is not None:
            pairs = sources.git_pairs(base, head, [str(p) for p in paths], max_bytes, merge_base)
            since = f"the merge base of {base} and {head or 'HEAD'}" if merge_base else base
            return pairs, f"{since} and {head or 'the working tree'}"
        if head is not None or merge_base:
            raise UsageError(f"{'--head' if head is not None else '--merge-base'} needs --base")
        if len(paths) != 2:
            raise UsageError("give OLD and NEW (two templates or two folders), or --base REF")
        old, new = paths
        if old.is_dir() and new.is_dir():
            return sources.dir_pairs(str(old), str(new), max_bytes), f"{old} and {new}"
        if old.is_dir() or new.is_dir():
            other = new if old.is_dir() else old
            if not other.exists():
                raise UsageError(f"{other}: no such folder")
            raise UsageError(f"{old} and {new}: give two templates or two folders, not one of each")
        return sources.file_pairs(str(old), str(new), max_bytes), f"{old} and {new}"
    except sources.SourceError as e:
        raise UsageError(str(e)) from None


def stack_inputs(stack: str, paths: list, given: Optional[dict], max_bytes: int, region: Optional[str],
                 pseudo: Optional[dict] = None) -> tuple:
    """``impact diff --stack NAME NEW``: the deployed template as OLD, and
    the change set AWS makes of NEW.  Returns ``(pairs, {stack: ChangeSet},
    [nested change sets], Inputs)``: the change sets as
    :func:`change_sets_for` gives them, and the region and
    parameter values of both sides for the expansion."""
    import json
    import sys

    from ..aws.stack import AwsError, preview
    from ..aws.changeset import assign, link, parse_change_set
    from ..expand import Inputs
    from ..load.loader import load_file, load_text
    from ..load.sources import Pair

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
    inputs = Inputs(region=result.region, old_values=deployed, new_values={**deployed, **given},
                    pseudo={**(pseudo or {}), "AWS::StackName": stack})
    return pairs, merging, unpaired, inputs
