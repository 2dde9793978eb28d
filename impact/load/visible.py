"""Template text made safe to print: control characters shown, not obeyed."""

from __future__ import annotations

import re

# C0 and C1 controls (terminal escapes among them), line and paragraph
# separators, and the bidirectional overrides that reorder text on screen.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def strip_control(text: str) -> str:
    """Make control characters visible as ``\\uXXXX``."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
