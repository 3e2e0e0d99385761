"""Compare regencies: program heatmap, ranking on one comparable indicator, 2–4 regencies side by side,
cost per output and the trend over the years. Only like for like (same indicator code and unit).

Each section's frames, figure and download are one pure function of the metrics frame and the section's
choices, cached per data version (`data.derived`): a click in one section used to rebuild all five charts.
The figures are shared between viewers: nothing changes them after they are built.
"""

import streamlit as st

from kesbang import nomenclature, regions
from kesbang.analysis import regional
from kesbang.charts import compare
from ui import data, url
from ui.page import open_data_page, year_dataset
from ui.pickers import indicator_labels, indicator_picker
from ui.state import T
from ui.widgets import chart, empty_state, guard, labelled, table

RANKING_COLUMNS = {"name": "ui.col.region", "kode_indikator": "ui.col.indicator_code", "indikator": "ui.col.indicator",
                   "satuan": "ui.col.unit",
                   "target_text": "ui.col.target", "realisasi": "ui.col.realisasi", "capaian": "ui.col.capaian",
                   "kategori": "ui.col.category", "median_provinsi": "ui.col.province_median"}
EXCLUDED_COLUMNS = {"name": "ui.col.region", "satuan": "ui.col.unit", "alasan_eksklusi": "ui.col.excluded_reason",
                    "alasan": "ui.col.reason"}
SIDE_COLUMNS = {"name": "ui.col.region", "kode_program": "ui.col.program_code", "capaian": "ui.col.avg_capaian"}
COST_COLUMNS = {"name": "ui.col.region", "satuan": "ui.col.unit", "anggaran": "ui.col.spent",
                "realisasi": "ui.col.realisasi", "biaya_per_unit": "ui.col.cost_per_unit"}
TREND_COLUMNS = {"name": "ui.col.region", "year": "ui.col.year", "capaian_rata": "ui.col.avg_capaian",
                 "kategori": "ui.col.category", "n_dihitung": "ui.col.n_computable"}


def heatmap(m, lang: str, province: str):
    """The figure and its download: every regency of the province, those without a report marked, and
    program columns named "code · name"."""
    matrix = regional.program_matrix(m)
    program_names = {code: nomenclature.name_of(code) or code for code in m["kode_program"].dropna().unique()}
    unreported = regional.unreported_names(m, province)
    table_ = matrix.reindex([*matrix.index, *unreported]).astype(object)
    table_.loc[unreported] = T("ui.not_reported_cell")
    table_ = table_.rename(columns={c: f"{c} · {program_names.get(c, c)}" for c in matrix.columns})
    return (compare.program_heatmap(matrix, lang, program_names, unreported=unreported),
            table_.reset_index(names=T("ui.col.region")))


def ranking(m, code: str, lang: str) -> dict:
    keep, excluded, median = regional.comparison(m, code)
    choices = regional.indicator_choices(m)
    row = choices[choices["kode_indikator"] == code].iloc[0]
    unit = str(keep["satuan"].iat[0] if not keep.empty else row["satuan"])
    out = {"fig": compare.ranking(keep, median, lang, str(row["indikator"]), unit),
           "download": labelled(keep.assign(median_provinsi=median), RANKING_COLUMNS),
           "n": len(keep), "unit": unit, "excluded": None}
    if not excluded.empty:
        out["excluded"] = labelled(excluded.assign(
            alasan_eksklusi=[T(k) for k in excluded["alasan_eksklusi"]],
            alasan=[T(k) if isinstance(k, str) else "" for k in excluded["alasan"]],
        ), EXCLUDED_COLUMNS)
    return out


def side_by_side(m, chosen: tuple[str, ...], lang: str):
    names = {c: regions.name_of(c) for c in chosen}
    sel = m[m["region"].isin(chosen)]
    per = sel.groupby(["region", "kode_program"])["capaian"].mean().reset_index()
    per["name"] = per["region"].map(names)
    return compare.small_multiples(sel, names, lang), labelled(per, SIDE_COLUMNS)


def cost_per_output(m, code: str, lang: str):
    cost = regional.cost_per_output(m, code)
    choices = regional.costed_outputs(m)
    row = choices[choices["kode_indikator"] == code].iloc[0]
    unit = cost["satuan"].iat[0] if not cost.empty else row["satuan"]
    return compare.cost_per_output(cost, lang, str(row["indikator"]), str(unit)), labelled(cost, COST_COLUMNS)


def trend(m_all, chosen: tuple[str, ...], lang: str):
    yearly = regional.region_scores(m_all)
    return compare.trend(yearly, lang, highlight=list(chosen)), labelled(yearly, TREND_COLUMNS)


f = open_data_page("bandingkan.title", "bandingkan.caption")
year_dataset()

m = data.metrics_frame()
names = {c: regions.name_of(c) for c in m["region"].unique()}

# --- heatmap regency x program ---
st.subheader(T("bandingkan.heatmap_title"))
with guard("heatmap"):
    chart(*data.derived(heatmap, f.lang, f.province), "capaian-wilayah-program")
    st.caption(T("bandingkan.heatmap_note"))

# --- ranking on one comparable indicator ---
st.subheader(T("bandingkan.ranking_title"))
choices = data.derived(regional.indicator_choices)
code = indicator_picker(choices, "bandingkan.pick_indicator")
if code is None:
    empty_state("indicator", link_upload=False)
else:
    with guard("ranking"):
        ranked = data.derived(ranking, code, f.lang)
        chart(ranked["fig"], ranked["download"], f"peringkat-{code}")
        st.caption(T("bandingkan.like_for_like", n=ranked["n"], unit=ranked["unit"]))
        if ranked["excluded"] is not None:
            st.warning(T("bandingkan.excluded", n=len(ranked["excluded"])), icon=":material/filter_alt_off:")
            table(ranked["excluded"], f"dikecualikan-{code}", key="excluded")

# --- 2–4 regencies side by side ---
st.subheader(T("bandingkan.side_title"))
scores = data.derived(regional.region_scores)
options = list(scores["region"])
default = [c for c in (options[:1] + options[-1:]) if c] if len(options) >= 2 else options
# `banding`, not `wilayah`: the one regency another page carries would leave nothing to compare it with
chosen = url.multiselect(T("bandingkan.pick_regions"), options, param="banding", key="wilayah",
                         labels=lambda c: names.get(c, c), default=default, max_selections=4)
if len(chosen) < 2:
    st.info(T("bandingkan.pick_two"), icon=":material/info:")
else:
    with guard("side by side"):
        chart(*data.derived(side_by_side, tuple(chosen), f.lang), "wilayah-berdampingan")

# --- cost per output ---
st.subheader(T("bandingkan.cost_title"))
cost_choices = data.derived(regional.costed_outputs)
if cost_choices.empty:
    st.info(T("bandingkan.no_cost"), icon=":material/info:")
else:
    # starts at the output with the most money spent on it
    cost_code = url.selectbox(T("bandingkan.pick_output"), list(cost_choices["kode_indikator"]), param="keluaran",
                              labels=indicator_labels(choices).get)
    with guard("cost"):
        chart(*data.derived(cost_per_output, cost_code, f.lang), f"biaya-per-keluaran-{cost_code}")
        st.caption(T("bandingkan.cost_note"))

# --- trend over the years ---
st.subheader(T("bandingkan.trend_title"))
with guard("trend"):
    chart(*data.derived(trend, tuple(chosen), f.lang, all_years=True), "tren-tahunan")
    st.caption(T("bandingkan.trend_note"))
