"""The stages in order: load, expand, resolve, diff, classify, assess, render.

Each stage is its own module; this one only runs them and times them.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Optional

from .assess.stage import assess
from .classify.labels import apply_config, apply_resolved, classify_resources
from .classify.config import Config
from .diff.differ import diff_resources
from .expand import Inputs, expand_pair
from .diff.hashed import pair_hashed
from .diff.resolved import apply_resolution
from .resolve.stage import resolution
from .model import CDK_METADATA, CDK_METADATA_NOTE, REMOVE, StackDiff, Template
from .classify.rules import RuleBook
from .classify.values import apply_value_conditions
from .diff.sections import diff_sections, unknown_section_note, unknown_sections

class Timings(dict):
    """Seconds spent per stage, summed over every stack of a run."""

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self[name] = self.get(name, 0.0) + time.perf_counter() - start


def diff_templates(
    old: Template,
    new: Template,
    book: RuleBook,
    name: Optional[str] = None,
    timings: Optional[Timings] = None,
    config: Optional[Config] = None,
    inputs: Optional[Inputs] = None,
    changeset=None,
) -> StackDiff:
    """Expand, diff, classify and assess one pair of loaded templates; with a
    ``changeset`` (:class:`impact.aws.changeset.ChangeSet`), AWS's answers are
    merged in: into the edits before knock-on propagation, into the knock-on
    changes after it, and findings read the merged result."""
    timings = timings if timings is not None else Timings()
    stack = StackDiff(name=name or new.path or old.path, old=old.path, new=new.path)
    read = (old, new)  # as loaded: a resource read later tells its warnings there
    with timings.stage("expand"):
        old, new, notes = expand_pair(old, new, inputs)
    stack.notes.extend(notes)
    stack.notes.extend(template_notes(old, new))
    with timings.stage("resolve"):
        res = resolution(old, new, inputs.region if inputs else None, inputs.pseudo if inputs else None)
    with timings.stage("diff"):
        stack.resources = diff_resources(old, new, unordered=book.unordered)
        pair_hashed(stack.resources, old, new, unordered=book.unordered)
        stack.sections = diff_sections(old, new)
    with timings.stage("resolve"):
        apply_resolution(stack, old, new, res, book.unordered)
    with timings.stage("classify"):
        classify_resources(book, stack.resources)
        apply_resolved(stack.resources)
        apply_value_conditions(book, stack.resources, old, new, res)
        apply_config(config, stack.resources)
        for rd in stack.resources:
            if rd.type == CDK_METADATA and not rd.ignored:
                rd.ignored = CDK_METADATA_NOTE
        after_knock_on = None
        if changeset is not None:
            from .aws.changeset import merge_direct, merge_knock_on

            later = merge_direct(stack, changeset)

            def after_knock_on(stack):
                merge_knock_on(stack, later, changeset.logical_ids())

    with timings.stage("assess"):
        assess(stack, old, new, book, config, after_knock_on, res)
    if old.origins or new.origins:
        for rd in stack.resources:  # knock-on changes are found after the diff
            if rd.origin is None:
                rd.origin = (old if rd.action == REMOVE else new).origins.get(rd.logical_id)
    stack.warnings = template_warnings(*read)
    return stack


def change_set_stacks(change_sets: list, book, cfg) -> list:
    """One stack per change set, each change with AWS's label and the rules' beside it."""
    from .aws.changeset import assess_change_set, stack_from_change_set

    stacks = []
    for cs in change_sets:
        stack = stack_from_change_set(cs, book)
        apply_config(cfg, stack.resources)
        assess_change_set(stack, book)
        stacks.append(stack)
    return stacks


def template_warnings(old: Template, new: Template) -> list:
    """The new revision's warnings, then the old one's that the new one does
    not repeat (the same kind at the same place)."""
    seen = {(w.kind, w.pointer or w.message) for w in new.warnings}
    return list(new.warnings) + [w for w in old.warnings if (w.kind, w.pointer or w.message) not in seen]


def template_notes(old: Template, new: Template) -> list:
    """Statements about the templates as a whole that a reviewer should read."""
    notes = []  # a SAM template the expansion could not expand has its note from there
    odd = [k for k in unknown_sections(old, new) if old.data.get(k) != new.data.get(k)]
    if odd:
        notes.append(unknown_section_note(odd))
    return notes


def rules_info(book: RuleBook) -> dict:
    info = {}
    for layer in ("docs", "schema"):
        meta = book.meta(layer)
        if meta:
            info[layer] = {k: meta[k] for k in ("source", "cfn_lint", "schema_date") if k in meta}
    return info
