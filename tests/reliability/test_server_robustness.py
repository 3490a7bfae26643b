"""Malformed requests get a 4xx with a message from the local server, never a 500, and
never cost it the temporary data and exports it already holds.

Schemathesis' negative cases run in ``tests/test_server_conformance.py``; these are the
hand-written ones it does not generate: broken JSON, huge bodies, wrong content types, bad
base64 in ``params``, hostile paths and query strings.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cxreports.testing import serve

TOKEN = "robustness-token-a81f"
WS = "/api/v1/ws/sales"
JSON_TYPE = {"Content-Type": "application/json"}
# Kestrel's default request body limit, which the local server copies.
BODY_LIMIT = 30_000_000


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN) as running:
        yield running


@pytest.fixture(scope="module")
def http(server: Any) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def stored(http: httpx.Client) -> dict[str, Any]:
    """Temporary data and a finished export, stored before any malformed request."""
    data = http.post(f"{WS}/temporary-data", json={"content": {"customer": "Keep me"}}).json()
    export = http.post(f"{WS}/reports/invoice/export", json={"params": {"n": 1}}).json()
    content = http.get(f"{WS}/exports/{export['temporaryFileId']}/content").content
    assert content.startswith(b"%PDF")
    return {"temp_data": data["tempDataId"], "export": export["temporaryFileId"], "pdf": content}


def b64(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).decode().rstrip("=")


def deep(levels: int) -> bytes:
    return b'{"params":' + b"[" * levels + b"]" * levels + b"}"


BODIES: list[tuple[str, bytes | str, dict[str, str]]] = [
    ("unterminated", b'{"params": ', JSON_TYPE),
    ("single-quotes", b"{'params': {}}", JSON_TYPE),
    ("trailing-comma", b'{"params": {"a": 1},}', JSON_TYPE),
    ("nan-literal", b'{"params": {"a": NaN}}', JSON_TYPE),
    ("bare-word", b"nul", JSON_TYPE),
    ("array", b"[1, 2, 3]", JSON_TYPE),
    ("string", b'"params"', JSON_TYPE),
    ("number", b"42", JSON_TYPE),
    ("invalid-utf8", b'{"params": {"a": "\xff\xfe"}}', JSON_TYPE),
    ("nul-bytes", b'{"params"\x00: {}}', JSON_TYPE),
    ("deep-nesting", deep(100_000), JSON_TYPE),
    ("format-number", b'{"format": 7}', JSON_TYPE),
    ("format-unknown", b'{"format": "exe"}', JSON_TYPE),
    ("attachments-string", b'{"includeAttachments": "yes"}', JSON_TYPE),
    ("theme-object", b'{"theme": {"id": 1}}', JSON_TYPE),
    ("huge-number", b'{"tempDataId": 1e400}', JSON_TYPE),
    ("text-plain", b'{"params": {}}', {"Content-Type": "text/plain"}),
    ("form-encoded", b"params=1", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("multipart", b"--x\r\n\r\n--x--", {"Content-Type": "multipart/form-data; boundary=x"}),
    ("xml", b"<params/>", {"Content-Type": "application/xml"}),
    ("no-content-type", b'{"params": {}}', {}),
    ("charset-latin1", '{"params": {"a": "é"}}'.encode("latin-1"), JSON_TYPE),
]
POST_TARGETS = [
    f"{WS}/reports/invoice/pdf",
    f"{WS}/reports/invoice/export",
    f"{WS}/temporary-data",
    f"{WS}/jobs/monthly-invoices/runs",
]


def assert_refused(response: httpx.Response, *statuses: int) -> str:
    """A 4xx (one of ``statuses`` if given) whose body says what was wrong."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if statuses:
        assert response.status_code in statuses, (response.status_code, response.text[:300])
    body = response.json()
    message = body.get("error") or body.get("detail") or body.get("title")
    assert isinstance(message, str) and message.strip(), body
    return message


# Export fields with the wrong type: a job run's body has none of them, so it is not asked.
EXPORT_FIELDS = {"format-number", "format-unknown", "attachments-string", "theme-object",
                 "huge-number"}  # fmt: skip
BODY_CASES = [
    pytest.param(target, body, headers, id=f"{name}-{target.rsplit('/', 1)[-1]}")
    for target in POST_TARGETS
    for name, body, headers in BODIES
    if not (target.endswith("/runs") and name in EXPORT_FIELDS)
]


@pytest.mark.parametrize(("target", "body", "headers"), BODY_CASES)
def test_malformed_bodies_are_refused(
    http: httpx.Client, stored: dict[str, Any], target: str, body: bytes, headers: dict[str, str]
) -> None:
    assert_refused(http.post(target, content=body, headers=headers))


def test_wrong_content_type_is_unsupported_media_type(http: httpx.Client) -> None:
    response = http.post(
        f"{WS}/temporary-data", content=b'{"content": 1}', headers={"Content-Type": "text/plain"}
    )
    message = assert_refused(response, 415)
    assert "application/json" in message


@pytest.mark.parametrize("target", POST_TARGETS, ids=lambda t: t.rsplit("/", 1)[-1])
def test_huge_body_is_refused_unread(http: httpx.Client, target: str) -> None:
    declared = http.post(target, content=b"{" + b" " * (BODY_LIMIT + 1) + b"}", headers=JSON_TYPE)
    assert "too large" in assert_refused(declared, 413)


def test_huge_chunked_body_is_refused(http: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"content": "'
        for _ in range(BODY_LIMIT // 1_000_000 + 2):
            yield b"x" * 1_000_000
        yield b'"}'

    response = http.post(f"{WS}/temporary-data", content=chunks(), headers=JSON_TYPE)
    assert "too large" in assert_refused(response, 413)


QUERIES: list[tuple[str, dict[str, str]]] = [
    ("params-bad-base64", {"params": "!!!not-base64!!!"}),
    ("params-truncated-base64", {"params": "eyJ"}),
    ("params-base64-not-json", {"params": b64(b"not json at all")}),
    ("params-base64-invalid-utf8", {"params": b64(b"\xff\xfe\xfd")}),
    ("params-broken-json", {"params": '{"a": '}),
    ("data-bad-base64", {"data": "%%%"}),
    ("temp-data-not-int", {"tempDataId": "abc"}),
    ("temp-data-negative", {"tempDataId": "-1"}),
    ("temp-data-overflow", {"tempDataId": "99999999999999999999"}),
    ("temp-data-unknown", {"tempDataId": "123456"}),
    ("format-unknown", {"format": "exe"}),
    ("attachments-not-bool", {"includeAttachments": "maybe"}),
    ("theme-unknown", {"theme": "no-such-theme"}),
    ("template-unknown", {"template": "no-such-template"}),
]


@pytest.mark.parametrize("query", [q[1] for q in QUERIES], ids=[q[0] for q in QUERIES])
def test_malformed_get_export_queries_are_refused(
    http: httpx.Client, query: dict[str, str]
) -> None:
    assert_refused(http.get(f"{WS}/reports/invoice/pdf", params=query))


PATHS: list[tuple[str, str, str]] = [
    ("GET", f"{WS}/exports/abc/status", "non-numeric export id"),
    ("GET", f"{WS}/exports/-1/content", "negative export id"),
    ("GET", f"{WS}/exports/99999999999999999999/status", "export id overflow"),
    ("GET", f"{WS}/jobs/monthly-invoices/runs/abc/status", "non-numeric run id"),
    ("GET", "/api/v1/ws/no-such-ws/themes", "unknown workspace"),
    ("GET", f"{WS}/reports/%00/pages", "NUL in a code"),
    ("GET", f"{WS}/reports/a%2Fb/pages", "encoded slash"),
    ("GET", f"{WS}/reports/{'x' * 5000}/pages", "very long code"),
    ("GET", f"{WS}/reports/..%2F..%2Fetc/pages", "encoded traversal"),
    ("PUT", f"{WS}/temporary-data", "wrong method"),
    ("DELETE", f"{WS}/exports/1/content", "wrong method"),
    ("GET", f"{WS}/reports?limit=abc", "non-numeric limit"),
    ("GET", f"{WS}/reports?limit=-5", "negative limit"),
    ("GET", f"{WS}/reports?offset=1e9", "float offset"),
]


@pytest.mark.parametrize(("method", "path"), [p[:2] for p in PATHS], ids=[p[2] for p in PATHS])
def test_hostile_paths_are_refused(http: httpx.Client, method: str, path: str) -> None:
    assert_refused(http.request(method, path))


def test_garbage_auth_headers_are_refused(server: Any) -> None:
    for value in (
        "Bearer",
        "Basic Zm9vOmJhcg==",
        f"Bearer {TOKEN}x",
        f"Token {TOKEN}",
        "\u00e9" * 9,
    ):
        response = httpx.get(
            f"{server.url}{WS}/themes", headers={"Authorization": value.encode("utf-8")}
        )
        assert_refused(response, 401)


def test_stored_work_survives_all_of_it(
    http: httpx.Client, stored: dict[str, Any], server: Any
) -> None:
    """Runs last in this module: everything above hit the same server."""
    assert len(server.requests) > 100, "the malformed requests above ran first"
    statuses = [r.status for r in server.requests]
    assert 500 not in statuses and None not in statuses
    status = http.get(f"{WS}/exports/{stored['export']}/status").json()
    assert status["isReady"] is True
    assert http.get(f"{WS}/exports/{stored['export']}/content").content == stored["pdf"]
    again = http.get(f"{WS}/reports/invoice/pdf", params={"tempDataId": stored["temp_data"]})
    assert again.status_code == 200 and again.content.startswith(b"%PDF")
    assert server.store.temp_data[stored["temp_data"]].content == {"customer": "Keep me"}
