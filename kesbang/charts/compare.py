"""Regency comparison (bandingkan) charts: program heatmap, ranking with the province median, small
multiples, cost per output and the trend over the years. Inputs come from `kesbang.analysis.regional`, which
keeps comparisons like for like."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kesbang.analysis import metrics
from kesbang.analysis.regional import CATEGORY_ORDER
from kesbang.charts.category_bars import add_category_bars, add_median_line
from kesbang.charts.common import (
    add_category_swatches,
    category_color,
    category_label,
    empty,
    finish,
    left_subplot_titles,
    median_line,
    safe,
    safe_series,
    t,
    vline,
)


def program_heatmap(
    matrix: pd.DataFrame, lang: str, program_names: dict[str, str] | None = None, scale=metrics.DEFAULT_SCALE,
    unreported: list[str] | None = None,
) -> go.Figure:
    """Regency x program mean achievement; cells coloured by category (the one palette), value as text.
    `unreported`: regencies that sent no report, listed as rows of their own marked "belum melapor"."""
    title = t("bandingkan.chart.heatmap", lang)
    if matrix.empty:
        return empty(title, lang)
    unreported = [name for name in unreported or [] if name not in matrix.index]
    matrix = matrix.reindex([*matrix.index, *unreported])
    values = matrix.to_numpy(dtype=float)
    cats = metrics.category(pd.Series(values.ravel()), scale).to_numpy().reshape(values.shape)
    order = list(reversed(metrics.CATEGORIES))  # index 0 = SR … 4 = ST, so the colour bar has ST on top
    z = np.vectorize(lambda c: np.nan if c is None else float(order.index(c)), otypes=[float])(cats)
    n = len(order)
    colorscale = []
    for i, c in enumerate(order):  # discrete bands: one flat colour per category
        colorscale += [[i / n, category_color(c)], [(i + 1) / n, category_color(c)]]
    names = program_names or {}
    x = [safe(code) for code in matrix.columns]  # programme codes and names are operators' text too
    hover_prog = [safe(names.get(code, code)) for code in matrix.columns]
    text = np.where(np.isnan(values), "", np.vectorize(lambda v: f"{v:.0f}")(np.nan_to_num(values))).astype(object)
    text[len(matrix.index) - len(unreported):, :1] = t("ui.not_reported_cell", lang)
    y = [f"{name} ({t('ui.not_reported', lang)})" if name in unreported else name for name in matrix.index]
    labels = np.vectorize(lambda c: category_label(c, lang) if c else "—", otypes=[object])(cats)
    custom = np.dstack([np.tile(hover_prog, (len(matrix.index), 1)), labels, values])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            zmin=-0.5,
            zmax=n - 0.5,
            colorscale=colorscale,
            text=text,
            texttemplate="%{text}",
            customdata=custom,
            xgap=2,
            ygap=2,
            showscale=False,
            hovertemplate="%{y}<br>%{x} %{customdata[0]}<br>"
            + t("ui.chart.avg_capaian", lang)
            + ": %{customdata[2]:.1f}%<br>"
            + t("ui.chart.category", lang)
            + ": %{customdata[1]}<extra></extra>",
        )
    )
    add_category_swatches(fig, metrics.CATEGORIES, lang)  # the scale as a legend: it reads on a phone too
    fig.update_yaxes(autorange="reversed")
    return finish(
        fig,
        title=title,
        x=t("ui.chart.program", lang),
        y=t("ui.chart.region", lang),
        lang=lang,
        legend=t("ui.chart.category", lang),
        height=max(360, 30 * len(matrix.index) + 140),
    )


def ranking(rows: pd.DataFrame, median: float, lang: str, indicator: str, unit: str) -> go.Figure:
    """One comparable indicator: regencies ranked by achievement (coloured by category), province median."""
    indicator, unit = safe(indicator), safe(unit)
    title = t("bandingkan.chart.ranking", lang, indicator=indicator)
    if rows.empty:
        return empty(title, lang)
    rows = rows.sort_values("capaian")
    fig = go.Figure()
    add_category_bars(
        fig,
        rows,
        y="name",
        x="capaian",
        lang=lang,
        customdata=lambda part: np.column_stack([part["realisasi"], safe_series(part["target_text"])]),
        hovertemplate="%{y}<br>"
        + t("ui.chart.capaian", lang)
        + ": %{x:.1f}%<br>"
        + t("ui.chart.realisasi", lang)
        + f": %{{customdata[0]:,.2f}} {unit}<br>"
        + t("ui.chart.target", lang)
        + f": %{{customdata[1]}} {unit}"
        "<extra>%{fullData.name}</extra>",
    )
    add_median_line(fig, median, lang)
    fig.update_yaxes(categoryorder="array", categoryarray=list(rows["name"]))
    return finish(
        fig,
        title=title,
        x=t("ui.chart.capaian_pct", lang),
        y=t("ui.chart.region", lang),
        lang=lang,
        legend=t("ui.chart.category", lang),
        height=max(320, 28 * len(rows) + 120),
    )


def small_multiples(m: pd.DataFrame, region_names: dict[str, str], lang: str) -> go.Figure:
    """2–4 regencies side by side: mean achievement per program, same axes, coloured by category."""
    title = t("bandingkan.chart.side_by_side", lang)
    codes = list(region_names)
    if m.empty or not codes:
        return empty(title, lang)
    programs = sorted(m["kode_program"].dropna().unique())
    fig = make_subplots(
        rows=1,
        cols=len(codes),
        shared_yaxes=True,
        subplot_titles=[region_names[c] for c in codes],
        horizontal_spacing=0.03,
    )
    shown: set[str] = set()
    for i, code in enumerate(codes, start=1):
        per = m[m["region"] == code].groupby("kode_program")["capaian"].mean().reindex(programs)
        cats = metrics.category(per).to_numpy()
        for cat in CATEGORY_ORDER[:-1]:
            mask = cats == cat
            if not mask.any():
                continue
            fig.add_bar(
                y=[safe(p) for p in np.array(programs)[mask]],  # codes are typed by operators too
                x=per.to_numpy()[mask],
                orientation="h",
                name=category_label(cat, lang),
                legendgroup=cat,
                showlegend=cat not in shown,
                marker_color=category_color(cat),
                row=1,
                col=i,
                hovertemplate=region_names[code]
                + "<br>%{y}<br>"
                + t("ui.chart.avg_capaian", lang)
                + ": %{x:.1f}%<extra>%{fullData.name}</extra>",
            )
            shown.add(cat)
        vline(fig, 100, dash="dot", subplot=i)
    xmax = float(np.nanmax([m["capaian"].max(), 100])) * 1.05
    fig.update_xaxes(range=[0, xmax], title_text=t("ui.chart.avg_capaian_pct", lang))
    fig.update_yaxes(categoryorder="array", categoryarray=programs[::-1])
    fig.update_yaxes(title_text=t("ui.chart.program", lang), row=1, col=1)
    left_subplot_titles(fig)
    return finish(
        fig,
        title=title,
        x=t("ui.chart.avg_capaian_pct", lang),
        y=t("ui.chart.program", lang),
        lang=lang,
        legend=t("ui.chart.category", lang),
        height=max(320, 40 * len(programs) + 160),
    )


def cost_per_output(cost: pd.DataFrame, lang: str, indicator: str, unit: str) -> go.Figure:
    """Budget realised per unit of output (Rp per unit) for one comparable output indicator."""
    indicator, unit = safe(indicator), safe(unit)
    title = t("bandingkan.chart.cost", lang, indicator=indicator)
    if cost.empty:
        return empty(title, lang)
    cost = cost.sort_values("biaya_per_unit", ascending=False)
    fig = go.Figure(
        go.Bar(
            y=cost["name"],
            x=cost["biaya_per_unit"],
            orientation="h",
            marker_color="#1f5fa8",
            customdata=np.column_stack([cost["anggaran"], cost["realisasi"]]),
            hovertemplate="%{y}<br>"
            + t("ui.chart.cost_per_unit", lang, unit=unit)
            + ": Rp%{x:,.0f}<br>"
            + t("ui.chart.budget_spent", lang)
            + ": Rp%{customdata[0]:,.0f}<br>"
            + t("ui.chart.realisasi", lang)
            + f": %{{customdata[1]:,.2f}} {unit}<extra></extra>",
        )
    )
    med = float(cost["biaya_per_unit"].median())
    median_line(fig, med, t("ui.chart.province_median", lang))
    fig.update_xaxes(tickformat=",.0f")  # whole Rupiah with separators, not d3's "20M"
    return finish(
        fig,
        title=title,
        x=t("ui.chart.cost_per_unit", lang, unit=unit),
        y=t("ui.chart.region", lang),
        lang=lang,
        height=max(320, 28 * len(cost) + 120),
    )


def trend(scores: pd.DataFrame, lang: str, highlight: list[str] | None = None) -> go.Figure:
    """Average achievement per regency over the years (`regional.region_scores` over all years) and the
    province median per year; highlighted regencies drawn bold, the others thin and grey."""
    title = t("bandingkan.chart.trend", lang)
    scores = scores[scores["capaian_rata"].notna()] if not scores.empty else scores
    if scores.empty:
        return empty(title, lang)
    highlight = highlight or []
    fig = go.Figure()
    for code, part in scores.sort_values("year").groupby("region", sort=False):
        bold = code in highlight or not highlight
        fig.add_scatter(
            x=part["year"],
            y=part["capaian_rata"],
            mode="lines+markers",
            name=part["name"].iat[0],
            line={"width": 3 if bold and highlight else 1.5, "color": None if bold else "#c7c7c7"},
            opacity=1 if bold else 0.7,
            hovertemplate="%{fullData.name}<br>"
            + t("ui.chart.year", lang)
            + ": %{x}<br>"
            + t("ui.chart.avg_capaian", lang)
            + ": %{y:.1f}%<extra></extra>",
        )
    med = scores.groupby("year")["capaian_rata"].median()
    fig.add_scatter(
        x=med.index,
        y=med.to_numpy(),
        mode="lines",
        name=t("ui.chart.province_median", lang),
        line={"dash": "dash", "color": "#222", "width": 2},
        hovertemplate=t("ui.chart.province_median", lang) + " %{x}: %{y:.1f}%<extra></extra>",
    )
    fig.update_xaxes(dtick=1, tickformat="d")
    return finish(
        fig,
        title=title,
        x=t("ui.chart.year", lang),
        y=t("ui.chart.avg_capaian_pct", lang),
        lang=lang,
        legend=t("ui.chart.region", lang),
    )
