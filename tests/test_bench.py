"""The benchmark's own data are real, valid workbooks, and its JSON carries the promised figures.

Speed itself is measured by `python -m kesbang bench`, never asserted here.
"""

import json

import pytest

from kesbang import regions
from kesbang.devtools import bench
from kesbang.intake import loader


@pytest.fixture
def restore_registry():
    original = regions.registry
    yield
    regions.registry = original
    regions._lookup.cache_clear()
    regions._by_code.cache_clear()


def test_national_registry_has_514_distinct_regencies_and_keeps_the_real_ones(restore_registry):
    frame = bench.bench_registry(bench.SCALES["national"])
    assert len(frame) == 514
    assert frame["kemendagri"].is_unique
    assert set(regions.registry()["kemendagri"]) <= set(frame["kemendagri"])
    bench.register(frame)
    assert regions.normalise_code("11.01") == "11.01"  # a synthetic regency is known inside the bench


def test_bench_workbook_loads_clean_with_about_sixty_indicators(restore_registry):
    bench.register(bench.bench_registry(bench.SCALES["national"]))
    for code in ("62.02", "11.01"):
        data = bench.workbook_bytes(bench.build_submission(code, 2027))
        result = loader.load_submission(data, f"{code}.xlsx")
        assert result.ok, [(i.code, i.cell) for i in result.errors][:5]
        assert result.submission.region == code
        assert len(result.submission.indikator) == bench.INDICATORS_PER_WORKBOOK


def test_small_run_reports_the_json_keys_and_stores_every_file(tmp_path, monkeypatch, restore_registry):
    monkeypatch.setitem(bench.SCALES, "tiny", bench.Scale("tiny", 2, (2025, 2026), 300.0))
    report = bench.run("tiny", tmp_path, None, repeat=1, workers=1, parts=("parse", "ingest"))
    assert report["ingest_sqlite"]["stored"] == 4 and report["ingest_sqlite"]["refused"] == 0
    for key in ("parse_validate_ms", "calamine_read_ms", "openpyxl_pandas_ms", "ingest_s", "peak_rss_mb",
                "scale", "frames_ms"):
        assert report[key] is not None, key
    assert report["frames_ms"] > 0  # the DataFrames the loader no longer builds are still timed
    assert report["parse_and_frames_vs_calamine"] > report["parse_vs_calamine"]
    assert json.loads(bench.to_json(report))["scale"] == "tiny"
    assert "parse+validate" in bench.format_report(report)


def test_small_run_times_the_meeting_pack(tmp_path, monkeypatch, restore_registry):
    monkeypatch.setitem(bench.SCALES, "tiny", bench.Scale("tiny", 2, (2025, 2026), 300.0))
    report = bench.run("tiny", tmp_path, None, repeat=1, workers=1, parts=("ingest", "rakor"))
    pack = report["rakor"]
    assert pack["province"] == "62" and pack["year"] == 2026 and pack["regencies"] == 2
    assert pack["pages"] >= 2 + pack["regencies"] and pack["xlsx_kb"] > 0
    assert report["rakor_pack_s"] == pack["pdf_s"] > 0 and pack["pdf_cpu_s"] > 0
    assert report["verdict"]["rakor_pack<=60s"] is True
    assert "meeting pack 62 2026 (2 regencies)" in bench.format_report(report)
