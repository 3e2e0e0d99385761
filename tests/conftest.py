"""Shared fixtures: every test gets its own data directory and SQLite store; PostgreSQL and the browser
skip loudly when absent, and CI (`.ci/run`) turns those skips into failures.

- autouse `isolated_store`: KESBANG_DATA_DIR / KESBANG_DATABASE_URL point into the test's tmp dir, and a
  developer's `.streamlit/secrets.toml` is ignored (KESBANG_SECRETS points at a file that does not exist).
- autouse `clear_streamlit_caches`: `st.cache_data` / `st.cache_resource` survive between AppTests in one
  process, so a page would otherwise read the previous test's store.
- `pg_url`: a fresh PostgreSQL database per test (created and dropped here), skipping when no server answers.
- KESBANG_REQUIRE_CHROMIUM=1 / _POSTGRES=1 / _NGINX=1 / _POPPLER=1: a skip whose reason
  names chromium / PostgreSQL / nginx / poppler is reported as a failure, so CI can never pass by skipping what it is
  meant to test.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests: no wall-clock deadline (the machine is shared) and, in CI, a fixed example order so a
# run is repeatable; locally they keep exploring new examples.
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"

# skip reason word -> env flag that makes such a skip a failure
_REQUIRED = {"chromium": "KESBANG_REQUIRE_CHROMIUM", "postgresql": "KESBANG_REQUIRE_POSTGRES",
             "nginx": "KESBANG_REQUIRE_NGINX", "poppler": "KESBANG_REQUIRE_POPPLER"}


def _clear_settings_cache() -> None:
    settings = sys.modules.get("kesbang.settings")
    if settings is not None:
        settings._secrets.cache_clear()


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    """A temporary data dir and SQLite store for this test; yields the data dir."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    monkeypatch.setenv("KESBANG_DATA_DIR", str(data_dir))
    monkeypatch.setenv("KESBANG_DATABASE_URL", f"sqlite:///{data_dir / 'kesbang.sqlite3'}")
    monkeypatch.setenv("KESBANG_SECRETS", str(tmp_path / "no-secrets.toml"))
    _clear_settings_cache()
    yield data_dir
    _clear_settings_cache()


@pytest.fixture
def through_the_router(monkeypatch):
    """Opt-in: keep AppTest on the router (dashboard.py) after `switch_page`, as a real server does, so a
    page runs behind the router's error boundary and reading gate (see tests/app_router.py)."""
    from app_router import route_through_router

    route_through_router(monkeypatch)


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    """Clear Streamlit's process-wide caches before and after each test (only if streamlit is loaded)."""
    def clear() -> None:
        st = sys.modules.get("streamlit")
        if st is not None:
            st.cache_data.clear()
            st.cache_resource.clear()

    clear()
    yield
    clear()


def _pg_admin_url() -> str:
    return os.environ.get("KESBANG_TEST_PG_URL", PG_DEFAULT)


def _pg_connect(url: str):
    import psycopg

    return psycopg.connect(url, connect_timeout=3, autocommit=True)


@pytest.fixture
def pg_url():
    """URL of a fresh, empty PostgreSQL database for this test (dropped afterwards).

    Skips with a reason naming PostgreSQL when the server at KESBANG_TEST_PG_URL does not answer.
    """
    admin = _pg_admin_url()
    try:
        conn = _pg_connect(admin)
    except Exception as exc:  # any connection failure means "no server here"
        pytest.skip(f"PostgreSQL not reachable at {admin} ({type(exc).__name__}: {exc})".strip())
    name = f"kesbang_test_{uuid.uuid4().hex[:12]}"
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with _pg_connect(admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _required_flag(reason: str) -> str | None:
    low = reason.lower()
    for word, flag in _REQUIRED.items():
        if word in low and os.environ.get(flag) == "1":
            return flag
    return None


def _fail_required_skip(report) -> None:
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = _skip_reason(report)
    flag = _required_flag(reason)
    if flag:
        report.outcome = "failed"
        report.longrepr = f"{flag}=1 but the test was skipped: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_required_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_required_skip(outcome.get_result())
