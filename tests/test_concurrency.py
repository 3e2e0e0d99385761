"""Many writers at the deadline, and writers killed mid-ingest: nothing lost, nothing half-written.

Writers are separate OS processes (forked, each opening its own engine), as separate app or CLI
processes would be, on a real SQLite file and on a fresh PostgreSQL database.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import time

import pytest
import sqlalchemy as sa
import storekit

from kesbang.auth import User
from kesbang.regions import regions_in
from kesbang.store import open_store

pytestmark = pytest.mark.slow
ADMIN = User("admin", "admin")
FORK = mp.get_context("fork")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("pg_url")


def _operator(region: str) -> User:
    return User(f"operator.{region}", "operator", region)


def _writer(url: str, jobs: list[tuple[str, int]], results) -> None:
    """Child process: submit each (region, seed) job as its own operator; report (region, status, version)."""
    store = open_store(url)
    out = []
    for region, seed in jobs:
        user = _operator(region)
        result, data, name = storekit.upload(region, 2026, seed)
        o = store.submit(user, result, data, name)
        out.append((region, o.status, o.version, o.message_id))
    results.put(out)
    store.close()


def _run_writers(url: str, job_lists: list[list[tuple[str, int]]]) -> list[tuple]:
    store = open_store(url)  # schema and the writers' accounts first, then fork with no engine open in the parent
    storekit.enrol(store, *{_operator(region) for jobs in job_lists for region, _ in jobs})
    store.close()
    results = FORK.Queue()
    procs = [FORK.Process(target=_writer, args=(url, jobs, results)) for jobs in job_lists]
    for p in procs:
        p.start()
    collected = []
    for _ in procs:
        collected += results.get(timeout=300)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return collected


def test_16_writers_x_25_uploads_same_region_year_keep_400_contiguous_versions(url):
    writers, per_writer = 16, 25
    jobs = [[("62.02", w * 1000 + i) for i in range(per_writer)] for w in range(writers)]
    start = time.perf_counter()
    outcomes = _run_writers(url, jobs)
    elapsed = time.perf_counter() - start
    assert [o for o in outcomes if o[1] != "stored"] == []
    store = open_store(url)
    try:
        versions = store.history("62.02", 2026)["version"].tolist()
        assert versions == list(range(1, writers * per_writer + 1))
        assert sorted(o[2] for o in outcomes) == versions  # every writer got the number that was stored
        assert len(set(store.history("62.02", 2026)["sha256"])) == 400
        with store.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT count(*) FROM indicator_rows")).scalar()
        assert rows == 400 * 6
    finally:
        store.close()
    print(f"\n16x25 uploads on {url.split(':')[0]}: {elapsed:.1f} s")


def test_all_24_regencies_upload_at_once(url):
    regions = [*regions_in("62")["kemendagri"], *regions_in("64")["kemendagri"]]
    assert len(regions) == 24
    outcomes = _run_writers(url, [[(r, 1), (r, 2)] for r in regions])
    assert sorted((o[0], o[1], o[2]) for o in outcomes) == sorted(
        [(r, "stored", 1) for r in regions] + [(r, "stored", 2) for r in regions]
    )
    store = open_store(url)
    try:
        subs = store.dataset().submissions
        assert sorted(subs["region"]) == sorted(regions)
        assert set(subs["version"]) == {2}
    finally:
        store.close()


def _endless_writer(url: str) -> None:
    """Child process: store big versions (2 MB, 60 indicators) until killed."""
    store = open_store(url)
    seed = random.randrange(10**9)
    admin = User("admin", "admin")
    while True:
        seed += 1
        result, data, name = storekit.upload("62.02", 2026, seed, n_indicators=60)
        store.submit(admin, result, data + os.urandom(2_000_000), name)


def _wait_for_killed_sessions(store, timeout_s: float = 30.0) -> None:
    """PostgreSQL: wait until the server has ended every killed writer's session.

    A client killed just after sending COMMIT leaves a server session that still finishes that
    commit; read before it ends, and the store looks one version short (seen in CI: 66 read, the
    next upload numbered 68). Whole or not at all is what is checked, so read after it is settled.
    """
    if store.engine.dialect.name != "postgresql":
        return  # SQLite has no server: a killed writer's journal is rolled back by the next reader
    others = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND state <> 'idle'"  # idle: nothing left to finish (our own pool too)
    )
    deadline = time.monotonic() + timeout_s
    with store.engine.connect() as conn:
        while conn.execute(others).scalar():
            assert time.monotonic() < deadline, "a killed writer's server session never ended"
            conn.rollback()  # a fresh snapshot for the next look
            time.sleep(0.05)


def test_writer_killed_mid_ingest_leaves_no_partial_version(url):
    store = open_store(url)
    storekit.enrol(store, User("admin", "admin"))
    store.close()
    rng = random.Random(4)
    for _ in range(6):
        p = FORK.Process(target=_endless_writer, args=(url,))
        p.start()
        time.sleep(rng.uniform(0.6, 1.6))
        os.kill(p.pid, signal.SIGKILL)
        p.join()
        assert p.exitcode == -signal.SIGKILL

    store = open_store(url)
    try:
        _wait_for_killed_sessions(store)
        hist = store.history("62.02", 2026)
        n = len(hist)
        assert n >= 1, "the writer never stored anything; the test proves nothing"
        assert hist["version"].tolist() == list(range(1, n + 1))
        with store.engine.connect() as conn:
            per_version = conn.execute(
                sa.text(
                    "SELECT s.version, (SELECT count(*) FROM indicator_rows r WHERE r.submission_id = s.id), "
                    "(SELECT count(*) FROM paskibraka_rows r WHERE r.submission_id = s.id), "
                    "(SELECT count(*) FROM events e WHERE e.submission_id = s.id), length(s.data) "
                    "FROM submissions s ORDER BY s.version"
                )
            ).all()
            orphans = conn.execute(
                sa.text(
                    "SELECT count(*) FROM indicator_rows WHERE submission_id NOT IN "
                    "(SELECT id FROM submissions)"
                )
            ).scalar()
            if store.engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert all(r[1:4] == (60, 6, 1) and r[4] > 2_000_000 for r in per_version), per_version
        assert orphans == 0
        # and the store takes the next upload at the next number
        result, data, name = storekit.upload("62.02", 2026, -1)
        assert store.submit(ADMIN, result, data, name).version == n + 1
    finally:
        store.close()


def test_the_same_file_sent_by_8_processes_at_once_is_stored_once(url):
    outcomes = _run_writers(url, [[("62.02", 7)] for _ in range(8)])  # a double (octuple) click
    assert sorted(o[1] for o in outcomes) == ["duplicate"] * 7 + ["stored"]
    assert {o[2] for o in outcomes} == {1}
    store = open_store(url)
    try:
        assert store.history("62.02", 2026)["version"].tolist() == [1]
    finally:
        store.close()
