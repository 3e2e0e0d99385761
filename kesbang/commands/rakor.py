"""`python -m kesbang rakor --province 62 --year 2026 [--period 3] [--lang en] -o FILE.pdf/.xlsx`: the meeting pack.

The coordination-meeting pack (paket rakor) of a province-year, read from the store.

An empty store is seeded from sample_data/ first when the `seed_sample` setting is on, as the app does
on its first start. The file kind follows the output's extension. Exit 0 when written, 1 when the
store cannot be opened or holds nothing for the province-year, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kesbang import settings
from kesbang.commands import storeargs
from kesbang.i18n import t

NAME = "rakor"
HELP = "The coordination-meeting pack (paket rakor) of a province-year, as PDF or Excel."
KINDS = (".pdf", ".xlsx")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--province", required=True, metavar="CODE", help="province code, e.g. 62")
    parser.add_argument("--year", required=True, type=int, metavar="YEAR")
    parser.add_argument("--period", type=int, choices=(1, 2, 3, 4), default=None,
                        help="up to this quarter (default: the furthest period submitted)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="rakor.pdf or rakor.xlsx")
    storeargs.add_db(parser)


def write(store, args: argparse.Namespace) -> tuple[bytes, int]:
    """The pack's bytes in the output's kind, and how many regencies it covers (raises PackError)."""
    from kesbang.exports import rakor, rakor_pdf, rakor_xlsx

    pack = rakor.build(store, args.province, args.year, args.period, args.lang)
    render = rakor_pdf.render if Path(args.output).suffix.lower() == ".pdf" else rakor_xlsx.render
    return render(pack), len(pack.regencies)


def run(args: argparse.Namespace) -> int:
    from kesbang.exports.rakor import PackError

    out = Path(args.output)
    if out.suffix.lower() not in KINDS:
        print(t("rakor.cli_bad_output", args.lang, path=args.output), file=sys.stderr)
        return 2
    store = storeargs.open_or_explain(args)
    if store is None:
        return 1
    started = time.perf_counter()
    try:
        store.seed_if_empty(settings.SAMPLE_DIR)  # does nothing unless seed_sample is on and the store is empty
        data, n = write(store, args)
    except PackError as e:
        print(t(e.message_id, args.lang, **e.params), file=sys.stderr)
        return 1
    finally:
        store.close()
    out.write_bytes(data)
    print(t("rakor.cli_written", args.lang, path=str(out), pages=n, seconds=f"{time.perf_counter() - started:.1f}"))
    return 0
