"""First start: fill an empty store from `sample_data/` so the embedded default shows a whole province.

Runs as the built-in "sistem" actor (allowed for seeding only) and creates demo accounts for the local
sample set-up (their shared password is in docs/OPERATIONS.md, never in the UI). Idempotent across
processes starting at once: files are parsed first, then one write transaction re-checks that the
store is still empty (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock) and writes everything.
Turned off by the `seed_sample` setting.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text

from kesbang import settings
from kesbang.auth import SYSTEM, authorise, hash_password
from kesbang.store import tables as T
from kesbang.store.core import StoreCore
from kesbang.store.engine import utcnow
from kesbang.store.rpjmd import insert_plan, plan_parts
from kesbang.store.submissions import _Duplicate

log = logging.getLogger(__name__)

# Demo password of the sample accounts (documented in docs/OPERATIONS.md; override with
# KESBANG_DEMO_PASSWORD). Only ever used for the local sample set-up: production turns seeding off.
DEMO_PASSWORD = "kesbang-contoh-2026"  # noqa: S105 - documented demo password, sample set-up only
DEMO_STAFF = (("admin", "admin"), ("reviewer", "reviewer"), ("kepala", "head"))
RETURN_COMMENT = (
    "Data contoh: mohon lengkapi data dukung (tautan) dan faktor penghambat untuk indikator "
    "yang capaiannya rendah, lalu unggah ulang."
)


def demo_accounts(regions: list[str]) -> list[tuple[str, str, str | None]]:
    """(username, role, region) of the demo accounts: admin, reviewer, kepala, operator.<code> per region."""
    return [(u, r, None) for u, r in DEMO_STAFF] + [(f"operator.{code}", "operator", code) for code in regions]


class SeedAPI(StoreCore):
    def is_empty(self) -> bool:
        with self._read() as conn:
            return _empty(conn)

    def seed_if_empty(self, sample_dir: Path, progress: Callable[[int, int], None] | None = None) -> int:
        """Store every sample workbook and the demo accounts when the store is empty; returns how many
        workbooks were stored (0 when the store already had data or another process seeded it).
        `progress(done, total)` is called as the work goes: once per workbook read, once for the write."""
        if not settings.flag("seed_sample") or not self.is_empty():
            return 0  # production turns seeding off (seed_sample=0): no demo accounts, ever
        from kesbang.intake import loader  # the loader is only needed for seeding (and imports openpyxl etc.)

        sample_dir = Path(sample_dir)
        paths = sorted(sample_dir.glob("*.xlsx"))
        step = progress or (lambda done, total: None)
        step(0, len(paths) + 1)
        plans, uploads = [], []
        for n, path in enumerate(paths, start=1):
            data = path.read_bytes()
            if path.name.startswith("rpjmd_"):
                result = loader.load_rpjmd(data, path.name)
                plans.append((path.name, data, result))
            else:
                result = loader.load_submission(data, path.name)
                if result.ok:
                    uploads.append((path.name, data, result))
                else:
                    log.warning("sample %s does not validate: %s", path.name, [i.code for i in result.errors])
            step(n, len(paths) + 1)
        if not uploads and not plans:
            return 0
        regions = sorted({r.submission.region for _, _, r in uploads})
        password = os.environ.get("KESBANG_DEMO_PASSWORD") or DEMO_PASSWORD
        # One hash for every demo account: they share the documented password, so a salt per account
        # would protect nothing, and 27 argon2 hashes were 85% of a first start's seeding (4.3 of 5.0 s).
        demo_hash = hash_password(password)
        accounts = [(u, role, reg, demo_hash) for u, role, reg in demo_accounts(regions)]
        stored = self._seed_write(plans, uploads, accounts)
        step(len(paths) + 1, len(paths) + 1)
        return stored

    def _seed_write(self, plans, uploads, accounts) -> int:
        stored = 0
        authorise(SYSTEM, "seed")
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(814225002)"))
            if not _empty(conn):
                return 0  # another process seeded while we were parsing
            for name, data, result in plans:
                self._seed_plan(conn, name, data, result)
            latest: dict[tuple[str, int], int] = {}
            for name, data, result in uploads:
                try:
                    out = self._store_version(conn, SYSTEM, result, data, name, hashlib.sha256(data).hexdigest(),
                                              allow_drop=True)  # the shipped sample is stored as it is
                except _Duplicate:
                    continue
                latest[(out.region, out.year)] = out.submission_id
                stored += 1
            self._seed_reviews(conn, latest)
            now = utcnow()
            for username, role, region, pw_hash in accounts:
                conn.execute(
                    T.users.insert().values(
                        username=username,
                        role=role,
                        region=region,
                        password_hash=pw_hash,
                        disabled=False,
                        created_at=now,
                        created_by=SYSTEM.username,
                    )
                )
            self._audit_row(
                conn,
                SYSTEM,
                "seed",
                "ok",
                "store.seeded",
                {"files": stored, "plans": len(plans), "accounts": len(accounts)},
            )
        return stored + len(plans)

    def _seed_plan(self, conn, name: str, data: bytes, result) -> None:
        province, period, frame, issues = plan_parts(result)
        if frame is None or not province or not period or any(i.severity == "error" for i in issues):
            log.warning("sample plan %s does not validate", name)
            return
        insert_plan(conn, province, period, frame, name, data, SYSTEM.username, issues)

    def _seed_reviews(self, conn, latest: dict[tuple[str, int], int]) -> None:
        """Give the review pages something to show: the closed year approved, a few current ones returned."""
        years = sorted({y for _, y in latest})
        if not years:
            return
        current = years[-1]
        now = utcnow()
        for n, ((region, year), sid) in enumerate(sorted(latest.items())):
            if year < current:
                kind, comment = "approved", None
            elif n % 7 == 3:
                kind, comment = "returned", RETURN_COMMENT
            else:
                continue
            conn.execute(
                T.events.insert().values(
                    submission_id=sid,
                    region=region,
                    year=year,
                    kind=kind,
                    actor=SYSTEM.username,
                    at=now,
                    comment=comment,
                )
            )


def _empty(conn) -> bool:
    return not (
        conn.execute(select(func.count()).select_from(T.submissions)).scalar()
        or conn.execute(select(func.count()).select_from(T.users)).scalar()
        or conn.execute(select(func.count()).select_from(T.rpjmd_uploads)).scalar()
    )
