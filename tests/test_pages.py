"""Every page of the router through AppTest, on the sample province and on an empty store (issue 5).

Parametrized over `dashboard.PAGES`, so a page added to the router is covered without editing this
file. For the dashboard's own pages the figure specs are checked for the traces a reader expects,
and the catalogue text for both languages.
"""

from __future__ import annotations

import ast
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kesbang import i18n, settings
from kesbang.devtools import sample
from kesbang.model import LoadResult
from tests.plotly_spec import specs, values

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
TIMEOUT = 120


def router_pages() -> list[str]:
    """Page paths of `dashboard.PAGES`, read from the source (importing the router would run it)."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets):
            sections = ast.literal_eval(node.value)
            return [path for pages in sections.values() for path, _, _ in pages]
    raise AssertionError("dashboard.PAGES not found")


PAGES = router_pages()
OWN = ["pages/ringkasan.py", "pages/bandingkan.py", "pages/indikator.py", "pages/profil_wilayah.py"]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    """One SQLite file holding the sample province, built once per module; each test gets a copy.

    With `sample_data/*.xlsx` present it is the app's own first-start seeding from those files;
    otherwise the same parsed sample submissions go through the store's seeding write.
    """
    from kesbang.store import open_store

    path = tmp_path_factory.mktemp("sample") / "kesbang.sqlite3"
    store = open_store(f"sqlite:///{path}")
    if any(settings.SAMPLE_DIR.glob("*.xlsx")):
        assert store.seed_if_empty(settings.SAMPLE_DIR) > 0
    else:
        uploads = []
        for sub in sample.build_submissions():
            data = f"sample {sub.region} {sub.year} {sub.period}".encode()
            result = LoadResult(
                f"{sub.region}_{sub.year}.xlsx",
                list(sub.issues),
                sub,
                hashlib.sha256(data).hexdigest(),
                "xlsx",
            )
            uploads.append((result.filename, data, result))
        assert store._seed_write([], uploads, []) == len(uploads)
    store.close()
    return path


@pytest.fixture
def sample_store(sample_db, isolated_store, monkeypatch):
    target = isolated_store / "kesbang.sqlite3"
    shutil.copy(sample_db, target)
    monkeypatch.setenv("KESBANG_DATABASE_URL", f"sqlite:///{target}")
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")


@pytest.fixture
def empty_store(monkeypatch):
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")


def run(page: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def by_title(at: AppTest) -> dict[str, list[str]]:
    return {s["layout"]["title"]["text"]: [d["type"] for d in s["data"]] for s in specs(at)}


def texts(at: AppTest) -> list[str]:
    """Every piece of text a viewer sees in the main area and sidebar (labels, values, notices)."""
    out = []
    for kind in (
        "title",
        "header",
        "subheader",
        "caption",
        "markdown",
        "text",
        "info",
        "warning",
        "error",
        "success",
    ):
        out += [str(el.value) for el in at.get(kind)]
    out += [el.label for el in at.get("metric")] + [str(el.value) for el in at.get("metric")]
    out += [el.label for el in at.selectbox] + [el.label for el in at.sidebar.selectbox]
    for s in specs(at):
        out.append(s["layout"]["title"]["text"])
        out += [s["layout"].get(ax, {}).get("title", {}).get("text", "") for ax in ("xaxis", "yaxis")]
    return out


def assert_healthy(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    generic = {i18n.t("app.error_generic", lang) for lang in i18n.LANGUAGES}
    assert not [e.value for e in at.error if e.value in generic], "a section failed behind the error boundary"


def assert_no_raw_keys(at: AppTest) -> None:
    """A missing catalogue key shows as the key itself ("ringkasan.title"): none may reach the screen."""
    tables = {k.split(".")[0] for k in i18n.catalogue("id")}
    raw = [t for t in texts(at) if re.fullmatch(r"[a-z_]+(\.[a-z_0-9]+)+", t or "") and t.split(".")[0] in tables]
    assert not raw, raw


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_sample_store(sample_store, page, through_the_router):
    at = run(page)
    assert_healthy(at)
    assert at.title, "every page has a title"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_store(empty_store, page, through_the_router):
    at = run(page)
    assert_healthy(at)
    assert at.title


@pytest.mark.parametrize("page", OWN)
def test_dashboard_pages_on_an_empty_store_say_so_and_point_to_upload(empty_store, page):
    at = run(page)
    assert i18n.t("ui.empty.store", "id") in [i.value for i in at.info]
    links = at.get("page_link")
    assert [link for link in links if link.proto.page == "unggah"]
    assert not at.get("plotly_chart")


def test_sidebar_filters_default_to_latest_year_and_quarter_and_follow_the_url(sample_store):
    at = run()
    assert_healthy(at)
    labels = {s.label: s.value for s in at.sidebar.selectbox}
    assert labels[i18n.t("app.province", "id")] == "62"
    assert labels[i18n.t("app.year", "id")] == 2026
    assert labels[i18n.t("app.period", "id")] == 3  # the sample's 2026 reports run to TW III
    at = run(tahun="2025", lang="English")
    labels = {s.label: s.value for s in at.sidebar.selectbox}
    assert labels[i18n.t("app.year", "en")] == 2025 and labels[i18n.t("app.period", "en")] == 4
    assert labels["Language"] == "en"


def test_ringkasan_scorecards_and_charts(sample_store):
    at = run("pages/ringkasan.py")
    assert_healthy(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Wilayah melapor"] == "14 / 14"
    assert metrics["Menunggu tinjauan"].isdigit()
    assert metrics["Serapan anggaran"].endswith("%") and "," in metrics["Rata-rata capaian"]
    categories = [metrics[i18n.t(f"category.{c}", "id")] for c in ("ST", "T", "S", "R", "SR", "none")]
    assert sum(int(c.replace(".", "")) for c in categories) == int(metrics["Indikator dilaporkan"].replace(".", ""))
    charts = by_title(at)
    assert set(charts[i18n.t("ringkasan.chart.map", "id")]) == {"scatter"}
    assert charts[i18n.t("ringkasan.chart.categories", "id")] == ["bar"] * 6
    assert set(charts[i18n.t("ringkasan.chart.ranking", "id")]) == {"bar"}
    assert any(title.startswith("Perubahan rata-rata capaian: s.d. TW II") for title in charts)
    for s in specs(at):
        assert not {d["type"] for d in s["data"]} & {"choropleth", "scattergeo"}, "maps must work offline"
        if "map" in s["layout"]:
            assert s["layout"]["map"]["style"] == "white-bg"
    assert len(at.get("download_button")) >= len(specs(at)) + 2  # every chart + both tables
    # the half-width best/weakest tables show what fits: region, average, category (nothing cut off)
    best, weakest = at.dataframe[0].value, at.dataframe[1].value
    assert list(best.columns) == list(weakest.columns) == ["Kabupaten/kota", "Rata-rata capaian (%)", "Kategori"]
    assert len(best) == len(weakest) == 3
    # the synthetic-data notice shows exactly when the stored files are the ones in sample_data/
    shown = i18n.t("app.synthetic", "id") in [c.value for c in at.caption]
    assert shown == any(settings.SAMPLE_DIR.glob("*.xlsx"))
    assert_no_raw_keys(at)


def test_ringkasan_change_at_tw_i_compares_with_the_previous_years_tw_iv(sample_store):
    at = run("pages/ringkasan.py", tahun="2026", tw="TW I")
    assert_healthy(at)
    assert "Perubahan rata-rata capaian: s.d. TW IV 2025 → s.d. TW I 2026" in by_title(at)
    first = run("pages/ringkasan.py", tahun="2025", tw="TW I")  # the first year: nothing before it
    assert_healthy(first)
    assert i18n.t("ringkasan.no_previous", "id", before="TW IV 2024") in [i.value for i in first.info]


def test_ringkasan_for_another_province_from_the_url(sample_store):
    at = run("pages/ringkasan.py", provinsi="Kalimantan Timur")
    assert_healthy(at)
    assert {m.label: m.value for m in at.metric}["Wilayah melapor"] == "10 / 10"
    assert at.caption[1].value.startswith("Kalimantan Timur · Tahun 2026")
    ranking = next(s for s in specs(at) if s["layout"]["title"]["text"] == i18n.t("ringkasan.chart.ranking", "id"))
    names = {n for d in ranking["data"] for n in values(d["y"])}
    assert "Kota Samarinda" in names and "Kapuas" not in names


def test_ringkasan_in_english(sample_store):
    at = run("pages/ringkasan.py", lang="English")
    assert_healthy(at)
    assert at.title[0].value == "Province Overview"
    assert {m.label for m in at.metric} >= {"Regions reporting", "Budget absorption", "Very High"}
    assert "." in {m.label: m.value for m in at.metric}["Average achievement"]
    assert_no_raw_keys(at)


def test_bandingkan_heatmap_ranking_side_by_side_cost_and_trend(sample_store):
    at = run("pages/bandingkan.py")
    assert_healthy(at)
    types = [t for s in specs(at) for t in {d["type"] for d in s["data"]}]
    assert "heatmap" in types
    charts = by_title(at)
    ranking = next(s for s in specs(at) if s["layout"]["title"]["text"].startswith("Peringkat capaian"))
    assert any(shape.get("line", {}).get("dash") == "dash" for shape in ranking["layout"]["shapes"])  # median
    assert i18n.t("bandingkan.chart.side_by_side", "id") in charts
    assert any(t.startswith("Biaya per satuan keluaran") for t in charts)
    assert i18n.t("bandingkan.chart.trend", "id") in charts
    trend = next(s for s in specs(at) if s["layout"]["title"]["text"] == i18n.t("bandingkan.chart.trend", "id"))
    assert sorted({int(x) for d in trend["data"] for x in values(d["x"])}) == [2025, 2026]
    assert_no_raw_keys(at)


def test_bandingkan_side_by_side_needs_two_regions(sample_store):
    at = run("pages/bandingkan.py")
    at.multiselect(key="wilayah").set_value(["62.01"]).run()
    assert_healthy(at)
    assert i18n.t("bandingkan.pick_two", "id") in [i.value for i in at.info]
    at.multiselect(key="wilayah").set_value(["62.01", "62.02", "62.03", "62.71"]).run()
    side = next(s for s in specs(at) if s["layout"]["title"]["text"] == i18n.t("bandingkan.chart.side_by_side", "id"))
    # one subplot per region, its name wrapped to what a quarter of a phone's plot holds
    names = [a["text"] for a in side["layout"]["annotations"]][:4]
    assert [n.replace("<br>", " ") for n in names] == [
        "Kotawaringin Barat",
        "Kotawaringin Timur",
        "Kapuas",
        "Kota Palangka Raya",
    ]
    assert names[0] == "Kotawaringin<br>Barat"


def test_indikator_target_markers_quarterly_progress_and_formula(sample_store):
    at = run("pages/indikator.py")
    assert_healthy(at)
    charts = by_title(at)
    target = next(v for k, v in charts.items() if k.startswith("Realisasi dan target"))
    assert "bar" in target and ("scatter" in target or target.count("bar") >= 2)
    quarterly = next(v for k, v in charts.items() if k.startswith("Kemajuan s.d. triwulan"))
    assert set(quarterly) == {"scatter"}
    assert any(k.startswith("Capaian antartahun") for k in charts)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Polaritas") or c.startswith("Target rentang") for c in captions)  # formula stated
    assert {m.label for m in at.metric} >= {"Polaritas", "Jenis akumulasi", "Wilayah melapor"}
    assert_no_raw_keys(at)
    # s.d. TW III nobody has a TW IV figure yet: the table's grid shows a dash there, not its own "None"
    detail = at.dataframe[-1]
    assert detail.value["Realisasi TW IV"].isna().all()
    assert detail.proto.placeholder == "—"


def test_indikator_range_target_drawn_as_band(sample_store):
    from kesbang.store import open_store

    ind = open_store().dataset(province="62", years=[2026]).indicators
    ranged = ind[ind["target_max"] > ind["target_min"]]
    if ranged.empty:
        pytest.skip("the sample has no range-target indicator in 2026")
    code = ranged["kode_indikator"].value_counts().index[0]
    at = run("pages/indikator.py")
    at.selectbox(key="indikator").set_value(code).run()
    assert_healthy(at)
    s = next(x for x in specs(at) if x["layout"]["title"]["text"].startswith("Realisasi dan target"))
    band = next(d for d in s["data"] if d.get("name") == "Rentang target")
    assert band["type"] == "bar" and "base" in band
    n_ranged = ranged[ranged["kode_indikator"] == code]["region"].nunique()
    assert len(values(band["x"])) == n_ranged


def open_programs(at: AppTest) -> None:
    """Open every program expander of the regency profile (their tables are drawn only when open)."""
    for place in range(len(at.expander)):
        at.session_state[f"program-open-{place}"] = True
    at.run()


def test_profil_wilayah_scorecard_programs_factors_and_versions(sample_store):
    at = run("pages/profil_wilayah.py", kab="Kotawaringin Timur")
    assert_healthy(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Peringkat di provinsi"].endswith("/ 14")
    assert metrics["Status laporan"] in {
        i18n.t(f"store.status.{s}", "id") for s in ("submitted", "resubmitted", "returned", "approved", "reopened")
    }
    charts = by_title(at)
    vs_median = charts[i18n.t("profil.chart.vs_median", "id", region="Kotawaringin Timur")]
    assert "bar" in vs_median and "scatter" in vs_median  # bars + province-median diamonds
    budget = charts[i18n.t("profil.chart.budget_output", "id", region="Kotawaringin Timur")]
    assert budget.count("bar") == 2 and set(budget) <= {"bar", "scatter"}  # scatters: category legend swatches
    assert len(at.expander) >= 5  # one per program
    assert at.subheader[-1].value == i18n.t("profil.versions_title", "id")
    closed = len(at.dataframe)  # a program's table is drawn when its expander is opened
    open_programs(at)
    assert_healthy(at)
    assert len(at.dataframe) == closed + len(at.expander)
    assert_no_raw_keys(at)
    # another regency's programs start closed, though their expanders' keys are the same places in the list
    # (an expander's identity includes its label); and back again, this one's are closed too
    at.selectbox(key="kab").set_value("62.01").run()
    assert len(at.dataframe) == closed
    at.selectbox(key="kab").set_value("62.02").run()
    assert len(at.dataframe) == closed


def test_a_broken_database_shows_a_notice_not_a_traceback(monkeypatch, isolated_store):
    # a directory where the SQLite file should be: opening the store fails for real
    bad = isolated_store / "not-a-file"
    bad.mkdir()
    monkeypatch.setenv("KESBANG_DATABASE_URL", f"sqlite:///{bad}")
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    at = run()
    assert not at.exception
    assert i18n.t("app.error_generic", "id") in [e.value for e in at.error]
