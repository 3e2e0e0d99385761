"""Overview (ringkasan) charts: indicators per category, regencies ranked, change since the last quarter."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kesbang.analysis.regional import CATEGORY_ORDER
from kesbang.charts.category_bars import add_category_bars, add_median_line
from kesbang.charts.common import category_color, category_label, empty, finish, t, vline


def category_distribution(counts: pd.DataFrame, lang: str) -> go.Figure:
    """Bars of indicators per category (`regional.category_counts`), one colour per category."""
    title = t("ringkasan.chart.categories", lang)
    if counts.empty or counts["jumlah"].sum() == 0:
        return empty(title, lang)
    counts = counts.set_index("kategori").reindex(CATEGORY_ORDER).fillna(0).reset_index()
    fig = go.Figure()
    for cat, n in zip(counts["kategori"], counts["jumlah"]):
        code = None if cat == "none" else cat
        label = category_label(code, lang)
        fig.add_bar(
            x=[label],
            y=[int(n)],
            name=label,
            marker_color=category_color(code),
            text=[int(n)],
            textposition="outside",
            hovertemplate=f"{t('ui.chart.category', lang)}: %{{x}}<br>"
            f"{t('ui.chart.indicators', lang)}: %{{y:,d}}<extra></extra>",
        )
    fig.update_layout(showlegend=False)
    return finish(
        fig, title=title, x=t("ui.chart.category", lang), y=t("ui.chart.indicators_axis", lang), lang=lang
    )


def region_ranking(
    scores: pd.DataFrame, lang: str, median: float | None = None, title: str | None = None
) -> go.Figure:
    """Regencies ranked by average achievement (`regional.region_scores`), coloured by category,
    with the province median as a dashed line."""
    title = title or t("ringkasan.chart.ranking", lang)
    scores = scores[scores["capaian_rata"].notna()] if not scores.empty else scores
    if scores.empty:
        return empty(title, lang)
    scores = scores.sort_values("capaian_rata")
    fig = go.Figure()
    add_category_bars(
        fig,
        scores,
        y="name",
        x="capaian_rata",
        lang=lang,
        customdata=lambda part: part[["n_dihitung", "n_indikator"]].to_numpy(),
        hovertemplate="%{y}<br>"
        + t("ui.chart.avg_capaian", lang)
        + ": %{x:.1f}%<br>"
        + t("ui.chart.computable", lang)
        + ": %{customdata[0]} / %{customdata[1]}"
        "<extra>%{fullData.name}</extra>",
        with_none=True,
    )
    add_median_line(fig, median, lang)
    fig.update_yaxes(categoryorder="array", categoryarray=list(scores["name"]))
    return finish(
        fig,
        title=title,
        x=t("ui.chart.avg_capaian_pct", lang),
        y=t("ui.chart.region", lang),
        lang=lang,
        legend=t("ui.chart.category", lang),
        height=max(320, 28 * len(scores) + 120),
    )


def quarter_change(change: pd.DataFrame, lang: str, period_now: str, period_before: str) -> go.Figure:
    """Change of each regency's average achievement since the previous quarter (percentage points)."""
    title = t("ringkasan.chart.change", lang, now=period_now, before=period_before)
    rows = change[change["perubahan"].notna()] if not change.empty else change
    if rows.empty:
        return empty(title, lang)
    rows = rows.sort_values("perubahan")
    colors = ["#2e7d32" if v >= 0 else "#c62828" for v in rows["perubahan"]]
    fig = go.Figure(
        go.Bar(
            y=rows["name"],
            x=rows["perubahan"],
            orientation="h",
            marker_color=colors,
            customdata=rows[["sebelum", "sekarang", "naik", "turun"]].to_numpy(),
            hovertemplate="%{y}<br>"
            + period_before
            + ": %{customdata[0]:.1f}%<br>"
            + period_now
            + ": %{customdata[1]:.1f}%<br>"
            + t("ui.chart.change_pp", lang)
            + ": %{x:+.1f}<br>"
            + t("ui.chart.moved_up", lang)
            + ": %{customdata[2]} · "
            + t("ui.chart.moved_down", lang)
            + ": %{customdata[3]}<extra></extra>",
        )
    )
    vline(fig, 0)
    return finish(
        fig,
        title=title,
        x=t("ui.chart.change_pp", lang),
        y=t("ui.chart.region", lang),
        lang=lang,
        height=max(320, 28 * len(rows) + 120),
    )
