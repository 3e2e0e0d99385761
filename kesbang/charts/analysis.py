"""Charts of the three analyses: RPJMD alignment (Sankey, coverage matrix), measurability (league table,
pass rate per check) and inspiration (what peers run, who does what where).

Inputs are the frames of `kesbang.analysis.alignment`, `kesbang.analysis.measurability` and
`kesbang.analysis.inspiration`.
Names typed by operators (indicators, activities, objectives) are HTML-escaped before they reach
plotly, whose labels understand a few tags (<a>, <b>, <br>): user text is shown, never interpreted.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kesbang.charts.common import empty, finish, median_line, t
from kesbang.charts.palette import SEVERITY_COLORS
from kesbang.formatting import format_number

STAGE_COLORS = {"sasaran": "#313695", "program": "#4575b4", "indikator": "#74add1", "wilayah": "#4d9221",
                "gap": "#bdbdbd"}
GAP_LINK = "rgba(215, 48, 39, 0.35)"     # a provincial indicator nobody feeds: the flow to notice
LINK = "rgba(116, 173, 209, 0.35)"
KIND_COLORS = {"program": "#313695", "subkegiatan": "#4575b4", "tema": "#4d9221", "kegiatan_nilai": "#a6d96a"}
BAR = "#4575b4"
GAP_CELL = "#f4cccc"


def plain(value: object, limit: int | None = None) -> str:
    """User text safe for a plotly label: escaped, and shortened with an ellipsis when asked."""
    s = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    if limit and len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    return html.escape(s, quote=False)


def _height(n: int, per: int = 26, base: int = 160, least: int = 320) -> int:
    return max(least, base + per * n)


# --- alignment -----------------------------------------------------------------------------------------

def alignment_sankey(flows: pd.DataFrame, lang: str) -> go.Figure:
    """Sasaran -> program -> provincial indicator -> regency (`alignment.sankey` flows)."""
    title = t("keselarasan.sankey_title", lang)
    if flows.empty:
        return empty(title, lang)
    nodes: dict[tuple[str, str], int] = {}
    labels, full, colors = [], [], []
    for stage_col, key_col, label_col in (("source_stage", "source_key", "source_label"),
                                          ("target_stage", "target_key", "target_label")):
        for stage, key, label in zip(flows[stage_col], flows[key_col], flows[label_col]):
            if (stage, key) not in nodes:
                nodes[(stage, key)] = len(labels)
                # indicator labels are long and sit between two columns of nodes: short on screen,
                # whole in the hover
                labels.append(plain(label, 34 if stage == "indikator" else 44))
                full.append(plain(label))
                colors.append(STAGE_COLORS.get(stage, "#999999"))
    src = [nodes[k] for k in zip(flows["source_stage"], flows["source_key"])]
    dst = [nodes[k] for k in zip(flows["target_stage"], flows["target_key"])]
    link_colors = [GAP_LINK if s == "gap" else LINK for s in flows["target_stage"]]
    value_label = t("keselarasan.sankey_value", lang)
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "color": colors, "customdata": full, "pad": 12, "thickness": 14,
              "hovertemplate": "%{customdata}<br>" + value_label + ": %{value}<extra></extra>"},
        link={"source": src, "target": dst, "value": flows["value"].astype(float).tolist(),
              "color": link_colors,
              "hovertemplate": "%{source.customdata} → %{target.customdata}<br>" + value_label
              + ": %{value}<extra></extra>"},
    ))
    n_right = flows.loc[flows["target_stage"].isin(["wilayah", "gap"]), "target_key"].nunique()
    n_mid = flows.loc[flows["target_stage"] == "indikator", "target_key"].nunique()
    return finish(fig, title=title, x="", y="", lang=lang, height=_height(max(n_right, n_mid), 24, 200, 460))


def coverage_heatmap(matrix: pd.DataFrame, plan: pd.DataFrame, region_names: dict[str, str],
                     lang: str) -> go.Figure:
    """Provincial indicators x regencies; a cell counts the regency indicators feeding it, 0 = gap."""
    title = t("keselarasan.coverage_title", lang)
    if matrix.empty or matrix.shape[1] == 0:
        return empty(title, lang)
    names = {str(k): str(v) for k, v in zip(plan["kode_rpjmd"], plan["indikator"])} if not plan.empty else {}
    y = [f"{plain(code)} · {plain(names.get(code, ''), 40)}" for code in matrix.index]
    y_full = [f"{plain(code)} · {plain(names.get(code, ''))}" for code in matrix.index]
    x = [plain(region_names.get(c, c)) for c in matrix.columns]
    z = matrix.to_numpy(dtype=float)
    top = max(float(z.max()), 1.0)
    # zero is its own colour (a gap, pale red); any contribution is a shade of blue
    cut = 0.5 / top
    colorscale = [[0.0, GAP_CELL], [cut, GAP_CELL], [cut, "#c6dbef"], [1.0, "#08519c"]]
    custom = np.tile(np.array(y_full, dtype=object)[:, None], (1, len(x)))
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=y, zmin=0, zmax=top, colorscale=colorscale, xgap=2, ygap=2, customdata=custom,
        text=z.astype(int).astype(str), texttemplate="%{text}",
        showscale=False,  # each cell says its number
        hovertemplate="%{customdata}<br>%{x}<br>" + t("keselarasan.coverage_value", lang)
        + ": %{z}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-40)
    return finish(fig, title=title, x=t("keselarasan.coverage_x", lang), y=t("keselarasan.coverage_y", lang),
                  lang=lang, height=_height(len(y), 30, 220, 360))


# --- measurability -------------------------------------------------------------------------------------

def league_bar(league: pd.DataFrame, lang: str) -> go.Figure:
    """Regencies ranked by measurability score (% of applicable checks passed), province median line."""
    title = t("keterukuran.league_title", lang)
    if league.empty:
        return empty(title, lang)
    rows = league.sort_values(["score", "region"], ascending=[True, False])
    custom = np.column_stack([rows["passed"], rows["checks"], rows["errors"], rows["warnings"]])
    fig = go.Figure(go.Bar(
        x=rows["score"], y=[plain(n) for n in rows["region_name"]], orientation="h", marker_color=BAR,
        texttemplate="%{x:.1f}", textposition="auto", customdata=custom,
        hovertemplate="%{y}<br>" + t("keterukuran.league_x", lang) + ": %{x:.1f}<br>"
        + t("keterukuran.col.passed", lang) + ": %{customdata[0]} / %{customdata[1]}<br>"
        + t("keterukuran.errors", lang) + ": %{customdata[2]}<br>"
        + t("keterukuran.warnings", lang) + ": %{customdata[3]}<extra></extra>",
    ))
    median = float(rows["score"].median())
    median_line(fig, median, f"{t('keterukuran.league_median', lang)}: {format_number(median, lang, 1)}",
                color="#d73027", x_max=105)
    fig.update_xaxes(range=[0, 105])
    return finish(fig, title=title, x=t("keterukuran.league_x", lang), y="", lang=lang,
                  height=_height(len(rows), 24, 160, 320))


def check_pass_bar(summary: pd.DataFrame, lang: str) -> go.Figure:
    """Pass rate per check (%), coloured by severity, with failed/applicable on hover."""
    title = t("keterukuran.checks_title", lang)
    if summary.empty:
        return empty(title, lang)
    fig = go.Figure()
    for severity, part in summary.groupby("severity", sort=False):
        fig.add_trace(go.Bar(
            x=part["pass_rate"], y=[t(f"keterukuran.check.{c}", lang) for c in part["check"]],
            orientation="h",
            name=t(f"keterukuran.severity.{severity}", lang), marker_color=SEVERITY_COLORS.get(severity, BAR),
            customdata=np.column_stack([part["failed"], part["applicable"]]),
            hovertemplate="%{y}<br>" + t("keterukuran.checks_x", lang) + ": %{x:.1f}<br>"
            + t("keterukuran.col.failed", lang) + ": %{customdata[0]} / %{customdata[1]}<extra></extra>",
        ))
    order = [t(f"keterukuran.check.{c}", lang) for c in summary["check"]]
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    fig.update_xaxes(range=[0, 105])
    return finish(fig, title=title, x=t("keterukuran.checks_x", lang), y="", lang=lang,
                  legend=t("keterukuran.col.severity", lang), height=_height(len(summary), 30, 200, 340))


# --- inspiration ---------------------------------------------------------------------------------------

def inspiration_bar(missing: pd.DataFrame, region_name: str, lang: str, measure: str = "capaian",
                    top: int = 15) -> go.Figure:
    """The best-ranked items a regency lacks: the best peer's achievement (or reach), peer on the bar."""
    title = t("inspirasi.chart_title", lang, region=plain(region_name))
    rows = missing.dropna(subset=[measure]).head(top) if not missing.empty else missing
    if rows.empty:
        return empty(title, lang)
    rows = rows.iloc[::-1]
    axis = t("inspirasi.chart_x" if measure == "capaian" else "inspirasi.chart_reach_x", lang)
    fig = go.Figure()
    for kind, part in rows.groupby("kind", sort=False):
        fig.add_trace(go.Bar(
            x=part[measure], y=[plain(n, 60) for n in part["name"]], orientation="h",
            name=t(f"inspirasi.kind.{kind}", lang), marker_color=KIND_COLORS.get(kind, BAR),
            text=[plain(n) for n in part["contact_name"]], textposition="auto",
            customdata=np.column_stack([[plain(n) for n in part["name"]],
                                        [plain(n) for n in part["contact_name"]], part["n_peers"]]),
            hovertemplate="%{customdata[0]}<br>" + t("inspirasi.col.contact_name", lang)
            + ": %{customdata[1]}<br>" + axis + ": %{x:,.1f}<br>" + t("inspirasi.col.n_peers", lang)
            + ": %{customdata[2]}<extra></extra>",
        ))
    order = [plain(n, 60) for n in rows["name"]]
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    return finish(fig, title=title, x=axis, y="", lang=lang, legend=t("inspirasi.choose_kind", lang),
                  height=_height(len(rows), 30, 160, 240))


def who_does_what_heatmap(matrix: pd.DataFrame, lang: str, highlight: str | None = None) -> go.Figure:
    """Items x regencies: a filled cell = the regency reports it (the number of rows), blank = it does not."""
    title = t("inspirasi.matrix_title", lang)
    if matrix.empty:
        return empty(title, lang)
    z = matrix.to_numpy(dtype=float)
    shown = np.where(z > 0, z, np.nan)  # not run = no colour at all, so the gaps read as white
    # and no number either: a blank cell's text was its NaN, which plotly.js printed as "NaN"
    text = [[f"{v:.0f}" if v > 0 else "" for v in row] for row in z.tolist()]
    y = [plain(i, 55) for i in matrix.index]
    y_full = [plain(i) for i in matrix.index]
    x = [plain(c) for c in matrix.columns]
    if highlight is not None:
        x = [f"<b>{c}</b>" if raw == highlight else c for c, raw in zip(x, matrix.columns)]
    custom = np.tile(np.array(y_full, dtype=object)[:, None], (1, len(x)))
    fig = go.Figure(go.Heatmap(
        z=shown, x=x, y=y, colorscale=[[0, "#c6dbef"], [1, "#08519c"]], xgap=1, ygap=1, customdata=custom,
        zmin=0, showscale=False, text=text, texttemplate="%{text}",  # each cell says its number
        hovertemplate="%{customdata}<br>%{x}<br>" + t("inspirasi.matrix_value", lang)
        + ": %{z}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-40)
    return finish(fig, title=title, x=t("inspirasi.matrix_x", lang), y=t("inspirasi.matrix_y", lang),
                  lang=lang, height=_height(len(y), 30, 240, 360))
