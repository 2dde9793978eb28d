"""One vocabulary of levels for every output format.

Everything a report marks has a key: an update label (``replacement``, ...),
a resource action (``removed``, ``added``), ``ignored`` (by the user's
config), or a finding severity (``error``, ``warning``, ``info``).  Each key
has one *tier*, decided here and nowhere else:

========  ================================================  =========  =======  =====
tier      keys                                              github     SARIF    check
========  ================================================  =========  =======  =====
error     replacement, not-updatable, removed; error        ::error    error    yes
warning   conditional, unknown, some-interruptions; warning ::warning  warning  yes
note      info                                              ::notice   note     no
(none)    no-interruption, added, ignored                   (none)     (none)   no
========  ================================================  =========  =======  =====

The security section's marks have tiers too: ``public`` (anyone can reach
it) and ``admin`` (an administrator-equivalent grant) are errors, ``opens``
(access widened) and ``unprotected`` (a safeguard switched off) warnings,
``moves`` (the same access on another resource, or carried over by a
renamed one) and ``closes`` none.  Its rows reach the annotations and SARIF as the findings
they raise, and each resource row carries the mark of its worst one.

========  ================================================  =========  =======  =====
tier      keys                                              github     SARIF    check
========  ================================================  =========  =======  =====
error     public, admin                                     ::error    error    yes
warning   opens, unprotected                                ::warning  warning  yes
(none)    moves, closes                                     (none)     (none)   no
========  ================================================  =========  =======  =====

The verdict of a report (or of one stack) is the worst tier of everything in
it, on both axes: the labels of its resources and the severities of its
findings.  Each tier has one mark, the one the finding severities use, shown
at the head of every format, in the summary table and in the HTML page's
title; ``--fail-on error`` and ``--fail-on warning`` exit 1 at that tier:

========  ====  ===============================================================
verdict   mark  when
========  ====  ===============================================================
error     ⛔    a replacement, a removal, a rejected update, or an error finding
warning   ⚠️    an interruption, a conditional or unknown change, or a warning
note      ℹ️    only findings for information
(none)    ✅    nothing a reviewer must check
========  ====  ===============================================================

A key's tier gives its level in each format: the GitHub workflow command,
the SARIF ``level``, and whether the release checklist asks for a check.
Each key also has one mark for the Markdown reports (where colour is not
available), one terminal colour and one CSS class for the HTML page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

ERROR, WARNING, NOTE = "error", "warning", "note"
TIERS = (ERROR, WARNING, NOTE)

GITHUB = {ERROR: "error", WARNING: "warning", NOTE: "notice"}
SARIF = {ERROR: "error", WARNING: "warning", NOTE: "note"}


@dataclass(frozen=True)
class Level:
    key: str
    tier: Optional[str]  # ERROR, WARNING, NOTE, or None: not reported as a problem
    mark: str  # Markdown reports
    color: str  # ANSI SGR parameters, for the terminal
    css: str  # the HTML page's class

    @property
    def github(self) -> Optional[str]:
        """The workflow command (``error``, ``warning``, ``notice``), or None: not annotated."""
        return GITHUB.get(self.tier)

    @property
    def sarif(self) -> Optional[str]:
        """The SARIF result level, or None: no result."""
        return SARIF.get(self.tier)

    @property
    def to_check(self) -> bool:
        """Whether a reviewer must check it (an item of the release checklist)."""
        return self.tier in (ERROR, WARNING)


def _level(key, tier, mark, color) -> Level:
    return Level(key, tier, mark, color, f"l-{key}")


_LEVELS = (
    # update labels, most disruptive first
    _level("not-updatable", ERROR, "⛔", "31;1"),
    _level("replacement", ERROR, "🔴", "31;1"),
    _level("conditional", WARNING, "🟣", "35"),
    _level("unknown", WARNING, "🟡", "33;1"),
    _level("some-interruptions", WARNING, "🟠", "33"),
    _level("no-interruption", None, "🟢", "32"),
    # resource actions and the config
    _level("removed", ERROR, "🗑️", "31"),
    _level("added", None, "➕", "32"),
    _level("imported", None, "📥", "36"),
    _level("ignored", None, "⚪", "2"),
    _level("none", None, "✅", ""),
    # finding severities
    _level("error", ERROR, "⛔", "31;1"),
    _level("warning", WARNING, "⚠️", "33"),
    _level("info", NOTE, "ℹ️", "36"),
    # the security section: what anyone can reach, administrator access, what
    # opens, safeguards switched off, what moves, what closes
    _level("public", ERROR, "🌐", "31;1"),
    _level("admin", ERROR, "🔑", "31;1"),
    _level("opens", WARNING, "🔓", "33"),
    _level("unprotected", WARNING, "🛡️", "33"),
    _level("moves", None, "🔁", "36"),
    _level("closes", None, "🔒", "32"),
)
# A resource row's security mark: its worst row's key, in this order.
ACCESS = ("public", "admin", "opens", "unprotected")
LEVELS = {lv.key: lv for lv in _LEVELS}
SEVERITIES = ("error", "warning", "info")


def level(key: str) -> Level:
    """The level of a label, action (``removed``, ``added``), ``ignored``,
    ``none`` (nothing changed) or finding severity."""
    return LEVELS[key]


def mark(key: str) -> str:
    return LEVELS[key].mark


def github(key: str) -> Optional[str]:
    return LEVELS[key].github


def sarif(key: str) -> Optional[str]:
    return LEVELS[key].sarif


def to_check(key: str) -> bool:
    return LEVELS[key].to_check


# The verdict: one tier over labels and severities, each with its mark.
TIER_RANK = {ERROR: 3, WARNING: 2, NOTE: 1, None: 0}
VERDICT_MARKS = {ERROR: "⛔", WARNING: "⚠️", NOTE: "ℹ️", None: "✅"}
VERDICT_WORDS = {ERROR: "error", WARNING: "warning", NOTE: "note", None: "none"}


def worst_tier(keys) -> Optional[str]:
    """The worst tier of ``keys`` (labels, actions, severities): ``error``,
    ``warning``, ``note`` or None."""
    tier = None
    for key in keys:
        candidate = LEVELS[key].tier
        if TIER_RANK[candidate] > TIER_RANK[tier]:
            tier = candidate
    return tier


def verdict_mark(tier: Optional[str]) -> str:
    return VERDICT_MARKS[tier]


def verdict_word(tier: Optional[str]) -> str:
    """``error``, ``warning``, ``note`` or ``none``: the verdict's name in
    JSON and the HTML page's class (``v-error``)."""
    return VERDICT_WORDS[tier]
