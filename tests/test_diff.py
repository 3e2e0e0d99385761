"""Comparing two versions: what changed per indicator (with capaian), Paskibraka stage and activity."""

from __future__ import annotations

import storekit

from kesbang.analysis.diff import compare
from kesbang.auth import User
from kesbang.store import open_store


def test_changes_per_indicator_stage_and_activity():
    old = storekit.submission(seed=0)
    new = storekit.submission(seed=0)
    new.indikator = new.indikator.iloc[1:].copy()  # IK-01 dropped
    new.indikator.loc[2, ["target", "target_text", "target_min", "target_max"]] = ["60", "60", 60.0, 60.0]
    extra = new.indikator.iloc[[0]].assign(kode_indikator="IK-99", indikator="Indikator baru")
    new.indikator = __import__("pandas").concat([new.indikator, extra], ignore_index=True)
    new.paskibraka.loc[new.paskibraka["tahap"] == "ditetapkan", ["putri", "jumlah"]] = [40, 78]
    new.nilai = new.nilai.iloc[:2]

    diff = compare(old, new)
    ch = diff.changes
    assert diff.counts() == {
        ("indicator", "removed"): 1,
        ("indicator", "added"): 1,
        ("indicator", "changed"): 1,
        ("stage", "changed"): 1,
        ("activity", "removed"): 1,
    }
    ik3 = ch[(ch["key"] == "IK-03")].set_index("field")
    # IK-03: 84 a year in four equal quarters, s.d. TW III (the period) = 63; target 120 -> 60:
    # capaian 52.5 % (Rendah) -> 105 % (Sangat Tinggi)
    assert (ik3.loc["target_text", "old"], ik3.loc["target_text", "new"]) == ("120", "60")
    assert round(ik3.loc["capaian", "old"], 6) == 52.5 and round(ik3.loc["capaian", "new"], 6) == 105.0
    assert (ik3.loc["kategori", "old"], ik3.loc["kategori", "new"]) == ("R", "ST")
    assert ch[ch["key"] == "IK-01"]["change"].tolist() == ["removed"]
    assert ch[ch["key"] == "IK-99"]["label"].tolist() == ["Indikator baru"]
    stage = ch[ch["section"] == "stage"].set_index("field")
    assert stage.loc["putri", "old"] == 37 and stage.loc["putri", "new"] == 40
    assert stage["label"].iloc[0] == "Ditetapkan SK Bupati/Wali Kota"
    assert ch[ch["section"] == "activity"]["key"].tolist() == ["Bela Negara · Sosialisasi 2 · 2026-04-03"]


def test_same_data_no_changes_and_store_diff(tmp_path):
    assert compare(storekit.submission(seed=3), storekit.submission(seed=3)).empty
    store = open_store(f"sqlite:///{tmp_path / 'd.sqlite3'}")
    admin = User("admin", "admin")
    storekit.enrol(store, admin)
    ids = []
    for seed in (0, 1):
        result, data, name = storekit.upload(seed=seed)
        ids.append(store.submit(admin, result, data, name).submission_id)
    diff = store.diff(*ids)
    changed = diff.changes[diff.changes["section"] == "stage"]
    assert changed[["key", "field", "old", "new"]].values.tolist() == [
        ["pendaftar", "putra", 200, 201],
        ["pendaftar", "jumlah", 398, 399],
    ]
    store.close()
