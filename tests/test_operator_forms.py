"""The forms operators really send, built the way they damage them: the authentic Permendagri 86 E.81
wording over a three-row header with its "(1) (2) (3)" row, codes merged down over their rows,
realisations typed as Excel percentages, numbers typed as text, template rows left empty, and the
project's own layout saved as .xls. Expected values are worked by hand from docs/METRICS.md."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest

from kesbang import dataset
from kesbang.analysis import metrics
from kesbang.intake.loader import load_submission

IDENT = [
    ("Provinsi", "Kalimantan Tengah"),
    ("Kode Wilayah (Kemendagri)", "62.02"),
    ("Kabupaten/Kota", "Kotawaringin Timur"),
    ("Tahun", 2026),
    ("Periode Pelaporan", "TW III"),
    ("Periode RPJMD", "2025-2029"),
    ("Tanggal", dt.date(2026, 10, 10)),
]

# the E.81 columns, left to right; Level … Jenis Ukuran are the project's own additions to the form
COLUMNS = ["kode_program", "kode_kegiatan", "nama", "kode_indikator", "indikator", "level", "satuan",
           "polaritas", "akumulasi", "jenis", "target", "pagu", "k1", "rp1", "k2", "rp2", "k3", "rp3", "k4", "rp4",
           "pendorong"]
SINGLE = ["Kode Program", "Kode Kegiatan", "Urusan/Program/Kegiatan", "Kode Indikator",
          "Indikator Kinerja Program (Outcome)/Kegiatan (Output)", "Level", "Satuan", "Polaritas",
          "Jenis Akumulasi", "Jenis Ukuran"]


def col(key: str) -> int:
    return COLUMNS.index(key) + 1


def row(code: str, name: str, unit: str, rollup: str, target: Any, k: list[Any], **more: Any) -> dict[str, Any]:
    out = {"kode_program": "8.01.02", "kode_kegiatan": "8.01.02.2.01", "nama": "Pembinaan wawasan kebangsaan",
           "kode_indikator": code, "indikator": name, "level": "kegiatan", "satuan": unit, "polaritas": "positif",
           "akumulasi": rollup, "jenis": "kuantitatif", "target": target, "pagu": None, "pendorong": None}
    out.update({f"k{q}": v for q, v in enumerate(k + [None] * (4 - len(k)), start=1)})
    out.update({f"rp{q}": None for q in range(1, 5)})
    out.update(more)
    return out


def e81_form(rows: list[dict[str, Any]], *, percent: tuple[tuple[int, str], ...] = (), merge_codes: bool = False,
             sheet: str = "Evaluasi Renja", numbers: list[Any] | None = None, gap: bool = False) -> bytes:
    """Identitas plus the E.81 form: title rows, "Target Kinerja dan Anggaran Renja Tahun 2026" over
    K | Rp, "Realisasi Kinerja Pada Triwulan" over I … IV over K | Rp, the column-number row, a program
    section row, then `rows`. `percent`: (row index, key) cells given the "0.0%" number format;
    `merge_codes`: Kode Program and Kode Kegiatan merged down over rows that share them, blank below;
    `numbers`: the column-number row's cells; `gap`: a blank row between the header and that row."""
    wb = openpyxl.Workbook()
    ident = wb.active
    ident.title = "Identitas"
    for label, value in IDENT:
        ident.append([label, value])
    ws = wb.create_sheet(sheet)
    ws.append(["EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH LINGKUP KABUPATEN KOTAWARINGIN TIMUR"])
    ws.append(["Renja Badan Kesbangpol Kabupaten Kotawaringin Timur Periode Pelaksanaan: Tahun 2026"])
    ws.append([])
    top = 4
    ws.append(SINGLE + ["Target Kinerja dan Anggaran Renja Tahun 2026", None, "Realisasi Kinerja Pada Triwulan"]
              + [None] * 7 + ["Faktor Pendorong"])
    ws.append([None] * 12 + ["I", None, "II", None, "III", None, "IV", None])
    ws.append([None] * 10 + ["K", "Rp"] * 5)
    for c in list(range(1, 11)) + [col("pendorong")]:
        ws.merge_cells(start_row=top, start_column=c, end_row=top + 2, end_column=c)
    ws.merge_cells(start_row=top, start_column=col("target"), end_row=top + 1, end_column=col("pagu"))
    ws.merge_cells(start_row=top, start_column=col("k1"), end_row=top, end_column=col("rp4"))
    for q in range(1, 5):
        ws.merge_cells(start_row=top + 1, start_column=col(f"k{q}"), end_row=top + 1, end_column=col(f"rp{q}"))
    if gap:
        ws.append([])
    ws.append(numbers or [f"({n})" for n in range(1, len(COLUMNS) + 1)])
    ws.append([None, None, "PROGRAM PEMBINAAN DAN PENGEMBANGAN KETAHANAN EKONOMI, SOSIAL DAN BUDAYA"])
    first = ws.max_row + 1
    for r in rows:
        ws.append([r[k] for k in COLUMNS])
    for i, key in percent:
        ws.cell(first + i, col(key)).number_format = "0.0%"
    if merge_codes:
        for key in ("kode_program", "kode_kegiatan"):
            start = 0
            for i in range(1, len(rows) + 1):
                if i == len(rows) or rows[i][key] != rows[start][key]:
                    if i - start > 1:
                        ws.merge_cells(start_row=first + start, start_column=col(key),
                                       end_row=first + i - 1, end_column=col(key))
                    start = i
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def computed(result) -> dict[str, dict[str, Any]]:
    """Per indicator code: the roll-up s.d. TW III, capaian, kategori and serapan the dashboard shows."""
    assert result.submission is not None, [i.code for i in result.issues]
    frame = metrics.compute(dataset.from_submissions([(result.submission, {})]).indicators, upto_quarter=3)
    return {r["kode_indikator"]: r for r in frame.to_dict("records")}


def codes(result, severity: str | None = None) -> list[str]:
    return [i.code for i in result.issues if severity is None or i.severity == severity]


PEOPLE = row("IK-01", "Jumlah peserta pembinaan wawasan kebangsaan", "Orang", "kumulatif", 120, ["30", "25", "35"],
             pagu="Rp 50.000.000", rp1="10.000.000", rp2="12.000.000", rp3="15.000.000")
SHARE = row("IK-02", "Persentase ormas yang menyampaikan laporan keberadaan", "Persen", "persentase", 80,
            [62, 70, 73.9])


def test_the_authentic_e81_wording_and_its_column_number_row():
    result = load_submission(e81_form([PEOPLE, SHARE]), "kotim-e81.xlsx")
    assert codes(result, "error") == []
    assert not any(i.value and i.value.startswith("(") for i in result.issues)  # "(8)" is never read as data
    got = computed(result)
    # IK-01, kumulatif: R = 30 + 25 + 35 = 90 (typed as text); capaian = 90 / 120 × 100 = 75 -> S (66–<76)
    assert got["IK-01"]["realisasi"] == 90 and got["IK-01"]["capaian"] == pytest.approx(75.0)
    assert got["IK-01"]["kategori"] == "S"
    # budget: (10 + 12 + 15) million of a 50 million pagu = 74 %
    assert got["IK-01"]["serapan"] == pytest.approx(74.0)
    # IK-02, persentase: R = the last reported quarter = 73.9; capaian = 73.9 / 80 × 100 = 92.375 -> ST (≥ 91)
    assert got["IK-02"]["realisasi"] == pytest.approx(73.9)
    assert got["IK-02"]["capaian"] == pytest.approx(92.375) and got["IK-02"]["kategori"] == "ST"


def test_a_column_number_row_after_a_blank_row_with_computed_columns_is_skipped():
    numbers = [*range(1, 13), *(f"({n})" for n in range(13, 21)), "(21) = (13)+(15)+(17)"]
    result = load_submission(e81_form([PEOPLE, SHARE], numbers=numbers, gap=True), "kotim-e81.xlsx")
    assert codes(result, "error") == [] and codes(result, "warning") == []
    assert sorted(computed(result)) == ["IK-01", "IK-02"]


# IK-02 again, its quarters typed as Excel percentages: 0.62, 0.70, 0.739 shown "62,0%", "70,0%", "73,9%"
SHARE_AS_PERCENT = {**SHARE, "k1": 0.62, "k2": 0.7, "k3": 0.739}
PERCENT_QUARTERS = ((1, "k1"), (1, "k2"), (1, "k3"))


def test_percent_formatted_quarters_read_as_the_percent_shown():
    result = load_submission(e81_form([PEOPLE, SHARE_AS_PERCENT], percent=PERCENT_QUARTERS), "kotim.xlsx")
    assert codes(result, "error") == [] and codes(result, "warning") == []
    note = [i for i in result.issues if i.code == "v.percent.scaled"]
    assert len(note) == 1 and note[0].params["count"] == 3 and note[0].params["cells"] == "M10, O10, Q10"
    got = computed(result)["IK-02"]
    # R = the last reported quarter, shown "73,9%" = 73.9; capaian = 73.9 / 80 × 100 = 92.375 -> ST;
    # read as stored (0.739) it would have been 0.739 / 80 × 100 = 0.92 -> SR
    assert got["realisasi"] == pytest.approx(73.9) and got["capaian"] == pytest.approx(92.375)
    assert got["kategori"] == "ST"
    assert [got[f"realisasi_tw{q}"] for q in (1, 2, 3)] == pytest.approx([62.0, 70.0, 73.9])


def test_a_percent_formatted_target_reads_the_same_way_as_its_quarters():
    share = {**SHARE_AS_PERCENT, "target": 0.8}  # "80%"
    result = load_submission(e81_form([PEOPLE, share], percent=((1, "target"), *PERCENT_QUARTERS)), "k.xlsx")
    assert codes(result, "error") == [] and codes(result, "warning") == []
    got = computed(result)["IK-02"]
    # T = 80 (shown "80,0%"), R = 73.9: capaian = 73.9 / 80 × 100 = 92.375, the same as typed plainly
    assert (got["target_min"], got["target_text"]) == (80.0, "80")
    assert got["capaian"] == pytest.approx(92.375) and got["kategori"] == "ST"


def test_ambiguous_percent_readings_warn_by_cell_and_keep_the_value_typed():
    # IK-02: TW I typed 0.62 as a plain number beside formatted TW II and TW III
    share = {**SHARE_AS_PERCENT}
    # IK-01 counts people: a percentage format there is not the unit's
    people = {**PEOPLE, "k1": 0.3}
    result = load_submission(e81_form([people, share], percent=((0, "k1"), (1, "k2"), (1, "k3"))), "k.xlsx")
    warned = {(i.code, i.cell) for i in result.issues if i.severity == "warning"}
    assert warned == {("v.percent.unit_not_percent", "M9"), ("v.percent.mixed", "M10")}
    got = computed(result)
    assert got["IK-01"]["realisasi_tw1"] == pytest.approx(0.3)  # as stored, never rescaled silently
    assert got["IK-02"]["realisasi_tw1"] == pytest.approx(0.62)
    assert got["IK-02"]["realisasi_tw3"] == pytest.approx(73.9)


def test_codes_merged_down_over_their_rows_are_filled_from_the_top_cell():
    third = row("IK-03", "Jumlah kegiatan forum kewaspadaan dini", "Kegiatan", "kumulatif", 12, [3, 3, 4])
    rows = [PEOPLE, SHARE, third]  # one program, one activity: merged down over three rows
    result = load_submission(e81_form(rows, merge_codes=True), "kotim-merged.xlsx")
    assert codes(result, "error") == []
    note = [i for i in result.issues if i.code == "v.merged.filled"]
    assert len(note) == 1 and note[0].params["count"] == 4 and note[0].params["cells"] == "A10, A11, B10, B11"
    ind = result.submission.indikator.set_index("kode_indikator")
    assert list(ind["kode_program"]) == ["8.01.02"] * 3
    assert list(ind["kode_kegiatan"]) == ["8.01.02.2.01"] * 3
    # IK-03, kumulatif: R = 3 + 3 + 4 = 10; capaian = 10 / 12 × 100 = 83.33 -> T (76–<91)
    got = computed(result)["IK-03"]
    assert got["capaian"] == pytest.approx(1000 / 12) and got["kategori"] == "T"


def test_template_rows_left_empty_are_skipped_with_one_warning():
    untouched = [row(f"IK-{n:02d}", f"Indikator templat {n}", "Orang", "kumulatif", None, []) for n in range(3, 9)]
    for r in untouched:
        r["pagu"] = None
    result = load_submission(e81_form([PEOPLE, *untouched, SHARE]), "kotim-template.xlsx")
    assert codes(result, "error") == []
    left = [i for i in result.issues if i.code == "v.row.left_empty"]
    assert len(left) == 1 and left[0].severity == "warning"
    assert (left[0].params["count"], left[0].params["rows"]) == (6, "10, 11, 12, 13, 14 …")
    assert sorted(computed(result)) == ["IK-01", "IK-02"]
    # a row with a realisation but no target is not "left empty": its missing target is an error
    half = row("IK-09", "Indikator tanpa target", "Orang", "kumulatif", None, [5])
    result = load_submission(e81_form([PEOPLE, half]), "kotim-half.xlsx")
    assert [(i.code, i.cell) for i in result.errors] == [("v.cell.required", "K10")]


def test_codes_merged_down_in_an_ods_are_filled_from_the_top_cell():
    """python-calamine gives no merged ranges for .ods: they are read from the file's own spans."""
    third = row("IK-03", "Jumlah kegiatan forum kewaspadaan dini", "Kegiatan", "kumulatif", 12, [3, 3, 4])
    xlsx = e81_form([PEOPLE, SHARE, third], merge_codes=True)
    result = load_submission(_saved_as("ods", xlsx), "kotim-merged.ods")
    assert result.kind == "ods" and codes(result, "error") == []
    note = [i for i in result.issues if i.code == "v.merged.filled"]
    assert len(note) == 1 and note[0].params["cells"] == "A10, A11, B10, B11"
    ind = result.submission.indikator
    assert list(ind["kode_program"]) == ["8.01.02"] * 3 and list(ind["kode_kegiatan"]) == ["8.01.02.2.01"] * 3
    # IK-03, kumulatif: R = 3 + 3 + 4 = 10 of T 12: 83.33 -> T (76–<91)
    got = computed(result)["IK-03"]
    assert got["capaian"] == pytest.approx(1000 / 12) and got["kategori"] == "T"


def _as_xls(wb: openpyxl.Workbook, merge: dict[str, list[tuple[int, int, int]]] | None = None) -> bytes:
    """The same workbook saved as Excel 97-2003 (.xls, BIFF8) with xlwt, cell by cell: dates keep a date
    format and percentages their percentage format; `merge` (sheet -> (first row, last row, column),
    0-based) merges cells down as Excel does, leaving only the top cell's value."""
    import xlwt

    book = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for ws in wb.worksheets:
        out = book.add_sheet(ws.title)
        if ws.sheet_state != "visible":
            out.visibility = 1
        covered = {(r, c) for r0, r1, c in (merge or {}).get(ws.title, []) for r in range(r0 + 1, r1 + 1)}
        for r, cells in enumerate(ws.iter_rows()):
            for c, cell in enumerate(cells):
                value = cell.value
                if value is None or (r, c) in covered:
                    continue
                if isinstance(value, dt.date):
                    out.write(r, c, value, date_style)
                elif "%" in cell.number_format:  # the percentage format, as Excel saves it in the XF record
                    out.write(r, c, value, xlwt.easyxf(num_format_str=cell.number_format))
                else:
                    out.write(r, c, value)
        for r0, r1, c in (merge or {}).get(ws.title, []):
            out.merge(r0, r1, c, c)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def wf_percent(cell) -> Any:
    """A cell's value for the .ods writer: a number shown as a percentage becomes a percentage cell."""
    import workbook_factory as wf

    if isinstance(cell.value, int | float) and "%" in cell.number_format:
        return wf.Percent(cell.value)
    return cell.value


def _as_ods(wb: openpyxl.Workbook) -> bytes:
    """The same workbook as LibreOffice saves it in .ods, merged cells included."""
    import workbook_factory as wf

    merged = {ws.title: [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
              for ws in wb.worksheets}
    return wf.ods_bytes({ws.title: [[wf_percent(c) for c in row] for row in ws.iter_rows()] for ws in wb.worksheets},
                        merged)


def _saved_as(kind: str, xlsx: bytes) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    return _as_xls(wb) if kind == "xls" else _as_ods(wb)


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_percent_formatted_quarters_in_xls_and_ods_read_as_in_xlsx(kind):
    data = _saved_as(kind, e81_form([PEOPLE, SHARE_AS_PERCENT], percent=PERCENT_QUARTERS))
    result = load_submission(data, f"kotim.{kind}")
    assert result.kind == kind
    assert codes(result, "error") == [] and codes(result, "warning") == []
    note = [i for i in result.issues if i.code == "v.percent.scaled"]
    assert len(note) == 1 and note[0].params["cells"] == "M10, O10, Q10"
    got = computed(result)["IK-02"]
    # as in the .xlsx: R = the last reported quarter, shown "73,9%" = 73.9; 73.9 / 80 × 100 = 92.375 -> ST
    assert got["realisasi"] == pytest.approx(73.9) and got["capaian"] == pytest.approx(92.375)
    assert got["kategori"] == "ST"
    assert [got[f"realisasi_tw{q}"] for q in (1, 2, 3)] == pytest.approx([62.0, 70.0, 73.9])


def _with_repeats(ods: bytes) -> bytes:
    """The .ods as LibreOffice writes it: a run of empty cells as one cell repeated, two empty rows as
    one row repeated twice."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(ods))
    content = src.read("content.xml").decode()
    content = re.sub(r"(?:<table:table-cell/>){2,}", lambda m: '<table:table-cell table:number-columns-repeated='
                     f'"{m[0].count("<table:table-cell/>")}"/>', content)
    two = "<table:table-row></table:table-row>" * 2
    assert two in content
    content = content.replace(two, '<table:table-row table:number-rows-repeated="2"><table:table-cell/>'
                                   "</table:table-row>", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, content if info.filename == "content.xml" else src.read(info))
    return out.getvalue()


def test_percent_cells_of_an_ods_are_placed_through_its_repeat_counts():
    # IK-02 without TW I: Pagu, TW I K and TW I Rp empty before the "70,0%" of TW II (one repeated cell);
    # two empty rows above the title (one repeated row): every cell sits two rows lower than in the xlsx
    share = {**SHARE_AS_PERCENT, "k1": None}
    wb = openpyxl.load_workbook(io.BytesIO(e81_form([PEOPLE, share], percent=((1, "k2"), (1, "k3")))))
    import workbook_factory as wf

    sheets = {ws.title: [[wf_percent(c) for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
    sheets["Evaluasi Renja"] = [[], [], *sheets["Evaluasi Renja"]]
    result = load_submission(_with_repeats(wf.ods_bytes(sheets)), "kotim.ods")
    assert codes(result, "error") == [] and codes(result, "warning") == ["v.quarter.gap"]  # TW I is missing
    note = [i for i in result.issues if i.code == "v.percent.scaled"]
    assert len(note) == 1 and note[0].params["cells"] == "O12, Q12"
    got = computed(result)["IK-02"]
    # R = the last reported quarter, 73.9 of T 80: 92.375 -> ST; TW II read as 70
    assert got["realisasi_tw1"] != got["realisasi_tw1"]  # not reported (NaN)
    assert (got["realisasi_tw2"], got["realisasi_tw3"]) == pytest.approx((70.0, 73.9))
    assert got["capaian"] == pytest.approx(92.375) and got["kategori"] == "ST"


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_percent_readings_in_xls_and_ods_warn_by_cell_where_ambiguous(kind):
    people = {**PEOPLE, "k1": 0.3}  # a percentage format on a count of people
    share = {**SHARE_AS_PERCENT, "target": 0.8}  # "80%", the target formatted too
    data = _saved_as(kind, e81_form([people, share], percent=((0, "k1"), (1, "target"), (1, "k2"), (1, "k3"))))
    result = load_submission(data, f"kotim.{kind}")
    warned = {(i.code, i.cell) for i in result.issues if i.severity == "warning"}
    # TW I of IK-02 typed 0.62 without the format beside formatted cells: kept as typed, warned
    assert warned == {("v.percent.unit_not_percent", "M9"), ("v.percent.mixed", "M10")}
    got = computed(result)
    assert got["IK-01"]["realisasi_tw1"] == pytest.approx(0.3)
    # T = 80 (shown "80,0%"), R = 73.9: capaian 92.375 -> ST
    assert got["IK-02"]["target_min"] == 80.0 and got["IK-02"]["capaian"] == pytest.approx(92.375)


def test_an_xls_workbook_in_the_projects_layout_reads_as_its_xlsx():
    import workbook_factory as wf

    rows = wf.indicator_rows(2)
    rows[1]["kode_program"] = rows[0]["kode_program"]  # one program over both rows, merged down below
    wb = wf.build_submission(indikator=rows)
    xlsx = load_submission(wf.to_bytes(wb), "kotim.xlsx")
    # Indikator: header in row 1 (0-based 0), the two rows 1-2; Kode Program is column A
    xls = load_submission(_as_xls(wb, merge={"Indikator": [(1, 2, 0)]}), "kotim.xls")
    assert xls.kind == "xls" and codes(xls, "error") == []
    assert [i.code for i in xls.issues if i.code != "v.merged.filled"] == [i.code for i in xlsx.issues]
    assert [i.params["count"] for i in xls.issues if i.code == "v.merged.filled"] == [1]
    assert xls.submission.identitas == xlsx.submission.identitas  # the date too
    keys = ["kode_program", "kode_indikator", "target_min", "realisasi_tw4", "pagu"]
    # (xlwt stores each double whole; openpyxl writes 41 × 0.95 as 38.95: equal to the last bits)
    assert xls.submission.indikator[keys].round(9).to_dict("records") == \
        xlsx.submission.indikator[keys].round(9).to_dict("records")
    got = computed_full_year(xls)
    # IK-001, kumulatif, TW IV report: R = 30 + 30 + 30 + 30 = 120, T = 120: capaian 100 -> ST
    assert got["IK-001"]["realisasi"] == 120 and got["IK-001"]["capaian"] == pytest.approx(100.0)
    # IK-002, stok: R = the last quarter, 41 × 0.95 = 38.95; capaian = 38.95 / 41 × 100 = 95 -> ST
    assert got["IK-002"]["realisasi"] == pytest.approx(38.95) and got["IK-002"]["capaian"] == pytest.approx(95.0)
    assert {g["kategori"] for g in got.values()} == {"ST"}


def computed_full_year(result) -> dict[str, dict[str, Any]]:
    frame = metrics.compute(dataset.from_submissions([(result.submission, {})]).indicators)
    return {r["kode_indikator"]: r for r in frame.to_dict("records")}
