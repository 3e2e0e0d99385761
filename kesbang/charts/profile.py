"""Regency profile charts: every indicator's achievement against the province median, and budget
absorption beside output achievement per program."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kesbang.charts.category_bars import add_category_bars
from kesbang.charts.common import (
    add_category_swatches,
    category_color,
    empty,
    finish,
    safe,
    safe_series,
    t,
    vline,
)


def indicators_vs_median(rows: pd.DataFrame, lang: str, region_name: str) -> go.Figure:
    """One bar per indicator (grouped by program, coloured by category); a diamond marks the province
    median of the same indicator (like for like only; no diamond where no comparison is possible)."""
    title = t("profil.chart.vs_median", lang, region=region_name)
    rows = rows[rows["capaian"].notna()] if not rows.empty else rows
    if rows.empty:
        return empty(title, lang)
    rows = rows.sort_values(["kode_program", "kode_indikator"], ascending=False)
    labels = [f"{safe(p)} · {safe(str(n)[:60])}" for p, n in zip(rows["kode_program"], rows["indikator"])]
    rows = rows.assign(label=labels)
    fig = go.Figure()
    add_category_bars(
        fig,
        rows,
        y="label",
        x="capaian",
        lang=lang,
        customdata=lambda part: np.column_stack(
            [part["realisasi"], safe_series(part["target_text"]), safe_series(part["satuan"])]
        ),
        hovertemplate="%{y}<br>"
        + t("ui.chart.capaian", lang)
        + ": %{x:.1f}%<br>"
        + t("ui.chart.realisasi", lang)
        + ": %{customdata[0]:,.2f} %{customdata[2]}<br>"
        + t("ui.chart.target", lang)
        + ": %{customdata[1]} %{customdata[2]}"
        "<extra>%{fullData.name}</extra>",
    )
    if "median_provinsi" in rows:
        med = rows[rows["median_provinsi"].notna()]
        if not med.empty:
            fig.add_scatter(
                y=med["label"],
                x=med["median_provinsi"],
                mode="markers",
                name=t("ui.chart.province_median", lang),
                marker={"symbol": "diamond", "size": 11, "color": "#111"},
                hovertemplate="%{y}<br>" + t("ui.chart.province_median", lang) + ": %{x:.1f}%<extra></extra>",
            )
    vline(fig, 100, dash="dot")
    fig.update_yaxes(categoryorder="array", categoryarray=list(rows["label"]))
    return finish(
        fig,
        title=title,
        x=t("ui.chart.capaian_pct", lang),
        y=t("ui.chart.indicator", lang),
        lang=lang,
        legend="",
        height=max(360, 30 * len(rows) + 140),
    )


def budget_and_output(per_program: pd.DataFrame, lang: str, region_name: str) -> go.Figure:
    """Per program: budget absorption (%) beside the mean achievement of its indicators (%)."""
    title = t("profil.chart.budget_output", lang, region=region_name)
    if per_program.empty:
        return empty(title, lang)
    x = [safe(c) for c in per_program["kode_program"]]  # codes are typed by operators too
    fig = go.Figure()
    fig.add_bar(
        x=x,
        y=per_program["serapan"],
        name=t("ui.chart.absorption", lang),
        marker_color="#8d99ae",
        customdata=np.column_stack([per_program["anggaran"], per_program["pagu"]]),
        hovertemplate="%{x}<br>"
        + t("ui.chart.absorption", lang)
        + ": %{y:.1f}%<br>"
        + t("ui.chart.budget_spent", lang)
        + ": Rp%{customdata[0]:,.0f}<br>"
        + t("ui.chart.pagu", lang)
        + ": Rp%{customdata[1]:,.0f}<extra></extra>",
    )
    fig.add_bar(
        x=x,
        y=per_program["capaian_rata"],
        name=t("ui.chart.avg_capaian", lang),
        marker_color=[category_color(c) for c in per_program["kategori"]],
        hovertemplate="%{x}<br>" + t("ui.chart.avg_capaian", lang) + ": %{y:.1f}%<extra></extra>",
        showlegend=False,
    )
    # a bar trace's legend swatch takes its first bar's colour: one entry per category drawn instead
    add_category_swatches(fig, dict.fromkeys(c for c in per_program["kategori"] if isinstance(c, str)), lang,
                          prefix=f"{t('ui.chart.avg_capaian', lang)}: ")
    fig.update_layout(barmode="group")
    fig.add_hline(y=100, line_dash="dot", line_color="#888")
    return finish(fig, title=title, x=t("ui.chart.program", lang), y=t("ui.chart.percent", lang), lang=lang)
