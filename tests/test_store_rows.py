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


# --- rows written from the loader's typed columns --------------------------------------------------------

def _messy_workbook() -> bytes:
    """Every conversion path at once: range and text targets, numbers as text, blanks, dates, a total row."""
    from workbook_factory import indicator_rows, submission_bytes

    ind = indicator_rows(8)
    ind[0].update(target="80-90", realisasi_tw1="12,5", pagu="Rp 1.250.000")
    ind[1].update(target="≥ 75", kode_rpjmd=None, baseline=None)
    ind[2].update(target="Tersusunnya dokumen", jenis_ukuran="kualitatif", satuan="Dokumen", realisasi_tw2=None)
    ind[3].update(realisasi_tw3=1e15, anggaran_tw4=0)
    return submission_bytes(indikator=ind)


def _loaded_workbooks() -> list[tuple[str, bytes]]:
    from pathlib import Path

    from kesbang.devtools import bench

    root = Path(__file__).resolve().parent.parent
    files = [(p.name, p.read_bytes()) for p in sorted((root / "sample_data").glob("6*.xlsx"))[:6]]
    sub = bench.build_submission("62.01", 2026)
    return [*files, ("bench_template.xlsx", bench.workbook_bytes(sub)),
            ("bench_minimal.xlsx", bench.minimal_workbook_bytes(sub)), ("messy.xlsx", _messy_workbook())]


def test_rows_from_the_loaders_columns_equal_rows_from_its_frames():
    from kesbang.intake import loader
    from kesbang.intake.columns import Columns
    from kesbang.store import tables as T

    checked = 0
    for name, data in _loaded_workbooks():
        sub = loader.load_submission(data, name).submission
        assert sub is not None, name
        for table, key in ((T.indicator_rows, "indikator"), (T.paskibraka_rows, "paskibraka"), (T.nilai_rows, "nilai")):
            held = sub.held(key)
            assert isinstance(held, Columns), (name, key)  # nothing has read the frame yet
            from_columns = rows.to_rows(table, held, {"submission_id": 7})
            frame = getattr(sub, key)
            assert sub.held(key) is frame  # built once, then kept
            from_frame = rows.frame_to_rows(table, frame, {"submission_id": 7})
            assert from_columns == from_frame, (name, key)
            assert [[type(v) for v in r.values()] for r in from_columns] == [
                [type(v) for v in r.values()] for r in from_frame], (name, key)
            checked += len(from_columns)
    assert checked > 500


def test_a_frame_read_before_the_write_is_what_gets_written():
    from kesbang.intake import loader
    from kesbang.store import tables as T

    sub = loader.load_submission(_messy_workbook(), "messy.xlsx").submission
    sub.indikator.loc[0, "satuan"] = "Unit"  # whoever built the frame may have changed it
    written = rows.to_rows(T.indicator_rows, sub.held("indikator"), {})
    assert written[0]["satuan"] == "Unit"


def test_typed_column_values_convert_as_the_frame_path_does():
    import datetime as dt

    cases = [
        (Float(), [1.5, None, float("nan"), float("inf"), -2.0]),
        (Float(), [1, 2.5, None, True]),  # ints and a bool among floats: the general path
        (Integer(), [3, None, 7]),
        (Integer(), [3.0, 2.5, None]),  # floats into an integer column: rounded half to even
        (Text(), ["a", None, "62.10"]),
        (Text(), ["a", 12.0, 2.5, None]),
        (Date(), [dt.date(2026, 1, 2), dt.datetime(2026, 3, 4, 5, 6), None]),
    ]
    for sql_type, values in cases:
        got = rows._values(values, sql_type, len(values))
        want = rows._column(pd.Series(values, dtype=object), sql_type, len(values))
        assert got == want and [type(v) for v in got] == [type(v) for v in want], (sql_type, values)
    floats = [1.0, 2.0]
    assert rows._values(floats, Float(), 2) is not floats  # bounds may be filled into it
