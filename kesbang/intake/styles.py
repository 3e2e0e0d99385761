"""What a sheet shows beyond its values: cells merged over rows, and cells formatted as percentages.

calamine hands over values only: 0.739 for a cell Excel shows as "73,9%", and "" for every cell a
merge covers but its top-left one. Both are found here from the parts the reader has already checked
(xlsx/xlsm: the sheet's `<mergeCell>` list, `xl/styles.xml` and each cell's style index); for .xls
and .ods calamine's own merged ranges are used (for .ods, which it gives none for, the file's), and the
percentage cells come from the file's own records (kesbang/intake/formats.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kesbang.intake import formats
from kesbang.intake.cells import cell_ref, issue, parse_ref
from kesbang.intake.convert import show
from kesbang.intake.numbers import format_plain
from kesbang.intake.reader import Grid, ReadProblem, Workbook
from kesbang.intake.table import ParsedTable
from kesbang.model import ValidationIssue

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z$]+\d+):([A-Za-z$]+\d+)[\"']")
_NUMFMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_ATTR = re.compile(rb"([\w:]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*)>")
_BUILTIN_PERCENT = {9, 10}  # "0%", "0.00%"
# what a format code shows literally: quoted text, an escaped character, [colour]/[condition] sections
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@dataclass
class SheetLook:
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based (r0, c0, r1, c1)
    percent: frozenset[tuple[int, int]] = frozenset()  # (Excel row, 0-based column) shown as a percentage


def _attrs(text: bytes) -> dict[bytes, str]:
    return {k.split(b":")[-1]: (a if a is not None else b or b"").decode("utf-8", "replace")
            for k, a, b in _ATTR.findall(text)}


def is_percent_format(code: str) -> bool:
    """Whether an Excel number format shows a value as a percentage ("0.0%", "0%;-0%", not "0\\%")."""
    return "%" in _LITERAL.sub("", code)


def percent_styles(styles: bytes) -> frozenset[int]:
    """The cell style indices (`s="…"`) whose number format is a percentage."""
    if b"%" not in styles and not re.search(rb"numFmtId\s*=\s*[\"'](?:9|10)[\"']", styles):
        return frozenset()
    percent_ids = set(_BUILTIN_PERCENT)
    for m in _NUMFMT.finditer(styles):
        a = _attrs(m[1])
        if a.get(b"numFmtId", "").isdigit() and is_percent_format(a.get(b"formatCode", "")):
            percent_ids.add(int(a[b"numFmtId"]))
    xfs = _CELL_XFS.search(styles)
    if xfs is None:
        return frozenset()
    out = set()
    for i, m in enumerate(_XF.finditer(xfs[1])):
        fmt = _attrs(m[1]).get(b"numFmtId", "0")
        if fmt.isdigit() and int(fmt) in percent_ids:
            out.add(i)
    return frozenset(out)


def _percent_cells(xml: bytes, styles: frozenset[int]) -> frozenset[tuple[int, int]]:
    out = set()
    wanted = {str(s).encode() for s in styles}
    for m in _CELL.finditer(xml):
        text = m[1]
        if b"s=" not in text:
            continue
        a = _attrs(text)
        if a.get(b"s", "").encode() in wanted and (where := parse_ref(a.get(b"r", ""))) is not None:
            out.add(where)
    return frozenset(out)


def _xlsx_merges(xml: bytes) -> list[tuple[int, int, int, int]]:
    out = []
    at = xml.find(b"mergeCell")  # the list follows the cells: its opening tag is the first mention
    if at == -1:
        return out
    for m in _MERGE.finditer(xml, max(0, xml.rfind(b"<", 0, at))):
        a, b = parse_ref(m[1].decode()), parse_ref(m[2].decode())
        if a and b:
            out.append((a[0] - 1, a[1], b[0] - 1, b[1]))
    return out


def look(wb: Workbook, name: str) -> SheetLook:
    """The merged ranges and percentage cells of sheet `name` (nothing when they cannot be known)."""
    path = wb.sheet_paths.get(name)
    if wb.package is not None and path:
        xml = wb.part(path) or b""
        styles = percent_styles(wb.part("xl/styles.xml") or b"")
        return SheetLook(_xlsx_merges(xml), _percent_cells(xml, styles) if styles else frozenset())
    if wb.kind in ("xls", "ods"):
        try:
            ranges = wb.book.get_sheet_by_name(name).merged_cell_ranges or []
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException:  # merges are a convenience: a sheet calamine cannot give them for has none
            ranges = []
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]
        if wb.kind == "xls":
            return SheetLook(merged, formats.xls_percent_cells(wb.biff or b"", name, is_percent_format))
        ods_merged, percent = formats.ods_look((wb.package.read("content.xml") if wb.package else None) or b"", name)
        return SheetLook(merged or ods_merged, percent)
    return SheetLook()


def safe_look(wb: Workbook, name: str) -> SheetLook:
    """`look`, or nothing when a part cannot be read again (the values were read: they stand)."""
    try:
        return look(wb, name)
    except ReadProblem:
        return SheetLook()


def fill_merged_down(grid: Grid, merged: list[tuple[int, int, int, int]], header_last: int,
                     issues: list[ValidationIssue]) -> Grid:
    """The grid with each data cell merged down over rows (Kode Program over its indicators) given its
    top-left value in every row it covers, and one note saying so. Merges inside the header, merges
    across columns only (a section title) and the other columns of a wide merge are left as they are."""
    down = [(r0, c0, r1) for r0, c0, r1, _ in merged if r1 > r0 and r0 > header_last and r0 < len(grid.rows)]
    if not down:
        return grid
    rows = list(grid.rows)
    filled: list[str] = []
    for r0, c0, r1 in sorted(down):
        top = rows[r0][c0] if c0 < len(rows[r0]) else None
        if top is None or top == "":
            continue
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            if c0 < len(rows[r]) and rows[r][c0] in ("", None):
                if rows[r] is grid.rows[r]:
                    rows[r] = list(rows[r])  # the workbook's cached grid stays as read
                rows[r][c0] = top
                filled.append(cell_ref(r + 1, c0))
    if not filled:
        return grid
    issues.append(issue("info", "v.merged.filled", grid.name, None, None, None, count=len(filled),
                        cells=_cells_text(filled)))
    return Grid(grid.name, rows, grid.hidden, grid.marks)


def _cells_text(cells: list[str], shown: int = 5) -> str:
    return ", ".join(cells[:shown]) + (" …" if len(cells) > shown else "")


# the columns that hold the indicator's own measure (K), in its unit; money columns (Rp) never do
PERCENT_KEYS = ("baseline", "target", "realisasi_tw1", "realisasi_tw2", "realisasi_tw3", "realisasi_tw4")


def is_percent_unit(unit: object) -> bool:
    """Persen, %, Persen (%), Persentase, percent."""
    text = str(unit or "").strip().casefold()
    return "%" in text or text.startswith(("persen", "percent"))


def _number(table: ParsedTable, key: str, i: int) -> float | None:
    value = table.data["target_min" if key == "target" else key][i]
    if key == "target" and value != table.data["target_max"][i]:
        return None  # a range typed as text is never a formatted number
    return value if isinstance(value, float) else None


def _scale(table: ParsedTable, key: str, i: int, value: float) -> None:
    shown = round(value * 100, 9)
    if key == "target":
        text = format_plain(shown)
        table.data["target_min"][i] = table.data["target_max"][i] = shown
        table.data["target"][i] = table.data["target_text"][i] = text
    else:
        table.data[key][i] = shown


def read_shown_percent(table: ParsedTable, percent: frozenset[tuple[int, int]], issues: list[ValidationIssue]) -> None:
    """Indicator cells formatted as percentages read as the percent the operator sees (0.739 shown
    "73,9%" is 73.9) when the indicator's unit is a percent, with one note; where that reading is not
    sure, a warning on the cell and the value kept as typed: a percentage format on an indicator whose
    unit is not a percent, or a plain fraction (0.62) beside formatted cells of the same indicator."""
    if not percent or "satuan" not in table.data:
        return
    keys = [k for k in PERCENT_KEYS if k in table.columns and k in table.data]
    scaled: list[str] = []
    for i, (excel_row, unit) in enumerate(zip(table.data["row"], table.data["satuan"])):
        formatted = [k for k in keys
                     if (excel_row, table.columns[k][0]) in percent and _number(table, k, i) is not None]
        if not formatted:
            continue
        if not is_percent_unit(unit):
            for k in formatted:
                issues.append(table.at("warning", "v.percent.unit_not_percent", i, k, unit=str(unit or ""),
                                       reading=show(_number(table, k, i))))
            continue
        for k in formatted:
            scaled.append(cell_ref(excel_row, table.columns[k][0]))
            _scale(table, k, i, _number(table, k, i))
        for k in keys:
            value = _number(table, k, i)
            if k not in formatted and value is not None and 0 < abs(value) <= 1:
                issues.append(table.at("warning", "v.percent.mixed", i, k, reading=show(value),
                                       other=show(round(value * 100, 9))))
    if scaled:
        issues.append(issue("info", "v.percent.scaled", table.sheet, None, None, None, count=len(scaled),
                            cells=_cells_text(scaled)))
