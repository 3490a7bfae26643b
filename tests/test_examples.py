"""The examples run as users run them (``make demo`` runs quickstart.py) and their files open."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from cxreports.testing import serve

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TOKEN = "examples-secret-token-91ab"


def run_example(name: str, cwd: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        cwd=cwd,
        env={**clean, "NO_PROXY": "127.0.0.1,localhost", **env},
        stdin=subprocess.DEVNULL,  # as in CI: no terminal, so nothing may wait for Enter
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN, render_delay=0.2) as running:
        yield running


def check_quickstart_files(out: Path) -> None:
    names = {p.name for p in out.iterdir()}
    assert names == {
        "invoice.pdf",
        "sales-summary.xlsx",
        "invoice-acme.pdf",
        "Statement.pdf",
        "monthly-invoices-review.pdf",
    }
    assert "INV-1001" in PdfReader(out / "invoice.pdf").pages[0].extract_text()
    assert "Acme Corporation" in PdfReader(out / "invoice-acme.pdf").pages[0].extract_text()
    assert len(PdfReader(out / "Statement.pdf").pages) >= 1
    assert len(PdfReader(out / "monthly-invoices-review.pdf").pages) >= 1
    workbook = openpyxl.load_workbook(out / "sales-summary.xlsx")
    assert workbook.sheetnames


def test_quickstart_alone(tmp_path: Path) -> None:
    """What `make demo` runs: no configuration, so it starts its own local server."""
    stdout = run_example("quickstart.py", tmp_path)
    assert "using a local CxReports server" in stdout
    for step in range(1, 8):
        assert f"\n{step}. " in "\n" + stdout
    # Nobody can press Enter, so it does not wait, and it says the preview link is dead.
    assert stdout.splitlines()[-1] == (
        "The local server stops now, so the preview URL above no longer works."
    )
    check_quickstart_files(tmp_path / "out")


def test_quickstart_on_a_terminal_keeps_the_server_up_until_enter(tmp_path: Path) -> None:
    """`make demo` in a shell: the preview URL it prints works until Enter is pressed."""
    import pty

    import httpx

    master, slave = pty.openpty()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    proc = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "quickstart.py")],
        cwd=tmp_path,
        env={**clean, "NO_PROXY": "127.0.0.1,localhost"},
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(slave)
    try:
        assert proc.stdout is not None
        lines = []
        while not (line := proc.stdout.readline()).startswith("Press Enter or Ctrl-C"):
            assert line, f"ended without waiting: {lines}"
            lines.append(line)
        assert lines[-1].startswith("The local server stays up at http://127.0.0.1:")
        url = next(x for x in lines if x.startswith("6. ")).rsplit(" ", 1)[1].strip()
        assert httpx.get(url).status_code == 200  # the server is still there
        os.write(master, b"\n")
        assert proc.wait(30) == 0
        assert proc.stderr is not None and "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)


def test_quickstart_against_a_configured_server(server: Any, tmp_path: Path) -> None:
    server.clear_requests()
    stdout = run_example(
        "quickstart.py",
        tmp_path,
        CXREPORTS_URL=server.url,
        CXREPORTS_TOKEN=TOKEN,
        CXREPORTS_WORKSPACE="sales",
    )
    assert "local CxReports server" not in stdout and TOKEN not in stdout
    check_quickstart_files(tmp_path / "out")
    operations = {r.operation_id for r in server.requests}
    assert {"start_report_export", "create_nonce_token", "deliver_job_run"} <= operations


def test_batch_invoices(server: Any, tmp_path: Path) -> None:
    server.clear_requests()
    stdout = run_example(
        "batch_invoices.py",
        tmp_path,
        CXREPORTS_URL=server.url,
        CXREPORTS_TOKEN=TOKEN,
        CXREPORTS_WORKSPACE="sales",
    )
    assert stdout.startswith("200 invoices") and "0 failed" in stdout and "per second" in stdout
    files = sorted((tmp_path / "out" / "invoices").iterdir())
    assert len(files) == 200
    assert "INV-0137" in PdfReader(files[136]).pages[0].extract_text()
    exports = [r for r in server.requests if r.operation_id == "export_report_post"]
    assert len(exports) == 200 and all(r.status == 200 for r in exports)
