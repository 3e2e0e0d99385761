"""Sign in and out: the login form (or single sign-on when configured), who am I, my role and region."""

import streamlit as st

from kesbang import auth as rules
from kesbang import settings
from kesbang.store import demo_accounts, sessions
from kesbang.store.users import login_limits
from ui import auth, source
from ui.state import T
from ui.widgets import guard

st.title(T("auth_ui.title"))
auth.finish_sign_out()  # right after "Keluar": the browser drops its cookie and comes back here
user = auth.current_user()
notice = st.session_state.pop(auth.KEY_NOTICE, None)
if notice and user is None:
    st.info(T(notice, minutes=settings.get("session_timeout_min")), icon=":material/info:")
if user is None and st.query_params.get(auth.REFUSED_PARAM[0]) == auth.REFUSED_PARAM[1]:
    st.warning(T("auth_session.code_refused", seconds=sessions.CODE_SECONDS), icon=":material/timer_off:")

if user is not None:
    st.success(T("auth_ui.welcome"), icon=":material/verified_user:")
    auth.who_line(user)
    st.subheader(T("auth_ui.can_do"))
    actions = [a for a in ("submit", "review.approve", "review.return", "review.reopen", "comment",
                           "rpjmd.put", "user.manage", "read")
               if rules.allowed(user, a, user.region)]
    st.markdown("\n".join(f"- {T(f'auth.action.{a}')}" for a in actions))
    if user.role == "operator":
        st.page_link("pages/unggah.py", label=T("nav.unggah"), icon=":material/upload_file:")
    if user.role in ("reviewer", "admin", "head"):
        st.page_link("pages/tinjauan.py", label=T("nav.tinjauan"), icon=":material/fact_check:")
    st.caption(T("auth_session.lasts_note", minutes=settings.get("session_timeout_min"),
                 hours=settings.get("session_max_hours")))
    if st.button(T("auth_ui.logout"), key="masuk_logout", icon=":material/logout:"):
        auth.logout()
        st.rerun()
    st.stop()

st.caption(T("auth_ui.caption"))
if not settings.flag("public_read"):
    st.info(T("auth_ui.public_read_off"), icon=":material/lock:")

unknown = st.session_state.get("auth_sso_unknown")
if unknown:
    st.error(T("auth_ui.sso_unknown"), icon=":material/person_off:")
    st.text(unknown)
    if st.button(T("auth_ui.sso_logout"), key="masuk_sso_logout"):
        st.session_state.pop("auth_sso_unknown", None)
        st.logout()

with st.form("masuk_form", enter_to_submit=True):
    username = st.text_input(T("auth_ui.username"), key="masuk_username", autocomplete="username")
    password = st.text_input(T("auth_ui.password"), type="password", key="masuk_password",
                             autocomplete="current-password")
    submitted = st.form_submit_button(T("auth_ui.submit"), type="primary", icon=":material/login:")
if submitted:
    if not username.strip() or not password:
        st.error(T("auth_ui.empty_fields"), icon=":material/error:")
    else:
        with st.spinner(T("auth_ui.checking")):
            signed_in = auth.login(username, password)
        if signed_in is None and auth.login_blocked(username):
            st.error(T("auth.login_throttled", minutes=login_limits()[1]), icon=":material/timer:")
        elif signed_in is None:
            # the store does not say whether the name exists (same message, same time for both)
            st.error(T("auth.login_failed"), icon=":material/error:")
        else:
            auth.open_session(signed_in)  # to /auth/session, which sets the cookie and lands on the role's page

if auth.sso_configured():
    st.divider()
    if st.button(T("auth_ui.sso"), key="masuk_sso", icon=":material/key:"):
        st.login()

# Demo accounts exist only in the local sample set-up (seeded store); never list them otherwise.
with guard("demo hint"):
    if settings.flag("seed_sample") and source.is_sample() and source.store().user("reviewer") is not None:
        regions_seen = sorted({str(r) for r in source.full_dataset().submissions["region"].dropna()})
        names = [name for name, _, _ in demo_accounts(regions_seen[:1])]
        st.caption(T("auth_ui.demo_hint", accounts=", ".join(names)))
