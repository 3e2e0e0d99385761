"""Regency maps that need no internet: pins from the registry's coordinates on plain lon/lat axes, and
a boundary choropleth (`choropleth_map`, map_style "white-bg") only when an admin supplies a GeoJSON file.

Never `px.choropleth` / geo maps: they download a base map from a CDN and fail offline. Any map style
other than "white-bg" fetches tiles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from kesbang import regions
from kesbang.analysis.regional import CATEGORY_ORDER
from kesbang.charts.common import category_color, category_label, empty, finish, t

MAP_STYLE = "white-bg"


def with_coordinates(scores: pd.DataFrame, province: str) -> pd.DataFrame:
    """Every registered regency of the province with lat/lon/population, joined to its scores (if any)."""
    reg = regions.regions_in(province)[["kemendagri", "name", "lat", "lon", "population"]]
    reg = reg.rename(columns={"kemendagri": "region"})
    cols = [c for c in ("region", "capaian_rata", "kategori", "n_indikator") if c in scores]
    return reg.merge(scores[cols] if cols else pd.DataFrame(columns=["region"]), on="region", how="left")


def _zoom(lat: pd.Series, lon: pd.Series) -> float:
    span = max(float(lat.max() - lat.min()), float(lon.max() - lon.min()), 0.5)
    return float(np.clip(np.log2(360.0 / span) - 1.3, 3, 9))


def region_pins(points: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """Pins at each regency capital's coordinates, sized by population, coloured by average-achievement
    category (grey = no report), labelled with the regency's name.

    Drawn on plain longitude/latitude axes at equal scale rather than a web map: nothing is fetched, not
    even the fonts a web map needs for its labels, so names show on an offline intranet too.
    """
    title = title or t("ringkasan.chart.map", lang)
    points = points.dropna(subset=["lat", "lon"])
    if points.empty:
        return empty(title, lang)
    pop_max = float(points["population"].max() or 1)
    fig = go.Figure()
    cats = points["kategori"].astype(object).where(points["kategori"].notna(), None)
    reported = points["capaian_rata"].notna()
    groups = [(c, (cats == c) & reported) for c in CATEGORY_ORDER[:-1]]
    groups += [("none", cats.isna() & reported), ("missing", ~reported)]
    pin_px = pd.Series(_pin_px(points["population"], pop_max), index=points.index)
    positions, (x_range, y_range) = _label_layout(points, pin_px.to_numpy())
    for cat, mask in groups:
        part = points[mask]
        if part.empty:
            continue
        if cat == "missing":
            name, color = t("ringkasan.map.no_report", lang), "#bdbdbd"
        else:
            code = None if cat == "none" else cat
            name, color = category_label(code, lang), category_color(code)
        size = pin_px[mask]
        fig.add_scatter(
            x=part["lon"],
            y=part["lat"],
            mode="markers",
            name=name,
            text=part["name"],
            marker={"size": size, "color": color, "opacity": 0.9, "line": {"color": "#555", "width": 0.5}},
            customdata=np.column_stack([part["capaian_rata"], part["population"]]),
            hovertemplate="<b>%{text}</b><br>"
            + t("ui.chart.avg_capaian", lang)
            + ": %{customdata[0]:.1f}%<br>"
            + t("ui.chart.population", lang)
            + ": %{customdata[1]:,.0f}<extra>%{fullData.name}</extra>",
        )
    # the names as one last layer, so no pin is ever drawn over a name (invisible pins of the same size
    # keep each name clear of its own pin)
    fig.add_scatter(x=points["lon"], y=points["lat"], mode="markers+text", text=points["name"],
                    textposition=list(positions), textfont={"size": 11}, hoverinfo="skip", showlegend=False,
                    marker={"size": pin_px, "opacity": 0}, name="")
    fig.update_xaxes(range=x_range, showgrid=True, zeroline=False, ticksuffix="°")
    fig.update_yaxes(range=y_range, scaleanchor="x", scaleratio=1, showgrid=True, zeroline=False, ticksuffix="°")
    return _finish_map(fig, title, lang)


# The pin map's plot area at its narrowest usual size (a phone held upright: wider screens give the
# names more room than they need), and a name's average character width and line height at its 11 px
# font: pixels, turned into degrees at the map's own scale, so names are placed as the viewer will see them.
PLOT_PX = (280, 400)  # width, height
CHAR_PX, LINE_PX = 6.2, 14
PAD_DEG = 0.15
# where a name may go, in order of preference: (plotly textposition, box offset from the pin in units of
# the name's own width and height, pin radius added the same way)
SIDES = [("top center", (-0.5, 0.0), (0, 1)), ("bottom center", (-0.5, -1.0), (0, -1)),
         ("middle right", (0.0, -0.5), (1, 0)), ("middle left", (-1.0, -0.5), (-1, 0)),
         ("top right", (0.0, 0.0), (0.7, 0.7)), ("top left", (-1.0, 0.0), (-0.7, 0.7)),
         ("bottom right", (0.0, -1.0), (0.7, -0.7)), ("bottom left", (-1.0, -1.0), (-0.7, -0.7))]


def _overlap(a: tuple, b: tuple) -> float:
    """Area shared by two boxes (x0, y0, x1, y1)."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _pin_px(population: pd.Series, pop_max: float) -> np.ndarray:
    """A pin's diameter in pixels, by the regency's population."""
    return 12 + 26 * np.sqrt(population.astype(float).to_numpy() / pop_max)


def _place_names(lat: np.ndarray, lon: np.ndarray, pin_px: np.ndarray, names: list[str],
                 deg_per_px: float) -> tuple[list[str], list[tuple]]:
    """Each pin's name on the side where it covers the least of the other pins and names (first the first
    free side in order of preference, then each name moved to its least covered side until none moves):
    names printed on top of one another were unreadable where regency capitals cluster. Returns the sides
    and the names' boxes, in degrees."""
    radius, h = pin_px / 2 * deg_per_px, LINE_PX * deg_per_px
    pins = [(x - r, y - r, x + r, y + r) for x, y, r in zip(lon, lat, radius)]
    options = []  # per pin: the box of its name on each side
    for x, y, r, name in zip(lon, lat, radius, names):
        w = len(name) * CHAR_PX * deg_per_px
        options.append([(x + fx * w + rx * r, y + fy * h + ry * r, x + fx * w + rx * r + w, y + fy * h + ry * r + h)
                        for _side, (fx, fy), (rx, ry) in SIDES])

    def covered(i: int, box: tuple, chosen: list[int | None]) -> float:
        return (sum(_overlap(box, p) for j, p in enumerate(pins) if j != i)
                + sum(_overlap(box, options[j][k]) for j, k in enumerate(chosen) if j != i and k is not None))

    chosen: list[int | None] = [None] * len(names)
    for _ in range(6):
        moved = False
        for i in range(len(names)):
            costs = [covered(i, box, chosen) for box in options[i]]
            best = next((k for k, c in enumerate(costs) if c == 0), int(np.argmin(costs)))
            if chosen[i] is None or costs[best] < costs[chosen[i]]:
                moved = moved or chosen[i] is not None
                chosen[i] = best
        if not moved:
            break
    return [SIDES[k][0] for k in chosen], [options[i][k] for i, k in enumerate(chosen)]


def _label_layout(points: pd.DataFrame, pin_px: np.ndarray) -> tuple[pd.Series, tuple[list[float], list[float]]]:
    """Where each pin's name goes, and axis ranges that hold every pin and every name (a name printed
    beside a pin at the map's edge was cut off: "Barito Uta")."""
    lat, lon = points["lat"].to_numpy(float), points["lon"].to_numpy(float)
    names = [str(n) for n in points["name"]]
    x_range = [lon.min() - PAD_DEG, lon.max() + PAD_DEG]
    y_range = [lat.min() - PAD_DEG, lat.max() + PAD_DEG]
    for _ in range(5):  # the ranges set the scale, the names' boxes set the ranges: settle in a few rounds
        deg_per_px = max((x_range[1] - x_range[0]) / PLOT_PX[0], (y_range[1] - y_range[0]) / PLOT_PX[1])
        sides, boxes = _place_names(lat, lon, pin_px, names, deg_per_px)
        r = pin_px / 2 * deg_per_px
        x_range = [min(min(b[0] for b in boxes), (lon - r).min()) - PAD_DEG,
                   max(max(b[2] for b in boxes), (lon + r).max()) + PAD_DEG]
        y_range = [min(min(b[1] for b in boxes), (lat - r).min()) - PAD_DEG,
                   max(max(b[3] for b in boxes), (lat + r).max()) + PAD_DEG]
    return pd.Series(sides, index=points.index), ([float(v) for v in x_range], [float(v) for v in y_range])


def region_choropleth(
    points: pd.DataFrame, geojson: dict, lang: str, title: str | None = None, feature_key: str | None = None
) -> go.Figure:
    """Boundaries from an admin-supplied GeoJSON (`load_geojson`), coloured by category, offline
    (map_style white-bg). `feature_key` defaults to the code property `load_geojson` adds."""
    feature_key = feature_key or FEATURE_KEY
    title = title or t("ringkasan.chart.choropleth", lang)
    data = points.copy()
    data["kategori_label"] = [
        category_label(None if pd.isna(c) else c, lang) if pd.notna(r) else t("ringkasan.map.no_report", lang)
        for c, r in zip(data["kategori"], data["capaian_rata"])
    ]
    color_map = {
        category_label(None if c == "none" else c, lang): category_color(None if c == "none" else c)
        for c in CATEGORY_ORDER
    }
    color_map[t("ringkasan.map.no_report", lang)] = "#bdbdbd"
    fig = px.choropleth_map(
        data,
        geojson=geojson,
        locations="region",
        featureidkey=feature_key,
        color="kategori_label",
        color_discrete_map=color_map,
        hover_name="name",
        hover_data={"region": False, "capaian_rata": ":.1f", "kategori_label": False},
        labels={
            "capaian_rata": t("ui.chart.avg_capaian_pct", lang),
            "kategori_label": t("ui.chart.category", lang),
        },
        map_style=MAP_STYLE,
        center={"lat": float(data["lat"].mean()), "lon": float(data["lon"].mean())},
        zoom=_zoom(data["lat"], data["lon"]),
        opacity=0.8,
    )
    return _finish_map(fig, title, lang)


FEATURE_KEY = "properties.kesbang_kode"


def load_geojson(path: str) -> dict | None:
    """The admin's boundary file with each feature's Kemendagri code added as `kesbang_kode`, or None
    when unset, unreadable or carrying no recognisable region codes (the pin map is shown instead).

    The code may sit in any property, written `62.02`, `6202` or as a BPS code: the first property
    whose values normalise to known regions is used.
    """
    import json
    from pathlib import Path

    if not path:
        return None
    try:
        with open(Path(path), encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return None
    features = [f for f in data.get("features", []) if isinstance(f, dict)]
    props = [f.get("properties") or {} for f in features]
    for key in props[0].keys() if props else []:
        codes = [regions.normalise_code(p.get(key)) or regions.code_from_name(p.get(key)) for p in props]
        if sum(c is not None for c in codes) >= max(1, len(props) // 2):
            for feature, code in zip(features, codes):
                feature.setdefault("properties", {})["kesbang_kode"] = code
            return data
    return None


def _finish_map(fig: go.Figure, title: str, lang: str) -> go.Figure:
    """The frame both maps share (the scatter fallback and the choropleth): height, axes, legend."""
    fig.update_layout(height=520)
    return finish(
        fig,
        title=title,
        x=t("ui.chart.longitude", lang),
        y=t("ui.chart.latitude", lang),
        lang=lang,
        legend=t("ui.chart.category", lang),
    )
