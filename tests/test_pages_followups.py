"""Early warning and follow-ups through AppTest: the Peringatan page's list, and every role x follow-up
action through the pages, allowed and refused.

Runs the router against a real SQLite store seeded from real sample workbooks (62.01-62.04, 2025 and
2026, plus the provincial RPJMD). As for uploads and reviews, two layers are tested: the page does not
offer what a role may not do (the button is disabled), and with the pages' own checks switched off
(`hide_nothing`) the store refuses, shows its translated reason, audits the refusal and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import storekit
from streamlit.testing.v1 import AppTest

from kesbang import i18n
from kesbang.analysis import metrics, projection

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
TIMEOUT = 60
SAMPLE_FILES = ["rpjmd_62.xlsx"] + [f"62.0{n}_{y}.xlsx" for n in range(1, 5) for y in (2025, 2026)]
STAFF = ("admin", "reviewer", "kepala")


def t(key: str, lang: str = "id", **params) -> str:
    return i18n.t(key, lang, **params)


seeded_db, store = storekit.seeded_fixtures(SAMPLE_FILES)


@pytest.fixture
def hide_nothing(monkeypatch):
    """Switch off the pages' own checks (what they offer); the store's checks inside the write stay."""
    from kesbang import auth

    monkeypatch.setattr(auth, "allowed", lambda *args, **kwargs: True)


def run(page: str, user: str | None = None, lang: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    if user:
        at.session_state["auth_user"] = {"username": user}
    at.run()
    at.switch_page(page)
    at.run()
    return at


def healthy(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    generic = {t("app.error_generic", lang) for lang in i18n.LANGUAGES}
    assert not [e.value for e in at.error if e.value in generic], "a section failed behind the error boundary"


def notices(at: AppTest, kind: str) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", str(el.value)) for el in at.get(kind)]


def frame(at: AppTest, column: str):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with column {column!r}"
    return found[0]


def expected_watch(store):
    """The watch list the page should show (62, 2026, TW III), computed here from the store's own data."""
    ds = store.dataset(province="62", years=[2026])
    m = metrics.compute(ds.indicators, 3, metrics.Rules.from_settings(), rpjmd=ds.rpjmd)
    return projection.watch_list(projection.project(m, upto_quarter=3))


def open_on(store, region="62.02", due=dt.date(2030, 12, 31)) -> int:
    """A follow-up opened by the reviewer on the region's first indicator, through the store."""
    reviewer = store.user("reviewer")
    code = store.dataset(years=[2026]).indicators.query("region == @region").iloc[0]["kode_indikator"]
    out = store.open_followup(reviewer, region, 2026, code, "Percepat pelaksanaan", due)
    assert out.ok, out
    return out.id


# --- the page and its list --------------------------------------------------------------------------


@pytest.mark.parametrize("user", [None, "operator.62.02", "reviewer", "kepala", "admin"])
def test_the_page_lists_the_lagging_pairs_for_every_role(store, user):
    at = run("pages/peringatan.py", user)
    healthy(at)
    expected = expected_watch(store)
    assert len(expected) > 0, "the sample province has lagging indicators"
    shown = frame(at, t("peringatan.col.status"))
    assert len(shown) == len(expected)
    first = expected.iloc[0]
    assert shown.iloc[0][t("ui.col.region")] == f"{first['region']} {first['region_name']}"
    assert shown.iloc[0][t("ui.col.indicator_code")] == first["kode_indikator"]
    assert shown.iloc[0][t("peringatan.col.status")] == t(f"peringatan.{first['proj_status']}")
    assert shown.iloc[0][t("ui.col.obstacle")] == (first["faktor_penghambat"] or "—")
    metric_values = {m.label: m.value for m in at.get("metric")}
    assert metric_values[t("peringatan.off_track")] == str((expected["proj_status"] == "off_track").sum())
    if user is None:
        assert t("peringatan.login_to_act") in notices(at, "caption")


def test_the_list_narrows_to_chosen_regencies_and_statuses(store):
    expected = expected_watch(store)
    worst = expected.iloc[0]  # the regency of the worst pair
    mine = expected[expected["region"] == worst["region"]]
    at = run("pages/peringatan.py", "reviewer")
    at.multiselect(key="peringatan_regions").select(worst["region"])
    at.run()
    shown = frame(at, t("peringatan.col.status"))
    assert len(shown) == len(mine)
    assert set(shown[t("ui.col.region")]) == {f"{worst['region']} {worst['region_name']}"}
    at.multiselect(key="peringatan_status").unselect(worst["proj_status"])
    at.run()
    rest = mine[mine["proj_status"] != worst["proj_status"]]
    if rest.empty:
        assert t("peringatan.none_lagging") in notices(at, "info")
    else:
        shown = frame(at, t("peringatan.col.status"))
        assert len(shown) == len(rest)
        assert t(f"peringatan.{worst['proj_status']}") not in set(shown[t("peringatan.col.status")])


def test_the_page_in_english_shows_no_raw_keys(store):
    at = run("pages/peringatan.py", "reviewer", lang="English")
    healthy(at)
    assert at.title[0].value == t("peringatan.title", "en")
    tables = {k.split(".")[0] for k in i18n.catalogue("en")}
    texts = [str(el.value) for kind in ("title", "subheader", "caption", "info", "warning") for el in at.get(kind)]
    assert not [s for s in texts if re.fullmatch(r"[a-z_]+(\.[a-z_0-9]+)+", s) and s.split(".")[0] in tables]
    assert t("peringatan.col.status", "en") in frame(at, t("peringatan.col.status", "en")).columns


# --- opening ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", STAFF)
def test_staff_open_a_follow_up_from_the_list(store, user):
    at = run("pages/peringatan.py", user)
    at.text_area(key="followup_open_text").input("Jadwalkan ulang sosialisasi")
    at.date_input(key="followup_open_due").set_value(dt.date(2030, 11, 30))
    at.button(key="followup_open_button").click()
    at.run()
    healthy(at)
    [record] = store.followups()
    first = expected_watch(store).iloc[0]
    assert (record["region"], record["indicator_code"], record["opened_by"]) == (
        first["region"], first["kode_indikator"], user)
    assert record["text"] == "Jadwalkan ulang sosialisasi" and record["due"] == dt.date(2030, 11, 30)
    assert t("followup.opened", id=record["id"], region=first["region"], year=2026,
             code=first["kode_indikator"]) in notices(at, "success")
    listed = frame(at, t("peringatan.col.text"))
    assert listed[t("peringatan.col.text")].tolist() == ["Jadwalkan ulang sosialisasi"]


def test_an_operator_is_not_offered_opening(store):
    at = run("pages/peringatan.py", "operator.62.02")
    healthy(at)
    assert at.button(key="followup_open_button").disabled
    assert t("peringatan.open_not_allowed") in notices(at, "caption")


def test_the_store_refuses_an_operator_opening_even_when_the_page_offers_it(store, hide_nothing):
    at = run("pages/peringatan.py", "operator.62.02")
    at.text_area(key="followup_open_text").input("x")
    assert not at.button(key="followup_open_button").disabled
    at.button(key="followup_open_button").click()
    at.run()
    healthy(at)
    assert t("auth.role_denied", role=t("auth.role.operator"), action=t("auth.action.followup.open")) in notices(
        at, "error")
    assert store.followups() == []
    last = store.audit(1).iloc[0]
    assert (last["action"], last["outcome"], last["actor"]) == ("followup.open", "denied", "operator.62.02")


# --- answering --------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", [*STAFF, "operator.62.02"])
def test_who_may_answer_answers_on_the_page(store, user):
    fid = open_on(store, "62.02")
    at = run("pages/peringatan.py", user)
    at.text_area(key="followup_respond_text").input(f"Jawaban dari {user}")
    at.button(key="followup_respond_button").click()
    at.run()
    healthy(at)
    assert t("followup.response", id=fid) in notices(at, "success")
    [record] = store.followups()
    assert [(a["by"], a["text"]) for a in record["answers"]] == [(user, f"Jawaban dari {user}")]


def test_an_operator_sees_their_own_follow_ups_with_overdue_marked_and_answers_on_the_profile_page(store):
    late = open_on(store, "62.02", due=dt.date(2026, 1, 31))  # long past on the machine's clock
    open_on(store, "62.03")
    at = run("pages/profil_wilayah.py", "operator.62.02", kab="Kotawaringin Timur")
    healthy(at)
    listed = frame(at, t("peringatan.col.text"))
    assert listed[t("peringatan.col.id")].tolist() == [late]
    overdue = f"{t('followup.status_open')} · {t('followup.overdue')}"
    assert listed[t("peringatan.col.followup_status")].tolist() == [overdue]
    assert t("peringatan.overdue_notice", n=1) in notices(at, "warning")
    at.text_area(key="followup_region_respond_text").input("Sudah dijadwalkan")
    at.button(key="followup_region_respond_button").click()
    at.run()
    healthy(at)
    assert store.followups(region="62.02")[0]["answers"][0]["text"] == "Sudah dijadwalkan"
    # on Peringatan the operator sees only their own regency's follow-ups
    at = run("pages/peringatan.py", "operator.62.02")
    assert frame(at, t("peringatan.col.text"))[t("peringatan.col.id")].tolist() == [late]


def test_another_regions_operator_is_not_offered_an_answer(store):
    open_on(store, "62.02")
    at = run("pages/profil_wilayah.py", "operator.62.01", kab="Kotawaringin Timur")
    healthy(at)
    assert not [b for b in at.button if b.key == "followup_region_respond_button"]
    at = run("pages/peringatan.py", "operator.62.01")
    assert t("peringatan.respond_none") in notices(at, "caption")


def test_the_store_refuses_another_regions_operator_answering(store, hide_nothing):
    fid = open_on(store, "62.02")
    at = run("pages/profil_wilayah.py", "operator.62.01", kab="Kotawaringin Timur")
    at.text_area(key="followup_region_respond_text").input("Bukan wilayah saya")
    at.button(key="followup_region_respond_button").click()
    at.run()
    healthy(at)
    assert t("auth.region_denied", user="operator.62.01", own_region="62.01", region="62.02") in notices(at, "error")
    assert store.followups()[0]["answers"] == []
    last = store.audit(1).iloc[0]
    assert (last["action"], last["outcome"], last["region"]) == ("followup.respond", "denied", "62.02")
    assert fid == store.followups()[0]["id"]


# --- closing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", STAFF)
def test_staff_close_a_follow_up(store, user):
    fid = open_on(store, "62.02")
    at = run("pages/peringatan.py", user)
    at.text_input(key="followup_close_note").input("Selesai dibahas di rakor")
    at.button(key="followup_close_button").click()
    at.run()
    healthy(at)
    assert t("followup.closed", id=fid) in notices(at, "success")
    [record] = store.followups()
    assert (record["status"], record["closed_by"], record["closing_note"]) == (
        "closed", user, "Selesai dibahas di rakor")


def test_an_operator_is_not_offered_closing_and_the_store_refuses_it(store, monkeypatch):
    open_on(store, "62.02")
    at = run("pages/peringatan.py", "operator.62.02")
    assert at.button(key="followup_close_button").disabled
    from kesbang import auth

    monkeypatch.setattr(auth, "allowed", lambda *args, **kwargs: True)
    at = run("pages/peringatan.py", "operator.62.02")
    at.button(key="followup_close_button").click()
    at.run()
    healthy(at)
    assert t("auth.role_denied", role=t("auth.role.operator"), action=t("auth.action.followup.close")) in notices(
        at, "error")
    assert store.followups()[0]["status"] == "open"
    assert store.audit(1).iloc[0]["outcome"] == "denied"


# --- follow-ups on alignment and measurability findings ---------------------------------------------


def expected_findings(store):
    """The measurability findings the page lists first (62, 2026, all regencies, errors and warnings)."""
    from kesbang.analysis import measurability

    ds = store.dataset().filter(province="62")
    results = measurability.audit(ds.indicators, ds.rpjmd, ds.submissions, 2026)
    return measurability.describe(measurability.findings(results), "id")


def store_unmapped_indicator(store, region="62.03"):
    """A new 2026 version of `region` whose first indicator names an RPJMD code the plan does not hold."""
    from kesbang.devtools import sample
    from kesbang.exports import template
    from kesbang.intake.loader import load_submission

    sub = sample.build_submission(region, 2026)
    sub.indikator.loc[sub.indikator.index[0], "kode_rpjmd"] = "9.99.99"
    data = template.write_submission(sub, region, 2026, sample.build_rpjmd("62"))
    result = load_submission(data, f"{region}_2026.xlsx")
    out = store.submit(store.user(f"operator.{region}"), result, data, f"{region}_2026.xlsx", allow_drop=True)
    assert out.ok, out
    return sub.indikator.iloc[0]["kode_indikator"]


def test_a_reviewer_opens_a_follow_up_on_a_measurability_finding(store):
    at = run("pages/keterukuran.py", "reviewer")
    healthy(at)
    at.text_area(key="keterukuran_followup_open_text").input("Rumuskan ulang indikator agar terukur")
    at.button(key="keterukuran_followup_open_button").click()
    at.run()
    healthy(at)
    [record] = store.followups()
    first = expected_findings(store).iloc[0]
    assert (record["subject"], record["region"], record["indicator_code"], record["finding"]) == (
        "measurability", first["region"], first["kode_indikator"], first["pesan"])
    about = frame(at, t("peringatan.col.about"))[t("peringatan.col.about")].tolist()
    assert about == [f"{t('followup.subject_measurability')}: {first['pesan']}"]


def test_a_head_opens_a_follow_up_on_an_alignment_gap(store):
    code = store_unmapped_indicator(store)
    at = run("pages/keselarasan.py", "kepala")
    healthy(at)
    at.text_area(key="keselarasan_followup_open_text").input("Petakan indikator ke RPJMD provinsi")
    at.button(key="keselarasan_followup_open_button").click()
    at.run()
    healthy(at)
    [record] = store.followups()
    assert (record["subject"], record["region"], record["indicator_code"]) == ("alignment", "62.03", code)
    assert record["finding"] == t("keselarasan.status.unknown_code")
    # the follow-up is a regency's to answer like any other: it shows on the province list too
    listed = run("pages/peringatan.py", "reviewer")
    assert "Petakan indikator ke RPJMD provinsi" in frame(listed, t("peringatan.col.text"))[
        t("peringatan.col.text")].tolist()


@pytest.mark.parametrize("page", ["pages/keterukuran.py", "pages/keselarasan.py"])
def test_an_operator_is_not_offered_a_follow_up_on_a_finding(store, page):
    store_unmapped_indicator(store)
    at = run(page, "operator.62.02")
    healthy(at)
    prefix = Path(page).stem
    assert not [b for b in at.button if b.key == f"{prefix}_followup_open_button"]
