"""The template writer: structure an operator relies on, safety of text cells, determinism, loading back."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from kesbang import nomenclature, schema
from kesbang.devtools import sample
from kesbang.exports import template
from kesbang.intake import loader
from kesbang.model import Submission

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def blank_62_02() -> bytes:
    return template.write_submission(None, "62.02", 2026, sample.build_rpjmd("62"))


@pytest.fixture(scope="module")
def blank_wb(blank_62_02):
    return openpyxl.load_workbook(io.BytesIO(blank_62_02))


def test_sheets_are_the_schema_sheets_with_instructions_first_and_hidden_lists_last(blank_wb):
    names = blank_wb.sheetnames
    assert names[0] == template.INSTRUCTIONS_SHEET
    assert names[1:-1] == [spec.name for spec in schema.SUBMISSION_SHEETS]
    assert names[-1] == template.LISTS_SHEET
    assert blank_wb[template.LISTS_SHEET].sheet_state == "hidden"
    for spec in schema.SUBMISSION_SHEETS:
        assert blank_wb[spec.name].sheet_state == "visible"


def test_table_headers_are_the_schema_labels(blank_wb):
    for spec in (schema.INDIKATOR, schema.PASKIBRAKA, schema.PROGRAM_NILAI):
        ws = blank_wb[spec.name]
        header = [ws.cell(template.HEADER_ROW, c + 1).value for c in range(len(spec.columns))]
        assert header == [col.label for col in spec.columns]


def test_identitas_is_label_value_and_prefilled(blank_wb):
    ws = blank_wb[schema.IDENTITAS.name]
    pairs = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert set(pairs) == {c.label for c in schema.IDENTITAS.columns}
    assert pairs["Kode Wilayah (Kemendagri)"] == "62.02"
    assert pairs["Kabupaten/Kota"] == "Kotawaringin Timur"
    assert pairs["Provinsi"] == "Kalimantan Tengah"
    assert pairs["Tahun"] == 2026
    assert pairs["Periode RPJMD"] == "2025-2029"
    assert ws.cell(2, 1).protection.locked and not ws.cell(2, 2).protection.locked


def test_standard_indicators_are_prefilled_with_their_rpjmd_codes(blank_wb):
    ws = blank_wb[schema.INDIKATOR.name]
    keys = schema.INDIKATOR.keys
    col = {k: keys.index(k) + 1 for k in keys}
    std = nomenclature.standard_indicators()
    rows = {ws.cell(r, col["kode_indikator"]).value: r for r in range(2, 2 + len(std))}
    assert set(rows) == set(std["kode_indikator"])
    r = rows["8.01.02.2.01.0008.01"]
    assert ws.cell(r, col["indikator"]).value == "Jumlah anggota Paskibraka yang dibentuk"
    assert ws.cell(r, col["kode_rpjmd"]).value == "RPJMD.02.03"
    assert ws.cell(r, col["nama_program"]).value == "Pembentukan Paskibraka"
    # the catalogue's identity is locked, the operator's figures are not
    assert ws.cell(r, col["kode_indikator"]).protection.locked
    assert not ws.cell(r, col["target"]).protection.locked
    assert not ws.cell(r, col["realisasi_tw1"]).protection.locked
    assert ws.cell(r, col["target"]).value is None


def test_every_stage_is_listed_on_the_paskibraka_sheet(blank_wb):
    ws = blank_wb[schema.PASKIBRAKA.name]
    labels = [ws.cell(r, 1).value for r in range(2, 2 + len(schema.STAGES))]
    assert labels == [s.label for s in schema.STAGES]


def test_dropdowns_reference_defined_names_on_the_hidden_lists_sheet(blank_wb):
    defined = blank_wb.defined_names
    for spec, key in ((schema.INDIKATOR, "polaritas"), (schema.INDIKATOR, "akumulasi"),
                      (schema.INDIKATOR, "jenis_ukuran"), (schema.INDIKATOR, "satuan"),
                      (schema.INDIKATOR, "kode_program"), (schema.PASKIBRAKA, "tahap"),
                      (schema.PROGRAM_NILAI, "tema"), (schema.IDENTITAS, "periode"),
                      (schema.IDENTITAS, "kode_wilayah")):
        ws = blank_wb[spec.name]
        if spec.layout == "keyvalue":
            row = 2 + spec.keys.index(key)
            cell = f"B{row}"
        else:
            cell = f"{openpyxl.utils.get_column_letter(spec.keys.index(key) + 1)}3"
        hits = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
        assert hits, f"no dropdown on {spec.name}!{cell} ({key})"
        formula = hits[0].formula1.lstrip("=")
        assert formula in defined, formula
        target = defined[formula].attr_text
        assert target.startswith(f"{template.LISTS_SHEET}!"), target
        # the list holds the schema's values
        sheet, ref = target.split("!")
        values = [c.value for row in blank_wb[sheet][ref.replace("$", "")] for c in row]
        if key == "tahap":
            assert values == [s.label for s in schema.STAGES]
        elif key in ("polaritas", "akumulasi", "jenis_ukuran", "satuan", "periode"):
            assert values == schema.CHOICE_LISTS[key]
        elif key == "tema":
            assert values == schema.THEMES
        elif key == "kode_wilayah":
            assert "62.02" in values and "64.01" not in values
        elif key == "kode_program":
            assert values == [f"8.01.0{i}" for i in range(1, 7)]


def test_strict_lists_refuse_other_values_and_units_only_warn(blank_wb):
    ws = blank_wb[schema.INDIKATOR.name]

    def dv_for(key):
        letter = openpyxl.utils.get_column_letter(schema.INDIKATOR.keys.index(key) + 1)
        return next(dv for dv in ws.data_validations.dataValidation if f"{letter}3" in dv.sqref)

    assert dv_for("polaritas").errorStyle == "stop"
    assert dv_for("satuan").errorStyle == "warning"


def test_protection_and_frozen_headers(blank_wb):
    for spec in schema.SUBMISSION_SHEETS:
        ws = blank_wb[spec.name]
        assert ws.protection.sheet, spec.name
        assert ws.freeze_panes == "A2", spec.name
        assert ws.cell(template.HEADER_ROW, 1).protection.locked
    assert blank_wb[template.INSTRUCTIONS_SHEET].protection.sheet


def test_spare_rows_are_open_for_input_without_a_cell_written(blank_wb):
    """Below the pre-filled indicators the operator may type anywhere: the columns are unlocked and
    formatted, the dropdowns reach the spare rows, and no empty formatted cell is written there."""
    ws = blank_wb[schema.INDIKATOR.name]
    prefilled = template.FIRST_DATA_ROW + len(nomenclature.standard_indicators()) - 1
    assert ws.max_row == prefilled
    spare_end = prefilled + template.SPARE_ROWS["indikator"]
    keys = schema.INDIKATOR.keys
    for key, number_format in (("target", None), ("realisasi_tw1", "#,##0.##"), ("pagu", "#,##0"),
                               ("kode_rpjmd", "@")):
        column = ws.column_dimensions[openpyxl.utils.get_column_letter(keys.index(key) + 1)]
        assert not column.protection.locked, key
        if number_format:
            assert column.number_format == number_format, key
    polaritas = openpyxl.utils.get_column_letter(keys.index("polaritas") + 1)
    assert any(f"{polaritas}{spare_end}" in dv.sqref for dv in ws.data_validations.dataValidation)
    assert ws.cell(template.HEADER_ROW, 1).protection.locked


def test_format_marker_is_a_defined_name_holding_the_version(blank_wb, blank_62_02):
    assert blank_wb.defined_names[schema.FORMAT_MARKER_NAME].attr_text == f'"{schema.FORMAT_VERSION}"'
    result = loader.load_submission(blank_62_02, "template_62.02_2026.xlsx")
    assert result.submission is not None
    assert result.submission.format_version == schema.FORMAT_VERSION


def test_format_marker_of_an_older_template_in_a_cell_is_still_read(blank_62_02):
    """Templates written before the marker became a constant point the defined name at a Daftar cell."""
    wb = openpyxl.load_workbook(io.BytesIO(blank_62_02))
    wb[template.LISTS_SHEET]["ZZ2"] = schema.FORMAT_VERSION
    wb.defined_names[schema.FORMAT_MARKER_NAME] = DefinedName(
        schema.FORMAT_MARKER_NAME, attr_text=f"{template.LISTS_SHEET}!$ZZ$2")
    out = io.BytesIO()
    wb.save(out)
    result = loader.load_submission(out.getvalue(), "template_lama.xlsx")
    assert result.submission is not None
    assert result.submission.format_version == schema.FORMAT_VERSION


def test_instructions_describe_every_column_in_indonesian(blank_wb):
    ws = blank_wb[template.INSTRUCTIONS_SHEET]
    text = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    for spec in schema.SUBMISSION_SHEETS:
        for col in spec.columns:
            assert col.label in text, col.label
    assert any("pilihan dari daftar: positif, negatif" in t for t in text)
    assert any("Petunjuk Pengisian" == t for t in text)
    assert "5 · Membudaya" in text  # rubric levels with their definitions


def test_blank_template_loads_and_asks_for_what_is_missing(blank_62_02):
    result = loader.load_submission(blank_62_02, "template_62.02_2026.xlsx")
    sub = result.submission
    assert sub.region == "62.02" and sub.year == 2026
    # the pre-filled indicator rows, untouched, are skipped with one warning (not an error per cell),
    # except the five rate rows that carry the RPJMD's target for 2026 (test_template_carry.py)
    assert len(sub.indikator) == 5
    left = [i for i in result.warnings if i.code == "v.row.left_empty"]
    assert len(left) == 1 and left[0].params["count"] == len(nomenclature.standard_indicators()) - 5
    # what the operator still has to fill: the period, nothing about the file itself
    missing = {(i.code, i.column or i.sheet) for i in result.errors}
    assert missing == {("v.cell.required", "Periode Pelaporan")}


def test_filled_template_round_trips(blank_62_02):
    """Generate, fill like an operator, load: the same values come back."""
    wb = openpyxl.load_workbook(io.BytesIO(blank_62_02))
    ident = wb[schema.IDENTITAS.name]
    ident["B6"] = "TW II"
    ws = wb[schema.INDIKATOR.name]
    col = {k: i + 1 for i, k in enumerate(schema.INDIKATOR.keys)}
    for r in range(2, 2 + len(nomenclature.standard_indicators())):
        ws.cell(r, col["target"], 10)
    r = 2
    ws.cell(r, col["target"], "4,43–4,47")
    ws.cell(r, col["realisasi_tw1"], 4.4)
    ws.cell(r, col["realisasi_tw2"], 4.45)
    ws.cell(3, col["pagu"], 1500000)
    ws.cell(3, col["anggaran_tw1"], 300000)
    out = io.BytesIO()
    wb.save(out)
    result = loader.load_submission(out.getvalue(), "filled.xlsx")
    assert result.ok, [(i.code, i.cell) for i in result.errors]
    ind = result.submission.indikator
    first = ind[ind["row"] == 2].iloc[0]
    assert (first["target_min"], first["target_max"]) == (4.43, 4.47)
    assert (first["realisasi_tw1"], first["realisasi_tw2"]) == (4.4, 4.45)
    second = ind[ind["row"] == 3].iloc[0]
    assert second["pagu"] == 1500000 and second["anggaran_tw1"] == 300000
    assert result.submission.period == "TW II"


def _submission_with_text(text: str) -> Submission:
    sub = sample.build_submission("62.02", 2025)
    sub.indikator.loc[0, "faktor_penghambat"] = text
    sub.nilai.loc[0, "narasi"] = text
    return sub


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil.example\",\"klik\")", "+62 811 000", "-1+2",
                                  "@SUM(A1:A2)", "\tcmd|' /C calc'!A0"])
def test_text_that_looks_like_a_formula_stays_a_string(text):
    sub = _submission_with_text(text)
    data = template.write_submission(sub, "62.02", 2025)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    col = schema.INDIKATOR.keys.index("faktor_penghambat") + 1
    cell = wb[schema.INDIKATOR.name].cell(int(sub.indikator.loc[0, "row"]), col)
    assert cell.data_type == "s" and cell.value == text
    # no formula element anywhere in the sheet XML
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)
    result = loader.load_submission(data, "x.xlsx")
    loaded = result.submission.indikator
    assert loaded.loc[loaded["row"] == sub.indikator.loc[0, "row"], "faktor_penghambat"].iloc[0] == text.strip()


def test_output_is_byte_deterministic():
    sub = sample.build_submission("64.08", 2025)
    assert template.write_submission(sub, "64.08", 2025) == template.write_submission(sub, "64.08", 2025)
    assert template.write_submission(None, "6202", 2026) == template.write_submission(None, "62.02", 2026)


def test_unknown_region_is_refused_with_a_message():
    with pytest.raises(template.TemplateError) as err:
        template.write_submission(None, "99.99", 2026)
    assert "99.99" in err.value.message("id") and "Kode wilayah" in err.value.message("id")
    assert "Unknown region" in err.value.message("en")


def test_rpjmd_workbook_loads_back_as_the_same_plan():
    frame = sample.build_rpjmd("64")
    data = template.write_rpjmd("64", frame)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[1:-1] == [s.name for s in schema.RPJMD_SHEETS]
    result = loader.load_rpjmd(data, "rpjmd_64.xlsx")
    assert result.province == "64" and result.periode_rpjmd == "2025-2029"
    assert not [i for i in result.issues if i.severity != "info"]
    got = result.frame.set_index("kode_rpjmd")
    assert got.loc["RPJMD.03.01", "baseline"] == 82.28
    assert got.loc["RPJMD.03.01", "target_1"] == frame.set_index("kode_rpjmd").loc["RPJMD.03.01", "target_1"]
    assert "–" in got.loc["RPJMD.03.01", "target_akhir"]


def test_cli_template_writes_the_default_file_name(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kesbang", "template", "--region", "6202", "--year", "2026"],
                          cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "template_62.02_2026.xlsx"
    assert out.exists()
    assert loader.load_submission(out.read_bytes(), out.name).submission.region == "62.02"


def test_cli_template_unknown_region_is_a_usage_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kesbang", "template", "--region", "99.99", "--year", "2026",
                           "-o", str(tmp_path / "x.xlsx")], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.returncode == 2
    assert "Kode wilayah tidak dikenal: 99.99" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_implausible_year_is_refused_with_a_message():
    with pytest.raises(template.TemplateError) as err:
        template.write_submission(None, "62.02", 226)
    assert err.value.key == "template.bad_year" and "226" in err.value.message("id")


def test_cli_template_takes_the_province_rpjmd_codes_from_its_workbook(tmp_path):
    plan = sample.build_rpjmd("62")
    plan = plan[plan["kode_rpjmd"] != "RPJMD.02.03"]  # a plan without the Paskibraka indicator
    (tmp_path / "rpjmd_62.xlsx").write_bytes(template.write_rpjmd("62", plan))
    out = tmp_path / "t.xlsx"
    proc = subprocess.run([sys.executable, "-m", "kesbang", "template", "--region", "62.02", "--year", "2026",
                           "--rpjmd", str(tmp_path / "rpjmd_62.xlsx"), "-o", str(out)], cwd=tmp_path,
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    ref = wb.defined_names["daftar_kode_rpjmd"].attr_text.split("!")[1].replace("$", "")
    codes = [c.value for row in wb[template.LISTS_SHEET][ref] for c in row]
    assert codes == list(plan["kode_rpjmd"])
    ws = wb[schema.INDIKATOR.name]
    col = {k: i for i, k in enumerate(schema.INDIKATOR.keys)}
    rpjmd_of = {r[col["kode_indikator"]]: r[col["kode_rpjmd"]] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rpjmd_of["8.01.02.2.01.0003.01"] == "RPJMD.02.02"
    assert rpjmd_of["8.01.02.2.01.0008.01"] is None  # not in this plan: left to the operator
