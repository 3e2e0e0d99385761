"""Sign-in, upload and review pages through AppTest (issue 7): every role × action, allowed and refused.

Runs the router (`dashboard.py`) against a real SQLite store seeded from a few real sample workbooks
(`sample_data/62.0[1-4]_*.xlsx` + the provincial RPJMD): 2025 approved (locked), 62.02 2026 returned,
the other 2026 reports submitted. New uploads are real .xlsx files written by the template writer from a
stored version with one value changed.

Two layers keep an operator out of another region, and both are tested through the pages:
- the page does not offer the action (button disabled, reason shown); a forged click on a disabled
  button (what a hostile client could send) is dropped by Streamlit and stores nothing;
- the store refuses anyway: with the page's own checks switched off (`hide_nothing`: the page then
  offers every button), pressing it reaches the store, which refuses with its translated reason,
  audits the refusal and stores nothing.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import storekit
from streamlit.testing.v1 import AppTest

from kesbang import i18n, settings
from kesbang.analysis import completeness
from kesbang.exports import template
from kesbang.store import DEMO_PASSWORD, open_store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
TIMEOUT = 60
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAMPLE_FILES = ["rpjmd_62.xlsx"] + [f"62.0{n}_{y}.xlsx" for n in range(1, 5) for y in (2025, 2026)]


def t(key: str, lang: str = "id", **params) -> str:
    return i18n.t(key, lang, **params)


seeded_db, store = storekit.seeded_fixtures(SAMPLE_FILES)


@pytest.fixture
def empty(monkeypatch, isolated_store):
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    s = open_store()
    yield s
    s.close()


def run(page: str, user: str | None = None, lang: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    if user:  # a session that claims this account (the page re-reads it from the store every run)
        at.session_state["auth_user"] = {"username": user}
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    return at


def healthy(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    generic = {t("app.error_generic", lang) for lang in i18n.LANGUAGES}
    assert not [e.value for e in at.error if e.value in generic], "a section failed behind the error boundary"


def shown(at: AppTest) -> list[str]:
    out = []
    for kind in ("title", "subheader", "caption", "markdown", "text", "info", "warning", "error", "success"):
        out += [str(el.value) for el in at.get(kind)]
    return out


def notices(at: AppTest, kind: str) -> list[str]:
    """Texts of one element kind as a reader sees them (markdown backslash escapes removed)."""
    values = [str(el.value) for el in at.get(kind)]
    return values if kind == "text" else [re.sub(r"\\(.)", r"\1", v) for v in values]


def changed_workbook(store, region: str, year: int, bump: float = 7) -> bytes:
    """A real .xlsx of the latest stored version of region-year with one realisation changed."""
    h = store.history(region, year)
    sub = store.submission(int(h.iloc[-1]["submission_id"]))
    first = sub.indikator.index[0]
    before = sub.indikator.loc[first, "realisasi_tw1"]
    sub.indikator.loc[first, "realisasi_tw1"] = (0 if before != before or before is None else before) + bump
    return template.write_submission(sub, region, year)


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="unggah_file").upload(name, data, XLSX)
    at.run()
    return at


def forge_click(at: AppTest, key: str) -> AppTest:
    """Press a button the page shows disabled: what a client sending its own widget state would do."""
    button = at.button(key=key)
    assert button.disabled, f"{key} should not be offered"
    button.proto.disabled = False
    button.click()
    at.run()
    return at


@pytest.fixture
def hide_nothing(monkeypatch):
    """Switch off the pages' own checks (what they offer); the store's checks inside the write stay."""
    from kesbang import auth
    from kesbang.store import Store

    monkeypatch.setattr(auth, "allowed", lambda *args, **kwargs: True)
    monkeypatch.setattr(Store, "locked", lambda self, region, year: None)


def stored_notice(at: AppTest) -> list[str]:
    return [s for s in notices(at, "success") if s.startswith("Tersimpan sebagai versi")]


def frame(at: AppTest, column: str):
    """The first table on screen that has `column` (st.dataframe keys are not visible to AppTest)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with column {column!r}"
    return found[0]


def versions(store, region: str, year: int) -> list[int]:
    return [int(v) for v in store.history(region, year)["version"]]


def sid_of(store, region: str, year: int) -> int:
    return int(store.history(region, year).iloc[-1]["submission_id"])


# --- pages run for every role, on the sample store and an empty one -------------------------------


@pytest.mark.parametrize("page", ["pages/masuk.py", "pages/unggah.py", "pages/tinjauan.py"])
@pytest.mark.parametrize("user", [None, "operator.62.02", "reviewer", "kepala", "admin"])
def test_pages_run_for_every_role_on_the_sample_store(store, page, user):
    at = run(page, user)
    healthy(at)
    assert at.title
    if user is None and page != "pages/masuk.py":
        assert t("auth_ui.login_needed") in notices(at, "info")
        assert [link for link in at.get("page_link") if link.proto.page == "masuk"]
    if user is not None:
        assert any(text.startswith(f"Masuk sebagai {user} ") for text in notices(at, "text"))


@pytest.mark.parametrize("page", ["pages/masuk.py", "pages/unggah.py", "pages/tinjauan.py"])
def test_pages_run_on_an_empty_store(empty, page):
    assert empty.add_user(None, "admin", "admin", None, "rahasia-admin-1").ok
    for who in (None, "admin"):
        at = run(page, who)
        healthy(at)
        assert at.title
    if page == "pages/tinjauan.py":
        assert t("tinjauan.queue_empty", province="Kalimantan Tengah") in notices(at, "info")


def test_english_pages_show_no_indonesian_title_and_no_raw_keys(store):
    tables = {k.split(".")[0] for k in i18n.catalogue("en")}
    for page, user in (("pages/masuk.py", None), ("pages/unggah.py", "operator.62.02"),
                       ("pages/tinjauan.py", "reviewer")):
        at = run(page, user, lang="English")
        healthy(at)
        assert at.title[0].value in {t("auth_ui.title", "en"), t("unggah.title", "en"), t("tinjauan.title", "en")}
        raw = [s for s in shown(at) if s.split(".")[0] in tables and " " not in s and "." in s]
        assert not raw, raw


# --- signing in and out ---------------------------------------------------------------------------


def test_login_form_signs_in_with_the_demo_account_and_out_again(store):
    at = run("pages/masuk.py")
    assert t("auth_ui.demo_hint", accounts="admin, reviewer, kepala, operator.62.01") in notices(at, "caption")
    at.text_input(key="masuk_username").input("reviewer")
    at.text_input(key="masuk_password").input("salah-sekali-123")
    at.button[0].click()
    at.run()
    assert t("auth.login_failed") in notices(at, "error")
    assert not at.get("html")
    at.text_input(key="masuk_username").input("reviewer")
    at.text_input(key="masuk_password").input(DEMO_PASSWORD)
    at.button[0].click()
    at.run()
    healthy(at)
    # the page hands a one-time code to the session route (which sets the cookie AppTest cannot keep)
    assert t("auth_session.opening") in notices(at, "info")
    [form] = [el.proto.body for el in at.get("html")]
    assert 'method="post" action="/auth/session"' in form
    code = re.search(r'name="code" value="([A-Za-z0-9_-]{43})"', form).group(1)
    assert 'name="next" value="/masuk' in form
    assert store.resolve_session(store.exchange_code(code).token).user.username == "reviewer"
    audit = store.audit()
    logins = audit[audit["action"] == "auth.login"]["outcome"].tolist()
    assert logins[:2] == ["ok", "refused"]  # newest first: the success, then the wrong password


def test_the_signed_in_page_signs_out(store):
    at = run("pages/masuk.py", "reviewer")
    assert t("auth_ui.welcome") in notices(at, "success")
    assert any(s.startswith("Masuk sebagai reviewer · peran Peninjau") for s in notices(at, "text"))
    at.button(key="masuk_logout").click()
    at.run()
    assert t("auth_ui.signed_out") in notices(at, "info")
    assert "auth_user" not in at.session_state


def test_login_form_asks_to_wait_after_repeated_failures(store, monkeypatch):
    monkeypatch.setenv("KESBANG_LOGIN_MAX_FAILURES", "2")
    at = run("pages/masuk.py")
    for password in ("salah-sekali-123", "salah-lagi-456", DEMO_PASSWORD):
        at.text_input(key="masuk_username").input("reviewer")
        at.text_input(key="masuk_password").input(password)
        at.button[0].click()
        at.run()
    # the right password is refused while the name is throttled, and the page says to wait
    assert t("auth.login_throttled", minutes=15) in notices(at, "error")
    assert "auth_user" not in at.session_state
    assert store.audit(1).iloc[0]["message_id"] == "auth.login_throttled"


def test_demo_hint_only_when_seeding_is_on(store, monkeypatch):
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    at = run("pages/masuk.py")
    assert not [c for c in notices(at, "caption") if "OPERATIONS.md" in c]


def test_session_times_out(store, monkeypatch):
    monkeypatch.setenv("KESBANG_SESSION_TIMEOUT_MIN", "1")
    at = run("pages/unggah.py", "operator.62.02", auth_last_seen=time.time() - 120)
    assert t("auth_ui.login_needed") in notices(at, "info")
    at.switch_page("pages/masuk.py")
    at.run()
    assert t("auth_ui.timed_out", minutes="1") in notices(at, "info")


def test_a_disabled_account_is_signed_out_at_once(store):
    from kesbang.auth import console_user

    assert store.disable_user(console_user(), "operator.62.02").ok
    at = run("pages/unggah.py", "operator.62.02")
    assert t("auth_ui.login_needed") in notices(at, "info")
    assert not at.get("file_uploader")


def test_forged_session_role_is_ignored(store):
    # the session claims admin rights for an operator account: the store's role wins
    at = run("pages/tinjauan.py", None, auth_user={"username": "operator.62.02", "role": "admin"})
    assert at.button(key="tinjauan_approve").disabled
    assert any(s.startswith("Masuk sebagai operator.62.02 · peran Operator") for s in notices(at, "text"))


def test_reading_closed_shows_anonymous_visitors_only_the_sign_in_page(store, monkeypatch):
    monkeypatch.setenv("KESBANG_PUBLIC_READ", "0")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    healthy(at)
    assert at.title[0].value == t("auth_ui.title")
    assert t("auth_ui.public_read_off") in notices(at, "info")
    signed_in = run("pages/ringkasan.py", "kepala")
    healthy(signed_in)
    assert signed_in.title[0].value != t("auth_ui.title")


# --- operator: upload, report, diff, submit ---------------------------------------------------------


def test_operator_uploads_and_submits_own_region_once_even_on_double_click(store):
    data = changed_workbook(store, "62.02", 2026)
    at = upload(run("pages/unggah.py", "operator.62.02"), "62.02_2026_perbaikan.xlsx", data)
    healthy(at)
    assert "Terbaca: 62.02 Kotawaringin Timur · tahun 2026 · periode TW III" in notices(at, "text")
    assert t("unggah.diff_against", version=1, uploaded_at="x").split("(")[0] in " ".join(notices(at, "caption"))
    diff_table = frame(at, t("store.diff.field"))
    assert diff_table[t("store.diff.field")].str.startswith("Realisasi TW I").any()
    assert not at.button(key="unggah_submit").disabled
    at.button(key="unggah_submit").click()
    at.run()
    assert t("store.stored", version=2, region="62.02", year=2026) in notices(at, "success")
    at.button(key="unggah_submit").click()  # the second click of a double click
    at.run()
    assert versions(store, "62.02", 2026) == [1, 2]
    assert store.history("62.02", 2026)["status"].tolist() == ["returned", "resubmitted"]
    history = frame(at, t("ui.col.comments"))
    assert history[t("ui.col.status")].tolist() == ["Dikembalikan", "Diajukan ulang"]


def test_a_version_leaving_out_a_section_needs_the_operators_confirmation(store):
    """A re-upload without the values programmes (a fresh template filled again) would delete them."""
    h = store.history("62.02", 2026)
    sub = store.submission(int(h.iloc[-1]["submission_id"]))
    n_activities = len(sub.nilai)
    assert n_activities > 0
    sub.nilai = sub.nilai.iloc[0:0]
    data = template.write_submission(sub, "62.02", 2026)
    at = upload(run("pages/unggah.py", "operator.62.02"), "62.02_2026_tanpa_nilai.xlsx", data)
    healthy(at)
    section = f"{t('store.diff.activity')} ({n_activities})"
    assert any(section in w and "versi 1" in w for w in notices(at, "warning"))
    assert not at.checkbox(key="unggah_allow_drop").value
    at.button(key="unggah_submit").click()
    at.run()
    assert any(s.startswith("Unggahan ditolak: versi baru 62.02 tahun 2026") for s in notices(at, "error"))
    assert versions(store, "62.02", 2026) == [1]
    at.checkbox(key="unggah_allow_drop").check()
    at.run()
    at.button(key="unggah_submit").click()
    at.run()
    assert t("store.stored", version=2, region="62.02", year=2026) in notices(at, "success")
    assert versions(store, "62.02", 2026) == [1, 2]
    assert store.submission(sid_of(store, "62.02", 2026)).nilai.empty


def test_a_new_session_uploading_the_same_file_is_told_nothing_new_was_stored(store):
    data = (settings.SAMPLE_DIR / "62.03_2026.xlsx").read_bytes()  # a real sample workbook, already stored
    at = upload(run("pages/unggah.py", "operator.62.03"), "62.03_2026.xlsx", data)
    healthy(at)
    assert t("v.no_issues") in notices(at, "success") or notices(at, "warning")
    at.button(key="unggah_submit").click()
    at.run()
    assert t("store.duplicate", version=1, region="62.03", year=2026) in notices(at, "info")
    assert versions(store, "62.03", 2026) == [1]


def test_operator_cannot_submit_another_regions_workbook_even_by_forging_the_click(store):
    data = changed_workbook(store, "62.03", 2026)
    at = upload(run("pages/unggah.py", "operator.62.02"), "62.03_2026.xlsx", data)
    refusal = t("auth.region_denied", user="operator.62.02", own_region="62.02", region="62.03")
    assert refusal in notices(at, "warning")
    forge_click(at, "unggah_submit")  # dropped by Streamlit: a disabled widget takes no value
    healthy(at)
    assert not stored_notice(at) and versions(store, "62.03", 2026) == [1]


def test_the_store_refuses_another_regions_workbook_even_when_the_page_offers_submit(store, hide_nothing):
    data = changed_workbook(store, "62.03", 2026)
    at = upload(run("pages/unggah.py", "operator.62.02"), "62.03_2026.xlsx", data)
    refusal = t("auth.region_denied", user="operator.62.02", own_region="62.02", region="62.03")
    assert not at.button(key="unggah_submit").disabled
    at.button(key="unggah_submit").click()
    at.run()
    healthy(at)
    assert refusal in notices(at, "error")
    assert versions(store, "62.03", 2026) == [1]
    audit = store.audit()
    denied = audit[(audit["action"] == "submit") & (audit["outcome"] == "denied")]
    assert denied.iloc[0]["actor"] == "operator.62.02" and denied.iloc[0]["region"] == "62.03"


def test_upload_for_an_approved_year_is_refused_with_the_reason(store):
    data = changed_workbook(store, "62.02", 2025)
    at = upload(run("pages/unggah.py", "operator.62.02"), "62.02_2025.xlsx", data)
    lock = store.locked("62.02", 2025)
    reason = t("store.locked", region="62.02", year=2025, **lock)
    assert reason in notices(at, "warning")
    forge_click(at, "unggah_submit")
    assert not stored_notice(at) and versions(store, "62.02", 2025) == [1]


def test_the_store_refuses_a_locked_year_even_when_the_page_offers_submit(store, hide_nothing):
    data = changed_workbook(store, "62.02", 2025)
    at = upload(run("pages/unggah.py", "operator.62.02"), "62.02_2025.xlsx", data)
    at.button(key="unggah_submit").click()
    at.run()
    from kesbang.store.submissions import lock_of

    with store.engine.connect() as conn:  # Store.locked is switched off here
        reason = t("store.locked", region="62.02", year=2025, **lock_of(conn, "62.02", 2025))
    assert reason in notices(at, "error")
    assert versions(store, "62.02", 2025) == [1]
    at.button(key="unggah_submit").click()  # a refusal is not remembered as done: asking again asks the store
    at.run()
    assert reason in notices(at, "error")
    audit = store.audit()
    assert (audit[audit["action"] == "submit"]["message_id"].head(2) == "store.locked").all()


def test_a_broken_file_says_why_and_stores_nothing(store):
    at = upload(run("pages/unggah.py", "operator.62.02"), "laporan.xlsx", b"PK\x03\x04 terpotong di tengah")
    healthy(at)
    report = frame(at, t("v.report.message"))
    assert report[t("v.report.message")].tolist() == [t("file.corrupt")]
    assert "Berkas · 1 kesalahan, 0 peringatan" in notices(at, "text")
    assert t("unggah.nothing_stored") in notices(at, "error")
    assert "unggah_submit" not in [b.key for b in at.button]
    assert at.get("download_button")  # the report can still be downloaded
    assert versions(store, "62.02", 2026) == [1]


def test_a_file_over_the_size_limit_is_refused_before_reading(store, monkeypatch):
    monkeypatch.setenv("KESBANG_MAX_UPLOAD_MB", "0.001")
    data = changed_workbook(store, "62.02", 2026)
    at = upload(run("pages/unggah.py", "operator.62.02"), "besar.xlsx", data)
    assert [e for e in notices(at, "error") if e.startswith("Berkas besar.xlsx berukuran")]
    assert "unggah_submit" not in [b.key for b in at.button]
    assert versions(store, "62.02", 2026) == [1]


def test_a_file_name_with_markdown_prints_literally_in_notices(store, monkeypatch):
    monkeypatch.setenv("KESBANG_MAX_UPLOAD_MB", "0.001")
    at = upload(run("pages/unggah.py", "operator.62.02"), "[klik](https://contoh.invalid)*x*.xlsx",
                changed_workbook(store, "62.02", 2026))
    raw = [str(e.value) for e in at.error]
    assert [e for e in raw if "\\[klik\\]\\(https\\:" in e and "\\*x\\*" in e]
    assert [e for e in notices(at, "error") if "[klik](https://contoh.invalid)*x*.xlsx" in e]


def test_validation_errors_are_listed_per_sheet_with_cell_and_fix(store):
    h = store.history("62.02", 2026)
    sub = store.submission(int(h.iloc[-1]["submission_id"]))
    sub.indikator.loc[sub.indikator.index[0], "satuan"] = None  # a required cell left empty
    data = template.write_submission(sub, "62.02", 2026)
    at = upload(run("pages/unggah.py", "operator.62.02"), "kurang.xlsx", data)
    healthy(at)
    assert [m for m in notices(at, "text") if m.startswith("Indikator · ")]
    issues = frame(at, t("v.report.message"))
    errors = issues[issues[t("v.report.severity")] == t("v.severity.error")]
    assert not errors.empty and errors[t("v.report.cell")].str.match(r"^[A-Z]+\d+$").all()
    assert t("unggah.nothing_stored") in notices(at, "error")
    assert versions(store, "62.02", 2026) == [1]


def test_template_download_is_offered_for_the_operators_region(store):
    at = run("pages/unggah.py", "operator.62.02")
    button = at.get("download_button")[0]
    assert button.proto.label == t("unggah.template_button", region="62.02", year=2026)


def test_the_template_download_carries_the_stored_version_for_the_next_quarter(store, monkeypatch):
    """62.02 2026 has version 1 stored (a TW report): the template handed out is that version, period moved
    on one quarter, every section carried, written only when clicked."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    from kesbang.analysis.diff import dropped_sections, section_rows
    from kesbang.exports import carry
    from kesbang.intake import loader

    deferred = {}
    original_defer = MediaFileManager.add_deferred

    def deferring(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        deferred[file_name] = data_callable
        return original_defer(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", deferring)
    at = run("pages/unggah.py", "operator.62.02")
    healthy(at)
    stored = store.submission(sid_of(store, "62.02", 2026))
    later = carry.next_period(stored.period)
    assert t("carry.page_note", version=1, period=stored.period, next=later) in notices(at, "caption")
    result = loader.load_submission(deferred["templat_62.02_2026.xlsx"](), "templat.xlsx")
    assert result.submission.period == later
    assert dropped_sections(section_rows(stored), section_rows(result.submission)) == []
    cols = ["kode_indikator", "target_text", "realisasi_tw1", "realisasi_tw2"]
    assert result.submission.indikator[cols].equals(stored.indikator[cols])


def test_head_and_reviewer_are_not_offered_the_upload(store):
    for who, role in (("kepala", "Kepala"), ("reviewer", "Peninjau")):
        at = run("pages/unggah.py", who)
        assert not at.get("file_uploader")
        assert t("unggah.not_for_role", role=role) in notices(at, "info")


def test_operator_reads_the_return_comment_and_replies(store):
    at = run("pages/unggah.py", "operator.62.02")
    assert t("unggah.returned_note", version=1) in notices(at, "warning")
    assert any("mohon lengkapi data dukung" in s for s in notices(at, "text"))
    at.text_area(key="unggah_reply_text").input("Sudah dilengkapi, <b>terima kasih</b>.")
    at.button(key="FormSubmitter:unggah_reply-Kirim komentar").click()
    at.run()
    assert t("store.commented", region="62.02", year=2026, version=1) in notices(at, "success")
    thread = store.comments(sid_of(store, "62.02", 2026))
    assert thread.iloc[-1]["comment"] == "Sudah dilengkapi, <b>terima kasih</b>."
    assert "operator.62.02: Sudah dilengkapi, <b>terima kasih</b>." in notices(at, "text")  # plain text


# --- reviewer: approve, return, reopen --------------------------------------------------------------


def open_report(at: AppTest, store, region: str, year: int) -> AppTest:
    at.selectbox(key="tinjauan_open").set_value(sid_of(store, region, year))
    at.run()
    return at


def open_tab(at: AppTest, tab: str) -> AppTest:
    """Switch the opened report to one of its tabs (only the open tab is drawn)."""
    at.session_state["tinjauan_tab"] = t(f"tinjauan.tab_{tab}")
    at.run()
    return at


def test_reviewer_returns_with_a_comment_then_approves_and_reopens(store):
    at = open_report(run("pages/tinjauan.py", "reviewer"), store, "62.03", 2026)
    healthy(at)
    at.button(key="tinjauan_return").click()
    at.run()
    assert t("store.comment_required") in notices(at, "error")
    assert store.history("62.03", 2026)["status"].tolist() == ["submitted"]
    at.text_area(key="tinjauan_comment").input("Lengkapi tautan data dukung.")
    at.button(key="tinjauan_return").click()
    at.run()
    healthy(at)
    assert t("store.returned", region="62.03", year=2026, version=1) in notices(at, "success")
    assert store.history("62.03", 2026)["status"].tolist() == ["returned"]

    at = open_report(run("pages/tinjauan.py", "reviewer"), store, "62.04", 2026)
    at.button(key="tinjauan_approve").click()
    at.run()
    assert t("store.approved", region="62.04", year=2026, version=1) in notices(at, "success")
    assert store.locked("62.04", 2026) is not None
    at = open_report(at, store, "62.04", 2026)
    assert at.button(key="tinjauan_approve").disabled and not at.button(key="tinjauan_reopen").disabled
    at.text_area(key="tinjauan_comment").input("Dibuka untuk koreksi triwulan IV.")
    at.button(key="tinjauan_reopen").click()
    at.run()
    assert t("store.reopened", region="62.04", year=2026, version=1) in notices(at, "success")
    assert store.locked("62.04", 2026) is None
    events = store.events("62.04", 2026)["kind"].tolist()
    assert events == ["submitted", "approved", "reopened"]
    at = open_report(at, store, "62.04", 2026)
    trail = frame(at, t("tinjauan.col.event"))
    assert trail[t("tinjauan.col.event")].tolist() == ["Diajukan", "Disetujui", "Dibuka kembali"]


def test_reviewer_sees_report_diff_data_and_the_original_file(store):
    # a second version of 62.02 2026 so the diff tab has something to compare
    data = changed_workbook(store, "62.02", 2026)
    from kesbang.auth import console_user
    from kesbang.intake import loader

    assert store.submit(console_user(), loader.load_submission(data, "v2.xlsx"), data, "v2.xlsx").status == "stored"
    at = open_report(run("pages/tinjauan.py", "reviewer"), store, "62.02", 2026)
    healthy(at)
    # the report tab is open first; the others are drawn when opened
    assert t("tinjauan.diff_against", version=1, latest=2) not in notices(at, "caption")
    assert not at.get("download_button") or all(
        d.proto.label != t("tinjauan.download_original") for d in at.get("download_button"))
    open_tab(at, "diff")
    healthy(at)
    assert t("tinjauan.diff_against", version=1, latest=2) in notices(at, "caption")
    diff_table = frame(at, t("store.diff.field"))
    assert diff_table[t("store.diff.field")].str.startswith("Realisasi TW I").any()
    open_tab(at, "data")
    assert len(frame(at, "Kode Indikator")) > 0
    open_tab(at, "file")
    originals = [d for d in at.get("download_button") if d.proto.label == t("tinjauan.download_original")]
    assert originals
    assert "v2.xlsx" in notices(at, "text")


def test_review_opens_on_the_newest_upload_waiting_for_a_decision(store):
    """Not the first sample file: 2025 is approved, 62.02 2026 returned, and of the 2026 reports still
    submitted 62.04 was uploaded last."""
    from kesbang.auth import console_user
    from kesbang.intake import loader

    at = run("pages/tinjauan.py", "reviewer")
    healthy(at)
    assert at.selectbox(key="tinjauan_open").value == sid_of(store, "62.04", 2026)
    assert any(s.startswith("Berkas 62.04_2026.xlsx ·") for s in notices(at, "text"))  # the report opened
    # the returned 62.02 comes back as version 2 ("resubmitted"): now it is the newest waiting
    data = changed_workbook(store, "62.02", 2026)
    assert store.submit(console_user(), loader.load_submission(data, "v2.xlsx"), data, "v2.xlsx").status == "stored"
    at = run("pages/tinjauan.py", "reviewer")
    assert at.selectbox(key="tinjauan_open").value == sid_of(store, "62.02", 2026)
    # once decided it is no longer waiting, however recent: the newest still waiting opens instead
    assert store.review(console_user(), sid_of(store, "62.02", 2026), "approve").ok
    at = run("pages/tinjauan.py", "reviewer")
    assert at.selectbox(key="tinjauan_open").value == sid_of(store, "62.04", 2026)


def _as_xlsm(xlsx: bytes) -> bytes:
    """The same workbook declared macro-enabled (what Excel writes for an .xlsm), bytes otherwise equal."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            dst.writestr(item, body)
    return out.getvalue()


def test_reviewer_gets_the_original_under_its_real_kind_and_a_clean_copy(store, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from kesbang.auth import console_user
    from kesbang.intake import loader, reader

    # an operator's macro workbook uploaded under a plain .xlsx name
    data = _as_xlsm(changed_workbook(store, "62.02", 2026))
    assert reader.sniff(data) == "xlsm"
    assert store.submit(console_user(), loader.load_submission(data, "laporan.xlsx"), data,
                        "laporan.xlsx").status == "stored"
    served = {}  # file name -> (bytes, MIME type) of every download the page hands to Streamlit
    original_load = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        served[filename] = (path_or_data, mimetype)
        return original_load(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    deferred = {}  # file name -> the callable a deferred download runs when it is clicked
    original_defer = MediaFileManager.add_deferred

    def deferring(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        deferred[file_name] = (data_callable, mimetype)
        return original_defer(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", deferring)
    at = open_tab(open_report(run("pages/tinjauan.py", "reviewer"), store, "62.02", 2026), "file")
    healthy(at)
    labels = [d.proto.label for d in at.get("download_button")]
    assert t("tinjauan.download_clean") in labels and t("tinjauan.download_original") in labels
    clean = next(d for d in at.get("download_button") if d.proto.label == t("tinjauan.download_clean"))
    assert clean.proto.type == "primary"  # the recommended one
    assert t("tinjauan.original_caption", kind="xlsm") in notices(at, "caption")
    # the original: its own bytes, the macro-enabled MIME type and extension
    assert served["laporan.xlsm"] == (data, "application/vnd.ms-excel.sheet.macroEnabled.12")
    # the clean copy is written only when clicked (a deferred download), not on every rerun:
    # a plain .xlsx written by the template writer, holding the same data
    assert "laporan_bersih.xlsx" not in served and clean.proto.deferred_file_id
    build, mime = deferred["laporan_bersih.xlsx"]
    copy = build()
    assert mime == XLSX and reader.sniff(copy) == "xlsx"
    again = loader.load_submission(copy, "laporan_bersih.xlsx")
    assert again.ok
    stored = store.submission(sid_of(store, "62.02", 2026))
    cols = ["kode_indikator", "realisasi_tw1", "target"]
    assert again.submission.indikator[cols].equals(stored.indikator[cols])


def test_head_reads_but_every_action_is_refused_even_when_forged(store):
    at = open_report(run("pages/tinjauan.py", "kepala"), store, "62.03", 2026)
    healthy(at)
    assert t("tinjauan.read_only", role="Kepala") in notices(at, "info")
    assert all(at.button(key=f"tinjauan_{a}").disabled for a in ("approve", "return", "reopen"))
    assert len(frame(open_tab(at, "data"), "Kode Indikator")) > 0  # heads read the report
    forge_click(at, "tinjauan_approve")
    assert t("store.approved", region="62.03", year=2026, version=1) not in notices(at, "success")
    assert store.history("62.03", 2026)["status"].tolist() == ["submitted"]


def test_the_store_refuses_a_head_approving_even_when_the_page_offers_it(store, hide_nothing):
    at = open_report(run("pages/tinjauan.py", "kepala"), store, "62.03", 2026)
    at.button(key="tinjauan_approve").click()
    at.run()
    assert t("auth.role_denied", role="Kepala", action="menyetujui laporan") in notices(at, "error")
    assert store.history("62.03", 2026)["status"].tolist() == ["submitted"]


def test_operator_pressing_approve_is_refused_by_the_store_and_audited(store, hide_nothing):
    at = open_report(run("pages/tinjauan.py", "operator.62.03"), store, "62.03", 2026)
    at.button(key="tinjauan_approve").click()
    at.run()
    assert t("auth.role_denied", role="Operator", action="menyetujui laporan") in notices(at, "error")
    assert store.locked("62.03", 2026) is None
    audit = store.audit()
    row = audit[audit["action"] == "review.approve"].iloc[0]
    assert (row["outcome"], row["actor"], row["region"]) == ("denied", "operator.62.03", "62.03")
    assert json.loads(row["detail"])["role"] == "operator"


def test_anonymous_forging_a_session_for_an_unknown_account_gets_nothing(store):
    at = run("pages/tinjauan.py", "penyusup")
    assert t("auth_ui.login_needed") in notices(at, "info")
    assert "tinjauan_approve" not in [b.key for b in at.button]


# --- completeness ----------------------------------------------------------------------------------


def test_completeness_names_who_has_not_reported(store):
    at = run("pages/tinjauan.py", "reviewer")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("tinjauan.reported", period="TW III")] == "4 / 14"
    warning = [w for w in notices(at, "warning") if w.startswith("Belum melapor s.d. TW III")]
    assert warning and "62.05 " in warning[0] and "62.02 " not in warning[0]
    grid = frame(at, "TW I")
    row = grid[grid[t("ui.col.region")] == "62.01 Kotawaringin Barat"].iloc[0]
    assert [row["TW I"], row["TW III"], row["TW IV"]] == [t("tinjauan.cell.reported"), t("tinjauan.cell.reported"),
                                                        t("tinjauan.cell.not_due")]


def test_completeness_table_unit():
    import pandas as pd

    subs = pd.DataFrame({"region": ["62.01", "62.02", "62.02"], "year": [2026, 2026, 2025],
                         "period": ["TW II", "TW I", "TW IV"], "status": ["submitted", "approved", "approved"]})
    grid = completeness.completeness(subs, "62", 2026, 3)
    r1 = grid[grid["region"] == "62.01"].iloc[0]
    r2 = grid[grid["region"] == "62.02"].iloc[0]
    assert [r1.tw1, r1.tw2, r1.tw3, r1.tw4] == ["reported", "reported", "missing", "not_due"]
    assert [r2.tw1, r2.tw2, r2.reached] == ["reported", "missing", 1]
    assert len(grid) == 14 and grid["status"].isna().sum() == 12
    assert completeness.missing(grid, 1) == [c for c in grid["region"] if c not in ("62.01", "62.02")]
    assert set(completeness.completeness(subs.iloc[0:0], "62", 2026, 4)["tw1"]) == {"missing"}
    # a version without a period or a status does not hide the region's other versions
    more = pd.concat([subs, pd.DataFrame({"region": ["62.03", "62.03"], "year": [2026, 2026],
                                          "period": [None, "TW III"], "status": [None, "returned"]})])
    r3 = completeness.completeness(more, "62", 2026, 4).set_index("region").loc["62.03"]
    assert [r3.reached, r3.status, r3.tw3, r3.tw4] == [3, "returned", "reported", "missing"]
    assert completeness.completeness(more.drop(columns="status"), "62", 2026, 4)["status"].isna().all()


# --- single sign-on (st.login) ---------------------------------------------------------------------

SSO_SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                        "client_id": "kesbang", "client_secret": "s", "server_metadata_url":
                        "https://sso.contoh.invalid/.well-known/openid-configuration"}}


def run_sso(page: str, identity: dict | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets = SSO_SECRETS
    if identity is not None:
        at.user = identity
    at.run()
    at.switch_page(page)
    at.run()
    return at


def test_sso_identity_maps_to_the_store_account_with_the_same_name(store):
    from kesbang.auth import console_user

    assert store.add_user(console_user(), "peninjau@bappeda.contoh.id", "reviewer", None, "rahasia-panjang-1").ok
    at = run_sso("pages/tinjauan.py", {"is_logged_in": True, "email": "peninjau@bappeda.contoh.id"})
    healthy(at)
    assert any(s.startswith("Masuk sebagai peninjau@bappeda.contoh.id · peran Peninjau") for s in notices(at, "text"))
    assert not at.button(key="tinjauan_approve").disabled


def test_sso_identity_without_an_account_is_refused(store):
    at = run_sso("pages/unggah.py", {"is_logged_in": True, "email": "orang.asing@contoh.id"})
    assert t("auth_ui.login_needed") in notices(at, "info")
    at.switch_page("pages/masuk.py")
    at.run()
    assert t("auth_ui.sso_unknown") in notices(at, "error")
    assert "orang.asing@contoh.id" in notices(at, "text")


def test_sso_button_only_when_configured(store):
    at = run_sso("pages/masuk.py", None)
    assert "masuk_sso" in [b.key for b in at.button]
    assert "masuk_sso" not in [b.key for b in run("pages/masuk.py").button]


def test_admin_may_upload_for_any_region(store):
    data = changed_workbook(store, "62.03", 2026)
    at = upload(run("pages/unggah.py", "admin"), "62.03_2026_admin.xlsx", data)
    healthy(at)
    assert at.selectbox(key="unggah_region")  # admins pick the region whose template and history they see
    at.button(key="unggah_submit").click()
    at.run()
    assert t("store.stored", version=2, region="62.03", year=2026) in notices(at, "success")
    assert store.history("62.03", 2026)["uploaded_by"].tolist() == ["sistem", "admin"]


def test_reviewer_comment_lands_in_the_thread_as_plain_text(store):
    at = open_report(run("pages/tinjauan.py", "reviewer"), store, "62.03", 2026)
    at.text_area(key="tinjauan_reply_text").input("Cek baris 12: **target** tidak sesuai [RPJMD](x)")
    at.button(key="FormSubmitter:tinjauan_reply-Kirim komentar").click()
    at.run()
    healthy(at)
    assert t("store.commented", region="62.03", year=2026, version=1) in notices(at, "success")
    assert "reviewer: Cek baris 12: **target** tidak sesuai [RPJMD](x)" in notices(at, "text")
    # the operator of that region reads it on the upload page
    op = run("pages/unggah.py", "operator.62.03")
    assert "reviewer: Cek baris 12: **target** tidak sesuai [RPJMD](x)" in notices(op, "text")
    # an operator of another region is not offered the comment form on it
    other = open_report(run("pages/tinjauan.py", "operator.62.02"), store, "62.03", 2026)
    assert "FormSubmitter:tinjauan_reply-Kirim komentar" not in [b.key for b in other.button]

