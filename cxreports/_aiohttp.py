"""``httpx.AsyncClient`` on aiohttp (``httpx_aiohttp``), with httpcore's error semantics.

Loaded only when an ``AsyncClient`` is built on this transport: ``import cxreports`` never
imports aiohttp. See ``_transports.py`` for why each override exists.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport, HttpxAiohttpClient

# Most specific first: the first class the aiohttp error is an instance of decides. These are
# the httpx errors httpcore raises for the same failures, so the client's retry policy (which
# trusts only a connection that never opened to have carried nothing) stays the same.
_ERRORS: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
    (aiohttp.ClientProxyConnectionError, httpx.ProxyError),
    (aiohttp.ClientHttpProxyError, httpx.ProxyError),
    (aiohttp.ClientConnectorError, httpx.ConnectError),  # refused, DNS, TLS verification
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
    (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),  # a body cut short
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),  # a malformed response
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
    (aiohttp.ClientOSError, httpx.ReadError),  # a reset mid-exchange
    (aiohttp.ClientError, httpx.TransportError),
)


def _remapped(exc: BaseException) -> httpx.TransportError | None:
    """The httpx error for an aiohttp failure (raw, or as httpx_aiohttp mapped it)."""
    cause = exc.__cause__ if isinstance(exc, httpx.TransportError) else exc
    for source, target in _ERRORS:
        if isinstance(cause, source):
            return target(str(cause) or type(cause).__name__)
    return None


@contextlib.contextmanager
def _errors_remapped() -> Iterator[None]:
    try:
        yield
    except (httpx.TransportError, aiohttp.ClientError) as exc:
        mapped = _remapped(exc)
        if mapped is None:
            raise
        raise mapped from (exc.__cause__ or exc)


class _Body(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _errors_remapped():
            async for chunk in self._inner:
                yield chunk

    async def aclose(self) -> None:
        with _errors_remapped():
            await self._inner.aclose()


class _Transport(AiohttpTransport):
    def get_client(self) -> aiohttp.ClientSession:
        session = super().get_client()
        # aiohttp repeats an idempotent request once, unseen, when the connection drops. The
        # client's own policy decides retries (max_retries=0 is one try), as on httpcore.
        with contextlib.suppress(AttributeError):
            session._retry_connection = False
        return session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        with _errors_remapped():
            response = await super().handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Body(response.stream)
        return response


class AiohttpClient(HttpxAiohttpClient):
    """What ``AsyncClient`` builds on the aiohttp transport; proxies come from the
    environment as with httpx (``trust_env``), SOCKS ones through httpcore."""

    def _init_transport(  # type: ignore[override]  # keyword arguments passed through
        self, **kwargs: Any
    ) -> httpx.AsyncBaseTransport:
        transport = kwargs.pop("transport", None)
        return transport if transport is not None else _Transport(**kwargs)

    def _init_proxy_transport(  # type: ignore[override]  # keyword arguments passed through
        self, proxy: httpx.Proxy, **kwargs: Any
    ) -> httpx.AsyncBaseTransport:
        if proxy.url.scheme.startswith("socks"):  # aiohttp speaks to HTTP proxies only
            return httpx.AsyncClient._init_proxy_transport(self, proxy, **kwargs)
        return _Transport(proxy=proxy, **kwargs)
