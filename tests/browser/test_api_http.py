"""The open-data API, /healthz and /metrics over real HTTP from `streamlit run dashboard.py` (the st.App),
beside the pages of the same process.

The shared server seeds the sample province: 2025 approved everywhere, 2026 submitted or returned, so
2025 is published and 2026 is not. A second server with `public_read=0` refuses anonymous callers.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request

from kesbang.store import open_store
from tests.browser.conftest import running_app, wait_idle


def get(url: str):
    """(status, headers looked up case-insensitively, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - loopback test server
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def samples(metrics_text: str) -> dict[str, float]:
    return {name: float(value) for name, value in
            (line.rsplit(" ", 1) for line in metrics_text.splitlines() if line and not line.startswith("#"))}


def test_health_and_the_approved_rows_come_from_the_store_the_pages_read(app):
    status, headers, body = get(f"{app.url}/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok", "store": "ok"})

    status, headers, body = get(f"{app.url}/api/v1/capaian?provinsi=62&tahun=2025&wilayah=62.02")
    assert status == 200 and headers["content-type"].startswith("application/json")
    rows = json.loads(body)["data"]
    store = open_store(app.database_url)
    try:
        ds = store.dataset(province="62", years=[2025])
    finally:
        store.close()
    stored = ds.indicators[ds.indicators["region"] == "62.02"]
    assert sorted(r["kode_indikator"] for r in rows) == sorted(stored["kode_indikator"])
    assert {(r["kode_wilayah"], r["nama_wilayah"], r["versi"]) for r in rows} == {("62.02", "Kotawaringin Timur", 1)}
    assert all(r["kategori"] in {"ST", "T", "S", "R", "SR", None} for r in rows)

    # 2026 is in the store (submitted or returned, never approved) and so in the pages, but not published
    status, _, body = get(f"{app.url}/api/v1/capaian?provinsi=62&tahun=2026")
    assert status == 200 and json.loads(body)["data"] == []

    status, headers, body = get(f"{app.url}/api/v1/paskibraka?provinsi=62&tahun=2025&wilayah=62.02&format=csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    stages = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert stages and stages[0]["tahap"] == "sekolah" and {s["kode_wilayah"] for s in stages} == {"62.02"}


def test_a_bad_parameter_is_a_plain_400_and_the_document_is_served(app):
    status, headers, body = get(f"{app.url}/api/v1/capaian?provinsi=62&tahun=abc")
    error = json.loads(body)["error"]
    assert status == 400 and error["parameter"] == "tahun" and "Traceback" not in body.decode()
    status, _, body = get(f"{app.url}/api/v1/openapi.json")
    assert status == 200 and "/api/v1/capaian" in json.loads(body)["paths"]


def test_metrics_count_api_requests_and_the_browser_sessions(app, page):
    get(f"{app.url}/api/v1/wilayah?provinsi=64")
    page.goto(f"{app.url}/bandingkan")
    wait_idle(page)  # a real browser session on a deep link, through the router
    assert page.locator('[data-testid="stSidebar"]').count() == 1
    status, headers, body = get(f"{app.url}/metrics")
    assert status == 200 and headers["content-type"].startswith("text/plain; version=0.0.4")
    text = body.decode()
    found = samples(text)
    assert found['kesbang_api_requests_total{route="/api/v1/wilayah",status="200"}'] >= 1
    assert found["kesbang_active_sessions"] >= 1
    assert "# TYPE kesbang_uploads_total counter" in text and "# TYPE kesbang_page_errors_total counter" in text


def test_closed_reading_answers_anonymous_callers_401(tmp_path, chromium_path):
    with running_app(tmp_path, "streamlit-closed.log", KESBANG_PUBLIC_READ="0") as closed:
        status, headers, body = get(f"{closed.url}/api/v1/capaian?provinsi=62&tahun=2025")
        assert status == 401 and headers["WWW-Authenticate"].startswith("Basic")
        assert json.loads(body)["error"]["code"] == "api.unauthorised"
        status, _, _ = get(f"{closed.url}/healthz")
        assert status == 200
        # one JSON line per request on the server's log (stderr)
        lines = [json.loads(line) for line in (tmp_path / "streamlit-closed.log").read_text().splitlines()
                 if line.startswith('{"ts"')]
        assert [(r["route"], r["status"]) for r in lines if r["event"] == "api_request"] == [
            ("/api/v1/capaian", 401), ("/healthz", 200)]
