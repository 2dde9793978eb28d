"""The terminal view: the verdict and findings, then one line per resource
with its worst label, the changed paths beneath it, before → after
shortened around the part that differs.  Colour only when asked for (the
command line asks when stdout is a terminal and NO_COLOR is not set).

With a ``width`` (the command line passes the terminal's when stdout is
one), values get the room the line has, and a line longer than the width
wraps at spaces, never inside a word, its continuation indented beneath
it.  Without one (a pipe, a file) every entry stays on one line, for grep."""

from __future__ import annotations

import re

from ..levels import LEVELS
from ..model import ADD, IMPORT, REMOVE
from . import common
from .common import one_line

# A colour per label, action and severity (impact/levels.py), and for asides.
COLORS = {**{key: lv.color for key, lv in LEVELS.items() if lv.color}, "dim": "2"}
SECURITY_MARKS = {"public": "!", "admin": "!", "opens": "+", "unprotected": "+", "moves": "~", "closes": "-"}
MARKS = {ADD: "+", IMPORT: "+", REMOVE: "-"}
BLOCK_COLORS = {"-": "removed", "+": "added"}
VALUE_WIDTH = 40
ANSI = re.compile(r"\x1b\[[0-9;]*m")
HANG = 2  # how much deeper a wrapped line's continuation starts


def visible_len(text: str) -> int:
    return len(ANSI.sub("", text))


def _pieces(text: str, room: int):
    """``(gap, word)`` pairs of ``text``, where a line may break before each
    word: at spaces, and after a ``/`` inside a path longer than ``room``."""
    tokens = re.split(r"( +)", text)
    for at in range(0, len(tokens), 2):
        gap, word = (tokens[at - 1] if at else ""), tokens[at]
        if visible_len(word) > room and "/" in word.rstrip("/"):
            parts = re.findall(r"[^/]*/+|[^/]+$", word)
            yield gap, parts[0]
            yield from (("", part) for part in parts[1:])
        else:
            yield gap, word


def fit(lead: str, text: str, width, style=None) -> list:
    """``lead`` (indentation, maybe a painted label) then ``text``, as one
    line, or wrapped to ``width`` with the continuation indented under
    ``text``; a word longer than the room stays whole.  Colour codes take no
    room.  ``style`` paints each piece of ``text``."""
    style = style or (lambda piece: piece)
    if not text:
        return [lead.rstrip()]
    indent = visible_len(lead)
    if not width or indent + visible_len(text) <= width:
        return [lead + style(text)]
    room = max(width - indent, 20)
    lines, current = [], ""
    for gap, word in _pieces(text, room - HANG):
        limit = room - (HANG if lines else 0)
        if current and visible_len(current) + len(gap) + visible_len(word) > limit:
            lines.append(current)
            current = word
        else:
            current = current + gap + word if current else word
    lines.append(current)
    return [lead + style(lines[0])] + [" " * (indent + HANG) + style(line) for line in lines[1:]]


def value_room(width, used: int) -> int:
    """Characters each side of ``before → after`` gets on a line whose other
    parts take ``used``: at least VALUE_WIDTH, more on a wide terminal."""
    if not width:
        return VALUE_WIDTH
    return max(VALUE_WIDTH, (width - used - 3) // 2)


def _stack_head(stack) -> str:
    """``old → new``, after the stack's name unless the template's path
    already ends with it: a nested stack (``parent.yaml/Network``) is named,
    so two parents that share one child template read apart."""
    head = f"{one_line(stack.old or '(none)')} → {one_line(stack.new or '(none)')}"
    path, name = stack.new or stack.old or "", stack.name or ""
    if not name or path == name or path.endswith(("/" + name, "\\" + name, ":" + name)):
        return head
    return f"{one_line(name)}: {head}"


def _security(stack, paint, width=None) -> list:
    """What opens up and what closes, one line per row and its fields
    beneath, never shortened: a grant, a CIDR or a principal is shown whole."""
    if not stack.security:
        return []
    lines = fit("  Security: ", common.security_tally(stack.security), width)
    for row in stack.security:
        key = common.security_key(row)
        mark = paint(SECURITY_MARKS[key] + ("" if key in ("opens", "moves", "closes") else " " + key), key)
        family = common.FAMILY_WORDS[row.family]
        lines += fit(f"    {mark} ", f"{one_line(row.logical_id)}  {family}  {one_line(row.summary)}", width)
        details = "; ".join(f"{name}: {one_line(value)}" for name, value in common.security_details(row))
        if details:
            lines += fit("        ", details, width, lambda piece: paint(piece, "dim"))
    return lines


def render(report, color: bool = False, width=None, **_options) -> str:
    def paint(text: str, key: str) -> str:
        code = COLORS.get(key)
        return f"\x1b[{code}m{text}\x1b[0m" if color and code else text

    def dim(text: str) -> str:
        return paint(text, "dim")

    if not report.stacks:
        return "no changes\n"
    lines = []
    if len(report.stacks) > 1:
        mark = common.verdict_mark(report.stacks)
        lines += fit(f"{mark} ", f"{len(report.stacks)} stacks: {common.verdict(report.stacks, paint)}", width)
        lines.append("")
    for stack in common.worst_first(report.stacks):
        lines += fit("", _stack_head(stack), width)
        if not stack.resources and not stack.sections:
            lines.append(f"  {common.verdict_mark([stack])} no changes: the templates are the same to CloudFormation")
        else:
            lines += fit(f"  {common.verdict_mark([stack])} ", common.verdict([stack], paint), width)
        pairs = [(stack, f) for f in common.sorted_findings(stack.findings)]
        for severity, fid, help_text, items in common.finding_groups(pairs):
            if help_text:
                lines += fit(f"  {paint(severity.upper(), severity)} {fid}: ", help_text, width, dim)
            else:
                lines.append(f"  {paint(severity.upper(), severity)} {fid}")
            for _, f in items:
                text = one_line(f.logical_id) + one_line(common.after_subject(f)) if f.logical_id else one_line(f.message)
                lines += fit("    ", text, width)
        for warning in stack.warnings:
            lines += fit(f"  {paint('warning:', 'warning')} ", one_line(str(warning)), width)
        for note in stack.notes:
            lines += fit("  note: ", one_line(note), width)
        lines += _security(stack, paint, width)
        lines.append("")
        access = common.access_marks(stack)
        for rd in common.sorted_resources(stack):
            word = common.resource_word(rd)
            head = f"{MARKS.get(rd.action, '~')} {one_line(rd.logical_id)}  {one_line(rd.type)}  "
            head += paint(word, "ignored" if rd.ignored else word)
            if access.get(rd.logical_id):
                head += "  " + paint(access[rd.logical_id], access[rd.logical_id])
            if rd.old_type:
                head += f"  (Type was {one_line(rd.old_type)})"
            asides = ([one_line(rd.construct_path)] if rd.construct_path else []) + [one_line(x) for x in common.provenance(rd)]
            lines += fit(head + "  " if asides else head, "  ".join(asides), width, dim)
            if rd.ignored:
                lines += fit("    ", f"ignored: {one_line(rd.ignored)}", width, dim)
            for why in common.resource_reasons(rd):
                lines += fit("    ", one_line(why), width, dim)
            if rd.properties:
                names = {key: one_line(key) for key in rd.properties}
                pad = max(map(len, names.values()))
                for key, value in rd.properties.items():
                    lines += fit(f"    {names[key].ljust(pad)}  ", common.whole_value(value), width)
            label_width = max((len(c.impact) for c in rd.changes), default=0)
            under = "    " + " " * label_width + "  "
            for c in rd.changes:
                label = paint(c.impact.ljust(label_width), "ignored" if c.ignored else c.impact)
                path = one_line(c.path) or "(whole resource)"
                if common.is_block(c.before, c.after):  # multi-line text: the lines that differ
                    lines.append(f"    {label}  {path}")
                    for mark, text in common.block_diff(c.before, c.after):
                        lines += fit(f"{under}{paint(mark, BLOCK_COLORS.get(mark, 'dim'))} ", text.rstrip(), width)
                else:
                    room = value_room(width, len(under) + len(path) + 2)
                    lines += fit(f"    {label}  ", f"{path}  {common.values_line(c.before, c.after, room)}", width)
                for why in common.reasons(c, text=one_line, code=one_line):
                    lines += fit(under, why, width, dim)
        if stack.sections:
            lines.append("Outside Resources:")
        for sc in stack.sections:
            title = one_line(common.section_title(sc))
            lead = f"{title}  {sc.kind}  {one_line(sc.path)}  "
            before, after = common.value_pair(sc.before, sc.after, value_room(width, 2 + len(lead)))
            lines += fit("  ", f"{lead}{before} → {after}", width)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
