"""Sign-in that lasts, in a real chromium against the seeded demo store: the session cookie survives a reload
and a new tab, sign-out ends it everywhere, an idle session times out, a forged cookie and a replayed
sign-in code are refused (and audited), and a second app process on the same store knows the session."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa

from kesbang import i18n
from kesbang.store import DEMO_PASSWORD, open_store
from kesbang.store import sessions as S
from kesbang.store import tables as T
from tests.browser.conftest import exception_text, running_app, shot, wait_idle

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api",
                    reason="playwright for Python is not installed, so chromium cannot be driven")

OPERATOR = "operator.62.02"
COOKIE = "kesbang_session"


def T_(key: str, **params) -> str:  # the browser runs in Indonesian
    return i18n.t(key, "id", **params)


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="id-ID")
    ctx.set_default_timeout(90_000)
    yield ctx
    ctx.close()


def main_text(page) -> str:
    return page.locator('[data-testid="stMainBlockContainer"]').inner_text()


def sign_in(page, url: str, username: str) -> list[str]:
    """The sign-in form, as a user fills it; returns what the browser posted to /auth/session."""
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.post_data or "") if r.url.endswith("/auth/session") else None)
    page.goto(f"{url}/masuk")
    wait_idle(page)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label(T_("auth_ui.username")).fill(username)
    form.get_by_label(T_("auth_ui.password")).fill(DEMO_PASSWORD)
    form.get_by_role("button", name=T_("auth_ui.submit")).click()
    page.get_by_text(T_("auth_ui.welcome")).wait_for()
    wait_idle(page)
    return posted


def signed_in_as(page, username: str) -> bool:
    text = main_text(page)
    return f"Masuk sebagai {username} ·" in text and T_("auth_ui.login_needed") not in text


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    assert not exception_text(page)


def session_cookie(context) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == COOKIE), None)


def session_row(database_url: str, token: str) -> dict:
    store = open_store(database_url)
    try:
        with store.engine.connect() as conn:
            row = conn.execute(sa.select(T.sessions).where(T.sessions.c.token_sha256 == S.digest(token))).first()
        return dict(row._mapping)
    finally:
        store.close()


def refusals(database_url: str, token: str) -> list[str]:
    """Message ids of the audited refusals of this code or token."""
    store = open_store(database_url)
    try:
        audit = store.audit(500)
    finally:
        store.close()
    rows = audit[audit["action"] == "auth.session"]
    return [m for m, d in zip(rows["message_id"], rows["detail"]) if json.loads(d)["ref"] == S.digest(token)[:12]]


def test_sign_in_lasts_through_a_reload_and_a_new_tab(app, context):
    page = context.new_page()
    sign_in(page, app.url, OPERATOR)
    cookie = session_cookie(context)
    assert cookie is not None and S.well_formed(cookie["value"])
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"], cookie["secure"]) == (True, "Lax", "/", False)
    assert cookie["expires"] == -1  # a browser-session cookie: the store decides how long it is good for
    assert OPERATOR not in cookie["value"] and DEMO_PASSWORD not in cookie["value"]
    assert COOKIE not in page.evaluate("document.cookie")  # no script on the page can read it
    assert session_row(app.database_url, cookie["value"])["ended_at"] is None

    open_page(page, f"{app.url}/unggah")
    assert signed_in_as(page, OPERATOR)
    page.reload()
    wait_idle(page)
    assert signed_in_as(page, OPERATOR)
    tab = context.new_page()
    open_page(tab, f"{app.url}/unggah")
    assert signed_in_as(tab, OPERATOR)
    shot(tab, "sessions-new-tab")


def test_sign_out_ends_the_session_in_every_tab(app, context):
    page = context.new_page()
    sign_in(page, app.url, "reviewer")
    token = session_cookie(context)["value"]
    tab = context.new_page()
    open_page(tab, f"{app.url}/tinjauan")
    assert signed_in_as(tab, "reviewer")

    page.get_by_role("button", name=T_("auth_ui.logout")).click()
    page.locator('[data-testid="stForm"]').get_by_label(T_("auth_ui.username")).wait_for()
    wait_idle(page)
    assert urlparse(page.url).path == "/masuk" and session_cookie(context) is None
    assert session_row(app.database_url, token)["end_reason"] == "logout"
    tab.reload()
    wait_idle(tab)
    assert T_("auth_ui.login_needed") in main_text(tab) and not signed_in_as(tab, "reviewer")


def test_an_idle_session_times_out(app, context):
    page = context.new_page()
    sign_in(page, app.url, OPERATOR)
    token = session_cookie(context)["value"]
    # 31 minutes without activity (the default time-out is 30): the session's last activity moved back
    idle_since = session_row(app.database_url, token)["last_seen"] - dt.timedelta(minutes=31)
    store = open_store(app.database_url)
    try:
        with store.engine.begin() as conn:
            conn.execute(T.sessions.update().where(T.sessions.c.token_sha256 == S.digest(token))
                         .values(last_seen=idle_since))
    finally:
        store.close()
    open_page(page, f"{app.url}/unggah")
    assert T_("auth_ui.login_needed") in main_text(page) and not signed_in_as(page, OPERATOR)
    page.locator('[data-testid="stMain"]').get_by_role("link", name=T_("auth_ui.go_login")).click()
    page.get_by_text(T_("auth_ui.timed_out", minutes="30")).wait_for()
    assert session_row(app.database_url, token)["end_reason"] == "expired"
    assert refusals(app.database_url, token) == ["auth_session.expired"]  # once, not on every rerun


def test_a_forged_cookie_is_refused_and_audited_once(app, context):
    forged = S.new_secret()
    context.add_cookies([{"name": COOKIE, "value": forged, "url": app.url}])
    page = context.new_page()
    open_page(page, f"{app.url}/unggah")
    assert T_("auth_ui.login_needed") in main_text(page)
    page.locator('[data-testid="stMain"]').get_by_role("link", name=T_("auth_ui.go_login")).click()
    page.get_by_text(T_("auth_session.unknown_notice")).wait_for()
    wait_idle(page)
    assert refusals(app.database_url, forged) == ["auth_session.unknown"]


def test_a_replayed_sign_in_code_is_refused(app, browser, context):
    posted = sign_in(context.new_page(), app.url, OPERATOR)
    code = dict(part.split("=", 1) for part in posted[0].split("&"))["code"]
    other = browser.new_context(locale="id-ID")  # someone who saw the code in transit, afterwards
    try:
        page = other.new_page()
        page.set_default_timeout(90_000)
        open_page(page, f"{app.url}/auth/session?code={code}&next=/unggah")
        # the refusal lands on the sign-in page with its reason (the page's filters follow in the URL)
        where = urlparse(page.url)
        assert where.path == "/masuk" and parse_qs(where.query)["sesi"] == ["ditolak"]
        assert session_cookie(other) is None
        page.get_by_text(T_("auth_session.code_refused", seconds=S.CODE_SECONDS)).wait_for()
    finally:
        other.close()
    assert refusals(app.database_url, code) == ["auth_session.code_replayed"]


def test_a_second_app_process_on_the_same_store_knows_the_session(app, context, tmp_path):
    with running_app(tmp_path, "streamlit-second.log", KESBANG_DATABASE_URL=app.database_url) as second:
        page = context.new_page()
        sign_in(page, app.url, OPERATOR)
        other = context.new_page()  # the same browser; cookies belong to the host, whatever the port
        open_page(other, f"{second.url}/unggah")
        assert signed_in_as(other, OPERATOR)
        open_page(other, f"{second.url}/masuk")
        other.get_by_role("button", name=T_("auth_ui.logout")).click()
        other.locator('[data-testid="stForm"]').get_by_label(T_("auth_ui.username")).wait_for()
        page.reload()
        wait_idle(page)
        assert not signed_in_as(page, OPERATOR)
        assert page.locator('[data-testid="stForm"]').get_by_label(T_("auth_ui.username")).count() == 1
