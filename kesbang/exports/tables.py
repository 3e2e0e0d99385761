"""Every table download: DataFrames to .xlsx (one or more sheets) or CSV, where text never becomes a formula.

openpyxl (like xlsxwriter and `DataFrame.to_excel`) turns any string starting with "=" into a live
formula. Here every text cell is written as an explicit string cell; text that a spreadsheet would
read as a formula (= + - @, tab, carriage return) additionally gets Excel's quote prefix, so even
editing the cell in Excel keeps it text. CSV has no cell types, so such cells get a leading
apostrophe (the OWASP "CSV injection" escape). Numbers stay numbers (a negative number is not text).
A carriage return is not kept inside xlsx text (XML turns it into a line feed); the cell stays text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kesbang import i18n, regions

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
MAX_CELL_TEXT = 32767            # Excel's limit per cell
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_ALIGN = Alignment(vertical="top", wrap_text=True)
_DATE_FORMAT = "dd/mm/yyyy"      # day first, as Indonesian readers write dates
_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# columns whose category codes/labels are painted with the category palette
CATEGORY_COLUMNS = {"kategori", "category"}


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def escape_csv_text(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; everything else unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _plain(value: Any) -> Any:
    """A cell value openpyxl can write: numbers, bools, naive datetimes, or text."""
    if _is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        # Excel has no time zones: write UTC wall time
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date | dt.time):
        return value
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value)


def _text_cell(ws, text: str) -> Cell:
    text = ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_TEXT]
    cell = WriteOnlyCell(ws)
    cell.value = text
    cell.data_type = "s"  # assigned after the value: openpyxl would have typed "=..." as a formula
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def _cell(ws, value: Any, number_format: str | None) -> Any:
    """A write-only cell, or the bare value where openpyxl cannot misread it (much faster to write)."""
    value = _plain(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        if looks_like_formula(value) or ILLEGAL_CHARACTERS_RE.search(value) or len(value) > MAX_CELL_TEXT:
            return _text_cell(ws, value)
        return value  # openpyxl types a bare string as a formula only when it starts with "="
    if number_format is None and not isinstance(value, dt.date | dt.time):
        return value
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, dt.datetime):
        cell.number_format = _DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = _DATE_FORMAT
    elif number_format:
        cell.number_format = number_format
    return cell


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub(" ", str(name)).strip().strip("'") or "Data"
    title = base[:MAX_SHEET_NAME]
    n = 2
    while title.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({n})"
        title = base[:MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    taken.add(title)
    return title


def _number_format(series: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    values = series.dropna()
    if pd.api.types.is_integer_dtype(series) or (len(values) and (values == values.round()).all()):
        return "#,##0"
    return "#,##0.00"


def _width(header: str, series: pd.Series) -> float:
    sample = series.head(500).map(lambda v: "" if _is_missing(v) else str(v))
    longest = max([len(header), *sample.str.len().tolist()]) if len(sample) else len(header)
    return float(min(max(longest + 2, 8), 60))


def _write_sheet(wb: Workbook, title: str, df: pd.DataFrame, headers: Mapping[str, str] | None) -> None:
    ws = wb.create_sheet(title)
    labels = [str(headers.get(c, c)) if headers else str(c) for c in df.columns]
    formats = [_number_format(df[c]) for c in df.columns]
    for i, (label, column) in enumerate(zip(labels, df.columns), start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width(label, df[column])
    ws.freeze_panes = "A2"
    if len(df.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{max(len(df) + 1, 1)}"
    header_cells = []
    for label in labels:
        cell = _text_cell(ws, label)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
        header_cells.append(cell)
    ws.append(header_cells)
    painted = [i for i, c in enumerate(df.columns) if str(c).casefold() in CATEGORY_COLUMNS]
    styles = _category_styles() if painted else {}
    for values in df.itertuples(index=False, name=None):
        cells = [_cell(ws, v, f) for v, f in zip(values, formats)]
        for i in painted:
            style = styles.get(str(values[i]).strip()) if isinstance(values[i], str) else None
            if style is not None:
                cell = cells[i] if isinstance(cells[i], Cell) else _text_cell(ws, values[i])
                cell.fill, cell.font = style
                cells[i] = cell
        ws.append(cells)


def _category_styles() -> dict[str, tuple[PatternFill, Font]]:
    """Category code or its label (id/en) → the palette's fill and text colour, as charts use them."""
    from kesbang.charts import palette  # the one palette for categories, in tables too
    from kesbang.i18n import LANGUAGES

    styles = {}
    for code in [*palette.ORDER, palette.NONE]:
        fill = PatternFill("solid", fgColor=palette.CATEGORY_COLORS[code].lstrip("#").upper())
        font = Font(color=palette.CATEGORY_TEXT[code].lstrip("#").upper())
        for key in {code, *(palette.category_label(code, lang) for lang in LANGUAGES)}:
            styles[key] = (fill, font)
    styles.pop(palette.NONE, None)  # the bare word "none" is not a category
    return styles


def to_xlsx(frames: pd.DataFrame | Mapping[str, pd.DataFrame], headers: Mapping[str, str] | None = None,
            sheet_name: str = "Data") -> bytes:
    """Workbook bytes: one sheet per frame (name → frame), styled header row, frozen, filtered, sized.

    `headers` maps column names to the labels written in row 1 (e.g. translated), for every sheet.
    """
    if isinstance(frames, pd.DataFrame):
        frames = {sheet_name: frames}
    wb = Workbook(write_only=True)  # streams rows: national-scale tables stay fast and small in memory
    taken: set[str] = set()
    for name, df in frames.items():
        _write_sheet(wb, sheet_title(name, taken), df, headers)
    if not frames:
        _write_sheet(wb, sheet_title(sheet_name, taken), pd.DataFrame(), headers)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_csv(df: pd.DataFrame, headers: Mapping[str, str] | None = None, sep: str = ",") -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads Indonesian text right), formula-looking text escaped."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerow([escape_csv_text(str(headers.get(c, c)) if headers else str(c)) for c in df.columns])
    for values in df.itertuples(index=False, name=None):
        row = []
        for v in values:
            v = _plain(v)
            if v is None:
                row.append("")
            elif isinstance(v, dt.datetime | dt.date):
                row.append(v.isoformat())
            else:
                row.append(escape_csv_text(v))
        writer.writerow(row)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def about_sheet(name: str, lang: str, province: str, year: int, period_label: str,
                made: dt.datetime) -> pd.DataFrame:
    """The "Keterangan" sheet of every download from the app: what the file is, for which province, year
    and period, when it was made, what a blank cell means and where the figures come from, so a file
    read on its own (forwarded, printed) still says all of that."""
    rows = [("file", name), ("province", f"{province} · {regions.province_name(province)}"), ("year", str(year)),
            ("period", i18n.t("download.about.period_value", lang, period=period_label)),
            ("made", made.strftime("%d/%m/%Y %H:%M")),
            ("blank", i18n.t("download.about.blank_value", lang)),
            ("source", i18n.t("download.about.source_value", lang))]
    return pd.DataFrame([(i18n.t(f"download.about.{k}", lang), v) for k, v in rows],
                        columns=[i18n.t("download.about.field", lang), i18n.t("download.about.value", lang)])
