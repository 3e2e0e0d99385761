"""Which sheet of a workbook is which (by name), and the label-value sheets (Identitas) read as one record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kesbang import schema
from kesbang.intake.cells import cell_ref, issue
from kesbang.intake.headers import find_header, label_index, norm, per_spec
from kesbang.intake.numbers import is_blank
from kesbang.intake.reader import Grid, Workbook
from kesbang.model import ValidationIssue


def _specs_by_name(specs: tuple[schema.SheetSpec, ...]) -> dict[str, schema.SheetSpec]:
    return per_spec(schema.sheet_specs_by_name, specs)


def _names_with(folded: str, label: str) -> bool:
    """Whether a normalised sheet name is `label` with a word before or after it ("indikator 2025")."""
    return len(label) >= 4 and (folded.startswith(label + " ") or folded.endswith(" " + label))


def match_sheets(wb: Workbook, specs: tuple[schema.SheetSpec, ...]) -> dict[str, str]:
    """spec key -> sheet name in the file, by sheet name (exact after normalising, then by prefix)."""
    by_name = _specs_by_name(specs)
    found: dict[str, str] = {}
    names = [n for n in wb.sheet_names if n in wb.worksheets]
    for name in names:
        spec = by_name.get(norm(name))
        if spec and spec.key not in found:
            found[spec.key] = name
    for name in names:
        if name in found.values():
            continue
        folded = norm(name)
        for label, spec in by_name.items():
            if spec.key not in found and _names_with(folded, label):
                found[spec.key] = name
                break
    return found


def wanted_sheets(specs: tuple[schema.SheetSpec, ...]) -> Callable[[str], bool]:
    """Whether `match_sheets` could match a sheet of this name to one of `specs`: the sheets to make
    ready when the workbook is opened (any other is made ready if it is read after all)."""
    by_name = _specs_by_name(specs)

    def wanted(name: str) -> bool:
        folded = norm(name)
        return folded in by_name or any(_names_with(folded, label) for label in by_name)

    return wanted


Where = dict[str, tuple[str, str, Any]]  # key -> (cell reference, label as found, raw value)


def _value_col(row: list[Any], c: int) -> int | None:
    """The first filled cell right of column `c` (a lone ":" between label and value is skipped)."""
    for k in range(c + 1, len(row)):
        if not is_blank(row[k]) and not (isinstance(row[k], str) and row[k].strip() == ":"):
            return k
    return None


def _pairs(grid: Grid, spec: schema.SheetSpec, issues: list[ValidationIssue]) -> tuple[dict[str, Any], Where]:
    """Label | value pairs, the label being the first text cell of its row."""
    lookup = label_index(spec)
    raw: dict[str, Any] = {}
    where: Where = {}
    for r, row in enumerate(grid.rows[:200]):
        for c, v in enumerate(row):
            if not isinstance(v, str) or not v.strip():
                continue
            key = lookup.get(norm(v.rstrip(": ")))
            if key is None or key in raw:
                break  # only the first text cell of a row can be a label
            value_col = _value_col(row, c)
            ref_col = value_col if value_col is not None else c + 1
            raw[key] = row[value_col] if value_col is not None else None
            where[key] = (cell_ref(r + 1, ref_col), v.strip(), raw[key])
            mark = grid.marks.get((r + 1, ref_col))
            if mark and raw[key] is None:
                error = mark[0] == "error"
                issues.append(issue("error" if error else "warning",
                                    "v.cell.excel_error" if error else "v.cell.formula_no_value",
                                    grid.name, cell_ref(r + 1, ref_col), v.strip(), mark[1]))
            break
    return raw, where


def keyvalue(grid: Grid, spec: schema.SheetSpec, issues: list[ValidationIssue]) -> tuple[dict[str, Any], Where]:
    """Label | value pairs (label in one cell, value in the next filled cell to its right), or the same
    facts laid out as a one-row table (labels above values)."""
    raw, where = _pairs(grid, spec, issues)
    if len(raw) < 2:
        header = find_header(grid.rows, spec)
        if header is not None:
            r = header.last_row + 1
            while r < len(grid.rows) and not any(not is_blank(v) for v in grid.rows[r]):
                r += 1
            if r < len(grid.rows):
                for key, (c, label) in header.columns.items():
                    value = grid.rows[r][c] if c < len(grid.rows[r]) else None
                    raw[key] = value
                    where[key] = (cell_ref(r + 1, c), label, value)
    return raw, where
