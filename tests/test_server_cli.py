"""`python -m cxreports.testing` as a process, the pytest plugin, and the cheap import."""

from __future__ import annotations

import importlib.metadata
import json
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

pytest_plugins = ["pytester"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_cli(*args: str) -> tuple[subprocess.Popen[str], list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cxreports.testing", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    lines = [proc.stdout.readline() for _ in range(4)]
    return proc, lines


def stop(proc: subprocess.Popen[str], sig: int) -> int:
    proc.send_signal(sig)
    try:
        return proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            httpx.get(url + "/swagger/v1/swagger.json", timeout=1)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_cli_serves_prints_its_address_and_exits_0_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    proc, lines = start_cli(
        "--port", str(port), "--token", "cli-token", "--render-delay", "5",
        "--faults", "list_themes:503=0x1",
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        assert lines[0].strip() == f"CxReports local server: {url}"
        assert lines[1].rstrip() == "  token:     (the one you gave)", (
            "a chosen token is not echoed"
        )
        assert "cli-token" not in "".join(lines)
        assert lines[2].split()[:2] == ["workspace:", "sales"]
        wait_until_up(url)
        api = httpx.Client(base_url=url + "/api/v1", headers={"Authorization": "Bearer cli-token"})
        assert [w["code"] for w in api.get("/workspaces").json()] == [
            "sales",
            "finance",
            "operations",
        ]
        assert api.get("/ws/sales/themes").status_code == 503
        assert api.get("/ws/sales/themes").status_code == 200
        file_id = api.post("/ws/sales/reports/invoice/export", json={}).json()["temporaryFileId"]
        assert api.get(f"/ws/sales/exports/{file_id}/status").json()["status"] == "InProgress"
        assert httpx.get(url + "/api/v1/workspaces").status_code == 401
        api.close()
    finally:
        code = stop(proc, signal.SIGINT)
    assert code == 0
    assert proc.stderr is not None
    assert "Traceback" not in proc.stderr.read()


def test_cli_with_a_seed_file_on_port_0_exits_0_on_sigterm(tmp_path: Path) -> None:
    seed = {
        "workspaces": [
            {
                "id": 7,
                "code": "tiny",
                "name": "Tiny",
                "reportTypes": [{"id": 8, "code": "memo", "name": "Memo", "defaultReportId": 9}],
                "reports": [
                    {
                        "id": 9,
                        "name": "Memo",
                        "reportTypeId": 8,
                        "pages": [{"id": 10, "name": "Only"}],
                    }
                ],
            }
        ]
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    proc, lines = start_cli("--port", "0", "--seed", str(path))
    try:
        url = lines[0].split(": ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        assert lines[1].split() == ["token:", "cxreports-local-token"]
        assert lines[2].split()[:2] == ["workspace:", "tiny"]
        wait_until_up(url)
        headers = {"Authorization": "Bearer cxreports-local-token"}
        assert httpx.get(url + "/api/v1/workspaces", headers=headers).json() == [
            {"id": 7, "name": "Tiny", "description": None, "code": "tiny"}
        ]
        pdf = httpx.get(url + "/api/v1/ws/tiny/reports/memo/pdf", headers=headers)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    finally:
        code = stop(proc, signal.SIGTERM)
    assert code == 0


def test_cli_refuses_a_bad_fault_spec() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cxreports.testing", "--faults", "list_workspaces:200"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "invalid fault rule 'list_workspaces:200'" in result.stderr


def test_cli_reports_a_busy_port() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "cxreports.testing", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "--port 0" in result.stderr


def test_import_is_light() -> None:
    code = (
        "import sys, cxreports.testing, cxreports.testing.pytest_plugin;"
        "print(sorted(m for m in ('starlette', 'uvicorn', 'fpdf', 'docx', 'openpyxl', 'pptx')"
        " if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30
    )
    assert result.stdout.strip() == "[]", result.stderr


def test_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    entry_points = importlib.metadata.entry_points(group="pytest11")
    assert any(
        ep.name == "cxreports" and ep.value == "cxreports.testing.pytest_plugin"
        for ep in entry_points
    )


def test_fixture_in_a_users_test_suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        textwrap.dedent(
            """
            import httpx
            import pytest

            def test_default(cxreports_server):
                r = httpx.get(cxreports_server.api_url + "/workspaces",
                              headers={"Authorization": "Bearer " + cxreports_server.token})
                assert r.status_code == 200
                assert cxreports_server.workspace == "sales"

            @pytest.mark.cxreports_server(token="custom", faults="list_workspaces:500x1")
            def test_options(cxreports_server):
                url = cxreports_server.api_url + "/workspaces"
                headers = {"Authorization": "Bearer custom"}
                assert httpx.get(url, headers=headers).status_code == 500
                assert httpx.get(url, headers=headers).status_code == 200
            """
        )
    )
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-p", "no:asyncio", "--strict-markers"
    )
    result.assert_outcomes(passed=2)


def test_fixture_without_the_testing_extra_says_what_to_install(pytester: pytest.Pytester) -> None:
    """Not a skip that only -rs explains: an error whose one line names the extra."""
    pytester.makeconftest("import sys\nsys.modules['starlette'] = None\n")
    pytester.makepyfile("def test_needs_server(cxreports_server):\n    raise AssertionError\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:asyncio")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*cxreports_server needs the testing extra: pip install 'cxreports[[]testing[]]' "
         "(starlette missing)"]
    )  # fmt: skip
    assert (
        "Traceback" not in result.stdout.str() and "raise AssertionError" not in result.stdout.str()
    )


def test_module_without_the_testing_extra_is_one_line() -> None:
    code = (
        "import sys, runpy; sys.modules['starlette'] = None; sys.argv = ['x', '--port', '0']\n"
        "runpy.run_module('cxreports.testing', run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: the local CxReports server needs the testing extra (starlette is missing): "
        "pip install 'cxreports[testing]'"
    ]


def test_serve_without_the_testing_extra_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['starlette'] = None\n"
        "from cxreports.testing import serve\n"
        "try:\n    serve()\nexcept ImportError as exc:\n    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30
    )
    assert "pip install 'cxreports[testing]'" in result.stdout, result.stderr
    assert "starlette" in result.stdout
