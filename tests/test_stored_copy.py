"""What calamine reads of an xlsx is what the reader checked: the sheets come back as calamine reads the
whole upload, a damaged part nobody reads does not fail it, and a member whose bytes do not match its
CRC is a corrupt file, found when it is read."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

import pytest
import python_calamine as pc
import workbook_factory as wf

from kesbang.intake import reader
from kesbang.intake.loader import load_submission


def _grids(data: bytes) -> dict[str, list[list]]:
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def _verdict(data: bytes) -> tuple[bool, list[str], int]:
    result = load_submission(data, "laporan.xlsx")
    return result.ok, sorted(i.code for i in result.issues), len(result.submission.indikator) if result.ok else 0


def _sheet_part(data: bytes, sheet: str) -> str:
    """The zip member holding `sheet`, as the workbook's relationships name it."""
    return reader.open_workbook(data).sheet_paths[sheet]


def _with_field(data: bytes, name: str, local_at: int, central_at: int, value: int) -> bytes:
    """`data` with a 4-byte field of member `name` set to `value`, in its local header (at `local_at`)
    and in the central directory (at `central_at`)."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    out = bytearray(data)
    struct.pack_into("<I", out, zf.getinfo(name).header_offset + local_at, value)
    at = zf.start_dir
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name.encode():
            struct.pack_into("<I", out, at + central_at, value)
            return bytes(out)
        at += 4


def _with_crc(data: bytes, name: str, crc: int) -> bytes:
    return _with_field(data, name, 14, 16, crc)


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


def test_every_sheet_reads_as_calamine_reads_the_whole_upload():
    data = wf.submission_bytes()
    expected = _grids(data)
    wb = reader.open_workbook(data, sheets=lambda name: name == "Indikator")
    assert wb.grid("Indikator").rows == expected["Indikator"]
    # a sheet not made ready when the workbook was opened reads the same when it is first asked for
    assert wb.grid("Identitas").rows == expected["Identitas"]
    assert {name: wb.grid(name).rows for name in wb.sheet_names} == expected


def test_a_damaged_part_calamine_never_reads_does_not_fail_the_upload():
    base = wf.submission_bytes()
    data = _with_member(base, "docProps/thumbnail.jpeg", b"\xff\xd8" + bytes(range(256)) * 64, broken=True)
    assert _verdict(data) == _verdict(base)


def test_a_damaged_sheet_is_a_corrupt_file():
    base = wf.submission_bytes()
    part = _sheet_part(base, "Indikator")
    zf = zipfile.ZipFile(io.BytesIO(base))
    info = zf.getinfo(part)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data = bytearray(base)
    data[start : start + 8] = b"\xff" * 8
    assert _verdict(bytes(data))[1] == ["file.corrupt"]


def test_a_wrong_crc_is_a_corrupt_file_where_the_part_is_read():
    base = wf.submission_bytes()
    for sheet in ("Indikator", "Identitas"):
        assert _verdict(_with_crc(base, _sheet_part(base, sheet), 0x12345678))[1] == ["file.corrupt"], sheet
    assert _verdict(_with_crc(base, "xl/workbook.xml", 0x12345678))[1] == ["file.corrupt"]
    # a part nobody reads is never inflated, so its CRC is never checked
    assert _verdict(_with_crc(base, "docProps/app.xml", 0x12345678)) == _verdict(base)


def test_a_sheet_read_later_is_checked_when_it_is_read():
    """A sheet not made ready at first is inflated, checked and bounded when it is first asked for."""
    base = wf.submission_bytes()
    data = _with_crc(base, _sheet_part(base, "Identitas"), 0x12345678)
    wb = reader.open_workbook(data, sheets=lambda name: name == "Indikator")
    assert wb.grid("Indikator").rows == _grids(base)["Indikator"]
    with pytest.raises(reader.ReadProblem) as problem:
        wb.grid("Identitas")
    assert problem.value.code == "file.corrupt"


def _recompressed(data: bytes, name: str, method: int, declared: int | None = None) -> bytes:
    """`data` with member `name` compressed by `method`, declaring `declared` bytes when given."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info), compress_type=method if info.filename == name else None)
    packed = out.getvalue()
    return packed if declared is None else _with_field(packed, name, 22, 24, declared)


def test_a_sheet_packed_as_no_spreadsheet_writer_packs_it_is_refused():
    """A bzip2 member is inflated whole, whatever size it declares: a sheet of a few hundred bytes that
    declares 1 KB and expands to 50 MB is refused before anything is inflated; so is an honest one."""
    base = wf.submission_bytes()
    part = _sheet_part(base, "Indikator")
    sheet = zipfile.ZipFile(io.BytesIO(base)).read(part)
    padded = sheet.replace(b"</worksheet>", b" " * (50 << 20) + b"</worksheet>")
    bomb = _recompressed(wf._replace_member(base, part, padded), part, zipfile.ZIP_BZIP2, declared=1024)
    assert len(bomb) < len(base) + 4096
    tracemalloc.start()
    try:
        assert _verdict(bomb)[1] == ["file.corrupt"]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 << 20  # the 50 MB were never inflated
    assert _verdict(_recompressed(base, part, zipfile.ZIP_BZIP2))[1] == ["file.corrupt"]
    # a part nobody reads may be packed any way
    assert _verdict(_recompressed(base, "docProps/app.xml", zipfile.ZIP_BZIP2)) == _verdict(base)
