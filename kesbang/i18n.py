"""UI and message text: one catalogue per language (`kesbang/locales/<lang>.toml`), read through `t()`.

Keys are dotted paths into the TOML tables ("nav.ringkasan", "v.cell.not_number"). Parameters are
filled with `str.format`; a missing key returns the key itself, so gaps show up in screenshots and
the catalogue-parity test rather than as a crash.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
_LOCALES = Path(__file__).with_name("locales")


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = str(value)
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    with open(_LOCALES / f"{lang}.toml", "rb") as fh:
        return _flatten(tomllib.load(fh))


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    text = catalogue(lang).get(key)
    if text is None:
        return key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def issue_message(issue, lang: str = DEFAULT_LANGUAGE) -> str:
    """The sentence for a ValidationIssue in one language."""
    params = {"sheet": issue.sheet or "", "cell": issue.cell or "", "column": issue.column or "",
              "value": "" if issue.value is None else str(issue.value), **issue.params}
    return t(issue.code, lang, **params)


def located_message(issue, lang: str = DEFAULT_LANGUAGE) -> str:
    """The sentence for a ValidationIssue with its place named once: most catalogue sentences name
    `Sheet!Cell` themselves; the others get it put in front."""
    text = issue_message(issue, lang)
    where = issue.where
    if not where or where in text:
        return text
    return f"{where}: {text}"
