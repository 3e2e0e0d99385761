"""The benchmark's load harness itself, small: 2 operators uploading and 2 viewers browsing at once, in
chromium, against 2 processes behind nginx on a fresh PostgreSQL. What it reports must be what happened:
every version sent is in the database, each figure counts the actions taken, each process's memory is read.
(Speed is the benchmark's business, never asserted here.)
"""

from __future__ import annotations

import shutil

import pytest

from kesbang.devtools import bench, cluster, load

pytestmark = pytest.mark.browser


def test_two_operators_and_two_viewers_at_once_are_all_counted(tmp_path, pg_url, chromium_path):
    pytest.importorskip("playwright.async_api", reason="playwright for Python is not installed, so chromium "
                        "cannot be driven")
    if not cluster.nginx_path():
        pytest.skip("nginx not found: install Debian's package (apt-get install -y nginx)")
    if not shutil.which("openssl"):
        pytest.skip("openssl not found: the nginx load harness makes its certificate with it")
    plan = load.Plan(operators=2, viewers=2, processes=2, views_each=1, alone=1)

    out = load.run(pg_url, tmp_path / "load", plan)

    busy, alone = out["at_once"], out["alone"]
    assert busy["failures"] == []
    assert busy["sent"] == busy["stored"] == busy["confirmed"] == 2
    assert busy["validation"]["n"] == 2 and busy["first_chart"]["n"] == 2
    assert alone["validation"]["n"] == 1 and alone["first_chart"]["n"] == 1
    assert busy["validation"]["p50_ms"] <= busy["validation"]["p95_ms"]
    assert set(out["ratio_p95"]) == {"validation", "first_chart"} and all(out["ratio_p95"].values())
    assert sum(busy["browsers_per_process"].values()) == 4
    assert set(busy["browsers_per_process"]) <= {app for app in out["memory"]}
    assert len(out["memory"]) == 2
    assert all(m["peak_rss_mb"] >= m["rss_mb"] > 50 for m in out["memory"].values())  # a Python + pandas app
    printed = "\n".join(bench.format_load(out))  # what `python -m kesbang bench` prints of it
    assert "versions sent 2, stored 2" in printed and "2 operators uploading + 2 viewers" in printed
