"""What calamine does not say about an .xls or .ods sheet (percentage cells, .ods merges), from the file's records.

python-calamine hands over values only (0.739 for a cell shown "73,9%") and exposes no number format
for either kind, nor the merged ranges of an .ods, so they are looked up here, for the one sheet asked
about, in what the reader has already checked and bounded:
- .xls (BIFF8): the workbook stream's FORMAT and XF records say which cell styles show a percentage
  (built-in formats 9 "0%" and 10 "0.00%", or a format code with a % outside quotes); the sheet's
  NUMBER, RK, MULRK and FORMULA records name each cell's style.
- .ods: a cell shown as a percentage is written `office:value-type="percentage"` (its value is the
  fraction), a merged cell carries its span; both are placed by the table's rows and cells with their
  repeat counts.
Percentage cells are (Excel row, 0-based column) pairs; anything that cannot be followed gives nothing
(the values stand as read).
"""

from __future__ import annotations

import html
import re
import struct

from kesbang.intake import area

_BUILTIN_PERCENT = {9, 10}
_EOF, _FORMAT, _XF, _BOUNDSHEET = 0x000A, 0x041E, 0x00E0, 0x0085
_NUMBER, _RK, _MULRK, _FORMULA = 0x0203, 0x027E, 0x00BD, 0x0006
_BOF = frozenset((0x0809, 0x0409, 0x0209, 0x0009))
MAX_CELLS = 100_000  # far above the percentage cells of any real report


def _records(stream: bytes, at: int = 0):
    while at + 4 <= len(stream):
        typ, size = struct.unpack_from("<HH", stream, at)
        yield typ, stream[at + 4 : at + 4 + size]
        at += 4 + size


def _text(body: bytes, at: int, count: int) -> str:
    """A BIFF8 string of `count` characters whose flags byte is at `at`."""
    wide = body[at] & 0x1
    raw = body[at + 1 : at + 1 + count * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


def _globals(stream: bytes, is_percent) -> tuple[set[int], dict[str, int]]:
    """The XF indices showing a percentage, and each sheet's name -> the offset of its substream."""
    percent_formats, xf_formats, sheets = set(_BUILTIN_PERCENT), [], {}
    for typ, body in _records(stream):
        if typ == _EOF:
            break
        if typ == _FORMAT and len(body) >= 5:
            ifmt, cch = struct.unpack_from("<HH", body)
            if is_percent(_text(body, 4, cch)):
                percent_formats.add(ifmt)
        elif typ == _XF and len(body) >= 4:
            xf_formats.append(struct.unpack_from("<H", body, 2)[0])
        elif typ == _BOUNDSHEET and len(body) >= 8:
            offset, cch = struct.unpack_from("<I", body)[0], body[6]
            sheets[_text(body, 7, cch)] = offset
    return {i for i, f in enumerate(xf_formats) if f in percent_formats}, sheets


def _sheet_cells(stream: bytes, start: int, styles: set[int]) -> set[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    depth = 0
    for n, (typ, body) in enumerate(_records(stream, start)):
        if n and typ in _BOF:  # a chart inside the sheet: its records are not the sheet's cells
            depth += 1
        elif typ == _EOF:
            if not depth:
                break
            depth -= 1
        elif depth or len(out) >= MAX_CELLS:
            continue
        elif typ in (_NUMBER, _RK, _FORMULA) and len(body) >= 6:
            row, col, xf = struct.unpack_from("<HHH", body)
            if xf in styles:
                out.add((row + 1, col))
        elif typ == _MULRK and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            for i in range((len(body) - 6) // 6):
                if struct.unpack_from("<H", body, 4 + 6 * i)[0] in styles:
                    out.add((row + 1, first + i))
    return out


def xls_percent_cells(data: bytes, sheet: str, is_percent) -> frozenset[tuple[int, int]]:
    """The cells of `sheet` in the .xls `data` whose style shows a percentage; `is_percent(code)` tells a
    custom format code."""
    for stream in area.ole_streams(data, ("workbook", "book")) or []:
        try:
            styles, sheets = _globals(stream, is_percent)
            if sheet in sheets:
                return frozenset(_sheet_cells(stream, sheets[sheet], styles)) if styles else frozenset()
        except (struct.error, IndexError):
            continue
    return frozenset()


# the tags as area.py bounds them (quoted values may hold ">"; a file of unclosed tags costs one pass)
_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])" + area.ATTRS
                      + rb"(/?)>")
_ODS_NAME = re.compile(rb"""table:name\s*=\s*["']([^"']*)["']""")
_ODS_REPEAT = re.compile(rb"""table:number-(?:rows|columns)-repeated\s*=\s*["']\s*\+?([0-9]+)""")
_ODS_PERCENT = re.compile(rb"""\boffice:value-type\s*=\s*["']percentage["']""")
_ODS_ROWS_SPANNED = re.compile(rb"""table:number-rows-spanned\s*=\s*["']\s*\+?([0-9]{1,7})""")
_ODS_COLUMNS_SPANNED = re.compile(rb"""table:number-columns-spanned\s*=\s*["']\s*\+?([0-9]{1,5})""")


def _repeat(attrs: bytes) -> int:
    m = _ODS_REPEAT.search(attrs)
    return max(1, int(m[1])) if m else 1


def _add_block(out: set[tuple[int, int]], row: int, col: int, rows: int, cols: int) -> None:
    """Cells (row + 1 .. row + rows, col .. col + cols - 1), while fewer than MAX_CELLS are held."""
    for r in range(row + 1, row + rows + 1):
        if len(out) >= MAX_CELLS:
            return
        out.update((r, c) for c in range(col, col + min(cols, MAX_CELLS - len(out))))


def ods_look(content: bytes, sheet: str) -> tuple[list[tuple[int, int, int, int]], frozenset[tuple[int, int]]]:
    """Table `sheet` of an .ods `content.xml`: its merged ranges, 0-based (r0, c0, r1, c1) from each cell's
    `table:number-rows-spanned` / `-columns-spanned` (python-calamine gives none for .ods), and its cells
    written as percentages."""
    merged: list[tuple[int, int, int, int]] = []
    percent: set[tuple[int, int]] = set()
    inside = depth = row = col = 0
    row_repeat = 1
    for m in _ODS_TAG.finditer(content):
        closing, name, attrs, empty = m[1], m[2], m[3], m[4]
        if name == b"table":
            if not closing and not empty:
                depth += 1
                if depth == 1:
                    found = _ODS_NAME.search(attrs)
                    inside = bool(found) and html.unescape(found[1].decode("utf-8", "replace")) == sheet
                    row = 0
            elif closing:
                depth -= 1
                if depth == 0 and inside:
                    break
            continue
        if not inside or depth != 1:
            continue
        if name == b"table-row":
            if closing:
                row += row_repeat
            else:
                row_repeat, col = _repeat(attrs), 0
                if empty:
                    row += row_repeat
            continue
        if closing:
            continue
        repeat = _repeat(attrs)
        if _ODS_PERCENT.search(attrs):
            _add_block(percent, row, col, row_repeat, repeat)
        if b"spanned" in attrs and len(merged) < MAX_CELLS:
            rows, cols = (int(x[1]) if x else 1 for x in (_ODS_ROWS_SPANNED.search(attrs),
                                                           _ODS_COLUMNS_SPANNED.search(attrs)))
            if rows > 1 or cols > 1:
                merged.append((row, col, row + rows - 1, col + cols - 1))
        col += repeat
    return merged, frozenset(percent)
