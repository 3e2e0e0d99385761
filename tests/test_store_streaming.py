"""The dataset's bulk reads stream in chunks and still give exactly the frames a whole read gives.

Real stores on SQLite and PostgreSQL. The chunk size (`reads.STREAM_ROWS`) is made small so three uploads
span several chunks, among them chunks where a column is empty throughout: one regency left every optional
field blank. Read whole, those blanks sit among the other regencies' values and take their type (NaN in a
float column, missing text in a text column); the chunked read must type them the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd
import pytest
import storekit
from pandas.testing import assert_frame_equal

from kesbang.auth import User
from kesbang.model import LoadResult
from kesbang.store import open_store, reads

ADMIN = User("admin", "admin")
FRAMES = ("indicators", "paskibraka", "nilai", "submissions", "rpjmd")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("pg_url")


def _upload(region: str, year: int, blank: bool) -> tuple[LoadResult, bytes, str]:
    sub = storekit.submission(region, year)
    if blank:  # every optional field of this regency left empty: text, float, int and date columns
        sub.indikator = sub.indikator.assign(kode_rpjmd=None, baseline=None, sumber_data=None)
        sub.paskibraka = sub.paskibraka.assign(putra=None, putri=None, realisasi_selesai=None)
        sub.nilai = sub.nilai.assign(tanggal=None, peserta=None, pre_test=None, narasi=None)
    data = f"streaming test {region} {year} {blank}".encode() * 20
    name = f"laporan_{region}_{year}.xlsx"
    return LoadResult(name, [], sub, hashlib.sha256(data).hexdigest(), "xlsx"), data, name


@pytest.fixture
def store(url):
    s = open_store(url)
    storekit.enrol(s, ADMIN)
    # insertion order = row order: 6 indicators, 6 stages and 3 values activities per regency
    for region, blank in (("62.01", False), ("62.02", True), ("62.03", False)):
        result, data, name = _upload(region, 2026, blank)
        assert s.submit(ADMIN, result, data, name).status == "stored"
    yield s
    s.close()


def _whole(store, monkeypatch, **kw):
    monkeypatch.setattr(reads, "STREAM_ROWS", 10**9)
    return store.dataset(**kw)


@pytest.mark.parametrize("rows", [3, 5, 6])
def test_a_chunked_dataset_equals_the_whole_read(store, monkeypatch, rows):
    whole = _whole(store, monkeypatch)
    monkeypatch.setattr(reads, "STREAM_ROWS", rows)
    chunked = store.dataset()
    for name in FRAMES:
        a, b = getattr(whole, name), getattr(chunked, name)
        assert_frame_equal(b, a, check_exact=True, obj=name)
        assert b.dtypes.tolist() == a.dtypes.tolist(), name

    ind = chunked.indicators
    assert len(ind) == 18 and ind["region"].tolist() == ["62.01"] * 6 + ["62.02"] * 6 + ["62.03"] * 6
    blank = ind["region"] == "62.02"
    # the blank regency's baselines are NaN inside a float column, its RPJMD codes missing text
    assert ind["baseline"].dtype == np.float64
    assert ind.loc[blank, "baseline"].isna().all() and ind.loc[~blank, "baseline"].tolist()[:2] == [50.0, 51.0]
    assert isinstance(ind["kode_rpjmd"].dtype, pd.StringDtype)
    assert ind.loc[blank, "kode_rpjmd"].isna().all() and ind.loc[~blank, "kode_rpjmd"].tolist()[1] == "R.2"
    pas = chunked.paskibraka
    # whole counts with a blank among them are float64 (as pandas reads them whole); NaN for the blank regency
    assert pas["putra"].dtype == np.float64 and pas.loc[pas["region"] == "62.02", "putra"].isna().all()
    assert pas.loc[pas["region"] == "62.01", "putra"].tolist()[1:3] == [200.0, 150.0]
    assert pas["jumlah"].dtype == np.int64  # never blank: stays integer
    assert pas["catatan"].isna().all()  # blank everywhere: as a whole read leaves it
    nil = chunked.nilai
    assert nil.loc[nil["region"] == "62.01", "tanggal"].tolist()[0] == dt.date(2026, 4, 1)
    assert nil.loc[nil["region"] == "62.02", "tanggal"].isna().all()
    assert nil.loc[nil["region"] == "62.03", "pre_test"].tolist() == [60.0] * 3


def test_every_bulk_read_equals_pandas_reading_the_query_whole(store, monkeypatch):
    """Each bulk read, chunked, against `pd.read_sql` of the same query in the same transaction."""
    monkeypatch.setattr(reads, "STREAM_ROWS", 4)
    real = reads._bulk_frame
    compared = []

    def checked(conn, query):
        frame = real(conn, query)
        assert_frame_equal(frame, pd.read_sql(query, conn), check_exact=True)
        compared.append(len(frame))
        return frame

    monkeypatch.setattr(reads, "_bulk_frame", checked)
    store.dataset()
    store.dataset(province="62", years=[2026])
    assert compared == [18, 18, 9] * 2  # indicators, paskibraka, nilai


def test_a_province_or_year_with_no_rows_reads_as_the_whole_read_does(store, monkeypatch):
    whole = _whole(store, monkeypatch, years=[2026])
    monkeypatch.setattr(reads, "STREAM_ROWS", 2)
    assert store.dataset(years=[2030]).is_empty
    for name in FRAMES:
        assert_frame_equal(getattr(store.dataset(years=[2026]), name), getattr(whole, name), check_exact=True)


def test_no_chunk_holds_more_than_stream_rows_rows(store, monkeypatch):
    """The memory fact behind it: rows come off the cursor a chunk at a time (on PostgreSQL through a
    server-side cursor, so neither psycopg nor libpq holds the whole result)."""
    monkeypatch.setattr(reads, "STREAM_ROWS", 4)
    built = []
    real = pd.DataFrame.from_records

    def counted(data, *args, **kwargs):
        built.append(len(data))
        return real(data, *args, **kwargs)

    cursors = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "FROM indicator_rows" in statement:
            cursors.append(type(cursor).__name__)

    from sqlalchemy import event

    monkeypatch.setattr(reads.pd.DataFrame, "from_records", counted)
    event.listen(store.engine, "after_cursor_execute", seen)
    try:
        ds = store.dataset()
    finally:
        event.remove(store.engine, "after_cursor_execute", seen)
    assert len(ds.indicators) == 18
    assert built and max(built) <= 4 and sum(built) == 18 + 18 + 9
    if store.engine.dialect.name == "postgresql":
        assert cursors == ["ServerCursor"]
