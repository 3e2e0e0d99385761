"""Every file of the wild corpus (467 real hostile or odd spreadsheets from Apache POI's test data) gets a
verdict with a clear, translated message: no traceback, no crash, no hang, bounded memory.

Files run in child processes, a chunk at a time, under a memory limit: a reader that aborts the process
(Rust allocation failure) or hangs then fails this test instead of killing the test run. Speed is the
benchmark's business; the per-file time limit here only catches hangs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from childload import HANG_SECONDS
from childload import verdicts as load_verdicts

from kesbang.i18n import catalogue

ROOT = Path(__file__).resolve().parent.parent
WILD = ROOT.parent / "shared" / "corpus" / "wild"
CHUNK = 60

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not WILD.is_dir(), reason="wild corpus folder absent")]


def _files() -> list[Path]:
    return sorted(p for p in WILD.iterdir() if p.is_file())


def test_every_wild_file_gets_a_clear_verdict():
    files = _files()
    assert len(files) > 400
    id_cat, en_cat = catalogue("id"), catalogue("en")
    verdicts: dict[str, dict] = {}
    for start in range(0, len(files), CHUNK):
        verdicts.update(load_verdicts(files[start : start + CHUNK]))
    assert len(verdicts) == len(files)
    for name, r in verdicts.items():
        assert r["issues"], f"{name}: no verdict"
        if not r["ok"]:
            assert any(i["severity"] == "error" for i in r["issues"]), name
        for i in r["issues"]:
            assert i["code"] in id_cat and i["code"] in en_cat, (name, i["code"])
            assert "{" not in i["id"] and "{" not in i["en"], (name, i)
        assert r["seconds"] < HANG_SECONDS, (name, r["seconds"])
    # none of them is a Kesbangpol submission: each says why it cannot be one
    assert not any(r["ok"] for r in verdicts.values())
    first = {r["issues"][0]["code"] for r in verdicts.values()}
    assert {"v.sheet.missing", "file.encrypted", "file.corrupt", "file.dtd"} <= first
