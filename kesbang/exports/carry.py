"""What a region-year's template carries over: the last version's rows, the plan's year targets, the next quarter.

A quarterly update should mean typing one new column. So the template for a region-year holds what is
already known: every row of the last stored version (indicators with their targets and the quarters
reported so far, the Paskibraka stages, the values-programme activities, so a re-upload drops no
section), its Identitas with the reporting period moved on one quarter, and, for an indicator row
without a target, the provincial RPJMD's target for that year.

A plan target is carried only for a rate (Persen, Indeks, Angka …) in the plan's own unit: the
province's rate is the same measure for every regency, while a provincial count (5,970 participants)
is the sum over regencies (docs/METRICS.md, province figures) and no single regency's target.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from kesbang import schema
from kesbang.analysis.metrics import RATE_UNITS, unit_key
from kesbang.analysis.plans import parse_period, plan_rows
from kesbang.model import Submission

_QUARTERS = ("TW I", "TW II", "TW III", "TW IV")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str)
                                                                                  and not value.strip())


def next_period(period: Any) -> str | None:
    """The quarter after `period` ("TW II" -> "TW III"); TW IV and Tahunan stay; unknown -> None."""
    if period in _QUARTERS:
        return _QUARTERS[min(_QUARTERS.index(period) + 1, len(_QUARTERS) - 1)]
    return period if period == "Tahunan" else None


def plan_targets(rpjmd: pd.DataFrame | None, province: str, year: int) -> dict[str, tuple[str, str]]:
    """RPJMD code -> (target for `year` as the plan writes it, unit key), for the rate indicators of the
    province's plan in force that year; a year outside that plan's five years has none."""
    if rpjmd is None or rpjmd.empty or "province" not in rpjmd:
        return {}
    rows = plan_rows(rpjmd, province, int(year))
    if rows.empty:
        return {}
    out: dict[str, tuple[str, str]] = {}
    units = unit_key(rows["satuan"])
    for (_, rec), unit in zip(rows.iterrows(), units):
        span = parse_period(rec.get("periode_rpjmd"))
        index = int(year) - span[0] + 1 if span else 0
        target = rec.get(f"target_{index}") if 1 <= index <= schema.PLAN_YEARS else None
        if unit in RATE_UNITS and not _blank(target) and not _blank(rec.get("kode_rpjmd")):
            out[str(rec["kode_rpjmd"]).strip()] = (str(target).strip(), unit)
    return out


def with_plan_targets(rows: list[tuple[int, dict[str, Any]]], targets: dict[str, tuple[str, str]]
                      ) -> list[tuple[int, dict[str, Any]]]:
    """Each indicator row without a target given the plan's target for its RPJMD code, when its unit
    is the plan's (a rate); rows with a target of their own keep it."""
    if not targets:
        return rows
    out = []
    units = unit_key(pd.Series([values.get("satuan") for _, values in rows], dtype=object))
    for (r, values), unit in zip(rows, units):
        plan = targets.get(str(values.get("kode_rpjmd") or "").strip())
        if plan is not None and _blank(values.get("target")) and unit == plan[1]:
            values = {**values, "target": plan[0]}
        out.append((r, values))
    return out


def carried_identitas(previous: Submission) -> dict[str, Any]:
    """The last version's Identitas for the next report: the period one quarter on, the date left for
    the operator (it is the date of the new report)."""
    ident = dict(previous.identitas)
    ident["periode"] = next_period(ident.get("periode"))
    ident["tanggal"] = None
    return ident


def renumbered(frame: pd.DataFrame | None, first_row: int) -> pd.DataFrame | None:
    """The rows of a stored section placed one under the other from `first_row` (a version read from an
    evaluation form has its own row numbers, title rows and gaps: the template has none of them)."""
    if frame is None or frame.empty:
        return frame
    return frame.assign(row=range(first_row, first_row + len(frame)))


def last_version(store, region: str, year: int) -> tuple[Submission | None, int | None]:
    """The last stored version of a region-year and its number (None, None when there is none yet)."""
    history = store.history(region, int(year))
    if history.empty:
        return None, None
    last = history.iloc[-1]
    return store.submission(int(last["submission_id"])), int(last["version"])
