"""The template round-trips through the loader: generate, fill (as an operator would, with openpyxl),
load, and get back exactly the values written; a loaded submission written again loads the same."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kesbang import schema
from kesbang.exports import template
from kesbang.intake.loader import load_rpjmd, load_submission

ROOT = Path(__file__).resolve().parent.parent
RPJMD = ROOT / "sample_data" / "rpjmd_62.xlsx"


def _columns(ws) -> dict[str, int]:
    """Header label -> column number in the template's header row."""
    return {c.value: c.column for c in ws[template.HEADER_ROW] if c.value}


def _rpjmd() -> pd.DataFrame | None:
    return load_rpjmd(RPJMD.read_bytes(), RPJMD.name).frame if RPJMD.exists() else None


def test_generate_fill_load_gives_the_same_values():
    blank = template.write_submission(None, "62.02", 2026, _rpjmd())
    fresh = load_submission(blank, "template.xlsx")
    assert fresh.submission is not None and fresh.submission.format_version == schema.FORMAT_VERSION
    assert fresh.submission.region == "62.02" and fresh.submission.year == 2026
    # an unfilled template says what is missing (the period), nothing else; its pre-filled indicator rows
    # without a plan target, untouched, are skipped with one warning instead of an error per cell (the
    # five rate rows holding the RPJMD's 2026 target are kept: see test_template_carry.py)
    assert {(i.code, i.column or i.sheet) for i in fresh.errors} == {("v.cell.required", "Periode Pelaporan")}
    assert [i.code for i in fresh.warnings if i.sheet == "Indikator"] == ["v.row.left_empty"]
    assert len(fresh.submission.indikator) == 5

    wb = openpyxl.load_workbook(io.BytesIO(blank))
    ident = wb["Identitas"]
    for row in ident.iter_rows(min_row=1):
        if row[0].value == schema.IDENTITAS.column("periode").label:
            row[1].value = "TW II"
    ws = wb["Indikator"]
    cols = _columns(ws)
    label = {c.key: c.label for c in schema.INDIKATOR.columns}
    written = {}
    for r in range(template.FIRST_DATA_ROW, ws.max_row + 1):
        if not ws.cell(r, cols[label["indikator"]]).value:
            continue
        n = r - template.FIRST_DATA_ROW
        values = {
            "target": 10 + n,
            "realisasi_tw1": n + 0.5,
            "realisasi_tw2": n + 1.25,
            "pagu": 1_000_000 * (n + 1),
            "anggaran_tw1": 100_000 * n,
            "faktor_pendorong": f"Dukungan {n}",
        }
        if n == 3:
            values["target"] = "4,43–4,47"
        for key, value in values.items():
            ws.cell(r, cols[label[key]]).value = value
        written[r] = values
    pas = wb["Paskibraka"]
    pcols = _columns(pas)
    for i, r in enumerate(range(template.FIRST_DATA_ROW, template.FIRST_DATA_ROW + 3)):
        pas.cell(r, pcols["Putra"]).value = 100 - 10 * i
        pas.cell(r, pcols["Putri"]).value = 90 - 10 * i
        pas.cell(r, pcols["Realisasi Mulai"]).value = dt.date(2026, 3, 1 + i)
    nil = wb["Program Nilai"]
    ncols = _columns(nil)
    activity = {
        "Tema": "Wawasan Kebangsaan",
        "Kegiatan": "Dialog kebangsaan pelajar",
        "Tanggal": dt.date(2026, 5, 20),
        "Jumlah Peserta": 120,
        "Nilai Pre-test": 61.5,
        "Nilai Post-test": 80.25,
        "Level Rubrik (1-5)": 3,
    }
    for name, value in activity.items():
        nil.cell(template.FIRST_DATA_ROW, ncols[name]).value = value
    buf = io.BytesIO()
    wb.save(buf)

    result = load_submission(buf.getvalue(), "filled.xlsx")
    assert result.ok, [(i.code, i.cell) for i in result.errors]
    sub = result.submission
    assert sub.period == "TW II"
    ind = sub.indikator.set_index("row")
    assert set(written) == set(ind.index)
    for r, values in written.items():
        got = ind.loc[r]
        if isinstance(values["target"], str):
            assert (got["target_min"], got["target_max"], got["target_text"]) == (4.43, 4.47, "4,43–4,47")
        else:
            assert got["target_min"] == got["target_max"] == values["target"]
        for key in ("realisasi_tw1", "realisasi_tw2", "pagu", "anggaran_tw1"):
            assert got[key] == pytest.approx(values[key])
        assert got["faktor_pendorong"] == values["faktor_pendorong"]
    p = sub.paskibraka.set_index("row")
    first = p.loc[template.FIRST_DATA_ROW]
    assert first["tahap"] == schema.STAGES[0].key
    assert (first["putra"], first["putri"], first["jumlah"]) == (100, 90, 190)
    assert p.loc[template.FIRST_DATA_ROW + 2]["realisasi_mulai"] == dt.date(2026, 3, 3)
    n = sub.nilai.iloc[0]
    assert (n["tema"], n["kegiatan"], n["tanggal"], n["peserta"], n["post_test"], n["rubrik"]) == (
        "Wawasan Kebangsaan",
        "Dialog kebangsaan pelajar",
        dt.date(2026, 5, 20),
        120,
        80.25,
        3,
    )


@pytest.mark.skipif(not (ROOT / "sample_data" / "62.02_2025.xlsx").exists(), reason="sample data absent")
def test_loaded_submission_written_again_loads_the_same():
    first = load_submission((ROOT / "sample_data" / "62.02_2025.xlsx").read_bytes(), "62.02_2025.xlsx")
    assert first.submission is not None
    again = load_submission(template.write_submission(first.submission, "62.02", 2025, _rpjmd()), "again.xlsx")
    assert [i.code for i in again.issues] == [i.code for i in first.issues]
    keys = [*schema.INDIKATOR.keys, "target_min", "target_max", "target_text"]
    pd.testing.assert_frame_equal(first.submission.indikator[keys], again.submission.indikator[keys])
    pd.testing.assert_frame_equal(
        first.submission.paskibraka[schema.PASKIBRAKA.keys], again.submission.paskibraka[schema.PASKIBRAKA.keys]
    )
    assert first.submission.identitas == again.submission.identitas
