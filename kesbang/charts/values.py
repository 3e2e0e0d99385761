"""Values-program charts: activities by theme and regency, activities over time, reach per 10,000
inhabitants, pre/post test scores, rubric levels, and the slow outcome indices on their own time axis.

Inputs are the frames of `kesbang.analysis.values` and `kesbang.analysis.indices`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kesbang import regions, schema
from kesbang.analysis.indices import index_name
from kesbang.analysis.values import theme_label
from kesbang.charts.common import empty, finish, t

# One colour per theme (Okabe-Ito, colour-blind safe), fixed by theme so a theme keeps its colour on
# every chart and page; the achievement palette stays reserved for grades.
_OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
THEME_COLORS = {theme: _OKABE_ITO[i % len(_OKABE_ITO)] for i, theme in enumerate(schema.THEMES)}
OTHER_COLOR = "#999999"
# Rubric levels 1..5: a single-hue ramp (light to dark) - an ordinal scale, not a grade colour.
RUBRIC_COLORS = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
INDEX_COLORS = {"IDI": "#0072B2", "KUB": "#009E73", "IKP": "#D55E00", "IAP": "#CC79A7"}


def _k(key: str, lang: str, **params) -> str:
    return t(f"program_nilai.{key}", lang, **params)


def _decimal(value: float, lang: str) -> str:
    """Two decimals as the index owners publish them, with the language's decimal mark."""
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "id" else text


def _themes_in(df: pd.DataFrame) -> list:
    known = [th for th in schema.THEMES if th in set(df["tema"])]
    return known + sorted(set(df["tema"].dropna()) - set(known))


def by_theme_region(df: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Stacked bars: activities per regency by theme (`values.activities_by(..., ["region", "tema"])`)."""
    if df.empty:
        return empty(title, lang)
    df = df.assign(nama=df["region"].map(regions.name_of))
    totals = df.groupby("nama")["kegiatan"].sum().sort_values()
    fig = go.Figure()
    for theme in _themes_in(df):
        part = df[df["tema"] == theme]
        label = theme_label(theme, lang)
        fig.add_bar(y=part["nama"], x=part["kegiatan"].astype(float), name=label, orientation="h",
                    marker_color=THEME_COLORS.get(theme, OTHER_COLOR),
                    customdata=part["peserta"].astype(float),
                    hovertemplate="%{y}<br>" + label + "<br>" + _k("activities", lang) + ": %{x:,.0f}<br>"
                                  + _k("participants", lang) + ": %{customdata:,.0f}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=list(totals.index))
    return finish(fig, title=title, x=_k("activities", lang), y=_k("region", lang), lang=lang,
                 height=max(360, 28 * len(totals) + 200))


def over_time(df: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Stacked bars per month by theme (`values.activities_by(..., ["bulan", "tema"])`)."""
    df = df[df["bulan"].notna()] if not df.empty else df
    if df.empty:
        return empty(title, lang)
    fig = go.Figure()
    for theme in _themes_in(df):
        part = df[df["tema"] == theme]
        label = theme_label(theme, lang)
        fig.add_bar(x=pd.to_datetime(part["bulan"]), y=part["kegiatan"].astype(float), name=label,
                    marker_color=THEME_COLORS.get(theme, OTHER_COLOR),
                    customdata=part["peserta"].astype(float),
                    hovertemplate="%{x|%m/%Y}<br>" + label + "<br>" + _k("activities", lang)
                                  + ": %{y:,.0f}<br>"
                                  + _k("participants", lang) + ": %{customdata:,.0f}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick="M1", tickformat="%m/%Y")
    return finish(fig, title=title, x=_k("month", lang), y=_k("activities", lang), lang=lang, height=480)


def reach(df: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Participants per 10,000 inhabitants per regency (`values.reach`), participants in the hover."""
    df = df[df["per_10rb"].notna()] if not df.empty else df
    if df.empty:
        return empty(title, lang)
    df = df.assign(nama=df["region"].map(regions.name_of)).sort_values("per_10rb")
    custom = df[["peserta", "penduduk", "kegiatan"]].astype(float).to_numpy()
    fig = go.Figure(go.Bar(
        y=df["nama"], x=df["per_10rb"].astype(float), orientation="h",
        marker_color=THEME_COLORS[schema.THEMES[0]],
        customdata=custom, name=_k("per10k", lang),
        hovertemplate="%{y}<br>" + _k("per10k", lang) + ": %{x:,.1f}<br>" + _k("participants", lang)
                      + ": %{customdata[0]:,.0f}<br>" + _k("population", lang) + ": %{customdata[1]:,.0f}<br>"
                      + _k("activities", lang) + ": %{customdata[2]:,.0f}<extra></extra>"))
    fig.update_layout(showlegend=False)
    return finish(fig, title=title, x=_k("per10k", lang), y=_k("region", lang), lang=lang,
                  height=max(300, 28 * len(df) + 140))


def pre_post(df: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Dumbbell per theme: mean pre- and post-test joined by a line (`values.test_gain(by=["tema"])`)."""
    if df.empty:
        return empty(title, lang)
    df = df.sort_values("gain")
    labels = [theme_label(th, lang) for th in df["tema"]]
    fig = go.Figure()
    for y, pre, post in zip(labels, df["pre"], df["post"]):
        fig.add_scatter(x=[pre, post], y=[y, y], mode="lines", line={"color": "#999", "width": 3},
                        showlegend=False, hoverinfo="skip")
    custom = df[["gain", "n"]].astype(float).to_numpy()
    for key, col, color in (("pre", "pre", "#bdbdbd"), ("post", "post", "#0072B2")):
        fig.add_scatter(x=df[col].astype(float), y=labels, mode="markers", name=_k(key, lang),
                        marker={"size": 13, "color": color}, customdata=custom,
                        hovertemplate="%{y}<br>" + _k(key, lang) + ": %{x:.1f}<br>" + _k("gain", lang)
                                      + ": %{customdata[0]:+.1f}<br>" + _k("n_activities", lang)
                                      + ": %{customdata[1]:,.0f}<extra></extra>")
    fig.update_xaxes(range=[0, 100])
    return finish(fig, title=title, x=_k("score", lang), y=_k("theme", lang), lang=lang,
                 height=max(280, 50 * len(df) + 160))


def rubric(dist: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Activities per rubric level 1–5 (`values.rubric_distribution`), the level's definition in the hover."""
    if dist.empty or dist["kegiatan"].sum() == 0:
        return empty(title, lang)
    share = dist["persen"].astype(float).fillna(0)
    fig = go.Figure(go.Bar(
        x=dist["nama"], y=dist["kegiatan"].astype(float), marker_color=RUBRIC_COLORS[:len(dist)],
        text=dist["kegiatan"].astype(int), textposition="outside",
        customdata=list(zip(dist["definisi"], share)),
        hovertemplate="%{x}<br>" + _k("rubric_count", lang) + ": %{y:,.0f} (%{customdata[1]:.0f}%)<br>"
                      "%{customdata[0]}<extra></extra>"))
    fig.update_layout(showlegend=False)
    return finish(fig, title=title, x=_k("rubric_level", lang), y=_k("rubric_count", lang), lang=lang)


def indices(table: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Outcome indices by the year they measure - their own time axis, never the activity years.

    One line per index and area; a negative-polarity index says "lower is better" in its legend entry;
    hover gives the publication year and source, and [check] marks figures seen only second-hand."""
    if table.empty:
        return empty(title, lang)
    fig = go.Figure()
    dashes = ["solid", "dot", "dash"]
    groups = table.sort_values("tahun").groupby(["indeks", "wilayah"], sort=True)
    for i, ((key, area), part) in enumerate(groups):
        area_name = _k("national", lang) if area == "00" else regions.province_name(area)
        name = f"{index_name(key, lang)} · {area_name}"
        if (part["polaritas"] == "negatif").any():
            name += f" ({_k('polarity_negatif', lang)})"
        checks = [_k("check_mark", lang) if c else "" for c in part["cek"]]
        custom = list(zip(part["terbit"].astype("Float64").fillna(-1).astype(int), part["sumber"], checks,
                          part["kategori"].fillna("")))
        fig.add_scatter(x=part["tahun"], y=part["nilai"].astype(float), mode="lines+markers+text", name=name,
                        text=[_decimal(v, lang) + (f" {c}" if c else "") for v, c in zip(part["nilai"], checks)],
                        textposition="top center", line={"color": INDEX_COLORS.get(key, OTHER_COLOR),
                                                        "dash": dashes[i % len(dashes)]},
                        marker={"size": 10}, customdata=custom,
                        hovertemplate=name + "<br>" + _k("index_year", lang) + ": %{x}<br>"
                                      + _k("index_value", lang)
                                      + ": %{y:.2f} %{customdata[2]} %{customdata[3]}<br>"
                                      + _k("published", lang) + ": %{customdata[0]}<br>"
                                      + _k("source", lang) + ": %{customdata[1]}<extra></extra>")
    years = sorted(table["tahun"].unique())
    fig.update_xaxes(tickmode="array", tickvals=years, range=[min(years) - 0.5, max(years) + 0.5])
    fig.update_yaxes(range=[0, 100])
    return finish(fig, title=title, x=_k("index_year", lang), y=_k("index_value", lang), lang=lang,
                 height=500)
