"""Chart builders of the program pages: the right traces, titles, translated labels and the numbers
behind them, on the sample province and on empty frames."""

import datetime as dt

import pandas as pd
import pytest

from kesbang import dataset
from kesbang.analysis import indices, metrics, paskibraka, side_by_side, values
from kesbang.charts import paskibraka as cp
from kesbang.charts import side_by_side as cs
from kesbang.charts import values as cv
from kesbang.charts.palette import CATEGORY_COLORS
from kesbang.devtools import sample


@pytest.fixture(scope="module")
def ds():
    full = dataset.from_submissions([(s, {}) for s in sample.build_submissions()])
    return full.filter(province="62", years=[2025])


@pytest.fixture(scope="module")
def ds_all():
    return dataset.from_submissions([(s, {}) for s in sample.build_submissions()]).filter(province="62")


def test_funnel_is_a_plotly_funnel_of_people_with_conversion_text(ds):
    f = paskibraka.funnel(ds.paskibraka[ds.paskibraka["region"] == "62.02"])
    fig = cp.funnel(f, "id", "Corong")
    assert [tr.type for tr in fig.data] == ["funnel"]
    tr = fig.data[0]
    assert tr.y[0] == "Pendaftar" and "Sekolah dijangkau" not in tr.y  # schools are not people
    reg = f.set_index("tahap").loc["pendaftar", "jumlah"]
    assert tr.x[0] == reg
    health = f.set_index("tahap").loc["lulus_kesehatan"]
    assert tr.text[1].endswith(f"{health['konversi']:.0f}%")
    assert fig.layout.title.text == "Corong"
    assert fig.layout.separators == ",."  # Indonesian decimal comma
    en = cp.funnel(f, "en", "Funnel")
    assert en.data[0].y[0] == "Registrants" and "Conversion" in en.data[0].hovertemplate


def test_gender_chart_has_putra_and_putri_bars(ds):
    fig = cp.gender(paskibraka.gender_balance(ds.paskibraka), "id", "Putra putri")
    assert [tr.name for tr in fig.data] == ["Putra", "Putri"]
    assert all(tr.type == "bar" for tr in fig.data)
    # bar labels and the count axis use the thousands mark (Indonesian 1.912, not 1912)
    assert all(tr.texttemplate == "%{x:,.0f}" and tr.text is None for tr in fig.data)
    assert fig.layout.xaxis.tickformat == ",.0f" and fig.layout.separators == ",."
    cost = cp.cost(paskibraka.cost_per_member(ds.indicators, ds.paskibraka), "id", "Biaya")
    assert cost.layout.xaxis.tickformat == ",.0f"  # 10.000.000, not the SI "10M"
    yoy = cp.year_over_year(paskibraka.year_over_year(ds.paskibraka), "id", "Tahun")
    assert yoy.layout.yaxis.tickformat == ",.0f"  # counts up to 4.000 with the thousands mark


def test_timeline_flags_late_stages_in_red():
    d = dt.date
    pas = pd.DataFrame([
        {"region": "62.02", "year": 2025, "tahap": "pendaftar", "rencana_mulai": d(2025, 3, 1),
         "rencana_selesai": d(2025, 3, 10), "realisasi_mulai": d(2025, 3, 1), "realisasi_selesai": d(2025, 3, 9)},
        {"region": "62.02", "year": 2025, "tahap": "ditetapkan", "rencana_mulai": d(2025, 5, 1),
         "rencana_selesai": d(2025, 5, 2), "realisasi_mulai": d(2025, 5, 10), "realisasi_selesai": d(2025, 5, 12)},
    ])
    fig = cp.timeline(paskibraka.timeline(pas, today=d(2025, 6, 1)), "id", "Jadwal")
    by_name = {tr.name: tr for tr in fig.data}
    assert set(by_name) == {"Rencana", "Realisasi", "Terlambat"}
    assert by_name["Terlambat"].marker.color == CATEGORY_COLORS["SR"]
    assert list(by_name["Terlambat"].y) == ["Ditetapkan SK Bupati/Wali Kota"]
    assert by_name["Terlambat"].customdata[0][1] == "10"  # days late shown in the hover


def test_cost_chart_in_rupiah_per_regency(ds):
    cost = paskibraka.cost_per_member(ds.indicators, ds.paskibraka)
    fig = cp.cost(cost, "id", "Biaya")
    assert fig.data[0].orientation == "h" and "Rp" in fig.data[0].hovertemplate
    assert len(fig.data[0].y) == cost["biaya_per_anggota"].notna().sum()
    assert fig.layout.xaxis.title.text == "Realisasi anggaran per anggota (Rp)"


def test_compare_draws_one_line_per_regency(ds):
    norm = paskibraka.normalised_funnels(ds.paskibraka)
    fig = cp.compare(norm, "id", "Banding")
    assert len(fig.data) == norm["region"].nunique()
    assert fig.data[0].y[0] == pytest.approx(100.0)  # every line starts at its own registrants


def test_year_over_year_has_both_years(ds_all):
    fig = cp.year_over_year(paskibraka.year_over_year(ds_all.paskibraka), "id", "Tahunan")
    assert {x for tr in fig.data for x in tr.x} == {"2025", "2026"}


def test_values_charts_on_the_sample(ds):
    n = ds.nilai
    fig = cv.by_theme_region(values.activities_by(n, ["region", "tema"]), "en", "Themes")
    names = {tr.name for tr in fig.data}
    assert "Instilling Pancasila" in names and fig.layout.barmode == "stack"
    assert fig.data[0].marker.color == cv.THEME_COLORS["Pembudayaan Pancasila"]
    reach = values.reach(n)
    fig = cv.reach(reach, "id", "Jangkauan")
    assert max(fig.data[0].x) == pytest.approx(reach["per_10rb"].max())
    fig = cv.pre_post(values.test_gain(n, ["tema"]), "id", "Tes")
    assert {"Pre-test", "Post-test"} <= {tr.name for tr in fig.data}
    fig = cv.rubric(values.rubric_distribution(n, "id"), "id", "Rubrik")
    assert list(fig.data[0].x)[0] == "1 · Terlaksana"
    assert fig.data[0].customdata[0][0].startswith("Kegiatan terlaksana")
    fig = cv.over_time(values.activities_by(n, ["bulan", "tema"]), "id", "Bulan")
    assert all(tr.type == "bar" for tr in fig.data)


def test_indices_on_their_own_year_axis_with_polarity_and_check_marks():
    fig = cv.indices(indices.for_province("62"), "id", "Indeks")
    names = [tr.name for tr in fig.data]
    ikp = next(tr for tr in fig.data if tr.name.startswith("Indeks Kerawanan Pemilu"))
    assert "makin rendah makin baik" in ikp.name
    assert "[cek]" in ikp.text[0]
    idi = next(tr for tr in fig.data if tr.name.startswith("Indeks Demokrasi"))
    assert list(idi.x) == [2022, 2023, 2024] and list(idi.y) == [79.30, 77.57, 78.47]
    assert any("Nasional" in n for n in names)  # IAP is a national figure, labelled so
    assert fig.layout.xaxis.title.text == "Tahun yang diukur"


def test_side_by_side_summary_chart_colours_achievement_by_category(ds):
    s = side_by_side.summary(metrics.compute(ds.indicators, 4), ds.nilai, indices.for_province("62"))
    fig = cs.summary(s, "id", "Ringkasan")
    produced, cultivated = fig.data
    assert produced.y[-1].startswith("8.01.02")  # first program on top
    expected = [CATEGORY_COLORS[c] if c else CATEGORY_COLORS["none"]
                for c in metrics.category(s["capaian_rata"].iloc[::-1])]
    assert list(produced.marker.color) == expected
    assert cultivated.x[-1] == s["peserta"].iloc[0]
    assert fig.layout.xaxis2.tickformat == ",.0f"  # participants axis: 4.000 in Indonesian, not 4000


@pytest.mark.parametrize("builder", [cp.funnel, cp.gender, cp.timeline, cp.cost, cp.compare, cp.year_over_year])
def test_paskibraka_charts_on_empty_frames_say_no_data(builder):
    empty = pd.DataFrame(columns=["tahap", "jumlah", "stage_order", "parent", "konversi", "gugur", "putra",
                                  "putri", "putri_pct", "biaya_per_anggota", "pagu_per_anggota",
                                  "pct_pendaftar", "region", "year", "status"])
    fig = builder(empty, "id", "Judul")
    assert fig.layout.title.text == "Judul" and not fig.data
    assert fig.layout.annotations[0].text == "Belum ada data untuk grafik ini."


def test_values_charts_on_empty_frames():
    for fig in (cv.by_theme_region(pd.DataFrame(columns=["region", "tema", "kegiatan", "peserta"]), "en", "A"),
                cv.reach(pd.DataFrame(columns=["region", "per_10rb"]), "en", "B"),
                cv.indices(indices.load().iloc[0:0], "en", "C"),
                cs.summary(side_by_side.summary(pd.DataFrame(), pd.DataFrame(), indices.load()), "en", "D")):
        assert not fig.data and fig.layout.annotations
