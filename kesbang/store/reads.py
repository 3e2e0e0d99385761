"""Reads: the Dataset of latest versions, a region-year's history, one version rebuilt, the review queue.

Built for national scale (514 regions × 5 years × ~60 indicators): a handful of bulk queries straight
into DataFrames, joined on a "latest version per region-year" subquery, never one query per row.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, select

from kesbang import dataset as ds
from kesbang import schema
from kesbang.model import Submission, ValidationIssue
from kesbang.store import tables as T
from kesbang.store.core import StoreCore
from kesbang.store.engine import utcnow
from kesbang.store.rows import rows_to_frame
from kesbang.store.submissions import REVIEW_KINDS

_STAGE_ORDER = {s.key: n for n, s in enumerate(schema.STAGES)}


def _status_of(submission_id_column):
    """A version's status as a correlated scalar subquery: one probe of ix_events_submission per version.
    (A join to a grouped "newest event" subquery was planned as a nested loop on both engines once
    statistics were stale: seconds at national scale.)"""
    e = T.events.c
    return (
        select(e.kind)
        .where(e.submission_id == submission_id_column, e.kind.in_(REVIEW_KINDS))
        .order_by(e.id.desc())
        .limit(1)
        .scalar_subquery()
        .label("status")
    )


def _newest_versions(province: str | None = None, years: list[int] | None = None, region: str | None = None):
    s = T.submissions.c
    newest = select(s.region, s.year, func.max(s.version).label("v")).group_by(s.region, s.year)
    if province is not None:
        newest = newest.where(s.province == province)
    if years is not None:
        newest = newest.where(s.year.in_([int(y) for y in years]))
    if region is not None:
        newest = newest.where(s.region == region)
    return newest.subquery()


def _latest_ids(province: str | None = None, years: list[int] | None = None):
    """Ids of the latest versions only. Row queries join this, not `_latest_subquery`: with the status
    join inside, SQLite's planner scanned the status rows once per indicator row (60 s at national scale)."""
    s = T.submissions.c
    newest = _newest_versions(province, years)
    return (
        select(s.id.label("submission_id"))
        .join(newest, and_(s.region == newest.c.region, s.year == newest.c.year, s.version == newest.c.v))
        .subquery()
    )


def _latest_subquery(province: str | None = None, years: list[int] | None = None, region: str | None = None):
    s = T.submissions.c
    newest = _newest_versions(province, years, region)
    return (
        select(
            s.id.label("submission_id"),
            s.region,
            s.province,
            s.year,
            s.version,
            s.period,
            s.sha256,
            s.filename,
            s.uploaded_by,
            s.uploaded_at,
            _status_of(s.id),
            s.n_errors,
            s.n_warnings,
            s.format_version,
        )
        .join(newest, and_(s.region == newest.c.region, s.year == newest.c.year, s.version == newest.c.v))
        .subquery()
    )


class ReadsAPI(StoreCore):
    def dataset(self, province: str | None = None, years: list[int] | None = None) -> ds.Dataset:
        """The latest version of every region-year (optionally one province / some years) + RPJMD."""
        latest = _latest_subquery(province, years)
        ids = _latest_ids(province, years)
        with self._read() as conn:
            subs = pd.read_sql(select(latest), conn)  # sorted in pandas: see _latest_ids
            subs = subs.sort_values(["province", "region", "year"], kind="stable").reset_index(drop=True)
            if subs.empty:
                return ds.Dataset(rpjmd=self._rpjmd_frame(conn, province))
            # the regency's own RPJMD period lives in its Identitas JSON (the alignment page compares it)
            ident = conn.execute(
                select(T.submissions.c.id, T.submissions.c.identitas).join(
                    ids, ids.c.submission_id == T.submissions.c.id
                )
            ).all()
            own_period = {r.id: json.loads(r.identitas or "{}").get("periode_rpjmd") for r in ident}
            subs["periode_rpjmd"] = subs["submission_id"].map(own_period)
            frames = {}
            for name, table in (
                ("indikator", T.indicator_rows),
                ("paskibraka", T.paskibraka_rows),
                ("nilai", T.nilai_rows),
            ):
                cols = [table.c[c] for c in T.frame_columns(table)]
                # ids ascend with insertion, so ordering by id keeps each version's rows in sheet order
                q = (
                    select(table.c.submission_id, *cols)
                    .join(ids, ids.c.submission_id == table.c.submission_id)
                    .order_by(table.c.id)
                )
                frames[name] = _bulk_frame(conn, q)
            rpjmd = self._rpjmd_frame(conn, province)
        keys = subs[["submission_id", "region", "province", "year", "version", "period", "status"]]
        ind = frames["indikator"].merge(keys, on="submission_id", how="left")
        pas = frames["paskibraka"].merge(keys, on="submission_id", how="left")
        pas["stage_order"] = pas["tahap"].map(_STAGE_ORDER)
        nil = frames["nilai"].merge(keys, on="submission_id", how="left")
        return ds.Dataset(
            indicators=_columns(ind, ds.INDICATOR_COLUMNS),
            paskibraka=_columns(pas, ds.PASKIBRAKA_COLUMNS),
            nilai=_columns(nil, ds.NILAI_COLUMNS),
            submissions=_columns(subs, ds.SUBMISSION_COLUMNS),
            rpjmd=rpjmd,
        )

    def _rpjmd_frame(self, conn, province: str | None) -> pd.DataFrame:
        u = T.rpjmd_uploads.c
        newest = select(func.max(u.id).label("rid")).group_by(u.province, u.periode_rpjmd)
        if province is not None:
            newest = newest.where(u.province == province)
        newest = newest.subquery()
        cols = [T.rpjmd_rows.c[c] for c in T.frame_columns(T.rpjmd_rows)]
        q = (
            select(u.province, u.periode_rpjmd, T.rpjmd_rows.c.rpjmd_id, *cols)
            .join(T.rpjmd_rows, T.rpjmd_rows.c.rpjmd_id == u.id)
            .join(newest, newest.c.rid == u.id)
            .order_by(u.province, u.periode_rpjmd, T.rpjmd_rows.c.id)
        )
        frame = pd.read_sql(q, conn)
        extra = [c for c in frame.columns if c not in ds.RPJMD_COLUMNS]
        return _columns(frame, [*ds.RPJMD_COLUMNS, *extra])

    def history(self, region: str, year: int) -> pd.DataFrame:
        """Every version of a region-year, oldest first: version, sha256, uploaded_by, uploaded_at, status,
        comments (number of comments in its thread), plus submission_id, filename, n_errors, n_warnings."""
        s = T.submissions.c
        e = T.events.c
        ncomments = select(func.count()).where(e.submission_id == s.id, e.comment.is_not(None)).scalar_subquery()
        q = (
            select(
                s.version,
                s.sha256,
                s.uploaded_by,
                s.uploaded_at,
                _status_of(s.id),
                ncomments.label("comments"),
                s.id.label("submission_id"),
                s.filename,
                s.period,
                s.n_errors,
                s.n_warnings,
            )
            .where(s.region == region, s.year == int(year))
            .order_by(s.version)
        )
        with self._read() as conn:
            return pd.read_sql(q, conn)

    def submission(self, submission_id: int) -> Submission | None:
        """Any stored version, rebuilt as the loader produced it (None when there is no such id)."""
        with self._read() as conn:
            head = conn.execute(select(T.submissions).where(T.submissions.c.id == int(submission_id))).first()
            if head is None:
                return None
            frames = {}
            for name, table in (
                ("indikator", T.indicator_rows),
                ("paskibraka", T.paskibraka_rows),
                ("nilai", T.nilai_rows),
            ):
                cols = [table.c[c] for c in T.frame_columns(table)]
                rows = conn.execute(select(*cols).where(table.c.submission_id == head.id).order_by(table.c.id)).all()
                frames[name] = rows_to_frame(table, rows)
        issues = [ValidationIssue.from_dict(d) for d in json.loads(head.issues)]
        return Submission(
            identitas=json.loads(head.identitas),
            indikator=frames["indikator"],
            paskibraka=frames["paskibraka"],
            nilai=frames["nilai"],
            issues=issues,
            extra_columns=json.loads(head.extra_columns),
            format_version=head.format_version,
        )

    def submission_meta(self, submission_id: int) -> dict | None:
        """One version's header: id, region, year, version, period, filename, sha256, uploader, status."""
        s = T.submissions.c
        with self._read() as conn:
            row = conn.execute(
                select(
                    s.id.label("submission_id"),
                    s.region,
                    s.province,
                    s.year,
                    s.version,
                    s.period,
                    s.filename,
                    s.sha256,
                    s.size,
                    s.uploaded_by,
                    s.uploaded_at,
                    s.n_errors,
                    s.n_warnings,
                    s.format_version,
                    _status_of(s.id),
                ).where(s.id == int(submission_id))
            ).first()
        return None if row is None else dict(row._mapping)

    def file(self, submission_id: int) -> tuple[str, bytes] | None:
        """The original uploaded bytes of a version, with the name it was uploaded under."""
        with self._read() as conn:
            row = conn.execute(
                select(T.submissions.c.filename, T.submissions.c.data).where(T.submissions.c.id == int(submission_id))
            ).first()
        return None if row is None else (row.filename, bytes(row.data))

    def queue(self, province: str | None = None) -> pd.DataFrame:
        """Latest version of every region-year with its status, age and lock: what reviewers work through.
        Columns: submission_id, region, province, year, version, period, status, uploaded_by, uploaded_at,
        age_hours, n_errors, n_warnings, locked."""
        latest = _latest_subquery(province)
        with self._read() as conn:
            frame = pd.read_sql(select(latest), conn)  # sorted here: ORDER BY upsets SQLite's plan (see _latest_ids)
        frame = frame.sort_values(["uploaded_at", "submission_id"], kind="stable").reset_index(drop=True)
        frame["uploaded_at"] = pd.to_datetime(frame["uploaded_at"])
        frame["age_hours"] = (pd.Timestamp(utcnow()) - frame["uploaded_at"]).dt.total_seconds() / 3600
        frame["locked"] = frame["status"] == "approved"
        return frame[
            [
                "submission_id",
                "region",
                "province",
                "year",
                "version",
                "period",
                "status",
                "uploaded_by",
                "uploaded_at",
                "age_hours",
                "n_errors",
                "n_warnings",
                "locked",
            ]
        ]

    def comments(self, submission_id: int) -> pd.DataFrame:
        """The comment thread of a version, oldest first: id, kind, actor, at, comment (review actions
        carry their comment too, so a return's reason sits in the thread)."""
        e = T.events.c
        with self._read() as conn:
            return pd.read_sql(
                select(e.id, e.kind, e.actor, e.at, e.comment)
                .where(e.submission_id == int(submission_id), e.comment.is_not(None))
                .order_by(e.id),
                conn,
            )

    def events(self, region: str, year: int) -> pd.DataFrame:
        """Review events of a region-year, oldest first (submission_id, version, kind, actor, at, comment)."""
        e = T.events.c
        q = (
            select(e.id, e.submission_id, T.submissions.c.version, e.kind, e.actor, e.at, e.comment)
            .join(T.submissions, T.submissions.c.id == e.submission_id)
            .where(e.region == region, e.year == int(year))
            .order_by(e.id)
        )
        with self._read() as conn:
            return pd.read_sql(q, conn)

    def audit(self, limit: int = 200) -> pd.DataFrame:
        """Newest audit entries first: id, at, actor, action, outcome, region, year, submission_id,
        message_id, detail (JSON)."""
        with self._read() as conn:
            return pd.read_sql(select(T.audit).order_by(T.audit.c.id.desc()).limit(int(limit)), conn)


def _columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    for c in columns:
        if c not in frame:
            frame[c] = None
    return frame[columns].reset_index(drop=True)


# Rows per chunk of a bulk read. The national indicator read (154k rows × 40 columns) held every row as
# Python objects at once before building the frame: 560 MB peak RSS for an 85 MB frame. In chunks only
# one chunk's objects are alive (peak 290-340 MB); 2k-20k rows gave about the same peak, 50k more.
STREAM_ROWS = 10_000


def _bulk_frame(conn, query) -> pd.DataFrame:
    """A big read streamed into a DataFrame chunk by chunk, equal to reading it whole (`pd.read_sql`):
    same columns, dtypes, values and order, at a fraction of the peak memory and no slower.

    `yield_per` streams on both engines: SQLite steps its cursor as rows are fetched; on PostgreSQL it
    opens a server-side cursor, so neither the driver nor libpq holds the whole result either (a plain
    psycopg cursor keeps all of it in client memory). Each chunk is built the way pandas builds a whole
    read; `_stack` then joins them column by column, releasing the chunks as it goes."""
    result = conn.execute(query, execution_options={"yield_per": STREAM_ROWS})
    names = list(result.keys())
    chunks = [
        pd.DataFrame.from_records([tuple(r) for r in rows], columns=names, coerce_float=True)
        for rows in result.partitions(STREAM_ROWS)
    ]
    if len(chunks) <= 1:
        return chunks[0] if chunks else pd.DataFrame.from_records([], columns=names, coerce_float=True)
    return _stack(chunks, names)


def _stack(chunks: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    """The chunks one under the other, typed as if read whole. A column is joined, then dropped from the
    chunks, so at most one column exists twice. Text columns keep their chunks (pyarrow joins them without
    a copy): at national scale sorting, filtering, grouping and `metrics.compute` ran as fast on them as
    on one contiguous buffer, and merging the buffers would copy all the text again."""
    columns = {}
    for name in names:
        parts = [chunk.pop(name) for chunk in chunks]
        columns[name] = _stack_column(parts)
    return pd.DataFrame(columns, copy=False)


def _all_null_object(part: pd.Series) -> bool:
    return part.dtype == object and bool(part.isna().all())


def _stack_column(parts: list[pd.Series]) -> pd.Series:
    if len({p.dtype for p in parts}) > 1:
        # A chunk where the column is NULL throughout was typed object (None); read whole, those NULLs
        # sit among the other chunks' values and take their type: NaN in float64 (ints with NULLs are
        # float64 too) or the text dtype. Anything else (dates) stays object, as a whole read keeps it.
        typed = {p.dtype for p in parts if not _all_null_object(p)}
        target = None
        if typed and all(isinstance(t, np.dtype) and t.kind in "iuf" for t in typed):
            target = np.dtype("float64")
        elif len(typed) == 1 and isinstance(next(iter(typed)), pd.StringDtype):
            target = next(iter(typed))
        if target is not None:
            parts = [p.astype(target) if _all_null_object(p) else p for p in parts]
    return pd.concat(parts, ignore_index=True)
