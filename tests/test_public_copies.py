"""What errors hand to users: the request and response as they were, minus every secret
(Authorization, cookies, the token in a body), and redirects refused with the reason.
Hand-made answers (httpx.MockTransport)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

import httpx
import pytest

import cxreports

TOKEN = "public-secret-0123456789"
WS = "https://cx.example/api/v1/ws/sales"


def client_for(
    handler: Callable[[httpx.Request], httpx.Response], **kwargs: object
) -> cxreports.Client:
    http = httpx.Client(transport=httpx.MockTransport(handler), cookies={"session": "c00kie"})
    return cxreports.Client(
        "https://cx.example", TOKEN, "sales", http_client=http, max_retries=0, **kwargs
    )


def test_an_error_keeps_the_request_but_not_its_credentials() -> None:
    client = client_for(lambda request: httpx.Response(404, json={"error": "no such report"}))
    with pytest.raises(cxreports.NotFoundError) as info:
        client.report_pages(7, extra_headers={"X-Trace": "t-1"})
    request = info.value.response.request
    assert request.method == "GET" and str(request.url) == f"{WS}/reports/7/pages"
    assert request.headers["X-Trace"] == "t-1"
    assert request.headers["User-Agent"].startswith("cxreports-python/")
    assert "Authorization" not in request.headers and "Cookie" not in request.headers


def test_an_error_response_is_decoded_and_never_holds_the_token() -> None:
    body = json.dumps({"error": f"disk full for {TOKEN}"}).encode()
    headers = {"Content-Encoding": "gzip", "X-Request-Id": "r-9"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, headers=headers, stream=httpx.ByteStream(gzip.compress(body)))

    with pytest.raises(cxreports.InternalServerError) as info:
        client_for(handler).workspaces()
    response = info.value.response
    assert response.status_code == 500 and response.headers["X-Request-Id"] == "r-9"
    assert "Content-Encoding" not in response.headers  # its body is the decoded one
    assert response.json() == {"error": "disk full for [REDACTED]"}
    assert info.value.message == "disk full for [REDACTED]"
    assert "Authorization" not in response.request.headers
    assert str(response.request.url) == "https://cx.example/api/v1/workspaces"


def test_a_redirect_that_would_drop_the_body_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "/login"})

    with pytest.raises(cxreports.APIRedirectError) as info:
        client_for(handler).export(7, data={"rows": [1]})  # inline data: a POST
    error = info.value
    assert str(error) == (
        "302 redirect to '/login' not followed: it would resend POST as a body-less GET "
        f"(POST {WS}/reports/7/pdf)"
    )
    assert error.location == "/login"
    assert error.request is not None and error.request.method == "POST"
    assert str(error.request.url).startswith(f"{WS}/reports/7/pdf")
    assert "Authorization" not in error.request.headers


def hops(count: int) -> Callable[[httpx.Request], httpx.Response]:
    """A server that redirects ``count`` times, then answers."""

    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.params.get("hop", "0"))
        if hop < count:
            return httpx.Response(307, headers={"Location": f"/api/v1/workspaces?hop={hop + 1}"})
        return httpx.Response(200, json=[{"id": 1, "name": "Sales", "code": "sales"}])

    return handler


def test_ten_redirects_are_followed_and_the_eleventh_is_refused() -> None:
    assert client_for(hops(10)).workspaces()[0].code == "sales"
    with pytest.raises(cxreports.APIRedirectError) as info:
        client_for(hops(11)).workspaces()
    error = info.value
    assert str(error) == (
        "more than 10 redirects (a redirect loop?), the last to "
        "'/api/v1/workspaces?hop=11' (GET https://cx.example/api/v1/workspaces)"
    )
    assert error.location == "/api/v1/workspaces?hop=11"
    assert error.request is not None and error.request.url.params["hop"] == "10"
    assert "Authorization" not in error.request.headers
