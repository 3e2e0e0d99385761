"""Numbers, percentages, Rupiah and dates as a reader of each UI language expects them (Babel).

`id` → id_ID conventions (1.234.567,89 · 85,3% · Rp 1.500.000 · 17 Agustus 2026), `en` → English
(1,234,567.89 · 85.3% · Rp 1,500,000 · 17 August 2026). Missing values (None, NaN, NaT) print as
an en dash rather than "nan", so a table never shows a bare NaN; so do inf and non-numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from babel import dates as babel_dates
from babel import numbers as babel_numbers

MISSING = "–"
LOCALES = {"id": "id_ID", "en": "en_GB"}  # en_GB: "17 August 2026", day before month like Indonesian


def locale_for(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["id"])


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, str | bytes) else False
    except (TypeError, ValueError):
        return False


def _number_or_none(value: Any) -> float | None:
    """The value as a finite float, or None (missing, inf, or not a number at all)."""
    if is_missing(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _pattern(decimals: int) -> str:
    # '#' digits drop trailing zeros: 12 stays "12", 12.5 shows "12,5"
    return "#,##0" + ("." + "#" * decimals if decimals > 0 else "")


def _clean(value: float) -> float:
    return 0.0 if value == 0 else value  # no "-0"


def format_number(value: Any, lang: str = "id", decimals: int = 2) -> str:
    """1234567.891 → "1.234.567,89" (id) / "1,234,567.89" (en); at most `decimals` decimals."""
    number = _number_or_none(value)
    if number is None:
        return MISSING
    number = round(number, decimals)
    return babel_numbers.format_decimal(_clean(number), format=_pattern(decimals), locale=locale_for(lang))


def format_integer(value: Any, lang: str = "id") -> str:
    return format_number(value, lang, decimals=0)


def format_percent(value: Any, lang: str = "id", decimals: int = 1) -> str:
    """A value already on the 0–100 scale (capaian, serapan): 85.34 → "85,3%" / "85.3%"."""
    number = _number_or_none(value)
    if number is None:
        return MISSING
    number = round(number, decimals)
    return babel_numbers.format_percent(_clean(number) / 100.0, format=_pattern(decimals) + "%",
                                        locale=locale_for(lang))


def format_rupiah(value: Any, lang: str = "id", compact: bool = False) -> str:
    """1500000 → "Rp 1.500.000" (id) / "Rp 1,500,000" (en); compact: "Rp 1,5\u00a0jt" / "Rp 1.5M".

    Rupiah are shown without decimals (sen are not used in budgets); "Rp" in both languages because
    that is how budgets are written in Indonesian documents.
    """
    number = _number_or_none(value)
    if number is None:
        return MISSING
    sign = "-" if number < 0 and round(abs(number)) > 0 else ""
    if compact:
        body = babel_numbers.format_compact_decimal(abs(number), format_type="short", fraction_digits=1,
                                                    locale=locale_for(lang))
    else:
        body = babel_numbers.format_decimal(round(abs(number)), format="#,##0", locale=locale_for(lang))
    return f"{sign}Rp {body}"


def _as_datetime(value: Any) -> dt.date | dt.datetime | None:
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.date):
        return value
    try:
        return pd.Timestamp(str(value)).to_pydatetime()
    except (ValueError, TypeError):
        return None


def format_date(value: Any, lang: str = "id", style: str = "long") -> str:
    """date(2026, 8, 17) → "17 Agustus 2026" (id) / "17 August 2026" (en); style "medium": "17 Agu 2026"."""
    when = _as_datetime(value)
    if when is None:
        return MISSING if is_missing(value) else str(value)
    day = when.date() if isinstance(when, dt.datetime) else when
    return babel_dates.format_date(day, style, locale=locale_for(lang))


def format_datetime(value: Any, lang: str = "id") -> str:
    """A timestamp to the minute: "17 Agu 2026 09.05" (id) / "17 Aug 2026, 09:05" (en)."""
    when = _as_datetime(value)
    if when is None:
        return MISSING if is_missing(value) else str(value)
    if not isinstance(when, dt.datetime):
        return format_date(when, lang, "medium")
    pattern = "d MMM yyyy HH.mm" if lang == "id" else "d MMM yyyy, HH:mm"
    return babel_dates.format_datetime(when, pattern, locale=locale_for(lang))
