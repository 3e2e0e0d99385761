"""Turn an uploaded workbook into a typed Submission (or RPJMD reference) plus every problem found.

Forgives what operators really send: title rows above the header, columns in any order under the
synonyms people use, the two-row merged headers of the Permendagri 86 evaluation form (Triwulan I-IV
over K | Rp), extra columns, blank separator and total rows, hidden sheets, Indonesian numbers and
dates. Never raises on bad input: every failure is a `ValidationIssue` with a catalogue message id.
One calamine pass per sheet and plain Python over the rows (no pandas reader, no openpyxl): pandas'
defaults would drop leading zeros and turn "NA" into a silent blank.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from kesbang import regions, schema, settings
from kesbang.intake import checks
from kesbang.intake.checks import ParsedTable, issue
from kesbang.intake.columns import Columns
from kesbang.intake.numbers import as_code, clean_text, format_plain, is_blank, parse_date, parse_number, parse_range
from kesbang.intake.reader import Grid, ReadProblem, Workbook, cell_ref, open_workbook
from kesbang.model import LoadResult, Submission, ValidationIssue

log = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 30
_TOTAL_ROW = re.compile(r"^(jumlah|total|grand total|sub total|subtotal|rata rata|rerata)\b")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_REGION_IN_TITLE = re.compile(r"\b(?:kabupaten|kab\.?|kota)\s+([A-Za-z][A-Za-z .'-]{2,40})", re.I)
NUMERIC_KINDS = ("number", "int")


@lru_cache(maxsize=20000)
def _norm(text: str) -> str:
    return schema.normalise_label(text)


def _per_spec(build: Any, spec: Any) -> Any:
    """`build(spec)` computed once per spec object. Keyed by identity: a SheetSpec is a frozen dataclass
    whose hash walks every column, which cost more than most lookups it served (lru_cache hashes on
    every call). The entry keeps the spec alive, so its id cannot be reused by another object."""
    # a tuple of specs (often a fresh literal) is known by its members' identities
    members = spec if isinstance(spec, tuple) else (spec,)
    key = (build, *map(id, members))
    hit = _PER_SPEC.get(key)
    if hit is None or len(hit[0]) != len(members) or any(a is not b for a, b in zip(hit[0], members)):
        if len(_PER_SPEC) > 256:  # specs built on the fly (tests, tools) must not pile up
            _PER_SPEC.clear()
        hit = _PER_SPEC[key] = (members, build(spec))
    return hit[1]


_PER_SPEC: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}


def _specs_by_name(specs: tuple[schema.SheetSpec, ...]) -> dict[str, schema.SheetSpec]:
    return _per_spec(schema.sheet_specs_by_name, specs)


def _build_index(spec: schema.SheetSpec) -> dict[str, str]:
    return schema.HeaderIndex.build(spec).lookup


def _index(spec: schema.SheetSpec) -> dict[str, str]:
    return _per_spec(_build_index, spec)


def _text(value: Any) -> str:
    return "" if value is None else clean_text(format_plain(value)) if not isinstance(value, str) else clean_text(value)


# header cells repeat from one upload to the next (the template's labels): the text of a short one is
# worked out once (typed, so that 1.0 and True, equal as keys, keep their own texts)
_short_label_text = lru_cache(maxsize=4096, typed=True)(_text)


def _label_text(value: Any) -> str:
    return _text(value) if type(value) is str and len(value) > 120 else _short_label_text(value)


# --- header detection ----------------------------------------------------------


@dataclass
class Header:
    first_row: int  # 0-based index of the first header row
    last_row: int  # 0-based index of the last header row
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)
    extras: list[tuple[int, str]] = field(default_factory=list)
    score: int = 0
    direct: int = 0  # labels matched whole, without falling back to one row


def _labels(rows: list[list[Any]], first: int, depth: int) -> list[str]:
    """Header text per column for a header `depth` rows deep: upper rows forward-filled across the
    blank cells of a merged group, joined with the row below ("Realisasi Triwulan I" + "K")."""
    band = rows[first : first + depth]
    width = max((len(r) for r in band), default=0)
    labels = [""] * width
    for level, row in enumerate(band):
        carry = ""
        last = level == depth - 1
        for c in range(width):
            text = _label_text(row[c]) if c < len(row) else ""
            below = [_label_text(b[c]) if c < len(b) else "" for b in band[level + 1 :]]
            if text:
                carry = text
            elif carry and any(below) and not last:
                text = carry  # inside a merged group: the group title applies to this column too
            else:
                carry = "" if not any(below) else carry
            if text:
                labels[c] = f"{labels[c]} {text}".strip()
    return labels


def _match_labels(labels: list[str], lookup: dict[str, str], rows: list[list[Any]], first: int, depth: int) -> Header:
    h = Header(first, first + depth - 1)
    for c, label in enumerate(labels):
        if not label:
            continue
        key = lookup.get(_norm(label))
        if key is not None:
            h.direct += 1
        elif depth > 1:
            # fall back to the lowest or highest row alone ("Indikator Kinerja" merged down two rows)
            for r in (first + depth - 1, first):
                part = _label_text(rows[r][c]) if c < len(rows[r]) else ""
                if part:
                    key = lookup.get(_norm(part))
                    if key:
                        break
        if key and key not in h.columns:
            h.columns[key] = (c, label)
        else:
            h.extras.append((c, label))
    h.score = len(h.columns)
    return h


def find_header(rows: list[list[Any]], spec: schema.SheetSpec, min_score: int = 2) -> Header | None:
    """The header row(s) among the first rows: the candidate matching the most known column labels."""
    lookup = _index(spec)
    best: Header | None = None
    for first in range(min(HEADER_SCAN_ROWS, len(rows))):
        row = rows[first]
        if not any(isinstance(v, str) and v.strip() for v in row):
            continue
        for depth in (1, 2, 3):
            if first + depth > len(rows):
                break
            h = _match_labels(_labels(rows, first, depth), lookup, rows, first, depth)
            if best is None or (h.score, h.direct) > (best.score, best.direct):
                best = h
            if depth == 1 and h.direct >= len(spec.columns) * 0.8:
                break  # a complete one-row header: no need to try deeper ones
        if best is not None and best.direct >= len(spec.columns) * 0.8:
            break
    if best is None or best.score < min_score:
        return None
    # extras keep only labelled columns that actually sit beside the matched ones
    best.extras = [(c, label) for c, label in best.extras if label]
    return best


# --- cell conversion ----------------------------------------------------------


def _choice(col: schema.Column, raw: Any) -> str | None:
    norm = _norm(_text(raw))
    if col.choices == "tahap":
        for s in schema.STAGES:
            if norm in (_norm(s.label), _norm(s.label_en), _norm(s.key)):
                return s.key
        return None
    synonyms = schema.CHOICE_SYNONYMS.get(col.choices or "", {})
    if norm in synonyms:
        return synonyms[norm]
    for value in schema.CHOICE_LISTS.get(col.choices or "", []):
        if _norm(str(value)) == norm:
            return value
    return None


class _Converter:
    """Converts one table's cells to typed values, collecting an issue for each cell it cannot read."""

    def __init__(self, sheet: str, issues: list[ValidationIssue]):
        self.sheet = sheet
        self.issues = issues

    def add(self, severity, code, cell, label, raw, **params):
        self.issues.append(
            issue(severity, code, self.sheet, cell, label, None if raw is None else _text(raw), **params)
        )

    def convert(
        self,
        col: schema.Column,
        raw: Any,
        cell: str,
        label: str,
        mark: tuple[str, str] | None,
        out: dict[str, Any],
    ) -> None:
        key = col.key
        if mark is not None and is_blank(raw):
            kind, text = mark
            if kind == "error":
                self.add("error", "v.cell.excel_error", cell, label, text)
            else:
                self.add("warning", "v.cell.formula_no_value", cell, label, "=" + text)
            out[key] = None
            if col.kind == "range":
                out.update(target_min=None, target_max=None, target_text=None)
            return
        if col.kind == "choice":
            if is_blank(raw):
                value = None
            else:
                value = _choice(col, raw)
                if value is None:
                    allowed = (
                        ", ".join(s.label for s in schema.STAGES)
                        if col.choices == "tahap"
                        else ", ".join(str(v) for v in schema.CHOICE_LISTS.get(col.choices or "", []))
                    )
                    self.add("error", "v.cell.bad_choice", cell, label, raw, allowed=allowed)
                    out[key] = None
                    return
            out[key] = value
        elif col.kind in NUMERIC_KINDS:
            num = parse_number(raw)
            value = num.value
            if num.status == "na":
                self.add("error" if col.required else "warning", "v.cell.na", cell, label, raw)
            elif num.status == "text":
                self.add("error", "v.cell.not_number", cell, label, raw)
            elif num.status == "ambiguous":
                self.add(
                    "warning",
                    "v.cell.ambiguous_number",
                    cell,
                    label,
                    raw,
                    reading=_show(num.value),
                    other=_show(num.alternative),
                )
            if value is not None:
                if col.kind == "int" and not float(value).is_integer():
                    self.add("error", "v.cell.not_integer", cell, label, raw)
                    value = None
                elif (col.min_value is not None and value < col.min_value) or (
                    col.max_value is not None and value > col.max_value
                ):
                    self.add(
                        "error",
                        "v.cell.out_of_range",
                        cell,
                        label,
                        raw,
                        min=_show(col.min_value) if col.min_value is not None else "",
                        max=_show(col.max_value) if col.max_value is not None else "",
                    )
                    value = None
            out[key] = value
            if num.status == "blank" and col.required:
                self.add("error", "v.cell.required", cell, label, None)
            return
        elif col.kind == "range":
            rng = parse_range(raw)
            text = None if is_blank(raw) else _text(raw)
            out[key] = text
            out["target_text"] = text
            out["target_min"], out["target_max"] = (rng.low, rng.high) if rng.ok else (None, None)
            if rng.status == "ambiguous" and rng.alternative:
                self.add(
                    "warning",
                    "v.cell.ambiguous_number",
                    cell,
                    label,
                    raw,
                    reading=_range_text(rng.low, rng.high),
                    other=_range_text(*rng.alternative),
                )
            elif rng.status == "text":
                self.add("warning", "v.target.not_measurable", cell, label, raw)
            elif rng.status == "na":
                self.add("error" if col.required else "warning", "v.cell.na", cell, label, raw)
            if rng.status == "blank" and col.required:
                self.add("error", "v.cell.required", cell, label, None)
            return
        elif col.kind == "date":
            value, status = parse_date(raw)
            if status in ("text", "ambiguous"):
                self.add("error", "v.cell.not_date", cell, label, raw)
            elif status == "na" and col.required:
                self.add("error", "v.cell.na", cell, label, raw)
            out[key] = value
        elif col.kind == "code":
            out[key] = as_code(raw)
        elif col.kind == "region":
            out[key] = as_code(raw)
        else:  # text, url
            out[key] = None if is_blank(raw) else (raw.strip() if isinstance(raw, str) else format_plain(raw))
        if out.get(key) is None and col.required and is_blank(raw):
            self.add("error", "v.cell.required", cell, label, None)


def _show(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _range_text(lo: float, hi: float) -> str:
    return _show(lo) if lo == hi else f"{_show(lo)}–{_show(hi)}"


# --- table sheets ----------------------------------------------------------


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


# every spelling of the indicator column (schema.INDIKATOR "indikator") contains one of these words
_INDICATOR_WORD = re.compile(rb"ndi[kc]ator", re.I)
_PLAIN_NUMBER = re.compile(r"-?\d{1,15}(?:[.,]\d{1,2})?")


def _filled(v: Any) -> bool:
    return v is not None and v != ""  # calamine gives "" for an empty cell


def parse_table(grid: Grid, spec: schema.SheetSpec, header: Header, issues: list[ValidationIssue]) -> ParsedTable:
    """Read the data rows under `header`, a column at a time (the common cell takes the fast path)."""
    table = ParsedTable(spec, grid.name, header.last_row + 1, header.columns)
    conv = _Converter(grid.name, issues)
    by_key = _columns_by_key(spec)
    cols = [(by_key[k], c, label) for k, (c, label) in header.columns.items()]
    required = [c for col, c, _ in cols if col.required or col.kind in NUMERIC_KINDS or col.kind == "range"]
    rows = grid.rows
    marks = grid.marks
    mark_cols = {c for (_, c) in marks}
    kept: list[list[Any]] = []
    excel_rows: list[int] = []
    for r in range(header.last_row + 1, len(rows)):
        row = rows[r]
        width = len(row)
        blank = row.count("")  # calamine gives "" for an empty cell
        if blank == width or (None in row and blank + row.count(None) == width):
            # a separator row, unless its cells are errors or formulas without a value (calamine reads
            # both as blank): those are reported where they are
            if not (mark_cols and any((r + 1, c) in marks for _, c, _ in cols)):
                continue
        excel_row = r + 1
        if r == header.last_row + 1 and _is_column_number_row(row):
            continue
        first_text = None
        for v in row:
            if type(v) is str and v.strip():
                first_text = v
                break
        if (
            first_text is not None
            and first_text.lstrip()[:1] in _TOTAL_INITIALS
            and _TOTAL_LABEL.match(first_text.strip())
        ):
            issues.append(issue("info", "v.row.total_skipped", grid.name, f"A{excel_row}", None, first_text.strip()))
            continue
        for c in required:
            if c < width and _filled(row[c]):
                break
        else:
            if not (mark_cols and any((excel_row, c) in marks for _, c, _ in cols)):
                continue  # a section title or signature line: nothing to read
        if len(kept) >= spec.max_rows:
            issues.append(
                issue("error", "v.sheet.too_many_rows", grid.name, f"A{excel_row}", None, None, max=spec.max_rows)
            )
            break
        kept.append(row)
        excel_rows.append(excel_row)
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
        data.update(_convert_column(col, c, label, values, excel_rows, marks, conv))
    table.data = data
    return table


def _build_columns_by_key(spec: schema.SheetSpec) -> dict[str, schema.Column]:
    return {c.key: c for c in spec.columns}


def _columns_by_key(spec: schema.SheetSpec) -> dict[str, schema.Column]:
    return _per_spec(_build_columns_by_key, spec)


def _convert_column(
    col: schema.Column, c: int, label: str, values: list[Any], excel_rows: list[int], marks: dict, conv: _Converter
) -> dict[str, list[Any]]:
    """Typed values of one column; cells that are not plain take `_Converter.convert` (and may add issues)."""
    key, kind, required = col.key, col.kind, col.required
    out: list[Any] = [None] * len(values)

    def slow(i: int, v: Any) -> dict[str, Any]:
        tmp: dict[str, Any] = {}
        row = excel_rows[i]
        conv.convert(col, v, cell_ref(row, c), label, marks.get((row, c)), tmp)
        return tmp

    marked = any(mc == c for (_, mc) in marks)  # a blank cell here may hide an error or a formula

    def blank_ok(i: int, v: Any) -> bool:
        return (v is None or v == "") and not required and (not marked or (excel_rows[i], c) not in marks)

    # whole-column fast paths (C-level map/min/max over the column); anything unusual takes the loops
    types = set(map(type, values))
    if types == {str} and not required and not marked and values.count("") == len(values):
        out_all = {key: out}  # an optional column left empty
        if kind == "range" and key == "target":
            out_all.update(target_min=[None] * len(values), target_max=[None] * len(values), target_text=out[:])
        return out_all
    if kind in NUMERIC_KINDS:
        lo, hi, whole = col.min_value, col.max_value, kind == "int"
        if types == {float} or (types == {float, str} and not required and not marked):
            nums = values if len(types) == 1 else [v for v in values if type(v) is float]
            total = sum(nums)
            if (
                len(nums) + (len(values) - len(nums) and values.count("")) == len(values)  # other cells ""
                and total == total  # no NaN
                and (lo is None or min(nums) >= lo)
                and (hi is None or max(nums) <= hi)
                and (not whole or all(map(float.is_integer, nums)))
            ):
                return {key: values[:] if nums is values else [None if v == "" else v for v in values]}
        for i, v in enumerate(values):
            tv = type(v)
            if (
                (tv is float or tv is int)
                and (lo is None or v >= lo)
                and (hi is None or v <= hi)
                and (not whole or float(v).is_integer())
            ):
                out[i] = float(v)
            elif (v == "" or v is None) and not required and not marked:
                continue  # blank, optional: stays None
            elif not blank_ok(i, v):
                out[i] = slow(i, v).get(key)
        return {key: out}
    if kind == "range" and types == {str}:
        plain = list(map(_PLAIN_NUMBER.fullmatch, values))
        if all(plain):  # "120", "85,5" all down the column
            numbers = [float(v.replace(",", ".")) for v in values]
            if key == "target":
                return {key: values[:], "target_min": numbers, "target_max": numbers[:], "target_text": values[:]}
            return {key: values[:]}
    if kind == "range" and types == {float}:  # numbers all down the column: each is its own range
        texts = list(map(format_plain, values))
        if key == "target":
            return {key: texts, "target_min": values[:], "target_max": values[:], "target_text": texts[:]}
        return {key: texts}
    if kind == "range":
        lows: list[Any] = [None] * len(values)
        highs: list[Any] = [None] * len(values)
        texts: list[Any] = [None] * len(values)
        for i, v in enumerate(values):
            tv = type(v)
            if tv is float or tv is int:
                texts[i] = out[i] = format_plain(v)
                lows[i] = highs[i] = float(v)
            elif tv is str and _PLAIN_NUMBER.fullmatch(v):  # "120", "85,5": nothing to interpret
                texts[i] = out[i] = v
                lows[i] = highs[i] = float(v.replace(",", "."))
            elif not blank_ok(i, v):
                tmp = slow(i, v)
                out[i], lows[i], highs[i], texts[i] = (
                    tmp.get(key),
                    tmp.get("target_min"),
                    tmp.get("target_max"),
                    tmp.get("target_text"),
                )
        if key == "target":
            return {key: out, "target_min": lows, "target_max": highs, "target_text": texts}
        return {key: out}
    if kind == "choice":
        # a value that was read as a valid choice once reads the same way again (no issue either)
        known = _KNOWN_CHOICES.setdefault(col.choices, {})
        if types == {str}:
            out = list(map(known.get, values))
            missing = out.count(None)
            # every gap an empty optional cell ("" is never remembered as a choice)
            if not missing or (not required and not marked and missing == values.count("")):
                return {key: out}
            out = [None] * len(values)
        for i, v in enumerate(values):
            if type(v) is str and v in known:
                out[i] = known[v]
            elif not blank_ok(i, v):
                out[i] = slow(i, v).get(key)
                if out[i] is not None and type(v) is str and len(known) < 1000:
                    known[v] = out[i]
        return {key: out}
    if kind in ("code", "region"):
        if types == {str} and (not (required or marked) or all(values)) and list(map(str.strip, values)) == values:
            joined = "\x00" + "\x00".join(values)
            if "\x00'" not in joined and "\u00a0" not in joined:
                return {key: [v or None for v in values]}  # "" only when optional: stays None
        for i, v in enumerate(values):
            if type(v) is str and v and v == v.strip() and v[0] != "'" and "\u00a0" not in v:
                out[i] = v
            elif not blank_ok(i, v):
                out[i] = slow(i, v).get(key)
        return {key: out}
    if kind in ("text", "url"):
        if types == {str}:
            stripped = list(map(str.strip, values))
            if all(stripped):
                return {key: stripped}
            if not required and not marked:  # blank or all-space optional cells read as None
                return {key: [v or None for v in stripped]}
        for i, v in enumerate(values):
            if type(v) is str:
                stripped = v.strip()
                if stripped:
                    out[i] = stripped
                    continue
            if not blank_ok(i, v):
                out[i] = slow(i, v).get(key)
        return {key: out}
    for i, v in enumerate(values):  # dates and anything else
        if type(v) is dt.date:
            out[i] = v
        elif type(v) is dt.datetime:
            out[i] = v.date()
        elif not blank_ok(i, v):
            out[i] = slow(i, v).get(key)
    return {key: out}


_KNOWN_CHOICES: dict[str | None, dict[str, str]] = {}


def _columns(table: ParsedTable | None, spec: schema.SheetSpec, extra: tuple[str, ...] = ()) -> Columns:
    """The frame of `table` (`row`, the spec's keys, `extra`) as typed columns: a DataFrame is built from
    them only when one is read."""
    keys = ("row", *spec.keys, *extra)
    if table is None or not table.size:
        return Columns(keys, {}, 0, _numeric_keys(spec))
    return Columns(keys, table.data, table.size, _numeric_keys(spec))


def _build_numeric_keys(spec: schema.SheetSpec) -> frozenset[str]:
    return frozenset({c.key for c in spec.columns if c.kind in NUMERIC_KINDS} | {"target_min", "target_max"})


def _numeric_keys(spec: schema.SheetSpec) -> frozenset[str]:
    return _per_spec(_build_numeric_keys, spec)


# --- workbook level ----------------------------------------------------------


def _names_with(norm: str, label: str) -> bool:
    """Whether a normalised sheet name is `label` with a word before or after it ("indikator 2025")."""
    return len(label) >= 4 and (norm.startswith(label + " ") or norm.endswith(" " + label))


def _match_sheets(wb: Workbook, specs: tuple[schema.SheetSpec, ...]) -> dict[str, str]:
    """spec key -> sheet name in the file, by sheet name (exact after normalising, then by prefix)."""
    by_name = _specs_by_name(specs)
    found: dict[str, str] = {}
    names = [n for n in wb.sheet_names if n in wb.worksheets]
    for name in names:
        spec = by_name.get(_norm(name))
        if spec and spec.key not in found:
            found[spec.key] = name
    for name in names:
        if name in found.values():
            continue
        norm = _norm(name)
        for label, spec in by_name.items():
            if spec.key not in found and _names_with(norm, label):
                found[spec.key] = name
                break
    return found


def wanted_sheets(specs: tuple[schema.SheetSpec, ...]) -> Callable[[str], bool]:
    """Whether `_match_sheets` could match a sheet of this name to one of `specs`: the sheets to make
    ready when the workbook is opened (any other is made ready if it is read after all)."""
    by_name = _specs_by_name(specs)

    def wanted(name: str) -> bool:
        norm = _norm(name)
        return norm in by_name or any(_names_with(norm, label) for label in by_name)

    return wanted


def _keyvalue(
    grid: Grid, spec: schema.SheetSpec, issues: list[ValidationIssue]
) -> tuple[dict[str, Any], dict[str, tuple[str, str, Any]]]:
    """Label | value pairs (label in one cell, value in the next filled cell to its right)."""
    lookup = _index(spec)
    raw: dict[str, Any] = {}
    where: dict[str, tuple[str, str, Any]] = {}
    for r, row in enumerate(grid.rows[:200]):
        for c, v in enumerate(row):
            if not isinstance(v, str) or not v.strip():
                continue
            key = lookup.get(_norm(v.rstrip(": ")))
            if key is None or key in raw:
                break  # only the first text cell of a row can be a label
            value_col = next(
                (
                    k
                    for k in range(c + 1, len(row))
                    if not is_blank(row[k]) and not (isinstance(row[k], str) and row[k].strip() == ":")
                ),
                None,
            )
            ref_col = value_col if value_col is not None else c + 1
            raw[key] = row[value_col] if value_col is not None else None
            where[key] = (cell_ref(r + 1, ref_col), v.strip(), raw[key])
            mark = grid.marks.get((r + 1, ref_col))
            if mark and raw[key] is None:
                code = "v.cell.excel_error" if mark[0] == "error" else "v.cell.formula_no_value"
                issues.append(
                    issue(
                        "error" if mark[0] == "error" else "warning",
                        code,
                        grid.name,
                        cell_ref(r + 1, ref_col),
                        v.strip(),
                        mark[1],
                    )
                )
            break
    if len(raw) < 2:
        # the same facts laid out as a one-row table (labels above values)
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


def _identitas(grid: Grid, issues: list[ValidationIssue]) -> tuple[dict[str, Any], dict]:
    spec = schema.IDENTITAS
    raw, where = _keyvalue(grid, spec, issues)
    conv = _Converter(grid.name, issues)
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
    # the region: its code, else its name; both must agree when both are given
    code_raw = where.get("kode_wilayah", (None, None, None))[2]
    code = regions.normalise_code(as_code(code_raw)) if not is_blank(code_raw) else None
    by_name = regions.code_from_name(ident.get("nama_wilayah")) if ident.get("nama_wilayah") else None
    if code is None and not is_blank(code_raw):
        cell, label, _ = where["kode_wilayah"]
        issues.append(
            issue(
                "error" if by_name is None else "warning",
                "v.region.unknown_code",
                grid.name,
                cell,
                label,
                _text(code_raw),
            )
        )
    if code is None:
        code = by_name
        if code is None and "kode_wilayah" in where:
            cell, label, _ = where.get("nama_wilayah", where["kode_wilayah"])
            issues.append(issue("error", "v.region.unknown", grid.name, cell, label, ident.get("nama_wilayah")))
    elif by_name is not None and by_name != code:
        cell, label, _ = where["nama_wilayah"]
        issues.append(
            issue(
                "warning",
                "v.region.name_mismatch",
                grid.name,
                cell,
                label,
                ident.get("nama_wilayah"),
                region_code=code,
                name=regions.name_of(code),
            )
        )
    ident["kode_wilayah"] = code
    return ident, where


def _region_mentions(
    grid: Grid, table: ParsedTable, header: Header, code: str | None, issues: list[ValidationIssue]
) -> None:
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
                issues.append(
                    issue(
                        "error",
                        "v.region.mismatch",
                        grid.name,
                        cell_ref(r + 1, c),
                        None,
                        v.strip(),
                        region_code=code,
                        name=regions.name_of(code),
                        other=regions.name_of(found),
                    )
                )


def _format_version(wb: Workbook) -> str | None:
    try:
        return wb.format_version()
    except ReadProblem:
        return None


def _read_problem(p: ReadProblem) -> ValidationIssue:
    params = {k: v for k, v in p.params.items() if k != "sheet"}
    return issue("error", p.code, p.params.get("sheet") or None, None, None, None, **params)


def max_upload_bytes() -> int:
    """The `max_upload_mb` setting in bytes (a malformed value falls back to the 10 MB default)."""
    try:
        mb = float(settings.get("max_upload_mb"))
    except ValueError:
        mb = float(settings.DEFAULTS["max_upload_mb"])
    return int(max(mb, 0.0) * 1024 * 1024)


def _too_big(data: bytes) -> ValidationIssue | None:
    """Refuse an oversized file before any reader touches it, so the CLI, the seeder and any caller get
    the same limit as the upload page (whose own check only spares the browser the round trip)."""
    limit = max_upload_bytes()
    if len(data) <= limit:
        return None
    return issue("error", "file.too_big", size=f"{len(data) / 1024 / 1024:.1f}", mb=f"{limit / 1024 / 1024:g}")


def load_submission(data: bytes, filename: str, rpjmd_codes: set[str] | None = None) -> LoadResult:
    """Read and validate one submission workbook. Never raises on bad input."""
    sha = hashlib.sha256(data).hexdigest()
    kind = None
    if (big := _too_big(data)) is not None:
        return LoadResult(filename, [big], None, sha, kind)
    try:
        wb = open_workbook(data, wanted_sheets(schema.SUBMISSION_SHEETS))
        kind = wb.kind
        return _load_submission(wb, filename, sha, rpjmd_codes)
    except ReadProblem as p:
        return LoadResult(filename, [_read_problem(p)], None, sha, kind)
    except MemoryError:
        return LoadResult(filename, [issue("error", "file.too_large_any")], None, sha, kind)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a reader panic or a bug: one clear message, never a traceback
        log.exception("loading %s failed", filename)
        return LoadResult(filename, [issue("error", "file.reader_failed", detail=type(exc).__name__)], None, sha, kind)


def _load_submission(wb: Workbook, filename: str, sha: str, rpjmd_codes: set[str] | None) -> LoadResult:
    issues: list[ValidationIssue] = []
    found = _match_sheets(wb, schema.SUBMISSION_SHEETS)
    headers: dict[str, tuple[Grid, Header]] = {}
    if "indikator" not in found:
        # an evaluation form under another sheet name ("Sheet1", "Form E.81"): find it by its header
        for name in wb.sheet_names:
            if name in found.values() or name not in wb.worksheets or name in wb.hidden:
                continue
            if not wb.may_contain(name, _INDICATOR_WORD):
                continue  # no "indikator" header anywhere in its text: not worth reading the sheet
            grid = wb.grid(name)
            header = find_header(grid.rows, schema.INDIKATOR, min_score=4)
            if header is not None and "indikator" in header.columns:
                found["indikator"] = name
                headers["indikator"] = (grid, header)
                issues.append(
                    issue(
                        "info",
                        "v.sheet.found_by_header",
                        name,
                        None,
                        None,
                        None,
                        expected=schema.INDIKATOR.name,
                    )
                )
                break
    for spec in schema.SUBMISSION_SHEETS:
        if spec.required and spec.key not in found:
            issues.append(issue("error", "v.sheet.missing", spec.name, None, None, None, sheet_en=spec.name_en))
    if "indikator" not in found:
        return LoadResult(filename, issues, None, sha, wb.kind)
    for name in found.values():
        if name in wb.hidden:
            issues.append(issue("info", "v.sheet.hidden", name))

    ident: dict[str, Any] = {c.key: None for c in schema.IDENTITAS.columns}
    where: dict = {}
    if "identitas" in found:
        ident, where = _identitas(wb.grid(found["identitas"]), issues)
        issues.extend(checks.check_year_in_plan(ident, where, found["identitas"]))
    year = ident.get("tahun") if isinstance(ident.get("tahun"), int) else None
    period_quarter = schema.PERIOD_QUARTERS.get(ident.get("periode") or "")

    tables: dict[str, ParsedTable | None] = {}
    extra_columns: dict[str, list[str]] = {}
    for spec in (schema.INDIKATOR, schema.PASKIBRAKA, schema.PROGRAM_NILAI):
        name = found.get(spec.key)
        if name is None:
            tables[spec.key] = None
            continue
        grid, header = headers.get(spec.key) or (wb.grid(name), None)
        header = header or find_header(grid.rows, spec)
        if header is None:
            issues.append(
                issue(
                    "error",
                    "v.sheet.no_header",
                    name,
                    None,
                    None,
                    None,
                    columns=", ".join(c.label for c in spec.columns if c.required),
                )
            )
            tables[spec.key] = None
            continue
        for col in spec.columns:
            if col.required and col.key not in header.columns:
                issues.append(
                    issue("error", "v.column.missing", name, cell_ref(header.last_row + 1, 0), col.label, None)
                )
        for c, label in header.extras:
            issues.append(issue("info", "v.column.extra", name, cell_ref(header.last_row + 1, c), label, None))
        if header.extras:
            extra_columns[name] = [label for _, label in header.extras]
        table = parse_table(grid, spec, header, issues)
        tables[spec.key] = table
        _region_mentions(grid, table, header, ident.get("kode_wilayah"), issues)

    ind = tables["indikator"]
    if ind is not None:
        if not ind.size:
            issues.append(issue("error", "v.sheet.empty", ind.sheet))
        for check in (checks.check_duplicates, checks.check_targets, checks.check_budget, checks.check_codes,
                      checks.check_code_shapes):
            issues.extend(check(ind))
        issues.extend(checks.check_quarters(ind, period_quarter))
        issues.extend(checks.check_rpjmd_codes(ind, rpjmd_codes))
    if tables["paskibraka"] is not None:
        pas = tables["paskibraka"]
        for i, r in enumerate(pas.records):  # a missing total is the sum of its parts
            if r.get("jumlah") is None and (r.get("putra") is not None or r.get("putri") is not None):
                r["jumlah"] = (r.get("putra") or 0) + (r.get("putri") or 0)
                if "jumlah" in pas.data:
                    pas.data["jumlah"][i] = r["jumlah"]
        issues.extend(checks.check_paskibraka(pas, year))
    if tables["nilai"] is not None:
        issues.extend(checks.check_nilai(tables["nilai"], year))
        issues.extend(checks.check_code_shapes(tables["nilai"]))

    submission = Submission(
        identitas=ident,
        indikator=_columns(ind, schema.INDIKATOR, ("target_min", "target_max", "target_text")),
        paskibraka=_columns(tables["paskibraka"], schema.PASKIBRAKA),
        nilai=_columns(tables["nilai"], schema.PROGRAM_NILAI),
        issues=issues,
        extra_columns=extra_columns,
        format_version=_format_version(wb),
    )
    return LoadResult(filename, issues, submission, sha, wb.kind)


# --- provincial RPJMD reference workbook ----------------------------------------------------------


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


def _empty_rpjmd() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in RPJMD_FRAME_COLUMNS})


def load_rpjmd(data: bytes, filename: str) -> RpjmdResult:
    """Read the provincial RPJMD reference workbook. Never raises on bad input."""
    sha = hashlib.sha256(data).hexdigest()
    kind = None
    if (big := _too_big(data)) is not None:
        return RpjmdResult(filename, None, None, _empty_rpjmd(), [big], sha, kind)
    try:
        wb = open_workbook(data)
        kind = wb.kind
        return _load_rpjmd(wb, filename, sha)
    except ReadProblem as p:
        return RpjmdResult(filename, None, None, _empty_rpjmd(), [_read_problem(p)], sha, kind)
    except MemoryError:
        return RpjmdResult(filename, None, None, _empty_rpjmd(), [issue("error", "file.too_large_any")], sha, kind)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        log.exception("loading RPJMD %s failed", filename)
        return RpjmdResult(
            filename,
            None,
            None,
            _empty_rpjmd(),
            [issue("error", "file.reader_failed", detail=type(exc).__name__)],
            sha,
            kind,
        )


def _province_code(raw: Any) -> str | None:
    text = as_code(raw)
    if not text:
        return None
    m = re.fullmatch(r"(\d{2})(?:\.0+)?", text)
    if not m:
        return None
    return m[1] if m[1] in set(regions.provinces()["kemendagri"].astype(str)) else None


def _load_rpjmd(wb: Workbook, filename: str, sha: str) -> RpjmdResult:
    issues: list[ValidationIssue] = []
    found = _match_sheets(wb, (schema.RPJMD_INDIKATOR,))
    ident_sheet = next((n for n in wb.sheet_names if _norm(n) in ("identitas", "identity")), None)
    province = period_text = None
    period: tuple[int, int] | None = None
    if ident_sheet is None:
        issues.append(issue("error", "v.sheet.missing", schema.RPJMD_IDENTITAS.name, sheet_en="Identity"))
    else:
        grid = wb.grid(ident_sheet)
        raw, where = _keyvalue(grid, schema.RPJMD_IDENTITAS, issues)
        for col in schema.RPJMD_IDENTITAS.columns:
            if col.required and col.key not in where:
                issues.append(issue("error", "v.identitas.missing", ident_sheet, None, col.label))
        if "kode_provinsi" in where:
            cell, label, value = where["kode_provinsi"]
            province = _province_code(value)
            if province is None:
                issues.append(issue("error", "v.region.unknown_province", ident_sheet, cell, label, _text(value)))
        if "periode_rpjmd" in where:
            cell, label, value = where["periode_rpjmd"]
            period = checks.parse_plan_period(value)
            if period is None:
                issues.append(issue("error", "v.identitas.bad_plan_period", ident_sheet, cell, label, _text(value)))
            else:
                period_text = f"{period[0]}-{period[1]}"
    if "rpjmd" not in found:
        issues.append(issue("error", "v.sheet.missing", schema.RPJMD_INDIKATOR.name, sheet_en="RPJMD"))
        return RpjmdResult(filename, province, period_text, _empty_rpjmd(), issues, sha, wb.kind)
    name = found["rpjmd"]
    grid = wb.grid(name)
    header = find_header(grid.rows, schema.RPJMD_INDIKATOR)
    if header is None:
        issues.append(
            issue(
                "error",
                "v.sheet.no_header",
                name,
                columns=", ".join(c.label for c in schema.RPJMD_INDIKATOR.columns if c.required),
            )
        )
        return RpjmdResult(filename, province, period_text, _empty_rpjmd(), issues, sha, wb.kind)
    # "Target 2025" columns: the plan year decides which target_i they are
    year_cols = [(c, label, int(m[1])) for c, label in header.extras if (m := _YEAR_TARGET.match(_norm(label)))]
    if year_cols:
        start = period[0] if period else min(y for _, _, y in year_cols)
        kept = []
        for c, label, y in year_cols:
            i = y - start + 1
            if 1 <= i <= schema.PLAN_YEARS and f"target_{i}" not in header.columns:
                header.columns[f"target_{i}"] = (c, label)
                kept.append(c)
        header.extras = [(c, label) for c, label in header.extras if c not in kept]
    for col in schema.RPJMD_INDIKATOR.columns:
        if col.required and col.key not in header.columns:
            issues.append(issue("error", "v.column.missing", name, cell_ref(header.last_row + 1, 0), col.label))
    for c, label in header.extras:
        issues.append(issue("info", "v.column.extra", name, cell_ref(header.last_row + 1, c), label))
    table = parse_table(grid, schema.RPJMD_INDIKATOR, header, issues)
    issues.extend(checks.check_duplicates_rpjmd(table))
    issues.extend(checks.check_code_shapes(table))
    frame = _columns(table, schema.RPJMD_INDIKATOR).frame()
    frame.insert(0, "periode_rpjmd", period_text)
    frame.insert(0, "province", province)
    drop = [c for c in ("target_min", "target_max", "target_text") if c in frame]
    frame = frame.drop(columns=drop)[RPJMD_FRAME_COLUMNS]
    return RpjmdResult(filename, province, period_text, frame, issues, sha, wb.kind)
