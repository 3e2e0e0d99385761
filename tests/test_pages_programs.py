"""The three program pages (Paskibraka, Program Nilai, Berdampingan) through AppTest, on a store holding
the sample province and on an empty store: no exception, and the charts a head expects are drawn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import storekit
from streamlit.testing.v1 import AppTest

from kesbang import settings
from tests.plotly_spec import specs, values

PAGES = ["pages/paskibraka.py", "pages/program_nilai.py", "pages/berdampingan.py"]
TIMEOUT = 120
APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    """One SQLite file holding the sample province, built once for this module (each test copies it).

    With `sample_data/*.xlsx` present it is the app's own first start: the real workbooks through the
    loader into the store; otherwise the parsed sample submissions go through the same seeding write.
    """
    from kesbang.store import open_store

    path = tmp_path_factory.mktemp("sample") / "kesbang.sqlite3"
    store = open_store(f"sqlite:///{path}")
    if any(settings.SAMPLE_DIR.glob("*.xlsx")):
        assert store.seed_if_empty(settings.SAMPLE_DIR) > 0
    else:
        uploads = storekit.sample_uploads()
        assert store._seed_write([], uploads, []) == len(uploads)
    store.close()
    return path


@pytest.fixture
def sample_store(sample_db, isolated_store, monkeypatch):
    """This test's own copy of the sample store; yields the Store to read expected numbers from."""
    from kesbang.store import open_store

    store = open_store(storekit.use_copy(sample_db, isolated_store, monkeypatch, seed_sample=False))
    yield store
    store.close()


@pytest.fixture
def empty_store(monkeypatch):
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")


def run(page: str, year: int | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang:
        at.session_state["lang"] = lang
    if year:
        at.query_params["tahun"] = str(year)
    at.run()
    at.switch_page(page)
    at.run()
    return at


def trace_types(at: AppTest) -> set[str]:
    return {tr.get("type", "scatter") for spec in specs(at) for tr in spec["data"]}


def all_text(at: AppTest) -> str:
    parts = [e.value for e in at.text] + [e.value for e in at.caption] + [e.value for e in at.info]
    parts += [e.value for e in at.markdown] + [e.value for e in at.title] + [e.value for e in at.subheader]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_page_on_empty_store_says_so_and_points_to_upload(empty_store, page):
    at = run(page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.info, "an empty store must say there is nothing yet"


def test_paskibraka_draws_a_funnel_with_the_province_numbers(sample_store):
    at = run("pages/paskibraka.py", year=2025)
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    drawn = specs(at)
    funnels = [tr for s in drawn for tr in s["data"] if tr.get("type") == "funnel"]
    assert len(funnels) == 1
    stages = funnels[0]["y"]
    assert stages[0] == "Pendaftar" and "Ditetapkan SK Bupati/Wali Kota" in stages
    # the registrants bar is the province sum of the sample's registrants (first funnel bar)
    ds = sample_store.dataset(province="62", years=[2025])
    reg = ds.paskibraka[ds.paskibraka["tahap"] == "pendaftar"]
    expected = (reg["putra"].astype(float) + reg["putri"].astype(float)).sum()
    assert values(funnels[0]["x"])[0] == pytest.approx(expected)
    assert {"bar", "scatter"} <= trace_types(at)  # balance, cost, compare, year over year
    assert "Porsi putri" in json.dumps(drawn)


def test_paskibraka_one_regency_shows_its_timeline(sample_store):
    at = run("pages/paskibraka.py", year=2025)
    at.selectbox(key="pas_scope").set_value("62.02").run()
    assert not at.exception and not at.error
    titles = [s["layout"]["title"]["text"] for s in specs(at)]
    assert any(t.startswith("Jadwal tahapan") and "Kotawaringin Timur" in t for t in titles)


def test_program_nilai_rubric_definitions_stories_and_lagged_indices(sample_store):
    at = run("pages/program_nilai.py", year=2025)
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    text = all_text(at)
    for level in range(1, 6):
        assert f"{level} · " in text  # every rubric level with its definition on screen
    assert "Kegiatan terlaksana dan peserta hadir" in text
    titles = [s["layout"]["title"]["text"] for s in specs(at)]
    assert any(t.startswith("Indeks hasil") for t in titles)
    idx = next(s for s in specs(at) if s["layout"]["title"]["text"].startswith("Indeks hasil"))
    years = {x for tr in idx["data"] for x in values(tr["x"])}
    assert {2022, 2023, 2024} <= years  # its own axis: the years the indices measure, not 2025
    # a story's narrative is shown as plain text, never markdown
    ds = sample_store.dataset(province="62", years=[2025])
    narratives = set(ds.nilai["narasi"].dropna())
    assert narratives & {e.value for e in at.text}


def test_program_nilai_in_english_has_no_catalogue_gaps(sample_store):
    at = run("pages/program_nilai.py", year=2025, lang="en")
    assert not at.exception and not at.error
    text = all_text(at)
    assert "Stories of change and evidence" in text
    assert "program_nilai." not in text and "rubrik." not in text


def test_program_nilai_figures_are_cached_per_language_and_stay_as_built(sample_store):
    """The page's figures are built once and shared between viewers: each language gets its own, and
    drawing one never changes another."""
    first = specs(run("pages/program_nilai.py", year=2026))
    english = specs(run("pages/program_nilai.py", year=2026, lang="en"))
    assert specs(run("pages/program_nilai.py", year=2026)) == first
    assert {s["layout"]["separators"] for s in first} == {",."}
    assert {s["layout"]["separators"] for s in english} == {".,"}
    assert [s["layout"]["title"]["text"] for s in english] != [s["layout"]["title"]["text"] for s in first]


def test_program_nilai_region_and_theme_narrow_the_cards_and_charts(sample_store):
    from kesbang import i18n, regions

    nilai = sample_store.dataset(province="62", years=[2026]).nilai
    region = str(nilai["region"].value_counts().index[0])
    theme = str(nilai.loc[nilai["region"] == region, "tema"].value_counts().index[0])
    at = run("pages/program_nilai.py", year=2026)
    at.selectbox(key="nilai_scope").set_value(region).run()
    at.selectbox(key="nilai_theme").set_value(theme).run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    cards = {m.label: m.value for m in at.metric}
    expected = int(((nilai["region"] == region) & (nilai["tema"] == theme)).sum())
    assert cards[i18n.t("program_nilai.metric_activities", "id")] == str(expected)
    titles = [s["layout"]["title"]["text"].replace("<br>", " ") for s in specs(at)]
    assert any(regions.name_of(region) in t for t in titles), titles  # the months chart names the regency
    by_theme = next(s for s in specs(at) if s["layout"]["title"]["text"].startswith("Kegiatan per tema"))
    assert len(by_theme["data"]) == 1  # one theme left


def test_berdampingan_shows_three_columns_per_program(sample_store):
    at = run("pages/berdampingan.py", year=2025)
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    subheaders = [s.value for s in at.subheader]
    assert sum(s.startswith("8.01.0") for s in subheaders) == 5
    captions = [c.value for c in at.caption]
    assert captions.count("Yang dihasilkan") == 5 and captions.count("Yang dikatakan indeks") == 5
    assert "Indeks Demokrasi Indonesia (IDI): 79,3 (2022) → 77,57 (2023) → 78,47 (2024)" in {t.value for t in at.text}
    drawn = specs(at)
    assert drawn and drawn[0]["layout"]["title"]["text"].startswith("Capaian rata-rata dan peserta")


def record_downloads(monkeypatch) -> dict[str, object]:
    """What each download button would write: the frame handed to `ui.widgets.download`, by file name
    (the bytes are built on click). The real download still runs, so the page draws as usual."""
    from ui import widgets

    handed: dict[str, object] = {}
    real = widgets.download

    def recording(df, name, **kw):
        handed[name] = df
        real(df, name, **kw)

    monkeypatch.setattr(widgets, "download", recording)
    return handed


def test_paskibraka_chart_downloads_read_like_the_charts(sample_store, monkeypatch):
    handed = record_downloads(monkeypatch)
    run("pages/paskibraka.py", year=2026, lang="en")
    for name in ("paskibraka-corong", "paskibraka-putra-putri", "paskibraka-tahunan"):
        frame = handed[name]
        assert not {"tahap", "stage_order", "putri_pct", "region", "jumlah"} & set(frame.columns), name
        assert "Registrants" in set(frame["Stage"]), name  # stage keys in words, in the UI language
    assert set(handed["paskibraka-putra-putri"]["Balance"]) <= {"Balanced", "Not balanced"}


def test_program_nilai_chart_downloads_read_like_the_charts(sample_store, monkeypatch):
    handed = record_downloads(monkeypatch)
    run("pages/program_nilai.py", year=2026, lang="en")
    raw = {"region", "tema", "kegiatan", "peserta", "per_10rb", "bulan", "indeks", "pemilik", "nilai"}
    for name in ("nilai-tema-wilayah", "nilai-per-bulan", "nilai-jangkauan", "nilai-pre-post", "indeks-hasil"):
        assert not raw & set(handed[name].columns), name
    assert "Regency/city" in handed["nilai-jangkauan"].columns
    themes = set(handed["nilai-tema-wilayah"]["Theme"])
    assert themes and not {"Pembudayaan Pancasila", "Bela Negara"} & themes  # themes in the UI language


def test_berdampingan_summary_download_has_translated_headings(sample_store, monkeypatch):
    handed = record_downloads(monkeypatch)
    run("pages/berdampingan.py", year=2026, lang="en")
    frame = handed["berdampingan-ringkasan"]
    assert list(frame.columns)[:3] == ["Program", "Indicators", "Achievement (%)"]
    assert "Participants" in frame.columns and "n_kegiatan" not in frame.columns
