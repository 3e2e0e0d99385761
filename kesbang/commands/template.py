"""`python -m kesbang template --region 62.02 --year 2026 [-o FILE] [--rpjmd FILE]`: a pre-filled workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kesbang.i18n import t

NAME = "template"
HELP = "Write the pre-filled submission template for a regency and year (.xlsx)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", required=True, help="Kemendagri region code: 62.02 or 6202")
    parser.add_argument("--year", required=True, type=int, help="reporting year, e.g. 2026")
    parser.add_argument("-o", "--output", type=Path, help="default template_<region>_<year>.xlsx")
    parser.add_argument("--rpjmd", type=Path,
                        help="the province's RPJMD reference workbook: its indicator codes feed the dropdown")
    parser.add_argument("--lang", choices=["id", "en"], default="id", help="message language (default: id)")


def _both(key: str, lang: str, **params) -> str:
    other = "en" if lang == "id" else "id"
    return f"{t(key, lang, **params)} / {t(key, other, **params)}"


def run(args: argparse.Namespace) -> int:
    from kesbang.exports import template

    rpjmd = None
    if args.rpjmd is not None:
        from kesbang.i18n import located_message
        from kesbang.intake.loader import load_rpjmd

        try:
            data = args.rpjmd.read_bytes()
        except OSError as exc:
            print(_both("template.cannot_read", args.lang, path=args.rpjmd, reason=exc.strerror),
                  file=sys.stderr)
            return 1
        result = load_rpjmd(data, args.rpjmd.name)
        blocking = [i for i in result.issues if i.severity == "error"]
        if blocking:
            for i in blocking:
                print(f"{args.rpjmd}: {located_message(i, args.lang)}", file=sys.stderr)
            return 1
        rpjmd = result.frame
    try:
        output = args.output or Path(template.default_filename(args.region, args.year))
        data = template.write_submission(None, args.region, args.year, rpjmd)
    except template.TemplateError as exc:
        other = "en" if args.lang == "id" else "id"
        print(f"{exc.message(args.lang)} / {exc.message(other)}", file=sys.stderr)
        return 2
    try:
        output.write_bytes(data)
    except OSError as exc:
        print(_both("template.cannot_write", args.lang, path=output, reason=exc.strerror), file=sys.stderr)
        return 1
    print(t("template.written", args.lang, path=output))
    return 0
