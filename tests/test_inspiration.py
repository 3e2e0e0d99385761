"""Program inspiration on a hand-made province: a known missing program, sub-kegiatan and values theme."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kesbang.analysis import inspiration


def ind(region, sub, *, program=None, capaian=90.0, cost=math.nan, level="subkegiatan", nama="",
        pendorong="", dukung=""):
    program = program or ".".join(sub.split(".")[:3])
    return {"region": region, "province": "62", "year": 2026, "kode_program": program,
            "kode_kegiatan": program + ".2.01", "kode_subkegiatan": sub, "nama_program": nama, "level": level,
            "kode_indikator": sub, "indikator": "Jumlah peserta", "capaian": capaian, "biaya_per_unit": cost,
            "faktor_pendorong": pendorong, "data_dukung": dukung}


def act(region, tema, kegiatan, peserta, *, sub="", rubrik=3, narasi="", dukung=""):
    return {"region": region, "province": "62", "year": 2026, "tema": tema, "kegiatan": kegiatan,
            "kode_subkegiatan": sub, "peserta": peserta, "rubrik": rubrik, "narasi": narasi,
            "data_dukung": dukung}


INDICATORS = pd.DataFrame([
    # Kotawaringin Timur (62.02) runs only the Pancasila program's coordination sub-kegiatan
    ind("62.02", "8.01.02.2.01.0004", capaian=80.0),
    # Kapuas (62.03) also runs Paskibraka formation (0008), written in the old two-digit form
    ind("62.03", "8.01.02.2.01.08", capaian=95.0, cost=2_500_000, pendorong="Dukungan sekolah kuat",
        dukung="https://kapuas.example/paskibraka"),
    ind("62.03", "8.01.02.2.01.0004", capaian=70.0),
    # Barito Selatan (62.04) runs 0008 too, with a lower result, and the whole ormas program 8.01.04
    ind("62.04", "8.01.02.2.01.0008", capaian=60.0, cost=1_000_000),
    ind("62.04", "8.01.04.2.01.0003", capaian=88.0, pendorong="Forum ormas rutin"),
])
NILAI = pd.DataFrame([
    act("62.02", "Pembudayaan Pancasila", "Sekolah Kebangsaan", 120),
    act("62.03", "Pembudayaan Pancasila", "Sekolah kebangsaan", 80),
    act("62.03", "Belom Bahadat / kearifan lokal", "Dialog adat Huma Betang", 150, rubrik=4,
        narasi="Tokoh adat kini memimpin musyawarah desa.", dukung="https://kapuas.example/huma-betang"),
    act("62.04", "Belom Bahadat / kearifan lokal", "Festival budaya", 300, rubrik=2),
])


@pytest.fixture
def offers():
    return inspiration.offerings(INDICATORS, NILAI)


def test_known_missing_program_subkegiatan_and_theme(offers):
    miss = inspiration.missing(offers, "62.02")
    got = {(r["kind"], r["key"]) for r in miss.to_dict("records")}
    assert got == {("program", "8.01.04"), ("subkegiatan", "8.01.02.2.01.0008"),
                   ("subkegiatan", "8.01.04.2.01.0003"), ("tema", "Belom Bahadat / kearifan lokal"),
                   ("kegiatan_nilai", "nama:dialog adat huma betang"),
                   ("kegiatan_nilai", "nama:festival budaya")}


def test_old_and_new_codes_are_one_subkegiatan_and_best_peer_is_the_contact(offers):
    miss = inspiration.missing(offers, "62.02").set_index(["kind", "key"])
    pas = miss.loc[("subkegiatan", "8.01.02.2.01.0008")]
    assert pas["n_peers"] == 2
    assert pas["peers"] == "Barito Selatan, Kapuas"
    # Kapuas achieved 95% against Barito Selatan's 60%: Kapuas is the one to call
    assert (pas["contact_region"], pas["contact_name"], pas["capaian"]) == ("62.03", "Kapuas", 95.0)
    assert pas["cost_per_output"] == 2_500_000
    assert pas["narrative"] == "Dukungan sekolah kuat"
    assert pas["evidence"] == "https://kapuas.example/paskibraka"
    assert pas["name"] == "Pembentukan Paskibraka"  # the nomenclature's name, not a blank


def test_items_ranked_by_best_peer_achievement_then_reach(offers):
    miss = inspiration.missing(offers, "62.02")
    assert miss["rank"].tolist() == list(range(1, len(miss) + 1))
    with_capaian = miss.dropna(subset=["capaian"])
    assert with_capaian["capaian"].tolist() == sorted(with_capaian["capaian"], reverse=True)
    assert with_capaian.iloc[0]["key"] == "8.01.02.2.01.0008"
    # among themes (no achievement) the widest reach comes first
    tema = miss[miss["kind"] == "tema"].iloc[0]
    assert tema["contact_name"] == "Barito Selatan" and tema["reach"] == 300


def test_values_theme_contact_carries_the_story(offers):
    miss = inspiration.missing(offers, "62.02").set_index(["kind", "key"])
    dialog = miss.loc[("kegiatan_nilai", "nama:dialog adat huma betang")]
    assert dialog["contact_name"] == "Kapuas"
    assert dialog["narrative"] == "Tokoh adat kini memimpin musyawarah desa."


def test_fuzzy_name_second_for_uncoded_activities(offers):
    # "Sekolah Kebangsaan" (62.02) and "Sekolah kebangsaan" (62.03) are one activity; nobody lacks it
    for region in ("62.02", "62.03"):
        keys = set(inspiration.missing(offers, region)["key"])
        assert not any("sekolah" in k for k in keys)
    # a spelling variant is matched by name too
    variant = act("62.04", "Pembudayaan Pancasila", "Sekolah Kebangsaaan", 10)
    nilai = pd.concat([NILAI, pd.DataFrame([variant])])
    keys = set(inspiration.missing(inspiration.offerings(INDICATORS, nilai), "62.04")["key"])
    assert "nama:sekolah kebangsaan" not in keys


def test_same_named_subkegiatan_in_another_program_is_still_missing():
    # 0004 "Pelaksanaan Koordinasi" exists in every program: having it under 8.01.02 does not mean
    # the regency runs it under 8.01.06
    ind_rows = pd.DataFrame([ind("62.02", "8.01.02.2.01.0004"), ind("62.03", "8.01.06.2.01.0004")])
    miss = inspiration.missing(inspiration.offerings(ind_rows, pd.DataFrame(columns=NILAI.columns)), "62.02")
    assert ("subkegiatan", "8.01.06.2.01.0004") in set(zip(miss["kind"], miss["key"]))


def test_who_does_what_matrix(offers):
    m = inspiration.who_does_what(offers, "subkegiatan", ["62.02", "62.03", "62.04", "62.05"])
    assert list(m.columns) == ["Kotawaringin Timur", "Kapuas", "Barito Selatan", "Barito Utara"]
    row = next(i for i in m.index if i.startswith("8.01.02.2.01.0008"))
    assert m.loc[row].tolist() == [0, 1, 1, 0]
    assert "Pembentukan Paskibraka" in row


def test_regency_that_runs_everything_gets_nothing_and_empty_inputs_are_safe(offers):
    only = inspiration.offerings(INDICATORS[INDICATORS["region"] == "62.02"],
                                 NILAI[NILAI["region"] == "62.02"])
    assert inspiration.missing(only, "62.02").empty
    empty = inspiration.offerings(INDICATORS.iloc[0:0], NILAI.iloc[0:0])
    assert empty.empty and inspiration.missing(empty, "62.02").empty
    assert inspiration.who_does_what(empty, "program").empty
