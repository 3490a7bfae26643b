"""Contract tests for cxreports.testing: every operation and every documented status, over HTTP.

Read-only and self-contained tests share one server per module (`api`); tests that need
server options or a clean request log get a fresh one from the package's own pytest plugin
(`cxreports_server`, through `fresh`), which also proves the fixture works. Only 127.0.0.1 is
contacted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from cxreports.testing import LocalServer, serve

WS = "/ws/sales"
JSON_BODY = {"Content-Type": "application/json"}


def client_for(server: LocalServer) -> httpx.Client:
    return httpx.Client(
        base_url=server.api_url, headers={"Authorization": f"Bearer {server.token}"}, timeout=10
    )


@pytest.fixture(scope="module")
def shared() -> Iterator[LocalServer]:
    with serve() as server:
        yield server


@pytest.fixture(scope="module")
def api(shared: LocalServer) -> Iterator[httpx.Client]:
    with client_for(shared) as client:
        yield client


@pytest.fixture
def fresh(cxreports_server: LocalServer) -> Iterator[httpx.Client]:
    with client_for(cxreports_server) as client:
        yield client


def wait_for(check: Any, timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


# -- auth ------------------------------------------------------------------------------------

ALL_OPERATIONS = [
    ("GET", "/workspaces"),
    ("POST", "/nonce-tokens"),
    ("GET", WS + "/reports"),
    ("GET", WS + "/reports/invoice/pages"),
    ("GET", WS + "/reports/invoice/pdf"),
    ("POST", WS + "/reports/invoice/pdf"),
    ("POST", WS + "/reports/invoice/export"),
    ("GET", WS + "/exports/1/status"),
    ("GET", WS + "/exports/1/content"),
    ("POST", WS + "/temporary-data"),
    ("GET", WS + "/report-types"),
    ("GET", WS + "/templates"),
    ("GET", WS + "/themes"),
    ("GET", WS + "/jobs"),
    ("POST", WS + "/jobs/monthly-invoices/runs"),
    ("GET", WS + "/jobs/monthly-invoices/runs/1/status"),
    ("POST", WS + "/jobs/monthly-invoices/runs/1/generate-review-document"),
    ("POST", WS + "/jobs/monthly-invoices/runs/1/deliver"),
]


def test_every_operation_is_listed_once() -> None:
    assert len(ALL_OPERATIONS) == 18 == len(set(ALL_OPERATIONS))


@pytest.mark.parametrize(("method", "path"), ALL_OPERATIONS)
def test_401_without_a_valid_bearer_token(shared: LocalServer, method: str, path: str) -> None:
    with httpx.Client(base_url=shared.api_url) as client:
        for auth in [None, "Bearer wrong-token", "Basic abc", "Bearer", shared.token, "Bearer x y"]:
            headers = {"Authorization": auth} if auth else {}
            response = client.request(method, path, headers=headers, json={})
            assert response.status_code == 401, auth
            assert response.json() == {"error": "Missing or invalid bearer token"}
            assert response.headers["www-authenticate"] == "Bearer"


def test_token_is_configurable_and_scheme_case_insensitive() -> None:
    with serve(token="s3cret") as server:
        url = server.api_url + "/workspaces"
        assert httpx.get(url, headers={"Authorization": "bearer s3cret"}).status_code == 200
        assert (
            httpx.get(url, headers={"Authorization": "Bearer cxreports-local-token"}).status_code
            == 401
        )
        assert server.token == "s3cret"


# -- catalogue -------------------------------------------------------------------------------


def test_server_attributes(shared: LocalServer) -> None:
    assert shared.url.startswith("http://127.0.0.1:")
    assert shared.api_url == shared.url + "/api/v1"
    assert shared.workspace == "sales"
    assert shared.workspace_id == 1
    assert shared.token == "cxreports-local-token"


def test_list_workspaces(api: httpx.Client) -> None:
    response = api.get("/workspaces")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    workspaces = response.json()
    assert [(w["id"], w["code"], w["name"]) for w in workspaces] == [
        (1, "sales", "Sales"),
        (2, "finance", "Finance"),
        (3, "operations", "Operations"),
    ]
    assert all(set(w) == {"id", "name", "description", "code"} for w in workspaces)


@pytest.mark.parametrize("ws", ["sales", "1"])
def test_workspace_by_id_or_code(api: httpx.Client, ws: str) -> None:
    assert api.get(f"/ws/{ws}/themes").json() == [
        {"id": 31, "name": "Default", "code": "default"},
        {"id": 32, "name": "Corporate", "code": "corporate"},
        {"id": 33, "name": "Dark", "code": "dark"},
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/reports",
        "/reports/invoice/pages",
        "/report-types",
        "/templates",
        "/themes",
        "/jobs",
        "/exports/1/status",
        "/exports/1/content",
        "/jobs/monthly-invoices/runs/1/status",
    ],
)
@pytest.mark.parametrize("ws", ["nope", "99", "Sales"])
def test_unknown_workspace_is_404(api: httpx.Client, path: str, ws: str) -> None:
    response = api.get(f"/ws/{ws}{path}")
    assert response.status_code == 404
    assert response.json() == {"error": f"Workspace '{ws}' not found"}


def test_templates_report_types_and_jobs(api: httpx.Client) -> None:
    assert [t["code"] for t in api.get(WS + "/templates").json()] == ["default", "letterhead"]
    types = {t["code"]: t for t in api.get(WS + "/report-types").json()}
    assert set(types) == {"invoice", "statement", "sales-summary"}
    assert types["invoice"]["defaultReportId"] == 101
    assert types["invoice"]["defaultReportName"] == "Invoice"
    jobs = {j["code"]: j for j in api.get(WS + "/jobs").json()}
    assert jobs["monthly-invoices"]["reviewRequired"] is True
    assert jobs["daily-digest"]["reviewRequired"] is False
    assert set(jobs["daily-digest"]) == {
        "id", "name", "description", "code", "reviewRequired", "isActive", "lastRunTime",
    }  # fmt: skip


def test_list_reports_and_type_filter(api: httpx.Client) -> None:
    reports = api.get(WS + "/reports").json()
    invoice = next(r for r in reports if r["id"] == 101)
    assert invoice == {
        "id": 101,
        "name": "Invoice",
        "reportTypeId": 11,
        "reportTypeName": "Invoice",
        "reportTemplateName": "Letterhead",
        "themeName": "Corporate",
        "isDefault": True,
    }
    invoices = api.get(WS + "/reports", params={"type": "invoice"}).json()
    assert [r["id"] for r in invoices] == [101, 102]
    assert [r["isDefault"] for r in invoices] == [True, False]
    assert api.get(WS + "/reports", params={"type": "unknown-type"}).json() == []


def test_list_reports_pages_with_limit_and_offset(api: httpx.Client) -> None:
    everything = api.get("/ws/operations/reports")
    assert len(everything.json()) == 130
    assert everything.headers["x-total-count"] == "130"
    ids = [r["id"] for r in everything.json()]
    assert len(set(ids)) == 130
    page = api.get("/ws/operations/reports", params={"limit": 50, "offset": 100}).json()
    assert [r["id"] for r in page] == ids[100:130]
    assert api.get("/ws/operations/reports", params={"limit": 10, "offset": 500}).json() == []
    assert len(api.get("/ws/operations/reports", params={"limit": 0}).json()) == 130
    negative = api.get("/ws/operations/reports", params={"offset": -3})
    assert negative.status_code == 400
    assert negative.json()["errors"] == {"offset": ["offset must not be negative."]}


@pytest.mark.cxreports_server(max_page_size=25)
def test_max_page_size_caps_pages_even_when_more_is_asked(fresh: httpx.Client) -> None:
    first = fresh.get("/ws/operations/reports", params={"limit": 100}).json()
    assert len(first) == 25
    assert len(fresh.get("/ws/operations/reports").json()) == 25
    assert len(fresh.get("/ws/operations/reports", params={"limit": 10}).json()) == 10
    collected: list[int] = []
    while True:
        page = fresh.get("/ws/operations/reports", params={"limit": 100, "offset": len(collected)})
        if not page.json():
            break
        collected += [r["id"] for r in page.json()]
    assert collected == list(range(301, 431))


@pytest.mark.parametrize(
    ("query", "field"), [({"limit": "ten"}, "limit"), ({"offset": "2147483648"}, "offset")]
)
def test_bad_paging_values_are_problem_details(
    api: httpx.Client, query: dict[str, str], field: str
) -> None:
    response = api.get("/ws/operations/reports", params=query)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["title"] and body["type"].startswith("https://")
    assert field in body["errors"]


@pytest.mark.parametrize("report", ["invoice", "101"])
def test_report_pages_by_id_or_type_code(api: httpx.Client, report: str) -> None:
    pages = api.get(f"{WS}/reports/{report}/pages").json()
    assert len(pages) == 5
    assert {p["type"] for p in pages} == {"page", "subreport"}
    assert pages[0] == {"id": 1001, "name": "Cover", "type": "page"}


@pytest.mark.parametrize("report", ["nope", "999", "201"])  # 201 exists, in finance
def test_unknown_report_is_404(api: httpx.Client, report: str) -> None:
    for method, suffix in [
        ("GET", "/pages"),
        ("GET", "/pdf"),
        ("POST", "/pdf"),
        ("POST", "/export"),
    ]:
        response = api.request(method, f"{WS}/reports/{report}{suffix}", json={})
        assert response.status_code == 404, (method, suffix)
        assert "not found" in response.json()["error"]


def test_type_code_means_the_default_report(api: httpx.Client) -> None:
    by_code = api.get(WS + "/reports/statement/pdf", params={"format": "html"})
    by_id = api.get(WS + "/reports/103/pdf", params={"format": "html"})
    assert by_code.status_code == by_id.status_code == 200
    assert by_code.headers["content-disposition"] == by_id.headers["content-disposition"]
    assert "<title>Statement</title>" in by_code.text


def test_unknown_route_and_wrong_method(api: httpx.Client) -> None:
    response = api.get("/nothing-here")
    assert response.status_code == 404 and "error" in response.json()
    response = api.delete(WS + "/reports/invoice/pdf")
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


# -- exports ---------------------------------------------------------------------------------


def test_sync_export_post_and_get(api: httpx.Client) -> None:
    post = api.post(WS + "/reports/invoice/pdf", json={"params": {"title": "Q1"}})
    get = api.get(WS + "/reports/invoice/pdf")
    for response in (post, get):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert int(response.headers["content-length"]) == len(response.content)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        b"null",
        b'{"format": "doc"}',
        b'{"format": null}',
        b'{"includeAttachments": "yes"}',
        b'{"lang": 5}',
        b'{"excludePages": [1.5]}',
        b'{"excludePages": [4294967296]}',
        b'{"tempDataId": "7"}',
        b'{"params": NaN}',
    ],
)
@pytest.mark.parametrize("endpoint", ["/pdf", "/export"])
def test_export_bodies_are_validated_like_aspnet(
    api: httpx.Client, body: bytes, endpoint: str
) -> None:
    response = api.post(
        WS + "/reports/invoice" + endpoint,
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"] == "One or more validation errors occurred."
    assert problem["errors"] and problem["detail"]


@pytest.mark.parametrize(
    "query",
    [
        {"format": "doc"},
        {"includeAttachments": "maybe"},
        {"tempDataId": "x"},
        {"tempDataId": "3000000000"},
    ],
)
def test_export_query_is_validated(api: httpx.Client, query: dict[str, str]) -> None:
    response = api.get(WS + "/reports/invoice/pdf", params=query)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query)


@pytest.mark.parametrize("value", ["{oops", "not-base64-nor-json!", "e30"[:2]])
def test_invalid_params_json_is_a_400_with_a_message(api: httpx.Client, value: str) -> None:
    response = api.get(WS + "/reports/invoice/pdf", params={"params": value})
    assert response.status_code == 400
    assert "params" in response.json()["error"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"theme": "neon"}, "Theme 'neon' not found"),
        ({"template": "99"}, "Template '99' not found"),
    ],
)
def test_unknown_theme_or_template_is_404(
    api: httpx.Client, query: dict[str, str], message: str
) -> None:
    response = api.get(WS + "/reports/invoice/pdf", params=query)
    assert response.status_code == 404
    assert response.json() == {"error": message}


def test_simulate_failure_on_sync_exports_is_400(api: httpx.Client) -> None:
    params = {"simulateFailure": "Data source timed out"}
    post = api.post(WS + "/reports/invoice/pdf", json={"params": params})
    assert (post.status_code, post.json()) == (400, {"error": "Data source timed out"})
    get = api.get(WS + "/reports/invoice/pdf", params={"params": '{"simulateFailure": "boom"}'})
    assert (get.status_code, get.json()) == (400, {"error": "boom"})


def test_all_pages_excluded_is_400(api: httpx.Client) -> None:
    response = api.post(WS + "/reports/102/export", json={"excludePages": [1006, 1007]})
    assert response.status_code == 400
    assert "no pages" in response.json()["error"]


@pytest.mark.cxreports_server(render_delay=0.3)
def test_async_export_state_machine(fresh: httpx.Client) -> None:
    started = fresh.post(
        WS + "/reports/invoice/export", json={"format": "docx", "params": {"a": 1}}
    )
    assert started.status_code == 202
    file_id = started.json()["temporaryFileId"]
    assert set(started.json()) == {"temporaryFileId"}

    status = fresh.get(f"{WS}/exports/{file_id}/status").json()
    assert status["status"] == "InProgress" and status["isReady"] is False
    assert status["id"] == file_id
    assert (
        status["name"] is None and status["contentSize"] is None and status["contentType"] is None
    )
    assert status["errorMessage"] is None
    expiry = datetime.fromisoformat(status["expiryTime"])
    assert status["expiryTime"].endswith("Z")
    assert timedelta(minutes=59) < expiry - datetime.now(UTC) <= timedelta(hours=1)

    early = fresh.get(f"{WS}/exports/{file_id}/content")
    assert early.status_code == 400
    assert "not ready" in early.json()["error"]

    done = wait_for(
        lambda: (
            fresh.get(f"{WS}/exports/{file_id}/status").json()["isReady"]
            and fresh.get(f"{WS}/exports/{file_id}/status").json()
        )
    )
    assert done["status"] == "Completed"
    assert done["name"] == "Invoice.docx"
    assert (
        done["contentType"]
        == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    content = fresh.get(f"{WS}/exports/{file_id}/content")
    assert content.status_code == 200
    assert len(content.content) == done["contentSize"] == int(content.headers["content-length"])
    assert content.headers["content-type"] == done["contentType"]
    assert content.content[:2] == b"PK"
    # Exports belong to their workspace.
    assert fresh.get(f"/ws/finance/exports/{file_id}/status").status_code == 404


@pytest.mark.cxreports_server(render_delay=5)
def test_simulate_render_seconds_overrides_the_delay(fresh: httpx.Client) -> None:
    fast = fresh.post(WS + "/reports/invoice/export", json={"params": {"simulateRenderSeconds": 0}})
    slow = fresh.post(WS + "/reports/invoice/export", json={})
    assert (
        fresh.get(f"{WS}/exports/{fast.json()['temporaryFileId']}/status").json()["isReady"] is True
    )
    assert (
        fresh.get(f"{WS}/exports/{slow.json()['temporaryFileId']}/status").json()["status"]
        == "InProgress"
    )
    bad = fresh.post(
        WS + "/reports/invoice/export", json={"params": {"simulateRenderSeconds": "x"}}
    )
    assert bad.status_code == 400 and "simulateRenderSeconds" in bad.json()["error"]


@pytest.mark.cxreports_server(render_delay=0.1)
def test_async_export_failure(fresh: httpx.Client) -> None:
    started = fresh.post(
        WS + "/reports/statement/export", json={"params": {"simulateFailure": "Printer on fire"}}
    )
    assert started.status_code == 202
    file_id = started.json()["temporaryFileId"]
    assert fresh.get(f"{WS}/exports/{file_id}/status").json()["status"] == "InProgress"
    status = wait_for(
        lambda: (
            (s := fresh.get(f"{WS}/exports/{file_id}/status").json())["status"] != "InProgress"
            and s
        )
    )
    assert status["status"] == "Failed"
    assert status["isReady"] is False
    assert status["errorMessage"] == "Printer on fire"
    assert status["contentSize"] is None and status["expiryTime"]
    content = fresh.get(f"{WS}/exports/{file_id}/content")
    assert content.status_code == 400
    assert "Printer on fire" in content.json()["error"]


@pytest.mark.cxreports_server(export_ttl=0.3)
def test_exports_expire(fresh: httpx.Client) -> None:
    file_id = fresh.post(WS + "/reports/invoice/export", json={}).json()["temporaryFileId"]
    assert fresh.get(f"{WS}/exports/{file_id}/status").status_code == 200
    time.sleep(0.4)
    for suffix in ("status", "content"):
        response = fresh.get(f"{WS}/exports/{file_id}/{suffix}")
        assert response.status_code == 404
        assert str(file_id) in response.json()["error"]


@pytest.mark.parametrize("file_id", ["999999", "abc", "-1", "99999999999"])
def test_unknown_export_is_404(api: httpx.Client, file_id: str) -> None:
    for suffix in ("status", "content"):
        assert api.get(f"{WS}/exports/{file_id}/{suffix}").status_code == 404


# -- temporary data --------------------------------------------------------------------------


@pytest.mark.clock
def test_temporary_data_round_trip(api: httpx.Client) -> None:
    pushed = api.post(WS + "/temporary-data", json={"content": {"customer": "Zed Industries"}})
    assert pushed.status_code == 200
    body = pushed.json()
    expiry = datetime.fromisoformat(body["expiryDate"])
    assert timedelta(hours=23) < expiry - datetime.now(UTC) <= timedelta(hours=24)
    html = api.get(
        WS + "/reports/invoice/pdf", params={"tempDataId": body["tempDataId"], "format": "html"}
    )
    assert html.status_code == 200 and "Zed Industries" in html.text
    # The data of another workspace is invisible.
    other = api.get("/ws/finance/reports/201/pdf", params={"tempDataId": body["tempDataId"]})
    assert other.status_code == 404


@pytest.mark.clock
def test_temporary_data_explicit_expiry(api: httpx.Client) -> None:
    when = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    pushed = api.post(
        WS + "/temporary-data", json={"content": [1, 2], "expiryDate": when.isoformat()}
    )
    assert pushed.status_code == 200
    assert datetime.fromisoformat(pushed.json()["expiryDate"]) == when


@pytest.mark.clock
def test_temporary_data_expires(api: httpx.Client) -> None:
    when = datetime.now(UTC) + timedelta(seconds=0.3)
    temp_id = api.post(
        WS + "/temporary-data", json={"content": {"x": 1}, "expiryDate": when.isoformat()}
    ).json()["tempDataId"]
    assert api.post(WS + "/reports/invoice/export", json={"tempDataId": temp_id}).status_code == 202
    time.sleep(0.4)
    response = api.post(WS + "/reports/invoice/export", json={"tempDataId": temp_id})
    assert response.status_code == 404
    assert response.json() == {"error": f"Temporary data {temp_id} not found or expired"}


@pytest.mark.clock
def test_temporary_data_errors(api: httpx.Client) -> None:
    missing = api.post(WS + "/temporary-data", json={"expiryDate": None})
    assert missing.status_code == 400 and "content" in missing.json()["errors"]
    empty = api.post(WS + "/temporary-data")
    assert empty.status_code == 400 and empty.json()["status"] == 400
    past = api.post(
        WS + "/temporary-data", json={"content": 1, "expiryDate": "2020-01-01T00:00:00Z"}
    )
    assert past.status_code == 400 and "future" in past.json()["error"]
    garbage = api.post(WS + "/temporary-data", json={"content": 1, "expiryDate": "tomorrow"})
    assert garbage.status_code == 400 and "expiryDate" in garbage.json()["errors"]
    unknown = api.get(WS + "/reports/invoice/pdf", params={"tempDataId": 5})
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "Temporary data 5 not found or expired"}
    assert api.post("/ws/nope/temporary-data", json={"content": 1}).status_code == 404


# -- jobs ------------------------------------------------------------------------------------


def run_status(api: httpx.Client, job: str, run_id: int) -> dict[str, Any]:
    response = api.get(f"{WS}/jobs/{job}/runs/{run_id}/status")
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


@pytest.mark.cxreports_server(render_delay=0.3)
def test_job_with_review(fresh: httpx.Client) -> None:
    started = fresh.post(WS + "/jobs/monthly-invoices/runs", json={"params": {}, "data": {}})
    assert started.status_code == 200
    run_id = started.json()["jobRunId"]
    first = run_status(fresh, "monthly-invoices", run_id)
    assert first == {
        "finished": False,
        "entries": 6,
        "status": {"queued": 6, "review": 0, "completed": 0, "errors": 0},
    }
    early_review = fresh.post(f"{WS}/jobs/monthly-invoices/runs/{run_id}/generate-review-document")
    assert early_review.status_code == 400 and "still running" in early_review.json()["error"]
    early = fresh.post(f"{WS}/jobs/monthly-invoices/runs/{run_id}/deliver")
    assert early.status_code == 400 and "still running" in early.json()["error"]

    final = wait_for(lambda: (s := run_status(fresh, "monthly-invoices", run_id))["finished"] and s)
    assert final["status"] == {"queued": 0, "review": 5, "completed": 0, "errors": 1}

    review = fresh.post(f"{WS}/jobs/monthly-invoices/runs/{run_id}/generate-review-document")
    assert review.status_code == 202
    file_id = review.json()["temporaryFileId"]
    wait_for(lambda: fresh.get(f"{WS}/exports/{file_id}/status").json()["isReady"])
    pdf = fresh.get(f"{WS}/exports/{file_id}/content")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "Acme Corporation: review" in text
    assert "Umbrella plc: Customer has no billing address" in text

    delivered = fresh.post(f"{WS}/jobs/monthly-invoices/runs/{run_id}/deliver")
    assert delivered.status_code == 200 and delivered.content == b""
    assert run_status(fresh, "monthly-invoices", run_id)["status"] == {
        "queued": 0, "review": 0, "completed": 5, "errors": 1,
    }  # fmt: skip
    jobs = {j["code"]: j for j in fresh.get(WS + "/jobs").json()}
    last = datetime.fromisoformat(jobs["monthly-invoices"]["lastRunTime"])
    assert datetime.now(UTC) - last < timedelta(minutes=1)


def test_job_without_review_completes_and_refuses_delivery(api: httpx.Client) -> None:
    run_id = api.post(WS + "/jobs/daily-digest/runs").json()["jobRunId"]
    status = run_status(api, "daily-digest", run_id)
    assert status == {
        "finished": True,
        "entries": 2,
        "status": {"queued": 0, "review": 0, "completed": 2, "errors": 0},
    }
    response = api.post(f"{WS}/jobs/daily-digest/runs/{run_id}/deliver")
    assert response.status_code == 400
    assert "does not require review" in response.json()["error"]


def test_job_by_id_and_failure_trigger(api: httpx.Client) -> None:
    run_id = api.post(
        WS + "/jobs/52/runs", json={"params": {"simulateFailure": "SMTP down"}}
    ).json()["jobRunId"]
    assert run_status(api, "52", run_id)["status"]["errors"] == 2
    assert run_status(api, "daily-digest", run_id)["finished"] is True


def test_job_errors(api: httpx.Client) -> None:
    assert api.post(WS + "/jobs/nope/runs", json={}).status_code == 404
    assert (
        api.post(WS + "/jobs/monthly-invoices/runs", content=b"[]", headers=JSON_BODY).status_code
        == 400
    )
    inactive = api.post("/ws/finance/jobs/month-end-pack/runs", json={})
    assert inactive.status_code == 400 and "not active" in inactive.json()["error"]
    run_id = api.post(WS + "/jobs/monthly-invoices/runs", json={}).json()["jobRunId"]
    for path in [
        f"/jobs/daily-digest/runs/{run_id}/status",  # a run of another job
        "/jobs/monthly-invoices/runs/424242/status",
        "/jobs/monthly-invoices/runs/x/status",
        f"/jobs/nope/runs/{run_id}/status",
    ]:
        assert api.get(WS + path).status_code == 404, path
    for action in ("deliver", "generate-review-document"):
        response = api.post(f"{WS}/jobs/monthly-invoices/runs/424242/{action}")
        assert response.status_code == 404 and "424242" in response.json()["error"]


# -- nonce, swagger, request log -------------------------------------------------------------


def test_nonce_tokens_are_unique(api: httpx.Client) -> None:
    nonces = {api.post("/nonce-tokens").json()["nonce"] for _ in range(5)}
    assert len(nonces) == 5 and all(len(n) >= 20 for n in nonces)


def test_swagger_document_without_auth(shared: LocalServer) -> None:
    response = httpx.get(shared.url + "/swagger/v1/swagger.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/workspaces" in document["paths"]
    changed = httpx.get(shared.url + "/swagger/v2/swagger.json").json()
    assert changed != document


def test_request_log(cxreports_server: LocalServer, fresh: httpx.Client) -> None:
    fresh.get("/workspaces")
    fresh.post(WS + "/reports/invoice/export", json={})
    fresh.get(WS + "/reports", params={"type": "invoice"})
    httpx.get(cxreports_server.api_url + "/workspaces")
    records = cxreports_server.requests
    assert [(r.method, r.path, r.operation_id, r.status) for r in records] == [
        ("GET", "/api/v1/workspaces", "list_workspaces", 200),
        ("POST", "/api/v1/ws/sales/reports/invoice/export", "start_report_export", 202),
        ("GET", "/api/v1/ws/sales/reports", "list_reports", 200),
        ("GET", "/api/v1/workspaces", "list_workspaces", 401),
    ]
    assert records[2].query == "type=invoice"
    assert all(r.fault is None for r in records)
    cxreports_server.clear_requests()
    assert cxreports_server.requests == []


def test_request_log_is_bounded() -> None:
    from cxreports.testing.app import RequestLog, RequestRecord

    log = RequestLog(limit=3)
    for n in range(5):
        log.append(RequestRecord("GET", f"/{n}", "", None))
    assert [r.path for r in log.snapshot()] == ["/2", "/3", "/4"]


@pytest.mark.parametrize("ws", ["--5", "-1", "\uff11", "\u00b2", "99999999999999999999"])
def test_odd_numeric_looking_ids_are_404(api: httpx.Client, ws: str) -> None:
    assert api.get(f"/ws/{ws}/themes").status_code == 404
    assert api.get(f"{WS}/reports/{ws}/pages").status_code == 404
    assert api.post(f"{WS}/jobs/{ws}/runs", json={}).status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"theme": "\\ud800"}', 404),
        (b'{"template": "x\\udfff"}', 404),
        (b'{"format": "\\ud800"}', 400),
    ],
)
def test_lone_surrogates_echoed_in_errors_stay_valid_json(
    api: httpx.Client, body: bytes, status: int
) -> None:
    response = api.post(WS + "/reports/invoice/pdf", content=body, headers=JSON_BODY)
    assert response.status_code == status
    assert response.json()  # parses: the surrogate is escaped, not a 500


def test_reset_returns_to_the_seed(cxreports_server: LocalServer, fresh: httpx.Client) -> None:
    file_id = fresh.post(WS + "/reports/invoice/export", json={}).json()["temporaryFileId"]
    fresh.post(WS + "/jobs/daily-digest/runs")
    cxreports_server.store.render_delay = 30
    cxreports_server.set_faults("list_workspaces:500")
    cxreports_server.reset()
    assert cxreports_server.requests == []
    assert fresh.get("/workspaces").status_code == 200
    assert fresh.get(f"{WS}/exports/{file_id}/status").status_code == 404
    jobs = {j["code"]: j for j in fresh.get(WS + "/jobs").json()}
    assert jobs["daily-digest"]["lastRunTime"] == "2026-11-22T06:00:00.000Z"
    started = fresh.post(WS + "/reports/invoice/export", json={}).json()["temporaryFileId"]
    assert fresh.get(f"{WS}/exports/{started}/status").json()["isReady"] is True
