"""RPJMD loading: the province's opened reference workbook (Identitas, RPJMD) to its indicator frame and issues."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kesbang import regions, schema
from kesbang.intake import checks, styles
from kesbang.intake.cells import cell_ref, issue
from kesbang.intake.headers import Header, find_header, norm
from kesbang.intake.numbers import as_code, cell_text
from kesbang.intake.reader import Workbook
from kesbang.intake.sheets import keyvalue, match_sheets
from kesbang.intake.table import columns, parse_table
from kesbang.model import ValidationIssue


@dataclass
class RpjmdResult:
    filename: str
    province: str | None
    periode_rpjmd: str | None
    frame: pd.DataFrame
    issues: list[ValidationIssue]
    sha256: str | None = None
    kind: str | None = None

    @property
    def ok(self) -> bool:
        return self.province is not None and not any(i.severity == "error" for i in self.issues)


_YEAR_TARGET = re.compile(r"^target(?: tahun| th| ta)? (\d{4})$")
RPJMD_FRAME_COLUMNS = ["province", "periode_rpjmd", "row", *schema.RPJMD_INDIKATOR.keys]


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in RPJMD_FRAME_COLUMNS})


def _province_code(raw: Any) -> str | None:
    text = as_code(raw)
    if not text:
        return None
    m = re.fullmatch(r"(\d{2})(?:\.0+)?", text)
    if not m:
        return None
    return m[1] if m[1] in set(regions.provinces()["kemendagri"].astype(str)) else None


def _identity(wb: Workbook, issues: list[ValidationIssue]) -> tuple[str | None, tuple[int, int] | None]:
    """The province code and plan period from the Identitas sheet."""
    ident_sheet = next((n for n in wb.sheet_names if norm(n) in ("identitas", "identity")), None)
    province = period = None
    if ident_sheet is None:
        issues.append(issue("error", "v.sheet.missing", schema.RPJMD_IDENTITAS.name, sheet_en="Identity"))
        return None, None
    _, where = keyvalue(wb.grid(ident_sheet), schema.RPJMD_IDENTITAS, issues)
    for col in schema.RPJMD_IDENTITAS.columns:
        if col.required and col.key not in where:
            issues.append(issue("error", "v.identitas.missing", ident_sheet, None, col.label))
    if "kode_provinsi" in where:
        cell, label, value = where["kode_provinsi"]
        province = _province_code(value)
        if province is None:
            issues.append(issue("error", "v.region.unknown_province", ident_sheet, cell, label, cell_text(value)))
    if "periode_rpjmd" in where:
        cell, label, value = where["periode_rpjmd"]
        period = checks.parse_plan_period(value)
        if period is None:
            issues.append(issue("error", "v.identitas.bad_plan_period", ident_sheet, cell, label, cell_text(value)))
    return province, period


def _year_targets(header: Header, period: tuple[int, int] | None) -> None:
    """"Target 2025" columns: the plan year decides which target_i they are."""
    year_cols = [(c, label, int(m[1])) for c, label in header.extras if (m := _YEAR_TARGET.match(norm(label)))]
    if not year_cols:
        return
    start = period[0] if period else min(y for _, _, y in year_cols)
    kept = []
    for c, label, y in year_cols:
        i = y - start + 1
        if 1 <= i <= schema.PLAN_YEARS and f"target_{i}" not in header.columns:
            header.columns[f"target_{i}"] = (c, label)
            kept.append(c)
    header.extras = [(c, label) for c, label in header.extras if c not in kept]


def load(wb: Workbook, filename: str, sha: str) -> RpjmdResult:
    """The RPJMD reference in an opened workbook, with every issue found (see `loader.load_rpjmd`)."""
    issues: list[ValidationIssue] = []
    found = match_sheets(wb, (schema.RPJMD_INDIKATOR,))
    province, period = _identity(wb, issues)
    period_text = f"{period[0]}-{period[1]}" if period else None
    if "rpjmd" not in found:
        issues.append(issue("error", "v.sheet.missing", schema.RPJMD_INDIKATOR.name, sheet_en="RPJMD"))
        return RpjmdResult(filename, province, period_text, empty_frame(), issues, sha, wb.kind)
    name = found["rpjmd"]
    grid = wb.grid(name)
    header = find_header(grid.rows, schema.RPJMD_INDIKATOR)
    if header is None:
        required = ", ".join(c.label for c in schema.RPJMD_INDIKATOR.columns if c.required)
        issues.append(issue("error", "v.sheet.no_header", name, columns=required))
        return RpjmdResult(filename, province, period_text, empty_frame(), issues, sha, wb.kind)
    _year_targets(header, period)
    for col in schema.RPJMD_INDIKATOR.columns:
        if col.required and col.key not in header.columns:
            issues.append(issue("error", "v.column.missing", name, cell_ref(header.last_row + 1, 0), col.label))
    for c, label in header.extras:
        issues.append(issue("info", "v.column.extra", name, cell_ref(header.last_row + 1, c), label))
    grid = styles.fill_merged_down(grid, styles.safe_look(wb, name).merged, header.last_row, issues)
    table = parse_table(grid, schema.RPJMD_INDIKATOR, header, issues)
    issues.extend(checks.check_duplicates_rpjmd(table))
    issues.extend(checks.check_code_shapes(table))
    frame = columns(table, schema.RPJMD_INDIKATOR).frame()
    frame.insert(0, "periode_rpjmd", period_text)
    frame.insert(0, "province", province)
    drop = [c for c in ("target_min", "target_max", "target_text") if c in frame]
    frame = frame.drop(columns=drop)[RPJMD_FRAME_COLUMNS]
    return RpjmdResult(filename, province, period_text, frame, issues, sha, wb.kind)
