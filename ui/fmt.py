"""Numbers, percentages, Rupiah and dates in the session's language (Babel, via kesbang.formatting).

Every helper returns "—" for a missing value, so a page never shows `nan`, `None` or `inf`.
"""

from __future__ import annotations

from kesbang import formatting
from ui.state import lang


def number(value, digits: int = 0) -> str:
    return formatting.number(value, lang(), digits=digits)


def percent(value, digits: int = 1) -> str:
    """`value` is already in percent (85.3 -> "85,3%")."""
    return formatting.percent(value, lang(), digits=digits)


def rupiah(value, compact: bool = False) -> str:
    return formatting.rupiah(value, lang(), compact=compact)


def date(value) -> str:
    return formatting.date(value, lang())
