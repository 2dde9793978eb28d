"""The pull-request comment: one Markdown body that a bot keeps up to date.

Built as reviewers read the comments of Terraform plans, Atlantis and
cdk-diff-action: the verdict first, in one line with its mark; a summary
table of the stacks when there are several, worst first; then what needs a
decision, each thing once, on either axis (a replacement, a removal, a
rejected update, a resource made public, an administrator grant, an error
finding), each with its stack and a link to its row; then one ``<details>``
per stack, worst first, open when it holds an error, and in it one
``<details>`` per resource, worst first, open when it needs a decision.
A resource's security rows, its findings and its changes are one list, so
that nothing is wider than the column: no table but the summary's.

The comment is built from whole blocks (``reports/comment.md.j2``) and kept
within ``max_chars`` by giving blocks smaller forms, one step after the
other until it fits, least disruptive resources first within each step:

1. drop what the findings mean (their ids stay), say what needs a decision
   without why (each row says it), then collapse before/after values (a
   change keeps its label, path and reasons);
2. drop no-interruption detail: resources whose changes are all
   no-interruption, then the no-interruption rows of the others;
3. drop the lists of added and of ignored resources;
4. list resources by name only, without their changes, then leave them out
   of those lists; what needs a decision after all others;
5. drop the per-resource detail of whole stacks, least disruptive stack first;
6. drop the notes on where sources differ (the rows name them by number;
   each is told once, at the end), then the list of what needs a decision,
   from its end.

Values that fit again once a later step has made room are given back, most
disruptive first.  No step cuts through a structure, and a note at the top
says exactly what was left out.  When even the shortest form (the summary and
that note) is over the budget, the shortest form is returned and the note
says that it could not fit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .. import levels
from ..model import MODIFY, NO_INTERRUPTION, RANK, REMOVE
from . import common
from .jinja import md_code, md_span, md_text, template

MAX_CHARS = 60_000
MARKER = "<!-- impact: pull-request report -->"

DETAIL, LINE, NONE = "detail", "line", "none"  # the forms of a resource block


def _quiet(change) -> bool:
    return change.impact == NO_INTERRUPTION and not change.ignored


def _size(block: str) -> int:
    """What a block adds to the comment: itself and the blank line after it."""
    return len(block) + 1 if block else 0


def _decision(d, anchor) -> tuple:
    """One line of what needs a decision (a :class:`common.Decision`),
    escaped: its mark, its name linked to its row, what makes it an error,
    and why, in a few words; and its short form, without the why, for a
    comment short of room."""
    if d.listed is None:  # an error finding about no listed resource: an output, the stack
        f = d.findings[0]
        head = f"{common.EMOJI['error']} " + (f"<b>{md_text(f.logical_id)}</b> " if f.logical_id else "") + md_span(f.id)
        return f"{head} — {md_text(f.message)}", head
    rd = d.listed.rd
    name = f"[<b>{md_text(rd.logical_id)}</b>](#user-content-{anchor})"
    head = f"{common.EMOJI[d.keys[0]]} {name} {d.keys[0]}" + "".join(f" · {common.EMOJI[k]} {k}" for k in d.keys[1:])
    why = []
    if rd.action == REMOVE:
        why.append(md_text(common.removal_brief(rd)))
    for c in d.changes[:2]:  # what changes, before and after, shortened around the difference
        path = md_code(c.path or "(whole resource)")
        before, after = common.value_pair(c.before, c.after, DECISION_WIDTH)
        if common.is_block(c.before, c.after) or max(len(before), len(after)) > 2 * DECISION_WIDTH:
            why.append(path)  # its values are in its block
        else:
            why.append(f"{path}: {common.values_line(c.before, c.after, DECISION_WIDTH, md_code)}")
    if len(d.changes) > 2:
        why.append(f"{len(d.changes) - 2:,} more")
    why += ["because " + common.because(c, md_text, md_span) for c in d.causes]
    why += [md_text(row.summary) for row in d.rows]
    why += [f"{md_span(f.id)}: {md_text(f.message)}" for f in d.findings]
    return head + (" — " + "; ".join(why) if why else ""), head


# How long a before or after value may be in the list of what needs a decision.
DECISION_WIDTH = 40


@dataclass
class _Resource:
    """One modified or removed resource and the forms its block can take."""

    stack: int
    rd: object
    differ: object  # a change to its note's number (DisagreementNotes.marker)
    access: object = None  # its security mark: public, admin, opens, unprotected
    anchor: str = ""  # its name in the comment, which the list of what needs a decision links to
    decided: bool = False  # it needs a decision: shown open
    security: list = field(default_factory=list)  # its security rows
    findings: list = field(default_factory=list)  # its findings that neither a row nor that list tells
    values: bool = True  # before/after shown
    quiet: bool = True  # no-interruption rows shown
    mode: str = DETAIL
    cache: dict = field(default_factory=dict)

    def rows(self) -> list:
        changes = self.rd.changes
        return list(changes) if self.quiet else [c for c in changes if not _quiet(c)]

    def gone(self) -> bool:
        """Whether dropping no-interruption detail left nothing to show."""
        return self.rd.action == MODIFY and not self.rows() and not self.security and not self.findings

    def block(self, macros) -> str:
        if self.mode != DETAIL or self.gone():
            return ""
        key = (self.values, self.quiet)
        if key not in self.cache:
            rows = self.rows()
            self.cache[key] = str(macros.resource(self.rd, rows, len(self.rd.changes) - len(rows), self.values, self.differ,
                                                  self.access, self.anchor, self.decided, self.security, self.findings))
        return self.cache[key]

    def line(self, macros) -> str:
        if self.mode != LINE or self.gone():
            return ""
        if LINE not in self.cache:
            self.cache[LINE] = str(macros.resource_line(self.rd, self.access))
        return self.cache[LINE]

    def left(self) -> Counter:
        """What this resource's current form leaves out."""
        out = Counter()
        word = common.resource_word(self.rd)
        if self.gone():
            out["quiet_res"], out["quiet_res_changes"] = 1, len(self.rd.changes)
            return out
        if self.mode != DETAIL:
            out[f"{self.mode}:{word}"] = 1
            return out
        rows = self.rows()
        if not self.values and rows:
            out["values"], out["values_res"] = len(rows), 1
        hidden = len(self.rd.changes) - len(rows)
        if hidden:
            out["quiet_rows"], out["quiet_rows_res"] = hidden, 1
        return out


@dataclass
class _Stack:
    stack: object
    index: int
    resources: list  # of _Resource, in display order
    added: list
    ignored: list
    findings: list  # about no listed resource (an output, the stack), not in the list of what needs a decision
    detail: bool = True
    groups: bool = True
    section_values: bool = True
    lines: int = 0  # resources listed by name only
    left: Counter = field(default_factory=Counter)


def _tally(counter: Counter, form: str) -> tuple:
    """(total, ``2 replacement, 1 conditional``) over the keys ``form:word``."""
    per = {word: counter[f"{form}:{word}"] for word in common.RESOURCE_KEYS if counter[f"{form}:{word}"]}
    return sum(per.values()), ", ".join(f"{n:,} {word}" for word, n in per.items())


# How long a before or after value may be where it is the same on both
# sides, when the whole values do not fit the budget.
VALUE_WIDTH = 60


class _Comment:
    def __init__(self, report, max_chars, width=VALUE_WIDTH):
        self.m = template("comment.md.j2", autoescape=False).make_module({"width": width})
        self.report = report
        self.budget = max_chars
        self.fitted = True  # whether the budget can be met at all
        ordered = common.worst_first(report.stacks)  # the worst stack first
        self.stacks = []
        self.groups = []  # [(stack, [line])]: what needs a decision, per stack
        for i, stack in enumerate(ordered):
            view = common.stack_view(stack)
            anchors = {id(item): f"impact-{i + 1}-{n + 1}" for n, item in enumerate(view.listed)}
            # Each block starts closed, as plan comments keep their detail: what needs a decision says
            # what and why above it, and links to its block.
            shown = [_Resource(i, item.rd, None, item.access, anchors[id(item)], False, item.rows, item.findings)
                     for item in view.listed]
            self.stacks.append(_Stack(stack, i, shown, view.added, view.ignored, view.findings))
            if view.decisions:
                self.groups.append((stack, [_decision(d, anchors.get(id(d.listed))) for d in view.decisions]))
        self.decisions = sum(len(lines) for _, lines in self.groups)
        self.kept_decisions = self.decisions
        self.decisions_short = False  # each line without its why
        self.decisions_cache = {}
        # Each disagreement of sources told once, at the end; rows name its note.
        shown_ids = {id(r.rd) for s in self.stacks for r in s.resources}
        listed = common.DisagreementNotes(ordered, lambda rd: id(rd) in shown_ids)
        for s in self.stacks:
            for r in s.resources:
                r.differ = listed.marker
        self.notes_listed = listed.notes
        self.kept_notes = len(self.notes_listed)
        self.notes_cache = {}  # the block of notes per number kept
        kinds = {f.id for s in ordered for f in s.findings}
        self.explained_block = str(self.m.explained([(k, common.finding_help(k)) for k in sorted(kinds) if common.finding_help(k)])) if kinds else ""
        self.explained = self.explained_block
        # The comment's table counts resources only (the column has no room for more); the page counts changes too.
        self.columns = [c for c in common.summary_columns(report) if c != "changes"]
        self.head = str(self.m.head(ordered, self.columns))
        self.lines_header = _size(str(self.m.resource_lines([])))
        self.fixed = _size(MARKER + "\n") + _size(self.head)
        for s in self.stacks:
            self.fixed += _size(self._open(s)) + _size(str(self.m.stack_close()))
        self.with_rows = sum(self._shows_rows(r) for s in self.stacks for r in s.resources)  # resources shown with rows
        self.detail = {s.index: self._detail_size(s) for s in self.stacks}
        # Kept up to date by every step, so that measuring the comment costs
        # the same whatever the number of stacks and resources.
        self.detail_total = sum(self.detail.values())
        self.total = Counter()  # what the kept stacks leave out (see left_out)
        self.notes = {}  # the note per list of statements
        self.dropped = 0  # stacks whose per-resource detail is left out
        self.dropped_notes = {}  # the statement of each, once made

    # --- blocks -----------------------------------------------------------

    def _open(self, s: _Stack) -> str:
        errors = common.verdict_tier([s.stack]) == levels.ERROR  # what breaks or what opens up
        return str(self.m.stack_open(s.stack, len(self.stacks) == 1 or errors))

    def _groups(self, s: _Stack) -> list:
        if not s.groups:
            return []
        out = []
        if s.added:
            title = f"{common.EMOJI['added']} {common.plural(len(s.added), 'resource')} added"
            out.append(str(self.m.added_group(title, s.added)))
        if s.ignored:
            title = f"{common.EMOJI['ignored']} {common.plural(len(s.ignored), 'resource')} ignored by config"
            out.append(str(self.m.group(title, s.ignored)))
        return out

    def _stack_totals(self, s: _Stack) -> tuple:
        return len(s.stack.resources), sum(len(rd.changes) for rd in s.stack.resources)

    def _detail_blocks(self, s: _Stack) -> list:
        if not s.detail:
            return [str(self.m.detail_dropped(*self._stack_totals(s)))]
        blocks = [str(self.m.stack_findings(s.findings)) if s.findings else ""]
        blocks.append(str(self.m.sections(s.stack, s.section_values)) if s.stack.sections else "")
        blocks += [r.block(self.m) for r in s.resources]
        lines = [line for line in (r.line(self.m) for r in s.resources) if line]
        if lines:
            blocks.append(str(self.m.resource_lines(lines)))
        blocks += self._groups(s)
        return [b for b in blocks if b]

    def _detail_size(self, s: _Stack) -> int:
        return sum(_size(b) for b in self._detail_blocks(s))

    def _decisions(self) -> str:
        if not self.decisions:
            return ""
        key = (self.kept_decisions, self.decisions_short)
        if key not in self.decisions_cache:
            groups, room = [], self.kept_decisions
            for stack, lines in self.groups:
                if room <= 0:
                    break
                groups.append((stack, [line[self.decisions_short] for line in lines[:room]]))
                room -= len(lines[:room])
            count = common.plural(self.decisions, "resource") if all(
                full.split(" ", 2)[1].startswith(("[<b>", "<b>")) for _, lines in self.groups for full, _ in lines
            ) else common.plural(self.decisions, "item")
            block = self.m.decisions(groups, count, len(self.stacks) > 1, self.decisions - self.kept_decisions)
            self.decisions_cache[key] = str(block)
        return self.decisions_cache[key]

    def _set_decisions(self, short: bool) -> None:
        self.decisions_short = short

    def _notes_kept(self) -> int:
        """The notes on where sources differ that the comment keeps: none
        once no change row is shown, for no row would name them."""
        return self.kept_notes if self.with_rows else 0

    def _sources_differ(self) -> str:
        kept = self._notes_kept()
        if not kept:  # the note at the top says how many are left out
            return ""
        if kept not in self.notes_cache:
            block = self.m.sources_differ(self.notes_listed[:kept], len(self.notes_listed) - kept)
            self.notes_cache[kept] = str(block)
        return self.notes_cache[kept]

    # --- what was left out ------------------------------------------------

    def _stack_left(self, s: _Stack) -> Counter:
        """What a stack whose detail is kept leaves out: its resources' and
        sections' values, and its lists of added and ignored resources."""
        if not s.detail:
            return Counter()
        out = Counter(s.left)
        if not s.groups:
            out["added_list"], out["ignored_list"] = len(s.added), len(s.ignored)
        return out

    def left_out(self) -> list:
        """Exact statements of what the current forms leave out."""
        total = self.total
        plural = common.plural
        out = []
        values = []
        if total["values"]:
            values.append(f"{plural(total['values'], 'change')} in {plural(total['values_res'], 'resource')}")
        if total["section_values"]:
            values.append(f"{plural(total['section_values'], 'change')} outside Resources")
        if values:
            out.append("the before and after values of " + " and of ".join(values))
        if total["quiet_res"]:
            out.append(
                f"{plural(total['quiet_res'], 'resource')} whose changes are all no-interruption"
                f" ({plural(total['quiet_res_changes'], 'change')})"
            )
        if total["quiet_rows"]:
            out.append(
                f"{plural(total['quiet_rows'], 'no-interruption change')} in "
                f"{plural(total['quiet_rows_res'], 'other resource')}"
            )
        lists = [
            f"{plural(n, 'resource')} {what}"
            for n, what in (
                (total["added_list"], "added"),
                (total["ignored_list"], "ignored by config"),
            )
            if n
        ]
        if lists:
            out.append("the lists of " + " and of ".join(lists))
        n, words = _tally(total, LINE)
        if n:
            out.append(f"the change tables of {plural(n, 'resource')} ({words}), listed by name only")
        n, words = _tally(total, NONE)
        if n:
            out.append(f"{plural(n, 'resource')} not listed at all ({words})")
        for s in self.stacks if self.dropped else ():
            if not s.detail:
                if s.index not in self.dropped_notes:
                    n_res, n_changes = self._stack_totals(s)
                    self.dropped_notes[s.index] = (
                        f"the per-resource detail of stack {md_span(s.stack.name)} "
                        f"({plural(n_res, 'resource')}, {plural(n_changes, 'change')})"
                    )
                out.append(self.dropped_notes[s.index])
        if self._notes_kept() < len(self.notes_listed):
            out.append(f"{plural(len(self.notes_listed) - self._notes_kept(), 'note')} on where sources differ")
        if self.explained_block and not self.explained:
            out.append("what the findings mean")
        if self.decisions_short:
            out.append("why each resource needs a decision (its row says it)")
        if self.kept_decisions < self.decisions:
            out.append(f"the last {plural(self.decisions - self.kept_decisions, 'line')} of what needs a decision")
        return out

    # --- measuring and shortening -----------------------------------------

    def _note(self) -> str:
        items = self.left_out()
        if not items:
            return ""
        key = (tuple(items), self.fitted)
        if key not in self.notes:
            self.notes[key] = str(self.m.left_out(items, self.budget, self.fitted))
        return self.notes[key]

    def _without_note(self) -> int:
        fixed = self.fixed + _size(self._decisions()) + _size(self._sources_differ()) + _size(self.explained)
        return fixed + self.detail_total - 1

    def size(self) -> int:
        return self._without_note() + _size(self._note())

    def fits(self) -> bool:
        # While the rest alone is over the budget, the note (which says what
        # is left out, and changes with every step) need not be written.
        rest = self._without_note()
        return rest <= self.budget and rest + _size(self._note()) <= self.budget

    @staticmethod
    def _shows_rows(r: _Resource) -> bool:
        return r.mode == DETAIL and bool(r.rows())

    def _set(self, r: _Resource, **form) -> None:
        s = self.stacks[r.stack]
        if s.detail:
            self.with_rows -= self._shows_rows(r)
        old_block, old_line, old_left = r.block(self.m), r.line(self.m), r.left()
        had_lines = s.lines > 0
        for k, v in form.items():
            setattr(r, k, v)
        new_block, new_line = r.block(self.m), r.line(self.m)
        s.lines += bool(new_line) - bool(old_line)
        delta = _size(new_block) - _size(old_block)
        delta += (len(new_line) + 1 if new_line else 0) - (len(old_line) + 1 if old_line else 0)
        delta += (self.lines_header if s.lines else 0) - (self.lines_header if had_lines else 0)
        self.detail[s.index] += delta
        self.detail_total += delta
        new_left = r.left()
        s.left.update(new_left)
        s.left.subtract(old_left)
        if s.detail:
            self.total.update(new_left)
            self.total.subtract(old_left)
            self.with_rows += self._shows_rows(r)

    def _set_stack(self, s: _Stack, **form) -> None:
        self.total.subtract(self._stack_left(s))
        was_kept = s.detail
        for k, v in form.items():
            setattr(s, k, v)
        if was_kept != s.detail:
            self.with_rows += (s.detail - was_kept) * sum(self._shows_rows(r) for r in s.resources)
        s.left["section_values"] = 0 if s.section_values else len(s.stack.sections)
        self.total.update(self._stack_left(s))
        self.dropped += was_kept - s.detail
        size = self._detail_size(s)
        self.detail_total += size - self.detail[s.index]
        self.detail[s.index] = size

    def shorten(self) -> None:
        if self.fits():
            return
        every = (r for s in self.stacks for r in s.resources)
        order = sorted(every, key=lambda r: common.resource_rank(r.rd, r.access), reverse=True)
        stacks = sorted(self.stacks, key=lambda s: (RANK.get(common.worst_key([s.stack]), -1), -s.index))
        # What needs a decision keeps its changes longest.
        tiers = ([r for r in order if not r.decided], [r for r in order if r.decided])
        steps = (
            ([lambda: setattr(self, "explained", "")] if self.explained else [])
            + [lambda s=s: self._set_stack(s, section_values=False) for s in stacks if s.stack.sections]
            + ([lambda: self._set_decisions(True)] if self.decisions else [])
            + [lambda r=r: self._set(r, values=False) for r in order if r.rd.changes]
            + [lambda r=r: self._set(r, quiet=False) for r in order if any(_quiet(c) for c in r.rd.changes)]
            + [lambda s=s: self._set_stack(s, groups=False) for s in stacks if s.added or s.ignored]
            + [lambda r=r, m=m: self._set(r, mode=m) for tier in tiers for m in (LINE, NONE) for r in tier]
            + [lambda s=s: self._set_stack(s, detail=False) for s in stacks]
        )
        for step in steps:
            step()
            if self.fits():
                break
        else:
            while self.kept_notes and not self.fits():
                self.kept_notes //= 2
            # The most lines of what needs a decision that fit: fewer never
            # make the comment longer, so a bisection finds it.
            low, high = 0, self.kept_decisions
            while low < high:
                self.kept_decisions = (low + high + 1) // 2
                if self.fits():
                    low = self.kept_decisions
                else:
                    high = self.kept_decisions - 1
            self.kept_decisions = low
            self.fitted = self.fits()
            return
        self._relax(order, stacks)

    def _relax(self, order, stacks) -> None:
        """Give values back, most disruptive first, where later steps left room."""
        if self.decisions_short:
            self._set_decisions(False)
            if not self.fits():
                self._set_decisions(True)
        for r in reversed(order):
            if not r.values and r.mode == DETAIL and not r.gone():
                self._set(r, values=True)
                if not self.fits():
                    self._set(r, values=False)
        for s in reversed(stacks):
            if not s.section_values and s.detail:
                self._set_stack(s, section_values=True)
                if not self.fits():
                    self._set_stack(s, section_values=False)

    def text(self) -> str:
        blocks = [MARKER + "\n", self.head, self._decisions(), self._note()]
        for s in self.stacks:
            blocks.append(self._open(s))
            blocks += self._detail_blocks(s)
            blocks.append(str(self.m.stack_close()))
        blocks.append(self._sources_differ())
        blocks.append(self.explained)
        return "\n".join(b for b in blocks if b)


def render(report, max_chars: int = MAX_CHARS, **_options) -> str:
    """The comment within ``max_chars``: with whole before and after values
    when they fit, else with values shortened where they are the same on
    both sides, then shortened step by step."""
    budget = max_chars or MAX_CHARS
    comment = _Comment(report, budget)
    if comment.fits():
        whole = _Comment(report, budget, width=None)
        if whole.fits():
            return whole.text()
    comment.shorten()
    return comment.text()
