"""The deployment of deploy/README.md in real chromium: two app processes on one fresh PostgreSQL behind nginx.

nginx runs the shipped deploy/nginx.conf (rendered for loopback ports and a test certificate by
`kesbang.devtools.cluster`, which also names the serving process in a response header and logs each
request's route). Both processes start at once on the empty database, as a first deployment does, and
store the sample once. Browsers (one context each, as separate people) spread over both processes, every
request of one browser, its WebSocket included, reaches the same process, and a version approved from the
command line shows in pages served by either process on their next run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from kesbang import i18n, settings
from kesbang.devtools import cluster
from kesbang.store import open_store, tables
from tests.browser.conftest import ARTIFACTS, ROOT, exception_text, shot, wait_idle

pytestmark = pytest.mark.browser

YEAR = 2026
BROWSERS = 16          # first requests hashed over 2 processes: all on one would be a 1 in 2**15 chance
SHOWS_WITHIN_S = 10.0  # "within a few seconds": each process reads the store's data version on every run
HEADER = cluster.UPSTREAM_HEADER.lower()


def T(key: str, **params) -> str:  # noqa: N802 - mirrors ui.state.T; the browsers run in Indonesian
    return i18n.t(key, "id", **params)


@pytest.fixture
def deployment(tmp_path, pg_url, chromium_path):
    if not cluster.nginx_path():
        pytest.skip("nginx not found: install Debian's package (apt-get install -y nginx)")
    if not shutil.which("openssl"):
        pytest.skip("openssl not found: the nginx deployment test makes its certificate with it")
    data_dir = tmp_path / "app-data"
    data_dir.mkdir()
    env = {"KESBANG_DATABASE_URL": pg_url, "KESBANG_DATA_DIR": str(data_dir), "KESBANG_SEED_SAMPLE": "1",
           "KESBANG_PUBLIC_READ": "1", "KESBANG_SECRETS": str(data_dir / "no-secrets.toml")}
    workdir = tmp_path / "deploy"
    try:
        with cluster.running(2, workdir, env) as running:
            yield running, pg_url
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for log in [*workdir.glob("app-*.log"), *workdir.glob("nginx/*.log")]:
            (ARTIFACTS / f"deploy-{log.name}").write_text(log.read_text(errors="replace"))


def submitted_region(pg_url: str) -> tuple[str, str]:
    """(province, region) of a sample report of YEAR waiting for review (neither approved nor returned)."""
    store = open_store(pg_url)
    try:
        subs = store.dataset().submissions
        with store.engine.connect() as conn:
            versions = conn.execute(select(func.count()).select_from(tables.submissions)).scalar()
    finally:
        store.close()
    sample = [p for p in settings.SAMPLE_DIR.glob("*.xlsx") if not p.name.startswith("rpjmd_")]
    assert versions == len(subs) == len(sample), "two processes starting at once store the sample once"
    waiting = subs[(subs["year"] == YEAR) & subs["status"].fillna("submitted").eq("submitted")]
    assert not waiting.empty, "the sample holds reports waiting for review"
    first = waiting.sort_values("region").iloc[0]
    return str(first["province"]), str(first["region"])


def report_status(page) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=T("profil.score.status"))
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_two_processes_behind_nginx_spread_stick_and_agree(browser, deployment):
    running, pg_url = deployment
    processes = {app.address for app in running.apps}

    # --- each browser's first answer picks a process; every later request of that browser goes there ---
    contexts, served_by = [], {}
    for n in range(BROWSERS):
        context = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="id-ID",
                                      ignore_https_errors=True)
        contexts.append(context)
        first = context.request.get(f"{running.url}/")
        assert first.ok and "kesbang_route=" in first.headers.get("set-cookie", "")
        served_by[n] = first.headers[HEADER]
        for path in ("/", "/ringkasan", "/_stcore/health", "/_stcore/host-config"):
            later = context.request.get(f"{running.url}{path}")
            assert later.headers[HEADER] == served_by[n], (n, path)
            assert "kesbang_route=" not in later.headers.get("set-cookie", "")  # set once, then kept
    assert set(served_by.values()) == processes, served_by

    # --- a page drawn by each process, one browser each: the first runs store the sample once, and a
    # regency's profile shows the same report in both ---
    pages = {}
    for process in sorted(processes):
        n = next(n for n, p in served_by.items() if p == process)
        page = contexts[n].new_page()
        page.set_default_timeout(90_000)
        assert page.goto(f"{running.url}/").headers[HEADER] == process
        page.locator(".js-plotly-plot").first.wait_for(state="visible")  # after the first start's progress
        wait_idle(page)
        assert exception_text(page) == ""
        pages[process] = page
    province, region = submitted_region(pg_url)
    profile = f"{running.url}/profil_wilayah?provinsi={province}&tahun={YEAR}&kab={region}"
    for process, page in pages.items():
        assert page.goto(profile).headers[HEADER] == process
        wait_idle(page)
        page.locator(".js-plotly-plot").first.wait_for(state="visible")
        assert report_status(page) == T("store.status.submitted")
        assert exception_text(page) == ""
    shot(next(iter(pages.values())), "deploy-1-before-approval")

    # --- Bappeda approves from the command line; each process shows it on the page's next run ---
    cli = subprocess.run(
        [sys.executable, "-m", "kesbang", "review", "approve", "--as", "reviewer", "--region", region,
         "--year", str(YEAR), "--comment", "Disetujui dalam uji penerapan.", "--db", pg_url],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    approved_at = time.monotonic()
    for process, page in pages.items():
        while True:
            response = page.reload()
            assert response.headers[HEADER] == process  # a reload stays with its process
            wait_idle(page)
            if report_status(page) == T("store.status.approved"):
                break
            assert time.monotonic() - approved_at < SHOWS_WITHIN_S, f"{process} still shows the old status"
        assert exception_text(page) == ""
    shot(next(iter(pages.values())), "deploy-2-after-approval")
    routes = {c["value"]: served_by[n] for n, context in enumerate(contexts)
              for c in context.cookies() if c["name"] == "kesbang_route"}
    assert len(routes) == BROWSERS
    for context in contexts:
        context.close()  # nginx logs a WebSocket when it closes

    # --- nginx's log: every request of a browser, its WebSockets included, went to that browser's process ---
    deadline = time.monotonic() + 10
    while True:
        logged = [r for r in running.routes() if r.route in routes]
        sockets = [r for r in logged if r.uri == "/_stcore/stream"]
        if len({r.route for r in sockets}) == len(pages) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len({r.route for r in sockets}) == len(pages) and all(r.status == 101 for r in sockets), sockets
    assert {r.upstream for r in sockets} == processes
    strays = [r for r in logged if r.upstream != routes[r.route]]
    assert not strays, strays
