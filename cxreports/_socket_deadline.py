"""The sync ``Client``'s overall deadline, kept at the socket: no wait outlives the attempt.

A blocking read cannot be interrupted from outside, and httpcore takes the read timeout once
per request and re-arms it on every ``recv``: a server sending its status line and headers
one byte at a time, each within the read timeout, would hold a call for as long as it liked.
So the client's own httpx transports get a network backend (httpcore's public extension
point) whose streams wait at most ``min(own timeout, time left)`` on each connect, TLS
handshake, read and write, and fail with httpcore's timeout once the time is up.

The time left comes from the attempt's :class:`~cxreports._body.Deadline`, which ``Client``
binds to the calling thread for the attempt (:func:`bind`, :func:`unbind`). A context
variable rather than a global: each thread has its own context, so one thread's short
deadline never cuts another thread's call on a shared pool (an HTTP/1.1 connection serves
one request at a time, read by the thread that sent it). With nothing bound, every wait
keeps its own timeout, so the per-read timeout still fires on its own either way.

httpcore is imported directly but not declared: every httpx release the package accepts
(``>=0.27,<1``) requires httpcore 1.x, whose backend interface this implements.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

from ._body import Deadline

_BOUND: ContextVar[Deadline | None] = ContextVar("cxreports_attempt_deadline", default=None)


def bind(deadline: Deadline) -> None:
    """Bound every socket wait of this thread by ``deadline``, until :func:`unbind`."""
    _BOUND.set(deadline)


def unbind() -> None:
    """End the attempt's bound: waits keep their own timeouts again."""
    _BOUND.set(None)


def _bounded(timeout: float | None, expired: type[httpcore.TimeoutException]) -> float | None:
    """``timeout`` capped by the bound deadline's time left; ``expired`` when none is left."""
    deadline = _BOUND.get()
    if deadline is None:
        return timeout
    left = deadline.remaining()
    if left is None:
        return timeout
    if left <= 0:
        raise expired(f"no complete response within the {deadline.seconds:g} s deadline")
    return left if timeout is None or left < timeout else timeout


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every wait is bounded by the attempt's deadline."""

    __slots__ = ("_stream",)

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """Another backend (httpcore's ``SyncBackend``) whose streams are :class:`DeadlineStream`."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, bounded, local_address, socket_options)
        return DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._backend.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _pools(client: httpx.Client) -> list[Any]:
    """The httpcore pools under ``client``'s transports: the default one and those mounted
    for proxies from the environment. httpx has no public way to reach them, so its private
    ``_transport``, ``_mounts`` and ``_pool`` are read here and nowhere else."""
    transports = [getattr(client, "_transport", None)]
    transports += list((getattr(client, "_mounts", None) or {}).values())
    return [getattr(t, "_pool", None) for t in transports if isinstance(t, httpx.HTTPTransport)]


def _arm_pool(pool: Any) -> bool:
    """Put a :class:`DeadlineBackend` under one httpcore pool; False when it cannot be done.

    httpcore's pools keep their backend in the private ``_network_backend`` and read it for
    each new connection. A pool without it is left as it was: the deadline then holds as
    before this module (checked per chunk, socket timeouts capped at each hop's start), and
    only a server dripping its headers is bounded by the per-read timeout alone.
    """
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, DeadlineBackend):
        return True
    if not isinstance(backend, httpcore.NetworkBackend):
        return False
    pool._network_backend = DeadlineBackend(backend)
    return True


def arm(client: httpx.Client) -> bool:
    """Arm every pool of ``client``, one the ``Client`` built itself (a caller's
    ``http_client`` is never changed). True when every pool was armed."""
    pools = _pools(client)
    armed = [_arm_pool(pool) for pool in pools]
    return bool(armed) and all(armed)


def armed(client: httpx.Client) -> httpx.Client:
    """``client``, armed (see :func:`arm`)."""
    arm(client)
    return client


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport, with which a sync [`Client`][cxreports.Client] keeps its overall
    deadline at every socket wait: for an ``http_client`` of your own.

    A ``Client`` holds each attempt to its ``timeout``, from connecting to the last byte.
    With the ``httpx.Client`` it builds itself, that holds even against a server dripping its
    status line and headers a byte at a time, each within the read timeout. With an
    ``http_client`` of yours it holds for the body, but such a header drip is bounded only
    by the read timeout of each byte, unless that client sends through this transport:
    ``httpx.Client(transport=cxreports.DeadlineTransport(verify=context))``.

    Outside a ``Client`` call it behaves exactly as ``httpx.HTTPTransport``. As with any
    ``transport=``, httpx then takes no proxy from the environment: pass ``proxy=`` (or
    ``mounts=`` of more of these) yourself. ``armed`` is False if this httpx release lacks
    what the transport plugs into; it is then a plain ``httpx.HTTPTransport``.

    Args:
        **kwargs: The keyword arguments of ``httpx.HTTPTransport``: ``verify``, ``cert``,
            ``proxy``, ``limits``, ``retries`` and the rest, but not ``http2=True``.

    Raises:
        ValueError: ``http2=True``: threads share an HTTP/2 connection, and a read cut at
            one call's deadline would end the connection under the others' calls.
    """

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("http2"):
            raise ValueError(
                "DeadlineTransport speaks HTTP/1.1 only: threads share an HTTP/2 connection, "
                "and a read cut at one call's deadline would end it under the others' calls"
            )
        super().__init__(**kwargs)
        self.armed: bool = _arm_pool(getattr(self, "_pool", None))
