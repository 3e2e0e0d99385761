"""Follow-ups in a real chromium: a reviewer opens one from the Peringatan Dini list, the regency's operator
sees it (on Peringatan and on Profil Wilayah) and answers, the reviewer closes it.

Navigation uses the sidebar's own links (a page reload would start a new, signed-out session).
"""

from __future__ import annotations

import pytest

from kesbang import i18n
from kesbang.store import DEMO_PASSWORD, open_store
from tests.browser.conftest import exception_text, shot, wait_idle

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed: chromium cannot be driven")

TEXT = "Jadwalkan ulang kegiatan sebelum akhir November (uji peramban)."
ANSWER = "Kegiatan dijadwalkan ulang pada 20 November (uji peramban)."


def T(key: str, **params) -> str:  # noqa: N802 - mirrors ui.state.T; the browser runs in Indonesian
    return i18n.t(key, "id", **params)


def signed_in(browser, app_url: str, username: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{app_url}/masuk")
    wait_idle(page)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label(T("auth_ui.username")).fill(username)
    form.get_by_label(T("auth_ui.password")).fill(DEMO_PASSWORD)
    form.get_by_role("button", name=T("auth_ui.submit")).click()
    page.get_by_text(T("auth_ui.welcome")).wait_for()
    wait_idle(page)
    return context, page


def to_page(page, nav_key: str, title_key: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=T(nav_key)).click()
    page.get_by_role("heading", name=T(title_key)).wait_for()
    wait_idle(page)


def followups(database_url: str) -> list[dict]:
    store = open_store(database_url)
    try:
        return [r for r in store.followups() if r["text"] == TEXT]
    finally:
        store.close()


def test_reviewer_opens_operator_answers_reviewer_closes(browser, app):
    context, page = signed_in(browser, app.url, "reviewer")
    to_page(page, "nav.peringatan", "peringatan.title")
    page.get_by_role("heading", name=T("peringatan.list_title")).wait_for()
    page.get_by_label(T("peringatan.open_text")).fill(TEXT)
    page.get_by_label(T("peringatan.open_text")).blur()
    wait_idle(page)
    page.get_by_role("button", name=T("peringatan.open_button")).click()
    page.get_by_text(T("followup.opened", id="", region="", year="", code="").split("#")[0]).first.wait_for()
    wait_idle(page)
    shot(page, "followup-1-opened")
    [record] = followups(app.database_url)
    assert record["opened_by"] == "reviewer" and record["status"] == "open"
    assert exception_text(page) == ""
    context.close()

    operator = f"operator.{record['region']}"
    context, page = signed_in(browser, app.url, operator)
    to_page(page, "nav.peringatan", "peringatan.title")
    page.get_by_text(T("peringatan.own_region_note", region=f"{record['region']} {record['region_name']}")).wait_for()
    page.get_by_label(T("peringatan.respond_text")).fill(ANSWER)
    page.get_by_label(T("peringatan.respond_text")).blur()
    wait_idle(page)
    page.get_by_role("button", name=T("peringatan.respond_button")).click()
    page.get_by_text(T("followup.response", id=record["id"])).wait_for()
    wait_idle(page)
    shot(page, "followup-2-answered")
    [record] = followups(app.database_url)
    assert [(a["by"], a["text"]) for a in record["answers"]] == [(operator, ANSWER)]
    # the operator cannot close it: the button is there, disabled
    assert page.get_by_role("button", name=T("peringatan.close_button"), exact=True).is_disabled()
    assert exception_text(page) == ""
    context.close()

    context, page = signed_in(browser, app.url, "reviewer")
    to_page(page, "nav.peringatan", "peringatan.title")
    # the only open follow-up is the one the close form offers first
    page.get_by_role("button", name=T("peringatan.close_button"), exact=True).click()
    page.get_by_text(T("followup.closed", id=record["id"])).wait_for()
    wait_idle(page)
    shot(page, "followup-3-closed")
    [record] = followups(app.database_url)
    assert (record["status"], record["closed_by"]) == ("closed", "reviewer")
    assert exception_text(page) == ""
    context.close()
