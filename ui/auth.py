"""Who is signed in to this browser session: login form, logout, time-out, optional OIDC single sign-on.

The session keeps only the account's user name. Every run re-reads the account from the store, so a
disabled account or a changed role takes effect at once and session state cannot carry a role the store
does not hold. Authorisation itself is enforced inside the store's writes (`kesbang.auth`); this module
only decides what the pages offer.
"""

from __future__ import annotations

import logging
import re
import time

import streamlit as st

from kesbang import auth, regions, settings
from kesbang.auth import User
from ui import source
from ui.state import T

log = logging.getLogger("kesbang.ui")

KEY_USER = "auth_user"          # {"username": …} of the signed-in account
KEY_SEEN = "auth_last_seen"     # time.time() of the last run while signed in
KEY_NOTICE = "auth_notice"      # a message id to show once on the sign-in page (time-out, sign-out)
LOGIN_PAGE = "pages/masuk.py"


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


def current_user() -> User | None:
    """The signed-in, enabled account of this session (None: anonymous, timed out or unknown)."""
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


def login(username: str, password: str) -> User | None:
    """Check the credentials against the store (audited there) and start the session."""
    user = source.store().authenticate(username, password)
    if user is not None:
        st.session_state[KEY_USER] = {"username": user.username, "sso": False}
        st.session_state[KEY_SEEN] = time.time()
        st.session_state.pop(KEY_NOTICE, None)
    return user


def login_blocked(username: str) -> bool:
    """True when sign-in for this name is paused after too many failures (the store refuses it anyway;
    this only picks the message to show)."""
    try:
        return source.store().login_blocked(username)
    except Exception:  # a broken database: the plain failure message is shown
        log.exception("reading the sign-in throttle for %s failed", username)
        return False


def logout(notice: str | None = "auth_ui.signed_out") -> None:
    ss = st.session_state
    was_sso = bool((ss.get(KEY_USER) or {}).get("sso"))
    # the upload page's parsed file and its "already sent" token belong to the account that made them
    for key in (KEY_USER, KEY_SEEN, "auth_sso_unknown", "unggah_parsed", "unggah_done"):
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
    """A store/auth outcome in the UI language; action and status parameters translated too.
    `markdown=True` (for notices) escapes the parameters, which may hold user names and file names;
    pass False for table cells, which are plain text anyway."""
    raw = dict(params or {})
    params = {k: (md_escape(v) if markdown and isinstance(v, str) else v) for k, v in raw.items()}
    if "action" in raw and raw["action"] in auth.PERMISSIONS:
        params["action"] = T(f"auth.action.{raw['action']}")
    if raw.get("status") in ("submitted", "resubmitted", "returned", "approved", "reopened"):
        params["status"] = T(f"store.status.{raw['status']}")
    if raw.get("role") in auth.ROLES:
        params["role"] = T(f"auth.role.{raw['role']}")
    if isinstance(raw.get("dropped"), list):  # [[diff section, rows], ...]: unggah.drop_warning, store.sections_dropped
        params["dropped"] = ", ".join(f"{T(f'store.diff.{s}')} ({n})" for s, n in raw["dropped"])
    return T(message_id, **params)


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
