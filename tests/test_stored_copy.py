"""calamine reads an xlsx from the members the reader inflated and bounded, stored uncompressed, and
reads them exactly as it reads the upload; anything it could read differently keeps the upload."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
import python_calamine as pc
import workbook_factory as wf

from kesbang import reader, stored_zip
from kesbang.loader import load_submission


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    return [(info, zf.read(info)) for info in zf.infolist()]


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


def test_the_reader_hands_calamine_the_stored_copy():
    data = wf.submission_bytes()
    wb = reader.open_workbook(data)
    handed = zipfile.ZipFile(io.BytesIO(wb._calamine_data))
    assert {i.compress_type for i in handed.infolist()} == {zipfile.ZIP_STORED}
    assert {name: wb.grid(name).rows for name in wb.sheet_names} == _grids(data)


def test_a_large_package_is_handed_over_as_uploaded(monkeypatch):
    data = wf.submission_bytes()
    expected = _verdict(data)
    monkeypatch.setattr(reader, "MAX_STORED_COPY", 1024)
    assert reader.open_workbook(data)._calamine_data is data
    assert _verdict(data) == expected


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/styles.xml", "docProps/app.xml"])
def test_a_wrong_crc_gets_the_verdict_the_upload_gets(monkeypatch, member):
    data = _with_crc(wf.submission_bytes(), member, 0x12345678)
    copied = _verdict(data)
    monkeypatch.setattr(reader, "MAX_STORED_COPY", 0)
    assert _verdict(data) == copied


def test_a_member_that_does_not_inflate_keeps_the_upload():
    base = wf.submission_bytes()
    buffer = io.BytesIO(base)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("docProps/thumbnail.jpeg", b"\xff\xd8" + bytes(range(256)) * 64)
    data = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("docProps/thumbnail.jpeg")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start : start + 8] = b"\xff" * 8  # not a deflate stream
    data = bytes(data)
    wb = reader.open_workbook(data)
    assert wb._calamine_data is data
    assert _verdict(data) == _verdict(base)
