"""`python -m kesbang summary [--json] FILE…`: the computed view of each submission workbook.

Per file: region, year, period; every indicator with target, realisation rolled up to the reported
period, capaian, category (or the reason it cannot be computed) and the formula used; plus budget,
Paskibraka and values-program summaries. Invalid files are listed with their errors (exit 1).

A directory stands for the workbooks in it. Provincial RPJMD reference workbooks among the files
(such as `sample_data/rpjmd_62.xlsx`) are not submissions: they are read as the plan, used for each
indicator's progress towards the end-of-period target, named in a note on stderr and not listed in
the output array, so `summary --json sample_data/` lists exactly the regency submissions.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from kesbang import dataset, i18n, regions
from kesbang.analysis import metrics, projection
from kesbang.formatting import format_number, format_percent, format_rupiah
from kesbang.intake.loader import load_workbook
from kesbang.intake.rpjmd import RpjmdResult
from kesbang.model import LoadResult, Submission

NAME = "summary"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
HELP = "Ringkasan capaian tiap berkas / computed summary of each workbook"


def configure(parser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="submission workbooks (.xlsx, .xlsm, .xls, .ods) or folders holding them")
    parser.add_argument("--json", action="store_true", help="print a JSON array, one object per file")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE,
                        help="language of the readable output (default: id)")


def _number(value: Any, digits: int | None = None) -> float | int | None:
    """A JSON-safe number: None for missing/NaN, ints stay ints."""
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or math.isinf(number):
        return None
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return round(number, digits) if digits is not None else number


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return str(value)


def _target(row: pd.Series) -> float | int | list | None:
    lo, hi = _number(row.get("target_min")), _number(row.get("target_max"))
    if lo is None and hi is None:
        return None
    if lo is not None and hi is not None and lo != hi:
        return [lo, hi]
    return lo if lo is not None else hi


def _indicators(computed: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for _, row in computed.iterrows():  # one workbook: tens of rows, after the vectorised compute
        reason, formula = _text(row["alasan"]), _text(row["rumus"])
        out.append({
            "code": _text(row.get("kode_indikator")), "name": _text(row.get("indikator")),
            "unit": _text(row.get("satuan")), "polarity": _text(row.get("polaritas")),
            "rollup": _text(row.get("akumulasi")), "target": _target(row),
            "target_text": _text(row.get("target_text")),
            "realisasi": _number(row["realisasi"], 4), "realisasi_year": _number(row["realisasi_tahun"], 4),
            "quarters_reported": int(row["quarters_reported"]),
            "capaian": _number(row["capaian"], 2), "category": _text(row["kategori"]),
            "reason": reason, "reason_en": i18n.t(reason, "en") if reason else None,
            "formula": formula, "formula_en": i18n.t(formula, "en") if formula else None,
            "pagu": _number(row.get("pagu")), "budget_realised": _number(row["anggaran"]),
            "budget_absorption": _number(row["serapan"], 2),
            "rpjmd_code": _text(row.get("kode_rpjmd")) or None,
            "rpjmd_target_end": _text(row.get("target_akhir")),
            "rpjmd_progress": _number(row.get("progres_rpjmd"), 2),
            "projection": _projection(row),
        })
    return out


def _projection(row: pd.Series) -> dict[str, Any]:
    reason, rpjmd_reason = _text(row["proj_reason"]), _text(row["proj_rpjmd_reason"])
    return {
        "year_end": _number(row["proj_year_end"], 4), "capaian": _number(row["proj_capaian"], 2),
        "status": _text(row["proj_status"]), "reason": reason,
        "reason_en": i18n.t(reason, "en") if reason else None,
        "basis": _text(row["proj_basis"]), "quarters_covered": int(row["quarters_covered"]),
        "trend_per_quarter": _number(row["proj_trend"], 4),
        "rpjmd_progress": _number(row["proj_rpjmd_progress"], 2), "rpjmd_reason": rpjmd_reason,
    }


def _budget(computed: pd.DataFrame) -> dict[str, Any]:
    pagu_total = pd.to_numeric(computed["pagu"], errors="coerce").sum(min_count=1)
    realised = computed["anggaran"].sum(min_count=1)
    absorption = realised / pagu_total * 100 if pagu_total and pagu_total > 0 and pd.notna(realised) else None
    return {"pagu": _number(pagu_total), "realised": _number(realised), "absorption": _number(absorption, 2)}


def _stage_total(row: pd.Series) -> int | None:
    total = _number(row.get("jumlah"))
    if total is None:
        putra, putri = _number(row.get("putra")), _number(row.get("putri"))
        if putra is None and putri is None:
            return None
        total = (putra or 0) + (putri or 0)
    return int(total)


def _paskibraka(pas: pd.DataFrame) -> dict[str, Any]:
    stages = {}
    for _, row in pas.iterrows():
        key = _text(row.get("tahap"))
        if not key:
            continue
        stages[key] = {"putra": _number(row.get("putra")), "putri": _number(row.get("putri")),
                       "total": _stage_total(row)}
    pick = lambda key: stages.get(key, {}).get("total")  # noqa: E731
    return {"stages": stages, "registrants": pick("pendaftar"), "selected": pick("ditetapkan"),
            "sent_to_province": pick("dikirim_provinsi"), "inaugurated": pick("dikukuhkan")}


def _values(nilai: pd.DataFrame) -> dict[str, Any]:
    if nilai.empty:
        return {"activities": 0, "participants": None, "themes": {}, "mean_gain": None}
    participants = pd.to_numeric(nilai.get("peserta"), errors="coerce")
    pre = pd.to_numeric(nilai.get("pre_test"), errors="coerce")
    post = pd.to_numeric(nilai.get("post_test"), errors="coerce")
    gain = (post - pre).dropna()
    themes = nilai["tema"].dropna().astype(str).value_counts().sort_index()
    return {"activities": int(len(nilai)), "participants": _number(participants.sum(min_count=1)),
            "themes": {k: int(v) for k, v in themes.items()},
            "mean_gain": _number(gain.mean(), 2) if len(gain) else None}


def summarise(sub: Submission, rules: metrics.Rules | None = None, rpjmd: pd.DataFrame | None = None
              ) -> dict[str, Any]:
    """The computed view of one parsed submission, as plain JSON-ready data (`rpjmd`: plan rows)."""
    data = dataset.from_submissions([(sub, {})])
    computed = projection.project(metrics.compute(data.indicators, rules=rules, rpjmd=rpjmd), rules)
    categories = computed["kategori"].value_counts()
    return {
        "region": sub.region, "region_name": regions.name_of(sub.region), "year": sub.year,
        "period": sub.period, "negative_rule": (rules or metrics.Rules()).negative_rule,
        "indicators": _indicators(computed),
        "categories": {c: int(categories.get(c, 0)) for c in metrics.CATEGORIES},
        "not_computable": int(computed["kategori"].isna().sum()),
        "budget": _budget(computed), "paskibraka": _paskibraka(sub.paskibraka), "values": _values(sub.nilai),
    }


def _issues(result: LoadResult | RpjmdResult) -> list[dict[str, Any]]:
    return [{"severity": i.severity, "sheet": i.sheet, "cell": i.cell, "column": i.column, "code": i.code,
             "message_id": i.code, "message_en": i18n.issue_message(i, "en"),
             "message": i18n.issue_message(i, "id")} for i in result.issues]


def _file_problem(path: Path, code: str) -> dict[str, Any]:
    return {"file": str(path), "status": "invalid",
            "issues": [{"severity": "error", "sheet": None, "cell": None, "column": None, "code": code,
                        "message_id": code, "message_en": i18n.t(code, "en", file=str(path)),
                        "message": i18n.t(code, "id", file=str(path))}]}


def expand(paths: list[str]) -> list[Path]:
    """Files as given; a folder stands for the workbooks directly inside it, sorted by name."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES))
        else:
            out.append(path)
    return out


def _load(path: Path) -> LoadResult | RpjmdResult | dict[str, Any]:
    """A valid submission, else a valid RPJMD reference workbook, else the invalid item to list."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _file_problem(path, "summary.file_not_found" if isinstance(exc, FileNotFoundError)
                             else "summary.file_unreadable")
    result = load_workbook(data, path.name)
    if result.ok:
        return result
    return {"file": str(path), "status": "invalid", "issues": _issues(result)}


def summarise_files(paths: list[Path], rules: metrics.Rules | None = None
                    ) -> tuple[list[dict[str, Any]], list[tuple[Path, RpjmdResult]]]:
    """(one item per submission or invalid file, the RPJMD reference workbooks found among them)."""
    loaded = [(path, _load(path)) for path in paths]
    plans = [(p, r) for p, r in loaded if isinstance(r, RpjmdResult)]
    rpjmd = pd.concat([r.frame for _, r in plans], ignore_index=True) if plans else None
    items = []
    for path, result in loaded:
        if isinstance(result, LoadResult):
            items.append({"file": str(path), "status": "valid", **summarise(result.submission, rules, rpjmd),
                          "warnings": [i for i in _issues(result) if i["severity"] == "warning"]})
        elif isinstance(result, dict):
            items.append(result)
    return items, plans


def summarise_file(path: Path, rules: metrics.Rules | None = None) -> dict[str, Any]:
    """The item for one file on its own (an RPJMD workbook alone is listed as invalid: not a submission)."""
    items, plans = summarise_files([path], rules)
    if items:
        return items[0]
    return _file_problem(path, "summary.rpjmd_only")


def _print_readable(item: dict[str, Any], lang: str, out) -> None:
    t = lambda key, **kw: i18n.t(f"summary.{key}", lang, **kw)  # noqa: E731
    print(f"== {item['file']}", file=out)
    if item["status"] != "valid":
        print(t("invalid"), file=out)
        for issue in item["issues"]:
            where = (f"{issue['sheet']}!{issue['cell']}" if issue["sheet"] and issue["cell"]
                     else issue["sheet"] or "")
            text = issue["message"] if lang == "id" else issue["message_en"]
            print(f"  [{issue['severity']}] {where} {text}".rstrip(), file=out)
        return
    print(f"{item['region']} {item['region_name']} · {item['year']} · {item['period']}", file=out)
    headers = [t("col_code"), t("col_name"), t("col_unit"), t("col_target"), t("col_realisasi"),
               t("col_capaian"), t("col_category")]
    rows = []
    for ind in item["indicators"]:
        target = ind["target"]
        target_text = ("–".join(format_number(v, lang) for v in target) if isinstance(target, list)
                       else format_number(target, lang))
        category = (i18n.t(f"category.{ind['category']}", lang) if ind["category"]
                    else i18n.t(ind["reason"], lang) if ind["reason"] else "")
        name = ind["name"] or ""
        rows.append([ind["code"] or "", name if len(name) <= 48 else name[:47] + "…", ind["unit"] or "",
                     target_text, format_number(ind["realisasi"], lang), format_percent(ind["capaian"], lang),
                     category])
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers) - 1)]
    for r in [headers, *rows]:
        print("  " + "  ".join(str(v).ljust(w) for v, w in zip(r, widths)) + "  " + str(r[-1]), file=out)
    budget, pas, val = item["budget"], item["paskibraka"], item["values"]
    print(t("budget", pagu=format_rupiah(budget["pagu"], lang),
            realised=format_rupiah(budget["realised"], lang),
            absorption=format_percent(budget["absorption"], lang)), file=out)
    print(t("paskibraka", registrants=format_number(pas["registrants"], lang),
            selected=format_number(pas["selected"], lang), sent=format_number(pas["sent_to_province"], lang)),
          file=out)
    print(t("values", activities=val["activities"], participants=format_number(val["participants"], lang),
            themes=len(val["themes"]), gain=format_number(val["mean_gain"], lang)), file=out)
    print(t("categories", **{c.lower(): n for c, n in item["categories"].items()},
            none=item["not_computable"]), file=out)


def run(args) -> int:
    rules = metrics.Rules.from_settings()
    paths = expand(args.files)
    if not paths:
        print(i18n.t("summary.no_files", args.lang), file=sys.stderr)
        return 2
    items, plans = summarise_files(paths, rules)
    for path, plan in plans:
        print(i18n.t("summary.rpjmd_used", args.lang, file=str(path), province=plan.province,
                     period=plan.periode_rpjmd or ""), file=sys.stderr)
    if args.json:
        json.dump(items, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for item in items:
            _print_readable(item, args.lang, sys.stdout)
    return 0 if all(i["status"] == "valid" for i in items) else 1
