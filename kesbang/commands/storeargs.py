"""Options and helpers shared by the commands that use the store (ingest, history, user).

The console acts with admin rights unless `--as USER` names an account: whoever runs the CLI against a
database already holds its credentials (and could write with plain SQL), so a CLI password would
protect nothing; `--as` applies an account's own rules (an operator only for their region), and the
audit log records the OS user (`konsol:<name>`) or the account.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import exc

from kesbang.auth import User, console_user
from kesbang.i18n import LANGUAGES, t


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="database URL (default: KESBANG_DATABASE_URL, secrets.toml, or the SQLite file in the data directory)",
    )
    parser.add_argument("--lang", choices=LANGUAGES, default="id", help="message language (default: id)")


def add_as(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        default=None,
        help="act as this account, under its rules (default: the console, with admin rights)",
    )


def open_or_explain(args: argparse.Namespace):
    """The store, or None after printing why it cannot be opened."""
    from kesbang.store import open_store

    try:
        return open_store(args.db)
    except (exc.SQLAlchemyError, OSError, ValueError) as e:
        print(
            t("store.cli.db_error", args.lang, error=f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"),
            file=sys.stderr,
        )
        return None


def actor(store, args: argparse.Namespace) -> User | None:
    """The acting user: the `--as` account (None after printing why when unknown/disabled) or the console."""
    name = getattr(args, "as_user", None)
    if not name:
        return console_user()
    user = store.user(name)
    if user is None:
        print(t("store.cli.no_user", args.lang, username=name), file=sys.stderr)
    return user
