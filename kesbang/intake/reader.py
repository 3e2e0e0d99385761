"""Open an uploaded spreadsheet safely and hand back its sheets as plain cell grids.

The file type is decided by the bytes, never by the extension. Before any reader inflates anything
the archive is checked (declared sizes, compression ratio, member count, DTDs) and the used area of
each sheet is bounded: python-calamine allocates a dense grid, so one value in cell XFD1048576 would
otherwise ask for hundreds of GB and abort the whole server process. python-calamine is the fast
path; its panics derive from BaseException and are caught here. It is handed an xlsx rebuilt with
`zipfile` from the parts checked here and nothing else (`Workbook._copy`).
"""

from __future__ import annotations

import functools
import html
import io
import re
import string
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import python_calamine as pc

from kesbang.intake import area
from kesbang.schema import FORMAT_MARKER_NAME

# Limits: a regency workbook is a few hundred KB; these are far above any real submission.
MAX_MEMBERS = 2000
MAX_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # uncompressed / compressed, for members above RATIO_FLOOR bytes
RATIO_FLOOR = 2 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


# What a damaged zip member raises while it is read: each means "corrupt file" to the user.
_CORRUPT = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError, RuntimeError)


class ReadProblem(Exception):
    """The file cannot be read as a workbook; `code` is the catalogue message id."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Grid:
    """One sheet as rows of cell values; rows[0] is Excel row 1 and column 0 is column A."""

    name: str
    rows: list[list[Any]]
    hidden: bool = False
    # (excel_row, col_index) -> ("error", "#DIV/0!") or ("formula", "SUM(A1:A3)") for cells whose value
    # calamine reports as blank although the file holds an error or an uncomputed formula.
    marks: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)


def _sniff_zip(zf: zipfile.ZipFile, parts: dict[str, bytes] | None = None) -> str:
    """The kind of zip container; `parts` receives what was inflated on the way (for _Package to reuse)."""
    names = set(zf.namelist())
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "xl/workbook.xml" in names:
        if "xl/vbaProject.bin" in names or any(n.lower().endswith(".bin") and "vba" in n.lower() for n in names):
            return "xlsm"
        try:
            info = zf.getinfo("[Content_Types].xml")
            ct = zf.read(info) if info.file_size < 1 << 20 else b""
            if parts is not None and ct:
                parts["[Content_Types].xml"] = ct
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError, RuntimeError):
            ct = b""
        return "xlsm" if b"macroEnabled" in ct else "xlsx"
    if "mimetype" in names:
        try:
            mime = zf.read("mimetype")[:100] if zf.getinfo("mimetype").file_size < 1024 else b""
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError, KeyError, RuntimeError):
            return "corrupt"
        if b"opendocument.spreadsheet" in mime:
            return "ods"
    if "EncryptedPackage" in names:
        return "encrypted"
    return "zip_other"


def sniff(data: bytes) -> str:
    """What the bytes are: xlsx, xlsm, xlsb, ods, xls, encrypted, csv, html, xml2003, empty, corrupt, ..."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        return "empty"
    head = data[:8]
    if head.startswith(_ZIP_MAGIC):
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
            return "corrupt"
        return _sniff_zip(zf)
    if head == _OLE_MAGIC:
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "encrypted"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "encrypted" if _biff_encrypted(data) else "xls"
        return "ole_other"
    if head[:4] in (b"\x09\x00\x04\x00", b"\x09\x02\x06\x00", b"\x09\x04\x06\x00"):
        return "xls"  # BIFF2-4 stream without an OLE container
    text = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536].lower():
            return "xml2003"
        return "html"
    if b"\x00" not in data[:4096]:
        try:
            data[:4096].decode("utf-8")
            return "csv"
        except UnicodeDecodeError:
            try:
                sample = data[:4096].decode("cp1252")
            except UnicodeDecodeError:
                return "unknown"
            if sum(ch.isprintable() or ch in "\r\n\t" for ch in sample) > 0.95 * len(sample):
                return "csv"
    return "unknown"


_BIFF_BOF = re.compile(rb"\x09\x08(..)", re.S)


def _biff_encrypted(data: bytes) -> bool:
    """A password-protected .xls has a FILEPASS record (0x002F) right after the workbook's first BOF."""
    for m in _BIFF_BOF.finditer(data):
        length = struct.unpack("<H", m[1])[0]
        if length in (8, 16, 20):
            return data[m.end() + length : m.end() + length + 2] == b"\x2f\x00"
    return False


_REFUSE_KIND = {
    "empty": "file.empty",
    "corrupt": "file.corrupt",
    "encrypted": "file.encrypted",
    "csv": "file.csv",
    "html": "file.html",
    "xml2003": "file.xml2003",
    # calamine reads .xlsb cell records with no bound short of its own allocation, and the upload page never
    # offered the format: refused, with the way to save it as .xlsx
    "xlsb": "file.xlsb",
    "zip_other": "file.not_workbook",
    "ole_other": "file.not_workbook",
    "unknown": "file.not_workbook",
}

_PARSED_PARTS = frozenset(
    {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
        "content.xml",
        "styles.xml",
        "META-INF/manifest.xml",
    }
)
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
SMALL_PART = 65536


def _has_dtd(data: bytes, window: int) -> bool:
    """A DOCTYPE or ENTITY declaration in the first `window` bytes. Every declaration starts with "!",
    which most parts never contain: one memchr over the window settles the common case."""
    return data.find(b"!", 0, window) != -1 and _DTD.search(data, 0, window) is not None
# attributes up to ">" (a closing "/" among them is ignored by _ATTR): quoted values may hold ">", an
# unquoted "<" ends them, and the run is possessive, so unclosed tags cost one pass over the part
_TAG_ATTRS = r"""((?:[^<>"']++|"[^"]*+"|'[^']*+')*+)"""
_SHEET_TAG = re.compile(r"<(?:\w+:)?sheet\b" + _TAG_ATTRS + ">")
_ATTR = re.compile(r"([\w:]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REL_TAG = re.compile(r"<(?:\w+:)?Relationship\b" + _TAG_ATTRS + ">")
_DEFINED = re.compile(r"<(?:\w+:)?definedName\b" + _TAG_ATTRS + r">([^<]*)</(?:\w+:)?definedName>")
# formula and value text hold no elements: "[^<]" keeps an unclosed one from reading on to the end
_F = re.compile(rb"<(?:\w+:)?f\b[^<>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)")
_V = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@functools.lru_cache(maxsize=4096)
def _key(name: str) -> str:
    """A member name as calamine's zip lookup matches it: ASCII case ignored, "\\" read as "/"."""
    return name.replace("\\", "/").translate(_ASCII_LOWER)


_PARSED_KEYS = frozenset(_key(n) for n in _PARSED_PARTS)
# what calamine reads from an xlsx when it opens it (it recognises the package by the root
# relationships); a sheet's part is read when the sheet is
_CALAMINE_PARTS = ("_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/sharedStrings.xml",
                   "xl/styles.xml")
_SHARED_KEY = _key("xl/sharedStrings.xml")


def _in_xl(target: str) -> str:
    bare = target.lstrip("/")
    return bare if bare.startswith("xl/") else "xl/" + bare


def _relationships(rels: bytes | None) -> dict[str, str]:
    """Relationship id -> target from a .rels part."""
    out = {}
    for m in _REL_TAG.finditer((rels or b"").decode("utf-8", "replace")):
        a = _attrs(m[1])
        if "Id" in a and "Target" in a:
            out[a["Id"]] = a["Target"]
    return out


def _attrs(text: str) -> dict[str, str]:
    found = {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTR.finditer(text)}
    return {k: html.unescape(v) for k, v in found.items()} if "&" in text else found


class _Package:
    """The zip container of an OOXML/ODS workbook, checked before anything is inflated."""

    def __init__(self, data: bytes, zf: zipfile.ZipFile | None = None, parts: dict[str, bytes] | None = None):
        try:
            self.zf = zf or zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise ReadProblem("file.corrupt") from exc
        if len(infos) > MAX_MEMBERS:
            raise ReadProblem("file.zip_bomb", reason=f"{len(infos)} members")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
                raise ReadProblem("file.zip_bomb", reason=f"{info.filename} ratio")
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise ReadProblem("file.zip_bomb", reason=f"{total} bytes")
        # Members by the name calamine would find them under. Two different names it may take for one
        # another ("xl/SharedStrings.xml" beside "xl/sharedStrings.xml", or "xl\\worksheets\\...") would
        # let one be checked here and the other read: such a package is refused. A name written twice is
        # the last copy, for zipfile and calamine alike.
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            key = _key(info.filename)
            seen = self.infos.get(key)
            if seen is not None and seen.filename != info.filename:
                raise ReadProblem("file.corrupt")
            self.infos[key] = info
        # small parts read whole once here and handed out again by `read` (each zip member opened costs
        # more than inflating a few KB)
        self._small: dict[str, bytes] = {}
        inflated = parts or {}
        # A DTD can declare entity bombs or external entities (XXE): no workbook needs one. The parts
        # the reader parses are checked here; each sheet is checked when it is read.
        for key, info in self.infos.items():
            if key in _PARSED_KEYS or key.startswith("xl/_rels/") and info.file_size:
                if info.file_size <= SMALL_PART:
                    known = inflated.get(info.filename)
                    head = self._small[key] = known if known is not None else self._inflate(info)
                else:
                    head = self._head(info)
                if _has_dtd(head, 4096):
                    raise ReadProblem("file.dtd", member=info.filename)

    def _head(self, info: zipfile.ZipInfo, size: int = 4096) -> bytes:
        _check_method(info)
        try:
            with self.zf.open(info) as fh:
                head = fh.read(size)
        except _CORRUPT as exc:
            raise ReadProblem("file.corrupt") from exc
        # the prolog ends at the root element; DOCTYPE can only appear before it
        return head

    def read(self, name: str) -> bytes | None:
        key = _key(name)
        info = self.infos.get(key)
        if info is None:
            return None
        data = self._small.get(key)
        if data is None:
            data = self._inflate(info)
        if _has_dtd(data, 65536):
            raise ReadProblem("file.dtd", member=name)
        return data

    def _inflate(self, info: zipfile.ZipInfo) -> bytes:
        _check_method(info)
        try:
            # zipfile stops at the declared size and checks the CRC, so a member that lies about its
            # size or its content fails here instead of inflating without bound.
            return self.zf.read(info)
        except _CORRUPT as exc:
            raise ReadProblem("file.corrupt") from exc


# Excel and LibreOffice store or deflate every member. zipfile bounds what it inflates of a deflated
# member by the declared size, but decompresses a bzip2 or LZMA chunk whole: 337 bytes of bzip2
# declared as 1 KB became 400 MB in memory before the CRC check refused them.
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _check_method(info: zipfile.ZipInfo) -> None:
    if info.compress_type not in _METHODS:
        raise ReadProblem("file.corrupt")


class Workbook:
    """A workbook opened for reading: sheet names, hidden flags, and grids read on demand."""

    def __init__(
        self,
        data: bytes,
        kind: str,
        zf: zipfile.ZipFile | None = None,
        parts: dict[str, bytes] | None = None,
        sheets: Callable[[str], bool] | None = None,
    ):
        self.kind = kind
        self.package = _Package(data, zf, parts) if kind in ("xlsx", "xlsm", "ods") else None
        self.sheet_paths: dict[str, str] = {}
        self.format_marker: str | None = None  # the template's defined name FORMAT_MARKER_NAME
        self._shared_sizes: list[int] = []  # an upper bound on each shared string's size
        # xlsx: the parts calamine is handed, inflated and bounded, by member key (see _copy)
        self._handed: dict[str, tuple[zipfile.ZipInfo, bytes]] = {}
        self._handed_bytes = 0
        self._cells_read = 0
        opened = data
        if kind in ("xlsx", "xlsm"):
            self._read_workbook_xml()
            self._take(_CALAMINE_PARTS)
            self._bound_shared_strings()  # before any sheet is bounded: its text counts the strings' sizes
            self._take([path for name, path in self.sheet_paths.items() if sheets is None or sheets(name)])
            opened = self._copy()
        self.biff: bytes | None = None  # an xls's own bytes: styles.py reads its number formats there
        if kind == "xls":
            _bound_biff_area(data)  # calamine reads every xls sheet as soon as it opens the file
            self.biff = data
        if kind == "ods" and self.package is not None:
            excess = area.ods_excess(self.package.read("content.xml") or b"")
            if excess:
                raise ReadProblem(excess[0], **excess[1])
        self.book, meta = self._open(opened)
        self.sheet_names = [m.name for m in meta]
        self.hidden = {m.name for m in meta if m.visible != pc.SheetVisibleEnum.Visible}
        self.worksheets = {m.name for m in meta if m.typ in (pc.SheetTypeEnum.WorkSheet,)}
        self._cache: dict[str, Grid] = {}

    @staticmethod
    def _open(data: bytes) -> tuple[pc.CalamineWorkbook, list]:
        """calamine's workbook and its sheets' metadata."""
        try:
            book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
            return book, book.sheets_metadata
        except pc.PasswordError as exc:
            raise ReadProblem("file.encrypted") from exc
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException as exc:  # calamine panics derive from BaseException
            raise _reader_problem(exc) from exc

    def _read_workbook_xml(self) -> None:
        assert self.package is not None
        wb = self.package.read("xl/workbook.xml")
        rels = self.package.read("xl/_rels/workbook.xml.rels")
        if wb is None:
            raise ReadProblem("file.corrupt")
        wb_text = wb.decode("utf-8", "replace")
        targets = _relationships(rels)
        for m in _SHEET_TAG.finditer(wb_text):
            a = _attrs(m[1])
            rid = next((v for k, v in a.items() if k.endswith(":id") or k == "id"), None)
            if "name" in a and rid in targets:
                self.sheet_paths[a["name"]] = _in_xl(_key(targets[rid]))
        # only one defined name is read: look where its name occurs instead of parsing every one
        at = wb_text.find(FORMAT_MARKER_NAME)
        while at != -1 and self.format_marker is None:
            m = _DEFINED.match(wb_text, wb_text.rfind("<", 0, at))
            if m and _attrs(m[1]).get("name") == FORMAT_MARKER_NAME:
                self.format_marker = html.unescape(m[2]).strip()
            at = wb_text.find(FORMAT_MARKER_NAME, at + 1)

    def may_contain(self, name: str, pattern: re.Pattern[bytes]) -> bool:
        """Whether sheet `name` can hold text matching `pattern`, judged from the raw XML without reading
        the cells (xlsx/xlsm: shared strings plus the sheet's inline strings); True when unknown."""
        path = self.sheet_paths.get(name)
        if self.package is None or path is None:
            return True
        if pattern.search(self._handed.get(_SHARED_KEY, (None, b""))[1]):
            return True
        if path not in self.package.infos:
            return True
        return bool(pattern.search(self.part(path) or b""))

    def part(self, name: str) -> bytes | None:
        """A package part's XML (DTD refused): the bytes calamine is handed when it is handed one,
        so a sheet is inflated once; None when the package lacks it or this is no zip package."""
        key = _key(name)
        if key in self._handed:
            return self._handed[key][1]
        return self.package.read(key) if self.package is not None else None

    def format_version(self) -> str | None:
        """The hidden format-version marker written by the template (a defined name), if any."""
        ref = self.format_marker
        if not ref:
            return None
        if ref.startswith('"') and ref.endswith('"'):
            return ref[1:-1]
        m = re.fullmatch(r"'?(.+?)'?!\$?([A-Z]{1,3})\$?(\d+)", ref.lstrip("="))
        if not m or m[1] not in self.sheet_names:
            return None
        try:
            grid = self.grid(m[1])
        except ReadProblem:
            return None
        r, c = int(m[3]) - 1, area.column_number(m[2].encode()) - 1
        if r < len(grid.rows) and c < len(grid.rows[r]):
            value = grid.rows[r][c]
            return None if value in (None, "") else str(value).strip()
        return None

    def _bound_shared_strings(self) -> None:
        """Refuse shared strings declaring too many, before calamine reads them (it reserves room for the
        declared count); keep each string's size for the text the sheets expand to."""
        shared = self._handed.get(_SHARED_KEY, (None, b""))[1]  # taken where calamine reads them, by name
        excess = area.shared_strings_excess(shared)
        if excess:
            raise ReadProblem("file.too_large_any", rows=excess, columns=1)
        self._shared_sizes = area.shared_string_sizes(shared)

    def _copy(self) -> bytes:
        """The package calamine opens: the parts it reads when it opens a workbook and the sheets
        wanted so far, each inflated here and bounded (`_take`), stored uncompressed under its own name.
        No other part reaches calamine, so a sheet it maps to another part than `sheet_paths` says (a
        workbook can be written so that it does) is not found rather than read unbounded, and nothing
        else in the upload (images, sheets nobody reads) is inflated at all."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            for info, xml in self._handed.values():
                copy.writestr(zipfile.ZipInfo(info.filename), xml)
        return out.getvalue()

    def _take(self, keys: Iterable[str]) -> None:
        """Inflate, bound and keep for `_copy` each part named that the package holds."""
        assert self.package is not None
        sheets = {path: name for name, path in self.sheet_paths.items()}
        for key in map(_key, keys):
            info = self.package.infos.get(key)
            if info is None or key in self._handed:
                continue
            xml = self.package.read(key) or b""
            # a part's text is at most its XML: inline strings need no shared table to reach the limit
            self._handed_bytes += len(xml)
            if len(xml) > area.MAX_TEXT_BYTES or self._handed_bytes > 2 * area.MAX_TEXT_BYTES:
                raise ReadProblem("file.too_much_text", mb=area.MAX_TEXT_BYTES >> 20)
            if key in sheets:
                self._bound_sheet(xml, sheets[key])
            self._handed[key] = (info, xml)

    def _bound_sheet(self, xml: bytes, name: str) -> None:
        """Refuse a sheet that reaches too far, holds too many cell tags, or
        expands to too much text."""
        if area.too_many_cells(xml):
            raise ReadProblem("file.too_large_any", rows=area.MAX_SHEET_ROWS, columns=0)
        if area.ooxml_may_exceed(xml):
            rows, cols = area.ooxml_extent(xml)
            if area.too_large(rows, cols):
                raise ReadProblem("file.too_large", sheet=name, rows=rows, columns=cols)
        if area.shared_text(xml, self._shared_sizes) > area.MAX_TEXT_BYTES:
            raise ReadProblem("file.too_much_text", mb=area.MAX_TEXT_BYTES >> 20)

    def grid(self, name: str) -> Grid:
        if name in self._cache:
            return self._cache[name]
        path = self.sheet_paths.get(name, "")  # xlsx only: "" for other kinds
        if path and path not in self._handed and self.package is not None and path in self.package.infos:
            # a sheet not wanted when the workbook was opened: calamine opens it again, with it
            self._take([path])
            self.book, _ = self._open(self._copy())
        xml = self._handed[path][1] if path in self._handed else None
        try:
            sheet = self.book.get_sheet_by_name(name)
            end = sheet.end
            if end is None:
                rows: list[list[Any]] = []
            else:
                height, width = end[0] + 1, end[1] + 1
                if area.too_large(height, width):
                    raise ReadProblem("file.too_large", sheet=name, rows=height, columns=width)
                # every grid read is kept; many sheets each just inside the bound (the loader looks for
                # the indicators among all of them) would add up without limit
                self._cells_read += height * width
                if self._cells_read > area.MAX_READ_CELLS:
                    raise ReadProblem("file.too_large_any", rows=height, columns=width)
                rows = sheet.to_python(skip_empty_area=False)
        except ReadProblem:
            raise
        except pc.PasswordError as exc:
            raise ReadProblem("file.encrypted") from exc
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException as exc:  # calamine panics derive from BaseException
            raise _reader_problem(exc, sheet=name) from exc
        grid = Grid(name, rows, name in self.hidden, _marks(xml) if xml else {})
        self._cache[name] = grid
        return grid


def _bound_biff_area(data: bytes) -> None:
    """Refuse an xls whose sheets reach too far, before calamine opens it (it reads every sheet then)."""
    streams = area.ole_streams(data, ("workbook", "book"))
    if not streams:
        raise ReadProblem("file.corrupt")
    for stream in streams:
        excess = area.biff_excess(stream)
        if excess:
            raise ReadProblem(excess[0], **excess[1])


def _has_formula_tag(xml: bytes) -> bool:
    """Whether `<f>`, `<f `, `:f>` or `:f ` occurs: each is an "f" between "<" or ":" and ">" or " ".
    A sheet whose strings are shared holds few "f"s, and memchr finds them far faster than four
    substring scans; a sheet dense with text falls back to the scans."""
    budget = len(xml) >> 8
    pos = xml.find(b"f", 1)
    while pos != -1:
        if xml[pos - 1] in b"<:" and xml[pos + 1 : pos + 2] in (b">", b" "):
            return True
        budget -= 1
        if budget < 0:
            return b"<f>" in xml or b"<f " in xml or b":f>" in xml or b":f " in xml
        pos = xml.find(b"f", pos + 1)
    return False


def _marks(xml: bytes) -> dict[tuple[int, int], tuple[str, str]]:
    """Error cells and formulas without a stored value: calamine reads both as blank."""
    # every error value starts with "#" (#DIV/0!, #N/A, #REF!): one memchr settles the common case
    if (b"#" not in xml or b't="e"' not in xml) and not _has_formula_tag(xml):
        return {}
    marks: dict[tuple[int, int], tuple[str, str]] = {}
    ends, values, formulas = area.Ahead(area.CELL_END, xml), area.Ahead(_V, xml), area.Ahead(_F, xml)
    for m in area.CELL_TAG.finditer(xml):
        attrs, stop = m[1], area.cell_end(ends, m, bool(m[2]))
        is_error = b't="e"' in attrs
        f = formulas.before(m.end(), stop)
        if not is_error and f is None:
            continue
        ref = area.reference(attrs)
        if ref is None or not ref[1]:
            continue
        key = (ref[0], ref[1] - 1)
        v = values.before(m.end(), stop)
        if is_error:
            marks[key] = ("error", html.unescape((v[1] if v else b"#ERROR").decode("utf-8", "replace")))
        elif v is None or not v[1].strip():
            marks[key] = ("formula", html.unescape((f[1] or b"").decode("utf-8", "replace")))
    return marks


def _reader_problem(exc: BaseException, sheet: str | None = None) -> ReadProblem:
    text = str(exc)
    if isinstance(exc, pc.PasswordError) or "password" in text.lower() or "encrypt" in text.lower():
        return ReadProblem("file.encrypted")
    # a sheet whose part is not in the package calamine is handed (a workbook naming a part it lacks, or
    # written so that calamine maps the sheet elsewhere than the reader) is a damaged file to its owner
    if isinstance(exc, pc.ZipError | pc.XmlError | pc.WorksheetNotFound) or "zip" in text.lower():
        return ReadProblem("file.corrupt")
    if "detect file format" in text.lower():
        return ReadProblem("file.corrupt")
    if "cell limit exceeded" in text.lower():  # calamine's own cap on an ods sheet's expanded repeats
        return ReadProblem("file.too_large_any")
    return ReadProblem("file.reader_failed", sheet=sheet or "", detail=type(exc).__name__)


def open_workbook(data: bytes, sheets: Callable[[str], bool] | None = None) -> Workbook:
    """Sniff and open; raises ReadProblem with one clear message id for anything that is not usable.
    `sheets` picks, by name, the sheets of an xlsx to make ready at once (all when None); another sheet
    is made ready when first read, at the cost of opening the workbook in calamine again."""
    zf = None
    parts: dict[str, bytes] = {}
    if data[:4] in _ZIP_MAGIC:
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise ReadProblem("file.corrupt") from exc
        kind = _sniff_zip(zf, parts)
    else:
        kind = sniff(data)
    code = _REFUSE_KIND.get(kind)
    if code:
        raise ReadProblem(code, kind=kind)
    return Workbook(data, kind, zf, parts, sheets)
