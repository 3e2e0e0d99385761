"""The open-data API's own description: the OpenAPI 3 document served at `/api/v1/openapi.json`.

Built from the same declarations the API answers from (`kesbang.exports.open_data`: resources, their
parameters and fields; the province registry), so the document cannot drift from the routes.
`tests/test_api.py` runs schemathesis against the routes with this document.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from kesbang import regions
from kesbang.exports import open_data as od

VERSION = "1.0.0"
NUMBER = {"type": "number", "nullable": True}
INTEGER = {"type": "integer", "nullable": True}
TEXT = {"type": "string", "nullable": True}
DATE = {"type": "string", "format": "date", "nullable": True}

# field -> (schema, description); a field not listed is nullable text
FIELDS: dict[str, tuple[dict, str]] = {
    "kode_provinsi": ({"type": "string"}, "Kemendagri province code (62 = Kalimantan Tengah)."),
    "kode_wilayah": ({"type": "string"}, "Kemendagri region code (62.02); SIPD data use these."),
    "kode_bps": ({"type": "string"}, "BPS region code (differs from Kemendagri's for several regencies)."),
    "nama_wilayah": ({"type": "string"}, "Region name."),
    "tahun": ({"type": "integer"}, "Reporting year."),
    "versi": ({"type": "integer"}, "Version number of the approved report the row comes from."),
    "periode": (TEXT, "Reporting period the report covers (TW I … TW IV, Tahunan)."),
    "sd_tw": ({"type": "integer", "minimum": 1, "maximum": 4}, "Realisation rolled up to this quarter."),
    "baseline": (NUMBER, "Kondisi awal."), "target": (TEXT, "Target as written (may be a range, 4,43-4,47)."),
    "target_min": (NUMBER, "Lower bound of the target."), "target_max": (NUMBER, "Upper bound of the target."),
    "realisasi": (NUMBER, "Realisation s.d. TW sd_tw (sum of quarters or last value, by akumulasi)."),
    "capaian": (NUMBER, "Achievement in percent; null when it cannot be computed."),
    "kategori": ({"type": "string", "nullable": True, "enum": ["ST", "T", "S", "R", "SR", None]},
                 "Achievement category: Sangat Tinggi, Tinggi, Sedang, Rendah, Sangat Rendah."),
    "rumus": ({"type": "string", "nullable": True, "enum": [
        "positive", "negative_lkjip", "negative_ratio", "range", "range_upper", "range_lower", None]},
        "The rule capaian was computed with (docs/API.md)."),
    "pagu": (NUMBER, "Budget ceiling (Rp)."), "anggaran": (NUMBER, "Budget spent s.d. TW sd_tw (Rp)."),
    "serapan": (NUMBER, "Budget absorption in percent."),
    "urutan": ({"type": "integer"}, "Position of the stage in the funnel (0 = first)."),
    "tahap": ({"type": "string"}, "Stage key."),
    "tahap_hukum": (INTEGER, "Legal stage (1 seleksi, 2 diklat, 3 pengukuhan)."),
    "putra": (NUMBER, "Boys."), "putri": (NUMBER, "Girls."), "jumlah": (NUMBER, "Total."),
    "rencana_mulai": (DATE, ""), "rencana_selesai": (DATE, ""), "realisasi_mulai": (DATE, ""),
    "realisasi_selesai": (DATE, ""), "tanggal": (DATE, "Date of the activity."),
    "peserta": (NUMBER, "Participants."), "pre_test": (NUMBER, "Average pre-test score."),
    "post_test": (NUMBER, "Average post-test score."), "rubrik": (NUMBER, "Reviewer's rubric level (1-5)."),
    "lintang": (NUMBER, "Approximate latitude."), "bujur": (NUMBER, "Approximate longitude."),
    "penduduk": (NUMBER, "Population (2025)."),
}

RESOURCES = {
    "wilayah": ("Regions (kabupaten/kota)", "The region registry: Kemendagri and BPS codes, names, capitals.",
                od.WILAYAH_FIELDS),
    "capaian": ("Indicator achievement", "Approved achievement rows: target, realisation s.d. the quarter, "
                "capaian and category, per regency and indicator.", od.CAPAIAN_FIELDS),
    "paskibraka": ("Paskibraka stages", "Approved Paskibraka funnel: each stage's boys, girls and total.",
                   od.PASKIBRAKA_FIELDS),
    "program-nilai": ("Values-program activities", "Approved values-program activities (Pancasila, wawasan "
                      "kebangsaan, bela negara, Belom Bahadat): participants, test scores, rubric.", od.NILAI_FIELDS),
}


def _parameter(name: str, required: bool) -> dict[str, Any]:
    provinces = sorted(regions.provinces()["kemendagri"])
    schemas = {
        "provinsi": ({"type": "string", "enum": provinces}, "Kemendagri province code."),
        "tahun": ({"type": "integer", "minimum": od.YEARS[0], "maximum": od.YEARS[1]}, "Reporting year."),
        "tw": ({"type": "integer", "minimum": 1, "maximum": 4},
               "Roll realisation up to this quarter (default: the furthest quarter the approved reports cover)."),
        "wilayah": ({"type": "string", "enum": sorted(regions.registry()["kemendagri"])},
                    "Kemendagri region code, one regency only; it must lie in provinsi (400 otherwise)."),
        "format": ({"type": "string", "enum": list(od.FORMATS), "default": "json"},
                   "json (default) or csv (the same rows; UTF-8 with BOM, formula-looking text escaped)."),
    }
    schema, description = schemas[name]
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def _row(fields: list[str]) -> dict[str, Any]:
    props = {}
    for f in fields:
        schema, description = FIELDS.get(f, (TEXT, ""))
        props[f] = {**schema, **({"description": description} if description else {})}
    return {"type": "object", "properties": props, "required": fields, "additionalProperties": False}


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(resource: str) -> dict[str, Any]:
    summary, description, fields = RESOURCES[resource]
    name = "".join(w.title() for w in resource.split("-"))
    meta = {"type": "object", "required": ["sumber", "jumlah", "hanya_disetujui"],
            "properties": {"sumber": {"type": "string"}, "jumlah": {"type": "integer", "minimum": 0},
                           "hanya_disetujui": {"type": "boolean"}, "provinsi": TEXT, "tahun": INTEGER,
                           "sd_tw": INTEGER, "wilayah": TEXT}}
    body = {"type": "object", "required": ["meta", "data"], "additionalProperties": False,
            "properties": {"meta": meta, "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}}}
    return {
        "operationId": f"get{name}", "summary": summary, "description": description, "tags": ["open data"],
        "parameters": [_parameter(p, p in od.REQUIRED[resource]) for p in od.PARAMETERS[resource]],
        "responses": {
            "200": {"description": "The rows (JSON, or CSV with format=csv).",
                    "content": {"application/json": {"schema": body},
                                "text/csv": {"schema": {"type": "string"}}}},
            "400": _error("A parameter is missing, unknown or cannot be used (message in Indonesian and English)."),
            "401": _error("Reading is closed to anonymous callers (setting public_read=0)."),
            "500": _error("A server error; the message never carries details."),
            "503": _error("Just started: the store is still being prepared (Retry-After)."),
        },
    }, name, _row(fields)


@cache
def document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["code", "pesan", "message"], "properties": {
            "code": {"type": "string"}, "parameter": TEXT,
            "pesan": {"type": "string", "description": "Bahasa Indonesia"},
            "message": {"type": "string", "description": "English"}}}}}}
    for resource in RESOURCES:
        operation, name, row = _operation(resource)
        paths[f"/api/v1/{resource}"] = {"get": operation}
        schemas[name] = row
    paths["/api/v1/openapi.json"] = {"get": {"operationId": "getOpenapi", "summary": "This document",
                                             "responses": {"200": {"description": "OpenAPI 3 document",
                                                                   "content": {"application/json": {"schema": {
                                                 "type": "object", "required": ["openapi", "info", "paths"]}}}}}}}
    health = {"type": "object", "required": ["status"],
              "properties": {"status": {"type": "string", "enum": ["ok", "unavailable"]}, "store": {"type": "string"}}}
    paths["/healthz"] = {"get": {"operationId": "getHealth", "summary": "The data store answers", "security": [],
                                 "tags": ["operations"], "responses": {
        "200": {"description": "Healthy", "content": {"application/json": {"schema": health}}},
        "503": {"description": "The store does not answer", "content": {"application/json": {"schema": health}}}}}}
    paths["/metrics"] = {"get": {"operationId": "getMetrics", "summary": "Prometheus metrics", "security": [],
                                 "tags": ["operations"], "responses": {
        "200": {"description": "Prometheus text format 0.0.4",
                "content": {"text/plain": {"schema": {"type": "string"}}}}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Kesbangpol open data", "version": VERSION,
                 "description": "Read-only open data of the Kesbangpol performance dashboard: only approved "
                                "report versions are published. See docs/API.md."},
        "servers": [{"url": "/"}],
        "security": [{}, {"basic": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"basic": {
            "type": "http", "scheme": "basic",
            "description": "Needed only when the deployment closes reading (public_read=0): a dashboard account."}}},
    }
