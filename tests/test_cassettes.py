"""Recorded wire traffic (vcrpy cassettes) that pins what the client sends.

Every scenario runs against ``Client`` and ``AsyncClient`` and owns one cassette per
client kind, ``tests/cassettes/<kind>/<test>.yaml``. In an ordinary run the cassettes
replay with record mode ``none`` against a base URL nothing listens on: a request the
client sends that matches no recorded one (method, path, query as a multi-dict, JSON
body compared as parsed JSON) fails the test, and so does a recorded request the client
no longer sends. After ``make spec`` + ``make generate`` this is how a platform team sees
whether the regenerated client still puts the same requests on the wire.

``CXREPORTS_RECORD=1`` (``make record``, ``scripts/record_cassettes.py``) re-records:
against a local server started here, or against a real instance when ``CXREPORTS_URL`` and
``CXREPORTS_TOKEN`` are set. Recording scrubs the Authorization header, cookies, nonces and
the recording tokens; ``test_cassettes_hold_no_secrets`` checks every file for leftovers.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
import vcr
import yaml
from vcr.cassette import Cassette
from vcr.request import Request as VcrRequest

# The client is imported defensively: when a regenerated cxreports_api lacks something
# the client needs, that must show as a failing test (see tests/test_wire_check.py),
# not as a collection error.
try:
    from clients import make_client, record_sleeps

    import cxreports

    IMPORT_ERROR: BaseException | None = None
except Exception as exc:  # pragma: no cover - exercised by the wire check only
    IMPORT_ERROR = exc

CASSETTES = Path(__file__).parent / "cassettes"
SCENARIO_FILE = CASSETTES / "scenario.json"
RECORD = os.environ.get("CXREPORTS_RECORD", "").strip() == "1"

# Tokens used while recording against the local server; the secret scan looks for them.
LOCAL_TOKEN = "cassette-recording-token-3e81c0d9a4"
WRONG_TOKEN = "cassette-wrong-token-77b2f05e1c"
SEED_TOKEN = "cxreports-local-token"
# What replay sends; Authorization is not part of matching.
REPLAY_URL = "http://127.0.0.1:9"
REPLAY_TOKEN = "replay-token"

AUTH_PLACEHOLDER = "Bearer <REDACTED>"
NONCE_PLACEHOLDER = "NONCE-REDACTED"
COOKIE_PLACEHOLDER = "COOKIE-REDACTED"
TOKEN_PLACEHOLDER = "<TOKEN-REDACTED>"

# A fixed absolute expiry keeps push_temporary_data's request body identical on every run.
FIXED_EXPIRY = dt.datetime(2099, 1, 1, 12, 0, tzinfo=dt.UTC)


# -- scenario: what to record against ------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """Workspace, report and job codes the scenarios use.

    A real tenant's codes differ from the local seed's, so recording reads them from the
    environment (local seed values as defaults) and writes them to ``scenario.json``,
    which replay reads back: the cassettes and the codes always agree.
    """

    server: str  # "local" (the seed: seed-specific assertions apply) or "remote"
    workspace: str
    report: str
    paged_workspace: str
    job: str  # a job that requires review, so the review document and delivery apply
    theme: str

    @property
    def local(self) -> bool:
        return self.server == "local"


LOCAL_SCENARIO = Scenario("local", "sales", "invoice", "operations", "monthly-invoices", "dark")
REMOTE = bool(os.environ.get("CXREPORTS_URL", "").strip()) and bool(
    os.environ.get("CXREPORTS_TOKEN", "").strip()
)


def recording_scenario() -> Scenario:
    if not REMOTE:
        return LOCAL_SCENARIO

    def env(name: str, default: str) -> str:
        return os.environ.get(name, "").strip() or default

    return Scenario(
        "remote",
        env("CXREPORTS_WORKSPACE", LOCAL_SCENARIO.workspace),
        env("CXREPORTS_REPORT", LOCAL_SCENARIO.report),
        env("CXREPORTS_PAGED_WORKSPACE", LOCAL_SCENARIO.paged_workspace),
        env("CXREPORTS_JOB", LOCAL_SCENARIO.job),
        env("CXREPORTS_THEME", LOCAL_SCENARIO.theme),
    )


def replay_scenario() -> Scenario:
    if not SCENARIO_FILE.exists():
        pytest.fail(f"{SCENARIO_FILE} is missing: run `make record`")
    return Scenario(**json.loads(SCENARIO_FILE.read_text()))


# -- matching ------------------------------------------------------------------------------------


def _query(request: VcrRequest) -> list[tuple[str, str]]:
    return sorted(parse_qsl(urlsplit(request.uri).query, keep_blank_values=True))


def match_query(r1: VcrRequest, r2: VcrRequest) -> None:
    """The query as a multi-dict: order does not matter, repeated and blank values do."""
    q1, q2 = _query(r1), _query(r2)
    if q1 != q2:
        raise AssertionError(f"query {q1} != {q2}")


def _body_bytes(request: VcrRequest) -> bytes:
    body = request.body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytes):
        return body
    if isinstance(body, io.BytesIO):
        return body.getvalue()
    return b"".join(body)


def canonical_body(raw: bytes) -> str | bytes:
    """JSON as canonical text (key order ignored, but ``true`` != ``1``), else the bytes."""
    if not raw:
        return b""
    try:
        return json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"))
    except (ValueError, UnicodeDecodeError):
        return raw


def match_json_body(r1: VcrRequest, r2: VcrRequest) -> None:
    b1, b2 = canonical_body(_body_bytes(r1)), canonical_body(_body_bytes(r2))
    if b1 != b2:
        raise AssertionError(f"body {b1!r} != {b2!r}")


MATCH_ON = ["method", "path", "query_multidict", "json_body"]


# -- scrubbing -----------------------------------------------------------------------------------

_NONCE_IN_URL = re.compile(r"([?&]nonce=)[^&#]*")


def _recording_tokens() -> list[str]:
    tokens = [LOCAL_TOKEN, WRONG_TOKEN, SEED_TOKEN]
    if REMOTE:
        tokens.append(os.environ["CXREPORTS_TOKEN"].strip())
    return [t for t in tokens if t]


def _replace_tokens(data: bytes) -> bytes:
    for token in _recording_tokens():
        data = data.replace(token.encode(), TOKEN_PLACEHOLDER.encode())
    return data


def _scrub_cookie_pairs(value: str) -> str:
    pairs = [p.strip() for p in value.split(";") if p.strip()]
    return "; ".join(f"{p.split('=', 1)[0]}={COOKIE_PLACEHOLDER}" for p in pairs)


def _scrub_set_cookie(value: str) -> str:
    first, sep, attributes = value.partition(";")
    return f"{first.split('=', 1)[0].strip()}={COOKIE_PLACEHOLDER}{sep}{attributes}"


def scrub_request(request: VcrRequest) -> VcrRequest:
    """Runs on a copy, when recording and before matching at replay alike."""
    request.uri = _NONCE_IN_URL.sub(lambda m: m.group(1) + NONCE_PLACEHOLDER, request.uri)
    for name in list(request.headers):
        if name.lower() == "cookie":
            request.headers[name] = _scrub_cookie_pairs(request.headers[name])
    raw = _body_bytes(request)
    if raw:
        request.body = _replace_tokens(raw)
    return request


def _scrub_nonce_fields(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: NONCE_PLACEHOLDER if k == "nonce" else _scrub_nonce_fields(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub_nonce_fields(v) for v in value]
    return value


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers: dict[str, list[str]] = response["headers"]
    for name, values in headers.items():
        if name.lower() == "set-cookie":
            headers[name] = [_scrub_set_cookie(v) for v in values]
        elif name.lower() == "cookie":
            headers[name] = [_scrub_cookie_pairs(v) for v in values]
    body = response["body"]["string"]
    raw = body.encode() if isinstance(body, str) else body
    content_type = ",".join(
        v for k, vs in headers.items() if k.lower() == "content-type" for v in vs
    )
    if "json" in content_type and raw:
        document = json.loads(raw)
        scrubbed = _scrub_nonce_fields(document)
        if scrubbed != document:
            raw = json.dumps(scrubbed, separators=(",", ":")).encode()
            for name in headers:
                if name.lower() == "content-length":
                    headers[name] = [str(len(raw))]
    new = _replace_tokens(raw)
    if len(new) != len(raw):
        for name in headers:
            if name.lower() == "content-length":
                headers[name] = [str(len(new))]
    response["body"]["string"] = new
    return response


def make_vcr(record: bool) -> vcr.VCR:
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        serializer="yaml",
        record_mode="all" if record else "none",
        match_on=MATCH_ON,
        filter_headers=[("authorization", AUTH_PLACEHOLDER)],
        before_record_request=scrub_request,
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )
    recorder.register_matcher("query_multidict", match_query)
    recorder.register_matcher("json_body", match_json_body)
    return recorder


# -- the secret scan -----------------------------------------------------------------------------

_BEARER = re.compile(r"Bearer\s+([^\s\"',]+)")
_NONCE_QUERY = re.compile(r"[?&]nonce=([^&#\s\"']*)")
_NONCE_JSON = re.compile(r"\"nonce\"\s*:\s*\"([^\"]*)\"")


def _scalars(node: yaml.Node, key: str = "") -> Iterator[tuple[str, yaml.ScalarNode]]:
    """Every scalar in a YAML tree, with the mapping key it sits under."""
    if isinstance(node, yaml.ScalarNode):
        yield key, node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, key)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            name = k.value if isinstance(k, yaml.ScalarNode) else key
            yield from _scalars(v, str(name).lower())


def find_secrets(text: str, tokens: Iterable[str]) -> list[tuple[int, str]]:
    """(line, what) for every secret left in a cassette's YAML text."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found: list[tuple[int, str]] = []
    if root is None:
        return found
    for key, node in _scalars(root):
        line = node.start_mark.line + 1
        value = str(node.value)
        if node.tag.endswith(":binary"):
            value = base64.b64decode("".join(value.split())).decode("latin-1")
        for token in tokens:
            if token and token in value:
                found.append((line, f"a recording token ({token[:6]}...)"))
        if key == "authorization" and value != AUTH_PLACEHOLDER:
            found.append((line, f"an Authorization header value {value[:12]!r}..."))
        if key != "www-authenticate":  # a challenge names the scheme, it is no credential
            for m in _BEARER.finditer(value):
                if m.group(0) != AUTH_PLACEHOLDER:
                    found.append((line, f"a bearer value {m.group(0)[:14]!r}..."))
        if key == "set-cookie" and _scrub_set_cookie(value) != value:
            found.append((line, "a Set-Cookie value"))
        if key == "cookie" and _scrub_cookie_pairs(value) != value:
            found.append((line, "a Cookie value"))
        for pattern in (_NONCE_QUERY, _NONCE_JSON):
            for m in pattern.finditer(value):
                if m.group(1) != NONCE_PLACEHOLDER:
                    found.append((line, f"a nonce {m.group(1)[:6]!r}..."))
    return found


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    if RECORD:
        chosen = recording_scenario()
        CASSETTES.mkdir(parents=True, exist_ok=True)
        SCENARIO_FILE.write_text(json.dumps(asdict(chosen), indent=2, sort_keys=True) + "\n")
        return chosen
    return replay_scenario()


@pytest.fixture(scope="session")
def local_server() -> Iterator[Any]:
    """The local server, started only when recording."""
    if not RECORD:
        yield None
        return
    from cxreports.testing import serve

    with serve(token=LOCAL_TOKEN, render_delay=0.3) as running:
        yield running


@dataclass(frozen=True)
class Target:
    url: str
    token: str
    scenario: Scenario


@pytest.fixture
def target(request: pytest.FixtureRequest, scenario: Scenario, local_server: Any) -> Target:
    """Where this test's client points. ``local_only`` scenarios rely on the local server's
    failure simulation, so they are always recorded against it, with the seed's codes."""
    local_only = request.node.get_closest_marker("local_only") is not None
    if not RECORD:
        return Target(REPLAY_URL, REPLAY_TOKEN, LOCAL_SCENARIO if local_only else scenario)
    if REMOTE and not local_only:
        return Target(os.environ["CXREPORTS_URL"], os.environ["CXREPORTS_TOKEN"], scenario)
    return Target(local_server.url, local_server.token, LOCAL_SCENARIO)


@pytest.fixture
def sc(target: Target) -> Scenario:
    return target.scenario


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """At replay the polling and backoff sleeps are recorded, not waited out; when recording
    they are real, so the server gets on with rendering."""
    if RECORD or IMPORT_ERROR is not None:
        return []
    return record_sleeps(monkeypatch)


@pytest.fixture
def cassette(request: pytest.FixtureRequest, kind: str) -> Iterator[Cassette]:
    """The test's cassette, active only for the duration of this test."""
    name = f"{kind}/{request.node.originalname}.yaml"
    path = CASSETTES / name
    if RECORD:
        path.unlink(missing_ok=True)
    elif not path.exists():
        pytest.fail(f"no cassette {path}: run `make record`")
    with make_vcr(RECORD).use_cassette(name) as active:
        yield active
    if not RECORD:
        unplayed = len(active) - len(active.play_counts)
        assert unplayed == 0, (
            f"{path}: {unplayed} recorded request(s) were never sent; "
            "the client no longer sends what it did when the cassette was recorded"
        )


@pytest.fixture
def client(kind: str, target: Target, cassette: Cassette, sleeps: list[float]) -> Iterator[Any]:
    if IMPORT_ERROR is not None:
        pytest.fail(f"cxreports does not import: {IMPORT_ERROR!r}")
    with make_client(kind, target.url, target.token, target.scenario.workspace) as c:
        yield c


def sent(cassette: Cassette) -> list[tuple[str, str]]:
    """(method, path) of every interaction in the cassette, played or recorded."""
    return [(r.method, urlsplit(r.uri).path) for r in cassette.requests]


def pdf_pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


# -- the client package must import ----------------------------------------------------------------


def test_client_package_imports() -> None:
    assert IMPORT_ERROR is None, f"cxreports does not import: {IMPORT_ERROR!r}"


# -- listing ------------------------------------------------------------------------------------


def test_listing(client: Any, sc: Scenario, cassette: Cassette) -> None:
    workspaces = client.workspaces()
    assert sc.workspace in {w.code for w in workspaces} | {str(w.id) for w in workspaces}
    types = client.report_types()
    templates = client.templates()
    themes = client.themes()
    jobs = client.jobs()
    assert all(isinstance(t, cxreports.ReportType) for t in types)
    assert all(isinstance(t, cxreports.Template) for t in templates)
    assert all(isinstance(t, cxreports.Theme) for t in themes)
    assert sc.job in {j.code for j in jobs} | {str(j.id) for j in jobs}
    pages = client.report_pages(sc.report)
    assert pages and all(isinstance(p, cxreports.ReportPage) for p in pages)
    if sc.local:
        assert {t.code for t in themes} >= {"default", "corporate", "dark"}
        assert {t.code for t in templates} >= {"default", "letterhead"}
        assert len(pages) == 5
        assert [r.id for r in client.reports(type="invoice")] == [101, 102]
    ws = f"/api/v1/ws/{sc.workspace}"
    assert sent(cassette)[:6] == [
        ("GET", "/api/v1/workspaces"),
        ("GET", f"{ws}/report-types"),
        ("GET", f"{ws}/templates"),
        ("GET", f"{ws}/themes"),
        ("GET", f"{ws}/jobs"),
        ("GET", f"{ws}/reports/{sc.report}/pages"),
    ]


def test_reports_follow_pages(client: Any, sc: Scenario, cassette: Cassette) -> None:
    reports = client.reports(workspace=sc.paged_workspace)
    assert len({r.id for r in reports}) == len(reports)
    queries = [_query(r) for r in cassette.requests]
    assert queries[0] == [("limit", "100"), ("offset", "0")]
    if sc.local:
        assert len(reports) == 130
        assert queries == [
            [("limit", "100"), ("offset", "0")],
            [("limit", "100"), ("offset", "100")],
        ]


# -- synchronous export --------------------------------------------------------------------------


def test_export_get_with_params(client: Any, sc: Scenario, cassette: Cassette) -> None:
    doc = client.export(
        sc.report, params={"title": "Wire"}, lang="de", timezone="Europe/Berlin", theme=sc.theme
    )
    assert doc.content.startswith(b"%PDF") and pdf_pages(doc.content) >= 1
    assert doc.content_type == "application/pdf"
    (request,) = cassette.requests
    assert request.method == "GET"
    assert dict(_query(request))["params"] == '{"title":"Wire"}'
    if sc.local:
        assert "Wire" in pdf_text(doc.content) and doc.filename == "Invoice.pdf"


def test_export_post_with_inline_data(client: Any, sc: Scenario, cassette: Cassette) -> None:
    data = {"invoiceNumber": "INV-WIRE", "items": [{"description": "Widget", "quantity": 3}]}
    doc = client.export(sc.report, data=data, params={"title": "Posted"})
    assert doc.content.startswith(b"%PDF")
    (request,) = cassette.requests
    assert request.method == "POST"
    assert json.loads(_body_bytes(request))["data"] == data
    if sc.local:
        assert "INV-WIRE" in pdf_text(doc.content)


def test_push_temporary_data_then_export_by_get(
    client: Any, sc: Scenario, cassette: Cassette
) -> None:
    temp = client.push_temporary_data({"customer": "Acme GmbH"}, expires=FIXED_EXPIRY)
    assert isinstance(temp, cxreports.TemporaryData) and temp.expires is not None
    doc = client.export(sc.report, temp_data=temp)
    assert doc.content.startswith(b"%PDF")
    push, export = cassette.requests
    assert json.loads(_body_bytes(push)) == {
        "content": {"customer": "Acme GmbH"},
        "expiryDate": "2099-01-01T12:00:00+00:00",
    }
    assert export.method == "GET" and ("tempDataId", str(temp.id)) in _query(export)
    if sc.local:
        assert temp.expires == FIXED_EXPIRY
        assert "Acme GmbH" in pdf_text(doc.content)


def test_export_each_format(client: Any, sc: Scenario) -> None:
    import openpyxl

    xlsx = client.export(sc.report, format="xlsx")
    assert xlsx.content_type.startswith("application/vnd.openxmlformats-officedocument.spreadsheet")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames
    for fmt in ("docx", "pptx"):
        office = client.export(sc.report, format=fmt)
        assert zipfile.ZipFile(io.BytesIO(office.content)).testzip() is None
    html = client.export(sc.report, format="html")
    assert html.content_type.startswith("text/html") and b"<" in html.content
    bundle = client.export(sc.report, include_attachments=True)
    assert bundle.content_type == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert pdfs and pdf_pages(zipfile.ZipFile(io.BytesIO(bundle.content)).read(pdfs[0])) >= 1
    if sc.local:
        assert "Invoice.pdf" in names and len(names) > 1


def test_export_to_file(client: Any, sc: Scenario, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    assert client.export_to_file(sc.report, target) == target
    assert pdf_pages(target.read_bytes()) >= 1
    landed = client.export_to_file(sc.report, tmp_path, format="xlsx")
    assert landed.parent == tmp_path and landed.suffix == ".xlsx"
    assert zipfile.ZipFile(landed).testzip() is None


# -- asynchronous export -------------------------------------------------------------------------


def test_start_export_status_wait_content_save(
    client: Any, sc: Scenario, cassette: Cassette, tmp_path: Path, sleeps: list[float]
) -> None:
    pages = client.report_pages(sc.report)
    excluded = [pages[-1].id] if len(pages) > 1 else []
    export = client.start_export(sc.report, params={"title": "Async"}, exclude_pages=excluded)
    first = export.status()
    assert first.status in ("InProgress", "Completed")
    seen: list[str] = []
    export.wait(timeout=60, on_status=lambda s: seen.append(s.status))
    assert seen[-1] == "Completed"
    doc = export.content()
    assert doc.content.startswith(b"%PDF")
    assert pdf_pages(doc.content) >= 1
    assert export.save(tmp_path / "async.pdf").read_bytes() == doc.content
    polls = [p for _, p in sent(cassette) if p.endswith(f"/exports/{export.id}/status")]
    assert len(polls) == 1 + len(seen)
    if not RECORD:
        assert len(sleeps) == len(seen) - 1, "one sleep between consecutive polls"
    if sc.local:
        assert pdf_pages(doc.content) == 4


def test_get_export_resumes(client: Any, sc: Scenario) -> None:
    started = client.start_export(sc.report, format="docx")
    resumed = client.get_export(started.id)
    assert resumed.id == started.id
    assert resumed.wait(timeout=60).content().content.startswith(b"PK")


@pytest.mark.local_only
def test_failed_export_raises(client: Any) -> None:
    export = client.start_export("invoice", params={"simulateFailure": "Data source unavailable"})
    with pytest.raises(cxreports.ExportFailedError) as info:
        export.wait(timeout=60)
    assert info.value.message == "Data source unavailable"
    assert info.value.status.status == "Failed"


@pytest.mark.local_only
def test_content_before_ready_is_bad_request(client: Any) -> None:
    export = client.start_export("invoice", params={"simulateRenderSeconds": 30})
    with pytest.raises(cxreports.BadRequestError) as info:
        export.content()
    assert info.value.status_code == 400 and "not ready" in info.value.message


# -- errors --------------------------------------------------------------------------------------


def test_unknown_report_is_not_found(client: Any) -> None:
    with pytest.raises(cxreports.NotFoundError) as info:
        client.export(999999)
    assert info.value.status_code == 404 and info.value.message
    assert "/reports/999999/pdf" in str(info.value.request.url)


def test_wrong_token_is_an_authentication_error(
    kind: str, target: Target, cassette: Cassette, sleeps: list[float]
) -> None:
    if IMPORT_ERROR is not None:
        pytest.fail(f"cxreports does not import: {IMPORT_ERROR!r}")
    token = WRONG_TOKEN if RECORD else REPLAY_TOKEN
    with (
        make_client(kind, target.url, token, target.scenario.workspace) as bad,
        pytest.raises(cxreports.AuthenticationError) as info,
    ):
        bad.workspaces()
    assert info.value.status_code == 401
    assert token not in str(info.value)
    assert sleeps == [], "a 401 is not retried"


# -- nonce, preview and download URLs -------------------------------------------------------------


def test_nonce_preview_and_download_urls(client: Any, sc: Scenario, cassette: Cassette) -> None:
    nonce = client.create_nonce()
    assert nonce == (NONCE_PLACEHOLDER if not RECORD else nonce) and len(nonce) >= 8
    url = client.preview_url(
        sc.report, params={"title": "Embedded"}, theme=sc.theme, hide_print_button=True
    )
    parsed = httpx.URL(url)
    assert parsed.path == f"/ws/{sc.workspace}/reports/{sc.report}/preview"
    assert parsed.params["hidePrintButton"] == "true"
    link = httpx.URL(client.download_url(sc.report, format="xlsx", params={"title": "Link"}))
    assert link.path == f"/api/v1/ws/{sc.workspace}/reports/{sc.report}/pdf"
    assert link.params["format"] == "xlsx" and link.params["params"] == '{"title":"Link"}'
    if not RECORD:  # the URLs carry the nonce of the (scrubbed) recorded responses
        assert parsed.params["nonce"] == link.params["nonce"] == NONCE_PLACEHOLDER
    # A browser opens the preview (the nonce buys a session cookie that the reload carries)
    # and the download link, with no Authorization header.
    with httpx.Client() as browser:
        page = browser.get(url)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        again = browser.get(parsed.copy_remove_param("nonce"))
        assert again.status_code == 200, "the session cookie authenticates the reload"
        sheet = browser.get(link)
        assert sheet.status_code == 200
    import openpyxl

    assert openpyxl.load_workbook(io.BytesIO(sheet.content)).sheetnames
    assert sent(cassette) == [
        ("POST", "/api/v1/nonce-tokens"),
        ("POST", "/api/v1/nonce-tokens"),
        ("POST", "/api/v1/nonce-tokens"),
        ("GET", parsed.path),
        ("GET", parsed.path),
        ("GET", link.path),
    ]
    assert all("authorization" not in r.headers for r in cassette.requests[3:])
    if sc.local:
        assert "Embedded" in page.text


# -- jobs ----------------------------------------------------------------------------------------


def test_job_run_review_and_deliver(
    client: Any, sc: Scenario, cassette: Cassette, tmp_path: Path
) -> None:
    run = client.start_job_run(sc.job, params={"month": "2026-10"})
    assert isinstance(run.id, int)
    status = run.wait(timeout=120)
    assert status.finished and status.queued == 0
    assert status.entries == status.review + status.completed + status.errors
    review = run.review_document()
    saved = review.wait(timeout=60).save(tmp_path / "review.pdf")
    assert pdf_pages(saved.read_bytes()) >= 1
    run.deliver()
    after = run.status()
    assert after.review == 0
    resumed = client.get_job_run(sc.job, run.id)
    assert resumed.status() == after
    paths = [p for _, p in sent(cassette)]
    assert paths[-2:] == [f"/api/v1/ws/{sc.workspace}/jobs/{sc.job}/runs/{run.id}/status"] * 2
    if sc.local:
        assert status.review > 0 and after.completed == status.review + status.completed


# -- the cassettes themselves --------------------------------------------------------------------


def _cassette_files() -> list[Path]:
    return sorted(CASSETTES.rglob("*.yaml"))


def test_every_scenario_has_its_cassettes() -> None:
    tests = {
        name
        for name, value in globals().items()
        if name.startswith("test_") and callable(value) and "kind" in _fixture_names(value)
    }
    have = {p.relative_to(CASSETTES).as_posix() for p in _cassette_files()}
    want = {f"{kind}/{name}.yaml" for name in tests for kind in ("sync", "async")}
    if RECORD:
        pytest.skip("recording: the cassettes are being written")
    assert have == want, f"missing {sorted(want - have)}, stale {sorted(have - want)}"


def _fixture_names(function: Callable[..., Any]) -> set[str]:
    import inspect

    names = set(inspect.signature(function).parameters)
    # client depends on kind through its own fixture signature.
    return names | ({"kind"} if "client" in names else set())


def test_cassettes_hold_no_secrets() -> None:
    files = _cassette_files()
    assert files, "no cassettes: run `make record`"
    tokens = _recording_tokens()
    problems = [
        f"{path.relative_to(CASSETTES.parent.parent)}:{line}: {what}"
        for path in files
        for line, what in find_secrets(path.read_text(), tokens)
    ]
    assert not problems, "secrets in cassettes:\n" + "\n".join(problems)
    everything = "".join(path.read_text() for path in files)
    for placeholder in (AUTH_PLACEHOLDER, NONCE_PLACEHOLDER, COOKIE_PLACEHOLDER):
        assert placeholder in everything, f"no cassette shows {placeholder!r}: nothing scrubbed?"


def test_secret_scan_finds_what_it_should() -> None:
    leaked = f"""interactions:
- request:
    body: null
    headers:
      authorization:
      - Bearer {LOCAL_TOKEN}
      cookie:
      - cxreports_preview=abc123
    method: GET
    uri: http://127.0.0.1:1/ws/sales/reports/invoice/preview?nonce=Zx9_secret
  response:
    body:
      string: '{{"nonce":"q1w2e3r4t5"}}'
    headers:
      set-cookie:
      - cxreports_preview=s3ss10n; HttpOnly; Path=/
      www-authenticate:
      - Bearer
    status:
      code: 200
      message: OK
- request:
    body: !!binary |
      {base64.b64encode(f"token={WRONG_TOKEN}".encode()).decode()}
    headers:
      authorization:
      - {AUTH_PLACEHOLDER}
    method: POST
    uri: http://127.0.0.1:1/api/v1/nonce-tokens?x=1&nonce={NONCE_PLACEHOLDER}
  response:
    body:
      string: '{{"nonce":"{NONCE_PLACEHOLDER}"}}'
    headers:
      set-cookie:
      - cxreports_preview={COOKIE_PLACEHOLDER}; HttpOnly; Path=/
    status:
      code: 200
      message: OK
version: 1
"""
    found = find_secrets(leaked, _recording_tokens())
    by_line: dict[int, list[str]] = {}
    for line, what in found:
        by_line.setdefault(line, []).append(what)
    assert any("recording token" in w for w in by_line[6]), by_line
    assert any("bearer value" in w for w in by_line[6])
    assert by_line[8] == ["a Cookie value"]
    assert by_line[10] == ["a nonce 'Zx9_se'..."]
    assert by_line[13] == ["a nonce 'q1w2e3'..."]
    assert by_line[16] == ["a Set-Cookie value"]
    assert any("recording token" in w for w in by_line[23])
    assert set(by_line) == {6, 8, 10, 13, 16, 23}, "placeholders must not be reported"


def test_matchers_ignore_order_but_not_values() -> None:
    def req(uri: str, body: bytes | None = None) -> VcrRequest:
        return VcrRequest("POST", uri, body, {})

    match_query(req("http://a:1/x?b=2&a=1&a=3"), req("http://b:2/x?a=1&a=3&b=2"))
    with pytest.raises(AssertionError):
        match_query(req("http://a/x?a=1&a=3"), req("http://a/x?a=1"))
    with pytest.raises(AssertionError):
        match_query(req("http://a/x?tempDataId=5"), req("http://a/x?tempDataID=5"))
    match_json_body(
        req("http://a/", b'{"a": 1, "b": [1, 2]}'), req("http://a/", b'{"b":[1,2],"a":1}')
    )
    with pytest.raises(AssertionError):
        match_json_body(req("http://a/", b'{"a": true}'), req("http://a/", b'{"a": 1}'))
    with pytest.raises(AssertionError):
        match_json_body(req("http://a/", b'{"includeAttachments": false}'), req("http://a/", b"{}"))
    match_json_body(req("http://a/", b"%PDF\x00\xff"), req("http://a/", b"%PDF\x00\xff"))
    with pytest.raises(AssertionError):
        match_json_body(req("http://a/", b"%PDF\x00\xff"), req("http://a/", b"%PDF\x00\xfe"))


def test_replay_ignores_the_host_and_refuses_anything_else() -> None:
    from vcr.errors import CannotOverwriteExistingCassetteException

    if RECORD:
        pytest.skip("recording: the cassettes are being written")
    name = "sync/test_unknown_report_is_not_found.yaml"
    (interaction,) = yaml.safe_load((CASSETTES / name).read_text())["interactions"]
    assert interaction["request"]["method"] == "GET"
    recorded = urlsplit(interaction["request"]["uri"]).path
    assert recorded.endswith("/reports/999999/pdf")
    with make_vcr(False).use_cassette(name), httpx.Client() as http:
        # Any host and port: nothing listens on either, so the answer is the cassette's.
        assert http.get(f"http://127.0.0.1:1{recorded}?format=pdf").status_code == 404
        for method, url in [
            ("GET", f"http://127.0.0.1:1{recorded}?format=xlsx"),
            ("GET", f"http://127.0.0.1:1{recorded}?format=pdf&lang=de"),
            ("POST", f"http://127.0.0.1:1{recorded}?format=pdf"),
            ("GET", f"http://127.0.0.1:1{recorded}/?format=pdf"),
        ]:
            with pytest.raises(CannotOverwriteExistingCassetteException):
                http.request(method, url)


def test_vcr_is_inactive_outside_cassette_tests() -> None:
    """vcrpy also patches httpx.MockTransport: other modules' mocks must be left alone."""
    hits: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hits.append(str(request.url))
        return httpx.Response(204)

    transport = httpx.MockTransport(handler)
    with httpx.Client(transport=transport) as http:
        assert http.get("http://example.invalid/x").status_code == 204
    assert hits == ["http://example.invalid/x"]
    for transport_class in (httpx.HTTPTransport, httpx.AsyncHTTPTransport, httpx.MockTransport):
        patched = [
            name
            for name in ("handle_request", "handle_async_request")
            if hasattr(getattr(transport_class, name, None), "__wrapped__")
        ]
        assert not patched, f"{transport_class.__name__}.{patched} is still patched by vcrpy"
