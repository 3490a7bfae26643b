"""Per-call request options on every public method, and ``client.call`` for any generated
operation, on ``Client`` and ``AsyncClient`` alike (hand-made answers, httpx.MockTransport)."""

from __future__ import annotations

import json
import types
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from clients import AsyncClientDriver
from cxreports_api.api.exports import get_export_content
from cxreports_api.api.jobs import deliver_job_run
from cxreports_api.api.nonce_tokens import create_nonce_token
from cxreports_api.api.reports import list_report_pages, list_reports

import cxreports

TOKEN = "options-secret-5566778899"
WS = "/api/v1/ws/sales"
PDF = b"%PDF-1.7 tiny"

ANSWERS: dict[str, Any] = {
    "/api/v1/workspaces": [{"id": 1, "name": "Sales", "code": "sales"}],
    f"{WS}/report-types": [{"id": 1, "name": "Invoice"}],
    f"{WS}/reports": [],
    f"{WS}/reports/7/pages": [{"id": 1}],
    f"{WS}/templates": [{"id": 1, "name": "Letterhead"}],
    f"{WS}/themes": [{"id": 1, "name": "Corporate"}],
    f"{WS}/jobs": [{"id": 1, "name": "Monthly"}],
    f"{WS}/reports/7/export": {"temporaryFileId": 12},
    f"{WS}/temporary-data": {"tempDataId": 9, "expiryDate": "2030-01-01T00:00:00Z"},
    "/api/v1/nonce-tokens": {"nonce": "n-1"},
    f"{WS}/jobs/monthly/runs": {"jobRunId": 4},
    f"{WS}/exports/12/status": {"id": 12, "status": "Completed", "isReady": True},
    f"{WS}/jobs/monthly/runs/4/status": {
        "finished": True,
        "entries": 1,
        "status": {"queued": 0, "review": 1, "completed": 0, "errors": 0},
    },
    f"{WS}/jobs/monthly/runs/4/generate-review-document": {"temporaryFileId": 13},
    f"{WS}/jobs/monthly/runs/4/deliver": None,
}


def answer(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith(("/pdf", "/content")):
        headers = {"Content-Disposition": 'attachment; filename="r.pdf"'}
        return httpx.Response(200, content=PDF, headers=headers)
    status = 202 if request.url.path.endswith(("/export", "/generate-review-document")) else 200
    return httpx.Response(status, json=ANSWERS[request.url.path])


def recording(seen: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request)

    return handler


@pytest.fixture(params=["sync", "async"])
def make_client(
    request: pytest.FixtureRequest,
) -> Iterator[Callable[[Callable[[httpx.Request], httpx.Response]], Any]]:
    opened: list[Any] = []

    def make(handler: Callable[[httpx.Request], httpx.Response]) -> Any:
        transport = httpx.MockTransport(handler)
        if request.param == "sync":
            client: Any = cxreports.Client(
                "https://cx.example", TOKEN, "sales", http_client=httpx.Client(transport=transport)
            )
        else:
            client = AsyncClientDriver(
                cxreports.AsyncClient(
                    "https://cx.example",
                    TOKEN,
                    "sales",
                    http_client=httpx.AsyncClient(transport=transport),
                )
            )
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.close()


# Each public method that sends requests, called with the least it needs.
METHODS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "workspaces": lambda c, o: c.workspaces(**o),
    "report_types": lambda c, o: c.report_types(**o),
    "reports": lambda c, o: c.reports(**o),
    "report_pages": lambda c, o: c.report_pages(7, **o),
    "templates": lambda c, o: c.templates(**o),
    "themes": lambda c, o: c.themes(**o),
    "jobs": lambda c, o: c.jobs(**o),
    "export": lambda c, o: c.export(7, **o),
    "export_to_file": lambda c, o: c.export_to_file(7, o.pop("path"), **o),
    "start_export": lambda c, o: c.start_export(7, **o),
    "push_temporary_data": lambda c, o: c.push_temporary_data({"a": 1}, **o),
    "create_nonce": lambda c, o: c.create_nonce(**o),
    "preview_url": lambda c, o: c.preview_url(7, **o),
    "download_url": lambda c, o: c.download_url(7, **o),
    "start_job_run": lambda c, o: c.start_job_run("monthly", **o),
    "call": lambda c, o: c.call(list_reports, **o),
}


def test_every_public_method_is_covered() -> None:
    public = {
        name
        for name in vars(cxreports.Client)
        if not name.startswith("_") and callable(getattr(cxreports.Client, name))
    }
    no_request = {"with_options", "close", "get_export", "get_job_run"}
    # check_api checks the client's own settings (token, workspace, timeouts) against the
    # server; per-call options would change what it checks, so it takes none.
    no_request.add("check_api")
    assert public - no_request == set(METHODS)
    assert {n for n in vars(cxreports.AsyncClient) if not n.startswith("_")} >= set(METHODS)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_headers_query_and_timeout_reach_every_request(
    method: str, make_client: Any, tmp_path: Any
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request)

    client = make_client(handler)
    options: dict[str, Any] = {
        "extra_headers": {"X-Trace": "t-1"},
        "extra_query": {"newParam": "yes"},
        "timeout": 7.5,
    }
    if method == "export_to_file":
        options["path"] = tmp_path / "r.pdf"
    result = METHODS[method](client, options)
    assert seen
    for request in seen:
        assert request.headers["X-Trace"] == "t-1"
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.extensions["timeout"]["read"] == 7.5
        if method in ("preview_url", "download_url"):
            assert "newParam" not in request.url.params  # it belongs to the URL
        else:
            assert request.url.params["newParam"] == "yes"
    if method in ("preview_url", "download_url"):
        assert httpx.URL(result).params["newParam"] == "yes"


HANDLE_METHODS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "Export.status": lambda c, o: c.get_export(12).status(**o),
    "Export.content": lambda c, o: c.get_export(12).content(**o),
    "Export.save": lambda c, o: c.get_export(12).save(o.pop("path"), **o),
    "JobRun.status": lambda c, o: c.get_job_run("monthly", 4).status(**o),
    "JobRun.review_document": lambda c, o: c.get_job_run("monthly", 4).review_document(**o),
    "JobRun.deliver": lambda c, o: c.get_job_run("monthly", 4).deliver(**o),
}


@pytest.mark.parametrize("method", sorted(HANDLE_METHODS))
def test_handle_methods_take_the_options_too(method: str, make_client: Any, tmp_path: Any) -> None:
    seen: list[httpx.Request] = []
    client = make_client(recording(seen))
    options = {"extra_headers": {"X-Trace": "t-2"}, "timeout": 3, "path": tmp_path / "r.pdf"}
    if not method.endswith(".save"):
        del options["path"]
    HANDLE_METHODS[method](client, options)
    (request,) = seen
    assert request.headers["X-Trace"] == "t-2" and request.extensions["timeout"]["read"] == 3


def test_extra_body_is_merged_into_a_json_body(make_client: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request)

    client = make_client(handler)
    client.export(7, data={"rows": []}, extra_body={"watermark": "DRAFT"})
    client.create_nonce(extra_body={"ttl": 30})
    export_body, nonce_body = (json.loads(r.content) for r in seen)
    assert export_body["watermark"] == "DRAFT" and export_body["data"] == {"rows": []}
    assert nonce_body == {"ttl": 30}


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"extra_body": {"a": 1}}, ValueError, "GET /api/v1/workspaces sends no body"),
        ({"extra_headers": {"Authorization": "Bearer other"}}, ValueError, "must not set"),
        ({"extra_headers": {"X-A": 1}}, TypeError, "must be a str"),
        ({"extra_headers": {"X-A": "a\r\nX-B: b"}}, ValueError, "line break"),
        ({"extra_query": {"a": {"nested": 1}}}, TypeError, "extra_query['a']"),
        ({"extra_query": ["a"]}, TypeError, "must be a mapping"),
        ({"extra_body": {"a": object()}}, TypeError, "JSON-serialisable"),
        ({"timeout": -1}, ValueError, "timeout must be a positive"),
        ({"extra_heders": {}}, TypeError, "unexpected keyword argument(s): extra_heders"),
    ],
)
def test_bad_options_fail_before_anything_is_sent(
    options: dict[str, Any], error: type[Exception], message: str, make_client: Any
) -> None:
    seen: list[httpx.Request] = []
    client = make_client(recording(seen))
    with pytest.raises(error) as info:
        client.workspaces(**options)
    assert message in str(info.value)
    assert not seen


def test_a_none_in_extra_query_removes_a_parameter(make_client: Any) -> None:
    seen: list[httpx.Request] = []
    client = make_client(recording(seen))
    client.export(7, format="docx", extra_query={"format": None, "watermark": "x"})
    assert "format" not in seen[0].url.params and seen[0].url.params["watermark"] == "x"


def test_timeout_none_means_no_timeout_for_that_call(make_client: Any) -> None:
    seen: list[httpx.Request] = []
    client = make_client(recording(seen))
    client.workspaces(timeout=None)
    client.workspaces()
    assert seen[0].extensions["timeout"]["read"] is None
    assert seen[1].extensions["timeout"]["read"] == 60.0


# -- client.call -------------------------------------------------------------------------------


def test_call_sends_a_generated_operation_with_the_client_workspace(make_client: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        report = {"id": 7, "name": "Invoice", "reportTypeId": 1, "reportTypeName": "Invoice",
                  "reportTemplateName": "Letterhead", "isDefault": True, "previewImage": "p.png"}  # fmt: skip
        return httpx.Response(200, json=[report])

    client = make_client(handler)
    reports = client.call(list_reports, type_="invoice", limit=5)
    assert seen[0].url.path == f"{WS}/reports"
    assert dict(seen[0].url.params) == {"type": "invoice", "limit": "5"}
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert [r.name for r in reports] == ["Invoice"]  # the generated models
    other = client.call(list_reports, "finance")  # positional workspace_id
    assert other[0].id == 7 and seen[1].url.path == "/api/v1/ws/finance/reports"


def test_call_returns_a_file_as_a_document(make_client: Any) -> None:
    client = make_client(answer)
    document = client.call(get_export_content, temp_file_id=12)
    assert isinstance(document, cxreports.Document)
    assert document.content == PDF and document.filename == "r.pdf"


def test_call_retries_idempotent_methods_only(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cxreports._client as client_module

    monkeypatch.setattr(client_module, "_sleep", lambda seconds: None)

    async def no_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr(client_module, "_async_sleep", no_sleep)
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) in (1, 3):
            return httpx.Response(503, json={"error": "busy"})
        return answer(request)

    client = make_client(handler)
    assert client.call(list_reports) == []  # GET: the 503 is retried
    with pytest.raises(cxreports.InternalServerError) as info:
        client.call(create_nonce_token)  # POST: not repeated after a 5xx
    assert seen == ["GET", "GET", "POST"]
    assert "busy" in str(info.value) and "POST https://cx.example/api/v1/nonce-tokens" in str(
        info.value
    )


def test_call_errors_are_typed_and_redacted(make_client: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/reports"):
            return httpx.Response(200, json=[{"name": "no id"}])
        return httpx.Response(404, json={"error": f"no such file for {TOKEN}"})

    client = make_client(handler)
    with pytest.raises(cxreports.APIResponseValidationError):
        client.call(list_reports)
    with pytest.raises(cxreports.NotFoundError) as info:
        client.call(get_export_content, temp_file_id=99)
    assert TOKEN not in str(
        info.value
    ) and "GET https://cx.example/api/v1/ws/sales/exports/99/content" in str(info.value)
    assert "Authorization" not in info.value.request.headers


def test_call_refuses_what_is_not_an_endpoint_module(make_client: Any) -> None:
    client = make_client(answer)
    with pytest.raises(TypeError, match="generated endpoint module"):
        client.call(json)
    with pytest.raises(TypeError, match=r"list_reports: .*unexpected keyword argument 'typ'"):
        client.call(list_reports, typ="invoice")
    from cxreports_api.api.temporary_data import push_temporary_data

    with pytest.raises(TypeError, match="push_temporary_data: cannot build the request"):
        client.call(push_temporary_data, body={"content": 1})  # a dict, not the generated model


def test_call_names_what_it_refuses(make_client: Any) -> None:
    """The refusal says what to pass and names what was passed, module or not."""
    client = make_client(answer)
    expected = (
        "call() takes a generated endpoint module, such as "
        "cxreports_api.api.reports.list_reports, not {}"
    )
    with pytest.raises(TypeError) as info:
        client.call(json)
    assert str(info.value) == expected.format("'json'")
    with pytest.raises(TypeError) as info:
        client.call({"_get_kwargs": None})
    assert str(info.value) == expected.format("'dict'")
    # A builder without a parser is not an endpoint module either.
    half = types.SimpleNamespace(_get_kwargs=list_reports._get_kwargs, __name__="half")
    with pytest.raises(TypeError) as info:
        client.call(half)
    assert str(info.value) == expected.format("'half'")


def test_call_errors_name_the_operation_alone(make_client: Any) -> None:
    client = make_client(answer)
    with pytest.raises(TypeError) as info:
        client.call(list_reports, typ="invoice")
    assert str(info.value).startswith("list_reports: ")


def test_call_takes_the_workspace_by_keyword_and_keeps_later_arguments(make_client: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[{"id": 1}])

    client = make_client(handler)
    client.call(list_report_pages, workspace_id="finance", report_id_or_type_code="7")
    client.call(list_report_pages, "finance", "7")  # positional, then the report
    client.call(list_report_pages, report_id_or_type_code="7")  # the client's workspace
    assert [r.url.path for r in seen] == [
        "/api/v1/ws/finance/reports/7/pages",
        "/api/v1/ws/finance/reports/7/pages",
        f"{WS}/reports/7/pages",
    ]


def test_call_returns_none_for_an_answer_documented_without_a_body(make_client: Any) -> None:
    client = make_client(lambda request: httpx.Response(200))
    assert client.call(deliver_job_run, job_id_or_code="monthly", job_run_id=4) is None
    # A status the spec does not document is still refused.
    client = make_client(lambda request: httpx.Response(202))
    with pytest.raises(cxreports.APIResponseValidationError, match="undocumented status 202"):
        client.call(deliver_job_run, job_id_or_code="monthly", job_run_id=4)
