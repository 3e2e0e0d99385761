"""Server-side sign-in sessions (kesbang.store.sessions) on SQLite and PostgreSQL: only hashes are stored,
codes are single use and short-lived, the idle time-out slides, sign-out, disabling an account and a new
password end sessions, and every forged, expired or replayed code or token is refused and audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from kesbang.auth import console_user
from kesbang.store import open_store
from kesbang.store import sessions as S
from kesbang.store import tables as T
from kesbang.store.engine import MIGRATIONS, utcnow

PASSWORD = "kata-sandi-sesi-2026"
T0 = dt.datetime(2026, 11, 2, 8, 0, 0)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    return f"sqlite:///{tmp_path / 'sessions.sqlite3'}"


@pytest.fixture
def store(url):
    s = open_store(url)
    assert s.add_user(None, "admin", "admin", None, PASSWORD).ok
    for name, role, region in (("operator.62.02", "operator", "62.02"), ("reviewer", "reviewer", None)):
        assert s.add_user(console_user(), name, role, region, PASSWORD).ok
    yield s
    s.close()


def sign_in(store, username="operator.62.02", now=T0) -> str:
    """A password sign-in and its code exchanged: the session token a browser would hold."""
    issued = store.login_code(username, PASSWORD, now=now)
    assert issued is not None and issued.user.username == username
    start = store.exchange_code(issued.code, client="203.0.113.7", now=now + dt.timedelta(seconds=2))
    assert start.refused is None, start
    return start.token


def refusals(store) -> list[tuple[str | None, str, dict]]:
    """(actor, message_id, detail) of the session refusals in the audit log, oldest first."""
    audit = store.audit()
    rows = audit[(audit["action"] == "auth.session") & (audit["outcome"] == "refused")]
    return [(r.actor if isinstance(r.actor, str) else None, r.message_id, json.loads(r.detail))
            for r in rows.iloc[::-1].itertuples()]


def rows(store, table) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(table))]


def test_the_store_keeps_only_hashes_of_codes_and_tokens(store):
    issued = store.login_code("operator.62.02", PASSWORD, now=T0)
    start = store.exchange_code(issued.code, now=T0)
    token = start.token
    assert S.well_formed(issued.code) and S.well_formed(token) and issued.code != token
    assert len(token) == 43  # 32 random bytes, URL-safe base64
    stored = [str(v) for table in (T.sessions, T.login_codes) for row in rows(store, table) for v in row.values()]
    assert token not in stored and issued.code not in stored
    assert S.digest(token) in stored and S.digest(issued.code) in stored
    assert store.resolve_session(token, now=T0).user.username == "operator.62.02"


def test_a_wrong_password_gives_no_code_and_the_throttle_still_holds(store, monkeypatch):
    monkeypatch.setenv("KESBANG_LOGIN_MAX_FAILURES", "2")
    # the throttle counts audited failures by their (real) time
    assert store.login_code("operator.62.02", "salah-sekali-123") is None
    assert store.login_code("operator.62.02", "salah-lagi-4567") is None
    # the right password is refused while the name is throttled: no code is issued
    assert store.login_code("operator.62.02", PASSWORD) is None
    assert store.audit(1).iloc[0]["message_id"] == "auth.login_throttled"
    assert rows(store, T.login_codes) == []
    assert store.login_code("operator.62.02", PASSWORD, now=utcnow() + dt.timedelta(minutes=16)) is not None


def test_a_code_works_once(store):
    issued = store.login_code("operator.62.02", PASSWORD, now=T0)
    assert store.exchange_code(issued.code, now=T0).user.username == "operator.62.02"
    again = store.exchange_code(issued.code, client="198.51.100.9", now=T0 + dt.timedelta(seconds=1))
    assert (again.token, again.refused) == (None, "auth_session.code_replayed")
    actor, message_id, detail = refusals(store)[-1]
    assert (actor, message_id) == ("operator.62.02", "auth_session.code_replayed")
    assert detail["client"] == "198.51.100.9" and detail["ref"] == S.digest(issued.code)[:12]
    assert store.open_sessions("operator.62.02", now=T0) == 1


def test_a_code_expires_after_thirty_seconds(store):
    issued = store.login_code("reviewer", PASSWORD, now=T0)
    late = store.exchange_code(issued.code, now=T0 + dt.timedelta(seconds=S.CODE_SECONDS))
    assert late.refused == "auth_session.code_expired"
    assert refusals(store)[-1][:2] == ("reviewer", "auth_session.code_expired")
    assert store.open_sessions(now=T0) == 0


@pytest.mark.parametrize("forged", [S.new_secret(), "x' OR '1'='1", "", "A" * 5000],
                         ids=["well-formed", "sql", "empty", "long"])
def test_forged_codes_and_tokens_are_refused_and_audited(store, forged):
    assert store.exchange_code(forged, client="192.0.2.1").refused == "auth_session.code_unknown"
    assert store.resolve_session(forged, client="192.0.2.1").refused == "auth_session.unknown"
    assert [(a, m, d["client"]) for a, m, d in refusals(store)] == [
        (None, "auth_session.code_unknown", "192.0.2.1"), (None, "auth_session.unknown", "192.0.2.1")]
    assert store.open_sessions() == 0


def test_the_idle_time_out_slides_with_activity(store, monkeypatch):
    monkeypatch.setenv("KESBANG_SESSION_TIMEOUT_MIN", "30")
    token = sign_in(store)
    # active every 25 minutes for two hours: never more than 30 minutes idle, so never signed out
    for minutes in range(25, 125, 25):
        assert store.resolve_session(token, now=T0 + dt.timedelta(minutes=minutes)).user is not None
    last = T0 + dt.timedelta(minutes=100)
    assert store.resolve_session(token, now=last + dt.timedelta(minutes=31)).refused == "auth_session.expired"
    # the time-out ended the session: it stays refused (as a time-out) even were the clock to go back
    assert store.resolve_session(token, now=last + dt.timedelta(minutes=1)).refused == "auth_session.expired"
    [session] = rows(store, T.sessions)
    assert session["end_reason"] == "expired" and session["ended_at"] == last + dt.timedelta(minutes=31)
    assert [m for _, m, _ in refusals(store)] == ["auth_session.expired"] * 2


def test_a_page_run_within_the_touch_interval_writes_nothing(store):
    token = sign_in(store)
    created = rows(store, T.sessions)[0]["last_seen"]
    assert store.resolve_session(token, now=created + dt.timedelta(seconds=30)).user is not None
    assert rows(store, T.sessions)[0]["last_seen"] == created
    assert store.resolve_session(token, now=created + dt.timedelta(seconds=61)).user is not None
    assert rows(store, T.sessions)[0]["last_seen"] == created + dt.timedelta(seconds=61)


def test_a_session_ends_at_its_maximum_life_however_active(store, monkeypatch):
    monkeypatch.setenv("KESBANG_SESSION_MAX_HOURS", "2")
    token = sign_in(store)
    for minutes in range(10, 120, 10):
        assert store.resolve_session(token, now=T0 + dt.timedelta(minutes=minutes)).user is not None
    assert store.resolve_session(token, now=T0 + dt.timedelta(minutes=121)).refused == "auth_session.expired"


def test_sign_out_ends_the_session_and_a_replayed_cookie_is_refused(store):
    token = sign_in(store)
    other = sign_in(store)  # the same account in another browser
    assert store.end_session(token, now=T0 + dt.timedelta(minutes=5))
    assert not store.end_session(token)  # already ended: nothing more to do
    replay = store.resolve_session(token, client="198.51.100.9", now=T0 + dt.timedelta(minutes=6))
    assert replay.refused == "auth_session.ended"
    actor, message_id, detail = refusals(store)[-1]
    assert (actor, message_id, detail["ended"], detail["client"]) == (
        "operator.62.02", "auth_session.ended", "logout", "198.51.100.9")
    assert store.resolve_session(other, now=T0 + dt.timedelta(minutes=6)).user.username == "operator.62.02"


@pytest.mark.parametrize("change", ["disable", "password"])
def test_disabling_an_account_or_a_new_password_ends_all_its_sessions(store, change):
    first, second = sign_in(store), sign_in(store)
    reviewer = sign_in(store, "reviewer")
    waiting = store.login_code("operator.62.02", PASSWORD, now=T0)  # signed in, code not yet exchanged
    if change == "disable":
        assert store.disable_user(console_user(), "operator.62.02").ok
        expected = "auth_session.account_disabled"
    else:
        assert store.set_password(console_user(), "operator.62.02", "kata-sandi-baru-2026").ok
        expected = "auth_session.code_replayed"
    now = T0 + dt.timedelta(minutes=1)
    assert [store.resolve_session(t, now=now).refused for t in (first, second)] == ["auth_session.ended"] * 2
    assert store.exchange_code(waiting.code, now=T0 + dt.timedelta(seconds=5)).refused == expected
    assert {r["end_reason"] for r in rows(store, T.sessions) if r["ended_at"]} == {
        "disabled" if change == "disable" else "password"}
    assert store.open_sessions("operator.62.02", now=now) == 0
    assert store.resolve_session(reviewer, now=now).user.username == "reviewer"


def test_the_account_is_read_on_every_resolve(store):
    """The session holds an account id, not a role: the users table decides who the browser is."""
    token = sign_in(store, "reviewer")
    with store.engine.begin() as conn:  # an admin's direct change in the database
        conn.execute(T.users.update().where(T.users.c.username == "reviewer").values(disabled=True))
    assert store.resolve_session(token, now=T0).refused == "auth_session.account_disabled"
    assert store.resolve_session(token, now=T0).refused == "auth_session.ended"


def test_a_second_process_on_the_same_store_sees_the_session(store, url):
    token = sign_in(store)
    other = open_store(url)
    try:
        assert other.resolve_session(token, now=T0 + dt.timedelta(minutes=1)).user.username == "operator.62.02"
        assert store.end_session(token)
        assert other.resolve_session(token, now=T0 + dt.timedelta(minutes=2)).refused == "auth_session.ended"
    finally:
        other.close()


def test_sessions_change_no_data_version(store):
    """Signing in and out is not a change to the data: the pages' cached reads stay valid."""
    before = store.data_version()
    token = sign_in(store)
    store.resolve_session(token, now=T0 + dt.timedelta(minutes=2))
    store.resolve_session(S.new_secret())
    store.end_session(token)
    assert store.data_version() == before


def test_the_logout_check_is_per_session():
    a, b = S.new_secret(), S.new_secret()
    assert S.logout_check(a) == S.logout_check(a) != S.logout_check(b)
    assert len(S.logout_check(a)) == 32


def test_a_version_5_store_gains_the_session_tables(tmp_path):
    url = f"sqlite:///{tmp_path / 'v5.sqlite3'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # a store as schema version 5 left it: no session tables
        for n in range(1, 6):
            MIGRATIONS[n](conn)
            conn.execute(T.schema_version.insert().values(version=n, applied_at=utcnow()))
        for name in reversed(T.SESSION_TABLES):
            T.metadata.tables[name].drop(conn)
    engine.dispose()
    s = open_store(url)
    try:
        assert s.add_user(None, "admin", "admin", None, PASSWORD).ok
        token = sign_in(s, "admin")
        assert s.resolve_session(token, now=T0).user.role == "admin"
    finally:
        s.close()
