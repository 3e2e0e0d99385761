"""Paskibraka funnel metrics: stage counts, conversion and drop-off, putra/putri balance, stage timeline,
cost per selected member, funnels normalised for comparing regencies, and year over year.

All functions take `Dataset.paskibraka` (one row per region-year-stage, `tahap` = stage key) and, for
cost, `Dataset.indicators`; they return plain DataFrames so pages and tests read the same numbers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kesbang import schema

STAGE_ORDER = {s.key: n for n, s in enumerate(schema.STAGES)}
# The first stage counting people: normalised funnels are shares of it.
ENTRY_STAGE = "pendaftar"
# The stage that defines "selected" (appointed by the regent's decree): cost per selected member uses it.
SELECTED_STAGE = "ditetapkan"
# Stages where the putra/putri balance matters: who applied, was picked, went up, and was inaugurated.
BALANCE_STAGES = ["pendaftar", "ditetapkan", "dikirim_provinsi", "dikukuhkan"]
# Side branches, not steps of the regency funnel: the fixed quota (usually 2 putra + 2 putri) sent up to
# the provincial selection. Charts draw them after the main line.
SIDE_STAGES = ["dikirim_provinsi"]
# Stages followed year over year.
TREND_STAGES = ["pendaftar", "ditetapkan", "dikirim_provinsi", "dikukuhkan"]

FUNNEL_COLUMNS = ["year", "tahap", "stage_order", "putra", "putri", "jumlah", "parent", "parent_jumlah",
                  "konversi", "gugur", "gugur_pct", "n_wilayah"]


def stage_label(key: str, lang: str = "id") -> str:
    stage = schema.STAGE_BY_KEY.get(key)
    if stage is None:
        return str(key)
    return stage.label_en if lang == "en" else stage.label


def stage_counts(pas: pd.DataFrame) -> pd.DataFrame:
    """One row per region-year-stage with `putra`, `putri` and `jumlah` as numbers.

    `jumlah` is the written total when given, otherwise putra + putri (a stage such as "schools reached"
    has only a total). Unknown stage keys are dropped: they cannot be placed in the funnel.
    """
    cols = ["region", "province", "year", "tahap", "stage_order", "putra", "putri", "jumlah"]
    if pas is None or pas.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    df = pas[pas["tahap"].isin(STAGE_ORDER)].copy()
    for c in ("putra", "putri", "jumlah"):
        df[c] = pd.to_numeric(df[c], errors="coerce")
    both = df["putra"].notna() | df["putri"].notna()
    summed = df["putra"].fillna(0) + df["putri"].fillna(0)
    df["jumlah"] = df["jumlah"].where(df["jumlah"].notna(), summed.where(both))
    df["stage_order"] = df["tahap"].map(STAGE_ORDER)
    df["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int64")
    # a stage written twice in one workbook counts once (the loader flags the duplicate)
    df = df.groupby(["region", "province", "year", "tahap", "stage_order"], as_index=False, dropna=False)[
        ["putra", "putri", "jumlah"]].max(min_count=1)
    return df.sort_values(["region", "year", "stage_order"]).reset_index(drop=True)[cols]


def _reported_parents(counts: pd.DataFrame) -> pd.Series:
    """The nearest ancestor stage (following `schema.Stage.parent`) that the same region-year reported.

    Workbooks often skip a selection step; the step after it then converts from the last one written.
    """
    reported = counts[counts["jumlah"].notna()].groupby(["region", "year"])["tahap"].agg(set).to_dict()
    out = []
    for region, year, tahap in zip(counts["region"], counts["year"], counts["tahap"]):
        have = reported.get((region, year), set())
        parent = schema.STAGE_BY_KEY[tahap].parent
        while parent is not None and parent not in have:
            parent = schema.STAGE_BY_KEY[parent].parent
        out.append(parent)
    return pd.Series(out, index=counts.index, dtype=object)


def funnel(pas: pd.DataFrame, by_region: bool = False) -> pd.DataFrame:
    """Funnel per year (and per region when `by_region`): count at each stage, conversion from its parent
    stage (`schema.Stage.parent`) in percent, and the drop-off (`gugur`, people lost since the parent).

    Summing regencies for a province view, conversion only uses region-years that reported both the
    stage and its parent, so a regency that skipped a row does not pass for a 0 % conversion.
    """
    counts = stage_counts(pas)
    keys = ["year", "region"] if by_region else ["year"]
    out_cols = FUNNEL_COLUMNS[:1] + (["region"] if by_region else []) + FUNNEL_COLUMNS[1:]
    if counts.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in out_cols})
    counts["parent"] = _reported_parents(counts)
    parents = counts[["region", "year", "tahap", "jumlah"]].rename(
        columns={"tahap": "parent", "jumlah": "parent_jumlah"})
    merged = counts.merge(parents, on=["region", "year", "parent"], how="left")
    paired = merged["jumlah"].notna() & merged["parent_jumlah"].notna()
    merged["pair_jumlah"] = merged["jumlah"].where(paired)
    merged["pair_parent"] = merged["parent_jumlah"].where(paired)
    # per region the parent is that region's own; a province row names the parent most regions used
    group = [*keys, "tahap", "stage_order", *(["parent"] if by_region else [])]
    # built-in sums (min_count=1: a stage nobody reported stays blank, not 0), not a lambda per group
    g = merged.groupby(group, dropna=False)
    agg = g[["putra", "putri", "jumlah", "pair_jumlah", "pair_parent"]].sum(min_count=1)
    agg["n_wilayah"] = g["region"].nunique()
    agg = agg.rename(columns={"pair_parent": "parent_jumlah"}).reset_index()
    if not by_region:
        parent_of = merged.dropna(subset=["parent"]).groupby("tahap")["parent"].agg(lambda s: s.mode().iat[0])
        agg["parent"] = agg["tahap"].map(parent_of)
    valid = agg["parent_jumlah"].notna() & (agg["parent_jumlah"] > 0)
    agg["konversi"] = np.where(valid, agg["pair_jumlah"] / agg["parent_jumlah"].where(valid) * 100, np.nan)
    agg["gugur"] = np.where(valid, agg["parent_jumlah"] - agg["pair_jumlah"], np.nan)
    agg["gugur_pct"] = 100 - agg["konversi"]
    agg = agg.sort_values([*keys, "stage_order"]).reset_index(drop=True)
    return agg[out_cols]


def gender_balance(pas: pd.DataFrame, stages: list[str] | None = None, *,
                   funnel_rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Putra/putri per year and stage (province sum), with the share of putri and a balance flag.

    Balanced means the two differ by at most one person or by at most 10 % of the stage total: the rules
    ask for equal teams, and an odd total cannot split evenly. `funnel_rows`: `funnel(pas)`, when the
    caller has it already (the Paskibraka page draws both; computing it twice was a tenth of a rerun).
    """
    stages = stages or BALANCE_STAGES
    f = funnel(pas) if funnel_rows is None else funnel_rows
    cols = ["year", "tahap", "stage_order", "putra", "putri", "jumlah", "putri_pct", "seimbang"]
    if f.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    f = f[f["tahap"].isin(stages) & (f["putra"].notna() | f["putri"].notna())].copy()
    total = f["putra"].fillna(0) + f["putri"].fillna(0)
    f["putri_pct"] = np.where(total > 0, f["putri"].fillna(0) / total.where(total > 0) * 100, np.nan)
    diff = (f["putra"].fillna(0) - f["putri"].fillna(0)).abs()
    f["seimbang"] = (diff <= 1) | (diff <= 0.1 * total)
    return f.reset_index(drop=True)[cols]


def _as_date(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    return None if pd.isna(ts) else ts.date()


TIMELINE_COLUMNS = ["region", "year", "tahap", "stage_order", "rencana_mulai", "rencana_selesai",
                    "realisasi_mulai", "realisasi_selesai", "terlambat_hari", "status"]


def timeline(pas: pd.DataFrame, today: dt.date | None = None) -> pd.DataFrame:
    """Planned vs actual dates per stage, with days late and a status key.

    status: `tepat` (done on or before the planned end), `terlambat` (done after it, or still open past
    it), `berjalan` (started, planned end not yet reached), `belum` (not started, not yet due),
    `tanpa_jadwal` (no planned dates to judge against).
    """
    today = today or dt.date.today()
    if pas is None or pas.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TIMELINE_COLUMNS})
    df = pas[pas["tahap"].isin(STAGE_ORDER)].copy()
    df["stage_order"] = df["tahap"].map(STAGE_ORDER)
    rows = []
    for rec in df.to_dict("records"):
        rm, rs = _as_date(rec.get("rencana_mulai")), _as_date(rec.get("rencana_selesai"))
        am, as_ = _as_date(rec.get("realisasi_mulai")), _as_date(rec.get("realisasi_selesai"))
        planned_end = rs or rm
        late = None
        if planned_end is None:
            status = "tanpa_jadwal"
        elif as_ is not None:
            late = (as_ - planned_end).days
            status = "terlambat" if late > 0 else "tepat"
        elif planned_end < today:
            late = (today - planned_end).days
            status = "terlambat"
        elif am is not None:
            status = "berjalan"
        else:
            status = "belum"
        rows.append({"region": rec["region"], "year": rec["year"], "tahap": rec["tahap"],
                     "stage_order": rec["stage_order"], "rencana_mulai": rm, "rencana_selesai": rs,
                     "realisasi_mulai": am, "realisasi_selesai": as_,
                     "terlambat_hari": max(late, 0) if late is not None else None, "status": status})
    out = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    return out.sort_values(["region", "year", "stage_order"]).reset_index(drop=True)


def normalise_subkegiatan(code: object) -> str:
    """'8.01.02.2.01.08' (old two-digit form) and '8.01.02.2.01.0008' compare equal."""
    parts = str(code or "").strip().split(".")
    if len(parts) == 6 and parts[-1].isdigit():
        parts[-1] = parts[-1].zfill(4)
    return ".".join(parts)


COST_COLUMNS = ["region", "year", "pagu", "realisasi_anggaran", "terpilih", "biaya_per_anggota",
                "pagu_per_anggota"]


def cost_per_member(indicators: pd.DataFrame, pas: pd.DataFrame,
                    subkegiatan: list[str] | None = None) -> pd.DataFrame:
    """Budget of the Paskibraka sub-kegiatan per region-year divided by the members selected.

    A sub-kegiatan's budget is written on each of its indicator rows, so it is taken once per
    sub-kegiatan (the largest value written), then summed over the Paskibraka sub-kegiatan.
    `biaya_per_anggota` uses money spent (TW I–IV); `pagu_per_anggota` the budget ceiling.
    """
    codes = {normalise_subkegiatan(c) for c in (subkegiatan or schema.PASKIBRAKA_SUBKEGIATAN)}
    empty_out = pd.DataFrame({c: pd.Series(dtype=object) for c in COST_COLUMNS})
    if indicators is None or indicators.empty:
        return empty_out
    ind = indicators[indicators["kode_subkegiatan"].map(normalise_subkegiatan).isin(codes)].copy()
    if ind.empty:
        return empty_out
    ind["kode_norm"] = ind["kode_subkegiatan"].map(normalise_subkegiatan)
    spend_cols = [f"anggaran_tw{i}" for i in range(1, 5)]
    for c in ["pagu", *spend_cols]:
        ind[c] = pd.to_numeric(ind[c], errors="coerce")
    ind["realisasi_anggaran"] = ind[spend_cols].sum(axis=1, min_count=1)
    per_sub = ind.groupby(["region", "year", "kode_norm"], as_index=False).agg(
        pagu=("pagu", "max"), realisasi_anggaran=("realisasi_anggaran", "max"))
    budget = per_sub.groupby(["region", "year"])[["pagu", "realisasi_anggaran"]].sum(min_count=1).reset_index()
    counts = stage_counts(pas)
    selected = counts[counts["tahap"] == SELECTED_STAGE][["region", "year", "jumlah"]].rename(
        columns={"jumlah": "terpilih"})
    budget["year"] = pd.to_numeric(budget["year"], errors="coerce").astype("Int64")
    out = budget.merge(selected, on=["region", "year"], how="left")
    has = out["terpilih"].notna() & (out["terpilih"] > 0)
    out["biaya_per_anggota"] = np.where(has, out["realisasi_anggaran"] / out["terpilih"].where(has), np.nan)
    out["pagu_per_anggota"] = np.where(has, out["pagu"] / out["terpilih"].where(has), np.nan)
    return out.sort_values(["year", "region"]).reset_index(drop=True)[COST_COLUMNS]


def normalised_funnels(pas: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Each regency's funnel as a share of its own registrants, so a small and a large regency compare.

    Rows: region, year, tahap, stage_order, jumlah, pct_pendaftar (NaN where the regency has no
    registrant count). "Schools reached" is not a count of people and is left out.
    """
    counts = stage_counts(pas)
    cols = ["region", "year", "tahap", "stage_order", "jumlah", "pct_pendaftar"]
    if counts.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    if year is not None:
        counts = counts[counts["year"] == year]
    counts = counts[counts["tahap"] != "sekolah"]
    entry = counts[counts["tahap"] == ENTRY_STAGE][["region", "year", "jumlah"]].rename(
        columns={"jumlah": "entry"})
    out = counts.merge(entry, on=["region", "year"], how="left")
    ok = out["entry"].notna() & (out["entry"] > 0)
    out["pct_pendaftar"] = np.where(ok, out["jumlah"] / out["entry"].where(ok) * 100, np.nan)
    return out.sort_values(["region", "year", "stage_order"]).reset_index(drop=True)[cols]


def year_over_year(pas: pd.DataFrame, stages: list[str] | None = None) -> pd.DataFrame:
    """Totals per year for the main stages (province sum over the regencies given), with the change
    against the previous reported year in percent."""
    stages = stages or TREND_STAGES
    f = funnel(pas)
    cols = ["year", "tahap", "stage_order", "jumlah", "n_wilayah", "perubahan_pct"]
    if f.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    f = f[f["tahap"].isin(stages)].sort_values(["tahap", "year"]).copy()
    prev = f.groupby("tahap")["jumlah"].shift(1)
    ok = prev.notna() & (prev > 0)
    f["perubahan_pct"] = np.where(ok, (f["jumlah"] - prev) / prev.where(ok) * 100, np.nan)
    return f.sort_values(["year", "stage_order"]).reset_index(drop=True)[cols]
