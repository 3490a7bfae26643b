"""Which transport carries ``AsyncClient``'s requests: aiohttp (through httpx) or httpcore.

httpx stays the API everywhere; only the layer under ``httpx.AsyncClient`` changes. With the
``aiohttp`` extra installed (``pip install cxreports[aiohttp]``) the default is
``httpx_aiohttp``'s transport, which serves several times the requests per second of httpcore
at high concurrency for a fraction of the CPU. ``transport="httpcore"`` (or
``CXREPORTS_ASYNC_TRANSPORT=httpcore``) keeps httpx's own.

What the aiohttp transport lacks or gets wrong is handled here, so that both transports keep
the same promises:

- its error mapping turns every ``aiohttp.ClientConnectionError`` (a reset, a server that
  hung up mid-response, a refused connection) into ``httpx.ConnectTimeout``. That would make
  the client report a timeout and retry a POST the server may have acted on. Errors are
  mapped again here from the aiohttp exception itself, as httpcore would have raised them;
- aiohttp speaks to HTTP proxies only: a SOCKS proxy (``ALL_PROXY=socks5://...``) gets
  httpcore's transport for the URLs it covers;
- aiohttp has no write timeout: the per-read and connect timeouts hold, and the write side
  of a request is bounded by the read timeout of its answer.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any, Literal

import httpx

from .errors import ConfigurationError

AsyncTransport = Literal["aiohttp", "httpcore"]
TRANSPORTS: tuple[AsyncTransport, ...] = ("aiohttp", "httpcore")
ENV = "CXREPORTS_ASYNC_TRANSPORT"


def aiohttp_installed() -> bool:
    """True when the ``aiohttp`` extra is installed (checked without importing it)."""
    return importlib.util.find_spec("httpx_aiohttp") is not None


def choose(transport: str | None) -> AsyncTransport:
    """The transport to use: the argument, else ``CXREPORTS_ASYNC_TRANSPORT``, else aiohttp
    when installed. Asking for aiohttp without the extra is a configuration error."""
    source = "transport"
    if transport is None:
        transport = os.environ.get(ENV, "").strip().lower() or None
        source = ENV
    if transport is None:
        return "aiohttp" if aiohttp_installed() else "httpcore"
    if transport not in TRANSPORTS:
        raise ConfigurationError(
            f"{source} must be one of {', '.join(map(repr, TRANSPORTS))}, got {transport!r}"
        )
    if transport == "aiohttp" and not aiohttp_installed():
        raise ConfigurationError(
            f"{source} is 'aiohttp' but httpx-aiohttp is not installed: "
            "pip install 'cxreports[aiohttp]', or use transport='httpcore'"
        )
    return transport


def async_http_client(
    transport: AsyncTransport, *, verify: Any, timeout: httpx.Timeout
) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` an ``AsyncClient`` owns when none is given."""
    from ._cookies import skip_cookieless

    if transport == "httpcore":
        return skip_cookieless(httpx.AsyncClient(verify=verify, timeout=timeout))
    from ._aiohttp import AiohttpClient

    return skip_cookieless(AiohttpClient(verify=verify, timeout=timeout))
