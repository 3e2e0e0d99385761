"""The writer's column-wise conversion (typed fast paths) gives exactly what the per-cell conversion gives."""

import math

import numpy as np
import pandas as pd
from sqlalchemy.types import BigInteger, Date, Float, Integer, Text

from kesbang.store import rows


def _per_cell(series: pd.Series, sql_type) -> list:
    # the same values as plain Python objects: the general (per-cell) path
    return rows._column(pd.Series(series.tolist(), dtype=object), sql_type, len(series))


FLOATS = pd.Series([1.5, np.nan, np.inf, -np.inf, 2.5, 3.5, -0.5, 1e15, 0.0], dtype="float64")
INTS = pd.Series([1, -2, 0, 2**40], dtype="int64")
TEXT = pd.Series(["a", None, "62.10", "", "Kab. X"], dtype="str")


def test_float_columns_as_float_and_integer():
    for sql_type in (Float(), Integer(), BigInteger()):
        got = rows._column(FLOATS, sql_type, len(FLOATS))
        assert got == _per_cell(FLOATS, sql_type)
        assert [type(v) for v in got] == [type(v) for v in _per_cell(FLOATS, sql_type)]
    assert rows._column(FLOATS, Integer(), len(FLOATS))[4:7] == [2, 4, 0]  # half to even, as round()


def test_huge_floats_into_integer_columns_take_the_general_path():
    huge = pd.Series([1e30, np.nan], dtype="float64")
    assert rows._column(huge, Integer(), 2) == [int(round(1e30)), None]


def test_int_and_text_columns():
    for sql_type in (Float(), Integer(), Text()):
        got = rows._column(INTS, sql_type, len(INTS))
        assert got == _per_cell(INTS, sql_type)
        assert [type(v) for v in got] == [type(v) for v in _per_cell(INTS, sql_type)]
    assert rows._column(TEXT, Text(), len(TEXT)) == ["a", None, "62.10", "", "Kab. X"]
    assert rows._column(TEXT, Float(), len(TEXT)) == [None, None, 62.1, None, None]  # general path
    assert all(v is None or not math.isnan(v) for v in rows._column(FLOATS, Float(), len(FLOATS)))


def test_dates_keep_the_general_path():
    dates = pd.Series(pd.to_datetime(["2025-08-17", None]))
    assert rows._column(dates, Date(), 2) == _per_cell(dates, Date())
