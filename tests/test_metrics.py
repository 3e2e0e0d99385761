"""Achievement rules, roll-ups, budget figures and comparisons, worked by hand."""

import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kesbang.analysis import metrics
from kesbang.analysis.metrics import Rules, category, compute
from kesbang.i18n import t

NAN = np.nan


def row(target=100.0, tw=(NAN, NAN, NAN, NAN), polaritas="positif", akumulasi="kumulatif", period="TW IV",
        target_max=None, target_text=None, pagu=NAN, spent=(NAN, NAN, NAN, NAN), satuan="Orang",
        kode="IK.01", region="62.01", year=2026, kode_rpjmd=None):
    hi = target if target_max is None else target_max
    text = target_text if target_text is not None else ("" if pd.isna(target) else str(target))
    return {"region": region, "province": region.split(".")[0], "year": year, "period": period,
            "kode_indikator": kode, "indikator": f"Indikator {kode}", "satuan": satuan,
            "polaritas": polaritas,
            "akumulasi": akumulasi, "target_min": target, "target_max": hi, "target_text": text,
            **{f"realisasi_tw{i + 1}": v for i, v in enumerate(tw)}, "pagu": pagu,
            **{f"anggaran_tw{i + 1}": v for i, v in enumerate(spent)}, "kode_rpjmd": kode_rpjmd}


def one(rules=None, upto=None, **kw) -> pd.Series:
    return compute(pd.DataFrame([row(**kw)]), upto_quarter=upto, rules=rules).iloc[0]


# --- capaian by rule ------------------------------------------------------------------------------------

def test_positive_rule():
    r = one(target=80, tw=(20, 20, 20, 20))
    assert r["realisasi"] == 80 and r["capaian"] == pytest.approx(100.0)
    assert r["kategori"] == "ST" and r["rumus"] == "metrics.formula.positive" and r["alasan"] is None
    r = one(target=200, tw=(30, 30, 30, 30))  # 120 / 200 = 60 -> Rendah
    assert r["capaian"] == pytest.approx(60.0) and r["kategori"] == "R"


def test_negative_rule_lkjip_default():
    # 12 conflicts against a target of 10: (2*10 - 12) / 10 = 80 -> Tinggi
    r = one(target=10, tw=(3, 5, 12, NAN), polaritas="negatif", akumulasi="stok")
    assert r["realisasi"] == 12
    assert r["capaian"] == pytest.approx(80.0) and r["kategori"] == "T"
    assert r["rumus"] == "metrics.formula.negative_lkjip"
    # 25 against 10 would be -50: floored at 0
    assert one(target=10, tw=(25, NAN, NAN, NAN), polaritas="negatif")["capaian"] == 0.0
    # 4 against 10: better than target -> 160
    assert one(target=10, tw=(4, NAN, NAN, NAN), polaritas="negatif")["capaian"] == pytest.approx(160.0)


def test_negative_rule_ratio_setting():
    rules = Rules(negative_rule="ratio")
    r = one(rules=rules, target=10, tw=(8, NAN, NAN, NAN), polaritas="negatif")
    assert r["capaian"] == pytest.approx(125.0) and r["rumus"] == "metrics.formula.negative_ratio"
    r = one(rules=rules, target=10, tw=(0, NAN, NAN, NAN), polaritas="negatif")
    assert np.isnan(r["capaian"]) and r["kategori"] is None
    assert r["alasan"] == "metrics.reason.zero_realisasi_ratio"


def test_range_target_below_inside_above_positive():
    kw = {"target": 4.43, "target_max": 4.47, "akumulasi": "stok", "satuan": "Indeks"}
    below = one(tw=(NAN, NAN, NAN, 4.0), **kw)
    assert below["capaian"] == pytest.approx(4.0 / 4.43 * 100)
    assert below["rumus"] == "metrics.formula.range_lower" and below["target_acuan"] == 4.43
    inside = one(tw=(NAN, NAN, NAN, 4.45), **kw)
    assert inside["capaian"] == 100.0 and inside["rumus"] == "metrics.formula.range"
    on_bound = one(tw=(NAN, NAN, NAN, 4.47), **kw)
    assert on_bound["capaian"] == 100.0
    above = one(tw=(NAN, NAN, NAN, 5.0), **kw)
    assert above["capaian"] == pytest.approx(5.0 / 4.47 * 100)
    assert above["rumus"] == "metrics.formula.range_upper" and above["target_acuan"] == 4.47


def test_range_target_negative_polarity():
    # vulnerability index 20-30 (lower is better): 35 is above -> (60 - 35) / 30; 15 below -> (40 - 15) / 20
    kw = {"target": 20, "target_max": 30, "polaritas": "negatif", "akumulasi": "persentase"}
    assert one(tw=(35, NAN, NAN, NAN), **kw)["capaian"] == pytest.approx(25 / 30 * 100)
    assert one(tw=(15, NAN, NAN, NAN), **kw)["capaian"] == pytest.approx(125.0)
    assert one(tw=(25, NAN, NAN, NAN), **kw)["capaian"] == 100.0


def test_zero_missing_and_non_numeric_target_are_not_computable():
    zero = one(target=0, tw=(5, NAN, NAN, NAN))
    assert np.isnan(zero["capaian"]) and zero["alasan"] == "metrics.reason.zero_target"
    missing = one(target=NAN, tw=(5, NAN, NAN, NAN))
    assert missing["alasan"] == "metrics.reason.no_target" and missing["kategori"] is None
    words = one(target=NAN, target_text="meningkat", tw=(5, NAN, NAN, NAN))
    assert words["alasan"] == "metrics.reason.non_numeric_target"
    nothing = one(target=10, tw=(NAN, NAN, NAN, NAN))
    assert nothing["alasan"] == "metrics.reason.no_realisasi" and np.isnan(nothing["realisasi"])
    for r in (zero, missing, words, nothing):
        assert t(r["alasan"], "id") != r["alasan"] and t(r["alasan"], "en") != r["alasan"]


# --- roll-up --------------------------------------------------------------------------------------------

def test_rollup_kumulatif_sums_reported_quarters():
    r = one(target=100, tw=(10, NAN, 30, 25))
    assert r["realisasi"] == 65 and r["quarters_reported"] == 3


def test_rollup_stok_and_persentase_take_last_reported_quarter():
    assert one(target=100, tw=(40, 42, NAN, NAN), akumulasi="stok", period="TW III")["realisasi"] == 42
    assert one(target=80, tw=(70, 75, 78, 81), akumulasi="persentase")["realisasi"] == 81


def test_rollup_negative_indicator_takes_last_quarter_even_if_kumulatif():
    assert one(target=10, tw=(2, 3, 1, NAN), polaritas="negatif", akumulasi="kumulatif")["realisasi"] == 1


def test_to_date_versus_full_year():
    kw = {"target": 100, "tw": (20, 30, 25, 35)}
    sd2 = one(upto=2, **kw)
    assert sd2["realisasi"] == 50 and sd2["realisasi_tahun"] == 110 and sd2["quarters_reported"] == 2
    assert sd2["capaian"] == pytest.approx(50.0)
    assert one(upto=None, **kw)["realisasi"] == 110
    # a TW II submission never counts quarters past its own period, even when asked for TW IV
    assert one(upto=4, period="TW II", **kw)["realisasi"] == 50
    stok = one(upto=3, target=50, tw=(10, 20, 30, 40), akumulasi="stok")
    assert stok["realisasi"] == 30 and stok["realisasi_tahun"] == 40


# --- budget ---------------------------------------------------------------------------------------------

def test_budget_absorption_and_cost_per_unit():
    r = one(target=100, tw=(10, 30, NAN, NAN), period="TW II", pagu=1_000_000,
            spent=(150_000, 250_000, NAN, NAN))
    assert r["anggaran"] == 400_000 and r["serapan"] == pytest.approx(40.0)
    assert r["biaya_per_unit"] == pytest.approx(10_000)
    assert np.isnan(one(target=80, tw=(70, NAN, NAN, NAN), akumulasi="persentase", pagu=1e6,
                        spent=(1e5, NAN, NAN, NAN))["biaya_per_unit"])
    no_pagu = one(target=100, tw=(10, NAN, NAN, NAN), pagu=0, spent=(5, NAN, NAN, NAN))
    assert np.isnan(no_pagu["serapan"])


def test_rpjmd_progress_towards_end_of_period_target():
    rpjmd = pd.DataFrame({"province": ["62", "62"], "periode_rpjmd": ["2025-2029"] * 2,
                          "kode_rpjmd": ["RPJMD.1", "RPJMD.2"], "satuan": ["Orang", "Indeks"],
                          "polaritas": ["positif", "positif"], "indikator": ["Peserta", "Indeks harmoni"],
                          "target_1": [150, "4,3–4,4"], "target_2": [180, "4,4–4,5"],
                          "target_akhir": [400, "4,50–4,60"]})
    ind = pd.DataFrame([
        row(region="62.01", year=2026, target=60, tw=(10, 20, 15, 5), kode_rpjmd="RPJMD.1"),  # 50 people
        row(region="62.02", year=2026, target=90, tw=(40, 30, 20, 10), kode_rpjmd="RPJMD.1"),  # 100 people
        row(region="62.01", year=2026, target=4.4, target_max=4.5, tw=(NAN, NAN, NAN, 4.6), akumulasi="stok",
            satuan="Indeks", kode_rpjmd="RPJMD.2", kode="IK.02"),
        row(region="62.02", year=2026, target=4.4, target_max=4.5, tw=(NAN, NAN, NAN, 4.2), akumulasi="stok",
            satuan="Indeks", kode_rpjmd="RPJMD.2", kode="IK.02")])
    out = compute(ind, rules=Rules(), rpjmd=rpjmd)
    # one regency cannot meet a provincial count target: no per-row progress for counts
    assert out["progres_rpjmd"].isna().tolist() == [True, True, False, False]
    assert out.loc[2, "progres_rpjmd"] == 100.0                                  # 4.6 inside 4.50-4.60
    assert out.loc[3, "progres_rpjmd"] == pytest.approx(4.2 / 4.5 * 100)        # below: against 4.50

    prov = metrics.rpjmd_progress(out, rpjmd).set_index("kode_rpjmd")
    people = prov.loc["RPJMD.1"]
    assert people["realisasi"] == 150 and people["metode"] == "metrics.aggregate.sum"
    assert people["target_tahun"] == 180 and people["capaian_tahun"] == pytest.approx(150 / 180 * 100)
    assert people["progres_akhir"] == pytest.approx(150 / 400 * 100)
    index = prov.loc["RPJMD.2"]
    pop1, pop2 = 294602, 454515
    mean = (4.6 * pop1 + 4.2 * pop2) / (pop1 + pop2)
    assert index["realisasi"] == pytest.approx(mean)
    assert index["metode"] == "metrics.aggregate.population_weighted_mean"
    assert index["capaian_tahun"] == pytest.approx(mean / 4.4 * 100)            # plan year 2: 4,4–4,5
    assert index["progres_akhir"] == pytest.approx(mean / 4.5 * 100)


def test_parse_target_reads_plan_cells():
    assert metrics.parse_target(12) == (12.0, 12.0)
    assert metrics.parse_target("4,43–4,47") == (4.43, 4.47)
    assert metrics.parse_target("4.43 - 4.47") == (4.43, 4.47)
    assert metrics.parse_target("75%") == (75.0, 75.0)
    assert metrics.parse_target("1.234,5") == (1234.5, 1234.5)
    assert all(np.isnan(v) for v in metrics.parse_target("meningkat"))
    assert all(np.isnan(v) for v in metrics.parse_target(None))


# --- scale ----------------------------------------------------------------------------------------------

def test_floating_point_never_drops_a_boundary_value_into_the_lower_category():
    r = one(target=0.75, tw=(0.57, NAN, NAN, NAN), akumulasi="stok")  # 75.99999999999999 in floats
    assert r["capaian"] == 76.0 and r["kategori"] == "T"
    assert list(category([0.57 / 0.75 * 100, (50.5 + 101.5) / 2])) == ["T", "T"]  # averages too


def test_default_category_boundaries():
    values = [91, 90.99, 76, 75.99, 66, 65.99, 51, 50.99, 0, NAN]
    assert list(category(values)) == ["ST", "T", "T", "S", "S", "R", "R", "SR", "SR", None]


def test_rules_from_settings(monkeypatch):
    monkeypatch.setenv("KESBANG_NEGATIVE_RULE", "ratio")
    monkeypatch.setenv("KESBANG_CATEGORY_SCALE", "90,75,60,50")
    rules = Rules.from_settings()
    assert rules.negative_rule == "ratio" and rules.scale == (90, 75, 60, 50)
    monkeypatch.setenv("KESBANG_CATEGORY_SCALE", "rubbish")
    assert Rules.from_settings().scale == metrics.DEFAULT_SCALE


@settings(deadline=None)
@given(st.lists(st.floats(-50, 400, allow_nan=False), min_size=2, max_size=30))
def test_category_never_drops_as_capaian_rises(values):
    rank = {c: i for i, c in enumerate(reversed(metrics.CATEGORIES))}
    values = sorted(values)
    cats = [rank[c] for c in category(values)]
    assert cats == sorted(cats)


@settings(deadline=None)
@given(st.floats(0.5, 1e6), st.floats(-1e6, 1e6))
def test_negative_lkjip_mirrors_positive_around_target(target, delta):
    r = target + delta
    if r < 0:
        r = 0.0
    frame = pd.DataFrame([row(target=target, tw=(r, NAN, NAN, NAN), polaritas=p)
                          for p in ("positif", "negatif")])
    pos, neg = compute(frame)["capaian"]
    assert neg == pytest.approx(max(200.0 - pos, 0.0), rel=1e-9, abs=1e-6)


@settings(deadline=None)
@given(st.floats(0.01, 1e6), st.floats(0, 1e7), st.sampled_from(["positif", "negatif"]),
       st.sampled_from(["lkjip", "ratio"]))
def test_capaian_is_finite_or_has_a_reason(target, r, polaritas, rule):
    out = one(rules=Rules(negative_rule=rule), target=target, tw=(r, NAN, NAN, NAN), polaritas=polaritas)
    assert np.isfinite(out["capaian"]) or out["alasan"] in metrics.REASONS


# --- like for like and province aggregates ----------------------------------------------------------

def test_comparable_excludes_other_units_and_uncomputable_rows():
    rows = [row(region="62.01", satuan="Orang", tw=(50, NAN, NAN, NAN)),
            row(region="62.02", satuan="orang ", tw=(70, NAN, NAN, NAN)),
            row(region="62.03", satuan="Kegiatan", tw=(9, NAN, NAN, NAN)),
            row(region="62.04", satuan="Orang", target=0, tw=(3, NAN, NAN, NAN)),
            row(region="62.05", kode="IK.99", tw=(1, NAN, NAN, NAN))]
    frame, excluded = metrics.comparable(compute(pd.DataFrame(rows)), "IK.01")
    assert sorted(frame["region"]) == ["62.01", "62.02"]
    reasons = dict(zip(excluded["region"], excluded["alasan_eksklusi"]))
    assert reasons == {"62.03": "metrics.exclude.different_unit", "62.04": "metrics.exclude.not_computable"}


def test_province_aggregate_sums_counts_and_weights_rates_by_population():
    rows = [row(region="62.01", tw=(100, NAN, NAN, NAN), target=100),          # pop 294602
            row(region="62.02", tw=(300, NAN, NAN, NAN), target=200),          # pop 454515
            # registered ormas are a stock, but a count: the province has the sum of its regencies
            row(region="62.01", kode="IK.O", akumulasi="stok", satuan="Ormas", target=40,
                tw=(42, NAN, NAN, NAN)),
            row(region="62.02", kode="IK.O", akumulasi="stok", satuan="Ormas", target=80,
                tw=(83, NAN, NAN, NAN)),
            row(region="62.01", kode="IK.P", akumulasi="persentase", satuan="Persen", target=80,
                tw=(60, NAN, NAN, NAN)),
            row(region="62.02", kode="IK.P", akumulasi="persentase", satuan="Persen", target=80,
                tw=(90, NAN, NAN, NAN))]
    agg = metrics.province_aggregate(compute(pd.DataFrame(rows))).set_index("kode_indikator")
    assert agg.loc["IK.01", "realisasi"] == 400 and agg.loc["IK.01", "target"] == 300
    assert agg.loc["IK.01", "metode"] == "metrics.aggregate.sum" and agg.loc["IK.01", "n_regions"] == 2
    assert agg.loc["IK.O", "realisasi"] == 125 and agg.loc["IK.O", "metode"] == "metrics.aggregate.sum"
    expected = (60 * 294602 + 90 * 454515) / (294602 + 454515)
    assert agg.loc["IK.P", "realisasi"] == pytest.approx(expected)
    assert agg.loc["IK.P", "metode"] == "metrics.aggregate.population_weighted_mean"
    med = metrics.province_aggregate(compute(pd.DataFrame(rows)), rate_method="median")
    med = med.set_index("kode_indikator")
    assert med.loc["IK.P", "realisasi"] == 75 and med.loc["IK.P", "metode"] == "metrics.aggregate.median"


def test_national_scale_is_fast():
    """514 regencies x 5 years x 60 indicators: vectorised, so one compute stays well under seconds."""
    rng = np.random.default_rng(7)
    n = 514 * 5 * 60
    frame = pd.DataFrame({
        "region": "62.01", "province": "62", "year": 2026, "period": rng.choice(["TW II", "TW IV"], n),
        "kode_indikator": [f"IK.{i % 60}" for i in range(n)], "satuan": "Orang",
        "polaritas": rng.choice(["positif", "negatif"], n),
        "akumulasi": rng.choice(["kumulatif", "stok", "persentase"], n),
        "target_min": rng.uniform(0, 100, n), "target_max": NAN, "target_text": "x",
        **{f"realisasi_tw{q}": rng.uniform(0, 40, n) for q in range(1, 5)},
        "pagu": 1e6, **{f"anggaran_tw{q}": rng.uniform(0, 2e5, n) for q in range(1, 5)}})
    start = time.perf_counter()
    out = compute(frame)
    elapsed = time.perf_counter() - start
    assert len(out) == n and not np.isinf(out["capaian"]).any()
    assert set(out["kategori"].dropna()) == set(metrics.CATEGORIES)
    assert elapsed < 5, elapsed


@settings(deadline=None)
@given(st.floats(0.5, 1e4), st.lists(st.floats(0, 2e4), min_size=2, max_size=12),
       st.sampled_from(["lkjip", "ratio"]))
def test_more_is_better_for_positive_and_worse_for_negative(target, values, rule):
    values = sorted(values)
    frame = pd.DataFrame([row(target=target, tw=(v, NAN, NAN, NAN), polaritas=p)
                          for p in ("positif", "negatif") for v in values])
    out = compute(frame, rules=Rules(negative_rule=rule))
    pos = out["capaian"][: len(values)].to_numpy()
    neg = out["capaian"][len(values):].dropna().to_numpy()
    assert (np.diff(pos) >= -1e-9).all()
    assert (np.diff(neg) <= 1e-9).all()


@settings(deadline=None)
@given(st.floats(0.1, 1e3), st.floats(0.01, 1e3), st.floats(0, 1), st.sampled_from(["positif", "negatif"]))
def test_anything_inside_a_range_target_scores_100(lo, width, where, polaritas):
    hi = lo + width
    r = lo + where * width
    out = one(target=lo, target_max=hi, tw=(r, NAN, NAN, NAN), polaritas=polaritas)
    assert out["capaian"] == 100.0 and out["rumus"] == "metrics.formula.range"


def test_empty_dataset_computes_to_empty_frames():
    from kesbang import dataset

    ds = dataset.Dataset()
    out = compute(ds.indicators, 2, rpjmd=ds.rpjmd)
    assert out.empty and {"capaian", "kategori", "alasan", "rumus", "serapan", "progres_rpjmd"} <= set(out)
    assert metrics.province_aggregate(out).empty and metrics.rpjmd_progress(out, ds.rpjmd).empty
    frame, excluded = metrics.comparable(out, "IK.01")
    assert frame.empty and excluded.empty


def test_province_aggregate_of_nothing_reported_is_empty_not_zero():
    rows = [row(region="62.01", tw=(NAN, NAN, NAN, NAN)), row(region="62.02", tw=(NAN, NAN, NAN, NAN))]
    agg = metrics.province_aggregate(compute(pd.DataFrame(rows)))
    assert len(agg) == 1 and np.isnan(agg.loc[0, "realisasi"]) and agg.loc[0, "target"] == 200


def test_every_formula_reason_and_method_has_text_in_both_languages():
    from kesbang.i18n import catalogue

    ids = [*metrics.FORMULAS, *metrics.REASONS, metrics.X_DIFFERENT_UNIT, metrics.X_NOT_COMPUTABLE,
           metrics.A_SUM, metrics.A_WEIGHTED_MEAN, metrics.A_MEDIAN,
           *(f"metrics.rule.{r}" for r in metrics.NEGATIVE_RULES)]
    for lang in ("id", "en"):
        missing = [i for i in ids if i not in catalogue(lang)]
        assert not missing, (lang, missing)
    assert t(metrics.R_ZERO_TARGET, "id") != t(metrics.R_ZERO_TARGET, "en")


def test_categories_stay_on_their_rows_when_the_frame_is_a_slice():
    """A frame cut with iloc keeps a RangeIndex that does not start at 0: each row keeps its own category."""
    frame = pd.DataFrame({
        "polaritas": ["positif"] * 3, "akumulasi": ["kumulatif"] * 3, "period": ["Tahunan"] * 3,
        "target_min": [100.0, 100.0, 100.0], "target_max": [100.0, 100.0, 100.0],
        "realisasi_tw1": [95.0, 7.2, 70.0], "realisasi_tw2": [None] * 3,
        "realisasi_tw3": [None] * 3, "realisasi_tw4": [None] * 3,
    }).iloc[1:]
    out = metrics.compute(frame)
    assert list(out["capaian"].round(1)) == [7.2, 70.0]
    assert list(out["kategori"]) == ["SR", "S"]
