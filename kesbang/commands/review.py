"""`python -m kesbang review approve/return/reopen --as USER --region R… --year Y [--version N] --comment TEXT`.

Bappeda's review in batch: one line per region (approved / returned / reopened, or refused and why),
under the same rules as the review page (`Store.review_version`: the reviewer's role, latest version
only, the state machine, a comment for return and reopen). `--as` is required: a review is a decision
that the audit log must attribute to a reviewer's account, never to the console. Without `--version`
each region's latest version is reviewed (found inside the write, under the region-year's lock); a
version number applies to one region only. Every refusal is audited by the store, an unknown or
disabled `--as` name too.
Exit 0 when every region was reviewed, 1 when any was refused (or the store cannot be opened), 2 on
a usage error (unknown region code, bad version number).
"""

from __future__ import annotations

import argparse
import json
import sys

from kesbang.auth import describe
from kesbang.commands import storeargs
from kesbang.i18n import t
from kesbang.regions import normalise_code

NAME = "review"
HELP = "Approve, return or reopen reports as a reviewer account (one line per region; exit 1 if any refused)."
ACTIONS = ("approve", "return", "reopen")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("--as", dest="as_user", required=True, metavar="USER",
                        help="the reviewer (or admin) account acting; recorded in the audit log")
    parser.add_argument("--region", required=True, nargs="+", metavar="CODE",
                        help="Kemendagri code(s), e.g. 62.02 62.03")
    parser.add_argument("--year", required=True, type=int, metavar="YEAR")
    parser.add_argument("--version", default=None, metavar="N",
                        help="the version to review (default: the latest); one --region only")
    parser.add_argument("--comment", default=None, metavar="TEXT",
                        help="the reason (required for return and reopen; shown to the operator)")
    parser.add_argument("--json", action="store_true", help="print a JSON array, one object per region")
    storeargs.add_db(parser)


def _usage_error(args: argparse.Namespace) -> tuple[list[str], int | None] | None:
    """(regions, version) checked, or None after printing the usage error."""
    regions = []
    for raw in args.region:
        code = normalise_code(raw)
        if code is None:
            print(t("store.cli.bad_region", args.lang, region=raw), file=sys.stderr)
            return None
        regions.append(code)
    version = None
    if args.version is not None:
        if not args.version.isdigit() or int(args.version) < 1:
            print(t("store.cli.review_bad_version", args.lang, version=args.version), file=sys.stderr)
            return None
        if len(regions) > 1:
            print(t("store.cli.review_version_batch", args.lang), file=sys.stderr)
            return None
        version = int(args.version)
    return list(dict.fromkeys(regions)), version


def run(args: argparse.Namespace) -> int:
    checked = _usage_error(args)
    if checked is None:
        return 2
    regions, version = checked
    store = storeargs.open_or_explain(args)
    if store is None:
        return 1
    try:
        user = store.user(args.as_user)
        if user is None:
            for region in regions:
                store.audit_refusal(args.as_user, f"review.{args.action}", "security.not_an_account",
                                    {"user": args.as_user}, region, args.year)
            print(t("store.cli.no_user", args.lang, username=args.as_user), file=sys.stderr)
            return 1
        records = []
        for region in regions:
            out = store.review_version(user, region, args.year, args.action, args.comment, version)
            record = {
                "region": region,
                "year": args.year,
                "status": out.status,
                "message_id": out.message_id,
                "message": describe(out.message_id, out.params, args.lang),
                "version": out.params.get("version") if out.ok else version,
                "submission_id": out.params.get("submission_id"),
            }
            records.append(record)
            if not args.json:
                print(f"{region} {args.year}: {record['message']}", file=sys.stdout if out.ok else sys.stderr,
                      flush=True)
        refused = sum(r["status"] != "ok" for r in records)
        if args.json:
            json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        elif len(records) > 1:
            print(t("store.cli.review_summary", args.lang, ok=len(records) - refused, total=len(records),
                    refused=refused))
        return 1 if refused else 0
    finally:
        store.close()
