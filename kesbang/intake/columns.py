"""A sheet's typed values held column by column, and the DataFrame built from them when one is needed.

The loader reads and checks a sheet a column at a time; a DataFrame of those columns is only needed by
whoever looks at the data (the upload page's preview, the diff, the summary). The store writes its rows
from the columns themselves, so an ingest never builds the frames at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Columns:
    """`keys` are the frame's columns in order; `data` holds typed values (floats, ints, dates, text,
    None for a blank) for some of them, each a list of `n`; a key without data is all blank. Keys in
    `numeric` are float columns. The lists are never changed after they are handed over."""

    keys: tuple[str, ...]
    data: dict[str, list[Any]]
    n: int
    numeric: frozenset[str]

    def __len__(self) -> int:
        return self.n

    def frame(self) -> pd.DataFrame:
        columns = list(self.keys)
        if not self.n:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        fast = _frame_from_blocks(self.data, columns, self.numeric, self.n)
        if fast is not None:
            return fast
        n = self.n
        data = {}
        for c in columns:
            values = self.data.get(c)
            if values is None:
                data[c] = np.full(n, np.nan) if c in self.numeric else np.full(n, None, dtype=object)
            elif c in self.numeric:
                data[c] = np.array(values, dtype=float)
            elif c == "row":
                data[c] = np.array(values, dtype="int64")
            else:
                data[c] = np.array(values, dtype=object)
        return pd.DataFrame(data, columns=columns, copy=False)


@lru_cache(maxsize=1)
def _str_dtype() -> Any:
    """The dtype pandas itself infers for a column of Python strings (pandas 3: pyarrow-backed str)."""
    return pd.Series(np.array(["a", None], dtype=object)).dtype


def _frame_from_blocks(
    data: dict[str, list[Any]], columns: list[str], numeric: frozenset[str], n: int
) -> pd.DataFrame | None:
    """The frame `pd.DataFrame(dict)` would build, assembled from its blocks directly.

    The dict constructor sanitises, infers and re-blocks every column (about 0.3 ms per sheet, as
    much as calamine's whole read); here the dtypes are known: floats go into one 2-D block, strings
    into pyarrow-backed str arrays exactly as pandas would infer them (str when every value is a str or
    missing and at least one is a str), other columns stay object. None when pandas' inference cannot be
    matched without running it (then the caller takes the dict constructor).
    """
    dtype = _str_dtype()
    if not isinstance(dtype, pd.StringDtype) or dtype.storage != "pyarrow":
        return None
    import pyarrow as pa
    from pandas.api.internals import create_dataframe_from_blocks

    float_cols: list[Any] = []
    float_at: list[int] = []
    object_cols: list[Any] = []
    object_at: list[int] = []
    blocks: list[tuple[Any, np.ndarray]] = []
    string_at: list[int] = []
    strings: list[Any] = []  # the str columns end to end: one pyarrow conversion, then a slice each
    for i, c in enumerate(columns):
        values = data.get(c)
        if c in numeric:
            float_cols.append(values if values is not None else [None] * n)
            float_at.append(i)
        elif c == "row":
            blocks.append((np.array([values], dtype="int64"), np.array([i])))
        elif values is None:
            object_cols.append([None] * n)
            object_at.append(i)
        else:
            kinds = set(map(type, values))
            kinds.discard(type(None))
            if kinds == {str} and len(values) == n:
                string_at.append(i)
                strings.extend(values)
            elif not kinds or not kinds & _INFERRED_TYPES:
                object_cols.append(values)
                object_at.append(i)
            else:
                return None  # numbers, bools, datetimes or mixed values: let pandas infer as it always has
    if string_at:
        joined = pa.array(strings, type=pa.large_string())
        for k, i in enumerate(string_at):
            blocks.append((pd.arrays.ArrowStringArray(joined.slice(k * n, n), dtype=dtype), np.array([i])))
    if float_cols:
        blocks.append((np.array(float_cols, dtype=float), np.array(float_at)))
    if object_cols:
        obj = np.empty((len(object_cols), n), dtype=object)
        for j, values in enumerate(object_cols):
            obj[j, :] = values
        blocks.append((obj, np.array(object_at)))
    # a copy of a cached Index: setting `.name` on one frame's columns must not touch another's
    return create_dataframe_from_blocks(blocks, index=pd.RangeIndex(n), columns=_columns_index(tuple(columns)).copy())


@lru_cache(maxsize=32)
def _columns_index(columns: tuple[str, ...]) -> pd.Index:
    return pd.Index(list(columns))


# object values pandas would convert when it infers a column (everything else stays object as given)
_INFERRED_TYPES = frozenset({str, bool, int, float, dt.datetime, np.float64, np.int64, pd.Timestamp, np.datetime64})
