"""`python -m kesbang user add|list|disable|enable|passwd …`: manage accounts in the store.

    user add --username U --role ROLE [--region CODE] --password-stdin
    user list [--json]
    user disable U  ·  user enable U
    user passwd U --password-stdin

Passwords are read from stdin (one line), never from the command line (it would show in `ps` and the
shell history); on a terminal without --password-stdin the password is asked for twice. The console
acts with admin rights unless `--as` names an admin account (see `storeargs`). Exit 0 on success,
1 when refused (the reason is printed), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from kesbang.auth import ROLES, describe
from kesbang.commands import storeargs
from kesbang.i18n import t

NAME = "user"
HELP = "Manage accounts: add, list, disable, enable, passwd."


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="user_command", required=True)
    add = sub.add_parser("add", help="add an account")
    add.add_argument("--username", required=True)
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--region", default=None, metavar="CODE", help="operators only: their region (62.02)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    lst = sub.add_parser("list", help="list accounts")
    lst.add_argument("--json", action="store_true")
    for name in ("disable", "enable"):
        p = sub.add_parser(name, help=f"{name} an account")
        p.add_argument("username")
    pw = sub.add_parser("passwd", help="set an account's password")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    for p in (add, lst, *sub.choices.values()):
        if not any(a.dest == "db" for a in p._actions):
            storeargs.add_db(p)
            storeargs.add_as(p)


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        first = getpass.getpass("Password / kata sandi: ")
        if first == getpass.getpass("Again / ulangi: "):
            return first
    return None


def run(args: argparse.Namespace) -> int:
    password = None
    if args.user_command in ("add", "passwd"):
        password = _password(args)
        if not password:
            print(t("store.cli.password_empty", args.lang), file=sys.stderr)
            return 2
    store = storeargs.open_or_explain(args)
    if store is None:
        return 1
    try:
        if args.user_command == "list":
            return _list(store, args)
        actor = storeargs.actor(store, args)
        if actor is None:
            return 1
        if args.user_command == "add":
            out = store.add_user(actor, args.username, args.role, args.region, password)
        elif args.user_command == "passwd":
            out = store.set_password(actor, args.username, password)
        elif args.user_command == "disable":
            out = store.disable_user(actor, args.username)
        else:
            out = store.enable_user(actor, args.username)
        print(describe(out.message_id, out.params, args.lang), file=sys.stdout if out.ok else sys.stderr)
        return 0 if out.ok else 1
    finally:
        store.close()


def _list(store, args: argparse.Namespace) -> int:
    users = store.list_users()
    if args.json:
        rows = [
            {
                "username": r.username,
                "role": r.role,
                "region": r.region,
                "disabled": bool(r.disabled),
                "created_at": r.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "created_by": r.created_by,
            }
            for r in users.itertuples()
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if users.empty:
        print(t("store.cli.users_none", args.lang))
    for r in users.itertuples():
        flag = " (nonaktif/disabled)" if r.disabled else ""
        print(f"{r.username:<28} {t('auth.role.' + r.role, args.lang):<20} {r.region or '-':<6}{flag}")
    return 0
