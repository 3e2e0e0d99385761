"""What `/metrics` counts from the pages (ui/counters.py), through the router as a server runs them:
a page that fails behind the router's error boundary, and upload outcomes counted once per file (not once
per rerun), on a real SQLite store and real sample workbooks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import storekit
from streamlit.testing.v1 import AppTest

from kesbang import i18n, settings
from kesbang.store import open_store
from ui import counters

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
TIMEOUT = 60
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.usefixtures("through_the_router")


def total(family: str) -> float:
    """The sum of a family's samples as /metrics shows them."""
    return sum(float(line.rsplit(" ", 1)[1]) for line in counters.render().splitlines()
               if line.startswith(family + "{"))


def test_a_page_failing_behind_the_router_is_counted(monkeypatch):
    import streamlit as st

    monkeypatch.setenv("KESBANG_PUBLIC_READ", "1")
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    before = total("kesbang_page_errors_total")
    monkeypatch.setenv("KESBANG_DATABASE_URL", "sqlite:////nonexistent-dir-counters/sub/kesbang.sqlite3")
    st.cache_resource.clear()
    st.cache_data.clear()
    at.switch_page("pages/ringkasan.py")
    at.run()
    assert i18n.t("app.error_generic", "id") in [e.value for e in at.error]
    assert total("kesbang_page_errors_total") == before + 1


@pytest.fixture
def store(tmp_path_factory, isolated_store, monkeypatch):
    s = open_store()
    storekit.seed_samples(s, tmp_path_factory, ["rpjmd_62.xlsx", "62.02_2025.xlsx"])
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    yield s
    s.close()


def upload_page(name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["auth_user"] = {"username": "operator.62.02"}
    at.run()
    at.switch_page("pages/unggah.py")
    at.run()
    at.file_uploader(key="unggah_file").upload(name, data, XLSX)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_uploads_are_counted_by_outcome_once_per_file(store, monkeypatch):
    monkeypatch.setenv("KESBANG_MAX_UPLOAD_MB", "1")
    too_big = counters.value("kesbang_uploads_total", outcome="too_big")
    at = upload_page("besar.xlsx", b"PK" + b"\0" * (1024 * 1024 + 10))
    at.run()  # a rerun with the same file in the uploader
    assert counters.value("kesbang_uploads_total", outcome="too_big") == too_big + 1

    monkeypatch.setenv("KESBANG_MAX_UPLOAD_MB", "10")
    invalid = counters.value("kesbang_uploads_total", outcome="invalid")
    at = upload_page("bukan.xlsx", b"PK\x03\x04 this is not a zip at all" * 10)
    at.run()
    assert counters.value("kesbang_uploads_total", outcome="invalid") == invalid + 1

    stored = counters.value("kesbang_uploads_total", outcome="stored")
    at = upload_page("62.02_2026.xlsx", (settings.SAMPLE_DIR / "62.02_2026.xlsx").read_bytes())
    at.button(key="unggah_submit").click()
    at.run()
    assert counters.value("kesbang_uploads_total", outcome="stored") == stored + 1
    assert store.history("62.02", 2026)["version"].tolist() == [1]
