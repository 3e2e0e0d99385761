"""The session routes (ui/session_routes.py) over real HTTP requests to the ASGI app and a real store: the
cookie's attributes, single use, same-origin redirects only, requests another site started refused, and
sign-out only with the session's own check."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from kesbang.store import open_store
from kesbang.store import sessions as S
from ui import session_routes as R

PASSWORD = "kata-sandi-rute-2026"


@pytest.fixture
def store(isolated_store, monkeypatch):
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    s = open_store()  # the same database the routes open (KESBANG_DATABASE_URL of isolated_store)
    assert s.add_user(None, "admin", "admin", None, PASSWORD).ok
    yield s
    s.close()


@pytest.fixture
def client(store):
    with TestClient(Starlette(routes=R.session_routes()), base_url="http://kesbang.test") as c:
        yield c


def code(store) -> str:
    return store.login_code("admin", PASSWORD).code


def set_cookie(response) -> str:
    [header] = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    return header


def test_a_code_becomes_an_http_only_cookie_and_a_redirect(store, client):
    response = client.post(R.SESSION_PATH, data={"code": code(store), "next": "/unggah?provinsi=62"},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/unggah?provinsi=62"
    header = set_cookie(response)
    token = header.split(";")[0].removeprefix(f"{R.COOKIE}=")
    assert S.well_formed(token) and "admin" not in header and PASSWORD not in header
    attributes = {part.strip().lower() for part in header.split(";")[1:]}
    assert {"httponly", "path=/", "samesite=lax"} <= attributes and "secure" not in attributes
    assert not any(a.startswith(("max-age", "expires")) for a in attributes)  # gone when the browser closes
    assert store.resolve_session(token).user.username == "admin"


def test_the_cookie_is_secure_behind_an_https_proxy(store, client):
    response = client.get(R.SESSION_PATH, params={"code": code(store)}, headers={"X-Forwarded-Proto": "https"},
                          follow_redirects=False)
    assert "secure" in {part.strip().lower() for part in set_cookie(response).split(";")}


def test_a_used_code_sets_no_cookie_and_says_so(store, client):
    once = code(store)
    assert client.get(R.SESSION_PATH, params={"code": once}, follow_redirects=False).status_code == 303
    again = client.get(R.SESSION_PATH, params={"code": once}, follow_redirects=False)
    assert again.headers["location"] == "/masuk?sesi=ditolak"
    assert "set-cookie" not in again.headers
    assert store.audit(1).iloc[0]["message_id"] == "auth_session.code_replayed"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "/ok\r\nX: y",
                                    "javascript:alert(1)", "/auth/session/end?check=x", "evil", ""])
def test_redirects_stay_on_this_site(store, client, target):
    response = client.get(R.SESSION_PATH, params={"code": code(store), "next": target}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_a_sign_in_another_site_started_is_refused_and_audited(store, client):
    """Login CSRF: another site posting its own account's code would sign the visitor in as that account."""
    planted = code(store)
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}, {"Origin": "null"}):
        response = client.post(R.SESSION_PATH, data={"code": planted}, headers=headers, follow_redirects=False)
        assert response.headers["location"] == "/masuk?sesi=ditolak" and "set-cookie" not in response.headers
        assert store.audit(1).iloc[0]["message_id"] == "auth_session.cross_site"
    # the code was not spent by the refused requests: the rightful page can still use it
    same = client.post(R.SESSION_PATH, data={"code": planted}, follow_redirects=False,
                       headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://kesbang.test"})
    assert "set-cookie" in same.headers


def test_behind_the_proxy_the_origin_is_checked_against_the_forwarded_host(store, client):
    """nginx passes Host without a non-standard port ($host) and the browser's own in X-Forwarded-Host:
    a sign-in served on :8443 is same-origin, another site's still is not."""
    proxied = {"Host": "kesbang.test", "X-Forwarded-Host": "kesbang.test:8443", "Sec-Fetch-Site": "same-origin"}
    evil = client.post(R.SESSION_PATH, data={"code": code(store)}, follow_redirects=False,
                       headers={**proxied, "Origin": "https://evil.example:8443"})
    assert evil.headers["location"] == "/masuk?sesi=ditolak" and "set-cookie" not in evil.headers
    same = client.post(R.SESSION_PATH, data={"code": code(store)}, follow_redirects=False,
                       headers={**proxied, "Origin": "https://kesbang.test:8443"})
    assert "set-cookie" in same.headers


def signed_in(store, client) -> str:
    client.get(R.SESSION_PATH, params={"code": code(store)}, follow_redirects=False)
    return client.cookies[R.COOKIE]


def test_sign_out_needs_the_sessions_own_check(store, client):
    token = signed_in(store, client)
    for check in ("", S.logout_check(S.new_secret()), "ä" * 32):
        response = client.get(R.END_PATH, params={"check": check}, follow_redirects=False)
        assert response.headers["location"] == "/masuk" and "set-cookie" not in response.headers
        assert store.audit(1).iloc[0]["message_id"] == "auth_session.logout_unchecked"
    assert store.open_sessions("admin") == 1
    forced = client.post(R.END_PATH, data={"check": S.logout_check(token)}, follow_redirects=False,
                         headers={"Sec-Fetch-Site": "cross-site"})
    assert "set-cookie" not in forced.headers and store.open_sessions("admin") == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_sign_out_ends_the_session_and_clears_the_cookie(store, client, method):
    token = signed_in(store, client)
    send = client.get if method == "get" else client.post
    kwargs = {"params" if method == "get" else "data": {"check": S.logout_check(token), "next": "/masuk?lang=en"}}
    response = send(R.END_PATH, follow_redirects=False, **kwargs)
    assert response.status_code == 303 and response.headers["location"] == "/masuk?lang=en"
    header = set_cookie(response).lower()
    assert header.startswith(f"{R.COOKIE}=") and ("max-age=0" in header or "expires=thu, 01 jan 1970" in header)
    assert store.resolve_session(token).refused == "auth_session.ended"


def test_a_forged_cookie_is_simply_cleared_on_sign_out(store, client):
    client.cookies.set(R.COOKIE, "not-a-token")
    response = client.get(R.END_PATH, follow_redirects=False)
    assert response.headers["location"] == "/masuk" and "max-age=0" in set_cookie(response).lower()
