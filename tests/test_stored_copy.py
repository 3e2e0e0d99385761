"""calamine is handed an xlsx rebuilt from the parts the reader inflated and bounded, stored
uncompressed: the parts calamine reads when it opens a workbook and the sheets wanted. It reads them as
it reads the upload, and no other part of the upload reaches it."""

from __future__ import annotations

import io
import struct
import zipfile

import python_calamine as pc
import workbook_factory as wf

from kesbang.intake import reader, stored_zip
from kesbang.intake.loader import load_submission

OPENING_PARTS = ["_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml"]


def _members(data: bytes) -> list[tuple[str, int, bytes]]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    return [(info.filename, info.CRC, zf.read(info)) for info in zf.infolist()]


def _grids(data: bytes) -> dict[str, list[list]]:
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def _verdict(data: bytes) -> tuple[bool, list[str], int]:
    result = load_submission(data, "laporan.xlsx")
    return result.ok, sorted(i.code for i in result.issues), len(result.submission.indikator) if result.ok else 0


def _with_crc(data: bytes, name: str, crc: int) -> bytes:
    """`data` with member `name` declaring another CRC, in its local header and in the central directory."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    out = bytearray(data)
    struct.pack_into("<I", out, zf.getinfo(name).header_offset + 14, crc)
    at = zf.start_dir
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name.encode():
            struct.pack_into("<I", out, at + 16, crc)
            return bytes(out)
        at += 4


def _with_member(base: bytes, name: str, content: bytes, broken: bool = False) -> bytes:
    """`base` with a member added; `broken` overwrites the start of its deflate stream."""
    buffer = io.BytesIO(base)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, content)
    data = bytearray(buffer.getvalue())
    if broken:
        info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        data[start : start + 8] = b"\xff" * 8  # not a deflate stream
    return bytes(data)


def test_the_copy_holds_every_member_stored_with_its_crc():
    data = wf.submission_bytes()
    copy = stored_zip.build(_members(data))
    original, stored = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(copy))
    assert stored.testzip() is None  # every CRC matches its bytes
    assert [i.filename for i in stored.infolist()] == [i.filename for i in original.infolist()]
    assert {i.compress_type for i in stored.infolist()} == {zipfile.ZIP_STORED}
    for info in original.infolist():
        assert stored.read(info.filename) == original.read(info)
    assert _grids(copy) == _grids(data)


def test_calamine_is_handed_the_opening_parts_and_the_sheets_wanted():
    data = wf.submission_bytes()
    expected = _grids(data)
    wb = reader.open_workbook(data, sheets=lambda name: name == "Indikator")
    indikator = wb.sheet_paths["Indikator"]
    assert sorted(wb._handed) == sorted([*OPENING_PARTS, indikator])  # no shared strings in this file
    assert wb.grid("Indikator").rows == expected["Indikator"]
    # a sheet not wanted at first is bounded and handed over when it is read
    assert wb.grid("Identitas").rows == expected["Identitas"]
    assert sorted(wb._handed) == sorted([*OPENING_PARTS, indikator, wb.sheet_paths["Identitas"]])
    assert {name: wb.grid(name).rows for name in wb.sheet_names} == expected


def test_a_part_calamine_does_not_read_is_not_inflated():
    base = wf.submission_bytes()
    data = _with_member(base, "docProps/thumbnail.jpeg", b"\xff\xd8" + bytes(range(256)) * 64, broken=True)
    assert "docprops/thumbnail.jpeg" not in reader.open_workbook(data)._handed
    assert _verdict(data) == _verdict(base)


def test_a_wrong_crc_is_found_where_calamine_reads():
    base = wf.submission_bytes()
    indikator = reader.open_workbook(base).sheet_paths["Indikator"]
    assert _verdict(_with_crc(base, indikator, 0x12345678))[1] == ["file.corrupt"]
    assert _verdict(_with_crc(base, "docProps/app.xml", 0x12345678)) == _verdict(base)
