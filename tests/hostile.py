"""A raw-socket HTTP/1.1 server on 127.0.0.1 that answers however a test scripts it.

Unlike the local CxReports server it obeys no spec: a test sets ``server.handler`` to a
function of the parsed :class:`Request` that returns the raw bytes to send (built with
:func:`reply`), or an :class:`Action` that writes to the socket itself (dripping bytes,
cutting the connection). Every request is recorded in ``server.requests``.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PDF = b"%PDF-1.4\n" + b"x" * 2000 + b"\n%%EOF\n"


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Action = Callable[[socket.socket], None]


def reply(
    status: int = 200,
    body: bytes | str = b"",
    headers: dict[str, str] | None = None,
    *,
    content_type: str | None = "application/json",
    length: int | None = None,
) -> bytes:
    """A whole response; ``length`` overrides the Content-Length sent (to lie about it)."""
    data = body.encode() if isinstance(body, str) else body
    head = [f"HTTP/1.1 {status} Whatever"]
    all_headers = {"Connection": "close", **(headers or {})}
    if content_type is not None:
        all_headers.setdefault("Content-Type", content_type)
    all_headers.setdefault("Content-Length", str(len(data) if length is None else length))
    head += [f"{k}: {v}" for k, v in all_headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data


def json_reply(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> bytes:
    return reply(status, json.dumps(value), headers)


def pdf_reply(
    disposition: str | None = 'attachment; filename="report.pdf"',
    body: bytes = PDF,
    content_type: str = "application/pdf",
) -> bytes:
    headers = {} if disposition is None else {"Content-Disposition": disposition}
    return reply(200, body, headers, content_type=content_type)


def gzip_reply(body: bytes, *, cut: int = 0, corrupt: bool = False, **kw: Any) -> bytes:
    """A gzip-encoded body: cut short by ``cut`` bytes under a matching Content-Length, or
    with its deflate stream corrupted."""
    data = gzip.compress(body, mtime=0)  # the same bytes every run
    if cut:
        data = data[:-cut]
    if corrupt:
        data = data[:10] + bytes(b ^ 0x55 for b in data[10:30]) + data[30:]
    return reply(200, data, {"Content-Encoding": "gzip", **kw.pop("headers", {})}, **kw)


def drip(data: bytes, every: float, stop: threading.Event) -> Action:
    """Send ``data`` one byte at a time, ``every`` seconds apart, until ``stop`` is set."""

    def act(sock: socket.socket) -> None:
        for byte in data:
            if stop.wait(every):
                return
            sock.sendall(bytes([byte]))

    return act


def then_close(data: bytes) -> Action:
    """Send ``data`` and reset the connection."""

    def act(sock: socket.socket) -> None:
        sock.sendall(data)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

    return act


@dataclass
class HostileServer:
    handler: Callable[[Request], bytes | Action] = lambda request: reply(404, "{}")
    requests: list[Request] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn: socket.socket) -> None:
        with contextlib.closing(conn):
            conn.settimeout(5)
            try:
                request = self._read(conn)
            except (OSError, ValueError):
                return
            if request is None:
                return
            self.requests.append(request)
            answer = self.handler(request)
            with contextlib.suppress(OSError):
                if callable(answer):
                    answer(conn)
                else:
                    conn.sendall(answer)
                    conn.shutdown(socket.SHUT_WR)
                    # Let the client read everything before the close.
                    with contextlib.suppress(OSError):
                        conn.recv(1)

    @staticmethod
    def _read(conn: socket.socket) -> Request | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        path, _, query = target.partition("?")
        return Request(method, path, query, headers, body)

    def close(self) -> None:
        self.stop.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() at once
        self.sock.close()
        self._thread.join(5)

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def wait_until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait for something another thread does (not a timing assertion: it only bounds a hang)."""
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "condition not reached"
        time.sleep(0.01)
