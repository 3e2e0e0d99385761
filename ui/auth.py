"""Who is signed in to this browser: the session cookie resolved through the store on every run, the
login form's hand-off to the session route, sign-out, time-out, and optional OIDC single sign-on.

A password sign-in lives in the store (`kesbang.store.sessions`) behind the HttpOnly `kesbang_session`
cookie, which `ui.session_routes` sets and clears (never JavaScript). Every run reads the cookie from
`st.context.cookies` and resolves it to the account, so a reload, a new tab and another app process on the
same store all see the same sign-in; the store slides the idle time-out and refuses (and audits) a forged,
expired or ended token, which this session then treats as anonymous without asking again.

Single sign-on, and AppTest (which cannot send cookies), sign in this Streamlit session alone: the
session state keeps only the account's user name, and every run re-reads the account from the store, so a
disabled account or a changed role takes effect at once and session state cannot carry a role the store
does not hold. Authorisation itself is enforced inside the store's writes (`kesbang.auth`); this module
only decides what the pages offer.
"""

from __future__ import annotations

import html
import logging
import re
import time
from urllib.parse import urlencode

import streamlit as st

from kesbang import auth, regions, settings
from kesbang.auth import User
from kesbang.store import sessions
from ui import source
from ui.session_routes import COOKIE, END_PATH, REFUSED_PARAM, SESSION_PATH, SIGN_IN_PAGE, safe_next
from ui.state import T, lang

log = logging.getLogger("kesbang.ui")

KEY_USER = "auth_user"          # {"username": …} of the account signed in to this session alone (SSO, tests)
KEY_SEEN = "auth_last_seen"     # time.time() of the last run while signed in that way
KEY_NOTICE = "auth_notice"      # a message id to show once on the sign-in page (time-out, sign-out)
KEY_REFUSED = "auth_cookie_refused"  # hash of the cookie token the store refused for this session
KEY_SIGN_OUT = "auth_sign_out"  # the sign-out check, while the browser still has to drop its cookie
LOGIN_PAGE = "pages/masuk.py"
# why the store refused a cookie -> what the sign-in page says
_COOKIE_NOTICES = {
    "auth_session.expired": "auth_ui.timed_out",
    "auth_session.ended": "auth_session.ended_notice",
    "auth_session.account_disabled": "auth_ui.account_gone",
}
_ACCOUNT_STATE = (KEY_USER, KEY_SEEN, "auth_sso_unknown", "unggah_parsed", "unggah_done")


def _timeout_seconds() -> float:
    try:
        return max(1.0, float(settings.get("session_timeout_min"))) * 60
    except ValueError:
        return 30 * 60


def sso_configured() -> bool:
    """True when an [auth] section is in Streamlit's secrets (st.login needs it)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: StreamlitSecretNotFoundError
        return False


def _oidc_identity() -> str | None:
    """The signed-in OIDC identity (email, else preferred user name), or None; never raises."""
    if not sso_configured():
        return None
    try:
        if not st.user.get("is_logged_in"):
            return None
        return st.user.get("email") or st.user.get("preferred_username")
    except Exception:
        log.exception("reading st.user failed")
        return None


def _account(username: str) -> User | None:
    try:
        return source.store().user(username)
    except Exception:  # a broken database: nobody is signed in, the page shows its own notice
        log.exception("reading account %s failed", username)
        return None


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # no browser behind this run (a bare script run)
        return None
    return token if isinstance(token, str) and token else None  # AppTest's context holds no real cookies


def _client() -> str | None:
    try:
        return st.context.ip_address
    except Exception:
        return None


def _cookie_user(token: str) -> User | None:
    """The account behind the browser's session cookie, or None (and a notice) when the store refuses it;
    a refused token is asked about once per session, so reruns do not fill the audit log."""
    ss = st.session_state
    ref = sessions.digest(token)
    if ss.get(KEY_REFUSED) == ref:
        return None
    try:
        check = source.store().resolve_session(token, client=_client())
    except Exception:  # a broken database: nobody is signed in, the page shows its own notice
        log.exception("resolving the session cookie failed")
        return None
    if check.user is not None:
        return check.user
    ss[KEY_REFUSED] = ref
    ss[KEY_NOTICE] = _COOKIE_NOTICES.get(check.refused, "auth_session.unknown_notice")
    for key in _ACCOUNT_STATE:
        ss.pop(key, None)
    return None


def current_user() -> User | None:
    """The signed-in, enabled account of this browser (None: anonymous, timed out or unknown)."""
    token = _cookie_token()
    if token is not None:
        user = _cookie_user(token)
        if user is not None:
            return user
    ss = st.session_state
    now = time.time()
    info = ss.get(KEY_USER)
    if info is None:
        identity = _oidc_identity()
        if identity is None:
            return None
        user = _account(identity)
        if user is None:
            ss["auth_sso_unknown"] = identity
            return None
        ss[KEY_USER], ss[KEY_SEEN] = {"username": user.username, "sso": True}, now
        return user
    if now - float(ss.get(KEY_SEEN, now)) > _timeout_seconds():
        logout("auth_ui.timed_out")
        return None
    user = _account(str(info.get("username", "")))
    if user is None:  # disabled or removed since sign-in
        logout("auth_ui.account_gone")
        return None
    ss[KEY_SEEN] = now
    return user


def login(username: str, password: str) -> sessions.LoginCode | None:
    """Check the credentials against the store (audited and throttled there): a one-time code for
    `open_session`, or None."""
    issued = source.store().login_code(username, password)
    if issued is not None:
        st.session_state.pop(KEY_NOTICE, None)
    return issued


def landing() -> str:
    """Where a sign-in lands: back on the sign-in page, now saying who is signed in and linking to the
    role's pages, with the URL's filters kept (a path of this site)."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k != REFUSED_PARAM[0]}
    return safe_next(SIGN_IN_PAGE + (f"?{urlencode(params)}" if params else "")) or SIGN_IN_PAGE


def _navigate(action: str, fields: dict[str, str], label: str) -> None:
    """Send the browser, in this tab, to one of the session routes: a form posted at once by a line of
    script (the button is there should scripts be off). Only our own values go in: the route's path, a
    code or check of [A-Za-z0-9_-], a path `safe_next` accepted, a catalogue label; all escaped as well."""
    inputs = "".join(f'<input type="hidden" name="{name}" value="{html.escape(value, quote=True)}">'
                     for name, value in fields.items())
    st.html(f'<form id="kesbang-sesi" method="post" action="{action}">{inputs}'
            f'<button type="submit">{html.escape(label)}</button></form>'
            '<script>document.getElementById("kesbang-sesi").submit();</script>',
            unsafe_allow_javascript=True)


def open_session(issued: sessions.LoginCode) -> None:
    """After a good password: hand the one-time code to `/auth/session`, which sets the cookie and sends
    the browser on (`landing`). Ends this run."""
    if not sessions.well_formed(issued.code):  # never: the store makes them; refuse to embed anything else
        raise ValueError("not a sign-in code")
    st.info(T("auth_session.opening"), icon=":material/login:")
    _navigate(SESSION_PATH, {"code": issued.code, "next": landing()}, T("auth_session.continue"))
    st.stop()


def finish_sign_out() -> None:
    """After `logout` of a cookie session (already ended in the store): let `/auth/session/end` clear the
    browser's cookie, then come back to the sign-in page. Ends this run."""
    check = st.session_state.pop(KEY_SIGN_OUT, None)
    if check:
        st.info(T("auth_session.closing"), icon=":material/logout:")
        _navigate(END_PATH, {"check": check, "next": SIGN_IN_PAGE}, T("auth_ui.logout"))
        st.stop()


def login_blocked(username: str) -> bool:
    """True when sign-in for this name is paused after too many failures (the store refuses it anyway;
    this only picks the message to show)."""
    try:
        return source.store().login_blocked(username)
    except Exception:  # a broken database: the plain failure message is shown
        log.exception("reading the sign-in throttle for %s failed", username)
        return False


def logout(notice: str | None = "auth_ui.signed_out") -> None:
    """Sign out: a cookie session ends in the store at once (every tab and process sees it), and
    `finish_sign_out` then has the browser drop the cookie; an SSO sign-out ends the OIDC cookie too."""
    ss = st.session_state
    token = _cookie_token()
    if token and sessions.well_formed(token) and ss.get(KEY_REFUSED) != sessions.digest(token):
        try:
            source.store().end_session(token)
        except Exception:
            log.exception("ending the session failed")
        ss[KEY_REFUSED] = sessions.digest(token)  # its last reruns here ask the store no more
        ss[KEY_SIGN_OUT] = sessions.logout_check(token)
    was_sso = bool((ss.get(KEY_USER) or {}).get("sso"))
    # the upload page's parsed file and its "already sent" token belong to the account that made them
    for key in _ACCOUNT_STATE:
        ss.pop(key, None)
    if notice:
        ss[KEY_NOTICE] = notice
    if was_sso:
        st.logout()  # ends the OIDC cookie too (reruns the app)


def may_read() -> bool:
    """Reading is open to anonymous visitors only when the `public_read` setting is on. The router calls
    this on every run, which also keeps an active session from timing out."""
    return current_user() is not None or settings.flag("public_read")


def visible_pages(pages: dict) -> dict:
    """The router's sections, reduced to the sign-in page for anonymous visitors when reading is closed."""
    if may_read():
        return pages
    return {section: [p for p in entries if p[0] == LOGIN_PAGE]
            for section, entries in pages.items() if any(p[0] == LOGIN_PAGE for p in entries)}


def role_label(user: User) -> str:
    return T(f"auth.role.{user.role}")


def region_label(user: User) -> str:
    return f"{user.region} {regions.name_of(user.region)}" if user.region else T("auth_ui.all_regions")


# Backslash-escaping every ASCII punctuation mark CommonMark can format with (links, emphasis, code,
# math): a user name or file name inside a notice then prints literally.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md_escape(value: object) -> str:
    """User text placed inside a markdown-rendered notice (st.error, st.success …), shown literally."""
    return _MARKDOWN.sub(r"\\\1", str(value))


def message(message_id: str, params: dict | None = None, *, markdown: bool = True) -> str:
    """A store/auth outcome in the UI language (`kesbang.auth.describe`: roles, actions, statuses and
    dropped sections translated too). `markdown=True` (for notices) escapes the string parameters, which
    may hold user names and file names; pass False for table cells, which are plain text anyway."""
    codes = ("action", "role", "status")  # translated by describe, never user text
    params = {k: (md_escape(v) if markdown and isinstance(v, str) and k not in codes else v)
              for k, v in (params or {}).items()}
    return auth.describe(message_id, params, lang())


def require_login() -> User:
    """The signed-in user, or a notice pointing to the sign-in page and the end of this page run."""
    user = current_user()
    if user is None:
        st.info(T("auth_ui.login_needed"), icon=":material/lock:")
        st.page_link(LOGIN_PAGE, label=T("auth_ui.go_login"), icon=":material/login:")
        st.stop()
    return user


def who_line(user: User) -> None:
    """One line: signed in as … (role, region); st.text because the user name is not our text."""
    st.text(T("auth_ui.signed_in_as", username=user.username, role=role_label(user),
                 region=region_label(user)))
