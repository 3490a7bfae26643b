"""AsyncClient's two transports: which one is chosen, and what only a test of the transport
itself shows (proxies from the environment, error mapping, cancellation mid-download).

Everything else the async client promises (retries, Retry-After, timeouts, ``.part`` files,
redaction, TLS, redirects) runs on both transports through ``clients.KINDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest

import cxreports
from cxreports import _transports
from cxreports._aiohttp import AiohttpClient, _remapped
from cxreports.testing import serve

TOKEN = "async-transports-token-5e1f"
TRANSPORTS = ["httpcore", "aiohttp"]


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN) as running:
        yield running


@pytest.fixture(autouse=True)
def no_env_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_transports.ENV, raising=False)


# -- which transport ----------------------------------------------------------------------------


async def test_aiohttp_is_the_default_when_installed(server: Any) -> None:
    async with cxreports.AsyncClient(server.url, TOKEN, "sales") as client:
        assert client.transport == "aiohttp"
        assert isinstance(client._http, AiohttpClient)
        assert await client.workspaces()


async def test_a_plain_install_stays_on_httpcore(
    server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_transports, "aiohttp_installed", lambda: False)
    async with cxreports.AsyncClient(server.url, TOKEN, "sales") as client:
        assert client.transport == "httpcore"
        assert type(client._http) is httpx.AsyncClient
        assert await client.workspaces()


async def test_transport_httpcore_turns_aiohttp_off(server: Any) -> None:
    async with cxreports.AsyncClient(server.url, TOKEN, "sales", transport="httpcore") as client:
        assert client.transport == "httpcore"
        assert type(client._http) is httpx.AsyncClient
        assert client.with_options(timeout=3).transport == "httpcore"


async def test_the_environment_variable_turns_aiohttp_off(
    server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(_transports.ENV, "httpcore")
    async with cxreports.AsyncClient(server.url, TOKEN, "sales") as client:
        assert type(client._http) is httpx.AsyncClient
    # The argument wins over the environment.
    async with cxreports.AsyncClient(server.url, TOKEN, "sales", transport="aiohttp") as client:
        assert isinstance(client._http, AiohttpClient)


async def test_a_given_http_client_is_used_as_it_is(server: Any) -> None:
    async with httpx.AsyncClient() as http:
        client = cxreports.AsyncClient(server.url, TOKEN, "sales", http_client=http)
        assert client._http is http and client.transport is None
        assert await client.workspaces()


@pytest.mark.parametrize(
    ("kwargs", "env", "message"),
    [
        ({"transport": "requests"}, None, "transport must be one of 'aiohttp', 'httpcore'"),
        ({}, "curl", "CXREPORTS_ASYNC_TRANSPORT must be one of"),
        (
            {"transport": "aiohttp", "http_client": "given"},
            None,
            r"^pass transport= or http_client=, not both: the transport of a given http_client "
            r"is the one it was built with$",
        ),
    ],
)
def test_transport_mistakes_are_configuration_errors(
    kwargs: dict[str, Any], env: str | None, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if env is not None:
        monkeypatch.setenv(_transports.ENV, env)
    if kwargs.get("http_client") == "given":
        kwargs["http_client"] = httpx.AsyncClient()
    with pytest.raises(cxreports.ConfigurationError, match=message):
        cxreports.AsyncClient("http://127.0.0.1:9", TOKEN, "sales", **kwargs)


def test_asking_for_aiohttp_without_the_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_transports, "aiohttp_installed", lambda: False)
    with pytest.raises(cxreports.ConfigurationError, match=r"cxreports\[aiohttp\]"):
        cxreports.AsyncClient("http://127.0.0.1:9", TOKEN, "sales", transport="aiohttp")


# -- proxies from the environment ---------------------------------------------------------------


@contextlib.asynccontextmanager
async def forward_proxy() -> AsyncIterator[tuple[str, list[str]]]:
    """A plain-HTTP forward proxy that answers every request itself with ``[]`` and records
    the request line (absolute-form through a proxy) and whether the token reached it."""
    seen: list[str] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                seen.append(head.split("\r\n", 1)[0])
                body = b"[]"
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        writer.close()

    proxy = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = proxy.sockets[0].getsockname()[1]
    async with proxy:
        yield f"http://127.0.0.1:{port}", seen


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_http_proxy_from_the_environment_is_used(
    transport: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with forward_proxy() as (proxy_url, seen):
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        # Nothing listens at the target: only the proxy can have answered.
        client = cxreports.AsyncClient(
            "http://127.0.0.1:9", TOKEN, "sales", transport=transport, max_retries=0
        )
        async with client:
            assert await client.workspaces() == []
    assert seen == ["GET http://127.0.0.1:9/api/v1/workspaces HTTP/1.1"]


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_no_proxy_and_trust_env_off_bypass_the_proxy(
    transport: str, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with forward_proxy() as (proxy_url, seen):
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        async with cxreports.AsyncClient(server.url, TOKEN, "sales", transport=transport) as c:
            assert await c.workspaces()
    assert seen == []


def test_a_socks_proxy_gets_httpcore_on_the_aiohttp_transport(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """aiohttp speaks to HTTP proxies only; the URLs a SOCKS proxy covers go through
    httpcore's transport (which needs httpx[socks], as with plain httpx)."""
    built: list[httpx.Proxy] = []

    def fake_httpcore_proxy(self: Any, proxy: httpx.Proxy, **kwargs: Any) -> Any:
        built.append(proxy)
        return httpx.AsyncHTTPTransport()

    monkeypatch.setattr(httpx.AsyncClient, "_init_proxy_transport", fake_httpcore_proxy)
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:1080")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:3128")
    client = cxreports.AsyncClient("https://reports.example.com", TOKEN, "sales")
    assert isinstance(client._http, AiohttpClient)
    assert [str(p.url) for p in built] == ["socks5://127.0.0.1:1080"]
    mounts = {str(pattern.pattern): type(t).__name__ for pattern, t in client._http._mounts.items()}
    assert mounts == {"https://": "AsyncHTTPTransport", "http://": "_Transport"}


# -- errors mean what they mean on httpcore ------------------------------------------------------


@pytest.mark.parametrize(
    ("aiohttp_error", "httpx_error"),
    [
        (aiohttp.ServerDisconnectedError(), httpx.RemoteProtocolError),
        (aiohttp.ClientOSError(104, "Connection reset by peer"), httpx.ReadError),
        (aiohttp.ClientPayloadError("payload is not completed"), httpx.RemoteProtocolError),
        (aiohttp.SocketTimeoutError("Timeout on reading data from socket"), httpx.ReadTimeout),
        (aiohttp.ConnectionTimeoutError("Connection timeout"), httpx.ConnectTimeout),
    ],
)
def test_aiohttp_errors_map_as_httpcore_would_raise_them(
    aiohttp_error: BaseException, httpx_error: type[Exception]
) -> None:
    """httpx_aiohttp maps every ClientConnectionError to ConnectTimeout: a server that hung
    up mid-answer would be reported as a timeout, and a POST it may have acted on retried as
    never sent. Both the raw error and httpx_aiohttp's mapping of it are mapped again."""
    assert type(_remapped(aiohttp_error)) is httpx_error
    wrapped = httpx.ConnectTimeout(str(aiohttp_error))
    wrapped.__cause__ = aiohttp_error
    assert type(_remapped(wrapped)) is httpx_error


async def test_a_malformed_response_is_a_typed_connection_error(tmp_path: Path) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 abc Broken\r\n\r\n")
        await writer.drain()
        writer.close()

    broken = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = broken.sockets[0].getsockname()[1]
    async with broken:
        client = cxreports.AsyncClient(
            f"http://127.0.0.1:{port}", TOKEN, "sales", transport="aiohttp", max_retries=0
        )
        async with client:
            with pytest.raises(cxreports.APIConnectionError) as info:
                await client.workspaces()
    assert f"GET http://127.0.0.1:{port}/api/v1/workspaces" in str(info.value)
    assert isinstance(info.value.__cause__, httpx.RemoteProtocolError)


# -- cancellation mid-download ------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_cancelling_a_download_leaves_no_file(
    transport: str, server: Any, tmp_path: Path
) -> None:
    """A task cancelled while the body streams in leaves neither the file nor its ``.part``,
    and the client stays usable."""
    big = {"simulateContentBytes": 1024 * 1024 * 1024}  # streams for far longer than this test
    async with cxreports.AsyncClient(server.url, TOKEN, "sales", transport=transport) as c:
        task = asyncio.ensure_future(c.export_to_file("invoice", tmp_path / "out.pdf", params=big))
        while not any(p.stat().st_size for p in tmp_path.iterdir()):  # the body is streaming
            assert not task.done(), task  # a broken download fails here, not loops
            await asyncio.sleep(0.005)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert list(tmp_path.iterdir()) == []
        assert await c.workspaces()
