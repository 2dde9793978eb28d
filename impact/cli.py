"""The command line: ``impact diff`` and ``impact rules``.

Exit codes follow diff(1): 0 when it ran, 1 when ``--fail-on`` is met,
2 for bad input or bad usage.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .loader import MAX_BYTES, LoadError
from .model import BROADENING, BROADENING_FINDINGS, FAIL_ON_LEVELS as FAIL_ON, NEVER, RANK, REMOVE, REPLACEMENT, SEVERITY_RANK

EXIT_OK, EXIT_FAIL_ON, EXIT_TROUBLE = 0, 1, 2


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

    A removed resource counts as a replacement: it is deleted.  ``broadening``
    is met by a finding that the change opens access; ``none`` is never met.
    """
    if threshold == NEVER:
        return False
    if threshold == BROADENING:
        return any(f.id in BROADENING_FINDINGS for s in report.stacks for f in s.findings)
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
    paths: Optional[List[Path]] = typer.Argument(
        None,
        help="OLD NEW: two templates, or two folders whose templates are paired by relative path. "
        "With --base: paths to limit the comparison to.",
        show_default=False,
    ),
    base: Optional[str] = typer.Option(
        None, "--base", help="Compare every template that differs between this git revision and --head."
    ),
    merge_base: bool = typer.Option(
        False,
        "--merge-base",
        help="Compare from the merge base of --base and --head (or HEAD), as a pull request's changes are shown.",
    ),
    head: Optional[str] = typer.Option(
        None,
        "--head",
        help="The later git revision (default: the working tree, with untracked files that git does not ignore).",
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text, md, html, json, checklist, sarif or github."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report here instead of stdout."),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", help="Exit 1 when a change is at or above this label: "
        + ", ".join(FAIL_ON[:-1])
        + "; none never exits 1 (it overrides the config's fail_on).",
    ),
    step_summary: bool = typer.Option(
        False, "--step-summary", help="Also append the Markdown report to $GITHUB_STEP_SUMMARY, when it is set."
    ),
    max_chars: Optional[int] = typer.Option(
        None, "--max-chars", min=1, help="Size budget of the Markdown report (default: it fits a pull-request comment)."
    ),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", help="Refuse templates larger than this."),
    config: Optional[Path] = typer.Option(None, "--config", help="An .impact.yaml (default: found upwards)."),
    parameters: Optional[str] = typer.Option(
        None,
        "--parameters",
        help="Parameter values of the deployed stack: a file (aws cloudformation's JSON list, or Key=Value pairs), "
        "or Key=Value pairs themselves.",
    ),
    parameters_old: Optional[str] = typer.Option(None, "--parameters-old", help="Parameter values for OLD only."),
    parameters_new: Optional[str] = typer.Option(None, "--parameters-new", help="Parameter values for NEW only."),
    region: Optional[str] = typer.Option(
        None, "--region", help="The region SAM templates are expanded for (default: region in .impact.yaml, else us-east-1)."
    ),
    refactor_file: Optional[Path] = typer.Option(
        None,
        "--refactor-file",
        help="Write the detected renames as the resource mappings aws cloudformation create-stack-refactor "
        "--resource-mappings takes: refactoring keeps the resource under its new logical ID.",
    ),
    refactor_stack: Optional[str] = typer.Option(
        None,
        "--refactor-stack",
        help="The deployed stack's name in --refactor-file (default: --stack, else the template's file name).",
    ),
    change_set: List[Path] = typer.Option(
        [],
        "--change-set",
        help="describe-change-set JSON (with --include-property-values) to merge: AWS's answer wins, "
        "the offline prediction is kept beside it. Repeat for nested stacks' change sets.",
    ),
    stack_name: Optional[str] = typer.Option(
        None,
        "--stack",
        help="Compare the deployed stack NAME with NEW: needs AWS credentials and the aws extra. "
        "A change set is created, read and deleted; it is never executed.",
    ),
):
    """Compare two revisions of a template, of a folder of templates, or of a git repository."""
    from .config import load_config
    from .expand import Inputs
    from .model import Report
    from .pipeline import Timings, diff_templates, rules_info
    from .render import MODULES
    from .rules import RuleBook

    if fmt not in MODULES:
        raise UsageError(f"unknown --format {fmt!r}: choose one of {', '.join(MODULES)}")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise UsageError(f"unknown --fail-on {fail_on!r}: choose one of {', '.join(FAIL_ON)}")
    cfg = load_config(config)
    fail_on = fail_on or cfg.fail_on
    both = _parameters(parameters, "--parameters")
    old_values, new_values = _parameters(parameters_old, "--parameters-old"), _parameters(parameters_new, "--parameters-new")
    inputs = Inputs(
        region=_region(region) or cfg.region,
        old_values=old_values if old_values is not None else both,
        new_values=new_values if new_values is not None else both,
    )
    timings = Timings()
    merging, unpaired = {}, []
    with timings.stage("load"):
        if stack_name is not None:
            from .cli_changeset import stack_inputs

            if base or head or change_set or merge_base:
                raise UsageError("--stack compares the deployed stack with NEW: no --base, --head or --change-set")
            given = inputs.new_values  # the change set's values; the deployed stack's by default
            pairs, merging, unpaired, inputs = stack_inputs(stack_name, paths or [], given, max_bytes, inputs.region)
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
        # A pair's templates live until it is diffed: keep the collector
        # from rescanning them at every later allocation burst.  They are
        # freed as usual once let go.
        gc.freeze()
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
        from .cli_changeset import change_set_stacks

        report.stacks.extend(change_set_stacks(unpaired, book, cfg))
    if not report.stacks:
        sys.stderr.write(f"impact: no CloudFormation template differs between {compared}\n")
    if refactor_file is not None:
        import json

        from .refactor import mappings

        write_output(json.dumps(mappings(report, refactor_stack or stack_name), indent=1) + "\n", refactor_file)
    emit(report, fmt, output, fail_on, step_summary, max_chars, timings)


def emit(report, fmt: str, output: Optional[Path], fail_on, step_summary: bool, max_chars, timings) -> None:
    """Render and write the report, the step summary and timings; exit 1
    when ``--fail-on`` is met."""
    from .render import render

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


def _parameters(given: Optional[str], option: str) -> Optional[dict]:
    """The values an option names: a file, or Key=Value pairs written out."""
    from . import params

    if given is None:
        return None
    if os.path.exists(given) or "=" not in given:
        return params.read(given)
    return params.parse(option, given)


def _region(region: Optional[str]) -> Optional[str]:
    from .config import REGION

    if region is not None and not REGION.match(region):
        raise UsageError(f"--region {region!r} is not a region name such as eu-west-1")
    return region


def change_sets_for(paths: list, pairs: list, max_bytes: int) -> tuple:
    """The change sets of ``paths`` keyed by the name of the stack each
    belongs to, and those of nested stacks with no template pair here."""
    from .changeset import assign, link, read_change_set

    roots = link([read_change_set(str(p), max_bytes) for p in paths])
    return assign(roots, [pair.name for pair in pairs])


def _template_pairs(paths: list, base: Optional[str], head: Optional[str], max_bytes: int, merge_base=False):
    """The pairs of templates the arguments name, and how to name what was compared."""
    from . import sources

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


def append_summary(text: str, path: Path) -> None:
    """Add to a GitHub step summary; steps append to the same file."""
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    except OSError as e:
        raise UsageError(f"{path}: cannot write the step summary: {e.strerror or e}") from None


from . import cli_changeset, cli_rules  # noqa: E402,F401  (register `impact changeset` and `impact rules`)


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
        if type(e).__name__ == "NoArgsIsHelpError":  # `impact`, `impact rules`: the usage is printed
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
