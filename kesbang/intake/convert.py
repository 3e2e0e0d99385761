"""Column conversion: cells to typed values by the schema's kind, an issue for each cell that cannot be read.

The common column (numbers all down, plain codes, known choices) takes a whole-column fast path; any
cell that is not plain goes through `Converter.convert`, which decides it and says what it saw.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from kesbang import schema
from kesbang.intake.cells import cell_ref, issue
from kesbang.intake.headers import norm
from kesbang.intake.numbers import as_code, cell_text, format_plain, is_blank, parse_date, parse_number, parse_range
from kesbang.model import ValidationIssue

NUMERIC_KINDS = ("number", "int")
_PLAIN_NUMBER = re.compile(r"-?\d{1,15}(?:[.,]\d{1,2})?")
_RANGE_KEYS = ("target_min", "target_max", "target_text")


def _choice(col: schema.Column, raw: Any) -> str | None:
    folded = norm(cell_text(raw))
    if col.choices == "tahap":
        for s in schema.STAGES:
            if folded in (norm(s.label), norm(s.label_en), norm(s.key)):
                return s.key
        return None
    synonyms = schema.CHOICE_SYNONYMS.get(col.choices or "", {})
    if folded in synonyms:
        return synonyms[folded]
    for value in schema.CHOICE_LISTS.get(col.choices or "", []):
        if norm(str(value)) == folded:
            return value
    return None


def _allowed(col: schema.Column) -> str:
    if col.choices == "tahap":
        return ", ".join(s.label for s in schema.STAGES)
    return ", ".join(str(v) for v in schema.CHOICE_LISTS.get(col.choices or "", []))


def show(value: float | None) -> str:
    """A number as a message shows it (12.0 -> "12")."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _range_text(lo: float, hi: float) -> str:
    return show(lo) if lo == hi else f"{show(lo)}–{show(hi)}"


class Converter:
    """Converts one table's cells to typed values, collecting an issue for each cell it cannot read."""

    def __init__(self, sheet: str, issues: list[ValidationIssue]):
        self.sheet = sheet
        self.issues = issues

    def add(self, severity, code, cell, label, raw, **params):
        self.issues.append(
            issue(severity, code, self.sheet, cell, label, None if raw is None else cell_text(raw), **params)
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
        """Put the typed value of `raw` in `out[col.key]` (and the range keys for a range)."""
        key = col.key
        if mark is not None and is_blank(raw):
            self._marked(col, cell, label, mark, out)
            return
        if col.kind in NUMERIC_KINDS:
            out[key] = self._number(col, raw, cell, label)
            return
        if col.kind == "range":
            self._range(col, raw, cell, label, out)
            return
        if col.kind == "choice":
            out[key] = None if is_blank(raw) else _choice(col, raw)
            if out[key] is None and not is_blank(raw):
                self.add("error", "v.cell.bad_choice", cell, label, raw, allowed=_allowed(col))
                return
        elif col.kind == "date":
            value, status = parse_date(raw)
            if status in ("text", "ambiguous"):
                self.add("error", "v.cell.not_date", cell, label, raw)
            elif status == "na" and col.required:
                self.add("error", "v.cell.na", cell, label, raw)
            out[key] = value
        elif col.kind in ("code", "region"):
            out[key] = as_code(raw)
        else:  # text, url
            out[key] = None if is_blank(raw) else (raw.strip() if isinstance(raw, str) else format_plain(raw))
        if out.get(key) is None and col.required and is_blank(raw):
            self.add("error", "v.cell.required", cell, label, None)

    def _marked(self, col: schema.Column, cell: str, label: str, mark: tuple[str, str], out: dict[str, Any]) -> None:
        """A blank cell that holds an Excel error or a formula without a stored value."""
        kind, text = mark
        if kind == "error":
            self.add("error", "v.cell.excel_error", cell, label, text)
        else:
            self.add("warning", "v.cell.formula_no_value", cell, label, "=" + text)
        out[col.key] = None
        if col.kind == "range":
            out.update(target_min=None, target_max=None, target_text=None)

    def _number(self, col: schema.Column, raw: Any, cell: str, label: str) -> float | None:
        num = parse_number(raw)
        value = num.value
        if num.status == "na":
            self.add("error" if col.required else "warning", "v.cell.na", cell, label, raw)
        elif num.status == "text":
            self.add("error", "v.cell.not_number", cell, label, raw)
        elif num.status == "ambiguous":
            self.add("warning", "v.cell.ambiguous_number", cell, label, raw,
                     reading=show(num.value), other=show(num.alternative))
        if value is not None:
            if col.kind == "int" and not float(value).is_integer():
                self.add("error", "v.cell.not_integer", cell, label, raw)
                value = None
            elif (col.min_value is not None and value < col.min_value) or (
                col.max_value is not None and value > col.max_value
            ):
                self.add("error", "v.cell.out_of_range", cell, label, raw,
                         min=show(col.min_value) if col.min_value is not None else "",
                         max=show(col.max_value) if col.max_value is not None else "")
                value = None
        if num.status == "blank" and col.required:
            self.add("error", "v.cell.required", cell, label, None)
        return value

    def _range(self, col: schema.Column, raw: Any, cell: str, label: str, out: dict[str, Any]) -> None:
        rng = parse_range(raw)
        text = None if is_blank(raw) else cell_text(raw)
        out[col.key] = text
        out["target_text"] = text
        out["target_min"], out["target_max"] = (rng.low, rng.high) if rng.ok else (None, None)
        if rng.status == "ambiguous" and rng.alternative:
            self.add("warning", "v.cell.ambiguous_number", cell, label, raw,
                     reading=_range_text(rng.low, rng.high), other=_range_text(*rng.alternative))
        elif rng.status == "text":
            self.add("warning", "v.target.not_measurable", cell, label, raw)
        elif rng.status == "na":
            self.add("error" if col.required else "warning", "v.cell.na", cell, label, raw)
        if rng.status == "blank" and col.required:
            self.add("error", "v.cell.required", cell, label, None)


class _Column:
    """One column being converted: its cells, where they are, and the slow path for a cell that is not plain."""

    def __init__(self, col: schema.Column, c: int, label: str, values: list[Any], excel_rows: list[int],
                 marks: dict, conv: Converter):
        self.col, self.c, self.label, self.values = col, c, label, values
        self.excel_rows, self.marks, self.conv = excel_rows, marks, conv
        self.required = col.required
        self.marked = any(mc == c for (_, mc) in marks)  # a blank cell here may hide an error or a formula
        self.types = set(map(type, values))

    def slow(self, i: int, v: Any) -> dict[str, Any]:
        tmp: dict[str, Any] = {}
        row = self.excel_rows[i]
        self.conv.convert(self.col, v, cell_ref(row, self.c), self.label, self.marks.get((row, self.c)), tmp)
        return tmp

    def blank_ok(self, i: int, v: Any) -> bool:
        return (v is None or v == "") and not self.required and (
            not self.marked or (self.excel_rows[i], self.c) not in self.marks
        )

    @property
    def plain(self) -> bool:
        """Optional and free of marked cells: a blank here is simply empty."""
        return not self.required and not self.marked


def convert_column(
    col: schema.Column, c: int, label: str, values: list[Any], excel_rows: list[int], marks: dict, conv: Converter
) -> dict[str, list[Any]]:
    """Typed values of one column; cells that are not plain take `Converter.convert` (and may add issues)."""
    cc = _Column(col, c, label, values, excel_rows, marks, conv)
    if cc.types == {str} and cc.plain and values.count("") == len(values):
        out_all: dict[str, list[Any]] = {col.key: [None] * len(values)}  # an optional column left empty
        if col.kind == "range" and col.key == "target":
            out_all.update(target_min=[None] * len(values), target_max=[None] * len(values),
                           target_text=[None] * len(values))
        return out_all
    kind = col.kind
    if kind in NUMERIC_KINDS:
        return {col.key: _numbers(cc)}
    if kind == "range":
        return _ranges(cc)
    if kind == "choice":
        return {col.key: _choices(cc)}
    if kind in ("code", "region"):
        return {col.key: _codes(cc)}
    if kind in ("text", "url"):
        return {col.key: _texts(cc)}
    return {col.key: _dates(cc)}


def _numbers(cc: _Column) -> list[Any]:
    col, values, types = cc.col, cc.values, cc.types
    lo, hi, whole = col.min_value, col.max_value, col.kind == "int"
    # whole-column fast path (C-level sum/min/max over the column)
    if types == {float} or (types == {float, str} and cc.plain):
        nums = values if len(types) == 1 else [v for v in values if type(v) is float]
        total = sum(nums)
        if (
            len(nums) + (len(values) - len(nums) and values.count("")) == len(values)  # other cells ""
            and total == total  # no NaN
            and (lo is None or min(nums) >= lo)
            and (hi is None or max(nums) <= hi)
            and (not whole or all(map(float.is_integer, nums)))
        ):
            return values[:] if nums is values else [None if v == "" else v for v in values]
    out: list[Any] = [None] * len(values)
    for i, v in enumerate(values):
        tv = type(v)
        if (
            (tv is float or tv is int)
            and (lo is None or v >= lo)
            and (hi is None or v <= hi)
            and (not whole or float(v).is_integer())
        ):
            out[i] = float(v)
        elif (v == "" or v is None) and cc.plain:
            continue  # blank, optional: stays None
        elif not cc.blank_ok(i, v):
            out[i] = cc.slow(i, v).get(col.key)
    return out


def _ranges(cc: _Column) -> dict[str, list[Any]]:
    key, values, types = cc.col.key, cc.values, cc.types
    if types == {str} and all(map(_PLAIN_NUMBER.fullmatch, values)):  # "120", "85,5" all down the column
        numbers = [float(v.replace(",", ".")) for v in values]
        if key == "target":
            return {key: values[:], "target_min": numbers, "target_max": numbers[:], "target_text": values[:]}
        return {key: values[:]}
    if types == {float}:  # numbers all down the column: each is its own range
        texts = list(map(format_plain, values))
        if key == "target":
            return {key: texts, "target_min": values[:], "target_max": values[:], "target_text": texts[:]}
        return {key: texts}
    n = len(values)
    out: list[Any] = [None] * n
    lows: list[Any] = [None] * n
    highs: list[Any] = [None] * n
    texts = [None] * n
    for i, v in enumerate(values):
        tv = type(v)
        if tv is float or tv is int:
            texts[i] = out[i] = format_plain(v)
            lows[i] = highs[i] = float(v)
        elif tv is str and _PLAIN_NUMBER.fullmatch(v):  # "120", "85,5": nothing to interpret
            texts[i] = out[i] = v
            lows[i] = highs[i] = float(v.replace(",", "."))
        elif not cc.blank_ok(i, v):
            tmp = cc.slow(i, v)
            out[i], lows[i], highs[i], texts[i] = (tmp.get(key), *(tmp.get(k) for k in _RANGE_KEYS))
    if key == "target":
        return {key: out, "target_min": lows, "target_max": highs, "target_text": texts}
    return {key: out}


# a value that was read as a valid choice once reads the same way again (no issue either)
_KNOWN_CHOICES: dict[str | None, dict[str, str]] = {}


def _choices(cc: _Column) -> list[Any]:
    values = cc.values
    known = _KNOWN_CHOICES.setdefault(cc.col.choices, {})
    if cc.types == {str}:
        out = list(map(known.get, values))
        missing = out.count(None)
        # every gap an empty optional cell ("" is never remembered as a choice)
        if not missing or (cc.plain and missing == values.count("")):
            return out
    out = [None] * len(values)
    for i, v in enumerate(values):
        if type(v) is str and v in known:
            out[i] = known[v]
        elif not cc.blank_ok(i, v):
            out[i] = cc.slow(i, v).get(cc.col.key)
            if out[i] is not None and type(v) is str and len(known) < 1000:
                known[v] = out[i]
    return out


def _codes(cc: _Column) -> list[Any]:
    values = cc.values
    if cc.types == {str} and (cc.plain or all(values)) and list(map(str.strip, values)) == values:
        joined = "\x00" + "\x00".join(values)
        if "\x00'" not in joined and "\u00a0" not in joined:
            return [v or None for v in values]  # "" only when optional: stays None
    out: list[Any] = [None] * len(values)
    for i, v in enumerate(values):
        if type(v) is str and v and v == v.strip() and v[0] != "'" and "\u00a0" not in v:
            out[i] = v
        elif not cc.blank_ok(i, v):
            out[i] = cc.slow(i, v).get(cc.col.key)
    return out


def _texts(cc: _Column) -> list[Any]:
    values = cc.values
    if cc.types == {str}:
        stripped = list(map(str.strip, values))
        if all(stripped):
            return stripped
        if cc.plain:  # blank or all-space optional cells read as None
            return [v or None for v in stripped]
    out: list[Any] = [None] * len(values)
    for i, v in enumerate(values):
        if type(v) is str:
            stripped_v = v.strip()
            if stripped_v:
                out[i] = stripped_v
                continue
        if not cc.blank_ok(i, v):
            out[i] = cc.slow(i, v).get(cc.col.key)
    return out


def _dates(cc: _Column) -> list[Any]:
    out: list[Any] = [None] * len(cc.values)
    for i, v in enumerate(cc.values):  # dates and anything else
        if type(v) is dt.date:
            out[i] = v
        elif type(v) is dt.datetime:
            out[i] = v.date()
        elif not cc.blank_ok(i, v):
            out[i] = cc.slow(i, v).get(cc.col.key)
    return out
