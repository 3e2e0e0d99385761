"""Paskibraka charts: the selection funnel, putra/putri balance, the stage timeline (Gantt), cost per
selected member, regencies' funnels normalised to their registrants, and year over year.

Inputs are the frames of `kesbang.analysis.paskibraka`; labels come from the catalogue in the language given.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from kesbang import regions
from kesbang.analysis.paskibraka import SIDE_STAGES, stage_label
from kesbang.charts.common import empty, finish, t
from kesbang.charts.palette import CATEGORY_COLORS

# Putra/putri: two colours from the Okabe-Ito colour-blind-safe set, not the achievement palette (the
# sexes are not grades).
SEX_COLORS = {"putra": "#0072B2", "putri": "#CC79A7"}
# Timeline: planned in neutral grey; done on time / late in the achievement palette's ends (good / bad).
PLANNED_COLOR = "#bdbdbd"
ONTIME_COLOR = CATEGORY_COLORS["ST"]
LATE_COLOR = CATEGORY_COLORS["SR"]
FUNNEL_COLOR = CATEGORY_COLORS["ST"]


def _k(key: str, lang: str, **params) -> str:
    return t(f"paskibraka.{key}", lang, **params)


def funnel(f: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """The people funnel (registrants → … → Duta Pancasila) from `paskibraka.funnel` rows of one
    selection; each bar says its count and its conversion from the parent stage. "Schools reached"
    counts schools, not people, and is left to the page's scorecards."""
    f = f[(f["tahap"] != "sekolah") & f["jumlah"].notna()] if not f.empty else f
    if f.empty:
        return empty(title, lang)
    # a side branch (the fixed quota sent to the province) is drawn after the main line, not inside it
    f = f.assign(_side=f["tahap"].isin(SIDE_STAGES)).sort_values(["_side", "stage_order"])
    labels = [stage_label(k, lang) for k in f["tahap"]]
    parents = [stage_label(p, lang) if isinstance(p, str) else "—" for p in f["parent"]]
    conv = f["konversi"].astype(float)
    text = [f"{int(n):,}".replace(",", "." if lang == "id" else ",")
            + ("" if pd.isna(c) else f" · {c:.0f}%".replace(".", "," if lang == "id" else "."))
            for n, c in zip(f["jumlah"], conv)]
    custom = list(zip(parents, conv.fillna(-1), f["gugur"].astype(float).fillna(-1)))
    fig = go.Figure(go.Funnel(
        y=labels, x=f["jumlah"].astype(float).tolist(), text=text, textinfo="text", marker_color=FUNNEL_COLOR,
        connector={"line": {"color": "#999", "width": 1}}, customdata=custom,
        hovertemplate="%{y}<br>" + _k("count", lang) + ": %{x:,.0f}<br>" + _k("parent", lang)
                      + ": %{customdata[0]}<br>" + _k("conversion", lang) + ": %{customdata[1]:.1f}<br>"
                      + _k("drop", lang) + ": %{customdata[2]:,.0f}<extra></extra>"))
    return finish(fig, title=title, x=_k("count", lang), y=_k("stage", lang), lang=lang,
                  height=max(360, 42 * len(f) + 120))


def gender(bal: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Putra and putri side by side at the stages that matter (`paskibraka.gender_balance`)."""
    if bal.empty:
        return empty(title, lang)
    bal = bal.sort_values("stage_order")
    labels = [stage_label(k, lang) for k in bal["tahap"]]
    fig = go.Figure()
    for sex in ("putra", "putri"):
        fig.add_bar(y=labels, x=bal[sex].astype(float), name=_k(sex, lang), orientation="h",
                    marker_color=SEX_COLORS[sex], texttemplate="%{x:,.0f}", textposition="auto",
                    customdata=bal["putri_pct"].astype(float),
                    hovertemplate="%{y}<br>" + _k(sex, lang) + ": %{x:,.0f}<br>" + _k("putri_share", lang)
                                  + ": %{customdata:.1f}%<extra></extra>")
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=",.0f")  # 2.000 in Indonesian, like the bar labels (plotly's default: 2000)
    return finish(fig, title=title, x=_k("count", lang), y=_k("stage", lang), lang=lang,
                 height=max(300, 60 * len(bal) + 140))


def timeline(tl: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Gantt-style: for each stage a grey planned bar and an actual bar (blue on time, red late).

    A stage still open past its planned end is drawn up to its planned end in red with the days late
    in the hover, so an overdue stage shows even before it finishes."""
    rows = []
    for r in tl.sort_values("stage_order").to_dict("records") if not tl.empty else []:
        label = stage_label(r["tahap"], lang)
        status = _k(f"status_{r['status']}", lang)
        late = r.get("terlambat_hari")
        late_text = "" if late is None or pd.isna(late) else f"{int(late)}"
        p0, p1 = r["rencana_mulai"] or r["rencana_selesai"], r["rencana_selesai"] or r["rencana_mulai"]
        if p0 is not None:
            rows.append({"tahap": label, "jenis": _k("planned", lang), "mulai": p0,
                         "selesai": p1 + pd.Timedelta(days=1), "status": status, "terlambat": late_text})
        a0 = r["realisasi_mulai"] or r["realisasi_selesai"]
        a1 = r["realisasi_selesai"] or r["realisasi_mulai"]
        if a0 is not None:
            kind = _k("status_terlambat", lang) if r["status"] == "terlambat" else _k("actual", lang)
            rows.append({"tahap": label, "jenis": kind, "mulai": a0, "selesai": a1 + pd.Timedelta(days=1),
                         "status": status, "terlambat": late_text})
    if not rows:
        return empty(title, lang)
    df = pd.DataFrame(rows)
    df["mulai"] = pd.to_datetime(df["mulai"])
    df["selesai"] = pd.to_datetime(df["selesai"])
    colors = {_k("planned", lang): PLANNED_COLOR, _k("actual", lang): ONTIME_COLOR,
              _k("status_terlambat", lang): LATE_COLOR}
    fig = px.timeline(df, x_start="mulai", x_end="selesai", y="tahap", color="jenis",
                      color_discrete_map=colors, custom_data=["status", "terlambat", "jenis"])
    # numeric dates: plotly's month names are English only, which must not show in the Indonesian UI
    fig.update_xaxes(tickformat="%d/%m/%Y")
    fig.update_traces(hovertemplate="%{y}<br>%{customdata[2]}: %{base|%d/%m/%Y} – %{x|%d/%m/%Y}<br>"
                                    + _k("status", lang) + ": %{customdata[0]}<br>" + _k("late_days", lang)
                                    + ": %{customdata[1]}<extra></extra>")
    fig.update_layout(barmode="group")
    order = list(dict.fromkeys(df["tahap"]))
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=order)
    return finish(fig, title=title, x=_k("timeline_date", lang), y=_k("stage", lang), lang=lang,
                 height=max(320, 46 * df["tahap"].nunique() + 140))


def cost(c: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Budget spent per appointed member, per regency (`paskibraka.cost_per_member`)."""
    c = c[c["biaya_per_anggota"].notna() | c["pagu_per_anggota"].notna()] if not c.empty else c
    if c.empty:
        return empty(title, lang)
    c = c.assign(nama=c["region"].map(regions.name_of)).sort_values("biaya_per_anggota", na_position="first")
    custom = c[["pagu", "realisasi_anggaran", "terpilih", "pagu_per_anggota"]].astype(float).to_numpy()
    fig = go.Figure(go.Bar(
        y=c["nama"], x=c["biaya_per_anggota"].astype(float), orientation="h", marker_color=FUNNEL_COLOR,
        customdata=custom, name=_k("cost_per_member", lang),
        hovertemplate="%{y}<br>" + _k("cost_per_member", lang) + ": Rp %{x:,.0f}<br>"
                      + _k("pagu_per_member", lang) + ": Rp %{customdata[3]:,.0f}<br>"
                      + _k("budget_spent", lang) + ": Rp %{customdata[1]:,.0f}<br>"
                      + _k("budget_pagu", lang) + ": Rp %{customdata[0]:,.0f}<br>"
                      + _k("selected", lang) + ": %{customdata[2]:,.0f}<extra></extra>"))
    fig.update_layout(showlegend=False)
    fig.update_xaxes(tickformat=",.0f")  # whole Rupiah with separators, not d3's English "10M"
    return finish(fig, title=title, x=_k("cost_per_member", lang), y=_k("region", lang), lang=lang,
                  height=max(300, 28 * len(c) + 140))


def compare(norm: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Every regency's funnel as a percentage of its own registrants, one line each
    (`paskibraka.normalised_funnels`); hover gives the absolute count too."""
    # the quota sent to the province (4 per regency) is not a funnel step: as a share it only adds noise
    norm = norm[norm["pct_pendaftar"].notna() & ~norm["tahap"].isin(SIDE_STAGES)] if not norm.empty else norm
    if norm.empty:
        return empty(title, lang)
    norm = norm.sort_values(["region", "stage_order"])
    order = [stage_label(k, lang) for k in norm.sort_values("stage_order")["tahap"].drop_duplicates()]
    fig = go.Figure()
    for region, part in norm.groupby("region", sort=True):
        name = regions.name_of(region)
        fig.add_scatter(x=[stage_label(k, lang) for k in part["tahap"]],
                        y=part["pct_pendaftar"].astype(float),
                        mode="lines+markers", name=name, customdata=part["jumlah"].astype(float),
                        hovertemplate=name + "<br>%{x}<br>" + _k("pct_registrants", lang)
                                      + ": %{y:.1f}%<br>" + _k("count", lang)
                                      + ": %{customdata:,.0f}<extra></extra>")
    fig.update_xaxes(categoryorder="array", categoryarray=order, tickangle=-30)
    # log scale: a step from 100 % to 75 % and one from 20 % to 15 % look equally steep
    fig.update_yaxes(type="log", tickvals=[1, 2, 5, 10, 20, 50, 100], ticksuffix="%")
    return finish(fig, title=title, x=_k("stage", lang), y=_k("pct_registrants", lang), lang=lang, height=560)


def year_over_year(yoy: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Main stages per year (`paskibraka.year_over_year`), grouped bars with the change in the hover."""
    if yoy.empty:
        return empty(title, lang)
    yoy = yoy.sort_values(["stage_order", "year"])
    fig = go.Figure()
    for i, (key, part) in enumerate(yoy.groupby("tahap", sort=False)):
        label = stage_label(key, lang)
        fig.add_bar(x=part["year"].astype(str), y=part["jumlah"].astype(float), name=label,
                    marker_color=px.colors.sequential.Blues[min(3 + 2 * i, 8)],
                    customdata=part["perubahan_pct"].astype(float),
                    hovertemplate=label + "<br>%{x}: %{y:,.0f}<br>" + _k("change_pct", lang)
                                  + ": %{customdata:+.1f}%<extra></extra>")
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    fig.update_yaxes(tickformat=",.0f")  # 4.000 in Indonesian (plotly's default prints 4000)
    return finish(fig, title=title, x=_k("year", lang), y=_k("count", lang), lang=lang)
