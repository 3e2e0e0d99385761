"""The data version that every page cache is keyed on, across processes, on both engines.

`Store.data_version()` must name the data: whenever two reads give the same version, they must see the
same data. Pages in one process cache the Dataset per version, so a write that another process (or the
CLI) commits must change it, whatever order concurrent writes commit in. The page test runs the
Profil Wilayah page in AppTest while the real `python -m kesbang review` approves in a child process.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import storekit
from sqlalchemy import event
from streamlit.testing.v1 import AppTest

from kesbang import i18n
from kesbang.auth import User
from kesbang.store import open_store

ROOT = Path(__file__).resolve().parent.parent
OPERATOR = User("operator.62.02", "operator", "62.02")
OPERATOR_B = User("operator.62.03", "operator", "62.03")
REVIEWER = User("reviewer.bappeda", "reviewer")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'version.sqlite3'}"
    return request.getfixturevalue("pg_url")


def regions_in(store) -> set[str]:
    return set(store.dataset().submissions["region"])


def test_a_write_that_commits_after_a_later_one_still_changes_the_version(url):
    """Two concurrent uploads: the first to start commits last. A reader that looked between the two
    commits must not find the same version once the late write has landed (its cache would keep the
    data without that upload until the next write)."""
    slow_store, fast_store, reader = open_store(url), open_store(url), open_store(url)
    storekit.enrol(reader, OPERATOR, OPERATOR_B)
    in_commit = threading.Event()

    @event.listens_for(slow_store.engine, "commit")
    def hold_the_commit(_conn):  # the slow write has written everything, its audit row too
        in_commit.set()
        time.sleep(1.5)

    slow = threading.Thread(target=lambda: slow_store.submit(OPERATOR, *storekit.upload("62.02", 2026)))
    try:
        slow.start()
        assert in_commit.wait(30)
        assert fast_store.submit(OPERATOR_B, *storekit.upload("62.03", 2026)).status == "stored"
        seen_version, seen_regions = reader.data_version(), regions_in(reader)
        slow.join(30)
        assert not slow.is_alive()
        assert regions_in(reader) == {"62.02", "62.03"}
        if reader.data_version() == seen_version:
            assert seen_regions == {"62.02", "62.03"}, "one version, two different Datasets"
    finally:
        for s in (slow_store, fast_store, reader):
            s.close()


def test_the_version_is_one_cheap_read_and_only_changes_with_data(url):
    store = open_store(url)
    try:
        storekit.enrol(store, OPERATOR, REVIEWER)
        before = store.data_version()
        assert store.authenticate("nobody", "wrong-password-here") is None  # an audited refusal
        assert store.submit(OPERATOR, *storekit.upload("62.03", 2026)).status == "refused"  # not their region
        assert store.data_version() == before
        out = store.submit(OPERATOR, *storekit.upload("62.02", 2026))
        assert store.data_version() == before + 1
        assert store.review(REVIEWER, out.submission_id, "approve").ok
        assert store.data_version() == before + 2
    finally:
        store.close()


def _status_shown(at: AppTest) -> str:
    return {m.label: m.value for m in at.metric}[i18n.t("profil.score.status", "id")]


def test_an_approval_from_the_command_line_shows_on_the_next_page_run(url, monkeypatch):
    store = open_store(url)
    try:
        storekit.enrol(store, OPERATOR, OPERATOR_B, REVIEWER)
        for user, region in ((OPERATOR, "62.02"), (OPERATOR_B, "62.03")):
            assert store.submit(user, *storekit.upload(region, 2026)).status == "stored"
    finally:
        store.close()
    monkeypatch.setenv("KESBANG_DATABASE_URL", url)
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/profil_wilayah.py")
    at.run()
    at.selectbox(key="kab").set_value("62.02").run()
    assert not at.exception
    assert _status_shown(at) == i18n.t("store.status.submitted", "id")

    proc = subprocess.run(
        [sys.executable, "-m", "kesbang", "review", "approve", "--db", url, "--as", REVIEWER.username,
         "--region", "62.02", "--year", "2026"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    at.run()
    assert not at.exception
    assert _status_shown(at) == i18n.t("store.status.approved", "id")


def test_a_version_3_store_starts_its_counter_where_the_audit_log_stood(url):
    """An existing store (schema 3: the version was max(audit change id)) keeps counting from there, so a
    process that cached the old version number never takes it for other data."""
    import datetime as dt

    from kesbang.store import tables
    from kesbang.store.engine import MIGRATIONS, make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        for n in (1, 2, 3):
            MIGRATIONS[n](conn)
            conn.execute(tables.schema_version.insert().values(version=n, applied_at=dt.datetime(2026, 1, 1)))
        tables.data_version.drop(conn)  # create_all in migration 1 made it; schema 3 had none
        at = dt.datetime(2026, 1, 2)
        for action, outcome in (("submit", "ok"), ("review.approve", "ok"), ("auth.login", "ok"), ("submit", "denied")):
            conn.execute(tables.audit.insert().values(at=at, action=action, outcome=outcome))
    engine.dispose()
    store = open_store(url)
    try:
        assert store.data_version() == 2  # the approval's audit id; the login and the refusal after it are not changes
        storekit.enrol(store, OPERATOR)
        assert store.data_version() == 3
    finally:
        store.close()
