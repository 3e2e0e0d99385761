"""Every table of the store, declared once with SQLAlchemy Core (the same DDL on SQLite and PostgreSQL).

Parsed rows get typed columns generated from `kesbang.schema`, so adding a workbook column there
adds it here. History tables (listed in `APPEND_ONLY`, and the follow-up tables in `FOLLOWUP_TABLES`)
are insert-only: triggers refuse UPDATE and DELETE on both engines (see `engine.py`).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    literal,
)

from kesbang import schema

SCHEMA_VERSION = 6

metadata = MetaData()

_KIND_TYPES = {"number": Float, "int": BigInteger, "date": Date}


def _kind_type(col: schema.Column):
    # range values keep the text the operator wrote (numeric bounds go to *_min/*_max columns)
    return _KIND_TYPES.get(col.kind, Text)


def _row_columns(spec: schema.SheetSpec) -> list[Column]:
    cols = [Column(c.key, _kind_type(c), nullable=True) for c in spec.columns]
    for c in spec.columns:
        if c.kind == "range":
            cols += [Column(f"{c.key}_min", Float), Column(f"{c.key}_max", Float)]
    return cols


def frame_columns(table: Table) -> list[str]:
    """The DataFrame columns a row table stores (everything but the surrogate and owner keys)."""
    return [c.name for c in table.columns if c.name not in ("id", "submission_id", "rpjmd_id")]


schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("region", String(10)),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(100), nullable=False),
)

# One row per region-year ever written to: the row lock that serialises version allocation on
# PostgreSQL (SQLite serialises through BEGIN IMMEDIATE). Never updated.
region_years = Table(
    "region_years",
    metadata,
    Column("region", String(10), primary_key=True),
    Column("year", Integer, primary_key=True, autoincrement=False),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("region", String(10), nullable=False),
    Column("province", String(4), nullable=False),
    Column("year", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("period", String(20)),
    Column("format_version", String(20)),
    Column("filename", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", DateTime, nullable=False),  # server time, UTC (naive)
    Column("identitas", Text, nullable=False),  # JSON
    Column("issues", Text, nullable=False),  # JSON list of ValidationIssue.to_dict()
    Column("extra_columns", Text, nullable=False),  # JSON {sheet: [headers]}
    Column("n_errors", Integer, nullable=False),
    Column("n_warnings", Integer, nullable=False),
    UniqueConstraint("region", "year", "version", name="uq_submission_version"),
    UniqueConstraint("region", "year", "sha256", name="uq_submission_bytes"),
)

indicator_rows = Table(
    "indicator_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", ForeignKey("submissions.id"), nullable=False, index=True),
    Column("row", Integer),
    *_row_columns(schema.INDIKATOR),
    Column("target_text", Text),
)

paskibraka_rows = Table(
    "paskibraka_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", ForeignKey("submissions.id"), nullable=False, index=True),
    Column("row", Integer),
    *_row_columns(schema.PASKIBRAKA),
)

nilai_rows = Table(
    "nilai_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", ForeignKey("submissions.id"), nullable=False, index=True),
    Column("row", Integer),
    *_row_columns(schema.PROGRAM_NILAI),
)

# Review events and comments: status and lock are derived from these rows, never stored.
# kind: submitted | resubmitted | returned | approved | reopened | comment
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", ForeignKey("submissions.id"), nullable=False),
    Column("region", String(10), nullable=False),
    Column("year", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("comment", Text),
    Index("ix_events_submission", "submission_id", "id"),
    Index("ix_events_region_year", "region", "year", "id"),
)

rpjmd_uploads = Table(
    "rpjmd_uploads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("province", String(4), nullable=False),
    Column("periode_rpjmd", String(20), nullable=False),
    Column("filename", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", DateTime, nullable=False),
    Column("issues", Text, nullable=False),
    Index("ix_rpjmd_province_period", "province", "periode_rpjmd", "id"),
)

rpjmd_rows = Table(
    "rpjmd_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rpjmd_id", ForeignKey("rpjmd_uploads.id"), nullable=False, index=True),
    Column("row", Integer),
    *_row_columns(schema.RPJMD_INDIKATOR),
)

# Follow-ups (tindak lanjut): what a reviewer or head asks a regency to do about one of its indicators
# (or an alignment/measurability finding on it), by when. A follow-up is keyed by region, year and
# indicator code, never by a submission, so it outlives every new version; the version it was opened
# on and the value then are kept beside it. Answers and the close are appended events; the status is
# derived from them, never stored. subject: indicator | alignment | measurability
followups = Table(
    "followups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("region", String(10), nullable=False),
    Column("province", String(4), nullable=False),
    Column("year", Integer, nullable=False),
    Column("kode_indikator", Text, nullable=False),
    Column("indikator", Text),
    Column("subject", String(20), nullable=False),
    Column("finding", Text),
    Column("text", Text, nullable=False),
    Column("due", Date, nullable=False),
    Column("opened_by", String(100), nullable=False),
    Column("opened_at", DateTime, nullable=False),
    Column("submission_id", Integer),  # the version in force when it was opened (None: no report yet)
    Column("version", Integer),
    Column("period", String(20)),
    Column("value_at_opening", Float),
    Column("capaian_at_opening", Float),
    Index("ix_followups_region_year", "region", "year", "id"),
)

# kind: response | closed
followup_events = Table(
    "followup_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("followup_id", ForeignKey("followups.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("text", Text),
    Index("ix_followup_events_followup", "followup_id", "id"),
)

FOLLOWUP_TABLES = ("followups", "followup_events")

# Every state change and every refused write. outcome: ok | denied | refused | failed
audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(100)),
    Column("action", String(40), nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("region", String(10)),
    Column("year", Integer),
    Column("submission_id", Integer),
    Column("message_id", String(80)),
    Column("detail", Text),  # JSON params
)

# The audit rows of changes (successful writes). Logins and refusals write audit rows too but change no
# data, so a partial index keeps them out and keeps max(id) a single index probe. (It was the data
# version up to schema version 3; migration 4 starts the `data_version` counter from it.)
# The values are rendered into the SQL (literal_execute) so that PostgreSQL's generic plans for
# prepared statements can still prove the query matches the index predicate.
_CHANGE = (audit.c.outcome == literal("ok", literal_execute=True)) & (
    audit.c.action != literal("auth.login", literal_execute=True)
)
audit_changes = Index("ix_audit_changes", audit.c.id, sqlite_where=_CHANGE, postgresql_where=_CHANGE)
CHANGE_CONDITION = _CHANGE

# The data version itself (`Store.data_version`): one row, counted up in the same transaction as every
# change (`StoreCore._audit_row`). Not max(audit.id): on PostgreSQL ids come from a sequence in the order
# writes start, not the order they commit, so a write that took id 10 and committed after id 11 would not
# change max(id) and pages in every process would keep their data without it. The UPDATE holds the row's
# lock until commit, so the counter grows in commit order; it is the last statement of a write, so the
# lock is held only while committing. Reading it is one primary-key probe.
data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)
DATA_VERSION_ROW = 1

# The login throttle (`UsersAPI.login_blocked`) counts one name's failed sign-ins within a time window on
# every sign-in attempt. The audit log only ever grows, so that count must not scan it: this partial index
# holds the failed sign-ins alone, keyed by the name (the failure's detail JSON, matched exactly) and time,
# and answers the count from the index. Literal values again, so both engines can match the predicate.
_FAILED_LOGIN = (
    (audit.c.action == literal("auth.login", literal_execute=True))
    & (audit.c.outcome == literal("refused", literal_execute=True))
    & (audit.c.message_id == literal("auth.login_failed", literal_execute=True))
)
audit_login_failures = Index(
    "ix_audit_login_failures", audit.c.detail, audit.c.at, sqlite_where=_FAILED_LOGIN, postgresql_where=_FAILED_LOGIN
)
FAILED_LOGIN_CONDITION = _FAILED_LOGIN

APPEND_ONLY = (
    "submissions",
    "indicator_rows",
    "paskibraka_rows",
    "nilai_rows",
    "events",
    "rpjmd_uploads",
    "rpjmd_rows",
    "audit",
    "schema_version",
)

# --- sign-in sessions (schema version 6) -------------------------------------------------------------
# Server-side sessions behind the `kesbang_session` cookie (`kesbang.store.sessions`). Only the SHA-256 of
# the token is stored, so someone reading the database (or a backup) holds no working cookie. These two
# tables are mutable (last_seen slides, a session is ended), unlike the history tables; an ended session
# keeps its row, with when and why it ended.
sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),  # the absolute end, however active the session is
    Column("ended_at", DateTime),
    Column("end_reason", String(20)),  # logout | expired | disabled | password
    Index("ix_sessions_user", "user_id", "ended_at"),
)

# One-time sign-in codes: the sign-in page hands one to `/auth/session`, which exchanges it for a session
# (and sets the cookie). Single use (`used_at`), valid for seconds.
login_codes = Table(
    "login_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code_sha256", String(64), nullable=False, unique=True),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime),
)

SESSION_TABLES = ("sessions", "login_codes")
