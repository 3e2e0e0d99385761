"""Conversion between parsed frames (or the loader's typed columns) and row-table values, both ways.

Values become plain Python (None for NaN/NaT/pd.NA, float/int/date/str) so both drivers accept them;
range columns keep the text and get numeric `_min`/`_max` bounds.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Table
from sqlalchemy.types import BigInteger, Date, Float, Integer

from kesbang.intake.columns import Columns
from kesbang.intake.numbers import parse_range
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


def _blank(v: Any) -> bool:
    # the cheap checks first: this runs once per cell of every upload
    return v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT


def _fast_column(series: pd.Series, sql_type) -> list[Any] | None:
    """The common typed columns converted without a Python call per cell (None: take the general path).

    The writer is the one serial part of a deadline's uploads, so its per-cell work matters.
    """
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        if isinstance(sql_type, Float | Integer | BigInteger | Date):
            return None
        return series.to_numpy(dtype=object, na_value=None).tolist()  # already text; blanks -> None
    if dtype.kind == "f" and isinstance(sql_type, Float | Integer | BigInteger):
        arr = series.to_numpy()
        blank = ~np.isfinite(arr)  # NaN and ±inf are stored as NULL (as `_to_float` does)
        if isinstance(sql_type, Float):
            values = arr.tolist()
        elif np.abs(np.where(blank, 0.0, arr)).max(initial=0.0) < 2.0**62:
            values = np.rint(np.where(blank, 0.0, arr)).astype(np.int64).tolist()
        else:  # beyond int64: Python's int() on each cell
            return None
        for i in np.flatnonzero(blank).tolist():
            values[i] = None
        return values
    if dtype.kind in "iu" and isinstance(sql_type, Float | Integer | BigInteger):
        values = series.to_numpy().tolist()
        return [float(v) for v in values] if isinstance(sql_type, Float) else values
    return None


def _column(series: pd.Series | None, sql_type, n: int) -> list[Any]:
    """One column converted for the database: plain Python values, None for blanks."""
    if series is None:
        return [None] * n
    fast = _fast_column(series, sql_type)
    if fast is not None:
        return fast
    return _per_cell(series.tolist(), sql_type)


def _per_cell(values: list[Any], sql_type) -> list[Any]:
    """The general conversion, one cell at a time (a new list)."""
    if isinstance(sql_type, Float):
        return [None if _blank(v) else _to_float(v) for v in values]
    if isinstance(sql_type, Integer | BigInteger):
        return [None if _blank(v) else _to_int(v) for v in values]
    if isinstance(sql_type, Date):
        return [None if _blank(v) or _missing(v) else _to_date(v) for v in values]
    return [None if _blank(v) else _to_text(v) for v in values]


def _values(values: list[Any] | None, sql_type, n: int) -> list[Any]:
    """One column of the loader's typed values converted for the database, as `_column` converts the
    same column of a frame. A float column is always a new list (its bounds may be filled in)."""
    if values is None:
        return [None] * n
    kinds = set(map(type, values))
    if isinstance(sql_type, Float) and kinds <= _FLOAT_OR_NONE:
        return [v if v is not None and v - v == 0 else None for v in values]  # NaN, ±inf -> NULL
    if not isinstance(sql_type, Float | Integer | BigInteger | Date) and kinds <= _TEXT_OR_NONE:
        return values
    if isinstance(sql_type, Integer | BigInteger) and kinds <= _INT_OR_NONE:
        return values
    return _per_cell(values, sql_type)


_FLOAT_OR_NONE = frozenset({float, type(None)})
_TEXT_OR_NONE = frozenset({str, type(None)})
_INT_OR_NONE = frozenset({int, type(None)})


def to_rows(table: Table, held: pd.DataFrame | Columns | None, owner: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for `table` from a frame or from the loader's typed columns (the same rows either way)."""
    if isinstance(held, Columns):
        return columns_to_rows(table, held, owner)
    return frame_to_rows(table, held, owner)


def columns_to_rows(table: Table, cols: Columns, owner: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for `table` from typed columns, without building their DataFrame."""
    if not cols.n:
        return []
    names = frame_columns(table)
    kept = set(cols.keys)
    raw = {name: cols.data.get(name) if name in kept else None for name in names}
    columns = {name: _values(raw[name], table.c[name].type, cols.n) for name in names}
    return _rows(names, columns, lambda key, i: raw[key][i], owner)


def frame_to_rows(table: Table, frame: pd.DataFrame, owner: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for `table` from `frame` (missing columns stored as NULL), each with the `owner` keys."""
    if frame is None or frame.empty:
        return []
    names = frame_columns(table)
    n = len(frame)
    columns = {name: _column(frame[name] if name in frame else None, table.c[name].type, n) for name in names}
    return _rows(names, columns, lambda key, i: frame[key].iloc[i], owner)


def _rows(
    names: list[str], columns: dict[str, list[Any]], original: Callable[[str, int], Any], owner: dict[str, Any]
) -> list[dict[str, Any]]:
    # bounds come from the loader when it gives them (Indikator); otherwise (RPJMD targets) they are
    # read from the text with the loader's own range parser, so queries can compare numbers
    for key in [name[:-4] for name in names if name.endswith("_min") and f"{name[:-4]}_max" in names]:
        low, high, text = columns[f"{key}_min"], columns[f"{key}_max"], columns[key]
        for i in range(len(text)):
            if low[i] is None and high[i] is None and text[i] is not None:
                rng = parse_range(original(key, i))
                if rng.ok:
                    low[i], high[i] = rng.low, rng.high
    return [{**owner, **dict(zip(names, values))} for values in zip(*columns.values())]


def rows_to_frame(table: Table, rows: list) -> pd.DataFrame:
    """The stored rows of one version as a DataFrame with the table's frame columns (empty: typed empty)."""
    names = frame_columns(table)
    if not rows:
        return pd.DataFrame({n: pd.Series(dtype=object) for n in names})
    return pd.DataFrame([tuple(r) for r in rows], columns=names)
