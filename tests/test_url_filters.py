"""Links reproduce the view (issue 23): every filter is in the URL as a code on every run, a link's codes
(or an old link's display names) open the same view, a value that fits nothing falls back quietly, and
another page's filters leave the URL.

The sidebar is drawn by the router, so sidebar facts are read on the router's own run; page facts go
through the router too (`through_the_router`), as a server runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kesbang import i18n
from tests.plotly_spec import specs
from tests.test_pages import sample_db, sample_store  # noqa: F401 (fixtures)

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
TIMEOUT = 120
SIDEBAR = ("provinsi", "tahun", "tw", "lang")
pytestmark = pytest.mark.usefixtures("sample_store")


def run(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sidebar(at: AppTest) -> dict:
    """The sidebar filters' chosen values, by URL parameter (= widget key)."""
    return {key: at.sidebar.selectbox(key=key).value for key in SIDEBAR}


def sidebar_params(at: AppTest) -> dict:
    return {k: v for k, v in at.query_params.items() if k in SIDEBAR}


def test_a_fresh_visit_writes_the_default_filters_as_codes():
    at = run()
    # the sample's latest year is 2026, reported up to TW III: written although nobody chose them
    assert at.query_params == {"provinsi": "62", "tahun": "2026", "tw": "3", "lang": "id"}
    assert sidebar(at) == {"provinsi": "62", "tahun": 2026, "tw": 3, "lang": "id"}


def test_a_link_with_codes_opens_those_filters_and_keeps_them():
    at = run(provinsi="64", tahun="2025", tw="2", lang="en")
    assert sidebar(at) == {"provinsi": "64", "tahun": 2025, "tw": 2, "lang": "en"}
    assert sidebar_params(at) == {"provinsi": "64", "tahun": "2025", "tw": "2", "lang": "en"}
    assert at.caption[1].value == i18n.t("ui.filters_caption", "en", province="Kalimantan Timur", year=2025,
                                         period="TW II")


def test_an_old_link_with_display_names_still_opens_and_becomes_codes():
    at = run(provinsi="Kalimantan Timur", tahun="2025", tw="TW III", lang="English")
    assert sidebar(at) == {"provinsi": "64", "tahun": 2025, "tw": 3, "lang": "en"}
    assert sidebar_params(at) == {"provinsi": "64", "tahun": "2025", "tw": "3", "lang": "en"}


def test_values_that_fit_nothing_fall_back_to_the_defaults_without_an_error():
    at = run(provinsi="99", tahun="1900", tw="7", lang="xx")
    assert not at.error
    assert sidebar(at) == {"provinsi": "62", "tahun": 2026, "tw": 3, "lang": "id"}
    assert sidebar_params(at) == {"provinsi": "62", "tahun": "2026", "tw": "3", "lang": "id"}
    # a known province with a year it has no data for: that province, its latest year
    at = run(provinsi="64", tahun="2031", tw="TW V")
    assert sidebar(at) == {"provinsi": "64", "tahun": 2026, "tw": 3, "lang": "id"}


def test_a_changed_filter_is_written_at_once():
    at = run()
    at.sidebar.selectbox(key="tw").set_value(1).run()
    at.sidebar.selectbox(key="provinsi").set_value("64").run()
    assert sidebar_params(at) == {"provinsi": "64", "tahun": "2026", "tw": "1", "lang": "id"}


def test_the_regency_of_a_profile_link_opens_and_another_page_drops_it(through_the_router):
    at = run("pages/profil_wilayah.py", wilayah="62.02")
    assert at.selectbox(key="kab").value == "62.02"
    assert at.query_params["wilayah"] == "62.02"
    assert at.query_params["tw"] == "3"  # the sidebar's filters ride along
    at.switch_page("pages/ringkasan.py")
    at.run()
    assert "wilayah" not in at.query_params
    assert sidebar_params(at) == {"provinsi": "62", "tahun": "2026", "tw": "3", "lang": "id"}


def test_an_old_profile_link_by_name_becomes_the_code(through_the_router):
    at = run("pages/profil_wilayah.py", kab="Kotawaringin Timur")
    assert at.selectbox(key="kab").value == "62.02"
    assert at.query_params.get("wilayah") == "62.02" and "kab" not in at.query_params
    at.selectbox(key="kab").set_value("62.71").run()
    assert at.query_params["wilayah"] == "62.71"


def test_bandingkan_regions_and_output_are_in_the_url(through_the_router):
    at = run("pages/bandingkan.py")
    # the defaults are written too: the ranking's indicator, the compared regions, the costed output
    assert at.query_params["indikator"] == at.selectbox(key="indikator").value
    assert at.query_params["keluaran"] == at.selectbox(key="keluaran").value
    assert at.query_params["banding"] == at.multiselect(key="wilayah").value
    at.multiselect(key="wilayah").set_value(["62.01", "62.02", "62.71"]).run()
    assert at.query_params["banding"] == ["62.01", "62.02", "62.71"]
    at.multiselect(key="wilayah").set_value([]).run()
    assert at.query_params["banding"] == ""  # none chosen, which a reload must not turn into the default
    # another province: its own regions, not an empty choice left from the last one
    at.multiselect(key="wilayah").set_value(["62.01", "62.71"]).run()
    at.sidebar.selectbox(key="provinsi").set_value("64").run()
    chosen = at.multiselect(key="wilayah").value
    assert len(chosen) == 2 and all(c.startswith("64.") for c in chosen)
    assert at.query_params["banding"] == chosen


def test_bandingkan_link_choices_open_and_bad_ones_are_left_out(through_the_router):
    at = run("pages/bandingkan.py", banding=["62.02", "Kota Palangka Raya", "99.99"])
    assert at.multiselect(key="wilayah").value == ["62.02", "62.71"]
    assert at.query_params["banding"] == ["62.02", "62.71"]
    at = run("pages/bandingkan.py", banding="")
    assert at.multiselect(key="wilayah").value == []
    assert i18n.t("bandingkan.pick_two", "id") in [i.value for i in at.info]
    default = run("pages/bandingkan.py").multiselect(key="wilayah").value
    assert run("pages/bandingkan.py", banding="99.99").multiselect(key="wilayah").value == default


def test_the_indicator_of_a_link_opens_on_the_indicator_page(through_the_router):
    first = run("pages/indikator.py")
    options = first.selectbox(key="indikator").options  # labels "code · name (unit)"
    other = next(o for o in options if o.split(" · ")[0] != first.selectbox(key="indikator").value)
    code = other.split(" · ")[0]
    assert run("pages/indikator.py", indikator=code).selectbox(key="indikator").value == code
    old = run("pages/indikator.py", indikator=other)  # an old link carried the label
    assert old.selectbox(key="indikator").value == code and old.query_params["indikator"] == code
    assert run("pages/indikator.py", indikator="TIDAK-ADA").selectbox(key="indikator").value == (
        first.selectbox(key="indikator").value)


@pytest.mark.parametrize("page", ["pages/bandingkan.py", "pages/ringkasan.py"])
def test_a_copied_link_shows_the_same_numbers_in_a_new_session(through_the_router, page):
    at = run(page)
    at.sidebar.selectbox(key="provinsi").set_value("64").run()
    at.sidebar.selectbox(key="tahun").set_value(2025).run()
    at.sidebar.selectbox(key="tw").set_value(3).run()
    link = dict(at.query_params)
    assert {k: link[k] for k in ("provinsi", "tahun", "tw")} == {"provinsi": "64", "tahun": "2025", "tw": "3"}
    again = run(page, **link)
    assert again.query_params == link
    assert specs(again) == specs(at) and [m.value for m in again.metric] == [m.value for m in at.metric]
    # and the period is what made it so: TW IV (that year's default) draws other numbers
    other = run(page, **{**link, "tw": "4"})
    assert specs(other) != specs(at)


def test_the_regency_carries_to_the_pages_that_narrow_to_one_and_whole_province_is_written_too(
        through_the_router):
    at = run("pages/profil_wilayah.py", wilayah="62.02")
    for page, key in (("pages/inspirasi.py", "inspirasi_wilayah"), ("pages/berdampingan.py", "side_scope"),
                      ("pages/program_nilai.py", "nilai_scope"), ("pages/keterukuran.py", "keterukuran_wilayah")):
        at.switch_page(page)
        at.run()
        assert not at.exception, page
        assert at.selectbox(key=key).value == "62.02", page
        assert at.query_params["wilayah"] == "62.02", page
    at.selectbox(key="keterukuran_wilayah").select_index(0).run()  # "all regencies" (None)
    assert at.query_params["wilayah"] == ""
    assert at.query_params["tingkat"] == ["error", "warning"]
    # a link that says "whole province" opens on it (not on the page's first regency)
    again = run("pages/berdampingan.py", wilayah="")
    assert again.selectbox(key="side_scope").value is None and again.query_params["wilayah"] == ""


def test_the_kind_of_inspiration_is_in_the_url(through_the_router):
    at = run("pages/inspirasi.py", wilayah="62.08")
    first = at.query_params["jenis"]
    assert first != "tema"  # so the link, not the default, decides below
    assert first == at.segmented_control(key="inspirasi_jenis").value
    at.segmented_control(key="inspirasi_jenis").set_value("tema").run()
    assert at.query_params["jenis"] == "tema"
    again = run("pages/inspirasi.py", **at.query_params)
    assert again.segmented_control(key="inspirasi_jenis").value == "tema"
    assert [m.value for m in again.metric] == [m.value for m in at.metric]
    assert [d.value.to_dict() for d in again.dataframe] == [d.value.to_dict() for d in at.dataframe]
