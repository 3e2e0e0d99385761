"""`python -m kesbang action …`: follow-ups from the command line, on a real database with real workbooks."""

from __future__ import annotations

import json

import pytest
import storekit

from kesbang.auth import User
from kesbang.cli import main
from kesbang.store import open_store

REVIEWER = User("reviewer", "reviewer")
OPERATOR = User("operator.62.02", "operator", "62.02")
OTHER = User("operator.62.01", "operator", "62.01")


@pytest.fixture
def db(tmp_path):
    """A SQLite store holding one real, ingested 62.02 2026 workbook and three accounts."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    path = tmp_path / "62.02_2026.xlsx"
    path.write_bytes(storekit.real_workbook("62.02", 2026))
    assert main(["ingest", "--db", url, str(path)]) == 0
    store = open_store(url)
    storekit.enrol(store, REVIEWER, OPERATOR, OTHER)
    code = store.dataset().indicators.iloc[0]["kode_indikator"]
    store.close()
    return url, code


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_respond_close_and_list(db, capsys):
    url, code = db
    capsys.readouterr()
    rc, out, err = run(capsys, "action", "add", "--db", url, "--as", "reviewer", "--region", "62.02",
                       "--year", "2026", "--indicator", code, "--text", "Percepat rekrutmen", "--due", "2030-11-30",
                       "--json")
    assert rc == 0, err
    fid = json.loads(out)["id"]
    assert isinstance(fid, int)

    rc, out, err = run(capsys, "action", "respond", str(fid), "--db", url, "--as", "operator.62.02",
                       "--text", "Rekrutmen dibuka 1 November")
    assert rc == 0 and f"#{fid}" in out
    # the other regency's operator is refused, with the reason, exit 1
    rc, out, err = run(capsys, "action", "respond", str(fid), "--db", url, "--as", "operator.62.01", "--text", "x")
    assert rc == 1 and "62.01" in err and "62.02" in err
    # an operator cannot close
    rc, out, err = run(capsys, "action", "close", str(fid), "--db", url, "--as", "operator.62.02")
    assert rc == 1 and "Operator" in err

    rc, out, err = run(capsys, "action", "list", "--db", url, "--region", "62.02", "--year", "2026", "--json")
    assert rc == 0
    [record] = json.loads(out)
    assert (record["id"], record["indicator_code"], record["status"], record["due"]) == (
        fid, code, "open", "2030-11-30")
    assert [(a["by"], a["text"]) for a in record["answers"]] == [("operator.62.02", "Rekrutmen dibuka 1 November")]
    assert record["value_at_opening"] == record["latest_value"] is not None  # one version: nothing moved yet
    assert record["region_name"] == "Kotawaringin Timur" and record["answers"][0]["at"].endswith("Z")

    rc, out, err = run(capsys, "action", "close", str(fid), "--db", url, "--as", "reviewer", "--text", "Selesai")
    assert rc == 0
    rc, out, _ = run(capsys, "action", "list", "--db", url, "--json")
    assert json.loads(out)[0]["status"] == "closed" and json.loads(out)[0]["closed_by"] == "reviewer"
    rc, out, _ = run(capsys, "action", "list", "--db", url, "--region", "62.01")
    assert rc == 0 and "Belum ada tindak lanjut" in out


def test_add_prints_the_new_follow_up(db, capsys):
    url, code = db
    capsys.readouterr()
    rc, out, err = run(capsys, "action", "add", "--db", url, "--region", "62.02", "--year", "2026",
                       "--indicator", code, "--text", "Lengkapi data dukung", "--due", "2030-12-01",
                       "--lang", "en")
    assert rc == 0, err
    assert "Follow-up #1 opened for 62.02, 2026" in out
    assert f"#1 62.02 Kotawaringin Timur · 2026 · {code} · Open · due 2030-12-01" in out
    assert "Lengkapi data dukung" in out and "value when opened:" in out
    rc, out, _ = run(capsys, "action", "add", "--db", url, "--region", "62.02", "--year", "2026", "--indicator",
                     code, "--text", "Kirim laporan TW I", "--due", "2026-04-15")  # already past
    assert rc == 0 and "Terbuka (Lewat tenggat) · tenggat 2026-04-15" in out


def test_usage_errors_and_refusals(db, capsys):
    url, code = db
    capsys.readouterr()
    base = ["action", "add", "--db", url, "--region", "62.02", "--year", "2026", "--text", "x"]
    assert run(capsys, *base, "--indicator", code, "--due", "30-11-2026")[0] == 2
    assert run(capsys, *base, "--indicator", code, "--due", "2030-11-30", "--as", "nobody")[0] == 1
    rc, _, err = run(capsys, *base, "--indicator", "TIDAK-ADA", "--due", "2030-11-30")
    assert rc == 1 and "TIDAK-ADA" in err
    rc, _, err = run(capsys, *base, "--indicator", code, "--due", "2030-11-30", "--as", "operator.62.02")
    assert rc == 1 and "membuka tindak lanjut" in err  # the action named in Indonesian, not "followup.open"
    assert run(capsys, "action", "list", "--db", url, "--region", "xx")[0] == 2
