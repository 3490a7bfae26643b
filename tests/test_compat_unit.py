"""``CxReportClientV1`` against hand-made answers (httpx.MockTransport): exactly what goes on
the wire for each argument, and what a caller gets back or sees raised.

The local-server tests in test_compat.py show the official README working end to end; these
pin down the details a server would accept either way (a flag's spelling, which workspace a
call goes to, the words of an error), fast and in-process.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

import cxreports
from cxreports.compat import CxReportClientV1

TOKEN = "compat-unit-secret-0123456789"
PDF = b"%PDF-1.7 test"

Handler = Callable[[httpx.Request], httpx.Response]


def default_answer(request: httpx.Request) -> httpx.Response:
    """What the API answers each call, by the last path segment."""
    path = request.url.path
    if path.endswith(("/pdf", "/content")):
        return httpx.Response(200, content=PDF, headers={"Content-Type": "application/pdf"})
    if path.endswith("/nonce-tokens"):
        return httpx.Response(200, json={"nonce": "n-1"})
    if path.endswith("/deliver"):
        return httpx.Response(204)
    if path.endswith(("/export", "/review-document")):
        return httpx.Response(200, json={"temporaryFileId": 77})
    if path.endswith("/runs"):
        return httpx.Response(200, json={"jobRunId": 5})
    if path.endswith("/temporary-data"):
        return httpx.Response(200, json={"tempDataId": 9, "expiryDate": None})
    if path.endswith("/status"):
        return httpx.Response(200, json={"status": "Completed", "isReady": True})
    return httpx.Response(200, json=[{"id": 1}])


class Wire:
    """A CxReportClientV1 on a mock transport that keeps every request it was sent."""

    def __init__(self, answer: Handler = default_answer, **kwargs: Any) -> None:
        self.requests: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return answer(request)

        self.http = httpx.Client(transport=httpx.MockTransport(handler))
        self.client = CxReportClientV1(
            "https://cx.example", 1, TOKEN, http_client=self.http, **kwargs
        )

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def query(self, request: httpx.Request | None = None) -> dict[str, list[str]]:
        return parse_qs((request or self.last).url.query.decode(), keep_blank_values=True)

    def body(self, request: httpx.Request | None = None) -> Any:
        content = (request or self.last).content
        return json.loads(content) if content else None


@pytest.fixture
def wire() -> Iterator[Wire]:
    w = Wire()
    with w.http, w.client:
        yield w


def url_query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


# -- query values on GET ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "sent"),
    [(True, "true"), (False, "false"), ("false", "false"), ("FALSE", "false"), ("True", "true")],
)
def test_include_attachments_is_sent_as_a_lowercase_flag(
    wire: Wire, given: object, sent: str
) -> None:
    wire.client.get_pdf(101, {"includeAttachments": given})
    assert wire.query()["includeAttachments"] == [sent]


def test_include_attachments_that_is_no_flag_is_refused(wire: Wire) -> None:
    for bad in (1, "yes"):
        with pytest.raises(TypeError, match=rf"^includeAttachments must be a bool, not {bad!r}$"):
            wire.client.get_pdf(101, {"includeAttachments": bad})
    assert wire.requests == []


@pytest.mark.parametrize(
    ("given", "sent"),
    [(True, "true"), (False, "false"), (0, "0"), (2.5, "2.5"), ("no", "no")],
)
def test_other_scalar_query_values_are_sent_as_text(wire: Wire, given: object, sent: str) -> None:
    url = wire.client.get_preview_url(101, {"hidePrintButton": given})
    assert url_query(url)["hidePrintButton"] == [sent]


def test_other_query_values_that_cannot_go_in_a_url_are_refused(wire: Wire) -> None:
    with pytest.raises(
        TypeError,
        match=r"^query parameter 'filters' must be a str, number or bool to go in a URL, not list$",
    ):
        wire.client.get_pdf(101, {"filters": [1, 2]})
    assert wire.requests == []


def test_each_excluded_page_must_be_a_page_id(wire: Wire) -> None:
    with pytest.raises(
        TypeError, match=r"^each of excludePages must be a non-negative int, not 'two'$"
    ):
        wire.client.get_pdf(101, {"excludePages": [1, "two"]})
    assert wire.requests == []


# -- which workspace a call goes to -------------------------------------------------------


def test_listings_go_to_the_workspace_given(wire: Wire) -> None:
    client = wire.client
    client.get_report_types(workspace_id=7)
    client.get_themes(workspace_id=7)
    client.get_templates(workspace_id=7)
    client.get_reports(workspace_id=7)
    client.get_reports("invoice", workspace_id=7)
    client.get_report_pages(101, workspace_id=7)
    client.get_jobs(workspace_id=7)
    assert [r.url.path for r in wire.requests] == [
        "/api/v1/ws/7/report-types",
        "/api/v1/ws/7/themes",
        "/api/v1/ws/7/templates",
        "/api/v1/ws/7/reports",
        "/api/v1/ws/7/reports",
        "/api/v1/ws/7/reports/101/pages",
        "/api/v1/ws/7/jobs",
    ]
    assert wire.query(wire.requests[4]) == {"type": ["invoice"]}


def test_a_report_type_that_is_no_string_is_refused(wire: Wire) -> None:
    with pytest.raises(TypeError, match=r"^type must be a str, not 5$"):
        wire.client.get_reports(type=5)  # type: ignore[arg-type]
    assert wire.requests == []


def test_params_that_json_cannot_represent_are_refused(wire: Wire) -> None:
    # NaN is no JSON: a server would fail to read the query, so it never leaves.
    for bad in (float("nan"), float("inf")):
        with pytest.raises(TypeError, match=r"^params must be JSON-serialisable: "):
            wire.client.get_pdf(101, {"params": {"ratio": bad}})
        with pytest.raises(TypeError, match=r"^data must be JSON-serialisable: "):
            wire.client.get_preview_url(101, {"data": [bad]})
    assert wire.requests == []


def test_documents_and_previews_go_to_the_workspace_given(wire: Wire) -> None:
    wire.client.post_pdf(101, workspace_id="finance")
    assert wire.last.url.path == "/api/v1/ws/finance/reports/101/pdf"
    url = wire.client.get_preview_url(101, {"lang": "de"}, workspace_id="finance")
    assert urlsplit(url).path == "/ws/finance/reports/101/preview"
    assert url_query(url) == {"lang": ["de"], "nonce": ["n-1"]}


# -- retries: only what is safe to repeat ------------------------------------------------------


def flaky(status: int) -> Handler:
    """Answers ``status`` (to be retried at once: Retry-After 0) once, then as the API does."""
    failed: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if not failed:
            failed.append(request.url.path)
            return httpx.Response(status, text="busy", headers={"Retry-After": "0"})
        return default_answer(request)

    return answer


def test_a_render_by_post_is_retried_after_a_server_error() -> None:
    # A synchronous render changes nothing on the server, so a 503 is worth another try.
    wire = Wire(flaky(503))
    with wire.http, wire.client:
        assert wire.client.post_pdf(101, {"params": {"a": 1}}) == PDF
    assert [r.method for r in wire.requests] == ["POST", "POST"]
    assert wire.body(wire.requests[1]) == {"format": "pdf", "params": {"a": 1}}


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.create_auth_token(),
        lambda c: c.push_temporary_data({"a": 1}),
        lambda c: c.start_report_export(101),
        lambda c: c.start_job_run(42),
        lambda c: c.get_run_review_document(42, 5),
        lambda c: c.deliver_job_run_entries(42, 5),
    ],
    ids=["nonce", "temporary-data", "export", "job-run", "review", "deliver"],
)
def test_a_post_that_creates_something_is_not_repeated_after_a_server_error(
    call: Callable[[CxReportClientV1], Any],
) -> None:
    # The server may have done the work before it failed: a second try could do it twice.
    wire = Wire(flaky(503))
    with wire.http, wire.client, pytest.raises(cxreports.InternalServerError) as raised:
        call(wire.client)
    assert len(wire.requests) == 1
    assert raised.value.status_code == 503 and raised.value.message == "busy"
