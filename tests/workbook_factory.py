"""Real spreadsheet files for tests, written with openpyxl (and hostile files built byte by byte).

Usable by every test module: `submission_bytes()` gives a valid regency workbook in the format of
`kesbang.schema`; keyword arguments change what operators change (title rows, column order, header
spellings, extra columns, values); `evaluation_form_bytes()` writes the Permendagri 86 layout with
two-row merged headers; the `hostile_*` helpers build the files an uploader must refuse.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from typing import Any

import openpyxl
from openpyxl.workbook.defined_name import DefinedName

from kesbang import schema

IDENTITAS = {
    "provinsi": "Kalimantan Tengah",
    "kode_wilayah": "62.02",
    "nama_wilayah": "Kotawaringin Timur",
    "tahun": 2025,
    "periode": "TW IV",
    "periode_rpjmd": "2025-2029",
    "perangkat_daerah": "Badan Kesbangpol Kab. Kotawaringin Timur",
    "operator": "Siti Rahma",
    "tanggal": dt.date(2026, 1, 15),
}

_PROGRAMS = ["8.01.02", "8.01.03", "8.01.04", "8.01.05", "8.01.06"]


def indicator_rows(n: int = 6) -> list[dict[str, Any]]:
    """n plausible indicator rows, distinct codes, all valid."""
    rows = []
    for i in range(n):
        prog = _PROGRAMS[i % len(_PROGRAMS)]
        rollup = ["kumulatif", "stok", "persentase"][i % 3]
        target = [120, 40, 85][i % 3] + i
        q = [target / 4] * 4 if rollup == "kumulatif" else [target * 0.5, target * 0.7, target * 0.8, target * 0.95]
        rows.append(
            {
                "kode_program": prog,
                "kode_kegiatan": f"{prog}.2.01",
                "kode_subkegiatan": f"{prog}.2.01.{(i % 5) + 1:04d}",
                "nama_program": f"Sub kegiatan {i + 1}",
                "kode_indikator": f"IK-{i + 1:03d}",
                "indikator": f"Jumlah peserta kegiatan {i + 1}",
                "level": "subkegiatan",
                "satuan": ["Orang", "Kegiatan", "Persen"][i % 3],
                "polaritas": "positif",
                "akumulasi": rollup,
                "jenis_ukuran": "kuantitatif",
                "kode_rpjmd": f"R.{(i % 4) + 1}" if i % 2 == 0 else None,
                "baseline": target * 0.9,
                "target": target,
                "realisasi_tw1": q[0],
                "realisasi_tw2": q[1],
                "realisasi_tw3": q[2],
                "realisasi_tw4": q[3],
                "pagu": 100_000_000 + i * 1_000_000,
                "anggaran_tw1": 20_000_000,
                "anggaran_tw2": 25_000_000,
                "anggaran_tw3": 25_000_000,
                "anggaran_tw4": 20_000_000,
                "sumber_data": "Laporan kegiatan",
                "faktor_pendorong": "Dukungan sekolah",
                "faktor_penghambat": "Cuaca",
                "tindak_lanjut": "Jadwal ulang",
                "data_dukung": "https://example.org/bukti",
            }
        )
    return rows


def paskibraka_rows() -> list[dict[str, Any]]:
    counts = {
        "sekolah": (None, None, 45),
        "pendaftar": (200, 198, 398),
        "lulus_kesehatan": (150, 150, 300),
        "lulus_administrasi": (140, 140, 280),
        "lulus_pancasila": (100, 100, 200),
        "lulus_fisik": (70, 70, 140),
        "lulus_wawancara": (45, 45, 90),
        "ditetapkan": (38, 37, 75),
        "dikirim_provinsi": (2, 2, 4),
        "diklat": (38, 37, 75),
        "dikukuhkan": (38, 37, 75),
        "tugas_17_agustus": (38, 37, 75),
    }
    rows = []
    for n, (key, (pa, pi, total)) in enumerate(counts.items()):
        stage = schema.STAGE_BY_KEY[key]
        start = dt.date(2025, 3, 1) + dt.timedelta(days=7 * n if stage.legal_stage == 1 else 0)
        if stage.legal_stage == 2:
            start = dt.date(2025, 7, 20)
        if stage.legal_stage == 3:
            start = dt.date(2025, 8, 15)
        rows.append(
            {
                "tahap": stage.label,
                "putra": pa,
                "putri": pi,
                "jumlah": total,
                "rencana_mulai": start,
                "rencana_selesai": start + dt.timedelta(days=2),
                "realisasi_mulai": start,
                "realisasi_selesai": start + dt.timedelta(days=2),
                "catatan": None,
            }
        )
    return rows


def nilai_rows() -> list[dict[str, Any]]:
    return [
        {
            "tema": schema.THEMES[i % len(schema.THEMES)],
            "kegiatan": f"Sosialisasi {i + 1}",
            "kode_subkegiatan": "8.01.02.2.01.0003",
            "tanggal": dt.date(2025, 2 + i, 10),
            "lokasi": "Sampit",
            "sasaran": "Pelajar SMA",
            "peserta": 50 + i,
            "pre_test": 60.5,
            "post_test": 78.0,
            "rubrik": 3,
            "narasi": "Peserta memahami nilai Pancasila.",
            "data_dukung": "https://example.org/foto",
        }
        for i in range(3)
    ]


def _write_table(
    ws,
    spec: schema.SheetSpec,
    rows: list[dict[str, Any]],
    *,
    order: list[str] | None = None,
    labels: dict[str, str] | None = None,
    title_rows: list[str] = (),
    extra: dict[str, list] | None = None,
    drop: tuple[str, ...] = (),
    raw: dict[tuple[int, str], Any] | None = None,
) -> dict[str, int]:
    """Write title rows, a header row and data rows; returns key -> 1-based column number."""
    keys = [k for k in (order or spec.keys) if k not in drop]
    labels = labels or {}
    for text in title_rows:
        ws.append([text])
    header = [labels.get(k, spec.column(k).label) for k in keys] + list((extra or {}).keys())
    ws.append(header)
    for i, row in enumerate(rows):
        values = [row.get(k) for k in keys] + [col[i] if i < len(col) else None for col in (extra or {}).values()]
        ws.append(values)
    for (i, key), value in (raw or {}).items():  # exact cell content, e.g. an error code or a formula
        ws.cell(len(title_rows) + 2 + i, keys.index(key) + 1, value)
    return {k: n for n, k in enumerate(keys, start=1)}


def build_submission(
    *,
    identitas: dict[str, Any] | None = None,
    indikator: list[dict] | None = None,
    paskibraka: list[dict] | None = None,
    nilai: list[dict] | None = None,
    order: list[str] | None = None,
    labels: dict[str, str] | None = None,
    title_rows: list[str] = (),
    extra: dict[str, list] | None = None,
    drop: tuple[str, ...] = (),
    raw: dict[tuple[int, str], Any] | None = None,
    sheet_names: dict[str, str] | None = None,
    hidden: tuple[str, ...] = (),
    format_marker: str | None = schema.FORMAT_VERSION,
    omit_sheets: tuple[str, ...] = (),
) -> openpyxl.Workbook:
    """An openpyxl workbook in the submission format; `raw` sets exact Indikator cells by (row index, key)."""
    names = {
        "identitas": "Identitas",
        "indikator": "Indikator",
        "paskibraka": "Paskibraka",
        "nilai": "Program Nilai",
        **(sheet_names or {}),
    }
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if "identitas" not in omit_sheets:
        ws = wb.create_sheet(names["identitas"])
        ident = {**IDENTITAS, **(identitas or {})}
        ws.append(["IDENTITAS LAPORAN"])
        for col in schema.IDENTITAS.columns:
            if col.key in ident:
                ws.append([col.label, ident[col.key]])
    if "indikator" not in omit_sheets:
        _write_table(
            wb.create_sheet(names["indikator"]),
            schema.INDIKATOR,
            indicator_rows() if indikator is None else indikator,
            order=order,
            labels=labels,
            title_rows=title_rows,
            extra=extra,
            drop=drop,
            raw=raw,
        )
    if "paskibraka" not in omit_sheets:
        _write_table(
            wb.create_sheet(names["paskibraka"]),
            schema.PASKIBRAKA,
            paskibraka_rows() if paskibraka is None else paskibraka,
        )
    if "nilai" not in omit_sheets:
        _write_table(wb.create_sheet(names["nilai"]), schema.PROGRAM_NILAI, nilai_rows() if nilai is None else nilai)
    for key in hidden:
        wb[names[key]].sheet_state = "hidden"
    if format_marker is not None:
        lists = wb.create_sheet("_lists")
        lists["A1"] = format_marker
        lists.sheet_state = "hidden"
        wb.defined_names[schema.FORMAT_MARKER_NAME] = DefinedName(schema.FORMAT_MARKER_NAME, attr_text="'_lists'!$A$1")
    return wb


def to_bytes(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def submission_bytes(**kwargs: Any) -> bytes:
    return to_bytes(build_submission(**kwargs))


def evaluation_form_bytes(rows: list[dict[str, Any]] | None = None, sheet_name: str = "Form E.81") -> bytes:
    """The Permendagri 86 evaluation form: title rows, a two-row header with 'Realisasi Triwulan I..IV'
    and 'Target' merged over K | Rp, a column-number row, program section rows and a total row."""
    rows = indicator_rows(4) if rows is None else rows
    wb = openpyxl.Workbook()
    ident = wb.active
    ident.title = "Identitas"
    for col in schema.IDENTITAS.columns:
        ident.append([col.label, IDENTITAS[col.key]])
    ws = wb.create_sheet(sheet_name)
    ws.append(["EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH"])
    ws.append(["Badan Kesbangpol Kabupaten Kotawaringin Timur"])
    ws.append(["Periode Pelaksanaan: Tahun 2025"])
    ws.append([])
    upper = [
        "Kode Program",
        "Kode Sub Kegiatan",
        "Urusan/Program/Kegiatan",
        "Kode Indikator",
        "Indikator Kinerja Program (Outcome)/Kegiatan (Output)",
        "Level",
        "Satuan",
        "Polaritas",
        "Jenis Akumulasi",
        "Jenis Ukuran",
        "Target",
        None,
    ]
    for q in ("I", "II", "III", "IV"):
        upper += [f"Realisasi Triwulan {q}", None]
    upper += ["Faktor Pendorong", "Faktor Penghambat", "Tindak Lanjut"]
    lower = [None] * 10 + ["K", "Rp"] + ["K", "Rp"] * 4 + [None] * 3
    ws.append(upper)
    ws.append(lower)
    for c in range(1, 11):
        ws.merge_cells(start_row=5, start_column=c, end_row=6, end_column=c)
    for c in range(11, 21, 2):
        ws.merge_cells(start_row=5, start_column=c, end_row=5, end_column=c + 1)
    for c in range(21, 24):
        ws.merge_cells(start_row=5, start_column=c, end_row=6, end_column=c)
    ws.append(list(range(1, 24)))  # the "(1) (2) (3)" column-number row
    ws.append([None, None, "PROGRAM PENGUATAN IDEOLOGI PANCASILA"])  # a section row
    for r in rows:
        line = [
            r["kode_program"],
            r["kode_subkegiatan"],
            r["nama_program"],
            r["kode_indikator"],
            r["indikator"],
            r["level"],
            r["satuan"],
            r["polaritas"],
            r["akumulasi"],
            r["jenis_ukuran"],
            r["target"],
            r["pagu"],
        ]
        for q in range(1, 5):
            line += [r[f"realisasi_tw{q}"], r[f"anggaran_tw{q}"]]
        line += [r["faktor_pendorong"], r["faktor_penghambat"], r["tindak_lanjut"]]
        ws.append(line)
    ws.append([])
    ws.append([None, None, "Jumlah", None, None, None, None, None, None, None, None, sum(r["pagu"] for r in rows)])
    return to_bytes(wb)


def rpjmd_bytes(year_headers: bool = False, period: str = "2025-2029", province: str = "62") -> bytes:
    wb = openpyxl.Workbook()
    ident = wb.active
    ident.title = "Identitas"
    ident.append(["Provinsi", "Kalimantan Tengah"])
    ident.append(["Kode Provinsi", province])
    ident.append(["Periode RPJMD", period])
    ws = wb.create_sheet("RPJMD")
    ws.append(["CASCADING RPJMD PROVINSI KALIMANTAN TENGAH"])
    header = []
    for col in schema.RPJMD_INDIKATOR.columns:
        if year_headers and col.key.startswith("target_") and col.key[-1].isdigit():
            header.append(f"Target {2024 + int(col.key[-1])}")
        else:
            header.append(col.label)
    ws.append(header)
    for i in range(1, 4):
        ws.append(
            [
                f"R.{i}",
                "Tujuan 1",
                f"Sasaran {i}",
                "8.01.02",
                f"Indeks {i}",
                "Indeks",
                "positif",
                70 + i,
                "71",
                "72",
                "4,43–4,47",
                "74",
                "75",
                "75",
                "Bakesbangpol",
            ]
        )
    return to_bytes(wb)


# --- hostile files ------------------------------------------------------------------------------------


def zip_bomb_bytes(megabytes: int = 600) -> bytes:
    """A tiny xlsx-shaped zip whose sheet inflates to `megabytes` MB of zeros (declared honestly)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"0" * (1 << 20)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(megabytes):
                fh.write(chunk)
    return buf.getvalue()


def many_members_bytes(n: int = 5000) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(n):
            zf.writestr(f"xl/media/x{i}.txt", b"")
    return buf.getvalue()


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, content if info.filename == name else src.read(info.filename))
    return buf.getvalue()


def xxe_bytes(base: bytes | None = None) -> bytes:
    """A real submission whose first sheet declares an external entity (XXE) and an entity bomb."""
    base = base or submission_bytes()
    doctype = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM '
        b'"file:///etc/passwd"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
    )
    name = "xl/worksheets/sheet1.xml"
    xml = zipfile.ZipFile(io.BytesIO(base)).read(name)
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return _replace_member(base, name, doctype + body.replace(b"IDENTITAS LAPORAN", b"&xxe;&b;"))


def huge_area_bytes() -> bytes:
    """Two values, in A1 and XFD1048576: a dense reader would need hundreds of GB."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Indikator"
    ws["A1"] = "Kode Program"
    ws["XFD1048576"] = 1
    return to_bytes(wb)


def unreferenced_cells_bytes() -> bytes:
    """Cells written without a reference inside row 1048576: a reader places them by position, so the
    used area is a million rows by 16384 columns although no reference says so."""
    import re

    base = huge_area_bytes()
    xml = zipfile.ZipFile(io.BytesIO(base)).read("xl/worksheets/sheet1.xml").decode()
    body = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Kode Program</t></is></c></row><row r="1048576">'
        + "<c><v>1</v></c>" * 16384
        + "</row>"
    )
    xml = re.sub(r"<sheetData>.*</sheetData>", "<sheetData>" + body + "</sheetData>", xml, flags=re.S)
    return _replace_member(base, "xl/worksheets/sheet1.xml", xml.encode())


def html_renamed_bytes() -> bytes:
    return (
        b"<html><head><meta charset='utf-8'></head><body><table><tr><td>Kode Program</td>"
        b"<td>Indikator</td></tr><tr><td>8.01.02</td><td>Jumlah</td></tr></table></body></html>"
    )


def csv_renamed_bytes() -> bytes:
    return b"Kode Program;Indikator Kinerja;Target\n8.01.02;Jumlah peserta;100\n"


def truncated_bytes(base: bytes | None = None) -> bytes:
    base = base or submission_bytes()
    return base[: len(base) // 2]


def encrypted_ole_bytes() -> bytes:
    """An OLE2 compound file holding an 'EncryptedPackage' stream, as Excel writes password-protected
    xlsx files (header + one directory sector is enough for the type to be recognised)."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 48, 0)  # first directory sector
    directory = bytearray(512)
    for i, name in enumerate(("Root Entry", "EncryptedPackage", "EncryptionInfo")):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<H", entry, 64, len(encoded))
        entry[66] = 5 if i == 0 else 2
        directory[i * 128 : (i + 1) * 128] = entry
    return bytes(header) + bytes(directory)


class Percent(float):
    """A number an .ods cell shows as a percentage: LibreOffice writes it `office:value-type="percentage"`
    with the fraction as its value (0.739 shown "73,9%")."""


def ods_bytes(sheets: dict[str, list[list[Any]]], merged: dict[str, list[tuple[int, int, int, int]]] | None = None
              ) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice writes, without styles): text cells as strings,
    numbers as floats, `Percent` numbers as percentages, dates as ISO dates; `merged` (sheet -> 0-based
    (first row, first column, last row, last column)) spans the top-left cell over the range and writes
    the others as covered cells, as LibreOffice does."""
    from xml.sax.saxutils import escape

    def placed(name: str, r: int, c: int, v: Any) -> str:
        for r0, c0, r1, c1 in (merged or {}).get(name, []):
            if (r, c) == (r0, c0):
                span = f'<table:table-cell table:number-rows-spanned="{r1 - r0 + 1}" ' \
                       f'table:number-columns-spanned="{c1 - c0 + 1}"'
                text = cell(v)
                return span + text[len("<table:table-cell"):]
            if r0 <= r <= r1 and c0 <= c <= c1:
                return "<table:covered-table-cell/>"
        return cell(v)

    def cell(v: Any) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, Percent):
            return (
                f'<table:table-cell office:value-type="percentage" office:value="{float(v)}" '
                f'calcext:value-type="percentage"><text:p>{float(v) * 100:g}%</text:p></table:table-cell>'
            )
        if isinstance(v, bool):
            return f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(v).lower()}"/>'
        if isinstance(v, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{v}">'
                f"<text:p>{v}</text:p></table:table-cell>"
            )
        if isinstance(v, dt.date):
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}">'
                f"<text:p>{v.isoformat()}</text:p></table:table-cell>"
            )
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(placed(name, r, c, v) for c, v in enumerate(row)) + "</table:table-row>"
                  for r, row in enumerate(rows))
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def submission_sheets() -> dict[str, list[list[Any]]]:
    """The default submission as plain rows per sheet (for writers other than openpyxl)."""
    wb = build_submission(format_marker=None)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def xlsm_bytes(base: bytes | None = None) -> bytes:
    """A macro-enabled workbook: the submission plus a (dummy) VBA project part and the xlsm content type."""
    base = base or submission_bytes()
    src = zipfile.ZipFile(io.BytesIO(base))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            out.writestr(info.filename, data)
        out.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    return buf.getvalue()


# --- a real .xls, written record by record (no xls writer is installed) --------------------------------


def _biff_record(typ: int, body: bytes) -> bytes:
    return struct.pack("<HH", typ, len(body)) + body


def _sst_records(strings: list[str]) -> bytes:
    """The shared string table (8-bit strings) as an SST record and its CONTINUE records; characters that
    go on in the next record restart with a flags byte, as Excel writes them."""
    limit = 8224  # most bytes a BIFF8 record body holds
    bodies, body = [], bytearray(struct.pack("<II", len(strings), len(strings)))
    for text in strings:
        if len(body) + 3 > limit:
            bodies.append(bytes(body))
            body = bytearray()
        body += struct.pack("<HB", len(text), 0)
        chars = text.encode("latin-1")
        while chars:
            if len(body) >= limit:
                bodies.append(bytes(body))
                body = bytearray(b"\x00")  # the flags byte: 8-bit characters
            room = limit - len(body)
            body += chars[:room]
            chars = chars[room:]
    bodies.append(bytes(body))
    return _biff_record(0x00FC, bodies[0]) + b"".join(_biff_record(0x003C, b) for b in bodies[1:])


def biff8_stream(
    cells: list[tuple[int, int, int]], strings: list[str], sheet: str = "Lembar1", extra: bytes = b""
) -> bytes:
    """A BIFF8 workbook stream of one sheet whose cells (row, column, index) show shared strings; `extra`
    (raw records) goes at the end of the sheet."""
    bof_globals = _biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    name = sheet.encode("latin-1")

    def boundsheet(offset: int) -> bytes:
        return _biff_record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 0) + name)

    rest = _sst_records(strings) + _biff_record(0x000A, b"")
    offset = len(bof_globals) + len(boundsheet(0)) + len(rest)
    rows, cols = max(r for r, _, _ in cells) + 1, max(c for _, c, _ in cells) + 1
    body = _biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
    body += _biff_record(0x0200, struct.pack("<IIHHH", 0, rows, 0, cols, 0))
    body += b"".join(_biff_record(0x00FD, struct.pack("<HHHI", r, c, 15, i)) for r, c, i in cells)
    return bof_globals + boundsheet(offset) + rest + body + extra + _biff_record(0x000A, b"")


def biff_number(row: int, col: int, value: float = 1.0) -> bytes:
    """A NUMBER cell record."""
    return _biff_record(0x0203, struct.pack("<HHHd", row, col, 15, value))


def biff_substream(kind: int = 0x0020) -> bytes:
    """An empty substream (a chart, by default) as Excel embeds one inside a sheet: BOF then EOF."""
    return _biff_record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 0, 0, 0)) + _biff_record(0x000A, b"")


def ole_bytes(
    stream: bytes, name: str = "Workbook", cutoff: int = 4096, copies: int = 1, beside: tuple[str, bytes] | None = None
) -> bytes:
    """An OLE2 compound file (512-byte sectors) holding one stream, as an .xls holds its workbook; `name`,
    the header's mini-stream `cutoff`, the number of directory entries listing the stream (`copies`,
    each one byte shorter than the last) and a second stream (`beside`: its name and bytes) may be set
    to what a hostile file writes."""
    size = 512
    end, free, fat_mark, difat_mark = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFC
    data, fat, placed = b"", [], []
    for body in [stream] + ([beside[1]] if beside else []):
        body += b"\x00" * max(0, 4096 - len(body))  # a shorter stream would belong in the mini stream
        start = len(data) // size
        data += body + b"\x00" * (-len(body) % size)
        fat += [i + 1 for i in range(start, len(data) // size - 1)] + [end]  # the stream's chain
        placed.append((start, len(body)))
    n_data = len(data) // size
    n_dir = -(-(1 + copies + bool(beside)) // 4)  # four 128-byte entries per sector
    # the header lists 109 FAT sectors; a larger file (over 7 MB) lists the rest in DIFAT sectors, 127 each
    n_fat = 1
    while True:
        n_difat = -(-max(0, n_fat - 109) // 127)
        if n_data + n_dir + n_fat + n_difat <= n_fat * (size // 4):
            break
        n_fat += 1
    fat += [n_data + i + 1 for i in range(n_dir - 1)] + [end] + [fat_mark] * n_fat  # directory, FAT
    fat += [difat_mark] * n_difat
    fat += [free] * (n_fat * (size // 4) - len(fat))

    def entry(entry_name: str, typ: int, start: int, length: int, child: int = free) -> bytes:
        raw = bytearray(128)
        encoded = entry_name.encode("utf-16-le") + b"\x00\x00"
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBBIII", raw, 64, len(encoded), typ, 1, free, free, child)
        struct.pack_into("<II", raw, 116, start, length)
        return bytes(raw)

    directory = entry("Root Entry", 5, end, 0, child=1)
    directory += b"".join(entry(name, 2, placed[0][0], placed[0][1] - i) for i in range(copies))
    if beside:
        directory += entry(beside[0], 2, *placed[1])
    directory += bytes(n_dir * size - len(directory))
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 44, n_fat, n_data)  # FAT sector count, first directory sector
    first_difat = n_data + n_dir + n_fat if n_difat else end
    struct.pack_into("<IIIII", header, 56, cutoff, end, 0, first_difat, n_difat)  # no mini FAT
    fat_sectors = [n_data + n_dir + i for i in range(n_fat)]
    struct.pack_into("<109I", header, 76, *(fat_sectors[:109] + [free] * (109 - len(fat_sectors[:109]))))
    difat = b""
    for i in range(n_difat):
        listed = fat_sectors[109 + 127 * i : 109 + 127 * (i + 1)]
        following = first_difat + i + 1 if i + 1 < n_difat else end
        difat += struct.pack("<128I", *(listed + [free] * (127 - len(listed))), following)
    return bytes(header) + data + directory + struct.pack(f"<{len(fat)}I", *fat) + difat
