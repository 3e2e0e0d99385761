"""Side by side: per program 8.01.02–8.01.06, what was produced (indicators, achievement), what was
cultivated (values activities, reach, rubric, stories), and what the outcome indices say over the years.
Built to be read by a head in one minute: one summary chart, then one row of three columns per program."""

import streamlit as st

from kesbang import regions
from kesbang.analysis import indices, side_by_side, values
from kesbang.charts import side_by_side as charts
from kesbang.charts.palette import ORDER, category_label
from ui import data, fmt, url, widgets
from ui.page import open_data_page
from ui.state import T, lang

SUMMARY_COLUMNS = {"program": "berdampingan.program", "n_indikator": "berdampingan.indicators",
                   "capaian_rata": "berdampingan.percent", "capaian_median": "berdampingan.achievement_median",
                   "n_kegiatan": "berdampingan.activities", "peserta": "berdampingan.participants",
                   "rubrik_median": "berdampingan.rubric_median"}


def drawn(ds, scope, province: str, year: int, L: str) -> dict | None:
    """The summary figure, its download, and per program its numbers, latest story and index lines.

    A pure function of its arguments, cached per data version (`data.derived`); the figure is shared
    between viewers, never changed once built. None when the scope reported nothing this year.
    """
    metrics = data.metrics_frame()  # the same province, year and quarter as `ds` (the cache key holds them)
    nilai = ds.nilai
    if scope is not None:
        metrics = metrics[metrics["region"] == scope]
        nilai = nilai[nilai["region"] == scope]
    if metrics.empty and nilai.empty:
        return None
    idx = indices.for_province(province)
    summary = side_by_side.summary(metrics, nilai, idx)
    scope_name = T("berdampingan.whole_province") if scope is None else regions.name_of(scope)
    fig = charts.summary(summary, L, T("berdampingan.summary_chart_title", wilayah=scope_name, tahun=year))
    download = widgets.labelled(
        summary.assign(program=summary["program"].map(lambda p: charts.program_label(p, L))).round(1),
        SUMMARY_COLUMNS)
    programs = []
    for rec in summary.to_dict("records"):
        story = values.stories(side_by_side.activities_of(nilai, rec["program"]), limit=1)
        lines = []  # one per index: its values by the year they measure, oldest first
        for key, part in indices.for_program(rec["program"], idx).sort_values("tahun").groupby("indeks", sort=True):
            mark = f" {T('program_nilai.check_mark')}" if part["cek"].any() else ""
            series = " → ".join(f"{fmt.number(v, 2)} ({y})" for v, y in zip(part["nilai"], part["tahun"]))
            lines.append((T("berdampingan.index_series", indeks=indices.index_name(key, L), deret=series + mark),
                          T("berdampingan.index_source", pemilik=part["pemilik"].iat[0],
                            terbit=", ".join(str(y) for y in part["terbit"].dropna().unique()))))
        programs.append((rec, None if story.empty else story.iloc[0].to_dict(), lines))
    return {"fig": fig, "download": download, "programs": programs}


f = open_data_page("berdampingan.title", "berdampingan.intro")
L = lang()
year_ds = data.dataset()

reporting = sorted(year_ds.submissions["region"].dropna().unique())
scope = url.selectbox(T("berdampingan.scope"), [None, *reporting], param="wilayah", key="side_scope",
                      labels=lambda c: T("berdampingan.whole_province") if c is None else regions.name_of(c))
scope_name = T("berdampingan.whole_province") if scope is None else regions.name_of(scope)
shown = data.derived(drawn, scope, f.province, f.year, L, source="dataset")

if shown is None:
    st.info(T("berdampingan.no_data", wilayah=scope_name, tahun=f.year), icon=":material/info:")
    widgets.empty_state("year")
else:
    st.subheader(T("berdampingan.summary_title"))
    widgets.chart(shown["fig"], shown["download"], "berdampingan-ringkasan", key="side-summary")
    st.caption(T("berdampingan.mapping_note"))

    for rec, story, lines in shown["programs"]:
        st.subheader(charts.program_label(rec["program"], L))
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
            if rec["n_kegiatan"] == 0:
                st.text(T("berdampingan.no_activities"))
            else:
                a, b = st.columns(2)
                a.metric(T("berdampingan.activities"), fmt.number(rec["n_kegiatan"]))
                b.metric(T("berdampingan.participants"), fmt.number(rec["peserta"]))
                st.text(T("berdampingan.rubric_line", rubrik=fmt.number(rec["rubrik_median"], 1)))
                if story is not None:
                    st.caption(T("berdampingan.latest_story"))
                    st.text(f"{story['nama_wilayah']} · {fmt.date(story['tanggal'])}")
                    widgets.plain(story["narasi"])
        with outcomes.container(border=True):
            st.caption(T("berdampingan.outcomes"))
            if not lines:
                st.text(T("berdampingan.no_indices"))
            for series, source in lines:
                st.text(series)
                st.caption(source)
    st.caption(T("program_nilai.indices_note"))
