"""The upload and review flows in a real chromium, against the demo accounts of the seeded sample store.

Operator of Kotawaringin Timur (62.02): sign in, download the pre-filled template, upload a corrected 2026
workbook, see the validation report, submit, see the new version; upload a broken file and see the clear
message with nothing stored. Reviewer: return that version with a comment. Operator again: sees it.

Navigation inside a test uses the app's own links, as a user does (test_sessions.py covers reloads and tabs).
"""

from __future__ import annotations

import re

import pytest

from kesbang import i18n
from kesbang.devtools import sample
from kesbang.exports import template
from kesbang.intake import loader
from kesbang.store import DEMO_PASSWORD, open_store
from tests.browser.conftest import exception_text, shot, wait_idle

pytestmark = pytest.mark.browser
PlaywrightTimeout = pytest.importorskip(
    "playwright.sync_api", reason="playwright for Python is not installed, so chromium cannot be driven").TimeoutError

REGION, YEAR = "62.02", 2026  # seeded as version 1, returned by the sample reviewer: open for a new version
OPERATOR = f"operator.{REGION}"
COMMENT = "Mohon periksa lagi realisasi TW III indikator pertama (uji peramban)."


def T(key: str, **params) -> str:  # noqa: N802 - mirrors ui.state.T; the browser runs in Indonesian
    return i18n.t(key, "id", **params)


def login(page, app_url: str, username: str) -> None:
    page.goto(f"{app_url}/masuk")
    wait_idle(page)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label(T("auth_ui.username")).fill(username)
    form.get_by_label(T("auth_ui.password")).fill(DEMO_PASSWORD)
    form.get_by_role("button", name=T("auth_ui.submit")).click()
    page.get_by_text(T("auth_ui.welcome")).wait_for()
    wait_idle(page)


def go(page, nav_key: str) -> None:
    """Follow the signed-in page's own link (client-side: the session, and so the login, is kept)."""
    page.locator('[data-testid="stMain"]').get_by_role("link", name=T(nav_key)).click()
    page.get_by_role("heading", name=T(f"{nav_key.split('.')[1]}.title")).wait_for()
    wait_idle(page)


def open_version(page, version: int, filename: str) -> None:
    """Pick a version in Tinjauan's list as a reviewer does: type the region to filter, click the option.

    A rerun that lands while the list is open (the page's first run can be followed by one that writes the
    filters into the URL) redraws the select box and closes the list, so a pick that did not take is made
    again. It took when the page shows that version's file name."""
    pick = page.get_by_role("combobox", name=T("tinjauan.pick"))
    label = re.compile(rf"^{re.escape(REGION)} .*{YEAR}.* {version} ")
    chosen = page.locator('[data-testid="stText"]', has_text=filename).first  # the version's meta line
    for attempt in range(3):
        try:
            pick.click(timeout=15_000)
            pick.fill(REGION)  # the list is long and drawn lazily: filter it as a reviewer would
            page.get_by_role("option", name=label).first.click(timeout=15_000)
            chosen.wait_for(timeout=15_000)
            wait_idle(page)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            wait_idle(page)


def corrected_workbook() -> bytes:
    """The sample's 2026 report for 62.02 with one realisation corrected, as the template writes it."""
    sub = sample.build_submission(REGION, YEAR)
    first = sub.indikator.index[0]
    column = "realisasi_tw3" if sub.indikator["realisasi_tw3"].notna().iloc[0] else "realisasi_tw4"
    sub.indikator.loc[first, column] = float(sub.indikator.loc[first, column] or 0) + 1
    return template.write_submission(sub, REGION, YEAR)


def versions(database_url: str) -> list[tuple[int, str]]:
    store = open_store(database_url)
    try:
        history = store.history(REGION, YEAR)
        return [(int(v), str(s)) for v, s in zip(history["version"], history["status"])]
    finally:
        store.close()


def submission_count(database_url: str) -> int:
    """Every stored version of every region-year (a refused upload must not add one)."""
    from sqlalchemy import func, select

    from kesbang.store import tables

    store = open_store(database_url)
    try:
        with store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(tables.submissions)).scalar())
    finally:
        store.close()


def test_operator_uploads_reviewer_returns_operator_sees_the_comment(browser, app, tmp_path):
    # --- operator: template, upload, report, submit ---
    operator = browser.new_context(viewport={"width": 1400, "height": 1400}, accept_downloads=True)
    page = operator.new_page()
    page.set_default_timeout(90_000)
    login(page, app.url, OPERATOR)  # the first page served seeds the store from sample_data/
    before = versions(app.database_url)
    assert before, "the sample store should hold 62.02 2026"
    go(page, "nav.unggah")

    with page.expect_download() as download:
        page.get_by_role("button", name=T("unggah.template_button", region=REGION, year=YEAR)).click()
    template_path = tmp_path / "templat.xlsx"
    download.value.save_as(template_path)
    blank = loader.load_submission(template_path.read_bytes(), template_path.name)
    assert blank.submission is not None and blank.submission.region == REGION  # the template is pre-filled

    upload = tmp_path / "kotim_2026_perbaikan.xlsx"
    upload.write_bytes(corrected_workbook())
    page.locator('input[type="file"]').set_input_files(str(upload))
    page.get_by_role("heading", name=T("unggah.step_report")).wait_for()
    page.get_by_role("button", name=T("unggah.submit")).wait_for()
    wait_idle(page)
    shot(page, "flow-1-validation-report")
    page.get_by_role("button", name=T("unggah.submit")).click()
    new_version = before[-1][0] + 1
    page.get_by_text(T("store.stored", version=new_version, region=REGION, year=YEAR)).wait_for()
    wait_idle(page)
    shot(page, "flow-2-submitted")
    assert versions(app.database_url)[-1][0] == new_version
    assert exception_text(page) == ""

    # --- operator: a broken file gets one clear message and nothing is stored ---
    stored_before = submission_count(app.database_url)
    broken = tmp_path / "laporan_rusak.xlsx"
    broken.write_bytes(b"kode,realisasi\n62.02,5\n")  # a CSV renamed .xlsx
    page.locator('input[type="file"]').set_input_files(str(broken))
    page.get_by_text(T("unggah.nothing_stored")).wait_for()
    wait_idle(page)
    shot(page, "flow-3-broken-file")
    assert page.get_by_role("button", name=T("unggah.submit")).count() == 0
    assert submission_count(app.database_url) == stored_before
    assert exception_text(page) == ""
    operator.close()

    # --- reviewer: return the new version with a comment ---
    reviewer = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = reviewer.new_page()
    page.set_default_timeout(90_000)
    login(page, app.url, "reviewer")
    go(page, "nav.tinjauan")
    open_version(page, new_version, upload.name)
    # the clean copy is written when the button is pressed (a deferred download) and holds what was read
    page.get_by_role("tab", name=T("tinjauan.tab_file")).click()
    with page.expect_download() as download:
        page.get_by_role("button", name=T("tinjauan.download_clean")).click()
    clean_path = tmp_path / download.value.suggested_filename
    download.value.save_as(clean_path)
    clean = loader.load_submission(clean_path.read_bytes(), clean_path.name)
    assert clean.ok and clean.submission.region == REGION
    page.get_by_label(T("tinjauan.comment")).fill(COMMENT)
    page.get_by_label(T("tinjauan.comment")).blur()
    wait_idle(page)
    page.get_by_role("button", name=T("tinjauan.return")).click()
    # the store's own confirmation: the write happened (the status widget may not have shown yet)
    page.get_by_text(T("store.returned", region=REGION, year=YEAR, version=new_version)).wait_for()
    wait_idle(page)
    shot(page, "flow-4-returned")
    assert versions(app.database_url)[-1] == (new_version, "returned")
    assert exception_text(page) == ""
    reviewer.close()

    # --- operator: sees the return and the comment ---
    operator = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = operator.new_page()
    page.set_default_timeout(90_000)
    login(page, app.url, OPERATOR)
    go(page, "nav.unggah")
    page.get_by_text(T("unggah.returned_note", version=new_version)).wait_for()
    page.get_by_text(COMMENT).wait_for()
    shot(page, "flow-5-operator-sees-comment")
    assert exception_text(page) == ""
    operator.close()

