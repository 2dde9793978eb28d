"""GitHub workflow commands: an annotation at each change's line in the new
template, for the pull request's "Files changed" view.

- The level of each annotation is impact/levels.py's: ``::error`` for
  replacement and not-updatable changes, removed resources and error
  findings; ``::warning`` for conditional, unknown and some-interruptions
  changes and warning findings; ``::notice`` for info findings.
  No-interruption changes, added resources and what the user's config
  ignores are not annotated.
- A template warning (a key given twice) is a ``::warning`` at its line; one
  in the old revision is not located, and its message names its place.
- A removed resource or property has no line in the new template: it is
  annotated at its resource's line, or at line 1 when the whole resource is
  gone.  Changes in a deleted template are annotated without a file.

Template content is untrusted: every value is escaped as the runner expects,
so nothing in it can end the annotation or start another workflow command.
"""

from __future__ import annotations

from .. import levels
from ..model import ADD, IMPORT, REMOVE, SEVERITY_RANK
from .common import access_marks, new_position, provenance, reasons, removal, strip_control, values_line


def escape_data(text: str) -> str:
    return strip_control(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, file=None, position=None, title=None) -> str:
    props = []
    if file:
        props.append(f"file={escape_property(file)}")
        if position:
            props.append(f"line={position[0]}")
            props.append(f"col={position[1]}")
    if title:
        props.append(f"title={escape_property(title)}")
    head = f"{level} {','.join(props)}" if props else level
    return f"::{head}::{escape_data(message)}"


def _change_message(rd, c) -> str:
    parts = [f"{c.path or '/'}: {values_line(c.before, c.after)}", *reasons(c)]
    if rd.construct_path:
        parts.append(f"CDK construct {rd.construct_path}")
    parts.extend(provenance(rd))
    return ". ".join(parts)


def _stack_lines(stack) -> list:
    file = stack.new
    resources = {rd.logical_id: rd for rd in stack.resources}
    access = access_marks(stack)  # a resource's security mark joins its label in the title
    lines = []

    def add(level, message, position, title):
        if file is None:  # a deleted template: the message names it instead
            message = f"{stack.old}: {message}"
        lines.append(command(level, message, file, position, title))

    for w in stack.warnings:
        if w.file == file:
            lines.append(command("warning", w.message, file, (w.line, w.column), w.kind))
        else:  # the old revision's: its lines are not the pull request's
            lines.append(command("warning", str(w), None, None, w.kind))
    for f in sorted(stack.findings, key=lambda f: -SEVERITY_RANK[f.severity]):
        title = f"{f.logical_id}: {f.id}" if f.logical_id else f.id
        add(levels.github(f.severity), f.message, new_position(resources.get(f.logical_id), f.position), title)
    for rd in stack.resources:
        if rd.ignored or rd.action in (ADD, IMPORT):
            continue
        if rd.action == REMOVE:
            how = f"is deleted ({rd.exists})" if rd.exists else "is removed"
            message = f"{rd.type} {rd.logical_id} {how}: {removal(rd)}"
            level = levels.github("info") if rd.retained else levels.github("removed")
            add(level, message, new_position(rd), _title(rd, "removed", access))
            continue
        for c in rd.changes:
            level = levels.github(c.impact)
            if c.ignored or level is None:
                continue
            position = new_position(rd, c.position, in_old=c.kind == REMOVE)
            add(level, _change_message(rd, c), position, _title(rd, c.impact, access))
    return lines


def _title(rd, label: str, access: dict) -> str:
    """``WebSecurityGroup: some-interruptions, public``: the label, and the
    resource's security mark when it has one."""
    mark = access.get(rd.logical_id)
    return f"{rd.logical_id}: {label}" + (f", {mark}" if mark else "")


def render(report, **_options) -> str:
    lines = [line for stack in report.stacks for line in _stack_lines(stack)]
    return "".join(line + "\n" for line in lines)
