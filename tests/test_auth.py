"""Who may do what, enforced inside the store's writes: every role x action, allowed and denied.

Calling the Store directly (as a forged widget state would) must not get anyone past the rules;
each denial is audited and changes nothing. Accounts: argon2 hashes, disabled users, audited failures.
"""

from __future__ import annotations

import pytest
import storekit

from kesbang import i18n
from kesbang.auth import PERMISSIONS, SYSTEM, Denied, User, authorise, console_user
from kesbang.store import open_store
from kesbang.store.tables import users as users_table

ACTORS = {
    "admin": User("admin", "admin"),
    "reviewer": User("reviewer", "reviewer"),
    "head": User("kepala", "head"),
    "operator_own": User("operator.62.02", "operator", "62.02"),
    "operator_other": User("operator.62.01", "operator", "62.01"),
    "anonymous": None,
}
ALLOWED = {
    "submit": {"admin", "operator_own"},
    "approve": {"admin", "reviewer"},
    "return": {"admin", "reviewer"},
    "reopen": {"admin", "reviewer"},
    "comment": {"admin", "reviewer", "operator_own"},
    "rpjmd": {"admin", "reviewer"},
    "add_user": {"admin"},
}


@pytest.fixture
def bare_store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'auth.sqlite3'}")
    yield s
    s.close()


@pytest.fixture
def store(bare_store):
    """A store holding every actor of ACTORS as an account (it refuses writes by a User it does not hold)."""
    storekit.enrol(bare_store, *(a for a in ACTORS.values() if a is not None))
    return bare_store


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("who", list(ACTORS))
def test_every_role_and_action(store, who, action):
    actor = ACTORS[who]
    sid = storekit.version_for(store, action, ACTORS["operator_own"], ACTORS["reviewer"])
    before = store.data_version()
    users_before = len(store.list_users())
    out = storekit.write(store, action, actor, sid)
    last = store.audit(1).iloc[0]
    if who in ALLOWED[action]:
        assert out.ok, (who, action, out)
        assert last["outcome"] == "ok"
        if action == "add_user":
            assert len(store.list_users()) == users_before + 1
        else:
            assert store.data_version() > before
    else:
        assert out.status == "refused" and out.message_id.startswith("auth."), (who, action, out)
        assert store.data_version() == before and len(store.list_users()) == users_before
        assert last["outcome"] == "denied" and last["message_id"] == out.message_id
        assert last["actor"] == (actor.username if actor else None)
        # the reason reads as a sentence in both languages, never as the raw id
        for lang in ("id", "en"):
            assert i18n.t(out.message_id, lang, **out.params) != out.message_id


def test_operator_cannot_store_for_another_region_even_directly(store):
    result, data, name = storekit.upload("62.02", 2026, 5)
    out = store.submit(ACTORS["operator_other"], result, data, name)
    assert out.message_id == "auth.region_denied"
    assert "62.01" in i18n.t(out.message_id, "id", **out.params)
    assert store.history("62.02", 2026).empty


def test_system_actor_only_seeds(store):
    result, data, name = storekit.upload("62.02", 2026, 5)
    assert store.submit(SYSTEM, result, data, name).message_id == "auth.system_only_seed"
    assert store.dataset().is_empty
    sid = store.submit(ACTORS["operator_own"], result, data, name).submission_id
    assert store.review(SYSTEM, sid, "approve").message_id == "auth.system_only_seed"
    assert store.comment(SYSTEM, sid, "x").message_id == "auth.system_only_seed"
    assert store.add_user(SYSTEM, "x", "head", None, "kata-sandi-x-12").message_id == "auth.system_only_seed"
    assert store.status(sid) == "submitted"


def test_permission_matrix_is_data_and_checked_by_region():
    assert PERMISSIONS["submit"]["operator"] == "own"
    authorise(User("o", "operator", "62.02"), "submit", "62.02")
    with pytest.raises(Denied) as err:
        authorise(User("o", "operator", "62.02"), "submit", "64.72")
    assert err.value.params["region"] == "64.72"
    with pytest.raises(Denied):
        authorise(User("o", "operator", None), "submit", "62.02")  # an operator without region has none
    assert console_user().role == "admin" and console_user().username.startswith("konsol:")


def test_reading_anonymously_is_a_setting(monkeypatch):
    monkeypatch.setenv("KESBANG_PUBLIC_READ", "1")
    authorise(None, "read")
    monkeypatch.setenv("KESBANG_PUBLIC_READ", "0")
    with pytest.raises(Denied):
        authorise(None, "read")


def test_first_admin_then_only_admins_manage_accounts(bare_store):
    assert bare_store.add_user(None, "kepala", "head", None, "kata-sandi-panjang").message_id == "auth.login_required"
    first = bare_store.add_user(None, "admin", "admin", None, "kata-sandi-admin")
    assert first.ok  # bootstrap: no account yet
    assert not bare_store.add_user(None, "admin2", "admin", None, "kata-sandi-admin").ok
    admin = bare_store.authenticate("admin", "kata-sandi-admin")
    assert admin == User("admin", "admin", None)
    assert bare_store.add_user(admin, "op", "operator", "6202", "kata-sandi-op-1").ok
    assert bare_store.user("op").region == "62.02"  # region codes are normalised
    refusals = {
        ("op2", "operator", None, "kata-sandi-op-1"): "auth.operator_needs_region",
        ("rev", "reviewer", "62.02", "kata-sandi-op-1"): "auth.region_only_operator",
        ("x", "superuser", None, "kata-sandi-op-1"): "auth.bad_role",
        ("op3", "operator", "99.99", "kata-sandi-op-1"): "auth.unknown_region",
        ("op", "operator", "62.02", "kata-sandi-op-1"): "auth.user_exists",
        ("short", "head", None, "pendek"): "auth.password_short",
        ("with space", "head", None, "kata-sandi-op-1"): "auth.bad_username",
    }
    for (name, role, region, pw), message in refusals.items():
        assert bare_store.add_user(admin, name, role, region, pw).message_id == message, name
    op = bare_store.authenticate("op", "kata-sandi-op-1")
    assert bare_store.add_user(op, "y", "head", None, "kata-sandi-y-1").message_id == "auth.role_denied"


def test_login_passwords_and_disabled_accounts(bare_store):
    bare_store.add_user(None, "admin", "admin", None, "kata-sandi-admin")
    admin = User("admin", "admin")
    bare_store.add_user(admin, "op", "operator", "62.02", "kata-sandi-op-1")
    assert bare_store.authenticate("op", "salah-sandi") is None
    assert bare_store.authenticate("tidak-ada", "kata-sandi-op-1") is None
    failures = bare_store.audit(2)
    assert failures["message_id"].tolist() == ["auth.login_failed", "auth.login_failed"]
    assert set(failures["outcome"]) == {"refused"}

    assert bare_store.set_password(admin, "op", "sandi-baru-yang-panjang").ok
    assert bare_store.authenticate("op", "kata-sandi-op-1") is None
    assert bare_store.authenticate("op", "sandi-baru-yang-panjang") is not None
    assert bare_store.disable_user(admin, "op").ok
    assert bare_store.authenticate("op", "sandi-baru-yang-panjang") is None
    assert bare_store.audit(1).iloc[0]["message_id"] == "auth.login_disabled"
    assert bare_store.user("op") is None
    assert bare_store.disable_user(admin, "admin").message_id == "auth.cannot_disable_self"

    listing = bare_store.list_users()
    assert listing.set_index("username").loc["op", "disabled"]
    assert "password_hash" not in listing.columns
    with bare_store.engine.connect() as conn:
        stored_hash = conn.execute(users_table.select().where(users_table.c.username == "op")).first().password_hash
    assert stored_hash.startswith("$argon2id$") and "sandi" not in stored_hash


def test_refusals_read_without_codes_in_either_language(store):
    out = store.add_user(ACTORS["head"], "x", "head", None, "kata-sandi-x-12")
    from kesbang.auth import describe

    assert describe(out.message_id, out.params, "id") == (
        "Peran Kepala tidak berwenang melakukan tindakan ini (mengelola pengguna)."
    )
    assert describe(out.message_id, out.params, "en") == "Role Head may not do this (manage users)."
    sid = storekit.version_for(store, "approve", ACTORS["operator_own"], ACTORS["reviewer"])
    assert store.review(ACTORS["reviewer"], sid, "return", "Perbaiki").ok
    refused = store.review(ACTORS["reviewer"], sid, "approve")
    assert describe(refused.message_id, refused.params, "id") == (
        "Tindakan ini tidak dapat dilakukan pada laporan berstatus Dikembalikan."
    )


def test_login_refused_after_repeated_failures_until_the_window_passes(bare_store):
    import datetime as dt

    from kesbang.store.engine import utcnow

    bare_store.add_user(None, "admin", "admin", None, "kata-sandi-admin")
    admin = User("admin", "admin")
    bare_store.add_user(admin, "op", "operator", "62.02", "kata-sandi-op-1")
    for _ in range(5):
        assert bare_store.authenticate("op", "salah-sandi") is None
    assert bare_store.login_blocked("op")
    # the right password is refused too, and the refusal is audited with its own reason
    assert bare_store.authenticate("op", "kata-sandi-op-1") is None
    last = bare_store.audit(1).iloc[0]
    assert (last["action"], last["outcome"], last["message_id"]) == ("auth.login", "refused", "auth.login_throttled")
    # another name is not affected
    assert bare_store.authenticate("admin", "kata-sandi-admin") == admin
    assert not bare_store.login_blocked("admin")
    # once the 15-minute window has passed (as seen from a later clock) the right password works again
    later = utcnow() + dt.timedelta(minutes=16)
    assert not bare_store.login_blocked("op", now=later)
    assert bare_store.authenticate("op", "kata-sandi-op-1", now=later) == User("op", "operator", "62.02")
    assert "15 menit" in i18n.t("auth.login_throttled", "id", minutes=15)


def test_login_limits_are_settings(bare_store, monkeypatch):
    monkeypatch.setenv("KESBANG_LOGIN_MAX_FAILURES", "2")
    monkeypatch.setenv("KESBANG_LOGIN_WINDOW_MIN", "1")
    bare_store.add_user(None, "admin", "admin", None, "kata-sandi-admin")
    for _ in range(2):
        assert bare_store.authenticate("admin", "salah") is None
    assert bare_store.authenticate("admin", "kata-sandi-admin") is None
    import datetime as dt

    from kesbang.store.engine import utcnow

    later = utcnow() + dt.timedelta(minutes=2)
    assert bare_store.authenticate("admin", "kata-sandi-admin", now=later) == User("admin", "admin")
