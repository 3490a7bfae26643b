"""``client.check_api()`` and ``cxreports doctor``: connectivity, token, workspace, API drift."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import cxreports
from cxreports.testing import serve
from cxreports.testing.swagger import swashbuckle_document

TOKEN = "doctor-secret-token-5c1d"
CLI = shutil.which("cxreports", path=str(Path(sys.executable).parent))


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN, log_level="error") as running:
        yield running


def drifted(variant: str, swagger_path: str = "/swagger/v1/swagger.json") -> httpx.MockTransport:
    """A server with one workspace whose Swagger serves ``variant`` at ``swagger_path``."""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/workspaces":
            return httpx.Response(200, json=[{"id": 1, "name": "Sales", "code": "sales"}])
        if request.url.path == swagger_path:
            return httpx.Response(200, json=swashbuckle_document(variant))
        return httpx.Response(404, json={"error": "Not Found"})

    return httpx.MockTransport(handle)


def test_a_healthy_server_checks_out(server: Any) -> None:
    with cxreports.Client(server.url, TOKEN, "sales") as client:
        check = client.check_api()
    assert check.ok and not check.breaking
    assert (check.connected, check.token_valid, check.workspace_found) == (True, True, True)
    assert check.swagger_url == server.url + "/swagger/v1/swagger.json"
    assert check.changes == ()
    assert "no changes" in check.report()


def test_a_refused_token_and_an_unknown_workspace(server: Any) -> None:
    with cxreports.Client(server.url, "not-the-token-77", "sales") as client:
        check = client.check_api()
    assert (check.connected, check.token_valid, check.ok) == (True, False, False)
    assert "401" in check.notes[0] and "not-the-token-77" not in check.report()
    with cxreports.Client(server.url, TOKEN, "nowhere") as client:
        check = client.check_api()
    assert (check.token_valid, check.workspace_found, check.ok) == (True, False, False)
    assert "no workspace 'nowhere'" in check.notes[0]


def test_no_server_at_all() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with cxreports.Client(f"http://127.0.0.1:{port}", TOKEN, max_retries=0) as client:
        check = client.check_api()
    assert (check.connected, check.token_valid, check.ok) == (False, None, False)
    assert f"127.0.0.1:{port}" in check.report() or "connection failed" in check.notes[0]


def test_breaking_drift_is_found_through_a_later_swagger_path() -> None:
    transport = drifted("changed", "/openapi/v1.json")
    http = httpx.Client(transport=transport)
    with cxreports.Client("http://127.0.0.1:9", TOKEN, "sales", http_client=http) as client:
        check = client.check_api()
    assert check.breaking and not check.ok
    assert check.swagger_url == "http://127.0.0.1:9/openapi/v1.json"
    broken = [(c.operation, c.name) for c in check.changes if c.breaking]
    assert broken == [("list_reports", "200 reportTemplateName")]
    text = check.report()
    assert "BREAKING" in text and "Client.reports()" in text


async def test_the_async_client_checks_the_same() -> None:
    async with cxreports.AsyncClient(
        "http://127.0.0.1:9", TOKEN, "sales",
        http_client=httpx.AsyncClient(transport=drifted("same")),
    ) as client:  # fmt: skip
        check = await client.check_api()
    assert check.ok and check.changes == ()


def test_no_swagger_is_not_a_failure() -> None:
    http = httpx.Client(transport=drifted("same", "/nowhere"))
    with cxreports.Client("http://127.0.0.1:9", TOKEN, http_client=http) as client:
        check = client.check_api()
    assert check.ok and check.swagger_url is None
    assert "no Swagger document" in check.notes[-1]


def doctor(url: str, token: str, workspace: str = "sales") -> subprocess.CompletedProcess[str]:
    assert CLI is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    env.update(CXREPORTS_URL=url, CXREPORTS_TOKEN=token, CXREPORTS_WORKSPACE=workspace)
    return subprocess.run(
        [CLI, "doctor"], capture_output=True, text=True, env=env, timeout=60, check=False
    )


@pytest.mark.skipif(CLI is None, reason="the cxreports script is not installed")
def test_doctor_exit_statuses(server: Any) -> None:
    good = doctor(server.url, TOKEN)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "ok    token accepted" in good.stdout
    bad = doctor(server.url, "wrong-token-1234")
    assert bad.returncode == 1
    assert "FAIL  token accepted" in bad.stdout
    assert "wrong-token-1234" not in bad.stdout + bad.stderr
    assert TOKEN not in good.stdout + good.stderr


@pytest.mark.skipif(CLI is None, reason="the cxreports script is not installed")
def test_doctor_exits_3_on_breaking_drift(tmp_path: Path) -> None:
    """A real HTTP server whose Swagger has dropped a field cxreports reads."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = json.dumps(swashbuckle_document("changed")).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/api/v1/workspaces":
                payload = b'[{"id": 1, "name": "Sales", "code": "sales"}]'
            elif self.path == "/swagger/v1/swagger.json":
                payload = body
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        result = doctor(f"http://127.0.0.1:{httpd.server_address[1]}", TOKEN)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.returncode == 3, result.stdout + result.stderr
    assert "reportTemplateName" in result.stdout and "BREAKING" in result.stdout
