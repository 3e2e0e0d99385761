"""`python -m kesbang validate [--json] [--lang id|en] FILE…`: check workbooks, keep going past bad ones.

A submission or the province's RPJMD reference workbook, told apart by content (`loader.load_workbook`).

Exit 0 when every file is valid, 1 when any is invalid (a missing or unreadable file counts as
invalid, with its message), 2 on a usage error (argparse).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kesbang.i18n import LANGUAGES, issue_message, located_message, t
from kesbang.intake.cells import issue
from kesbang.intake.loader import load_workbook
from kesbang.intake.rpjmd import RpjmdResult
from kesbang.model import LoadResult

NAME = "validate"
HELP = "Validate submission (or RPJMD reference) workbooks and print every problem (sheet, cell, message)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="workbook(s) to check (.xlsx, .xlsm, .xls, .ods)")
    parser.add_argument("--json", action="store_true", help="print a JSON array, one object per file")
    parser.add_argument("--lang", choices=LANGUAGES, default="id", help="message language (default: id)")


def _load(path: str) -> LoadResult | RpjmdResult:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError:
        return LoadResult(path, [issue("error", "v.file_missing", value=path)])
    return load_workbook(data, p.name)


def as_json(result: LoadResult | RpjmdResult, path: str) -> dict:
    return {
        "file": path,
        "status": "valid" if result.ok else "invalid",
        "workbook": "rpjmd" if isinstance(result, RpjmdResult) else "submission",
        "issues": [
            {
                "severity": i.severity,
                "sheet": i.sheet,
                "cell": i.cell,
                "column": i.column,
                "value": i.value,
                "code": i.code,
                "message_id": i.code,
                "message": issue_message(i, "id"),
                "message_en": issue_message(i, "en"),
            }
            for i in result.issues
        ],
    }


def _print_text(result: LoadResult | RpjmdResult, path: str, lang: str) -> None:
    status = t("v.valid" if result.ok else "v.invalid", lang)
    print(f"{path}: {status}")
    for i in result.issues:
        print(f"  [{t('v.severity.' + i.severity, lang)}] {located_message(i, lang)}")


def run(args: argparse.Namespace) -> int:
    results = []
    for path in args.files:
        result = _load(path)
        results.append((path, result))
        if not args.json:
            _print_text(result, path, args.lang)
    if args.json:
        json.dump([as_json(r, p) for p, r in results], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return 0 if all(r.ok for _, r in results) else 1
