"""Side by side, per program 8.01.02–8.01.06: what was produced (indicators, achievement), what was
cultivated (values activities, reach, rubric, stories) and what the slow outcome indices say.

The three columns are described next to each other and never scored against each other: an index
describes a year long before or after the activities beside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kesbang.analysis import values

PROGRAMS = ["8.01.02", "8.01.03", "8.01.04", "8.01.05", "8.01.06"]
CATEGORIES = ["ST", "T", "S", "R", "SR"]

# A values activity without a sub-kegiatan code is placed by its theme, under the program whose
# nomenclature covers it (ideology and national character; political education; socio-cultural
# resilience, where the religious-harmony and local-wisdom forums are facilitated).
THEME_PROGRAM = {
    "pembudayaan_pancasila": "8.01.02",
    "wawasan_kebangsaan": "8.01.02",
    "bela_negara": "8.01.02",
    "pembauran_kebangsaan": "8.01.02",
    "pendidikan_politik": "8.01.03",
    "belom_bahadat_kearifan_lokal": "8.01.05",
    "kerukunan_umat_beragama": "8.01.05",
}


def program_of_code(code: object) -> str | None:
    """'8.01.02.2.01.0008' -> '8.01.02'; None when the text is not an 8.01 program code."""
    parts = str(code or "").strip().split(".")
    if len(parts) >= 3 and parts[0] == "8" and parts[1] == "01" and parts[2].isdigit():
        return f"8.01.{parts[2].zfill(2)}"
    return None


def program_of_activity(nilai: pd.DataFrame) -> pd.Series:
    """Program of each values activity: its sub-kegiatan code first, its theme second."""
    by_code = nilai["kode_subkegiatan"].map(program_of_code)
    by_theme = nilai["tema"].map(lambda t: THEME_PROGRAM.get(values.theme_key(t)))
    return by_code.where(by_code.notna(), by_theme)


SUMMARY_COLUMNS = ["program", "n_indikator", "capaian_rata", "capaian_median", "n_tidak_terhitung",
                   *[f"n_{c}" for c in CATEGORIES], "n_kegiatan", "peserta", "rubrik_median", "n_cerita",
                   "n_indeks"]


def summary(metrics: pd.DataFrame, nilai: pd.DataFrame, index_table: pd.DataFrame,
            programs: list[str] | None = None) -> pd.DataFrame:
    """One row per program.

    `metrics` is `kesbang.analysis.metrics.compute(...)` output (needs `kode_program`, `capaian`, `kategori`);
    achievement is the plain mean/median of the program's computable indicators, with the count that
    could not be computed beside it. `index_table` is `kesbang.analysis.indices` rows (its `program` column).
    """
    programs = programs or PROGRAMS
    rows = []
    m = metrics.copy() if metrics is not None else pd.DataFrame()
    if not m.empty:
        m["_program"] = m["kode_program"].map(program_of_code)
        m["capaian"] = pd.to_numeric(m.get("capaian"), errors="coerce")
    n = nilai.copy() if nilai is not None else pd.DataFrame()
    if not n.empty:
        n["_program"] = program_of_activity(n)
        n["peserta"] = pd.to_numeric(n["peserta"], errors="coerce")
        n["rubrik"] = pd.to_numeric(n["rubrik"], errors="coerce")
    for prog in programs:
        mi = m[m["_program"] == prog] if not m.empty else m
        ni = n[n["_program"] == prog] if not n.empty else n
        cap = mi["capaian"].dropna() if not mi.empty else pd.Series(dtype=float)
        kat = mi["kategori"].value_counts() if not mi.empty else pd.Series(dtype=int)
        stories = 0
        if not ni.empty:
            stories = int((ni["narasi"].fillna("").astype(str).str.strip() != "").sum())
        rows.append({
            "program": prog,
            "n_indikator": int(len(mi)),
            "capaian_rata": float(cap.mean()) if len(cap) else np.nan,
            "capaian_median": float(cap.median()) if len(cap) else np.nan,
            "n_tidak_terhitung": int(len(mi) - len(cap)),
            **{f"n_{c}": int(kat.get(c, 0)) for c in CATEGORIES},
            "n_kegiatan": int(len(ni)),
            "peserta": float(ni["peserta"].sum(min_count=1)) if not ni.empty else np.nan,
            "rubrik_median": float(ni["rubrik"].median()) if not ni.empty and ni["rubrik"].notna().any()
            else np.nan,
            "n_cerita": stories,
            "n_indeks": int((index_table["program"] == prog).sum()) if index_table is not None else 0,
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def activities_of(nilai: pd.DataFrame, program: str) -> pd.DataFrame:
    """The values activities placed under one program."""
    if nilai is None or nilai.empty:
        return nilai
    return nilai[program_of_activity(nilai) == program].reset_index(drop=True)
