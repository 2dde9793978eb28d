"""Scalars that keep the type they were written with.

The loader gives every scalar as a string, as CloudFormation passes it to a
resource, so ``22`` and ``"22"`` compare equal.  A number or a boolean that
was written unquoted is a string of one of these subclasses: it compares,
hashes and prints as the string, and :func:`as_written` gives the value
back as written (``22``, ``false``) for the JSON report.
"""

from __future__ import annotations

import re

_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?")


class Typed(str):
    __slots__ = ()

    def as_written(self):
        return str(self)


class Int(Typed):
    """An integer written unquoted: ``22``."""

    __slots__ = ()

    def as_written(self):
        text = str(self)
        return int(text.replace("_", "")) if _DECIMAL.fullmatch(text) else text


class Float(Typed):
    """A number with a fraction or exponent written unquoted: ``0.5``."""

    __slots__ = ()

    def as_written(self):
        text = str(self)
        if _FLOAT.fullmatch(text) and any(c.isdigit() for c in text):
            value = float(text.replace("_", ""))
            return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value
        return text  # .inf, .nan and other forms JSON cannot hold


class Bool(Typed):
    """A boolean written unquoted, as ``true`` or ``false``."""

    __slots__ = ()

    def as_written(self):
        return str(self) == "true"


TRUE, FALSE = Bool("true"), Bool("false")


class Unstated(Typed):
    """A before or after value that a change set does not give (AWS gives
    values only with --include-property-values, and not for every change):
    no value, shown as what it is, never as a value that is not set."""

    __slots__ = ()

    def as_written(self):
        return None


NOT_IN_CHANGE_SET = Unstated("value not in the change set")


def as_written(value):
    """``value`` with every typed scalar as the number or boolean it was
    written as; everything else as it is."""
    if isinstance(value, Typed):
        return value.as_written()
    if isinstance(value, dict):
        return {k: as_written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_written(v) for v in value]
    return value
