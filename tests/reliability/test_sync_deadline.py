"""The sync ``Client``'s overall deadline at the socket (``cxreports/_socket_deadline.py``).

Every wait of an attempt (connect, TLS, each read and write) is bounded by the time left,
for the thread making the call only; the per-read timeout still fires on its own; a pooled
keep-alive connection gets the deadline of each request it carries; the environment's
proxies are covered; and when httpx's internals are not what the module expects, the client
works as before. Each server here ends its drip or stall by hanging up after a few seconds,
so a call that was not cut by a timeout fails as a connection error instead: the assertions
are about which error, never about how long anything took.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import types
from collections.abc import Iterator
from typing import Any

import httpcore
import httpx
import pytest
from hostile import PDF, HostileServer, Request, drip, json_reply, pdf_reply, reply

import cxreports
from cxreports import _socket_deadline, errors
from cxreports._body import Deadline

WORKSPACES = [{"id": 1, "name": "x", "code": "x"}]
# A status line and headers that never end (no blank line): about 3 s at 20 ms a byte.
HEAD = pdf_reply().partition(b"\r\n\r\n")[0]


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as hostile:
        yield hostile


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    """Set at the end of a test: every drip and stall still going ends at once."""
    event = threading.Event()
    yield event
    event.set()


def stall(first: bytes, stop: threading.Event, seconds: float = 3.0) -> Any:
    """Send ``first``, then nothing for ``seconds``, then hang up."""

    def act(sock: socket.socket) -> None:
        sock.sendall(first)
        stop.wait(seconds)

    return act


def typed_timeout(exc: BaseException, server: HostileServer, path: str) -> None:
    assert isinstance(exc, errors.APITimeoutError), repr(exc)
    text = str(exc)
    assert "GET" in text and f"127.0.0.1:{server.port}" in text and path in text, text
    assert "deadline-token" not in text


def client(server: HostileServer, **kwargs: Any) -> cxreports.Client:
    return cxreports.Client(server.url, "deadline-token", workspace=1, max_retries=0, **kwargs)


# -- what the Client builds ------------------------------------------------------------------------


def test_every_pool_of_the_clients_own_transports_is_armed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    with cxreports.Client("https://cx.example", "deadline-token", 1) as c:
        pools = _socket_deadline._pools(c._http)
        assert len(pools) == 3  # the default transport and the two proxies' mounts
        assert all(isinstance(p._network_backend, _socket_deadline.DeadlineBackend) for p in pools)
        assert _socket_deadline.arm(c._http)  # arming again wraps nothing twice
        assert not isinstance(pools[0]._network_backend._backend, _socket_deadline.DeadlineBackend)


@pytest.mark.parametrize("transport", ["httpx", "DeadlineTransport"])
def test_a_callers_http_client_keeps_the_deadline_through_deadline_transport(
    server: HostileServer, stop: threading.Event, transport: str
) -> None:
    """The limit of ``http_client=``: a caller's client is not changed, so a server dripping
    its headers is bounded only by the read timeout of each byte (here it hangs up after
    about 3 s), unless the client sends through ``cxreports.DeadlineTransport``."""
    server.handler = lambda r: drip(HEAD, 0.02, stop)
    if transport == "httpx":
        http = httpx.Client()
    else:
        http = httpx.Client(transport=cxreports.DeadlineTransport(retries=0))
        assert http._transport.armed  # type: ignore[attr-defined]
    backend = _socket_deadline._pools(http)[0]._network_backend
    with (
        http,
        client(server, http_client=http, timeout=0.5) as c,
        pytest.raises(errors.CxReportsError) as caught,
    ):
        c.workspaces()
    assert _socket_deadline._pools(http)[0]._network_backend is backend
    if transport == "httpx":
        assert isinstance(backend, httpcore.SyncBackend)
        assert type(caught.value) is errors.APIConnectionError, repr(caught.value)
    else:
        typed_timeout(caught.value, server, "/api/v1/workspaces")


def test_when_the_internals_are_missing_the_client_works_as_before(
    server: HostileServer, stop: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    with httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))) as http:
        assert not _socket_deadline.arm(http)  # no httpcore pool under a mock transport
    with httpx.Client() as http:
        monkeypatch.delattr(_socket_deadline._pools(http)[0], "_network_backend")
        assert not _socket_deadline.arm(http)
    assert not _socket_deadline._arm_pool(None)  # what DeadlineTransport gets without _pool
    with pytest.raises(ValueError, match=r"HTTP/1\.1 only"):
        cxreports.DeadlineTransport(http2=True)
    monkeypatch.setattr(_socket_deadline, "_pools", lambda http: [types.SimpleNamespace()])
    head = pdf_reply().partition(b"\r\n\r\n")[0] + b"\r\n\r\n"
    server.handler = lambda r: (
        json_reply(WORKSPACES) if r.path == "/api/v1/workspaces" else _then(head, PDF, stop)
    )
    with client(server, timeout=0.5) as c:
        assert c.workspaces()[0].id == 1
        with pytest.raises(errors.APITimeoutError):  # the body's deadline, checked per chunk
            c.export(7)


def _then(head: bytes, body: bytes, stop: threading.Event) -> Any:
    def act(sock: socket.socket) -> None:
        sock.sendall(head)
        drip(body[:200], 0.02, stop)(sock)

    return act


# -- the deadline ----------------------------------------------------------------------------------


def test_a_header_drip_on_every_sync_path_meets_the_deadline(
    server: HostileServer, stop: threading.Event, tmp_path: Any
) -> None:
    """A JSON call, an export in memory, a download, and the second hop of a redirect."""
    server.handler = lambda r: (
        reply(307, b"", {"Location": "/api/v1/moved"}, content_type=None)
        if r.path == "/api/v1/ws/1/themes"
        else drip(HEAD, 0.02, stop)
    )
    with client(server, timeout=0.5) as c:
        for call, path in [
            (c.workspaces, "/api/v1/workspaces"),
            (lambda: c.export(7), "/api/v1/ws/1/reports/7/pdf"),
            (lambda: c.export_to_file(7, tmp_path / "x.pdf"), "/api/v1/ws/1/reports/7/pdf"),
            (c.themes, "/api/v1/moved"),
        ]:
            with pytest.raises(errors.CxReportsError) as caught:
                call()
            typed_timeout(caught.value, server, path)
            assert _socket_deadline._BOUND.get() is None  # the bound ends with the call
    assert list(tmp_path.iterdir()) == []


def test_one_threads_deadline_never_cuts_another_threads_call(
    server: HostileServer, stop: threading.Event
) -> None:
    """Two calls at once on one Client: a 0.3 s one on a server dripping its headers, and a
    10 s one whose answer drips for about 1.5 s, every byte within its read timeout."""
    long_started = threading.Event()

    def handler(request: Request) -> Any:
        if request.path == "/api/v1/workspaces":
            long_started.set()
            return drip(json_reply(WORKSPACES), 0.01, stop)
        return drip(HEAD, 0.02, stop)

    server.handler = handler
    outcome: list[Any] = []
    with client(server, timeout=10) as c:
        worker = threading.Thread(target=lambda: outcome.append(_outcome(c.workspaces)))
        worker.start()
        long_started.wait(5)
        with pytest.raises(errors.APITimeoutError) as caught:
            c.with_options(timeout=0.3).themes()
        typed_timeout(caught.value, server, "/api/v1/ws/1/themes")
        worker.join(10)
    assert not isinstance(outcome[0], Exception), repr(outcome[0])
    assert [w.id for w in outcome[0]] == [1]


def _outcome(call: Any) -> Any:
    try:
        return call()
    except Exception as exc:  # the failure itself is the outcome the test shows
        return exc


def test_a_reused_keep_alive_connection_gets_the_deadline_of_each_request(
    server: HostileServer, stop: threading.Event
) -> None:
    """The first answer keeps the connection open; the second request, sent on it, gets a
    header drip, and the deadline of that second call."""
    connections: list[int] = []

    def first_then_drip(request: Request) -> Any:
        connections.append(1)

        def act(sock: socket.socket) -> None:
            sock.sendall(reply(200, json.dumps(WORKSPACES), {"Connection": "keep-alive"}))
            second = HostileServer._read(sock)
            if second is not None:
                server.requests.append(second)
                drip(HEAD, 0.02, stop)(sock)

        return act

    server.handler = first_then_drip
    with client(server, timeout=30) as c:
        assert c.workspaces()[0].id == 1
        with pytest.raises(errors.APITimeoutError) as caught:
            c.with_options(timeout=0.5).workspaces()
        typed_timeout(caught.value, server, "/api/v1/workspaces")
        assert connections == [1] and len(server.requests) == 2  # one connection, two requests
        assert c.workspaces()[0].id == 1  # the cut connection went back to no pool: a new one
    assert connections == [1, 1]


@pytest.mark.parametrize(
    "first",
    [
        b"",
        b"HTTP/1.1 200 Whatever\r\nContent-Type: application/json\r\n",
        b"HTTP/1.1 200 Whatever\r\n"
        b'Content-Type: application/json\r\nContent-Length: 40\r\n\r\n[{"id": 1',
    ],
    ids=["before the status line", "within the headers", "within the body"],
)
def test_the_per_read_timeout_still_fires_on_its_own(
    server: HostileServer, stop: threading.Event, first: bytes
) -> None:
    """A 30 s deadline, a 0.3 s read timeout, and a server that stalls for 3 s: only the
    read timeout can end the call as a timeout."""
    server.handler = lambda r: stall(first, stop)
    with (
        client(server, timeout=httpx.Timeout(30, read=0.3)) as c,
        pytest.raises(errors.CxReportsError) as caught,
    ):
        c.workspaces()
    typed_timeout(caught.value, server, "/api/v1/workspaces")


def test_a_proxy_from_the_environment_meets_the_deadline(
    server: HostileServer, stop: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proxy (this server) drips the headers of its answer for 127.0.0.2, never reached."""
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.url)
    server.handler = lambda r: drip(HEAD, 0.02, stop)
    with (
        cxreports.Client("http://127.0.0.2:9", "deadline-token", 1, timeout=0.5) as c,
        pytest.raises(errors.CxReportsError) as caught,
    ):
        c.with_options(max_retries=0).workspaces()
    assert isinstance(caught.value, errors.APITimeoutError), repr(caught.value)
    assert "127.0.0.2:9" in str(caught.value)
    assert server.requests[0].path == "http://127.0.0.2:9/api/v1/workspaces"


# -- the bound itself ------------------------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bound_caps_each_wait_by_the_time_left_and_only_while_bound() -> None:
    clock = _Clock()
    seen: list[float | None] = []

    class Stream(httpcore.NetworkStream):
        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            seen.append(timeout)
            return b"x"

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            seen.append(timeout)

        def start_tls(self, context: Any, name: Any = None, timeout: float | None = None) -> Any:
            seen.append(timeout)
            return Stream()

    class Backend(httpcore.NetworkBackend):
        def connect_tcp(self, host: str, port: int, timeout: float | None = None, *a: Any) -> Any:
            seen.append(timeout)
            return Stream()

    _socket_deadline.bind(Deadline(3.0, clock))
    try:  # connecting and the TLS handshake: capped, and the streams they give wrapped too
        tcp = _socket_deadline.DeadlineBackend(Backend()).connect_tcp("h", 1, 5.0)
        tls = tcp.start_tls(ssl.create_default_context(), "h", timeout=5.0)
        assert isinstance(tls, _socket_deadline.DeadlineStream)
        clock.now += 2.0
        tls.read(1, 5.0)
        assert seen == [3.0, 3.0, 1.0]
        seen.clear()
    finally:
        _socket_deadline.unbind()
    stream = _socket_deadline.DeadlineStream(Stream())
    stream.read(1, 5.0)
    _socket_deadline.bind(Deadline(2.0, clock))
    try:
        stream.read(1, 5.0)  # capped by the 2 s left
        stream.read(1, None)  # no read timeout: still the time left
        clock.now += 1.5
        stream.write(b"x", 0.1)  # its own timeout is shorter: kept
        stream.read(1, 5.0)
        clock.now += 0.5
        with pytest.raises(httpcore.ReadTimeout):
            stream.read(1, 5.0)
        with pytest.raises(httpcore.WriteTimeout):
            stream.write(b"x", 5.0)
        assert seen == [5.0, 2.0, 2.0, 0.1, 0.5]
        other = threading.Thread(target=lambda: stream.read(1, 5.0))  # nothing bound there
        other.start()
        other.join(5)
    finally:
        _socket_deadline.unbind()
    stream.read(1, 5.0)
    assert seen[-2:] == [5.0, 5.0]  # the other thread's wait, and this one's once unbound
