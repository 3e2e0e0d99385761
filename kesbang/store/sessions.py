"""Sign-in sessions kept in the store: one-time codes, the session behind the browser's cookie, sliding
idle time-out, sign-out, and ending every session of an account.

A password sign-in (`login_code`) yields a one-time code: single use, valid for `CODE_SECONDS`. The web
edge exchanges it (`exchange_code`) for a session token, `secrets.token_urlsafe(32)` (256 random bits),
which the browser keeps as an HttpOnly cookie. The store keeps only the SHA-256 of codes and tokens, so
its rows (or a backup) open no session. Every page run resolves the token (`resolve_session`) to the
account, read from the users table then, so a disabled account or a changed role counts at once; the
idle time-out (`session_timeout_min`) slides with each resolve, and `session_max_hours` caps a session's
life however active it is. A forged, expired or replayed code or token is refused and audited (action
`auth.session`, outcome `refused`: refusals change no data, so `Store.data_version` stays).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, exc, func, select

from kesbang import settings
from kesbang.auth import User
from kesbang.store import tables as T
from kesbang.store.core import StoreCore
from kesbang.store.engine import utcnow

log = logging.getLogger(__name__)

CODE_SECONDS = 30
TOKEN_BYTES = 32
ACTION = "auth.session"
# what token_urlsafe(TOKEN_BYTES) gives: 43 characters of the URL-safe base64 alphabet
_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")


def new_secret() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def well_formed(secret: object) -> bool:
    """True for a string shaped like a code or token this module hands out (safe in a URL or HTML)."""
    return isinstance(secret, str) and _SECRET.fullmatch(secret) is not None


def digest(secret: str) -> str:
    """The SHA-256 (hex) under which a code or token is stored and looked up."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def logout_check(token: str) -> str:
    """The per-session value a sign-out request must carry: another site cannot sign a user out without
    knowing the token, which it never sees (the cookie is HttpOnly)."""
    return hmac.new(token.encode("utf-8"), b"kesbang-logout", hashlib.sha256).hexdigest()[:32]


def _minutes(name: str, fallback: float, floor: float) -> float:
    try:
        return max(floor, float(settings.get(name)))
    except ValueError:
        return fallback


def idle_timeout() -> dt.timedelta:
    """`session_timeout_min` (at least one minute; a malformed value means 30)."""
    return dt.timedelta(minutes=_minutes("session_timeout_min", 30, 1))


def max_lifetime() -> dt.timedelta:
    """`session_max_hours` (at least one hour; a malformed value means 12)."""
    return dt.timedelta(hours=_minutes("session_max_hours", 12, 1))


def touch_interval(timeout: dt.timedelta) -> dt.timedelta:
    """How stale `last_seen` may get before a resolve writes it: a page run is a read, not a write, on
    most runs. The time-out is measured from `last_seen`, so it may end up to this much early."""
    return min(dt.timedelta(seconds=60), timeout / 10)


@dataclass(frozen=True)
class LoginCode:
    user: User
    code: str


@dataclass(frozen=True)
class SessionStart:
    """An exchanged code: the new session's token and account, or the refusal's message id."""

    token: str | None = None
    user: User | None = None
    refused: str | None = None


@dataclass(frozen=True)
class SessionCheck:
    """A resolved token: the account, or the refusal's message id (`auth_session.*`)."""

    user: User | None = None
    refused: str | None = None


def end_all_for_account(conn: Connection, user_id: int, reason: str, now: dt.datetime | None = None) -> int:
    """End every open session of an account inside the caller's transaction (disable, password change);
    unused sign-in codes die with them. Returns how many sessions ended."""
    now = now or utcnow()
    s, c = T.sessions.c, T.login_codes.c
    conn.execute(T.login_codes.update().where(c.user_id == user_id, c.used_at.is_(None)).values(used_at=now))
    result = conn.execute(
        T.sessions.update().where(s.user_id == user_id, s.ended_at.is_(None)).values(ended_at=now, end_reason=reason)
    )
    return result.rowcount


def _account(row) -> User:
    return User(row.username, row.role, row.region)


class SessionsAPI(StoreCore):
    """Mixed into `Store` beside `UsersAPI`, whose `authenticate` checks the password (and its throttle)."""

    def refuse_session(self, message_id: str, secret: str | None, *, actor: str | None = None,
                       client: str | None = None, **detail) -> None:
        """Audit a refused code or token (`auth_session.*`), by the first characters of its hash."""
        # the hash's first characters name the row without making the audit log a key store
        params = {"ref": digest(secret)[:12] if isinstance(secret, str) else "-", **detail}
        if client:
            params["client"] = client[:64]
        self._audit_alone(User(actor, "-") if actor else None, ACTION, "refused", message_id, params)

    def login_code(self, username: str, password: str, now: dt.datetime | None = None) -> LoginCode | None:
        """A one-time sign-in code for the right name and password (None otherwise). The password check,
        its audit row and the throttle are `authenticate`'s."""
        user = self.authenticate(username, password, now)
        if user is None:
            return None
        now = now or utcnow()
        code = new_secret()
        with self.engine.begin() as conn:
            user_id = conn.execute(select(T.users.c.id).where(T.users.c.username == user.username)).scalar_one()
            conn.execute(T.login_codes.insert().values(
                code_sha256=digest(code), user_id=user_id, created_at=now,
                expires_at=now + dt.timedelta(seconds=CODE_SECONDS)))
        return LoginCode(user, code)

    def exchange_code(self, code: str, *, client: str | None = None, now: dt.datetime | None = None) -> SessionStart:
        """Use a sign-in code (once) and open a session for its account. Refused, and audited: a code
        never issued (`auth_session.code_unknown`), used before (`code_replayed`), older than
        `CODE_SECONDS` (`code_expired`), or whose account was disabled since (`account_disabled`)."""
        now = now or utcnow()
        if not well_formed(code):
            self.refuse_session("auth_session.code_unknown", code, client=client)
            return SessionStart(refused="auth_session.code_unknown")
        c, u = T.login_codes.c, T.users.c
        token = new_secret()
        with self.engine.begin() as conn:
            row = conn.execute(
                select(c.id, c.user_id, c.expires_at, c.used_at, u.username, u.role, u.region, u.disabled)
                .join(T.users, u.id == c.user_id).where(c.code_sha256 == digest(code))
            ).first()
            refused = _code_refusal(row, now)
            if refused is None:
                # the condition makes the use single even when two requests race with the same code
                used = conn.execute(T.login_codes.update().where(c.id == row.id, c.used_at.is_(None))
                                    .values(used_at=now)).rowcount
                refused = None if used == 1 else "auth_session.code_replayed"
            if refused is None:
                conn.execute(T.sessions.insert().values(
                    token_sha256=digest(token), user_id=row.user_id, created_at=now, last_seen=now,
                    expires_at=now + max_lifetime()))
        if refused is not None:
            self.refuse_session(refused, code, actor=row.username if row else None, client=client)
            return SessionStart(refused=refused)
        return SessionStart(token=token, user=_account(row))

    def resolve_session(self, token: str, *, client: str | None = None, now: dt.datetime | None = None) -> SessionCheck:
        """The account behind a session token, its idle time-out slid forward. Refused, and audited: a
        token never issued (`auth_session.unknown`), a session signed out or ended before
        (`auth_session.ended`), idle past `session_timeout_min` or older than `session_max_hours`
        (`auth_session.expired`, which also ends it), or whose account is disabled (`account_disabled`)."""
        now = now or utcnow()
        if not well_formed(token):
            self.refuse_session("auth_session.unknown", token, client=client)
            return SessionCheck(refused="auth_session.unknown")
        s, u = T.sessions.c, T.users.c
        with self._read() as conn:
            row = conn.execute(
                select(s.id, s.last_seen, s.expires_at, s.ended_at, s.end_reason,
                       u.username, u.role, u.region, u.disabled)
                .join(T.users, u.id == s.user_id).where(s.token_sha256 == digest(token))
            ).first()
        timeout = idle_timeout()
        refused, end = _session_refusal(row, now, timeout)
        if end is not None:
            self._end(row.id, end, now)
        if refused is not None:
            detail = {"ended": row.end_reason} if row is not None and row.end_reason else {}
            self.refuse_session(refused, token, actor=row.username if row else None, client=client, **detail)
            return SessionCheck(refused=refused)
        if now - row.last_seen >= touch_interval(timeout):
            self._touch(row.id, now)
        return SessionCheck(user=_account(row))

    def _end(self, session_id: int, reason: str, now: dt.datetime) -> None:
        s = T.sessions.c
        with self.engine.begin() as conn:
            conn.execute(T.sessions.update().where(s.id == session_id, s.ended_at.is_(None))
                         .values(ended_at=now, end_reason=reason))

    def _touch(self, session_id: int, now: dt.datetime) -> None:
        s = T.sessions.c
        try:
            with self.engine.begin() as conn:
                conn.execute(T.sessions.update().where(s.id == session_id, s.ended_at.is_(None), s.last_seen < now)
                             .values(last_seen=now))
        except exc.SQLAlchemyError:  # a busy or full store: this run stays signed in, the next one retries
            log.warning("could not slide session %s", session_id, exc_info=True)

    def end_session(self, token: str, reason: str = "logout", now: dt.datetime | None = None) -> bool:
        """Sign out: end the token's session (True when it was open). Ending an ended one does nothing."""
        if not well_formed(token):
            return False
        s = T.sessions.c
        with self.engine.begin() as conn:
            ended = conn.execute(
                T.sessions.update().where(s.token_sha256 == digest(token), s.ended_at.is_(None))
                .values(ended_at=now or utcnow(), end_reason=reason)).rowcount
        return ended == 1

    def open_sessions(self, username: str | None = None, now: dt.datetime | None = None) -> int:
        """How many sessions are open (not ended, within their absolute end), of one account or all."""
        s, u = T.sessions.c, T.users.c
        query = (select(func.count()).select_from(T.sessions).join(T.users, u.id == s.user_id)
                 .where(s.ended_at.is_(None), s.expires_at > (now or utcnow())))
        if username is not None:
            query = query.where(u.username == username)
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())


def _code_refusal(row, now: dt.datetime) -> str | None:
    if row is None:
        return "auth_session.code_unknown"
    if row.disabled:  # disabling also spends the account's unused codes: say why, not "used before"
        return "auth_session.account_disabled"
    if row.used_at is not None:
        return "auth_session.code_replayed"
    if now >= row.expires_at:
        return "auth_session.code_expired"
    return None


def _session_refusal(row, now: dt.datetime, timeout: dt.timedelta) -> tuple[str | None, str | None]:
    """(refusal message id or None, end reason to record now or None)."""
    if row is None:
        return "auth_session.unknown", None
    if row.ended_at is not None:  # a time-out stays a time-out on every later presentation
        return ("auth_session.expired" if row.end_reason == "expired" else "auth_session.ended"), None
    if row.disabled:  # disabling ends sessions in its own transaction; this is the second lock on the door
        return "auth_session.account_disabled", "disabled"
    if now - row.last_seen > timeout or now >= row.expires_at:
        return "auth_session.expired", "expired"
    return None, None
