"""CI flags turn "chromium missing" / "PostgreSQL not reachable" / "nginx missing" skips into failures; other
skips stay."""

import shutil
import subprocess
import sys
from pathlib import Path

CONFTEST = Path(__file__).with_name("conftest.py")

SKIPPING_TESTS = '''
import pytest

def test_needs_browser():
    pytest.skip("chromium not found on PATH")

def test_needs_database():
    pytest.skip("PostgreSQL not reachable at postgresql://nowhere")

def test_needs_proxy():
    pytest.skip("nginx not found: install Debian's package")

def test_other_skip():
    pytest.skip("nothing to do with CI flags")
'''


def _run(tmp_path: Path, **flags: str) -> subprocess.CompletedProcess:
    shutil.copy(CONFTEST, tmp_path / "conftest.py")
    (tmp_path / "test_skips.py").write_text(SKIPPING_TESTS)
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "400", **flags}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA", str(tmp_path)]
    return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_without_flags_skips_stay_skips(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "4 skipped" in result.stdout


def test_require_chromium_fails_only_the_browser_skip(tmp_path):
    result = _run(tmp_path, KESBANG_REQUIRE_CHROMIUM="1")
    assert result.returncode == 1
    assert "1 failed, 3 skipped" in result.stdout
    assert "KESBANG_REQUIRE_CHROMIUM=1 but the test was skipped: chromium not found" in result.stdout


def test_require_postgres_fails_only_the_database_skip(tmp_path):
    result = _run(tmp_path, KESBANG_REQUIRE_POSTGRES="1")
    assert result.returncode == 1
    assert "1 failed, 3 skipped" in result.stdout
    assert "KESBANG_REQUIRE_POSTGRES=1" in result.stdout


def test_require_nginx_fails_only_the_proxy_skip(tmp_path):
    result = _run(tmp_path, KESBANG_REQUIRE_NGINX="1")
    assert result.returncode == 1
    assert "1 failed, 3 skipped" in result.stdout
    assert "KESBANG_REQUIRE_NGINX=1 but the test was skipped: nginx not found" in result.stdout


def test_pg_url_gives_a_fresh_empty_database(pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        sql = "select count(*) from information_schema.tables where table_schema = 'public'"
        tables = conn.execute(sql).fetchone()
        conn.execute("create table probe (x int)")
    assert tables == (0,)
