"""The iframe preview: single-use nonce, HttpOnly session cookie, and what the page shows."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import httpx
import pytest

from cxreports.testing import LocalServer, serve
from cxreports.testing.app import SESSION_COOKIE


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with serve() as srv:
        yield srv


def nonce(server: LocalServer) -> str:
    response = httpx.post(
        server.api_url + "/nonce-tokens", headers={"Authorization": f"Bearer {server.token}"}
    )
    assert response.status_code == 200
    value: str = response.json()["nonce"]
    return value


def preview_url(server: LocalServer, report: str = "invoice", ws: str = "sales") -> str:
    return f"{server.url}/ws/{ws}/reports/{report}/preview"


def test_nonce_becomes_a_cookie_and_cannot_be_reused(server: LocalServer) -> None:
    value = nonce(server)
    with httpx.Client() as browser:
        first = browser.get(preview_url(server), params={"nonce": value})
        assert first.status_code == 200
        assert first.headers["content-type"] == "text/html; charset=utf-8"
        set_cookie = first.headers["set-cookie"]
        assert set_cookie.startswith(f"{SESSION_COOKIE}=")
        assert "HttpOnly" in set_cookie and "Path=/" in set_cookie
        assert "<title>Invoice</title>" in first.text
        assert server.token not in first.text and "Bearer" not in first.text

        # The iframe's later requests carry only the cookie.
        again = browser.get(preview_url(server, "statement"))
        assert again.status_code == 200 and "<title>Statement</title>" in again.text
        assert "set-cookie" not in again.headers

        # The nonce is spent, even for a browser that holds a valid cookie.
        reused = browser.get(preview_url(server), params={"nonce": value})
        assert reused.status_code == 401
        assert reused.headers["content-type"].startswith("text/html")
        assert "already used" in reused.text


def test_no_nonce_and_no_cookie_is_401(server: LocalServer) -> None:
    for cookies in ({}, {SESSION_COOKIE: "forged"}):
        response = httpx.get(preview_url(server), cookies=cookies)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("text/html")
    assert httpx.get(preview_url(server), params={"nonce": "made-up"}).status_code == 401


def test_bearer_token_does_not_open_the_preview(server: LocalServer) -> None:
    response = httpx.get(preview_url(server), headers={"Authorization": f"Bearer {server.token}"})
    assert response.status_code == 401
    assert server.token not in response.text


def test_preview_honours_the_export_options(server: LocalServer) -> None:
    data = {"customer": "Preview Customer GmbH"}
    temp = httpx.post(
        server.api_url + "/ws/sales/temporary-data",
        headers={"Authorization": f"Bearer {server.token}"},
        json={"content": {"fromTemp": "Temp Value 42"}},
    ).json()["tempDataId"]
    query = {
        "nonce": nonce(server),
        "params": base64.urlsafe_b64encode(json.dumps({"title": "Preview Title"}).encode())
        .decode()
        .rstrip("="),
        "data": json.dumps(data),
        "theme": "dark",
        "template": "letterhead",
        "timezone": "America/New_York",
        "lang": "fr",
    }
    page = httpx.get(preview_url(server), params=query)
    assert page.status_code == 200
    for fact in [
        "Preview Title",
        "Preview Customer GmbH",
        "Dark",
        "Letterhead",
        "America/New_York",
        'lang="fr"',
    ]:
        assert fact in page.text, fact
    assert 'id="print-button"' in page.text

    hidden = httpx.get(
        preview_url(server),
        params={"nonce": nonce(server), "hidePrintButton": "true", "tempDataId": str(temp)},
    )
    assert hidden.status_code == 200
    assert "print-button" not in hidden.text
    assert "Temp Value 42" in hidden.text


@pytest.mark.parametrize(
    ("query", "status", "text"),
    [
        ({"params": "{bad"}, 400, "params"),
        ({"theme": "neon"}, 404, "Theme"),
        ({"tempDataId": "5"}, 404, "Temporary data 5"),
        ({"hidePrintButton": "maybe"}, 400, "hidePrintButton"),
        ({"params": '{"simulateFailure": "Preview broke"}'}, 400, "Preview broke"),
    ],
)
def test_preview_errors_are_html(
    server: LocalServer, query: dict[str, str], status: int, text: str
) -> None:
    response = httpx.get(preview_url(server), params={"nonce": nonce(server), **query})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert text in response.text


def test_preview_of_unknown_report_or_workspace_is_404(server: LocalServer) -> None:
    with httpx.Client() as browser:
        assert browser.get(preview_url(server), params={"nonce": nonce(server)}).status_code == 200
        assert browser.get(preview_url(server, "nope")).status_code == 404
        assert browser.get(preview_url(server, ws="nope")).status_code == 404
        assert browser.get(preview_url(server, "301", ws="operations")).status_code == 200


def test_nonce_signed_download_link(server: LocalServer) -> None:
    url = f"{server.api_url}/ws/sales/reports/invoice/pdf"
    value = nonce(server)
    with httpx.Client() as browser:
        first = browser.get(url, params={"nonce": value, "format": "xlsx"})
        assert first.status_code == 200
        assert first.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert "HttpOnly" in first.headers["set-cookie"]
        assert browser.get(url).status_code == 200  # the cookie now authenticates
        assert browser.get(url, params={"nonce": value}).status_code == 401  # spent
    assert httpx.get(url, params={"nonce": value}).status_code == 401
    assert httpx.get(url).status_code == 401
    # Only the GET export is a browser route: POST and other operations still need the token.
    cookie_jar = {SESSION_COOKIE: first.cookies[SESSION_COOKIE]}
    with httpx.Client(cookies=cookie_jar) as browser:
        assert browser.get(url).status_code == 200
        assert browser.post(url, json={}).status_code == 401
        assert browser.get(f"{server.api_url}/workspaces").status_code == 401
        assert browser.post(f"{server.api_url}/ws/sales/reports/invoice/export").status_code == 401
