"""A table sheet's data rows under its header (column-number, total and blank rows skipped), typed by column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kesbang import schema
from kesbang.intake.cells import cell_ref, issue
from kesbang.intake.columns import Columns
from kesbang.intake.convert import NUMERIC_KINDS, Converter, convert_column
from kesbang.intake.headers import Header, per_spec
from kesbang.intake.numbers import clean_text, format_plain, is_blank
from kesbang.intake.reader import Grid
from kesbang.model import Severity, ValidationIssue


@dataclass
class ParsedTable:
    """One table sheet after parsing: typed records and, for each key, where its column was found."""

    spec: schema.SheetSpec
    sheet: str  # sheet name as found in the file
    header_row: int  # Excel row of the (last) header row
    columns: dict[str, tuple[int, str]]  # key -> (column index, header label as found)
    data: dict[str, list[Any]] = field(default_factory=dict)  # typed values + "row", column by column
    raw_columns: dict[str, list[Any]] = field(default_factory=dict)  # the cells as read, per key
    _records: list[dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def records(self) -> list[dict[str, Any]]:
        """The same values row by row (typed values + "row", the Excel row), built when first asked for:
        the loader's own checks read the columns."""
        if self._records is None:
            keys = list(self.data)
            self._records = [dict(zip(keys, vals)) for vals in zip(*self.data.values())]
        return self._records

    @property
    def size(self) -> int:
        """Number of data rows (without building `records`)."""
        rows = self.data.get("row")
        return len(rows) if rows is not None else len(self.records)

    def cell(self, record: dict[str, Any], key: str) -> str | None:
        col = self.columns.get(key)
        return None if col is None else cell_ref(record["row"], col[0])

    def label(self, key: str) -> str:
        col = self.columns.get(key)
        return col[1] if col else self.spec.column(key).label

    def at(self, severity: Severity, code: str, i: int, key: str, **params: Any) -> ValidationIssue:
        rows = self.data.get("row")
        col = self.columns.get(key)
        row = rows[i] if rows is not None else self.records[i]["row"]
        return issue(
            severity,
            code,
            self.sheet,
            None if col is None else cell_ref(row, col[0]),
            self.label(key),
            seen(self.raw_columns[key][i]) if key in self.raw_columns else None,
            **params,
        )


def seen(value: Any) -> str | None:
    """A cell as the operator wrote it, for messages."""
    if value is None or value == "":
        return None
    return clean_text(value) if isinstance(value, str) else format_plain(value)


# "(8)", "8", or a computed column's "(14) = (13)/(11) x 100"
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?(?:\s*=\s*[\d()+\-x×*/:%., ]+)?$", re.I)


def _is_column_number_row(row: list[Any]) -> bool:
    """The "(1) (2) (3) …" row Permendagri forms put under the header (judged cell by cell, so an ordinary
    data row is told apart at its first text cell)."""
    numbered = 0
    for v in row:
        if is_blank(v):
            continue
        if not (
            isinstance(v, int | float)
            and not isinstance(v, bool)
            and float(v).is_integer()
            and 0 < v < 100
            or (isinstance(v, str) and _COLUMN_NUMBER.fullmatch(v.strip()))
        ):
            return False
        numbered += 1
    return numbered >= 3


_TOTAL_LABEL = re.compile(r"^(jumlah|total|grand\s*total|sub\s*-?\s*total|rata\s*-?\s*rata|rerata)\b", re.I)
# first letters _TOTAL_LABEL can match (re.I also folds the Kelvin sign and the long s into k and s)
_TOTAL_INITIALS = frozenset("jJtTgGsSrR\u017f")


def _filled(v: Any) -> bool:
    return v is not None and v != ""  # calamine gives "" for an empty cell


def _total_label(row: list[Any]) -> str | None:
    """The text of a total row's first text cell ("Jumlah", "Total", "Rata-rata"), else None."""
    for v in row:
        if type(v) is str and v.strip():
            text = v.strip()
            return text if text[:1] in _TOTAL_INITIALS and _TOTAL_LABEL.match(text) else None
    return None


def _operator_values(spec: schema.SheetSpec, cols: list) -> list[int]:
    """The indicator columns only the operator fills in: target, realisations, pagu and budget spent (a
    template pre-fills codes, names, units, the baseline from the plan). Other sheets have none."""
    if spec.key != schema.INDIKATOR.key:
        return []
    return [c for col, c, _ in cols if (col.kind in NUMERIC_KINDS or col.kind == "range") and col.key != "baseline"]


def _data_rows(grid: Grid, spec: schema.SheetSpec, header: Header, cols: list, issues: list[ValidationIssue]
               ) -> tuple[list[list[Any]], list[int]]:
    """The rows under the header that hold data, and their Excel row numbers. An indicator row the
    operator left empty (nothing in any `_operator_values` column) is skipped, with one warning."""
    required = [c for col, c, _ in cols if col.required or col.kind in NUMERIC_KINDS or col.kind == "range"]
    values = _operator_values(spec, cols)
    left_empty: list[int] = []
    rows, marks = grid.rows, grid.marks
    mark_cols = {c for (_, c) in marks}
    kept: list[list[Any]] = []
    excel_rows: list[int] = []
    first = True  # the first filled row under the header may be the form's column-number row
    for r in range(header.last_row + 1, len(rows)):
        row = rows[r]
        width = len(row)
        blank = row.count("")  # calamine gives "" for an empty cell
        excel_row = r + 1
        # a cell calamine reads as blank may hold an error or a formula without a value: reported where it is
        marked = bool(mark_cols) and any((excel_row, c) in marks for _, c, _ in cols)
        if (blank == width or (None in row and blank + row.count(None) == width)) and not marked:
            continue  # a separator row
        if first:
            first = False
            if _is_column_number_row(row):
                continue
        if (total := _total_label(row)) is not None:
            issues.append(issue("info", "v.row.total_skipped", grid.name, f"A{excel_row}", None, total))
            continue
        if not any(c < width and _filled(row[c]) for c in required) and not marked:
            continue  # a section title or signature line: nothing to read
        if values and not marked and not any(c < width and _filled(row[c]) for c in values):
            left_empty.append(excel_row)
            continue
        if len(kept) >= spec.max_rows:
            issues.append(
                issue("error", "v.sheet.too_many_rows", grid.name, f"A{excel_row}", None, None, max=spec.max_rows)
            )
            break
        kept.append(row)
        excel_rows.append(excel_row)
    if left_empty:
        shown = ", ".join(map(str, left_empty[:5])) + (" …" if len(left_empty) > 5 else "")
        issues.append(issue("warning", "v.row.left_empty", grid.name, None, None, None, count=len(left_empty),
                            rows=shown))
    return kept, excel_rows


def parse_table(grid: Grid, spec: schema.SheetSpec, header: Header, issues: list[ValidationIssue]) -> ParsedTable:
    """Read the data rows under `header`, a column at a time (the common cell takes the fast path)."""
    table = ParsedTable(spec, grid.name, header.last_row + 1, header.columns)
    conv = Converter(grid.name, issues)
    by_key = _columns_by_key(spec)
    cols = [(by_key[k], c, label) for k, (c, label) in header.columns.items()]
    kept, excel_rows = _data_rows(grid, spec, header, cols, issues)
    data: dict[str, list[Any]] = {"row": excel_rows}
    width = len(kept[0]) if kept else 0
    # calamine's rows are all as wide as the sheet: transpose once instead of a pass per column
    by_column = list(zip(*kept)) if kept and all(len(row) == width for row in kept) else None
    for col, c, label in cols:
        if by_column is not None:
            values = list(by_column[c]) if c < width else [None] * len(kept)
        else:
            values = [row[c] if c < len(row) else None for row in kept]
        table.raw_columns[col.key] = values
        data.update(convert_column(col, c, label, values, excel_rows, grid.marks, conv))
    table.data = data
    return table


def _build_columns_by_key(spec: schema.SheetSpec) -> dict[str, schema.Column]:
    return {c.key: c for c in spec.columns}


def _columns_by_key(spec: schema.SheetSpec) -> dict[str, schema.Column]:
    return per_spec(_build_columns_by_key, spec)


def columns(table: ParsedTable | None, spec: schema.SheetSpec, extra: tuple[str, ...] = ()) -> Columns:
    """The frame of `table` (`row`, the spec's keys, `extra`) as typed columns: a DataFrame is built from
    them only when one is read."""
    keys = ("row", *spec.keys, *extra)
    if table is None or not table.size:
        return Columns(keys, {}, 0, _numeric_keys(spec))
    return Columns(keys, table.data, table.size, _numeric_keys(spec))


def _build_numeric_keys(spec: schema.SheetSpec) -> frozenset[str]:
    return frozenset({c.key for c in spec.columns if c.kind in NUMERIC_KINDS} | {"target_min", "target_max"})


def _numeric_keys(spec: schema.SheetSpec) -> frozenset[str]:
    return per_spec(_build_numeric_keys, spec)
