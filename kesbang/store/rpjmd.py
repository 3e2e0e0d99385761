"""The provincial RPJMD reference (Bappeda's workbook): stored per province and plan period, append-only;
the newest upload of each (province, period) is the one in force. Several periods can be live at once.
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd
from sqlalchemy import Connection

from kesbang.auth import User, authorise
from kesbang.store import tables as T
from kesbang.store.core import Outcome, Refused, StoreCore
from kesbang.store.engine import utcnow
from kesbang.store.rows import frame_to_rows


def plan_parts(result) -> tuple[str | None, str | None, pd.DataFrame | None, list]:
    """(province code, plan period, indicator frame, issues) from the loader's RpjmdResult."""
    province = getattr(result, "province", None)
    period = getattr(result, "period", None) or getattr(result, "periode_rpjmd", None)
    frame = None
    for name in ("indicators", "frame", "rows", "df", "data"):
        value = getattr(result, name, None)
        if isinstance(value, pd.DataFrame):
            frame = value
            break
    return province, period, frame, list(getattr(result, "issues", []) or [])


def insert_plan(conn: Connection, province: str, period: str, frame: pd.DataFrame, filename: str, data: bytes,
                actor: str, issues: list) -> tuple[int, int]:
    """One RPJMD upload and its indicator rows, written on `conn` (authorised by the caller);
    returns (upload id, rows written)."""
    rid = conn.execute(
        T.rpjmd_uploads.insert()
        .values(
            province=str(province),
            periode_rpjmd=str(period),
            filename=filename,
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            uploaded_by=actor,
            uploaded_at=utcnow(),
            issues=json.dumps([i.to_dict() for i in issues], ensure_ascii=False),
        )
        .returning(T.rpjmd_uploads.c.id)
    ).scalar_one()
    rows = frame_to_rows(T.rpjmd_rows, frame, {"rpjmd_id": rid})
    if rows:
        conn.execute(T.rpjmd_rows.insert(), rows)
    return rid, len(rows)


class RpjmdAPI(StoreCore):
    def put_rpjmd(self, user: User | None, result, data: bytes | None = None, filename: str | None = None) -> Outcome:
        """Store a parsed RPJMD reference workbook (reviewers and admins)."""
        province, period, frame, issues = plan_parts(result)
        filename = filename or getattr(result, "filename", None) or "rpjmd.xlsx"
        data = data if data is not None else getattr(result, "data", None) or b""
        errors = [i for i in issues if getattr(i, "severity", None) == "error"]

        def body(conn: Connection):
            authorise(user, "rpjmd.put", None)
            if errors or frame is None or not province or not period:
                raise Refused("store.invalid_file", {"errors": len(errors), "filename": filename})
            rid, rows = insert_plan(conn, province, period, frame, filename, data, user.username, issues)
            return "store.rpjmd_stored", {"province": province, "period": period, "rows": rows}, rid

        status, message_id, params, value = self._write(user, "rpjmd.put", body)
        return Outcome(status, message_id, params, value)
