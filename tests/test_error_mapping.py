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
