"""Paskibraka: the yearly selection funnel per regency and year, conversion and drop-off, putra/putri
balance, the stage timeline, cost per selected member, regencies compared, and year over year."""

import streamlit as st

from kesbang import regions, schema
from kesbang.analysis import paskibraka
from kesbang.charts import paskibraka as charts
from ui import data, fmt, source, widgets
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


def steps_table(funnel, L: str):
    """The funnel's steps (stages with a parent): conversion and drop-off, under translated headings."""
    steps = funnel[funnel["parent"].notna()]
    return steps.assign(
        tahap=steps["tahap"].map(lambda k: paskibraka.stage_label(k, L)),
        parent=steps["parent"].map(lambda k: paskibraka.stage_label(k, L)),
    )[["tahap", "parent", "parent_jumlah", "jumlah", "konversi", "gugur", "gugur_pct"]].rename(columns={
        "tahap": T("paskibraka.stage"), "parent": T("paskibraka.parent"), "parent_jumlah": T("paskibraka.total")
        + " (" + T("paskibraka.parent").lower() + ")", "jumlah": T("paskibraka.total"),
        "konversi": T("paskibraka.conversion"), "gugur": T("paskibraka.drop"), "gugur_pct": T("paskibraka.drop_pct"),
    }).round(1)


def drawn(ds, scope, year: int, L: str) -> dict:
    """Everything the page draws for these choices: frames, finished figures and their downloads.

    A pure function of its arguments, cached per data version (`data.derived`): a click on the page redrew
    the same charts from the same funnels, and that was most of every rerun. The figures are shared
    between viewers: nothing changes them after this.
    """
    pas_all = ds.paskibraka
    scope_name = T("paskibraka.whole_province") if scope is None else regions.name_of(scope)
    scoped_all = pas_all if scope is None else pas_all[pas_all["region"] == scope]
    year_pas = scoped_all[scoped_all["year"] == year]
    out = {"scope_name": scope_name, "year_pas": year_pas, "charts": {}}
    shown = out["charts"]
    yoy = paskibraka.year_over_year(scoped_all)
    out["years_in_yoy"] = yoy["year"].nunique()
    shown["yoy"] = (charts.year_over_year(yoy, L, T("paskibraka.yoy_title", wilayah=scope_name)), for_download(yoy))
    if year_pas.empty:
        return out

    funnel = paskibraka.funnel(year_pas)
    out["counts"] = funnel.set_index("tahap")["jumlah"].to_dict()
    shown["funnel"] = (charts.funnel(funnel, L, T("paskibraka.funnel_title", wilayah=scope_name, tahun=year)),
                       for_download(funnel))
    bal = paskibraka.gender_balance(year_pas, funnel_rows=funnel)
    shown["gender"] = (charts.gender(bal, L, T("paskibraka.balance_title", wilayah=scope_name, tahun=year)),
                       for_download(bal))
    out["steps"] = steps_table(funnel, L)

    if scope is not None:  # timeline: one regency at a time (14 regencies x 14 stages is unreadable)
        tl = paskibraka.timeline(year_pas)
        out["late"] = int((tl["status"] == "terlambat").sum())
        shown["timeline"] = (
            charts.timeline(tl, L, T("paskibraka.timeline_title", wilayah=scope_name, tahun=year)),
            tl.assign(tahap=tl["tahap"].map(lambda k: paskibraka.stage_label(k, L)),
                      status=tl["status"].map(lambda s: T(f"paskibraka.status_{s}"))))

    year_ds = ds.filter(years=[year])
    cost = paskibraka.cost_per_member(year_ds.indicators, year_ds.paskibraka)
    if scope is not None:
        cost = cost[cost["region"] == scope]
    out["cost"] = cost
    if not cost.empty and cost["biaya_per_anggota"].notna().sum() + cost["pagu_per_anggota"].notna().sum() > 0:
        cost_view = cost.assign(region=cost["region"].map(regions.name_of)).rename(columns={
            "region": T("paskibraka.region"), "year": T("paskibraka.year"), "pagu": T("paskibraka.budget_pagu"),
            "realisasi_anggaran": T("paskibraka.budget_spent"), "terpilih": T("paskibraka.selected"),
            "biaya_per_anggota": T("paskibraka.cost_per_member"),
            "pagu_per_anggota": T("paskibraka.pagu_per_member")})
        shown["cost"] = (charts.cost(cost, L, T("paskibraka.cost_title", tahun=year)), cost_view)

    norm = paskibraka.normalised_funnels(pas_all, year=year)
    if norm["region"].nunique() > 1:
        shown["compare"] = (charts.compare(norm, L, T("paskibraka.compare_title", tahun=year)), for_download(norm))
    return out


widgets.page_header("paskibraka.title", "paskibraka.intro")
f = current()
L = lang()

pas_all = data.dataset(all_years=True).paskibraka
if pas_all.empty:
    widgets.empty_state("store" if source.full_dataset().is_empty else "selection")
    st.stop()

# regency picker: whole province, or one regency that reported a funnel in any year
reporting = sorted(pas_all["region"].dropna().unique())
scope = st.selectbox(T("paskibraka.scope"), [None, *reporting], key="pas_scope",
                     format_func=lambda c: T("paskibraka.whole_province") if c is None else regions.name_of(c))
parts = data.derived(drawn, scope, f.year, L, all_years=True, source="dataset")
scope_name, year_pas, shown = parts["scope_name"], parts["year_pas"], parts["charts"]

if year_pas.empty:
    st.info(T("paskibraka.no_data", wilayah=scope_name, tahun=f.year), icon=":material/info:")
    widgets.empty_state("year")
else:
    counts = parts["counts"]
    reg, sel = counts.get("pendaftar"), counts.get("ditetapkan")
    rate = sel / reg * 100 if reg and sel is not None else None
    widgets.scorecards([
        widgets.Score(paskibraka.stage_label("sekolah", L), fmt.number(counts.get("sekolah"))),
        widgets.Score(T("paskibraka.metric_registrants"), fmt.number(reg)),
        widgets.Score(T("paskibraka.metric_selected"), fmt.number(sel)),
        widgets.Score(T("paskibraka.metric_sent"), fmt.number(counts.get("dikirim_provinsi"))),
        widgets.Score(T("paskibraka.metric_rate"), fmt.percent(rate)),
    ])
    if scope is None:
        st.caption(T("paskibraka.sum_note", n=year_pas["region"].nunique()))

    left, right = st.columns([3, 2])  # the funnel needs room for its stage names
    with left:
        widgets.chart(*shown["funnel"], "paskibraka-corong", key="pas-funnel")
    with right:
        widgets.chart(*shown["gender"], "paskibraka-putra-putri", key="pas-gender")

    st.subheader(T("paskibraka.steps_title"))
    widgets.table(parts["steps"], "paskibraka-konversi", key="pas-steps")

    if scope is None:
        st.caption(T("paskibraka.timeline_region_hint"))
    else:
        if parts["late"]:
            st.warning(T("paskibraka.late_count", n=parts["late"]), icon=":material/schedule:")
        widgets.chart(*shown["timeline"], "paskibraka-jadwal", key="pas-timeline")

    cost = parts["cost"]
    st.subheader(T("paskibraka.cost_title", tahun=f.year))
    st.caption(T("paskibraka.cost_note", kode=", ".join(schema.PASKIBRAKA_SUBKEGIATAN)))
    if "cost" not in shown:
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
        widgets.chart(*shown["cost"], "paskibraka-biaya", key="pas-cost")

    if "compare" in shown:
        st.caption(T("paskibraka.compare_note"))
        widgets.chart(*shown["compare"], "paskibraka-banding", key="pas-compare")

if parts["years_in_yoy"] < 2:
    st.caption(T("paskibraka.one_year_only"))
widgets.chart(*shown["yoy"], "paskibraka-tahunan", key="pas-yoy")
