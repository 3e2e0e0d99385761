"""`python -m kesbang ingest [--db URL] [--as USER] [--json] FILE…`: validate and store each file.

One result line per file (stored / already stored / refused with the reason and the file's errors).
A provincial RPJMD reference workbook is told from a submission by its content (`loader.load_workbook`).
Exit 0 when every file was stored or already stored, 1 when any was refused or unreadable, 2 on a
usage error. Runs under the same rules as the app (see `storeargs` for who the console acts as).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kesbang.auth import describe
from kesbang.commands import storeargs
from kesbang.i18n import located_message, t

NAME = "ingest"
HELP = "Validate and store workbooks (one result line each; exit 1 if any file was refused)."
MAX_ISSUES_SHOWN = 10


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="workbook(s) to store")
    storeargs.add_db(parser)
    storeargs.add_as(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON array, one object per file")
    parser.add_argument("--allow-drop", action="store_true",
                        help="store a version even if it leaves out a whole section the previous version had")


def _ingest_one(store, user, path: Path, lang: str, allow_drop: bool = False) -> dict:
    from kesbang.intake.loader import load_workbook
    from kesbang.intake.rpjmd import RpjmdResult

    try:
        data = path.read_bytes()
    except OSError as e:
        return {
            "file": str(path),
            "status": "refused",
            "message_id": "store.cli.unreadable",
            "message": t("store.cli.unreadable", lang, file=path, error=type(e).__name__),
            "issues": [],
        }
    result = load_workbook(data, path.name)
    if isinstance(result, RpjmdResult):
        out = store.put_rpjmd(user, result, data, path.name)
        status = "stored" if out.ok else "refused"
        record = {
            "file": str(path),
            "status": status,
            "message_id": out.message_id,
            "message": describe(out.message_id, out.params, lang),
        }
        issues = result.issues
    else:
        out = store.submit(user, result, data, path.name, allow_drop=allow_drop)
        record = {
            "file": str(path),
            "status": out.status,
            "message_id": out.message_id,
            "message": describe(out.message_id, out.params, lang),
            "region": out.region,
            "year": out.year,
            "version": out.version,
            "submission_id": out.submission_id,
        }
        issues = result.issues
    record["issues"] = [
        {
            "severity": i.severity,
            "sheet": i.sheet,
            "cell": i.cell,
            "code": i.code,
            "message": located_message(i, lang),
        }
        for i in issues
        if i.severity == "error"
    ]
    return record


def _line(record: dict, lang: str) -> str:
    name = record["file"]
    if record["status"] == "stored" and record.get("version") is not None:
        return t(
            "store.cli.ingest_ok",
            lang,
            file=name,
            region=record["region"],
            year=record["year"],
            version=record["version"],
        )
    if record["status"] == "stored":
        return f"{name}: {record['message']}"
    if record["status"] == "duplicate":
        return t(
            "store.cli.ingest_duplicate",
            lang,
            file=name,
            region=record["region"],
            year=record["year"],
            version=record["version"],
        )
    if record["message_id"] == "store.cli.unreadable":
        return record["message"]
    lines = [t("store.cli.ingest_refused", lang, file=name, reason=record["message"])]
    for i in record["issues"][:MAX_ISSUES_SHOWN]:
        lines.append(f"  {i['message']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    store = storeargs.open_or_explain(args)
    if store is None:
        return 1
    try:
        user = storeargs.actor(store, args)
        if user is None:
            return 1
        records = []
        for name in args.files:
            record = _ingest_one(store, user, Path(name), args.lang, args.allow_drop)
            records.append(record)
            if not args.json:
                print(_line(record, args.lang), flush=True)
        if args.json:
            json.dump(records, sys.stdout, ensure_ascii=False, indent=1, default=str)
            sys.stdout.write("\n")
        return 0 if all(r["status"] in ("stored", "duplicate") for r in records) else 1
    finally:
        store.close()
