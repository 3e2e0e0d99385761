"""Per-regency summaries of the metrics frame that the dashboard pages show (pure pandas, no Streamlit).

Input is always a frame from `kesbang.analysis.metrics.compute` (one row per indicator of the latest version
of each region-year). Summaries say how they aggregate:

- a regency's average achievement is the plain mean of its computable indicators' capaian (an
  indicator whose capaian cannot be computed is counted apart, never as zero);
- budget is read at the most detailed level that carries a pagu in that regency (sub-kegiatan, else
  kegiatan, else program), so a program row repeating its sub-kegiatan's money is not counted twice;
- comparisons across regencies go through `metrics.comparable` (same indicator code and unit).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kesbang import regions
from kesbang.analysis import metrics

CATEGORY_ORDER = [*metrics.CATEGORIES, "none"]  # "none" = cannot be computed
LEVEL_DETAIL = ["subkegiatan", "kegiatan", "program"]  # most detailed first
AWAITING_REVIEW = ("submitted", "resubmitted")


def _names(codes: pd.Series) -> pd.Series:
    reg = regions.registry().set_index("kemendagri")["name"]
    return codes.map(reg).fillna(codes)


def budget_rows(m: pd.DataFrame) -> pd.DataFrame:
    """The rows that carry each region-year's money, at the most detailed level that has a pagu."""
    if m.empty or "pagu" not in m:
        return m.iloc[0:0]
    with_pagu = m[pd.to_numeric(m["pagu"], errors="coerce") > 0]
    # in one pass (a loop over region-years cost a tenth of a page rerun): rank each row's level, most
    # detailed 0 (a level outside LEVEL_DETAIL ranks last, so a region-year with none keeps all its rows)
    # and keep each region-year's best rank; rows come out grouped by region-year in order of appearance
    group = with_pagu.groupby(["region", "year"], sort=False).ngroup()  # -1: region or year missing
    rank = with_pagu["level"].map({level: i for i, level in enumerate(LEVEL_DETAIL)}).fillna(len(LEVEL_DETAIL))
    best = rank.groupby(group).transform("min")
    keep = (group.to_numpy() >= 0) & (rank == best).to_numpy()
    order = np.argsort(group.to_numpy()[keep], kind="stable")
    return with_pagu[keep].iloc[order]


def absorption(m: pd.DataFrame) -> tuple[float, float, float]:
    """(pagu, anggaran realised to date, serapan %) over the frame's budget rows; NaN % without pagu."""
    rows = budget_rows(m)
    pagu = float(pd.to_numeric(rows.get("pagu"), errors="coerce").sum()) if not rows.empty else 0.0
    spent = float(pd.to_numeric(rows.get("anggaran"), errors="coerce").sum()) if not rows.empty else 0.0
    return pagu, spent, (spent / pagu * 100.0) if pagu > 0 else float("nan")


def region_scores(m: pd.DataFrame, scale=metrics.DEFAULT_SCALE) -> pd.DataFrame:
    """One row per region-year: name, indicators, computable, capaian_rata, kategori, pagu, anggaran, serapan.

    Sorted best first. `kategori` applies the category scale to the average.
    """
    cols = [
        "region",
        "name",
        "year",
        "n_indikator",
        "n_dihitung",
        "capaian_rata",
        "kategori",
        "pagu",
        "anggaran",
        "serapan",
    ]
    if m.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    g = m.groupby(["region", "year"], sort=True)
    out = g.agg(
        n_indikator=("kode_indikator", "size"),
        n_dihitung=("capaian", "count"),
        capaian_rata=("capaian", "mean"),
    ).reset_index()
    money = budget_rows(m)
    if not money.empty:
        b = money.groupby(["region", "year"]).agg(pagu=("pagu", "sum"), anggaran=("anggaran", "sum")).reset_index()
        out = out.merge(b, on=["region", "year"], how="left")
    else:
        out["pagu"], out["anggaran"] = np.nan, np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        out["serapan"] = np.where(out["pagu"] > 0, out["anggaran"] / out["pagu"] * 100.0, np.nan)
    out["kategori"] = metrics.category(out["capaian_rata"], scale).to_numpy()
    out["name"] = _names(out["region"])
    return out.sort_values(["capaian_rata", "name"], ascending=[False, True], na_position="last")[cols].reset_index(
        drop=True
    )


def category_counts(m: pd.DataFrame) -> pd.DataFrame:
    """Indicators per category (ST … SR, then `none` = not computable), all six rows always present."""
    cats = m["kategori"].astype(object).where(m["kategori"].notna(), "none") if not m.empty else pd.Series([])
    counts = cats.value_counts()
    return pd.DataFrame({"kategori": CATEGORY_ORDER, "jumlah": [int(counts.get(c, 0)) for c in CATEGORY_ORDER]})


def reporting(submissions: pd.DataFrame, province: str, year: int) -> dict:
    """Regencies expected (registry) vs reporting in the province-year, and submissions awaiting review."""
    expected = regions.regions_in(province)
    subs = submissions[(submissions["province"] == province) & (submissions["year"] == year)]
    reporting_codes = set(subs["region"]) & set(expected["kemendagri"])
    missing = expected[~expected["kemendagri"].isin(reporting_codes)]
    return {
        "expected": len(expected),
        "reporting": len(reporting_codes),
        "missing": list(missing["name"]),
        "awaiting_review": int(subs["status"].isin(AWAITING_REVIEW).sum()),
    }


def change_since(m_now: pd.DataFrame, m_before: pd.DataFrame) -> pd.DataFrame:
    """Per region: average capaian now and one quarter earlier, the change, and indicators that moved
    up or down a category. Regions are matched on code; a region new this quarter has no `sebelum`."""
    cols = ["region", "name", "sekarang", "sebelum", "perubahan", "naik", "turun"]
    if m_now.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    now = m_now.groupby("region")["capaian"].mean().rename("sekarang")
    before = (
        m_before.groupby("region")["capaian"].mean().rename("sebelum")
        if not m_before.empty
        else pd.Series(dtype=float, name="sebelum")
    )
    out = pd.concat([now, before], axis=1).reindex(now.index)
    out["perubahan"] = out["sekarang"] - out["sebelum"]
    rank = {c: i for i, c in enumerate(metrics.CATEGORIES)}  # 0 = best
    key = ["region", "kode_indikator"]
    pair = m_now[[*key, "kategori"]].merge(
        m_before[[*key, "kategori"]] if not m_before.empty else pd.DataFrame(columns=[*key, "kategori"]),
        on=key,
        how="left",
        suffixes=("", "_sebelum"),
    )
    r_now = pair["kategori"].map(rank)
    r_before = pair["kategori_sebelum"].map(rank)
    pair["naik"] = (r_now < r_before).astype(int)
    pair["turun"] = (r_now > r_before).astype(int)
    moved = pair.groupby("region")[["naik", "turun"]].sum()
    out = out.join(moved).reset_index(names="region")
    out["name"] = _names(out["region"])
    return out.sort_values("perubahan", ascending=False, na_position="last")[cols].reset_index(drop=True)


def program_matrix(m: pd.DataFrame) -> pd.DataFrame:
    """Regency x program mean capaian (rows: region names, columns: program codes); NaN = none."""
    if m.empty:
        return pd.DataFrame()
    work = m.assign(name=_names(m["region"]))
    return (
        work.pivot_table(index="name", columns="kode_program", values="capaian", aggfunc="mean")
        .sort_index()
        .sort_index(axis=1)
    )


def unreported_names(m: pd.DataFrame, province: str) -> list[str]:
    """Names of the province's regencies with no row in the metrics frame (no report for the year)."""
    reported = set(m["region"]) if not m.empty else set()
    listed = regions.regions_in(province)
    return [name for code, name in zip(listed["kemendagri"], listed["name"]) if code not in reported]


def _most_common(m: pd.DataFrame, column: str) -> pd.Series:
    """Per indicator code, the most frequent non-blank value of `column` as text; a tie goes to the
    smallest value (as `Series.mode().iat[0]`). Counted in one groupby, not one `mode` per code."""
    pairs = m[["kode_indikator", column]].dropna()
    counts = pairs.groupby(["kode_indikator", column], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values(["kode_indikator", "n", column], ascending=[True, False, True], kind="stable")
    first = counts.drop_duplicates("kode_indikator")
    return pd.Series([str(v) for v in first[column]], index=first["kode_indikator"].to_numpy(), dtype=object)


def indicator_choices(m: pd.DataFrame) -> pd.DataFrame:
    """Indicators in the frame, most widely reported first: code, name, unit, n_regions, and `sebaran`
    (standard deviation of capaian across regions: where regencies differ most, a comparison says most)."""
    cols = ["kode_indikator", "indikator", "satuan", "n_regions", "sebaran"]
    if m.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})

    g = (
        m.groupby("kode_indikator")
        .agg(n_regions=("region", "nunique"), sebaran=("capaian", "std"))
        .reset_index()
    )
    g["indikator"] = g["kode_indikator"].map(_most_common(m, "indikator")).fillna("")
    g["satuan"] = g["kode_indikator"].map(_most_common(m, "satuan")).fillna("")
    return g.sort_values(["n_regions", "kode_indikator"], ascending=[False, True])[cols].reset_index(drop=True)


def most_telling(choices: pd.DataFrame) -> int:
    """Row index of the widely reported indicator whose achievement differs most between regions (0 if none)."""
    if choices.empty:
        return 0
    wide = choices[choices["n_regions"] == choices["n_regions"].max()]
    spread = pd.to_numeric(wide["sebaran"], errors="coerce")
    return int(spread.idxmax()) if spread.notna().any() else 0


def comparison(m: pd.DataFrame, kode_indikator: str) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Like-for-like rows of one indicator with region names, the rows left out (with the reason), and the
    province median of capaian over the comparable rows."""
    keep, excluded = metrics.comparable(m, kode_indikator)
    keep = keep.assign(name=_names(keep["region"])) if not keep.empty else keep.assign(name=pd.Series(dtype=object))
    if not excluded.empty:
        excluded = excluded.assign(name=_names(excluded["region"]))
    median = float(keep["capaian"].median()) if not keep.empty else float("nan")
    return keep, excluded, median


def cost_per_output(m: pd.DataFrame, kode_indikator: str) -> pd.DataFrame:
    """Budget realised per unit of output for one comparable output indicator, by region (cheapest first)."""
    keep, _ = metrics.comparable(m, kode_indikator, require_capaian=False)
    keep = keep[keep["biaya_per_unit"].notna()] if not keep.empty else keep
    cols = ["region", "name", "satuan", "anggaran", "realisasi", "biaya_per_unit"]
    if keep.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    keep = keep.assign(name=_names(keep["region"]))
    return keep.sort_values("biaya_per_unit")[cols].reset_index(drop=True)


def costed_outputs(m: pd.DataFrame) -> pd.DataFrame:
    """Output indicators that can be costed (`biaya_per_unit` known somewhere), most money spent first:
    kode_indikator, indikator, satuan, n_regions, anggaran."""
    cols = ["kode_indikator", "indikator", "satuan", "n_regions", "anggaran"]
    rows = m[m["biaya_per_unit"].notna()] if not m.empty else m
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    g = rows.groupby("kode_indikator").agg(
        indikator=("indikator", "first"),
        satuan=("satuan", "first"),
        n_regions=("region", "nunique"),
        anggaran=("anggaran", "sum"),
    )
    return (
        g.reset_index()
        .sort_values(["anggaran", "kode_indikator"], ascending=[False, True])[cols]
        .reset_index(drop=True)
    )


def province_median_by_indicator(m: pd.DataFrame) -> pd.DataFrame:
    """Province median capaian per indicator code over its comparable rows (same code and unit).

    The same rows as `metrics.comparable` keeps for each code (its most common unit, ties alphabetical;
    capaian computable), computed for all codes in one pass: calling `comparable` once per code was
    most of the profile page's rerun (see BENCHMARKS.md).
    """
    columns = ["kode_indikator", "satuan_banding", "median_provinsi", "n_wilayah"]
    valid = m[m["kode_indikator"].notna()]
    if valid.empty:
        return pd.DataFrame(columns=columns)
    code = valid["kode_indikator"].astype(str).str.strip()
    unit = metrics.unit_key(valid["satuan"] if "satuan" in valid else pd.Series("", index=valid.index))
    counts = pd.DataFrame({"code": code, "unit": unit}).value_counts().rename("n").reset_index()
    main = (counts.sort_values(["code", "n", "unit"], ascending=[True, False, True])
            .drop_duplicates("code").set_index("code")["unit"])
    kept = valid[(unit == code.map(main)) & valid["capaian"].notna()]
    if kept.empty:
        return pd.DataFrame(columns=columns)
    by_code = kept.groupby(code[kept.index], sort=False)
    out = pd.DataFrame({
        "satuan_banding": by_code["satuan"].first(),
        "median_provinsi": by_code["capaian"].median().astype(float),
        "n_wilayah": by_code["region"].nunique(),
    })
    first_raw = valid.groupby(code, sort=False)["kode_indikator"].first()  # as written, first appearance
    order = [c for c in first_raw.index if c in out.index]
    out = out.loc[order]
    out.insert(0, "kode_indikator", first_raw[order].to_numpy())
    return out.reset_index(drop=True)[columns]


def quarterly(indicators: pd.DataFrame, rules: metrics.Rules | None = None) -> pd.DataFrame:
    """Realisation and achievement to date at each quarter a submission reports (s.d. TW I … its period).

    `indicators` are dataset rows (one indicator, any regions); returns region, name, year, quarter,
    realisasi, capaian, kategori.
    """
    from kesbang import schema

    cols = ["region", "name", "year", "quarter", "realisasi", "capaian", "kategori"]
    if indicators.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    reported = indicators["period"].map(schema.PERIOD_QUARTERS).fillna(4).astype(int).to_numpy()
    parts = []
    for q in metrics.QUARTERS:
        rows = indicators[reported >= q]
        if rows.empty:
            continue
        parts.append(metrics.compute(rows, q, rules).assign(quarter=q))
    out = pd.concat(parts, ignore_index=True)
    out["name"] = _names(out["region"])
    return out[cols].sort_values(["region", "year", "quarter"]).reset_index(drop=True)


def per_program(m: pd.DataFrame, scale=metrics.DEFAULT_SCALE) -> pd.DataFrame:
    """One region's programs: mean achievement of their indicators beside their budget absorption."""
    cols = [
        "kode_program",
        "nama_program",
        "n_indikator",
        "capaian_rata",
        "kategori",
        "pagu",
        "anggaran",
        "serapan",
    ]
    if m.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out = (
        m.groupby("kode_program")
        .agg(
            nama_program=("nama_program", "first"),
            n_indikator=("kode_indikator", "size"),
            capaian_rata=("capaian", "mean"),
        )
        .reset_index()
    )
    money = budget_rows(m)
    b = (
        money.groupby("kode_program").agg(pagu=("pagu", "sum"), anggaran=("anggaran", "sum"))
        if not money.empty
        else pd.DataFrame(columns=["pagu", "anggaran"])
    )
    out = out.merge(b, left_on="kode_program", right_index=True, how="left")
    pagu = pd.to_numeric(out["pagu"], errors="coerce")
    out["serapan"] = (pd.to_numeric(out["anggaran"], errors="coerce") / pagu * 100.0).where(pagu > 0)
    out["kategori"] = metrics.category(out["capaian_rata"], scale).to_numpy()
    return out[cols].sort_values("kode_program").reset_index(drop=True)


def comparison_over_years(m_all: pd.DataFrame, kode_indikator: str) -> pd.DataFrame:
    """Like-for-like rows of one indicator in every year (each year compared within itself), with names."""
    parts = [comparison(m_all[m_all["year"] == y], kode_indikator)[0] for y in sorted(m_all["year"].unique())]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return m_all.iloc[0:0].assign(name=pd.Series(dtype=object))
    return pd.concat(parts, ignore_index=True)
