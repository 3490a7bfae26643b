"""The token (and the nonces it buys) never leak: every method and command, failing ones too.

With a recognisable token and every logger at DEBUG, each client method runs against the
local server, sync and async, inside a vcrpy recording that uses the project's cassette
scrubbing. Then the test scans for the token and for every nonce the server issued: log
records, reprs, exception texts (with their chains, requests, responses and bodies), the
fresh cassette, the committed cassettes and every saved file. Every CLI command is scanned
the same way (stdout and stderr, with ``-v``). Zero hits is the only passing figure.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from clients import KINDS, make_client, record_sleeps
from test_cassettes import CASSETTES, LOCAL_TOKEN, _recording_tokens, find_secrets, make_vcr

import cxreports
from cxreports.testing import serve

# The recording token of the cassette scrubber, so the fresh cassette is scrubbed as
# `make record` would; it is as recognisable as any other.
TOKEN = LOCAL_TOKEN
WRONG_TOKEN = "secrets-suite-wrong-token-41d7e2"
CLI = shutil.which("cxreports", path=str(Path(sys.executable).parent))


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN, render_delay=0.05) as running:
        yield running


def exception_texts(error: BaseException) -> list[str]:
    texts = ["".join(traceback.format_exception(error)), repr(error), repr(error.args)]
    cause = error.__cause__
    if cause is not None and getattr(cause, "_request", None) is not None:
        texts += [repr(cause), str(dict(cause.request.headers))]  # the chained httpx error
    for attribute in ("request", "response", "body", "last_status"):
        value = getattr(error, attribute, None)
        if value is None:
            continue
        texts.append(repr(value))
        if attribute == "request":
            texts += [str(value.url), str(dict(value.headers))]
        if attribute == "response":
            texts += [str(dict(value.headers)), value.text, str(dict(value.request.headers))]
    return texts


class NonceCarrier(str):
    """A value whose job is to carry a nonce to the caller: not scanned."""


def every_method(client: Any, server: Any, tmp: Path) -> Iterator[object]:
    """Call every public method; yield what comes back (results, handles, errors)."""
    yield client
    yield client.with_options(timeout=5, max_retries=1)
    yield client.workspaces()
    yield client.report_types()
    yield client.reports()
    yield client.report_pages("invoice")
    yield client.templates()
    yield client.themes()
    yield client.jobs()
    yield client.export("invoice", params={"n": 1})
    yield client.export("invoice", format="xlsx", data={"rows": [1, 2]})
    yield client.export_to_file("invoice", tmp / "invoice.pdf", params={"n": 2})
    export = client.start_export("invoice", exclude_pages=[], params={"n": 3})
    yield export
    yield export.status()
    yield export.wait(timeout=30)
    yield export.content()
    yield export.save(tmp / "async.pdf")
    yield client.get_export(export.id)
    data = client.push_temporary_data({"customer": "ACME"})
    yield data
    yield client.export_to_file("invoice", tmp / "temp-data.pdf", temp_data=data)
    # These hand a nonce to the caller, on purpose; it must reach nothing else.
    yield NonceCarrier(client.create_nonce())
    yield NonceCarrier(client.preview_url("invoice", temp_data=data, hide_print_button=True))
    yield NonceCarrier(client.download_url("invoice", format="docx"))
    run = client.start_job_run("monthly-invoices", params={"month": "2026-10"})
    yield run
    yield run.status()
    yield run.wait(timeout=30)
    review = run.review_document()
    yield review
    yield review.wait(timeout=30).save(tmp / "review.pdf")
    yield run.deliver()
    yield client.get_job_run("monthly-invoices", run.id)


def status_failures(client: Any, wrong: Any, tmp: Path) -> list[Callable[[], object]]:
    return [
        lambda: client.export(424242),  # 404
        lambda: client.get_export(999999).status(),  # 404
        lambda: client.export("invoice", params={"simulateFailure": "x"}),  # 400
        lambda: client.start_export("invoice", params={"simulateFailure": "x"}).wait(30),
        lambda: client.start_export("invoice", params={"simulateRenderSeconds": 5}).wait(0.1),
        lambda: wrong.workspaces(),  # 401 with another token
        lambda: client.get_job_run("monthly-invoices", 1).deliver(),  # 404
        lambda: client.export_to_file("invoice", tmp / "missing" / "x.pdf"),
    ]


def transport_failures(client: Any, server: Any, tmp: Path) -> list[Callable[[], object]]:
    """Outside the recording: vcrpy reads whole bodies and cannot replay a cut one."""
    quick = client.with_options(max_retries=0)
    short = client.with_options(timeout=0.2, max_retries=0)
    return [
        lambda: with_fault(server, "list_themes:503=0", quick.themes),
        lambda: with_fault(server, "list_jobs:drop", quick.jobs),
        lambda: with_fault(
            server, "export_report_get:truncate", lambda: quick.export_to_file("invoice", tmp)
        ),
        lambda: with_fault(server, "list_templates:latency=1", short.templates),
    ]


def with_fault(server: Any, spec: str, call: Callable[[], object]) -> object:
    server.set_faults(spec)
    try:
        return call()
    finally:
        server.set_faults(None)


def issued_nonces(server: Any) -> list[str]:
    return [*server.store.nonces, *server.store.sessions]


@pytest.mark.parametrize("kind", KINDS)
def test_no_secret_anywhere_the_client_writes(
    kind: str,
    server: Any,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record_sleeps(monkeypatch)
    caplog.set_level(logging.DEBUG)  # every logger: cxreports, httpx, httpcore, uvicorn
    cassette = tmp_path / "recorded.yaml"
    texts: list[str] = []
    errors: list[BaseException] = []
    files = tmp_path / "files"
    files.mkdir()
    recorder = make_vcr(record=True)
    with (
        make_client(kind, server.url, TOKEN, "sales") as client,
        make_client(kind, server.url, WRONG_TOKEN, "sales") as wrong,
    ):

        def expect_failure(call: Callable[[], object]) -> None:
            with pytest.raises((cxreports.CxReportsError, OSError)) as info:
                call()
            errors.append(info.value)
            texts.extend(exception_texts(info.value))

        with recorder.use_cassette(str(cassette), record_mode="all"):
            for result in every_method(client, server, files):
                if not isinstance(result, NonceCarrier):
                    texts += [repr(result), str(result)]
            for call in status_failures(client, wrong, files):
                expect_failure(call)
        for call in transport_failures(client, server, files):
            expect_failure(call)
    nonces = issued_nonces(server)
    assert len(nonces) >= 2, "the methods that create nonces ran"
    # vcrpy's own DEBUG lines print what it records (before scrubbing): the test harness,
    # not something a user's process runs.
    records = [r for r in caplog.records if not r.name.startswith("vcr")]
    # httpcore logs each connection and request; aiohttp logs nothing for them.
    transport_loggers = set() if kind == "async-aiohttp" else {"httpcore"}
    assert {r.name.split(".")[0] for r in records} >= {"cxreports", "httpx", *transport_loggers}
    texts += [record.getMessage() for record in records]
    texts += [str(record.args) for record in records]
    texts.append(cassette.read_text())
    saved = sorted(files.rglob("*"))
    assert len(saved) == 4
    texts += [p.read_bytes().decode("latin-1") for p in saved if p.is_file()]

    secrets = [TOKEN, WRONG_TOKEN, *nonces]
    hits = [(secret[:8], text[:300]) for text in texts for secret in secrets if secret in text]
    assert hits == [], "\n".join(t for _, t in hits)
    # The scan saw what it should: requests were logged, errors of each kind were raised.
    assert any("GET /api/v1/workspaces -> 200" in t for t in texts)
    kinds = {type(e).__name__ for e in errors}
    assert {"NotFoundError", "AuthenticationError", "APIConnectionError"} <= kinds
    assert {"APITimeoutError", "IncompleteDownloadError", "ExportFailedError"} <= kinds
    assert find_secrets(cassette.read_text(), [*_recording_tokens(), WRONG_TOKEN, *nonces]) == []


def test_committed_cassettes_hold_no_token_or_nonce() -> None:
    files = sorted(CASSETTES.rglob("*.yaml"))
    assert len(files) >= 20
    secrets = [*_recording_tokens(), TOKEN, WRONG_TOKEN]
    for path in files:
        text = path.read_text()
        assert not [s for s in secrets if s in text], path
        assert find_secrets(text, secrets) == [], path


# -- the command line -------------------------------------------------------------------------


def cli(server: Any, *args: str, token: str = TOKEN, cwd: Path | None = None) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    env.update(CXREPORTS_URL=server.url, CXREPORTS_TOKEN=token, CXREPORTS_WORKSPACE="sales")
    env.update(NO_PROXY="127.0.0.1,localhost", COLUMNS="200")
    assert CLI is not None, "the cxreports command is installed with the cli extra"
    return subprocess.run(
        [CLI, "-v", *args], capture_output=True, cwd=cwd, env=env, timeout=60, check=False
    )


def test_no_secret_in_any_cli_output(server: Any, tmp_path: Path) -> None:
    manifest = tmp_path / "batch.jsonl"
    manifest.write_text(
        json.dumps({"report": "invoice", "output": "a.pdf", "params": {"n": 1}})
        + "\n"
        + json.dumps({"report": "no-such-report", "output": "b.pdf"})
        + "\n"
    )
    data = tmp_path / "data.json"
    data.write_text('{"customer": "ACME"}')
    commands: list[tuple[list[str], bool]] = [
        (["workspaces"], True),
        (["report-types"], True),
        (["reports", "--json"], True),
        (["pages", "invoice"], True),
        (["templates"], True),
        (["themes"], True),
        (["jobs"], True),
        (["export", "invoice", "-o", str(tmp_path / "a.pdf")], True),
        (["export", "invoice", "--async", "-o", str(tmp_path / "b.pdf")], True),
        (["export", "invoice", "-o", "-"], True),
        (["push-data", str(data)], True),
        (["preview-url", "invoice"], True),
        (["download-url", "invoice"], True),
        (
            [
                "job",
                "run",
                "monthly-invoices",
                "--wait",
                "--review-document",
                str(tmp_path / "review.pdf"),
                "--deliver",
            ],
            True,
        ),
        (["export-batch", str(manifest), "--out", str(tmp_path / "batch")], False),
        (["export", "no-such-report", "-o", str(tmp_path / "c.pdf")], False),
        (["export", "invoice", "-f", "odt"], False),
        (["themes", "-w", "no-such-workspace"], False),
        (["job", "run", "no-such-job"], False),
        (["export", "invoice", "-o", str(tmp_path / "missing" / "x.pdf")], False),
    ]
    outputs: list[bytes] = []
    for args, succeeds in commands:
        result = cli(server, *args, cwd=tmp_path)
        assert (result.returncode == 0) == succeeds, (args, result.stderr.decode())
        outputs += [result.stdout, result.stderr]
    wrong = cli(server, "workspaces", token=WRONG_TOKEN)
    assert wrong.returncode != 0
    outputs += [wrong.stdout, wrong.stderr]
    given = subprocess.run(
        [CLI or "cxreports", "--url", server.url, "--token", WRONG_TOKEN, "-v", "themes"],
        capture_output=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")},
    )
    assert given.returncode != 0
    outputs += [given.stdout, given.stderr]
    serving = subprocess.Popen(
        [CLI or "cxreports", "serve", "--port", "0", "--token", TOKEN],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert serving.stdout is not None
        banner = b"".join(serving.stdout.readline() for _ in range(3))
        assert banner.startswith(b"CxReports local server: http://127.0.0.1:")
    finally:
        serving.terminate()
        rest, errors = serving.communicate(timeout=10)
    outputs += [banner, rest, errors]
    saved = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]

    verbose = b"".join(outputs)
    assert b"GET /api/v1/workspaces -> 200" in verbose, "-v logged the requests"
    for secret in (TOKEN, WRONG_TOKEN):
        assert secret.encode() not in verbose
        assert not [p for p in saved if secret.encode() in p]
