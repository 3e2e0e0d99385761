"""Command-line entry: each sub-command lives in its own module under `kesbang/commands/`.

A command module defines `NAME`, `HELP`, `configure(parser)` and `run(args) -> int`.
Exit codes: 0 success, 1 a file or action was refused/invalid, 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ["validate", "template", "summary", "sample", "ingest", "history", "review", "user", "action", "rakor",
            "bench"]


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(prog="python -m kesbang", description="Kesbang dashboard tools")
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"kesbang.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"kesbang.commands.{name}":
                continue  # not built yet
            raise
        modules[name] = module
        module.configure(sub.add_parser(name, help=module.HELP, description=module.HELP))
    return parser, modules


def main(argv: list[str] | None = None) -> int:
    parser, modules = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return int(modules[args.command].run(args) or 0)
    except KeyboardInterrupt:
        print("dibatalkan / interrupted", file=sys.stderr)
        return 130
