"""The benchmark's load part: regency operators uploading while viewers browse, at once, in real chromium.

The servers: several app processes on one PostgreSQL behind nginx (`kesbang.devtools.cluster`).
The store is the sample province, stored by the processes' own first start; each operator signs in as
its regency's account (`operator.<code>`, the sample set-up's accounts) and uploads a new 2026 version
of its report (the sample's, one realisation changed: `kesbang.devtools.sample` and the template
writer). The figures, each against the same action by one user alone on the same servers just before:
time from choosing the file to the validation report, and from opening a page to its first chart
(p50, p95, nearest rank), so `ratio_p95` is the load's cost. Also: versions sent and versions stored
(counted in the database), every failure, which process each browser reached, and each process's
resident memory (now and peak) after the load.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import math
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kesbang import i18n, settings
from kesbang.devtools import cluster

YEAR = 2026
CHART_PAGES = ("ringkasan", "bandingkan", "indikator", "profil_wilayah", "paskibraka", "program_nilai",
               "berdampingan", "inspirasi")
STEP_TIMEOUT_MS = 300_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
GOAL_P95_RATIO = 3.0


@dataclass(frozen=True)
class Plan:
    operators: int = 24
    viewers: int = 20
    processes: int = 2
    views_each: int = 3     # full page loads per viewer
    alone: int = 3          # uploads and page loads by one user alone, for the baseline


def T(key: str, **params) -> str:  # noqa: N802 - the browsers run in Indonesian
    return i18n.t(key, "id", **params)


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (the value below which q of the samples lie, itself a sample)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)])


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50_ms": percentile(values, 0.5), "p95_ms": percentile(values, 0.95),
            "max_ms": round(max(values)) if values else None}


def workbooks(regions: list[str], folder: Path, variant: int) -> dict[str, Path]:
    """Each region's 2026 sample report with its first realisation raised by `variant` (so every upload is a
    new version, never a duplicate of one stored before), written as the template writer does."""
    from kesbang.devtools import sample
    from kesbang.exports import template

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for region in regions:
        sub = sample.build_submission(region, YEAR)
        first = sub.indikator.index[0]
        column = "realisasi_tw3" if sub.indikator["realisasi_tw3"].notna().iloc[0] else "realisasi_tw4"
        sub.indikator.loc[first, column] = float(sub.indikator.loc[first, column] or 0) + variant
        path = folder / f"{region}_{YEAR}_v{variant}.xlsx"
        path.write_bytes(template.write_submission(sub, region, YEAR))
        out[region] = path
    return out


def stored_versions(url: str) -> int:
    from sqlalchemy import func, select

    from kesbang.store import open_store, tables

    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(tables.submissions)).scalar())
    finally:
        store.close()


def sample_regions() -> list[str]:
    """The regencies with a YEAR report in sample_data/ (what the processes' first start stores)."""
    return sorted(p.name.split("_")[0] for p in settings.SAMPLE_DIR.glob(f"*_{YEAR}.xlsx")
                  if not p.name.startswith("rpjmd_"))


# --- one browser --------------------------------------------------------------------------------------

async def _context(browser):
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID",
                                        ignore_https_errors=True)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    return context


async def _idle(page) -> None:
    await page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")


async def sign_in_to_upload(browser, url: str, username: str, password: str):
    """A new browser signed in as `username` on the upload page (reached by its own link: a reload would
    start a new, signed-out session). Returns (context, page, process that served it)."""
    context = await _context(browser)
    page = await context.new_page()
    response = await page.goto(f"{url}/masuk")
    form = page.locator('[data-testid="stForm"]')
    await form.get_by_label(T("auth_ui.username")).fill(username)
    await form.get_by_label(T("auth_ui.password")).fill(password)
    await form.get_by_role("button", name=T("auth_ui.submit")).click()
    await page.get_by_text(T("auth_ui.welcome")).wait_for()
    await _idle(page)
    await page.locator('[data-testid="stMain"]').get_by_role("link", name=T("nav.unggah")).click()
    await page.get_by_role("heading", name=T("unggah.title")).wait_for()
    await _idle(page)
    return context, page, response.headers.get(cluster.UPSTREAM_HEADER.lower(), "?")


async def upload(page, path: Path) -> tuple[float, float, str]:
    """Choose the file, wait for the validation report, submit: (ms to the report, ms to the store's
    answer, the answer: stored / refused / invalid)."""
    stored = re.compile(re.escape(T("store.stored", version="VERSION", region="REGION", year="YEAR"))
                        .replace("VERSION", r"\d+").replace("REGION", ".+").replace("YEAR", r"\d+"))
    start = time.perf_counter()
    await page.locator('input[type="file"]').set_input_files(str(path))
    await page.get_by_role("heading", name=T("unggah.step_report")).wait_for()
    submit = page.get_by_role("button", name=T("unggah.submit"))
    refused = page.get_by_text(T("unggah.nothing_stored"))
    await submit.or_(refused).first.wait_for()
    report_ms = (time.perf_counter() - start) * 1000
    if await refused.count():
        return report_ms, 0.0, "invalid"
    await _idle(page)
    start = time.perf_counter()
    await submit.click()
    answer = page.get_by_text(stored).or_(page.locator('[data-testid="stAlertContentError"]'))
    await answer.first.wait_for()
    outcome = "stored" if await page.get_by_text(stored).count() else "refused"
    return report_ms, (time.perf_counter() - start) * 1000, outcome


async def view(browser, url: str, slugs: list[str]) -> tuple[list[float], str]:
    """A new browser opening each page in turn (a full load each: a shared link, a new tab): ms from
    asking for the page to its first chart on screen, and the process that served it."""
    context = await _context(browser)
    try:
        page = await context.new_page()
        times, process = [], "?"
        for slug in slugs:
            start = time.perf_counter()
            response = await page.goto(f"{url}/{slug}")
            process = response.headers.get(cluster.UPSTREAM_HEADER.lower(), "?")
            await page.locator(".js-plotly-plot").first.wait_for(state="visible")
            times.append((time.perf_counter() - start) * 1000)
        return times, process
    finally:
        await context.close()


# --- the run ------------------------------------------------------------------------------------------

def viewer_pages(viewer: int, plan: Plan) -> list[str]:
    return [CHART_PAGES[(viewer + k) % len(CHART_PAGES)] for k in range(plan.views_each)]


def _failure(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:200]}"


async def warm_up(browser, running: cluster.Cluster, slugs: set[str]) -> None:
    """Each process's first runs (imports, the first start storing the sample, each page's figures),
    straight to the process, all processes at once, before anything is timed."""
    async def one(app: cluster.AppProcess) -> None:
        context = await _context(browser)
        try:
            page = await context.new_page()
            for slug in sorted(slugs):
                await page.goto(f"{app.url}/{slug}")
                await page.locator(".js-plotly-plot").first.wait_for(state="visible")
            await page.goto(f"{app.url}/unggah")
            await _idle(page)
        finally:
            await context.close()

    await asyncio.gather(*(one(app) for app in running.apps))


@dataclass
class Gate:
    """Holds every operator on the upload page until all have signed in, then lets them upload at once."""
    pending: set[str]
    open: asyncio.Event


async def _operator(browser, url: str, region: str, password: str, path: Path, gate: Gate | None):
    context, page, process = await sign_in_to_upload(browser, url, f"operator.{region}", password)
    try:
        if gate is not None:
            gate.pending.discard(region)
            await gate.open.wait()
        return (*await upload(page, path), process)
    finally:
        await context.close()


async def alone(browser, running: cluster.Cluster, plan: Plan, regions: list[str], password: str,
                files: dict, slugs: set[str]) -> dict:
    """The baseline: the same uploads, one operator at a time, then the same page loads, one viewer at a
    time, on a store nobody is writing to (its figures built again after the uploads, as a quiet hour has)."""
    reports = []
    for n in range(plan.alone):
        region = regions[n % len(regions)]
        report_ms, _submit_ms, _outcome, _process = await _operator(browser, running.url, region, password,
                                                                    files[region], None)
        reports.append(report_ms)
    await warm_up(browser, running, slugs)
    charts = []
    for n in range(plan.alone):
        times, _process = await view(browser, running.url, viewer_pages(n, plan))
        charts += times
    return {"validation": summary(reports), "first_chart": summary(charts)}


async def at_once(browser, url: str, plan: Plan, regions: list[str], password: str, files: dict) -> dict:
    """Every operator signs in and waits on the upload page; then all upload while every viewer browses."""
    gate = Gate(set(regions), asyncio.Event())
    operators = [asyncio.create_task(_operator(browser, url, r, password, files[r], gate)) for r in regions]
    since = time.perf_counter()
    while gate.pending and not all(task.done() for task in operators):
        await asyncio.sleep(0.1)
    signed_in_s = time.perf_counter() - since
    gate.open.set()
    viewers = [asyncio.create_task(view(browser, url, viewer_pages(v, plan))) for v in range(plan.viewers)]
    ops = await asyncio.gather(*operators, return_exceptions=True)
    views = await asyncio.gather(*viewers, return_exceptions=True)
    done_ops = [r for r in ops if not isinstance(r, BaseException)]
    done_views = [r for r in views if not isinstance(r, BaseException)]
    outcomes = [outcome for _, _, outcome, _ in done_ops]
    return {"signed_in_s": round(signed_in_s, 1),
            "validation": summary([report for report, _, _, _ in done_ops]),
            "submit": summary([took for _, took, outcome, _ in done_ops if outcome != "invalid"]),
            "first_chart": summary([t for times, _ in done_views for t in times]),
            "sent": sum(outcome != "invalid" for outcome in outcomes), "confirmed": outcomes.count("stored"),
            "failures": [_failure(r) for r in [*ops, *views] if isinstance(r, BaseException)],
            "browsers_per_process": dict(Counter([p for *_, p in done_ops] + [p for _, p in done_views]))}


def _ratio(loaded: dict, baseline: dict) -> float | None:
    if not loaded.get("p95_ms") or not baseline.get("p95_ms"):
        return None
    return round(loaded["p95_ms"] / baseline["p95_ms"], 2)


async def _measure(running: cluster.Cluster, database_url: str, plan: Plan, password: str, workdir: Path,
                   log: Callable[[str], None]) -> dict:
    from playwright.async_api import async_playwright

    url = running.url
    regions = sample_regions()[:plan.operators]
    began = time.perf_counter()

    def log_at(line: str) -> None:
        log(f"  {time.perf_counter() - began:6.1f} s  {line}")

    slugs = {slug for v in range(max(plan.viewers, plan.alone)) for slug in viewer_pages(v, plan)}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                           args=CHROMIUM_ARGS)
        try:
            log_at(f"warming {len(running.apps)} processes on {len(slugs)} pages")
            await warm_up(browser, running, slugs)
            log_at(f"one user alone: {plan.alone} uploads, then {plan.alone} viewers")
            baseline = await alone(browser, running, plan, regions, password,
                                   workbooks(regions[:plan.alone], workdir / "alone", 1), slugs)
            files = workbooks(regions, workdir / "load", 2)
            log_at(f"at once: {len(regions)} operators, {plan.viewers} viewers")
            before = stored_versions(database_url)
            cpu_before, wall_before = [app.cpu_s() for app in running.apps], time.perf_counter()
            loaded = await at_once(browser, url, plan, regions, password, files)
            wall = time.perf_counter() - wall_before
            loaded["stored"] = stored_versions(database_url) - before
            # how busy the app processes were: a share well under one core each means the wait was elsewhere
            loaded["wall_s"] = round(wall, 1)
            loaded["app_cpu_share"] = {app.address: round((app.cpu_s() - cpu) / wall, 2)
                                       for app, cpu in zip(running.apps, cpu_before)}
            log_at("done")
        finally:
            await browser.close()
    return {"alone": baseline, "at_once": loaded}


def run(database_url: str, workdir: Path, plan: Plan = Plan(), log: Callable[[str], None] = lambda s: None) -> dict:
    """The load figures on a fresh, empty database at `database_url` (the processes store the sample)."""
    from kesbang.store import DEMO_PASSWORD

    if not shutil.which("chromium"):
        return {"missing": "chromium not found on PATH"}
    if not cluster.nginx_path():
        return {"missing": "nginx not found (apt-get install -y nginx)"}
    password = DEMO_PASSWORD
    data_dir = workdir / "app-data"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {"KESBANG_DATABASE_URL": database_url, "KESBANG_DATA_DIR": str(data_dir), "KESBANG_SEED_SAMPLE": "1",
           "KESBANG_PUBLIC_READ": "1", "KESBANG_SECRETS": str(data_dir / "no-secrets.toml"),
           "KESBANG_DEMO_PASSWORD": password}
    load_avg = [round(v, 1) for v in os.getloadavg()]  # the machine's own load before this part adds any
    log(f"  starting {plan.processes} app processes and nginx")
    with cluster.running(plan.processes, workdir / "cluster", env) as running:
        # its own thread: a caller already inside an event loop (sync Playwright, as in the browser tests)
        # cannot asyncio.run on its own thread
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            out = pool.submit(asyncio.run, _measure(running, database_url, plan, password, workdir, log)).result()
        memory = {app.address: app.memory_mb() for app in running.apps}
    loaded, baseline = out["at_once"], out["alone"]
    return {"load_avg_start": load_avg, "processes": plan.processes,
            "operators": min(plan.operators, len(sample_regions())), "viewers": plan.viewers,
            "views_each": plan.views_each, **out,
            "ratio_p95": {"validation": _ratio(loaded["validation"], baseline["validation"]),
                          "first_chart": _ratio(loaded["first_chart"], baseline["first_chart"])},
            "goal_p95_ratio": GOAL_P95_RATIO, "memory": memory}
