"""The sign-in cookie's routes, served by the app beside Streamlit (st.App): `/auth/session` turns a
one-time code into a session and sets the `kesbang_session` cookie; `/auth/session/end` ends the
session and clears the cookie.

The cookie is set here, by the server, never by JavaScript: HttpOnly (no page script can read it),
SameSite=Lax, Path=/, Secure when the request came over https (directly, or as the reverse proxy's
X-Forwarded-Proto says). It holds the session token only: no name, no password. Both routes answer
with a 303 to a path of this site only (`safe_next`), so no link can bounce a user elsewhere. A request
another site started (Sec-Fetch-Site, Origin) is refused: no one can sign a visitor in to their own
account. Sign-out is not `/auth/logout`: that path is Streamlit's own, for single sign-on (`st.logout`).
"""

from __future__ import annotations

import hmac
import logging
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kesbang.store import sessions

log = logging.getLogger("kesbang.ui")

COOKIE = "kesbang_session"
SESSION_PATH = "/auth/session"
END_PATH = "/auth/session/end"
SIGN_IN_PAGE = "/masuk"
REFUSED_PARAM = ("sesi", "ditolak")  # the sign-in page's query parameter saying a code was refused
MAX_NEXT = 1000


def safe_next(target: object) -> str | None:
    """`target` when it is a path on this site (printable ASCII, starting with one `/`, no scheme or host,
    none of the session routes), else None: the only places these routes redirect to."""
    if not isinstance(target, str) or not target.startswith("/") or len(target) > MAX_NEXT:
        return None
    if target.startswith("//") or "\\" in target or any(not 0x20 < ord(ch) < 0x7F for ch in target):
        return None  # `//host` and `/\host` leave the site in browsers; controls and spaces split headers
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path.startswith("/auth/"):
        return None
    return target


def is_https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def started_elsewhere(request: Request) -> bool:
    """True when another site made the browser send this request (login CSRF, forced sign-out). Browsers
    say so in Sec-Fetch-Site, and in Origin on a POST; a request with neither (no browser) passes."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    # Behind the proxy, Host lacks a non-standard port ($host); the proxy passes the browser's own in
    # X-Forwarded-Host. A page on another site cannot set that header on a cross-site POST.
    host = request.headers.get("x-forwarded-host") or request.headers.get("host")
    return origin is not None and (origin == "null" or urlsplit(origin).netloc != host)


def _store():
    from ui import source  # the process's one Store, shared with the pages

    return source.store()


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


async def _params(request: Request) -> dict[str, str]:
    if request.method == "POST":
        form = await request.form(max_files=0, max_fields=8)
        return {k: v for k, v in form.items() if isinstance(v, str)}
    return dict(request.query_params)


def _redirect(target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # a code in the URL goes no further
    return response


async def start_session(request: Request) -> Response:
    """GET or POST `code` (one-time, from the sign-in page) and `next` (a path of this site)."""
    params = await _params(request)
    code = params.get("code", "")
    refused = f"{SIGN_IN_PAGE}?{REFUSED_PARAM[0]}={REFUSED_PARAM[1]}"
    if started_elsewhere(request):
        await run_in_threadpool(_store().refuse_session, "auth_session.cross_site", code, client=_client(request))
        return _redirect(refused)
    start = await run_in_threadpool(_store().exchange_code, code, client=_client(request))
    if start.token is None:
        return _redirect(refused)
    response = _redirect(safe_next(params.get("next")) or "/")
    response.set_cookie(COOKIE, start.token, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return response


async def end_session(request: Request) -> Response:
    """GET or POST `check` (`sessions.logout_check` of the cookie's token) and `next`: the session ends
    and the cookie is cleared. Without the right check the session stays (and the refusal is audited)."""
    params = await _params(request)
    token = request.cookies.get(COOKIE)
    target = safe_next(params.get("next")) or SIGN_IN_PAGE
    if token and sessions.well_formed(token):
        expected = sessions.logout_check(token).encode()
        if started_elsewhere(request) or not hmac.compare_digest(params.get("check", "").encode(), expected):
            await run_in_threadpool(_store().refuse_session, "auth_session.logout_unchecked", token,
                                    client=_client(request))
            return _redirect(SIGN_IN_PAGE)
        await run_in_threadpool(_store().end_session, token)
    response = _redirect(target)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return response


def session_routes() -> list[Route]:
    """The routes `dashboard.py` hands to st.App."""
    return [
        Route(SESSION_PATH, start_session, methods=["GET", "POST"]),
        Route(END_PATH, end_session, methods=["GET", "POST"]),
    ]
