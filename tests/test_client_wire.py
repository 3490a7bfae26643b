"""Every argument of every public method reaches the request, on ``Client`` and
``AsyncClient`` alike (hand-made answers, httpx.MockTransport).

A keyword dropped on its way from a public method to the request builder is a silent
wrong answer: the report renders, in the wrong language, theme or workspace. So each test
sets every argument to a value that differs from its default and reads the request back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from clients import AsyncClientDriver
from cxreports_api.api.reports import list_reports
from test_request_options import ANSWERS, PDF, TOKEN

import cxreports

Handler = Callable[[httpx.Request], httpx.Response]

FIN = "/api/v1/ws/finance"


def answer(request: httpx.Request) -> httpx.Response:
    """test_request_options' answers, for the ``finance`` workspace as for ``sales``."""
    path = request.url.path.replace(FIN, "/api/v1/ws/sales")
    if path.endswith(("/pdf", "/content")):
        headers = {"Content-Disposition": 'attachment; filename="Q3 sales.pdf"'}
        return httpx.Response(200, content=PDF, headers=headers)
    status = 202 if path.endswith(("/export", "/generate-review-document")) else 200
    return httpx.Response(status, json=ANSWERS[path])


@pytest.fixture(params=["sync", "async"])
def client_and_seen(request: pytest.FixtureRequest) -> Iterator[tuple[Any, list[httpx.Request]]]:
    """A client on the ``sales`` workspace, and the requests it sends."""
    seen: list[httpx.Request] = []

    def handler(sent: httpx.Request) -> httpx.Response:
        seen.append(sent)
        return answer(sent)

    transport = httpx.MockTransport(handler)
    client: Any
    if request.param == "sync":
        http = httpx.Client(transport=transport)
        client = cxreports.Client("https://cx.example", TOKEN, "sales", http_client=http)
    else:
        ahttp = httpx.AsyncClient(transport=transport)
        client = AsyncClientDriver(
            cxreports.AsyncClient("https://cx.example", TOKEN, "sales", http_client=ahttp)
        )
    yield client, seen
    client.close()


def sent(request: httpx.Request) -> tuple[str, str, dict[str, str]]:
    return request.method, request.url.path, dict(request.url.params)


# -- synchronous exports ------------------------------------------------------------------------


def test_export_by_get_sends_every_option(client_and_seen: Any) -> None:
    client, seen = client_and_seen
    document = client.export(
        7, format="docx", params={"a": 1}, temp_data=5, lang="de", timezone="Europe/Berlin",
        theme="dark", template="letterhead", include_attachments=True, workspace="finance",
    )  # fmt: skip
    assert [sent(r) for r in seen] == [
        ("GET", f"{FIN}/reports/7/pdf", {
            "format": "docx", "params": '{"a":1}', "tempDataId": "5", "lang": "de",
            "timezone": "Europe/Berlin", "theme": "dark", "template": "letterhead",
            "includeAttachments": "true",
        }),
    ]  # fmt: skip
    assert document.content == PDF and document.filename == "Q3 sales.pdf"


def test_export_defaults_to_a_pdf_without_attachments_in_the_client_workspace(
    client_and_seen: Any,
) -> None:
    client, seen = client_and_seen
    client.export(7)
    assert [sent(r) for r in seen] == [("GET", "/api/v1/ws/sales/reports/7/pdf", {"format": "pdf"})]


def test_export_with_data_posts_every_option(client_and_seen: Any) -> None:
    client, seen = client_and_seen
    client.export(
        "invoice", format="xlsx", params={"a": 1}, data={"rows": [1]}, lang="fr", timezone="UTC",
        theme=3, template=4, include_attachments=True, workspace="finance",
    )  # fmt: skip
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", f"{FIN}/reports/invoice/pdf")
    assert json.loads(request.content) == {
        "format": "xlsx", "params": {"a": 1}, "data": {"rows": [1]}, "lang": "fr",
        "timezone": "UTC", "theme": "3", "template": "4", "includeAttachments": True,
    }  # fmt: skip


def test_export_to_file_sends_every_option_and_names_the_file_as_the_server_does(
    client_and_seen: Any, tmp_path: Path
) -> None:
    client, seen = client_and_seen
    saved = client.export_to_file(
        7, tmp_path, format="docx", params={"a": 1}, lang="de", workspace="finance"
    )
    assert [sent(r) for r in seen] == [
        ("GET", f"{FIN}/reports/7/pdf", {"format": "docx", "params": '{"a":1}', "lang": "de"})
    ]
    assert saved == tmp_path / "Q3 sales.pdf" and saved.read_bytes() == PDF
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Q3 sales.pdf"]
    named = client.export_to_file(7, tmp_path / "mine.pdf")
    assert named == tmp_path / "mine.pdf" and named.read_bytes() == PDF


# -- asynchronous exports and jobs ---------------------------------------------------------------


def test_start_export_sends_every_option_and_polls_that_export(client_and_seen: Any) -> None:
    client, seen = client_and_seen
    export = client.start_export(
        7, exclude_pages=[2, cxreports.ReportPage(3)], format="docx", params={"a": 1},
        temp_data=5, lang="de", timezone="UTC", theme="dark", template="t",
        include_attachments=True, workspace="finance",
    )  # fmt: skip
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", f"{FIN}/reports/7/export")
    assert json.loads(request.content) == {
        "excludePages": [2, 3], "format": "docx", "params": {"a": 1}, "tempDataId": 5,
        "lang": "de", "timezone": "UTC", "theme": "dark", "template": "t",
        "includeAttachments": True,
    }  # fmt: skip
    assert (export.id, export.workspace) == (12, "finance")
    assert export.wait().last_status.is_ready
    assert sent(seen[-1]) == ("GET", f"{FIN}/exports/12/status", {})


def test_get_export_and_get_job_run_address_the_given_workspace(client_and_seen: Any) -> None:
    client, seen = client_and_seen
    export = client.get_export(12, workspace="finance")
    assert (export.id, export.workspace) == (12, "finance")
    export.status()
    run = client.get_job_run("monthly", 4, workspace="finance")
    assert (run.id, run.job, run.workspace) == (4, "monthly", "finance")
    run.status()
    assert [sent(r) for r in seen] == [
        ("GET", f"{FIN}/exports/12/status", {}),
        ("GET", f"{FIN}/jobs/monthly/runs/4/status", {}),
    ]
    assert client.get_export(12).workspace == client.get_job_run("monthly", 4).workspace == "sales"
    with pytest.raises(TypeError, match=r"^temp_file_id must be a non-negative int, not '12'$"):
        client.get_export("12")
    with pytest.raises(TypeError, match=r"^run_id must be a non-negative int, not '4'$"):
        client.get_job_run("monthly", "4")


def test_start_job_run_sends_params_and_data_to_the_given_workspace(client_and_seen: Any) -> None:
    client, seen = client_and_seen
    run = client.start_job_run("monthly", params={"p": 1}, data={"d": 2}, workspace="finance")
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", f"{FIN}/jobs/monthly/runs")
    assert json.loads(request.content) == {"params": {"p": 1}, "data": {"d": 2}}
    assert (run.id, run.job, run.workspace) == (4, "monthly", "finance")
    run.status()
    assert sent(seen[-1]) == ("GET", f"{FIN}/jobs/monthly/runs/4/status", {})


def test_push_temporary_data_sends_the_expiry_to_the_given_workspace(client_and_seen: Any) -> None:
    client, seen = client_and_seen
    # Ten days from now, whatever today is.
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=10)).replace(microsecond=0)
    temp = client.push_temporary_data({"a": 1}, expires=expires, workspace="finance")
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", f"{FIN}/temporary-data")
    assert json.loads(request.content) == {"content": {"a": 1}, "expiryDate": expires.isoformat()}
    assert temp.id == 9


# -- browser URLs ----------------------------------------------------------------------------


def test_preview_url_carries_every_option(client_and_seen: Any) -> None:
    client, seen = client_and_seen
    preview = client.preview_url(
        7, params={"a": 1}, temp_data=5, timezone="UTC", theme="dark", template="t",
        hide_print_button=True, workspace="finance",
    )  # fmt: skip
    url = httpx.URL(preview)
    assert url.path == "/ws/finance/reports/7/preview"
    assert dict(url.params) == {
        "params": '{"a":1}', "tempDataId": "5", "timezone": "UTC", "theme": "dark",
        "template": "t", "hidePrintButton": "true", "nonce": "n-1",
    }  # fmt: skip
    inline = httpx.URL(client.preview_url(7, data={"rows": [1]}))
    assert inline.params["data"] == '{"rows":[1]}'
    plain = httpx.URL(client.preview_url(7))
    assert (plain.path, dict(plain.params)) == ("/ws/sales/reports/7/preview", {"nonce": "n-1"})
    assert [sent(r) for r in seen] == [("POST", "/api/v1/nonce-tokens", {})] * 3


def test_download_url_carries_every_option(client_and_seen: Any) -> None:
    client, seen = client_and_seen
    url = httpx.URL(
        client.download_url(
            "invoice", format="docx", params={"a": 1}, lang="fr", theme="dark", workspace="finance"
        )
    )
    assert url.path == f"{FIN}/reports/invoice/pdf"
    assert dict(url.params) == {
        "format": "docx",
        "params": '{"a":1}',
        "lang": "fr",
        "theme": "dark",
        "nonce": "n-1",
    }
    assert [sent(r) for r in seen] == [("POST", "/api/v1/nonce-tokens", {})]


# -- listings and client.call ---------------------------------------------------------------------


LISTINGS: dict[str, Callable[[Any], Any]] = {
    "report_types": lambda c: c.report_types("finance"),
    "reports": lambda c: c.reports("invoice", "finance"),
    "report_pages": lambda c: c.report_pages(7, "finance"),
    "templates": lambda c: c.templates("finance"),
    "themes": lambda c: c.themes("finance"),
    "jobs": lambda c: c.jobs("finance"),
}


@pytest.mark.parametrize("method", sorted(LISTINGS))
def test_listings_ask_the_given_workspace(method: str, client_and_seen: Any) -> None:
    client, seen = client_and_seen
    result = LISTINGS[method](client)
    assert isinstance(result, list)
    (request,) = seen
    assert request.method == "GET" and request.url.path.startswith(f"{FIN}/")


def test_reports_filters_by_type(client_and_seen: Any) -> None:
    client, seen = client_and_seen
    assert client.reports("invoice") == []
    assert seen[0].url.params["type"] == "invoice"


def test_call_passes_its_request_options(client_and_seen: Any) -> None:
    client, seen = client_and_seen
    client.call(
        list_reports,
        extra_headers={"X-Trace": "t-9"},
        extra_query={"extra": "1"},
        timeout=4.5,
        type_="invoice",
    )
    (request,) = seen
    assert request.headers["X-Trace"] == "t-9"
    assert dict(request.url.params) == {"type": "invoice", "extra": "1"}
    assert request.extensions["timeout"]["read"] == 4.5
    client.call(list_reports)
    assert seen[1].extensions["timeout"]["read"] == 60.0
    from cxreports_api.api.nonce_tokens import create_nonce_token

    client.call(create_nonce_token, extra_body={"ttl": 30})
    assert json.loads(seen[2].content) == {"ttl": 30}
