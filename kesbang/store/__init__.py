"""Storage that never loses a submission: SQLAlchemy Core over SQLite (default) or PostgreSQL.

`open_store(url)` creates or migrates the schema and returns a `Store`. Every write takes the acting
`User`, is authorised inside its transaction and audited (refusals too); reads hand back DataFrames
or a `Dataset`. Modules: tables (DDL), engine (URL, pragmas, migrations), core (transactions, audit),
submissions, review, reads, users, rpjmd, seed.
"""

from __future__ import annotations

from sqlalchemy import Engine

from kesbang.store.core import Outcome, SubmitOutcome
from kesbang.store.engine import make_engine, migrate
from kesbang.store.reads import ReadsAPI
from kesbang.store.review import ReviewAPI
from kesbang.store.rpjmd import RpjmdAPI
from kesbang.store.seed import DEMO_PASSWORD, SeedAPI, demo_accounts
from kesbang.store.submissions import SubmissionsAPI
from kesbang.store.users import UsersAPI

__all__ = ["DEMO_PASSWORD", "Outcome", "Store", "SubmitOutcome", "demo_accounts", "open_store"]


class Store(SubmissionsAPI, ReviewAPI, ReadsAPI, UsersAPI, RpjmdAPI, SeedAPI):
    """One database. Thread-safe: share one per process (SQLAlchemy pools the connections)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def diff(self, old_submission_id: int, new_submission_id: int):
        """What changed between two versions (see `kesbang.diff.compare`)."""
        from kesbang.diff import compare

        return compare(self.submission(old_submission_id), self.submission(new_submission_id))

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None) -> Store:
    """The store at `url` (None: `settings.database_url()`), with its schema created or migrated."""
    engine = make_engine(url)
    migrate(engine)
    return Store(engine)
