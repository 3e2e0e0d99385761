"""Early warning: each indicator's year-end projection at the current pace, its projected capaian and status.

- cumulative (`kumulatif`) indicators: year-end = realisation so far x 4 / quarters the report covers
  (a report for TW II covers two quarters, whether or not both were filled in: a blank quarter slows
  the pace, it is not skipped);
- stocks, percentages and negative-polarity indicators: the latest reported value, plus its trend
  (least-squares change per quarter) when two or more quarters are reported.

The projected value is scored by the indicator's own rule (`metrics.achievement`: polarity, ranges,
the negative rule), and the status comes from the category scale of `metrics.Rules`: `on_track` at or
above the top band (91 by default), `at_risk` at or above the S band (66), `off_track` below. Where a
value cannot be projected or scored, the fields are None and `proj_reason` names why (a message id).
With the plan's end-of-period target (`target_akhir`, from `metrics.compute(..., rpjmd=...)`), the
projected value is also scored against it, for rates and stocks only, as `metrics` does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kesbang.analysis import metrics

ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"
STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK)
BASIS_PACE = "pace"  # cumulative: realisation x 4 / quarters covered
BASIS_LATEST = "latest"  # stock, percentage, negative: the last reported value

# reason ids (catalogue keys, `[projection.reason]`)
R_NO_QUARTER = "projection.reason.no_quarter"
R_NO_REALISASI = "projection.reason.no_realisasi"
R_RPJMD_COUNT = "projection.reason.rpjmd_count"  # a provincial count target is not one regency's

COLUMNS = ["proj_basis", "quarters_covered", "proj_year_end", "proj_trend", "proj_capaian", "proj_status",
           "proj_reason", "proj_rpjmd_progress", "proj_rpjmd_reason"]


def status(capaian, rules: metrics.Rules | None = None) -> np.ndarray:
    """on_track / at_risk / off_track per projected capaian (None where it is NaN)."""
    rules = rules or metrics.Rules()
    values = np.asarray(capaian, dtype=float)
    top, s_band = rules.scale[0], rules.scale[2]
    out = np.select([values >= top, values >= s_band, values < s_band], [ON_TRACK, AT_RISK, OFF_TRACK],
                    default="").astype(object)
    out[np.isnan(values)] = None
    return out


def _trend(df: pd.DataFrame, covered: np.ndarray) -> np.ndarray:
    """Least-squares change per quarter over the reported quarters within the covered ones (NaN below 2)."""
    n = len(df)
    values = (np.column_stack([pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float)
                               if c in df else np.full(n, np.nan) for c in metrics.REALISASI_TW])
              if n else np.empty((0, 4)))
    quarters = np.arange(1, 5, dtype=float)[None, :]
    used = ~np.isnan(values) & (quarters <= covered[:, None])
    k = used.sum(axis=1).astype(float)
    x = np.where(used, quarters, 0.0)
    y = np.where(used, values, 0.0)
    sx, sy, sxy, sxx = x.sum(axis=1), y.sum(axis=1), (x * y).sum(axis=1), (x * x).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (k * sxy - sx * sy) / (k * sxx - sx * sx)
    return np.where(k >= 2, slope, np.nan)


def project(computed: pd.DataFrame, rules: metrics.Rules | None = None, upto_quarter: int | None = None
            ) -> pd.DataFrame:
    """`computed` (the frame `metrics.compute` returned, with the same `upto_quarter`) plus COLUMNS."""
    rules = rules or metrics.Rules()
    df = computed.copy()
    covered = metrics.quarters_covered(df, upto_quarter)
    last = metrics.takes_last_value(df)
    realisasi = pd.to_numeric(df["realisasi"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        paced = np.where(covered > 0, realisasi * 4.0 / covered, np.nan)
    year_end = np.where(last, realisasi, paced)
    year_end[~np.isfinite(year_end)] = np.nan

    capaian, alasan = metrics.achievement(df, year_end, rules)
    reason = np.where(covered <= 0, R_NO_QUARTER,
                      np.where(np.isnan(realisasi), R_NO_REALISASI, alasan)).astype(object)
    reason[pd.isna(reason)] = None
    capaian = np.where(pd.isna(reason), capaian, np.nan)

    df["proj_basis"] = pd.Series(np.where(last, BASIS_LATEST, BASIS_PACE), dtype=object, index=df.index)
    df["quarters_covered"] = covered.astype(int)
    df["proj_year_end"] = year_end
    df["proj_trend"] = np.where(last, _trend(df, covered), np.nan)
    df["proj_capaian"] = capaian
    df["proj_status"] = pd.Series(status(capaian, rules), dtype=object, index=df.index)
    df["proj_reason"] = pd.Series(reason, dtype=object, index=df.index)
    df["proj_rpjmd_progress"], df["proj_rpjmd_reason"] = _rpjmd(df, year_end, rules)
    return df


def _rpjmd(df: pd.DataFrame, year_end: np.ndarray, rules: metrics.Rules) -> tuple[np.ndarray, pd.Series]:
    """The projected value against the plan's end-of-period target, where the row cascades to one."""
    n = len(df)
    if "target_akhir" not in df:
        return np.full(n, np.nan), pd.Series(None, index=df.index, dtype=object)
    bounds = [metrics.parse_target(v) for v in df["target_akhir"]]
    lo = np.array([b[0] for b in bounds], dtype=float).reshape(n)
    hi = np.array([b[1] for b in bounds], dtype=float).reshape(n)
    progress = metrics.score_against(year_end, lo, hi, metrics.is_negative(df), rules.negative_rule)
    rollup = df["akumulasi"] if "akumulasi" in df else pd.Series("", index=df.index)
    counts = (rollup.astype(object).where(rollup.notna(), "").astype(str).str.strip().str.lower()
              == "kumulatif").to_numpy()
    has_plan = ~np.isnan(lo)
    reason = pd.Series(np.where(has_plan & counts, R_RPJMD_COUNT, None), dtype=object, index=df.index)
    return np.where(has_plan & ~counts, progress, np.nan), reason


WATCH_COLUMNS = ["region", "region_name", "kode_indikator", "indikator", "satuan", "proj_status", "proj_capaian",
                 "proj_year_end", "proj_trend", "capaian", "tw_terakhir", "nilai_tw_terakhir", "nilai_tw_sebelumnya",
                 "perubahan_tw", "faktor_penghambat", "tindak_lanjut", "peers"]


def _last_quarters(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(last reported quarter 1-4 or 0, its own value, the value of the quarter reported before it)."""
    n = len(df)
    values = np.column_stack([pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float)
                              if c in df else np.full(n, np.nan) for c in metrics.REALISASI_TW])
    covered = df["quarters_covered"].to_numpy(dtype=int)
    reported = ~np.isnan(values) & (np.arange(1, 5)[None, :] <= covered[:, None])
    quarter = np.where(reported.any(axis=1), 4 - np.argmax(reported[:, ::-1], axis=1), 0)
    rows = np.arange(n)
    last = np.where(quarter > 0, values[rows, np.maximum(quarter - 1, 0)], np.nan)
    before = reported & (np.arange(1, 5)[None, :] < quarter[:, None])
    prev_q = np.where(before.any(axis=1), 4 - np.argmax(before[:, ::-1], axis=1), 0)
    prev = np.where(prev_q > 0, values[rows, np.maximum(prev_q - 1, 0)], np.nan)
    return quarter, last, prev


def watch_list(projected: pd.DataFrame, peers: int = 3) -> pd.DataFrame:
    """The regency x indicator pairs projected at risk or off track, worst first, with the last quarter's
    value (and the change from the quarter reported before it), the operator's own Faktor Penghambat and
    Tindak Lanjut, and up to `peers` other regencies on track on the same indicator (same unit), best
    first, as (region, name, projected capaian) tuples. `projected` is `project()`'s frame."""
    from kesbang import regions  # local: the registry CSV is only needed here

    if projected.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in WATCH_COLUMNS})
    quarter, last, prev = _last_quarters(projected)
    work = projected.assign(tw_terakhir=quarter, nilai_tw_terakhir=last, nilai_tw_sebelumnya=prev,
                            perubahan_tw=last - prev)
    lagging = work[work["proj_status"].isin((AT_RISK, OFF_TRACK))].copy()
    # peers: the same indicator code in the same unit, on track, best first (one sort and group, no loop)
    work["_unit"] = metrics.unit_key(work["satuan"] if "satuan" in work else pd.Series("", index=work.index))
    lagging["_unit"] = work.loc[lagging.index, "_unit"]
    good = work[work["proj_status"] == ON_TRACK].sort_values(["proj_capaian", "region"], ascending=[False, True],
                                                             kind="stable")
    good = good.groupby(["kode_indikator", "_unit"], sort=False).head(peers + 1)  # + 1: the row itself is left out
    best: dict[tuple, list[tuple[str, str, float]]] = {}
    for code, unit, region, capaian in zip(good["kode_indikator"], good["_unit"], good["region"], good["proj_capaian"]):
        best.setdefault((code, unit), []).append((region, regions.name_of(region), float(capaian)))
    lagging["peers"] = [tuple(p for p in best.get((code, unit), []) if p[0] != region)[:peers]
                        for code, unit, region in zip(lagging["kode_indikator"], lagging["_unit"], lagging["region"])]
    lagging["region_name"] = lagging["region"].map(regions.name_of)
    lagging["_order"] = lagging["proj_status"].map({OFF_TRACK: 0, AT_RISK: 1})
    lagging = lagging.sort_values(["_order", "proj_capaian", "region", "kode_indikator"], kind="stable")
    for column in WATCH_COLUMNS:
        if column not in lagging:
            lagging[column] = None
    return lagging[WATCH_COLUMNS].reset_index(drop=True)
