"""Side by side: per program 8.01.02–8.01.06, what was produced (indicators, achievement), what was
cultivated (values activities, reach, rubric, stories), and what the outcome indices say over the years.
Built to be read by a head in one minute: one summary chart, then one row of three columns per program."""

import streamlit as st

from kesbang import indices, regions, side_by_side, values
from kesbang.charts import side_by_side as charts
from kesbang.charts.palette import ORDER, category_label
from ui import data, fmt, widgets
from ui.page import open_data_page
from ui.state import T, lang

f = open_data_page("berdampingan.title", "berdampingan.intro")
L = lang()
year_ds = data.dataset()

reporting = sorted(year_ds.submissions["region"].dropna().unique())
scope = st.selectbox(T("berdampingan.scope"), [None, *reporting], key="side_scope",
                     format_func=lambda c: T("berdampingan.whole_province") if c is None else regions.name_of(c))
scope_name = T("berdampingan.whole_province") if scope is None else regions.name_of(scope)

metrics = data.metrics_frame()
nilai = year_ds.nilai
if scope is not None:
    metrics = metrics[metrics["region"] == scope]
    nilai = nilai[nilai["region"] == scope]
idx = indices.for_province(f.province)

if metrics.empty and nilai.empty:
    st.info(T("berdampingan.no_data", wilayah=scope_name, tahun=f.year), icon=":material/info:")
    widgets.empty_state("year")
else:
    summary = side_by_side.summary(metrics, nilai, idx)
    st.subheader(T("berdampingan.summary_title"))
    widgets.chart(charts.summary(summary, L, T("berdampingan.summary_chart_title", wilayah=scope_name,
                                               tahun=f.year)),
                  widgets.labelled(
                      summary.assign(program=summary["program"].map(lambda p: charts.program_label(p, L))).round(1),
                      {"program": "berdampingan.program", "n_indikator": "berdampingan.indicators",
                       "capaian_rata": "berdampingan.percent", "capaian_median": "berdampingan.achievement_median",
                       "n_kegiatan": "berdampingan.activities", "peserta": "berdampingan.participants",
                       "rubrik_median": "berdampingan.rubric_median"}),
                  "berdampingan-ringkasan", key="side-summary")
    st.caption(T("berdampingan.mapping_note"))

    for rec in summary.to_dict("records"):
        prog = rec["program"]
        st.subheader(charts.program_label(prog, L))
        produced, cultivated, outcomes = st.columns(3)
        with produced.container(border=True):
            st.caption(T("berdampingan.produced"))
            if rec["n_indikator"] == 0:
                st.text(T("berdampingan.no_indicators"))
            else:
                a, b = st.columns(2)
                a.metric(T("berdampingan.indicators"), fmt.number(rec["n_indikator"]))
                b.metric(T("berdampingan.achievement"), fmt.percent(rec["capaian_rata"]))
                cats = " · ".join(f"{category_label(c, L)} {rec[f'n_{c}']}" for c in ORDER if rec[f"n_{c}"])
                if cats:
                    st.text(cats)
                if rec["n_tidak_terhitung"]:
                    st.caption(T("berdampingan.not_computable", n=rec["n_tidak_terhitung"]))
        with cultivated.container(border=True):
            st.caption(T("berdampingan.cultivated"))
            acts = side_by_side.activities_of(nilai, prog)
            if rec["n_kegiatan"] == 0:
                st.text(T("berdampingan.no_activities"))
            else:
                a, b = st.columns(2)
                a.metric(T("berdampingan.activities"), fmt.number(rec["n_kegiatan"]))
                b.metric(T("berdampingan.participants"), fmt.number(rec["peserta"]))
                st.text(T("berdampingan.rubric_line", rubrik=fmt.number(rec["rubrik_median"], 1)))
                story = values.stories(acts, limit=1)
                if not story.empty:
                    s = story.iloc[0]
                    st.caption(T("berdampingan.latest_story"))
                    st.text(f"{s['nama_wilayah']} · {fmt.date(s['tanggal'])}")
                    widgets.plain(s["narasi"])
        with outcomes.container(border=True):
            st.caption(T("berdampingan.outcomes"))
            prog_idx = indices.for_program(prog, idx)
            if prog_idx.empty:
                st.text(T("berdampingan.no_indices"))
            else:
                # one line per index: its values by the year they measure, oldest first
                for key, part in prog_idx.sort_values("tahun").groupby("indeks", sort=True):
                    mark = f" {T('program_nilai.check_mark')}" if part["cek"].any() else ""
                    series = " → ".join(f"{fmt.number(v, 2)} ({y})" for v, y in zip(part["nilai"], part["tahun"]))
                    st.text(T("berdampingan.index_series", indeks=indices.index_name(key, L), deret=series + mark))
                    st.caption(T("berdampingan.index_source", pemilik=part["pemilik"].iat[0],
                                 terbit=", ".join(str(y) for y in part["terbit"].dropna().unique())))
    st.caption(T("program_nilai.indices_note"))
