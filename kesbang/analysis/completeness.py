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


def completeness(submissions: pd.DataFrame, province: str, year: int, due_quarter: int) -> pd.DataFrame:
    """One row per regency/city of `province`: region, name, reached (0–4), status (latest review status
    or None) and a column per quarter `tw1`…`tw4` holding reported | missing | not_due.

    `submissions` holds stored versions with region, year, period (and optionally status), e.g.
    `Store.queue()`. Quarters after `due_quarter` are not yet due.
    """
    registry = regions.regions_in(province)
    reached: dict[str, int] = {}  # the furthest quarter each region reported for `year`
    status: dict[str, str] = {}  # the first status given among its rows
    if submissions is not None and not submissions.empty:
        mine = submissions[submissions["year"] == int(year)]
        statuses = mine["status"] if "status" in mine else [None] * len(mine)
        for region, period, state in zip(mine["region"], mine["period"], statuses):
            if isinstance(state, str):
                status.setdefault(region, state)
            if not pd.isna(period):
                reached[region] = max(reached.get(region, 0), schema.PERIOD_QUARTERS.get(period, 0))
    records = []
    for code, name in zip(registry["kemendagri"], registry["name"]):
        got = reached.get(code, 0)
        row = {"region": code, "name": name, "reached": got, "status": status.get(code) if got else None}
        for q in QUARTERS:
            row[f"tw{q}"] = NOT_DUE if q > due_quarter else (REPORTED if q <= got else MISSING)
        records.append(row)
    return pd.DataFrame.from_records(
        records, columns=["region", "name", "reached", "status", *(f"tw{q}" for q in QUARTERS)]
    )


def missing(table: pd.DataFrame, quarter: int) -> list[str]:
    """Region codes that owe the report for `quarter` (status missing in that column)."""
    return table.loc[table[f"tw{quarter}"] == MISSING, "region"].tolist()
