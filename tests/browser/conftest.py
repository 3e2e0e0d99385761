"""A real Streamlit server and Debian's chromium, driven by Playwright for Python.

The server (`streamlit run dashboard.py`) runs once per test session on a free loopback port in
8640–8699 with its own temporary store, seeded from sample_data/ as on a first start. Chromium is the
system package (`shutil.which("chromium")`): no browser is ever downloaded. Without chromium or
Playwright the tests skip with a reason naming chromium, which `.ci/run` (KESBANG_REQUIRE_CHROMIUM=1)
turns into a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kesbang.devtools.page_load import FORM_PAGES, stop, wait_healthy
from kesbang.devtools.ports import free_port
from tests.app_router import dashboard_pages

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PORTS = range(8640, 8700)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 120
# Under a loaded 2-core machine the first run of a page imports pandas/plotly and reads the store.
PAGE_TIMEOUT_MS = 90_000


# Pages whose job is a form, a working list or a download, not a chart: they must render without error but
# draw none (one list with the page-load benchmark, which times them to their title instead).
NO_CHART_PAGES = FORM_PAGES


def navigation_pages() -> list[tuple[str, str]]:
    """(page file, url slug) for every page in dashboard.PAGES, read without running the router."""
    return [(path, slug) for path, slug, _icon in dashboard_pages()]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if not path:
        pytest.skip("chromium not found on PATH: install Debian's package (apt-get install -y chromium)")
    return path


@dataclass(frozen=True)
class App:
    url: str            # http://127.0.0.1:<port>
    database_url: str   # the server's store, for checking what was (not) stored


@pytest.fixture(scope="session")
def app_url(app) -> str:
    return app.url


@contextlib.contextmanager
def running_app(data_dir: Path, log_name: str = "streamlit.log", **settings: str):
    """`streamlit run dashboard.py` on a free port with its own store in `data_dir`; stopped on exit.
    `settings` override the environment (e.g. KESBANG_DATABASE_URL to share another server's store)."""
    port = free_port(PORTS)
    env = {**os.environ,
           "KESBANG_DATA_DIR": str(data_dir),
           "KESBANG_DATABASE_URL": f"sqlite:///{data_dir / 'kesbang.sqlite3'}",
           "KESBANG_SECRETS": str(data_dir / "no-secrets.toml"),
           "KESBANG_SEED_SAMPLE": "1",
           "KESBANG_PUBLIC_READ": "1",
           **settings}
    env.pop("KESBANG_DEMO_PASSWORD", None)  # the demo accounts get the documented password
    log = open(data_dir / log_name, "wb")  # noqa: SIM115 - closed after the server stops
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         # other people's edits to the checkout must not rerun the app in the middle of a test
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, START_TIMEOUT_S)
        yield App(url, env["KESBANG_DATABASE_URL"])
    finally:
        stop(proc)
        log.close()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / log_name).write_text((data_dir / log_name).read_text(errors="replace"))


@pytest.fixture(scope="session")
def app(tmp_path_factory, chromium_path) -> App:
    """The dashboard shared by the browser tests, with its own temporary store (stopped at session end)."""
    with running_app(tmp_path_factory.mktemp("browser-store")) as running:
        yield running


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright for Python is not installed, so chromium cannot be driven")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="id-ID",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    yield page
    context.close()


def wait_idle(page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished running the script (the 'running' status widget is gone)."""
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelector('[data-testid=\"stMainBlockContainer\"]')?.innerText.trim().length > 0",
        timeout=timeout_ms)
    page.wait_for_timeout(300)  # a rerun triggered by the first run (query params, seeding) may follow
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=timeout_ms)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def exception_text(page) -> str:
    """Text of every error the viewer sees: Streamlit's exception boxes and the router's error notice."""
    from kesbang import i18n

    boxes = page.locator('[data-testid="stException"]')
    found = [boxes.nth(i).inner_text() for i in range(boxes.count())]
    body = page.locator("body").inner_text()
    notices = {i18n.t("app.error_generic", lang) for lang in i18n.LANGUAGES}
    found += [notice for notice in notices if notice in body]
    return "\n".join(found)
