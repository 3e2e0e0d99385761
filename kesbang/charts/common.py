"""Shared layout and hover helpers for the chart builders: titles, axis labels, locale separators, palette.

Numbers in hover text use plotly's d3 formats; `layout.separators` switches decimal comma / thousands dot
for Indonesian, so "85,3" reads right in both languages without formatting in Python.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from kesbang import i18n
from kesbang.analysis import metrics
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


# Chart widths run from a phone (about 340 px) to a wide desktop column; plotly does not wrap text, so
# titles and long category labels are wrapped here at what fits the narrowest (about 7 px per character).
TITLE_CHARS = 44
LABEL_CHARS = 22
ONE_LINE_CHARS = 30  # a label in a row too low for two lines
DEFAULT_HEIGHT = 450  # plotly's
TITLE_LINE_PX = 22
LEGEND_ROW_PX = 20
TICK_LINE_PX = 15
TITLE_PAD_PX = 22  # between the title and the plot (a median's note sits there)
SUBTITLE_LINE_PX = 26  # a subplot title's extra line (16 px text), in that gap
PHONE_PLOT_CHARS = 30  # characters across a whole plot area on a phone


def wrap(text: str, width: int, max_lines: int | None = None) -> str:
    """`text` (already made safe) broken at spaces into lines of at most `width` characters joined by
    `<br>`; a word longer than `width` keeps its own line. With `max_lines`, what is left over ends in "…"
    (hover text keeps the whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return "<br>".join(lines)


def wrap_labels(labels, width: int = LABEL_CHARS, max_lines: int = 3) -> list[str]:
    """Category tick labels (indicator, programme and stage names) wrapped so the plot keeps its width."""
    return [wrap(str(label), width, max_lines) for label in labels]


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
    """Title, axis titles (with units), locale separators, a quiet white template, and a layout that
    reads on a phone as on a desktop: the title wrapped and pushing the plot down, the legend in rows
    under the plot (a legend on the right would take half a phone's width). Returns the finished figure,
    a new one (see `_rebuilt`): use the return value."""
    text = wrap(title, TITLE_CHARS)
    base = height or DEFAULT_HEIGHT
    layout = {
        # on the plot's top edge (what plotly's automargin sets for a paper-anchored title), pushing the
        # top margin: a wrapped title grows upwards into room made for it (anchored to the figure's top,
        # plotly drew its first line above the figure). Only what differs from plotly's defaults is set:
        # every layout entry costs validation time on each chart of each rerun.
        "title": {"text": text, "x": 0, "yref": "paper", "automargin": True,
                  "pad": {"b": TITLE_PAD_PX + SUBTITLE_LINE_PX * _subtitle_lines(fig)}},
        "xaxis": {"title": {"text": x}},
        "yaxis": {"title": {"text": y}},
        "colorway": palette.SERIES_COLORS,
        "separators": SEPARATORS.get(lang, SEPARATORS["id"]),
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "hoverlabel": {"namelength": -1},
        # container-anchored at the bottom: plotly grows the bottom margin to hold it, whatever its rows
        "legend": {"orientation": "h", "xref": "container", "x": 0, "yref": "container", "y": 0,
                   "yanchor": "bottom", "title": {"text": legend or "", "side": "top"}},
    }
    for axis, ticks in _category_ticks(fig, base).items():
        layout[axis] = {**layout.get(axis, {}), **ticks}
    # the title's extra lines and the legend's rows take their room from the figure, not from the plot
    extra = TITLE_LINE_PX * text.count("<br>") + _legend_px(fig, bool(legend))
    if height or extra:
        layout["height"] = base + extra
    return _rebuilt(fig, layout)


def _rebuilt(fig: go.Figure, layout: dict) -> go.Figure:
    """`fig` with `layout` merged into its layout, built anew: a new figure validates its layout once, while
    `update_layout` on a built one goes through plotly's relayout bookkeeping, five to ten times slower
    (a tenth of a chart page's rerun). The default template is applied by the constructor, unvalidated."""
    merged = fig.layout.to_plotly_json()
    merged.pop("template", None)
    if pio.templates.default != TEMPLATE:  # someone changed the default since import: set it the slow way
        merged["template"] = TEMPLATE
    return go.Figure(data=fig.data, layout=_merge(merged, layout))


def _merge(base: dict, changes: dict) -> dict:
    """`changes` merged into `base` key by key, nested dicts merged too (as `update_layout` does)."""
    out = dict(base)
    for key, value in changes.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _subtitle_lines(fig: go.Figure) -> int:
    """Extra lines of the subplot titles over the plot (they grow upwards, towards the chart's title)."""
    over = [a.text or "" for a in fig.layout.annotations if a.yref == "paper" and (a.y or 0) >= 1]
    return max((text.count("<br>") for text in over), default=0)


def _legend_px(fig: go.Figure, titled: bool) -> int:
    """Room for the legend under the plot: its entries two to a row (a phone's width), plus its title."""
    if fig.layout.showlegend is False:
        return 0
    shown = [tr for tr in fig.data if getattr(tr, "showlegend", False) is not False and tr.name]  # (a sankey has none)
    entries = {tr.legendgroup or tr.name for tr in shown}
    if len(entries) < 2 and not any(tr.showlegend for tr in shown):
        return 0  # plotly draws no legend for a single unnamed series
    return LEGEND_ROW_PX * (math.ceil(len(entries) / 2) + titled) + 10


def _category_ticks(fig: go.Figure, height: int) -> dict[str, dict]:
    """Long names on a category y axis (indicators, programmes, stages) shown wrapped: the tick text
    changes, the categories, their order and the hover text do not. As many lines as a row has room for;
    a row too low for two gets one shortened line. Layout entries by axis ("yaxis", "yaxis2")."""
    by_axis: dict[str, dict[str, None]] = {}
    for trace in fig.data:
        values = getattr(trace, "y", None)
        if values is None or not len(values) or not isinstance(values[0], str):
            continue
        names = (v for v in values if isinstance(v, str))
        by_axis.setdefault(getattr(trace, "yaxis", None) or "y", {}).update(dict.fromkeys(names))
    out = {}
    for axis, labels in by_axis.items():
        if max(map(len, labels)) <= LABEL_CHARS:
            continue
        row_px = (height - 140) / len(labels)
        lines = min(3, int(row_px // TICK_LINE_PX))
        ticks = list(labels)
        text = wrap_labels(ticks, LABEL_CHARS, lines) if lines >= 2 else [wrap(v, ONE_LINE_CHARS, 1) for v in ticks]
        out[axis.replace("y", "yaxis", 1)] = {"tickmode": "array", "tickvals": ticks, "ticktext": text}
    return out


def left_subplot_titles(fig: go.Figure) -> None:
    """Subplot titles (make_subplots) start at their subplot's left edge, wrapped to what the subplot
    holds on a phone: centred over a narrow right-hand subplot, a title ran past the chart's edge."""
    domains = {round(sum(ax.domain) / 2, 6): ax.domain for ax in (fig.layout[k] for k in fig.layout
                                                                    if k.startswith("xaxis"))}
    for ann in fig.layout.annotations:
        domain = domains.get(round(ann.x, 6)) if ann.xref == "paper" and ann.x is not None else None
        if domain is not None:
            chars = max(10, int((domain[1] - domain[0]) * PHONE_PLOT_CHARS))
            ann.update(x=domain[0], xanchor="left", align="left", text=wrap(ann.text, chars))


def median_line(fig: go.Figure, x: float, text: str, color: str = "#444", x_max: float | None = None) -> None:
    """A dashed vertical line at `x`, labelled above the plot. The label ends at the line when the line is
    in the right part of the plot and starts at it in the left: centred on a line near the edge, it ran
    past the chart ("Median provins"). `x_max` is the axis' end when fixed, else the largest x drawn."""
    top = x_max if x_max is not None else _largest_x(fig)
    share = x / top if top and top > 0 else 0.5
    anchor = "right" if share > 0.65 else "left" if share < 0.35 else "center"
    vline(fig, x, color=color, dash="dash")
    fig.add_annotation(x=x, xref="x", y=1, yref="y domain", yanchor="bottom", xanchor=anchor, text=text,
                       showarrow=False)


def vline(fig: go.Figure, x: float, *, color: str = "#888", dash: str | None = None, subplot: int = 1) -> None:
    """A vertical line across the plot (or the `subplot`-th of a row of subplots) at `x`: the shape
    `add_vline` draws, without its axis-spanning machinery (about 5 ms a line, most of a chart's build)."""
    n = "" if subplot == 1 else str(subplot)
    line = {"color": color} if dash is None else {"color": color, "dash": dash}
    fig.add_shape(type="line", x0=x, x1=x, xref=f"x{n}", y0=0, y1=1, yref=f"y{n} domain", line=line)


def _largest_x(fig: go.Figure) -> float | None:
    drawn = [tr.x for tr in fig.data if getattr(tr, "x", None) is not None]
    values = [v for v in (pd.to_numeric(pd.Series(x), errors="coerce").max() for x in drawn) if pd.notna(v)]
    return float(max(values)) if values else None


def add_category_swatches(fig: go.Figure, codes, lang: str, prefix: str = "") -> None:
    """One legend entry per achievement category in `codes` (in that order), for a chart whose marks carry
    the colour but not a legend of their own (a heatmap, bars of mixed colours): an empty square-marker
    scatter holds only the swatch."""
    for code in codes:
        fig.add_scatter(x=[None], y=[None], mode="markers", hoverinfo="skip",
                        marker={"symbol": "square", "size": 12, "color": category_color(code)},
                        name=prefix + category_label(code, lang))


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
