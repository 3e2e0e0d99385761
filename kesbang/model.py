"""Plain data passed between loader, validator, metrics, storage and pages.

Validation problems are data (like frictionless' errors): a message id plus parameters; the text is
chosen at render time from the language catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from kesbang.intake.columns import Columns

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class ValidationIssue:
    severity: Severity
    code: str                      # message id in the catalogue, e.g. "v.cell.not_number"
    sheet: str | None = None       # sheet name as found in the file
    cell: str | None = None        # Excel reference, e.g. "F12"
    column: str | None = None      # column label as found in the file (or the declared label)
    value: Any = None              # the value seen, as text
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def to_dict(self) -> dict[str, Any]:
        return {"severity": self.severity, "code": self.code, "sheet": self.sheet, "cell": self.cell,
                "column": self.column, "value": None if self.value is None else str(self.value),
                "params": {k: (v if isinstance(v, int | float | str | None) else str(v))
                           for k, v in self.params.items()}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ValidationIssue:
        return cls(d["severity"], d["code"], d.get("sheet"), d.get("cell"), d.get("column"), d.get("value"),
                   dict(d.get("params") or {}))


class _Frame:
    """A Submission frame that may be handed over as `Columns` (the loader does): the DataFrame is built
    the first time the field is read, and kept."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name, self.slot = name, "_" + name

    def __get__(self, obj: Any, owner: type | None = None) -> pd.DataFrame:
        if obj is None:
            raise AttributeError(self.name)  # no class-level default: the dataclass field stays required
        value = obj.__dict__[self.slot]
        if isinstance(value, Columns):
            value = obj.__dict__[self.slot] = value.frame()
        return value

    def __set__(self, obj: Any, value: pd.DataFrame | Columns) -> None:
        obj.__dict__[self.slot] = value


@dataclass
class Submission:
    """One regency x one year workbook, parsed.

    Frames use the column keys declared in `kesbang.schema` plus `row` (the Excel row number);
    values are already typed (floats, ints, dates, canonical choice values). Range targets are
    split into `target_min`/`target_max` (equal for a single value) and `target_text` keeps what the
    operator wrote.
    """
    identitas: dict[str, Any]
    indikator: pd.DataFrame = _Frame()
    paskibraka: pd.DataFrame = _Frame()
    nilai: pd.DataFrame = _Frame()
    issues: list[ValidationIssue] = field(default_factory=list)
    extra_columns: dict[str, list[str]] = field(default_factory=dict)  # sheet -> extra headers kept
    format_version: str | None = None

    def held(self, key: str) -> pd.DataFrame | Columns:
        """Frame `key` ("indikator", "paskibraka", "nilai") as held: its `Columns` while no one has read
        the frame (the store writes rows from them without building it), else the DataFrame."""
        return self.__dict__["_" + key]

    @property
    def region(self) -> str:
        return self.identitas["kode_wilayah"]

    @property
    def year(self) -> int:
        return int(self.identitas["tahun"])

    @property
    def period(self) -> str:
        return self.identitas["periode"]


@dataclass
class LoadResult:
    """What the loader says about one file: a submission (when no blocking error) and every issue."""
    filename: str
    issues: list[ValidationIssue]
    submission: Submission | None = None
    sha256: str | None = None
    kind: str | None = None        # "xlsx", "xlsm", "xls", "ods" or None when not a workbook

    @property
    def ok(self) -> bool:
        return self.submission is not None and not any(i.severity == "error" for i in self.issues)

    @property
    def errors(self) -> list[ValidationIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[ValidationIssue]:
        return [i for i in self.issues if i.severity == "warning"]
