"""The two catalogues (kesbang/locales/id.toml, en.toml) stay twins, and every key the code asks for exists.

A missing key would show as the key itself on screen ("ringkasan.title"); these tests find it first,
by reading every `T("…")` / `t("…")` call with a literal key in pages/, ui/, kesbang/ and dashboard.py.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from kesbang import i18n

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "dashboard.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "ui").rglob("*.py")),
    *sorted((ROOT / "kesbang").rglob("*.py")),
]
LOOKUPS = {"T", "t"}


def _called_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def keys_used() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(literal keys, literal prefixes of f-string keys), each with the file:line asking for it."""
    literal, prefixes = [], []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _called_name(node) in LOOKUPS and node.args):
                continue
            first = node.args[0]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                if re.fullmatch(r"[a-z_]+(\.[A-Za-z_0-9]+)+", first.value):
                    literal.append((first.value, where))
            elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
                prefix = str(first.values[0].value)
                if re.fullmatch(r"[a-z_]+(\.[A-Za-z_0-9]+)*\.", prefix):
                    prefixes.append((prefix, where))
    return literal, prefixes


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_identical_keys():
    ids, ens = set(i18n.catalogue("id")), set(i18n.catalogue("en"))
    assert not ids - ens, f"only in id.toml: {sorted(ids - ens)}"
    assert not ens - ids, f"only in en.toml: {sorted(ens - ids)}"


def test_every_text_is_filled_and_uses_the_same_placeholders_in_both_languages():
    ids, ens = i18n.catalogue("id"), i18n.catalogue("en")
    empty = [k for k in ids if not ids[k].strip() or not ens.get(k, "x").strip()]
    assert not empty, empty
    mismatched = [k for k in ids if k in ens and placeholders(ids[k]) != placeholders(ens[k])]
    assert not mismatched, mismatched


def test_every_literal_key_in_the_code_exists():
    literal, _ = keys_used()
    assert len(literal) > 100  # the scan really found the calls
    known = set(i18n.catalogue("id"))
    missing = sorted({f"{key} ({where})" for key, where in literal if key not in known})
    assert not missing, missing


def test_every_key_prefix_built_at_runtime_exists():
    """`T(f"category.{code}")` needs at least one key under `category.`."""
    _, prefixes = keys_used()
    known = set(i18n.catalogue("id"))
    missing = sorted(
        {f"{prefix} ({where})" for prefix, where in prefixes if not any(k.startswith(prefix) for k in known)}
    )
    assert not missing, missing


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_dashboard_tables_read_naturally(lang):
    """Spot facts of the dashboard's own tables: the category names and one filled-in sentence."""
    assert i18n.t("category.ST", lang) == {"id": "Sangat Tinggi", "en": "Very High"}[lang]
    text = i18n.t("ui.filters_caption", lang, province="Kalimantan Tengah", year=2026, period="TW III")
    assert "Kalimantan Tengah" in text and "2026" in text and "TW III" in text
    assert i18n.t("no.such.key", lang) == "no.such.key"  # a gap shows up as the key, never a crash
