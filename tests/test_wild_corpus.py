"""Every file of the wild corpus (467 real hostile or odd spreadsheets from Apache POI's test data) gets a
verdict with a clear, translated message: no traceback, no crash, no hang, bounded memory.

Files run in child processes, a chunk at a time, under a memory limit: a reader that aborts the process
(Rust allocation failure) or hangs then fails this test instead of killing the test run. Speed is the
benchmark's business; the per-file time limit here only catches hangs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kesbang.i18n import catalogue

ROOT = Path(__file__).resolve().parent.parent
WILD = ROOT.parent / "shared" / "corpus" / "wild"
CHUNK = 60
MEMORY_LIMIT = 1_500_000_000  # bytes of address space per child
HANG_SECONDS = 20  # per file: far above the worst seen (well under a second)

WORKER = r"""
import json, os, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from kesbang.i18n import issue_message
from kesbang.loader import load_submission
for path in sys.argv[2:]:
    with open(path, "rb") as fh:
        data = fh.read()
    start = time.perf_counter()
    result = load_submission(data, os.path.basename(path))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "file": os.path.basename(path), "ok": result.ok, "seconds": seconds,
        "issues": [{"code": i.code, "severity": i.severity, "id": issue_message(i, "id"),
                    "en": issue_message(i, "en")} for i in result.issues],
    }), flush=True)
"""

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not WILD.is_dir(), reason="wild corpus folder absent")]


def _files() -> list[Path]:
    return sorted(p for p in WILD.iterdir() if p.is_file())


def _run(chunk: list[Path]) -> tuple[list[dict], subprocess.CompletedProcess]:
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, str(MEMORY_LIMIT), *map(str, chunk)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS * len(chunk),
    )
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")], proc


def test_every_wild_file_gets_a_clear_verdict():
    files = _files()
    assert len(files) > 400
    id_cat, en_cat = catalogue("id"), catalogue("en")
    verdicts: dict[str, dict] = {}
    for start in range(0, len(files), CHUNK):
        chunk = files[start : start + CHUNK]
        rows, proc = _run(chunk)
        done = {r["file"] for r in rows}
        missing = [p.name for p in chunk if p.name not in done]
        assert proc.returncode == 0 and not missing, (
            f"child died (exit {proc.returncode}) at {missing[:1]}: {proc.stderr[-2000:]}"
        )
        assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
        for r in rows:
            verdicts[r["file"]] = r
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
