"""Open data (the `/api/v1` rows): approved versions only, as flat records with stable field names.

The HTTP edge (`ui/api.py`) checks the query with `Query.parse`, reads the cached Dataset and metrics
frame, and hands them here; nothing here knows about HTTP or Streamlit. Only a version whose review
status is `approved` is published: a submitted, returned or reopened one stays inside the dashboard.
Free text that may name people (narratives, the factors and follow-ups, evidence links, notes) is not
published; codes, names, numbers and dates are.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kesbang import regions, schema

APPROVED = "approved"
FORMATS = ("json", "csv")
YEARS = (2000, 2100)

WILAYAH_FIELDS = ["kode_wilayah", "kode_bps", "kode_provinsi", "nama_provinsi", "nama_wilayah", "jenis",
                  "ibukota", "lintang", "bujur", "penduduk"]
_KEYS = ["kode_provinsi", "kode_wilayah", "nama_wilayah", "tahun", "versi", "periode"]
CAPAIAN_FIELDS = [*_KEYS, "sd_tw", "kode_program", "nama_program", "kode_subkegiatan", "kode_indikator",
                  "nama_indikator", "level", "satuan", "polaritas", "akumulasi", "kode_rpjmd", "baseline",
                  "target", "target_min", "target_max", "realisasi", "capaian", "kategori", "rumus", "pagu",
                  "anggaran", "serapan"]
PASKIBRAKA_FIELDS = [*_KEYS, "urutan", "tahap", "nama_tahap", "nama_tahap_en", "tahap_hukum", "putra", "putri",
                     "jumlah", "rencana_mulai", "rencana_selesai", "realisasi_mulai", "realisasi_selesai"]
NILAI_FIELDS = [*_KEYS, "tema", "kegiatan", "kode_subkegiatan", "tanggal", "lokasi", "sasaran", "peserta",
                "pre_test", "post_test", "rubrik"]

# which query parameters each resource takes (anything else is a mistake worth saying so)
PARAMETERS = {
    "wilayah": ("provinsi", "format"),
    "capaian": ("provinsi", "tahun", "tw", "wilayah", "format"),
    "paskibraka": ("provinsi", "tahun", "wilayah", "format"),
    "program-nilai": ("provinsi", "tahun", "wilayah", "format"),
}
REQUIRED = {"wilayah": (), "capaian": ("provinsi", "tahun"), "paskibraka": ("provinsi", "tahun"),
            "program-nilai": ("provinsi", "tahun")}


class BadParameter(ValueError):
    """A query parameter the API cannot answer: `message_id` (catalogue table [api]) and its params."""

    def __init__(self, parameter: str, message_id: str, **params: Any):
        super().__init__(f"{parameter}: {message_id}")
        self.parameter, self.message_id, self.params = parameter, message_id, {"parameter": parameter, **params}


@dataclass(frozen=True)
class Query:
    resource: str
    province: str | None = None
    year: int | None = None
    quarter: int | None = None  # None: the furthest period the approved reports cover
    region: str | None = None
    format: str = "json"

    @classmethod
    def parse(cls, resource: str, params: Mapping[str, str] | list[tuple[str, str]]) -> Query:
        """The checked query of `resource` (a key of PARAMETERS); raises BadParameter naming the first problem."""
        pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
        allowed = PARAMETERS[resource]
        seen: dict[str, str] = {}
        for name, value in pairs:
            if name not in allowed:
                raise BadParameter(name, "api.unknown_parameter", allowed=", ".join(allowed))
            if name in seen:
                raise BadParameter(name, "api.repeated_parameter")
            seen[name] = value  # not stripped: "tw= 3" is as wrong as any other value the document refuses
        for name in REQUIRED[resource]:
            if not seen.get(name):
                raise BadParameter(name, "api.missing_parameter")
        province = _province(seen["provinsi"]) if "provinsi" in seen else None
        return cls(resource, province=province,
                   year=_int(seen, "tahun", *YEARS),
                   quarter=_int(seen, "tw", 1, 4),
                   region=_region(seen["wilayah"], province) if "wilayah" in seen else None,
                   format=_format(seen.get("format", "json")))


def _province(raw: str) -> str:
    if raw not in set(regions.provinces()["kemendagri"]):
        raise BadParameter("provinsi", "api.bad_province", value=raw[:40])
    return raw


def _int(seen: dict[str, str], name: str, low: int, high: int) -> int | None:
    if name not in seen:
        return None
    raw = seen[name]
    if not re.fullmatch(r"[0-9]{1,4}", raw) or not low <= int(raw) <= high:
        raise BadParameter(name, "api.bad_number", value=raw[:40], low=low, high=high)
    return int(raw)


def _region(raw: str, province: str | None) -> str:
    if regions.region(raw) is None:  # the Kemendagri code exactly as the registry and the rows spell it
        raise BadParameter("wilayah", "api.bad_region", value=raw[:40])
    code = raw
    if province is not None and regions.province_of(code) != province:
        raise BadParameter("wilayah", "api.region_elsewhere", value=code, province=province)
    return code


def _format(raw: str) -> str:
    if raw not in FORMATS:
        raise BadParameter("format", "api.bad_format", value=raw[:40], allowed=", ".join(FORMATS))
    return raw


def wilayah(query: Query) -> pd.DataFrame:
    """The region registry (every kabupaten/kota, or one province's), Kemendagri and BPS codes side by side."""
    reg = regions.registry()
    if query.province is not None:
        reg = reg[reg["province"] == query.province]
    names = dict(zip(regions.provinces()["kemendagri"], regions.provinces()["name"]))
    out = pd.DataFrame({
        "kode_wilayah": reg["kemendagri"], "kode_bps": reg["bps"], "kode_provinsi": reg["province"],
        "nama_provinsi": reg["province"].map(names), "nama_wilayah": reg["name"], "jenis": reg["kind"],
        "ibukota": reg["capital"], "lintang": reg["lat"], "bujur": reg["lon"], "penduduk": reg["population"],
    })
    return out.sort_values("kode_wilayah").reset_index(drop=True)[WILAYAH_FIELDS]


def approved(frame: pd.DataFrame, submissions: pd.DataFrame, query: Query) -> pd.DataFrame:
    """Rows of `frame` (indicators, stages or activities) that belong to an approved version of the
    query's province and year (and region)."""
    subs = submissions[(submissions["status"] == APPROVED) & (submissions["province"] == query.province)
                       & (submissions["year"] == query.year)]
    if query.region is not None:
        subs = subs[subs["region"] == query.region]
    keep = frame["submission_id"].isin(subs["submission_id"])
    rows = frame[keep].merge(subs[["submission_id", "version", "period"]].rename(
        columns={"version": "_versi", "period": "_periode"}), on="submission_id", how="left")
    return rows.reset_index(drop=True)


def published_quarter(submissions: pd.DataFrame, query: Query) -> int:
    """The furthest reporting period the approved reports of the province-year cover (TW IV when none)."""
    subs = submissions[(submissions["status"] == APPROVED) & (submissions["province"] == query.province)
                       & (submissions["year"] == query.year)]
    quarters = [q for q in (schema.PERIOD_QUARTERS.get(p) for p in subs["period"].dropna()) if q]
    return max(quarters) if quarters else 4


def _keys(rows: pd.DataFrame) -> dict[str, pd.Series]:
    return {"kode_provinsi": rows["province"], "kode_wilayah": rows["region"],
            "nama_wilayah": rows["region"].map(regions.name_of), "tahun": rows["year"],
            "versi": rows["_versi"], "periode": rows["_periode"]}


def capaian(metrics: pd.DataFrame, submissions: pd.DataFrame, query: Query, quarter: int) -> pd.DataFrame:
    """Achievement rows (kesbang.analysis.metrics.compute, rolled up s.d. TW `quarter`) of approved versions."""
    rows = approved(metrics, submissions, query)
    out = pd.DataFrame({
        **_keys(rows), "sd_tw": quarter, "kode_program": rows["kode_program"], "nama_program": rows["nama_program"],
        "kode_subkegiatan": rows["kode_subkegiatan"], "kode_indikator": rows["kode_indikator"],
        "nama_indikator": rows["indikator"], "level": rows["level"], "satuan": rows["satuan"],
        "polaritas": rows["polaritas"], "akumulasi": rows["akumulasi"], "kode_rpjmd": rows["kode_rpjmd"],
        "baseline": rows["baseline"], "target": rows["target_text"], "target_min": rows["target_min"],
        "target_max": rows["target_max"], "realisasi": rows["realisasi"], "capaian": rows["capaian"],
        "kategori": rows["kategori"], "rumus": rows["rumus"].map(_formula_code), "pagu": rows["pagu"],
        "anggaran": rows["anggaran"], "serapan": rows["serapan"],
    }, columns=CAPAIAN_FIELDS)
    return out.sort_values(["kode_wilayah", "kode_indikator"], kind="stable").reset_index(drop=True)


def _formula_code(message_id: object) -> str | None:
    """The formula's stable code (positive, negative_lkjip, negative_ratio, range, range_upper, range_lower)."""
    return message_id.removeprefix("metrics.formula.") if isinstance(message_id, str) and message_id else None


def paskibraka(stages: pd.DataFrame, submissions: pd.DataFrame, query: Query) -> pd.DataFrame:
    """Paskibraka funnel stages of approved versions, in funnel order per regency."""
    rows = approved(stages, submissions, query)
    stage = rows["tahap"].map(schema.STAGE_BY_KEY)
    out = pd.DataFrame({
        **_keys(rows), "urutan": rows["stage_order"], "tahap": rows["tahap"],
        "nama_tahap": stage.map(lambda s: s.label if s else None),
        "nama_tahap_en": stage.map(lambda s: s.label_en if s else None),
        "tahap_hukum": stage.map(lambda s: s.legal_stage if s else None),
        **{c: rows[c] for c in ("putra", "putri", "jumlah", "rencana_mulai", "rencana_selesai",
                                "realisasi_mulai", "realisasi_selesai")},
    }, columns=PASKIBRAKA_FIELDS)
    return out.sort_values(["kode_wilayah", "urutan"], kind="stable").reset_index(drop=True)


def program_nilai(activities: pd.DataFrame, submissions: pd.DataFrame, query: Query) -> pd.DataFrame:
    """Values-program activities (Pancasila, wawasan kebangsaan, bela negara, Belom Bahadat …) of approved versions."""
    rows = approved(activities, submissions, query)
    out = pd.DataFrame({**_keys(rows), **{c: rows[c] for c in NILAI_FIELDS if c in rows}}, columns=NILAI_FIELDS)
    return out.sort_values(["kode_wilayah", "tanggal"], kind="stable", na_position="last").reset_index(drop=True)


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        return value.isoformat()
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: missing values are null, dates ISO 8601, numbers plain."""
    columns = list(frame.columns)
    return [dict(zip(columns, map(_json_value, values))) for values in frame.itertuples(index=False, name=None)]
