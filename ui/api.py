"""The HTTP routes served beside the pages by the same process: the read-only open-data API under
`/api/v1` (documented by `/api/v1/openapi.json`), `/healthz` and `/metrics`.

`dashboard.py` hands `api_routes()` to `st.App`, so `streamlit run dashboard.py` and `make run` serve
them. Reads go through the pages' own caches (`ui.source`, `ui.data`), keyed on the store's data
version; the rows themselves are made in `kesbang.exports.open_data` (approved versions only). With
`public_read=0` every `/api/v1` resource but the document asks for an account (HTTP Basic, checked and
throttled by the store like the sign-in page): 401 otherwise. A bad parameter is a 400 with the message
in Indonesian and English; a failure is logged with its traceback and answered with a plain 500.
Each request is one JSON line on the `kesbang.api.requests` logger (stderr).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import logging
import sys
import time
from collections.abc import Callable
from typing import Any

import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kesbang import i18n, settings
from kesbang.exports import open_data as od
from kesbang.exports import tables
from ui import api_spec, counters, data, first_start, source

log = logging.getLogger("kesbang.api")  # failures, with their traceback, go where the app's other errors go
requests_log = logging.getLogger("kesbang.api.requests")
JSON_MEDIA = "application/json; charset=utf-8"
CSV_MEDIA = "text/csv; charset=utf-8"
PROMETHEUS_MEDIA = "text/plain; version=0.0.4; charset=utf-8"
REALM = 'Basic realm="Kesbangpol", charset="UTF-8"'


def _json_log() -> logging.Logger:
    """The request log: one JSON object per line on stderr, whatever Streamlit does with other loggers."""
    if not requests_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        requests_log.addHandler(handler)
        requests_log.setLevel(logging.INFO)
        requests_log.propagate = False
    return requests_log


STARTING_WAIT_S = 20  # a fresh install stores its sample on first start: a read waits that long for it


class Unauthorised(Exception):
    pass


class Starting(Exception):
    pass


def _error(status: int, code: str, **params: Any) -> JSONResponse:
    body = {"error": {"code": code, "parameter": params.get("parameter"), "pesan": i18n.t(code, "id", **params),
                      "message": i18n.t(code, "en", **params)}}
    headers = {"WWW-Authenticate": REALM} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers, media_type=JSON_MEDIA)


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        name, sep, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (name, password) if sep else None


def _reader(request: Request) -> str | None:
    """Who reads: None for an anonymous caller while reading is open; the account's name otherwise.
    Raises Unauthorised when reading is closed and no valid account is given."""
    if settings.flag("public_read"):
        return None
    credentials = _basic_credentials(request)
    if credentials is not None:
        user = source.store().authenticate(*credentials)  # audited, and throttled per name, in the store
        if user is not None:
            return user.username
    raise Unauthorised


def _log_line(request: Request, route: str, status: int, started: float, rows: int | None,
              reader: str | None) -> None:
    _json_log().info(json.dumps({
        "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "event": "api_request",
        "method": request.method, "route": route, "path": request.url.path, "query": request.url.query[:500],
        "status": status, "ms": round((time.perf_counter() - started) * 1000, 1), "rows": rows,
        "user": reader, "client": request.client.host if request.client else None,
    }, ensure_ascii=False))


def _endpoint(route: str, handler: Callable[[Request], tuple[Response, int | None]], *, guarded: bool = True):
    """A sync Starlette endpoint (run in a worker thread) around `handler`: the reading gate, 400/401/500
    as JSON, the request counter and the log line."""

    def endpoint(request: Request) -> Response:
        started, rows, reader = time.perf_counter(), None, None
        try:
            reader = _reader(request) if guarded else None
            response, rows = handler(request)
        except Unauthorised:
            response = _error(401, "api.unauthorised")
        except Starting:
            response = _error(503, "api.starting")
            response.headers["Retry-After"] = "10"
        except od.BadParameter as bad:
            response = _error(400, bad.message_id, **bad.params)
        except Exception:
            log.exception("%s %s failed", request.method, request.url.path)
            response = _error(500, "api.failed")
        counters.count("kesbang_api_requests_total", route=route, status=str(response.status_code))
        _log_line(request, route, response.status_code, started, rows, reader)
        return response

    endpoint.__name__ = f"api_{route.strip('/').replace('/', '_').replace('-', '_').replace('.', '_')}"
    return endpoint


def _rows(request: Request, resource: str) -> tuple[Response, int]:
    query = od.Query.parse(resource, request.query_params.multi_items())
    if resource != "wilayah" and not first_start.ready(STARTING_WAIT_S):
        raise Starting
    body, rows = _answer(source.data_version(), *dataclasses.astuple(query))
    if query.format == "csv":
        name = "_".join(str(p) for p in (resource, query.province, query.year, query.region) if p)
        return Response(body, media_type=CSV_MEDIA,
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'}), rows
    return Response(body, media_type=JSON_MEDIA), rows


@st.cache_resource(show_spinner=False, max_entries=128)
def _answer(version: str, *fields) -> tuple[bytes, int]:
    """The encoded answer to a query, once per data version: a new upload or review changes the version."""
    query = od.Query(*fields)
    meta: dict[str, Any] = {"sumber": query.resource, "hanya_disetujui": query.resource != "wilayah"}
    if query.resource == "wilayah":
        frame = od.wilayah(query)
        meta["provinsi"] = query.province
    else:
        ds = source.dataset_at(version)
        if query.resource == "capaian":
            quarter = query.quarter or od.published_quarter(ds.submissions, query)
            frame = od.capaian(data.metrics_of(query.province, query.year, quarter), ds.submissions, query, quarter)
            meta["sd_tw"] = quarter
        elif query.resource == "paskibraka":
            frame = od.paskibraka(ds.paskibraka, ds.submissions, query)
        else:
            frame = od.program_nilai(ds.nilai, ds.submissions, query)
        meta.update(provinsi=query.province, tahun=query.year, wilayah=query.region)
    if query.format == "csv":
        return tables.to_csv(frame), len(frame)
    meta["jumlah"] = len(frame)
    body = json.dumps({"meta": meta, "data": od.records(frame)}, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":"))
    return body.encode("utf-8"), len(frame)


def _open_data(request: Request, resource: str) -> tuple[Response, int]:
    response, rows = _rows(request, resource)
    if settings.flag("public_read"):  # open data may be read by any site's scripts; never with credentials
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response, rows


def _not_found(_request: Request) -> tuple[Response, None]:
    return _error(404, "api.not_found", resources=", ".join(f"/api/v1/{name}" for name in od.PARAMETERS)), None


def _document(_request: Request) -> tuple[Response, None]:
    return JSONResponse(api_spec.document(), media_type=JSON_MEDIA), None


def _health(_request: Request) -> tuple[Response, None]:
    try:
        source.store().data_version()
    except Exception:
        log.exception("health check: the store does not answer")
        return JSONResponse({"status": "unavailable", "store": i18n.t("api.store_down", "en")}, status_code=503,
                            media_type=JSON_MEDIA), None
    return JSONResponse({"status": "ok", "store": "ok"}, media_type=JSON_MEDIA), None


def _metrics(_request: Request) -> tuple[Response, None]:
    return PlainTextResponse(counters.render(), media_type=PROMETHEUS_MEDIA), None


def api_routes() -> list[Route]:
    """Every route of this module, for `st.App(..., routes=api_routes())` (or any Starlette app)."""
    resources = [Route(f"/api/v1/{name}", _endpoint(f"/api/v1/{name}", lambda r, name=name: _open_data(r, name)),
                       methods=["GET"]) for name in od.PARAMETERS]
    return [
        *resources,
        Route("/api/v1/openapi.json", _endpoint("/api/v1/openapi.json", _document, guarded=False), methods=["GET"]),
        Route("/healthz", _endpoint("/healthz", _health, guarded=False), methods=["GET"]),
        Route("/metrics", _endpoint("/metrics", _metrics, guarded=False), methods=["GET"]),
        # anything else under /api/ is a JSON 404, not the app's HTML shell
        Route("/api/{rest:path}", _endpoint("/api/*", _not_found, guarded=False)),
    ]
