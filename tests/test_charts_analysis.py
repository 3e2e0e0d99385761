"""Chart builders of the alignment, measurability and inspiration pages, on small known frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kesbang import dataset, i18n
from kesbang.analysis import alignment, inspiration, measurability
from kesbang.charts import analysis as charts
from kesbang.charts import palette

RPJMD = pd.DataFrame([
    {"province": "62", "periode_rpjmd": "2025-2029", "kode_rpjmd": "A1", "sasaran": "Ideologi kuat",
     "kode_program": "8.01.02", "indikator": "Indeks <b>Pancasila</b>", "satuan": "Indeks",
     "polaritas": "positif"},
    {"province": "62", "periode_rpjmd": "2025-2029", "kode_rpjmd": "B1", "sasaran": "Ormas berdaya",
     "kode_program": "8.01.04", "indikator": "Persentase ormas aktif", "satuan": "Persen",
     "polaritas": "positif"},
])


def _alignment():
    rows = [{"region": r, "province": "62", "year": 2026, "submission_id": 1, "kode_program": "8.01.02",
             "kode_indikator": "P1", "indikator": "Indeks Pancasila", "level": "program", "satuan": "Indeks",
             "polaritas": "positif", "kode_rpjmd": "A1"} for r in ("62.02", "62.03")]
    ind = pd.DataFrame(rows).reindex(columns=dataset.INDICATOR_COLUMNS)
    subs = pd.DataFrame([{"region": r, "province": "62", "year": 2026} for r in ("62.02", "62.03", "62.04")])
    return alignment.analyse(dataset.Dataset(indicators=ind, submissions=subs, rpjmd=RPJMD), "62", 2026)


def test_sankey_nodes_links_and_gap_colour():
    res = _alignment()
    flows = res.sankey(program_name=lambda c: f"Program {c}", no_regency_label="Belum ada")
    fig = charts.alignment_sankey(flows, "id")
    sk = fig.data[0]
    assert sk.type == "sankey"
    labels = list(sk.node.label)
    # the operator's markup is shown as text, not interpreted
    assert "A1 · Indeks &lt;b&gt;Pancasila&lt;/b&gt;" in labels
    assert {"Kotawaringin Timur", "Kapuas", "Belum ada", "Program 8.01.02", "Ideologi kuat"} <= set(labels)
    gap = labels.index("Belum ada")
    gap_links = [i for i, target in enumerate(sk.link.target) if target == gap]
    assert len(gap_links) == 1 and sk.link.color[gap_links[0]] == charts.GAP_LINK
    assert sum(sk.link.value) == sum(flows["value"])
    assert fig.layout.title.text.replace("<br>", " ") == i18n.t("keselarasan.sankey_title", "id")


def test_coverage_heatmap_values_and_gap_row():
    res = _alignment()
    names = {"62.02": "Kotawaringin Timur", "62.03": "Kapuas", "62.04": "Barito Selatan"}
    fig = charts.coverage_heatmap(res.coverage, res.plan, names, "en")
    hm = fig.data[0]
    assert list(hm.x) == ["Kotawaringin Timur", "Kapuas", "Barito Selatan"]
    assert np.asarray(hm.z).tolist() == [[1, 1, 0], [0, 0, 0]]
    assert hm.y[1].startswith("B1 · Persentase ormas aktif")
    assert hm.colorscale[0][1] == charts.GAP_CELL
    assert fig.layout.xaxis.title.text == i18n.t("keselarasan.coverage_x", "en")


def test_league_bar_orders_best_on_top_with_median_line():
    league = pd.DataFrame({"rank": [1, 2, 3], "region": ["62.03", "62.02", "62.04"],
                           "region_name": ["Kapuas", "Kotawaringin Timur", "Barito Selatan"],
                           "n_indikator": [3] * 3,
                           "checks": [10, 10, 10], "passed": [10, 8, 5], "score": [100.0, 80.0, 50.0],
                           "errors": [0, 1, 4], "warnings": [0, 1, 1]})
    fig = charts.league_bar(league, "id")
    bar = fig.data[0]
    # plotly draws horizontal bars bottom-up: the best regency is last, i.e. on top
    assert list(bar.y) == ["Barito Selatan", "Kotawaringin Timur", "Kapuas"]
    assert list(bar.x) == [50.0, 80.0, 100.0]
    line = fig.layout.shapes[0]
    assert line.x0 == line.x1 == 80.0
    assert fig.layout.annotations[0].text == "Median provinsi: 80"
    # the label sits above the plot area, not on the bars (with every score near 100 it hid behind them)
    label = fig.layout.annotations[0]
    assert label.yref == "y domain" and label.y == 1 and label.yanchor == "bottom"


def test_check_pass_bar_translated_per_severity():
    res = measurability.audit(pd.DataFrame([{
        "region": "62.02", "province": "62", "year": 2026, "period": "TW IV", "kode_program": "8.01.02",
        "kode_indikator": "P1", "indikator": "Terlaksananya kegiatan", "level": "program", "satuan": "",
        "polaritas": "positif", "akumulasi": "stok", "kode_rpjmd": "", "baseline": 1.0, "target_min": 5.0,
        "target_max": 5.0, "target_text": "5", "realisasi_tw4": 5.0}]), RPJMD, pd.DataFrame(), 2026)
    fig = charts.check_pass_bar(measurability.check_summary(res), "en")
    names = {tr.name for tr in fig.data}
    assert names == {"Must fix", "Needs attention"}
    ys = {y: x for tr in fig.data for y, x in zip(tr.y, tr.x)}
    assert ys["Unit given"] == 0.0 and ys["Numeric target"] == 100.0
    assert ys["Outcome beyond activity completion"] == 0.0
    # severities wear their own warm scale, never the achievement blues that mean "good"
    colours = {tr.name: tr.marker.color for tr in fig.data}
    assert colours == {"Must fix": palette.SEVERITY_COLORS["error"],
                       "Needs attention": palette.SEVERITY_COLORS["warning"]}
    assert not set(colours.values()) & set(palette.CATEGORY_COLORS.values())


def _offers():
    ind = pd.DataFrame([
        {"region": "62.03", "province": "62", "year": 2026, "kode_program": "8.01.02",
         "kode_subkegiatan": "8.01.02.2.01.0008", "nama_program": "", "level": "subkegiatan",
         "kode_indikator": "S8", "indikator": "Anggota terbentuk", "capaian": 95.0,
         "biaya_per_unit": math.nan,
         "faktor_pendorong": "<script>alert(1)</script>", "data_dukung": ""},
        {"region": "62.02", "province": "62", "year": 2026, "kode_program": "8.01.02",
         "kode_subkegiatan": "8.01.02.2.01.0004", "nama_program": "", "level": "subkegiatan",
         "kode_indikator": "S4", "indikator": "Rapat", "capaian": 80.0, "biaya_per_unit": math.nan,
         "faktor_pendorong": "", "data_dukung": ""},
    ])
    nilai = pd.DataFrame(columns=["region", "tema", "kegiatan", "kode_subkegiatan", "peserta", "rubrik",
                                  "narasi", "data_dukung"])
    return inspiration.offerings(ind, nilai)


def test_inspiration_bar_names_the_peer_to_contact():
    offers = _offers()
    miss = inspiration.missing(offers, "62.02")
    fig = charts.inspiration_bar(miss, "Kotawaringin Timur", "id")
    bar = fig.data[0]
    assert list(bar.y) == ["Pembentukan Paskibraka"]
    assert list(bar.x) == [95.0] and list(bar.text) == ["Kapuas"]
    assert bar.name == i18n.t("inspirasi.kind.subkegiatan", "id")
    assert "Kotawaringin Timur" in fig.layout.title.text


def test_who_does_what_leaves_not_run_cells_blank():
    offers = _offers()
    matrix = inspiration.who_does_what(offers, "subkegiatan", ["62.02", "62.03"])
    fig = charts.who_does_what_heatmap(matrix, "en", highlight="Kapuas")
    hm = fig.data[0]
    z = np.asarray(hm.z, dtype=float)
    assert z.shape == (2, 2)
    assert np.isnan(z).sum() == 2 and np.nansum(z) == 2
    text = np.asarray(hm.text, dtype=object)
    assert (text[np.isnan(z)] == "").all() and (text[~np.isnan(z)] == "1").all()  # never "NaN" in a cell
    assert hm.texttemplate == "%{text}"
    assert "<b>Kapuas</b>" in list(hm.x)


def test_empty_inputs_give_titled_empty_figures():
    for fig in (charts.alignment_sankey(pd.DataFrame(columns=alignment.SANKEY_COLUMNS), "id"),
                charts.coverage_heatmap(pd.DataFrame(), RPJMD.iloc[0:0], {}, "id"),
                charts.league_bar(pd.DataFrame(columns=measurability.LEAGUE_COLUMNS), "id"),
                charts.check_pass_bar(pd.DataFrame(), "id"),
                charts.inspiration_bar(pd.DataFrame(columns=inspiration.MISSING_COLUMNS), "X", "id"),
                charts.who_does_what_heatmap(pd.DataFrame(), "id")):
        assert len(fig.data) == 0
        assert fig.layout.annotations[0].text == i18n.t("ui.chart.no_data", "id")
        assert fig.layout.title.text


def test_plain_escapes_and_shortens():
    assert charts.plain("<a href='x'>klik</a>") == "&lt;a href='x'&gt;klik&lt;/a&gt;"
    assert charts.plain("abcdefghij", 5) == "abcd…"
    assert charts.plain(None) == "" and charts.plain(math.nan) == ""
