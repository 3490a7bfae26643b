"""How an answer becomes what the user reads: the server's own words in status errors,
and file bodies refused when their type cannot be the file asked for. Hand-made answers
(httpx.MockTransport)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import cxreports

TOKEN = "answers-secret-0123456789"
PDF_URL = "GET https://cx.example/api/v1/ws/sales/reports/7/pdf"


def client_for(handler: Callable[[httpx.Request], httpx.Response]) -> cxreports.Client:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return cxreports.Client("https://cx.example", TOKEN, "sales", http_client=http, max_retries=0)


# -- the server's words -----------------------------------------------------------------------

PROBLEM = "One or more validation errors occurred."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": "E"}, "E"),
        ({"detail": "D"}, "D"),
        ({"title": "T"}, "T"),
        ({"message": "M"}, "M"),
        ({"message": "M", "title": "T", "detail": "D", "error": "E"}, "E"),
        ({"error": "  ", "detail": 5, "message": "M"}, "M"),  # blank or not text: skipped
        (
            {"title": PROBLEM, "errors": {"a": ["x", "y"], "b": "too long"}},
            f"{PROBLEM} (a: x y; b: too long)",
        ),  # a single message, not a list: kept whole
        ({"title": PROBLEM, "errors": {}}, PROBLEM),
        ({"title": PROBLEM, "errors": ["not", "fields"]}, PROBLEM),
        ({"detail": "D", "errors": {"a": ["x"]}}, "D"),  # only a title gets the field list
        ("quoted text", "quoted text"),  # a JSON string
    ],
)
def test_a_status_error_carries_the_servers_words(body: Any, message: str) -> None:
    client = client_for(lambda request: httpx.Response(400, json=body))
    with pytest.raises(cxreports.BadRequestError) as info:
        client.workspaces()
    assert info.value.message == message


def test_plain_text_is_trimmed_and_capped() -> None:
    client = client_for(lambda request: httpx.Response(400, text="  words \n"))
    with pytest.raises(cxreports.BadRequestError) as info:
        client.workspaces()
    assert info.value.message == "words"
    client = client_for(lambda request: httpx.Response(400, text="a" * 600))
    with pytest.raises(cxreports.BadRequestError) as info:
        client.workspaces()
    assert info.value.message == "a" * 500


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [(409, b"", "Conflict"), (409, b"[1, 2]", "Conflict"), (499, b"", "HTTP 499")],
)
def test_without_words_the_status_speaks(status: int, body: bytes, message: str) -> None:
    client = client_for(lambda request: httpx.Response(status, content=body))
    with pytest.raises(cxreports.APIStatusError) as info:
        client.workspaces()
    assert info.value.message == message


# -- file bodies ------------------------------------------------------------------------------


def file_answer(
    content_type: str | None, status: int = 200
) -> Callable[[httpx.Request], httpx.Response]:
    headers = {"X-Trace": "t-1"}
    if content_type is not None:
        headers["Content-Type"] = content_type

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, content=b"%PDF-1.7 body")

    return handler


@pytest.mark.parametrize(
    "content_type",
    ["application/pdf", "APPLICATION/PDF; charset=binary", "application/octet-stream", None],
)
def test_a_file_of_a_possible_type_is_accepted(content_type: str | None) -> None:
    document = client_for(file_answer(content_type)).export(7)
    assert document.content == b"%PDF-1.7 body"


def assert_refused_copy(error: cxreports.APIResponseValidationError, status: int) -> None:
    response = error.response
    assert response.status_code == status and response.headers["X-Trace"] == "t-1"
    request = response.request
    assert f"{request.method} {request.url.copy_with(query=None)}" == PDF_URL
    assert "Authorization" not in response.request.headers


def test_a_page_answering_an_export_is_refused_and_nothing_is_saved(tmp_path: Path) -> None:
    client = client_for(file_answer("text/html; charset=utf-8"))
    with pytest.raises(cxreports.APIResponseValidationError) as info:
        client.export_to_file(7, tmp_path / "r.pdf")
    assert str(info.value) == f"expected a file of type application/pdf, got text/html ({PDF_URL})"
    assert_refused_copy(info.value, 200)
    assert list(tmp_path.iterdir()) == []


def test_with_attachments_a_zip_is_expected_too() -> None:
    client = client_for(file_answer("text/html"))
    with pytest.raises(cxreports.APIResponseValidationError) as info:
        client.export(7, include_attachments=True)
    assert str(info.value).startswith(
        "expected a file of type application/pdf or application/zip, got text/html ("
    )


def test_a_file_with_an_undocumented_success_status_is_refused() -> None:
    client = client_for(file_answer("application/pdf", status=201))
    with pytest.raises(cxreports.APIResponseValidationError) as info:
        client.export(7)
    assert str(info.value) == f"undocumented status 201 for a file ({PDF_URL})"
    assert_refused_copy(info.value, 201)


def test_a_document_without_a_file_name_says_so() -> None:
    # No Content-Disposition: the name is unknown (None), not an invented "report".
    document = client_for(file_answer("application/pdf")).export(7)
    assert document.filename is None


def test_an_export_is_checked_on_a_machine_without_a_mime_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The formats CxReports exports are known to the client itself, not looked up in the
    # system's MIME table, which a slim container may not have.
    import mimetypes

    monkeypatch.setattr(mimetypes, "guess_type", lambda url, strict=True: (None, None))
    client = client_for(file_answer("text/html"))
    with pytest.raises(cxreports.APIResponseValidationError) as info:
        client.export(7, format="docx")
    assert str(info.value).startswith(
        "expected a file of type "
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document, got text/html"
    )


def test_a_format_the_spec_gained_is_checked_by_its_common_type() -> None:
    # A newer server's format is mapped by its extension, including the common types that
    # are not registered ones (Python's mimetypes "non-strict" table): ``pict`` here.
    import mimetypes

    from cxreports._base_client import file_media_types

    if mimetypes.guess_type("x.pict", True)[0] is not None:  # pragma: no cover
        pytest.skip("this machine's MIME table registers .pict")
    assert file_media_types("pict") == {
        "image/pict", "application/octet-stream", "binary/octet-stream"
    }  # fmt: skip
    assert file_media_types("pdf", attachments=True) == {
        "application/pdf", "application/zip", "application/octet-stream", "binary/octet-stream"
    }  # fmt: skip
    assert file_media_types("no-such-format") is None


def test_a_json_error_answering_an_export_download_is_refused(tmp_path: Path) -> None:
    # The second step of an asynchronous export, the file itself, is checked: its format is
    # not known there (an export resumed by id), but a JSON error sent with status 200 is
    # no export format's file and is not saved as the report.
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"error": "the export has expired"})

    export = client_for(handler).get_export(12)
    with pytest.raises(cxreports.APIResponseValidationError) as info:
        export.save(tmp_path / "r.pdf")
    assert "got application/json" in str(info.value)
    with pytest.raises(cxreports.APIResponseValidationError):
        export.content()
    assert list(tmp_path.iterdir()) == []


def test_a_body_missing_a_required_field_names_what_is_missing() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[{"name": "Sales", "code": "sales"}])  # no "id"

    with pytest.raises(cxreports.APIResponseValidationError) as info:
        client_for(handler).workspaces()
    assert str(info.value) == (
        "unexpected response body from GET https://cx.example/api/v1/workspaces: KeyError('id')"
    )


def test_a_refused_gzip_answer_is_shown_decoded_with_its_own_length() -> None:
    # The response an error carries holds the decoded body: its headers must describe that
    # body, not the compressed one (no Content-Encoding, the decoded Content-Length).
    import gzip
    import json

    sent = json.dumps([{"name": "Sales", "code": "sales"}]).encode()
    body = gzip.compress(sent, mtime=0)

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
        return httpx.Response(200, content=body, headers=headers)

    with pytest.raises(cxreports.APIResponseValidationError) as info:
        client_for(handler).workspaces()
    response = info.value.response
    assert response.content == sent
    assert "Content-Encoding" not in response.headers
    assert response.headers["Content-Length"] == str(len(sent)) != str(len(body))
