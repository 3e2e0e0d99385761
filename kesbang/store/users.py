"""Accounts: add, disable, change password, list, and log in (argon2id hashes; failures audited).

Disabling an account or changing its password ends its sign-in sessions in the same write
(`kesbang.store.sessions.end_all_for_account`).

The users table is mutable (disable and password change update a row; the session tables slide too); every change
is audited. Bootstrap: while no account exists, `add_user(None, …)` may create the first admin.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import Connection, func, select

from kesbang import regions, settings
from kesbang.auth import Denied, User, authorise, check_role, hash_password, verify_password
from kesbang.store import tables as T
from kesbang.store.core import Outcome, Refused, StoreCore
from kesbang.store.engine import utcnow
from kesbang.store.sessions import end_all_for_account

MAX_USERNAME = 100


def _int_setting(name: str, fallback: int) -> int:
    try:
        return max(1, int(settings.get(name)))
    except ValueError:
        return fallback


def login_limits() -> tuple[int, int]:
    """(failed sign-ins allowed, window in minutes) from the settings `login_max_failures` and
    `login_window_min`; a malformed value falls back to 5 failures in 15 minutes rather than no limit."""
    return _int_setting("login_max_failures", 5), _int_setting("login_window_min", 15)


def _user(row) -> User:
    return User(row.username, row.role, row.region)


class UsersAPI(StoreCore):
    def has_users(self) -> bool:
        with self._read() as conn:
            return bool(conn.execute(select(func.count()).select_from(T.users)).scalar())

    def add_user(self, actor: User | None, username: str, role: str, region: str | None, password: str) -> Outcome:
        """Create an account. `actor` must be an admin, except for the very first account (an admin)."""
        username = (username or "").strip()
        code = regions.normalise_code(region) if region else None
        try:  # hashed before the write transaction: argon2 is deliberately slow
            password_hash = hash_password(password or "")
        except Denied as d:
            self._audit_alone(actor, "user.add", "refused", d.message_id, d.params)
            return Outcome("refused", d.message_id, d.params)

        def body(conn: Connection):
            empty = not conn.execute(select(func.count()).select_from(T.users)).scalar()
            if not (empty and actor is None and role == "admin"):
                authorise(actor, "user.manage")
            if not username or len(username) > MAX_USERNAME or any(ch.isspace() for ch in username):
                raise Refused("auth.bad_username", {"username": username[:MAX_USERNAME]})
            if region and code is None:
                raise Refused("auth.unknown_region", {"region": region})
            check_role(role, code)
            if conn.execute(select(T.users.c.id).where(T.users.c.username == username)).first():
                raise Refused("auth.user_exists", {"username": username})
            uid = conn.execute(
                T.users.insert()
                .values(
                    username=username,
                    role=role,
                    region=code,
                    password_hash=password_hash,
                    disabled=False,
                    created_at=utcnow(),
                    created_by=actor.username if actor else "bootstrap",
                )
                .returning(T.users.c.id)
            ).scalar_one()
            return "auth.user_added", {"username": username, "role": role, "region": code or "-"}, uid

        status, message_id, params, value = self._write(actor, "user.add", body, region=code)
        return Outcome(status, message_id, params, value)

    def _change_user(self, actor: User | None, username: str, action: str, message_id: str, values_of,
                     end_sessions: str | None = None) -> Outcome:
        """Update one account; `end_sessions` (a reason) also ends its sign-in sessions in the same write."""
        def body(conn: Connection):
            authorise(actor, "user.manage")
            row = conn.execute(select(T.users).where(T.users.c.username == username)).first()
            if row is None:
                raise Refused("auth.no_user", {"username": username})
            conn.execute(T.users.update().where(T.users.c.id == row.id).values(**values_of(row)))
            if end_sessions:
                end_all_for_account(conn, row.id, end_sessions)
            return message_id, {"username": username}, row.id

        status, mid, params, value = self._write(actor, action, body)
        return Outcome(status, mid, params, value)

    def disable_user(self, actor: User | None, username: str) -> Outcome:
        if actor is not None and actor.username == username:
            self._audit_alone(actor, "user.disable", "refused", "auth.cannot_disable_self", {"username": username})
            return Outcome("refused", "auth.cannot_disable_self", {"username": username})
        return self._change_user(actor, username, "user.disable", "auth.user_disabled", lambda row: {"disabled": True},
                                 end_sessions="disabled")

    def enable_user(self, actor: User | None, username: str) -> Outcome:
        return self._change_user(actor, username, "user.enable", "auth.user_enabled", lambda row: {"disabled": False})

    def set_password(self, actor: User | None, username: str, password: str) -> Outcome:
        try:
            new_hash = hash_password(password)
        except Denied as d:
            self._audit_alone(actor, "user.passwd", "refused", d.message_id, d.params)
            return Outcome("refused", d.message_id, d.params)
        return self._change_user(
            actor, username, "user.passwd", "auth.password_set", lambda row: {"password_hash": new_hash},
            end_sessions="password",
        )

    def list_users(self) -> pd.DataFrame:
        """username, role, region, disabled, created_at, created_by (never the hash)."""
        u = T.users.c
        with self._read() as conn:
            frame = pd.read_sql(
                select(u.username, u.role, u.region, u.disabled, u.created_at, u.created_by).order_by(u.username),
                conn,
            )
        frame["region"] = frame["region"].astype(object).where(frame["region"].notna(), None)
        frame["disabled"] = frame["disabled"].astype(bool)
        return frame

    def user(self, username: str) -> User | None:
        """An enabled account by name (for `--as USER` in the CLI); None if unknown or disabled."""
        with self._read() as conn:
            row = conn.execute(
                select(T.users).where(T.users.c.username == username, T.users.c.disabled.is_(False))
            ).first()
        return None if row is None else _user(row)

    def login_blocked(self, username: str, now: dt.datetime | None = None) -> bool:
        """True while `username` has `login_max_failures` audited wrong-password sign-ins within the last
        `login_window_min` minutes. Counted from the audit log (the one record of failures, shared by every
        app process), by name, so guessing at an unknown name is slowed the same way as at a real one."""
        username = (username or "").strip()[:MAX_USERNAME]
        limit, minutes = login_limits()
        now = now or utcnow()
        a = T.audit.c
        # failures are audited with exactly {"username": …} as detail (see authenticate below); the
        # condition is the predicate of ix_audit_login_failures, so the count is read from that index
        detail = json.dumps({"username": username}, ensure_ascii=False)
        query = (
            select(func.count())
            .select_from(T.audit)
            .where(
                T.FAILED_LOGIN_CONDITION,
                a.detail == detail,
                a.at > now - dt.timedelta(minutes=minutes),
                a.at <= now,
            )
        )
        with self._read() as conn:
            return conn.execute(query).scalar_one() >= limit

    def authenticate(self, username: str, password: str, now: dt.datetime | None = None) -> User | None:
        """The user when the name and password match an enabled account; otherwise None (and audited).
        An unknown name still costs one hash verification, so timing does not reveal which names exist.
        After too many failures for a name (`login_blocked`) even the right password is refused, audited
        as `auth.login_throttled`, until the window passes; `now` (UTC, naive) is for tests."""
        username = (username or "").strip()[:MAX_USERNAME]
        if self.login_blocked(username, now):
            # no hash verification here: a throttled guesser costs no argon2 time
            self._audit_alone(None, "auth.login", "refused", "auth.login_throttled",
                              {"username": username, "minutes": login_limits()[1]})
            return None
        with self._read() as conn:
            row = conn.execute(select(T.users).where(T.users.c.username == username)).first()
        good = verify_password(row.password_hash if row else None, password or "")
        if row is None or not good or row.disabled:
            reason = "auth.login_failed" if row is None or not good else "auth.login_disabled"
            self._audit_alone(None, "auth.login", "refused", reason, {"username": username})
            return None
        self._audit_alone(_user(row), "auth.login", "ok", "auth.login_ok", {"username": username})
        return _user(row)
