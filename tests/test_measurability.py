"""Measurability audit on hand-made indicators: each check catches its known non-measurable case."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from kesbang import i18n
from kesbang.analysis import measurability
from kesbang.exports import tables as export

RPJMD = pd.DataFrame([
    {"province": "62", "periode_rpjmd": "2025-2029", "kode_rpjmd": "IKU-2.1", "kode_program": "8.01.02",
     "indikator": "Indeks Aktualisasi Pancasila", "satuan": "Indeks", "polaritas": "positif",
     "target_1": 73.0, "target_2": 74.0, "target_3": 75.0, "target_4": 76.0, "target_5": 77.0},
    # Bappeda left 2028 and 2029 open ("meningkat"): cascaded indicators inherit the gap
    {"province": "62", "periode_rpjmd": "2025-2029", "kode_rpjmd": "IKU-4.1", "kode_program": "8.01.04",
     "indikator": "Persentase ormas aktif", "satuan": "Persen", "polaritas": "positif",
     "target_1": "60", "target_2": "62–65", "target_3": 70.0, "target_4": "meningkat", "target_5": None},
])


def row(region="62.02", kode="P1", *, year=2026, period="TW IV", level="program",
        indikator="Indeks kerukunan", satuan="Indeks", target=(75.0, 75.0), target_text="75",
        baseline=70.0, rpjmd="", akumulasi="stok", tw=(None, None, None, 76.0), polaritas="positif"):
    return {"region": region, "province": "62", "year": year, "submission_id": 1, "period": period,
            "kode_program": "8.01.02", "kode_indikator": kode, "indikator": indikator, "level": level,
            "satuan": satuan, "polaritas": polaritas, "akumulasi": akumulasi, "kode_rpjmd": rpjmd,
            "baseline": baseline, "target_min": target[0], "target_max": target[1],
            "target_text": target_text,
            **{f"realisasi_tw{q}": v for q, v in enumerate(tw, start=1)}}


SUBS = pd.DataFrame([{"region": "62.02", "province": "62", "year": y, "periode_rpjmd": "2025-2029"}
                     for y in (2025, 2026)])


def run(rows, year=2026, subs=SUBS):
    return measurability.audit(pd.DataFrame(rows), RPJMD, subs, year)


def failed(results, kode="P1"):
    r = results[(results["kode_indikator"] == kode) & ~results["passed"]]
    return dict(zip(r["check"], r["message_id"]))


def test_a_good_indicator_passes_every_applicable_check():
    res = run([row(year=2025), row(tw=(None, None, None, 77.0))])
    mine = res[res["year"] == 2026]
    assert mine["passed"].all()
    assert set(mine["check"]) == set(measurability.CHECKS)


def test_known_non_measurable_indicator_is_caught_on_every_count():
    bad = row(kode="P9", indikator="Terlaksananya kegiatan sosialisasi wawasan kebangsaan", satuan="",
              target=(float("nan"), float("nan")), target_text="meningkat", baseline=float("nan"),
              akumulasi="kumulatif", tw=(3.0, None, 2.0, None))
    res = run([bad])
    got = failed(res, "P9")
    assert got == {
        "unit": "keterukuran.msg.unit",
        "numeric_target": "keterukuran.msg.numeric_target_words",
        "baseline": "keterukuran.msg.baseline",
        "realisation": "keterukuran.msg.realisation_quarters",
        "outcome": "keterukuran.msg.outcome_phrase",
    }
    params = res.set_index("check").loc[["numeric_target", "realisation", "outcome"], "params"]
    assert params["numeric_target"] == {"target": "meningkat"}
    assert params["realisation"] == {"quarters": "TW II, TW IV"}
    assert params["outcome"]["phrase"].lower() == "terlaksananya"
    msg = i18n.t("keterukuran.msg.numeric_target_words", "id", **params["numeric_target"])
    assert "meningkat" in msg
    assert "TW II, TW IV" in i18n.t("keterukuran.msg.realisation_quarters", "en", **params["realisation"])


def test_outcome_counted_in_activity_units_is_flagged_but_outputs_are_not():
    res = run([row(kode="P2", indikator="Sosialisasi empat pilar", satuan="Kegiatan"),
               row(kode="S1", level="subkegiatan", indikator="Jumlah kegiatan sosialisasi",
                   satuan="Kegiatan")])
    assert failed(res, "P2") == {"outcome": "keterukuran.msg.outcome_unit"}
    assert "outcome" not in set(res.loc[res["kode_indikator"] == "S1", "check"])


def test_realisation_due_by_period():
    # TW II report: a cumulative indicator owes TW I and TW II; a stock indicator owes nothing yet
    res = run([row(kode="K", akumulasi="kumulatif", period="TW II", tw=(5.0, None, None, None)),
               row(kode="S", akumulasi="stok", period="TW II", tw=(None, None, None, None))])
    assert failed(res, "K") == {"realisation": "keterukuran.msg.realisation_quarters"}
    assert "realisation" not in set(res.loc[res["kode_indikator"] == "S", "check"])
    # a percentage measured in TW I and TW III but left blank ("n/a") in TW II has a gap
    res = run([row(kode="N", akumulasi="persentase", period="TW III", tw=(40.0, None, 44.0, None))])
    got = res[(res["kode_indikator"] == "N") & (res["check"] == "realisation")].iloc[0]
    assert (got["passed"], got["params"]) == (False, {"quarters": "TW II"})
    # at year end a stock indicator with nothing reported fails
    res = run([row(kode="S", akumulasi="stok", tw=(None, None, None, None))])
    assert failed(res, "S") == {"realisation": "keterukuran.msg.realisation_year"}


def test_plan_years_from_the_rpjmd_row_for_cascaded_indicators():
    res = run([row(kode="C1", rpjmd="IKU-4.1", satuan="Persen")])
    got = res[(res["kode_indikator"] == "C1") & (res["check"] == "plan_years")].iloc[0]
    assert not got["passed"]
    assert got["params"] == {"years": "2028, 2029", "kode_rpjmd": "IKU-4.1"}
    ok = run([row(kode="C2", rpjmd="IKU-2.1")])
    assert ok[ok["check"] == "plan_years"]["passed"].all()


def test_plan_years_for_local_indicators_looks_at_earlier_reported_years():
    # reported in 2025 too, but the indicator had no numeric target then
    res = run([row(year=2025, target=(float("nan"), float("nan")), target_text=""), row()])
    r = res[(res["year"] == 2026) & (res["check"] == "plan_years")].iloc[0]
    assert (r["passed"], r["params"]) == (False, {"years": "2025"})
    # only one year reported: nothing earlier to check
    assert "plan_years" not in set(run([row()], subs=SUBS[SUBS["year"] == 2026])["check"])


def test_implausible_jumps_in_target_and_realisation():
    res = run([row(year=2025, target=(40.0, 40.0)), row(target=(400.0, 400.0))])
    r = res[(res["year"] == 2026) & (res["check"] == "jump")].iloc[0]
    assert r["message_id"] == "keterukuran.msg.jump_target"
    assert r["params"] == {"prev_year": 2025, "prev": "40", "now": "400", "ratio": "10"}
    # same target, but the realisation dropped from 76 to 7.6 (a misplaced decimal)
    res = run([row(year=2025), row(tw=(None, None, None, 7.6))])
    r = res[(res["year"] == 2026) & (res["check"] == "jump")].iloc[0]
    assert r["message_id"] == "keterukuran.msg.jump_realisation"
    # a year in progress is not compared on realisation
    res = run([row(year=2025), row(period="TW II", tw=(7.6, None, None, None))])
    assert res[(res["year"] == 2026) & (res["check"] == "jump")]["passed"].all()


def test_league_table_scores_and_ranks():
    good = [row(region="62.03", kode="A"), row(region="62.03", kode="B")]
    poor = [row(region="62.04", kode="A", satuan="", baseline=float("nan")), row(region="62.04", kode="B")]
    res = run(good + poor)
    league = measurability.league_table(res)
    assert league["region"].tolist() == ["62.03", "62.04"]
    assert league["rank"].tolist() == [1, 2]
    top, bottom = league.iloc[0], league.iloc[1]
    assert top["score"] == 100.0 and top["errors"] == 0
    # 62.04: 2 indicators x 4 checks each (unit, target, baseline, outcome; stock at TW IV -> realisation too)
    assert bottom["checks"] == 10 and bottom["passed"] == 8 and bottom["score"] == 80.0
    assert (bottom["errors"], bottom["warnings"]) == (1, 1)
    assert bottom["region_name"] == "Barito Selatan"


def test_check_summary_and_overall_score():
    res = run([row(kode="A"), row(kode="B", satuan="")])
    summary = measurability.check_summary(res).set_index("check")
    assert summary.loc["unit", "applicable"] == 2 and summary.loc["unit", "failed"] == 1
    assert summary.loc["unit", "pass_rate"] == 50.0
    assert list(summary.index)[:2] == ["unit", "numeric_target"]
    assert measurability.score_of(res) == pytest.approx(90.0)
    assert measurability.score_of(measurability.audit(pd.DataFrame(), RPJMD, SUBS)) is None


def test_scores_round_down_so_one_failure_never_reads_100():
    many = [row(kode=f"K{i}") for i in range(300)] + [row(kode="BAD", satuan="")]
    res = run(many)
    assert (~res["passed"]).sum() == 1
    assert measurability.score_of(res) == 99.9
    assert measurability.league_table(res)["score"].iloc[0] == 99.9


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_message_and_fix_exists_in_both_languages(lang):
    keys = i18n.catalogue(lang)
    for check in measurability.CHECKS:
        assert f"keterukuran.fix.{check}" in keys
        assert f"keterukuran.check.{check}" in keys
    for msg in ("unit", "numeric_target_words", "numeric_target_missing", "baseline", "plan_years_rpjmd",
                "plan_years_local", "realisation_quarters", "realisation_year", "outcome_phrase",
                "outcome_unit", "jump_target", "jump_realisation"):
        assert f"keterukuran.msg.{msg}" in keys


def test_follow_up_letter_workbook_keeps_hostile_text_as_text():
    res = run([row(kode="=HYPERLINK(\"http://x\")", indikator="=1+1", satuan="")])
    sheets = measurability.letter_tables(res, "id")
    data = export.to_xlsx(sheets)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Peringkat", "Temuan"]
    ws = wb["Temuan"]
    header = [c.value for c in ws[1]]
    assert "Cara Memperbaiki" in header
    values = [c.value for c in ws[2]]
    assert "=1+1" in values
    cell = ws.cell(row=2, column=header.index("Indikator") + 1)
    assert cell.data_type == "s"
