"""A sheet cannot reach past the area bound by spelling its markup differently.

calamine holds a sheet as a dense grid and aborts the process when that allocation fails, so each file
here (a few KB placing one value at the far corner of a sheet) is loaded in a child process under a
memory limit: a bound that misses a spelling fails the test instead of killing the test run. Each
hostile file must get the "too large" refusal; the same spellings with small references must load.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
import workbook_factory as wf
from childload import HANG_SECONDS, verdicts
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kesbang.intake import area, reader
from kesbang.intake.loader import load_submission

WILD = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "wild"
SHEET = "xl/worksheets/sheet1.xml"
FAR = "XFD1048576"

# a value at the far corner, written as calamine reads it but as no ordinary writer does
XLSX_FAR_CELL = {
    "single_quotes": f"<c r='{FAR}' t=\"n\"><v>1</v></c>",
    "spaces_around_equals": f'<c r = "{FAR}" t="n"><v>1</v></c>',
    "newlines_around_equals": f'<c\nr\n=\n"{FAR}" t="n"><v>1</v></c>',
    "lower_case": f'<c r="{FAR.lower()}" t="n"><v>1</v></c>',
    "repeated_attribute": f'<c r="A1" r="{FAR}" t="n"><v>1</v></c>',
    "gt_in_earlier_value": f'<c t="n" x="a>b" r="{FAR}"><v>1</v></c>',
    "namespace_prefix": f'<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="{FAR}" t="n">'
    "<x:v>1</x:v></x:c>",
    "row_beyond_u32": '<c r="B4294967297" t="n"><v>1</v></c>',
}


def _with_sheet(xml_edit) -> bytes:
    base = wf.submission_bytes()
    xml = zipfile.ZipFile(io.BytesIO(base)).read(SHEET).decode()
    return wf._replace_member(base, SHEET, xml_edit(xml).encode())


def _far_cell(cell: str):
    return lambda xml: xml.replace("</row>", cell + "</row>", 1)


def _unreferenced(row_tag: str, rows: int):
    """A row of 16384 cells without references, then `rows` rows without references holding one value
    each: calamine places them by counting, so the grid is rows x 16384 though no reference says so."""
    wide = row_tag + "<c><v>1</v></c>" * 16384 + "</row>"
    tall = "<row><c><v>1</v></c></row>" * rows
    return lambda xml: xml.replace("</sheetData>", wide + tall + "</sheetData>")


def _write(tmp_path: Path, files: dict[str, bytes]) -> list[Path]:
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def _assert_refused(found: dict[str, dict], names: list[str], code: str) -> None:
    for name in names:
        issues = found[name]["issues"]
        assert not found[name]["ok"] and [i["code"] for i in issues] == [code], (name, issues)
        assert "{" not in issues[0]["id"] and "{" not in issues[0]["en"]


def test_xlsx_far_cell_is_refused_however_it_is_spelled(tmp_path):
    files = {f"{name}.xlsx": _with_sheet(_far_cell(cell)) for name, cell in XLSX_FAR_CELL.items()}
    files["unreferenced_single_quoted_row.xlsx"] = _with_sheet(_unreferenced("<row r='1048576'>", 0))
    files["unreferenced_without_any_reference.xlsx"] = _with_sheet(_unreferenced("<row>", 200))
    found = verdicts(_write(tmp_path, files))
    _assert_refused(found, list(files), "file.too_large")
    assert found["single_quotes.xlsx"]["issues"][0]["params"] == {"rows": "1048576", "columns": "16384"}


def _with_shared_strings(sst: str) -> bytes:
    """The submission with a shared-strings part added at the path calamine reads, listed or not."""
    base = wf.submission_bytes()
    buf = io.BytesIO(base)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", sst)
    return buf.getvalue()


def test_xlsx_shared_strings_declaring_billions_are_refused(tmp_path):
    """calamine reserves room for the declared number of shared strings when it opens the file."""
    head = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    files = {
        "declared.xlsx": _with_shared_strings(head + 'uniqueCount="2000000000"><si><t>x</t></si></sst>'),
        "declared_single_quotes.xlsx": _with_shared_strings(
            head + "uniqueCount = '2000000000'><si><t>x</t></si></sst>"),
        "declared_honestly.xlsx": _with_shared_strings(head + 'count="3" uniqueCount="1"><si><t>x</t></si></sst>'),
    }
    found = verdicts(_write(tmp_path, files))
    _assert_refused(found, ["declared.xlsx", "declared_single_quotes.xlsx"], "file.too_large_any")
    assert not [i for i in found["declared_honestly.xlsx"]["issues"] if i["code"].startswith("file.")]


def _renamed(data: bytes, renames: dict[str, str], extra: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(renames.get(info.filename, info.filename), src.read(info.filename))
        for name, content in (extra or {}).items():
            out.writestr(name, content)
    return buf.getvalue()


def test_member_names_are_matched_as_calamine_matches_them(tmp_path):
    """calamine finds a zip member ignoring ASCII case and reading "\\" as "/": a hostile part under such
    a name must be bounded, and two names it may take for one another are refused."""
    far = _with_sheet(_far_cell(XLSX_FAR_CELL["single_quotes"]))
    hostile_sheet = zipfile.ZipFile(io.BytesIO(far)).read(SHEET)
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="2000000000"/>'
    base = wf.submission_bytes()
    files = {
        "sheet_extension_upper_case.xlsx": _renamed(far, {SHEET: SHEET[:-3] + "XML"}),
        "shared_strings_case_only.xlsx": _renamed(base, {}, {"xl/SharedStrings.xml": sst}),
        "shared_strings_backslash.xlsx": _renamed(base, {}, {"xl\\sharedStrings.xml": sst}),
        "sheet_case_variant_after_exact.xlsx": _renamed(base, {}, {SHEET.upper(): hostile_sheet}),
        "sheet_backslash_variant_after_exact.xlsx": _renamed(base, {}, {SHEET.replace("/", "\\"): hostile_sheet}),
    }
    found = verdicts(_write(tmp_path, files))
    _assert_refused(found, ["sheet_extension_upper_case.xlsx"], "file.too_large")
    _assert_refused(found, ["shared_strings_case_only.xlsx", "shared_strings_backslash.xlsx"], "file.too_large_any")
    _assert_refused(found, ["sheet_case_variant_after_exact.xlsx", "sheet_backslash_variant_after_exact.xlsx"],
                    "file.corrupt")


def _shared_text_sheet(cells: int, text: str) -> bytes:
    """The submission with `cells` cells that all show shared string 0, which holds `text`."""
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}" t="s"><v>0</v></c>' for c in range(20))
                   + "</row>" for r in range(100, 100 + cells // 20))
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="1"><si><t>'
           + text + "</t></si></sst>")
    return _renamed(_with_sheet(lambda xml: xml.replace("</sheetData>", rows + "</sheetData>")), {},
                    {"xl/sharedStrings.xml": sst})


def test_one_long_text_repeated_over_many_cells_is_refused(tmp_path):
    """Stored once, copied per cell by calamine and by Python: 20,000 cells showing one 100 KB shared
    string took 2.7 GB for a 48 KB upload, a 3 KB ODS repeating 10 KB of text asked for 10 GB, and an xls
    of 314 KB took 1.9 GB. Each is refused before it is read; the same text in a few cells loads."""
    repeated_ods = ('<table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="string" '
                    'table:number-columns-repeated="1000"><text:p>' + "x" * 10_000 + "</text:p></table:table-cell>"
                    "</table:table-row>")
    files = {
        "shared_string_everywhere.xlsx": _shared_text_sheet(20_000, "x" * 100_000),
        "repeated_text.ods": _ods_with(repeated_ods),
        "shared_string_everywhere.xls": wf.ole_bytes(wf.biff8_stream([(r, 0, 1) for r in range(20_000)],
                                                                     ["halo", "x" * 30_000])),
        "shared_string_few_cells.xlsx": _shared_text_sheet(40, "x" * 100_000),
        "shared_string_few_cells.xls": wf.ole_bytes(wf.biff8_stream([(r, 0, 1) for r in range(40)],
                                                                    ["halo", "x" * 30_000])),
    }
    found = verdicts(_write(tmp_path, files))
    _assert_refused(found, [n for n in files if "everywhere" in n or n.endswith(".ods")], "file.too_much_text")
    for name in ("shared_string_few_cells.xlsx", "shared_string_few_cells.xls"):
        assert not [i for i in found[name]["issues"] if i["code"].startswith("file.")], found[name]["issues"]


def test_xls_shared_strings_are_read_across_continue_records():
    """The table's strings as calamine reads them, the long one split over four CONTINUE records."""
    stream = wf.biff8_stream([(0, 0, 0), (1, 1, 1), (2, 0, 2)], ["halo", "x" * 30_000, "dunia"])
    sst = [area._sst_sizes(stream, at, size) for typ, at, size in area._records(stream, 0) if typ == 0x00FC]
    assert sst == [([4, 30_000, 5], 0)]


NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _mapped_elsewhere(sheet_tag: str, rels_extra: str) -> bytes:
    """The submission with a hostile part xl/worksheets/evil.xml that calamine maps the Indikator sheet
    to, while a regex reading of workbook.xml and its rels would map it to the real part."""
    base = wf.submission_bytes()
    zf = zipfile.ZipFile(io.BytesIO(base))
    workbook = zf.read("xl/workbook.xml").decode()
    workbook = re.sub(r'<sheet name="Indikator"[^>]*/>', sheet_tag, workbook)
    rels = zf.read("xl/_rels/workbook.xml.rels").decode().replace(
        "</Relationships>", f'<Relationship Id="rId9" Type="{NS_R}/worksheet" Target="worksheets/evil.xml"/>'
        + rels_extra + "</Relationships>")
    hostile = zipfile.ZipFile(io.BytesIO(_with_sheet(_far_cell(XLSX_FAR_CELL["single_quotes"])))).read(SHEET)
    data = wf._replace_member(wf._replace_member(base, "xl/workbook.xml", workbook.encode()),
                              "xl/_rels/workbook.xml.rels", rels.encode())
    return _renamed(data, {}, {"xl/worksheets/evil.xml": hostile})


def test_a_sheet_mapped_to_a_part_not_bounded_is_not_read(tmp_path):
    """calamine (quick-xml) skips comments and keeps the first of two same-named sheets and the last id
    attribute; a regex reading of workbook.xml does not. calamine is handed only the parts that were
    bounded, so the hostile part it maps the sheet to is not there: the file is refused as damaged."""
    real = zipfile.ZipFile(io.BytesIO(wf.submission_bytes())).read("xl/workbook.xml").decode()
    rid = re.search(r'<sheet name="Indikator"[^>]*r:id="(\w+)"', real)[1]
    files = {
        "decoy_in_comment.xlsx": _mapped_elsewhere(
            f'<sheet name="Indikator" sheetId="2" r:id="rId9"/><!-- <sheet name="Indikator" r:id="{rid}"/> -->', ""),
        "second_id_attribute.xlsx": _mapped_elsewhere(
            f'<sheet name="Indikator" sheetId="2" id="{rid}" r:id="rId9"/>', ""),
        "same_name_twice.xlsx": _mapped_elsewhere(
            f'<sheet name="Indikator" sheetId="2" r:id="rId9"/><sheet name="Indikator" sheetId="9" r:id="{rid}"/>', ""),
        "decoy_relationship_in_comment.xlsx": _mapped_elsewhere(
            '<sheet name="Indikator" sheetId="2" r:id="rId9"/>',
            f'<!-- <Relationship Id="rId9" Type="{NS_R}/worksheet" Target="worksheets/sheet2.xml"/> -->'),
    }
    found = verdicts(_write(tmp_path, files))
    _assert_refused(found, list(files), "file.corrupt")


def test_xls_directory_listing_the_workbook_over_and_over_is_refused():
    """Each listing is read and bounded, and each may be as long as the file: a directory of many is not
    followed (a 2 MB stream listed 40 times would be 80 MB of copies)."""
    stream = wf.biff8_stream([(0, 0, 0)], ["halo"]) + b"\x00" * 2_000_000
    assert len(area.ole_streams(wf.ole_bytes(stream, copies=3), ("workbook",))) == 3
    assert area.ole_streams(wf.ole_bytes(stream, copies=40), ("workbook",)) is None
    result = load_submission(wf.ole_bytes(stream, copies=40), "x.xls")
    assert [i.code for i in result.issues] == ["file.corrupt"]


def test_xlsx_small_references_spelled_oddly_still_load(tmp_path):
    """The same spellings pointing inside the sheet cost a slower count, not a refusal."""
    small = {name: cell.replace(FAR, "H2").replace(FAR.lower(), "h2").replace("B4294967297", "H2")
             for name, cell in XLSX_FAR_CELL.items()}
    files = {f"{name}.xlsx": _with_sheet(_far_cell(cell)) for name, cell in small.items()}
    files["unreferenced_short_row.xlsx"] = _with_sheet(
        lambda xml: xml.replace("</sheetData>", "<row>" + "<c><v>1</v></c>" * 20 + "</row></sheetData>"))
    found = verdicts(_write(tmp_path, files))
    for name, verdict in found.items():
        assert not [i for i in verdict["issues"] if i["code"].startswith("file.")], (name, verdict["issues"])


def test_sheets_built_to_cost_a_pass_per_cell_are_read_in_one(tmp_path):
    """Cells closed by "</c >" (which calamine accepts) and tags never closed: searching each cell's end
    from its own start read the rest of the sheet once per cell (over a minute for the first file,
    measured). Each file must get its verdict within the hang limit."""
    files = {
        "cells_closed_oddly.xlsx": _with_sheet(lambda xml: xml.replace(
            "</sheetData>", '<row r="40">' + '<c r="B40" t="e"><v>#N/A</v></c >' * 20000 + "</row></sheetData>")),
        "tags_never_closed.xlsx": _with_sheet(lambda xml: xml.replace("</sheetData>", "<row>" + "<c " * 40000)),
        "rows_never_closed.ods": _ods_with(
            "<table:table-row table:number-rows-repeated='3'>" * 30000, before="</office:spreadsheet>"),
    }
    found = verdicts(_write(tmp_path, files))
    for name, verdict in found.items():
        assert verdict["issues"] or verdict["ok"], name
        assert verdict["seconds"] < HANG_SECONDS, (name, verdict["seconds"])


def test_many_sheets_each_inside_the_bound_are_refused_together(tmp_path):
    """The loader looks for the indicators among every sheet when none is named for them, and each grid
    read is kept: 60 sheets of one header cell and one far value (21 KB) took 1.9 GB."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n in range(1, 6):
        ws = wb.create_sheet(f"S{n}")
        ws["A1"], ws["J199999"] = "Indikator", 1
    found = verdicts(_write(tmp_path, {"five_full_sheets.xlsx": wf.to_bytes(wb)}))
    _assert_refused(found, ["five_full_sheets.xlsx"], "file.too_large_any")


def test_sheet_xml_beyond_the_text_limit_is_refused(monkeypatch):
    """Inline strings are not shared, but a sheet's text is at most its XML: past the limit it is not
    read (277 MB of distinct inline strings took 25 s to load). The limit is lowered for the test."""
    monkeypatch.setattr(area, "MAX_TEXT_BYTES", 1 << 20)
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{"x" * 2000}</t></is></c></row>'
                   for r in range(100, 700))
    result = load_submission(_with_sheet(lambda xml: xml.replace("</sheetData>", rows + "</sheetData>")), "x.xlsx")
    assert [i.code for i in result.issues] == ["file.too_much_text"]


def test_more_cell_tags_than_a_sheet_holds():
    """Cell tags repeating references inside a small area are each read and scanned: past the bound on
    cells the sheet is refused (9 million error cells in A2:AB999 took 34 s)."""
    many = b"<worksheet><sheetData><row>" + b'<c r="A1" t="e"><v>#N/A</v></c>' * (area.MAX_SHEET_CELLS + 1)
    assert area.too_many_cells(many)
    assert not area.too_many_cells(many[: 40 * 1000])


def test_xlsx_placement_follows_the_reader():
    rows = (
        '<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c><c r="F3" s="1"/></row>'  # C3 follows B3; F3 is empty
        "<row><c><v>3</v></c></row>"  # a row without a reference is the next row: A4
        '<row r=\'7\'><c r = "b7"><v>4</v></c><c r="A1" r="J7"><v>5</v></c></row>'  # the last of two r's: J7
    )
    xml = f"<worksheet><sheetData>{rows}</sheetData></worksheet>".encode()
    assert area.ooxml_may_exceed(xml)
    assert area.ooxml_extent(xml) == (7, 10)
    plain = b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="ZZ999"><v>1</v></c></row></sheetData>'
    assert not area.ooxml_may_exceed(plain + b"</worksheet>")


# pieces of cell and row tags, spelled as calamine accepts them, for the property test below
_REFS = st.sampled_from(["A1", "b7", "ZZ999", "ZZ1", "AAA1", "A1000", "XFD1048576", "1", "", "A0001", "zz999"])
_QUOTED = st.builds(lambda ref, quote, before, after: f"r{before}={after}{quote}{ref}{quote}",
                    _REFS, st.sampled_from(['"', "'"]), st.sampled_from(["", " ", "\n"]), st.sampled_from(["", " "]))
_OTHER = st.sampled_from(['s="1"', 't="n"', 'x="a>b"', 'error="r=XFD1"', "xr:r='A1'"])
_ATTRS = st.lists(st.one_of(_QUOTED, _OTHER), max_size=3).map(" ".join)
# most cells open with a plain r="..." (as writers spell it), so that what follows it is tried often
_FIRST = st.one_of(_REFS.map(lambda ref: f' r="{ref}"'), st.just(""))
_CELL = st.builds(lambda prefix, first, attrs, value: f"<{prefix}c{first} {attrs}>{value}</{prefix}c>" if value
                  else f"<{prefix}c{first} {attrs}/>", st.sampled_from(["", "", "", "x:"]), _FIRST, _ATTRS,
                  st.sampled_from(["<v>1</v>", "<x:v>1</x:v>", ""]))
_ROW = st.builds(lambda attrs, cells: f"<row {attrs}>{''.join(cells)}</row>", _ATTRS,
                 st.lists(_CELL, max_size=4))


@settings(max_examples=1500, deadline=None)
@given(st.lists(_ROW, min_size=1, max_size=4))
@example(['<row><c r="ZZ999"><v>1</v></c><c><v>1</v></c></row>'])  # counted past ZZ
@example(['<row><c r="ZZ999"><v>1</v></c><x:c><x:v>1</x:v></x:c></row>'])  # the same, prefixed
@example(["<row><c r=\"A1\" r='XFD1048576'><v>1</v></c></row>"])  # a second r, single-quoted
def test_xlsx_fast_check_never_clears_a_sheet_placed_beyond_it(rows):
    """ooxml_may_exceed answers "within A1:ZZ999" from three searches; every cell calamine would place
    (the exact emulation, `_placed_extent`) must then lie there, however the tags are spelled."""
    xml = ("<worksheet xmlns:x='x'><sheetData>" + "".join(rows) + "</sheetData></worksheet>").encode()
    if not area.ooxml_may_exceed(xml):
        rows_placed, columns_placed = area._placed_extent(xml)
        assert rows_placed <= 999 and columns_placed <= 702, xml


ODS_FAR_ROW = {
    "double_quotes": '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
    'office:value-type="float" office:value="1" table:number-columns-repeated="1024"/></table:table-row>',
    "single_quotes": "<table:table-row table:number-rows-repeated='1048000'><table:table-cell "
    "office:value-type='float' office:value='1' table:number-columns-repeated='1024'/></table:table-row>",
    "spaces_around_equals": '<table:table-row table:number-rows-repeated = "1048000"><table:table-cell '
    'office:value-type="float" office:value="1" table:number-columns-repeated = "1024"/></table:table-row>',
    "covered_cells": '<table:table-row table:number-rows-repeated="1048000"><table:covered-table-cell '
    'office:value-type="float" office:value="1" table:number-columns-repeated="1024"/></table:table-row>',
    "formula_cells": '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:formula="of:=1" '
    'table:number-columns-repeated="1024"/></table:table-row>',
    "gt_in_earlier_value": '<table:table-row table:style-name="a>b" table:number-rows-repeated="1048000">'
    '<table:table-cell table:style-name="a>b" office:value-type="float" office:value="1" '
    'table:number-columns-repeated="1024"/></table:table-row>',
}


def _ods_with(row: str, before: str = "</table:table>") -> bytes:
    base = wf.ods_bytes(wf.submission_sheets())
    content = zipfile.ZipFile(io.BytesIO(base)).read("content.xml").decode()
    content = content.replace(before, row + before, 1)
    return wf._replace_member(base, "content.xml", content.encode())


def test_ods_grid_is_rows_times_the_widest_row(tmp_path):
    """calamine pads every ODS row to the widest and reads every table when it opens the file: one row of
    12,000 values and 12,000 rows of one value (a 7 KB file, no repeat count) asked for 3.2 GB and
    aborted the process."""
    cell = '<table:table-cell office:value-type="float" office:value="1"/>'
    wide = "<table:table-row>" + cell * 12_000 + "</table:table-row>"
    tall = ("<table:table-row>" + cell + "</table:table-row>") * 12_000
    found = verdicts(_write(tmp_path, {"wide_then_tall.ods": _ods_with(wide + tall)}))
    _assert_refused(found, ["wide_then_tall.ods"], "file.too_large_any")


def test_ods_repeats_are_counted_however_they_are_spelled(tmp_path):
    files = {f"{name}.ods": _ods_with(row) for name, row in ODS_FAR_ROW.items()}
    # LibreOffice pads every sheet with empty repeated rows and cells: those are not read, not refused
    files["empty_padding.ods"] = _ods_with(
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>')
    found = verdicts(_write(tmp_path, files))
    _assert_refused(found, [f"{name}.ods" for name in ODS_FAR_ROW], "file.too_large_any")
    assert not [i for i in found["empty_padding.ods"]["issues"] if i["code"].startswith("file.")]


# --- xls and xlsb: real files from the wild corpus with one cell record moved --------------------------

needs_corpus = pytest.mark.skipif(not WILD.is_dir(), reason="wild corpus folder absent")


def _biff_record(typ: int, body: bytes) -> bytes:
    return struct.pack("<HH", typ, len(body)) + body


def test_biff_cells_are_bounded_by_their_records_not_by_dimensions():
    bof = _biff_record(0x0809, struct.pack("<HHHH", 0x0600, 0x0010, 0, 0))
    dims = _biff_record(0x0200, struct.pack("<IIHHH", 0, 2, 0, 2, 0))  # claims A1:B2
    eof = _biff_record(0x000A, b"")

    def number(row: int, col: int) -> bytes:
        return _biff_record(0x0203, struct.pack("<HHHd", row, col, 0, 1.0))

    small = bof + dims + number(0, 0) + number(1, 1) + eof
    too_large = "file.too_large_any"
    assert area.biff_excess(small) is None
    assert area.biff_excess(bof + dims + number(0, 0) + number(65535, 255) + eof) == (
        too_large, {"rows": 65536, "columns": 256})
    mulrk = _biff_record(0x00BD, struct.pack("<HH", 9000, 0) + b"\0" * 6 * 2 + struct.pack("<H", 255))
    assert area.biff_excess(bof + dims + mulrk + eof) == (too_large, {"rows": 9001, "columns": 256})
    # calamine counts rows as last - first, unsigned: a first row past the last wraps to ~4 billion
    reversed_dims = _biff_record(0x0200, struct.pack("<IIHHH", 5, 3, 0, 1, 0))
    assert area.biff_excess(bof + reversed_dims + number(0, 0) + eof) == (too_large, {"rows": 1 << 32, "columns": 1})
    # every sheet of an xls is held at once: many modest sheets add up
    modest = bof + number(0, 0) + number(1999, 199) + eof  # 400,000 cells
    assert area.biff_excess(modest * 21) is not None and area.biff_excess(modest * 3) is None


@needs_corpus
def test_xls_cell_past_its_dimensions_is_refused(tmp_path):
    data = bytearray((WILD / "SimpleWithFormula.xls").read_bytes())
    at = max(m.start() for m in re.finditer(rb"\x03\x02\x0e\x00|\xfd\x00\x0a\x00", data))  # NUMBER, LABELSST
    struct.pack_into("<HH", data, at + 4, 65535, 255)
    found = verdicts(_write(tmp_path, {"far_number.xls": bytes(data)}))
    _assert_refused(found, ["far_number.xls"], "file.too_large_any")


@needs_corpus
def test_xls_dimensions_with_rows_reversed_are_refused(tmp_path):
    data = bytearray((WILD / "SimpleWithFormula.xls").read_bytes())
    at = bytes(data).find(b"\x00\x02\x0e\x00")  # the first DIMENSIONS record (BIFF8)
    struct.pack_into("<II", data, at + 4, 5, 3)
    found = verdicts(_write(tmp_path, {"dimensions_reversed.xls": bytes(data)}))
    _assert_refused(found, ["dimensions_reversed.xls"], "file.too_large_any")


@needs_corpus
def test_xlsb_is_refused_with_the_way_to_save_it(tmp_path):
    """calamine reads .xlsb cell records unbounded and the upload page never offered the format."""
    files = {name: (WILD / name).read_bytes() for name in ("date.xlsb", "sample.xlsb")}
    files["saved_as_xlsx.xlsx"] = files["date.xlsb"]  # the bytes decide, not the name
    found = verdicts(_write(tmp_path, files))
    _assert_refused(found, list(files), "file.xlsb")
    assert ".xlsx" in found["date.xlsb"]["issues"][0]["id"]


def _past_the_header_fat(cell: bytes) -> bytes:
    """An .xls whose sheet holds `cell` after 7.5 MB of records no reader places (drawing records): the
    header lists the FAT sectors of the first 7.1 MB only, so the rest is found through DIFAT sectors."""
    padding = struct.pack("<HH", 0x00EC, 8000) + bytes(8000)
    stream = wf.biff8_stream([(0, 0, 0)], ["halo"], extra=padding * 940 + cell)
    data = wf.ole_bytes(stream)
    assert struct.unpack_from("<I", data, 0x48)[0] > 0  # DIFAT sectors in use
    return data


def test_xls_cells_past_the_header_fat_are_read_and_bounded(tmp_path):
    """A large .xls chains its FAT through DIFAT sectors: the bound follows them as calamine does, so a
    far cell there is refused and a near one is read."""
    near = reader.open_workbook(_past_the_header_fat(wf.biff_number(5, 3, 42.0))).grid("Lembar1")
    assert near.rows[0][0] == "halo" and near.rows[5][3] == 42.0
    files = {"far_cell_past_header_fat.xls": _past_the_header_fat(wf.biff_number(65535, 65535))}
    found = verdicts(_write(tmp_path, files))
    _assert_refused(found, list(files), "file.too_large_any")


def test_xls_with_both_workbook_streams_is_bounded_in_each(tmp_path):
    """A BIFF8 file names its stream "Workbook", a BIFF5 file "Book". calamine reads "Workbook" when both
    are there; the bound takes both, so a far cell in either is refused (no real file holds the two)."""
    near = wf.biff8_stream([(0, 0, 0)], ["halo"])
    far = wf.biff8_stream([(0, 0, 0)], ["halo"], extra=wf.biff_number(65535, 65535))
    assert reader.open_workbook(wf.ole_bytes(near, beside=("Book", near))).grid("Lembar1").rows == [["halo"]]
    files = {
        "far_in_workbook_beside_book.xls": wf.ole_bytes(far, beside=("Book", near)),
        "far_in_book_beside_workbook.xls": wf.ole_bytes(near, beside=("Book", far)),
    }
    found = verdicts(_write(tmp_path, files))
    _assert_refused(found, list(files), "file.too_large_any")


def test_xls_streams_are_found_as_calamine_finds_them(tmp_path):
    """The container and the sheet may be written so that calamine reads a stream, or records, that a
    plain reading of the directory and the sheet would skip: a name cut at a NUL, a header claiming a
    larger mini-stream cutoff (calamine keeps 4096), a chart substream inside the sheet before the far
    cell. Each carries one NUMBER cell at row 65536, column 65536."""
    far = wf.biff_number(65535, 65535)
    stream = wf.biff8_stream([(0, 0, 0)], ["halo"], extra=far)
    stream += b"\x00" * (6000 - len(stream))  # past 4096: calamine reads it from the regular sectors
    files = {
        "name_cut_at_nul.xls": wf.ole_bytes(stream, name="Workbook\x00X"),
        "cutoff_claimed_8192.xls": wf.ole_bytes(stream, cutoff=8192),
        "chart_before_far_cell.xls": wf.ole_bytes(wf.biff8_stream([(0, 0, 0)], ["halo"],
                                                                  extra=wf.biff_substream() + far)),
    }
    found = verdicts(_write(tmp_path, files))
    _assert_refused(found, list(files), "file.too_large_any")
