"""`python -m kesbang bench [--scale province|national] [--json]`: see kesbang/devtools/bench.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

NAME = "bench"
HELP = ("Benchmark parsing, ingest, the meeting pack, cold start, page loads in chromium against bare "
        "Streamlit, the wild corpus and many users at once behind nginx (province or national scale)")


def configure(parser) -> None:
    parser.add_argument("--scale", choices=["province", "national"], default="province")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--repeat", type=int, default=7, help="runs per median (default 7)")
    parser.add_argument("--workdir", type=Path, help="where generated workbooks are kept between runs")
    parser.add_argument("--pg-url", default=os.environ.get("KESBANG_TEST_PG_URL",
                                                             "postgresql://postgres@127.0.0.1:5432/test"),
                        help="PostgreSQL server for the ingest figure (a fresh database is made and dropped)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes parsing files during ingest (default: one per core)")
    parser.add_argument("--only", help="comma-separated parts: parse,ingest,rakor,cold,pageload,corpus,load "
                        "(page reruns under AppTest: python -m ui.page_bench)")
    load = parser.add_argument_group("load", "operators uploading and viewers browsing at once (PostgreSQL, "
                                     "nginx and chromium; a 2-core machine shared with others may scale down)")
    load.add_argument("--operators", type=int, default=24, help="regency operators uploading (default 24)")
    load.add_argument("--viewers", type=int, default=20, help="viewers browsing at the same time (default 20)")
    load.add_argument("--views-each", type=int, default=3, help="pages each viewer opens (default 3)")
    load.add_argument("--processes", type=int, default=2, help="app processes behind nginx (default 2)")
    load.add_argument("--alone", type=int, default=3,
                      help="uploads and viewers measured one at a time for the baseline (default 3)")


def run(args) -> int:
    from kesbang.devtools import bench, load

    parts = tuple(p.strip() for p in args.only.split(",")) if args.only else bench.PARTS
    unknown = set(parts) - set(bench.PARTS)
    if unknown:
        print(f"unknown part(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    plan = load.Plan(operators=max(1, args.operators), viewers=max(0, args.viewers), processes=max(1, args.processes),
                     views_each=max(1, args.views_each), alone=max(1, args.alone))
    report = bench.run(args.scale, args.workdir, args.pg_url or None, max(1, args.repeat),
                       max(1, args.workers), parts, log=lambda line: print(line, file=sys.stderr, flush=True),
                       load_plan=plan)
    print(bench.to_json(report) if args.json else bench.format_report(report))
    return 0
