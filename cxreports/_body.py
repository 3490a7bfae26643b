"""Reading one response body, free of I/O: decoding, the attempt's deadline, completeness.

Both shells read raw bytes (``iter_raw``) and feed them to a :class:`BodyReader`. Decoding
``Content-Encoding`` here rather than in httpx is what lets a gzip stream that stops early
be told from a complete one: httpx ends such a body silently (the compressed bytes match
``Content-Length``; only the decompressor knows it never saw the end). We therefore ask
only for the encodings decoded here (:data:`ACCEPT_ENCODING`).
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable

import httpx

ACCEPT_ENCODING = "gzip, deflate"


class DeadlineExceeded(Exception):
    """The attempt ran past its overall deadline (mapped to ``APITimeoutError``)."""


class TruncatedBody(Exception):
    """The body ended before its ``Content-Length`` or its compressed stream's end."""


class UndecodableBody(Exception):
    """The body is not valid for its ``Content-Encoding``, or uses one we did not ask for."""


class Deadline:
    """One attempt's overall time limit: connect, send, every redirect hop and the body."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._end = None if seconds is None else clock() + seconds

    def remaining(self) -> float | None:
        return None if self._end is None else self._end - self._clock()

    def check(self) -> None:
        left = self.remaining()
        if left is not None and left <= 0:
            raise DeadlineExceeded(f"no complete response within {self.seconds:g} s")

    def cap(self, request: httpx.Request) -> None:
        """Bound each socket timeout of ``request`` by the time left (httpx's documented
        ``timeout`` request extension), so no single wait outlives the deadline."""
        left = self.remaining()
        if left is None:
            return
        self.check()
        timeouts = dict(request.extensions.get("timeout") or {})
        for key in ("connect", "read", "write", "pool"):
            value = timeouts.get(key)
            timeouts[key] = left if value is None else min(value, left)
        request.extensions["timeout"] = timeouts


def overall_seconds(timeout: httpx.Timeout) -> float | None:
    """The overall limit a ``timeout=`` means: its largest value (60 s by default)."""
    values = [v for v in (timeout.connect, timeout.read, timeout.write, timeout.pool) if v]
    return max(values) if values else None


class _Gzip:
    """gzip members, one after another (concatenated members are one valid body)."""

    def __init__(self, wbits: int = zlib.MAX_WBITS | 16) -> None:
        self._wbits = wbits
        self._z = zlib.decompressobj(wbits)

    def decode(self, data: bytes) -> bytes:
        out = []
        while data:
            if self._z.eof:
                self._z = zlib.decompressobj(self._wbits)
            try:
                out.append(self._z.decompress(data))
            except zlib.error as exc:
                raise UndecodableBody(f"corrupt compressed body: {exc}") from None
            data = self._z.unused_data if self._z.eof else b""
        return b"".join(out)

    def finish(self) -> bytes:
        if not self._z.eof:
            raise TruncatedBody("the compressed body ended before its end marker")
        return b""


class _Deflate(_Gzip):
    """``deflate``: zlib-wrapped as the RFC says, or raw deflate as some servers send it."""

    def __init__(self) -> None:
        super().__init__(zlib.MAX_WBITS)
        self._first = True

    def decode(self, data: bytes) -> bytes:
        if self._first and data:
            self._first = False
            try:
                return super().decode(data)
            except UndecodableBody:
                self._wbits = -zlib.MAX_WBITS
                self._z = zlib.decompressobj(self._wbits)
        return super().decode(data)


def _decoders(header: str | None) -> list[_Gzip]:
    """The decoders for a ``Content-Encoding`` header, in the order to apply them."""
    found: list[_Gzip] = []
    for token in (header or "").lower().split(","):
        token = token.strip()
        if token in ("", "identity"):
            continue
        if token in ("gzip", "x-gzip"):
            found.append(_Gzip())
        elif token == "deflate":
            found.append(_Deflate())
        else:
            raise UndecodableBody(f"unsupported Content-Encoding {token!r} (we sent no such one)")
    return found[::-1]


class BodyReader:
    """Decode, check and collect (or pass to ``sink``) one response body.

    ``feed`` takes each raw chunk as it arrives; ``finish`` checks the body is complete
    (``Content-Length``, the compressed stream's end) and returns it (empty with a sink).
    A ``lenient`` reader (for error bodies) keeps what it could decode and never raises
    but for the deadline.
    """

    def __init__(
        self,
        response: httpx.Response,
        deadline: Deadline,
        sink: Callable[[bytes], object] | None = None,
        *,
        lenient: bool = False,
    ) -> None:
        self._lenient = lenient
        self._deadline = deadline
        self._sink = sink
        self._chunks: list[bytes] = []
        self._received = 0
        self._expected = response.headers.get("Content-Length", "").strip()
        # A response built in memory (a mock transport) was read, and decoded, by httpx.
        self.preloaded = response.is_stream_consumed
        self._decoders: list[_Gzip] = []
        if not self.preloaded:
            try:
                self._decoders = _decoders(response.headers.get("Content-Encoding"))
            except UndecodableBody:
                if not lenient:
                    raise
        if self.preloaded:
            self._out(response.content)
            if "Content-Encoding" in response.headers:
                self._expected = ""  # the length of bytes we never saw
            else:
                self._received = len(response.content)

    def _out(self, data: bytes) -> None:
        if not data:
            return
        if self._sink is None:
            self._chunks.append(data)
        else:
            self._sink(data)

    def feed(self, raw: bytes) -> None:
        self._deadline.check()
        self._received += len(raw)
        try:
            for decoder in self._decoders:
                raw = decoder.decode(raw)
        except UndecodableBody:
            if not self._lenient:
                raise
            self._decoders, raw = [], b""  # keep what was readable
        self._out(raw)

    def finish(self) -> bytes:
        self._deadline.check()
        try:
            if (
                self._expected.isascii()
                and self._expected.isdigit()
                and self._received != int(self._expected)
            ):
                raise TruncatedBody(f"got {self._received} of {self._expected} bytes")
            for index, decoder in enumerate(self._decoders):
                tail = decoder.finish()
                for later in self._decoders[index + 1 :]:
                    tail = later.decode(tail)
                self._out(tail)
        except (TruncatedBody, UndecodableBody):
            if not self._lenient:
                raise
        return b"".join(self._chunks)
