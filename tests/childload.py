"""Load files with `load_submission` in a child process under a memory limit, so that a reader which
aborts the process (Rust allocation failure) or hangs fails the calling test instead of the test run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 1_500_000_000  # bytes of address space per child
HANG_SECONDS = 20  # per file: far above the worst seen (well under a second)

WORKER = r"""
import json, os, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from kesbang.i18n import issue_message
from kesbang.intake.loader import load_submission
for path in sys.argv[2:]:
    with open(path, "rb") as fh:
        data = fh.read()
    start = time.perf_counter()
    result = load_submission(data, os.path.basename(path))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "file": os.path.basename(path), "ok": result.ok, "seconds": seconds,
        "issues": [{"code": i.code, "severity": i.severity, "params": {k: str(v) for k, v in i.params.items()},
                    "id": issue_message(i, "id"), "en": issue_message(i, "en")} for i in result.issues],
    }), flush=True)
"""


def load_in_child(paths: list[Path]) -> tuple[list[dict], subprocess.CompletedProcess]:
    """One JSON verdict per file that finished, and the finished child process."""
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, str(MEMORY_LIMIT), *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS * len(paths),
    )
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")], proc


def verdicts(paths: list[Path]) -> dict[str, dict]:
    """Every file's verdict by file name; fails with the child's stderr when one did not finish."""
    rows, proc = load_in_child(paths)
    done = {r["file"]: r for r in rows}
    missing = [p.name for p in paths if p.name not in done]
    assert proc.returncode == 0 and not missing, (
        f"child died (exit {proc.returncode}) at {missing[:1]}: {proc.stderr[-2000:]}"
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    return done
