"""Who has reported: every regency/city of a province × the quarters of a year that are due.

A submission workbook is cumulative (it carries realisasi TW I–IV), so a region whose latest version
reports period TW III has reported TW I, II and III. The reviewer's page turns the status keys into
text; this module only decides them.
"""

from __future__ import annotations

import pandas as pd

from kesbang import regions, schema

QUARTERS = (1, 2, 3, 4)
# cell status keys (the page translates them)
REPORTED, MISSING, NOT_DUE = "reported", "missing", "not_due"


def quarter_reached(submissions: pd.DataFrame, region: str, year: int) -> int:
    """The furthest quarter a region-year has reported (0 = nothing stored)."""
    if submissions.empty:
        return 0
    rows = submissions[(submissions["region"] == region) & (submissions["year"] == int(year))]
    quarters = [schema.PERIOD_QUARTERS.get(p, 0) for p in rows["period"].dropna()]
    return max(quarters, default=0)


def completeness(submissions: pd.DataFrame, province: str, year: int, due_quarter: int) -> pd.DataFrame:
    """One row per regency/city of `province`: region, name, reached (0–4), status (latest review status
    or None) and a column per quarter `tw1`…`tw4` holding reported | missing | not_due.

    `submissions` holds stored versions with region, year, period (and optionally status), e.g.
    `Store.queue()`. Quarters after `due_quarter` are not yet due.
    """
    registry = regions.regions_in(province)
    subs = submissions if submissions is not None else pd.DataFrame(columns=["region", "year", "period"])
    records = []
    for code, name in zip(registry["kemendagri"], registry["name"]):
        reached = quarter_reached(subs, code, year)
        status = None
        if "status" in subs and reached:
            mine = subs[(subs["region"] == code) & (subs["year"] == int(year))]
            status = next((s for s in mine["status"] if isinstance(s, str)), None)
        row = {"region": code, "name": name, "reached": reached, "status": status}
        for q in QUARTERS:
            row[f"tw{q}"] = NOT_DUE if q > due_quarter else (REPORTED if q <= reached else MISSING)
        records.append(row)
    return pd.DataFrame.from_records(
        records, columns=["region", "name", "reached", "status", *(f"tw{q}" for q in QUARTERS)]
    )


def missing(table: pd.DataFrame, quarter: int) -> list[str]:
    """Region codes that owe the report for `quarter` (status missing in that column)."""
    return table.loc[table[f"tw{quarter}"] == MISSING, "region"].tolist()
