"""Submission loading: a regency's opened workbook to a Submission (Identitas, Indikator, Paskibraka, Nilai)."""

from __future__ import annotations

import re
from typing import Any

from kesbang import regions, schema
from kesbang.intake import checks, styles
from kesbang.intake.cells import cell_ref, issue
from kesbang.intake.convert import Converter
from kesbang.intake.headers import Header, find_header
from kesbang.intake.numbers import as_code, cell_text, is_blank
from kesbang.intake.reader import Grid, ReadProblem, Workbook
from kesbang.intake.sheets import Where, keyvalue, match_sheets
from kesbang.intake.table import ParsedTable, columns, parse_table
from kesbang.model import LoadResult, Submission, ValidationIssue

_REGION_IN_TITLE = re.compile(r"\b(?:kabupaten|kab\.?|kota)\s+([A-Za-z][A-Za-z .'-]{2,40})", re.I)
# every spelling of the indicator column (schema.INDIKATOR "indikator") contains one of these words
_INDICATOR_WORD = re.compile(rb"ndi[kc]ator", re.I)
_TABLES = (schema.INDIKATOR, schema.PASKIBRAKA, schema.PROGRAM_NILAI)


def _region(grid: Grid, ident: dict[str, Any], where: Where, issues: list[ValidationIssue]) -> str | None:
    """The region: its code, else its name; both must agree when both are given."""
    code_raw = where.get("kode_wilayah", (None, None, None))[2]
    code = regions.normalise_code(as_code(code_raw)) if not is_blank(code_raw) else None
    by_name = regions.code_from_name(ident.get("nama_wilayah")) if ident.get("nama_wilayah") else None
    if code is None and not is_blank(code_raw):
        cell, label, _ = where["kode_wilayah"]
        issues.append(issue("error" if by_name is None else "warning", "v.region.unknown_code", grid.name, cell,
                            label, cell_text(code_raw)))
    if code is None:
        code = by_name
        if code is None and "kode_wilayah" in where:
            cell, label, _ = where.get("nama_wilayah", where["kode_wilayah"])
            issues.append(issue("error", "v.region.unknown", grid.name, cell, label, ident.get("nama_wilayah")))
    elif by_name is not None and by_name != code:
        cell, label, _ = where["nama_wilayah"]
        issues.append(issue("warning", "v.region.name_mismatch", grid.name, cell, label, ident.get("nama_wilayah"),
                            region_code=code, name=regions.name_of(code)))
    return code


def _identitas(grid: Grid, issues: list[ValidationIssue]) -> tuple[dict[str, Any], Where]:
    spec = schema.IDENTITAS
    _, where = keyvalue(grid, spec, issues)
    conv = Converter(grid.name, issues)
    ident: dict[str, Any] = {}
    for col in spec.columns:
        if col.key not in where:
            if col.required:
                issues.append(issue("error", "v.identitas.missing", grid.name, None, col.label, None))
            ident[col.key] = None
            continue
        cell, label, value = where[col.key]
        if col.key == "kode_wilayah":
            continue
        conv.convert(col, value, cell, label, None, ident)
    if isinstance(ident.get("tahun"), float):
        ident["tahun"] = int(ident["tahun"])
    ident["kode_wilayah"] = _region(grid, ident, where, issues)
    return ident, where


def _region_mentions(grid: Grid, header: Header, code: str | None, issues: list[ValidationIssue]) -> None:
    """Title rows naming another regency than Identitas ("Kabupaten Kapuas" on a Kotim upload)."""
    if code is None:
        return
    for r in range(header.first_row):
        for c, v in enumerate(grid.rows[r]):
            if not isinstance(v, str):
                continue
            m = _REGION_IN_TITLE.search(v)
            if not m:
                continue
            words = m[1].split()
            found = None
            for n in range(min(3, len(words)), 0, -1):
                found = regions.code_from_name(" ".join(words[:n]))
                if found:
                    break
            if found and found != code:
                issues.append(issue("error", "v.region.mismatch", grid.name, cell_ref(r + 1, c), None, v.strip(),
                                    region_code=code, name=regions.name_of(code), other=regions.name_of(found)))


def _indicator_sheet_by_header(wb: Workbook, found: dict[str, str]) -> tuple[str, Grid, Header] | None:
    """An evaluation form under another sheet name ("Sheet1", "Form E.81"), found by its header."""
    for name in wb.sheet_names:
        if name in found.values() or name not in wb.worksheets or name in wb.hidden:
            continue
        if not wb.may_contain(name, _INDICATOR_WORD):
            continue  # no "indikator" header anywhere in its text: not worth reading the sheet
        grid = wb.grid(name)
        header = find_header(grid.rows, schema.INDIKATOR, min_score=4)
        if header is not None and "indikator" in header.columns:
            return name, grid, header
    return None


def _find_sheets(wb: Workbook, issues: list[ValidationIssue]) -> tuple[dict[str, str], dict[str, tuple[Grid, Header]]]:
    """spec key -> sheet name, and the headers already found on the way."""
    found = match_sheets(wb, schema.SUBMISSION_SHEETS)
    headers: dict[str, tuple[Grid, Header]] = {}
    if "indikator" not in found and (by_header := _indicator_sheet_by_header(wb, found)) is not None:
        name, grid, header = by_header
        found["indikator"] = name
        headers["indikator"] = (grid, header)
        issues.append(issue("info", "v.sheet.found_by_header", name, expected=schema.INDIKATOR.name))
    for spec in schema.SUBMISSION_SHEETS:
        if spec.required and spec.key not in found:
            issues.append(issue("error", "v.sheet.missing", spec.name, sheet_en=spec.name_en))
    return found, headers


def _read_table(wb: Workbook, spec: schema.SheetSpec, name: str, known: tuple[Grid, Header] | None,
                code: str | None, issues: list[ValidationIssue]) -> tuple[ParsedTable | None, list[str]]:
    """One table sheet parsed (None without a header) and the labels of its extra columns."""
    grid, header = known or (wb.grid(name), None)
    header = header or find_header(grid.rows, spec)
    if header is None:
        issues.append(issue("error", "v.sheet.no_header", name,
                            columns=", ".join(c.label for c in spec.columns if c.required)))
        return None, []
    for col in spec.columns:
        if col.required and col.key not in header.columns:
            issues.append(issue("error", "v.column.missing", name, cell_ref(header.last_row + 1, 0), col.label))
    for c, label in header.extras:
        issues.append(issue("info", "v.column.extra", name, cell_ref(header.last_row + 1, c), label))
    look = styles.safe_look(wb, name)
    table = parse_table(styles.fill_merged_down(grid, look.merged, header.last_row, issues), spec, header, issues)
    if spec is schema.INDIKATOR:
        styles.read_shown_percent(table, look.percent, issues)
    _region_mentions(grid, header, code, issues)
    return table, [label for _, label in header.extras]


def _fill_paskibraka_totals(pas: ParsedTable) -> None:
    """A missing total is the sum of its parts."""
    for i, r in enumerate(pas.records):
        if r.get("jumlah") is None and (r.get("putra") is not None or r.get("putri") is not None):
            r["jumlah"] = (r.get("putra") or 0) + (r.get("putri") or 0)
            if "jumlah" in pas.data:
                pas.data["jumlah"][i] = r["jumlah"]


def _check(tables: dict[str, ParsedTable | None], ident: dict[str, Any], rpjmd_codes: set[str] | None,
           issues: list[ValidationIssue]) -> None:
    year = ident.get("tahun") if isinstance(ident.get("tahun"), int) else None
    ind, pas, nilai = tables["indikator"], tables["paskibraka"], tables["nilai"]
    if ind is not None:
        if not ind.size:
            issues.append(issue("error", "v.sheet.empty", ind.sheet))
        for check in (checks.check_duplicates, checks.check_targets, checks.check_budget, checks.check_codes,
                      checks.check_code_shapes):
            issues.extend(check(ind))
        issues.extend(checks.check_quarters(ind, schema.PERIOD_QUARTERS.get(ident.get("periode") or "")))
        issues.extend(checks.check_rpjmd_codes(ind, rpjmd_codes))
    if pas is not None:
        _fill_paskibraka_totals(pas)
        issues.extend(checks.check_paskibraka(pas, year))
    if nilai is not None:
        issues.extend(checks.check_nilai(nilai, year))
        issues.extend(checks.check_code_shapes(nilai))


def _format_version(wb: Workbook) -> str | None:
    try:
        return wb.format_version()
    except ReadProblem:
        return None


def load(wb: Workbook, filename: str, sha: str, rpjmd_codes: set[str] | None) -> LoadResult:
    """The submission in an opened workbook, with every issue found (see `loader.load_submission`)."""
    issues: list[ValidationIssue] = []
    found, headers = _find_sheets(wb, issues)
    if "indikator" not in found:
        return LoadResult(filename, issues, None, sha, wb.kind)
    for name in found.values():
        if name in wb.hidden:
            issues.append(issue("info", "v.sheet.hidden", name))
    ident: dict[str, Any] = {c.key: None for c in schema.IDENTITAS.columns}
    if "identitas" in found:
        ident, where = _identitas(wb.grid(found["identitas"]), issues)
        issues.extend(checks.check_year_in_plan(ident, where, found["identitas"]))
    tables: dict[str, ParsedTable | None] = {}
    extra_columns: dict[str, list[str]] = {}
    for spec in _TABLES:
        name = found.get(spec.key)
        tables[spec.key], extras = (None, []) if name is None else _read_table(
            wb, spec, name, headers.get(spec.key), ident.get("kode_wilayah"), issues)
        if extras:
            extra_columns[name] = extras
    _check(tables, ident, rpjmd_codes, issues)
    submission = Submission(
        identitas=ident,
        indikator=columns(tables["indikator"], schema.INDIKATOR, ("target_min", "target_max", "target_text")),
        paskibraka=columns(tables["paskibraka"], schema.PASKIBRAKA),
        nilai=columns(tables["nilai"], schema.PROGRAM_NILAI),
        issues=issues,
        extra_columns=extra_columns,
        format_version=_format_version(wb),
    )
    return LoadResult(filename, issues, submission, sha, wb.kind)
