"""Side-by-side chart: per program, average achievement (coloured by its category, the one palette)
next to the values participants - two panels sharing the program axis, never one score."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kesbang.analysis import metrics
from kesbang.charts.common import category_color, category_label, empty, finish, left_subplot_titles, t
from kesbang.charts.values import THEME_COLORS
from kesbang.schema import THEMES


def program_label(code: str, lang: str) -> str:
    text = t(f"berdampingan.program_{code.replace('.', '_')}", lang)
    return code if text.startswith("berdampingan.") else text


def _thousands(value: float, lang: str) -> str:
    if pd.isna(value):
        return ""
    text = f"{value:,.0f}"
    return text.replace(",", ".") if lang == "id" else text


def summary(s: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Left: average achievement per program (%), bar coloured by category; right: values participants."""
    if s.empty or (s["n_indikator"].sum() == 0 and s["n_kegiatan"].sum() == 0):
        return empty(title, lang)
    s = s.iloc[::-1]  # first program on top
    labels = [program_label(p, lang) for p in s["program"]]
    cats = list(metrics.category(s["capaian_rata"]))
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=(t("berdampingan.produced", lang), t("berdampingan.cultivated", lang)))
    cat_names = [category_label(c, lang) if c else "—" for c in cats]
    fig.add_bar(y=labels, x=s["capaian_rata"].astype(float), orientation="h",
                marker_color=[category_color(c) for c in cats], name=t("berdampingan.achievement", lang),
                customdata=list(zip(s["n_indikator"], cat_names)), row=1, col=1,
                text=[f"{v:.0f}% · {c}" if pd.notna(v) else "" for v, c in zip(s["capaian_rata"], cat_names)],
                textposition="inside", insidetextanchor="start",
                hovertemplate="%{y}<br>" + t("berdampingan.achievement", lang) + ": %{x:.1f}%<br>"
                              + t("berdampingan.indicators", lang) + ": %{customdata[0]}<br>"
                              + "%{customdata[1]}<extra></extra>")
    fig.add_bar(y=labels, x=s["peserta"].astype(float), orientation="h", marker_color=THEME_COLORS[THEMES[0]],
                name=t("berdampingan.participants", lang), customdata=s["n_kegiatan"], row=1, col=2,
                text=[_thousands(v, lang) for v in s["peserta"]], textposition="auto",
                hovertemplate="%{y}<br>" + t("berdampingan.participants", lang) + ": %{x:,.0f}<br>"
                              + t("berdampingan.activities", lang) + ": %{customdata}<extra></extra>")
    fig.update_layout(showlegend=False)
    left_subplot_titles(fig)
    fig.update_xaxes(title_text=t("berdampingan.percent", lang), row=1, col=1)
    # tick labels with the thousands mark (plotly's default prints 2000 and 4000 bare)
    fig.update_xaxes(title_text=t("program_nilai.participants", lang), tickformat=",.0f", row=1, col=2)
    return finish(fig, title=title, x=t("berdampingan.percent", lang), y=t("berdampingan.program", lang),
                  lang=lang, height=max(340, 70 * len(s) + 140))
