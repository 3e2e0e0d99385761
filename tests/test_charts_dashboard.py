"""Chart builders and per-regency summaries of the dashboard pages (issue 5), on hand-made indicator rows.

Every figure is checked for what a reader relies on: the traces drawn, the values behind them, the
category colours of the one palette, a title and axis titles, and offline maps (no geo/tile traces).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from kesbang import dataset
from kesbang.analysis import metrics, regional
from kesbang.charts import compare, indicator, maps, overview, palette, profile


def rows(*specs: dict) -> pd.DataFrame:
    """Dataset indicator rows with sensible defaults (positive, kumulatif count, full-year report)."""
    base = {
        "province": "62",
        "year": 2026,
        "submission_id": 1,
        "period": "Tahunan",
        "version": 1,
        "status": "submitted",
        "row": 2,
        "kode_program": "8.01.02",
        "nama_program": "Ideologi",
        "level": "subkegiatan",
        "satuan": "Orang",
        "polaritas": "positif",
        "akumulasi": "kumulatif",
        "jenis_ukuran": "kuantitatif",
        "indikator": "Jumlah peserta",
    }
    out = []
    for spec in specs:
        row = {c: None for c in dataset.INDICATOR_COLUMNS} | base | spec
        lo, hi = row.get("target_min"), row.get("target_max")
        if lo is not None and hi is None:
            row["target_max"] = lo
        row["target_text"] = row.get("target_text") or (f"{lo}" if hi in (None, lo) else f"{lo}–{hi}")
        out.append(row)
    return pd.DataFrame(out)


def computed(*specs: dict, quarter: int = 4) -> pd.DataFrame:
    return metrics.compute(rows(*specs), quarter, metrics.Rules())


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def assert_labelled(fig) -> None:
    layout = fig.layout
    assert layout.title.text and not layout.title.text.startswith(("ringkasan.", "bandingkan.", "indikator."))
    assert layout.xaxis.title.text and layout.yaxis.title.text


# --- summaries --------------------------------------------------------------------------------------------


def test_region_scores_average_category_and_budget_without_double_counting():
    m = computed(
        {"region": "62.01", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 95},  # 95
        {"region": "62.01", "kode_indikator": "B", "target_min": 10, "realisasi_tw4": 7},  # 70
        # a program row repeating the money of its sub-kegiatan must not be counted twice
        {
            "region": "62.01",
            "kode_indikator": "P",
            "level": "program",
            "target_min": 1,
            "realisasi_tw4": 1,
            "pagu": 1000,
            "anggaran_tw4": 900,
        },
        {
            "region": "62.01",
            "kode_indikator": "C",
            "target_min": 5,
            "realisasi_tw4": None,
            "pagu": 1000,
            "anggaran_tw1": 250,
            "anggaran_tw2": 250,
        },
        {"region": "62.02", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 40},  # 40 -> SR
    )
    scores = regional.region_scores(m).set_index("region")
    assert scores.loc["62.01", "capaian_rata"] == pytest.approx((95 + 70 + 100) / 3)
    assert scores.loc["62.01", "n_indikator"] == 4 and scores.loc["62.01", "n_dihitung"] == 3
    assert scores.loc["62.01", "kategori"] == "T"
    assert scores.loc["62.02", "kategori"] == "SR"
    assert scores.loc["62.01", "name"] == "Kotawaringin Barat"
    # sub-kegiatan money only: 500 of 1000
    assert scores.loc["62.01", "serapan"] == pytest.approx(50.0)
    assert list(scores.index) == ["62.01", "62.02"]  # best first
    assert regional.absorption(m)[2] == pytest.approx(50.0)


def test_category_counts_always_lists_all_six_rows():
    m = computed(
        {"region": "62.01", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 95},
        {"region": "62.01", "kode_indikator": "B", "target_min": None, "realisasi_tw4": 3},
    )
    counts = regional.category_counts(m).set_index("kategori")["jumlah"]
    assert list(counts.index) == ["ST", "T", "S", "R", "SR", "none"]
    assert counts["ST"] == 1 and counts["none"] == 1 and counts.sum() == 2


def test_reporting_counts_expected_regencies_from_registry_and_awaiting_review():
    subs = pd.DataFrame(
        {
            "region": ["62.01", "62.02", "62.03"],
            "province": "62",
            "year": 2026,
            "status": ["submitted", "approved", "resubmitted"],
        }
    )
    rep = regional.reporting(subs, "62", 2026)
    assert rep["expected"] == 14 and rep["reporting"] == 3
    assert rep["awaiting_review"] == 2
    assert "Kota Palangka Raya" in rep["missing"] and "Kapuas" not in rep["missing"]


def test_change_since_last_quarter_counts_category_moves():
    indicators = rows(
        {
            "region": "62.01",
            "kode_indikator": "A",
            "target_min": 100,
            "period": "TW II",
            "realisasi_tw1": 40,
            "realisasi_tw2": 55,
        }
    )
    now = metrics.compute(indicators, 2)  # 95 -> ST
    before = metrics.compute(indicators, 1)  # 40 -> SR
    change = regional.change_since(now, before).iloc[0]
    assert change["sekarang"] == pytest.approx(95) and change["sebelum"] == pytest.approx(40)
    assert change["perubahan"] == pytest.approx(55)
    assert change["naik"] == 1 and change["turun"] == 0


def test_comparison_leaves_out_other_units_and_says_why():
    m = computed(
        {"region": "62.01", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 90},
        {"region": "62.02", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 70},
        {"region": "62.03", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 50},
        {"region": "62.04", "kode_indikator": "A", "target_min": 4, "realisasi_tw4": 4, "satuan": "Kali"},
    )
    keep, excluded, median = regional.comparison(m, "A")
    assert sorted(keep["region"]) == ["62.01", "62.02", "62.03"]
    assert list(excluded["region"]) == ["62.04"]
    assert list(excluded["alasan_eksklusi"]) == [metrics.X_DIFFERENT_UNIT]
    assert median == pytest.approx(70)


def test_quarterly_rollup_sums_kumulatif_and_takes_last_for_stok():
    ind = rows(
        {
            "region": "62.01",
            "kode_indikator": "A",
            "target_min": 100,
            "period": "TW III",
            "realisasi_tw1": 10,
            "realisasi_tw2": 20,
            "realisasi_tw3": 30,
        },
        {
            "region": "62.02",
            "kode_indikator": "A",
            "target_min": 100,
            "period": "TW III",
            "akumulasi": "stok",
            "realisasi_tw1": 10,
            "realisasi_tw2": 20,
            "realisasi_tw3": 30,
        },
    )
    q = regional.quarterly(ind).set_index(["region", "quarter"])["realisasi"]
    assert list(q.loc["62.01"]) == [10, 30, 60]
    assert list(q.loc["62.02"]) == [10, 20, 30]
    assert 4 not in q.loc["62.01"].index  # nothing after the reported period


# --- charts -----------------------------------------------------------------------------------------------


def test_category_distribution_bars_use_the_palette():
    counts = pd.DataFrame({"kategori": ["ST", "T", "S", "R", "SR", "none"], "jumlah": [5, 4, 3, 2, 1, 0]})
    fig = overview.category_distribution(counts, "id")
    assert_labelled(fig)
    assert [tr.type for tr in fig.data] == ["bar"] * 6
    assert [tr.y[0] for tr in fig.data] == [5, 4, 3, 2, 1, 0]
    assert [tr.marker.color for tr in fig.data] == [
        palette.category_color(c) for c in ["ST", "T", "S", "R", "SR", None]
    ]
    assert fig.data[0].x[0] == "Sangat Tinggi"
    assert overview.category_distribution(counts, "en").data[0].x[0] == "Very High"


def test_region_ranking_colours_by_category_with_median_line():
    m = computed(
        {"region": "62.01", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 95},
        {"region": "62.02", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 40},
    )
    scores = regional.region_scores(m)
    fig = overview.region_ranking(scores, "id", median=67.5)
    assert_labelled(fig)
    by_name = {tr.name: tr for tr in fig.data}
    assert list(by_name["Sangat Tinggi"].y) == ["Kotawaringin Barat"]
    assert by_name["Sangat Rendah"].marker.color == palette.category_color("SR")
    assert [s.x0 for s in fig.layout.shapes] == [67.5]
    assert fig.layout.separators == ",."  # Indonesian decimal comma in hover numbers
    # the median's label is text, not a plotly number: it must carry the language's decimal mark itself
    assert [a.text for a in fig.layout.annotations] == ["Median provinsi 67,5%"]
    en = overview.region_ranking(scores, "en", median=67.5)
    assert [a.text for a in en.layout.annotations] == ["Province median 67.5%"]
    assert overview.region_ranking(scores, "en").layout.separators == ".,"


def test_quarter_change_has_one_bar_per_region_with_the_change():
    change = pd.DataFrame(
        {
            "region": ["62.01", "62.02"],
            "name": ["A", "B"],
            "sekarang": [80.0, 60.0],
            "sebelum": [70.0, 65.0],
            "perubahan": [10.0, -5.0],
            "naik": [2, 0],
            "turun": [0, 1],
        }
    )
    fig = overview.quarter_change(change, "id", "TW III", "TW II")
    assert_labelled(fig)
    assert list(fig.data[0].x) == [-5.0, 10.0] and "TW II" in fig.layout.title.text


def test_pin_map_is_offline_and_marks_regions_without_a_report():
    m = computed({"region": "62.01", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 95})
    points = maps.with_coordinates(regional.region_scores(m), "62")
    assert len(points) == 14
    fig = maps.region_pins(points, "id")
    s = spec(fig)
    assert {d["type"] for d in s["data"]} == {"scatter"}  # plain axes: no tiles, no web fonts
    assert "map" not in s["layout"] and s["layout"]["yaxis"]["scaleanchor"] == "x"
    names = {d["name"]: d for d in s["data"]}
    assert names["Sangat Tinggi"]["text"] == ["Kotawaringin Barat"]
    assert names["Sangat Tinggi"]["marker"]["color"] == palette.category_color("ST")
    assert len(names["Belum melapor"]["text"]) == 13
    assert fig.layout.xaxis.title.text == "Bujur"
    # the names are one last layer (drawn over every pin), on the side where they cover least
    labels = fig.data[-1]
    assert labels.mode == "markers+text" and labels.hoverinfo == "skip" and labels.marker.opacity == 0
    assert sorted(labels.text) == sorted(points["name"])
    pos = dict(zip(labels.text, labels.textposition))
    assert pos["Sukamara"] == "middle left"  # Kotawaringin Barat's big pin is to its right
    assert pos["Barito Utara"] == "middle right"  # Murung Raya above it, Barito Selatan below
    # no name leaves the axes at the map's narrowest size ("Barito Uta" was cut off at the right edge); a
    # name's width is an estimate made at the scale before the last widening, which the margin absorbs
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    deg_per_px = max((x1 - x0) / maps.PLOT_PX[0], (y1 - y0) / maps.PLOT_PX[1])
    for name, side, lon in zip(labels.text, labels.textposition, labels.x):
        width = len(name) * maps.CHAR_PX * deg_per_px
        left = {"left": lon - width, "right": lon, "center": lon - width / 2}[side.split()[1]]
        assert x0 - maps.PAD_DEG < left and left + width < x1 + maps.PAD_DEG, name


def test_choropleth_only_from_a_local_geojson_on_white_bg(tmp_path):
    features = [
        {
            "type": "Feature",
            "properties": {"KODE": code, "NAMA": "x"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[lon, lat], [lon + 0.1, lat], [lon, lat + 0.1], [lon, lat]]],
            },
        }
        for code, lat, lon in (("6201", -2.6, 111.6), ("6202", -2.5, 112.9))
    ]
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    geo = maps.load_geojson(str(path))
    assert [f["properties"]["kesbang_kode"] for f in geo["features"]] == ["62.01", "62.02"]
    m = computed({"region": "62.01", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 95})
    fig = maps.region_choropleth(maps.with_coordinates(regional.region_scores(m), "62"), geo, "id")
    s = spec(fig)
    assert {d["type"] for d in s["data"]} == {"choroplethmap"}
    assert s["layout"]["map"]["style"] == "white-bg"
    assert maps.load_geojson("") is None
    (tmp_path / "bad.geojson").write_text("{not json", encoding="utf-8")
    assert maps.load_geojson(str(tmp_path / "bad.geojson")) is None


def test_program_heatmap_cells_carry_category_index_and_value():
    m = computed(
        {"region": "62.01", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 95},
        {
            "region": "62.02",
            "kode_indikator": "B",
            "kode_program": "8.01.03",
            "target_min": 100,
            "realisasi_tw4": 55,
        },
    )
    matrix = regional.program_matrix(m)
    fig = compare.program_heatmap(matrix, "id")
    assert_labelled(fig)
    hm = fig.data[0]
    assert hm.type == "heatmap" and list(hm.x) == ["8.01.02", "8.01.03"]
    z = np.array(hm.z, dtype=float)
    assert z[0, 0] == 4 and np.isnan(z[0, 1]) and z[1, 1] == 1  # ST = 4 (top of the colour bar), R = 1
    assert hm.text[1][1] == "55"


def test_ranking_and_cost_per_output_escape_user_text():
    m = computed(
        {
            "region": "62.01",
            "kode_indikator": "A",
            "target_min": 100,
            "realisasi_tw4": 90,
            "anggaran_tw4": 9000,
            "pagu": 10000,
        },
        {
            "region": "62.02",
            "kode_indikator": "A",
            "target_min": 100,
            "realisasi_tw4": 50,
            "anggaran_tw4": 10000,
            "pagu": 10000,
        },
    )
    keep, _, median = regional.comparison(m, "A")
    fig = compare.ranking(keep, median, "id", "<b>Peserta</b>", "Orang")
    assert "&lt;b&gt;Peserta&lt;/b&gt;" in fig.layout.title.text
    assert fig.layout.annotations[0].text == "Median provinsi 70%"  # formatted by the language, not f"{m:.1f}"
    assert sum(len(tr.y) for tr in fig.data) == 2
    costed = regional.costed_outputs(m)
    assert list(costed["kode_indikator"]) == ["A"] and costed["anggaran"].iat[0] == 19000
    cost = regional.cost_per_output(m, "A")
    assert list(cost["biaya_per_unit"]) == [100.0, 200.0]
    fig = compare.cost_per_output(cost, "en", "Participants", "Orang")
    assert_labelled(fig)
    assert list(fig.data[0].x) == [200.0, 100.0]


def test_small_multiples_one_panel_per_region_and_trend_with_median():
    m = computed(
        *[
            {"region": r, "kode_indikator": "A", "target_min": 100, "realisasi_tw4": v}
            for r, v in (("62.01", 95), ("62.02", 70), ("62.03", 40))
        ]
    )
    fig = compare.small_multiples(m, {"62.01": "A", "62.02": "B", "62.03": "C"}, "id")
    assert [a.text for a in fig.layout.annotations][:3] == ["A", "B", "C"]
    assert {tr.xaxis for tr in fig.data} == {"x", "x2", "x3"}
    yearly = pd.concat([regional.region_scores(m), regional.region_scores(m.assign(year=2025))])
    fig = compare.trend(yearly, "id", highlight=["62.01"])
    assert_labelled(fig)
    assert fig.data[-1].name == "Median provinsi" and list(fig.data[-1].y) == [70.0, 70.0]


def test_target_vs_realisation_draws_range_targets_as_bands_and_single_targets_as_markers():
    m = computed(
        {
            "region": "62.01",
            "kode_indikator": "I",
            "target_min": 4.43,
            "target_max": 4.47,
            "akumulasi": "stok",
            "satuan": "Indeks",
            "realisasi_tw4": 4.45,
        },
        {
            "region": "62.02",
            "kode_indikator": "I",
            "target_min": 4.5,
            "akumulasi": "stok",
            "satuan": "Indeks",
            "realisasi_tw4": 4.0,
        },
    )
    keep, _, _ = regional.comparison(m, "I")
    fig = indicator.target_vs_realisation(keep, "id", "Indeks", "Indeks")
    assert_labelled(fig)
    band = next(tr for tr in fig.data if tr.name == "Rentang target")
    assert list(band.x) == ["Kotawaringin Barat"]
    assert band.base[0] == pytest.approx(4.43) and band.y[0] == pytest.approx(0.04)
    marker = next(tr for tr in fig.data if tr.type == "scatter")
    assert list(marker.x) == ["Kotawaringin Timur"] and marker.y[0] == pytest.approx(4.5)
    assert keep.set_index("region").loc["62.01", "capaian"] == 100  # inside the range


def test_quarterly_and_yearly_indicator_charts():
    ind = rows(
        {
            "region": "62.01",
            "kode_indikator": "A",
            "target_min": 100,
            "period": "TW II",
            "realisasi_tw1": 10,
            "realisasi_tw2": 20,
        }
    )
    fig = indicator.quarterly_progress(regional.quarterly(ind), "id", "A", "Orang")
    assert_labelled(fig)
    assert list(fig.data[0].x) == ["TW I", "TW II"] and list(fig.data[0].y) == [10, 30]
    # one line per regency: Kalimantan Tengah's 14 must not share colours (plotly's default has 10)
    assert len(set(fig.layout.colorway[:14])) == 14
    m = pd.concat(
        [
            computed({"region": "62.01", "kode_indikator": "A", "target_min": 100, "realisasi_tw4": 80}),
            computed(
                {
                    "region": "62.01",
                    "kode_indikator": "A",
                    "target_min": 100,
                    "realisasi_tw4": 90,
                    "year": 2025,
                }
            ),
        ]
    )
    yearly = regional.comparison_over_years(m, "A")
    fig = indicator.achievement_over_years(yearly, "en", "A")
    assert list(fig.data[0].x) == [2025, 2026] and list(fig.data[0].y) == [90, 80]


def test_profile_charts_show_median_and_budget_beside_output():
    m = computed(
        {
            "region": "62.01",
            "kode_indikator": "A",
            "target_min": 100,
            "realisasi_tw4": 90,
            "pagu": 1000,
            "anggaran_tw4": 800,
        },
        {
            "region": "62.02",
            "kode_indikator": "A",
            "target_min": 100,
            "realisasi_tw4": 50,
            "pagu": 1000,
            "anggaran_tw4": 500,
        },
    )
    med = regional.province_median_by_indicator(m)
    mine = m[m["region"] == "62.01"].merge(med, on="kode_indikator")
    fig = profile.indicators_vs_median(mine, "id", "Kotawaringin Barat")
    assert_labelled(fig)
    diamond = next(tr for tr in fig.data if tr.type == "scatter")
    assert diamond.x[0] == pytest.approx(70)
    per = regional.per_program(m[m["region"] == "62.01"])
    fig = profile.budget_and_output(per, "id", "Kotawaringin Barat")
    assert [tr.y[0] for tr in fig.data[:2]] == [pytest.approx(80), pytest.approx(90)]
    # the legend names the achievement bars' colour as a category, not one colour for all of them
    legend = [(tr.name, tr.marker.color) for tr in fig.data if tr.showlegend is not False]
    assert legend == [("Serapan anggaran", "#8d99ae"),
                      ("Rata-rata capaian: Tinggi", palette.category_color("T"))]
    assert [tr.type for tr in fig.data if tr.type == "bar"] == ["bar", "bar"]  # two bars per program, not more


def test_builders_return_a_titled_empty_figure_on_no_rows():
    empty = computed({"region": "62.01", "kode_indikator": "A", "target_min": 100}).iloc[0:0]
    for fig in (
        overview.region_ranking(regional.region_scores(empty), "id"),
        compare.program_heatmap(regional.program_matrix(empty), "id"),
        indicator.quarterly_progress(regional.quarterly(empty), "id", "A", "Orang"),
        profile.budget_and_output(regional.per_program(empty), "id", "X"),
    ):
        assert fig.layout.title.text and fig.layout.annotations[0].text == "Belum ada data untuk grafik ini."
