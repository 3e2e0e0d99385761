"""The loader and validator on real workbooks written with openpyxl (and hostile files built byte by byte).

Each test asserts what an operator sees: the value read, or the message at the right sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import openpyxl
import pytest
import workbook_factory as wf

from kesbang import schema
from kesbang.i18n import catalogue, issue_message
from kesbang.intake.cells import col_letters
from kesbang.intake.loader import load_rpjmd, load_submission
from kesbang.intake.report import by_sheet, highlighted_copy, issues_frame

WILD = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "wild"


def ref(
    key: str, i: int, spec: schema.SheetSpec = schema.INDIKATOR, order: list[str] | None = None, title_rows: int = 0
) -> str:
    """Excel cell of data row i (0-based) in column `key` as the factory writes it."""
    keys = order or spec.keys
    return f"{col_letters(keys.index(key))}{title_rows + 2 + i}"


def codes(result, severity: str | None = None) -> list[str]:
    return [i.code for i in result.issues if severity is None or i.severity == severity]


def find(result, code: str):
    hits = [i for i in result.issues if i.code == code]
    assert hits, f"{code} not reported; got {[(i.code, i.cell) for i in result.issues]}"
    return hits


def assert_translated(result) -> None:
    for i in result.issues:
        for lang in ("id", "en"):
            text = issue_message(i, lang)
            assert i.code in catalogue(lang), i.code
            assert "{" not in text, (i.code, lang, text)


# --- loading what operators send ------------------------------------------------------------------------


def test_template_layout_loads_with_typed_values():
    result = load_submission(wf.submission_bytes(), "kotim.xlsx")
    assert result.ok, result.issues
    assert result.kind == "xlsx" and len(result.sha256) == 64
    sub = result.submission
    assert sub.region == "62.02" and sub.year == 2025 and sub.period == "TW IV"
    assert sub.identitas["tanggal"] == dt.date(2026, 1, 15)
    assert sub.format_version == schema.FORMAT_VERSION
    ind = sub.indikator
    assert list(ind["row"]) == [2, 3, 4, 5, 6, 7]
    first = ind.iloc[0]
    assert first["kode_subkegiatan"] == "8.01.02.2.01.0001"  # leading zeros kept
    assert first["target_min"] == first["target_max"] == 120 and first["target_text"] == "120"
    assert first["realisasi_tw1"] == 30 and first["pagu"] == 100_000_000
    assert set(ind["akumulasi"]) == {"kumulatif", "stok", "persentase"}
    pas = sub.paskibraka
    assert pas.iloc[0]["tahap"] == "sekolah" and pas.iloc[1]["tahap"] == "pendaftar"
    assert pas.iloc[1]["jumlah"] == 398 and pas.iloc[1]["realisasi_mulai"] == dt.date(2025, 3, 8)
    assert sub.nilai.iloc[0]["tema"] == schema.THEMES[0] and sub.nilai.iloc[0]["peserta"] == 50


def test_evaluation_form_with_title_rows_and_merged_quarter_headers_loads():
    rows = wf.indicator_rows(4)
    result = load_submission(wf.evaluation_form_bytes(rows), "form_e81.xlsx")
    assert result.ok, [(i.code, i.cell) for i in result.errors]
    assert "v.sheet.found_by_header" not in codes(result)  # "Form E.81" is a known name of the form
    ind = result.submission.indikator
    assert len(ind) == 4  # section row, column-number row, blank row and "Jumlah" row skipped
    assert list(ind["row"]) == [9, 10, 11, 12]
    second = ind.iloc[1]
    assert second["indikator"] == rows[1]["indikator"]
    assert second["target_min"] == rows[1]["target"] and second["pagu"] == rows[1]["pagu"]
    for q in range(1, 5):  # "Realisasi Triwulan q" merged over K | Rp
        assert second[f"realisasi_tw{q}"] == pytest.approx(rows[1][f"realisasi_tw{q}"])
        assert second[f"anggaran_tw{q}"] == rows[1][f"anggaran_tw{q}"]
    total = find(result, "v.row.total_skipped")[0]
    assert total.cell == "A14" and total.severity == "info"


def test_evaluation_form_under_any_sheet_name_is_found_by_its_header():
    result = load_submission(wf.evaluation_form_bytes(sheet_name="Sheet1"), "form.xlsx")
    assert result.ok, [(i.code, i.cell) for i in result.errors]
    assert find(result, "v.sheet.found_by_header")[0].sheet == "Sheet1"
    assert len(result.submission.indikator) == 4


def test_shuffled_columns_synonyms_title_rows_and_extra_columns():
    order = list(reversed(schema.INDIKATOR.keys))
    labels = {
        "kode_program": "Kode Prog.",
        "indikator": "Uraian Indikator",
        "satuan": "SAT",
        "polaritas": "Polarisasi",
        "akumulasi": "cara akumulasi",
        "jenis_ukuran": "Jenis pengukuran",
        "target": "Target Kinerja",
        "realisasi_tw1": "Realisasi Triwulan I",
        "anggaran_tw3": "Realisasi Keuangan TW-3",
        "tindak_lanjut": "RTL",
        "kode_indikator": "Kode IK",
    }
    extra = {"Keterangan Tambahan": ["a", "b", "c", "d", "e", "f"]}
    result = load_submission(
        wf.submission_bytes(
            order=order, labels=labels, extra=extra, title_rows=["LAPORAN KINERJA", "Kabupaten Kotawaringin Timur"]
        ),
        "acak.xlsx",
    )
    assert result.ok, [(i.code, i.cell) for i in result.errors]
    ind = result.submission.indikator
    expected = wf.indicator_rows()
    assert list(ind["kode_indikator"]) == [r["kode_indikator"] for r in expected]
    assert list(ind["realisasi_tw1"]) == pytest.approx([r["realisasi_tw1"] for r in expected])
    assert list(ind["anggaran_tw3"]) == [r["anggaran_tw3"] for r in expected]
    assert list(ind["row"]) == [4, 5, 6, 7, 8, 9]
    extra_issue = find(result, "v.column.extra")[0]
    assert extra_issue.column == "Keterangan Tambahan" and extra_issue.severity == "info"
    assert result.submission.extra_columns == {"Indikator": ["Keterangan Tambahan"]}


def test_indonesian_numbers_ranges_and_codes_written_as_text():
    rows = wf.indicator_rows(3)
    rows[0].update(
        target="4,43–4,47",
        pagu="Rp 1.500.000",
        realisasi_tw1="1.234,5",
        baseline="85%",
        kode_subkegiatan="8.01.02.2.01.0008",
    )
    rows[1].update(target="4.43 - 4.47", anggaran_tw1="Rp\u00a020.000.000", realisasi_tw2="12,5")
    result = load_submission(wf.submission_bytes(indikator=rows, identitas={"kode_wilayah": "'6202 "}), "id.xlsx")
    assert result.ok, [(i.code, i.cell) for i in result.errors]
    ind = result.submission.indikator
    assert (ind.iloc[0]["target_min"], ind.iloc[0]["target_max"]) == (4.43, 4.47)
    assert ind.iloc[0]["target_text"] == "4,43–4,47"
    assert ind.iloc[0]["pagu"] == 1_500_000 and ind.iloc[0]["realisasi_tw1"] == 1234.5
    assert ind.iloc[0]["baseline"] == 85 and ind.iloc[0]["kode_subkegiatan"] == "8.01.02.2.01.0008"
    assert (ind.iloc[1]["target_min"], ind.iloc[1]["target_max"]) == (4.43, 4.47)
    assert ind.iloc[1]["anggaran_tw1"] == 20_000_000 and ind.iloc[1]["realisasi_tw2"] == 12.5
    assert result.submission.region == "62.02"


def test_region_from_name_when_code_blank():
    result = load_submission(
        wf.submission_bytes(identitas={"kode_wilayah": None, "nama_wilayah": "Kab. Kapuas"}), "kapuas.xlsx"
    )
    assert result.submission.region == "62.03"


def test_blank_separator_rows_and_trailing_total_row_skipped():
    rows = wf.indicator_rows(3)
    rows.insert(1, {})  # a blank separator row
    rows.append({"kode_program": "JUMLAH", "pagu": 300_000_000})
    result = load_submission(wf.submission_bytes(indikator=rows), "blank.xlsx")
    assert result.ok
    assert list(result.submission.indikator["row"]) == [2, 4, 5]
    assert find(result, "v.row.total_skipped")[0].cell == "A6"


def test_hidden_sheet_is_read_and_reported():
    result = load_submission(wf.submission_bytes(hidden=("paskibraka",)), "hidden.xlsx")
    assert result.ok
    assert len(result.submission.paskibraka) == len(wf.paskibraka_rows())
    assert find(result, "v.sheet.hidden")[0].sheet == "Paskibraka"


def test_ods_input_loads():
    result = load_submission(wf.ods_bytes(wf.submission_sheets()), "laporan.ods")
    assert result.kind == "ods" and result.ok, result.issues
    assert result.submission.indikator.iloc[2]["target_min"] == 87
    assert result.submission.paskibraka.iloc[1]["realisasi_mulai"] == dt.date(2025, 3, 8)


@pytest.mark.skipif(not WILD.is_dir(), reason="wild corpus folder absent")
def test_real_xls_is_read_by_bytes_not_extension():
    data = (WILD / "1900DateWindowing.xls").read_bytes()
    result = load_submission(data, "renamed.xlsx")
    assert result.kind == "xls"
    assert codes(result) == ["v.sheet.missing", "v.sheet.missing"]


# --- each check at its cell --------------------------------------------------------------------------


def test_not_a_number_blank_required_and_na():
    rows = wf.indicator_rows(3)
    rows[0]["realisasi_tw2"] = "dua puluh"
    rows[1]["target"] = None
    rows[2]["realisasi_tw3"] = "n/a"
    result = load_submission(wf.submission_bytes(indikator=rows), "x.xlsx")
    assert not result.ok
    bad = find(result, "v.cell.not_number")[0]
    assert (bad.sheet, bad.cell, bad.value, bad.column) == (
        "Indikator",
        ref("realisasi_tw2", 0),
        "dua puluh",
        "Realisasi TW II (K)",
    )
    required = [i for i in find(result, "v.cell.required") if i.cell == ref("target", 1)]
    assert required and required[0].severity == "error"
    na = find(result, "v.cell.na")[0]
    assert na.severity == "warning" and na.cell == ref("realisasi_tw3", 2)
    assert math.isnan(result.submission.indikator.iloc[2]["realisasi_tw3"])
    assert_translated(result)


def test_target_text_is_a_measurability_warning_kept_as_text():
    rows = wf.indicator_rows(2)
    rows[1]["target"] = "meningkat"
    result = load_submission(wf.submission_bytes(indikator=rows), "x.xlsx")
    assert result.ok  # a warning does not block storage
    w = find(result, "v.target.not_measurable")[0]
    assert w.severity == "warning" and w.cell == ref("target", 1) and w.value == "meningkat"
    row = result.submission.indikator.iloc[1]
    assert row["target_text"] == "meningkat" and math.isnan(row["target_min"]) and math.isnan(row["target_max"])


def test_bad_choices_are_errors_naming_the_allowed_values():
    rows = wf.indicator_rows(2)
    rows[0]["polaritas"] = "ke atas"
    rows[1]["akumulasi"] = "Akumulatif"  # a known spelling: accepted
    rows[1]["jenis_ukuran"] = "survei"
    result = load_submission(wf.submission_bytes(indikator=rows), "x.xlsx")
    cells = {i.cell: i for i in find(result, "v.cell.bad_choice")}
    assert set(cells) == {ref("polaritas", 0), ref("jenis_ukuran", 1)}
    assert "positif, negatif" in issue_message(cells[ref("polaritas", 0)], "en")
    assert result.submission.indikator.iloc[1]["akumulasi"] == "kumulatif"


def test_ambiguous_number_offers_both_readings():
    rows = wf.indicator_rows(1)
    rows[0]["realisasi_tw1"] = "1.234"
    result = load_submission(wf.submission_bytes(indikator=rows), "x.xlsx")
    w = find(result, "v.cell.ambiguous_number")[0]
    assert w.cell == ref("realisasi_tw1", 0) and w.severity == "warning"
    assert w.params["reading"] == "1234" and w.params["other"] == "1.234"
    text = issue_message(w, "en")
    assert "1234" in text and "1.234" in text


def test_duplicate_indicators_name_both_rows():
    rows = wf.indicator_rows(3)
    rows[2]["kode_indikator"] = rows[0]["kode_indikator"]
    rows[2]["kode_subkegiatan"] = rows[0]["kode_subkegiatan"]
    result = load_submission(wf.submission_bytes(indikator=rows), "x.xlsx")
    dup = find(result, "v.indikator.duplicate")[0]
    assert dup.cell == ref("kode_indikator", 2) and dup.params["other_row"] == 2
    assert dup.params["other_cell"] == ref("kode_indikator", 0)
    assert ref("kode_indikator", 0) in issue_message(dup, "id")


def test_a_negative_quarter_and_a_late_quarter_after_a_gap():
    rows = wf.indicator_rows(3)
    rows[0]["realisasi_tw3"] = -5  # kumulatif below zero
    rows[1].update(realisasi_tw1=None, realisasi_tw2=None, realisasi_tw3=None)  # stok: only TW IV, in a TW II report
    result = load_submission(wf.submission_bytes(indikator=rows, identitas={"periode": "TW II"}), "x.xlsx")
    assert [i.cell for i in find(result, "v.quarter.negative")] == [ref("realisasi_tw3", 0)]
    assert ref("realisasi_tw4", 1) in {i.cell for i in find(result, "v.quarter.beyond_period")}
    assert {i.cell for i in find(result, "v.quarter.gap")} >= {ref(f"realisasi_tw{q}", 1) for q in (1, 2, 3)}


def test_quarterly_values_against_rollup_and_period():
    rows = wf.indicator_rows(3)
    rows[2]["realisasi_tw2"] = 130  # persentase above 100
    rows[1]["realisasi_tw2"] = None  # stok with a gap before TW III
    result = load_submission(wf.submission_bytes(indikator=rows, identitas={"periode": "TW III"}), "x.xlsx")
    assert find(result, "v.quarter.percent_range")[0].cell == ref("realisasi_tw2", 2)
    assert find(result, "v.quarter.gap")[0].cell == ref("realisasi_tw2", 1)
    beyond = {i.cell for i in find(result, "v.quarter.beyond_period")}
    assert ref("realisasi_tw4", 0) in beyond  # TW IV filled in a TW III report


def test_unknown_rpjmd_code_is_a_warning_when_codes_are_given():
    data = wf.submission_bytes()
    result = load_submission(data, "x.xlsx", rpjmd_codes={"R.1", "R.2"})
    w = find(result, "v.indikator.unknown_rpjmd")
    assert {i.value for i in w} == {"R.3"} and w[0].severity == "warning" and result.ok
    assert "v.indikator.unknown_rpjmd" not in codes(load_submission(data, "x.xlsx"))


def test_budget_above_pagu():
    rows = wf.indicator_rows(1)
    rows[0]["pagu"] = 50_000_000
    result = load_submission(wf.submission_bytes(indikator=rows), "x.xlsx")
    w = find(result, "v.budget.over_pagu")[0]
    assert w.severity == "warning" and w.cell == ref("anggaran_tw4", 0)
    assert w.params == {"total": "90000000", "pagu": "50000000"}


def test_region_unknown_and_mismatch_and_year_outside_plan():
    result = load_submission(
        wf.submission_bytes(identitas={"kode_wilayah": "99.99", "nama_wilayah": "Atlantis"}), "x.xlsx"
    )
    assert "v.region.unknown_code" in codes(result, "error") and "v.region.unknown" in codes(result, "error")
    assert find(result, "v.region.unknown_code")[0].cell == "B3"  # Identitas: label A, value B; title in row 1
    wrong = load_submission(wf.submission_bytes(identitas={"nama_wilayah": "Kapuas"}), "x.xlsx")
    assert find(wrong, "v.region.name_mismatch")[0].params["region_code"] == "62.02"
    year = load_submission(wf.submission_bytes(identitas={"tahun": 2031}), "x.xlsx")
    y = find(year, "v.identitas.year_outside_plan")[0]
    assert y.cell == "B5" and y.params == {"start": 2025, "end": 2029}


def test_title_row_naming_another_regency():
    result = load_submission(wf.submission_bytes(title_rows=["Laporan Kabupaten Kapuas"]), "x.xlsx")
    m = find(result, "v.region.mismatch")[0]
    assert m.cell == "A1" and m.severity == "error" and "Kapuas" in issue_message(m, "en")


def test_missing_sheet_and_missing_required_column():
    result = load_submission(wf.submission_bytes(omit_sheets=("indikator",)), "x.xlsx")
    assert find(result, "v.sheet.missing")[0].sheet == "Indikator" and result.submission is None
    result = load_submission(wf.submission_bytes(drop=("polaritas",)), "x.xlsx")
    miss = find(result, "v.column.missing")[0]
    assert miss.column == "Polaritas" and not result.ok


def test_paskibraka_funnel_sum_and_dates():
    rows = wf.paskibraka_rows()
    rows[2]["jumlah"] = 500  # lulus kesehatan > pendaftar (398)
    rows[2]["putra"], rows[2]["putri"] = 250, 250
    rows[3]["jumlah"] = 281  # 140 + 140 != 281
    rows[4]["realisasi_selesai"] = rows[4]["realisasi_mulai"] - dt.timedelta(days=3)
    result = load_submission(wf.submission_bytes(paskibraka=rows), "x.xlsx")
    p = schema.PASKIBRAKA
    grows = find(result, "v.paskibraka.funnel_grows")[0]
    assert grows.cell == ref("jumlah", 2, p) and grows.params["other_cell"] == ref("jumlah", 1, p)
    assert find(result, "v.paskibraka.sum_mismatch")[0].cell == ref("jumlah", 3, p)
    assert find(result, "v.paskibraka.dates_reversed")[0].cell == ref("realisasi_selesai", 4, p)
    assert_translated(result)


def test_excel_error_cells_and_formulas_without_result():
    result = load_submission(
        wf.submission_bytes(raw={(1, "realisasi_tw1"): "#DIV/0!", (2, "pagu"): "=SUM(1,2)"}), "x.xlsx"
    )
    err = find(result, "v.cell.excel_error")[0]
    assert (err.cell, err.value, err.severity) == (ref("realisasi_tw1", 1), "#DIV/0!", "error")
    formula = find(result, "v.cell.formula_no_value")[0]
    assert formula.cell == ref("pagu", 2) and formula.value == "=SUM(1,2)"


def test_a_row_of_nothing_but_excel_errors_is_reported_not_skipped():
    """calamine reads an error cell as blank: a row whose every cell is an error looked like a separator
    row and vanished without a word."""
    raw = {(1, col.key): "#N/A" for col in schema.INDIKATOR.columns}
    result = load_submission(wf.submission_bytes(raw=raw), "x.xlsx")
    errors = find(result, "v.cell.excel_error")
    assert {e.cell for e in errors} >= {ref("kode_program", 1), ref("realisasi_tw1", 1)}
    assert not result.ok


def test_every_message_exists_in_both_languages():
    rows = wf.indicator_rows(3)
    rows[0].update(realisasi_tw1="x", polaritas="?", target="naik")
    result = load_submission(wf.submission_bytes(indikator=rows, identitas={"tahun": "dua ribu"}), "x.xlsx")
    assert len(result.issues) >= 4
    assert_translated(result)


# --- hostile and broken files: one clear message each ----------------------------------------------------

HOSTILE = {
    "empty": (lambda: b"", "file.empty"),
    "truncated": (wf.truncated_bytes, "file.corrupt"),
    "html_renamed": (wf.html_renamed_bytes, "file.html"),
    "csv_renamed": (wf.csv_renamed_bytes, "file.csv"),
    "encrypted": (wf.encrypted_ole_bytes, "file.encrypted"),
    "zip_bomb": (wf.zip_bomb_bytes, "file.zip_bomb"),
    "many_members": (wf.many_members_bytes, "file.zip_bomb"),
    "xxe": (wf.xxe_bytes, "file.dtd"),
    "huge_area": (wf.huge_area_bytes, "file.too_large"),
    "unreferenced_cells": (wf.unreferenced_cells_bytes, "file.too_large"),
    "random_bytes": (lambda: bytes(range(256)) * 40, "file.not_workbook"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_gets_one_clear_message(name):
    make, code = HOSTILE[name]
    result = load_submission(make(), f"{name}.xlsx")
    assert [i.code for i in result.issues] == [code]
    assert result.submission is None and not result.ok
    assert_translated(result)


def test_zip_bomb_is_refused_before_inflating():
    import resource

    data = wf.zip_bomb_bytes(600)
    assert len(data) < 2_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    load_submission(data, "bomb.xlsx")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KB: nothing near 600 MB


# --- RPJMD reference workbook ---------------------------------------------------------------------------


def test_rpjmd_reference_loads():
    result = load_rpjmd(wf.rpjmd_bytes(), "rpjmd.xlsx")
    assert result.ok, result.issues
    assert (result.province, result.periode_rpjmd) == ("62", "2025-2029")
    f = result.frame
    assert list(f["kode_rpjmd"]) == ["R.1", "R.2", "R.3"] and set(f["province"]) == {"62"}
    assert f.iloc[0]["target_3"] == "4,43–4,47" and f.iloc[0]["baseline"] == 71


def test_rpjmd_year_headers_map_to_plan_years():
    result = load_rpjmd(wf.rpjmd_bytes(year_headers=True), "rpjmd.xlsx")
    assert result.ok and not result.issues
    assert result.frame.iloc[1]["target_1"] == "71" and result.frame.iloc[1]["target_5"] == "75"


def test_rpjmd_hostile_and_bad_province():
    assert [i.code for i in load_rpjmd(b"", "x.xlsx").issues] == ["file.empty"]
    bad = load_rpjmd(wf.rpjmd_bytes(province="99"), "x.xlsx")
    assert not bad.ok and "v.region.unknown_province" in [i.code for i in bad.issues]


# --- the report -------------------------------------------------------------------------------------------


def test_highlighted_copy_marks_cells_and_keeps_text_as_text():
    rows = wf.indicator_rows(2)
    rows[0]["realisasi_tw2"] = "abc"
    wb = wf.build_submission(indikator=rows)
    cell = wb["Indikator"]["Y3"]
    cell.value, cell.data_type = '=HYPERLINK("http://evil.example")', "s"  # an operator's text
    data = wf.to_bytes(wb)
    result = load_submission(data, "x.xlsx")
    out = openpyxl.load_workbook(io.BytesIO(highlighted_copy(data, result, "id")))
    assert out.sheetnames[0] == "Masalah"
    bad = out["Indikator"][ref("realisasi_tw2", 0)]
    assert bad.fill.fgColor.rgb.endswith("FFC7CE") and "bukan angka" in bad.comment.text
    assert "not a number" in bad.comment.text  # the English twin
    assert out["Indikator"]["Y3"].data_type == "s"
    listed = [[c.value for c in r] for r in out["Masalah"].iter_rows(min_row=4)]
    assert listed[0][2] == ref("realisasi_tw2", 0) and listed[0][6] == "v.cell.not_number"


def test_highlighted_copy_for_a_refused_file_lists_the_issue():
    data = wf.html_renamed_bytes()
    result = load_submission(data, "x.xlsx")
    out = openpyxl.load_workbook(io.BytesIO(highlighted_copy(data, result, "en")))
    assert out.sheetnames == ["Issues"]
    assert out["Issues"]["G4"].value == "file.html"


def test_highlighted_copy_of_a_huge_workbook_lists_the_issues_only():
    """openpyxl would hold every cell of a sheet the loader never reads: past the size cap the copy is
    the issues-only workbook."""
    rows = wf.indicator_rows(2)
    rows[0]["realisasi_tw2"] = "abc"
    wb = wf.build_submission(indikator=rows)
    extra = wb.create_sheet("Lampiran")
    for r in range(1, 2000):
        extra.append([f"baris {r} kolom {c} " + "x" * 400 for c in range(12)])  # ~10 MB of XML
    data = wf.to_bytes(wb)
    result = load_submission(data, "x.xlsx")
    assert find(result, "v.cell.not_number") and len(data) < 1_000_000  # compressed to little
    out = openpyxl.load_workbook(io.BytesIO(highlighted_copy(data, result, "id")))
    assert out.sheetnames == ["Masalah"]
    assert "v.cell.not_number" in [c.value for c in out["Masalah"]["G"]]


def test_highlighted_copy_lists_the_first_issues_and_counts_the_rest(monkeypatch):
    """Each listed issue is a row and a comment: 130,000 took 20 s to write, so the copy stops at
    MAX_REPORT_ISSUES and says how many more there are."""
    from kesbang.intake import report

    monkeypatch.setattr(report, "MAX_REPORT_ISSUES", 3)
    rows = wf.indicator_rows(5)
    for row in rows:
        row["realisasi_tw2"] = "abc"
    data = wf.submission_bytes(indikator=rows)
    result = load_submission(data, "x.xlsx")
    assert len(find(result, "v.cell.not_number")) == 5
    out = openpyxl.load_workbook(io.BytesIO(highlighted_copy(data, result, "en")))
    listed = [r[6] for r in out["Issues"].iter_rows(min_row=4, values_only=True) if r[6]]
    assert len(listed) == 3 and "v.cell.not_number" in listed
    assert out["Issues"].cell(7, 1).value.startswith(f"… and {len(result.issues) - 3} more issues")
    commented = [c for row in out["Indikator"].iter_rows() for c in row if c.comment is not None]
    assert len(commented) == 3


def test_issue_value_starting_with_equals_stays_text_in_issues_sheet():
    rows = wf.indicator_rows(1)
    rows[0]["realisasi_tw1"] = "=cmd|' /C calc'!A0"
    wb = wf.build_submission(indikator=rows)
    wb["Indikator"][ref("realisasi_tw1", 0)].data_type = "s"
    data = wf.to_bytes(wb)
    result = load_submission(data, "x.xlsx")
    out = openpyxl.load_workbook(io.BytesIO(highlighted_copy(data, result)))
    values = [r[4] for r in out["Masalah"].iter_rows(min_row=4)]
    assert values[0].value == "=cmd|' /C calc'!A0" and values[0].data_type == "s"


def test_issues_grouped_by_sheet():
    rows = wf.indicator_rows(2)
    rows[0]["realisasi_tw1"] = "x"
    pas = wf.paskibraka_rows()
    pas[3]["jumlah"] = 1
    result = load_submission(wf.submission_bytes(indikator=rows, paskibraka=pas), "x.xlsx")
    groups = by_sheet(result.issues, "en")
    assert {"Indikator", "Paskibraka"} <= set(groups)
    assert list(issues_frame(result.issues).columns) == [
        "severity",
        "sheet",
        "cell",
        "column",
        "value",
        "message",
        "code",
    ]


def test_xlsm_loads_and_its_macros_are_never_handed_back():
    data = wf.xlsm_bytes()
    result = load_submission(data, "laporan.xlsm")
    assert result.kind == "xlsm" and result.ok, result.issues
    assert len(result.submission.indikator) == len(wf.indicator_rows())
    copy = highlighted_copy(data, result)
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(copy)).namelist()
    assert not any("vba" in n.lower() for n in names)


def test_running_totals_in_a_cumulative_indicator_are_flagged():
    rows = wf.indicator_rows(1)  # kumulatif, target 120
    rows[0].update(realisasi_tw1=30, realisasi_tw2=60, realisasi_tw3=90, realisasi_tw4=120)
    result = load_submission(wf.submission_bytes(indikator=rows), "x.xlsx")
    w = find(result, "v.quarter.looks_cumulative")[0]
    assert w.cell == ref("realisasi_tw4", 0) and w.params == {"total": "300", "target": "120"}
    assert_translated(result)
    plain = load_submission(wf.submission_bytes(indikator=wf.indicator_rows(1)), "x.xlsx")
    assert "v.quarter.looks_cumulative" not in codes(plain)


def test_a_corrupt_deflate_stream_inside_a_sheet_is_reported_as_a_corrupt_file():
    """Flipped bytes inside one sheet's compressed data: one clear 'corrupt' message, not a reader failure."""
    import io
    import zipfile
    from pathlib import Path

    data = bytearray((Path(__file__).parent.parent / "sample_data" / "62.02_2025.xlsx").read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        sheets = [i for i in zf.infolist() if i.filename.startswith("xl/worksheets/sheet") and i.compress_size > 200]
    for info in sheets:  # every sheet: whichever the loader reads first meets the damage
        head = info.header_offset
        name_len = int.from_bytes(data[head + 26:head + 28], "little")
        extra_len = int.from_bytes(data[head + 28:head + 30], "little")
        start = head + 30 + name_len + extra_len
        for k in range(start + 20, start + 60):
            data[k] ^= 0xFF
    result = load_submission(bytes(data), "rusak.xlsx")
    assert result.submission is None
    assert [i.code for i in result.errors] == ["file.corrupt"]


def test_a_sheet_whose_checksum_does_not_match_is_reported_as_a_corrupt_file():
    """Bytes that inflate cleanly into something else than was zipped (CRC mismatch): 'corrupt', once."""
    import struct
    import zipfile

    data = bytearray((Path(__file__).parent.parent / "sample_data" / "62.02_2025.xlsx").read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        crcs = {i.CRC for i in zf.infolist() if i.filename.startswith("xl/worksheets/sheet")}
    raw = bytes(data)
    for signature, crc_at in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):  # local headers, central directory
        at = raw.find(signature)
        while at != -1:
            if struct.unpack_from("<I", raw, at + crc_at)[0] in crcs:
                struct.pack_into("<I", data, at + crc_at, struct.unpack_from("<I", raw, at + crc_at)[0] ^ 0xFFFF)
            at = raw.find(signature, at + 4)
    result = load_submission(bytes(data), "crc.xlsx")
    assert result.submission is None
    assert [i.code for i in result.errors] == ["file.corrupt"]


def test_loader_refuses_files_over_the_upload_limit_before_reading(monkeypatch):
    from kesbang import settings

    # default 10 MB: one byte over is refused with the size and the limit, before any reader looks at it
    # (garbage bytes would otherwise be reported as "not a workbook")
    over = b"x" * (10 * 1024 * 1024 + 1)
    for result in (load_submission(over, "besar.xlsx"), load_rpjmd(over, "besar.xlsx")):
        assert codes(result) == ["file.too_big"]
        assert issue_message(result.issues[0], "en") == catalogue("en")["file.too_big"].format(size="10.0", mb="10")
        assert "10 MB" in issue_message(result.issues[0], "id")
    # the limit is the setting: a real sample workbook passes by default and is refused under a tiny limit
    sample = (settings.SAMPLE_DIR / "62.01_2025.xlsx").read_bytes()
    assert "file.too_big" not in codes(load_submission(sample, "62.01_2025.xlsx"))
    monkeypatch.setenv("KESBANG_MAX_UPLOAD_MB", "0.01")
    small = load_submission(sample, "62.01_2025.xlsx")
    assert codes(small) == ["file.too_big"] and small.submission is None
    rpjmd = (settings.SAMPLE_DIR / "rpjmd_62.xlsx").read_bytes()
    assert codes(load_rpjmd(rpjmd, "rpjmd_62.xlsx")) == ["file.too_big"]


def test_codes_not_shaped_like_permendagri_90_are_warned_about_naming_the_cell():
    rows = wf.indicator_rows()
    rows[0]["kode_program"] = "8.1.2"  # single-digit bidang/program
    rows[0]["kode_kegiatan"] = "8.1.2.2.01"
    rows[0]["kode_subkegiatan"] = "8.1.2.2.01.8"
    rows[1]["kode_subkegiatan"] = rows[1]["kode_kegiatan"] + ".08"  # the older 2-digit form is accepted
    rows[2]["kode_kegiatan"] = "8.01.02 kegiatan 1"  # any text reaches the loader as text
    result = load_submission(wf.submission_bytes(indikator=rows), "kode.xlsx")
    hits = {(i.cell, i.value): i for i in find(result, "v.indikator.code_shape")}
    assert set(hits) == {
        (ref("kode_program", 0), "8.1.2"),
        (ref("kode_kegiatan", 0), "8.1.2.2.01"),
        (ref("kode_subkegiatan", 0), "8.1.2.2.01.8"),
        (ref("kode_kegiatan", 2), "8.01.02 kegiatan 1"),
    }
    assert {i.severity for i in hits.values()} == {"warning"}
    sub = hits[(ref("kode_subkegiatan", 0), "8.1.2.2.01.8")]
    assert issue_message(sub, "en") == (
        f"Indikator!{ref('kode_subkegiatan', 0)}: code «8.1.2.2.01.8» in column Kode Sub Kegiatan does not have "
        "the Permendagri 90 shape N.NN.NN.N.NN.NNNN (e.g. 8.01.02.2.01.0008). Check how the code is written."
    )
    assert "tidak berbentuk kode Permendagri 90 N.NN.NN.N.NN.NNNN" in issue_message(sub, "id")
    # the same misshapen code on several rows is named on each of them
    rows = wf.indicator_rows(3)
    for r in rows:
        r["kode_program"] = "8.1.2"
    result = load_submission(wf.submission_bytes(indikator=rows), "kode.xlsx")
    assert [i.cell for i in find(result, "v.indikator.code_shape")] == [ref("kode_program", k) for k in range(3)]
    # well-formed codes everywhere else: no warning
    assert "v.indikator.code_shape" not in codes(load_submission(wf.submission_bytes(), "baik.xlsx"))
