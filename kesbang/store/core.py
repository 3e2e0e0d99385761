"""The Store's plumbing: transactions, the audit log, outcomes and error translation.

Every write runs as `_write(actor, action, ...)`: one short transaction that authorises, changes and
audits together. A refusal raised inside (`Denied`, `Refused`) or a database failure rolls the write
back, and the refusal is then audited in its own short transaction, so nothing half-written remains
and nothing refused goes unrecorded.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, exc, select

from kesbang.auth import Denied, User, is_builtin
from kesbang.store import tables as T
from kesbang.store.engine import utcnow

log = logging.getLogger(__name__)


class Refused(Exception):  # noqa: N818 - a write refused for a reason the user can act on
    def __init__(self, message_id: str, params: dict | None = None, status: str = "refused"):
        super().__init__(message_id)
        self.message_id = message_id
        self.params = dict(params or {})
        self.status = status


@dataclass
class Outcome:
    """What a write did. status: "ok" | "refused" (review, comments, users, RPJMD)."""

    status: str
    message_id: str
    params: dict[str, Any] = field(default_factory=dict)
    id: int | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class SubmitOutcome:
    """status: "stored" | "duplicate" | "refused"; version/submission_id of the stored (or same) version."""

    status: str
    message_id: str
    params: dict[str, Any] = field(default_factory=dict)
    version: int | None = None
    submission_id: int | None = None
    region: str | None = None
    year: int | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("stored", "duplicate")


def _db_failure(error: Exception) -> Refused:
    """Translate a database error into a message the user can act on."""
    text = str(getattr(error, "orig", error)).lower()
    if (
        "disk is full" in text
        or "database or disk is full" in text
        or "no space left" in text
        or "could not extend file" in text
        or "diskfull" in type(getattr(error, "orig", error)).__name__.lower()
    ):
        return Refused("store.disk_full", {}, status="failed")
    if "append-only" in text:
        return Refused("store.history_readonly", {}, status="failed")
    if isinstance(error, exc.OperationalError) and "locked" in text:
        return Refused("store.busy", {}, status="failed")
    return Refused("store.write_failed", {"error": type(getattr(error, "orig", error)).__name__}, status="failed")


class StoreCore:
    engine: Engine

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(kesbang_read=True) as conn, conn.begin():
            yield conn

    def _audit_row(
        self,
        conn: Connection,
        actor: User | None,
        action: str,
        outcome: str,
        message_id: str,
        params: dict | None = None,
        region: str | None = None,
        year: int | None = None,
        submission_id: int | None = None,
    ) -> None:
        conn.execute(
            T.audit.insert().values(
                at=utcnow(),
                actor=actor.username if actor else None,
                action=action,
                outcome=outcome,
                region=region,
                year=year,
                submission_id=submission_id,
                message_id=message_id,
                detail=json.dumps(params or {}, ensure_ascii=False, default=str),
            )
        )
        if outcome == "ok" and action != "auth.login":  # a change: the same rows as T.CHANGE_CONDITION
            counter = T.data_version
            conn.execute(
                counter.update()
                .where(counter.c.id == T.DATA_VERSION_ROW)
                .values(version=counter.c.version + 1)
            )

    def _audit_alone(self, *args, **kwargs) -> None:
        """Audit a refused write in its own transaction (the write itself was rolled back)."""
        try:
            with self.engine.begin() as conn:
                self._audit_row(conn, *args, **kwargs)
        except exc.SQLAlchemyError:  # e.g. the disk is still full: the refusal is still returned to the user
            log.exception("could not audit a refused write")

    def audit_refusal(
        self, username: str, action: str, message_id: str, params: dict | None = None,
        region: str | None = None, year: int | None = None,
    ) -> None:
        """Audit a write refused before it reached the store because `username` names no enabled account
        (the CLI's `--as` with an unknown or disabled name): the attempt is recorded under that name."""
        self._audit_alone(User(username, "-"), action, "denied", message_id, params, region, year)

    def _check_actor(self, conn: Connection, actor: User | None) -> None:
        """Refuse a caller-built `User` that is not the enabled account the database holds (same name,
        role and region): the permission matrix reads `actor.role`, so a page that built the `User` from
        anything but the store (session state, a widget) must not get past it. Anonymous (None) and the
        process's built-in actors are left to `authorise`."""
        if actor is None or is_builtin(actor):
            return
        row = conn.execute(
            select(T.users.c.role, T.users.c.region, T.users.c.disabled).where(T.users.c.username == actor.username)
        ).first()
        if row is None or row.disabled or row.role != actor.role or (row.region or None) != (actor.region or None):
            raise Denied("security.not_an_account", {"user": actor.username})

    def _write(
        self,
        actor: User | None,
        action: str,
        body: Callable[[Connection], tuple[str, dict, Any]],
        *,
        region: str | None = None,
        year: int | None = None,
        submission_id: int | None = None,
        retries: int = 3,
    ) -> tuple[str, str, dict, Any]:
        """Run `body(conn)` in one write transaction; it returns (message_id, params, value) and audits
        itself or leaves the "ok" audit row to here. Returns (status, message_id, params, value)."""
        attempt = 0
        while True:
            attempt += 1
            try:
                with self.engine.begin() as conn:
                    self._check_actor(conn, actor)
                    message_id, params, value = body(conn)
                    self._audit_row(
                        conn,
                        actor,
                        action,
                        "ok",
                        message_id,
                        params,
                        region,
                        year,
                        submission_id if submission_id is not None else _id_of(value),
                    )
                return "ok", message_id, params, value
            except Denied as d:
                self._audit_alone(actor, action, "denied", d.message_id, d.params, region, year, submission_id)
                return "refused", d.message_id, d.params, None
            except Refused as r:
                self._audit_alone(
                    actor,
                    action,
                    r.status,
                    r.message_id,
                    r.params,
                    region,
                    year,
                    submission_id,
                )
                return "refused", r.message_id, r.params, None
            except exc.IntegrityError as e:
                # a concurrent writer on PostgreSQL took the same version/row first: retry cleanly
                if attempt < retries:
                    continue
                r = _db_failure(e)
                self._audit_alone(actor, action, "failed", r.message_id, r.params, region, year, submission_id)
                return "refused", r.message_id, r.params, None
            except exc.DBAPIError as e:
                r = _db_failure(e)
                log.warning("write %s failed: %s", action, e)
                self._audit_alone(actor, action, "failed", r.message_id, r.params, region, year, submission_id)
                return "refused", r.message_id, r.params, None

    # --- audit and change id -------------------------------------------------------------------

    def data_version(self) -> int:
        """The change id: counts every successful write (upload, review, comment, RPJMD, account change,
        seeding), from this process or another, in commit order (`tables.data_version`); logins and
        refusals do not change it. Equal versions always mean the same data."""
        with self._read() as conn:
            counter = T.data_version
            return int(conn.execute(select(counter.c.version).where(counter.c.id == T.DATA_VERSION_ROW)).scalar_one())


def _id_of(value: Any) -> int | None:
    return value if isinstance(value, int) else getattr(value, "submission_id", None)
