"""Values-program activity proxies: activities by theme, regency and time; reach (participants and per
10,000 inhabitants); pre/post test gain; rubric levels; narratives and evidence as plain records.

These are proxies for what "cannot be measured instantly": they describe what was done and what the
reviewers saw, never a score of the values themselves. Functions take `Dataset.nilai`.
"""

from __future__ import annotations

from urllib.parse import urlparse

import numpy as np
import pandas as pd

from kesbang import i18n, regions, schema

PER_INHABITANTS = 10_000


def theme_key(theme: object) -> str:
    """Catalogue key of a theme ('Belom Bahadat / kearifan lokal' -> 'belom_bahadat_kearifan_lokal')."""
    return "_".join(schema.normalise_label(theme).split()) or "lainnya"


def theme_label(theme: object, lang: str = "id") -> str:
    text = i18n.t(f"tema.{theme_key(theme)}", lang)
    return str(theme) if text.startswith("tema.") else text


def _empty(cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})


def _prepared(nilai: pd.DataFrame) -> pd.DataFrame:
    df = nilai.copy()
    df["peserta"] = pd.to_numeric(df["peserta"], errors="coerce")
    df["tanggal"] = pd.to_datetime(df["tanggal"], errors="coerce")
    df["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int64")
    df["bulan"] = df["tanggal"].dt.to_period("M").dt.to_timestamp()
    return df


def activities_by(nilai: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Activities (count) and participants (sum) grouped by any of: tema, region, year, bulan (month)."""
    cols = [*by, "kegiatan", "peserta"]
    if nilai is None or nilai.empty:
        return _empty(cols)
    df = _prepared(nilai)
    out = df.groupby(by, as_index=False, dropna=False).agg(
        kegiatan=("kegiatan", "size"), peserta=("peserta", lambda s: s.sum(min_count=1)))
    return out.sort_values(by).reset_index(drop=True)[cols]


REACH_COLUMNS = ["region", "year", "kegiatan", "peserta", "penduduk", "per_10rb"]


def reach(nilai: pd.DataFrame, registry: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per region-year: activities, participants, population (registry) and participants per 10,000
    inhabitants. Participants are head-counts per activity: one person at two sessions counts twice."""
    if nilai is None or nilai.empty:
        return _empty(REACH_COLUMNS)
    registry = regions.registry() if registry is None else registry
    out = activities_by(nilai, ["region", "year"])
    pop = registry.set_index("kemendagri")["population"]
    out["penduduk"] = pd.to_numeric(out["region"].map(pop), errors="coerce")
    ok = out["penduduk"].notna() & (out["penduduk"] > 0) & out["peserta"].notna()
    out["per_10rb"] = np.where(ok, out["peserta"] / out["penduduk"].where(ok) * PER_INHABITANTS, np.nan)
    return out[REACH_COLUMNS]


GAIN_COLUMNS = ["n", "pre", "post", "gain", "gain_pct"]


def test_gain(nilai: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Mean pre- and post-test score and the gain, over activities that report both (per group `by`).

    Scores are weighted by participants when given, so a 300-person seminar weighs more than a
    10-person workshop; `gain_pct` is the gain relative to the pre-test mean.
    """
    by = by or []
    cols = [*by, *GAIN_COLUMNS]
    if nilai is None or nilai.empty:
        return _empty(cols)
    df = _prepared(nilai)
    df["pre_test"] = pd.to_numeric(df["pre_test"], errors="coerce")
    df["post_test"] = pd.to_numeric(df["post_test"], errors="coerce")
    df = df[df["pre_test"].notna() & df["post_test"].notna()].copy()
    if df.empty:
        return _empty(cols)
    df["w"] = df["peserta"].where(df["peserta"] > 0, 1).fillna(1)
    df["wpre"] = df["pre_test"] * df["w"]
    df["wpost"] = df["post_test"] * df["w"]
    keys = by if by else (lambda _: 0)
    g = df.groupby(keys, dropna=False)
    out = pd.DataFrame({"n": g.size(), "pre": g["wpre"].sum() / g["w"].sum(),
                        "post": g["wpost"].sum() / g["w"].sum()})
    out["gain"] = out["post"] - out["pre"]
    out["gain_pct"] = np.where(out["pre"] > 0, out["gain"] / out["pre"].where(out["pre"] > 0) * 100, np.nan)
    out = out.reset_index(drop=not by)
    return out[cols]


def rubric_definitions(lang: str = "id") -> pd.DataFrame:
    """Levels 1–5 with their name and definition from the catalogue (table `rubrik`)."""
    return pd.DataFrame([{"level": lv, "nama": i18n.t(f"rubrik.level_{lv}", lang),
                          "definisi": i18n.t(f"rubrik.level_{lv}_def", lang)} for lv in schema.RUBRIC_LEVELS])


def rubric_distribution(nilai: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """Activities per rubric level 1–5 (every level listed, zero when unused) and the share of rated
    activities; activities without a level are counted in `tanpa_level` of the frame's attrs."""
    defs = rubric_definitions(lang)
    if nilai is None or nilai.empty:
        defs["kegiatan"] = 0
        defs["persen"] = np.nan
        defs.attrs["tanpa_level"] = 0
        return defs
    levels = pd.to_numeric(nilai["rubrik"], errors="coerce")
    counts = levels[levels.isin(schema.RUBRIC_LEVELS)].astype(int).value_counts()
    defs["kegiatan"] = defs["level"].map(counts).fillna(0).astype(int)
    rated = int(defs["kegiatan"].sum())
    defs["persen"] = defs["kegiatan"] / rated * 100 if rated else np.nan
    defs.attrs["tanpa_level"] = int(len(nilai) - rated)
    return defs


def safe_url(value: object) -> str | None:
    """The link when it is a plain http(s) URL with a host, else None (javascript:, data:, file: refused)."""
    text = str(value or "").strip()
    if not text or any(ch.isspace() for ch in text):
        return None
    parsed = urlparse(text)
    if parsed.scheme.lower() in {"http", "https"} and parsed.netloc:
        return text
    return None


STORY_COLUMNS = ["region", "nama_wilayah", "year", "tanggal", "tema", "kegiatan", "lokasi", "sasaran",
                 "peserta", "rubrik", "narasi", "data_dukung", "tautan"]


def stories(nilai: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """Activities that carry a narrative or evidence, newest first, as plain-text records for cards.

    `tautan` holds the evidence link only when it is safe to offer as a link (http/https); the raw text
    stays in `data_dukung` to be shown as text.
    """
    if nilai is None or nilai.empty:
        return _empty(STORY_COLUMNS)
    df = _prepared(nilai)
    has_text = df["narasi"].fillna("").astype(str).str.strip() != ""
    has_link = df["data_dukung"].fillna("").astype(str).str.strip() != ""
    df = df[has_text | has_link].copy()
    df["nama_wilayah"] = df["region"].map(regions.name_of)
    # object dtype keeps None (not NaN) for "no safe link", which pages test with `is None`
    df["tautan"] = pd.Series([safe_url(v) for v in df["data_dukung"]], index=df.index, dtype=object)
    df = df.sort_values(["tanggal", "region"], ascending=[False, True], na_position="last")
    if limit is not None:
        df = df.head(limit)
    return df.reset_index(drop=True)[STORY_COLUMNS]
