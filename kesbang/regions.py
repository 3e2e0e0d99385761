"""The region registry (kesbang/data/*.csv) and region-code normalisation.

Adding a province is a data change: append its rows to regions.csv (and it is already listed in
provinces.csv). SIPD data use Kemendagri codes, BPS codes differ for several regencies: both are kept.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

_DATA = Path(__file__).with_name("data")


@cache
def registry() -> pd.DataFrame:
    """All known kabupaten/kota: kemendagri, bps, province, name, kind, capital, lat, lon, population."""
    return pd.read_csv(_DATA / "regions.csv", dtype={"kemendagri": str, "bps": str, "province": str})


@cache
def provinces() -> pd.DataFrame:
    return pd.read_csv(_DATA / "provinces.csv", dtype={"kemendagri": str, "bps": str})


@cache
def _lookup() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    reg = registry()
    by_kemendagri = {k: k for k in reg["kemendagri"]}
    by_bps = dict(zip(reg["bps"], reg["kemendagri"]))
    by_name = {_fold(n): k for n, k in zip(reg["name"], reg["kemendagri"])}
    for n, k in zip(reg["name"], reg["kemendagri"]):
        by_name.setdefault(_fold(re.sub(r"^(kota|kabupaten|kab\.?)\s+", "", n, flags=re.I)), k)
    return by_kemendagri, by_bps, by_name


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def normalise_code(raw: object) -> str | None:
    """'62.02', '6202', "'62.02 ", 62.02 (a float!), '62-02' -> '62.02' (Kemendagri); None if unknown.

    A four-digit code is read as Kemendagri first (62.02 == 6202 for most regencies); where the
    BPS code differs and no Kemendagri code matches, the BPS mapping is used (6209 -> 62.06).
    """
    if raw is None:
        return None
    s = str(raw).strip().strip("'\"\u00a0 ").replace(",", ".").replace("-", ".").replace(" ", "")
    if not s:
        return None
    by_kemendagri, by_bps, _ = _lookup()
    if re.fullmatch(r"\d{2}\.\d{1,2}", s):
        prov, reg = s.split(".")
        # A float cell 62.1 means 62.10; a text "62.1" is ambiguous but 62.10 is the only reading.
        code = f"{prov}.{reg.ljust(2, '0') if len(reg) == 1 else reg}"
        return code if code in by_kemendagri else None
    if re.fullmatch(r"\d{4}(\.0+)?", s):
        s = s[:4]
        kemendagri = f"{s[:2]}.{s[2:]}"
        if kemendagri in by_kemendagri:
            # the same four digits may be another regency's BPS code; Kemendagri wins (SIPD uses it)
            return kemendagri
        return by_bps.get(s)
    return None


def code_from_name(name: object) -> str | None:
    """Find a region by its name ('Kotawaringin Timur', 'Kab. Kotawaringin Timur', 'Kota Palangka Raya')."""
    if name is None:
        return None
    _, _, by_name = _lookup()
    folded = _fold(name)
    if folded in by_name:
        return by_name[folded]
    stripped = _fold(re.sub(r"^(kota|kabupaten|kab\.?)\s+", "", str(name).strip(), flags=re.I))
    return by_name.get(stripped)


@cache
def _by_code() -> dict[str, dict]:
    # pages call name_of() once per row and chart label: a dict lookup, not a DataFrame filter each time
    return {row["kemendagri"]: row for row in registry().to_dict("records")}


def region(code: str) -> dict | None:
    hit = _by_code().get(code)
    return None if hit is None else dict(hit)


def name_of(code: str) -> str:
    r = region(code)
    return r["name"] if r else code


def province_of(code: str) -> str:
    return code.split(".")[0]


def province_name(code: str) -> str:
    prov = provinces()
    hit = prov[prov["kemendagri"] == code]
    return code if hit.empty else str(hit.iloc[0]["name"])


def regions_in(province: str) -> pd.DataFrame:
    reg = registry()
    return reg[reg["province"] == province].reset_index(drop=True)


def provinces_with_regions() -> list[str]:
    return sorted(registry()["province"].unique())
