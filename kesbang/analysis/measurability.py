"""Measurability audit: the checks Bappeda applies to every indicator, a score per regency and a league table.

Each check is one small function over one indicator row (plus its history and plan) returning None
(not applicable) or a `Result`: passed or not, with a message id and parameters. The message explains
the finding; `keterukuran.fix.<check>` says how to fix it. Both are translated at render time.

Checks (id, severity):
- `unit` (error): a unit (satuan) is given.
- `numeric_target` (error): the yearly target is a number or range, not words like "meningkat".
- `baseline` (warning): a baseline (kondisi awal) is given.
- `plan_years` (warning): a target for every plan year: the provincial RPJMD row's target per year for
  cascaded indicators; for local ones, a numeric target in each earlier year the regency reported.
- `realisation` (error): realisation reported for each quarter the reporting period says is due
  (cumulative counts every quarter; stock and percentage indicators by the year-end report, and with
  no blank quarter once they have been measured).
- `outcome` (warning): a program-level (outcome) indicator that is more than activity completion
  ("terlaksananya kegiatan", "tersusunnya dokumen", "jumlah kegiatan", or an activity unit).
- `jump` (warning): target or full-year realisation more than 3x or less than 1/3 of the previous year.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kesbang import i18n, regions, schema
from kesbang.analysis import metrics
from kesbang.analysis.matching import text
from kesbang.analysis.plans import normalise_period, parse_period, plan_rows

CHECKS = ("unit", "numeric_target", "baseline", "plan_years", "realisation", "outcome", "jump")
SEVERITY = {"unit": "error", "numeric_target": "error", "baseline": "warning", "plan_years": "warning",
            "realisation": "error", "outcome": "warning", "jump": "warning"}
OK_MESSAGE = "keterukuran.ok"
JUMP_FACTOR = 3.0  # Bappeda's rule of thumb: a year-on-year change beyond 3x (or below 1/3) needs a reason

# Program indicators (outcomes) phrased as activity completion or counted in activity units.
ACTIVITY_PHRASES = re.compile(
    r"\b(terlaksana(nya)?|tersusun(nya)?|terselenggara(nya)?|terfasilitasi(nya)?|tersedia(nya)?\s+dokumen|"
    r"jumlah\s+(kegiatan|laporan|dokumen|rapat|sosialisasi)|frekuensi\s+kegiatan|"
    r"persentase\s+kegiatan\s+yang\s+terlaksana)\b", re.IGNORECASE)
ACTIVITY_UNITS = frozenset({"kegiatan", "dokumen", "laporan", "kali", "paket"})
ROMAN = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}

RESULT_COLUMNS = ["region", "region_name", "province", "year", "kode_program", "kode_indikator", "indikator",
                  "level", "satuan", "check", "severity", "passed", "message_id", "fix_id", "params"]
AUDIT_COLUMNS = ["region", "province", "year", "period", "kode_program", "kode_indikator", "indikator", "level",
                 "satuan", "polaritas", "akumulasi", "kode_rpjmd", "baseline", "target_min", "target_max",
                 "target_text", *(f"realisasi_tw{q}" for q in range(1, 5))]
LEAGUE_COLUMNS = ["rank", "region", "region_name", "n_indikator", "checks", "passed", "score", "errors",
                  "warnings"]


@dataclass(frozen=True)
class Result:
    passed: bool
    message: str                 # suffix of the failure's message id: keterukuran.msg.<message>
    params: dict = field(default_factory=dict)


@dataclass
class Context:
    """What a check may look at besides the row: the same indicator's other years and the plan."""
    history: dict[int, dict]      # year -> row of the same regency and indicator code
    plan_row: dict | None         # provincial RPJMD row the indicator cascades to (plan in force)
    plan_years: list[int]         # years of that provincial plan
    reported_years: list[int]     # the regency's earlier reporting years inside its own plan period


def _num(value: object) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return math.nan
    return v


def _target_mid(row: dict) -> float:
    lo, hi = _num(row.get("target_min")), _num(row.get("target_max"))
    values = [v for v in (lo, hi) if not math.isnan(v)]
    return sum(values) / len(values) if values else math.nan


def _has_target(row: dict) -> bool:
    return not math.isnan(_target_mid(row))


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if not math.isnan(value) else ""


# --- the checks --------------------------------------------------------------------------------------

def check_unit(row: dict, ctx: Context) -> Result:
    return Result(bool(text(row.get("satuan"))), "unit")


def check_numeric_target(row: dict, ctx: Context) -> Result:
    if _has_target(row):
        return Result(True, "numeric_target")
    written = text(row.get("target_text"))
    if written:
        return Result(False, "numeric_target_words", {"target": written})
    return Result(False, "numeric_target_missing")


def check_baseline(row: dict, ctx: Context) -> Result:
    return Result(not math.isnan(_num(row.get("baseline"))), "baseline")


def check_plan_years(row: dict, ctx: Context) -> Result | None:
    if ctx.plan_row is not None:
        missing = []
        for i in range(1, schema.PLAN_YEARS + 1):
            lo, _ = metrics.parse_target(ctx.plan_row.get(f"target_{i}"))
            if math.isnan(lo):
                missing.append(str(ctx.plan_years[i - 1]) if i <= len(ctx.plan_years) else str(i))
        return Result(not missing, "plan_years_rpjmd",
                      {"years": ", ".join(missing), "kode_rpjmd": text(ctx.plan_row.get("kode_rpjmd"))})
    if not ctx.reported_years:
        return None
    missing = [str(y) for y in ctx.reported_years if y not in ctx.history or not _has_target(ctx.history[y])]
    return Result(not missing, "plan_years_local", {"years": ", ".join(missing)})


def check_realisation(row: dict, ctx: Context) -> Result | None:
    due = schema.PERIOD_QUARTERS.get(text(row.get("period")), 4)
    reported = [not math.isnan(_num(row.get(f"realisasi_tw{q}"))) for q in range(1, 5)]
    if text(row.get("akumulasi")) == "kumulatif":
        missing = [ROMAN[q] for q in range(1, due + 1) if not reported[q - 1]]
        return Result(not missing, "realisation_quarters", {"quarters": ", ".join(missing)})
    # a stock or a percentage may be measured once a year: nothing is owed before the year-end report,
    # but once it is measured quarterly, a quarter left blank since the first measurement is a gap
    measured = [q for q in range(1, due + 1) if reported[q - 1]]
    if not measured:
        return Result(False, "realisation_year") if due == 4 else None
    missing = [ROMAN[q] for q in range(measured[0], due + 1) if not reported[q - 1]]
    return Result(not missing, "realisation_quarters", {"quarters": ", ".join(missing)})


def check_outcome(row: dict, ctx: Context) -> Result | None:
    if text(row.get("level")) != "program":
        return None
    found = ACTIVITY_PHRASES.search(text(row.get("indikator")))
    if found:
        return Result(False, "outcome_phrase", {"phrase": found.group(0)})
    unit = text(row.get("satuan"))
    if unit.lower() in ACTIVITY_UNITS:
        return Result(False, "outcome_unit", {"unit": unit})
    return Result(True, "outcome")


def _year_total(row: dict) -> float:
    """Full-year realisation with the indicator's roll-up (sum of quarters, or the last one reported)."""
    values = [_num(row.get(f"realisasi_tw{q}")) for q in range(1, 5)]
    reported = [v for v in values if not math.isnan(v)]
    if not reported:
        return math.nan
    last = text(row.get("akumulasi")) in metrics.LAST_VALUE_ROLLUPS or text(row.get("polaritas")) == "negatif"
    return reported[-1] if last else sum(reported)


def _implausible(now: float, before: float) -> bool:
    if math.isnan(now) or math.isnan(before) or now <= 0 or before <= 0:
        return False
    ratio = now / before
    return ratio > JUMP_FACTOR or ratio < 1 / JUMP_FACTOR


def check_jump(row: dict, ctx: Context) -> Result | None:
    prev = ctx.history.get(int(row["year"]) - 1)
    if prev is None:
        return None
    t_now, t_prev = _target_mid(row), _target_mid(prev)
    if _implausible(t_now, t_prev):
        return Result(False, "jump_target", {"prev_year": int(row["year"]) - 1, "prev": _fmt(t_prev),
                                             "now": _fmt(t_now), "ratio": _fmt(t_now / t_prev)})
    # realisation only between two complete years: a year in progress is naturally smaller
    full = schema.PERIOD_QUARTERS.get(text(row.get("period")), 4) == 4 and \
        schema.PERIOD_QUARTERS.get(text(prev.get("period")), 4) == 4
    r_now, r_prev = _year_total(row), _year_total(prev)
    if full and _implausible(r_now, r_prev):
        return Result(False, "jump_realisation", {"prev_year": int(row["year"]) - 1, "prev": _fmt(r_prev),
                                                  "now": _fmt(r_now), "ratio": _fmt(r_now / r_prev)})
    comparable = (not math.isnan(t_now) and not math.isnan(t_prev)) or (full and not math.isnan(r_now)
                                                                          and not math.isnan(r_prev))
    return Result(True, "jump") if comparable else None


CHECK_FUNCTIONS: dict[str, Callable[[dict, Context], Result | None]] = {
    "unit": check_unit, "numeric_target": check_numeric_target, "baseline": check_baseline,
    "plan_years": check_plan_years, "realisation": check_realisation, "outcome": check_outcome,
    "jump": check_jump,
}


# --- running the audit --------------------------------------------------------------------------------

def _region_periods(submissions: pd.DataFrame) -> dict[str, str]:
    """Each regency's own RPJMD period, from its latest submission (when the dataset carries it)."""
    if submissions.empty or "periode_rpjmd" not in submissions:
        return {}
    latest = submissions.sort_values("year").drop_duplicates("region", keep="last")
    return {r: text(p) for r, p in zip(latest["region"], latest["periode_rpjmd"]) if text(p)}


def audit(indicators: pd.DataFrame, rpjmd: pd.DataFrame, submissions: pd.DataFrame,
          year: int | None = None) -> pd.DataFrame:
    """One row per (indicator, applicable check) of `year` (default: each regency's latest year).

    `indicators` should hold every year of the regencies (history feeds `plan_years` and `jump`).
    """
    if indicators.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    # only the columns the checks read: turning rows into dicts is the expensive part at scale
    ind = indicators[[c for c in AUDIT_COLUMNS if c in indicators]].copy()
    ind["year"] = ind["year"].astype(int)
    if year is not None:
        is_audited = (ind["year"] == year).to_numpy()
    else:
        is_audited = (ind["year"] == ind.groupby("region")["year"].transform("max")).to_numpy()
    records = ind.to_dict("records")
    history: dict[tuple[str, str], dict[int, dict]] = {}
    for rec in records:
        history.setdefault((rec["region"], text(rec["kode_indikator"])), {})[rec["year"]] = rec
    years_by_region = ind.groupby("region")["year"].apply(lambda s: sorted(set(s))).to_dict()
    own_periods = _region_periods(submissions)
    plans: dict[tuple[str, int], tuple[dict[str, dict], list[int]]] = {}
    names: dict[str, str] = {}

    rows = []
    for rec in (r for r, keep in zip(records, is_audited) if keep):
        region, y = rec["region"], rec["year"]
        key = (rec["province"], y)
        if key not in plans:
            plan = plan_rows(rpjmd, *key) if not rpjmd.empty else rpjmd
            span = parse_period(plan["periode_rpjmd"].iloc[0]) if not plan.empty else None
            plans[key] = ({text(r["kode_rpjmd"]): r for r in plan.to_dict("records")},
                          list(range(span[0], span[1] + 1)) if span else [])
        by_code, plan_year_list = plans[key]
        own = parse_period(normalise_period(own_periods.get(region))) if region in own_periods else None
        reported = [v for v in years_by_region.get(region, [])
                    if v < y and (own is None or own[0] <= v <= own[1])]
        code = text(rec.get("kode_rpjmd"))
        ctx = Context(history=history.get((region, text(rec["kode_indikator"])), {}),
                      plan_row=by_code.get(code) if code else None,
                      plan_years=plan_year_list, reported_years=reported)
        if region not in names:
            names[region] = regions.name_of(region)
        base = {"region": region, "region_name": names[region], "province": rec["province"], "year": y,
                "kode_program": text(rec.get("kode_program")),
                "kode_indikator": text(rec.get("kode_indikator")),
                "indikator": text(rec.get("indikator")), "level": text(rec.get("level")),
                "satuan": text(rec.get("satuan"))}
        for check in CHECKS:
            res = CHECK_FUNCTIONS[check](rec, ctx)
            if res is None:
                continue
            message = OK_MESSAGE if res.passed else f"keterukuran.msg.{res.message}"
            rows.append({**base, "check": check, "severity": SEVERITY[check], "passed": res.passed,
                         "message_id": message, "fix_id": f"keterukuran.fix.{check}", "params": res.params})
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def share(passed: pd.Series, total: pd.Series) -> pd.Series:
    """Percent passed, rounded *down* to one decimal: one failure in 2,000 checks reads 99.9, never a
    100 that would tell a regency it has nothing to fix."""
    return np.floor(passed.astype(float) / total.astype(float) * 1000) / 10


def findings(results: pd.DataFrame) -> pd.DataFrame:
    """The failed checks only, errors first, then by regency and indicator."""
    failed = results[~results["passed"].astype(bool)] if not results.empty else results
    order = failed["severity"].map({"error": 0, "warning": 1}).fillna(2)
    return (failed.assign(_o=order).sort_values(["_o", "region", "kode_indikator", "check"])
            .drop(columns="_o").reset_index(drop=True))


def league_table(results: pd.DataFrame) -> pd.DataFrame:
    """Score per regency = share of applicable checks passed (%), best first; ties share a rank."""
    if results.empty:
        return pd.DataFrame(columns=LEAGUE_COLUMNS)
    r = results.assign(passed=results["passed"].astype(bool),
                       error=(~results["passed"].astype(bool)) & (results["severity"] == "error"),
                       warning=(~results["passed"].astype(bool)) & (results["severity"] == "warning"))
    g = r.groupby(["region", "region_name"], as_index=False).agg(
        n_indikator=("kode_indikator", "nunique"), checks=("check", "size"), passed=("passed", "sum"),
        errors=("error", "sum"), warnings=("warning", "sum"))
    g["score"] = share(g["passed"], g["checks"])
    g = g.sort_values(["score", "errors", "region"], ascending=[False, True, True]).reset_index(drop=True)
    g["rank"] = g["score"].rank(method="min", ascending=False).astype(int)
    return g[LEAGUE_COLUMNS]


def check_summary(results: pd.DataFrame) -> pd.DataFrame:
    """Per check: how many indicators it applied to, how many failed, and the pass rate (%)."""
    if results.empty:
        return pd.DataFrame(columns=["check", "severity", "applicable", "failed", "pass_rate"])
    r = results.assign(failed=~results["passed"].astype(bool))
    g = r.groupby("check", as_index=False).agg(applicable=("passed", "size"), failed=("failed", "sum"))
    g["severity"] = g["check"].map(SEVERITY)
    g["pass_rate"] = share(g["applicable"] - g["failed"], g["applicable"])
    g["check"] = pd.Categorical(g["check"], categories=list(CHECKS), ordered=True)
    g = g.sort_values("check").reset_index(drop=True)
    g["check"] = g["check"].astype(str)
    return g[["check", "severity", "applicable", "failed", "pass_rate"]]


def describe(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Findings with the explanation and the fix written out in one language (for screens and letters)."""
    out = rows.copy()
    out["pesan"] = [i18n.t(m, lang, **(p or {})) for m, p in zip(out["message_id"], out["params"])]
    out["perbaikan"] = [i18n.t(f, lang) for f in out["fix_id"]]
    out["pemeriksaan"] = [i18n.t(f"keterukuran.check.{c}", lang) for c in out["check"]]
    out["tingkat"] = [i18n.t(f"keterukuran.severity.{s}", lang) for s in out["severity"]]
    return out


def letter_tables(results: pd.DataFrame, lang: str) -> dict[str, pd.DataFrame]:
    """The follow-up letter's workbook: league table, then every finding with explanation and fix.

    Sheet names and headers are in `lang`; values are plain text and numbers (the exporter keeps text
    from ever becoming a formula).
    """
    t = lambda key: i18n.t(f"keterukuran.col.{key}", lang)  # noqa: E731 - a local shorthand
    league = league_table(results).rename(columns={c: t(c) for c in LEAGUE_COLUMNS})
    found = describe(findings(results), lang)
    cols = ["region", "region_name", "year", "kode_indikator", "indikator", "pemeriksaan", "tingkat", "pesan",
            "perbaikan"]
    found = found[cols].rename(columns={c: t(c) for c in cols}) if not found.empty else \
        pd.DataFrame(columns=[t(c) for c in cols])
    return {i18n.t("keterukuran.sheet.league", lang): league,
            i18n.t("keterukuran.sheet.findings", lang): found}


def score_of(results: pd.DataFrame) -> float | None:
    """The province's overall share of checks passed (%), None when nothing was checked."""
    if results.empty:
        return None
    passed = results["passed"].astype(bool)
    return float(share(pd.Series([passed.sum()]), pd.Series([len(passed)])).iloc[0])
