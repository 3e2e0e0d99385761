"""The open-data API (`ui/api.py`) on a real SQLite store: the routes against their own OpenAPI document
(schemathesis), and values checked by hand against what was stored and reviewed.

Only approved versions are published: a returned, a pending and a reopened region-year are in the store
but never in an answer. `public_read=0` closes the API to anonymous callers (401) and a dashboard
account opens it again (HTTP Basic, checked by the store); CSV text never becomes a formula.
"""

from __future__ import annotations

import base64
import csv
import io

import pytest
import schemathesis
import storekit
from hypothesis import HealthCheck, given, settings
from schemathesis.python.asgi import get_client
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.applications import Starlette

from kesbang.auth import User
from kesbang.store import open_store
from ui.api import api_routes

OPERATORS = {code: User(f"operator.{code}", "operator", code) for code in ("62.02", "62.03", "62.04", "62.05")}
REVIEWER = User("reviewer", "reviewer")
PASSWORD = "kata-sandi-uji-xxxx"  # storekit.enrol's password
HOSTILE = '=HYPERLINK("http://evil.example/","klik")'


def _submit(store, code: str, year: int = 2026, seed: int = 0, hostile: bool = False):
    result, data, name = storekit.upload(code, year, seed)
    if hostile:
        result.submission.indikator.loc[0, "indikator"] = HOSTILE
    out = store.submit(OPERATORS[code], result, data, name)
    assert out.status == "stored", out
    return out


def _review(store, code: str, action: str, year: int = 2026, comment: str | None = None):
    out = store.review_version(REVIEWER, code, year, action, comment)
    assert out.ok, out


@pytest.fixture
def app(isolated_store):
    """The API routes over a store holding: 62.02 approved, 62.03 returned, 62.04 pending, 62.05 approved
    and then reopened with a new pending version."""
    store = open_store()
    storekit.enrol(store, REVIEWER, *OPERATORS.values())
    _submit(store, "62.02", hostile=True)
    _review(store, "62.02", "approve")
    _submit(store, "62.03")
    _review(store, "62.03", "return", comment="Lengkapi data dukung")
    _submit(store, "62.04")
    _submit(store, "62.05")
    _review(store, "62.05", "approve")
    _review(store, "62.05", "reopen", comment="Salah ketik target")
    _submit(store, "62.05", seed=1)
    store.close()
    return Starlette(routes=api_routes())


@pytest.fixture
def client(app):
    with get_client(app) as c:
        yield c


def _operations(app) -> dict[str, object]:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    return {op.path: op for op in (result.ok() for result in schema.get_all_operations())}


def test_the_document_describes_every_route(app, client):
    routes = {r.path for r in api_routes()} - {"/api/{rest:path}"}  # the JSON 404 for anything else
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.") and set(document["paths"]) == routes
    # schemathesis leaves out the document's own path; every other route is generated against below
    assert set(_operations(app)) == routes - {"/api/v1/openapi.json"}


def test_an_unknown_address_under_the_api_is_a_json_404_naming_the_resources(client):
    response = client.get("/api/v1/capaian.xlsx")
    assert response.status_code == 404 and "/api/v1/capaian" in response.json()["error"]["pesan"]


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
def test_every_route_answers_as_its_document_says(app, mode):
    """schemathesis' checks on generated queries: no server error, only documented statuses, content types
    and headers, bodies matching their schema; queries that break the document are refused (negative)."""
    for path, operation in _operations(app).items():
        if mode == schemathesis.GenerationMode.NEGATIVE and path in ("/healthz", "/metrics"):
            continue  # no parameters: nothing to break
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            # a region and a province can each be valid and still not belong together (62.02 is not in 64):
            # the document cannot say so, and the API answers 400, so that one check is left to the tests below
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()


def test_achievement_rows_are_the_approved_regency_only_with_the_stored_values(client):
    body = client.get("/api/v1/capaian?provinsi=62&tahun=2026").json()
    assert body["meta"] == {"sumber": "capaian", "hanya_disetujui": True, "sd_tw": 3, "provinsi": "62",
                            "tahun": 2026, "wilayah": None, "jumlah": 6}
    assert {row["kode_wilayah"] for row in body["data"]} == {"62.02"}
    assert client.get("/api/v1/wilayah").headers["access-control-allow-origin"] == "*"  # open data, any site
    ik02 = next(row for row in body["data"] if row["kode_indikator"] == "IK-02")
    # target 110, 16.5 a quarter, summed s.d. TW III (the report's period): 49.5 -> 45 % -> Sangat Rendah
    assert (ik02["nama_wilayah"], ik02["versi"], ik02["periode"]) == ("Kotawaringin Timur", 1, "TW III")
    assert (ik02["target"], ik02["realisasi"], ik02["kategori"], ik02["rumus"]) == ("110", 49.5, "SR", "positive")
    assert ik02["capaian"] == pytest.approx(45.0)
    half_year = client.get("/api/v1/capaian?provinsi=62&tahun=2026&tw=2&wilayah=62.02").json()
    ik02 = next(row for row in half_year["data"] if row["kode_indikator"] == "IK-02")
    assert (half_year["meta"]["sd_tw"], ik02["sd_tw"], ik02["realisasi"]) == (2, 2, 33.0)
    assert ik02["capaian"] == pytest.approx(30.0)


@pytest.mark.parametrize("code", ["62.03", "62.04", "62.05"])
def test_returned_pending_and_reopened_versions_are_not_published(client, code):
    for resource in ("capaian", "paskibraka", "program-nilai"):
        body = client.get(f"/api/v1/{resource}?provinsi=62&tahun=2026&wilayah={code}").json()
        assert (body["meta"]["jumlah"], body["data"]) == (0, [])


def test_paskibraka_stages_and_values_activities_of_the_approved_version(client):
    stages = client.get("/api/v1/paskibraka?provinsi=62&tahun=2026").json()["data"]
    assert [s["tahap"] for s in stages] == ["sekolah", "pendaftar", "lulus_kesehatan", "ditetapkan",
                                            "dikirim_provinsi", "dikukuhkan"]
    pendaftar = stages[1]
    assert (pendaftar["putra"], pendaftar["putri"], pendaftar["jumlah"]) == (200, 198, 398)
    assert (pendaftar["nama_tahap"], pendaftar["realisasi_mulai"]) == ("Pendaftar", "2026-03-03")
    activities = client.get("/api/v1/program-nilai?provinsi=62&tahun=2026&wilayah=62.02").json()["data"]
    assert [a["peserta"] for a in activities] == [40, 41, 42]
    assert activities[0]["tanggal"] == "2026-04-01" and "narasi" not in activities[0]


def test_regions_list_every_regency_of_the_province_with_both_codes(client):
    rows = client.get("/api/v1/wilayah?provinsi=62").json()["data"]
    assert len(rows) == 14
    katingan = next(r for r in rows if r["nama_wilayah"] == "Katingan")
    assert (katingan["kode_wilayah"], katingan["kode_bps"], katingan["nama_provinsi"]) == (
        "62.06", "6209", "Kalimantan Tengah")


def test_csv_gives_the_same_rows_and_formula_text_stays_text(client):
    as_json = client.get("/api/v1/capaian?provinsi=62&tahun=2026").json()["data"]
    response = client.get("/api/v1/capaian?provinsi=62&tahun=2026&format=csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="capaian_62_2026.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["kode_indikator"] for r in rows] == [r["kode_indikator"] for r in as_json]
    assert "'" + HOSTILE in {r["nama_indikator"] for r in rows}  # the OWASP apostrophe: never a live formula
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


@pytest.mark.parametrize(("query", "parameter", "pesan"), [
    ("provinsi=62", "tahun", "Parameter tahun wajib diisi."),
    ("provinsi=99&tahun=2026", "provinsi", "Provinsi 99 tidak dikenal"),
    ("provinsi=62&tahun=dua-ribu", "tahun", "harus bilangan bulat dari 2000 sampai 2100"),
    ("provinsi=62&tahun=2026&tw=5", "tw", "harus bilangan bulat dari 1 sampai 4"),
    ("provinsi=62&tahun=2026&wilayah=64.08", "wilayah", "tidak berada di provinsi 62"),
    ("provinsi=62&tahun=2026&format=xlsx", "format", "Format xlsx tidak tersedia"),
    ("provinsi=62&tahun=2026&tahu=2025", "tahu", "Parameter tahu tidak dikenal"),
    ("provinsi=62&tahun=2026&tahun=2025", "tahun", "lebih dari sekali"),
])
def test_a_bad_parameter_is_a_400_in_both_languages_never_a_traceback(client, query, parameter, pesan):
    response = client.get(f"/api/v1/capaian?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["parameter"] == parameter and pesan in error["pesan"]
    assert error["message"] and error["message"] != error["pesan"] and "Traceback" not in response.text


def test_closed_reading_asks_anonymous_callers_for_an_account(client, monkeypatch):
    monkeypatch.setenv("KESBANG_PUBLIC_READ", "0")
    for path in ("/api/v1/wilayah", "/api/v1/capaian?provinsi=62&tahun=2026",
                 "/api/v1/paskibraka?provinsi=62&tahun=2026"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"].startswith("Basic")
        assert response.json()["error"]["code"] == "api.unauthorised"
    wrong = base64.b64encode(b"reviewer:salah").decode()
    assert client.get("/api/v1/wilayah", headers={"Authorization": f"Basic {wrong}"}).status_code == 401
    right = base64.b64encode(f"reviewer:{PASSWORD}".encode()).decode()
    response = client.get("/api/v1/capaian?provinsi=62&tahun=2026", headers={"Authorization": f"Basic {right}"})
    assert response.status_code == 200 and response.json()["meta"]["jumlah"] == 6
    assert "access-control-allow-origin" not in response.headers  # never readable cross-site with credentials
    audit = open_store().audit()
    assert {"auth.login_failed", "auth.login_ok"} <= set(audit["message_id"])
    # the description and the operations routes stay open (a load balancer has no account)
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "store": "ok"}


def test_health_says_503_when_the_store_does_not_answer(isolated_store, monkeypatch, tmp_path):
    monkeypatch.setenv("KESBANG_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    with get_client(Starlette(routes=api_routes())) as c:
        response = c.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


def test_metrics_count_requests_by_route_and_status_in_prometheus_text(client):
    client.get("/api/v1/capaian?provinsi=62&tahun=2026")
    client.get("/api/v1/capaian?provinsi=99&tahun=2026")
    text = client.get("/metrics").text
    assert "# TYPE kesbang_api_requests_total counter" in text
    samples = dict(line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
    assert int(samples['kesbang_api_requests_total{route="/api/v1/capaian",status="200"}']) >= 1
    assert int(samples['kesbang_api_requests_total{route="/api/v1/capaian",status="400"}']) >= 1
    assert "# TYPE kesbang_uploads_total counter" in text and "# TYPE kesbang_page_errors_total counter" in text


def test_a_failure_inside_is_a_plain_500_without_details(isolated_store, monkeypatch):
    monkeypatch.setenv("KESBANG_DATABASE_URL", "postgresql://nobody:rahasia-sekali@127.0.0.1:1/none")
    with get_client(Starlette(routes=api_routes())) as c:
        response = c.get("/api/v1/capaian?provinsi=62&tahun=2026")
    assert response.status_code == 500 and response.json()["error"]["code"] == "api.failed"
    for leak in ("Traceback", "psycopg", "rahasia-sekali", "127.0.0.1"):
        assert leak not in response.text


def test_an_approval_is_published_at_the_next_request(client):
    assert client.get("/api/v1/capaian?provinsi=62&tahun=2026&wilayah=62.04").json()["data"] == []
    store = open_store()
    try:
        _review(store, "62.04", "approve")
    finally:
        store.close()
    rows = client.get("/api/v1/capaian?provinsi=62&tahun=2026&wilayah=62.04").json()["data"]
    assert len(rows) == 6 and {r["kode_wilayah"] for r in rows} == {"62.04"}
