"""The newcomer path: a fresh clone, the README's first command as written, a healthy server.

Clones the committed repository (so an uncommitted file cannot make it pass), reads the two commands
from the README's first code block, runs `make run PORT=…` — which creates the clone's own .venv and
installs the pinned requirements (pip's cache and local wheels make that minutes, not longer) — waits
for Streamlit's health endpoint and stops the whole process group again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from kesbang.devtools.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
SETUP_AND_START_TIMEOUT_S = 900  # venv + pinned installs on a loaded 2-core machine, then the first start


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", text, re.S)
    assert block, "README.md has no code block"
    commands = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]
    return [c for c in commands if c]


def test_readme_opens_with_the_two_commands():
    assert readme_commands()[:2] == ["make run", "make test"]


@pytest.mark.slow
def test_fresh_clone_make_run_reaches_a_healthy_server(tmp_path):
    if not shutil.which("git") or not shutil.which("make"):
        pytest.fail("git and make are needed for the newcomer path")
    clone = tmp_path / "kesbang"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    command = readme_commands()[0]
    assert command == "make run"
    port = free_port(range(8650, 8660))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    log_path = tmp_path / "make-run.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([*command.split(), f"PORT={port}"], cwd=clone, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + SETUP_AND_START_TIMEOUT_S
            healthy = False
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                        healthy = resp.status == 200
                except OSError:
                    pass
                if healthy:
                    break
                time.sleep(1)
            if healthy:  # the same process serves the st.App's own routes (docs/API.md)
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=60) as resp:
                    served_health = resp.status
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/wilayah?provinsi=62", timeout=60) as resp:
                    served_regions = len(json.loads(resp.read())["data"])
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)
    output = log_path.read_text(errors="replace")[-3000:]
    assert healthy, f"`make run PORT={port}` in a fresh clone did not serve /_stcore/health:\n{output}"
    assert (clone / ".venv" / "bin" / "streamlit").exists()
    assert (served_health, served_regions) == (200, 14)
