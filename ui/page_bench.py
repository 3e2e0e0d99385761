"""The benchmark's page part: each page's full rerun with AppTest on a store of the bench's scale.

Run as `python -m ui.page_bench [--scale province|national] [--json]`: it builds the bench's workbooks and
store with `kesbang.devtools.bench`, then drives the real pages; it sits at the UI edge because it drives
Streamlit, and `kesbang` never loads it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kesbang import settings
from kesbang.devtools import bench
from ui.auth import KEY_USER

# Pages that only show their work to a signed-in account: measured signed in as that role.
SIGNED_IN = {"pages/unggah.py": "bench.operator", "pages/tinjauan.py": "bench.reviewer",
             "pages/masuk.py": "bench.reviewer"}


def bench_pages(url: str, data_dir: Path, repeat: int) -> dict:
    """Median full rerun of each page with AppTest (after one warm-up run that fills the caches)."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # bare-mode warnings from the store seeding path

    os.environ.update(bench.app_env(url, data_dir))
    settings._secrets.cache_clear()
    bench.bench_accounts(url)
    out: dict[str, dict] = {}
    cwd = os.getcwd()
    os.chdir(bench.ROOT)  # page paths in dashboard.py are relative to the project root
    try:
        for page in bench.page_files():
            at = AppTest.from_file(str(bench.ROOT / "dashboard.py"), default_timeout=120)
            if page in SIGNED_IN:
                at.session_state[KEY_USER] = {"username": SIGNED_IN[page], "sso": False}
            at.run()
            at.switch_page(page)
            at.run()  # warm-up: imports, first read of the store into the cache
            errors = [e.value for e in at.exception] + [e.value for e in at.error]

            def rerun(at=at):
                at.run()

            ms = bench.median_ms(rerun, repeat, warmup=0)
            charts = len(at.get("plotly_chart"))
            out[page] = {"ms": ms, "charts": charts, "errors": [str(e)[:200] for e in errors],
                         "signed_in_as": SIGNED_IN.get(page)}
    finally:
        os.chdir(cwd)
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    import shutil
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m ui.page_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(bench.SCALES), default="province")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    scale = bench.SCALES[args.scale]
    bench.register(bench.bench_registry(scale))
    workdir = Path(tempfile.gettempdir()) / "kesbang-bench" / scale.name
    paths = bench.build_workbooks(scale, workdir / "workbooks-template", lambda s: None)
    store_dir = Path(tempfile.mkdtemp(prefix="kesbang-page-bench-"))
    try:
        url = f"sqlite:///{store_dir / 'kesbang.sqlite3'}"
        bench.ingest(paths, url)
        pages = bench_pages(url, store_dir, args.repeat)
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)
    if args.json:
        print(json.dumps(pages, indent=2))
    else:
        for page, v in pages.items():
            errors = f", errors: {v['errors']}" if v["errors"] else ""
            print(f"{page}: {v['ms']} ms, {v['charts']} charts{errors}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
