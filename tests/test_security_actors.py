"""The store does not trust a caller-built `User`: every write re-reads the account in its own transaction.

A page (or any caller) that builds `User(role="admin")` from session state, a widget or a bug gets the
same refusal as an anonymous visitor would: `security.not_an_account`, audited, nothing written. Only the
process's own built-in actors (the console for the CLI, the seeding system) are taken as they are, and a
look-alike built with `builtin=True` is not one of them.
"""

from __future__ import annotations

import pytest
import storekit

from kesbang import i18n
from kesbang.auth import SYSTEM, User, console_user, describe, is_builtin
from kesbang.store import open_store

OPERATOR = User("operator.62.02", "operator", "62.02")
REVIEWER = User("reviewer", "reviewer")
ADMIN = User("admin", "admin")
GONE = User("pensiun", "reviewer")  # an account disabled after sign-in

FORGED = {
    "operator_claims_admin": User("operator.62.02", "admin"),
    "operator_claims_other_region": User("operator.62.02", "operator", "62.01"),
    "reviewer_claims_admin": User("reviewer", "admin"),
    "unknown_admin": User("siapa.saja", "admin"),
    "unknown_operator": User("operator.62.01", "operator", "62.01"),
    "disabled_reviewer": GONE,
    "fake_console": User(console_user().username, "admin", None, builtin=True),
    "fake_system_admin": User("sistem", "admin", None, builtin=True),
}


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'sec.sqlite3'}")
    storekit.enrol(s, OPERATOR, REVIEWER, ADMIN, GONE)
    assert s.disable_user(ADMIN, GONE.username).ok
    yield s
    s.close()


@pytest.mark.parametrize("write", storekit.WRITES)
@pytest.mark.parametrize("who", list(FORGED))
def test_a_caller_built_user_is_refused_for_every_write(store, who, write):
    actor = FORGED[who]
    sid = storekit.version_for(store, write, OPERATOR, REVIEWER)
    before_version, before_status = store.data_version(), store.status(sid)
    before_users = store.list_users().to_dict("records")

    out = storekit.write(store, write, actor, sid, disabled=GONE.username)

    assert out.status == "refused" and out.message_id == "security.not_an_account", (who, write, out)
    assert store.data_version() == before_version
    assert store.status(sid) == before_status
    assert store.list_users().to_dict("records") == before_users
    assert store.history("62.02", 2026)["version"].tolist() == [1]
    last = store.audit(1).iloc[0]
    assert (last["actor"], last["outcome"], last["message_id"]) == (actor.username, "denied", out.message_id)
    assert store.authenticate("admin", "kata-sandi-uji-xxxx") == ADMIN  # password unchanged
    assert describe(out.message_id, out.params, "id") == (
        f"Ditolak: {actor.username} bukan akun aktif dengan peran dan wilayah tersebut. Masuk kembali lalu coba lagi."
    )
    assert actor.username in describe(out.message_id, out.params, "en")


def test_the_real_accounts_still_write(store):
    sid = storekit.version_for(store, "approve", OPERATOR, REVIEWER)
    assert store.comment(OPERATOR, sid, "Sudah lengkap").ok
    assert store.review(REVIEWER, sid, "approve").ok
    assert store.authenticate("operator.62.02", "kata-sandi-uji-xxxx") == OPERATOR


def test_only_the_processes_own_builtin_actors_are_trusted(store):
    assert is_builtin(console_user()) and is_builtin(SYSTEM)
    assert console_user() is console_user()  # one object per process
    assert not is_builtin(FORGED["fake_console"]) and FORGED["fake_console"] == console_user()
    # the console (CLI) acts as admin without an account; the seeding system still may not submit
    assert store.add_user(console_user(), "kepala", "head", None, "kata-sandi-kepala").ok
    result, data, name = storekit.upload("62.02", 2026, 3)
    assert store.submit(SYSTEM, result, data, name).message_id == "auth.system_only_seed"
    assert store.submit(console_user(), result, data, name).status == "stored"


def test_a_role_change_takes_effect_on_the_next_write(store):
    """The User a page read a minute ago is stale once an admin changes the account: refused."""
    sid = storekit.version_for(store, "approve", OPERATOR, REVIEWER)
    stale = REVIEWER
    with store.engine.begin() as conn:
        from kesbang.store.tables import users

        conn.execute(users.update().where(users.c.username == "reviewer").values(role="head"))
    out = store.review(stale, sid, "approve")
    assert out.message_id == "security.not_an_account"
    assert store.status(sid) == "submitted"
    assert i18n.t(out.message_id, "en", **out.params).startswith("Refused: reviewer")
