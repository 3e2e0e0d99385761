"""calamine is handed a sheet without the rows after its last cell with content when those rows hold
nothing (`sheet_tail`): it must read exactly the grid it reads from the whole sheet."""

from __future__ import annotations

import io
import zipfile

import python_calamine as pc
import workbook_factory as wf
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_stored_copy import _with_crc

from kesbang.devtools import bench
from kesbang.intake import reader
from kesbang.intake.loader import load_submission

SHEET = "xl/worksheets/sheet1.xml"  # the Identitas sheet of wf.submission_bytes()
HEAD = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Uraian</t></is></c><c r="B1" t="n"><v>5</v></c></row>')
FOOT = '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75"/></worksheet>'


def _empty_rows(first: int, count: int, cells: int = 6) -> str:
    return "".join(
        f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}" s="1" t="n"/>' for c in range(cells)) + "</row>"
        for r in range(first, first + count)
    )


def _workbook(xml: str) -> bytes:
    return wf._replace_member(wf.submission_bytes(), SHEET, xml.encode())


def _calamine_grid(data: bytes) -> list[list] | str:
    """What calamine reads from the whole upload ("error" when it refuses it)."""
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return book.get_sheet_by_name("Identitas").to_python(skip_empty_area=False)
    except BaseException:  # noqa: BLE001 (calamine's errors and panics alike)
        return "error"


def _reader_grid(data: bytes) -> tuple[list[list] | str, bool]:
    """What the reader reads, and whether calamine was handed the sheet trimmed."""
    try:
        wb = reader.open_workbook(data)
        return wb.grid("Identitas").rows, bool(wb._trimmed)
    except reader.ReadProblem:
        return "error", False


def test_the_templates_formatted_rows_are_not_handed_to_calamine():
    data = bench.workbook_bytes(bench.build_submission("62.01", 2025))
    wb = reader.open_workbook(data)
    trimmed = {key: body for key, (_, _, body) in wb._trimmed.items()}
    indicators = wb.sheet_paths["Indikator"]
    assert indicators in trimmed
    assert len(trimmed[indicators]) < 0.8 * len(wb._handed[indicators][1])
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in wb.sheet_names:
        assert wb.grid(name).rows == book.get_sheet_by_name(name).to_python(skip_empty_area=False), name
    assert load_submission(data, "62.01_2025.xlsx").ok


def test_a_value_after_the_empty_rows_is_kept():
    xml = HEAD + _empty_rows(2, 60) + '<row r="70"><c r="C70" t="n"><v>9</v></c></row>' + FOOT
    rows, trimmed = _reader_grid(_workbook(xml))
    assert not trimmed and rows[69][2] == 9.0


def test_empty_rows_are_trimmed_and_read_as_calamine_reads_them():
    data = _workbook(HEAD + _empty_rows(2, 60) + FOOT)
    rows, trimmed = _reader_grid(data)
    assert trimmed and rows == _calamine_grid(data) == [["Uraian", 5.0]]


def test_a_trimmed_sheet_with_a_wrong_crc_is_refused_as_calamine_refuses_it():
    data = _workbook(HEAD + _empty_rows(2, 60) + FOOT)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET)
    damaged = _with_crc(data, SHEET, info.CRC ^ 1)
    assert _calamine_grid(damaged) == "error"
    assert [i.code for i in load_submission(damaged, "laporan.xlsx").errors] == ["file.corrupt"]


def test_a_sheet_placed_by_counting_is_trimmed_and_read_the_same():
    """Cells without a reference are placed by counting: none follows the rows trimmed."""
    xml = (HEAD + _empty_rows(2, 60) + FOOT).replace('<c r="B1" t="n">', '<c t="n">').replace(' r="2"', "")
    data = _workbook(xml)
    rows, trimmed = _reader_grid(data)
    assert trimmed and rows == _calamine_grid(data) == [["Uraian", 5.0]]


def test_the_bound_is_found_on_the_sheet_calamine_is_handed():
    far = '<row r="5"><c r="XFD1048576" t="n"><v>1</v></c></row>'
    data = _workbook(HEAD + far + _empty_rows(6, 60) + FOOT)
    assert [i.code for i in load_submission(data, "laporan.xlsx").errors] == ["file.too_large"]
    empty_far = '<row r="5"><c r="XFD1048576" s="1"/></row>'  # read as nothing: the sheet is not far
    assert _reader_grid(_workbook(HEAD + _empty_rows(6, 60) + empty_far + FOOT)) == ([["Uraian", 5.0]], True)


# Things a tail of empty rows may hold, in spellings calamine reads. Each either holds nothing calamine
# reads (a cell closing itself, a row, white space, a comment) or must stop the trim (a value, a cell
# closed by `</c >`, text in CDATA holding the markup the trim looks for).
_ITEMS = st.sampled_from([
    '<c r="C{r}" t="str"/>', '<c r="C{r}" t="inlineStr"/>', '<c r="C{r}" t="e"/>', '<c r="C{r}"></c>',
    '<c r="C{r}" t="inlineStr"><is/></c>', '<c r="C{r}" t="str"><v></v></c>', '<c r="C{r}"><v>7</v></c >',
    '<c r="C{r}" t="str"><v><![CDATA[a</c></row><row r="{r}"></row></sheetData>b]]></v></c>',
    "<!-- </c></row> -->", "<![CDATA[ </c></row> ]]>", "<?pi </c></row> ?>", "<?pi x?>",
    '<c r="C{r}" x="a>b"/>', '<c r="C{r}" x="a-b"/>', "\n\t", '<c s="1"/>', '<c t="n"><v>3</v></c>',
    '<c r="C{r}" t="n"><f>1+1</f></c>', '<c r="C{r}" t="e"><v>#N/A</v></c>',
])
_FOOTS = st.sampled_from([FOOT, "</sheetData><!-- --></worksheet>", "</sheetData><!-- </sheetData> --></worksheet>"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(2, 60), _ITEMS), max_size=3), _FOOTS)
@example([], FOOT)
@example([(40, '<c r="C{r}"><v>7</v></c >')], FOOT)  # a value closed with a space is not missed
@example([(40, '<c r="C{r}" t="str"><v><![CDATA[a</c></row><row r="{r}"></row></sheetData>b]]></v></c>')], FOOT)
@example([(30, "<!-- </c></row> -->")], FOOT)  # a comment, a CDATA section, a processing instruction
@example([(30, "<![CDATA[ </c></row> ]]>")], FOOT)  # each holding the markup the span is found by
@example([(30, "<?pi </c></row> ?>")], FOOT)
def test_the_trimmed_sheet_reads_as_the_whole_sheet(items, foot):
    rows = {r: _empty_rows(r, 1) for r in range(2, 61)}
    for r, item in items:
        rows[r] = rows[r].replace("</row>", item.replace("{r}", str(r)) + "</row>")
    data = _workbook(HEAD + "".join(rows.values()) + foot)
    assert _reader_grid(data)[0] == _calamine_grid(data)
