"""Indicator explorer charts: one indicator across regencies (realisation vs target, range targets as
bands), its quarterly progress s.d. TW, and its achievement over the years."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kesbang.analysis.regional import CATEGORY_ORDER
from kesbang.charts.common import category_color, category_label, empty, finish, safe, safe_series, t

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def target_vs_realisation(rows: pd.DataFrame, lang: str, indicator: str, unit: str) -> go.Figure:
    """Realisation bars per regency (coloured by category) with the target as a marker, or as a shaded
    band from the lower to the upper bound when the target is a range."""
    indicator, unit = safe(indicator), safe(unit)
    title = t("indikator.chart.target_vs_real", lang, indicator=indicator)
    if rows.empty:
        return empty(title, lang)
    rows = rows.sort_values("name")
    lo = pd.to_numeric(rows["target_min"], errors="coerce")
    hi = pd.to_numeric(rows["target_max"], errors="coerce")
    is_range = (hi > lo).fillna(False)
    fig = go.Figure()
    if is_range.any():
        band = rows[is_range]
        fig.add_bar(
            x=band["name"],
            y=(hi - lo)[is_range],
            base=lo[is_range],
            name=t("ui.chart.target_range", lang),
            marker={"color": "rgba(31,95,168,0.18)", "line": {"color": "#1f5fa8", "width": 1}},
            width=0.9,
            customdata=np.column_stack([lo[is_range], hi[is_range]]),
            hovertemplate="%{x}<br>"
            + t("ui.chart.target_range", lang)
            + f": %{{customdata[0]:,.2f}}–%{{customdata[1]:,.2f}} {unit}<extra></extra>",
        )
    cats = rows["kategori"].astype(object).where(rows["kategori"].notna(), "none")
    for cat in CATEGORY_ORDER:
        part = rows[cats == cat]
        if part.empty:
            continue
        code = None if cat == "none" else cat
        fig.add_bar(
            x=part["name"],
            y=part["realisasi"],
            name=category_label(code, lang),
            width=0.5,
            marker_color=category_color(code),
            customdata=np.column_stack([part["capaian"], safe_series(part["target_text"])]),
            hovertemplate="%{x}<br>"
            + t("ui.chart.realisasi", lang)
            + f": %{{y:,.2f}} {unit}<br>"
            + t("ui.chart.target", lang)
            + f": %{{customdata[1]}} {unit}<br>"
            + t("ui.chart.capaian", lang)
            + ": %{customdata[0]:.1f}%"
            "<extra>%{fullData.name}</extra>",
        )
    single = rows[~is_range & lo.notna()]
    if not single.empty:
        fig.add_scatter(
            x=single["name"],
            y=pd.to_numeric(single["target_min"], errors="coerce"),
            mode="markers",
            name=t("ui.chart.target", lang),
            marker={"symbol": "line-ew-open", "size": 34, "color": "#111", "line": {"width": 3}},
            hovertemplate="%{x}<br>" + t("ui.chart.target", lang) + f": %{{y:,.2f}} {unit}<extra></extra>",
        )
    fig.update_layout(barmode="overlay")
    return finish(
        fig,
        title=title,
        x=t("ui.chart.region", lang),
        y=t("ui.chart.value_unit", lang, unit=unit),
        lang=lang,
        legend="",
        height=460,
    )


def quarterly_progress(q: pd.DataFrame, lang: str, indicator: str, unit: str) -> go.Figure:
    """Realisation to date (s.d. TW I…IV) per regency, one line each (`regional.quarterly`)."""
    indicator, unit = safe(indicator), safe(unit)
    title = t("indikator.chart.quarterly", lang, indicator=indicator)
    q = q[q["realisasi"].notna()] if not q.empty else q
    if q.empty:
        return empty(title, lang)
    fig = go.Figure()
    for _, part in q.sort_values("quarter").groupby("region", sort=True):
        fig.add_scatter(
            x=[f"TW {ROMAN[int(x)]}" for x in part["quarter"]],
            y=part["realisasi"],
            mode="lines+markers",
            name=part["name"].iat[0],
            customdata=part[["capaian"]].to_numpy(),
            hovertemplate="%{fullData.name}<br>s.d. %{x}<br>"
            + t("ui.chart.realisasi", lang)
            + f": %{{y:,.2f}} {unit}<br>"
            + t("ui.chart.capaian", lang)
            + ": %{customdata[0]:.1f}%<extra></extra>",
        )
    fig.update_xaxes(categoryorder="array", categoryarray=[f"TW {r}" for r in ROMAN.values()])
    return finish(
        fig,
        title=title,
        x=t("ui.chart.quarter_todate", lang),
        y=t("ui.chart.value_unit", lang, unit=unit),
        lang=lang,
        legend=t("ui.chart.region", lang),
    )


def achievement_over_years(rows: pd.DataFrame, lang: str, indicator: str) -> go.Figure:
    """Achievement of the indicator per regency and year (full year), with the 100% line."""
    indicator = safe(indicator)
    title = t("indikator.chart.years", lang, indicator=indicator)
    rows = rows[rows["capaian"].notna()] if not rows.empty else rows
    if rows.empty:
        return empty(title, lang)
    fig = go.Figure()
    for _, part in rows.sort_values("year").groupby("region", sort=True):
        fig.add_scatter(
            x=part["year"],
            y=part["capaian"],
            mode="lines+markers",
            name=part["name"].iat[0],
            hovertemplate="%{fullData.name}<br>"
            + t("ui.chart.year", lang)
            + ": %{x}<br>"
            + t("ui.chart.capaian", lang)
            + ": %{y:.1f}%<extra></extra>",
        )
    fig.add_hline(y=100, line_dash="dot", line_color="#888")
    fig.update_xaxes(dtick=1, tickformat="d")
    return finish(
        fig,
        title=title,
        x=t("ui.chart.year", lang),
        y=t("ui.chart.capaian_pct", lang),
        lang=lang,
        legend=t("ui.chart.region", lang),
    )
