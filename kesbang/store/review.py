"""Review: approve, return (with a comment), reopen (with a comment) and comment threads.

State machine per version (status = newest review event): submitted | resubmitted → returned | approved;
approved → reopened (unlocks the region-year). Only the latest version of a region-year is reviewed;
a new upload after a return or reopen is "resubmitted". Each action is an appended event row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from kesbang.auth import User, authorise
from kesbang.store import tables as T
from kesbang.store.core import Outcome, Refused, StoreCore
from kesbang.store.engine import utcnow
from kesbang.store.submissions import latest_of, lock_of, lock_region_year, status_of

ACTIONS = {"approve": "approved", "return": "returned", "reopen": "reopened"}
# status a version must have for each action
ALLOWED_FROM = {
    "approve": ("submitted", "resubmitted", "reopened"),
    "return": ("submitted", "resubmitted", "reopened"),
    "reopen": ("approved",),
}
# a version in one of these is waiting for a reviewer's decision
WAITING = ALLOWED_FROM["approve"]
NEEDS_COMMENT = ("return", "reopen")
MAX_COMMENT = 4000


def _target(conn: Connection, submission_id: int):
    row = conn.execute(
        select(T.submissions.c.id, T.submissions.c.region, T.submissions.c.year, T.submissions.c.version).where(
            T.submissions.c.id == int(submission_id)
        )
    ).first()
    if row is None:
        raise Refused("store.no_submission", {"submission_id": submission_id})
    return row


def _clean_comment(comment: str | None) -> str | None:
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT:
        raise Refused("store.comment_too_long", {"max": MAX_COMMENT})
    return text or None


def _add_event(conn: Connection, target, kind: str, user: User, comment: str | None) -> int:
    """Append one event (a review action or a comment) to a version's thread; returns its id."""
    return conn.execute(
        T.events.insert()
        .values(
            submission_id=target.id,
            region=target.region,
            year=target.year,
            kind=kind,
            actor=user.username,
            at=utcnow(),
            comment=comment,
        )
        .returning(T.events.c.id)
    ).scalar_one()


def _version_row(conn: Connection, region: str, year: int, version: int | None):
    """The version `version` of a region-year (None: its latest), or Refused naming what is missing."""
    c = T.submissions.c
    q = select(c.id, c.region, c.year, c.version).where(c.region == region, c.year == year)
    q = q.order_by(c.version.desc()).limit(1) if version is None else q.where(c.version == int(version))
    row = conn.execute(q).first()
    if row is None and version is None:
        raise Refused("store.no_versions", {"region": region, "year": year})
    if row is None:
        raise Refused("store.no_version", {"region": region, "year": year, "version": version})
    return row


@dataclass(frozen=True)
class _Reviewed:
    event_id: int
    submission_id: int  # `StoreCore._write` audits the version reviewed from this


def _apply(conn: Connection, user: User, action: str, target, comment: str | None):
    """The review write on a found, locked version: comment rule, latest-only, state machine, event."""
    text = _clean_comment(comment)
    if action in NEEDS_COMMENT and not text:
        raise Refused("store.comment_required", {"action": f"review.{action}"})
    latest = latest_of(conn, target.region, target.year)
    if latest.id != target.id:
        raise Refused("store.not_latest", {"version": target.version, "latest": latest.version})
    status = status_of(conn, target.id)
    if status not in ALLOWED_FROM[action]:
        raise Refused("store.bad_transition", {"action": f"review.{action}", "status": status or "-"})
    eid = _add_event(conn, target, ACTIONS[action], user, text)
    params = {**_version_params(target), "submission_id": target.id}
    return f"store.{ACTIONS[action]}", params, _Reviewed(eid, target.id)


def _version_params(target) -> dict:
    """The message parameters naming a version: region, year and version number."""
    return {"region": target.region, "year": target.year, "version": target.version}


class ReviewAPI(StoreCore):
    def _target_meta(self, submission_id: int) -> tuple[str | None, int | None]:
        with self._read() as conn:
            row = conn.execute(
                select(T.submissions.c.region, T.submissions.c.year).where(T.submissions.c.id == int(submission_id))
            ).first()
        return (row.region, row.year) if row else (None, None)

    def review(self, user: User | None, submission_id: int, action: str, comment: str | None = None) -> Outcome:
        """Approve, return or reopen a version (authorised and state-checked inside the write)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown review action {action!r}")
        region, year = self._target_meta(submission_id)

        def body(conn: Connection):
            authorise(user, f"review.{action}", region)
            target = _target(conn, submission_id)
            lock_region_year(conn, target.region, target.year)
            return _apply(conn, user, action, target, comment)

        status, message_id, params, value = self._write(
            user, f"review.{action}", body, region=region, year=year, submission_id=int(submission_id)
        )
        return Outcome(status, message_id, params, value.event_id if value else None)

    def review_version(
        self, user: User | None, region: str, year: int, action: str, comment: str | None = None,
        version: int | None = None,
    ) -> Outcome:
        """`review` by region-year and version number (None: the latest), the version found inside the
        write under the region-year's lock, so an upload arriving meanwhile cannot be approved unseen.
        The outcome's params name the version reviewed (and its `submission_id`)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown review action {action!r}")
        year = int(year)

        def body(conn: Connection):
            authorise(user, f"review.{action}", region)
            lock_region_year(conn, region, year)
            target = _version_row(conn, region, year, version)
            return _apply(conn, user, action, target, comment)

        status, message_id, params, value = self._write(user, f"review.{action}", body, region=region, year=year)
        return Outcome(status, message_id, params, value.event_id if value else None)

    def comment(self, user: User | None, submission_id: int, text: str) -> Outcome:
        """Add a comment to a version's thread (reviewers anywhere, operators on their own region)."""
        region, year = self._target_meta(submission_id)

        def body(conn: Connection):
            authorise(user, "comment", region)
            target = _target(conn, submission_id)
            clean = _clean_comment(text)
            if not clean:
                raise Refused("store.comment_required", {"action": "comment"})
            eid = _add_event(conn, target, "comment", user, clean)
            return "store.commented", _version_params(target), eid

        status, message_id, params, value = self._write(
            user, "comment", body, region=region, year=year, submission_id=int(submission_id)
        )
        return Outcome(status, message_id, params, value)

    def locked(self, region: str, year: int) -> dict | None:
        """The approval locking a region-year (approved_by, approved_at, version, submission_id) or None."""
        with self._read() as conn:
            return lock_of(conn, region, int(year))

    def status(self, submission_id: int) -> str | None:
        with self._read() as conn:
            return status_of(conn, int(submission_id))
