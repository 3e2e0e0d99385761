"""Engine set-up (SQLite pragmas, BEGIN IMMEDIATE, psycopg 3) and schema creation/migration on start.

SQLite: the pysqlite driver's own transaction handling starts transactions lazily and never with
IMMEDIATE, which lets two writers read the same "next version" and clash; following SQLAlchemy's
pysqlite recipe we switch the driver's handling off and emit BEGIN ourselves: BEGIN IMMEDIATE for
writes (takes the write lock up front, waits up to busy_timeout), plain BEGIN for reads
(`execution_options(kesbang_read=True)`), so readers never block writers under WAL.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from kesbang import settings
from kesbang.store import tables

BUSY_TIMEOUT_MS = 30_000


def utcnow() -> dt.datetime:
    """Server time in UTC, naive (stored in DateTime columns the same way on both engines)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def normalise_url(url: str | None) -> str:
    url = url or settings.database_url()
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str | None = None, **kwargs) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}, **kwargs
        )
        _sqlite_hooks(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
    return engine


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see module docstring)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        read = conn.get_execution_options().get("kesbang_read", False)
        conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


# --- schema -----------------------------------------------------------------------------------


def _sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'kesbang: {table} is append-only history (UPDATE refused)'); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'kesbang: {table} is append-only history (DELETE refused)'); END",
    ]


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION kesbang_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'kesbang: %% is append-only history (%% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""


def _pg_triggers(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION kesbang_append_only()",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION kesbang_append_only()",
    ]


# Each migration takes the schema from version n-1 to n. Version 1 creates every table of `tables`
# (so later migrations must tolerate finding their change already made).
def _migrate_1(conn) -> None:
    tables.metadata.create_all(conn)
    if conn.dialect.name == "sqlite":
        for table in tables.APPEND_ONLY:
            for stmt in _sqlite_triggers(table):
                conn.exec_driver_sql(stmt)
    else:
        conn.exec_driver_sql(_PG_FUNCTION)
        for table in tables.APPEND_ONLY:
            for stmt in _pg_triggers(table):
                conn.exec_driver_sql(stmt)


def _migrate_2(conn) -> None:
    # the change-id index (tables.audit_changes); a new database already has it from create_all
    tables.audit_changes.create(conn, checkfirst=True)


def _migrate_3(conn) -> None:
    # the failed sign-in index of the login throttle (tables.audit_login_failures)
    tables.audit_login_failures.create(conn, checkfirst=True)


def _migrate_4(conn) -> None:
    # follow-ups (tindak lanjut) and their answers: append-only like the review events
    for name in tables.FOLLOWUP_TABLES:
        tables.metadata.tables[name].create(conn, checkfirst=True)
    if conn.dialect.name == "sqlite":
        statements = [stmt for name in tables.FOLLOWUP_TABLES for stmt in _sqlite_triggers(name)]
    else:
        statements = [_PG_FUNCTION, *(stmt for name in tables.FOLLOWUP_TABLES for stmt in _pg_triggers(name))]
    for stmt in statements:
        conn.exec_driver_sql(stmt)


def _migrate_5(conn) -> None:
    # the data-version counter (tables.data_version), starting where max(audit change id) stood so a
    # running process's cached version is not reused for other data
    tables.data_version.create(conn, checkfirst=True)
    row = tables.data_version.c
    if conn.execute(select(row.id).where(row.id == tables.DATA_VERSION_ROW)).first() is None:
        start = conn.execute(
            select(func.coalesce(func.max(tables.audit.c.id), 0)).where(tables.CHANGE_CONDITION)
        ).scalar()
        conn.execute(tables.data_version.insert().values(id=tables.DATA_VERSION_ROW, version=int(start)))


def _migrate_6(conn) -> None:
    # server-side sign-in sessions and their one-time codes (tables.SESSION_TABLES); mutable tables
    for name in tables.SESSION_TABLES:
        tables.metadata.tables[name].create(conn, checkfirst=True)


MIGRATIONS = {1: _migrate_1, 2: _migrate_2, 3: _migrate_3, 4: _migrate_4, 5: _migrate_5, 6: _migrate_6}
assert max(MIGRATIONS) == tables.SCHEMA_VERSION


def current_version(conn) -> int:
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    return conn.execute(select(text("max(version)")).select_from(tables.schema_version)).scalar() or 0


def migrate(engine: Engine) -> int:
    """Create or upgrade the schema; safe when several processes start at once. Returns the version."""
    with engine.begin() as conn:
        if not is_sqlite(engine):
            # one migrator at a time; the others wait here, then find nothing left to do
            conn.execute(text("SELECT pg_advisory_xact_lock(814225001)"))
        version = current_version(conn)
        if version > tables.SCHEMA_VERSION:
            raise RuntimeError(
                f"database schema version {version} is newer than this program "
                f"({tables.SCHEMA_VERSION}); upgrade the program"
            )
        for target in range(version + 1, tables.SCHEMA_VERSION + 1):
            MIGRATIONS[target](conn)
            conn.execute(tables.schema_version.insert().values(version=target, applied_at=utcnow()))
        return tables.SCHEMA_VERSION
