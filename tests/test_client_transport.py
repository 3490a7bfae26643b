"""Retries, timeouts, interrupted downloads and secrets, against injected server faults.

Backoff sleeps are recorded instead of waited out (``cxreports._client._sleep``), so the
tests see exactly which delays the client chose.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clients import KINDS, make_client, record_sleeps

import cxreports
from cxreports.testing import serve

TOKEN = "transport-secret-9d8c7b6a5f"


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN, render_delay=0.1) as running:
        yield running


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    return record_sleeps(monkeypatch)


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(kind: str, server: Any, sleeps: list[float]) -> Iterator[Any]:
    server.set_faults(None)
    server.clear_requests()
    with make_client(kind, server.url, server.token, "sales") as c:
        yield c
    server.set_faults(None)


def calls(server: Any, operation: str) -> list[Any]:
    return [r for r in server.requests if r.operation_id == operation]


def test_503_is_retried_honouring_retry_after(
    client: Any, server: Any, sleeps: list[float]
) -> None:
    server.set_faults("list_workspaces:503=0x2")
    assert client.workspaces()
    assert [r.status for r in calls(server, "list_workspaces")] == [503, 503, 200]
    assert sleeps == [0.0, 0.0]


def test_429_retry_after_seconds_is_honoured(client: Any, server: Any, sleeps: list[float]) -> None:
    server.set_faults("list_themes:429=3x1")
    assert client.themes()
    assert [r.status for r in calls(server, "list_themes")] == [429, 200]
    assert sleeps == [3.0]


def test_500_backs_off_exponentially_with_jitter(
    client: Any, server: Any, sleeps: list[float]
) -> None:
    server.set_faults("list_templates:500x2")
    assert client.templates()
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0


def test_retries_are_bounded(client: Any, server: Any) -> None:
    server.set_faults("list_jobs:503=0")
    with pytest.raises(cxreports.InternalServerError) as info:
        client.jobs()
    assert info.value.status_code == 503
    assert len(calls(server, "list_jobs")) == 3  # the first try and max_retries=2


def test_max_retries_zero_means_one_try(client: Any, server: Any) -> None:
    server.set_faults("list_jobs:503=0")
    with pytest.raises(cxreports.InternalServerError):
        client.with_options(max_retries=0).jobs()
    assert len(calls(server, "list_jobs")) == 1


def test_rate_limit_error_when_retries_run_out(client: Any, server: Any) -> None:
    server.set_faults("list_themes:429=0")
    with pytest.raises(cxreports.RateLimitError) as info:
        client.themes()
    assert info.value.response.headers["Retry-After"] == "0"


def test_dropped_connection_on_get_is_retried(
    client: Any, server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="cxreports")
    server.set_faults("list_report_types:dropx1")
    assert client.report_types()
    assert [r.fault for r in calls(server, "list_report_types")] == ["drop", None]
    lines = [r.getMessage() for r in caplog.records if "report-types" in r.getMessage()]
    assert len(lines) == 2
    assert lines[0].startswith("GET /api/v1/ws/sales/report-types -> APIConnectionError in ")
    assert lines[0].endswith("(retry 0)")
    assert " -> 200 in " in lines[1] and lines[1].endswith("(retry 1)")


@pytest.mark.parametrize(
    ("operation", "start"),
    [
        ("start_report_export", lambda c: c.start_export("invoice")),
        ("push_temporary_data", lambda c: c.push_temporary_data({"a": 1})),
        ("start_job_run", lambda c: c.start_job_run("daily-digest")),
        ("create_nonce_token", lambda c: c.create_nonce()),
    ],
)
@pytest.mark.parametrize("fault", ["503=0", "drop"])
def test_posts_that_may_have_reached_the_server_are_not_retried(
    client: Any, server: Any, operation: str, start: Any, fault: str
) -> None:
    server.set_faults(f"{operation}:{fault}x1")
    expected = (
        cxreports.InternalServerError if fault.startswith("503") else cxreports.APIConnectionError
    )
    with pytest.raises(expected):
        start(client)
    assert len(calls(server, operation)) == 1


def test_deliver_is_not_retried(client: Any, server: Any) -> None:
    run = client.start_job_run("monthly-invoices")
    run.wait(timeout=30)
    server.set_faults("deliver_job_run:503=0x1")
    with pytest.raises(cxreports.InternalServerError):
        run.deliver()
    assert len(calls(server, "deliver_job_run")) == 1


def test_connection_refused_is_retried_even_for_post(kind: str, sleeps: list[float]) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again once this block ends
    with (
        make_client(kind, f"http://127.0.0.1:{port}", TOKEN, "sales") as c,
        pytest.raises(cxreports.APIConnectionError) as info,
    ):
        c.start_export("invoice")
    assert not isinstance(info.value, cxreports.APIStatusError)
    assert len(sleeps) == 2, "a request that never left is safe to repeat"
    assert TOKEN not in str(info.value)


def test_read_timeout_is_retried_then_raised(client: Any, server: Any) -> None:
    server.set_faults("list_themes:latency=1.5")
    quick = client.with_options(timeout=0.3, max_retries=1)
    with pytest.raises(cxreports.APITimeoutError) as info:
        quick.themes()
    assert isinstance(info.value, cxreports.APIConnectionError)
    assert len(calls(server, "list_themes")) == 2


def test_sync_export_retries_a_truncated_body(client: Any, server: Any, tmp_path: Path) -> None:
    server.set_faults("export_report_get:truncatex1")
    path = client.export_to_file("invoice", tmp_path / "invoice.pdf")
    assert path.read_bytes().startswith(b"%PDF") and path.read_bytes().rstrip().endswith(b"%%EOF")
    assert [r.fault for r in calls(server, "export_report_get")] == ["truncate", None]
    assert [p.name for p in tmp_path.iterdir()] == ["invoice.pdf"]


def test_interrupted_download_leaves_no_file(client: Any, server: Any, tmp_path: Path) -> None:
    export = client.start_export("invoice").wait(timeout=30)
    existing = tmp_path / "keep.pdf"
    existing.write_bytes(b"the user's own file")
    server.set_faults("get_export_content:truncate")
    with pytest.raises(cxreports.IncompleteDownloadError):
        export.save(existing)
    assert len(calls(server, "get_export_content")) == 3
    assert existing.read_bytes() == b"the user's own file"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.pdf"]
    with pytest.raises(cxreports.IncompleteDownloadError):
        export.content()


def test_no_token_in_logs_reprs_or_errors(
    client: Any, server: Any, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG, logger="cxreports")
    texts: list[str] = [repr(client), str(client)]
    client.workspaces()
    export = client.start_export("invoice")
    texts.append(repr(export))
    export.wait(timeout=30).save(tmp_path / "x.pdf")
    texts.append(client.preview_url("invoice"))
    run = client.start_job_run("monthly-invoices")
    texts.append(repr(run))
    server.set_faults("list_themes:503=0")
    errors: list[BaseException] = []
    for failing in (
        lambda: client.themes(),
        lambda: client.export(424242),
        lambda: client.get_export(999999).status(),
    ):
        with pytest.raises(cxreports.CxReportsError) as info:
            failing()
        errors.append(info.value)
    for error in errors:
        texts += [str(error), repr(error), repr(error.args)]
        if isinstance(error, cxreports.APIStatusError):
            texts += [str(error.request.headers), str(error.response.request.headers)]
            texts += [str(error.body), error.response.text]
    texts += [record.getMessage() for record in caplog.records]
    assert any("GET /api/v1/workspaces -> 200" in t for t in texts), "requests are logged"
    assert all(TOKEN not in t for t in texts)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, cxreports.BadRequestError),
        (401, cxreports.AuthenticationError),
        (403, cxreports.PermissionDeniedError),
        (404, cxreports.NotFoundError),
        (409, cxreports.ConflictError),
        (418, cxreports.APIStatusError),
        (429, cxreports.RateLimitError),
        (500, cxreports.InternalServerError),
        (503, cxreports.InternalServerError),
    ],
)
def test_every_status_maps_to_its_error_class(
    client: Any, server: Any, status: int, error: type[cxreports.APIStatusError]
) -> None:
    server.set_faults(f"list_themes:{status}")
    with pytest.raises(error) as info:
        client.with_options(max_retries=0).themes()
    assert type(info.value) is error
    assert info.value.status_code == status
    assert info.value.message.endswith("(injected fault)")
    assert info.value.body == {"error": info.value.message}


def test_rate_limited_post_is_retried(
    client: Any, server: Any, sleeps: list[float], kind: str
) -> None:
    # A 429 means the server refused before doing anything: repeating creates no duplicate.
    server.set_faults("start_report_export:429=2x1")
    marker = {"marker": f"rate-limited-{kind}"}
    export = client.start_export("invoice", params=marker)
    assert len(calls(server, "start_report_export")) == 2
    assert sleeps == [2.0]
    created = [f for f in server.store.temp_files.values() if f.params == marker]
    assert [f.id for f in created] == [export.id]


# -- proxies --------------------------------------------------------------------------------------


def test_proxy_environment_variables_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY/HTTPS_PROXY/NO_PROXY apply, as the errors guide says (httpx's trust_env)."""
    import http.server
    import threading

    seen: list[str] = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.requestline)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"[]")

        def log_message(self, *args: Any) -> None:
            pass

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        for name in ("ALL_PROXY", "all_proxy", "http_proxy", "NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_address[1]}")
        with (
            pytest.warns(cxreports.InsecureTransportWarning),
            cxreports.Client("http://cx.example", TOKEN, "sales", max_retries=0) as client,
        ):
            assert client.workspaces() == []
        # The absolute-form request line is what a client sends to a forward proxy.
        assert seen == ["GET http://cx.example/api/v1/workspaces HTTP/1.1"]
    finally:
        proxy.shutdown()
        proxy.server_close()
