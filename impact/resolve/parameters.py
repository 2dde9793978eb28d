"""Parameter values as CloudFormation resolves them for a stack."""

from __future__ import annotations

SSM_TYPE = "AWS::SSM::Parameter::"


def effective(template, name: str):
    """(known, value) of parameter ``name`` for the stack ``template`` belongs to:
    the value given with --parameters, else its Default, as a reference
    reads it (a list for the list types).  An SSM parameter, or one with
    neither, is known only at deploy time: (False, None)."""
    params = template.data.get("Parameters") if template is not None else None
    decl = params.get(name) if isinstance(params, dict) else None
    if not isinstance(decl, dict):
        return False, None
    ptype = decl.get("Type")
    if isinstance(ptype, str) and ptype.startswith(SSM_TYPE):
        return False, None
    values = template.values or {}
    if name in values:
        return True, _typed(ptype, values[name])
    if "Default" in decl:
        return True, _typed(ptype, decl["Default"])
    return False, None


def _typed(ptype, value):
    """A value as a reference reads it: a list for the list types."""
    if isinstance(ptype, str) and ptype.startswith(("CommaDelimitedList", "List<")) and isinstance(value, str):
        return [part.strip() for part in value.split(",")]
    return value

