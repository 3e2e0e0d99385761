"""RPJMD alignment on small hand-made provinces: a known gap each way, a known mismatch, a suggestion."""

from __future__ import annotations

import pandas as pd
import pytest

from kesbang import dataset
from kesbang.analysis import alignment
from kesbang.analysis.plans import normalise_period, parse_period, plan_in_force

RPJMD = pd.DataFrame([
    {"province": "62", "periode_rpjmd": "2025-2029", "kode_rpjmd": "IKU-2.1", "sasaran": "Ideologi kuat",
     "kode_program": "8.01.02", "indikator": "Indeks Aktualisasi Pancasila", "satuan": "Indeks",
     "polaritas": "positif", "target_1": 73.0, "target_2": 74.0, "target_3": 75.0, "target_4": 76.0,
     "target_5": 77.0},
    {"province": "62", "periode_rpjmd": "2025-2029", "kode_rpjmd": "IKU-4.1", "sasaran": "Ormas berdaya",
     "kode_program": "8.01.04", "indikator": "Persentase ormas aktif melapor", "satuan": "Persen",
     "polaritas": "positif", "target_1": 60.0, "target_2": 65.0, "target_3": 70.0, "target_4": 75.0,
     "target_5": 80.0},
    {"province": "62", "periode_rpjmd": "2025-2029", "kode_rpjmd": "IKU-6.1", "sasaran": "Daerah kondusif",
     "kode_program": "8.01.06", "indikator": "Jumlah konflik sosial", "satuan": "Kasus",
     "polaritas": "negatif", "target_1": 5.0, "target_2": 4.0, "target_3": 3.0, "target_4": 2.0,
     "target_5": 1.0},
    # an older plan of the same province: must not be used for 2026
    {"province": "62", "periode_rpjmd": "2021-2026", "kode_rpjmd": "OLD-1", "sasaran": "Lama",
     "kode_program": "8.01.02", "indikator": "Indikator lama", "satuan": "Persen", "polaritas": "positif"},
])


def ind(region, kode, indikator, *, level="program", program="8.01.02", rpjmd="", satuan="Indeks",
        polaritas="positif", year=2026):
    return {"region": region, "province": region.split(".")[0], "year": year, "submission_id": 1,
            "kode_program": program, "kode_indikator": kode, "indikator": indikator, "level": level,
            "satuan": satuan, "polaritas": polaritas, "kode_rpjmd": rpjmd}


def make_dataset(rows, periods=None):
    indicators = pd.DataFrame(rows)
    for c in dataset.INDICATOR_COLUMNS:
        if c not in indicators:
            indicators[c] = None
    subs = (indicators[["region", "province", "year"]].drop_duplicates().assign(submission_id=1)
            .reset_index(drop=True))
    subs["periode_rpjmd"] = [(periods or {}).get(r, "2025-2029") for r in subs["region"]]
    return dataset.Dataset(indicators=indicators[dataset.INDICATOR_COLUMNS], submissions=subs, rpjmd=RPJMD)


ROWS = [
    # Kotawaringin Timur cascades the Pancasila index properly
    ind("62.02", "P1", "Indeks Aktualisasi Pancasila Kabupaten", rpjmd="IKU-2.1"),
    # Kapuas feeds the same index but in percent and with a negative polarity: two mismatches
    ind("62.03", "P1", "Indeks aktualisasi Pancasila", rpjmd="IKU-2.1", satuan="Persen", polaritas="negatif"),
    # Kapuas' ormas outcome has no code: unmapped, should be suggested IKU-4.1 (same program)
    ind("62.03", "P2", "Persentase ormas yang aktif melaporkan kegiatan", program="8.01.04", satuan="Persen"),
    # Kapuas' sub-kegiatan output without code is local, not a gap
    ind("62.03", "S1", "Jumlah dokumen kebijakan", level="subkegiatan", satuan="Dokumen"),
    # Barito Selatan writes the code with a space: unknown code, suggestion by spelling
    ind("62.04", "P1", "Indeks Pancasila", rpjmd="IKU 2.1"),
    # the support program (8.01.01, office administration) is not expected to cascade
    ind("62.04", "P0", "Nilai SAKIP", program="8.01.01", satuan="Angka"),
]


@pytest.fixture
def result():
    return alignment.analyse(make_dataset(ROWS, periods={"62.04": "2021–2026"}), "62", 2026)


def test_statuses_per_row(result):
    status = {(r["region"], r["kode_indikator"]): r["status"] for r in result.links.to_dict("records")}
    assert status == {("62.02", "P1"): "linked", ("62.03", "P1"): "linked", ("62.03", "P2"): "unmapped",
                      ("62.03", "S1"): "local", ("62.04", "P1"): "unknown_code",
                      ("62.04", "P0"): "local"}
    assert result.period == "2025-2029"
    assert set(result.plan["kode_rpjmd"]) == {"IKU-2.1", "IKU-4.1", "IKU-6.1"}


def test_coverage_matrix_counts_and_known_provincial_gaps(result):
    m = result.coverage
    assert list(m.columns) == ["62.02", "62.03", "62.04"]
    assert m.loc["IKU-2.1"].tolist() == [1, 1, 0]
    assert m.loc["IKU-4.1"].sum() == 0 and m.loc["IKU-6.1"].sum() == 0
    assert set(result.provincial_gaps["kode_rpjmd"]) == {"IKU-4.1", "IKU-6.1"}
    assert result.summary["covered"] == 1 and result.summary["plan_indicators"] == 3


def test_regency_gaps_with_suggestions(result):
    gaps = result.regency_gaps.set_index(["region", "kode_indikator"])
    assert set(gaps.index) == {("62.03", "P2"), ("62.04", "P1")}
    ormas = gaps.loc[("62.03", "P2")]
    assert ormas["saran_kode_rpjmd"] == "IKU-4.1"
    assert ormas["saran_alasan"] == "keselarasan.reason.same_program"
    assert 50 <= ormas["saran_skor"] <= 100
    typo = gaps.loc[("62.04", "P1")]
    assert (typo["saran_kode_rpjmd"], typo["saran_skor"], typo["saran_alasan"]) == (
        "IKU-2.1", 100.0, "keselarasan.reason.code_spelling")


def test_no_suggestion_when_nothing_is_similar():
    row = {"kode_rpjmd": "", "kode_program": "8.01.05",
           "indikator": "Jumlah rapat koordinasi ketahanan ekonomi"}
    out = alignment.suggest(row, RPJMD[RPJMD["periode_rpjmd"] == "2025-2029"])
    assert out["saran_kode_rpjmd"] is None and out["saran_alasan"] is None


def test_unit_and_polarity_mismatch_named(result):
    mm = result.mismatches
    assert len(mm) == 2
    assert set(mm["region"]) == {"62.03"}
    kinds = mm.set_index("kind")
    assert (kinds.loc["satuan", "regency_value"], kinds.loc["satuan", "provincial_value"]) == (
        "Persen", "Indeks")
    assert (kinds.loc["polaritas", "regency_value"], kinds.loc["polaritas", "provincial_value"]) == (
        "negatif", "positif")


def test_unit_spellings_that_mean_the_same_are_no_mismatch():
    ds = make_dataset([ind("62.02", "P9", "Persentase ormas aktif", program="8.01.04", rpjmd="IKU-4.1",
                           satuan="%")])
    assert alignment.analyse(ds, "62", 2026).mismatches.empty


def test_regency_on_another_plan_period(result):
    p = result.periods
    assert p[["region", "periode_wilayah", "periode_provinsi"]].values.tolist() == [
        ["62.04", "2021–2026", "2025-2029"]]


def test_sankey_flows_reach_regencies_and_gaps_stay_visible(result):
    s = result.sankey(program_name=lambda c: f"Program {c}", no_regency_label="Belum ada")
    to_region = s[s["target_stage"] == "wilayah"]
    assert set(zip(to_region["source_key"], to_region["target_key"], to_region["value"])) == {
        ("IKU-2.1", "62.02", 1), ("IKU-2.1", "62.03", 1)}
    gaps = s[s["target_stage"] == "gap"]
    assert set(gaps["source_key"]) == {"IKU-4.1", "IKU-6.1"}
    assert set(gaps["target_label"]) == {"Belum ada"}
    # flows are conserved: what enters the IKU-2.1 node leaves it
    into = s[(s["target_stage"] == "indikator") & (s["target_key"] == "IKU-2.1")]["value"].sum()
    out = s[(s["source_stage"] == "indikator") & (s["source_key"] == "IKU-2.1")]["value"].sum()
    assert into == out == 2
    assert "Program 8.01.02" in set(s["target_label"])


def test_older_plan_codes_do_not_match_in_a_new_plan_year():
    ds = make_dataset([ind("62.02", "P1", "Indikator lama", rpjmd="OLD-1")])
    links = alignment.analyse(ds, "62", 2026).links
    assert links["status"].tolist() == ["unknown_code"]
    # ... but in 2025, both plans cover the year and the latest-starting one (2025-2029) is in force
    assert plan_in_force(RPJMD, "62", 2025) == "2025-2029"
    assert plan_in_force(RPJMD, "62", 2023) == "2021-2026"


def test_latest_year_per_regency_when_no_year_given():
    ds = make_dataset([ind("62.02", "P1", "Indeks Aktualisasi Pancasila", rpjmd="IKU-2.1", year=2025),
                       ind("62.02", "P1", "Indeks Aktualisasi Pancasila", rpjmd="", year=2026)])
    res = alignment.analyse(ds, "62")
    assert res.year == 2026
    assert res.links["status"].tolist() == ["unmapped"]


def test_empty_dataset_gives_empty_frames():
    res = alignment.analyse(dataset.Dataset(), "62", 2026)
    assert res.links.empty and res.coverage.empty and res.regency_gaps.empty and res.periods.empty
    assert res.sankey().empty
    assert res.summary["cascade_share"] is None


def test_plan_without_regency_data_is_all_gaps():
    ds = dataset.Dataset(rpjmd=RPJMD)
    res = alignment.analyse(ds, "62", 2026)
    assert len(res.provincial_gaps) == 3
    assert (res.sankey()["target_stage"] == "gap").sum() == 3


@pytest.mark.parametrize("raw, span", [
    ("2025-2029", (2025, 2029)), ("2025–2029", (2025, 2029)), ("RPJMD 2025 s.d. 2029", (2025, 2029)),
    ("2029-2025", None), ("", None)])
def test_parse_period(raw, span):
    assert parse_period(raw) == span


def test_period_spellings_compare_equal():
    assert normalise_period("2025 – 2029") == normalise_period("2025-2029") == "2025-2029"

