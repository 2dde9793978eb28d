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
it) is an error, ``opens`` a warning, ``closes`` none.  Its rows reach the
annotations and SARIF as the findings they raise.

========  ================================================  =========  =======  =====
tier      keys                                              github     SARIF    check
========  ================================================  =========  =======  =====
error     public                                            ::error    error    yes
warning   opens                                             ::warning  warning  yes
(none)    closes                                            (none)     (none)   no
========  ================================================  =========  =======  =====

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
    _level("ignored", None, "⚪", "2"),
    _level("none", None, "✅", ""),
    # finding severities
    _level("error", ERROR, "⛔", "31;1"),
    _level("warning", WARNING, "⚠️", "33"),
    _level("info", NOTE, "ℹ️", "36"),
    # the security section: what anyone can reach, what opens, what closes
    _level("public", ERROR, "🌐", "31;1"),
    _level("opens", WARNING, "🔓", "33"),
    _level("closes", None, "🔒", "32"),
)
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
