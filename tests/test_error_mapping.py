"""Each way one attempt can fail, as the typed error a user gets: its class, a message
naming the method, host and path (and the limit, for a timeout), the request without its
token, and no token anywhere in the text. Hand-made failures (httpx.MockTransport)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from clients import AsyncClientDriver

import cxreports

TOKEN = "mapping-secret-0123456789"
WHERE = "GET https://cx.example/api/v1/workspaces"


@pytest.fixture(params=["sync", "async"])
def make_client(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    opened: list[Any] = []

    def make(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> Any:
        transport = httpx.MockTransport(handler)
        args = ("https://cx.example", TOKEN, "sales")
        kwargs.setdefault("max_retries", 0)
        if request.param == "sync":
            client: Any = cxreports.Client(
                *args, http_client=httpx.Client(transport=transport), **kwargs
            )
        else:
            client = AsyncClientDriver(
                cxreports.AsyncClient(
                    *args, http_client=httpx.AsyncClient(transport=transport), **kwargs
                )
            )
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.close()


def raising(exc: BaseException) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


def assert_public(request: httpx.Request | None) -> None:
    """The request an error carries: the one sent, without its credentials."""
    assert request is not None
    assert f"{request.method} {request.url}" == WHERE
    assert "Authorization" not in request.headers


# -- timeouts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_timeout", "call_options", "message"),
    [
        (7, {}, f"request timed out after 7 s: {WHERE}"),
        (7, {"timeout": 2.5}, f"request timed out after 2.5 s: {WHERE}"),
        # A call's own limit on a client without one (was a raw TypeError).
        (None, {"timeout": 5}, f"request timed out after 5 s: {WHERE}"),
        (None, {}, f"request timed out: {WHERE}"),
    ],
)
def test_a_timeout_names_the_limit_of_the_call(
    make_client: Any, client_timeout: Any, call_options: dict[str, Any], message: str
) -> None:
    client = make_client(raising(TimeoutError()), timeout=client_timeout)
    with pytest.raises(cxreports.APITimeoutError) as info:
        client.workspaces(**call_options)
    assert str(info.value) == message
    assert_public(info.value.request)


def test_an_httpx_timeout_is_a_timeout_error(make_client: Any) -> None:
    client = make_client(raising(httpx.ReadTimeout("read timed out")))
    with pytest.raises(cxreports.APITimeoutError) as info:
        client.workspaces()
    assert str(info.value) == f"request timed out: {WHERE}"
    assert_public(info.value.request)


# -- connection failures ----------------------------------------------------------------------


def test_a_connection_failure_names_the_request_and_hides_the_token(make_client: Any) -> None:
    client = make_client(raising(httpx.ConnectError(f"refused for Bearer {TOKEN}")))
    with pytest.raises(cxreports.APIConnectionError) as info:
        client.workspaces()
    error = info.value
    assert type(error) is cxreports.APIConnectionError
    assert str(error) == f"connection failed: {WHERE}: refused for Bearer [REDACTED]"
    assert_public(error.request)
    # The chained httpx error is shown in tracebacks: its request is the public one too.
    assert isinstance(error.__cause__, httpx.ConnectError)
    assert_public(error.__cause__.request)


def test_a_connection_failure_without_words_is_named_by_its_type(make_client: Any) -> None:
    client = make_client(raising(httpx.ConnectError("")))
    with pytest.raises(cxreports.APIConnectionError) as info:
        client.workspaces()
    assert str(info.value) == f"connection failed: {WHERE}: ConnectError"


def test_a_foreign_transport_error_hides_the_token(make_client: Any) -> None:
    leaked = type("ClientOSError", (Exception,), {"__module__": "aiohttp.client_exceptions"})
    client = make_client(raising(leaked(f"token={TOKEN} rejected")))
    with pytest.raises(cxreports.APIConnectionError) as info:
        client.workspaces()
    assert (
        str(info.value) == f"connection failed: {WHERE}: ClientOSError: token=[REDACTED] rejected"
    )
    assert_public(info.value.request)


# -- bodies that do not arrive whole ----------------------------------------------------------


class _Cut(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Headers, a first chunk, then the connection drops."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'[{"id": 1,'
        raise httpx.RemoteProtocolError("peer closed connection")

    async def __aiter__(self) -> Any:
        yield b'[{"id": 1,'
        raise httpx.RemoteProtocolError("peer closed connection")


def test_a_body_cut_by_the_network_is_an_incomplete_download(make_client: Any) -> None:
    client = make_client(lambda request: httpx.Response(200, stream=_Cut()))
    with pytest.raises(cxreports.IncompleteDownloadError) as info:
        client.workspaces()
    assert str(info.value) == f"response body was cut short: {WHERE}"
    assert_public(info.value.request)


def test_a_body_shorter_than_its_length_is_an_incomplete_download(make_client: Any) -> None:
    answer = httpx.Response(200, headers={"Content-Length": "40"}, content=b"[]")
    client = make_client(lambda request: answer)
    with pytest.raises(cxreports.IncompleteDownloadError) as info:
        client.workspaces()
    assert str(info.value) == f"response body was cut short (got 2 of 40 bytes): {WHERE}"
    assert_public(info.value.request)


def test_an_undecodable_body_is_a_validation_error_with_the_response(make_client: Any) -> None:
    headers = {"Content-Encoding": "gzip", "X-Trace": "abc"}
    client = make_client(
        lambda request: httpx.Response(200, headers=headers, stream=httpx.ByteStream(b"junk"))
    )
    with pytest.raises(cxreports.APIResponseValidationError) as info:
        client.workspaces()
    message = str(info.value)
    assert message.startswith("response body could not be decoded (corrupt compressed body: ")
    assert message.endswith(f"): {WHERE}")
    response = info.value.response
    assert response.status_code == 200 and response.headers["X-Trace"] == "abc"
    # The copy holds no body, so no header may claim the body is compressed.
    assert "Content-Encoding" not in response.headers and response.content == b""
    assert_public(response.request)


def test_a_validation_error_never_quotes_the_token(make_client: Any) -> None:
    # The server echoes the token where the spec wants an id.
    client = make_client(
        lambda request: httpx.Response(200, json=[{"id": TOKEN, "name": "x", "code": "c"}])
    )
    with pytest.raises(cxreports.APIResponseValidationError) as info:
        client.workspaces()
    assert str(info.value) == (
        f"unexpected response body from {WHERE}: body[0].id should be int, got str '[REDACTED]'"
    )


# -- off-spec bodies --------------------------------------------------------------------------


def test_a_long_token_echoed_into_a_bad_field_is_not_shown_in_part() -> None:
    # The validation message quotes the offending value. Cut to a preview, a long token no
    # longer matched the client's redaction, and its first 59 characters were shown.
    token = "pat-" + "0123456789abcdef" * 5 + "zz"
    echo = [{"id": token, "name": "x", "code": "x"}]
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=echo))
    with (
        cxreports.Client(
            "https://cx.example", token, "sales", http_client=httpx.Client(transport=transport)
        ) as client,
        pytest.raises(cxreports.APIResponseValidationError) as caught,
    ):
        client.workspaces()
    message = str(caught.value)
    assert token[:12] not in message
    assert "got str of 86 characters" in message
    assert "GET https://cx.example/api/v1/workspaces" in message


def test_a_short_bad_value_is_quoted_in_the_message(make_client: Callable[..., Any]) -> None:
    bad = [{"id": "seven", "name": "x", "code": "x"}]
    client = make_client(lambda r: httpx.Response(200, json=bad))
    with pytest.raises(cxreports.APIResponseValidationError, match="got str 'seven'"):
        client.workspaces()
