"""The sans-I/O body reader and file-name rules, without a server."""

from __future__ import annotations

import gzip
import zlib

import httpx
import pytest

from cxreports._body import BodyReader, Deadline, DeadlineExceeded, TruncatedBody, UndecodableBody
from cxreports._filenames import filename_from_disposition, safe_filename

DATA = b"CxReports " * 500


def _read(body: bytes, headers: dict[str, str], chunk: int = 7, **kw: object) -> bytes:
    response = httpx.Response(200, headers=headers, stream=httpx.ByteStream(b""))
    reader = BodyReader(response, Deadline(None), **kw)  # type: ignore[arg-type]
    for start in range(0, len(body), chunk):
        reader.feed(body[start : start + chunk])
    return reader.finish()


@pytest.mark.parametrize(
    ("encoding", "encoded"),
    [
        ("gzip", gzip.compress(DATA)),
        ("x-gzip", gzip.compress(DATA)),
        ("gzip", gzip.compress(DATA[:100]) + gzip.compress(DATA[100:])),  # two members
        ("deflate", zlib.compress(DATA)),
        ("deflate", zlib.compress(DATA)[2:-4]),  # raw deflate, as some servers send it
        ("gzip, deflate", zlib.compress(gzip.compress(DATA))),
        ("identity", DATA),
        ("", DATA),
    ],
    # gzip stamps the time into its header: ids from the bytes would change every second,
    # and a test id that changes cannot be selected again (pytest --lf, make mutate).
    ids=[
        "gzip",
        "x-gzip",
        "gzip-two-members",
        "deflate",
        "raw-deflate",
        "gzip-then-deflate",
        "identity",
        "none",
    ],
)
def test_whole_bodies_decode(encoding: str, encoded: bytes) -> None:
    assert _read(encoded, {"Content-Encoding": encoding}) == DATA


@pytest.mark.parametrize("cut", [1, 4, 8, 100])
def test_a_compressed_stream_that_stops_early_is_truncated(cut: int) -> None:
    with pytest.raises(TruncatedBody):
        _read(gzip.compress(DATA)[:-cut], {"Content-Encoding": "gzip"})


def test_corrupt_and_unknown_encodings_are_undecodable_but_lenient_readers_keep_going() -> None:
    corrupt = gzip.compress(DATA)
    corrupt = corrupt[:10] + b"\xff" * 20 + corrupt[30:]
    with pytest.raises(UndecodableBody):
        _read(corrupt, {"Content-Encoding": "gzip"})
    with pytest.raises(UndecodableBody):
        _read(DATA, {"Content-Encoding": "br"})
    assert _read(DATA, {"Content-Encoding": "br"}, lenient=True) == DATA


def test_content_length_is_checked_on_raw_bytes() -> None:
    encoded = gzip.compress(DATA)
    headers = {"Content-Encoding": "gzip", "Content-Length": str(len(encoded))}
    assert _read(encoded, headers) == DATA
    with pytest.raises(TruncatedBody):
        _read(encoded, {**headers, "Content-Length": str(len(encoded) + 1)})


def test_the_deadline_is_checked_per_chunk() -> None:
    now = [0.0]
    deadline = Deadline(1.0, clock=lambda: now[0])
    reader = BodyReader(httpx.Response(200, stream=httpx.ByteStream(b"")), deadline)
    reader.feed(b"a")
    now[0] = 1.5
    with pytest.raises(DeadlineExceeded):
        reader.feed(b"b")
    # Every socket wait of a later hop is capped by the time left.
    now[0] = 0.0
    deadline = Deadline(1.0, clock=lambda: now[0])
    now[0] = 0.75
    request = httpx.Request("GET", "http://x", extensions={"timeout": {"read": 60.0}})
    deadline.cap(request)
    assert request.extensions["timeout"] == {
        "read": 0.25, "connect": 0.25, "write": 0.25, "pool": 0.25
    }  # fmt: skip
    assert Deadline(None).remaining() is None


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("attachment; filename=\"a.pdf\"; filename*=UTF-8''%C3%A9.pdf", "é.pdf"),
        ("attachment; filename*=UTF-8''%C3%A9.pdf; filename=\"a.pdf\"", "é.pdf"),
        ("attachment; filename*=ISO-8859-1''%E9.pdf", "é.pdf"),
        ('attachment; filename="a.pdf"', "a.pdf"),
        ("attachment", None),
        ("", None),
    ],
)
def test_filename_star_wins(header: str, name: str | None) -> None:
    assert filename_from_disposition(header) == name


def test_long_names_keep_their_extension_and_short_ones_their_stem() -> None:
    assert safe_filename("a" * 400 + ".xlsx").endswith("a.xlsx")
    assert len(safe_filename("a" * 400 + ".xlsx").encode()) == 240
    assert safe_filename("x." + "e" * 300).startswith("x.eee")  # not an extension: cut
    assert safe_filename("report.tar.gz") == "report.tar.gz"
    assert safe_filename(None) == "report" and safe_filename("...") == "report"
