"""`python -m kesbang action add/respond/close/list …`: follow-ups (tindak lanjut) from the command line.

    action add --region R --year Y --indicator CODE --text TEXT --due YYYY-MM-DD [--finding KIND] [--json]
    action respond ID --text TEXT  ·  action close ID [--text NOTE]
    action list [--region R] [--year Y] [--status open/closed] [--json]

Each write acts as `--as USER` under that account's rules (an operator answers only for their own
regency), or as the console with admin rights (see `storeargs`). `add --json` prints `{"id": N}`;
`list --json` prints the records of `Store.followups` (dates in ISO 8601, times UTC with `Z`).
Exit 0 on success, 1 when refused or the store cannot be opened, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from kesbang.auth import describe
from kesbang.commands import storeargs
from kesbang.formatting import format_number
from kesbang.i18n import t
from kesbang.regions import normalise_code

NAME = "action"
HELP = "Follow-ups (tindak lanjut): add, respond, close, list."
FINDINGS = ("alignment", "measurability")


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action_command", required=True)
    add = sub.add_parser("add", help="open a follow-up on a regency's indicator")
    add.add_argument("--region", required=True, metavar="CODE", help="Kemendagri code, e.g. 62.02")
    add.add_argument("--year", required=True, type=int, metavar="YEAR")
    add.add_argument("--indicator", required=True, metavar="CODE", help="indicator code in the regency's report")
    add.add_argument("--text", required=True, help="what is to be done")
    add.add_argument("--due", required=True, metavar="YYYY-MM-DD", help="due date")
    add.add_argument("--finding", choices=FINDINGS, default=None,
                     help="the follow-up answers an RPJMD alignment or measurability finding on the indicator")
    add.add_argument("--json", action="store_true", help='print {"id": N}')
    respond = sub.add_parser("respond", help="answer a follow-up")
    respond.add_argument("id", type=int)
    respond.add_argument("--text", required=True)
    close = sub.add_parser("close", help="close a follow-up")
    close.add_argument("id", type=int)
    close.add_argument("--text", default=None, help="closing note")
    lst = sub.add_parser("list", help="list follow-ups")
    lst.add_argument("--region", default=None, metavar="CODE")
    lst.add_argument("--year", default=None, type=int, metavar="YEAR")
    lst.add_argument("--status", default=None, choices=("open", "closed"))
    lst.add_argument("--json", action="store_true")
    for p in sub.choices.values():
        storeargs.add_db(p)
        storeargs.add_as(p)


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value


def _print_record(r: dict, lang: str, out) -> None:
    status = t(f"followup.status_{r['status']}", lang)
    if r["overdue"]:
        status += f" ({t('followup.overdue', lang)})"
    print(t("followup.cli.line", lang, id=r["id"], region=r["region"], region_name=r["region_name"],
            year=r["year"], code=r["indicator_code"], status=status, due=r["due"].isoformat()), file=out)
    print(f"  {r['text']}", file=out)
    print(t("followup.cli.values", lang, opening=format_number(r["value_at_opening"], lang),
            latest=format_number(r["latest_value"], lang)), file=out)
    for a in r["answers"]:
        print(t("followup.cli.answer", lang, by=a["by"], at=_iso(a["at"]), text=a["text"]), file=out)
    if r["status"] == "closed":
        print(t("followup.cli.closed_line", lang, by=r["closed_by"], at=_iso(r["closed_at"])), file=out)


def _region(args: argparse.Namespace) -> str | None | bool:
    """The normalised --region (None when not given), or False after printing why it is not a code."""
    if getattr(args, "region", None) is None:
        return None
    region = normalise_code(args.region)
    if region is None:
        print(t("store.cli.bad_region", args.lang, region=args.region), file=sys.stderr)
        return False
    return region


def run(args: argparse.Namespace) -> int:
    region = _region(args)
    if region is False:
        return 2
    due = None
    if args.action_command == "add":
        try:
            due = dt.date.fromisoformat(args.due)
        except ValueError:
            print(t("followup.cli.bad_date", args.lang, value=args.due), file=sys.stderr)
            return 2
    store = storeargs.open_or_explain(args)
    if store is None:
        return 1
    try:
        if args.action_command == "list":
            return _list(store, args, region)
        actor = storeargs.actor(store, args)
        if actor is None:
            return 1
        if args.action_command == "add":
            out = store.open_followup(actor, region, args.year, args.indicator, args.text, due,
                                      subject=args.finding or "indicator")
        elif args.action_command == "respond":
            out = store.respond_followup(actor, args.id, args.text)
        else:
            out = store.close_followup(actor, args.id, args.text)
        if not out.ok:
            print(describe(out.message_id, out.params, args.lang), file=sys.stderr)
            return 1
        if args.action_command == "add" and args.json:
            json.dump({"id": out.id}, sys.stdout)
            sys.stdout.write("\n")
            return 0
        print(describe(out.message_id, out.params, args.lang))
        if args.action_command == "add":
            [record] = [r for r in store.followups(region=region, year=args.year) if r["id"] == out.id]
            _print_record(record, args.lang, sys.stdout)
        return 0
    finally:
        store.close()


def _list(store, args: argparse.Namespace, region: str | None) -> int:
    records = store.followups(region=region, year=args.year, status=args.status)
    if args.json:
        json.dump(_iso(records), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if not records:
        print(t("followup.cli.no_followups", args.lang))
    for r in records:
        _print_record(r, args.lang, sys.stdout)
    return 0
