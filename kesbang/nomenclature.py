"""The 8.01 Kesbangpol nomenclature (Permendagri 90/2019 and updates) and the standard indicator catalogue.

Both are data (`kesbang/data/nomenklatur.csv`, `kesbang/data/indikator_standar.csv`) so a new
sub-kegiatan or indicator is a row, not code. Codes are `urusan.bidang.program.LEVEL.kegiatan.sub`
with four-digit sub-kegiatan codes; older documents write two digits (`…2.01.08`), normalised here.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

_DATA = Path(__file__).with_name("data")

# `8.01.02`, `8.01.02.2.01`, `8.01.02.2.01.0008`, each part possibly written without zero padding.
_CODE = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{1,2})(?:\.(\d)\.(\d{1,2})(?:\.(\d{1,4}))?)?)?$")


def normalise_code(raw: object) -> str | None:
    """'8.01.02.2.01.08' (old 2-digit form), ' 8.1.2.2.1.8 ' -> '8.01.02.2.01.0008'; None if not a code.

    Only the shape is checked, not whether the code exists (see `name_of`).
    """
    if raw is None:
        return None
    s = re.sub(r"\s+", "", str(raw)).strip("'\".")
    m = _CODE.match(s)
    if not m:
        return None
    urusan, bidang, program, level, kegiatan, sub = m.groups()
    parts = [str(int(urusan)), f"{int(bidang):02d}"]
    if program is not None:
        parts.append(f"{int(program):02d}")
    if level is not None:
        parts += [level, f"{int(kegiatan):02d}"]
    if sub is not None:
        parts.append(f"{int(sub):04d}")
    return ".".join(parts)


def program_of(code: str) -> str:
    """The program part (`8.01.02`) of any nomenclature or indicator code."""
    return ".".join(str(code).split(".")[:3])


@cache
def table() -> pd.DataFrame:
    """All nomenclature rows: kode, level (program | kegiatan | subkegiatan), nama."""
    return pd.read_csv(_DATA / "nomenklatur.csv", dtype=str, keep_default_na=False)


@cache
def _names() -> dict[str, str]:
    return dict(zip(table()["kode"], table()["nama"]))


def name_of(code: object) -> str | None:
    """The official name of a program, kegiatan or sub-kegiatan code (any accepted spelling)."""
    norm = normalise_code(code)
    return _names().get(norm) if norm else None


def programs() -> pd.DataFrame:
    t = table()
    return t[t["level"] == "program"].reset_index(drop=True)


def subkegiatan(program: str | None = None) -> pd.DataFrame:
    t = table()
    t = t[t["level"] == "subkegiatan"]
    if program is not None:
        t = t[t["kode"].str.startswith(program + ".")]
    return t.reset_index(drop=True)


@cache
def standard_indicators() -> pd.DataFrame:
    """The standard indicator catalogue: kode_indikator, kode_program, kode_kegiatan, kode_subkegiatan,
    indikator, level, satuan, polaritas, akumulasi, jenis_ukuran, kode_rpjmd (blank = local only)."""
    return pd.read_csv(_DATA / "indikator_standar.csv", dtype=str, keep_default_na=False)


def nomenclature_name_for(indicator_row: dict) -> str:
    """The name to show beside an indicator: its sub-kegiatan, else kegiatan, else program name."""
    for key in ("kode_subkegiatan", "kode_kegiatan", "kode_program"):
        code = indicator_row.get(key)
        if code:
            name = name_of(code)
            if name:
                return name
    return ""
