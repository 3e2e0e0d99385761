"""The login throttle's count of failed sign-ins is answered from ix_audit_login_failures, not by scanning
the audit log (which only grows), on SQLite and PostgreSQL, and a store made before the index gets it on open.

The plan checked is the one of the statement `login_blocked` really sends (captured from the engine), on an
audit log with the mix a running system has: successful sign-ins, uploads, and failures for many names. On
PostgreSQL the generic plan is checked too: psycopg prepares a statement it has run five times, and a
prepared statement's generic plan can use a partial index only when its predicate is written as literals.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from kesbang.store import open_store
from kesbang.store import tables as T
from kesbang.store.engine import MIGRATIONS, make_engine

INDEX = "ix_audit_login_failures"
NOW = dt.datetime(2026, 11, 23, 8, 0)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("pg_url")


def _failure(name: str, at: dt.datetime) -> dict:
    # as `authenticate` audits a wrong password
    return {"at": at, "actor": None, "action": "auth.login", "outcome": "refused",
            "message_id": "auth.login_failed", "detail": json.dumps({"username": name})}


def _audit_log(n: int = 3000) -> list[dict]:
    """A month of audit rows: failures for 100 names, successful sign-ins and uploads; plus five failures
    for "tebak" and four for "lupa" within the last ten minutes."""
    rows = []
    for i in range(n):
        at = NOW - dt.timedelta(minutes=15 * (n - i))
        if i % 10 == 0:
            rows.append(_failure(f"nama{i % 100}", at))
        elif i % 10 < 5:
            rows.append({"at": at, "actor": "operator.62.02", "action": "auth.login", "outcome": "ok",
                         "message_id": "auth.login_ok", "detail": json.dumps({"username": "operator.62.02"})})
        else:
            rows.append({"at": at, "actor": "operator.62.02", "action": "submission.submit", "outcome": "ok",
                         "message_id": "store.stored", "region": "62.02", "year": 2026, "submission_id": i,
                         "detail": json.dumps({"version": i, "filename": "laporan_62.02_2026.xlsx"})})
    rows += [_failure("tebak", NOW - dt.timedelta(minutes=m)) for m in (1, 2, 3, 4, 5)]
    rows += [_failure("lupa", NOW - dt.timedelta(minutes=m)) for m in (1, 2, 3, 4)]
    return rows


def _fill(engine) -> None:
    with engine.begin() as conn:
        conn.execute(T.audit.insert(), _audit_log())
        conn.exec_driver_sql("ANALYZE")


def _throttle_statement(store) -> tuple[str, object]:
    """The statement and parameters `login_blocked` sends to the database."""
    sent = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM audit" in statement:
            sent.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        store.login_blocked("tebak", now=NOW)
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    assert len(sent) == 1
    return sent[0]


def _plans(store) -> dict[str, str]:
    statement, params = _throttle_statement(store)
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            return {"sqlite": "\n".join(row[-1] for row in rows)}
        custom = "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, params))
        names: list[str] = []

        def numbered(match):
            names.append(match.group(1))
            return f"${len(names)}"

        prepared = re.sub(r"%\((\w+)\)s", numbered, statement)
        conn.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
        conn.exec_driver_sql("PREPARE throttle AS " + prepared)
        args = ", ".join(["NULL"] * len(names))
        generic = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN EXECUTE throttle({args})"))
        conn.exec_driver_sql("DEALLOCATE throttle")
        return {"custom": custom, "generic": generic}


def _assert_uses_index(plans: dict[str, str]) -> None:
    for kind, plan in plans.items():
        assert INDEX in plan, f"{kind} plan does not use {INDEX}:\n{plan}"
        # never reads the audit table through: a scan on SQLite is "SCAN audit", on PostgreSQL "Seq Scan"
        assert "SCAN audit" not in plan and "Seq Scan" not in plan, f"{kind} plan:\n{plan}"


def test_the_throttle_counts_failures_from_the_index(url):
    store = open_store(url)
    try:
        _fill(store.engine)
        assert store.login_blocked("tebak", now=NOW)  # five failures in the window
        assert not store.login_blocked("lupa", now=NOW)  # four
        assert not store.login_blocked("tebak", now=NOW + dt.timedelta(minutes=15))  # the window has passed
        plans = _plans(store)
        _assert_uses_index(plans)
        if "sqlite" in plans:  # a search on the name and the time range, not a scan of the index either
            assert f"USING INDEX {INDEX} (detail=? AND at>? AND at<?)" in plans["sqlite"]
        else:
            assert "Index Only Scan using ix_audit_login_failures" in plans["custom"]
    finally:
        store.close()


def test_a_store_made_before_the_index_gets_it_on_open(url):
    engine = make_engine(url)
    with engine.begin() as conn:  # the schema as version 2 left it: no failed sign-in index
        MIGRATIONS[1](conn)
        MIGRATIONS[2](conn)
        conn.exec_driver_sql(f"DROP INDEX {INDEX}")
        for version in (1, 2):
            conn.execute(T.schema_version.insert().values(version=version, applied_at=dt.datetime(2026, 1, 1)))
    _fill(engine)
    with engine.connect() as conn:
        assert INDEX not in {ix["name"] for ix in sa.inspect(conn).get_indexes("audit")}
    engine.dispose()

    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            versions = conn.execute(sa.text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
            indexes = {ix["name"]: ix for ix in sa.inspect(conn).get_indexes("audit")}
        assert versions == list(range(1, T.SCHEMA_VERSION + 1))
        assert indexes[INDEX]["column_names"] == ["detail", "at"]
        assert store.login_blocked("tebak", now=NOW)  # the failures written before the upgrade still count
        assert not store.login_blocked("lupa", now=NOW)
        _assert_uses_index(_plans(store))
    finally:
        store.close()
