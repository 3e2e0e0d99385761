"""Compare regencies: program heatmap, ranking on one comparable indicator, 2–4 regencies side by side,
cost per output and the trend over the years. Only like for like (same indicator code and unit)."""

import streamlit as st

from kesbang import nomenclature, regional, regions
from kesbang.charts import compare
from ui import data
from ui.page import open_data_page, year_dataset
from ui.pickers import indicator_labels, indicator_picker
from ui.state import T
from ui.widgets import chart, empty_state, guard, labelled, table

f = open_data_page("bandingkan.title", "bandingkan.caption")
year_dataset()

m = data.metrics_frame()
names = {c: regions.name_of(c) for c in m["region"].unique()}
program_names = {code: nomenclature.name_of(code) or code for code in m["kode_program"].dropna().unique()}

# --- heatmap regency x program ---
st.subheader(T("bandingkan.heatmap_title"))
with guard("heatmap"):
    matrix = data.derived(regional.program_matrix)
    chart(
        compare.program_heatmap(matrix, f.lang, program_names),
        matrix.reset_index().rename(columns={"name": T("ui.col.region")}),
        "capaian-wilayah-program",
    )
    st.caption(T("bandingkan.heatmap_note"))

# --- ranking on one comparable indicator ---
st.subheader(T("bandingkan.ranking_title"))
choices = data.derived(regional.indicator_choices)
code = indicator_picker(choices, "bandingkan.pick_indicator")
if code is None:
    empty_state("indicator", link_upload=False)
else:
    with guard("ranking"):
        keep, excluded, median = data.derived(regional.comparison, code)
        row = choices[choices["kode_indikator"] == code].iloc[0]
        unit = keep["satuan"].iat[0] if not keep.empty else row["satuan"]
        chart(
            compare.ranking(keep, median, f.lang, str(row["indikator"]), str(unit)),
            labelled(
                keep.assign(median_provinsi=median),
                {
                    "name": "ui.col.region",
                    "kode_indikator": "ui.col.indicator_code",
                    "satuan": "ui.col.unit",
                    "target_text": "ui.col.target",
                    "realisasi": "ui.col.realisasi",
                    "capaian": "ui.col.capaian",
                    "kategori": "ui.col.category",
                    "median_provinsi": "ui.col.province_median",
                },
            ),
            f"peringkat-{code}",
        )
        st.caption(T("bandingkan.like_for_like", n=len(keep), unit=str(unit)))
        if not excluded.empty:
            st.warning(T("bandingkan.excluded", n=len(excluded)), icon=":material/filter_alt_off:")
            excluded = excluded.assign(
                alasan_eksklusi=[T(k) for k in excluded["alasan_eksklusi"]],
                alasan=[T(k) if isinstance(k, str) else "" for k in excluded["alasan"]],
            )
            table(
                labelled(
                    excluded,
                    {
                        "name": "ui.col.region",
                        "satuan": "ui.col.unit",
                        "alasan_eksklusi": "ui.col.excluded_reason",
                        "alasan": "ui.col.reason",
                    },
                ),
                f"dikecualikan-{code}",
                key="excluded",
            )

# --- 2–4 regencies side by side ---
st.subheader(T("bandingkan.side_title"))
scores = data.derived(regional.region_scores)
options = list(scores["region"])
default = [c for c in (options[:1] + options[-1:]) if c] if len(options) >= 2 else options
chosen = st.multiselect(
    T("bandingkan.pick_regions"),
    options,
    default=default,
    max_selections=4,
    format_func=lambda c: names.get(c, c),
    key="wilayah",
    bind="query-params",
)
if len(chosen) < 2:
    st.info(T("bandingkan.pick_two"), icon=":material/info:")
else:
    with guard("side by side"):
        sel = m[m["region"].isin(chosen)]
        per = sel.groupby(["region", "kode_program"])["capaian"].mean().reset_index()
        per["name"] = per["region"].map(names)
        chart(
            compare.small_multiples(sel, {c: names.get(c, c) for c in chosen}, f.lang),
            labelled(
                per,
                {
                    "name": "ui.col.region",
                    "kode_program": "ui.col.program_code",
                    "capaian": "ui.col.avg_capaian",
                },
            ),
            "wilayah-berdampingan",
        )

# --- cost per output ---
st.subheader(T("bandingkan.cost_title"))
cost_choices = data.derived(regional.costed_outputs)
if cost_choices.empty:
    st.info(T("bandingkan.no_cost"), icon=":material/info:")
else:
    cost_code = st.selectbox(
        T("bandingkan.pick_output"),
        list(cost_choices["kode_indikator"]),
        format_func=indicator_labels(choices).get,
        index=0,  # the output with the most money spent on it
        key="keluaran",
        bind="query-params",
    )
    with guard("cost"):
        cost = data.derived(regional.cost_per_output, cost_code)
        crow = cost_choices[cost_choices["kode_indikator"] == cost_code].iloc[0]
        cunit = cost["satuan"].iat[0] if not cost.empty else crow["satuan"]
        chart(
            compare.cost_per_output(cost, f.lang, str(crow["indikator"]), str(cunit)),
            labelled(
                cost,
                {
                    "name": "ui.col.region",
                    "satuan": "ui.col.unit",
                    "anggaran": "ui.col.spent",
                    "realisasi": "ui.col.realisasi",
                    "biaya_per_unit": "ui.col.cost_per_unit",
                },
            ),
            f"biaya-per-keluaran-{cost_code}",
        )
        st.caption(T("bandingkan.cost_note"))

# --- trend over the years ---
st.subheader(T("bandingkan.trend_title"))
with guard("trend"):
    yearly = data.derived(regional.region_scores, all_years=True)
    chart(
        compare.trend(yearly, f.lang, highlight=chosen),
        labelled(
            yearly,
            {
                "name": "ui.col.region",
                "year": "ui.col.year",
                "capaian_rata": "ui.col.avg_capaian",
                "kategori": "ui.col.category",
                "n_dihitung": "ui.col.n_computable",
            },
        ),
        "tren-tahunan",
    )
    st.caption(T("bandingkan.trend_note"))
