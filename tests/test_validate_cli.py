"""`python -m kesbang validate`: one process for many files, keeps going past bad ones, exit 0/1/2, JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import workbook_factory as wf

from kesbang.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_all_valid_exits_zero(tmp_path, capsys):
    good = _write(tmp_path, "kotim.xlsx", wf.submission_bytes())
    assert main(["validate", str(good)]) == 0
    assert "kotim.xlsx: valid" in capsys.readouterr().out


def test_json_keeps_going_past_bad_files(tmp_path, capsys):
    rows = wf.indicator_rows(2)
    rows[1]["realisasi_tw1"] = "dua"
    good = _write(tmp_path, "good.xlsx", wf.submission_bytes())
    bad = _write(tmp_path, "bad.xlsx", wf.submission_bytes(indikator=rows))
    html = _write(tmp_path, "html.xlsx", wf.html_renamed_bytes())
    missing = tmp_path / "nowhere.xlsx"
    assert main(["validate", "--json", str(bad), str(html), str(missing), str(good)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [o["file"] for o in out] == [str(bad), str(html), str(missing), str(good)]
    assert [o["status"] for o in out] == ["invalid", "invalid", "invalid", "valid"]
    issue = out[0]["issues"][0]
    assert set(issue) >= {"severity", "sheet", "cell", "column", "code", "message_id", "message", "message_en"}
    assert (issue["severity"], issue["sheet"], issue["cell"], issue["code"]) == (
        "error",
        "Indikator",
        "O3",
        "v.cell.not_number",
    )
    assert issue["message_id"] == issue["code"]
    assert "bukan angka" in issue["message"] and "not a number" in issue["message_en"]
    assert out[1]["issues"][0]["code"] == "file.html"
    assert out[2]["issues"][0]["code"] == "v.file_missing" and "nowhere.xlsx" in out[2]["issues"][0]["message_en"]


def test_text_output_in_english(tmp_path, capsys):
    bad = _write(tmp_path, "bad.xlsx", b"")
    assert main(["validate", "--lang", "en", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "bad.xlsx: invalid" in out and "[Error]" in out and "The file is empty" in out


def test_usage_error_exits_two():
    proc = subprocess.run([sys.executable, "-m", "kesbang", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "FILE" in proc.stderr and "Traceback" not in proc.stderr


def test_subprocess_exit_codes(tmp_path):
    good = _write(tmp_path, "good.xlsx", wf.submission_bytes())
    bomb = _write(tmp_path, "bomb.xlsx", wf.zip_bomb_bytes())
    ok = subprocess.run([sys.executable, "-m", "kesbang", "validate", str(good)], cwd=ROOT, capture_output=True)
    assert ok.returncode == 0
    bad = subprocess.run(
        [sys.executable, "-m", "kesbang", "validate", "--json", str(good), str(bomb)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    statuses = [o["status"] for o in json.loads(bad.stdout)]
    assert statuses == ["valid", "invalid"]


def test_text_output_names_each_cell_once(tmp_path, capsys):
    """`[Galat] Indikator!O3: Indikator!O3: …` named the cell twice; a sheet-level issue keeps its sheet."""
    rows = wf.indicator_rows(2)
    rows[1]["realisasi_tw1"] = "dua"
    bad = _write(tmp_path, "bad.xlsx", wf.submission_bytes(indikator=rows))
    assert main(["validate", str(bad)]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if "«dua»" in line]
    assert lines == ["  [Galat] Indikator!O3: «dua» di kolom «Realisasi TW I (K)» bukan angka. "
                     "Tulis angka saja, mis. 1.234,5 atau 85%."]
    missing = _write(tmp_path, "no-sheet.xlsx", wf.ods_bytes({"Lembar1": [["x"]]}))
    main(["validate", "--lang", "en", str(missing)])
    assert "  [Error] Sheet «Identitas» was not found." in capsys.readouterr().out


def test_the_provinces_rpjmd_reference_workbook_is_valid(tmp_path, capsys):
    """`validate sample_data/*.xlsx` exits 0: the RPJMD reference is recognised by content, under any name."""
    plan = _write(tmp_path, "rencana.xlsx", (ROOT / "sample_data" / "rpjmd_62.xlsx").read_bytes())
    report = ROOT / "sample_data" / "62.02_2026.xlsx"
    assert main(["validate", "--json", str(plan), str(report)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(o["status"], o["workbook"]) for o in out] == [("valid", "rpjmd"), ("valid", "submission")]


def test_a_damaged_rpjmd_workbook_reports_its_own_problems(tmp_path, capsys):
    """An RPJMD reference with an unknown province code is refused for that, not for a missing Indikator sheet."""
    data = wf.rpjmd_bytes(province="99")
    bad = _write(tmp_path, "plan.xlsx", data)
    assert main(["validate", "--json", str(bad)]) == 1
    out = json.loads(capsys.readouterr().out)[0]
    assert out["workbook"] == "rpjmd"
    assert [i["code"] for i in out["issues"] if i["severity"] == "error"] == ["v.region.unknown_province"]
