"""Follow-ups (tindak lanjut): open on a regency's indicator, answer, close, and list with the values then and now.

A reviewer or head opens a follow-up on one indicator of a region-year (or on an alignment or
measurability finding about it): what is to be done and by when. The regency's operators answer it;
a reviewer or head closes it. Every step is an authorised, audited write (`kesbang.auth.PERMISSIONS`
`followup.*`), and the rows are append-only: answers and the close are events, the status is derived.

A follow-up names its region, year and indicator code, not a submission, so it survives every new
version: `followups()` carries the value when it was opened (from the version then in force) and the
latest value, from the newest version now, each scored by `kesbang.analysis.metrics`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, func, select, tuple_

from kesbang import regions
from kesbang.analysis import metrics
from kesbang.auth import User, authorise
from kesbang.store import tables as T
from kesbang.store.core import Outcome, Refused, StoreCore
from kesbang.store.engine import utcnow

SUBJECTS = ("indicator", "alignment", "measurability")
OPEN, CLOSED = "open", "closed"
MAX_TEXT = 4000


def _clean(text: str | None, what: str) -> str:
    clean = (text or "").strip()
    if not clean:
        raise Refused("followup.text_required", {"what": what})
    if len(clean) > MAX_TEXT:
        raise Refused("followup.text_too_long", {"max": MAX_TEXT})
    return clean


def _newest_rows(conn: Connection, keys: list[tuple[str, int]], codes: list[str]) -> pd.DataFrame:
    """Indicator rows with the given codes in the newest version of each (region, year) of `keys`."""
    columns = ["submission_id", "region", "province", "year", "version", "period",
               *T.frame_columns(T.indicator_rows)]
    if not keys or not codes:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    s, r = T.submissions.c, T.indicator_rows.c
    newest = (select(s.region, s.year, func.max(s.version).label("v"))
              .where(tuple_(s.region, s.year).in_(sorted(set(keys))))
              .group_by(s.region, s.year).subquery())
    q = (select(s.id.label("submission_id"), s.region, s.province, s.year, s.version, s.period,
                *(r[c] for c in T.frame_columns(T.indicator_rows)))
         .join(newest, and_(s.region == newest.c.region, s.year == newest.c.year, s.version == newest.c.v))
         .join(T.indicator_rows, r.submission_id == s.id)
         .where(r.kode_indikator.in_(sorted(set(codes))))
         .order_by(r.id))
    return pd.DataFrame([tuple(row) for row in conn.execute(q).all()], columns=columns)


def _scored(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with realisasi (rolled up to their report's period) and capaian, one per region-year-code."""
    if rows.empty:
        return rows.assign(realisasi=pd.Series(dtype=float), capaian=pd.Series(dtype=float))
    computed = metrics.compute(rows, rules=metrics.Rules.from_settings())
    # a code written twice in one report: the first row speaks for it, as the sheet reads top down
    return computed.drop_duplicates(["region", "year", "kode_indikator"], keep="first")


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


class FollowupsAPI(StoreCore):
    def open_followup(self, user: User | None, region: str, year: int, kode_indikator: str, text: str,
                      due: dt.date, subject: str = "indicator", finding: str | None = None) -> Outcome:
        """Open a follow-up on a regency's indicator; `Outcome.id` is the new follow-up's id."""
        if subject not in SUBJECTS:
            raise ValueError(f"subject must be one of {SUBJECTS}, not {subject!r}")
        code = (kode_indikator or "").strip()
        year = int(year)

        def body(conn: Connection):
            authorise(user, "followup.open", region)
            if regions.region(region) is None:
                raise Refused("auth.unknown_region", {"region": region})
            clean = _clean(text, "text")
            if not code:
                raise Refused("followup.indicator_required", {})
            if not isinstance(due, dt.date):
                raise Refused("followup.bad_due", {"due": str(due)})
            row = _scored(_newest_rows(conn, [(region, year)], [code]))
            if row.empty and subject == "indicator":
                # a follow-up on an indicator needs it reported; a finding may be about a missing one
                raise Refused("followup.no_indicator", {"region": region, "year": year, "code": code})
            first = row.iloc[0] if not row.empty else None
            fid = conn.execute(
                T.followups.insert().values(
                    region=region, province=regions.province_of(region), year=year, kode_indikator=code,
                    indikator=None if first is None else first["indikator"], subject=subject,
                    finding=(finding or "").strip() or None, text=clean, due=due,
                    opened_by=user.username, opened_at=utcnow(),
                    submission_id=None if first is None else int(first["submission_id"]),
                    version=None if first is None else int(first["version"]),
                    period=None if first is None else first["period"],
                    value_at_opening=None if first is None else _number(first["realisasi"]),
                    capaian_at_opening=None if first is None else _number(first["capaian"]),
                ).returning(T.followups.c.id)
            ).scalar_one()
            return "followup.opened", {"id": fid, "region": region, "year": year, "code": code}, {"id": fid}

        status, message_id, params, value = self._write(user, "followup.open", body, region=region, year=year)
        return Outcome(status, message_id, params, value["id"] if value else None)

    def _followup_meta(self, followup_id: int):
        with self._read() as conn:
            return conn.execute(select(T.followups.c.region, T.followups.c.year)
                                .where(T.followups.c.id == int(followup_id))).first()

    def _event(self, user: User | None, followup_id: int, action: str, kind: str, text: str | None,
               needs_text: bool) -> Outcome:
        meta = self._followup_meta(followup_id)
        region, year = (meta.region, meta.year) if meta else (None, None)

        def body(conn: Connection):
            authorise(user, action, region)
            if meta is None:
                raise Refused("followup.not_found", {"id": followup_id})
            closed = conn.execute(select(func.count()).where(T.followup_events.c.followup_id == int(followup_id),
                                                             T.followup_events.c.kind == CLOSED)).scalar()
            if closed:
                raise Refused("followup.already_closed", {"id": followup_id})
            clean = _clean(text, "text") if needs_text else ((text or "").strip()[:MAX_TEXT] or None)
            conn.execute(T.followup_events.insert().values(followup_id=int(followup_id), kind=kind,
                                                           actor=user.username, at=utcnow(), text=clean))
            return f"followup.{kind}", {"id": int(followup_id), "region": region, "year": year}, {"id": followup_id}

        status, message_id, params, _ = self._write(user, action, body, region=region, year=year)
        return Outcome(status, message_id, params, int(followup_id))

    def respond_followup(self, user: User | None, followup_id: int, text: str) -> Outcome:
        """Answer an open follow-up (an operator only for their own regency)."""
        return self._event(user, followup_id, "followup.respond", "response", text, needs_text=True)

    def close_followup(self, user: User | None, followup_id: int, text: str | None = None) -> Outcome:
        """Close an open follow-up, with an optional closing note."""
        return self._event(user, followup_id, "followup.close", CLOSED, text, needs_text=False)

    def followups(self, region: str | None = None, year: int | None = None, province: str | None = None,
                  status: str | None = None, today: dt.date | None = None) -> list[dict[str, Any]]:
        """Every follow-up (filtered), oldest first, as plain records.

        Each: id, region, region_name, province, year, indicator_code, indicator_name, subject, finding,
        text, due (date), status (open | closed), overdue (open and past due on `today`), opened_by,
        opened_at, closed_by, closed_at, closing_note, opened_on ({submission_id, version, period}),
        value_at_opening, capaian_at_opening, latest ({submission_id, version, period} of the newest
        version, or None), latest_value, latest_capaian, change (latest - opening value), answers
        ([{by, at, text}]).
        """
        today = today or utcnow().date()
        f, e = T.followups.c, T.followup_events.c
        q = select(T.followups).order_by(f.id)
        if region is not None:
            q = q.where(f.region == region)
        if year is not None:
            q = q.where(f.year == int(year))
        if province is not None:
            q = q.where(f.province == province)
        with self._read() as conn:
            heads = [dict(r._mapping) for r in conn.execute(q).all()]
            ids = [h["id"] for h in heads]
            events = (conn.execute(select(T.followup_events).where(e.followup_id.in_(ids)).order_by(e.id)).all()
                      if ids else [])
            latest = _scored(_newest_rows(conn, [(h["region"], h["year"]) for h in heads],
                                          [h["kode_indikator"] for h in heads]))
        by_key = {(r.region, int(r.year), r.kode_indikator): r for r in latest.itertuples()}
        out = []
        for h in heads:
            answers = [{"by": ev.actor, "at": ev.at, "text": ev.text} for ev in events
                       if ev.followup_id == h["id"] and ev.kind == "response"]
            close = next((ev for ev in events if ev.followup_id == h["id"] and ev.kind == CLOSED), None)
            now = by_key.get((h["region"], int(h["year"]), h["kode_indikator"]))
            latest_value = None if now is None else _number(now.realisasi)
            opening = h["value_at_opening"]
            record = {
                "id": h["id"], "region": h["region"], "region_name": regions.name_of(h["region"]),
                "province": h["province"], "year": h["year"], "indicator_code": h["kode_indikator"],
                "indicator_name": (now.indikator if now is not None else None) or h["indikator"],
                "subject": h["subject"], "finding": h["finding"], "text": h["text"], "due": h["due"],
                "status": CLOSED if close else OPEN,
                "overdue": close is None and h["due"] < today,
                "opened_by": h["opened_by"], "opened_at": h["opened_at"],
                "closed_by": close.actor if close else None, "closed_at": close.at if close else None,
                "closing_note": close.text if close else None,
                "opened_on": {"submission_id": h["submission_id"], "version": h["version"], "period": h["period"]},
                "value_at_opening": opening, "capaian_at_opening": h["capaian_at_opening"],
                "latest": None if now is None else {"submission_id": int(now.submission_id),
                                                    "version": int(now.version), "period": now.period},
                "latest_value": latest_value,
                "latest_capaian": None if now is None else _number(now.capaian),
                "change": None if latest_value is None or opening is None else latest_value - opening,
                "answers": answers,
            }
            if status is None or record["status"] == status:
                out.append(record)
        return out
