"""Downloads: text never becomes a formula (xlsx and CSV); numbers, dates and sheets come out right."""

import csv
import datetime as dt
import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from kesbang.exports.tables import FORMULA_TRIGGERS, escape_csv_text, to_csv, to_xlsx

HOSTILE = ["=1+1", "=HYPERLINK(\"http://evil.example\",\"klik\")", "+62 812 3456", "-2+3", "@SUM(A1:A9)",
           "\tdisembunyikan", "=cmd|' /C calc'!A0", "biasa saja"]


def frame() -> pd.DataFrame:
    n = len(HOSTILE)
    return pd.DataFrame({"narasi": HOSTILE, "peserta": range(n), "capaian": np.linspace(50.5, 120.25, n),
                         "kosong": [np.nan] * n,
                         "tanggal": [dt.date(2026, 8, 17)] * n,
                         "diunggah": [pd.Timestamp("2026-08-17 09:05", tz="UTC")] * n})


def sheet_xml(data: bytes, n: int = 1) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(f"xl/worksheets/sheet{n}.xml").decode()


def test_hostile_text_stays_text_in_xlsx():
    data = to_xlsx(frame())
    assert "<f>" not in sheet_xml(data)  # no formula element anywhere
    ws = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    for i, text in enumerate(HOSTILE, start=2):
        cell = ws.cell(i, 1)
        assert cell.data_type == "s" and cell.value == text
        assert cell.quotePrefix == text.startswith(FORMULA_TRIGGERS)
    # a reader of cached values (what Excel shows) sees the text, not an empty formula result
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Data").to_python()
    assert [r[0] for r in rows[1:]] == HOSTILE


def test_header_styling_types_and_widths():
    data = to_xlsx(frame(), headers={"narasi": "Cerita Perubahan", "peserta": "=Peserta"})
    ws = openpyxl.load_workbook(io.BytesIO(data))["Data"]
    assert [c.value for c in ws[1]][:2] == ["Cerita Perubahan", "=Peserta"]
    assert ws.cell(1, 2).data_type == "s"
    assert ws.cell(1, 1).font.bold and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:F9"
    assert ws.column_dimensions["A"].width > ws.column_dimensions["B"].width
    assert ws.cell(2, 2).value == 0 and ws.cell(2, 2).number_format == "#,##0"
    assert ws.cell(3, 3).value == pytest.approx(frame()["capaian"][1])
    assert ws.cell(3, 3).number_format == "#,##0.00"
    assert ws.cell(2, 4).value is None
    assert ws.cell(2, 5).value == dt.datetime(2026, 8, 17) and ws.cell(2, 5).number_format == "dd/mm/yyyy"
    assert ws.cell(2, 6).value == dt.datetime(2026, 8, 17, 9, 5)


def test_several_sheets_with_unsafe_and_duplicate_names():
    data = to_xlsx({"Indikator": frame(), "Paskibraka/Seleksi [2026]": frame().head(2),
                    "indikator": frame().head(1), "x" * 40: pd.DataFrame({"a": [1]})})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Indikator", "Paskibraka Seleksi  2026", "indikator (2)", "x" * 31]
    assert wb["indikator (2)"].max_row == 2


def test_empty_frame_still_makes_a_workbook():
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(pd.DataFrame({"a": []}))))
    assert [c.value for c in wb.active[1]] == ["a"]


def test_csv_escapes_formula_text_but_not_numbers():
    data = to_csv(frame())
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["narasi", "peserta", "capaian", "kosong", "tanggal", "diunggah"]
    for text, written in zip(HOSTILE, rows[1:]):
        assert written[0] == ("'" + text if text.startswith(FORMULA_TRIGGERS) else text)
    assert rows[1][3] == "" and rows[1][4] == "2026-08-17"
    negative = to_csv(pd.DataFrame({"selisih": [-5, -2.5]})).decode("utf-8-sig")
    assert negative.splitlines()[1:] == ["-5.0", "-2.5"] or negative.splitlines()[1:] == ["-5", "-2.5"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30).map(lambda s: s.replace("\r", "")), min_size=1, max_size=8))
def test_any_text_reads_back_as_the_same_text(texts):
    data = to_xlsx(pd.DataFrame({"t": texts}))
    assert "<f>" not in sheet_xml(data)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    for i, text in enumerate(texts, start=2):
        cell = ws.cell(i, 1)
        expected = "".join(ch for ch in text
                           if ch in "\t\n" or ord(ch) >= 32 and not 0xD800 <= ord(ch) <= 0xDFFF)
        if expected == "":
            continue
        assert cell.data_type == "s" and cell.value == expected
    for text in texts:
        assert not str(escape_csv_text(text)).startswith(FORMULA_TRIGGERS)


def test_category_column_is_painted_with_the_palette():
    from kesbang.charts import palette
    from kesbang.i18n import t

    df = pd.DataFrame({"wilayah": ["A", "B", "C", "D"],
                       "kategori": ["ST", t("category.SR", "id"), None, "=ST"]})
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(df))).active
    assert ws["B2"].fill.fgColor.rgb.endswith(palette.CATEGORY_COLORS["ST"].lstrip("#").upper())
    assert ws["B2"].font.color.rgb.endswith(palette.CATEGORY_TEXT["ST"].lstrip("#").upper())
    assert ws["B3"].fill.fgColor.rgb.endswith(palette.CATEGORY_COLORS["SR"].lstrip("#").upper())
    assert ws["B3"].value == t("category.SR", "id")
    assert ws["B4"].value is None
    assert ws["B5"].value == "=ST" and ws["B5"].data_type == "s" and ws["B5"].fill.fill_type is None
