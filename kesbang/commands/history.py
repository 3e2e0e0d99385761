"""`python -m kesbang history [--db URL] --region CODE --year YEAR [--json]`: the versions of a region-year.

JSON: `{"region", "year", "versions": [{"version", "sha256", "uploaded_by", "uploaded_at", "status",
"comments"}]}`, versions 1, 2, 3… oldest first; `uploaded_at` is UTC in ISO 8601 (`…Z`).
Exit 0 (also when there is no version yet), 1 when the store cannot be opened, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys

from kesbang.commands import storeargs
from kesbang.i18n import t
from kesbang.regions import normalise_code

NAME = "history"
HELP = "List the stored versions of one region-year (version, SHA-256, uploader, time, status)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", required=True, metavar="CODE", help="Kemendagri code, e.g. 62.02")
    parser.add_argument("--year", required=True, type=int, metavar="YEAR")
    parser.add_argument("--json", action="store_true", help="print JSON")
    storeargs.add_db(parser)


def run(args: argparse.Namespace) -> int:
    region = normalise_code(args.region)
    if region is None:
        print(t("store.cli.bad_region", args.lang, region=args.region), file=sys.stderr)
        return 2
    store = storeargs.open_or_explain(args)
    if store is None:
        return 1
    try:
        hist = store.history(region, args.year)
    finally:
        store.close()
    versions = [
        {
            "version": int(r.version),
            "sha256": r.sha256,
            "uploaded_by": r.uploaded_by,
            "uploaded_at": r.uploaded_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "status": r.status,
            "comments": int(r.comments),
        }
        for r in hist.itertuples()
    ]
    if args.json:
        json.dump(
            {"region": region, "year": args.year, "versions": versions},
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        sys.stdout.write("\n")
        return 0
    if not versions:
        print(t("store.cli.no_versions", args.lang, region=region, year=args.year))
        return 0
    for v in versions:
        status = t(f"store.status.{v['status']}", args.lang)
        print(
            f"v{v['version']:<4} {v['uploaded_at']}  {status:<16} {v['uploaded_by']:<24} {v['sha256'][:16]}"
        )
    return 0
