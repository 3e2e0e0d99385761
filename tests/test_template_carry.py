"""The template for a region-year carries what is known, so a quarterly update means typing one new
column: the last stored version's rows (targets, the quarters reported, Paskibraka, the values
programmes) for the next quarter, and the provincial RPJMD's target for the year where a rate row has
none. Expected values are worked by hand from docs/METRICS.md and the sample RPJMD (rpjmd_62.xlsx)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
import storekit
import workbook_factory as wf

from kesbang import dataset, schema
from kesbang.analysis import metrics
from kesbang.analysis.diff import dropped_sections, section_rows
from kesbang.auth import User
from kesbang.cli import main
from kesbang.exports import carry, template
from kesbang.intake.loader import load_rpjmd, load_submission
from kesbang.store import open_store

ROOT = Path(__file__).resolve().parent.parent
RPJMD = ROOT / "sample_data" / "rpjmd_62.xlsx"
LABEL = {c.key: c.label for c in schema.INDIKATOR.columns}


def _rpjmd():
    return load_rpjmd(RPJMD.read_bytes(), RPJMD.name).frame


def _first_half_year() -> bytes:
    """A TW II report of 62.02 2025 in the operator's own layout (two title rows over the header, so its
    rows are not the template's): three indicators with TW I and TW II, Paskibraka and three activities."""
    rows = wf.indicator_rows(3)
    for r in rows:
        r.update(realisasi_tw3=None, realisasi_tw4=None, anggaran_tw3=None, anggaran_tw4=None)
    return wf.submission_bytes(identitas={"periode": "TW II"}, indikator=rows,
                               title_rows=["LAPORAN REALISASI KINERJA", "Badan Kesbangpol Kab. Kotawaringin Timur"])


def _columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[template.HEADER_ROW] if c.value}


def _ident(wb) -> dict[str, object]:
    return {r[0].value: r[1].value for r in wb[schema.IDENTITAS.name].iter_rows(min_row=2)}


@pytest.fixture
def stored(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'carry.sqlite3'}")
    admin = User("admin", "admin")
    storekit.enrol(store, admin)
    data = _first_half_year()
    assert store.submit(admin, load_submission(data, "kotim-tw2.xlsx"), data, "kotim-tw2.xlsx").status == "stored"
    yield store, admin
    store.close()


def test_a_quarterly_update_from_the_template_is_one_new_column(stored):
    store, admin = stored
    previous, version = carry.last_version(store, "62.02", 2025)
    assert version == 1
    wb = openpyxl.load_workbook(io.BytesIO(template.write_template("62.02", 2025, _rpjmd(), previous,
                                                                   version=version)))
    assert _ident(wb)["Periode Pelaporan"] == "TW III"  # moved on one quarter
    assert _ident(wb)["Tanggal"] is None  # the new report's date is the operator's to give
    ws = wb[schema.INDIKATOR.name]
    cols = _columns(ws)
    first = template.FIRST_DATA_ROW
    got = {ws.cell(r, cols[LABEL["kode_indikator"]]).value: r for r in range(first, first + 3)}
    assert list(got) == ["IK-001", "IK-002", "IK-003"]  # one under the other from the first data row
    r1 = got["IK-001"]
    assert (ws.cell(r1, cols[LABEL["target"]]).value, ws.cell(r1, cols[LABEL["realisasi_tw2"]]).value) == (120, 30)
    assert ws.cell(r1, cols[LABEL["realisasi_tw3"]]).value is None
    # the operator types the TW III column, K and Rp, nothing else
    for code, k in (("IK-001", 20), ("IK-002", 33), ("IK-003", 80)):
        ws.cell(got[code], cols[LABEL["realisasi_tw3"]]).value = k
    ws.cell(r1, cols[LABEL["anggaran_tw3"]]).value = 25_000_000
    buf = io.BytesIO()
    wb.save(buf)

    result = load_submission(buf.getvalue(), "kotim-tw3.xlsx")
    assert result.errors == [] and [i.code for i in result.warnings] == []
    new = result.submission
    assert dropped_sections(section_rows(previous), section_rows(new)) == []
    assert (len(new.paskibraka), len(new.nilai)) == (len(previous.paskibraka), len(previous.nilai)) == (12, 3)
    outcome = store.submit(admin, result, buf.getvalue(), "kotim-tw3.xlsx")  # no allow_drop needed
    assert (outcome.status, outcome.version) == ("stored", 2)

    frame = metrics.compute(dataset.from_submissions([(new, {})]).indicators)
    by = {r["kode_indikator"]: r for r in frame.to_dict("records")}
    # IK-001, kumulatif: R = 30 + 30 + 20 = 80 of T 120: capaian 66.67 -> S (66–<76);
    # budget (20 + 25 + 25) million of a 100 million pagu: serapan 70 %
    assert by["IK-001"]["realisasi"] == 80 and by["IK-001"]["capaian"] == pytest.approx(200 / 3)
    assert by["IK-001"]["kategori"] == "S" and by["IK-001"]["serapan"] == pytest.approx(70.0)
    # IK-002, stok: R = the last quarter, 33, of T 41: 80.49 -> T (76–<91)
    assert by["IK-002"]["realisasi"] == 33 and by["IK-002"]["capaian"] == pytest.approx(3300 / 41)
    assert by["IK-002"]["kategori"] == "T"
    # IK-003, persentase: R = 80 of T 87 (85 + 2): 91.95 -> ST (≥ 91); TW I and II carried unchanged
    assert by["IK-003"]["capaian"] == pytest.approx(8000 / 87) and by["IK-003"]["kategori"] == "ST"
    assert (by["IK-003"]["realisasi_tw1"], by["IK-003"]["realisasi_tw2"]) == pytest.approx((43.5, 60.9))


def test_without_a_stored_version_the_template_carries_the_plans_rate_targets():
    """rpjmd_62.xlsx, plan 2025–2029: 2026 is its second year (Target Tahun ke-2). Rates take the
    province's target; counts (Orang, Kasus) do not: the province's count is the sum over regencies."""
    result = load_submission(template.write_template("62.02", 2026, _rpjmd()), "templat.xlsx")
    ind = result.submission.indikator.set_index("kode_indikator")
    assert ind["target_text"].to_dict() == {
        "8.01.02.P.01": "74",  # RPJMD.02.01 Persen
        "8.01.03.P.01": "81",  # RPJMD.03.03 Persen
        "8.01.04.P.01": "74",  # RPJMD.04.01 Persen
        "8.01.05.P.01": "78,55–79,05",  # RPJMD.05.01 Indeks, a range
        "8.01.06.2.01.01": "81",  # RPJMD.06.02 Persen
    }
    assert (ind.loc["8.01.05.P.01", "target_min"], ind.loc["8.01.05.P.01", "target_max"]) == (78.55, 79.05)
    # RPJMD.02.02 (5,970 Orang), RPJMD.02.03 (Orang), RPJMD.03.02 (Orang), RPJMD.06.01 (40 Kasus): left empty
    left = [i for i in result.warnings if i.code == "v.row.left_empty"]
    assert len(left) == 1 and left[0].params["count"] == 31
    # a year past the plan's five carries no target
    late = load_submission(template.write_template("62.02", 2031, _rpjmd()), "templat.xlsx")
    assert late.submission.indikator.empty


def test_a_plan_target_never_replaces_a_target_the_version_has():
    rows = wf.indicator_rows(3)
    rows[2]["kode_rpjmd"] = "RPJMD.02.01"  # Persen, plan target 2025 = 71
    rows[2]["target"] = 60
    previous = load_submission(wf.submission_bytes(indikator=rows), "v1.xlsx").submission
    again = load_submission(template.write_template("62.02", 2025, _rpjmd(), previous, version=1), "t.xlsx")
    assert again.submission.indikator.set_index("kode_indikator").loc["IK-003", "target_text"] == "60"


def test_cli_template_from_the_store_carries_the_last_version(stored, tmp_path, capsys):
    store, _ = stored
    out = tmp_path / "kotim.xlsx"
    code = main(["template", "--region", "62.02", "--year", "2025", "--db", store.url, "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "versi 1" in printed and "TW III" in printed
    wb = openpyxl.load_workbook(out)
    assert _ident(wb)["Periode Pelaporan"] == "TW III"
    assert wb[schema.PROGRAM_NILAI.name].cell(template.FIRST_DATA_ROW, 2).value == "Sosialisasi 1"
