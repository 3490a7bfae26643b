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
    if path.endswith(("/export", "-review-document")):
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


# -- more query values ----------------------------------------------------------------------


def test_a_key_without_a_value_is_left_out_and_the_rest_still_sent(wire: Wire) -> None:
    wire.client.get_pdf(101, {"lang": None, "timezone": "UTC", "theme": None, "lang2": "x"})
    assert wire.query() == {"timezone": ["UTC"], "lang2": ["x"]}


def test_themes_and_templates_go_by_id_or_code(wire: Wire) -> None:
    wire.client.get_pdf(101, {"theme": 3, "template": "letterhead"})
    assert wire.query() == {"theme": ["3"], "template": ["letterhead"]}
    # The arguments win over the dict's keys.
    wire.client.get_pdf(101, {"theme": 3, "template": "letterhead"}, theme="dark", template=2)
    assert wire.query() == {"theme": ["dark"], "template": ["2"]}


@pytest.mark.parametrize("key", ["theme", "template"])
@pytest.mark.parametrize("bad", [True, 1.5, [3]])
def test_a_theme_or_template_that_is_no_id_or_code_is_refused(
    wire: Wire, key: str, bad: object
) -> None:
    with pytest.raises(TypeError) as raised:
        wire.client.get_pdf(101, {key: bad})
    assert str(raised.value) == f"{key} must be a str (or an int id), not {bad!r}"
    assert wire.requests == []


@pytest.mark.parametrize("key", ["lang", "timezone", "format", "nonce", "type"])
def test_text_query_values_must_be_strings(wire: Wire, key: str) -> None:
    with pytest.raises(TypeError, match=rf"^{key} must be a str, not 2$"):
        wire.client.get_pdf(101, {key: 2})
    assert wire.requests == []


def test_text_query_values_are_sent_as_given(wire: Wire) -> None:
    given = {"lang": "de", "timezone": "Europe/Vienna", "format": "xlsx", "type": "invoice"}
    wire.client.get_pdf(101, given)
    assert wire.query() == {key: [value] for key, value in given.items()}


def test_params_that_are_no_dict_are_refused(wire: Wire) -> None:
    with pytest.raises(TypeError, match=r"^params must be a dict, not list$"):
        wire.client.get_pdf(101, [("lang", "de")])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^query_params must be a dict, not tuple$"):
        wire.client.get_preview_url(101, (("lang", "de"),))  # type: ignore[arg-type]
    assert wire.requests == []


# -- bodies -------------------------------------------------------------------------------------


def test_a_request_body_that_is_no_dict_is_refused(wire: Wire) -> None:
    for call in (wire.client.post_pdf, wire.client.start_report_export, wire.client.start_job_run):
        with pytest.raises(TypeError, match=r"^request_body must be a dict, not list$"):
            call(101, [("format", "pdf")])  # type: ignore[operator]
    assert wire.requests == []


def test_a_temp_data_id_in_a_body_goes_as_the_number(wire: Wire) -> None:
    wire.client.post_pdf(101, {"tempDataId": " 12 ", "format": "PDF"})
    assert wire.body() == {"tempDataId": 12, "format": "PDF"}
    wire.client.start_report_export(101, {"tempDataId": 12})
    assert wire.body() == {"format": "pdf", "tempDataId": 12}
    wire.client.start_job_run(42, {"tempDataId": "7"})
    assert wire.body() == {"tempDataId": 7}  # a job run is no export: no format added
    with pytest.raises(TypeError, match=r"^tempDataId must be a non-negative int, not 'latest'$"):
        wire.client.post_pdf(101, {"tempDataId": "latest"})
    assert len(wire.requests) == 3


# -- documents -----------------------------------------------------------------------------


def answering(content_type: str | None, content: bytes = b"<html>Sign in</html>") -> Wire:
    headers = {} if content_type is None else {"Content-Type": content_type}
    return Wire(lambda r: httpx.Response(200, content=content, headers=headers), max_retries=0)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get_pdf(101),
        lambda c: c.get_pdf(101, {"format": "PDF"}),
        lambda c: c.get_pdf(101, {"includeAttachments": False}),
        lambda c: c.post_pdf(101, {"format": "pdf"}),
        lambda c: c.post_pdf(101, {"includeAttachments": "false"}),
    ],
    ids=["get", "get-format-pdf", "get-no-attachments", "post-format-pdf", "post-no-attachments"],
)
def test_a_pdf_that_is_not_one_raises(call: Callable[[CxReportClientV1], Any]) -> None:
    wire = answering("text/html; charset=utf-8")
    with wire.http, wire.client, pytest.raises(cxreports.APIResponseValidationError) as raised:
        call(wire.client)
    assert str(raised.value) == (
        "Invalid content type, expected PDF, got 'text/html; charset=utf-8' "
        f"({wire.last.method} https://cx.example/api/v1/ws/1/reports/101/pdf)"
    )


def test_a_pdf_answer_without_a_content_type_raises() -> None:
    wire = answering(None, PDF)
    with wire.http, wire.client, pytest.raises(cxreports.APIResponseValidationError) as raised:
        wire.client.get_pdf(101)
    assert str(raised.value).startswith("Invalid content type, expected PDF, got 'none' (GET ")


def test_a_pdf_with_parameters_in_its_content_type_is_a_pdf() -> None:
    wire = answering("Application/PDF; qs=1", PDF)
    with wire.http, wire.client:
        assert wire.client.get_pdf(101) == PDF


def test_an_export_file_is_returned_whatever_its_type() -> None:
    wire = answering("text/csv", b"a,b\n1,2\n")
    with wire.http, wire.client:
        assert wire.client.get_export_content(77) == b"a,b\n1,2\n"
        assert wire.client.get_pdf(101, {"format": "csv"}) == b"a,b\n1,2\n"


# -- JSON answers ----------------------------------------------------------------------------


def test_json_of_the_wrong_shape_raises() -> None:
    wire = Wire(lambda r: httpx.Response(200, json={"items": []}), max_retries=0)
    with wire.http, wire.client, pytest.raises(cxreports.APIResponseValidationError) as raised:
        wire.client.get_themes()
    assert str(raised.value) == (
        "expected a JSON list, got dict (GET https://cx.example/api/v1/ws/1/themes)"
    )
    wire = Wire(lambda r: httpx.Response(200, json=[1]), max_retries=0)
    with wire.http, wire.client, pytest.raises(cxreports.APIResponseValidationError) as raised:
        wire.client.get_export_status(77)
    assert str(raised.value).startswith("expected a JSON dict, got list (GET ")


def test_an_answer_that_is_no_json_says_what_came_instead() -> None:
    wire = Wire(lambda r: httpx.Response(200, content=b"OK"), max_retries=0)
    with wire.http, wire.client, pytest.raises(cxreports.APIResponseValidationError) as raised:
        wire.client.get_jobs()
    assert str(raised.value) == (
        "expected JSON, got 200 no Content-Type (a proxy or login page may have answered "
        "instead of the API) (GET https://cx.example/api/v1/ws/1/jobs)"
    )
    assert raised.value.response is not None and raised.value.response.status_code == 200


# -- ids and workspaces of the remaining calls ---------------------------------------------


def test_every_call_goes_to_the_workspace_given(wire: Wire) -> None:
    client = wire.client
    client.get_pdf(101, workspace_id=7)
    client.start_report_export(101, workspace_id=7)
    client.get_export_status(77, workspace_id=7)
    client.get_export_content("77", workspace_id=7)
    client.start_job_run(42, workspace_id=7)
    client.get_job_run_status(42, 5, workspace_id=7)
    client.get_run_review_document(42, "5", workspace_id=7)
    client.deliver_job_run_entries(42, 5, workspace_id=7)
    client.push_temporary_data([1], workspace_id=7)
    assert [(r.method, r.url.path) for r in wire.requests] == [
        ("GET", "/api/v1/ws/7/reports/101/pdf"),
        ("POST", "/api/v1/ws/7/reports/101/export"),
        ("GET", "/api/v1/ws/7/exports/77/status"),
        ("GET", "/api/v1/ws/7/exports/77/content"),
        ("POST", "/api/v1/ws/7/jobs/42/runs"),
        ("GET", "/api/v1/ws/7/jobs/42/runs/5/status"),
        ("POST", "/api/v1/ws/7/jobs/42/runs/5/generate-review-document"),
        ("POST", "/api/v1/ws/7/jobs/42/runs/5/deliver"),
        ("POST", "/api/v1/ws/7/temporary-data"),
    ]


def test_what_the_job_and_export_calls_return(wire: Wire) -> None:
    client = wire.client
    assert client.start_report_export(101) == {"temporaryFileId": 77}
    assert client.get_export_status(77) == {"status": "Completed", "isReady": True}
    assert client.start_job_run(42) == {"jobRunId": 5}
    assert client.get_run_review_document(42, 5) == {"temporaryFileId": 77}
    assert client.deliver_job_run_entries(42, 5) is None
    assert client.push_temporary_data({"a": 1}) == {"tempDataId": 9, "expiryDate": None}
    assert wire.body() == {"content": {"a": 1}}


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda c: c.get_export_status("x"), "temp_file_id"),
        (lambda c: c.get_export_content(-1), "temp_file_id"),
        (lambda c: c.get_job_run_status(42, "x"), "run_id"),
        (lambda c: c.get_run_review_document(42, "x"), "run_id"),
        (lambda c: c.deliver_job_run_entries(42, "x"), "run_id"),
    ],
)
def test_numeric_ids_are_checked_before_sending(
    wire: Wire, call: Callable[[CxReportClientV1], Any], what: str
) -> None:
    with pytest.raises(TypeError, match=rf"^{what} must be a non-negative int, not "):
        call(wire.client)
    assert wire.requests == []


# -- more retries --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get_pdf(101),
        lambda c: c.get_export_status(77),
        lambda c: c.get_export_content(77),
        lambda c: c.get_job_run_status(42, 5),
        lambda c: c.get_themes(),
        lambda c: c.get_workspaces(),
    ],
    ids=["get-pdf", "export-status", "export-content", "run-status", "themes", "workspaces"],
)
def test_reads_are_retried_after_a_server_error(call: Callable[[CxReportClientV1], Any]) -> None:
    wire = Wire(flaky(503))
    with wire.http, wire.client:
        call(wire.client)
    assert len(wire.requests) == 2 and wire.requests[0].url == wire.requests[1].url


def test_max_retries_zero_means_one_try() -> None:
    wire = Wire(flaky(503), max_retries=0)
    with wire.http, wire.client, pytest.raises(cxreports.InternalServerError):
        wire.client.get_themes()
    assert len(wire.requests) == 1


def test_the_timeout_given_applies_to_every_request() -> None:
    # As the main client reads a number: 7.5 s for each read and write, connecting capped.
    with cxreports.Client("https://cx.example", TOKEN, timeout=7.5) as main:
        expected = main.timeout
    assert expected.read == 7.5  # not the default
    wire = Wire(timeout=7.5)
    with wire.http, wire.client:
        wire.client.get_themes()
        wire.client.get_pdf(4)
        assert wire.client.timeout == expected
    assert [r.extensions["timeout"] for r in wire.requests] == [expected.as_dict()] * 2


# -- the deprecated reportId ---------------------------------------------------------------


def test_report_id_under_its_old_name_still_works_with_a_deprecation_warning(wire: Wire) -> None:
    with pytest.warns(DeprecationWarning) as caught:
        assert wire.client.get_pdf(reportId=101) == PDF
    assert [str(w.message) for w in caught] == [
        "'reportId' is deprecated; use 'report_id' instead."
    ]
    assert wire.last.url.path == "/api/v1/ws/1/reports/101/pdf"
    with pytest.warns(DeprecationWarning):
        wire.client.get_pdf(102, reportId=101)  # the new name wins
    assert wire.last.url.path == "/api/v1/ws/1/reports/102/pdf"


def test_get_pdf_without_a_report_raises_like_a_missing_argument(wire: Wire) -> None:
    with pytest.raises(TypeError) as raised:
        wire.client.get_pdf()
    assert str(raised.value) == "get_pdf() missing required argument: 'report_id'"
    assert wire.requests == []
