"""`python -m kesbang summary`: real workbooks (written with openpyxl) in, computed view out."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from kesbang import schema, settings
from kesbang.analysis import metrics
from kesbang.cli import main

ROOT = Path(__file__).resolve().parent.parent

INDICATORS = [
    # kode, indikator, satuan, polaritas, akumulasi, target, TW I..IV, pagu, anggaran TW I..IV
    ("IK.01", "Jumlah peserta pembinaan ideologi Pancasila", "Orang", "positif", "kumulatif", "400",
     (100, 120, 110, None), 100_000_000, (20_000_000, 30_000_000, 25_000_000, None)),
    ("IK.02", "Jumlah kasus konflik sosial", "Kasus", "negatif", "stok", "10", (3, 5, 12, None),
     None, (None, None, None, None)),
    ("IK.03", "Indeks kerukunan umat beragama", "Indeks", "positif", "stok", "4,43–4,47",
     (None, 4.45, 4.46, None), None, (None, None, None, None)),
    ("IK.04", "Persentase ormas yang melapor", "Persen", "positif", "persentase", "0", (10, 20, 30, None),
     None, (None, None, None, None)),
]


def write_submission(path: Path, region="62.02", name="Kotawaringin Timur", year=2026, period="TW III"):
    wb = Workbook()
    ws = wb.active
    ws.title = schema.IDENTITAS.name
    ident = {"provinsi": "Kalimantan Tengah", "kode_wilayah": region, "nama_wilayah": name, "tahun": year,
             "periode": period, "periode_rpjmd": "2025-2029", "perangkat_daerah": "Badan Kesbangpol",
             "operator": "Operator Uji", "tanggal": dt.date(year, 10, 10)}
    for col in schema.IDENTITAS.columns:
        ws.append([col.label, ident[col.key]])

    ind = wb.create_sheet(schema.INDIKATOR.name)
    keys = schema.INDIKATOR.keys
    ind.append([schema.INDIKATOR.column(k).label for k in keys])
    for code, name_, unit, pol, roll, target, tw, pagu, spent in INDICATORS:
        values = {"kode_program": "8.01.02", "kode_kegiatan": "8.01.02.2.01",
                  "kode_subkegiatan": "8.01.02.2.01.0003", "nama_program": "Pelaksanaan Kebijakan",
                  "kode_indikator": code, "indikator": name_,
                  "level": "subkegiatan", "satuan": unit, "polaritas": pol, "akumulasi": roll,
                  "jenis_ukuran": "kuantitatif", "target": target, "pagu": pagu,
                  **{f"realisasi_tw{i + 1}": v for i, v in enumerate(tw)},
                  **{f"anggaran_tw{i + 1}": v for i, v in enumerate(spent)},
                  "faktor_pendorong": "=HYPERLINK(\"x\")"}
        ind.append([values.get(k) for k in keys])

    pas = wb.create_sheet(schema.PASKIBRAKA.name)
    pas.append([c.label for c in schema.PASKIBRAKA.columns])
    for key, putra, putri in [("pendaftar", 190, 208), ("ditetapkan", 37, 38), ("dikirim_provinsi", 2, 2)]:
        pas.append([schema.STAGE_BY_KEY[key].label, putra, putri, putra + putri])

    nil = wb.create_sheet(schema.PROGRAM_NILAI.name)
    nil.append([c.label for c in schema.PROGRAM_NILAI.columns])
    nil.append(["Wawasan Kebangsaan", "Sosialisasi wawasan kebangsaan", None, dt.date(year, 3, 5), "Sampit",
                "Pelajar", 120, 60, 75, 3, "Peserta lebih paham", None])
    nil.append(["Bela Negara", "Latihan dasar bela negara", None, dt.date(year, 5, 9), "Sampit", "Pemuda", 80,
                70, 75, 4, "Baik", None])
    wb.save(path)
    return path


def run_cli(*args, capsys):
    code = main(["summary", *map(str, args)])
    return code, capsys.readouterr().out


def test_summary_json_of_a_workbook(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KESBANG_NEGATIVE_RULE", "lkjip")
    path = write_submission(tmp_path / "kotim_2026.xlsx")
    code, out = run_cli("--json", path, capsys=capsys)
    assert code == 0, out
    [item] = json.loads(out)
    assert (item["status"], item["region"], item["year"]) == ("valid", "62.02", 2026)
    assert item["period"] == "TW III" and item["negative_rule"] == "lkjip"
    by_code = {i["code"]: i for i in item["indicators"]}

    people = by_code["IK.01"]  # 100 + 120 + 110 = 330 of 400
    assert people["realisasi"] == 330 and people["capaian"] == 82.5 and people["category"] == "T"
    assert people["formula"] == "metrics.formula.positive" and people["reason"] is None

    conflicts = by_code["IK.02"]  # last quarter 12 against 10, LKjIP: (20 - 12) / 10 = 80
    assert conflicts["realisasi"] == 12 and conflicts["capaian"] == 80 and conflicts["category"] == "T"
    assert conflicts["formula"] == "metrics.formula.negative_lkjip"

    harmony = by_code["IK.03"]
    assert harmony["target"] == [4.43, 4.47] and harmony["capaian"] == 100
    assert harmony["formula"] == "metrics.formula.range"

    zero = by_code["IK.04"]
    assert zero["category"] is None and zero["capaian"] is None
    assert zero["reason"] == "metrics.reason.zero_target" and "zero" in zero["reason_en"]

    assert item["budget"] == {"pagu": 100_000_000, "realised": 75_000_000, "absorption": 75}
    pas = item["paskibraka"]
    assert (pas["registrants"], pas["selected"], pas["sent_to_province"]) == (398, 75, 4)
    assert pas["stages"]["ditetapkan"] == {"putra": 37, "putri": 38, "total": 75}
    assert item["values"] == {"activities": 2, "participants": 200,
                              "themes": {"Bela Negara": 1, "Wawasan Kebangsaan": 1}, "mean_gain": 10}


def test_readable_table_in_indonesian_and_english(tmp_path, capsys):
    path = write_submission(tmp_path / "kotim.xlsx")
    code, out = run_cli(path, capsys=capsys)
    assert code == 0
    assert "62.02 Kotawaringin Timur · 2026 · TW III" in out
    assert "82,5%" in out and "Tinggi" in out and "target bernilai nol" in out
    assert "Rp 100.000.000" in out and "serapan 75%" in out
    code, out = run_cli("--lang", "en", path, capsys=capsys)
    assert code == 0
    assert "82.5%" in out and "High" in out and "the target is zero" in out


def test_invalid_and_missing_files_are_listed_with_errors_and_exit_1(tmp_path, capsys):
    good = write_submission(tmp_path / "good.xlsx")
    bad = tmp_path / "bukan_excel.xlsx"
    bad.write_text("nama,nilai\n=1+1,2\n")
    missing = tmp_path / "tidak_ada.xlsx"
    code, out = run_cli("--json", good, bad, missing, capsys=capsys)
    assert code == 1
    items = json.loads(out)
    assert [i["status"] for i in items] == ["valid", "invalid", "invalid"]
    assert items[1]["issues"] and all(i["message_en"] and i["message"] for i in items[1]["issues"])
    assert items[2]["issues"][0]["code"] == "summary.file_not_found"
    code, out = run_cli(bad, capsys=capsys)
    assert code == 1 and "tidak valid" in out and "Traceback" not in out


def test_usage_error_exits_2(capsys):
    assert main(["summary"]) == 2


def test_runs_as_a_module(tmp_path):
    path = write_submission(tmp_path / "kotim.xlsx")
    proc = subprocess.run([sys.executable, "-m", "kesbang", "summary", "--json", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["region"] == "62.02"


SUBMISSIONS = [p for p in sorted(settings.SAMPLE_DIR.glob("*.xlsx")) if "rpjmd" not in p.name.lower()]


@pytest.mark.skipif(not SUBMISSIONS, reason="no submissions in sample_data/ (python -m kesbang sample)")
def test_summary_over_sample_data_covers_the_province(capsys):
    code = main(["summary", "--json", str(settings.SAMPLE_DIR)])
    captured = capsys.readouterr()
    items = json.loads(captured.out)
    assert code == 0, [i["issues"] for i in items if i["status"] != "valid"]
    # the folder holds 48 submissions and the two provincial RPJMD workbooks, which serve as the plan
    assert len(items) == 48 and "rpjmd_62.xlsx" in captured.err
    pairs = {(i["region"], i["year"]) for i in items}
    assert len({r for r, _ in pairs}) == 24
    assert pairs == {(r, y) for r, _ in pairs for y in (2025, 2026)}
    categories = {ind["category"] for i in items for ind in i["indicators"]}
    assert set(metrics.CATEGORIES) <= categories
    for i in items:
        for ind in i["indicators"]:
            assert ind["category"] in metrics.CATEGORIES or ind["reason"] in metrics.REASONS
    # rates that cascade to the provincial plan carry their progress towards its end-of-period target
    assert any(ind["rpjmd_progress"] is not None for i in items for ind in i["indicators"])


def test_a_folder_stands_for_its_workbooks_and_an_empty_one_is_a_usage_error(tmp_path, capsys):
    write_submission(tmp_path / "a.xlsx", region="62.01", name="Kotawaringin Barat")
    write_submission(tmp_path / "b.xlsx")
    (tmp_path / "catatan.txt").write_text("bukan buku kerja")
    code, out = run_cli("--json", tmp_path, capsys=capsys)
    assert code == 0 and [i["region"] for i in json.loads(out)] == ["62.01", "62.02"]
    empty = tmp_path / "kosong"
    empty.mkdir()
    assert main(["summary", str(empty)]) == 2


def test_summary_json_projects_each_indicator_to_the_year_end(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KESBANG_NEGATIVE_RULE", "lkjip")
    path = write_submission(tmp_path / "kotim_2026.xlsx")  # TW III
    code, out = run_cli("--json", path, capsys=capsys)
    assert code == 0, out
    by_code = {i["code"]: i["projection"] for i in json.loads(out)[0]["indicators"]}
    # 330 in three quarters -> 440 by December, 110% of 400
    assert by_code["IK.01"] == {"year_end": 440, "capaian": 110, "status": "on_track", "reason": None,
                                "reason_en": None, "basis": "pace", "quarters_covered": 3,
                                "trend_per_quarter": None, "rpjmd_progress": None, "rpjmd_reason": None}
    conflicts = by_code["IK.02"]  # latest 12 against 10 -> 80 (at risk); 3, 5, 12: +4.5 a quarter
    assert (conflicts["year_end"], conflicts["capaian"], conflicts["status"]) == (12, 80, "at_risk")
    assert conflicts["basis"] == "latest" and conflicts["trend_per_quarter"] == 4.5
    assert (by_code["IK.03"]["capaian"], by_code["IK.03"]["status"]) == (100, "on_track")  # inside 4.43-4.47
    zero = by_code["IK.04"]
    assert zero["year_end"] == 30 and zero["capaian"] is None and zero["status"] is None
    assert zero["reason"] == "metrics.reason.zero_target" and "zero" in zero["reason_en"]
