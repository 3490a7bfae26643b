"""Both clients against a hostile raw-socket server (tests/hostile.py).

Categories, each for ``Client`` and ``AsyncClient``: names chosen by the server, bodies
the spec does not allow, transport tricks (redirects, dripping, resets, closed clients),
paging that never ends, cancellation at every step of a download, pickled errors, and
the CLI's exit statuses. Every failure must be a ``CxReportsError`` subclass naming the
method, host and path; no file may land outside its folder or be left half-written.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import pickle
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from clients import KINDS, make_client, record_sleeps
from hostile import (
    PDF,
    HostileServer,
    Request,
    drip,
    gzip_reply,
    json_reply,
    pdf_reply,
    reply,
    then_close,
)

import cxreports
from cxreports import errors

WS = "/api/v1/ws/1"
EXPORT_PDF = f"{WS}/reports/7/pdf"


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as hostile:
        yield hostile


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(server: HostileServer, kind: str) -> Iterator[Any]:
    c = make_client(kind, server.url, "hostile-token", workspace=1, max_retries=0)
    yield c
    c.close()


def routes(table: dict[tuple[str, str], Callable[[Request], bytes] | bytes]) -> Any:
    def handler(request: Request) -> Any:
        answer = table.get((request.method, request.path))
        if answer is None:
            return reply(404, '{"error": "no such route"}')
        return answer(request) if callable(answer) else answer

    return handler


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".part")]


def assert_typed(exc: BaseException, server: HostileServer, method: str, path: str) -> None:
    """A CxReportsError naming method, host and path, with no raw exception chained to
    stand in for it and no token."""
    assert isinstance(exc, errors.CxReportsError), repr(exc)
    text = str(exc)
    assert method in text and f"127.0.0.1:{server.port}" in text and path in text, text
    assert "hostile-token" not in text


# -- names chosen by the server ------------------------------------------------------------------

NAMES = [
    # (Content-Disposition, the name the file must get)
    (
        'attachment; filename="Sales Summary _ Region Nord.pdf"; '
        "filename*=UTF-8''Sales%20Summary%20%E2%80%93%20Region%20Nord.pdf",
        "Sales Summary \u2013 Region Nord.pdf",
    ),
    ("attachment; filename*=UTF-8''%C3%9Cbersicht.pdf; filename=\"x.pdf\"", "Übersicht.pdf"),
    ('attachment; filename=".."', "report"),
    ('attachment; filename="."', "report"),
    ("attachment; filename*=UTF-8''..", "report"),
    ('attachment; filename="../../escape.pdf"', "escape.pdf"),
    ("attachment; filename*=UTF-8''..%2F..%2Fescape.pdf", "escape.pdf"),
    ("attachment; filename*=UTF-8''folder%2F", "report"),
    ('attachment; filename="/etc/passwd"', "passwd"),
    ('attachment; filename="..\\\\..\\\\win.pdf"', "win.pdf"),
    ("attachment; filename*=UTF-8''a%00b.pdf", "a_b.pdf"),
    ("attachment; filename*=UTF-8''line%0Abreak.pdf", "line_break.pdf"),
    ("attachment; filename*=UTF-8''%1B%5B31mred%1B%5B0m.pdf", "_[31mred_[0m.pdf"),
    ("attachment; filename*=UTF-8''evil%E2%80%AEfdp.exe", "evil_fdp.exe"),
    ('attachment; filename=".bashrc"', "bashrc"),
    ('attachment; filename="   "', "report"),
    ('attachment; filename=""', "report"),
    ("attachment; filename*=x-unknown-charset''abc.pdf; filename=\"plain.pdf\"", "plain.pdf"),
    ('attachment; filename="unterminated', None),  # whatever it parses to, it is safe
    ("inline", "report"),
    (None, "report"),
    ("attachment; filename=" + "n" * 300 + ".pdf", "n" * 236 + ".pdf"),
    ("attachment; filename*=UTF-8''" + "%C3%A9" * 200 + ".pdf", "é" * 118 + ".pdf"),
    ('attachment; filename="sub"', "sub (1)"),  # the name of an existing sub-folder
]


@pytest.mark.parametrize(("disposition", "expected"), NAMES)
def test_server_names_become_safe_names_inside_the_folder(
    server: HostileServer,
    client: Any,
    tmp_path: Path,
    disposition: str | None,
    expected: str | None,
) -> None:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    server.handler = routes({("GET", EXPORT_PDF): pdf_reply(disposition)})

    saved = client.export_to_file(7, out)
    doc = client.export(7)
    saved_doc = doc.save(out)

    for path in (saved, saved_doc):
        assert path.parent == out  # never outside, never inside a sub-folder
        assert path.read_bytes() == PDF
        assert all(ch.isprintable() for ch in path.name)
        assert path.name not in (".", "..") and len(path.name.encode()) <= 240
        if expected is not None:
            assert path.name == expected
    assert doc.filename is None or all(ch.isprintable() for ch in doc.filename)
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# -- bodies the spec does not allow -------------------------------------------------------------

START = f"{WS}/reports/7/export"
BAD_IDS = [None, "abc", 1.5, True, "12", [], {}, -0.5]


@pytest.mark.parametrize("value", BAD_IDS, ids=repr)
def test_off_spec_export_id_is_a_validation_error(
    server: HostileServer, client: Any, value: Any
) -> None:
    server.handler = routes({("POST", START): json_reply({"temporaryFileId": value}, 202)})
    with pytest.raises(errors.APIResponseValidationError) as caught:
        client.start_export(7)
    assert_typed(caught.value, server, "POST", START)
    assert "temporaryFileId" in str(caught.value)
    assert len(server.requests) == 1  # nothing polled or downloaded on a wrong id


BAD_BODIES = [
    ("workspaces", "/api/v1/workspaces", [{"id": "not-a-number", "name": "x"}]),
    ("workspaces", "/api/v1/workspaces", [{"id": 1, "name": None}]),
    ("workspaces", "/api/v1/workspaces", [{"id": 1}]),
    ("workspaces", "/api/v1/workspaces", [1, 2]),
    ("workspaces", "/api/v1/workspaces", {"id": 1, "name": "x"}),
    ("workspaces", "/api/v1/workspaces", [{"id": 1, "name": "x", "code": 5}]),
    ("workspaces", "/api/v1/workspaces", None),
    ("themes", f"{WS}/themes", [{"id": 1.0, "name": "x"}]),
    ("templates", f"{WS}/templates", [{"id": True, "name": "x"}]),
    ("jobs", f"{WS}/jobs", [{"id": 1, "name": "j", "lastRunTime": "yesterday"}]),
    ("jobs", f"{WS}/jobs", [{"id": 1, "name": "j", "isActive": "yes"}]),
    ("report_types", f"{WS}/report-types", [{"id": 1, "name": "t", "defaultReportId": "7"}]),
    ("reports", f"{WS}/reports", [{"id": 1, "name": ["a"]}]),
    ("create_nonce", "/api/v1/nonce-tokens", {"nonce": None}),
    ("create_nonce", "/api/v1/nonce-tokens", {"nonce": 12345}),
    ("create_nonce", "/api/v1/nonce-tokens", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), BAD_BODIES, ids=lambda v: str(v)[:40])
def test_off_spec_json_is_a_validation_error(
    server: HostileServer, client: Any, method: str, path: str, body: Any
) -> None:
    verb = "POST" if method == "create_nonce" else "GET"
    server.handler = routes({(verb, path): json_reply(body)})
    with pytest.raises(errors.APIResponseValidationError) as caught:
        getattr(client, method)()
    assert_typed(caught.value, server, verb, path)


# Valid answers: every field the spec requires, so only what a test breaks is off-spec.
WORKSPACES = b'[{"id": 1, "name": "x", "code": "x"}]'


def report(i: int) -> dict[str, Any]:
    return {
        "id": i,
        "name": f"r{i}",
        "reportTypeId": 1,
        "reportTypeName": "t",
        "reportTemplateName": "",
        "isDefault": False,
    }


CREATING_POSTS = [
    # (what to call, the path it posts to, the answer's id field, the rest of a valid answer)
    (
        lambda c: c.push_temporary_data({"a": 1}),
        f"{WS}/temporary-data",
        "tempDataId",
        {"expiryDate": "2099-01-01T00:00:00Z"},
    ),
    (lambda c: c.start_job_run("j"), f"{WS}/jobs/j/runs", "jobRunId", {}),
    (
        lambda c: c.get_job_run("j", 3).review_document(),
        f"{WS}/jobs/j/runs/3/generate-review-document",
        "temporaryFileId",
        {},
    ),
]


@pytest.mark.parametrize("value", [None, "x", 2.5, False])
@pytest.mark.parametrize(
    ("call", "path", "field", "rest"), CREATING_POSTS, ids=["push-data", "job-run", "review"]
)
def test_off_spec_ids_of_other_creating_posts(
    server: HostileServer,
    client: Any,
    call: Any,
    path: str,
    field: str,
    rest: dict[str, Any],
    value: Any,
) -> None:
    answer = json.dumps({**rest, field: value})
    server.handler = lambda r: reply(202 if "review" in r.path else 200, answer)
    with pytest.raises(errors.APIResponseValidationError) as caught:
        call(client)
    assert_typed(caught.value, server, "POST", path)
    assert field in str(caught.value)


def test_export_save_names_are_safe_too(server: HostileServer, client: Any, tmp_path: Path) -> None:
    server.handler = routes(
        {("GET", f"{WS}/exports/5/content"): pdf_reply("attachment; filename*=UTF-8''..%2F..%2F..")}
    )
    out = tmp_path / "a" / "out"
    out.mkdir(parents=True)
    saved = client.get_export(5).save(out)
    assert saved == out / "report" and saved.read_bytes() == PDF
    assert leftovers(tmp_path) == [] and sorted(tmp_path.rglob("*")) == [out.parent, out, saved]


def test_preview_url_never_ends_in_nonce_none(server: HostileServer, client: Any) -> None:
    server.handler = routes({("POST", "/api/v1/nonce-tokens"): json_reply({"nonce": None})})
    with pytest.raises(errors.APIResponseValidationError):
        client.preview_url(7)


@pytest.mark.parametrize(
    "status",
    [
        {"id": 5, "status": "Weird", "isReady": False},
        {"id": 5, "status": "Completed", "isReady": "yes"},
        {"id": "5", "status": "Completed", "isReady": True},
        {"id": 5, "status": "Completed", "isReady": True, "contentSize": "big"},
        {"id": 5, "status": "Completed", "isReady": True, "expiryTime": 17},
    ],
)
def test_off_spec_export_status(server: HostileServer, client: Any, status: Any) -> None:
    path = f"{WS}/exports/5/status"
    server.handler = routes({("GET", path): json_reply(status)})
    with pytest.raises(errors.APIResponseValidationError) as caught:
        client.get_export(5).status()
    assert_typed(caught.value, server, "GET", path)


COUNTS = {"queued": 0, "review": 0, "completed": 1, "errors": 0}


@pytest.mark.parametrize(
    "body",
    [
        {"finished": True, "entries": 1, "status": {**COUNTS, "completed": "1"}},
        {"finished": True, "entries": 1, "status": None},
        {"finished": "no", "entries": 1, "status": COUNTS},
        {"finished": True, "entries": 1.5, "status": COUNTS},
        {"finished": True, "entries": 1, "status": {**COUNTS, "errors": None}},
    ],
)
def test_off_spec_job_run_status(server: HostileServer, client: Any, body: Any) -> None:
    path = f"{WS}/jobs/j/runs/3/status"
    server.handler = routes({("GET", path): json_reply(body)})
    with pytest.raises(errors.APIResponseValidationError):
        client.get_job_run("j", 3).status()


@pytest.mark.parametrize(
    ("content_type", "format"),
    [
        ("text/html; charset=utf-8", "pdf"),  # an SSO login page
        ("application/json", "pdf"),
        ("text/plain", "docx"),
        ("application/pdf", "xlsx"),
        ("image/png", "pptx"),
    ],
)
def test_wrong_content_type_is_refused_and_nothing_is_saved(
    server: HostileServer, client: Any, tmp_path: Path, content_type: str, format: str
) -> None:
    path = f"{WS}/reports/7/pdf"
    page = b"<html><form>Sign in</form></html>"
    server.handler = routes({("GET", path): reply(200, page, content_type=content_type)})
    with pytest.raises(errors.APIResponseValidationError) as caught:
        client.export_to_file(7, tmp_path / "x.pdf", format=format)
    assert_typed(caught.value, server, "GET", path)
    with pytest.raises(errors.APIResponseValidationError):
        client.export(7, format=format)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content_type", "format", "attachments"),
    [
        ("text/html", "html", False),
        ("application/octet-stream", "pdf", False),
        ("application/zip", "pdf", True),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", False),
    ],
)
def test_right_content_types_are_accepted(
    server: HostileServer, client: Any, content_type: str, format: str, attachments: bool
) -> None:
    server.handler = routes({("GET", EXPORT_PDF): reply(200, b"file", content_type=content_type)})
    doc = client.export(7, format=format, include_attachments=attachments)
    assert doc.content == b"file"


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        # Named ids: ids made from the bytes would carry gzip's time stamp and change every
        # second, and a test whose id changes cannot be selected again (make mutate).
        pytest.param(
            gzip_reply(PDF, corrupt=True, content_type="application/pdf"),
            "APIResponseValidationError",
            id="gzip-corrupt",
        ),
        pytest.param(
            gzip_reply(PDF, cut=40, content_type="application/pdf"),
            "IncompleteDownloadError",
            id="gzip-cut-40",
        ),
        pytest.param(
            gzip_reply(PDF, cut=1, content_type="application/pdf"),
            "IncompleteDownloadError",
            id="gzip-cut-1",
        ),
        pytest.param(
            reply(200, PDF, {"Content-Encoding": "br"}, content_type="application/pdf"),
            "APIResponseValidationError",
            id="unasked-encoding",
        ),
        pytest.param(
            reply(200, PDF[:100], content_type="application/pdf", length=len(PDF)),
            "IncompleteDownloadError",
            id="short-of-content-length",
        ),
        pytest.param(
            lambda r: then_close(reply(200, PDF, content_type="application/pdf")[:300]),
            "IncompleteDownloadError",
            id="closed-mid-body",
        ),
        pytest.param(reply(204, b"", content_type=None), "APIResponseValidationError", id="204"),
        pytest.param(
            reply(201, PDF, content_type="application/pdf"), "APIResponseValidationError", id="201"
        ),
        pytest.param(reply(300, b"{}"), "APIStatusError", id="300"),
        pytest.param(reply(304, b"", content_type=None), "APIStatusError", id="304"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nContent-Length: nonsense\r\n\r\nabc",
            "APIConnectionError",
            id="bad-content-length",
        ),
        pytest.param(b"NOT HTTP AT ALL\r\n\r\n", "APIConnectionError", id="not-http"),
        pytest.param(b"", "APIConnectionError", id="nothing"),
    ],
)
def test_broken_file_bodies_are_typed_and_leave_no_file(
    server: HostileServer, client: Any, tmp_path: Path, answer: Any, error: str
) -> None:
    server.handler = routes({("GET", EXPORT_PDF): answer})
    with pytest.raises(getattr(errors, error)) as caught:
        client.export_to_file(7, tmp_path / "x.pdf")
    assert_typed(caught.value, server, "GET", EXPORT_PDF)
    with pytest.raises(getattr(errors, error)):
        client.export(7)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "answer",
    [
        gzip_reply(WORKSPACES, corrupt=True),
        gzip_reply(WORKSPACES, cut=12),
        gzip_reply(WORKSPACES, cut=1),
        reply(200, b"<html>login</html>", content_type="text/html"),
        reply(200, WORKSPACES[:-1]),
        reply(200, b"\xff\xfe\x00garbage"),
        reply(200, b""),
    ],
)
def test_broken_json_bodies_are_typed(server: HostileServer, client: Any, answer: bytes) -> None:
    server.handler = routes({("GET", "/api/v1/workspaces"): answer})
    with pytest.raises(errors.CxReportsError) as caught:
        client.workspaces()
    assert_typed(caught.value, server, "GET", "/api/v1/workspaces")


def test_gzip_bodies_that_are_whole_are_read(server: HostileServer, client: Any) -> None:
    server.handler = routes(
        {
            ("GET", "/api/v1/workspaces"): gzip_reply(WORKSPACES),
            ("GET", EXPORT_PDF): gzip_reply(PDF, content_type="application/pdf"),
        }
    )
    assert client.workspaces()[0].name == "x"
    assert client.export(7).content == PDF


def test_error_bodies_keep_the_servers_words_even_when_badly_encoded(
    server: HostileServer, client: Any
) -> None:
    server.handler = routes(
        {
            ("GET", "/api/v1/workspaces"): reply(
                503, b'{"error": "down for maintenance"}', {"Content-Encoding": "br"}
            )
        }
    )
    with pytest.raises(errors.InternalServerError) as caught:
        client.workspaces()
    assert_typed(caught.value, server, "GET", "/api/v1/workspaces")
    assert caught.value.message == "down for maintenance"


# -- transport ------------------------------------------------------------------------------------


def test_redirect_loop_is_typed(server: HostileServer, client: Any, tmp_path: Path) -> None:
    server.handler = lambda r: reply(302, b"", {"Location": r.path}, content_type=None)
    with pytest.raises(errors.APIRedirectError) as caught:
        client.workspaces()
    assert_typed(caught.value, server, "GET", "/api/v1/workspaces")
    with pytest.raises(errors.APIRedirectError):
        client.export_to_file(7, tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("status", [301, 302, 303])
def test_post_with_body_is_never_turned_into_a_get(
    server: HostileServer, client: Any, status: int
) -> None:
    server.handler = lambda r: (
        reply(status, b"", {"Location": "/elsewhere/pdf"}, content_type=None)
        if r.method == "POST"
        else pdf_reply()
    )
    with pytest.raises(errors.APIRedirectError) as caught:
        client.export(7, data={"rows": [1, 2, 3]})
    assert caught.value.location == "/elsewhere/pdf"
    assert "/elsewhere/pdf" in str(caught.value)
    assert_typed(caught.value, server, "POST", EXPORT_PDF)
    assert [r.method for r in server.requests] == ["POST"]


@pytest.mark.parametrize("status", [307, 308])
def test_307_and_308_are_followed_with_the_body(
    server: HostileServer, client: Any, status: int
) -> None:
    server.handler = lambda r: (
        reply(status, b"", {"Location": "/moved/pdf"}, content_type=None)
        if r.path == EXPORT_PDF
        else pdf_reply()
    )
    doc = client.export(7, data={"rows": [1, 2, 3]})
    assert doc.content == PDF
    first, second = server.requests
    assert (second.method, second.path) == ("POST", "/moved/pdf")
    assert second.json() == first.json() and second.json()["data"] == {"rows": [1, 2, 3]}
    assert second.headers["authorization"] == "Bearer hostile-token"  # same origin


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_get_redirects_are_followed(server: HostileServer, client: Any, status: int) -> None:
    server.handler = lambda r: (
        reply(status, b"", {"Location": "/api/v1/moved"}, content_type=None)
        if r.path == "/api/v1/workspaces"
        else reply(200, WORKSPACES)
    )
    assert client.workspaces()[0].id == 1


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_dripping_server_meets_the_overall_deadline(
    server: HostileServer, kind: str, tmp_path: Path, where: str
) -> None:
    stop = threading.Event()
    whole = pdf_reply()
    head, _, _ = whole.partition(b"\r\n\r\n")
    if where == "body":
        server.handler = lambda r: _send_then(head + b"\r\n\r\n", drip(PDF[:200], 0.02, stop))
    else:  # the status line and headers, never ended by their blank line
        server.handler = lambda r: drip(head, 0.02, stop)
    c = make_client(kind, server.url, "hostile-token", workspace=1, max_retries=0, timeout=0.5)
    try:
        # 200 body bytes, or 150 header bytes, at 20 ms each take 3 to 4 s, each byte well
        # within the 0.5 s read timeout; then the server hangs up. Only an overall deadline
        # ends the call first, as a timeout: without one it ends as a cut-short response.
        with pytest.raises(errors.APITimeoutError) as caught:
            c.export_to_file(7, tmp_path / "x.pdf")
        assert_typed(caught.value, server, "GET", EXPORT_PDF)
    finally:
        stop.set()
        c.close()
    assert list(tmp_path.iterdir()) == []


def _send_then(first: bytes, rest: Any) -> Any:
    def act(sock: Any) -> None:
        sock.sendall(first)
        rest(sock)

    return act


def test_closed_client_is_typed(server: HostileServer, kind: str, tmp_path: Path) -> None:
    server.handler = routes({("GET", "/api/v1/workspaces"): json_reply([])})
    c = make_client(kind, server.url, "hostile-token", workspace=1)
    if kind == "sync":
        c.close()
    else:  # close the AsyncClient, keep the driver's event loop to call it on
        c._runner.run(c.target.close())
    for call in (
        lambda: c.workspaces(),
        lambda: c.export_to_file(7, tmp_path),
        lambda: c.with_options(timeout=3).themes(),
        lambda: c.get_export(1).wait(),
    ):
        with pytest.raises(errors.ClientClosedError) as caught:
            call()
        assert "closed" in str(caught.value) and f"127.0.0.1:{server.port}" in str(caught.value)
    assert list(tmp_path.iterdir()) == [] and server.requests == []
    if kind != "sync":
        c._runner.close()


# -- errors cross process boundaries ---------------------------------------------------------------


def _raised(call: Callable[[], Any]) -> BaseException:
    try:
        call()
    except errors.CxReportsError as exc:
        return exc
    raise AssertionError("nothing raised")


def test_real_errors_pickle_with_their_fields(
    server: HostileServer, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_sleeps(monkeypatch)
    status = {"id": 5, "status": "Failed", "isReady": False, "errorMessage": "boom"}
    server.handler = routes(
        {
            ("GET", "/api/v1/workspaces"): reply(404, '{"error": "gone"}'),
            ("GET", f"{WS}/themes"): json_reply([{"id": "x"}]),
            ("GET", f"{WS}/exports/5/status"): json_reply(status),
            ("GET", f"{WS}/templates"): reply(302, b"", {"Location": f"{WS}/templates"}),
            ("GET", f"{WS}/exports/6/status"): json_reply(
                {**status, "id": 6, "status": "InProgress"}
            ),
        }
    )
    raised = [
        _raised(client.workspaces),
        _raised(client.themes),
        _raised(lambda: client.get_export(5).wait()),
        _raised(client.templates),
        _raised(lambda: client.get_export(6).wait(timeout=0.001)),
        errors.APITimeoutError("request timed out: GET x"),
        errors.ClientClosedError("closed"),
    ]
    for exc in raised:
        copy = pickle.loads(pickle.dumps(exc))
        assert type(copy) is type(exc) and str(copy) == str(exc)
        for name in ("status_code", "message", "body", "status", "last_status", "location"):
            assert getattr(copy, name, None) == getattr(exc, name, None), name
    not_found = pickle.loads(pickle.dumps(raised[0]))
    assert (not_found.status_code, not_found.message, not_found.body) == (
        404,
        "gone",
        {"error": "gone"},
    )
    assert not_found.response is None and not_found.request is None
    assert pickle.loads(pickle.dumps(raised[2])).status.error_message == "boom"


# -- paging and polling ------------------------------------------------------------------------------


def _reports_server(server: HostileServer, pages: Callable[[int], list[int]]) -> None:
    def handler(request: Request) -> bytes:
        query = dict(p.split("=", 1) for p in request.query.split("&") if "=" in p)
        ids = pages(int(query.get("offset", "0")))
        return json_reply([report(i) for i in ids])

    server.handler = handler


@pytest.mark.parametrize(
    "pages",
    [
        # clamps any offset to its last page (250 reports)
        lambda offset: list(
            range(
                min(offset, 200), min(offset, 200) + 50 if offset >= 200 else min(offset, 200) + 100
            )
        ),
        # repeats its middle page for every offset past it
        lambda offset: list(range(min(offset, 100), min(offset, 100) + 100)),
        # ignores the offset: the first page forever
        lambda offset: list(range(100)),
        # overlapping pages: each offset moves half a page
        lambda offset: list(range(offset // 2, offset // 2 + 100)) if offset < 400 else [],
        # a page made of reports already listed, in another order
        lambda offset: list(range(100)) if offset == 0 else list(range(99, -1, -1)),
    ],
)
def test_paging_stops_on_a_repeated_or_stale_page(
    server: HostileServer, client: Any, pages: Callable[[int], list[int]]
) -> None:
    _reports_server(server, pages)
    reports = client.reports()
    ids = [r.id for r in reports]
    assert len(ids) == len(set(ids))  # no report twice
    assert len(server.requests) <= 10  # and the listing ended


def test_endless_distinct_pages_end_in_a_typed_error(
    server: HostileServer, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cxreports._base_client

    monkeypatch.setattr(cxreports._base_client, "MAX_PAGES", 12)
    _reports_server(server, lambda offset: list(range(offset, offset + 100)))
    with pytest.raises(errors.PagingError) as info:
        client.reports()
    assert len(server.requests) == 12
    assert str(info.value).endswith(
        "did not end after 12 pages (1200 reports): the server may be paging in circles"
    )


def test_wait_without_limit(
    server: HostileServer, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = record_sleeps(monkeypatch)
    calls = iter([False] * 30 + [True])

    def status(request: Request) -> bytes:
        ready = next(calls)
        return json_reply(
            {"id": 5, "status": "Completed" if ready else "InProgress", "isReady": ready}
        )

    server.handler = routes({("GET", f"{WS}/exports/5/status"): status})
    client.get_export(5).wait(timeout=None)
    assert len(sleeps) == 30
    for bad in (0, -1, "10", True):
        with pytest.raises(ValueError, match="timeout"):
            client.get_export(5).wait(timeout=bad)


# -- cancellation at every step -----------------------------------------------------------------------


@types.coroutine
def _suspensions(coro: Any, cancel_at: int | None) -> Any:
    """Await ``coro``, counting the times it suspends (its await points that reach the
    event loop: socket waits, worker threads, sleeps). At suspension ``cancel_at`` the task
    is cancelled, so the CancelledError lands exactly at that await point. Returns the
    count and the result."""
    it = coro.__await__()
    steps, value, error = 0, None, None
    while True:
        try:
            yielded = it.throw(error) if error is not None else it.send(value)
        except StopIteration as stop:
            return steps, stop.value
        steps += 1
        if steps == cancel_at:
            task = asyncio.current_task()
            assert task is not None
            task.cancel()
        try:
            value, error = (yield yielded), None
        except BaseException as exc:
            value, error = None, exc


def _download(server_url: str, folder: Path, cancel_at: int | None) -> int | None:
    """export_to_file into ``folder``, cancelled at its ``cancel_at``-th suspension; the
    number of suspensions when it ran to the end, None when it was cancelled."""

    async def main() -> int | None:
        async with cxreports.AsyncClient(server_url, "hostile-token", 1, max_retries=0) as c:
            try:
                steps, _ = await _suspensions(c.export_to_file(7, folder), cancel_at)
            except asyncio.CancelledError:
                return None
            return int(steps)

    return asyncio.run(main())


def test_cancelling_a_download_at_every_await_point_leaves_no_part_file(
    server: HostileServer, tmp_path: Path
) -> None:
    server.handler = routes({("GET", EXPORT_PDF): pdf_reply()})
    # Uncancelled runs, to count the await points of the flow (a few more or less from run
    # to run, as socket reads split differently): every one of them is then cancelled.
    counts = []
    for run in range(3):
        (tmp_path / f"run{run}").mkdir()
        steps = _download(server.url, tmp_path / f"run{run}", None)
        assert steps is not None and steps > 3
        counts.append(steps)
    cancelled = 0
    for step in range(1, max(counts) + 3):
        folder = tmp_path / f"step{step}"
        folder.mkdir()
        if _download(server.url, folder, step) is None:
            cancelled += 1
        assert leftovers(folder) == [], step
        files = list(folder.iterdir())
        # Cancelled: nothing, or the complete file when the commit had already begun.
        assert files == [] or [f.read_bytes() for f in files] == [PDF], step
    assert cancelled >= min(counts)  # every await point of a whole run was hit
    assert leftovers(tmp_path) == []


def test_wait_for_timeouts_leave_no_part_file(server: HostileServer, tmp_path: Path) -> None:
    stop = threading.Event()
    whole = pdf_reply()
    server.handler = lambda r: drip(whole, 0.001, stop)

    async def main() -> None:
        async with cxreports.AsyncClient(server.url, "hostile-token", 1, max_retries=0) as c:
            for n in range(40):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(c.export_to_file(7, tmp_path), n * 0.005)

    try:
        asyncio.run(main())
    finally:
        stop.set()
    assert leftovers(tmp_path) == []


# -- the command line -----------------------------------------------------------------------------


@pytest.fixture
def cli_env(server: HostileServer, monkeypatch: pytest.MonkeyPatch) -> HostileServer:
    monkeypatch.setenv("CXREPORTS_URL", server.url)
    monkeypatch.setenv("CXREPORTS_TOKEN", "hostile-token")
    monkeypatch.setenv("CXREPORTS_WORKSPACE", "1")
    return server


def _run_cli(*args: str) -> int:
    from cxreports.cli._app import run_app

    return run_app(list(args))


@pytest.mark.parametrize(
    ("answer", "method", "path", "args"),
    [
        (json_reply([{"id": "x", "name": None}]), "GET", "/api/v1/workspaces", ["workspaces"]),
        (
            reply(302, b"", {"Location": "/api/v1/workspaces"}),
            "GET",
            "/api/v1/workspaces",
            ["workspaces"],
        ),
        (
            reply(500, '{"error": "line one\\nline two \\u001b[31mred"}'),
            "GET",
            "/api/v1/workspaces",
            ["workspaces"],
        ),
        (
            json_reply({"temporaryFileId": None}, 202),
            "POST",
            START,
            ["export", "7", "-o", "{out}", "--async"],
        ),
        (
            reply(200, b"<html/>", content_type="text/html"),
            "GET",
            EXPORT_PDF,
            ["export", "7", "-o", "{out}"],
        ),
        (
            gzip_reply(PDF, cut=20, content_type="application/pdf"),
            "GET",
            EXPORT_PDF,
            ["export", "7", "-o", "{out}"],
        ),
    ],
    ids=["off-spec", "redirect-loop", "multi-line-message", "null-id", "login-page", "cut-gzip"],
)
def test_cli_server_faults_exit_1_with_one_line(
    cli_env: HostileServer,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    answer: bytes,
    method: str,
    path: str,
    args: list[str],
) -> None:
    cli_env.handler = lambda r: answer
    code = _run_cli(*(a.replace("{out}", str(tmp_path / "x.pdf")) for a in args))
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert code == 1, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert method in err and f"127.0.0.1:{cli_env.port}" in err and path in err, err
    assert "\x1b" not in err and "hostile-token" not in err
    assert list(tmp_path.iterdir()) == []


def test_cli_usage_errors_still_exit_2(
    cli_env: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run_cli("export", "7", "--format", "gif", "-o", "x") == 2
    assert cli_env.requests == []


def test_export_batch_records_an_unexpected_failure_and_goes_on(
    cli_env: HostileServer,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cli_env.handler = lambda r: (
        reply(302, b"", {"Location": r.path}) if "/reports/2/" in r.path else pdf_reply()
    )
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(
        "\n".join(json.dumps({"report": n, "output": f"{n}.pdf"}) for n in (1, 2, 3, 4, 5))
    )
    out = tmp_path / "out"
    code = _run_cli("export-batch", str(manifest), "--out", str(out), "--concurrency", "1")
    captured = capsys.readouterr()
    assert code == 1
    assert "4 exported" in captured.out and "1 failed" in captured.out
    assert "line 2 (2.pdf)" in captured.err and "redirect" in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["1.pdf", "3.pdf", "4.pdf", "5.pdf"]

    # A failure that is not ours (a bug, a transport's own exception) is recorded the same way.
    import cxreports._client

    real = cxreports._client.AsyncClient._download

    async def flaky(self: Any, call: Any, path: Any, *options: Any) -> Any:
        if "3.pdf" in str(path):
            raise KeyError("surprise")
        return await real(self, call, path, *options)

    monkeypatch.setattr(cxreports._client.AsyncClient, "_download", flaky)
    for p in out.iterdir():
        p.unlink()
    code = _run_cli("export-batch", str(manifest), "--out", str(out), "--concurrency", "2")
    captured = capsys.readouterr()
    assert code == 1 and "3 exported" in captured.out and "2 failed" in captured.out
    assert "line 3 (3.pdf): unexpected KeyError" in captured.err


# -- other httpx transports ---------------------------------------------------------------------------


class ForeignError(Exception):
    """What a transport that does not map its errors lets through (aiohttp's, say)."""


ForeignError.__module__ = "aiohttp.client_exceptions"


class _Drip(httpx.AsyncByteStream):
    async def __aiter__(self) -> Any:
        for _ in range(200):
            await asyncio.sleep(0.02)
            yield b"x"


class _OtherAsyncTransport(httpx.AsyncBaseTransport):
    """Not httpcore: answers from memory, dripping the body or failing its own way."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.mode == "foreign":
            raise ForeignError("server disconnected")
        return httpx.Response(200, headers={"Content-Type": "application/pdf"}, stream=_Drip())


class _OtherSyncTransport(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise ForeignError("server disconnected")


def test_the_deadline_holds_on_another_async_transport(tmp_path: Path) -> None:
    async def main() -> None:
        http = httpx.AsyncClient(transport=_OtherAsyncTransport("drip"))
        async with cxreports.AsyncClient(
            "http://127.0.0.1:9", "hostile-token", 1, max_retries=0, timeout=0.3, http_client=http
        ) as c:
            with pytest.raises(errors.APITimeoutError):
                await c.export_to_file(7, tmp_path / "x.pdf")
        await http.aclose()

    asyncio.run(main())
    assert list(tmp_path.iterdir()) == []


def test_a_transports_own_exceptions_are_typed() -> None:
    sync = cxreports.Client(
        "http://127.0.0.1:9", "hostile-token", 1, max_retries=0,
        http_client=httpx.Client(transport=_OtherSyncTransport()),
    )  # fmt: skip
    with pytest.raises(
        errors.APIConnectionError, match=r"GET http://127\.0\.0\.1:9/api/v1/workspaces"
    ):
        sync.workspaces()

    async def main() -> None:
        http = httpx.AsyncClient(transport=_OtherAsyncTransport("foreign"))
        c = cxreports.AsyncClient(
            "http://127.0.0.1:9", "hostile-token", 1, max_retries=0, http_client=http
        )
        with pytest.raises(errors.APIConnectionError, match="ForeignError: server disconnected"):
            await c.workspaces()
        await http.aclose()

    asyncio.run(main())


def _foreign(module: str, name: str) -> type[Exception]:
    """An exception class as the HTTP library ``module`` would define it."""
    return type(name, (Exception,), {"__module__": module})


@pytest.mark.parametrize(
    "exc",
    [
        _foreign("aiohttp.client_exceptions", "ServerDisconnectedError")("gone"),
        __import__("httpcore").RemoteProtocolError("peer closed"),
        __import__("h11").RemoteProtocolError("illegal status line", 400),
        _foreign("h2.exceptions", "ProtocolError")("stream reset"),
        __import__("anyio").BrokenResourceError("socket broke"),
    ],
    ids=["aiohttp", "httpcore", "h11", "h2", "anyio"],
)
def test_every_http_librarys_own_exception_is_a_connection_error(exc: Exception) -> None:
    """A transport that lets its library's exception through (a hand-written one, or
    aiohttp's) still gives a typed, named connection error, for each library httpx runs on."""

    class Leaky(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            raise exc

    client = cxreports.Client(
        "https://cx.example", "leaky-token", 1, max_retries=0,
        http_client=httpx.Client(transport=Leaky()),
    )  # fmt: skip
    with pytest.raises(errors.APIConnectionError) as info:
        client.workspaces()
    assert str(info.value) == (
        f"connection failed: GET https://cx.example/api/v1/workspaces: {type(exc).__name__}: {exc}"
    )
    assert info.value.__cause__ is exc


def test_an_exception_from_outside_the_http_libraries_is_not_disguised() -> None:
    """A bug in a caller's own transport is not reported as a network failure."""

    class Buggy(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            raise _foreign("mytransport.h2", "Oops")("a bug")

    client = cxreports.Client(
        "https://cx.example", "buggy-token", 1, max_retries=0,
        http_client=httpx.Client(transport=Buggy()),
    )  # fmt: skip
    with pytest.raises(Exception, match="a bug") as info:
        client.workspaces()
    assert not isinstance(info.value, errors.CxReportsError)
