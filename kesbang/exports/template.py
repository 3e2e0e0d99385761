"""The submission and RPJMD workbook writer: a ready template, or a filled workbook from parsed data.

Everything it writes comes from `kesbang.schema` (sheets, labels, choice lists, help), so the template,
the loader and the docs share one declaration. Sample files are written by this same writer, so a
sample and the template cannot drift. Output is byte-deterministic (fixed document times and zip entry
times), so regenerating `sample_data/` changes nothing unless the data changed.

Safety: every text value is stored as a string cell, never a formula, whatever it starts with.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from kesbang import nomenclature, regions, schema
from kesbang.exports import carry
from kesbang.i18n import t
from kesbang.model import Submission

LISTS_SHEET = "Daftar"
INSTRUCTIONS_SHEET = "Petunjuk"
HEADER_ROW = 1
FIRST_DATA_ROW = HEADER_ROW + 1
# Blank, unlocked, validated rows left below the data for the operator to add to.
SPARE_ROWS = {"indikator": 60, "paskibraka": 0, "nilai": 60, "rpjmd": 40}
# Fixed document and zip times: the same data always gives the same bytes.
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
DEFAULT_RPJMD_PERIOD = "2025-2029"

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)
_LOCKED = Protection(locked=True)

_KIND_TEXT = {
    "text": "teks", "code": "kode (ditulis sebagai teks)", "number": "angka", "int": "bilangan bulat",
    "range": "angka atau rentang (contoh 4,43–4,47)", "date": "tanggal (hh/bb/tttt)",
    "choice": "pilihan dari daftar", "url": "tautan (https://…)",
    "region": "kode wilayah Kemendagri (contoh 62.02)",
}
_NUMBER_FORMAT = {"number": "#,##0.##", "int": "0", "date": "DD/MM/YYYY"}
_MONEY_KEYS = {"pagu", *(f"anggaran_tw{q}" for q in range(1, 5))}


class TemplateError(ValueError):
    """A request the writer cannot honour (unknown region): a catalogue key plus its parameters."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "id") -> str:
        return t(self.key, lang, **self.params)


# --- cell helpers ---------------------------------------------------------------------------------------

def _blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value == ""


def _plain(value: Any) -> Any:
    """A frame value as an openpyxl cell value (numpy scalars and pandas timestamps unwrapped)."""
    if _blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | dt.date):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def set_value(cell: Cell, value: Any) -> None:
    """Write a value; text always as a string cell (a leading = + - @ or tab never becomes a formula)."""
    value = _plain(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _style_header(cell: Cell) -> None:
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    cell.protection = _LOCKED


def _list_name(choices: str) -> str:
    return f"daftar_{choices}"


# --- the hidden lists sheet -------------------------------------------------------------------------------

class _Lists:
    """The hidden "Daftar" sheet: one column per choice list, each behind a workbook defined name."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.ws = wb.create_sheet(LISTS_SHEET)
        self.ws.sheet_state = "hidden"
        self.names: dict[str, str] = {}
        self._next_col = 1

    def add(self, key: str, values: Iterable[Any]) -> str:
        values = [v for v in values if not _blank(v)]
        col = self._next_col
        self._next_col += 1
        letter = get_column_letter(col)
        header = self.ws.cell(1, col)
        set_value(header, key)
        _style_header(header)
        for i, v in enumerate(values, start=2):
            set_value(self.ws.cell(i, col), str(v) if not isinstance(v, int | float) else v)
        last = max(2, len(values) + 1)
        name = _list_name(key)
        ref = f"{LISTS_SHEET}!${letter}$2:${letter}${last}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        self.names[key] = name
        widest = max((len(str(v)) for v in values), default=8)
        self.ws.column_dimensions[letter].width = max(12, min(60, widest + 2))
        return name

    def marker(self) -> None:
        """The format-version marker: a workbook defined name holding the version as a constant, so the
        loader reads it from workbook.xml without reading any sheet (Excel and LibreOffice keep it)."""
        name = schema.FORMAT_MARKER_NAME
        self.wb.defined_names[name] = DefinedName(name, attr_text=f'"{schema.FORMAT_VERSION}"')


def _add_choice_lists(lists: _Lists, province: str | None, rpjmd: pd.DataFrame | None) -> None:
    for key, values in schema.CHOICE_LISTS.items():
        lists.add(key, values)
    if province is not None:
        lists.add("wilayah", regions.regions_in(province)["kemendagri"].tolist())
    nomen = nomenclature.table()
    for level, key in (("program", "kode_program"), ("kegiatan", "kode_kegiatan"),
                       ("subkegiatan", "kode_subkegiatan")):
        lists.add(key, nomen.loc[nomen["level"] == level, "kode"].tolist())
    if rpjmd is not None and not rpjmd.empty:
        codes = rpjmd["kode_rpjmd"].dropna().astype(str).tolist()
    else:
        std = nomenclature.standard_indicators()
        codes = sorted({c for c in std["kode_rpjmd"] if c})
    lists.add("kode_rpjmd", codes)
    lists.marker()


def _validation(ws: Worksheet, list_name: str, ref: str, strict: bool, title: str) -> None:
    """A dropdown fed by a defined name; `strict` refuses other values, otherwise it only warns."""
    dv = DataValidation(type="list", formula1=f"={list_name}", allow_blank=True)
    dv.showErrorMessage = True
    dv.errorStyle = "stop" if strict else "warning"
    dv.errorTitle = title
    dv.error = ("Pilih nilai dari daftar." if strict
                else "Nilai ini tidak ada di daftar. Periksa kembali; nilai lain tetap boleh disimpan.")
    dv.add(ref)
    ws.add_data_validation(dv)


# Which list feeds each column (beyond the schema's own `choices`), and whether other values are refused.
_COLUMN_LISTS = {"kode_program": "kode_program", "kode_kegiatan": "kode_kegiatan",
                 "kode_subkegiatan": "kode_subkegiatan", "kode_rpjmd": "kode_rpjmd"}
_STRICT_CHOICES = {"periode", "level", "polaritas", "akumulasi", "jenis_ukuran", "tahap", "rubrik"}


def _list_for(col: schema.Column) -> tuple[str | None, bool]:
    if col.key == "rubrik":
        return "rubrik", True
    if col.choices:
        return col.choices, col.choices in _STRICT_CHOICES and col.kind == "choice"
    if col.key in _COLUMN_LISTS:
        return _COLUMN_LISTS[col.key], False
    if col.kind == "region":
        return "wilayah", False
    return None, False


# --- sheets ------------------------------------------------------------------------------------------------

def _instructions(wb: Workbook, specs: tuple[schema.SheetSpec, ...], intro: list[str],
                  note: str | None) -> None:
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    r = 1
    set_value(ws.cell(r, 1), "Petunjuk Pengisian")
    ws.cell(r, 1).font = Font(bold=True, size=14)
    r += 1
    lines = [*intro]
    if note:
        lines.append(note)
    lines.append(f"Versi format: {schema.FORMAT_VERSION}. Jangan mengubah nama lembar dan judul kolom; "
                 "sel berwarna abu-abu dikunci, sel putih diisi.")
    for line in lines:
        set_value(ws.cell(r, 1), line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
        ws.cell(r, 1).alignment = _WRAP
        ws.row_dimensions[r].height = 30
        r += 1
    r += 1
    for c, head in enumerate(["Lembar", "Kolom", "Wajib", "Jenis isian", "Keterangan"], start=1):
        set_value(ws.cell(r, c), head)
        _style_header(ws.cell(r, c))
    r += 1
    for spec in specs:
        layout = "isian label–nilai: kolom A label, kolom B isian" if spec.layout == "keyvalue" else \
            f"satu baris per data, judul kolom di baris {HEADER_ROW}"
        set_value(ws.cell(r, 1), spec.name)
        ws.cell(r, 1).font = _HEADER_FONT
        set_value(ws.cell(r, 2), f"({layout}{'' if spec.required else '; lembar boleh dikosongkan'})")
        r += 1
        for col in spec.columns:
            kind = _KIND_TEXT.get(col.kind, col.kind)
            if col.choices:
                values = [s.label for s in schema.STAGES] if col.choices == "tahap" else \
                    schema.CHOICE_LISTS[col.choices]
                if col.kind != "choice":  # a suggestion list: other values are accepted
                    kind = f"{kind}; daftar saran (nilai lain boleh)"
                kind = f"{kind}: " + ", ".join(str(v) for v in values)
            help_text = col.help
            bounds = _bounds_text(col)
            if bounds:
                help_text = f"{help_text}; {bounds}" if help_text else bounds
            cells = [spec.name, col.label, "Ya" if col.required else "", kind, help_text]
            for c, v in enumerate(cells, start=1):
                set_value(ws.cell(r, c), v)
                ws.cell(r, c).alignment = _WRAP
            r += 1
        r += 1
        if "rubrik" in spec.keys:
            r = _rubric_levels(ws, r)
    for letter, width in zip("ABCDE", (16, 34, 8, 60, 50)):
        ws.column_dimensions[letter].width = width
    ws.protection.sheet = True


def _bounds_text(col: schema.Column) -> str:
    lo, hi = col.min_value, col.max_value
    if lo is not None and hi is not None:
        return f"rentang {lo:g}–{hi:g}"
    if lo is not None:
        return f"minimal {lo:g}"
    return f"maksimal {hi:g}" if hi is not None else ""


def _rubric_levels(ws: Worksheet, r: int) -> int:
    """The rubric levels with their definitions (the same catalogue text the values page shows)."""
    set_value(ws.cell(r, 1), schema.PROGRAM_NILAI.column("rubrik").label)
    ws.cell(r, 1).font = _HEADER_FONT
    r += 1
    for level in schema.RUBRIC_LEVELS:
        set_value(ws.cell(r, 2), t(f"rubrik.level_{level}", "id"))
        set_value(ws.cell(r, 4), t(f"rubrik.level_{level}_def", "id"))
        ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=5)
        ws.cell(r, 4).alignment = _WRAP
        r += 1
    return r + 1


def _protect(ws: Worksheet) -> None:
    """Protect structure (headers, pre-filled labels); operators may still resize, sort, filter, add rows."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.formatCells = False
    p.insertRows = False
    p.sort = False
    p.autoFilter = False


def _keyvalue_sheet(wb: Workbook, spec: schema.SheetSpec, values: dict[str, Any], lists: _Lists) -> None:
    ws = wb.create_sheet(spec.name)
    for c, head in enumerate(["Uraian", "Isian"], start=1):
        set_value(ws.cell(HEADER_ROW, c), head)
        _style_header(ws.cell(HEADER_ROW, c))
    for i, col in enumerate(spec.columns):
        r = FIRST_DATA_ROW + i
        label = ws.cell(r, 1)
        set_value(label, col.label)
        label.protection = _LOCKED
        label.fill = _LOCKED_FILL
        label.font = _HEADER_FONT if col.required else Font()
        cell = ws.cell(r, 2)
        value = values.get(col.key)
        if col.kind == "int" and not _blank(value):
            value = int(value)
        set_value(cell, value)
        cell.protection = _UNLOCKED
        if col.kind in _NUMBER_FORMAT and col.kind != "number":
            cell.number_format = _NUMBER_FORMAT[col.kind]
        list_key, strict = _list_for(col)
        if list_key and list_key in lists.names:
            _validation(ws, lists.names[list_key], f"B{r}", strict, col.label)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 48
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    _protect(ws)


def _number_format(col: schema.Column) -> str | None:
    if col.key in _MONEY_KEYS:
        return "#,##0"
    if col.kind in _NUMBER_FORMAT:
        return _NUMBER_FORMAT[col.kind]
    return "@" if col.kind in ("code", "region") else None  # typed codes stay text (leading zeros kept)


def _input_style(target: Cell | ColumnDimension, col: schema.Column) -> None:
    """Unlocked, with the column's number format and wrapping: a cell the operator fills, or a whole
    column, whose style Excel and LibreOffice give each cell typed into it."""
    target.protection = _UNLOCKED
    number_format = _number_format(col)
    if number_format:
        target.number_format = number_format
    if col.kind == "text" and col.width >= 30:
        target.alignment = _WRAP


def _table_sheet(wb: Workbook, spec: schema.SheetSpec, rows: list[tuple[int, dict[str, Any]]],
                 lists: _Lists, locked_keys: frozenset[str] = frozenset(),
                 raw_cells: dict[str, str] | None = None) -> Worksheet:
    """A table sheet: header row, then each (excel_row, values) record; `locked_keys` are pre-filled.
    The spare rows below hold no cells: their columns carry the input style (a formatted empty cell
    is still a cell every reader goes through), the dropdowns cover them."""
    ws = wb.create_sheet(spec.name)
    for c, col in enumerate(spec.columns, start=1):
        set_value(ws.cell(HEADER_ROW, c), col.label)
        _style_header(ws.cell(HEADER_ROW, c))
        column = ws.column_dimensions[get_column_letter(c)]
        column.width = col.width
        _input_style(column, col)
    ws.row_dimensions[HEADER_ROW].height = 45
    last = max([r for r, _ in rows], default=HEADER_ROW)
    end = max(last, HEADER_ROW) + SPARE_ROWS.get(spec.key, 0)
    for r, values in sorted(dict(rows).items()):
        for c, col in enumerate(spec.columns, start=1):
            cell = ws.cell(r, c)
            value = values.get(col.key)
            if col.key == "tahap" and not _blank(value) and value in schema.STAGE_BY_KEY:
                value = schema.STAGE_BY_KEY[value].label
            elif col.kind == "range":
                value = _range_cell(value)
            set_value(cell, value)
            _input_style(cell, col)
            if col.key in locked_keys and not _blank(value):
                cell.protection = _LOCKED
                cell.fill = _LOCKED_FILL
    for ref, text in (raw_cells or {}).items():
        # what the operator wrote where no typed value could be read (e.g. "n/a"): written back as seen
        if _blank(ws[ref].value):
            set_value(ws[ref], text)
    if end >= FIRST_DATA_ROW:
        for c, col in enumerate(spec.columns, start=1):
            list_key, strict = _list_for(col)
            if list_key and list_key in lists.names:
                letter = get_column_letter(c)
                ref = f"{letter}{FIRST_DATA_ROW}:{letter}{end}"
                _validation(ws, lists.names[list_key], ref, strict, col.label)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(spec.columns))}{max(end, FIRST_DATA_ROW)}"
    _protect(ws)
    return ws


def _records(frame: pd.DataFrame | None, spec: schema.SheetSpec) -> list[tuple[int, dict[str, Any]]]:
    """(excel row, values) per frame row; the frame's `row` when present, else consecutive rows."""
    if frame is None or frame.empty:
        return []
    out = []
    for i, rec in enumerate(frame.to_dict("records")):
        row = rec.get("row")
        r = int(row) if not _blank(row) else FIRST_DATA_ROW + i
        values = {k: rec.get(k) for k in spec.keys}
        if "target_text" in rec and not _blank(rec.get("target_text")):
            values["target"] = rec["target_text"]
        out.append((r, values))
    return out


_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _range_cell(value: Any) -> Any:
    """A target as written: a plain number ("71", "4.5") becomes a number cell; a range ("4,43–4,47")
    or a word ("meningkat") stays the text the operator wrote."""
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value.strip()):
        return float(value)
    return value


def _raw_cells(submission: Submission, sheet_name: str) -> dict[str, str]:
    return {i.cell: str(i.value) for i in submission.issues
            if i.sheet == sheet_name and i.cell and i.value is not None and i.code in _RAW_CODES}


# issues whose `value` is text the operator wrote in a cell that has no typed value
_RAW_CODES = {"v.cell.na", "v.cell.not_number", "v.cell.not_date"}


# --- workbook assembly ------------------------------------------------------------------------------------

def _to_bytes(wb: Workbook) -> bytes:
    """Save with fixed document and zip entry times, so equal content gives equal bytes."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "kesbang"
    wb.properties.lastModifiedBy = "kesbang"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _region_or_fail(region: str) -> str:
    code = regions.normalise_code(region)
    if code is None:
        raise TemplateError("template.unknown_region", value=region)
    return code


def _default_identitas(code: str, year: int, rpjmd: pd.DataFrame | None) -> dict[str, Any]:
    info = regions.region(code) or {}
    province = regions.province_of(code)
    kind = "Kota" if info.get("kind") == "kota" else "Kabupaten"
    name = str(info.get("name", code))
    full = name if name.startswith("Kota ") else f"{kind} {name}"
    period = DEFAULT_RPJMD_PERIOD
    if rpjmd is not None and "periode_rpjmd" in rpjmd and rpjmd["periode_rpjmd"].notna().any():
        period = str(rpjmd["periode_rpjmd"].dropna().iloc[0])
    return {"provinsi": regions.province_name(province), "kode_wilayah": code, "nama_wilayah": name,
            "tahun": year, "periode": None, "periode_rpjmd": period,
            "perangkat_daerah": f"Badan Kesatuan Bangsa dan Politik {full}", "operator": None,
            "tanggal": None}


def _standard_rows(rpjmd: pd.DataFrame | None) -> list[tuple[int, dict[str, Any]]]:
    """The standard indicators, pre-filled; RPJMD codes not in the province's RPJMD are left blank."""
    std = nomenclature.standard_indicators()
    known = set(rpjmd["kode_rpjmd"].dropna().astype(str)) if rpjmd is not None and not rpjmd.empty else None
    rows = []
    for i, ind in enumerate(std.to_dict("records")):
        code = ind["kode_rpjmd"] or None
        if known is not None and code not in known:
            code = None
        values = {k: (ind.get(k) or None) for k in schema.INDIKATOR.keys}
        values["kode_rpjmd"] = code
        values["nama_program"] = nomenclature.nomenclature_name_for(ind)
        rows.append((FIRST_DATA_ROW + i, values))
    return rows


_SUBMISSION_INTRO = [
    "Satu buku kerja = satu kabupaten/kota × satu tahun. Unggah kembali setiap triwulan ketika realisasi "
    "bertambah; isi Periode Pelaporan dengan triwulan terakhir yang dilaporkan.",
    "Lembar Indikator: satu baris per indikator. Target boleh berupa angka atau rentang (4,43–4,47). "
    "Realisasi per triwulan diisi sesuai Jenis Akumulasi: kumulatif = capaian triwulan itu saja; "
    "stok dan persentase = posisi pada akhir triwulan.",
    "Capaian dihitung otomatis: positif = realisasi ÷ target × 100; negatif = (2 × target − realisasi) ÷ "
    "target × 100. Kategori: Sangat Tinggi ≥ 91, Tinggi 76–<91, Sedang 66–<76, Rendah 51–<66, "
    "Sangat Rendah < 51.",
    "Lembar Paskibraka: jumlah putra dan putri per tahap, dengan tanggal rencana dan realisasi. "
    "Lembar Program Nilai: kegiatan pembudayaan nilai dengan peserta, nilai pre/post-test dan rubrik 1–5.",
    "Kode ditulis sebagai teks (8.01.02.2.01.0008). Angka boleh ditulis gaya Indonesia "
    "(1.500.000 atau 85,5). Tautan data dukung diawali https://.",
]
_RPJMD_INTRO = [
    "Buku kerja rujukan RPJMD provinsi yang dipelihara Bappeda: satu baris per indikator kinerja, "
    "dengan kondisi awal, target tiap tahun rencana dan kondisi akhir periode.",
    "Kode Indikator RPJMD dipakai kabupaten/kota pada kolom \"Kode Indikator RPJMD Provinsi\" "
    "di lembar Indikator.",
    "Target boleh berupa angka atau rentang (contoh 4,43–4,47).",
]


# pre-filled identity of a standard indicator: locked so the catalogue's codes stay intact
_PREFILLED_INDICATOR_KEYS = frozenset({"kode_program", "kode_kegiatan", "kode_subkegiatan", "nama_program",
                                       "kode_indikator", "indikator"})


def write_submission(submission: Submission | None, region: str, year: int, rpjmd: pd.DataFrame | None = None,
                     *, note: str | None = None, plan_targets: bool | None = None) -> bytes:
    """A submission workbook for `region` × `year`: the pre-filled template when `submission` is None,
    otherwise every value of the submission. `rpjmd` (the province's RPJMD indicators) feeds the RPJMD
    code dropdown and the pre-filled codes; `note` adds a line to the instructions (e.g. "Data sintetis").
    `plan_targets` (default: only for the template) fills an indicator row without a target with the
    plan's target for the year (kesbang/exports/carry.py says which)."""
    code = _region_or_fail(region)
    if not (2015 <= int(year) <= 2045):
        raise TemplateError("template.bad_year", value=year)
    province = regions.province_of(code)
    if rpjmd is not None and "province" in rpjmd:
        rpjmd = rpjmd[rpjmd["province"].astype(str) == province]
    fill = submission is None if plan_targets is None else plan_targets
    targets = carry.plan_targets(rpjmd, province, year) if fill else {}
    wb = Workbook()
    _instructions(wb, schema.SUBMISSION_SHEETS, _SUBMISSION_INTRO, note)
    lists = _Lists(wb)
    _add_choice_lists(lists, province, rpjmd)
    if submission is None:
        _keyvalue_sheet(wb, schema.IDENTITAS, _default_identitas(code, year, rpjmd), lists)
        _table_sheet(wb, schema.INDIKATOR, carry.with_plan_targets(_standard_rows(rpjmd), targets), lists,
                     locked_keys=_PREFILLED_INDICATOR_KEYS)
        stages = [(FIRST_DATA_ROW + i, {"tahap": s.key}) for i, s in enumerate(schema.STAGES)]
        _table_sheet(wb, schema.PASKIBRAKA, stages, lists, locked_keys=frozenset({"tahap"}))
        _table_sheet(wb, schema.PROGRAM_NILAI, [], lists)
    else:
        ident = {**_default_identitas(code, year, rpjmd), **submission.identitas}
        _keyvalue_sheet(wb, schema.IDENTITAS, ident, lists)
        tables = ((schema.INDIKATOR, submission.indikator), (schema.PASKIBRAKA, submission.paskibraka),
                  (schema.PROGRAM_NILAI, submission.nilai))
        for spec, frame in tables:
            rows = _records(frame, spec)
            _table_sheet(wb, spec, carry.with_plan_targets(rows, targets) if spec is schema.INDIKATOR else rows, lists,
                         locked_keys=frozenset({"tahap"}) if spec.key == "paskibraka" else frozenset(),
                         raw_cells=_raw_cells(submission, spec.name))
    # the Daftar (lists) sheet goes last, after the data sheets
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    wb.active = 0
    return _to_bytes(wb)


def write_template(region: str, year: int, rpjmd: pd.DataFrame | None = None,
                   previous: Submission | None = None, *, version: int | None = None) -> bytes:
    """The template for `region` × `year` carrying what is known (kesbang/exports/carry.py): with no
    stored version, the standard indicators and the plan's targets for the year; with `previous` (the
    last stored version, number `version`), its every row, its Identitas for the next quarter and the
    plan's targets where a row has none, so a quarterly update means typing one new column."""
    if previous is None:
        return write_submission(None, region, year, rpjmd)
    carried = Submission(
        identitas=carry.carried_identitas(previous),
        indikator=carry.renumbered(previous.indikator, FIRST_DATA_ROW),
        paskibraka=carry.renumbered(previous.paskibraka, FIRST_DATA_ROW),
        nilai=carry.renumbered(previous.nilai, FIRST_DATA_ROW),
    )  # no issues: text the loader could not read was at the version's own cells, not the template's
    note = t("carry.note", "id", version=version, period=previous.period or "—",
             next=carried.period or "—") if version else None
    return write_submission(carried, region, year, rpjmd, note=note, plan_targets=True)


def write_rpjmd(province: str, frame: pd.DataFrame, period: str = DEFAULT_RPJMD_PERIOD, *,
                dokumen: str | None = None, note: str | None = None) -> bytes:
    """The provincial RPJMD reference workbook (schema.RPJMD_SHEETS) for `province` ("62")."""
    province = str(province).strip()
    if province not in set(regions.provinces()["kemendagri"].astype(str)):
        raise TemplateError("template.unknown_province", value=province)
    if "province" in frame:
        frame = frame[frame["province"].astype(str) == province]
    if "periode_rpjmd" in frame:
        frame = frame[frame["periode_rpjmd"].astype(str) == period]
    wb = Workbook()
    _instructions(wb, schema.RPJMD_SHEETS, _RPJMD_INTRO, note)
    lists = _Lists(wb)
    for key in ("satuan", "polaritas"):
        lists.add(key, schema.CHOICE_LISTS[key])
    nomen = nomenclature.table()
    lists.add("kode_program", nomen.loc[nomen["level"] == "program", "kode"].tolist())
    lists.marker()
    ident = {"provinsi": regions.province_name(province), "kode_provinsi": province, "periode_rpjmd": period,
             "dokumen": dokumen or f"RPJMD Provinsi {regions.province_name(province)} {period}"}
    _keyvalue_sheet(wb, schema.RPJMD_IDENTITAS, ident, lists)
    rows = [(FIRST_DATA_ROW + i, rec) for i, rec in enumerate(frame.to_dict("records"))]
    _table_sheet(wb, schema.RPJMD_INDIKATOR, rows, lists)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    wb.active = 0
    return _to_bytes(wb)


def default_filename(region: str, year: int) -> str:
    return f"template_{_region_or_fail(region)}_{year}.xlsx"
