"""The stages in order: load, diff, classify, assess, render.

Each stage is its own module; this one only runs them and times them.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Optional

from .differ import diff_resources
from .loader import MAX_BYTES, load_file
from .model import Report, StackDiff, Template
from .rules import RuleBook

STAGES = ("load", "diff", "classify", "assess", "render")


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
) -> StackDiff:
    """Diff, classify and assess one pair of loaded templates."""
    timings = timings if timings is not None else Timings()
    stack = StackDiff(name=name or new.path or old.path, old=old.path, new=new.path)
    with timings.stage("diff"):
        stack.resources = diff_resources(old, new, unordered=book.unordered)
    with timings.stage("classify"):
        from .classify import classify_resources

        classify_resources(book, stack.resources)
    with timings.stage("assess"):
        from .assess import assess

        assess(stack, old, new, book)
    return stack


def diff_files(
    old_path: str,
    new_path: str,
    book: Optional[RuleBook] = None,
    max_bytes: int = MAX_BYTES,
    timings: Optional[Timings] = None,
    name: Optional[str] = None,
) -> Report:
    timings = timings if timings is not None else Timings()
    book = book or RuleBook()
    with timings.stage("load"):
        old = load_file(old_path, max_bytes)
        new = load_file(new_path, max_bytes)
    stack = diff_templates(old, new, book, name=name or new_path, timings=timings)
    return Report(stacks=[stack], rules_info=rules_info(book))


def rules_info(book: RuleBook) -> dict:
    info = {}
    for layer in ("docs", "schema"):
        meta = book.meta(layer)
        if meta:
            info[layer] = {k: meta[k] for k in ("source", "cfn_lint", "schema_date") if k in meta}
    return info
