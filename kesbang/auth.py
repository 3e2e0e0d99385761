"""Who may do what: roles, the permission matrix (as data), password hashing and `authorise`.

The store calls `authorise` inside every write, so hiding a page or forging widget state cannot
get an operator past it. A refusal is `Denied(message_id, params)`; the message is translated at
render time like every other message.
"""

from __future__ import annotations

import functools
import getpass
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kesbang import i18n, settings

ROLES = ("admin", "reviewer", "head", "operator")
SYSTEM_ROLE = "system"  # built-in seeding actor; never stored as an account, cannot log in

Rule = Literal["any", "own"]


@dataclass(frozen=True)
class User:
    username: str
    role: str
    region: str | None = None  # Kemendagri code; only operators have one
    builtin: bool = False  # the seeding system or the console actor: not an account in the store

    @property
    def label(self) -> str:
        return self.username


# The console actor: whoever runs `python -m kesbang …` against a database already holds its
# credentials (and could write with plain SQL), so the CLI acts with admin rights unless `--as USER`
# narrows it to an account. The OS user name keeps the audit log attributable.
@functools.cache  # one object per process: the store trusts it by identity (`is_builtin`)
def console_user() -> User:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return User(f"konsol:{who}", "admin", None, builtin=True)


SYSTEM = User("sistem", SYSTEM_ROLE, None, builtin=True)


def is_builtin(user: User | None) -> bool:
    """True only for this process's own built-in actors (`SYSTEM`, `console_user()`). A `User` built
    elsewhere with `builtin=True` is not one: the store then checks it against the accounts like any other
    caller-built `User`, so a page cannot mint an admin."""
    return user is not None and (user is SYSTEM or user is console_user())


# action -> {role: region rule}. "any" = every region; "own" = only the user's own region.
# The built-in system actor may only seed (seeding writes directly, in one transaction).
# A role missing from an action's entry is refused. Reads are open to every role; anonymous reading
# is a setting (`public_read`).
PERMISSIONS: dict[str, dict[str, Rule]] = {
    "submit": {"admin": "any", "operator": "own"},
    "review.approve": {"admin": "any", "reviewer": "any"},
    "review.return": {"admin": "any", "reviewer": "any"},
    "review.reopen": {"admin": "any", "reviewer": "any"},
    "comment": {"admin": "any", "reviewer": "any", "operator": "own"},
    "rpjmd.put": {"admin": "any", "reviewer": "any"},
    # follow-ups (tindak lanjut): reviewers and heads decide them; the regency's operators answer theirs
    "followup.open": {"admin": "any", "reviewer": "any", "head": "any"},
    "followup.respond": {"admin": "any", "reviewer": "any", "head": "any", "operator": "own"},
    "followup.close": {"admin": "any", "reviewer": "any", "head": "any"},
    "user.manage": {"admin": "any"},
    "read": {"admin": "any", "reviewer": "any", "head": "any", "operator": "any"},
    "seed": {SYSTEM_ROLE: "any"},
}


class Denied(Exception):  # noqa: N818 - the domain word for a refused action
    """An action refused by the permission matrix; `message_id` + `params` name why."""

    def __init__(self, message_id: str, params: dict | None = None):
        super().__init__(message_id)
        self.message_id = message_id
        self.params = dict(params or {})


def allowed(user: User | None, action: str, region: str | None = None) -> bool:
    try:
        authorise(user, action, region)
    except Denied:
        return False
    return True


def authorise(user: User | None, action: str, region: str | None = None) -> None:
    """Raise `Denied` unless `user` may do `action` for `region` (None = not tied to one region)."""
    if action not in PERMISSIONS:
        raise ValueError(f"unknown action {action!r}")  # a programming error, not a user's
    if user is None:
        if action == "read" and settings.flag("public_read"):
            return
        raise Denied("auth.login_required", {"action": action})
    if user.role == SYSTEM_ROLE and action != "seed":
        raise Denied("auth.system_only_seed", {"action": action})
    rules = PERMISSIONS[action]
    rule = rules.get(user.role)
    if rule is None:
        raise Denied("auth.role_denied", {"action": action, "role": user.role, "user": user.username})
    if rule == "own":
        if not user.region or region is None or region != user.region:
            raise Denied(
                "auth.region_denied",
                {
                    "action": action,
                    "user": user.username,
                    "region": region or "-",
                    "own_region": user.region or "-",
                },
            )


def check_role(role: str, region: str | None) -> None:
    """Validate a new account's role/region pair (operators need exactly one region)."""
    if role not in ROLES:
        raise Denied("auth.bad_role", {"role": role, "roles": ", ".join(ROLES)})
    if role == "operator" and not region:
        raise Denied("auth.operator_needs_region", {})
    if role != "operator" and region:
        raise Denied("auth.region_only_operator", {"role": role})


# --- passwords ---------------------------------------------------------------------------------

_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD = 10
# Verified when the username is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = _HASHER.hash("kesbang-no-such-user")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise Denied("auth.password_short", {"min": MIN_PASSWORD})
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


_STATUSES = ("submitted", "resubmitted", "returned", "approved", "reopened")


def describe(message_id: str, params: dict | None = None, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A store/auth outcome as a sentence in `lang`, with role, action and status codes translated too
    (so "head" or "review.approve" never shows in the Indonesian text)."""
    params = dict(params or {})
    if params.get("action") in PERMISSIONS:
        params["action"] = i18n.t(f"auth.action.{params['action']}", lang)
    if params.get("role") in (*ROLES, SYSTEM_ROLE):
        params["role"] = i18n.t(f"auth.role.{params['role']}", lang)
    if params.get("status") in _STATUSES:
        params["status"] = i18n.t(f"store.status.{params['status']}", lang)
    if isinstance(params.get("dropped"), list):  # [[diff section, rows], ...] of store.sections_dropped
        params["dropped"] = ", ".join(f"{i18n.t(f'store.diff.{s}', lang)} ({n})" for s, n in params["dropped"])
    return i18n.t(message_id, lang, **params)
