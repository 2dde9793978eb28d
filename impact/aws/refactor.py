"""Stack refactoring for detected renames.

CloudFormation stack refactoring (``aws cloudformation create-stack-refactor``)
moves a resource to a new logical ID without touching it.  For every rename
the ``rename`` check detects, :func:`mappings` gives the entry that
``--resource-mappings`` takes: ``{"Source": {"StackName", "LogicalResourceId"},
"Destination": {...}}``, in one stack.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Optional

RENAME = "rename"


def default_stack_name(stack) -> str:
    """The template's file name without its extension: a stand-in for the deployed name."""
    return PurePath(str(stack.new or stack.old or stack.name)).stem


def mappings(report, stack_name: Optional[str] = None) -> list:
    out = []
    for stack in report.stacks:
        name = stack_name or default_stack_name(stack)
        for f in stack.findings:
            if f.id == RENAME and f.renamed_from:
                out.append(
                    {
                        "Source": {"StackName": name, "LogicalResourceId": f.renamed_from},
                        "Destination": {"StackName": name, "LogicalResourceId": f.logical_id},
                    }
                )
    return out
