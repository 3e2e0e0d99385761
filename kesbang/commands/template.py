"""`python -m kesbang template --region 62.02 --year 2026 [-o FILE] [--rpjmd FILE] [--db [URL]]`: a pre-filled workbook.

With `--db` (a URL, or none for the configured store) the template carries what the store knows: the last
stored version of the region-year for the next quarter, and the stored RPJMD's targets unless `--rpjmd`
names a workbook (kesbang/exports/carry.py).
"""

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
    parser.add_argument("--db", nargs="?", const="", metavar="URL", default=None,
                        help="carry the last stored version and the stored RPJMD from this store "
                             "(no URL: KESBANG_DATABASE_URL, secrets.toml or the SQLite file in the data directory)")
    parser.add_argument("--lang", choices=["id", "en"], default="id", help="message language (default: id)")


def _both(key: str, lang: str, **params) -> str:
    other = "en" if lang == "id" else "id"
    return f"{t(key, lang, **params)} / {t(key, other, **params)}"


def run(args: argparse.Namespace) -> int:
    from kesbang.exports import carry, template

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
    previous = version = None
    if args.db is not None:
        known = _from_store(args, rpjmd)
        if known is None:
            return 1
        previous, version, rpjmd = known
    try:
        output = args.output or Path(template.default_filename(args.region, args.year))
        data = template.write_template(args.region, args.year, rpjmd, previous, version=version)
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
    if previous is not None:
        print(t("carry.page_note", args.lang, version=version, period=previous.period or "—",
                next=carry.next_period(previous.period) or "—"))
    return 0


def _from_store(args: argparse.Namespace, rpjmd):
    """(last stored version or None, its number, the RPJMD frame) from `--db`; None after saying why not."""
    from kesbang.commands import storeargs
    from kesbang.exports import carry
    from kesbang.regions import normalise_code, province_of

    store = storeargs.open_or_explain(argparse.Namespace(db=args.db or None, lang=args.lang))
    if store is None:
        return None
    try:
        region = normalise_code(args.region) or args.region
        previous, version = carry.last_version(store, region, args.year)
        if rpjmd is None:
            rpjmd = store.dataset(province=province_of(region), years=[args.year]).rpjmd
    finally:
        store.close()
    return previous, version, rpjmd
