"""The terminal view: one line per resource with its worst label, the
changed paths beneath it, before -> after shortened."""

from __future__ import annotations

from ..model import ADD, REMOVE
from .common import (
    ACTION_WORDS,
    disagreement,
    label_counts,
    resource_rank,
    short_value,
    sorted_findings,
    strip_control,
)

COLORS = {
    "replacement": "31;1",
    "not-updatable": "31;1",
    "conditional": "35",
    "unknown": "33;1",
    "some-interruptions": "33",
    "no-interruption": "32",
    "added": "32",
    "removed": "31",
    "error": "31;1",
    "warning": "33",
    "info": "36",
}
MARKS = {ADD: "+", REMOVE: "-"}


def render(report, color: bool = False, **_options) -> str:
    def paint(text: str, key: str) -> str:
        code = COLORS.get(key)
        return f"\x1b[{code}m{text}\x1b[0m" if color and code else text

    lines = []
    for stack in report.stacks:
        lines.append(f"{strip_control(stack.old or '(none)')} -> {strip_control(stack.new or '(none)')}")
        summary = stack.summary()["resources"]
        counts = [paint(f"{n} {label}", label) for label, n in label_counts(stack)]
        counts += [f"{summary[a]} {ACTION_WORDS[a]}" for a in (ADD, REMOVE) if summary[a]]
        if stack.summary().get("ignored"):
            counts.append(f"{stack.summary()['ignored']} ignored by config")
        if not stack.resources and not stack.sections:
            lines.append("  no changes: the templates are the same to CloudFormation")
        elif counts:
            lines.append("  " + ", ".join(counts))
        for finding in sorted_findings(stack.findings):
            where = f" [{strip_control(finding.logical_id)}]" if finding.logical_id else ""
            lines.append(f"  {paint(finding.severity.upper(), finding.severity)} {finding.id}{where}: {strip_control(finding.message)}")
        for note in stack.notes:
            lines.append(f"  note: {strip_control(note)}")
        lines.append("")
        for rd in sorted(stack.resources, key=resource_rank):
            word = ACTION_WORDS[rd.action] if rd.action in MARKS else rd.impact
            mark = MARKS.get(rd.action, "~")
            cdk = f"  ({strip_control(rd.construct_path)})" if rd.construct_path else ""
            ignored = f"  ignored: {strip_control(rd.ignored)}" if rd.ignored else ""
            lines.append(f"{mark} {strip_control(rd.logical_id)}  {strip_control(rd.type)}  {paint(word, word)}{cdk}{ignored}")
            width = max((len(c.impact) for c in rd.changes), default=0)
            for c in rd.changes:
                label = paint(c.impact.ljust(width), c.impact)
                value = f"{short_value(c.before, 40)} -> {short_value(c.after, 40)}"
                lines.append(f"    {label}  {strip_control(c.path)}  {value}")
                extra = []
                if c.ignored:
                    extra.append(f"ignored: {strip_control(c.ignored)}")
                if c.cause:
                    extra.append(f"because {strip_control(c.cause)} is replaced")
                if c.verdict and c.verdict.override:
                    extra.append(f"override: {strip_control(c.verdict.override)}")
                if c.verdict and c.verdict.disagreement:
                    extra.append(f"sources differ: {disagreement(c.verdict)}")
                if c.verdict and c.verdict.note:
                    extra.append(strip_control(c.verdict.note))
                for e in extra:
                    lines.append(f"    {' ' * width}  {e}")
        for sc in stack.sections:
            lines.append(f"~ {sc.section}{'.' + strip_control(sc.name) if sc.name else ''}  {sc.kind}  {strip_control(sc.path)}  "
                         f"{short_value(sc.before, 40)} -> {short_value(sc.after, 40)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
