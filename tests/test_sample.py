"""The sample province: deterministic, complete, believable, and identical in memory and in sample_data/."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kesbang import dataset, regions
from kesbang.analysis import metrics
from kesbang.devtools import sample
from kesbang.intake import loader

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"


@pytest.fixture(scope="module")
def subs():
    return sample.build_submissions()


@pytest.fixture(scope="module")
def ds(subs):
    return dataset.from_submissions([(s, {}) for s in subs], rpjmd=sample.build_rpjmd_all())


def _category(capaian: float) -> str:
    # the default scale, written out here on purpose (DOMAIN.md): ST >= 91, T 76-<91, S 66-<76, R 51-<66
    return "ST" if capaian >= 91 else "T" if capaian >= 76 else "S" if capaian >= 66 else \
        "R" if capaian >= 51 else "SR"


def test_covers_every_regency_of_both_provinces_for_both_years(subs):
    expected = set(regions.regions_in("62")["kemendagri"]) | set(regions.regions_in("64")["kemendagri"])
    assert len(expected) == 24
    got = {(s.region, s.year) for s in subs}
    assert got == {(r, y) for r in expected for y in (2025, 2026)}
    assert {s.period for s in subs if s.year == 2025} == {"Tahunan"}
    assert {s.period for s in subs if s.year == 2026} == {"TW III"}


def test_build_is_deterministic(subs):
    again = sample.build_submissions()
    for a, b in zip(subs, again):
        pd.testing.assert_frame_equal(a.indikator, b.indikator)
        pd.testing.assert_frame_equal(a.paskibraka, b.paskibraka)
        pd.testing.assert_frame_equal(a.nilai, b.nilai)
    pd.testing.assert_frame_equal(sample.build_rpjmd("62"), sample.build_rpjmd("62"))


def test_all_five_categories_occur_by_the_formulas(ds):
    ind = ds.indicators[ds.indicators["year"] == 2025]
    seen = set()
    for rec in ind.to_dict("records"):
        lo, hi = rec["target_min"], rec["target_max"]
        quarters = [rec[f"realisasi_tw{q}"] for q in range(1, 5)]
        quarters = [v for v in quarters if not math.isnan(v)]
        if math.isnan(lo) or lo == 0 or not quarters or lo != hi:
            continue
        positive = rec["polaritas"] == "positif"
        r = sum(quarters) if rec["akumulasi"] == "kumulatif" and positive else quarters[-1]
        capaian = r / lo * 100 if positive else max(0.0, (2 * lo - r) / lo * 100)
        seen.add(_category(capaian))
    assert seen == {"ST", "T", "S", "R", "SR"}
    # and the project's metrics agree, for both years
    for year in (2025, 2026):
        m = metrics.compute(ds.indicators[ds.indicators["year"] == year])
        assert set(m["kategori"].dropna()) == {"ST", "T", "S", "R", "SR"}, year


def test_under_and_over_performers_differ(ds):
    m = metrics.compute(ds.indicators[ds.indicators["year"] == 2025])
    median = m.groupby("region")["capaian"].median()
    for weak in sample.UNDER:
        assert median[weak] < 76, weak
    for strong in sample.OVER:
        assert median[strong] >= 100, strong


def test_regencies_differ_in_what_they_run(ds):
    ind = ds.indicators[ds.indicators["year"] == 2025]
    subs_run = ind.groupby("region")["kode_subkegiatan"].agg(lambda s: set(s.dropna()))
    programs = ind.groupby("region")["kode_program"].agg(set)
    assert "8.01.02.2.01.0009" not in subs_run["62.08"]
    assert "8.01.02.2.01.0009" in subs_run["62.02"]
    assert "8.01.05" not in programs["62.09"] and "8.01.05" in programs["62.02"]
    assert len({frozenset(s) for s in subs_run}) > 5


def test_paskibraka_funnels_are_realistic_and_use_the_published_sizes(ds):
    p = ds.paskibraka
    by = p.set_index(["region", "year", "tahap"])
    assert by.loc[("62.02", 2025, "pendaftar"), "jumlah"] == 398
    assert by.loc[("62.02", 2025, "ditetapkan"), "jumlah"] == 75
    assert by.loc[("64.08", 2025, "ditetapkan"), "jumlah"] == 36
    assert by.loc[("64.71", 2025, "ditetapkan"), "jumlah"] == 39
    sent = p[p["tahap"] == "dikirim_provinsi"]
    assert (sent["jumlah"] == 4).all() and (sent["putra"] == 2).all() and (sent["putri"] == 2).all()
    selected = p[p["tahap"] == "ditetapkan"]
    assert selected["jumlah"].between(36, 75).all()
    assert ((selected["putra"] - selected["putri"]).abs() <= 1).all()
    registrants = p[p["tahap"] == "pendaftar"]
    assert registrants["jumlah"].between(150, 600).all()
    gendered = p[p["putra"].notna()]
    assert (gendered["putra"] + gendered["putri"] == gendered["jumlah"]).all()
    late = p[(p["realisasi_mulai"].notna()) & (p["realisasi_mulai"] > p["rencana_mulai"])]
    assert 0 < late["region"].nunique() < 24
    duty = p[p["tahap"].isin(["tugas_1_juni", "tugas_17_agustus"])]
    assert {(d.month, d.day) for d in duty["realisasi_mulai"].dropna()} == {(6, 1), (8, 17)}


def test_kutai_timur_paskibraka_budget_is_the_published_three_billion(ds):
    ind = ds.indicators.set_index(["region", "year", "kode_indikator"])
    assert ind.loc[("64.08", 2025, "8.01.02.2.01.0008.01"), "pagu"] == 3_000_000_000


def test_values_programs_vary_and_belom_bahadat_is_kalteng_only(ds):
    n = ds.nilai
    assert n["tema"].nunique() == 7
    assert set(n.loc[n["tema"].str.startswith("Belom Bahadat"), "province"]) == {"62"}
    assert n["rubrik"].between(1, 5).all() and n["rubrik"].nunique() >= 4
    tested = n.dropna(subset=["pre_test", "post_test"])
    assert (tested["post_test"] >= tested["pre_test"]).all()
    assert n["data_dukung"].str.startswith("https://example.org/").all()
    assert n[n["year"] == 2026]["tanggal"].max() <= pd.Timestamp("2026-09-30").date()


def test_2026_is_reported_through_tw_iii_only(ds):
    ind26 = ds.indicators[ds.indicators["year"] == 2026]
    assert ind26["realisasi_tw4"].isna().all() and ind26["anggaran_tw4"].isna().all()
    assert ind26["realisasi_tw3"].notna().sum() > 0.9 * len(ind26)


def test_quarters_respect_the_roll_up_type(ds):
    ind = ds.indicators
    pct = ind[(ind["akumulasi"] == "persentase") & (ind["satuan"] == "Persen")]
    values = pct[[f"realisasi_tw{q}" for q in range(1, 5)]].stack().dropna()
    assert values.between(0, 100).all()
    konflik = ind[ind["kode_indikator"] == "8.01.06.P.01"]
    for rec in konflik[[f"realisasi_tw{q}" for q in range(1, 5)]].to_numpy():
        reported = [v for v in rec if not math.isnan(v)]
        assert reported == sorted(reported)  # a stock counted to date never falls


def test_budget_absorption_is_mostly_between_60_and_100_percent(ds):
    ind = ds.indicators[(ds.indicators["year"] == 2025) & ds.indicators["pagu"].notna()]
    absorption = ind[[f"anggaran_tw{q}" for q in range(1, 5)]].sum(axis=1) / ind["pagu"] * 100
    assert (absorption.between(40, 100)).mean() > 0.97
    assert (absorption.between(60, 100)).mean() > 0.8
    assert (absorption > 100).sum() == 1  # the planted over-spend


def test_sources_are_cited_and_the_rest_is_marked_synthetic(ds):
    ind = ds.indicators
    assert ind["sumber_data"].str.startswith(sample.SYNTHETIC).all()
    ormas = ind[(ind["kode_indikator"] == "8.01.04.2.01.0003.01") & (ind["year"] == 2025)].set_index("region")
    assert ormas.loc["62.07", "baseline"] == 100 and ormas.loc["62.71", "baseline"] == 32
    assert "Kesbangpol Provinsi Kalimantan Tengah" in ormas.loc["62.07", "sumber_data"]
    rp = sample.build_rpjmd("62").set_index("kode_rpjmd")
    assert rp.loc["RPJMD.03.01", "baseline"] == 78.47


def test_sample_files_say_they_are_synthetic_on_the_instructions_sheet():
    import openpyxl

    for name in ("62.02_2025.xlsx", "rpjmd_64.xlsx"):
        wb = openpyxl.load_workbook(SAMPLE_DIR / name, read_only=True)
        text = " ".join(str(c) for row in wb["Petunjuk"].iter_rows(values_only=True) for c in row if c)
        assert "Data sintetis" in text, name


def test_rpjmd_has_the_dataset_columns():
    rp = sample.build_rpjmd_all()
    assert list(rp.columns) == dataset.RPJMD_COLUMNS
    assert set(rp["province"]) == {"62", "64"}


def test_sample_command_is_byte_deterministic_and_matches_the_committed_files(tmp_path):
    first = tmp_path / "a"
    proc = subprocess.run([sys.executable, "-m", "kesbang", "sample", "--out", str(first)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    second = tmp_path / "b"
    sample.write_sample_data(second)
    names = sorted(p.name for p in first.iterdir())
    assert len(names) == 50
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # the committed sample_data/ is what the generator makes today
    for name in names:
        assert (SAMPLE_DIR / name).read_bytes() == (first / name).read_bytes(), f"sample_data/{name} is stale"


def _norm(v):
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, int | float):
        return round(float(v), 6)
    return v


PLANTED = {("62.05", 2025): {"v.budget.over_pagu"}, ("62.12", 2025): {"v.target.not_measurable"},
           ("64.09", 2026): {"v.indikator.unknown_rpjmd"}, ("64.11", 2026): {"v.cell.na", "v.quarter.gap"},
           ("64.72", 2025): {"v.quarter.percent_range"}}


@pytest.mark.parametrize("region", [r for p in sample.PROVINCES for r in regions.regions_in(p)["kemendagri"]])
def test_each_sample_file_loads_without_errors_and_equals_the_in_memory_sample(region, subs):
    codes = set(sample.build_rpjmd_all()["kode_rpjmd"])
    for sub in (s for s in subs if s.region == region):
        path = SAMPLE_DIR / sample.file_name(sub.region, sub.year)
        result = loader.load_submission(path.read_bytes(), path.name, rpjmd_codes=codes)
        assert result.ok, [(i.code, i.cell) for i in result.errors]
        warnings = {i.code for i in result.warnings}
        assert warnings == PLANTED.get((sub.region, sub.year), set()), (sub.region, sub.year)
        # the in-memory sample carries the same warnings, at the same cells, with the same values
        seen = sorted((i.code, i.cell, i.value, i.column) for i in result.issues if i.severity != "info")
        assert seen == sorted((i.code, i.cell, i.value, i.column) for i in sub.issues)
        loaded = result.submission
        assert {k: _norm(v) for k, v in loaded.identitas.items()} == \
            {k: _norm(v) for k, v in sub.identitas.items()}
        for name in ("indikator", "paskibraka", "nilai"):
            mine, theirs = getattr(sub, name), getattr(loaded, name)
            assert len(mine) == len(theirs), name
            for col in mine.columns:
                assert [_norm(v) for v in mine[col]] == [_norm(v) for v in theirs[col]], (name, col)
