"""The public client against the local CxReports server, sync and async alike.

Every test takes ``client``, parametrised over ``Client`` and ``AsyncClient`` (the latter
driven through ``tests/clients.py``), so both surfaces are held to the same behaviour.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clients import KINDS, make_client
from pypdf import PdfReader

import cxreports
from cxreports.testing import serve

TOKEN = "test-token-5f2a9c1e7b"


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN, render_delay=0.3) as running:
        yield running


@pytest.fixture(params=KINDS)
def client(request: pytest.FixtureRequest, server: Any) -> Iterator[Any]:
    server.set_faults(None)
    with make_client(request.param, server.url, server.token, "sales") as c:
        yield c
    server.set_faults(None)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# -- listing ---------------------------------------------------------------------------------


def test_workspaces(client: Any) -> None:
    workspaces = client.workspaces()
    assert {w.code for w in workspaces} >= {"sales", "finance", "operations"}
    sales = next(w for w in workspaces if w.code == "sales")
    assert isinstance(sales, cxreports.Workspace)
    assert (sales.id, sales.name) == (1, "Sales")
    with pytest.raises(AttributeError):
        sales.name = "changed"  # type: ignore[misc]


def test_report_types_templates_themes_jobs(client: Any) -> None:
    types = {t.code: t for t in client.report_types()}
    assert types["invoice"].default_report_id == 101
    assert {t.code for t in client.templates()} >= {"default", "letterhead"}
    assert {t.code for t in client.themes()} >= {"default", "corporate", "dark"}
    jobs = {j.code: j for j in client.jobs()}
    assert jobs["monthly-invoices"].review_required is True
    assert jobs["daily-digest"].review_required is False
    # The same lists by workspace id instead of the client's default code.
    assert [t.id for t in client.templates(workspace=1)] == [t.id for t in client.templates()]


def test_reports_filter_and_workspace_override(client: Any) -> None:
    invoices = client.reports(type="invoice")
    assert invoices and all(r.report_type_name == "Invoice" for r in invoices)
    assert any(r.id == 101 and r.is_default for r in invoices)
    everything = client.reports()
    assert len(everything) > len(invoices)
    assert isinstance(everything[0], cxreports.Report)


def test_reports_follow_pages(client: Any, server: Any) -> None:
    server.clear_requests()
    reports = client.reports(workspace="operations")
    assert len(reports) == 130
    assert len({r.id for r in reports}) == 130
    pages = [r for r in server.requests if r.operation_id == "list_reports"]
    assert len(pages) == 2
    assert "limit=100" in pages[0].query and "offset=100" in pages[1].query


def test_report_pages_by_id_code_and_object(client: Any) -> None:
    pages = client.report_pages(101)
    assert len(pages) == 5
    assert {p.type for p in pages} == {"page", "subreport"}
    assert client.report_pages("invoice") == pages
    report = next(r for r in client.reports(type="invoice") if r.id == 101)
    assert client.report_pages(report) == pages


# -- synchronous export --------------------------------------------------------------------------


def test_export_pdf_by_get_with_params(client: Any, server: Any) -> None:
    server.clear_requests()
    params = {"title": "Q1 invoice", "nested": {"n": 1}}
    snapshot = json.dumps(params)
    doc = client.export("invoice", params=params, lang="de", timezone="Europe/Berlin", theme="dark")
    assert json.dumps(params) == snapshot, "the caller's dict must not be mutated"
    assert isinstance(doc, cxreports.Document)
    assert doc.content.startswith(b"%PDF")
    assert doc.content_type == "application/pdf"
    assert doc.filename == "Invoice.pdf"
    text = pdf_text(doc.content)
    for expected in ("Invoice", "Q1 invoice", "Europe/Berlin", "Dark"):
        assert expected in text
    (request,) = [r for r in server.requests if (r.operation_id or "").startswith("export_report")]
    assert request.method == "GET"


def test_export_with_inline_data_goes_by_post(client: Any, server: Any) -> None:
    server.clear_requests()
    data = {"invoiceNumber": "INV-77", "items": [{"description": "Widget", "quantity": 3}]}
    doc = client.export(101, format="pdf", data=data)
    assert "INV-77" in pdf_text(doc.content)
    (request,) = [r for r in server.requests if (r.operation_id or "").startswith("export_report")]
    assert request.method == "POST"


@pytest.mark.clock
def test_export_with_temporary_data_goes_by_get(client: Any, server: Any) -> None:
    temp = client.push_temporary_data({"customer": "Acme GmbH"}, expires=dt.timedelta(hours=1))
    assert isinstance(temp, cxreports.TemporaryData)
    assert temp.expires is not None and temp.expires.tzinfo is not None
    assert temp.expires > dt.datetime.now(dt.UTC)
    server.clear_requests()
    doc = client.export("invoice", temp_data=temp)
    assert "Acme GmbH" in pdf_text(doc.content)
    (request,) = [r for r in server.requests if (r.operation_id or "").startswith("export_report")]
    assert request.method == "GET" and f"tempDataId={temp.id}" in request.query


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        (
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            b"PK",
        ),
        ("html", "text/html", b"<"),
    ],
)
def test_export_other_formats(client: Any, fmt: str, content_type: str, magic: bytes) -> None:
    doc = client.export("invoice", format=fmt)
    assert doc.content_type.split(";")[0] == content_type
    assert doc.content.lstrip().startswith(magic)
    assert doc.filename == f"Invoice.{fmt}"


def test_export_with_attachments_is_a_zip(client: Any) -> None:
    doc = client.export("invoice", include_attachments=True)
    assert doc.content_type == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(doc.content)).namelist()
    assert "Invoice.pdf" in names and len(names) > 1


def test_export_to_file_streams_to_path_and_folder(client: Any, tmp_path: Path) -> None:
    target = tmp_path / "invoice.pdf"
    assert client.export_to_file("invoice", target) == target
    assert pdf_text(target.read_bytes())
    landed = client.export_to_file("invoice", tmp_path, format="xlsx")
    assert landed == tmp_path / "Invoice.xlsx" and landed.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Invoice.xlsx", "invoice.pdf"]


def test_unicode_report_names_are_kept(client: Any, tmp_path: Path) -> None:
    # The server sends an ASCII fallback in filename and the real name in filename*,
    # as ASP.NET does; RFC 6266 says filename* wins.
    name = "Sales Summary \u2013 R\u00e9gion Nord.pdf"
    assert client.export_to_file(106, tmp_path) == tmp_path / name
    assert client.export(106).filename == name


def test_document_save(client: Any, tmp_path: Path) -> None:
    doc = client.export("invoice")
    assert doc.save(tmp_path / "a.pdf").read_bytes() == doc.content
    assert doc.save(tmp_path) == tmp_path / "Invoice.pdf"
    assert "%PDF" not in repr(doc) and "Invoice.pdf" in repr(doc)


# -- async export ------------------------------------------------------------------------------


def test_start_export_wait_and_save(client: Any, server: Any, tmp_path: Path) -> None:
    seen: list[str] = []
    export = client.start_export("invoice", params={"title": "Async"}, exclude_pages=[1002, 1003])
    assert isinstance(export.id, int)
    first = export.status()
    assert first.status == "InProgress" and not first.is_ready
    assert first.expiry_time is not None and first.expiry_time.tzinfo is not None
    export.wait(timeout=30, on_status=lambda s: seen.append(s.status))
    assert seen[-1] == "Completed" and seen.count("Completed") == 1
    status = export.status()
    assert status.is_ready and status.content_type == "application/pdf"
    assert status.name and status.content_size
    doc = export.content()
    assert len(doc.content) == status.content_size
    assert len(PdfReader(io.BytesIO(doc.content)).pages) == 3
    saved = export.save(tmp_path / "async.pdf")
    assert saved.read_bytes() == doc.content


def test_export_wait_polls_cheaply(client: Any, server: Any) -> None:
    export = client.start_export("invoice")
    server.clear_requests()
    export.wait(timeout=30)
    polls = [r for r in server.requests if r.operation_id == "get_export_status"]
    # 0.3 s of rendering: each pause is a tenth of the time waited (at least 10 ms), so
    # about twenty polls, not a busy loop.
    assert 1 <= len(polls) <= 25


def test_get_export_resumes_an_export(client: Any) -> None:
    started = client.start_export("statement", format="docx")
    resumed = client.get_export(started.id)
    assert resumed.wait(timeout=30).content().content.startswith(b"PK")


def test_export_failure_raises_with_server_message(client: Any) -> None:
    export = client.start_export("invoice", params={"simulateFailure": "Data source unavailable"})
    with pytest.raises(cxreports.ExportFailedError) as info:
        export.wait(timeout=30)
    assert info.value.message == "Data source unavailable"
    assert info.value.status.status == "Failed"
    assert isinstance(info.value, RuntimeError)


def test_wait_timeout(client: Any) -> None:
    export = client.start_export("invoice", params={"simulateRenderSeconds": 30})
    with pytest.raises(cxreports.WaitTimeoutError) as info:
        export.wait(timeout=0.4)
    assert info.value.last_status.status == "InProgress"


def test_content_before_ready_is_bad_request(client: Any) -> None:
    export = client.start_export("invoice", params={"simulateRenderSeconds": 30})
    with pytest.raises(cxreports.BadRequestError) as info:
        export.content()
    assert info.value.status_code == 400 and info.value.message


# -- nonce and preview -------------------------------------------------------------------------


def test_create_nonce_and_preview_url(client: Any, server: Any) -> None:
    import httpx

    nonce = client.create_nonce()
    assert isinstance(nonce, str) and len(nonce) >= 16
    url = client.preview_url(
        "invoice", params={"title": "Embedded"}, theme="dark", hide_print_button=True
    )
    parsed = httpx.URL(url)
    assert parsed.path == "/ws/sales/reports/invoice/preview"
    assert parsed.params["hidePrintButton"] == "true" and parsed.params["nonce"]
    assert TOKEN not in url
    page = httpx.get(url)
    assert page.status_code == 200 and "Embedded" in page.text
    assert httpx.get(url).status_code == 401, "a nonce is single-use"


def test_download_url_opens_once_in_a_browser(client: Any) -> None:
    import httpx

    url = client.download_url("invoice", format="xlsx", params={"title": "Link"})
    assert TOKEN not in url
    first = httpx.get(url)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert httpx.get(url).status_code == 401


# -- jobs --------------------------------------------------------------------------------------


def test_job_run_review_and_deliver(client: Any, tmp_path: Path) -> None:
    run = client.start_job_run("monthly-invoices", params={"month": "2026-10"})
    assert isinstance(run.id, int)
    status = run.wait(timeout=30)
    assert status.finished and status.queued == 0
    assert status.review > 0 and status.errors >= 1
    assert status.entries == status.review + status.completed + status.errors
    review = run.review_document()
    saved = review.wait(timeout=30).save(tmp_path / "review.pdf")
    assert saved.read_bytes().startswith(b"%PDF")
    run.deliver()
    after = run.status()
    assert after.review == 0 and after.completed == status.review + status.completed


def test_job_without_review_completes(client: Any) -> None:
    job = next(j for j in client.jobs() if j.code == "daily-digest")
    run = client.start_job_run(job)
    status = run.wait(timeout=30)
    assert status.finished and status.review == 0 and status.completed > 0
    resumed = client.get_job_run(job, run.id)
    assert resumed.status() == status


def test_unknown_job_run_is_not_found(client: Any) -> None:
    with pytest.raises(cxreports.NotFoundError):
        client.get_job_run("monthly-invoices", 999999).status()


# -- errors ------------------------------------------------------------------------------------


def test_not_found_carries_the_server_message(client: Any) -> None:
    with pytest.raises(cxreports.NotFoundError) as info:
        client.export(999999)
    error = info.value
    assert error.status_code == 404
    assert error.message and error.message in str(error)
    assert error.request.method == "GET" and "/reports/999999/pdf" in str(error.request.url)
    assert "authorization" not in error.request.headers
    assert error.body == error.response.json()


def test_failed_sync_render_is_a_bad_request(client: Any) -> None:
    with pytest.raises(cxreports.BadRequestError) as info:
        client.export("invoice", params={"simulateFailure": "Template missing"})
    assert "Template missing" in info.value.message


def test_authentication_error(server: Any) -> None:
    with (
        cxreports.Client(server.url, "wrong-token", "sales") as bad,
        pytest.raises(cxreports.AuthenticationError) as info,
    ):
        bad.workspaces()
    assert info.value.status_code == 401
    assert "wrong-token" not in str(info.value)


def test_unknown_workspace_is_not_found(client: Any) -> None:
    with pytest.raises(cxreports.NotFoundError):
        client.themes(workspace="no-such-workspace")


# -- bad input is refused before anything is sent -------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"format": "odt"}, ValueError, "format must be one of"),
        ({"params": {"when": object()}}, TypeError, "params must be JSON-serialisable"),
        ({"data": {"x": float("nan")}}, TypeError, "data must be JSON-serialisable"),
        ({"data": {"a": 1}, "temp_data": 5}, ValueError, "not both"),
        ({"include_attachments": "yes"}, TypeError, "include_attachments"),
        ({"theme": ""}, ValueError, "theme must not be empty"),
    ],
)
def test_invalid_export_arguments(
    client: Any, server: Any, kwargs: dict[str, Any], error: type[Exception], fragment: str
) -> None:
    server.clear_requests()
    with pytest.raises(error, match=fragment):
        client.export("invoice", **kwargs)
    assert server.requests == []


def test_invalid_references(client: Any, server: Any) -> None:
    server.clear_requests()
    with pytest.raises(TypeError, match="report must be"):
        client.export(True)
    with pytest.raises(ValueError, match="report must not be empty"):
        client.report_pages("  ")
    with pytest.raises(TypeError, match="each of exclude_pages"):
        client.start_export("invoice", exclude_pages=["cover"])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        client.export_to_file("invoice", "/no/such/folder/x.pdf")
    assert server.requests == []


def test_missing_workspace_is_a_configuration_error(server: Any) -> None:
    with cxreports.Client(server.url, server.token) as c:
        server.clear_requests()
        with pytest.raises(cxreports.ConfigurationError, match="no workspace"):
            c.reports()
        assert server.requests == []
        assert c.workspaces()  # workspace-free calls still work


@pytest.mark.parametrize("kind", KINDS)
def test_reports_follow_pages_a_server_caps(kind: str) -> None:
    with (
        serve(token=TOKEN, max_page_size=40) as capped,
        make_client(kind, capped.url, capped.token, "operations") as c,
    ):
        reports = c.reports()
        offsets = [r.query for r in capped.requests if r.operation_id == "list_reports"]
    assert len({r.id for r in reports}) == len(reports) == 130
    assert len(offsets) == 4 and "offset=120" in offsets[-1]
