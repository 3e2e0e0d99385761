"""Shared layout and hover helpers for the chart builders: titles, axis labels, locale separators, palette.

Numbers in hover text use plotly's d3 formats; `layout.separators` switches decimal comma / thousands dot
for Indonesian, so "85,3" reads right in both languages without formatting in Python.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from kesbang import i18n, metrics
from kesbang.charts import palette

SEPARATORS = {"id": ",.", "en": ".,"}
TEMPLATE = "plotly_white"
# Figures start from plotly's default template without validation; assigning `template=` to each figure
# instead makes plotly validate and deep-copy the whole template: 8-15 ms per chart, a tenth of a page rerun.
pio.templates.default = TEMPLATE


def t(key: str, lang: str, **params) -> str:
    return i18n.t(key, lang, **params)


def safe(text: object) -> str:
    """User text (indicator names, targets as written, units) for a title, label or hover: plotly renders
    a subset of HTML there, so `<`, `>` and `&` are escaped and show literally."""
    # "%{" would start a plotly hover template field
    return html.escape("" if text is None else str(text), quote=False).replace("%{", "% {")


def safe_series(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").map(safe)


def category_label(code: str | None, lang: str) -> str:
    return palette.category_label(code, lang)


def category_color(code: str | None) -> str:
    return palette.category_color(code)


def category_of(capaian, scale=metrics.DEFAULT_SCALE) -> list[str | None]:
    return list(metrics.category(capaian, scale))


def finish(
    fig: go.Figure,
    *,
    title: str,
    x: str,
    y: str,
    lang: str,
    legend: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Title, axis titles (with units), locale separators and a quiet white template."""
    if pio.templates.default != TEMPLATE:  # someone changed the default since import: set it the slow way
        fig.update_layout(template=TEMPLATE)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top", "yref": "container"},
        xaxis_title=x,
        yaxis_title=y,
        colorway=palette.SERIES_COLORS,
        separators=SEPARATORS.get(lang, SEPARATORS["id"]),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        hoverlabel={"namelength": -1},
        # legend in plotly's default place on the right: it never collides with titles
        legend_title_text=legend or "",
    )
    if height:
        fig.update_layout(height=height)
    return fig


def empty(title: str, lang: str) -> go.Figure:
    """A titled figure saying there is nothing to draw (pages normally show an empty state first)."""
    fig = go.Figure()
    fig.add_annotation(
        text=t("ui.chart.no_data", lang),
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 14},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title=title, x="", y="", lang=lang, height=260)
