"""The ``cxreports`` command through its real entry point, against a local server.

Every test runs the installed console script in a subprocess (stdout and stderr are
pipes, as in CI and cron), so it covers argument parsing, output streams and exit codes
exactly as users meet them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import attrs
import pytest
from pypdf import PdfReader

import cxreports
from cxreports.testing import serve

TOKEN = "cli-secret-token-3b9e1f"
CLI = shutil.which("cxreports", path=str(Path(sys.executable).parent))
pytestmark = pytest.mark.skipif(CLI is None, reason="the cxreports script is not installed")


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN, render_delay=0.2) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(server: Any) -> Iterator[None]:
    server.set_faults(None)
    server.clear_requests()
    yield
    server.set_faults(None)


def run(
    server: Any,
    *args: str,
    input: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    base.update(
        CXREPORTS_URL=server.url,
        CXREPORTS_TOKEN=TOKEN,
        CXREPORTS_WORKSPACE="sales",
        NO_PROXY="127.0.0.1,localhost",
        COLUMNS="200",
    )
    base.update(env or {})
    assert CLI is not None
    return subprocess.run(
        [CLI, *args], input=input, capture_output=True, cwd=cwd, env=base, timeout=60
    )


def ok(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 0, result.stderr.decode()
    assert TOKEN.encode() not in result.stdout + result.stderr
    return result.stdout.decode()


def one_error_line(result: subprocess.CompletedProcess[bytes], code: int) -> str:
    """The single ``error: ...`` line of a failed command (never a traceback or the token)."""
    assert result.returncode == code, (result.returncode, result.stderr)
    err = result.stderr.decode()
    assert TOKEN not in err and TOKEN.encode() not in result.stdout
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def operations(server: Any) -> list[str]:
    return [r.operation_id for r in server.requests if r.operation_id]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# -- lists --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "method", "expected"),
    [
        (["workspaces"], "workspaces", "Invoices, statements and sales reporting"),
        (["report-types"], "report_types", "sales-summary"),
        (["reports", "--type", "invoice"], "reports", "Invoice (compact)"),
        (["pages", "invoice"], "report_pages", "Tax breakdown"),
        (["templates"], "templates", "Letterhead"),
        (["themes"], "themes", "Corporate"),
        (["jobs"], "jobs", "monthly-invoices"),
    ],
)
def test_lists_as_table_and_json(server: Any, args: list[str], method: str, expected: str) -> None:
    table = ok(run(server, *args))
    assert expected in table
    assert not table.lstrip().startswith("[")
    rows = json.loads(ok(run(server, *args, "--json")))
    with cxreports.Client(server.url, TOKEN, "sales") as client:
        call_args = {"reports": {"type": "invoice"}, "report_pages": {"report": "invoice"}}
        items = getattr(client, method)(**call_args.get(method, {}))
    assert [row["id"] for row in rows] == [item.id for item in items]
    assert [row["name"] for row in rows] == [item.name for item in items]
    assert set(rows[0]) == {field.name for field in attrs.fields(type(items[0]))}
    if method == "jobs":  # datetimes are ISO 8601, with their zone
        assert dt.datetime.fromisoformat(rows[0]["last_run_time"]) == items[0].last_run_time


def test_reports_json_holds_every_field(server: Any) -> None:
    rows = json.loads(ok(run(server, "reports", "--json")))
    assert rows[0] == {
        "id": 101,
        "name": "Invoice",
        "report_type_id": 11,
        "report_type_name": "Invoice",
        "report_template_name": "Letterhead",
        "theme_name": "Corporate",
        "is_default": True,
        "preview_image": None,
        "extra": {},
    }


# -- export -------------------------------------------------------------------------------------


def test_export_to_file_with_params(server: Any, tmp_path: Path) -> None:
    target = tmp_path / "invoice.pdf"
    result = run(
        server, "export", "invoice", "-o", str(target),
        "--param", "invoiceNumber=INV-9", "--param", "copies:=3", "--lang", "de",
    )  # fmt: skip
    assert ok(result).strip() == str(target)
    assert result.stderr == b"", "no progress output when stderr is not a terminal"
    text = pdf_text(target.read_bytes())
    assert '"invoiceNumber": "INV-9"' in text and '"copies": 3' in text and "de" in text
    assert operations(server) == ["export_report_get"]


def test_export_to_stdout_is_the_same_document(server: Any, tmp_path: Path) -> None:
    # HTML: the PDF renderer stamps a creation time, which would differ between calls.
    to_file = ok(run(server, "export", "101", "-f", "html", "-o", str(tmp_path)))
    streamed = run(server, "export", "101", "-f", "html", "-o", "-")
    assert streamed.returncode == 0 and streamed.stderr == b""
    assert streamed.stdout == Path(to_file.strip()).read_bytes()
    pdf = run(server, "export", "101", "-o", "-")
    assert pdf.stdout.startswith(b"%PDF") and "Invoice" in pdf_text(pdf.stdout)


def test_export_default_name_is_the_servers_in_cwd(server: Any, tmp_path: Path) -> None:
    out = ok(run(server, "export", "statement", "-f", "xlsx", cwd=tmp_path))
    assert out == "Statement.xlsx\n"  # relative, as -o paths are printed as given
    assert (tmp_path / "Statement.xlsx").read_bytes()[:2] == b"PK"


def test_export_async_with_excluded_page(server: Any, tmp_path: Path) -> None:
    out = ok(
        run(server, "export", "statement", "--async", "--exclude-page", "1009", "-o", str(tmp_path))
    )
    text = pdf_text(Path(out.strip()).read_bytes())
    assert "Aging" in text and "Transactions" not in text
    ops = operations(server)
    assert ops[0] == "start_report_export" and ops[-1] == "get_export_content"
    assert "get_export_status" in ops


def test_export_inline_data_from_stdin_and_params_file(server: Any, tmp_path: Path) -> None:
    params = tmp_path / "params.json"
    params.write_text('{"invoiceNumber": "INV-5", "copies": 1}')
    result = run(
        server, "export", "invoice", "-o", "-", "--params-json", str(params),
        "--param", "copies:=2", "--data", "-",
        input=b'{"customer": "Initech"}',
    )  # fmt: skip
    text = pdf_text(result.stdout)
    assert "Initech" in text and '"copies": 2' in text and "INV-5" in text
    assert operations(server) == ["export_report_post"]


def test_missing_output_folder_is_found_before_any_render(server: Any, tmp_path: Path) -> None:
    target = str(tmp_path / "missing" / "x.pdf")
    line = one_error_line(run(server, "export", "invoice", "--async", "-o", target), 2)
    assert (
        line == f"error: -o: cannot save to {target}: folder {tmp_path / 'missing'} does not exist"
    )
    line = one_error_line(run(server, "job", "run", "51", "--review-document", target), 2)
    assert line.startswith(f"error: --review-document: cannot save to {target}: folder")
    (tmp_path / "a-file").write_text("not a folder")
    under_a_file = str(tmp_path / "a-file" / "x.pdf")
    line = one_error_line(run(server, "export", "invoice", "-o", under_a_file), 2)
    assert line.endswith(f"{tmp_path / 'a-file'} is not a folder")
    assert operations(server) == []


def test_exclude_page_needs_async(server: Any) -> None:
    line = one_error_line(run(server, "export", "invoice", "--exclude-page", "1001"), 2)
    assert "--exclude-page needs --async" in line
    assert operations(server) == []


# -- temporary data --------------------------------------------------------------------------------


def test_push_data_with_absolute_expiry(server: Any, tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_text('{"customer": "Globex"}')
    temp_id = int(ok(run(server, "push-data", str(data), "--expires", "1 Dec 2099 6pm")))
    stored = server.store.temp_data[temp_id]
    assert stored.expiry_wall == dt.datetime(2099, 12, 1, 18, 0).astimezone().astimezone(dt.UTC)
    # The id works in an export.
    out = run(server, "export", "invoice", "--temp-data", str(temp_id), "-o", "-")
    assert "Globex" in pdf_text(out.stdout)


def test_push_data_with_relative_expiry_from_stdin(server: Any) -> None:
    temp_id = int(ok(run(server, "push-data", "-", "--expires", "+2h", input=b"[1, 2]")))
    stored = server.store.temp_data[temp_id]
    expected = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    assert abs((stored.expiry_wall - expected).total_seconds()) < 60
    assert stored.content == [1, 2]


@pytest.mark.parametrize(
    ("when", "message"),
    [("next blursday", "cannot read"), ("2001-01-01 10:00", "in the past"), ("+0h", "future")],
)
def test_push_data_bad_expiry_sends_nothing(server: Any, when: str, message: str) -> None:
    line = one_error_line(run(server, "push-data", "-", "--expires", when, input=b"{}"), 2)
    assert message in line
    assert operations(server) == []


@pytest.mark.clock
@pytest.mark.parametrize(
    "text", ["+2h", "+7d", "2099-12-01 18:00", "1 Dec 2099 6pm", "2099-12-01T18:00:00+02:00"]
)
def test_documented_expiry_forms_stay_valid(wall_clock: str, text: str) -> None:
    """Every form the help text and the CLI reference show is accepted now and for years."""
    from cxreports.cli._common import parse_when

    when = parse_when(text)
    if isinstance(when, dt.timedelta):
        assert when > dt.timedelta(0)
    else:
        assert when > dt.datetime.now(dt.UTC)


@pytest.mark.clock
def test_a_time_just_past_is_refused_whatever_the_date(wall_clock: str) -> None:
    from cxreports.cli._common import UsageError, parse_when

    just_past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
    with pytest.raises(UsageError, match="in the past"):
        parse_when(just_past)


# -- URLs ----------------------------------------------------------------------------------------


def test_preview_url_opens_once(server: Any) -> None:
    import httpx

    url = ok(run(server, "preview-url", "invoice", "--param", "invoiceNumber=INV-3")).strip()
    assert url.startswith(server.url + "/ws/sales/reports/invoice/preview?") and "nonce=" in url
    first = httpx.get(url)
    assert first.status_code == 200 and "INV-3" in first.text and TOKEN not in first.text
    assert httpx.get(url).status_code == 401


def test_download_url(server: Any) -> None:
    import httpx

    url = ok(run(server, "download-url", "101", "-f", "docx", "--lang", "fr")).strip()
    assert "format=docx" in url and "lang=fr" in url and TOKEN not in url
    response = httpx.get(url)
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "wordprocessingml" in response.headers["content-type"]


# -- jobs ----------------------------------------------------------------------------------------


def test_job_run_wait_review_deliver(server: Any, tmp_path: Path) -> None:
    review = tmp_path / "review.pdf"
    result = run(
        server, "job", "run", "monthly-invoices",
        "--wait", "--review-document", str(review), "--deliver",
    )  # fmt: skip
    run_id = int(ok(result))  # stdout is the run id and nothing else
    assert "Acme Corporation" in pdf_text(review.read_bytes())
    assert f"job run {run_id} delivered" in result.stderr.decode()
    ops = operations(server)
    assert ops[0] == "start_job_run" and ops[-1] == "deliver_job_run"
    assert server.requests[-1].status == 200
    assert "generate_review_document" in ops and "get_job_run_status" in ops


def test_job_run_without_wait_only_starts_it(server: Any) -> None:
    assert int(ok(run(server, "job", "run", "52")))
    assert operations(server) == ["start_job_run"]


def test_job_deliver_refused_by_server(server: Any) -> None:
    result = run(server, "job", "run", "daily-digest", "--deliver")
    assert result.returncode == 1
    run_id = int(result.stdout)
    err = result.stderr.decode()
    assert TOKEN not in err and "Traceback" not in err
    # The run's summary, then the server's refusal as one line.
    assert err.splitlines() == [
        f"job run {run_id}: 2 entries, 2 completed, 0 to review, 0 errors",
        "error: 400 Bad Request: Job 'daily-digest' does not require review; its entries "
        f"are delivered when the run completes (POST {server.url}/api/v1/ws/sales/jobs/daily-digest/runs/"
        f"{run_id}/deliver)",
    ]


# -- export-batch --------------------------------------------------------------------------------


def write_manifest(path: Path, lines: list[Any]) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    return path


def batch_lines(n: int) -> list[dict[str, Any]]:
    return [
        {"report": "invoice", "output": f"inv-{i}.pdf", "params": {"invoiceNumber": f"B-{i}"}}
        for i in range(n)
    ]


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_export_batch(server: Any, tmp_path: Path) -> None:
    manifest = write_manifest(
        tmp_path / "m.jsonl",
        [
            *batch_lines(4),
            "",
            {"report": 105, "output": "summary/sales.xlsx", "theme": "dark"},
            {"report": "statement", "output": "st.docx", "lang": "de", "format": "docx"},
        ],
    )
    out = tmp_path / "out"
    result = run(server, "export-batch", str(manifest), "--out", str(out), "--concurrency", "3")
    assert ok(result).startswith("6 exported")
    assert files(out) == {*(f"inv-{i}.pdf" for i in range(4)), "summary/sales.xlsx", "st.docx"}
    assert "B-2" in pdf_text((out / "inv-2.pdf").read_bytes())
    assert (out / "summary/sales.xlsx").read_bytes()[:2] == b"PK"
    assert operations(server).count("export_report_get") == 6


def test_export_batch_reports_each_failure(server: Any, tmp_path: Path) -> None:
    lines = batch_lines(3)
    lines[1]["params"] = {"simulateFailure": "Printer on fire"}
    manifest = write_manifest(tmp_path / "m.jsonl", lines)
    out = tmp_path / "out"
    result = run(server, "export-batch", str(manifest), "--out", str(out))
    assert result.returncode == 1
    assert result.stdout.decode().startswith("2 exported")
    err = result.stderr.decode()
    assert err.splitlines() == [
        "error: line 2 (inv-1.pdf): 400 Bad Request: Printer on fire "
        f"(GET {server.url}/api/v1/ws/sales/reports/invoice/pdf)"
    ]
    assert files(out) == {"inv-0.pdf", "inv-2.pdf"}


def test_export_batch_is_resumable_and_never_leaves_partial_files(
    server: Any, tmp_path: Path
) -> None:
    manifest = write_manifest(tmp_path / "m.jsonl", batch_lines(5))
    out = tmp_path / "out"
    # Every download is cut short (after the client's retries too): nothing may remain.
    server.set_faults("export_report_get:truncate")
    cut = run(server, "export-batch", str(manifest), "--out", str(out), "--concurrency", "5")
    assert cut.returncode == 1 and "cut short" in cut.stderr.decode()
    assert list(out.iterdir()) == []  # not even a hidden temporary file
    server.set_faults(None)
    server.clear_requests()
    ok(run(server, "export-batch", str(manifest), "--out", str(out)))
    assert files(out) == {f"inv-{i}.pdf" for i in range(5)}
    assert operations(server).count("export_report_get") == 5
    # Two files lost: a rerun asks for exactly those two.
    (out / "inv-1.pdf").unlink()
    (out / "inv-3.pdf").unlink()
    server.clear_requests()
    summary = ok(run(server, "export-batch", str(manifest), "--out", str(out)))
    assert summary.startswith("2 exported") and "3 already there" in summary
    assert [r.path for r in server.requests] == [
        "/api/v1/ws/sales/reports/invoice/pdf",
        "/api/v1/ws/sales/reports/invoice/pdf",
    ]
    # Decoded: on aiohttp the query's ":" goes unescaped, which servers read alike.
    assert sorted(parse_qsl(r.query) for r in server.requests) == [
        [("params", f'{{"invoiceNumber":"B-{i}"}}'), ("format", "pdf")] for i in (1, 3)
    ]


def test_export_batch_rejects_a_bad_manifest_before_sending(server: Any, tmp_path: Path) -> None:
    manifest = write_manifest(
        tmp_path / "m.jsonl",
        [
            {"report": "invoice", "output": "a.pdf"},
            "{not json",
            {"report": "invoice"},
            {"report": "invoice", "output": "a.pdf"},
            {"report": "invoice", "output": "b.pdf", "colour": "red"},
            {"report": "invoice", "output": "../escape.pdf"},
            {"report": "invoice", "output": "c.pdf", "format": "odt"},
            [1, 2],
        ],
    )
    result = run(server, "export-batch", str(manifest), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and result.stdout == b""
    err = result.stderr.decode()
    assert "Traceback" not in err
    for number, message in [
        (2, "not valid JSON"),
        (3, '"output" must be a file name'),
        (4, "output 'a.pdf' is also on line 1"),
        (5, "unknown key(s) colour"),
        (6, '"output" must stay inside --out'),
        (7, '"format" must be one of'),
        (8, "expected a JSON object"),
    ]:
        assert f"m.jsonl:{number}: {message}" in err, err
    assert "m.jsonl:1:" not in err
    assert server.requests == []


def test_export_batch_help_documents_the_line_format(server: Any) -> None:
    text = ok(run(server, "export-batch", "--help"))
    for word in ('"report"', '"output"', '"params"', '"tempData"', "--concurrency"):
        assert word in text


# -- errors ----------------------------------------------------------------------------------------


def test_api_error_is_one_line(server: Any) -> None:
    line = one_error_line(run(server, "export", "999"), 1)
    assert line == (
        "error: 404 Not Found: Report '999' not found in workspace 'sales' "
        f"(GET {server.url}/api/v1/ws/sales/reports/999/pdf)"
    )


def test_verbose_logs_requests_but_never_the_token(server: Any) -> None:
    result = run(server, "--verbose", "export", "999", "-o", "-")
    assert result.returncode == 1 and result.stdout == b""
    err = result.stderr.decode()
    assert "GET /api/v1/ws/sales/reports/999/pdf -> 404" in err
    assert err.splitlines()[-1].startswith("error: 404 Not Found")
    assert TOKEN not in err and "Traceback" not in err


def test_wrong_token_given_on_the_command_line_is_not_echoed(server: Any) -> None:
    wrong = "wrong-token-ffff0000"
    result = run(server, "--token", wrong, "workspaces")
    line = one_error_line(result, 1)
    assert line.startswith("error: 401 Unauthorized") and wrong not in line


def test_missing_configuration_is_a_usage_error(server: Any) -> None:
    line = one_error_line(run(server, "workspaces", env={"CXREPORTS_URL": ""}), 2)
    assert "CXREPORTS_URL" in line


def test_unknown_option_is_a_usage_error(server: Any) -> None:
    line = one_error_line(run(server, "export", "invoice", "--colour", "red"), 2)
    assert "No such option: --colour" in line


def test_bad_format_is_a_usage_error(server: Any) -> None:
    line = one_error_line(run(server, "export", "invoice", "-f", "odt"), 2)
    assert "--format must be one of pdf, docx, html, pptx, xlsx" in line
    assert operations(server) == []


def test_connection_refused_is_one_line(server: Any) -> None:
    import socket

    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    line = one_error_line(run(server, "--url", url, "workspaces"), 1)
    assert line.startswith(f"error: connection failed: GET {url}/api/v1/workspaces")


# -- packaging and serve ---------------------------------------------------------------------------


def test_without_the_cli_extra_it_says_what_to_install() -> None:
    code = "import sys; sys.modules['typer'] = None; from cxreports.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (
        "cxreports: the command line needs its extra: pip install 'cxreports[cli]' "
        "(typer is missing)"
    )
    code = "import sys, cxreports; assert 'typer' not in sys.modules and 'cxreports.cli' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_serve(tmp_path: Path) -> None:
    assert CLI is not None
    proc = subprocess.Popen(
        [CLI, "serve", "--port", "0", "--token", "serve-token-1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("CxReports local server: http://127.0.0.1:")
        url = first.split(": ", 1)[1].strip()
        with cxreports.Client(url, "serve-token-1", "sales") as client:
            assert client.workspaces()[0].code == "sales"
    finally:
        proc.terminate()
        assert proc.wait(10) == 0
    usage = subprocess.run([CLI, "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 0 and "--render-delay SECONDS" in usage.stdout
    # Formatted as every other command's help, not argparse's.
    assert usage.stdout.startswith("Usage: cxreports serve [OPTIONS]")
    assert "-h, --help" in usage.stdout


# -- terminals ---------------------------------------------------------------------------------------


def run_on_terminal(
    server: Any, *args: str, stdout_too: bool = False, columns: int = 120
) -> tuple[int, str, bytes]:
    """Run with stderr (and optionally stdout) on a pseudo-terminal, as in an interactive shell.

    Returns the exit status, what the terminal showed, and stdout when it is a pipe.
    """
    import pty
    import threading

    master, slave = pty.openpty()
    shown = bytearray()

    def drain() -> None:  # keep reading, or a chatty child would block on a full pty
        with contextlib.suppress(OSError):
            while chunk := os.read(master, 65536):
                shown.extend(chunk)

    env = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    env.update(CXREPORTS_URL=server.url, CXREPORTS_TOKEN=TOKEN, CXREPORTS_WORKSPACE="sales")
    env.update(TERM="xterm-256color", COLUMNS=str(columns), NO_PROXY="127.0.0.1")
    assert CLI is not None
    proc = subprocess.Popen(
        [CLI, *args],
        stdout=slave if stdout_too else subprocess.PIPE,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    out = proc.stdout.read() if proc.stdout else b""
    code = proc.wait(60)
    reader.join(10)
    os.close(master)
    return code, shown.decode(errors="replace"), out


def test_progress_shows_on_a_terminal_only(server: Any, tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "m.jsonl", batch_lines(12))
    code, shown, out = run_on_terminal(
        server, "export-batch", str(manifest), "--out", str(tmp_path)
    )
    assert code == 0 and out.decode().startswith("12 exported")
    assert "Exporting" in shown and "12/12" in shown and "/s" in shown
    code, shown, out = run_on_terminal(
        server, "export", "statement", "--async", "-o", "-", "--param", "simulateRenderSeconds:=1"
    )
    assert code == 0 and out.startswith(b"%PDF") and b"InProgress" not in out
    # The spinner shows the export's status. Which status the first poll sees depends on the
    # machine's speed; that a status is drawn the moment it is known is checked without a
    # clock in test_activity_draws_each_status_at_once.
    assert "Export " in shown and "of statement: " in shown


def test_activity_draws_each_status_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from cxreports.cli import _common, _progress

    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=120)
    monkeypatch.setattr(_common, "STDERR", terminal)
    with _progress.activity("Exporting statement (pdf)") as show:
        show("Export 7 of statement: InProgress")
        # No sleep: the status is on the screen before the refresh thread could have run.
        assert "Export 7 of statement: InProgress" in screen.getvalue()
        show("Export 7 of statement: Completed")
        assert "Export 7 of statement: Completed" in screen.getvalue()


def test_refuses_to_write_a_document_to_a_terminal(server: Any) -> None:
    code, shown, _ = run_on_terminal(server, "export", "invoice", "-o", "-", stdout_too=True)
    assert code == 2 and "refusing to write a document to a terminal" in shown
    assert "%PDF" not in shown and operations(server) == []


# -- conventions (issue 17) ----------------------------------------------------------------------


def test_tables_are_tab_separated_rows_when_piped(server: Any) -> None:
    """As gh does: every field, never cut to a width, so grep and cut work in cron and CI."""
    narrow = {"COLUMNS": "40"}
    rows = [line.split("\t") for line in ok(run(server, "reports", env=narrow)).splitlines()]
    # The last field is the preview image, empty for this report.
    assert rows[0] == ["101", "Invoice", "11", "Invoice", "Letterhead", "Corporate", "yes", ""]
    assert all(len(row) == 8 for row in rows)
    jobs = ok(run(server, "jobs", env=narrow)).splitlines()
    assert jobs[0].split("\t")[:2] == ["51", "Monthly invoices"]
    assert jobs[0].split("\t")[3] == "monthly-invoices"
    assert ok(run(server, "jobs", "--json")).startswith("[")


def test_tables_on_a_narrow_terminal_keep_ids_and_codes_whole(server: Any) -> None:
    code, shown, _ = run_on_terminal(server, "jobs", stdout_too=True, columns=80)
    assert code == 0
    assert "monthly-invoices" in shown and "daily-digest" in shown
    assert "code" in shown  # a table with its header, not rows for machines


@pytest.mark.parametrize(
    ("args", "env", "flag"),
    [
        (["workspaces"], {"CXREPORTS_URL": ""}, "--url"),
        (["workspaces"], {"CXREPORTS_TOKEN": ""}, "--token"),
        (["reports"], {"CXREPORTS_WORKSPACE": ""}, "-w/--workspace"),
        (["export", "--resume", "7"], {"CXREPORTS_WORKSPACE": ""}, "-w/--workspace"),
    ],
)
def test_missing_settings_name_the_cli_flags(
    server: Any, args: list[str], env: dict[str, str], flag: str
) -> None:
    line = one_error_line(run(server, *args, env=env), 2)
    assert flag in line and "=" not in line.split("(")[0]  # not the Python API's `base_url=`
    assert operations(server) == []


def test_workspaces_need_no_workspace(server: Any) -> None:
    assert "sales" in ok(run(server, "workspaces", env={"CXREPORTS_WORKSPACE": ""}))


def test_version_and_short_help(server: Any) -> None:
    assert ok(run(server, "--version")) == f"cxreports {cxreports.__version__}\n"
    assert ok(run(server, "-h")).startswith("Usage: cxreports [OPTIONS] COMMAND")
    assert ok(run(server, "export", "-h")).startswith("Usage: cxreports export [OPTIONS]")
    assert ok(run(server, "job", "run", "-h")).startswith("Usage: cxreports job run [OPTIONS]")


def test_global_options_after_the_command(server: Any) -> None:
    finance = ok(run(server, "reports", "-w", "finance", "--json"))
    assert {r.path for r in server.requests} == {"/api/v1/ws/finance/reports"}
    assert json.loads(finance) == json.loads(ok(run(server, "-w", "finance", "reports", "--json")))
    result = run(server, "themes", "--verbose", "--workspace=finance")
    assert "GET /api/v1/ws/finance/themes -> 200" in result.stderr.decode()
    wrong = "late-wrong-token-77"
    line = one_error_line(run(server, "job", "run", "52", "--token", wrong), 1)
    assert line.startswith("error: 401 Unauthorized") and wrong not in line
    url = "http://127.0.0.1:9"
    assert url in one_error_line(run(server, "jobs", "--url", url), 1)


def test_job_run_takes_param(server: Any) -> None:
    run_id = int(
        ok(run(server, "job", "run", "daily-digest", "--param", "month=2026-10", "--param", "n:=2"))
    )
    assert server.store.job_runs[run_id].params == {"month": "2026-10", "n": 2}


def test_job_run_summary_uses_singulars(server: Any) -> None:
    result = run(server, "job", "run", "monthly-invoices", "--wait")
    summary = result.stderr.decode().strip().splitlines()[-1]
    assert summary.endswith(", 1 error"), summary  # monthly-invoices has one failing entry


@pytest.mark.parametrize("text", ["2h", "+2h", "2 h"])
def test_expires_without_plus_is_relative(server: Any, text: str) -> None:
    temp_id = int(ok(run(server, "push-data", "-", "--expires", text, input=b"{}")))
    expected = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    assert abs((server.store.temp_data[temp_id].expiry_wall - expected).total_seconds()) < 60


def test_download_shows_bytes_rate_and_bar(server: Any, tmp_path: Path) -> None:
    target = tmp_path / "big.pdf"
    code, shown, out = run_on_terminal(
        server, "export", "invoice", "--param", "simulateContentBytes:=3000000", "-o", str(target)
    )
    assert code == 0 and out.decode().strip() == str(target)
    assert target.stat().st_size == 3_000_000
    assert "3.0/3.0 MB" in shown  # bytes of the Content-Length
    assert "B/s" in shown and "━" in shown  # a rate and a bar


def test_interrupted_async_export_says_how_to_resume(server: Any, tmp_path: Path) -> None:
    import signal
    import time

    assert CLI is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    env.update(CXREPORTS_URL=server.url, CXREPORTS_TOKEN=TOKEN, CXREPORTS_WORKSPACE="sales")
    # A render that does not finish on its own (it is made ready after the interrupt): the
    # CLI must exit on the signal, not because the export happened to be done by then.
    args = ["export", "statement", "--async", "--param", "simulateRenderSeconds:=3600"]
    args += ["-o", "s.pdf"]
    # A shell runs background jobs with SIGINT ignored, and an ignored signal stays ignored
    # in every program they start: Python then never turns SIGINT into KeyboardInterrupt.
    # The CLI starts with SIGINT at its default, as from a terminal, whoever runs pytest.
    default_sigint = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    default_sigint += "os.execv(sys.argv[1], sys.argv[1:])"
    proc = subprocess.Popen(
        [sys.executable, "-c", default_sigint, CLI, *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while "get_export_status" not in operations(server):  # started, and being waited on
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert (proc.returncode, out) == (130, b""), err.decode()
    polled = {r.path for r in server.requests if r.operation_id == "get_export_status"}
    export_id = int(polled.pop().split("/")[-2])
    hint = f"cxreports export --resume {export_id} -w sales -o s.pdf"
    assert err.decode().strip().endswith(f"resume it with: {hint}")
    assert not (tmp_path / "s.pdf").exists()
    server.store.temp_files[export_id].ready_mono = time.monotonic()  # the render finishes
    resumed = run(server, *hint.split()[1:], cwd=tmp_path)
    assert ok(resumed) == "s.pdf\n"
    assert "Statement" in pdf_text((tmp_path / "s.pdf").read_bytes())


def test_resume_and_report_are_exclusive(server: Any) -> None:
    assert "not both" in one_error_line(run(server, "export", "invoice", "--resume", "5"), 2)
    assert "--resume" in one_error_line(run(server, "export"), 2)
    line = one_error_line(run(server, "export", "--resume", "5", "--param", "a=1"), 2)
    assert line == (
        "error: --resume takes only -o: the export's options were set when it was started"
    )
    assert operations(server) == []
