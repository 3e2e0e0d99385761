"""Conversion between parsed DataFrames and typed row-table values (both directions).

Values become plain Python (None for NaN/NaT/pd.NA, float/int/date/str) so both drivers accept them;
range columns keep the text and get numeric `_min`/`_max` bounds.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from sqlalchemy import Table
from sqlalchemy.types import BigInteger, Date, Float, Integer

from kesbang.numbers import parse_range
from kesbang.store.tables import frame_columns


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays: not a scalar missing value
        return False


def _to_float(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) or math.isinf(out) else out


def _to_int(value: Any) -> int | None:
    f = _to_float(value)
    return None if f is None else int(round(f))


def _to_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def _to_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def convert(value: Any, sql_type) -> Any:
    if _missing(value):
        return None
    if isinstance(sql_type, Float):
        return _to_float(value)
    if isinstance(sql_type, Integer | BigInteger):
        return _to_int(value)
    if isinstance(sql_type, Date):
        return _to_date(value)
    return _to_text(value)


def frame_to_rows(table: Table, frame: pd.DataFrame, owner: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for `table` from `frame` (missing columns stored as NULL), each with the `owner` keys."""
    if frame is None or frame.empty:
        return []
    names = frame_columns(table)
    types = {n: table.c[n].type for n in names}
    range_keys = [n[:-4] for n in names if n.endswith("_min") and f"{n[:-4]}_max" in names]
    records = frame.to_dict("records")
    out = []
    for rec in records:
        row = dict(owner)
        for n in names:
            row[n] = convert(rec.get(n), types[n])
        # bounds come from the loader when it gives them (Indikator); otherwise (RPJMD targets) they are
        # read from the text with the loader's own range parser, so queries can compare numbers
        for key in range_keys:
            if row.get(f"{key}_min") is None and row.get(f"{key}_max") is None and row.get(key) is not None:
                rng = parse_range(rec.get(key))
                if rng.ok:
                    row[f"{key}_min"], row[f"{key}_max"] = rng.low, rng.high
        out.append(row)
    return out


def rows_to_frame(table: Table, rows: list) -> pd.DataFrame:
    """The stored rows of one version as a DataFrame with the table's frame columns (empty: typed empty)."""
    names = frame_columns(table)
    if not rows:
        return pd.DataFrame({n: pd.Series(dtype=object) for n in names})
    return pd.DataFrame([tuple(r) for r in rows], columns=names)
