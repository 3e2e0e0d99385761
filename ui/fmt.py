"""Numbers, percentages, Rupiah and dates in the session's language (Babel, via kesbang.formatting).

Every helper prints a dash for a missing value, so a page never shows `nan`, `None` or `inf`.
"""

from __future__ import annotations

from kesbang import formatting
from ui.state import lang


def number(value, digits: int = 0) -> str:
    if digits == 0:
        return formatting.format_integer(value, lang())
    return formatting.format_number(value, lang(), decimals=digits)


def percent(value, digits: int = 1) -> str:
    """`value` is already in percent (85.3 -> "85,3%")."""
    return formatting.format_percent(value, lang(), decimals=digits)


def rupiah(value, compact: bool = False) -> str:
    return formatting.format_rupiah(value, lang(), compact=compact)


def date(value) -> str:
    return formatting.format_date(value, lang())


def datetime(value) -> str:
    return formatting.format_datetime(value, lang())
