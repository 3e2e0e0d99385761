"""A new version that leaves out a whole section the previous version had is refused unless confirmed."""

from __future__ import annotations

import json
import subprocess
import sys

import storekit

from kesbang.auth import User, describe
from kesbang.intake.loader import load_submission
from kesbang.store import open_store
from kesbang.store import tables as T


def _without_values(region: str = "62.02", year: int = 2026) -> tuple[bytes, bytes]:
    """The project's own workbook for a region-year, and the same workbook with its values rows deleted."""
    import io

    import openpyxl

    full = storekit.real_workbook(region, year)
    wb = openpyxl.load_workbook(io.BytesIO(full))
    ws = next(ws for ws in wb.worksheets if "nilai" in ws.title.lower())
    header = next(r for r in range(1, 15) if any(str(c.value or "").strip().lower() == "tema" for c in ws[r]))
    ws.delete_rows(header + 1, ws.max_row - header)
    out = io.BytesIO()
    wb.save(out)
    return full, out.getvalue()


def test_dropping_a_section_is_refused_and_stores_nothing_until_confirmed(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'd.sqlite3'}")
    admin = User("admin", "admin")
    storekit.enrol(store, admin)
    full, emptied = _without_values()
    assert store.submit(admin, load_submission(full, "v1.xlsx"), full, "v1.xlsx").status == "stored"
    result = load_submission(emptied, "v2.xlsx")
    assert result.ok and len(result.submission.nilai) == 0

    refused = store.submit(admin, result, emptied, "v2.xlsx")
    assert (refused.status, refused.message_id) == ("refused", "store.sections_dropped")
    dropped = refused.params["dropped"]
    assert [s for s, _n in dropped] == ["activity"] and dropped[0][1] > 0
    assert f"Kegiatan program nilai ({dropped[0][1]})" in describe(refused.message_id, refused.params, "id")
    assert "--allow-drop" in describe(refused.message_id, refused.params, "en")
    assert len(store.history("62.02", 2026)) == 1
    with store.engine.connect() as conn:
        audited = conn.execute(T.audit.select().where(T.audit.c.message_id == "store.sections_dropped")).all()
    assert len(audited) == 1 and audited[0].outcome == "refused"

    stored = store.submit(admin, result, emptied, "v2.xlsx", allow_drop=True)
    assert (stored.status, stored.version) == ("stored", 2)
    store.close()


def test_cli_ingest_needs_allow_drop(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    full, emptied = _without_values()
    (tmp_path / "v1.xlsx").write_bytes(full)
    (tmp_path / "v2.xlsx").write_bytes(emptied)

    def ingest(*args):
        return subprocess.run([sys.executable, "-m", "kesbang", "ingest", "--db", db, "--json", *args],
                              capture_output=True, text=True, timeout=120)

    assert ingest(str(tmp_path / "v1.xlsx")).returncode == 0
    refused = ingest(str(tmp_path / "v2.xlsx"))
    assert refused.returncode == 1
    assert json.loads(refused.stdout)[0]["message_id"] == "store.sections_dropped"
    allowed = ingest("--allow-drop", str(tmp_path / "v2.xlsx"))
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert json.loads(allowed.stdout)[0]["version"] == 2
