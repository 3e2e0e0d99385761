"""Horizontal bars coloured by achievement category, and the province median drawn across them.

The shape the overview ranking, the comparison ranking and a regency's indicators against the median
share: one trace per category (so the legend reads as the category scale, in the palette's order) and
one dashed median line. Kept here so the three charts cannot drift apart in colour, order or wording.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from kesbang.analysis.regional import CATEGORY_ORDER
from kesbang.charts.common import category_color, category_label, median_line, t
from kesbang.formatting import format_percent


def add_category_bars(
    fig: go.Figure,
    rows: pd.DataFrame,
    *,
    y: str,
    x: str,
    lang: str,
    customdata: Callable[[pd.DataFrame], object],
    hovertemplate: str,
    with_none: bool = False,
) -> None:
    """One horizontal bar trace per category of `rows["kategori"]`, best first; a category with no rows
    draws nothing. `customdata(part)` gives the hover columns of one category's rows. Rows without a
    category are drawn (grey, "not computable") only when `with_none`."""
    kinds = rows["kategori"].fillna("none")
    for cat in CATEGORY_ORDER if with_none else CATEGORY_ORDER[:-1]:
        part = rows[kinds == cat]
        if part.empty:
            continue
        code = None if cat == "none" else cat
        fig.add_bar(
            y=part[y],
            x=part[x],
            orientation="h",
            name=category_label(code, lang),
            marker_color=category_color(code),
            customdata=customdata(part),
            hovertemplate=hovertemplate,
        )


def add_median_line(fig: go.Figure, median: float | None, lang: str) -> None:
    """The province median as a dashed vertical line labelled with its value; nothing when unknown."""
    if median is None or pd.isna(median):
        return
    median_line(fig, median, t("ui.chart.province_median", lang) + " " + format_percent(median, lang))
