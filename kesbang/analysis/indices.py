"""Slow outcome indices (IDI, KUB, IKP, IAP …) as reference data with their source and publication year.

They are published a year or more after the year they describe, so they are shown on their own time
axis and never scored against the same year's activities. Figures come from `data/indeks.csv`
(facts from the project's domain reference); `cek` = 1 marks a figure seen only in secondary sources,
`terbit_cek` = 1 a publication year that is approximate. Adding a year or a province is a data change.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from kesbang import i18n

_PATH = Path(__file__).resolve().parents[1] / "data" / "indeks.csv"
NATIONAL = "00"
COLUMNS = ["indeks", "pemilik", "polaritas", "wilayah", "tahun", "nilai", "kategori", "program", "sumber",
           "terbit", "cek", "terbit_cek"]


@cache
def _load(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"wilayah": str, "program": str, "kategori": str, "sumber": str},
                     keep_default_na=False, na_values={"nilai": [""]})
    df["tahun"] = df["tahun"].astype(int)
    df["terbit"] = pd.to_numeric(df["terbit"], errors="coerce").astype("Int64")
    df["nilai"] = pd.to_numeric(df["nilai"], errors="coerce")
    df["cek"] = df["cek"].astype(int).astype(bool)
    df["terbit_cek"] = df["terbit_cek"].astype(int).astype(bool)
    return df[COLUMNS]


def load(path: Path | str | None = None) -> pd.DataFrame:
    """All index figures (a copy: callers may add columns)."""
    return _load(str(path or _PATH)).copy()


def for_province(province: str | None, table: pd.DataFrame | None = None,
                 include_national: bool = True) -> pd.DataFrame:
    """Figures for one province (Kemendagri code, e.g. '62'), plus national ones when asked.

    `province=None` returns every row. An index is a province-level measure: a regency view shows its
    province's figures, labelled as such by the page.
    """
    df = load() if table is None else table.copy()
    if province is None:
        return df.reset_index(drop=True)
    keep = df["wilayah"] == str(province)
    if include_national:
        keep |= df["wilayah"] == NATIONAL
    return df[keep].sort_values(["indeks", "wilayah", "tahun"]).reset_index(drop=True)


def for_program(program: str, table: pd.DataFrame) -> pd.DataFrame:
    """The indices the project reads as the slow outcome of one program (8.01.0x)."""
    return table[table["program"] == program].reset_index(drop=True)


def index_name(key: str, lang: str = "id") -> str:
    text = i18n.t(f"program_nilai.indeks_{key.lower()}", lang)
    return key if text.startswith("program_nilai.") else text


def lag_years(table: pd.DataFrame) -> pd.Series:
    """Years between the period an index describes and its publication (negative for a forward-looking
    index such as the election vulnerability index, published before the election it rates)."""
    return table["terbit"].astype("Float64") - table["tahun"]
