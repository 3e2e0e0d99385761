"""Early-warning projections against hand-worked examples: pace, latest value, polarity, ranges, gaps."""

import numpy as np
import pandas as pd
import pytest

from kesbang.analysis import metrics, projection
from kesbang.analysis.metrics import Rules

NAN = np.nan


def row(target=100.0, tw=(NAN, NAN, NAN, NAN), polaritas="positif", akumulasi="kumulatif", period="TW IV",
        target_max=None, kode="IK.01", kode_rpjmd=None):
    hi = target if target_max is None else target_max
    return {"region": "62.02", "province": "62", "year": 2026, "period": period, "kode_indikator": kode,
            "indikator": f"Indikator {kode}", "satuan": "Orang", "polaritas": polaritas, "akumulasi": akumulasi,
            "target_min": target, "target_max": hi, "target_text": "" if pd.isna(target) else str(target),
            **{f"realisasi_tw{i + 1}": v for i, v in enumerate(tw)}, "kode_rpjmd": kode_rpjmd}


def project_one(rules=None, upto=None, rpjmd=None, **kw) -> pd.Series:
    computed = metrics.compute(pd.DataFrame([row(**kw)]), upto_quarter=upto, rules=rules, rpjmd=rpjmd)
    return projection.project(computed, rules, upto_quarter=upto).iloc[0]


def test_cumulative_year_end_at_the_current_pace():
    # TW II: 20 + 25 = 45 in two quarters -> 90 by December; 90 / 100 = 90, just under the top band
    p = project_one(target=100, tw=(20, 25, NAN, NAN), period="TW II")
    assert p["proj_basis"] == "pace" and p["quarters_covered"] == 2
    assert p["proj_year_end"] == pytest.approx(90.0) and p["proj_capaian"] == pytest.approx(90.0)
    assert p["proj_status"] == "at_risk" and p["proj_reason"] is None
    assert np.isnan(p["proj_trend"])  # a flow's trend is its pace, not a slope
    # the same report one quarter later at the same pace: 3 x 22.5 -> 90 again; faster -> on track
    assert project_one(target=100, tw=(20, 25, 50, NAN), period="TW III")["proj_year_end"] == pytest.approx(126.6667,
                                                                                                        rel=1e-4)
    assert project_one(target=100, tw=(20, 25, 50, NAN), period="TW III")["proj_status"] == "on_track"


def test_stock_is_its_latest_value_with_the_trend_of_the_quarters():
    # 60, 70, 75 against 80: latest 75 -> 93.75 (on track); least squares over q1..q3: slope 7.5 a quarter
    p = project_one(target=80, tw=(60, 70, 75, NAN), akumulasi="persentase", period="TW III")
    assert p["proj_basis"] == "latest" and p["proj_year_end"] == 75
    assert p["proj_capaian"] == pytest.approx(93.75) and p["proj_status"] == "on_track"
    assert p["proj_trend"] == pytest.approx(7.5)
    # one quarter only: no trend
    assert np.isnan(project_one(target=80, tw=(60, NAN, NAN, NAN), akumulasi="stok", period="TW I")["proj_trend"])


def test_negative_polarity_by_the_configured_rule():
    # conflicts: last quarter 14 against 10; LKjIP (2 x 10 - 14) / 10 = 60 -> off track; ratio 10/14 = 71.4
    kw = dict(target=10, tw=(8, 14, NAN, NAN), polaritas="negatif", period="TW II")
    lkjip = project_one(**kw)
    assert lkjip["proj_basis"] == "latest" and lkjip["proj_year_end"] == 14  # never summed
    assert lkjip["proj_capaian"] == pytest.approx(60.0) and lkjip["proj_status"] == "off_track"
    assert lkjip["proj_trend"] == pytest.approx(6.0)
    ratio = project_one(rules=Rules(negative_rule="ratio"), **kw)
    assert ratio["proj_capaian"] == pytest.approx(71.428571) and ratio["proj_status"] == "at_risk"


def test_range_targets():
    # a flow heading into the range 40-50 scores 100; one short of its lower bound scores against it
    inside = project_one(target=40, target_max=50, tw=(10, 10, NAN, NAN), period="TW II")
    assert inside["proj_year_end"] == 40 and inside["proj_capaian"] == 100 and inside["proj_status"] == "on_track"
    short = project_one(target=40, target_max=50, tw=(6, 8, NAN, NAN), period="TW II")  # 28 / 40 = 70
    assert short["proj_capaian"] == pytest.approx(70.0) and short["proj_status"] == "at_risk"
    index = project_one(target=4.43, target_max=4.47, tw=(4.30, NAN, NAN, NAN), akumulasi="stok", period="TW I")
    assert index["proj_capaian"] == pytest.approx(4.30 / 4.43 * 100) and index["proj_status"] == "on_track"


def test_zero_target_is_projected_but_not_scored():
    p = project_one(target=0, tw=(5, NAN, NAN, NAN), period="TW I")
    assert p["proj_year_end"] == 20  # the pace is still known
    assert np.isnan(p["proj_capaian"]) and p["proj_status"] is None
    assert p["proj_reason"] == "metrics.reason.zero_target"


def test_a_missing_quarter_slows_the_pace():
    # TW III report, TW II left blank: 30 + 30 = 60 over three quarters -> 80 of 120 = 66.7 (at risk)
    p = project_one(target=120, tw=(30, NAN, 30, NAN), period="TW III")
    assert p["quarters_covered"] == 3 and p["proj_year_end"] == pytest.approx(80.0)
    assert p["proj_capaian"] == pytest.approx(66.6667, rel=1e-4) and p["proj_status"] == "at_risk"
    # nothing reported at all: no projection, and why
    none = project_one(target=120, period="TW III")
    assert np.isnan(none["proj_year_end"]) and none["proj_status"] is None
    assert none["proj_reason"] == "projection.reason.no_realisasi"
    # looked at before any quarter is due
    early = project_one(target=120, tw=(30, NAN, NAN, NAN), period="TW III", upto=0)
    assert early["proj_reason"] == "projection.reason.no_quarter" and np.isnan(early["proj_year_end"])


def test_status_follows_the_configured_scale():
    assert list(projection.status([91, 90.99, 66, 65.9, NAN])) == ["on_track", "at_risk", "at_risk", "off_track",
                                                                    None]
    strict = Rules(scale=(95.0, 80.0, 70.0, 50.0))
    assert list(projection.status([93, 69], strict)) == ["at_risk", "off_track"]


def test_progress_against_the_rpjmd_end_target():
    plan = pd.DataFrame([
        {"province": "62", "periode_rpjmd": "2025-2029", "kode_rpjmd": "R.1", "target_akhir": "80"},
        {"province": "62", "periode_rpjmd": "2025-2029", "kode_rpjmd": "R.2", "target_akhir": "6925"},
    ])
    rate = project_one(target=70, tw=(60, 72, NAN, NAN), akumulasi="persentase", period="TW II", kode_rpjmd="R.1",
                       rpjmd=plan)
    assert rate["proj_rpjmd_progress"] == pytest.approx(90.0) and rate["proj_rpjmd_reason"] is None  # 72 / 80
    count = project_one(target=100, tw=(20, 30, NAN, NAN), period="TW II", kode_rpjmd="R.2", rpjmd=plan)
    assert np.isnan(count["proj_rpjmd_progress"]) and count["proj_rpjmd_reason"] == "projection.reason.rpjmd_count"
    no_plan = project_one(target=100, tw=(20, 30, NAN, NAN), period="TW II", rpjmd=plan)
    assert np.isnan(no_plan["proj_rpjmd_progress"]) and no_plan["proj_rpjmd_reason"] is None


def test_watch_list_names_the_lagging_pairs_with_their_reasons_and_the_peers_doing_well():
    rows = []
    for region, tw in (("62.01", (10, 12, NAN, NAN)), ("62.02", (30, 28, NAN, NAN)), ("62.03", (20, 18, NAN, NAN)),
                       ("62.04", (40, 12, NAN, NAN)), ("62.05", (31, 30, NAN, NAN))):
        r = row(target=100, tw=tw, period="TW II")
        r.update(region=region, faktor_penghambat=f"hambatan {region}", tindak_lanjut=f"rencana {region}")
        rows.append(r)
    other_unit = row(target=100, tw=(80, 80, NAN, NAN), period="TW II")
    other_unit.update(region="62.06", satuan="Kegiatan")  # on track, but not like for like: never a peer
    rows.append(other_unit)
    # 62.01: 22 -> 44 (off track); 62.02: 58 -> 116; 62.03: 38 -> 76 (at risk); 62.04: 52 -> 104; 62.05: 61 -> 122
    computed = metrics.compute(pd.DataFrame(rows))
    watch = projection.watch_list(projection.project(computed), peers=2)
    assert watch["region"].tolist() == ["62.01", "62.03"]  # worst first
    first = watch.iloc[0]
    assert (first["proj_status"], first["proj_capaian"]) == ("off_track", pytest.approx(44.0))
    assert first["region_name"] == "Kotawaringin Barat" and first["faktor_penghambat"] == "hambatan 62.01"
    assert first["tindak_lanjut"] == "rencana 62.01"
    assert (first["tw_terakhir"], first["nilai_tw_terakhir"], first["nilai_tw_sebelumnya"]) == (2, 12, 10)
    assert first["perubahan_tw"] == 2
    assert first["peers"] == (("62.05", "Barito Utara", pytest.approx(122.0)),
                              ("62.02", "Kotawaringin Timur", pytest.approx(116.0)))
    assert projection.watch_list(projection.project(metrics.compute(pd.DataFrame([row(tw=(100, NAN, NAN, NAN),
                                                                                    period="TW I")])))).empty
