"""Validation checks over parsed submission sheets: each check is one small function yielding issues.

A check sees the parsed tables (typed values plus where each value came from) and reports problems as
`ValidationIssue` records with a catalogue message id; the text is chosen at render time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from kesbang import schema
from kesbang.intake.cells import issue
from kesbang.intake.table import ParsedTable
from kesbang.model import ValidationIssue


def _num(value: Any) -> float | None:
    kind = type(value)
    if kind is float:  # the loader's numeric cells: decided without the isinstance chain below
        return None if value != value else value
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value)):
        return float(value)
    return None


# --- identitas ---------------------------------------------------------------------------------------

_PERIOD = re.compile(r"(\d{4})\s*(?:-|–|—|s\.?\s*d\.?|s/d|sampai|hingga|to)\s*(\d{4})", re.I)


def parse_plan_period(text: Any) -> tuple[int, int] | None:
    """'2025-2029', '2025–2029', 'RPJMD 2025 s.d. 2029' -> (2025, 2029)."""
    if text is None:
        return None
    m = _PERIOD.search(str(text))
    if not m:
        return None
    start, end = int(m[1]), int(m[2])
    return (start, end) if start <= end <= start + 20 else None


def check_year_in_plan(
    ident: dict[str, Any], where: dict[str, tuple[str, str, Any]], sheet: str
) -> Iterator[ValidationIssue]:
    year, text = ident.get("tahun"), ident.get("periode_rpjmd")
    if text is None:
        return
    cell, label, raw = where.get("periode_rpjmd", (None, None, text))
    period = parse_plan_period(text)
    if period is None:
        yield issue("error", "v.identitas.bad_plan_period", sheet, cell, label, raw)
        return
    if isinstance(year, int) and not period[0] <= year <= period[1]:
        ycell, ylabel, yraw = where.get("tahun", (None, None, year))
        yield issue(
            "error",
            "v.identitas.year_outside_plan",
            sheet,
            ycell,
            ylabel,
            yraw,
            start=period[0],
            end=period[1],
        )


# --- indikator -----------------------------------------------------------------------------------------


def check_duplicates(t: ParsedTable) -> Iterator[ValidationIssue]:
    """The same indicator twice would be counted twice: name both rows."""
    seen: dict[tuple, int] = {}
    rows = _column(t, "row")
    for i, (code, name, sub) in enumerate(
        zip(_column(t, "kode_indikator"), _column(t, "indikator"), _column(t, "kode_subkegiatan"))
    ):
        if code:
            key = ("code", code, sub)
        else:  # no code: the indicator is known by its name
            name = " ".join(str(name or "").lower().split())
            if not name:
                continue
            key = ("name", name, sub)
        if key in seen:
            first = seen[key]
            column = "kode_indikator" if code else "indikator"
            yield t.at(
                "error",
                "v.indikator.duplicate",
                i,
                column,
                other_row=rows[first],
                other_cell=t.cell({"row": rows[first]}, column) or "",
            )
        else:
            seen[key] = i


def check_targets(t: ParsedTable) -> Iterator[ValidationIssue]:
    """Percent targets above 100 and inverted ranges are almost always typing mistakes."""
    for i, (hi, rollup) in enumerate(zip(_column(t, "target_max"), _column(t, "akumulasi"))):
        if hi is None or rollup != "persentase":
            continue
        hi = _num(hi)
        if hi is not None and hi > 100:
            yield t.at("warning", "v.indikator.percent_over_100", i, "target")


def _column(t: ParsedTable, key: str) -> list[Any]:
    """One typed column of `t` (all None when the sheet has no such column)."""
    values = t.data.get(key)
    return values if values is not None and len(values) == t.size else [r.get(key) for r in t.records]


def _nums(values: list[Any]) -> list[float | None]:
    """`_num` over a column; the loader's numeric columns already hold floats or None."""
    return [None if v is None else v if type(v) is float and v == v else _num(v) for v in values]


_TW_KEYS = {q: f"realisasi_tw{q}" for q in range(1, 5)}


def check_quarters(t: ParsedTable, period_quarter: int | None) -> Iterator[ValidationIssue]:
    """Quarterly realisations must fit the roll-up type and the reporting period."""
    tw = [_nums(_column(t, f"realisasi_tw{q}")) for q in range(1, 5)]
    rollups = _column(t, "akumulasi")
    targets = _nums(_column(t, "target_max"))
    for i, values in enumerate(zip(*tw)):
        gaps = None in values
        if gaps:
            if values == (None, None, None, None):
                continue  # nothing reported: no check below has anything to look at
            filled = [v for v in values if v is not None]
            last = 4 if values[3] is not None else 3 if values[2] is not None else 2 if values[1] is not None else 1
        else:  # every quarter filled
            filled, last = values, 4
        rollup = rollups[i]
        low, high = min(filled), max(filled)
        if (
            (period_quarter is not None and last > period_quarter)
            or (rollup == "persentase" and (high > 100 or low < 0))
            or (rollup == "kumulatif" and low < 0)
        ):  # (the common row has none of these and skips the per-quarter pass)
            for q, v in enumerate(values, start=1):
                if v is None:
                    continue
                key = _TW_KEYS[q]
                if period_quarter is not None and q > period_quarter:
                    yield t.at("warning", "v.quarter.beyond_period", i, key, quarter=q, period=period_quarter)
                if rollup == "persentase" and (v > 100 or v < 0):
                    yield t.at("warning", "v.quarter.percent_range", i, key, quarter=q)
                elif rollup == "kumulatif" and v < 0:
                    yield t.at("warning", "v.quarter.negative", i, key, quarter=q)
        target = targets[i]
        if (
            rollup == "kumulatif"
            and target
            and target > 0
            and len(filled) >= 3
            and sum(filled) > 1.5 * target
            and filled[-1] <= 1.25 * target
            and all(b > a for a, b in zip(filled, filled[1:]))
        ):
            # a running total typed into a sum-of-quarters indicator counts the early quarters twice
            yield t.at(
                "warning",
                "v.quarter.looks_cumulative",
                i,
                _TW_KEYS[last],
                total=_fmt(sum(filled)),
                target=_fmt(target),
            )
        if gaps and rollup in ("stok", "persentase"):
            for q in range(1, last):
                if values[q - 1] is None:  # the last reported value counts: a gap hides a quarter
                    yield t.at("warning", "v.quarter.gap", i, f"realisasi_tw{q}", quarter=q)


def check_budget(t: ParsedTable) -> Iterator[ValidationIssue]:
    quarters = [_nums(_column(t, f"anggaran_tw{q}")) for q in range(1, 5)]
    pagus = _nums(_column(t, "pagu"))
    for i, spent in enumerate(zip(*quarters)):
        pagu = pagus[i]
        if pagu is None or spent == (None, None, None, None):
            continue
        total = sum(v for v in spent if v is not None) if None in spent else sum(spent)
        if total > pagu:
            last = max(q for q in range(1, 5) if spent[q - 1] is not None)
            yield t.at("warning", "v.budget.over_pagu", i, f"anggaran_tw{last}", total=_fmt(total), pagu=_fmt(pagu))


def check_rpjmd_codes(t: ParsedTable, rpjmd_codes: set[str] | None) -> Iterator[ValidationIssue]:
    if rpjmd_codes is None:
        return
    known = {c.strip() for c in rpjmd_codes}
    for i, code in enumerate(_column(t, "kode_rpjmd")):
        if code and code not in known:
            yield t.at("warning", "v.indikator.unknown_rpjmd", i, "kode_rpjmd")


def check_codes(t: ParsedTable) -> Iterator[ValidationIssue]:
    """A sub-kegiatan code must sit under its program code (8.01.02.2.01.0008 under 8.01.02)."""
    for i, (prog, keg, sub) in enumerate(
        zip(_column(t, "kode_program"), _column(t, "kode_kegiatan"), _column(t, "kode_subkegiatan"))
    ):
        if prog and sub and not sub.startswith(prog):
            yield t.at("warning", "v.indikator.code_mismatch", i, "kode_subkegiatan", parent=prog)
        elif prog and keg and not keg.startswith(prog):
            yield t.at("warning", "v.indikator.code_mismatch", i, "kode_kegiatan", parent=prog)


# Permendagri 90 code shapes: urusan.bidang.program (8.01.02), + .level.kegiatan (8.01.02.2.01),
# + .sub-kegiatan (8.01.02.2.01.0008; older documents write 2 digits, 8.01.02.2.01.08, still accepted).
# The shapes are shown to the operator as written here (digits as N), the same in both languages.
_PROGRAM = r"\d+\.\d{2}\.\d{2}"
_KEGIATAN = _PROGRAM + r"\.\d\.\d{2}"
CODE_SHAPES: dict[str, tuple[re.Pattern[str], str, str]] = {
    "kode_program": (re.compile(_PROGRAM), "N.NN.NN", "8.01.02"),
    "kode_kegiatan": (re.compile(_KEGIATAN), "N.NN.NN.N.NN", "8.01.02.2.01"),
    "kode_subkegiatan": (re.compile(_KEGIATAN + r"\.\d{2,4}"), "N.NN.NN.N.NN.NNNN", "8.01.02.2.01.0008"),
}


def check_code_shapes(t: ParsedTable) -> Iterator[ValidationIssue]:
    """A warning for each filled code cell that does not have its Permendagri 90 shape (the loader keeps
    any text there, but a mistyped code silently breaks the program/sub-kegiatan roll-ups)."""
    for key, (pattern, shape, example) in CODE_SHAPES.items():
        if key not in t.columns:
            continue
        good = set()  # a code repeats down its column (every indicator of a program): match it once
        for i, code in enumerate(_column(t, key)):
            if not code or code in good:
                continue
            if pattern.fullmatch(str(code).strip()):
                good.add(code)
            else:
                yield t.at("warning", "v.indikator.code_shape", i, key, expected=shape, example=example)


# --- paskibraka ------------------------------------------------------------------------------------------


def check_paskibraka(t: ParsedTable, year: int | None) -> Iterator[ValidationIssue]:
    by_stage: dict[str, int] = {}
    for i, r in enumerate(t.records):
        stage = r.get("tahap")
        if stage is None:
            continue
        if stage in by_stage:
            first = t.records[by_stage[stage]]
            yield t.at("error", "v.paskibraka.duplicate_stage", i, "tahap", other_row=first["row"])
            continue
        by_stage[stage] = i
        putra, putri, jumlah = (_num(r.get(k)) for k in ("putra", "putri", "jumlah"))
        if putra is not None and putri is not None and jumlah is not None and putra + putri != jumlah:
            yield t.at("error", "v.paskibraka.sum_mismatch", i, "jumlah", putra=_fmt(putra), putri=_fmt(putri))
        for a, b in (("rencana_mulai", "rencana_selesai"), ("realisasi_mulai", "realisasi_selesai")):
            if r.get(a) and r.get(b) and r[b] < r[a]:
                yield t.at("error", "v.paskibraka.dates_reversed", i, b, start=r[a].isoformat())
        if year is not None:
            for key in ("rencana_mulai", "rencana_selesai", "realisasi_mulai", "realisasi_selesai"):
                d = r.get(key)
                if d is not None and abs(d.year - year) > 1:
                    yield t.at("warning", "v.date.outside_year", i, key, year=year)
    # the funnel only narrows: a stage may not count more people than the stage it comes from
    for stage, i in by_stage.items():
        parent = schema.STAGE_BY_KEY[stage].parent
        if parent and parent in by_stage:
            n, p = _num(t.records[i].get("jumlah")), _num(t.records[by_stage[parent]].get("jumlah"))
            if n is not None and p is not None and n > p:
                prow = t.records[by_stage[parent]]
                yield t.at(
                    "error",
                    "v.paskibraka.funnel_grows",
                    i,
                    "jumlah",
                    parent=schema.STAGE_BY_KEY[parent].label,
                    parent_value=_fmt(p),
                    other_row=prow["row"],
                    other_cell=t.cell(prow, "jumlah") or "",
                )
    # stages happen in legal order: selection before training before inauguration
    order = {s.key: s.legal_stage for s in schema.STAGES}
    starts = [
        (order[s], t.records[i].get("realisasi_mulai"), i)
        for s, i in by_stage.items()
        if t.records[i].get("realisasi_mulai") is not None
    ]
    for legal, start, i in starts:
        for legal2, start2, j in starts:
            if legal2 < legal and start2 > start:
                yield t.at("warning", "v.paskibraka.stage_order", i, "realisasi_mulai", other_row=t.records[j]["row"])
                break


# --- program nilai ---------------------------------------------------------------------------------------


def check_nilai(t: ParsedTable, year: int | None) -> Iterator[ValidationIssue]:
    if year is None:
        return
    for i, d in enumerate(_column(t, "tanggal")):
        if d is not None and d.year != year:
            yield t.at("warning", "v.date.outside_year", i, "tanggal", year=year)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def check_duplicates_rpjmd(t: ParsedTable) -> Iterator[ValidationIssue]:
    """An RPJMD indicator code must be unique: submissions cascade to it by code."""
    seen: dict[str, int] = {}
    for i, r in enumerate(t.records):
        code = r.get("kode_rpjmd")
        if not code:
            continue
        if code in seen:
            first = t.records[seen[code]]
            yield t.at(
                "error",
                "v.indikator.duplicate",
                i,
                "kode_rpjmd",
                other_row=first["row"],
                other_cell=t.cell(first, "kode_rpjmd") or "",
            )
        else:
            seen[code] = i
