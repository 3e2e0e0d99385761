"""Storage that never loses a submission: SQLAlchemy Core over SQLite (default) or PostgreSQL.

`open_store(url)` creates or migrates the schema and returns a `Store`. Every write takes the acting
`User`, is authorised inside its transaction and audited (refusals too); reads hand back DataFrames
or a `Dataset`. Modules: tables (DDL), engine (URL, pragmas, migrations), core (transactions, audit),
submissions, review, reads, users, sessions, rpjmd, followups, seed.

Writes (never raise for a user's mistake; the outcome names why, see `kesbang.auth.describe`):
    submit(user, load_result, data, filename) -> SubmitOutcome   # stored | duplicate | refused
    review(user, submission_id, "approve" | "return" | "reopen", comment) -> Outcome
    comment(user, submission_id, text) -> Outcome
    put_rpjmd(user, rpjmd_result, data, filename) -> Outcome
    open_followup(user, region, year, kode_indikator, text, due) -> Outcome (id);
    respond_followup(user, id, text) / close_followup(user, id, text=None) -> Outcome
    add_user(actor, username, role, region, password) / disable_user / enable_user / set_password
    seed_if_empty(sample_dir) -> int
Reads:
    dataset(province=None, years=None) -> Dataset      # latest version of every region-year + RPJMD
    history(region, year), events(region, year), queue(province=None), comments(submission_id),
    audit(limit) -> DataFrame;  submission(id) -> Submission;  submission_meta(id) -> dict;
    file(id) -> (filename, bytes);  diff(old_id, new_id) -> kesbang.analysis.diff.Diff;
    followups(region=None, year=None, province=None, status=None) -> list[dict];
    locked(region, year) -> dict | None;  status(id);  data_version() -> int
    authenticate(username, password) -> User | None;  user(name);  list_users();  has_users()
Sign-in sessions (kesbang.store.sessions; the web edge keeps the token in an HttpOnly cookie):
    login_code(username, password) -> LoginCode | None;  exchange_code(code) -> SessionStart
    resolve_session(token) -> SessionCheck (sliding idle time-out);  end_session(token);  open_sessions()
"""

from __future__ import annotations

from sqlalchemy import Engine

from kesbang.store.core import Outcome, SubmitOutcome
from kesbang.store.engine import make_engine, migrate
from kesbang.store.followups import FollowupsAPI
from kesbang.store.reads import ReadsAPI
from kesbang.store.review import ReviewAPI
from kesbang.store.rpjmd import RpjmdAPI
from kesbang.store.seed import DEMO_PASSWORD, SeedAPI, demo_accounts
from kesbang.store.sessions import SessionsAPI
from kesbang.store.submissions import SubmissionsAPI
from kesbang.store.users import UsersAPI

__all__ = ["DEMO_PASSWORD", "Outcome", "Store", "SubmitOutcome", "demo_accounts", "open_store"]


class Store(SubmissionsAPI, ReviewAPI, ReadsAPI, UsersAPI, SessionsAPI, RpjmdAPI, FollowupsAPI, SeedAPI):
    """One database. Thread-safe: share one per process (SQLAlchemy pools the connections)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def diff(self, old_submission_id: int, new_submission_id: int):
        """What changed between two versions (see `kesbang.analysis.diff.compare`)."""
        from kesbang.analysis.diff import compare

        return compare(self.submission(old_submission_id), self.submission(new_submission_id))

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None) -> Store:
    """The store at `url` (None: `settings.database_url()`), with its schema created or migrated."""
    engine = make_engine(url)
    migrate(engine)
    return Store(engine)
