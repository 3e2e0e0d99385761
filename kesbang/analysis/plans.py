"""Plan periods (RPJMD/RPD) and plan targets: parse "2025–2029", find the plan in force for a year.

Several provincial plans can be live at once (Kaltim RPD 2024–2026 and RPJMD 2025–2029), so the
period is always read from the data, never assumed.
"""

from __future__ import annotations

import re

import pandas as pd

from kesbang.analysis.matching import text

_YEARS = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def parse_period(value: object) -> tuple[int, int] | None:
    """'2025-2029', '2025–2029', 'RPJMD 2025 s.d. 2029' -> (2025, 2029); None when unreadable."""
    years = [int(y) for y in _YEARS.findall(text(value))]
    if len(years) < 2 or years[1] < years[0]:
        return None
    return years[0], years[1]


def normalise_period(value: object) -> str:
    """One spelling per period ('2025-2029'); the text itself when it holds no two years."""
    span = parse_period(value)
    return f"{span[0]}-{span[1]}" if span else text(value)


def period_years(value: object) -> list[int]:
    span = parse_period(value)
    return list(range(span[0], span[1] + 1)) if span else []


def plan_in_force(rpjmd: pd.DataFrame, province: str, year: int) -> str | None:
    """The provincial plan period (as stored) that covers `year`; the latest-starting one when several do.

    Falls back to the nearest period when none covers the year, so a regency reporting just outside a
    plan is still compared with something, and says so elsewhere (period mismatch).
    """
    if rpjmd.empty:
        return None
    periods = rpjmd.loc[rpjmd["province"] == province, "periode_rpjmd"].dropna().unique()
    spans = [(p, parse_period(p)) for p in periods]
    spans = [(p, s) for p, s in spans if s]
    if not spans:
        return str(periods[0]) if len(periods) else None
    covering = [(p, s) for p, s in spans if s[0] <= year <= s[1]]
    if covering:
        return max(covering, key=lambda ps: ps[1][0])[0]
    return min(spans, key=lambda ps: min(abs(year - ps[1][0]), abs(year - ps[1][1])))[0]


def plan_rows(rpjmd: pd.DataFrame, province: str, year: int) -> pd.DataFrame:
    """The provincial RPJMD indicators in force for `year`."""
    period = plan_in_force(rpjmd, province, year)
    if period is None:
        return rpjmd.iloc[0:0]
    return rpjmd[(rpjmd["province"] == province) & (rpjmd["periode_rpjmd"] == period)]

