"""The 8.01 nomenclature and the standard indicator catalogue: codes normalise, and the catalogue is coherent."""

from __future__ import annotations

import pytest

from kesbang import nomenclature, schema
from kesbang.devtools import sample


@pytest.mark.parametrize(("raw", "expected"), [
    ("8.01.02.2.01.08", "8.01.02.2.01.0008"),          # the old two-digit sub-kegiatan form
    ("8.01.02.2.01.0008", "8.01.02.2.01.0008"),
    (" 8.1.2.2.1.8 ", "8.01.02.2.01.0008"),
    ("'8.01.06.2.01.06", "8.01.06.2.01.0006"),
    ("8.01.02", "8.01.02"),
    ("8.01.02.2.01", "8.01.02.2.01"),
    ("8.01.02.2", None),
    ("Pembentukan Paskibraka", None),
    (None, None),
])
def test_normalise_code(raw, expected):
    assert nomenclature.normalise_code(raw) == expected


def test_names_for_any_spelling():
    assert nomenclature.name_of("8.01.02.2.01.08") == "Pembentukan Paskibraka"
    assert nomenclature.name_of("8.01.06.2.01.0006") == "Pelaksanaan Forum Koordinasi Pimpinan Daerah"
    assert nomenclature.name_of("8.01.03.2.01.0006") == "Pelaksanaan Tugas Paskibraka"
    assert nomenclature.name_of("8.01.09") is None
    assert list(nomenclature.programs()["kode"]) == [f"8.01.0{i}" for i in range(1, 7)]


def test_every_kab_kota_program_has_the_five_common_sub_kegiatan():
    for program in ("8.01.02", "8.01.03", "8.01.04", "8.01.05", "8.01.06"):
        codes = set(nomenclature.subkegiatan(program)["kode"])
        assert {f"{program}.2.01.000{i}" for i in range(1, 6)} <= codes, program


def test_catalogue_is_coherent_with_the_nomenclature_and_the_schema():
    std = nomenclature.standard_indicators()
    assert std["kode_indikator"].is_unique
    known = set(nomenclature.table()["kode"])
    plan_codes = set(sample.build_rpjmd("62")["kode_rpjmd"])
    for rec in std.to_dict("records"):
        code = rec["kode_indikator"]
        assert rec["kode_program"] in known, code
        for key in ("kode_kegiatan", "kode_subkegiatan"):
            assert rec[key] == "" or rec[key] in known, code
        own = rec["kode_subkegiatan"] or rec["kode_kegiatan"]
        if rec["level"] == "program":
            assert code.startswith(rec["kode_program"] + ".P."), code
        else:
            assert code.rsplit(".", 1)[0] == own, code
        assert rec["level"] in schema.LEVELS
        assert rec["satuan"] in schema.UNITS
        assert rec["polaritas"] in schema.POLARITIES
        assert rec["akumulasi"] in schema.ROLLUPS
        assert rec["jenis_ukuran"] in schema.MEASURE_TYPES
        assert rec["kode_rpjmd"] == "" or rec["kode_rpjmd"] in plan_codes, code
    paskibraka = std.set_index("kode_indikator").loc["8.01.02.2.01.0008.01"]
    assert (paskibraka["satuan"], paskibraka["akumulasi"]) == ("Orang", "kumulatif")
    konflik = std.set_index("kode_indikator").loc["8.01.06.P.01"]
    assert (konflik["satuan"], konflik["polaritas"]) == ("Kasus", "negatif")
