"""`python -m kesbang review approve|return|reopen`: Bappeda's review from the command line, on both engines.

Calls go through `kesbang.cli.main` in-process (the code path of `python -m kesbang`); the store is a
real SQLite file or a fresh PostgreSQL database, and what the command did is read back from the store
(status, comment thread, audit log), never from the command's own output alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import storekit

from kesbang.auth import User
from kesbang.cli import main
from kesbang.i18n import t
from kesbang.store import open_store

ROOT = Path(__file__).resolve().parent.parent
REVIEWER = User("reviewer.bappeda", "reviewer")
OPERATOR = User("operator.62.02", "operator", "62.02")
OPERATOR_B = User("operator.62.03", "operator", "62.03")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'review.sqlite3'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    store = open_store(url)
    try:
        storekit.enrol(store, REVIEWER, OPERATOR, OPERATOR_B)
        for user, region, seed in ((OPERATOR, "62.02", 0), (OPERATOR, "62.02", 1), (OPERATOR_B, "62.03", 0)):
            assert store.submit(user, *storekit.upload(region, 2026, seed)).status == "stored"
    finally:
        store.close()
    return url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def review(capsys, db: str, action: str, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "review", action, "--db", db, "--year", "2026", *argv)


def read(db: str, fn):
    store = open_store(db)
    try:
        return fn(store)
    finally:
        store.close()


def statuses(db: str, region: str) -> list[str]:
    return read(db, lambda s: s.history(region, 2026)["status"].tolist())


def newest_audit(db: str) -> dict:
    return read(db, lambda s: s.audit(1).iloc[0].to_dict())


def test_approve_the_latest_version_locks_it_and_is_audited_under_the_reviewer(capsys, db):
    code, out, err = review(capsys, db, "approve", "--as", REVIEWER.username, "--region", "62.02")
    assert (code, err) == (0, "")
    assert out.strip() == "62.02 2026: " + t("store.approved", region="62.02", year=2026, version=2)
    assert statuses(db, "62.02") == ["submitted", "approved"]
    assert read(db, lambda s: s.locked("62.02", 2026))["approved_by"] == REVIEWER.username
    row = newest_audit(db)
    assert (row["actor"], row["action"], row["outcome"], row["region"]) == (
        REVIEWER.username, "review.approve", "ok", "62.02")
    assert row["submission_id"] == read(db, lambda s: int(s.history("62.02", 2026)["submission_id"].iloc[-1]))


def test_return_needs_a_comment_and_the_operator_reads_it(capsys, db):
    code, _, err = review(capsys, db, "return", "--as", REVIEWER.username, "--region", "62.03")
    assert code == 1
    assert err.strip() == "62.03 2026: " + t("store.comment_required")
    assert newest_audit(db)["outcome"] == "refused" and statuses(db, "62.03") == ["submitted"]

    note = "Lengkapi data dukung indikator IK-03."
    code, out, _ = review(capsys, db, "return", "--as", REVIEWER.username, "--region", "62.03", "--comment", note)
    assert code == 0 and t("store.returned", region="62.03", year=2026, version=1) in out
    sid = read(db, lambda s: int(s.history("62.03", 2026)["submission_id"].iloc[0]))
    assert read(db, lambda s: s.comments(sid)["comment"].tolist()) == [note]
    assert statuses(db, "62.03") == ["returned"]


def test_an_operator_may_not_review_and_the_refusal_is_audited(capsys, db):
    code, _, err = review(capsys, db, "approve", "--as", OPERATOR.username, "--region", "62.02", "--lang", "en")
    assert code == 1
    assert err.strip() == "62.02 2026: Role Operator may not do this (approve a report)."
    row = newest_audit(db)
    assert (row["actor"], row["action"], row["outcome"], row["message_id"]) == (
        OPERATOR.username, "review.approve", "denied", "auth.role_denied")
    assert statuses(db, "62.02") == ["submitted", "submitted"]


def test_an_unknown_account_is_refused_and_audited_under_the_name_given(capsys, db):
    code, _, err = review(capsys, db, "approve", "--as", "siapa.saja", "--region", "62.02")
    assert code == 1 and err.strip() == t("store.cli.no_user", username="siapa.saja")
    row = newest_audit(db)
    assert (row["actor"], row["action"], row["outcome"], row["message_id"], row["region"]) == (
        "siapa.saja", "review.approve", "denied", "security.not_an_account", "62.02")
    assert statuses(db, "62.02") == ["submitted", "submitted"]


def test_only_the_latest_version_and_an_existing_one_can_be_reviewed(capsys, db):
    code, _, err = review(capsys, db, "approve", "--as", REVIEWER.username, "--region", "62.02", "--version", "1")
    assert code == 1 and t("store.not_latest", version=1, latest=2) in err
    code, _, err = review(capsys, db, "approve", "--as", REVIEWER.username, "--region", "62.02", "--version", "9")
    assert code == 1 and t("store.no_version", region="62.02", year=2026, version=9) in err
    code, _, err = review(capsys, db, "approve", "--as", REVIEWER.username, "--region", "62.04")
    assert code == 1 and t("store.no_versions", region="62.04", year=2026) in err
    assert [r for r in read(db, lambda s: s.audit(3))["outcome"]] == ["refused"] * 3
    code, out, _ = review(capsys, db, "approve", "--as", REVIEWER.username, "--region", "62.02", "--version", "2")
    assert code == 0 and statuses(db, "62.02")[-1] == "approved"


def test_a_batch_reviews_each_region_and_reports_each_outcome(capsys, db):
    assert review(capsys, db, "approve", "--as", REVIEWER.username, "--region", "62.03")[0] == 0
    code, out, _ = review(capsys, db, "approve", "--as", REVIEWER.username, "--region", "62.02", "62.03", "--json")
    assert code == 1  # 62.03 was approved already
    records = json.loads(out)
    assert [(r["region"], r["status"], r["version"]) for r in records] == [
        ("62.02", "ok", 2), ("62.03", "refused", None)]
    assert records[1]["message_id"] == "store.bad_transition"
    assert records[0]["submission_id"] == read(db, lambda s: int(s.history("62.02", 2026)["submission_id"].iloc[-1]))
    assert statuses(db, "62.02")[-1] == statuses(db, "62.03")[-1] == "approved"

    code, out, err = review(capsys, db, "reopen", "--as", REVIEWER.username, "--region", "62.02", "62.03",
                            "--comment", "Perbaiki angka TW III.")
    assert code == 0 and err == ""
    assert out.strip().splitlines()[-1] == t("store.cli.review_summary", ok=2, total=2, refused=0)
    assert statuses(db, "62.02")[-1] == statuses(db, "62.03")[-1] == "reopened"


@pytest.mark.parametrize("argv, message", [
    (("--region", "99.99"), ("store.cli.bad_region", {"region": "99.99"})),
    (("--region", "62.02", "--version", "0"), ("store.cli.review_bad_version", {"version": "0"})),
    (("--region", "62.02", "62.03", "--version", "2"), ("store.cli.review_version_batch", {})),
])
def test_usage_errors_exit_2_and_change_nothing(capsys, db, argv, message):
    before = read(db, lambda s: s.data_version())
    code, _, err = review(capsys, db, "approve", "--as", REVIEWER.username, *argv)
    assert code == 2 and err.strip() == t(message[0], **message[1])
    assert read(db, lambda s: s.data_version()) == before


def test_the_real_command_line(db):
    """`python -m kesbang review` as an operator runs it: a child process, exit code and English text."""
    proc = subprocess.run(
        [sys.executable, "-m", "kesbang", "review", "approve", "--db", db, "--as", REVIEWER.username,
         "--region", "62.03", "--year", "2026", "--lang", "en"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "62.03 2026: " + t("store.approved", "en", region="62.03", year=2026, version=1)
    assert statuses(db, "62.03") == ["approved"]
