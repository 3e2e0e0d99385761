"""The store on both engines: versions, de-duplication, locks, review, append-only history, reads, disk full.

Each test runs on a real SQLite file in the test's tmp dir and on a fresh PostgreSQL database
(`pg_url`, skipped loudly when no server answers, failed under KESBANG_REQUIRE_POSTGRES=1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
import sqlalchemy as sa
import storekit
from sqlalchemy import event

from kesbang import i18n
from kesbang.auth import User
from kesbang.store import Store, open_store
from kesbang.store.engine import MIGRATIONS, make_engine, migrate
from kesbang.store.tables import APPEND_ONLY, SCHEMA_VERSION, metadata, schema_version

OPERATOR = User("operator.62.02", "operator", "62.02")
REVIEWER = User("reviewer", "reviewer")
ADMIN = User("admin", "admin")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("pg_url")


def opened(url: str) -> Store:
    """The store at `url` holding the test's actors as accounts (writes by a User it does not hold are refused)."""
    s = open_store(url)
    storekit.enrol(s, OPERATOR, REVIEWER, ADMIN)
    return s


@pytest.fixture
def store(url):
    s = opened(url)
    yield s
    s.close()


def submit(store: Store, user=OPERATOR, region="62.02", year=2026, seed=0, **kw):
    result, data, name = storekit.upload(region, year, seed, **kw)
    return store.submit(user, result, data, name)


def test_a_stored_version_keeps_bytes_rows_and_report(store):
    result, data, name = storekit.upload(seed=7)
    out = store.submit(OPERATOR, result, data, name)
    assert (out.status, out.version, out.message_id) == ("stored", 1, "store.stored")
    assert store.file(out.submission_id) == (name, data)

    rebuilt = store.submission(out.submission_id)
    original = result.submission
    assert rebuilt.region == "62.02" and rebuilt.year == 2026 and rebuilt.period == "TW III"
    ind = rebuilt.indikator.set_index("kode_indikator")
    want = original.indikator.set_index("kode_indikator")
    assert list(ind.index) == list(want.index)
    for col in ("indikator", "satuan", "polaritas", "target_text", "kode_rpjmd", "faktor_penghambat"):
        assert ind[col].where(ind[col].notna(), None).tolist() == want[col].where(want[col].notna(), None).tolist()
    for col in ("target_min", "realisasi_tw3", "pagu", "anggaran_tw4", "baseline"):
        assert ind[col].tolist() == pytest.approx(want[col].tolist())
    assert ind["row"].tolist() == want["row"].tolist()
    pas = rebuilt.paskibraka.set_index("tahap")
    assert pas.loc["pendaftar", "putra"] == 207 and pas.loc["pendaftar", "putri"] == 198
    assert pas.loc["ditetapkan", "realisasi_mulai"] == dt.date(2026, 3, 5)
    assert rebuilt.nilai["peserta"].tolist() == [47, 48, 49]
    assert rebuilt.nilai["tanggal"].tolist() == [
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 2),
        dt.date(2026, 4, 3),
    ]
    # the validation report travels with the version
    assert [(i.severity, i.code, i.cell) for i in rebuilt.issues] == [("warning", "v.indikator.unknown_rpjmd", "L6")]

    meta = store.submission_meta(out.submission_id)
    assert meta["sha256"] == hashlib.sha256(data).hexdigest()
    assert meta["uploaded_by"] == "operator.62.02" and meta["status"] == "submitted"
    age = dt.datetime.now(dt.UTC).replace(tzinfo=None) - meta["uploaded_at"]
    assert dt.timedelta(0) <= age < dt.timedelta(minutes=5)  # server time in UTC


def test_same_bytes_twice_store_one_version(store):
    first = submit(store, seed=1)
    again = submit(store, seed=1)
    assert first.status == "stored" and again.status == "duplicate"
    assert again.version == 1 and again.submission_id == first.submission_id
    assert "versi 1" in i18n.t(again.message_id, "id", **again.params)
    assert store.history("62.02", 2026)["version"].tolist() == [1]
    audit = store.audit(5)
    assert audit.iloc[0]["message_id"] == "store.duplicate" and audit.iloc[0]["outcome"] == "refused"


def test_versions_count_up_and_the_dataset_shows_the_latest(store):
    for seed in range(4):
        assert submit(store, seed=seed).version == seed + 1
    submit(store, region="62.01", user=ADMIN, seed=9)
    hist = store.history("62.02", 2026)
    assert hist["version"].tolist() == [1, 2, 3, 4]
    assert set(hist.columns) >= {"version", "sha256", "uploaded_by", "uploaded_at", "status", "comments"}
    ds = store.dataset()
    subs = ds.submissions.set_index("region")
    assert subs.loc["62.02", "version"] == 4 and subs.loc["62.01", "version"] == 1
    assert len(ds.indicators) == 12 and set(ds.indicators["version"]) == {1, 4}
    latest = ds.indicators[ds.indicators["region"] == "62.02"]
    # seed 3 wrote anggaran_tw4 = 100003 on every indicator
    assert latest["anggaran_tw4"].tolist() == [100_003.0] * 6
    assert ds.paskibraka["stage_order"].notna().all()
    assert store.dataset(province="64").is_empty
    assert store.dataset(years=[2025]).is_empty
    assert len(store.dataset(province="62", years=[2026]).submissions) == 2


def test_invalid_file_stores_nothing_and_says_why(store):
    result, data, name = storekit.invalid_upload()
    before = store.data_version()  # the accounts' creation
    out = store.submit(OPERATOR, result, data, name)
    assert out.status == "refused" and out.message_id == "store.invalid_file"
    assert "1 kesalahan" in i18n.t(out.message_id, "id", **out.params)
    assert store.dataset().is_empty and store.data_version() == before
    assert store.audit(1).iloc[0]["message_id"] == "store.invalid_file"


def test_approval_locks_the_region_year_until_reopened(store):
    v1 = submit(store, seed=1)
    assert store.review(REVIEWER, v1.submission_id, "approve").ok
    assert store.locked("62.02", 2026)["approved_by"] == "reviewer"
    refused = submit(store, seed=2)
    assert refused.status == "refused" and refused.message_id == "store.locked"
    text = i18n.t(refused.message_id, "id", **refused.params)
    assert "disetujui" in text and "reviewer" in text and "versi 1" in text
    assert store.history("62.02", 2026)["version"].tolist() == [1]
    assert store.audit(1).iloc[0]["message_id"] == "store.locked"

    no_reason = store.review(REVIEWER, v1.submission_id, "reopen", "  ")
    assert no_reason.message_id == "store.comment_required"
    assert store.review(REVIEWER, v1.submission_id, "reopen", "Target TW III salah ketik").ok
    assert store.locked("62.02", 2026) is None
    v2 = submit(store, seed=2)
    assert v2.status == "stored" and v2.version == 2
    assert store.history("62.02", 2026)["status"].tolist() == ["reopened", "resubmitted"]


def test_return_comment_thread_and_resubmission(store):
    v1 = submit(store, seed=1)
    assert store.review(REVIEWER, v1.submission_id, "return", "").message_id == "store.comment_required"
    assert store.review(REVIEWER, v1.submission_id, "return", "Lengkapi data dukung").ok
    assert store.comment(OPERATOR, v1.submission_id, "Baik, akan kami lengkapi").ok
    thread = store.comments(v1.submission_id)
    assert thread["comment"].tolist() == ["Lengkapi data dukung", "Baik, akan kami lengkapi"]
    assert thread["actor"].tolist() == ["reviewer", "operator.62.02"]
    # a returned version cannot be approved; the operator uploads a new one
    assert store.review(REVIEWER, v1.submission_id, "approve").message_id == "store.bad_transition"
    v2 = submit(store, seed=2)
    assert store.status(v2.submission_id) == "resubmitted"
    old = store.review(REVIEWER, v1.submission_id, "approve")
    assert old.message_id == "store.not_latest" and old.params == {"version": 1, "latest": 2}
    assert store.review(REVIEWER, v2.submission_id, "approve").ok
    assert store.history("62.02", 2026)["comments"].tolist() == [2, 0]
    queue = store.queue()
    assert queue.loc[0, "status"] == "approved" and bool(queue.loc[0, "locked"])
    assert 0 <= queue.loc[0, "age_hours"] < 1


def test_history_tables_refuse_update_and_delete(store, url):
    submit(store, seed=1)
    store.put_rpjmd(ADMIN, storekit.rpjmd_result(), b"rpjmd bytes", "rpjmd_62.xlsx")
    engine = make_engine(url)
    try:
        for table in APPEND_ONLY:
            key = next(iter(metadata.tables[table].columns)).name
            for sql in (f"UPDATE {table} SET {key} = {key}", f"DELETE FROM {table}"):
                with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                    with engine.begin() as conn:
                        conn.exec_driver_sql(sql)
        if engine.dialect.name == "postgresql":
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                with engine.begin() as conn:
                    conn.exec_driver_sql("TRUNCATE submissions CASCADE")
    finally:
        engine.dispose()
    assert store.history("62.02", 2026)["version"].tolist() == [1]
    assert len(store.dataset().indicators) == 6


def test_another_process_sees_writes_through_the_data_version(url):
    a, b = opened(url), open_store(url)  # two engines, as two app processes have
    try:
        before = b.data_version()
        submit(a, seed=1)
        after_upload = b.data_version()
        assert after_upload > before
        sid = int(b.dataset().submissions.loc[0, "submission_id"])
        assert a.comment(REVIEWER, sid, "Dicek").ok
        assert b.data_version() > after_upload
        assert b.comments(sid)["comment"].tolist() == ["Dicek"]
    finally:
        a.close()
        b.close()


def test_rpjmd_reference_is_in_the_dataset(store):
    out = store.put_rpjmd(REVIEWER, storekit.rpjmd_result(), b"rpjmd", "rpjmd_62.xlsx")
    assert out.ok and out.params["rows"] == 1
    rp = store.dataset().rpjmd
    assert rp.loc[0, "province"] == "62" and rp.loc[0, "periode_rpjmd"] == "2025-2029"
    assert rp.loc[0, "target_1"] == "78,77–79,27"
    assert (rp.loc[0, "target_1_min"], rp.loc[0, "target_1_max"]) == pytest.approx((78.77, 79.27))
    assert store.put_rpjmd(OPERATOR, storekit.rpjmd_result(), b"rpjmd", "x.xlsx").message_id == "auth.role_denied"


def test_disk_full_is_a_clear_error_and_older_versions_stay(tmp_path):
    url = f"sqlite:///{tmp_path / 'small.sqlite3'}"
    store = opened(url)
    first = submit(store, seed=1)
    with store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    store.close()

    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def cap(dbapi_conn, _record):  # max_page_count holds per connection: cap every new one
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 8}")

    migrate(engine)
    small = Store(engine)
    result, _, name = storekit.upload(seed=2)
    big = b"x" * 2_000_000  # needs far more than 8 more pages
    out = small.submit(OPERATOR, result, big, name)
    assert out.status == "refused" and out.message_id == "store.disk_full"
    assert "penuh" in i18n.t(out.message_id, "id") and "full" in i18n.t(out.message_id, "en")
    small.close()

    store = open_store(url)
    assert store.history("62.02", 2026)["version"].tolist() == [1]
    assert store.file(first.submission_id)[1] == storekit.upload(seed=1)[1]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert submit(store, seed=3).version == 2  # with room again, storing continues at the next number
    store.close()


def test_schema_carries_a_version_and_reopening_keeps_data(url):
    s = opened(url)
    submit(s, seed=1)
    s.close()
    s = open_store(url)  # a second start migrates nothing and loses nothing
    with s.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar() == SCHEMA_VERSION
    assert s.history("62.02", 2026)["version"].tolist() == [1]
    s.close()


def test_a_version_1_database_is_migrated_on_start(url):
    engine = make_engine(url)
    with engine.begin() as conn:  # build the schema as version 1 left it: no change-id index
        MIGRATIONS[1](conn)
        conn.exec_driver_sql("DROP INDEX ix_audit_changes")
        conn.execute(schema_version.insert().values(version=1, applied_at=dt.datetime(2026, 1, 1)))
    engine.dispose()
    s = opened(url)
    with s.engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
        assert versions == list(range(1, SCHEMA_VERSION + 1))
        assert "ix_audit_changes" in {ix["name"] for ix in sa.inspect(conn).get_indexes("audit")}
    before = s.data_version()
    submit(s, seed=1)
    assert s.data_version() > before
    s.close()


def test_issues_json_is_plain_json(store):
    out = submit(store, seed=1)
    with store.engine.connect() as conn:
        raw = conn.execute(sa.text("SELECT issues FROM submissions WHERE id = :i"), {"i": out.submission_id}).scalar()
    assert json.loads(raw)[0]["code"] == "v.indikator.unknown_rpjmd"


class _Rerun(BaseException):
    """Stands in for Streamlit's rerun/stop exceptions, which derive from BaseException."""


def test_an_interrupted_write_leaves_no_half_version(store, monkeypatch):
    submit(store, seed=1)
    from kesbang.store import submissions

    real = submissions.to_rows
    calls = {"n": 0}

    def interrupted(table, frame, owner):
        calls["n"] += 1
        if calls["n"] == 2:  # after the version row and its indicator rows were inserted
            raise _Rerun()
        return real(table, frame, owner)

    monkeypatch.setattr(submissions, "to_rows", interrupted)
    with pytest.raises(_Rerun):
        submit(store, seed=2)
    monkeypatch.setattr(submissions, "to_rows", real)
    assert store.history("62.02", 2026)["version"].tolist() == [1]
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM indicator_rows")).scalar() == 6
    assert submit(store, seed=2).version == 2  # the same upload, tried again, gets the next number


def test_the_dataset_is_a_few_bulk_queries_whatever_the_size(store):
    for region in ("62.01", "62.02", "62.03", "64.71", "64.72"):
        for year in (2025, 2026):
            submit(store, user=ADMIN, region=region, year=year, seed=year)
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "pg_catalog" not in statement:
            statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        ds = store.dataset()
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert len(ds.submissions) == 10 and len(ds.indicators) == 60
    assert len(statements) <= 6  # submissions, identitas, 3 row tables, RPJMD (catalogue
    # look-ups pandas makes on PostgreSQL aside): never one per version
