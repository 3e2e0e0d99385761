"""Indicator metrics: quarterly roll-up, achievement (capaian) by polarity, categories, budget figures.

Pure, vectorised pandas/numpy (no per-row Python) so a national frame (514 regencies x 5 years x 60
indicators) computes in well under a second. Rules follow DOMAIN.md "Achievement rules":

- positive polarity: capaian = R / T x 100
- negative polarity: LKjIP (default) (2T - R) / T x 100 floored at 0, or the ratio rule T / R x 100
  (setting `negative_rule = "ratio"`; undefined at R = 0, reported with a reason)
- range targets [lo, hi]: R inside the range = 100; above `hi` -> the polarity formula against `hi`;
  below `lo` -> the polarity formula against `lo`. So for a positive indicator going past the upper
  bound is over-achievement (> 100) and falling short of the lower bound is under-achievement
  (< 100); for a negative indicator it is the other way round. The bound used is in `target_acuan`.
- missing, non-numeric or zero target: not computable, with a reason id (never inf, never a bare NaN)

Quarterly roll-up (SIPD monitoring practice): `kumulatif` = sum of the reported quarters; `stok`,
`persentase` and every negative-polarity indicator = the last reported quarter. "Reported" means up
to `upto_quarter` and never past the submission's own reporting period.

Every result carries `rumus` (a formula message id) and, when not computable, `alasan` (a reason
message id); both are translated from the `[metrics]` table of the catalogues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kesbang import schema, settings

CATEGORIES = ["ST", "T", "S", "R", "SR"]
DEFAULT_SCALE = (91.0, 76.0, 66.0, 51.0)  # lower bounds of ST, T, S, R; SR below the last
NEGATIVE_RULES = ("lkjip", "ratio")
QUARTERS = (1, 2, 3, 4)
REALISASI_TW = [f"realisasi_tw{q}" for q in QUARTERS]
ANGGARAN_TW = [f"anggaran_tw{q}" for q in QUARTERS]

# formula ids (catalogue keys)
F_POSITIVE = "metrics.formula.positive"
F_NEGATIVE_LKJIP = "metrics.formula.negative_lkjip"
F_NEGATIVE_RATIO = "metrics.formula.negative_ratio"
F_RANGE = "metrics.formula.range"
F_RANGE_UPPER = "metrics.formula.range_upper"
F_RANGE_LOWER = "metrics.formula.range_lower"
FORMULAS = [F_POSITIVE, F_NEGATIVE_LKJIP, F_NEGATIVE_RATIO, F_RANGE, F_RANGE_UPPER, F_RANGE_LOWER]

# reason ids (catalogue keys)
R_NO_TARGET = "metrics.reason.no_target"
R_NON_NUMERIC_TARGET = "metrics.reason.non_numeric_target"
R_ZERO_TARGET = "metrics.reason.zero_target"
R_NO_REALISASI = "metrics.reason.no_realisasi"
R_ZERO_REALISASI_RATIO = "metrics.reason.zero_realisasi_ratio"
R_NOT_FINITE = "metrics.reason.not_finite"  # e.g. a target of 1e-320: the ratio overflows
REASONS = [R_NO_TARGET, R_NON_NUMERIC_TARGET, R_ZERO_TARGET, R_NO_REALISASI, R_ZERO_REALISASI_RATIO,
           R_NOT_FINITE]

# why a row was left out of a like-for-like comparison (catalogue keys)
X_DIFFERENT_UNIT = "metrics.exclude.different_unit"
X_NOT_COMPUTABLE = "metrics.exclude.not_computable"

# province aggregation methods (catalogue keys)
A_SUM = "metrics.aggregate.sum"
A_WEIGHTED_MEAN = "metrics.aggregate.population_weighted_mean"
A_MEDIAN = "metrics.aggregate.median"

LAST_VALUE_ROLLUPS = ("stok", "persentase")
# units of rates and scores: averaged, never summed, across regencies (compared after `unit_key`)
RATE_UNITS = ("persen", "indeks", "angka", "nilai", "skor", "rasio")


@dataclass(frozen=True)
class Rules:
    """How achievement is scored: the negative-polarity rule and the category scale."""
    negative_rule: str = "lkjip"
    scale: tuple[float, float, float, float] = DEFAULT_SCALE

    def __post_init__(self) -> None:
        if self.negative_rule not in NEGATIVE_RULES:
            raise ValueError(f"negative_rule must be one of {NEGATIVE_RULES}, not {self.negative_rule!r}")
        if len(self.scale) != 4 or list(self.scale) != sorted(self.scale, reverse=True):
            raise ValueError(f"category scale must be 4 descending lower bounds, not {self.scale!r}")

    @property
    def negative_formula(self) -> str:
        return F_NEGATIVE_LKJIP if self.negative_rule == "lkjip" else F_NEGATIVE_RATIO

    @classmethod
    def from_settings(cls) -> Rules:
        """Read `negative_rule` and `category_scale` ("91,76,66,51"); bad values fall back to defaults."""
        rule = settings.get("negative_rule").strip().lower()
        if rule not in NEGATIVE_RULES:
            rule = "lkjip"
        try:
            scale = tuple(float(x) for x in settings.get("category_scale").split(","))
            return cls(rule, scale)  # type: ignore[arg-type]
        except ValueError:
            return cls(rule, DEFAULT_SCALE)


def category(capaian, scale: tuple[float, float, float, float] = DEFAULT_SCALE) -> pd.Series:
    """ST/T/S/R/SR for each achievement value (None where capaian is NaN); vectorised."""
    values = pd.to_numeric(pd.Series(capaian), errors="coerce")
    arr = values.to_numpy(dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):  # 75.99999999999999 is 76 to any reader
        arr = np.where(np.abs(arr) < 1e12, np.round(arr, 9), arr)
    st, t, s, r = scale
    labels = np.select([arr >= st, arr >= t, arr >= s, arr >= r, arr < r], CATEGORIES, default="")
    out = pd.Series(labels, index=values.index, dtype=object)
    out[np.isnan(arr)] = None
    return out


def _num(df: pd.DataFrame, column: str) -> np.ndarray:
    if column not in df:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float)


def _text(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df:
        return pd.Series("", index=df.index, dtype=object)
    return df[column].astype(object).where(df[column].notna(), "").astype(str).str.strip().str.lower()


def quarters_covered(df: pd.DataFrame, upto_quarter: int | None = None) -> np.ndarray:
    """Last quarter counted per row: the submission's period, capped at `upto_quarter`."""
    period = df["period"] if "period" in df else pd.Series(None, index=df.index, dtype=object)
    reported = period.map(schema.PERIOD_QUARTERS).astype(float).fillna(4).to_numpy()
    if upto_quarter is not None:
        reported = np.minimum(reported, int(upto_quarter))
    return reported.astype(int)


def _rollup(values: np.ndarray, cutoff: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rolled-up value, quarters reported) for a rows x 4 matrix; NaN when nothing is reported."""
    n = len(values)
    in_window = np.arange(1, 5)[None, :] <= cutoff[:, None]
    masked = np.where(in_window, values, np.nan)
    reported = ~np.isnan(masked)
    count = reported.sum(axis=1)
    total = np.where(count > 0, np.nansum(np.where(reported, masked, 0.0), axis=1), np.nan)
    # index of the last reported quarter (argmax on the reversed mask)
    last_idx = 3 - np.argmax(reported[:, ::-1], axis=1)
    last_value = np.where(count > 0, masked[np.arange(n), last_idx], np.nan)
    return np.where(last, last_value, total), count


def _score(r: np.ndarray, t: np.ndarray, negative: np.ndarray, rule: str) -> np.ndarray:
    """capaian of R against a single target T by polarity (NaN where T == 0 or the rule is undefined)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        positive = r / t * 100.0
        if rule == "lkjip":
            neg = np.maximum((2.0 * t - r) / t * 100.0, 0.0)
        else:
            neg = np.where(r == 0, np.nan, t / r * 100.0)
    out = np.where(negative, neg, positive)
    out[~np.isfinite(out)] = np.nan
    return out


def compute(indicators: pd.DataFrame, upto_quarter: int | None = None, rules: Rules | None = None,
            rpjmd: pd.DataFrame | None = None) -> pd.DataFrame:
    """The dataset's indicator frame plus roll-ups, capaian, kategori, alasan, rumus and budget figures.

    Added columns: realisasi, realisasi_tahun, quarters_reported, target_acuan, capaian, kategori,
    alasan, rumus, anggaran, anggaran_tahun, serapan, biaya_per_unit; with `rpjmd` (dataset.rpjmd)
    also target_akhir and progres_rpjmd (realisasi_tahun scored against the end-of-period target).
    """
    rules = rules or Rules()
    df = indicators.copy()
    n = len(df)
    if df.index.has_duplicates or not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index(drop=True)

    negative = is_negative(df)
    rollup = _text(df, "akumulasi")
    last = takes_last_value(df)

    realised = np.column_stack([_num(df, c) for c in REALISASI_TW]) if n else np.empty((0, 4))
    cutoff = quarters_covered(df, upto_quarter)
    realisasi, count = _rollup(realised, cutoff, last)
    realisasi_tahun, _ = _rollup(realised, np.full(n, 4), last)
    df["realisasi"] = realisasi
    df["realisasi_tahun"] = realisasi_tahun
    df["quarters_reported"] = count.astype(int)

    capaian, rumus, alasan, acuan = _achievement(df, realisasi, negative, rules)
    df["target_acuan"] = acuan
    df["capaian"] = capaian
    # object columns so "no value" stays None (pandas 3 would infer a string dtype with NaN)
    df["kategori"] = pd.Series(category(capaian, rules.scale).to_numpy(), dtype=object, index=df.index)
    df["alasan"] = pd.Series(alasan, dtype=object, index=df.index)
    df["rumus"] = pd.Series(rumus, dtype=object, index=df.index)

    spent = np.column_stack([_num(df, c) for c in ANGGARAN_TW]) if n else np.empty((0, 4))
    always_sum = np.zeros(n, dtype=bool)  # money is always a flow: sum the quarters
    anggaran, _ = _rollup(spent, cutoff, always_sum)
    anggaran_tahun, _ = _rollup(spent, np.full(n, 4), always_sum)
    pagu = _num(df, "pagu")
    with np.errstate(divide="ignore", invalid="ignore"):
        serapan = np.where(pagu > 0, anggaran / pagu * 100.0, np.nan)
        # cost per unit only means something for output counts (not for conflicts avoided)
        counts = (rollup == "kumulatif").to_numpy() & ~negative
        per_unit = np.where(counts & (realisasi > 0), anggaran / realisasi, np.nan)
    serapan[~np.isfinite(serapan)] = np.nan
    per_unit[~np.isfinite(per_unit)] = np.nan
    df["anggaran"] = anggaran
    df["anggaran_tahun"] = anggaran_tahun
    df["serapan"] = serapan
    df["biaya_per_unit"] = per_unit

    if rpjmd is not None:
        df = _with_rpjmd_progress(df, rpjmd, negative, rules)
    return df


def is_negative(df: pd.DataFrame) -> np.ndarray:
    """Rows whose indicator is better when lower (polarity `negatif`)."""
    return (_text(df, "polaritas") == "negatif").to_numpy()


def takes_last_value(df: pd.DataFrame) -> np.ndarray:
    """Rows rolled up as the last reported quarter (stocks, percentages, negative polarity), not summed."""
    return _text(df, "akumulasi").isin(LAST_VALUE_ROLLUPS).to_numpy() | is_negative(df)


def achievement(df: pd.DataFrame, realisasi, rules: Rules | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(capaian, alasan) of the given realisation values scored against each row's own target, polarity
    and range: the one rule `compute` applies, for a value other than the reported one (a projection)."""
    rules = rules or Rules()
    capaian, _, alasan, _ = _achievement(df, np.asarray(realisasi, dtype=float), is_negative(df), rules)
    return capaian, alasan


def _achievement(df: pd.DataFrame, r: np.ndarray, negative: np.ndarray, rules: Rules):
    n = len(df)
    lo = _num(df, "target_min")
    hi = _num(df, "target_max")
    lo, hi = np.where(np.isnan(lo), hi, lo), np.where(np.isnan(hi), lo, hi)
    lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
    has_target = ~np.isnan(lo)
    is_range = has_target & (hi > lo)

    # which bound a range row is scored against (NaN inside the range)
    above = is_range & (r > hi)
    below = is_range & (r < lo)
    acuan = np.where(is_range, np.where(above, hi, np.where(below, lo, np.nan)), lo)

    capaian = _score(r, acuan, negative, rules.negative_rule)
    inside = is_range & ~above & ~below & ~np.isnan(r)
    capaian = np.where(inside, 100.0, capaian)

    polarity_formula = np.where(negative, rules.negative_formula, F_POSITIVE)
    rumus = np.where(is_range, np.where(above, F_RANGE_UPPER, np.where(below, F_RANGE_LOWER, F_RANGE)),
                     polarity_formula).astype(object)

    written = _text(df, "target_text").to_numpy() != "" if "target_text" in df else np.zeros(n, dtype=bool)
    reasons = [
        (~has_target & written, R_NON_NUMERIC_TARGET),
        (~has_target, R_NO_TARGET),
        (np.isnan(r), R_NO_REALISASI),
        (~inside & (acuan == 0), R_ZERO_TARGET),
        (negative & (rules.negative_rule == "ratio") & ~inside & (r == 0), R_ZERO_REALISASI_RATIO),
    ]
    alasan = np.select([m for m, _ in reasons], [k for _, k in reasons], default="").astype(object)
    alasan[(alasan == "") & np.isnan(capaian)] = R_NOT_FINITE
    alasan[alasan == ""] = None
    capaian = np.where(pd.isna(alasan), capaian, np.nan)
    # 0.57 / 0.75 x 100 is 75.99999999999999 in floating point: it shows as "76%", so it must
    # also be categorised as 76 (Tinggi). Rounding far below display precision fixes the boundaries.
    with np.errstate(over="ignore", invalid="ignore"):  # np.round scales by 1e9: keep huge values as they are
        capaian = np.where(np.abs(capaian) < 1e12, np.round(capaian, 9), capaian)
    # a formula is only named where there is a target to apply it to
    rumus[~has_target] = None
    return capaian, rumus, alasan, acuan


_RANGE_SPLIT = re.compile(r"\s*(?:–|—|−|-|s\.?d\.?|sampai)\s*")


def parse_target(value) -> tuple[float, float]:
    """(min, max) from an RPJMD target cell: 12, "4,43–4,47", "4.43 - 4.47", "75%"; NaNs if unreadable."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan, np.nan
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value), float(value)
    text = str(value).strip().replace("%", "").replace("\u00a0", " ")
    parts = [p for p in _RANGE_SPLIT.split(text) if p]
    nums = []
    for p in parts[:2]:
        p = p.replace(" ", "")
        if "," in p:  # Indonesian: dot thousands, comma decimal
            p = p.replace(".", "").replace(",", ".")
        try:
            nums.append(float(p))
        except ValueError:
            return np.nan, np.nan
    if not nums:
        return np.nan, np.nan
    return min(nums), max(nums)


def score_against(r: np.ndarray, lo: np.ndarray, hi: np.ndarray, negative: np.ndarray, rule: str
                   ) -> np.ndarray:
    """capaian of R against a target that may be a range: inside = 100, else against the nearer bound."""
    bound = np.where(r > hi, hi, np.where(r < lo, lo, np.nan))
    score = _score(r, bound, negative, rule)
    return np.where(~np.isnan(lo) & ~np.isnan(r) & np.isnan(bound), 100.0, score)


def _plan_reference(rpjmd: pd.DataFrame) -> pd.DataFrame:
    """RPJMD rows keyed by (province, kode_rpjmd), latest plan period per code, with parsed end targets."""
    ref = rpjmd.copy()
    ref["kode_rpjmd"] = ref["kode_rpjmd"].astype(str).str.strip()
    ref["province"] = ref["province"].astype(str)
    if "periode_rpjmd" in ref:  # several plan periods may be live: the latest one speaks for the code
        ref = ref.sort_values("periode_rpjmd", kind="stable")
    ref = ref.drop_duplicates(["province", "kode_rpjmd"], keep="last")
    bounds = ref["target_akhir"].map(parse_target)
    ref["akhir_min"] = [b[0] for b in bounds]
    ref["akhir_max"] = [b[1] for b in bounds]
    return ref


def _codes(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "").astype(str).str.strip()


def _with_rpjmd_progress(df: pd.DataFrame, rpjmd: pd.DataFrame, negative: np.ndarray, rules: Rules):
    """Each regency's full-year value against the provincial end-of-period target, for rates only.

    A provincial count target (e.g. 6,925 participants over the province) cannot be met by one regency,
    so for `kumulatif` rows `progres_rpjmd` stays NaN; `rpjmd_progress` sums the regencies instead.
    """
    if rpjmd.empty or "kode_rpjmd" not in df:
        df["target_akhir"] = None
        df["progres_rpjmd"] = np.nan
        return df
    ref = _plan_reference(rpjmd)
    keys = pd.DataFrame({"province": df["province"].astype(str), "kode_rpjmd": _codes(df["kode_rpjmd"])})
    merged = keys.merge(ref[["province", "kode_rpjmd", "target_akhir", "akhir_min", "akhir_max"]],
                        on=["province", "kode_rpjmd"], how="left")
    r = df["realisasi_tahun"].to_numpy(dtype=float)
    progress = score_against(r, merged["akhir_min"].to_numpy(dtype=float),
                              merged["akhir_max"].to_numpy(dtype=float), negative, rules.negative_rule)
    counts = (_text(df, "akumulasi") == "kumulatif").to_numpy()
    df["target_akhir"] = pd.Series(merged["target_akhir"].to_numpy(), dtype=object, index=df.index)
    df["progres_rpjmd"] = np.where(counts, np.nan, progress)
    return df


def rpjmd_progress(computed: pd.DataFrame, rpjmd: pd.DataFrame, rules: Rules | None = None) -> pd.DataFrame:
    """Province progress on each RPJMD indicator per year: the regencies' full-year values aggregated
    (sum for counts, population-weighted mean for rates, as `province_aggregate`) against that plan
    year's target and the end-of-period target.

    Columns: province, periode_rpjmd, kode_rpjmd, indikator, satuan, polaritas, year, n_regions,
    realisasi, target_tahun, capaian_tahun, target_akhir, progres_akhir, metode.
    """
    rules = rules or Rules()
    cols = ["province", "periode_rpjmd", "kode_rpjmd", "indikator", "satuan", "polaritas", "year",
            "n_regions", "realisasi", "target_tahun", "capaian_tahun", "target_akhir", "progres_akhir",
            "metode"]
    if computed.empty or rpjmd.empty or "kode_rpjmd" not in computed:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    rows = computed[_codes(computed["kode_rpjmd"]) != ""].copy()
    rows["kode_indikator"] = _codes(rows["kode_rpjmd"])  # aggregate by the plan code the rows cascade to
    rows["realisasi"] = rows["realisasi_tahun"]
    agg = province_aggregate(rows).rename(columns={"kode_indikator": "kode_rpjmd"})
    agg = agg.drop(columns=["akumulasi", "target", "capaian_median"]).rename(columns={"satuan": "_unit"})
    ref = _plan_reference(rpjmd)
    out = agg.merge(ref, on=["province", "kode_rpjmd"], how="inner")
    # like for like: only regency values in the plan's own unit count towards it
    plan_unit = unit_key(out["satuan"])
    out = out[(plan_unit == unit_key(out["_unit"])) | (plan_unit == "")].reset_index(drop=True)
    if out.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    start = pd.to_numeric(out["periode_rpjmd"].astype(str).str.extract(r"(\d{4})")[0], errors="coerce")
    index = (pd.to_numeric(out["year"], errors="coerce") - start + 1).to_numpy()
    year_target = np.full(len(out), None, dtype=object)
    for k in range(1, schema.PLAN_YEARS + 1):  # five plan years: a loop over columns, not rows
        if f"target_{k}" in out:
            year_target = np.where(index == k, out[f"target_{k}"].to_numpy(dtype=object), year_target)
    bounds = [parse_target(v) for v in year_target]
    negative = (_text(out, "polaritas") == "negatif").to_numpy()
    r = out["realisasi"].to_numpy(dtype=float)
    out["target_tahun"] = year_target
    out["capaian_tahun"] = score_against(r, np.array([b[0] for b in bounds], dtype=float),
                                          np.array([b[1] for b in bounds], dtype=float), negative,
                                          rules.negative_rule)
    out["progres_akhir"] = score_against(r, out["akhir_min"].to_numpy(dtype=float),
                                          out["akhir_max"].to_numpy(dtype=float), negative,
                                          rules.negative_rule)
    return out[cols].sort_values(["province", "kode_rpjmd", "year"]).reset_index(drop=True)


# --- like-for-like comparison and province aggregates --------------------------------------------------

def unit_key(unit: pd.Series) -> pd.Series:
    folded = unit.astype(object).where(unit.notna(), "").astype(str).str.strip().str.casefold()
    return folded.replace({"%": "persen", "percent": "persen", "persentase": "persen", "index": "indeks"})


def comparable(df: pd.DataFrame, kode_indikator: str, require_capaian: bool = True
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of one indicator that can be compared like for like, and the rows left out with a reason.

    Like for like = same indicator code AND the same unit (the unit most regions use for that code);
    with `require_capaian`, rows whose achievement is not computable are left out too. `excluded` has
    `alasan_eksklusi` (a message id) and keeps `alasan` (why capaian was not computable).
    """
    rows = df[df["kode_indikator"].astype(str).str.strip() == str(kode_indikator).strip()].copy()
    if rows.empty:
        return rows, rows.assign(alasan_eksklusi=pd.Series(dtype=object))
    units = unit_key(rows["satuan"] if "satuan" in rows else pd.Series("", index=rows.index))
    main_unit = units.value_counts().sort_index().idxmax()  # ties: alphabetical, so it is deterministic
    reason = pd.Series(None, index=rows.index, dtype=object)
    reason[units != main_unit] = X_DIFFERENT_UNIT
    if require_capaian and "capaian" in rows:
        reason[reason.isna() & rows["capaian"].isna()] = X_NOT_COMPUTABLE
    keep = reason.isna()
    excluded = rows[~keep].copy()
    excluded["alasan_eksklusi"] = reason[~keep]
    return rows[keep].reset_index(drop=True), excluded.reset_index(drop=True)


def province_aggregate(df: pd.DataFrame, rate_method: str = "weighted_mean") -> pd.DataFrame:
    """One row per province x year x indicator code x unit, saying how it was aggregated.

    Counts are summed: people, documents, cases, ormas… add up over regencies whether they are flows
    (`kumulatif`) or stocks (`stok`, e.g. registered ormas). Rates (`persentase` roll-up, or a unit of
    Persen, Indeks, Angka: scores that do not add up) take the population-weighted mean (population
    from the region registry) or, with `rate_method="median"` or when no population is known, the
    median. Columns: province, year, kode_indikator, satuan, akumulasi, n_regions,
    realisasi, target, capaian_median, metode (a message id).
    """
    from kesbang.regions import registry  # local: the registry CSV is only needed here

    cols = ["province", "year", "kode_indikator", "satuan", "akumulasi", "n_regions", "realisasi", "target",
            "capaian_median", "metode"]
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    work = df.copy()
    pop = registry().set_index("kemendagri")["population"]
    work["_pop"] = work["region"].map(pop).astype(float)
    work["_unit"] = unit_key(work["satuan"])
    work["_target"] = pd.concat([pd.to_numeric(work["target_min"], errors="coerce"),
                                 pd.to_numeric(work["target_max"], errors="coerce")], axis=1).mean(axis=1)
    work["_is_sum"] = ~_text(work, "akumulasi").eq("persentase") & ~work["_unit"].isin(RATE_UNITS)
    keys = ["province", "year", "kode_indikator", "_unit"]
    work["_wr"] = work["realisasi"] * work["_pop"]
    work["_wt"] = work["_target"] * work["_pop"]
    work["_pr"] = work["_pop"].where(work["realisasi"].notna())
    work["_pt"] = work["_pop"].where(work["_target"].notna())
    g = work.groupby(keys, dropna=False, sort=True)
    # built-in reductions only (no per-group lambdas): 11k groups at national scale stay fast
    out = g.agg(satuan=("satuan", "first"), akumulasi=("akumulasi", "first"), n_regions=("region", "nunique"),
                is_sum=("_is_sum", "all"), r_sum=("realisasi", "sum"), r_n=("realisasi", "count"),
                t_sum=("_target", "sum"), t_n=("_target", "count"), r_med=("realisasi", "median"),
                t_med=("_target", "median"), wr=("_wr", "sum"), wt=("_wt", "sum"), pr=("_pr", "sum"),
                pt=("_pt", "sum"), pop_n=("_pop", "count"), size=("region", "size"),
                capaian_median=("capaian", "median")).reset_index()
    out["r_sum"] = out["r_sum"].where(out["r_n"] > 0)
    out["t_sum"] = out["t_sum"].where(out["t_n"] > 0)
    out["pop_missing"] = out["pop_n"] < out["size"]
    weighted = (rate_method == "weighted_mean") & ~out["pop_missing"] & (out["pr"] > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        wmean_r = out["wr"] / out["pr"]
        wmean_t = (out["wt"] / out["pt"]).where(out["pt"] > 0)
    out["realisasi"] = np.where(out["is_sum"], out["r_sum"], np.where(weighted, wmean_r, out["r_med"]))
    out["target"] = np.where(out["is_sum"], out["t_sum"], np.where(weighted, wmean_t, out["t_med"]))
    out["metode"] = np.where(out["is_sum"], A_SUM, np.where(weighted, A_WEIGHTED_MEAN, A_MEDIAN))
    return out[cols]
