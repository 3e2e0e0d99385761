"""Paskibraka: the yearly selection funnel per regency and year, conversion and drop-off, putra/putri
balance, the stage timeline, cost per selected member, regencies compared, and year over year."""

import streamlit as st

from kesbang import paskibraka, regions, schema
from kesbang.charts import paskibraka as charts
from ui import data, fmt, widgets
from ui.filters import current
from ui.state import T, lang

# Column headings of the chart downloads (a download must read like the chart, not like our frames)
STAGE_COLUMNS = {"region": "paskibraka.region", "year": "paskibraka.year", "tahap": "paskibraka.stage",
                 "parent": "paskibraka.parent", "putra": "paskibraka.putra", "putri": "paskibraka.putri",
                 "jumlah": "paskibraka.count", "konversi": "paskibraka.conversion", "gugur": "paskibraka.drop",
                 "gugur_pct": "paskibraka.drop_pct", "putri_pct": "paskibraka.putri_share",
                 "seimbang": "paskibraka.balance_col", "pct_pendaftar": "paskibraka.pct_registrants",
                 "perubahan_pct": "paskibraka.change_pct", "n_wilayah": "paskibraka.regions_reporting"}


def for_download(df):
    """Stage keys, region codes and yes/no flags in words, under translated headings."""
    out = df.copy()
    for col in ("tahap", "parent"):
        if col in out:
            out[col] = out[col].map(lambda k: paskibraka.stage_label(k, L) if isinstance(k, str) else "")
    if "region" in out:
        out["region"] = out["region"].map(regions.name_of)
    if "seimbang" in out:
        out["seimbang"] = out["seimbang"].map(lambda b: T("paskibraka.balanced" if b else "paskibraka.unbalanced"))
    return widgets.labelled(out, STAGE_COLUMNS)


widgets.page_header("paskibraka.title", "paskibraka.intro")
f = current()
L = lang()

all_years = data.dataset(all_years=True)
pas_all = all_years.paskibraka
if pas_all.empty:
    widgets.empty_state("store" if data.full_dataset().is_empty else "selection")
    st.stop()

# regency picker: whole province, or one regency that reported a funnel in any year
reporting = sorted(pas_all["region"].dropna().unique())
scope = st.selectbox(T("paskibraka.scope"), [None, *reporting], key="pas_scope",
                     format_func=lambda c: T("paskibraka.whole_province") if c is None else regions.name_of(c))
scope_name = T("paskibraka.whole_province") if scope is None else regions.name_of(scope)
scoped_all = pas_all if scope is None else pas_all[pas_all["region"] == scope]
year_pas = scoped_all[scoped_all["year"] == f.year]

if year_pas.empty:
    st.info(T("paskibraka.no_data", wilayah=scope_name, tahun=f.year), icon=":material/info:")
    widgets.empty_state("year")
else:
    funnel = paskibraka.funnel(year_pas)
    by_key = funnel.set_index("tahap")

    def count(key):
        return by_key["jumlah"].get(key) if key in by_key.index else None

    reg, sel = count("pendaftar"), count("ditetapkan")
    rate = sel / reg * 100 if reg and sel is not None else None
    widgets.scorecards([
        widgets.Score(paskibraka.stage_label("sekolah", L), fmt.number(count("sekolah"))),
        widgets.Score(T("paskibraka.metric_registrants"), fmt.number(reg)),
        widgets.Score(T("paskibraka.metric_selected"), fmt.number(sel)),
        widgets.Score(T("paskibraka.metric_sent"), fmt.number(count("dikirim_provinsi"))),
        widgets.Score(T("paskibraka.metric_rate"), fmt.percent(rate)),
    ])
    if scope is None:
        st.caption(T("paskibraka.sum_note", n=year_pas["region"].nunique()))

    left, right = st.columns([3, 2])  # the funnel needs room for its stage names
    with left:
        widgets.chart(charts.funnel(funnel, L, T("paskibraka.funnel_title", wilayah=scope_name, tahun=f.year)),
                      for_download(funnel), "paskibraka-corong", key="pas-funnel")
    with right:
        bal = paskibraka.gender_balance(year_pas, funnel_rows=funnel)
        widgets.chart(charts.gender(bal, L, T("paskibraka.balance_title", wilayah=scope_name, tahun=f.year)),
                      for_download(bal), "paskibraka-putra-putri", key="pas-gender")

    st.subheader(T("paskibraka.steps_title"))
    steps = funnel[funnel["parent"].notna()]
    widgets.table(steps.assign(
        tahap=steps["tahap"].map(lambda k: paskibraka.stage_label(k, L)),
        parent=steps["parent"].map(lambda k: paskibraka.stage_label(k, L)),
    )[["tahap", "parent", "parent_jumlah", "jumlah", "konversi", "gugur", "gugur_pct"]].rename(columns={
        "tahap": T("paskibraka.stage"), "parent": T("paskibraka.parent"), "parent_jumlah": T("paskibraka.total")
        + " (" + T("paskibraka.parent").lower() + ")", "jumlah": T("paskibraka.total"),
        "konversi": T("paskibraka.conversion"), "gugur": T("paskibraka.drop"), "gugur_pct": T("paskibraka.drop_pct"),
    }).round(1), "paskibraka-konversi", key="pas-steps")

    # timeline: one regency at a time (a province-wide Gantt of 14 regencies x 14 stages is unreadable)
    if scope is None:
        st.caption(T("paskibraka.timeline_region_hint"))
    else:
        tl = paskibraka.timeline(year_pas)
        late = int((tl["status"] == "terlambat").sum())
        if late:
            st.warning(T("paskibraka.late_count", n=late), icon=":material/schedule:")
        widgets.chart(charts.timeline(tl, L, T("paskibraka.timeline_title", wilayah=scope_name, tahun=f.year)),
                      tl.assign(tahap=tl["tahap"].map(lambda k: paskibraka.stage_label(k, L)),
                                status=tl["status"].map(lambda s: T(f"paskibraka.status_{s}"))),
                      "paskibraka-jadwal", key="pas-timeline")

    year_ds = data.dataset()
    cost = paskibraka.cost_per_member(year_ds.indicators, year_ds.paskibraka)
    if scope is not None:
        cost = cost[cost["region"] == scope]
    st.subheader(T("paskibraka.cost_title", tahun=f.year))
    st.caption(T("paskibraka.cost_note", kode=", ".join(schema.PASKIBRAKA_SUBKEGIATAN)))
    if cost.empty or cost["biaya_per_anggota"].notna().sum() + cost["pagu_per_anggota"].notna().sum() == 0:
        st.info(T("paskibraka.no_budget"), icon=":material/info:")
    else:
        if scope is not None:
            one = cost.iloc[0]
            widgets.scorecards([
                widgets.Score(T("paskibraka.cost_per_member"), fmt.rupiah(one["biaya_per_anggota"], compact=True)),
                widgets.Score(T("paskibraka.pagu_per_member"), fmt.rupiah(one["pagu_per_anggota"], compact=True)),
                widgets.Score(T("paskibraka.budget_spent"), fmt.rupiah(one["realisasi_anggaran"], compact=True)),
                widgets.Score(T("paskibraka.selected"), fmt.number(one["terpilih"])),
            ], per_row=4)
        cost_view = cost.assign(region=cost["region"].map(regions.name_of)).rename(columns={
            "region": T("paskibraka.region"), "year": T("paskibraka.year"), "pagu": T("paskibraka.budget_pagu"),
            "realisasi_anggaran": T("paskibraka.budget_spent"), "terpilih": T("paskibraka.selected"),
            "biaya_per_anggota": T("paskibraka.cost_per_member"),
            "pagu_per_anggota": T("paskibraka.pagu_per_member")})
        widgets.chart(charts.cost(cost, L, T("paskibraka.cost_title", tahun=f.year)), cost_view,
                      "paskibraka-biaya", key="pas-cost")

    norm = paskibraka.normalised_funnels(pas_all, year=f.year)
    if norm["region"].nunique() > 1:
        st.caption(T("paskibraka.compare_note"))
        widgets.chart(charts.compare(norm, L, T("paskibraka.compare_title", tahun=f.year)),
                      for_download(norm), "paskibraka-banding", key="pas-compare")

yoy = paskibraka.year_over_year(scoped_all)
if yoy["year"].nunique() < 2:
    st.caption(T("paskibraka.one_year_only"))
widgets.chart(charts.year_over_year(yoy, L, T("paskibraka.yoy_title", wilayah=scope_name)),
              for_download(yoy), "paskibraka-tahunan", key="pas-yoy")
