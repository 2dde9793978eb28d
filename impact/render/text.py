"""The terminal view: the verdict and findings, then one line per resource
with its worst label, the changed paths beneath it, before → after
shortened around the part that differs.  Colour only when asked for (the
command line asks when stdout is a terminal and NO_COLOR is not set)."""

from __future__ import annotations

from ..levels import LEVELS
from ..model import ADD, REMOVE
from . import common
from .common import one_line

# A colour per label, action and severity (impact/levels.py), and for asides.
COLORS = {**{key: lv.color for key, lv in LEVELS.items() if lv.color}, "dim": "2"}
SECURITY_MARKS = {"public": "!", "opens": "+", "closes": "-"}
MARKS = {ADD: "+", REMOVE: "-"}
BLOCK_COLORS = {"-": "removed", "+": "added"}
VALUE_WIDTH = 40


def _stack_head(stack) -> str:
    """``old → new``, after the stack's name unless the template's path
    already ends with it: a nested stack (``parent.yaml/Network``) is named,
    so two parents that share one child template read apart."""
    head = f"{one_line(stack.old or '(none)')} → {one_line(stack.new or '(none)')}"
    path, name = stack.new or stack.old or "", stack.name or ""
    if not name or path == name or path.endswith(("/" + name, "\\" + name, ":" + name)):
        return head
    return f"{one_line(name)}: {head}"


def _security(stack, paint) -> list:
    """What opens up and what closes, one line per row and its fields
    beneath, never shortened: a grant, a CIDR or a principal is shown whole."""
    if not stack.security:
        return []
    lines = [f"  Security: {common.security_tally(stack.security)}"]
    for row in stack.security:
        key = common.security_key(row)
        mark = paint(SECURITY_MARKS[key] + (" public" if row.public else ""), key)
        family = common.FAMILY_WORDS[row.family]
        lines.append(f"    {mark} {one_line(row.logical_id)}  {family}  {one_line(row.summary)}")
        details = "; ".join(f"{name}: {one_line(value)}" for name, value in common.security_details(row))
        if details:
            lines.append(paint(f"        {details}", "dim"))
    return lines


def render(report, color: bool = False, **_options) -> str:
    def paint(text: str, key: str) -> str:
        code = COLORS.get(key)
        return f"\x1b[{code}m{text}\x1b[0m" if color and code else text

    if not report.stacks:
        return "no changes\n"
    lines = []
    if len(report.stacks) > 1:
        lines += [f"{len(report.stacks)} stacks: {common.verdict(report.stacks, paint)}", ""]
    for stack in report.stacks:
        lines.append(_stack_head(stack))
        if not stack.resources and not stack.sections:
            lines.append("  no changes: the templates are the same to CloudFormation")
        else:
            lines.append("  " + common.verdict([stack], paint))
        pairs = [(stack, f) for f in common.sorted_findings(stack.findings)]
        for severity, fid, help_text, items in common.finding_groups(pairs):
            explanation = f": {paint(help_text, 'dim')}" if help_text else ""
            lines.append(f"  {paint(severity.upper(), severity)} {fid}{explanation}")
            for _, f in items:
                text = one_line(f.logical_id) + one_line(common.after_subject(f)) if f.logical_id else one_line(f.message)
                lines.append(f"    {text}")
        for note in stack.notes:
            lines.append(f"  note: {one_line(note)}")
        lines += _security(stack, paint)
        lines.append("")
        for rd in common.sorted_resources(stack):
            word = common.resource_word(rd)
            head = f"{MARKS.get(rd.action, '~')} {one_line(rd.logical_id)}  {one_line(rd.type)}  "
            head += paint(word, "ignored" if rd.ignored else word)
            if rd.old_type:
                head += f"  (Type was {one_line(rd.old_type)})"
            if rd.construct_path:
                head += paint(f"  {one_line(rd.construct_path)}", "dim")
            for extra in common.provenance(rd):
                head += paint(f"  {one_line(extra)}", "dim")
            lines.append(head)
            if rd.ignored:
                lines.append(paint(f"    ignored: {one_line(rd.ignored)}", "dim"))
            for why in common.resource_reasons(rd):
                lines.append(paint(f"    {one_line(why)}", "dim"))
            if rd.properties:
                names = {key: one_line(key) for key in rd.properties}
                pad = max(map(len, names.values()))
                for key, value in rd.properties.items():
                    lines.append(f"    {names[key].ljust(pad)}  {common.whole_value(value)}")
            width = max((len(c.impact) for c in rd.changes), default=0)
            for c in rd.changes:
                label = paint(c.impact.ljust(width), "ignored" if c.ignored else c.impact)
                path = one_line(c.path) or "(whole resource)"
                if common.is_block(c.before, c.after):  # multi-line text: the lines that differ
                    lines.append(f"    {label}  {path}")
                    for mark, text in common.block_diff(c.before, c.after):
                        lines.append(f"    {' ' * width}  {paint(mark, BLOCK_COLORS.get(mark, 'dim'))} {text}".rstrip())
                else:
                    before, after = common.value_pair(c.before, c.after, VALUE_WIDTH)
                    lines.append(f"    {label}  {path}  {before} → {after}")
                for why in common.reasons(c, text=one_line, code=one_line):
                    lines.append(paint(f"    {' ' * width}  {why}", "dim"))
        if stack.sections:
            lines.append("Outside Resources:")
        for sc in stack.sections:
            before, after = common.value_pair(sc.before, sc.after, VALUE_WIDTH)
            title = one_line(common.section_title(sc))
            lines.append(f"  {title}  {sc.kind}  {one_line(sc.path)}  {before} → {after}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
