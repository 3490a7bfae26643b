"""``cxreports.compat.CxReportClientV1``: a drop-in for the official ``cxreports-api-client``.

Three groups of tests, all against the local server (``cxreports_server``, fresh per test):

- the official README's examples, transcribed with only the import line changed, against a
  local server seeded with the tenant the README talks to (``tests/data/
  official_readme_seed.json``: report 160, job 42, workspaces 1 and 26, report type
  ``other``, theme ``3``, templates ``Default``/``2``). Only the base URL and token are the
  local server's, and the README's ``[...]`` placeholder is a real list;
- one test per defect of the official client (0.0.5) that must not be carried over;
- the wire: what a server sees is what the official client sends.
"""

from __future__ import annotations

import base64
import copy
import io
import json
import logging
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pypdf import PdfReader

import cxreports
from cxreports.compat import CxReportClientV1


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def official_b64(value: Any) -> str:
    """How the official client encodes ``params`` on GET: base64url of ``json.dumps``."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def query_of(record: Any) -> dict[str, list[str]]:
    return parse_qs(record.query, keep_blank_values=True)


@pytest.fixture
def client(cxreports_server: Any) -> Iterator[CxReportClientV1]:
    with CxReportClientV1(
        cxreports_server.url, cxreports_server.workspace_id, cxreports_server.token
    ) as c:
        yield c


README_SEED = Path(__file__).parent / "data" / "official_readme_seed.json"


@pytest.fixture
def readme_server() -> Iterator[Any]:
    """The tenant of the official README: its ids and codes exist here. Async exports and
    job runs take 0.2 s, so the README's polling loops really loop."""
    from cxreports.testing import serve

    with serve(seed=README_SEED, render_delay=0.2) as server:
        yield server


@pytest.fixture
def readme_client(readme_server: Any) -> Iterator[CxReportClientV1]:
    with CxReportClientV1(
        base_url=readme_server.url, default_workspace_id=1, token=readme_server.token
    ) as c:
        yield c


@pytest.fixture
def fast_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's polling loops sleep 2-3 s between polls; poll quickly instead."""
    real_sleep = time.sleep
    monkeypatch.setattr(time, "sleep", lambda seconds: real_sleep(min(seconds, 0.05)))


class Recorder:
    """An httpx client that keeps every request it sends (to check the JSON bodies)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.http = httpx.Client(event_hooks={"request": [self.requests.append]})

    def bodies(self) -> list[Any]:
        return [json.loads(r.content) if r.content else None for r in self.requests]


@pytest.fixture
def recorder(cxreports_server: Any) -> Iterator[tuple[CxReportClientV1, Recorder]]:
    rec = Recorder()
    with (
        rec.http,
        CxReportClientV1(
            cxreports_server.url,
            cxreports_server.workspace_id,
            cxreports_server.token,
            http_client=rec.http,
        ) as c,
    ):
        yield c, rec


# -- the official README, example by example --------------------------------------------------


def test_readme_quick_start(
    readme_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    from cxreports.compat import CxReportClientV1

    client = CxReportClientV1(
        base_url=readme_server.url,
        default_workspace_id=1,
        token=readme_server.token,
    )

    pdf = client.get_pdf(report_id=160)
    with open("report.pdf", "wb") as f:
        f.write(pdf)
    client.close()

    saved = (tmp_path / "report.pdf").read_bytes()
    assert saved.startswith(b"%PDF")
    assert pdf_pages(saved) == 3
    assert "Portfolio report" in pdf_text(saved)


def test_readme_targeting_workspaces(readme_client: CxReportClientV1) -> None:
    client = readme_client
    themes_in_default_ws = client.get_themes()
    themes_in_other_ws = client.get_themes(workspace_id=26)

    assert {t["code"] for t in themes_in_default_ws} == {"default", "corporate"}
    assert [t["id"] for t in themes_in_other_ws] == [28, 29]


def test_readme_workspaces_report_types_themes_templates(
    readme_client: CxReportClientV1,
) -> None:
    client = readme_client
    workspaces = client.get_workspaces()  # all workspaces you have access to
    report_types = client.get_report_types()  # report types in the default workspace
    themes = client.get_themes()  # themes available for rendering
    templates = client.get_templates()  # report templates available

    assert {"id": 1, "name": "Main", "code": "main"}.items() <= workspaces[0].items()
    assert [w["id"] for w in workspaces] == [1, 26]
    other = next(t for t in report_types if t["code"] == "other")
    assert other["defaultReportId"] == 160  # the server's camelCase, as the official client
    assert all(set(t) == {"id", "name", "code"} for t in themes + templates)
    assert {t["code"] for t in templates} == {"Default", "letterhead"}


def test_readme_reports(readme_client: CxReportClientV1) -> None:
    client = readme_client
    # All reports in the workspace
    reports = client.get_reports()
    assert [r["id"] for r in reports] == [160, 161]
    # Filtered by report type code
    reports = client.get_reports(type="other")
    assert [r["id"] for r in reports] == [160]
    assert reports[0]["reportTypeName"] == "Other"
    # Page metadata (useful for excludePages-style operations later on)
    pages = client.get_report_pages(report_id=160)
    assert [p["id"] for p in pages] == [1601, 1602, 1603]
    assert pages[0] == {"id": 1601, "name": "Cover", "type": "page"}


def test_readme_get_pdf(readme_client: CxReportClientV1) -> None:
    client = readme_client
    temp_data_id = client.push_temporary_data({"customer": "Acme Corporation"})["tempDataId"]

    # Basic
    pdf = client.get_pdf(report_id=160)
    assert pdf.startswith(b"%PDF") and pdf_pages(pdf) == 3

    # With a parameters dict
    pdf = client.get_pdf(
        160,
        {
            "tempDataId": temp_data_id,
            "params": {"title": "First page title"},
            "timezone": "UTC",
        },
    )
    text = pdf_text(pdf)
    assert "First page title" in text
    assert "Acme Corporation" in text  # the temporary data
    assert "Timezone:\nUTC" in text

    # Override theme or template (by id or code)
    pdf = client.get_pdf(160, theme="3", template="Default")
    text = pdf_text(pdf)
    assert "Theme:\nCorporate" in text  # the report's own are Default and Letterhead
    assert "Template:\nDefault" in text


def test_readme_post_pdf(readme_client: CxReportClientV1) -> None:
    client = readme_client
    pdf = client.post_pdf(
        160,
        {
            "data": {
                "invoiceNumber": "12345",
                "items": [{"description": "Widget", "quantity": 10}],
            },
            "params": {"title": "Q1 invoice"},
            "timezone": "UTC",
            "format": "pdf",
            "theme": "3",
            "template": "2",
        },
    )

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in ("12345", "Widget", "Q1 invoice", "Theme:\nCorporate", "Template:\nDefault"):
        assert expected in text


def test_readme_async_export(
    readme_client: CxReportClientV1,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fast_sleep: None,
) -> None:
    client = readme_client
    monkeypatch.chdir(tmp_path)
    import time

    export = client.start_report_export(
        160,
        {
            "data": {"title": "Quarterly portfolio report"},
            "format": "pdf",
            "timezone": "UTC",
            "includeAttachments": False,
        },
    )
    temp_file_id = export["temporaryFileId"]

    while True:
        status = client.get_export_status(temp_file_id)
        if status.get("isReady"):
            break
        if status.get("status") == "Failed":
            raise RuntimeError(status.get("errorMessage"))
        time.sleep(2)

    content = client.get_export_content(temp_file_id)
    with open("report.pdf", "wb") as f:
        f.write(content)

    assert set(export) == {"temporaryFileId"}
    assert status["status"] == "Completed" and status["contentType"] == "application/pdf"
    saved = (tmp_path / "report.pdf").read_bytes()
    assert saved.startswith(b"%PDF") and len(saved) == status["contentSize"]
    assert "Quarterly portfolio report" in pdf_text(saved)


def test_readme_temporary_data(readme_client: CxReportClientV1) -> None:
    client = readme_client
    temp = client.push_temporary_data(
        {
            "invoice": {"invoiceNumber": "12345", "items": [{"description": "Widget"}]},
        }
    )
    temp_data_id = temp["tempDataId"]

    pdf = client.get_pdf(160, {"tempDataId": temp_data_id})

    assert set(temp) == {"tempDataId", "expiryDate"} and isinstance(temp_data_id, int)
    text = pdf_text(pdf)
    assert "12345" in text and "Widget" in text


def test_readme_preview_urls(readme_client: CxReportClientV1, readme_server: Any) -> None:
    client = readme_client
    temp_data_id = client.push_temporary_data({"customer": "Globex Ltd"})["tempDataId"]

    url = client.get_preview_url(160)
    url_with_data = client.get_preview_url(160, {"tempDataId": temp_data_id})

    for u in (url, url_with_data):
        assert u.startswith(f"{readme_server.url}/ws/1/reports/160/preview?")
        assert readme_server.token not in u
    # Each URL opens the page once, without the token (the nonce is exchanged for a cookie).
    with httpx.Client() as browser:
        page = browser.get(url_with_data)
        assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
        assert "Globex Ltd" in page.text
    with httpx.Client() as browser:
        assert browser.get(url).status_code == 200
        assert browser.get(url.split("?")[0]).status_code == 200  # by the session cookie now
        assert browser.get(url).status_code == 401  # the nonce was single-use


def test_readme_auth_tokens(readme_client: CxReportClientV1) -> None:
    client = readme_client
    token = client.create_auth_token()  # {'nonce': '...'}

    assert set(token) == {"nonce"}
    assert isinstance(token["nonce"], str) and len(token["nonce"]) >= 16
    assert client.create_auth_token()["nonce"] != token["nonce"]


def test_readme_jobs(readme_client: CxReportClientV1, fast_sleep: None) -> None:
    client = readme_client
    import time

    jobs = client.get_jobs()

    # Start a new run
    run = client.start_job_run(job_id=42, request_body={"params": {}, "data": {}})
    run_id = run["jobRunId"]

    # Poll until the run finishes
    while True:
        status = client.get_job_run_status(job_id=42, run_id=run_id)
        if status.get("finished"):
            break
        time.sleep(3)

    # If the job requires review, generate a consolidated review document.
    # The returned temporaryFileId can be polled via get_export_status / downloaded via get_export_content.
    review = client.get_run_review_document(job_id=42, run_id=run_id)

    # After approval, deliver all entries.
    client.deliver_job_run_entries(job_id=42, run_id=run_id)

    assert [(j["id"], j["reviewRequired"]) for j in jobs] == [(42, True)]
    assert status == {
        "finished": True,
        "entries": 3,
        "status": {"queued": 0, "review": 2, "completed": 0, "errors": 1},
    }
    while not client.get_export_status(review["temporaryFileId"])["isReady"]:
        time.sleep(0.05)
    document = client.get_export_content(review["temporaryFileId"])
    assert document.startswith(b"%PDF") and "Acme Corporation" in pdf_text(document)
    delivered = client.get_job_run_status(job_id=42, run_id=run_id)
    assert delivered["status"]["completed"] == 2 and delivered["status"]["review"] == 0


def test_readme_error_handling(
    readme_client: CxReportClientV1, capsys: pytest.CaptureFixture[str]
) -> None:
    client = readme_client
    try:
        pdf = client.get_pdf(999999)
    except RuntimeError as e:
        # e.g. "HTTP error occurred: 404 Not Found ..."
        print(e)
    else:
        pytest.fail(f"no error for a missing report ({len(pdf)} bytes)")

    printed = capsys.readouterr().out
    assert printed.startswith("404 Not Found")
    assert "Report '999999' not found" in printed  # the server's own message


def test_readme_authentication_failures(cxreports_server: Any) -> None:
    with (
        CxReportClientV1(cxreports_server.url, 1, "not-the-token") as client,
        pytest.raises(RuntimeError) as raised,
    ):
        client.get_workspaces()
    assert str(raised.value) == "Unauthenticated."
    assert isinstance(raised.value, cxreports.AuthenticationError)
    assert raised.value.status_code == 401
    assert raised.value.message == "Missing or invalid bearer token"  # still there to debug


@pytest.mark.cxreports_server(faults="list_themes:403")
def test_forbidden_is_unauthenticated_too(client: CxReportClientV1) -> None:
    with pytest.raises(cxreports.PermissionDeniedError) as raised:
        client.get_themes()
    assert str(raised.value) == "Unauthenticated."
    assert isinstance(raised.value, RuntimeError) and raised.value.status_code == 403


def test_other_errors_carry_status_and_message(client: CxReportClientV1) -> None:
    with pytest.raises(cxreports.BadRequestError) as raised:
        client.post_pdf(101, {"params": {"simulateFailure": "Printer on fire"}})
    assert str(raised.value).startswith("400 Bad Request: Printer on fire")
    with pytest.raises(cxreports.NotFoundError, match=r"^404 Not Found: .*Job 'nope'"):
        client.get_job_run_status("nope", 1)


# -- the official client's defects, each gone ------------------------------------------------


def test_import_works_from_a_fresh_interpreter() -> None:
    # The official wheel installs a package named `v1`, so its README's import fails. Ours
    # imports, and stays as cheap as `import cxreports`: the generated models load on use.
    code = (
        "import sys; from cxreports.compat import CxReportClientV1; "
        "print(CxReportClientV1.__module__, 'cxreports_api.models' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "cxreports.compat False"


def test_every_request_has_a_timeout(
    client: CxReportClientV1, recorder: tuple[CxReportClientV1, Recorder]
) -> None:
    # The official client calls requests without timeout=, so a stalled server hangs it.
    assert client.timeout == httpx.Timeout(60.0, connect=5.0)
    assert client._client._http.timeout == httpx.Timeout(60.0, connect=5.0)  # the pool's own
    own, rec = recorder
    own.get_themes()
    own.get_pdf(101)
    assert [r.extensions["timeout"] for r in rec.requests] == [
        {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}
    ] * 2


@pytest.mark.cxreports_server(faults="list_themes:latency=3")
def test_a_stalled_server_times_out(cxreports_server: Any) -> None:
    with CxReportClientV1(
        cxreports_server.url,
        1,
        cxreports_server.token,
        timeout=0.5,
        max_retries=0,
    ) as client:
        started = time.monotonic()
        with pytest.raises(cxreports.APITimeoutError) as raised:
            client.get_themes()
    assert time.monotonic() - started < 2.5
    assert isinstance(raised.value, RuntimeError)


def test_caller_dicts_are_never_modified(client: CxReportClientV1) -> None:
    # The official client writes theme, template, format and nonce into these.
    params = {"params": {"title": "Mine"}, "timezone": "UTC"}
    body = {"params": {"title": "Mine"}, "data": {"rows": [1, 2]}}
    export_body = {"data": {"title": "Mine"}}
    job_body = {"params": {}, "data": {}}
    preview_query = {"params": {"title": "Mine"}}
    before = copy.deepcopy([params, body, export_body, job_body, preview_query])

    pdf = client.get_pdf(101, params, theme="dark", template="letterhead")
    client.post_pdf(101, body)
    client.start_report_export(101, export_body)
    client.start_job_run(51, job_body)
    client.get_preview_url(101, preview_query)

    assert [params, body, export_body, job_body, preview_query] == before
    text = pdf_text(pdf)  # and the overrides still reached the server
    assert "Theme:\nDark" in text and "Template:\nLetterhead" in text and "Mine" in text


def test_data_dict_on_get_is_sent(client: CxReportClientV1, cxreports_server: Any) -> None:
    data = {"invoiceNumber": "INV-7781", "items": [{"description": "Gadget"}]}
    pdf = client.get_pdf(101, {"data": data})

    sent = query_of(cxreports_server.requests[-1])["data"]
    assert sent == [official_b64(data)]
    assert json.loads(base64.urlsafe_b64decode(sent[0])) == data
    text = pdf_text(pdf)
    assert "INV-7781" in text and "Gadget" in text


def test_data_string_on_get_is_sent_as_is(client: CxReportClientV1, cxreports_server: Any) -> None:
    pdf = client.get_pdf(101, {"data": '{"invoiceNumber": "INV-5"}'})
    assert query_of(cxreports_server.requests[-1])["data"] == ['{"invoiceNumber": "INV-5"}']
    assert "INV-5" in pdf_text(pdf)


def test_format_on_get_is_sent(client: CxReportClientV1, cxreports_server: Any) -> None:
    xlsx = client.get_pdf(101, {"format": "xlsx"})

    assert query_of(cxreports_server.requests[-1])["format"] == ["xlsx"]
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        assert "xl/workbook.xml" in book.namelist()


def test_exclude_pages_is_sent(client: CxReportClientV1, cxreports_server: Any) -> None:
    client.get_pdf(101, {"excludePages": [1002, 1003]})
    assert query_of(cxreports_server.requests[-1])["excludePages"] == ["1002", "1003"]

    # The async export, the one the v1 reference documents it for, leaves the pages out.
    temp_file_id = client.start_report_export(101, {"excludePages": [1002, 1003]})[
        "temporaryFileId"
    ]
    deadline = time.monotonic() + 30
    while not client.get_export_status(temp_file_id)["isReady"]:
        assert time.monotonic() < deadline, "the export never became ready"
        time.sleep(0.05)
    content = client.get_export_content(temp_file_id)
    assert pdf_pages(content) == 3
    assert "Line items" not in pdf_text(content)


def test_string_temp_data_id_is_sent(client: CxReportClientV1, cxreports_server: Any) -> None:
    temp_id = client.push_temporary_data({"customer": "Initech"})["tempDataId"]

    pdf = client.get_pdf(101, {"tempDataId": str(temp_id)})
    assert query_of(cxreports_server.requests[-1])["tempDataId"] == [str(temp_id)]
    assert "Initech" in pdf_text(pdf)

    # In a body too, as the number the server's schema wants (a string would be a 400).
    temp_file_id = client.start_report_export(101, {"tempDataId": str(temp_id)})["temporaryFileId"]
    deadline = time.monotonic() + 30
    while not client.get_export_status(temp_file_id)["isReady"]:
        assert time.monotonic() < deadline, "the export never became ready"
        time.sleep(0.05)
    assert "Initech" in pdf_text(client.get_export_content(temp_file_id))


def test_other_query_keys_are_sent(client: CxReportClientV1) -> None:
    url = client.get_preview_url(101, {"hidePrintButton": True, "lang": "de"})
    query = parse_qs(urlsplit(url).query)
    assert query["hidePrintButton"] == ["true"] and query["lang"] == ["de"]
    page = httpx.get(url)
    assert page.status_code == 200 and "window.print" not in page.text


def test_html_documents_are_not_unauthenticated(client: CxReportClientV1) -> None:
    # The official client answers every text/html response with "Unauthenticated.".
    page = client.get_pdf(101, {"format": "html"})
    assert page.lstrip().lower().startswith(b"<!doctype html")
    assert b"Invoice" in page
    body = client.post_pdf(101, {"format": "html"})
    assert b"<html" in body

    temp_file_id = client.start_report_export(101, {"format": "html"})["temporaryFileId"]
    deadline = time.monotonic() + 10
    while not client.get_export_status(temp_file_id)["isReady"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert b"<html" in client.get_export_content(temp_file_id)


def test_html_error_pages_are_not_unauthenticated(cxreports_server: Any) -> None:
    # A proxy in front of the server: an HTML error page, and an HTML login page with 200.
    def proxy(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/themes"):
            return httpx.Response(200, html="<html><body>Please sign in</body></html>")
        return httpx.Response(502, html="<html><body>Bad gateway: upstream down</body></html>")

    with (
        httpx.Client(transport=httpx.MockTransport(proxy)) as http,
        CxReportClientV1(
            cxreports_server.url, 1, cxreports_server.token, max_retries=0, http_client=http
        ) as client,
    ):
        with pytest.raises(cxreports.InternalServerError) as gateway:
            client.get_pdf(101)
        with pytest.raises(cxreports.APIResponseValidationError) as login:
            client.get_themes()
    assert str(gateway.value).startswith("502 Bad Gateway: ")
    assert "Bad gateway: upstream down" in str(gateway.value)
    assert "expected JSON, got 200 text/html" in str(login.value)
    for error in (gateway.value, login.value):
        assert isinstance(error, RuntimeError) and "Unauthenticated" not in str(error)


def test_wrong_content_type_for_a_pdf_still_raises(cxreports_server: Any) -> None:
    def wrong(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=b"PK\x03\x04", headers={"Content-Type": "application/zip"}
        )

    with (
        httpx.Client(transport=httpx.MockTransport(wrong)) as http,
        CxReportClientV1(cxreports_server.url, 1, cxreports_server.token, http_client=http) as c,
    ):
        with pytest.raises(cxreports.APIResponseValidationError) as raised:
            c.post_pdf(101)
        # Asking for attachments means a ZIP is what is expected.
        assert c.post_pdf(101, {"includeAttachments": True}) == b"PK\x03\x04"
        # Also when the flag comes as a string, however it is capitalised (it is sent as true).
        assert c.get_pdf(101, {"includeAttachments": "TRUE"}) == b"PK\x03\x04"
    assert str(raised.value).startswith("Invalid content type, expected PDF, got 'application/zip'")


# -- the wire ----------------------------------------------------------------------------------


def test_get_params_are_base64url_json_like_the_official_client(
    client: CxReportClientV1, cxreports_server: Any
) -> None:
    params = {"title": "Grüße & more?", "n": [1, 2]}
    client.get_pdf(
        101,
        {"params": params, "timezone": "UTC", "lang": "en", "includeAttachments": False},
        theme="dark",
        template="default",
    )
    record = cxreports_server.requests[-1]
    assert (record.method, record.path) == ("GET", "/api/v1/ws/1/reports/101/pdf")
    assert query_of(record) == {
        "params": [official_b64(params)],
        "timezone": ["UTC"],
        "lang": ["en"],
        "includeAttachments": ["false"],
        "template": ["default"],
        "theme": ["dark"],
    }
    assert "%3D" in record.query  # base64 padding kept, and percent-encoded, as urlencode does


def test_paths_methods_and_bodies(
    recorder: tuple[CxReportClientV1, Recorder], cxreports_server: Any
) -> None:
    client, rec = recorder
    client.get_workspaces()
    client.get_report_types()
    client.get_themes(workspace_id="finance")
    client.get_templates()
    client.get_reports()
    client.get_reports(type="invoice")
    client.get_report_pages(101)
    client.get_pdf(101)
    client.post_pdf("invoice")
    temp_file_id = client.start_report_export(101, {"timezone": "UTC"})["temporaryFileId"]
    client.get_export_status(temp_file_id)
    client.push_temporary_data([1, 2], workspace_id=2)
    client.get_jobs()
    run_id = client.start_job_run("monthly-invoices")["jobRunId"]
    client.get_job_run_status("monthly-invoices", run_id)
    client.create_auth_token()
    client.get_preview_url(101)

    seen = [(r.method, r.path, r.query) for r in cxreports_server.requests]
    assert seen == [
        ("GET", "/api/v1/workspaces", ""),
        ("GET", "/api/v1/ws/1/report-types", ""),
        ("GET", "/api/v1/ws/finance/themes", ""),
        ("GET", "/api/v1/ws/1/templates", ""),
        ("GET", "/api/v1/ws/1/reports", ""),  # one request, no paging parameters
        ("GET", "/api/v1/ws/1/reports", "type=invoice"),
        ("GET", "/api/v1/ws/1/reports/101/pages", ""),
        ("GET", "/api/v1/ws/1/reports/101/pdf", ""),
        ("POST", "/api/v1/ws/1/reports/invoice/pdf", ""),
        ("POST", "/api/v1/ws/1/reports/101/export", ""),
        ("GET", f"/api/v1/ws/1/exports/{temp_file_id}/status", ""),
        ("POST", "/api/v1/ws/2/temporary-data", ""),
        ("GET", "/api/v1/ws/1/jobs", ""),
        ("POST", "/api/v1/ws/1/jobs/monthly-invoices/runs", ""),
        ("GET", f"/api/v1/ws/1/jobs/monthly-invoices/runs/{run_id}/status", ""),
        ("POST", "/api/v1/nonce-tokens", ""),
        ("POST", "/api/v1/nonce-tokens", ""),  # get_preview_url's nonce
    ]
    posted = zip(rec.requests, rec.bodies(), strict=True)
    bodies = {r.url.path: b for r, b in posted if r.method == "POST"}
    assert bodies == {
        "/api/v1/ws/1/reports/invoice/pdf": {"format": "pdf"},
        "/api/v1/ws/1/reports/101/export": {"format": "pdf", "timezone": "UTC"},
        "/api/v1/ws/2/temporary-data": {"content": [1, 2]},
        "/api/v1/ws/1/jobs/monthly-invoices/runs": {},
        "/api/v1/nonce-tokens": None,  # no body
    }
    assert all(
        r.headers["Authorization"] == f"Bearer {cxreports_server.token}" for r in rec.requests
    )


def test_workspace_id_attribute_is_the_default(
    client: CxReportClientV1, cxreports_server: Any
) -> None:
    client.workspace_id = 3  # the official client reads its attribute on every call
    assert len(client.get_reports()) == 130
    assert cxreports_server.requests[-1].path == "/api/v1/ws/3/reports"


def test_reportid_keyword_is_deprecated_but_works(client: CxReportClientV1) -> None:
    with pytest.warns(DeprecationWarning, match="'reportId' is deprecated") as caught:
        pdf = client.get_pdf(reportId=101)
    assert pdf.startswith(b"%PDF") and pdf_pages(pdf) == 5
    assert caught[0].filename == __file__  # it points at the caller
    with pytest.raises(TypeError, match="missing required argument: 'report_id'"):
        client.get_pdf()


def test_bad_input_fails_before_anything_is_sent(
    client: CxReportClientV1, cxreports_server: Any
) -> None:
    with pytest.raises(TypeError, match="params must be JSON-serialisable"):
        client.get_pdf(101, {"params": {"when": object()}})
    with pytest.raises(TypeError, match="request_body must be JSON-serialisable"):
        client.post_pdf(101, {"data": {"n": float("nan")}})
    with pytest.raises(TypeError, match="tempDataId must be"):
        client.get_pdf(101, {"tempDataId": "latest"})
    with pytest.raises(TypeError, match="tempDataId must be"):
        client.get_pdf(101, {"tempDataId": "\u00b2"})  # a digit to str.isdigit, not to int()
    with pytest.raises(TypeError, match="'filters' must be a str, number or bool"):
        client.get_preview_url(101, {"filters": {"a": 1}})
    with pytest.raises(TypeError, match="timezone must be a str"):
        client.get_pdf(101, {"timezone": 2})
    with pytest.raises(TypeError, match="excludePages must be a list"):
        client.get_pdf(101, {"excludePages": "1002"})
    with pytest.raises(TypeError, match="content must be JSON-serialisable"):
        client.push_temporary_data({1j})
    assert cxreports_server.requests == []


def test_the_token_is_never_shown(
    client: CxReportClientV1, cxreports_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    token = cxreports_server.token
    assert repr(client) == (
        f"CxReportClientV1(base_url={cxreports_server.url!r}, default_workspace_id=1, "
        "token='[REDACTED]')"
    )
    assert token not in repr(vars(client)) and not hasattr(client, "token")
    with caplog.at_level(logging.DEBUG, logger="cxreports"):
        client.get_themes()
        with pytest.raises(cxreports.NotFoundError) as raised:
            client.get_export_status(424242)
    assert caplog.records and token not in caplog.text
    assert token not in str(raised.value) and token not in repr(raised.value.request.headers)
