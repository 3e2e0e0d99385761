"""How far a sheet's cells reach, found from the raw file before python-calamine reads it.

calamine holds a sheet as a dense grid from its first to its last cell. When that allocation fails the
whole process aborts (one value in XFD1048576 asks for hundreds of GB), and no exception can catch it,
so every bound is found before calamine sees the sheet. Each bound follows calamine's own rules for
placing a cell, so that spelling the markup differently cannot move a cell past it.

- xlsx: a cell's place is its `r` attribute, in either quote, with spaces around "=", in either case,
  the last of several; without one, the next column of the current row. A row's `r` sets the current
  row; a row without one is the next row. Tags may carry a namespace prefix, and another attribute's
  value may hold a ">".
- ods: calamine reads every table when it opens the file, pads each row to the widest, and expands a
  row or cell with a repeat count into that many.
- xls: calamine reads every sheet when it opens the file and places each cell by its own record, whatever
  the sheet's DIMENSIONS record claims.

One long text shown by many cells is copied per cell, so the text each sheet expands to is counted too.
"""

from __future__ import annotations

import re
import struct

MAX_SHEET_CELLS = 2_000_000  # dense area (rows x columns) of one sheet
MAX_SHEET_ROWS = 200_000
# Text a file may expand to once every cell holds its own copy: one long text repeated over many cells
# (an ODS repeat count, or many xlsx cells pointing at one shared string) is stored once in the file but
# copied per cell by calamine and again by Python (a 3 KB ODS asked for 10 GB).
MAX_TEXT_BYTES = 64 * 1024 * 1024
MAX_READ_CELLS = 2 * MAX_SHEET_CELLS  # all the grids read from one upload together


def too_large(rows: int, columns: int) -> bool:
    return rows > MAX_SHEET_ROWS or rows * columns > MAX_SHEET_CELLS


def too_many_cells(xml: bytes) -> bool:
    """More cell tags than a sheet may hold, though their references repeat inside a small area (each is
    still read, and scanned for error marks). Counted only in a sheet large enough to hold that many."""
    return len(xml) > 4 * MAX_SHEET_CELLS and xml.count(b"<c") + xml.count(b":c") > MAX_SHEET_CELLS


# --- xlsx -------------------------------------------------------------------------------------------

# Three searches prove that every cell lies within row 999 and column ZZ (at most 702 x 999 cells):
# no `r` attribute, however it is written, holds a third letter or a fourth digit (a value that is not
# letters then digits is flagged too, though calamine refuses it);
_BIG_R = re.compile(rb"""r\s*+=\s*+["'][A-Za-z]{0,2}+[0-9]{0,3}+[A-Za-z0-9]""")
# every cell tag starts with r=" and a column letter (so none is placed by counting: a row's own r then
# places nothing; a value without a column, which calamine refuses, is taken as counted, as
# `_placed_extent` takes it);
_UNREFERENCED = re.compile(rb'<c(?=[\s/>])(?! r="[A-Za-z])')
# and no cell tag has a namespace prefix.
_PREFIXED = re.compile(rb":c[\s/>]")
_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-")


def _big_reference(xml: bytes) -> bool:
    # "r" ends longer attribute names too (error="Nilai..."): only a whole name counts
    return any(m.start() == 0 or xml[m.start() - 1] not in _NAME_BYTES for m in _BIG_R.finditer(xml))


def ooxml_may_exceed(xml: bytes) -> bool:
    """False when the sheet's cells certainly lie within A1:ZZ999; True when they must be counted."""
    return bool(_big_reference(xml) or _UNREFERENCED.search(xml) or _PREFIXED.search(xml))


# A tag's attributes, up to its "/>" or ">": a quoted value may hold either, an unquoted "<" ends them
# (quick-xml refuses such a tag, so calamine reads nothing from it). Possessive, and stopping at "<", so
# that a file of unclosed tags costs one pass, not one pass per tag.
ATTRS = rb"""((?:[^<>"'/]++|/(?!>)|"[^"]*+"|'[^']*+')*+)"""
# a cell or row tag: opening, closing or empty
_TAG = re.compile(rb"<(/?)(?:[^\s<>/:\"']+:)?(c|row)(?=[\s/>])" + ATTRS + rb"(/?)>")
_R_ATTR = re.compile(rb"""(?<![\w.:-])r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]*)([0-9]*)")
# a cell tag (opening or empty) and a cell's closing tag
CELL_TAG = re.compile(rb"<(?:[^\s<>/:\"']+:)?c(?=[\s/>])" + ATTRS + rb"(/?)>")
CELL_END = re.compile(rb"</(?:[^\s<>/:]+:)?c\s*>")
_VALUE = re.compile(rb"<(?:[^\s<>/:]+:)?(?:v|is|f)[\s/>]")


class Ahead:
    """The first match of `pattern` in `data` at or after a position that only moves forward, so that
    the searches for all the cells of a sheet read each byte once (a search per cell from its own start
    would read the rest of the sheet per cell when a hostile file leaves the cells unclosed)."""

    def __init__(self, pattern: re.Pattern[bytes], data: bytes):
        self.pattern, self.data = pattern, data
        self.match: re.Match[bytes] | None = None
        self.exhausted = False

    def at(self, pos: int) -> re.Match[bytes] | None:
        if self.match is not None and self.match.start() >= pos:
            return self.match
        if not self.exhausted:
            self.match = self.pattern.search(self.data, pos)
            self.exhausted = self.match is None
        return self.match if self.match is not None and self.match.start() >= pos else None

    def before(self, pos: int, stop: int) -> re.Match[bytes] | None:
        """The first match starting in [pos, stop)."""
        m = self.at(pos)
        return m if m is not None and m.start() < stop else None


def cell_end(ends: Ahead, tag: re.Match[bytes], empty: bool) -> int:
    """Where the body of the cell opened by `tag` ends: its closing tag, or the end of the sheet."""
    if empty:
        return tag.end()
    end = ends.at(tag.end())
    return end.start() if end is not None else len(ends.data)


def column_number(letters: bytes) -> int:
    """A column's letters (either case) as its 1-based number: A is 1, AA is 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def reference(attrs: bytes) -> tuple[int, int] | None:
    """(row, column), 1-based, that the tag's `r` attributes could place it at (the largest of several,
    where calamine keeps the last); None without a usable one. calamine refuses a value that is not
    letters then digits, or has no row, so such a value places nothing."""
    best = None
    for m in _R_ATTR.finditer(attrs):
        ref = _REF.fullmatch(m[1] if m[1] is not None else m[2])
        if ref is None or not ref[2] or int(ref[2]) == 0:
            continue
        row, col = int(ref[2]), column_number(ref[1])
        best = (row, col) if best is None else (max(best[0], row), max(best[1], col))
    return best


_ANY_R = re.compile(rb"""(?<![\w.:-])r\s*=\s*["']([A-Za-z]*)([0-9]+)["']""")


def ooxml_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell that holds something, placed as calamine places it.
    When every cell carries a reference, the largest reference of all bounds it: a sheet of thousands
    of ordinary rows stops there. Both counts stop as soon as the sheet is too large."""
    if not _UNREFERENCED.search(xml) and not _PREFIXED.search(xml):
        rows = cols = 0
        columns: dict[bytes, int] = {}
        for m in _ANY_R.finditer(xml):
            col = columns.get(m[1])
            if col is None:
                col = columns[m[1]] = column_number(m[1])
            rows, cols = max(rows, int(m[2])), max(cols, col)
            if too_large(rows, cols):
                break
        else:
            return rows, cols
    return _placed_extent(xml)


def _placed_extent(xml: bytes) -> tuple[int, int]:
    """Every cell placed in turn; cells with nothing in them (style only) are left out, as calamine
    leaves them out of its grid."""
    row, col = 1, 1  # where a cell without a reference goes
    rows = cols = 0
    ends, values = Ahead(CELL_END, xml), Ahead(_VALUE, xml)
    for m in _TAG.finditer(xml):
        closing, name, attrs, empty = m[1], m[2], m[3], m[4]
        if name == b"row":
            if closing:
                row, col = row + 1, 1
                continue
            ref = reference(attrs)
            if ref is not None:
                row = ref[0]
            if empty:
                row, col = row + 1, 1
            continue
        if closing:
            continue
        ref = reference(attrs)
        at = (ref[0], ref[1]) if ref is not None and ref[1] else (row, col)
        col = at[1] + 1
        if empty:
            continue
        if values.before(m.end(), cell_end(ends, m, False)):
            rows, cols = max(rows, at[0]), max(cols, at[1])
            if too_large(rows, cols):
                break
    return rows, cols


# --- ods --------------------------------------------------------------------------------------------

_ODS_TAG = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])" + ATTRS + rb"(/?)>"
)
_ODS_REPEAT = re.compile(rb"""number-(?:rows|columns)-repeated\s*=\s*["']\s*\+?([0-9]+)""")
# a cell with a value (office:value-type, office:date-value...) or a formula; calamine leaves others out
_ODS_FILLED = re.compile(rb"value|formula")
_ODS_CELL_END = re.compile(rb"</table:(?:covered-)?table-cell\s*>")


def _repeat(attrs: bytes) -> int:
    m = _ODS_REPEAT.search(attrs)
    return int(m[1]) if m else 1


def ods_excess(content: bytes) -> tuple[str, dict[str, int]] | None:
    """(message id, parameters) when calamine, which reads every table when it opens the file, would
    hold too large a grid or too much text; None when the tables fit. calamine pads every row to the
    widest: a table's grid is its rows up to the last holding a filled cell, times its widest row up to
    that row's last filled cell, repeat counts expanded (an empty row or cell before a filled one counts).
    A cell's text is bounded by its attributes and body as written."""
    book = text = depth = 0
    rows = width = row_at = 0  # the table's grid so far, and the rows before the current one
    row_repeat, col_at, row_last, row_text = 1, 0, 0, 0
    ends = Ahead(_ODS_CELL_END, content)
    for m in _ODS_TAG.finditer(content):
        closing, name, attrs, empty = m[1], m[2], m[3], m[4]
        if name == b"table":  # a table nested in a cell counts as part of the one around it
            depth += -1 if closing else (0 if empty else 1)
            if not closing and not empty and depth == 1:
                rows = width = row_at = 0
            elif depth == 0:
                book += rows * width
                if book > MAX_BOOK_CELLS:
                    return "file.too_large_any", {"rows": rows, "columns": width}
                rows = width = row_at = 0
            continue
        if name != b"table-row":
            if not closing:
                repeat = _repeat(attrs)
                col_at += repeat
                if _ODS_FILLED.search(attrs):
                    row_last = col_at
                    row_text += repeat * (len(attrs) + cell_end(ends, m, bool(empty)) - m.end())
            continue
        if not closing:
            row_repeat, col_at, row_last, row_text = _repeat(attrs), 0, 0, 0
            if not empty:
                continue
        if row_last:
            rows, width = row_at + row_repeat, max(width, row_last)
            text += row_repeat * row_text
            if too_large(rows, width) or book + rows * width > MAX_BOOK_CELLS:
                return "file.too_large_any", {"rows": rows, "columns": width}
            if text > MAX_TEXT_BYTES:
                return "file.too_much_text", {"mb": MAX_TEXT_BYTES >> 20}
        row_at += row_repeat
        row_repeat, col_at, row_last, row_text = 1, 0, 0, 0
    return None


# --- xls --------------------------------------------------------------------------------------------

MAX_BOOK_CELLS = 4 * MAX_SHEET_CELLS  # every sheet of an xls is held at once
_LAST_SECTOR = 0xFFFFFFFA  # above it: free, end of chain and the other markers
_MAX_STREAMS = 16  # readings of the workbook stream bounded; each may be as long as the file


def _sectors(fat: list[int], start: int, limit: int) -> list[int]:
    chain: list[int] = []
    while start < _LAST_SECTOR and start < len(fat) and len(chain) < limit:
        chain.append(start)
        start = fat[start]
    return chain


def ole_streams(data: bytes, names: tuple[str, ...]) -> list[bytes] | None:
    """Every stream of an OLE2 compound file that a reader could take for one named in `names` (any
    case), as the FAT chains it; None when the container cannot be followed."""
    try:
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            return None
        size = 1 << shift
        n_sectors = max(0, len(data) // size - 1)
        first_dir = struct.unpack_from("<I", data, 0x30)[0]
        cutoff, first_minifat, _, first_difat = struct.unpack_from("<IIII", data, 0x38)

        def sector(i: int) -> bytes:
            return data[(i + 1) * size : (i + 2) * size]

        def entries(i: int) -> tuple[int, ...]:
            return struct.unpack_from(f"<{size // 4}I", sector(i))

        difat = list(struct.unpack_from("<109I", data, 0x4C))
        seen = 0
        while first_difat < _LAST_SECTOR and seen < n_sectors:
            more = entries(first_difat)
            difat.extend(more[:-1])
            first_difat, seen = more[-1], seen + 1
        fat: list[int] = []
        for i in difat:
            if i < min(_LAST_SECTOR, n_sectors):
                fat.extend(entries(i))

        def regular(start: int, length: int) -> bytes:
            return b"".join(sector(i) for i in _sectors(fat, start, n_sectors))[:length]

        directory = regular(first_dir, n_sectors * size)
        dirs = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
        if not dirs:
            return None
        mini_stream = regular(*struct.unpack_from("<II", dirs[0], 116))
        raw = regular(first_minifat, n_sectors * size)
        minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))
        found, seen = [], set()
        for entry in dirs:
            # calamine reads a name up to its first NUL, whatever the length field says, and takes an
            # entry of any type: every reading of the name that matches counts here
            name_len = min(struct.unpack_from("<H", entry, 64)[0], 64)
            by_length = entry[: max(0, name_len - 2)].decode("utf-16-le", "replace").lower()
            by_nul = entry[:64].decode("utf-16-le", "replace").split("\x00", 1)[0].lower()
            if by_length not in names and by_nul not in names:
                continue
            start, length = struct.unpack_from("<II", entry, 116)
            # small streams live in the mini stream: calamine draws that line at 4096 bytes whatever the
            # header says, so a header that says otherwise has both readings bounded
            for line in {cutoff, 4096}:
                reading = (start, length, length < line)
                if reading in seen:
                    continue
                seen.add(reading)
                if len(seen) > _MAX_STREAMS:
                    return None  # a directory listing the workbook over and over: not a real file
                if length < line:
                    chain = _sectors(minifat, start, len(mini_stream) // 64 + 1)
                    found.append(b"".join(mini_stream[i * 64 : (i + 1) * 64] for i in chain)[:length])
                else:
                    found.append(regular(start, length))
        return found
    except (struct.error, IndexError, ValueError):
        return None


_BOF = frozenset((0x0809, 0x0409, 0x0209, 0x0009))
_EOF, _BOUNDSHEET, _MULRK, _SST, _CONTINUE, _LABELSST = 0x000A, 0x0085, 0x00BD, 0x00FC, 0x003C, 0x00FD
_DIMENSIONS = frozenset((0x0200, 0x0000))
# records that hold one cell's value, row and column first: NUMBER, RK, LABELSST, LABEL, RSTRING, BOOLERR,
# FORMULA (BIFF2 to BIFF8 numbers); BLANK and MULBLANK hold nothing and calamine does not place them
_CELL_RECORDS = frozenset((0x0203, 0x027E, 0x00FD, 0x0204, 0x00D6, 0x0205, 0x0006, 0x0206, 0x0406,
                           0x0002, 0x0003, 0x0004, 0x0005))
_UTF8_MAX = 3  # bytes per UTF-16 unit in the text calamine makes of a BIFF string


def _records(stream: bytes, at: int):
    while at + 4 <= len(stream):
        typ, size = struct.unpack_from("<HH", stream, at)
        yield typ, at + 4, size
        at += 4 + size


def _sst_sizes(stream: bytes, at: int, size: int) -> tuple[list[int], int]:
    """The length in characters of each string of the shared string table whose record body starts at
    `at`, read across its CONTINUE records (characters that go on in the next record restart with a
    flags byte), and the bytes left unread: a string the walk did not reach (a table it cannot follow)
    is at most that long."""
    data, bounds = bytearray(stream[at : at + size]), []
    for typ, cat, csize in _records(stream, at + size):
        if typ != _CONTINUE:
            break
        bounds.append(len(data))
        data += stream[cat : cat + csize]
    starts = set(bounds)  # where a CONTINUE record's body begins
    bounds.append(len(data))
    sizes: list[int] = []
    pos, unique = 8, struct.unpack_from("<I", data, 4)[0] if len(data) >= 8 else 0
    try:
        while len(sizes) < unique and pos + 3 <= len(data):
            cch, flags = struct.unpack_from("<HB", data, pos)
            pos += 3
            runs = struct.unpack_from("<H", data, pos)[0] if flags & 0x8 else 0
            pos += 2 if flags & 0x8 else 0
            ext = struct.unpack_from("<I", data, pos)[0] if flags & 0x4 else 0
            pos += 4 if flags & 0x4 else 0
            left, width = cch, 2 if flags & 0x1 else 1
            while left:
                if pos in starts:  # characters go on in the next record, after a new flags byte
                    width, pos = 2 if data[pos] & 0x1 else 1, pos + 1
                end = next((b for b in bounds if b > pos), pos)
                take = min(left, (end - pos) // width)
                pos, left = pos + take * width, left - take
                if left and pos >= len(data):
                    return sizes, 0
            pos += 4 * runs + ext
            sizes.append(cch)
    except struct.error:
        pass
    return sizes, max(0, len(data) - pos)


def _sheet_extent(
    stream: bytes, start: int, limit: int, sst: tuple[list[int], int]
) -> tuple[int, int, int, int, int, int]:
    """(rows, columns) reached by the cells of the substream at `start`, the (rows, columns) its
    DIMENSIONS record declares, the bytes of shared-string text its cells point at (each cell its own
    copy), and how many records were read (at most `limit`)."""
    rows = cols = dim_rows = dim_cols = text = n = depth = 0
    for n, (typ, at, size) in enumerate(_records(stream, start)):
        if n >= limit:
            break
        if n and typ in _BOF:  # a chart or other substream inside the sheet: calamine reads on after it
            depth += 1
        elif typ == _EOF:
            if not depth:
                break
            depth -= 1
        if typ in _CELL_RECORDS and size >= 4:
            row, col = struct.unpack_from("<HH", stream, at)
            rows, cols = max(rows, row + 1), max(cols, col + 1)
            if typ == _LABELSST and size >= 10:
                index = struct.unpack_from("<I", stream, at + 6)[0]
                text += _UTF8_MAX * (sst[0][index] if index < len(sst[0]) else sst[1])
        elif typ == _MULRK and size >= 6:
            row = struct.unpack_from("<H", stream, at)[0]
            last = struct.unpack_from("<H", stream, at + size - 2)[0]
            rows, cols = max(rows, row + 1), max(cols, last + 1)
        elif typ in _DIMENSIONS and size >= 8:
            layout = "<IIHH" if size >= 14 else "<HHHH"
            first_row, dim_rows, first_col, dim_cols = struct.unpack_from(layout, stream, at)
            # calamine takes last - first in unsigned arithmetic: a first row past the last wraps to
            # about 4 billion rows
            if first_row > dim_rows or first_col > dim_cols:
                dim_rows, dim_cols = 1 << 32, max(dim_cols, 1)
    return rows, cols, dim_rows, dim_cols, text, n + 1


def biff_excess(stream: bytes) -> tuple[str, dict[str, int]] | None:
    """(message id, parameters) when a sheet of the BIFF workbook stream is too large to hold, or all
    sheets together are, or their cells point at too much shared text; None when they fit. Sheets are
    found both in order and where the workbook's sheet list points, as calamine follows the list."""
    starts, records = set(), 0
    sst: tuple[list[int], int] = ([], 0)
    for typ, at, size in _records(stream, 0):
        records += 1
        if typ in _BOF:
            starts.add(at - 4)
        elif typ == _BOUNDSHEET and size >= 4:
            starts.add(struct.unpack_from("<I", stream, at)[0])
        elif typ == _SST and not sst[0]:
            sst = _sst_sizes(stream, at, size)
    # a sheet list that points into the middle of other sheets again and again would be read over and
    # over: past three reads of the whole stream the book is refused
    budget = 3 * records + 1000
    cells = text = 0
    for start in sorted(starts):
        rows, cols, dim_rows, dim_cols, sheet_text, walked = _sheet_extent(stream, start, budget, sst)
        budget -= walked
        cells, text = cells + rows * cols, text + sheet_text
        if budget <= 0 or too_large(rows, cols) or cells > MAX_BOOK_CELLS:
            return "file.too_large_any", {"rows": rows, "columns": cols}
        if dim_rows * dim_cols > MAX_SHEET_CELLS:
            return "file.too_large_any", {"rows": dim_rows, "columns": dim_cols}
        if text > MAX_TEXT_BYTES:
            return "file.too_much_text", {"mb": MAX_TEXT_BYTES >> 20}
    return None


# --- shared strings ---------------------------------------------------------------------------------

MAX_SHARED_STRINGS = MAX_SHEET_CELLS
# calamine reserves room for the declared number of an xlsx's shared strings before reading one (2e9
# declared: 48 GB asked for, and the process aborts); any uniqueCount attribute counts, however written
_UNIQUE_COUNT = re.compile(rb"""(?<![\w.:-])uniqueCount\s*=\s*["']\s*\+?([0-9]+)""")


_SI = re.compile(rb"<(?:[^\s<>/:\"']+:)?si(?=[\s/>])")


def shared_string_sizes(xml: bytes) -> list[int]:
    """An upper bound on each shared string's size, in order (calamine's index): the bytes from its
    <si> to the next one, or to the end of the part."""
    starts = [m.start() for m in _SI.finditer(xml)]
    return [end - start for start, end in zip(starts, starts[1:] + [len(xml)])]


_T_SHARED = re.compile(rb"""(?<![\w.:-])t\s*=\s*["']s["']""")
_V_INDEX = re.compile(rb"<(?:[^\s<>/:\"']+:)?v\s*>\s*([0-9]+)")


def shared_text(xml: bytes, sizes: list[int]) -> int:
    """How many bytes of shared strings a sheet's cells point at, each cell its own copy (stops past
    MAX_TEXT_BYTES). Skipped when even the largest string in every value element stays under it."""
    # every cell that shows a shared string has a value element (<v> or <x:v>) holding its index
    if not sizes or max(sizes) * (xml.count(b"<v") + xml.count(b":v")) <= MAX_TEXT_BYTES:
        return 0
    total = 0
    ends, values = Ahead(CELL_END, xml), Ahead(_V_INDEX, xml)
    for m in CELL_TAG.finditer(xml):
        if not _T_SHARED.search(m[1]):
            continue
        v = values.before(m.end(), cell_end(ends, m, bool(m[2])))
        index = int(v[1]) if v is not None else -1
        if 0 <= index < len(sizes):
            total += sizes[index]
            if total > MAX_TEXT_BYTES:
                break
    return total


def shared_strings_excess(xml: bytes) -> int | None:
    """The number of strings an xlsx shared-strings part declares when it is more than a workbook may
    hold; None otherwise."""
    declared = max((int(m[1]) for m in _UNIQUE_COUNT.finditer(xml)), default=0)
    return declared if declared > MAX_SHARED_STRINGS else None
