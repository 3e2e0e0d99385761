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
from kesbang.charts.common import category_color, category_label, empty, finish, t
from kesbang.regional import CATEGORY_ORDER

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
    positions = _label_positions(points)
    for cat, mask in groups:
        part = points[mask]
        if part.empty:
            continue
        if cat == "missing":
            name, color = t("ringkasan.map.no_report", lang), "#bdbdbd"
        else:
            code = None if cat == "none" else cat
            name, color = category_label(code, lang), category_color(code)
        size = 12 + 26 * np.sqrt(part["population"].astype(float) / pop_max)
        fig.add_scatter(
            x=part["lon"],
            y=part["lat"],
            mode="markers+text",
            name=name,
            text=part["name"],
            textposition=list(positions[mask]),
            textfont={"size": 11},
            marker={"size": size, "color": color, "opacity": 0.9, "line": {"color": "#555", "width": 0.5}},
            customdata=np.column_stack([part["capaian_rata"], part["population"]]),
            hovertemplate="<b>%{text}</b><br>"
            + t("ui.chart.avg_capaian", lang)
            + ": %{customdata[0]:.1f}%<br>"
            + t("ui.chart.population", lang)
            + ": %{customdata[1]:,.0f}<extra>%{fullData.name}</extra>",
        )
    pad = 0.35
    # wider sideways: a long name centred on an edge pin ("Barito Timur") was cut off at the plot's edge
    fig.update_xaxes(
        range=[points["lon"].min() - 2 * pad, points["lon"].max() + 2 * pad], showgrid=True, zeroline=False,
        ticksuffix="°",
    )
    fig.update_yaxes(
        range=[points["lat"].min() - pad, points["lat"].max() + pad],
        scaleanchor="x",
        scaleratio=1,
        showgrid=True,
        zeroline=False,
        ticksuffix="°",
    )
    return _finish_map(fig, title, lang)


# How near (degrees) another pin must be to sit where a name would be printed: a name ~1° wide, ~0.35° tall
# at the map's usual scale, plus the pins' own size.
ABOVE_BELOW = (0.8, 0.9)   # (lat, lon) box above or below a pin
BESIDE = (0.4, 1.3)        # (lat, lon) box to the right or left


def _label_positions(points: pd.DataFrame) -> pd.Series:
    """Each pin's name above it, else below, right or left: the first side no close neighbour occupies
    (names printed on top of one another were unreadable where regency capitals cluster)."""
    lat, lon = points["lat"].to_numpy(float), points["lon"].to_numpy(float)
    out = []
    for i in range(len(points)):
        dlat, dlon = np.delete(lat - lat[i], i), np.delete(lon - lon[i], i)
        vertical = np.abs(dlon) < ABOVE_BELOW[1]
        beside = np.abs(dlat) < BESIDE[0]
        free = {
            "top center": not ((dlat > 0) & (dlat < ABOVE_BELOW[0]) & vertical).any(),
            "bottom center": not ((dlat < 0) & (dlat > -ABOVE_BELOW[0]) & vertical).any(),
            "middle right": not ((dlon > 0) & (dlon < BESIDE[1]) & beside).any(),
            "middle left": not ((dlon < 0) & (dlon > -BESIDE[1]) & beside).any(),
        }
        out.append(next((side for side, ok in free.items() if ok), "top center"))
    return pd.Series(out, index=points.index)


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
