"""The store's command line: ingest, history and user, on real workbooks and real databases.

Most calls go through `kesbang.cli.main` in-process (the same code path as `python -m kesbang`); one
test runs the real `python -m kesbang` processes with passwords on stdin.
"""

from __future__ import annotations

import functools
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import storekit

from kesbang.auth import User
from kesbang.cli import main
from kesbang.store import open_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    out = {
        "a": tmp_path / "62.02_2026.xlsx",
        "a2": tmp_path / "62.02_2026_revisi.xlsx",
        "b": tmp_path / "62.01_2025.xlsx",
        "bad": tmp_path / "laporan.xlsx",
        "rpjmd": tmp_path / "rpjmd_62.xlsx",
    }
    out["a"].write_bytes(storekit.real_workbook("62.02", 2026))
    out["a2"].write_bytes(storekit.real_workbook("62.02", 2026, operator="Siti Rahmah"))
    out["b"].write_bytes(storekit.real_workbook("62.01", 2025))
    out["bad"].write_bytes(b"kode,nama\n62.02,Kotawaringin Timur\n")  # a CSV renamed .xlsx
    out["rpjmd"].write_bytes(storekit.real_rpjmd("62"))
    return out


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def add_user(capsys, monkeypatch, db: str, *argv: str, password: str) -> tuple[int, str, str]:
    """`user add --db DB ARGV... --password-stdin`, the password typed on stdin."""
    return run(capsys, "user", "add", "--db", db, *argv, "--password-stdin", stdin=password + "\n",
               monkeypatch=monkeypatch)


def history(capsys, db: str, region: str = "62.02", year: str = "2026") -> list[dict]:
    code, out, _ = run(capsys, "history", "--db", db, "--region", region, "--year", year, "--json")
    assert code == 0
    return json.loads(out)["versions"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    return request.getfixturevalue("pg_url")


def test_ingest_then_history_on_both_engines(capsys, db, files):
    code, out, _ = run(capsys, "ingest", "--db", db, str(files["a"]), str(files["b"]), str(files["rpjmd"]))
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == f"{files['a']}: tersimpan, 62.02 2026 versi 1"
    assert lines[1] == f"{files['b']}: tersimpan, 62.01 2025 versi 1"
    assert "RPJMD provinsi 62" in lines[2]

    code, out, _ = run(capsys, "ingest", "--db", db, str(files["a"]))  # the same bytes again
    assert code == 0 and "sudah ada (versi 1" in out
    code, out, _ = run(capsys, "ingest", "--db", db, "--lang", "en", str(files["a2"]))
    assert code == 0 and out.strip() == f"{files['a2']}: stored, 62.02 2026 version 2"

    versions = history(capsys, db)
    assert [v["version"] for v in versions] == [1, 2]
    assert set(versions[0]) >= {"version", "sha256", "uploaded_by", "uploaded_at", "status"}
    assert versions[0]["status"] == "submitted" and versions[0]["uploaded_by"].startswith("konsol:")
    assert versions[0]["uploaded_at"].endswith("Z")
    import hashlib

    assert versions[1]["sha256"] == hashlib.sha256(files["a2"].read_bytes()).hexdigest()
    assert history(capsys, db, "6201", "2025")[0]["version"] == 1  # codes are normalised
    assert history(capsys, db, "62.03", "2026") == []


def test_a_refused_file_stores_nothing_and_exits_non_zero(capsys, tmp_path, files):
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    missing = tmp_path / "tidak_ada.xlsx"
    code, out, _ = run(capsys, "ingest", "--db", db, str(files["bad"]), str(files["a"]), str(missing))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{files['bad']}: ditolak: ") and "kesalahan" in lines[0]
    assert "CSV" in lines[1]  # the file's own error, with where and what to do
    assert any(line.startswith(f"{files['a']}: tersimpan") for line in lines)
    assert any(line.startswith(f"{missing}: tidak dapat dibaca") for line in lines)
    assert [v["version"] for v in history(capsys, db)] == [1]


def test_ingest_as_a_user_follows_that_users_rules(capsys, tmp_path, files, monkeypatch):
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    store = open_store(db)
    assert store.add_user(None, "admin", "admin", None, "kata-sandi-admin").ok
    admin = User("admin", "admin")
    assert store.add_user(admin, "op.kotim", "operator", "62.02", "kata-sandi-op-1").ok
    assert store.add_user(admin, "op.kobar", "operator", "62.01", "kata-sandi-op-2").ok

    code, out, _ = run(capsys, "ingest", "--db", db, "--as", "op.kobar", str(files["a"]))
    assert code == 1 and "hanya berwenang untuk wilayah 62.01" in out
    assert history(capsys, db) == []
    assert store.audit(1).iloc[0]["message_id"] == "auth.region_denied"

    code, out, _ = run(capsys, "ingest", "--db", db, "--as", "op.kotim", str(files["a"]))
    assert code == 0 and "versi 1" in out
    assert history(capsys, db)[0]["uploaded_by"] == "op.kotim"

    code, _, err = run(capsys, "ingest", "--db", db, "--as", "siapa", str(files["a2"]))
    assert code == 1 and "siapa" in err

    # approval locks the region-year: the CLI is refused with the reason, like the app
    sid = int(store.history("62.02", 2026).loc[0, "submission_id"])
    rev = User("rev", "reviewer")
    storekit.enrol(store, rev)
    assert store.review(rev, sid, "approve").ok
    code, out, _ = run(capsys, "ingest", "--db", db, "--as", "op.kotim", str(files["a2"]))
    assert code == 1 and "sudah disetujui" in out and "terkunci" in out
    assert [v["status"] for v in history(capsys, db)] == ["approved"]
    store.close()


def test_user_commands_in_process(capsys, tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    add = functools.partial(add_user, capsys, monkeypatch, db)
    code, out, _ = add("--username", "admin", "--role", "admin", password="kata-sandi-admin")
    assert code == 0 and "admin ditambahkan" in out
    code, _, err = add("--username", "op", "--role", "operator", password="kata-sandi-op-1")
    assert code == 1 and "wilayah" in err  # an operator needs a region
    code, _, _ = add("--username", "op", "--role", "operator", "--region", "62.02", password="kata-sandi-op-1")
    assert code == 0
    code, _, err = add("--as", "op", "--username", "x", "--role", "head", password="kata-sandi-x-12")
    assert code == 1 and "tidak berwenang" in err and "(mengelola pengguna)" in err
    code, _, err = add("--username", "y", "--role", "head", password="")
    assert code == 2 and "stdin" in err
    code, out, _ = run(capsys, "user", "list", "--db", db, "--json")
    listed = {u["username"]: u for u in json.loads(out)}
    assert listed["op"]["region"] == "62.02" and listed["admin"]["region"] is None
    assert run(capsys, "user", "disable", "--db", db, "op")[0] == 0
    code, out, _ = run(capsys, "user", "list", "--db", db, "--json")
    assert {u["username"]: u["disabled"] for u in json.loads(out)} == {"admin": False, "op": True}
    assert run(capsys, "user", "disable", "--db", db, "nobody")[0] == 1


def test_real_processes_with_passwords_on_stdin(tmp_path, files):
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {**os.environ, "KESBANG_DATABASE_URL": db}

    def kesbang(*argv: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kesbang", *argv],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )

    assert (
        kesbang(
            "user", "add", "--username", "admin", "--role", "admin", "--password-stdin", stdin="kata-sandi-admin\n"
        ).returncode
        == 0
    )
    assert (
        kesbang(
            "user",
            "add",
            "--username",
            "op",
            "--role",
            "operator",
            "--region",
            "62.02",
            "--password-stdin",
            stdin="kata-sandi-op-1\n",
        ).returncode
        == 0
    )
    assert kesbang("user", "passwd", "op", "--password-stdin", stdin="sandi-baru-panjang\n").returncode == 0
    store = open_store(db)
    assert store.authenticate("op", "kata-sandi-op-1") is None
    assert store.authenticate("op", "sandi-baru-panjang") == User("op", "operator", "62.02")
    store.close()
    done = kesbang("ingest", "--as", "op", str(files["a"]), str(files["b"]))
    assert done.returncode == 1  # 62.01 is not op's region
    assert "tersimpan, 62.02 2026 versi 1" in done.stdout and "ditolak" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    shown = kesbang("history", "--region", "62.02", "--year", "2026", "--json")
    assert json.loads(shown.stdout)["versions"][0]["uploaded_by"] == "op"


def test_an_unreachable_database_is_one_clear_line(capsys, tmp_path):
    for url in ("sqlite:////nonexistent-dir/x/kesbang.sqlite3", "nonsense://"):
        code, out, err = run(capsys, "history", "--db", url, "--region", "62.02", "--year", "2026")
        assert code == 1 and out == ""
        assert err.startswith("Basis data tidak dapat dibuka: ") and "Traceback" not in err


def test_ingest_tells_an_rpjmd_workbook_from_a_submission_by_content(capsys, tmp_path):
    """File names say nothing: a plan saved as `bappeda-2025.xlsx` is the RPJMD reference, a regency's
    report saved as `rpjmd-kotim.xlsx` is a submission."""
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    plan = tmp_path / "bappeda-2025.xlsx"
    plan.write_bytes(storekit.real_rpjmd("62"))
    report = tmp_path / "rpjmd-kotim.xlsx"
    report.write_bytes(storekit.real_workbook("62.02", 2026))
    code, out, _ = run(capsys, "ingest", "--db", db, "--json", str(plan), str(report))
    assert code == 0
    records = json.loads(out)
    assert "RPJMD provinsi 62" in records[0]["message"] and "version" not in records[0]
    assert (records[1]["status"], records[1]["region"], records[1]["year"], records[1]["version"]) == (
        "stored", "62.02", 2026, 1)
