"""Storing submission versions: authorised, lock-checked, de-duplicated, numbered 1, 2, 3… per region-year.

The caller parses and validates first (`kesbang.intake.loader.load_submission`); `submit` is then one short
write transaction. Version numbers are allocated inside it: SQLite holds the database write lock
from BEGIN IMMEDIATE; PostgreSQL locks the region-year's row in `region_years` (SELECT … FOR UPDATE),
and the unique constraint on (region, year, version) backs both.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import postgresql, sqlite

from kesbang.analysis.diff import dropped_sections, section_rows
from kesbang.auth import SYSTEM_ROLE, User, authorise
from kesbang.model import LoadResult
from kesbang.store import tables as T
from kesbang.store.core import Refused, StoreCore, SubmitOutcome
from kesbang.store.engine import utcnow
from kesbang.store.rows import to_rows

REVIEW_KINDS = ("submitted", "resubmitted", "returned", "approved", "reopened")


def status_of(conn: Connection, submission_id: int) -> str | None:
    """A version's review status: the kind of its newest review event."""
    return conn.execute(
        select(T.events.c.kind)
        .where(T.events.c.submission_id == submission_id, T.events.c.kind.in_(REVIEW_KINDS))
        .order_by(T.events.c.id.desc())
        .limit(1)
    ).scalar()


def lock_of(conn: Connection, region: str, year: int) -> dict | None:
    """The approval that locks a region-year (actor, at, submission_id, version), or None when open."""
    ev = conn.execute(
        select(T.events.c.kind, T.events.c.actor, T.events.c.at, T.events.c.submission_id)
        .where(
            T.events.c.region == region,
            T.events.c.year == year,
            T.events.c.kind.in_(("approved", "reopened")),
        )
        .order_by(T.events.c.id.desc())
        .limit(1)
    ).first()
    if ev is None or ev.kind != "approved":
        return None
    version = conn.execute(select(T.submissions.c.version).where(T.submissions.c.id == ev.submission_id)).scalar()
    return {
        "approved_by": ev.actor,
        "approved_at": ev.at.strftime("%Y-%m-%d %H:%M UTC"),
        "version": version,
        "submission_id": ev.submission_id,
    }


def latest_of(conn: Connection, region: str, year: int):
    return conn.execute(
        select(T.submissions.c.id, T.submissions.c.version)
        .where(T.submissions.c.region == region, T.submissions.c.year == year)
        .order_by(T.submissions.c.version.desc())
        .limit(1)
    ).first()


def stored_rows(conn: Connection, submission_id: int) -> dict[str, int]:
    """Rows per diff section of a stored version."""
    counts = {}
    for section, table in (("indicator", T.indicator_rows), ("stage", T.paskibraka_rows), ("activity", T.nilai_rows)):
        counts[section] = conn.execute(
            select(func.count()).select_from(table).where(table.c.submission_id == submission_id)
        ).scalar_one()
    return counts


def lock_region_year(conn: Connection, region: str, year: int) -> None:
    """Serialise writers of one region-year (a no-op beyond BEGIN IMMEDIATE on SQLite)."""
    dialect = conn.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    conn.execute(insert(T.region_years).values(region=region, year=year).on_conflict_do_nothing())
    if dialect == "postgresql":
        conn.execute(
            select(T.region_years.c.region)
            .where(T.region_years.c.region == region, T.region_years.c.year == year)
            .with_for_update()
        )


class SubmissionsAPI(StoreCore):
    def submit(
        self, user: User | None, result: LoadResult, data: bytes, filename: str, *, allow_drop: bool = False
    ) -> SubmitOutcome:
        """Store one validated upload as the next version of its region-year (see module docstring).

        A version that leaves out a whole section the previous one had is refused unless `allow_drop`."""
        sub = result.submission
        region = sub.region if sub is not None else None
        year = sub.year if sub is not None else None

        def refuse(message_id: str, params: dict, status: str = "denied") -> SubmitOutcome:
            self._audit_alone(user, "submit", status, message_id, {**params, "filename": filename}, region, year)
            return SubmitOutcome("refused", message_id, params, region=region, year=year)

        if user is None:
            return refuse("auth.login_required", {"action": "submit"})
        if user.role == SYSTEM_ROLE:  # seeding writes directly; through here it is never allowed
            return refuse("auth.system_only_seed", {"action": "submit"})
        if sub is None or not result.ok:
            return refuse("store.invalid_file", {"errors": len(result.errors), "filename": filename}, "refused")
        sha = hashlib.sha256(data).hexdigest()

        def body(conn: Connection):
            authorise(user, "submit", region)
            out = self._store_version(conn, user, result, data, filename, sha, allow_drop)
            return out.message_id, out.params, out

        try:
            status, message_id, params, value = self._write(user, "submit", body, region=region, year=year)
        except _Duplicate as d:
            params = {"region": region, "year": year, "version": d.version}
            self._audit_alone(
                user,
                "submit",
                "refused",
                "store.duplicate",
                {**params, "filename": filename},
                region,
                year,
                d.submission_id,
            )
            return SubmitOutcome("duplicate", "store.duplicate", params, d.version, d.submission_id, region, year)
        if status == "ok":
            return value
        return SubmitOutcome("refused", message_id, params, region=region, year=year)

    def _store_version(
        self, conn: Connection, user: User, result: LoadResult, data: bytes, filename: str, sha: str,
        allow_drop: bool,
    ) -> SubmitOutcome:
        """The write itself (caller has authorised): lock, de-duplicate, lock check, next version, rows."""
        sub = result.submission
        region, year = sub.region, sub.year
        lock_region_year(conn, region, year)
        dup = conn.execute(
            select(T.submissions.c.id, T.submissions.c.version).where(
                T.submissions.c.region == region, T.submissions.c.year == year, T.submissions.c.sha256 == sha
            )
        ).first()
        if dup is not None:
            raise _Duplicate(dup.id, dup.version)
        lock = lock_of(conn, region, year)
        if lock is not None:
            raise Refused("store.locked", {"region": region, "year": year, **lock})
        previous = latest_of(conn, region, year)
        version = 1 if previous is None else previous.version + 1
        if previous is not None and not allow_drop:
            dropped = dropped_sections(stored_rows(conn, previous.id), section_rows(sub))
            if dropped:
                raise Refused(
                    "store.sections_dropped",
                    {"region": region, "year": year, "version": previous.version, "dropped": dropped},
                    status="refused",
                )
        kind = "submitted"
        if previous is not None and status_of(conn, previous.id) in ("returned", "reopened"):
            kind = "resubmitted"
        now = utcnow()
        sid = conn.execute(
            T.submissions.insert()
            .values(
                region=region,
                province=region.split(".")[0],
                year=year,
                version=version,
                period=sub.period,
                format_version=sub.format_version,
                filename=filename,
                sha256=sha,
                size=len(data),
                data=data,
                uploaded_by=user.username,
                uploaded_at=now,
                identitas=json.dumps(sub.identitas, ensure_ascii=False, default=str),
                issues=json.dumps([i.to_dict() for i in result.issues], ensure_ascii=False),
                extra_columns=json.dumps(sub.extra_columns or {}, ensure_ascii=False),
                n_errors=len(result.errors),
                n_warnings=len(result.warnings),
            )
            .returning(T.submissions.c.id)
        ).scalar_one()
        owner = {"submission_id": sid}
        for table, key in ((T.indicator_rows, "indikator"), (T.paskibraka_rows, "paskibraka"), (T.nilai_rows, "nilai")):
            rows = to_rows(table, sub.held(key), owner)
            if rows:
                conn.execute(table.insert(), rows)
        conn.execute(
            T.events.insert().values(
                submission_id=sid, region=region, year=year, kind=kind, actor=user.username, at=now
            )
        )
        params = {"region": region, "year": year, "version": version}
        return SubmitOutcome("stored", "store.stored", params, version, sid, region, year)


class _Duplicate(Exception):  # noqa: N818 - control flow out of the write transaction
    def __init__(self, submission_id: int, version: int):
        super().__init__(submission_id)
        self.submission_id = submission_id
        self.version = version
