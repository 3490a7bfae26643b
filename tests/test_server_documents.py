"""Documents from the local server, opened with the libraries users would open them with.

Also: GET parameters as plain JSON and base64url JSON, Content-Disposition for ASCII and
non-ASCII names, excludePages, data from tempDataId, and requests shaped exactly as the
official Python client (cxreports-api-client) sends them.
"""

from __future__ import annotations

import base64
import io
import json
import urllib.parse
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
import httpx
import openpyxl
import pptx
import pytest
from pypdf import PdfReader

from cxreports.testing import LocalServer, jsontext, serve
from cxreports.testing.jsontext import MAX_DEPTH
from cxreports.testing.render import content_disposition

WS = "/ws/sales"
PARAMS = {"title": "First page title", "quarter": "Q1"}
DATA = {"invoiceNumber": "INV-12345", "items": [{"description": "Widget", "quantity": 10}]}


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with serve() as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server: LocalServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=server.api_url, headers={"Authorization": f"Bearer {server.token}"}, timeout=10
    ) as client:
        yield client


def b64url(value: Any, padding: bool = False) -> str:
    encoded = base64.urlsafe_b64encode(json.dumps(value).encode()).decode()
    return encoded if padding else encoded.rstrip("=")


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def export(api: httpx.Client, body: dict[str, Any], report: str = "invoice") -> httpx.Response:
    response = api.post(f"{WS}/reports/{report}/pdf", json=body)
    assert response.status_code == 200, response.text
    assert int(response.headers["content-length"]) == len(response.content)
    return response


FULL = {
    "params": PARAMS,
    "data": DATA,
    "lang": "de-CH",
    "timezone": "Europe/Zurich",
    "theme": "dark",
    "template": "default",
}


def assert_facts(text: str) -> None:
    for fact in [
        "Invoice",
        "Dark",
        "Default",
        "de-CH",
        "Europe/Zurich",
        "First page title",
        "INV-12345",
        "Widget",
    ]:
        assert fact in text, fact
    assert "Letterhead" not in text  # the template was overridden


def test_pdf_has_one_page_per_report_page_and_the_facts(api: httpx.Client) -> None:
    response = export(api, FULL)
    assert response.headers["content-type"] == "application/pdf"
    pages, text = pdf_text(response.content)
    assert pages == 5
    assert_facts(text)
    for name in ["Cover", "Line items", "Tax breakdown", "Payment details", "Terms and conditions"]:
        assert name in text


def test_pdf_defaults_show_the_report_theme_and_template(api: httpx.Client) -> None:
    _, text = pdf_text(api.get(WS + "/reports/invoice/pdf").content)
    assert "Corporate" in text and "Letterhead" in text


def test_exclude_pages(api: httpx.Client) -> None:
    started = api.post(WS + "/reports/invoice/export", json={"excludePages": [1002, 1005, 999]})
    file_id = started.json()["temporaryFileId"]
    content = api.get(f"{WS}/exports/{file_id}/content").content
    pages, text = pdf_text(content)
    assert pages == 3
    assert "Line items" not in text and "Terms and conditions" not in text
    assert "Cover" in text and "Payment details" in text


def test_repeated_exports_are_identical_and_different_requests_differ(api: httpx.Client) -> None:
    first = export(api, {"data": {"n": 1}}).content
    assert export(api, {"data": {"n": 1}}).content == first
    second = export(api, {"data": {"n": 2}}).content
    assert second != first
    assert '"n": 2' in pdf_text(second)[1]
    assert '"n": 1' in pdf_text(export(api, {"data": {"n": 1}, "lang": "fr"}).content)[1]


def test_docx(api: httpx.Client) -> None:
    response = export(api, {**FULL, "format": "docx"})
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response.headers["content-disposition"].startswith('attachment; filename="Invoice.docx"')
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert_facts(text)
    assert "Tax breakdown (subreport)" in text


def test_xlsx(api: httpx.Client) -> None:
    response = export(api, {**FULL, "format": "xlsx"})
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Report", "Pages"]
    facts = {row[0]: row[1] for row in book["Report"].iter_rows(values_only=True)}
    assert facts["Report"] == "Invoice"
    assert facts["Theme"] == "Dark"
    assert json.loads(facts["Data"]) == DATA
    assert json.loads(facts["Parameters"]) == PARAMS
    pages = list(book["Pages"].iter_rows(values_only=True))
    assert pages[0] == ("Page id", "Name", "Type") and len(pages) == 6


def test_pptx(api: httpx.Client) -> None:
    response = export(api, {**FULL, "format": "pptx"})
    deck = pptx.Presentation(io.BytesIO(response.content))
    assert len(deck.slides) == 5
    text = "\n".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert_facts(text)


def test_html(api: httpx.Client) -> None:
    response = export(api, {**FULL, "format": "html"})
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>Invoice</title>" in response.text
    assert_facts(response.text)
    assert response.text.count('class="page') == 5


def test_zip_with_attachments(api: httpx.Client) -> None:
    response = export(api, {**FULL, "format": "docx", "includeAttachments": True})
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="Invoice.zip"' in response.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [
        "Invoice.docx",
        "Terms and conditions.txt",
        "Remittance advice.txt",
    ]
    inner = docx.Document(io.BytesIO(archive.read("Invoice.docx")))
    assert any("INV-12345" in p.text for p in inner.paragraphs)


@pytest.mark.parametrize(("flag", "off"), [("true", "false"), ("True", "False"), ("TRUE", "FALSE")])
def test_include_attachments_on_get_is_case_insensitive(
    api: httpx.Client, flag: str, off: str
) -> None:
    response = api.get(WS + "/reports/105/pdf", params={"includeAttachments": flag})
    assert response.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == ["Sales Summary.pdf", "Report summary.txt"]
    plain = api.get(WS + "/reports/105/pdf", params={"includeAttachments": off})
    assert plain.headers["content-type"] == "application/pdf"


def test_content_disposition_for_non_ascii_names(api: httpx.Client) -> None:
    response = api.get(WS + "/reports/106/pdf")
    header = response.headers["content-disposition"]
    assert header == (
        'attachment; filename="Sales Summary _ Region Nord.pdf"; '
        "filename*=UTF-8''Sales%20Summary%20%E2%80%93%20R%C3%A9gion%20Nord.pdf"
    )
    encoded = header.split("filename*=UTF-8''")[1]
    assert urllib.parse.unquote(encoded) == "Sales Summary \u2013 R\u00e9gion Nord.pdf"
    _, text = pdf_text(response.content)
    assert "Sales Summary - Région Nord" in text


def test_content_disposition_shape() -> None:
    assert content_disposition("Invoice.pdf") == (
        "attachment; filename=\"Invoice.pdf\"; filename*=UTF-8''Invoice.pdf"
    )
    assert content_disposition('a"b\\c.pdf').startswith('attachment; filename="a_b_c.pdf"')


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "pptx", "html"])
def test_non_latin1_and_control_characters_never_crash(api: httpx.Client, fmt: str) -> None:
    nasty = {
        "name": "Жанна 東京 🚀 \u201cquoted\u201d \u2013 \u20ac5",
        "control": "bell\x07null\x00",
        "surrogate": "\ud800",
        "long": "x" * 5000,
        "deep": [[[[["ok"]]]]],
    }
    body = {
        "params": nasty,
        "data": nasty,
        "lang": "ja-JP\x07\ufffe",
        "timezone": "Asia/Tokyo\x00\ud800",
        "format": fmt,
    }
    # ensure_ascii: the lone surrogate travels as a \ud800 escape, as any JSON client may send it
    response = api.post(
        f"{WS}/reports/invoice/pdf",
        content=json.dumps(body, ensure_ascii=True),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200
    if fmt == "pdf":
        pages, text = pdf_text(response.content)
        assert pages == 5
        assert '"EUR5' in text or "EUR5" in text
        assert "more lines" in text  # long data is cut to the page, never spills over
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
        assert "Жанна 東京 🚀" in text
        assert "ja-JP" in text and "Asia/Tokyo" in text


# The body object is one level; its data nests the rest. A rule, not the interpreter's
# recursion limit, decides: System.Text.Json's default maximum depth of 64.
@pytest.mark.parametrize(
    ("depth", "expected"),
    [(MAX_DEPTH - 1, 200), (MAX_DEPTH, 400), (1500, 400), (100_000, 400)],
)
@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_data_nested_past_the_json_depth_limit_is_a_400(
    api: httpx.Client, depth: int, expected: int, fmt: str
) -> None:
    body = b'{"format": "%s", "data": ' % fmt.encode() + b"[" * depth + b"]" * depth + b"}"
    response = api.post(
        WS + "/reports/invoice/pdf", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == expected
    if expected == 400:
        problem = response.json()
        assert problem["status"] == 400
        assert f"maximum configured depth of {MAX_DEPTH}" in json.dumps(problem["errors"])


@pytest.mark.parametrize("name", ["params", "data"])
@pytest.mark.parametrize("encode", [json.dumps, b64url], ids=["json", "base64url"])
def test_query_json_nested_past_the_depth_limit_is_a_400(
    api: httpx.Client, name: str, encode: Any
) -> None:
    def nested(levels: int) -> Any:
        value: Any = "deep"
        for level in range(levels):
            value = {"x": value} if level % 2 else [value]
        return value

    ok = api.get(WS + "/reports/invoice/pdf", params={name: encode(nested(MAX_DEPTH))})
    assert ok.status_code == 200
    deep = api.get(WS + "/reports/invoice/pdf", params={name: encode(nested(MAX_DEPTH + 1))})
    assert deep.status_code == 400
    assert f"maximum configured depth of {MAX_DEPTH}" in deep.json()["errors"][name][0]


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("1", 0),
        ('"[[[{{{"', 0),
        ('["]]]", {"a": ["\\", "\"["]}]', 3),
        ("[" * 70 + "]" * 70, 70),
        ('{"a": [], "b": {"c": [[]]}}', 4),
    ],
)
def test_depth_counts_brackets_outside_strings(text: str, levels: int) -> None:
    assert jsontext.depth(text) == levels


@pytest.mark.parametrize(
    "encode",
    [
        json.dumps,
        b64url,
        lambda v: b64url(v, padding=True),
    ],
    ids=["json", "base64url", "base64url-padded"],
)
def test_get_params_and_data_as_json_or_base64url(api: httpx.Client, encode: Any) -> None:
    response = api.get(
        WS + "/reports/invoice/pdf",
        params={"params": encode(PARAMS), "data": encode(DATA), "format": "html"},
    )
    assert response.status_code == 200
    assert "First page title" in response.text and "INV-12345" in response.text


def test_temp_data_feeds_the_document(api: httpx.Client) -> None:
    temp = api.post(WS + "/temporary-data", json={"content": {"customer": "Temp Customer AG"}})
    temp_id = temp.json()["tempDataId"]
    response = api.get(WS + "/reports/invoice/pdf", params={"tempDataId": temp_id})
    _, text = pdf_text(response.content)
    assert "Temp Customer AG" in text
    merged = export(api, {"data": {"extra": "Inline Value"}, "format": "html"} | {"params": {}})
    assert "Temp Customer AG" not in merged.text
    started = api.post(
        WS + "/reports/invoice/export",
        json={"tempDataId": temp_id, "data": {"extra": "Inline Value"}, "format": "html"},
    )
    content = api.get(f"{WS}/exports/{started.json()['temporaryFileId']}/content").text
    assert "Temp Customer AG" in content and "Inline Value" in content


# -- the official Python client's request shapes ---------------------------------------------


def official_query(options: dict[str, Any]) -> str:
    """The query string cxreports-api-client 0.0.4 builds (written from its source): padded
    base64url ``params``, ``data`` passed through only when already a string, int tempDataId,
    then urlencode."""
    query: dict[str, Any] = {}
    if isinstance(options.get("tempDataId"), int):
        query["tempDataId"] = options["tempDataId"]
    if isinstance(options.get("params"), dict):
        query["params"] = base64.urlsafe_b64encode(json.dumps(options["params"]).encode()).decode()
    for key in ("nonce", "data", "timezone"):
        if isinstance(options.get(key), str):
            query[key] = options[key]
    return urllib.parse.urlencode(query)


def test_official_client_request_shapes(server: LocalServer) -> None:
    """What the official client sends: Bearer header, padded base64url params, raw URLs."""
    headers = {"Authorization": f"Bearer {server.token}"}
    base = f"{server.url}/api/v1/ws/1"
    with httpx.Client(headers=headers, timeout=10) as client:
        temp = client.post(
            base + "/temporary-data", json={"content": {"invoice": {"invoiceNumber": "12345"}}}
        )
        assert temp.status_code == 200 and temp.headers["content-type"] == "application/json"
        temp_id = temp.json()["tempDataId"]
        query = official_query(
            {
                "tempDataId": temp_id,
                "params": {"title": "First page title?&="},
                "data": json.dumps({"note": "Raw JSON data"}),
                "timezone": "UTC",
            }
        )
        assert "%3D" in query  # the padding travels percent-encoded
        pdf = client.get(f"{base}/reports/101/pdf?{query}")
        assert pdf.status_code == 200
        assert "application/pdf" in pdf.headers["content-type"].lower()
        _, text = pdf_text(pdf.content)
        assert "First page title?&=" in text and "Raw JSON data" in text and "UTC" in text
        assert "12345" in text  # both objects: inline data is merged over the temporary data
        only_temp = client.get(f"{base}/reports/101/pdf?{official_query({'tempDataId': temp_id})}")
        assert "12345" in pdf_text(only_temp.content)[1]
        assert client.get(f"{base}/reports?type=invoice").json()[0]["id"] == 101
        assert client.get(f"{base}/report-types").status_code == 200
        nonce = client.post(server.url + "/api/v1/nonce-tokens").json()["nonce"]
        preview = official_query({"params": {"title": "Iframe"}, "nonce": nonce})
        page = httpx.get(f"{server.url}/ws/1/reports/101/preview?{preview}")
        assert page.status_code == 200 and "Iframe" in page.text
        post = client.post(
            base + "/reports/101/pdf",
            json={
                "data": DATA,
                "params": {"title": "Q1 invoice"},
                "timezone": "UTC",
                "format": "pdf",
                "theme": "33",
                "template": "22",
            },
        )
        assert post.status_code == 200 and "Q1 invoice" in pdf_text(post.content)[1]
        export_id = client.post(
            base + "/reports/101/export",
            json={
                "data": {"title": "Quarterly"},
                "format": "pdf",
                "timezone": "UTC",
                "includeAttachments": False,
            },
        ).json()["temporaryFileId"]
        status = client.get(f"{base}/exports/{export_id}/status").json()
        assert status["isReady"] is True
        assert client.get(f"{base}/exports/{export_id}/content").content.startswith(b"%PDF")
        assert isinstance(client.post(server.url + "/api/v1/nonce-tokens").json()["nonce"], str)
        run = client.post(base + "/jobs/52/runs", json={"params": {}, "data": {}}).json()[
            "jobRunId"
        ]
        assert client.get(f"{base}/jobs/52/runs/{run}/status").json()["finished"] is True
        assert client.get(base + "/reports", params={"type": "invoice"}).status_code == 200


@pytest.mark.parametrize("size", [5_000, 3 * 1024 * 1024 + 7])
def test_simulate_content_bytes_serves_exactly_that_many_bytes(
    api: httpx.Client, size: int
) -> None:
    params = {"simulateContentBytes": size}
    with api.stream("GET", f"{WS}/reports/invoice/pdf", params={"params": json.dumps(params)}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/pdf"
        assert int(r.headers["content-length"]) == size
        body = r.read()
    assert len(body) == size and body.startswith(b"%PDF")
    assert b"%%EOF" in body  # the real document first, then padding
    assert len(PdfReader(io.BytesIO(body)).pages) == 5

    started = api.post(f"{WS}/reports/invoice/export", json={"params": params})
    file_id = started.json()["temporaryFileId"]
    assert api.get(f"{WS}/exports/{file_id}/status").json()["contentSize"] == size
    content = api.get(f"{WS}/exports/{file_id}/content")
    assert len(content.content) == size == int(content.headers["content-length"])
    assert content.content == body


@pytest.mark.parametrize("size", [10, 0, -1, True, "big", 1 << 40])
def test_simulate_content_bytes_refuses_impossible_sizes(api: httpx.Client, size: Any) -> None:
    body = {"params": {"simulateContentBytes": size}}
    assert api.post(f"{WS}/reports/invoice/pdf", json=body).status_code == 400
    assert api.post(f"{WS}/reports/invoice/export", json=body).status_code == 400


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [("csv", "text/csv; charset=utf-8", "field,value\r\nReport,Invoice\r\n"),
     ("odt", "text/plain; charset=utf-8", "Report: Invoice\n"),
     ("md", "text/markdown; charset=utf-8", "Report: Invoice\n")],
)  # fmt: skip
def test_a_format_without_a_renderer_is_rendered_as_text(
    fmt: str, content_type: str, start: str
) -> None:
    """A format a newer spec adds (the local server takes its formats from the generated
    package) renders as text with its media type, rather than failing."""
    from cxreports.testing.render import PageSpec, RenderRequest, render

    request = RenderRequest("Invoice", params={"n": 1}, pages=[PageSpec(1, "Summary", "page")])
    document = render(request, fmt)
    assert document.content_type == content_type
    assert document.filename == f"Invoice.{fmt}"
    text = document.content.decode("utf-8")
    assert text.startswith(start) and "Summary" in text
    if fmt == "csv":  # RFC 4180: the quotes of the JSON are doubled, and a reader undoes that
        import csv

        assert ["Parameters", '{\n  "n": 1\n}'] in list(csv.reader(io.StringIO(text)))
    else:
        assert '"n": 1' in text
