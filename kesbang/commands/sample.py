"""`python -m kesbang sample [--out DIR]`: regenerate sample_data/ (byte-identical on every run)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kesbang.i18n import t

NAME = "sample"
HELP = "Regenerate the sample province (24 regencies x 2025/2026 and both RPJMD workbooks) in sample_data/."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("sample_data"), help="folder (default: sample_data)")
    parser.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    parser.add_argument("--lang", choices=["id", "en"], default="id", help="message language (default: id)")


def run(args: argparse.Namespace) -> int:
    from kesbang.devtools import sample

    try:
        written = sample.write_sample_data(args.out, args.seed)
    except OSError as exc:
        other = "en" if args.lang == "id" else "id"
        print(f"{t('template.cannot_write', args.lang, path=args.out, reason=exc.strerror)} / "
              f"{t('template.cannot_write', other, path=args.out, reason=exc.strerror)}", file=sys.stderr)
        return 1
    print(t("template.sample_written", args.lang, count=len(written), path=args.out))
    return 0
