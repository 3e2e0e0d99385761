"""Paskibraka funnel metrics on small hand-made funnels whose answers can be worked out by hand."""

import datetime as dt
import math

import pandas as pd
import pytest

from kesbang.analysis import paskibraka as P
from kesbang.dataset import PASKIBRAKA_COLUMNS


def stage(region, year, tahap, putra=None, putri=None, jumlah=None, **dates):
    row = {c: None for c in PASKIBRAKA_COLUMNS}
    row.update(region=region, province=region[:2], year=year, submission_id=1, row=1, tahap=tahap,
               putra=putra, putri=putri, jumlah=jumlah, **dates)
    return row


@pytest.fixture
def pas():
    # Kotawaringin Timur 2023 as published: 398 registrants -> 75 selected (DOMAIN.md); steps synthetic.
    return pd.DataFrame([
        stage("62.02", 2023, "sekolah", jumlah=41),
        stage("62.02", 2023, "pendaftar", 200, 198),
        stage("62.02", 2023, "lulus_kesehatan", 160, 150),
        stage("62.02", 2023, "lulus_administrasi", 150, 140),
        stage("62.02", 2023, "ditetapkan", 38, 37),
        stage("62.02", 2023, "dikirim_provinsi", 2, 2),
        # Barito Selatan 2023: 74 selected + 4 to the province; it reported no health-test row
        stage("62.04", 2023, "pendaftar", 60, 60),
        stage("62.04", 2023, "ditetapkan", 37, 37),
        stage("62.04", 2023, "dikirim_provinsi", 2, 2),
        stage("62.02", 2024, "pendaftar", 220, 230),
        stage("62.02", 2024, "ditetapkan", 36, 36),
    ])


def row(df, **where):
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k] == v
    hit = df[mask]
    assert len(hit) == 1, f"expected one row for {where}, got {len(hit)}"
    return hit.iloc[0]


def test_total_is_putra_plus_putri_when_not_written(pas):
    counts = P.stage_counts(pas)
    assert row(counts, region="62.02", year=2023, tahap="pendaftar")["jumlah"] == 398
    assert row(counts, region="62.02", year=2023, tahap="sekolah")["jumlah"] == 41


def test_conversion_and_drop_off_from_parent_stage(pas):
    f = P.funnel(pas, by_region=True)
    health = row(f, region="62.02", year=2023, tahap="lulus_kesehatan")
    assert health["parent"] == "pendaftar"
    assert health["konversi"] == pytest.approx(310 / 398 * 100)
    assert health["gugur"] == 88
    # administration converts from health; then the skipped interview steps fall back to administration
    sel = row(f, region="62.02", year=2023, tahap="ditetapkan")
    assert sel["parent"] == "lulus_administrasi"
    assert sel["konversi"] == pytest.approx(75 / 290 * 100)


def test_missing_steps_fall_back_to_the_nearest_reported_ancestor(pas):
    f = P.funnel(pas, by_region=True)
    sel = row(f, region="62.04", year=2023, tahap="ditetapkan")
    assert sel["parent"] == "pendaftar"
    assert sel["gugur"] == 120 - 74


def test_province_funnel_sums_regions_and_converts_only_paired_rows(pas):
    f = P.funnel(pas)
    reg = row(f, year=2023, tahap="pendaftar")
    assert reg["jumlah"] == 398 + 120 and reg["n_wilayah"] == 2
    sent = row(f, year=2023, tahap="dikirim_provinsi")
    assert sent["jumlah"] == 8
    assert sent["konversi"] == pytest.approx(8 / 149 * 100)
    # stages with no parent (registrants, schools) have no conversion rather than a fake 100 %
    assert math.isnan(reg["konversi"])


def test_stage_without_any_count_does_not_break_the_funnel():
    pas = pd.DataFrame([stage("62.02", 2025, "pendaftar", 10, 10), stage("62.02", 2025, "ditetapkan")])
    f = P.funnel(pas)
    assert math.isnan(row(f, tahap="ditetapkan")["konversi"])


def test_gender_balance_flags_unbalanced_teams():
    pas = pd.DataFrame([stage("62.02", 2025, "pendaftar", 100, 100),
                        stage("62.02", 2025, "ditetapkan", 30, 10),
                        stage("62.02", 2025, "dikirim_provinsi", 2, 2),
                        stage("62.02", 2025, "dikukuhkan", 5, 4)])
    bal = P.gender_balance(pas)
    assert bool(row(bal, tahap="pendaftar")["seimbang"]) is True
    assert bool(row(bal, tahap="ditetapkan")["seimbang"]) is False
    assert row(bal, tahap="ditetapkan")["putri_pct"] == pytest.approx(25.0)
    assert bool(row(bal, tahap="dikukuhkan")["seimbang"]) is True  # odd total: one apart is balanced
    # the page hands in the funnel it already drew: the same answer
    pd.testing.assert_frame_equal(P.gender_balance(pas, funnel_rows=P.funnel(pas)), bal)


def test_timeline_flags_late_and_open_overdue_stages():
    d = dt.date
    pas = pd.DataFrame([
        stage("62.02", 2025, "pendaftar", 1, 1, rencana_mulai=d(2025, 2, 1), rencana_selesai=d(2025, 2, 28),
              realisasi_mulai=d(2025, 2, 1), realisasi_selesai=d(2025, 2, 27)),
        stage("62.02", 2025, "ditetapkan", 1, 1, rencana_selesai=d(2025, 4, 30),
              realisasi_selesai=d(2025, 5, 10)),
        stage("62.02", 2025, "diklat", 1, 1, rencana_mulai=d(2025, 7, 1), rencana_selesai=d(2025, 8, 10)),
        stage("62.02", 2025, "dikukuhkan", 1, 1, rencana_selesai=d(2025, 8, 15)),
        stage("62.02", 2025, "tugas_17_agustus", 1, 1),
    ])
    tl = P.timeline(pas, today=d(2025, 8, 12))
    assert row(tl, tahap="pendaftar")["status"] == "tepat"
    late = row(tl, tahap="ditetapkan")
    assert late["status"] == "terlambat" and late["terlambat_hari"] == 10
    overdue = row(tl, tahap="diklat")
    assert overdue["status"] == "terlambat" and overdue["terlambat_hari"] == 2
    assert row(tl, tahap="dikukuhkan")["status"] == "belum"
    assert row(tl, tahap="tugas_17_agustus")["status"] == "tanpa_jadwal"


def test_cost_per_member_counts_a_subkegiatan_budget_once_and_accepts_old_codes(pas):
    base = {"kode_program": "8.01.02", "anggaran_tw3": None, "anggaran_tw4": None}
    ind = pd.DataFrame([
        # two indicators of the same sub-kegiatan repeat its budget; old two-digit code on one of them
        {**base, "region": "62.02", "year": 2023, "kode_subkegiatan": "8.01.02.2.01.0008", "pagu": 300e6,
         "anggaran_tw1": 100e6, "anggaran_tw2": 125e6},
        {**base, "region": "62.02", "year": 2023, "kode_subkegiatan": "8.01.02.2.01.08", "pagu": 300e6,
         "anggaran_tw1": 100e6, "anggaran_tw2": 125e6},
        # another sub-kegiatan is not Paskibraka money
        {**base, "region": "62.02", "year": 2023, "kode_subkegiatan": "8.01.02.2.01.0003", "pagu": 900e6,
         "anggaran_tw1": 1e6, "anggaran_tw2": 1e6},
    ])
    cost = P.cost_per_member(ind, pas)
    r = row(cost, region="62.02", year=2023)
    assert r["pagu"] == 300e6 and r["realisasi_anggaran"] == 225e6 and r["terpilih"] == 75
    assert r["biaya_per_anggota"] == pytest.approx(3e6)
    assert r["pagu_per_anggota"] == pytest.approx(4e6)


def test_cost_without_selected_members_is_not_divided():
    ind = pd.DataFrame([{"region": "62.02", "year": 2025, "kode_subkegiatan": "8.01.02.2.01.0008",
                         "pagu": 1e8, "anggaran_tw1": 5e7, "anggaran_tw2": None, "anggaran_tw3": None,
                         "anggaran_tw4": None}])
    cost = P.cost_per_member(ind, pd.DataFrame([stage("62.02", 2025, "pendaftar", 5, 5)]))
    assert math.isnan(cost.iloc[0]["biaya_per_anggota"])


def test_normalised_funnels_are_shares_of_each_regions_registrants(pas):
    n = P.normalised_funnels(pas, year=2023)
    assert row(n, region="62.04", tahap="ditetapkan")["pct_pendaftar"] == pytest.approx(74 / 120 * 100)
    assert row(n, region="62.02", tahap="ditetapkan")["pct_pendaftar"] == pytest.approx(75 / 398 * 100)
    assert "sekolah" not in set(n["tahap"])


def test_year_over_year_change(pas):
    y = P.year_over_year(pas.query("region == '62.02'"))
    r = row(y, year=2024, tahap="pendaftar")
    assert r["perubahan_pct"] == pytest.approx((450 - 398) / 398 * 100)
    assert math.isnan(row(y, year=2023, tahap="pendaftar")["perubahan_pct"])


def test_empty_frames_give_empty_results():
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in PASKIBRAKA_COLUMNS})
    for fn in (P.stage_counts, P.funnel, P.gender_balance, P.timeline, P.normalised_funnels,
               P.year_over_year):
        assert fn(empty).empty
    assert P.cost_per_member(pd.DataFrame(), empty).empty


def test_stage_labels_in_both_languages():
    assert P.stage_label("ditetapkan", "id") == "Ditetapkan SK Bupati/Wali Kota"
    assert P.stage_label("ditetapkan", "en") == "Appointed by regent/mayor decree"
