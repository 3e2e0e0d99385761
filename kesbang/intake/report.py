"""The validation report for people: issues as a table grouped by sheet, and an Excel copy of the upload
with the problem cells highlighted and commented, plus a sheet listing every issue.

Text written into Excel is always a string cell: a value such as `=HYPERLINK(...)` typed by an
operator stays text and never becomes a live formula in the copy we hand back.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile

import openpyxl
import pandas as pd
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from kesbang.i18n import issue_message, t
from kesbang.model import LoadResult, ValidationIssue

log = logging.getLogger(__name__)

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
COLUMNS = ["severity", "sheet", "cell", "column", "value", "message", "code"]
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
# openpyxl holds every cell of every sheet as an object (about 700 MB for a million cells, read in 15 s),
# and the loader bounds only the sheets it reads: an upload whose XML is larger than this (some 50 times
# a large real submission) gets the issues-only workbook instead of a highlighted copy.
MAX_COPY_XML_BYTES = 8 * 1024 * 1024
# The copy lists and marks at most this many issues (each is a row of eight cells, and a comment on its
# cell): 130,000 issues took 20 s to write. The rest are counted in a closing row.
MAX_REPORT_ISSUES = 5_000


def _cell_sort_key(cell: str | None) -> tuple[int, int]:
    m = _CELL.match(cell or "")
    if not m:
        return (0, 0)
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return (int(m[2]), col)


def issues_frame(issues: list[ValidationIssue], lang: str = "id") -> pd.DataFrame:
    """One row per issue, ordered by sheet, severity and cell; `message` in `lang`."""
    records = [
        {
            "severity": i.severity,
            "sheet": i.sheet or "",
            "cell": i.cell or "",
            "column": i.column or "",
            "value": "" if i.value is None else str(i.value),
            "message": issue_message(i, lang),
            "code": i.code,
        }
        for i in sorted(
            issues, key=lambda i: (i.sheet or "", SEVERITY_ORDER.get(i.severity, 3), _cell_sort_key(i.cell))
        )
    ]
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def by_sheet(issues: list[ValidationIssue], lang: str = "id") -> dict[str, pd.DataFrame]:
    """Issues grouped by sheet ('' for file-level problems), each group ordered as in `issues_frame`."""
    frame = issues_frame(issues, lang)
    return {sheet: group.reset_index(drop=True) for sheet, group in frame.groupby("sheet", sort=True)}


def _text_cell(ws, row: int, col: int, value: object) -> None:
    """Write a value as a string cell (never a formula). The quotePrefix style (Excel's leading
    apostrophe) keeps it text even when someone edits the cell in Excel and presses Enter, which would
    otherwise re-read `=HYPERLINK(...)` as a formula."""
    cell = ws.cell(row, col)
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"
    cell.quotePrefix = True


def _issues_sheet(wb: openpyxl.Workbook, result: LoadResult, lang: str) -> None:
    title = t("v.report.issues_sheet", lang)
    name, n = title, 2
    while name in wb.sheetnames:
        name, n = f"{title} {n}", n + 1
    ws = wb.create_sheet(name, 0)
    _text_cell(ws, 1, 1, t("v.report.title", lang, file=result.filename))
    ws.cell(1, 1).font = Font(bold=True, size=13)
    headers = [t(f"v.report.{k}", lang) for k in COLUMNS] + [t("v.report.message", "en") + " (en)"]
    for c, h in enumerate(headers, start=1):
        _text_cell(ws, 3, c, h)
        ws.cell(3, c).font = Font(bold=True)
    frame = issues_frame(result.issues, lang)
    left_out = max(0, len(frame) - MAX_REPORT_ISSUES)
    frame = frame.head(MAX_REPORT_ISSUES)
    listed = {(rec.sheet, rec.cell, rec.code) for rec in frame.itertuples(index=False)}
    english = {
        key: issue_message(i, "en") for i in result.issues if (key := (i.sheet or "", i.cell or "", i.code)) in listed
    }
    for r, rec in enumerate(frame.itertuples(index=False), start=4):
        values = [
            t(f"v.severity.{rec.severity}", lang),
            rec.sheet,
            rec.cell,
            rec.column,
            rec.value,
            rec.message,
            rec.code,
            english.get((rec.sheet, rec.cell, rec.code), ""),
        ]
        for c, v in enumerate(values, start=1):
            _text_cell(ws, r, c, v)
        ws.cell(r, 1).fill = PatternFill("solid", fgColor=FILLS.get(rec.severity, "FFFFFF"))
    if frame.empty:
        _text_cell(ws, 4, 1, t("v.no_issues", lang))
    if left_out:
        _text_cell(ws, 4 + len(frame), 1, t("v.report.more_issues", lang, n=left_out))
    for letter, width in zip("ABCDEFGH", (11, 16, 8, 24, 24, 70, 26, 70)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"


def _highlight(wb: openpyxl.Workbook, issues: list[ValidationIssue], lang: str) -> None:
    notes: dict[tuple[str, str], list[ValidationIssue]] = {}
    for i in issues:
        if i.sheet and i.cell and i.sheet in wb.sheetnames and _CELL.match(i.cell):
            notes.setdefault((i.sheet, i.cell), []).append(i)
    author = t("v.report.comment_author", lang)
    for (sheet, ref), found in notes.items():
        ws = wb[sheet]
        if not hasattr(ws, "cell"):
            continue  # a chartsheet
        cell = ws[ref]
        worst = min(found, key=lambda i: SEVERITY_ORDER.get(i.severity, 3)).severity
        cell.fill = PatternFill("solid", fgColor=FILLS.get(worst, "FFFFFF"))
        if cell.data_type == "s":  # the operator's own text in a flagged cell: same protection as above
            cell.quotePrefix = True
        text = "\n\n".join(f"{issue_message(i, lang)}\n({issue_message(i, 'en')})" for i in found)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n\n{text}"
        comment = Comment(text[:30000], author)
        comment.width, comment.height = 420, 220
        cell.comment = comment


def _xml_bytes(data: bytes) -> int:
    """The declared uncompressed size of the upload's XML parts (zipfile, and so openpyxl, reads no
    more than a member declares)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return sum(i.file_size for i in zf.infolist() if i.filename.endswith(".xml"))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return MAX_COPY_XML_BYTES + 1


def highlighted_copy(data: bytes, result: LoadResult, lang: str = "id") -> bytes:
    """An .xlsx copy of the upload with problem cells coloured and commented and an issues sheet first.

    For uploads that are not xlsx/xlsm (or that openpyxl cannot open) a new workbook listing the issues
    is returned instead. Macros are never carried over.
    """
    wb = None
    if (result.kind in ("xlsx", "xlsm") and not any(i.code.startswith("file.") for i in result.issues)
            and _xml_bytes(data) <= MAX_COPY_XML_BYTES):
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=False, keep_links=False)
        except (
            InvalidFileException,
            KeyError,
            ValueError,
            TypeError,
            OSError,
            IndexError,
            AttributeError,
            EOFError,
        ) as exc:
            log.info("highlighted copy falls back to an issues-only workbook: %s", exc)
            wb = None
        except Exception as exc:  # defusedxml refusals and other parser errors: still give the report
            log.info("highlighted copy falls back to an issues-only workbook: %s", type(exc).__name__)
            wb = None
    if wb is None:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
    else:
        first = issues_frame(result.issues, lang).head(MAX_REPORT_ISSUES)
        marked = {(rec.sheet, rec.cell) for rec in first.itertuples(index=False)}
        _highlight(wb, [i for i in result.issues if (i.sheet or "", i.cell or "") in marked], lang)
    _issues_sheet(wb, result, lang)
    wb.active = 0
    for ws in wb.worksheets[1:]:
        ws.sheet_view.tabSelected = False
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
