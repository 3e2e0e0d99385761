"""Where a value sits and what is wrong there: cell references (`F12`) and the issue record naming one."""

from __future__ import annotations

from typing import Any

from kesbang.model import Severity, ValidationIssue


def col_letters(index: int) -> str:
    """Column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_ref(excel_row: int, col: int) -> str:
    """The A1 reference of a cell: Excel row (1-based) and 0-based column index."""
    return f"{col_letters(col)}{excel_row}"


def issue(
    severity: Severity,
    code: str,
    sheet: str | None = None,
    cell: str | None = None,
    column: str | None = None,
    value: Any = None,
    **params: Any,
) -> ValidationIssue:
    """One problem: its severity, catalogue message id, where it is and the value as the operator wrote it."""
    return ValidationIssue(severity, code, sheet, cell, column, None if value is None else str(value), params)


def parse_ref(ref: str) -> tuple[int, int] | None:
    """(Excel row, 0-based column) of an A1 reference ("$AB$12" too), or None."""
    letters, digits, col = "", "", 0
    for ch in ref.replace("$", "").upper():
        if "A" <= ch <= "Z" and not digits:
            letters += ch
        elif ch.isdigit():
            digits += ch
        else:
            return None
    if not letters or not digits or len(letters) > 3:
        return None
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits), col - 1
