"""Cookies on the clients cxreports builds: a cookie a server sets comes back, and a
response that sets none skips httpx's cookie machinery (``cxreports/_cookies.py``)."""

from __future__ import annotations

import http.cookiejar
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from clients import KINDS, make_client
from servers import ThreadedUvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cxreports._cookies import CookiesWhenSet, skip_cookieless

TOKEN = "cookie-test-token"
WORKSPACES = [{"id": 1, "name": "Sales", "code": "sales"}]


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, list[str | None]]]:
    """A server whose first answer sets an affinity cookie (as a load balancer in front of
    CxReports does), and the Cookie header of every request it gets."""
    cookies: list[str | None] = []

    async def workspaces(request: Request) -> JSONResponse:
        cookies.append(request.headers.get("cookie"))
        response = JSONResponse(WORKSPACES)
        if request.query_params.get("set") == "1":
            response.set_cookie("affinity", "node-7", path="/")
        return response

    app = Starlette(routes=[Route("/api/v1/workspaces", workspaces)])
    with ThreadedUvicorn(app) as server:
        yield server.url, cookies


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs whose responses went through urllib's cookie extraction."""
    seen: list[str] = []
    original = http.cookiejar.CookieJar.extract_cookies

    def spy(jar: http.cookiejar.CookieJar, response: Any, request: Any) -> None:
        seen.append(request.get_full_url())
        original(jar, response, request)

    monkeypatch.setattr(http.cookiejar.CookieJar, "extract_cookies", spy)
    return seen


@pytest.mark.parametrize("kind", KINDS)
def test_a_cookie_the_server_sets_comes_back(
    kind: str, served: tuple[str, list[str | None]], extracted: list[str]
) -> None:
    url, cookies = served
    cookies.clear()
    with make_client(kind, url, TOKEN) as client:
        assert [w.code for w in client.workspaces()] == ["sales"]
        assert [w.code for w in client.workspaces(extra_query={"set": "1"})] == ["sales"]
        client.workspaces()
        client.workspaces()
    assert cookies == [None, None, "affinity=node-7", "affinity=node-7"]
    # Only the answer that set the cookie went through urllib's machinery.
    assert len(extracted) == 1 and extracted[0].endswith("/api/v1/workspaces?set=1")


def test_a_given_http_client_is_left_as_it_is(
    served: tuple[str, list[str | None]], extracted: list[str]
) -> None:
    import cxreports

    url, _ = served
    http = httpx.Client()
    with cxreports.Client(url, TOKEN, http_client=http) as client:
        client.workspaces()
    assert type(http.cookies) is httpx.Cookies
    assert len(extracted) == 1  # httpx's own behaviour: every response is read
    http.close()


@pytest.mark.parametrize("factory", [httpx.Client, httpx.AsyncClient])
def test_the_jar_is_kept_and_a_foreign_layout_is_left_alone(factory: Any) -> None:
    http = factory(cookies={"kept": "1"})
    jar = http.cookies.jar
    assert skip_cookieless(http) is http
    assert isinstance(http.cookies, CookiesWhenSet) and http.cookies.jar is jar
    assert http.cookies["kept"] == "1"

    class Odd:
        _cookies = "not httpx's"

    odd = Odd()
    assert skip_cookieless(odd) is odd and odd._cookies == "not httpx's"  # type: ignore[type-var]
