"""Failures end in one clear translated message, never a traceback; uploads are limited; no secrets shown.

- `.streamlit/config.toml` keeps the safe server/client settings (no error details, upload limit, XSRF).
- Every page on a database that cannot be opened: no exception element, no driver text or URL, the
  router's (or the section's) generic notice instead.
- The upload page checks the size itself (Streamlit's own limit is a server setting, the page's is the
  project's): too big, a zip bomb, a file that is not a workbook — one message each, nothing stored.
- The demo password is never on a page; password hashes are in no page, table or download.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import storekit
import workbook_factory as wf
from app_router import router_pages
from streamlit.testing.v1 import AppTest

from kesbang import i18n, regions, settings
from kesbang.store import DEMO_PASSWORD, open_store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
TIMEOUT = 60
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAMPLE_FILES = ["rpjmd_62.xlsx"] + [f"62.0{n}_{y}.xlsx" for n in (1, 2) for y in (2025, 2026)]


# every page runs through the router (dashboard.py), as a real server does (fixture in conftest.py)
pytestmark = pytest.mark.usefixtures("through_the_router")


def everything_shown(at: AppTest) -> str:
    """All strings of the element tree, protos included (what the browser receives)."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def test_config_keeps_the_safe_settings():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["server"]["maxUploadSize"] == 10 == int(settings.DEFAULTS["max_upload_mb"])
    assert config["server"]["enableXsrfProtection"] is True
    assert config["runner"]["magicEnabled"] is False


BROKEN_URLS = {
    "sqlite_missing_dir": "sqlite:////nonexistent-dir-h12/sub/kesbang.sqlite3",
    "postgres_refused": "postgresql://nobody:rahasia-sekali@127.0.0.1:1/kesbang",
}


def assert_generic_notice(at: AppTest, page: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    shown = everything_shown(at)
    for leak in ("Traceback", "OperationalError", "psycopg", "sqlite3.", "rahasia-sekali", "nonexistent-dir-h12",
                 'File "'):
        assert leak not in shown, f"{page}: {leak!r} reaches the viewer"
    errors = [e.value for e in at.error]
    assert i18n.t("app.error_generic", "id") in errors, (page, errors)


@pytest.mark.parametrize("which", list(BROKEN_URLS))
def test_a_database_that_cannot_be_opened_at_start(monkeypatch, which):
    monkeypatch.setenv("KESBANG_DATABASE_URL", BROKEN_URLS[which])
    monkeypatch.setenv("KESBANG_PUBLIC_READ", "1")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert_generic_notice(at, "start")


@pytest.mark.parametrize("which", list(BROKEN_URLS))
@pytest.mark.parametrize("page", router_pages())
def test_a_database_lost_while_running_shows_a_notice_on_every_page(monkeypatch, page, which):
    import streamlit as st

    monkeypatch.setenv("KESBANG_PUBLIC_READ", "1")
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()  # a working (empty) store: the router registers its pages
    assert not at.exception
    monkeypatch.setenv("KESBANG_DATABASE_URL", BROKEN_URLS[which])
    st.cache_resource.clear()
    st.cache_data.clear()
    at.switch_page(page)
    at.run()
    assert_generic_notice(at, page)


@pytest.fixture
def store(tmp_path_factory, isolated_store, monkeypatch):
    s = open_store()
    storekit.seed_samples(s, tmp_path_factory, SAMPLE_FILES)
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")  # the pages see this store only
    yield s
    s.close()


def upload(name: str, data: bytes, **env) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["auth_user"] = {"username": "operator.62.02"}
    at.run()
    at.switch_page("pages/unggah.py")
    at.run()
    at.file_uploader(key="unggah_file").upload(name, data, XLSX)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def unescaped(values) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", str(v)) for v in values]


def test_the_upload_page_checks_the_size_itself(store, monkeypatch):
    monkeypatch.setenv("KESBANG_MAX_UPLOAD_MB", "1")
    before = store.data_version()
    big = (settings.SAMPLE_DIR / "62.02_2026.xlsx").read_bytes() + b"\0" * (1024 * 1024)
    at = upload("besar.xlsx", big)
    expected = i18n.t("unggah.too_big", "id", filename="besar.xlsx", size=f"{len(big) / 1024 / 1024:.1f}", mb="1")
    assert expected in unescaped(e.value for e in at.error)
    assert not any(b.key == "unggah_submit" for b in at.button)
    assert store.data_version() == before and store.history("62.02", 2026)["version"].tolist() == [1]


@pytest.mark.parametrize("name, data, code", [
    ("bom.xlsx", wf.zip_bomb_bytes(600), "file.zip_bomb"),
    ("bukan.xlsx", b"PK\x03\x04 this is not a zip at all" * 10, None),
    ("terkunci.xlsx", wf.encrypted_ole_bytes(), "file.encrypted"),
])
def test_a_hostile_upload_gets_one_message_and_stores_nothing(store, name, data, code):
    before = store.data_version()
    at = upload(name, data)
    shown = everything_shown(at)
    assert "Traceback" not in shown and 'File "' not in shown
    if code:  # the loader's message for it, in the report table or a notice
        message = i18n.t(code, "id").split("{")[0].strip()[:40]
        tables = [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]
        assert any(message in v for v in unescaped([*(e.value for e in at.error), *tables])), (code, shown[:3000])
    assert store.data_version() == before
    assert store.history("62.02", 2026)["version"].tolist() == [1]


@pytest.mark.parametrize("page", router_pages())
def test_no_password_or_hash_on_any_page(store, monkeypatch, page):
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    with store.engine.connect() as conn:
        from kesbang.store.tables import users

        hashes = [h for (h,) in conn.execute(users.select().with_only_columns(users.c.password_hash))]
    assert hashes
    for user in ("admin", "reviewer", "operator.62.02", None):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if user:
            at.session_state["auth_user"] = {"username": user}
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception
        shown = everything_shown(at)
        assert DEMO_PASSWORD not in shown, (page, user)
        assert "$argon2" not in shown and not any(h in shown for h in hashes), (page, user)


def test_audit_and_listings_never_carry_hashes(store):
    assert store.authenticate("admin", "salah-sandi-panjang") is None
    assert store.authenticate("admin", DEMO_PASSWORD) is not None
    for frame in (store.audit(5000), store.list_users()):
        text = frame.astype(str).to_csv()
        assert "$argon2" not in text and DEMO_PASSWORD not in text and "salah-sandi" not in text


@pytest.mark.parametrize("seed", ["1", "0"])
def test_the_demo_hint_names_accounts_only_in_the_sample_setup(store, monkeypatch, seed):
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", seed)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/masuk.py")
    at.run()
    assert not at.exception
    shown = everything_shown(at)
    assert DEMO_PASSWORD not in shown
    hint = i18n.t("auth_ui.demo_hint", "id", accounts="\x00").split("\x00")[0]
    captions = unescaped(c.value for c in at.caption)
    assert any(c.startswith(hint) for c in captions) == (seed == "1"), captions


def page_run(page: str, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_forged_session_cannot_carry_a_role(store):
    """The session holds only a user name; the role and region come from the store on every run."""
    claims = {"username": "operator.62.02", "role": "admin", "region": None, "builtin": True}
    at = page_run("pages/tinjauan.py", auth_user=claims)
    assert [t.value for t in at.text][0] == i18n.t(
        "auth_ui.signed_in_as", "id", username="operator.62.02", role=i18n.t("auth.role.operator", "id"),
        region="62.02 " + regions.name_of("62.02"))
    read_only = i18n.t("tinjauan.read_only", "id", role=i18n.t("auth.role.operator", "id"))
    assert read_only in unescaped(i.value for i in at.info)
    assert all(b.disabled for b in at.button if b.key and b.key.startswith("tinjauan_"))


@pytest.mark.parametrize("claims", [{"username": "siapa.saja"}, {"username": "admin' OR '1'='1"}, {}])
def test_a_session_naming_no_account_is_anonymous(store, claims):
    at = page_run("pages/unggah.py", auth_user=claims)
    assert i18n.t("auth_ui.login_needed", "id") in unescaped(i.value for i in at.info)
    assert not at.file_uploader


def test_a_disabled_account_is_signed_out_on_the_next_run(store):
    from kesbang.auth import console_user

    assert store.disable_user(console_user(), "operator.62.02").ok
    at = page_run("pages/unggah.py", auth_user={"username": "operator.62.02"})
    assert i18n.t("auth_ui.login_needed", "id") in unescaped(i.value for i in at.info)
    assert "auth_user" not in at.session_state


def test_reading_closed_anonymous_visitors_get_only_the_sign_in_page(store, monkeypatch):
    monkeypatch.setenv("KESBANG_PUBLIC_READ", "0")
    for page in ("pages/ringkasan.py", "pages/profil_wilayah.py", "pages/tinjauan.py"):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.run()
        with pytest.raises(ValueError):  # the router did not register it: a deep link cannot reach it
            at.switch_page(page)
        assert not at.exception
        assert at.text_input  # the sign-in form
        assert not at.dataframe and not at.get("plotly_chart")
