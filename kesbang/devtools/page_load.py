"""What a user waits for in the browser: full page load to the first chart, against bare Streamlit.

A bare Streamlit page drawing one plotly chart (`BARE_PAGE`, served from its own folder) is the yardstick:
no app can load faster than Streamlit itself. Every dashboard page is opened as a shared link is (a new
browser context, so no cache, no cookies, a new Streamlit session) and timed until its first plotly chart
is visible, or for a form page until its title is; bare and dashboard loads are interleaved round by round,
so a noisy machine slows both alike, and the ratio of medians is the figure. In-session navigation is a
click on the sidebar link of each page from an open session, timed the same way.

Both servers are real `streamlit run` processes; the browser is Debian's chromium through Playwright.
"""

from __future__ import annotations

import ast
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from kesbang.devtools.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8670, 8690)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Pages whose job is a form, a working list (Peringatan Dini: lagging pairs and their follow-ups) or a
# download (Paket Rakor): they draw no chart and are timed to their title.
FORM_PAGES = frozenset({"masuk", "unggah", "tinjauan", "peringatan", "rakor"})
BARE_PAGE = ROOT / "ui" / "bare_page.py"  # a script served alone, never imported here
CHART = ".js-plotly-plot"
TITLE = '[data-testid="stMainBlockContainer"] h1'


def dashboard_pages() -> list[tuple[str, str]]:
    """(page file, url slug) of every page in dashboard.PAGES, read without running the router."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets):
            return [(path, slug) for pages in ast.literal_eval(node.value).values() for path, slug, _ in pages]
    return []


def wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float) -> None:
    """Until Streamlit's health route at `url` answers 200; RuntimeError if the process exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode} before becoming healthy")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:  # noqa: S310 - loopback
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit not healthy at {url} after {timeout_s:.0f} s")


@contextlib.contextmanager
def serve(script: Path, env: dict, prelude: str = "", timeout_s: float = 180) -> Iterator[str]:
    """`streamlit run script` on a free loopback port until the block ends; yields its base URL.
    `prelude` is Python run in the server process first (the bench registers its synthetic regions)."""
    port = free_port(PORTS)
    first = f"{prelude}; " if prelude else ""
    # the server is another process: this package never loads Streamlit itself
    code = (f"import runpy, sys; {first}sys.argv = ['streamlit', 'run', {str(script)!r}, "
            f" '--server.headless', 'true', '--server.port', '{port}', "
            "'--server.address', '127.0.0.1', '--browser.gatherUsageStats', 'false']; "
            "runpy.run_module('streamlit', run_name='__main__')")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=script.parent, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc, timeout_s)
        yield base
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _visible(page, slug: str | None, timeout_ms: float) -> None:
    page.locator(TITLE if slug in FORM_PAGES else CHART).first.wait_for(state="visible", timeout=timeout_ms)


def full_load_ms(browser, url: str, slug: str | None, timeout_ms: float = 120_000) -> float:
    """A shared link opened in a new browser context: ms until the first chart (or a form's title)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url)
        _visible(page, slug, timeout_ms)
        return (time.perf_counter() - start) * 1000
    finally:
        context.close()


def navigation_ms(browser, base: str, slugs: list[str], timeout_ms: float = 120_000) -> dict[str, float]:
    """From an open session on the first page, a click on each page's sidebar link: ms to its chart."""
    context = browser.new_context()
    out: dict[str, float] = {}
    try:
        page = context.new_page()
        page.goto(f"{base}/{slugs[0]}")
        _visible(page, slugs[0], timeout_ms)
        for slug in slugs[1:]:
            link = page.locator(f'a[data-testid="stSidebarNavLink"][href$="/{slug}"]').first
            before = page.locator(TITLE).first.inner_text()
            start = time.perf_counter()
            link.click()
            # the previous page stays on screen until the new one draws: wait for the new title first
            page.wait_for_function("([sel, old]) => { const h = document.querySelector(sel);"
                                   " return h && h.innerText !== old; }", arg=[TITLE, before], timeout=timeout_ms)
            _visible(page, slug, timeout_ms)
            out[slug] = round((time.perf_counter() - start) * 1000)
    finally:
        context.close()
    return out


def bench_page_load(app_env: dict, prelude: str = "", rounds: int = 3) -> dict:
    """Median full load per page and of the bare page (interleaved rounds), their ratios, and in-session
    navigation per page. `app_env` points the dashboard at the bench's store."""
    chromium = shutil.which("chromium")
    if not chromium:
        return {"missing": "chromium not found on PATH"}
    from playwright.sync_api import sync_playwright

    pages = [slug for _path, slug in dashboard_pages()]
    with tempfile.TemporaryDirectory(prefix="kesbang-bare-") as folder:
        bare_script = Path(folder) / "bare.py"
        bare_script.write_text(BARE_PAGE.read_text(encoding="utf-8"), encoding="utf-8")
        with serve(bare_script, {}) as bare, serve(ROOT / "dashboard.py", app_env, prelude) as app, \
                sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            full_load_ms(browser, bare, None)  # each server's first run imports and warms its caches
            for slug in pages:
                full_load_ms(browser, f"{app}/{slug}", slug)
            times: dict[str, list[float]] = {"bare": [], **{slug: [] for slug in pages}}
            for _ in range(rounds):
                for slug in pages:
                    times["bare"].append(full_load_ms(browser, bare, None))
                    times[slug].append(full_load_ms(browser, f"{app}/{slug}", slug))
            navigation = navigation_ms(browser, app, pages)
            browser.close()
    medians = {k: round(statistics.median(v)) for k, v in times.items()}
    bare_ms = medians.pop("bare")
    return {"bare_ms": bare_ms, "pages_ms": medians,
            "ratio": {slug: round(ms / bare_ms, 2) for slug, ms in medians.items()},
            "navigation_ms": navigation, "rounds": rounds}
