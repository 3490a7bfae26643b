"""Mixed operations against a server that fails one request in five, on purpose.

The local server injects, at a seeded ~20 % rate, 503 and 429 with ``Retry-After``, 500,
dropped connections, latency spikes and bodies cut short. ``Client`` and ``AsyncClient``
each run ``CXREPORTS_SOAK_OPS`` operations (default 1,000) with ``max_retries=3``. Backoff is
recorded rather than waited out, so the figures show the delays the client chose.

Operations run one at a time, so the server's request log splits into one slice per
operation: the test knows exactly which faults each operation met and can hold the client to
the right outcome. ``make soak`` runs 10,000 of each.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from clients import KINDS, make_client, record_sleeps

import cxreports
from cxreports._base_client import MAX_RETRY_DELAY
from cxreports.errors import status_error_class
from cxreports.testing import serve
from cxreports.testing.faults import FaultSpec

TOKEN = "soak-token-0c4f2a"
OPS = int(os.environ.get("CXREPORTS_SOAK_OPS", "1000"))
RETRIES = 3
# First matching rule wins: 1 - (.94 * .95 * .96 * .97 * .98 * .98) = 20.2 % of requests.
FAULTS = "503=1@0.06,500@0.05,429=1@0.04,drop@0.03,latency=0.05@0.02,truncate@0.02"
# Requests that create something on the server: never repeated after they may have landed.
CREATING = {"start_report_export", "push_temporary_data", "start_job_run"}
ERRORS_BY_FAULT: dict[str, type[BaseException]] = {
    "drop": cxreports.APIConnectionError,
    "truncate": cxreports.IncompleteDownloadError,
}
LISTS = ("workspaces", "themes", "templates", "report_types", "jobs", "reports")


class Op:
    """One operation: what it did, what it left, and how it ended."""

    def __init__(self, index: int, name: str, marker: str) -> None:
        self.index = index
        self.name = name
        self.marker = marker  # unique, so the server's store shows what this op created
        self.file: Path | None = None
        self.created_id: int | None = None  # what the server said it created
        self.error: BaseException | None = None
        self.requests: list[Any] = []
        self.sleeps: list[float] = []
        self.seconds = 0.0


def run_op(client: Any, op: Op, tmp: Path) -> None:
    """The operation named ``op.name``; results are checked here or after the soak."""
    marker = {"marker": op.marker}
    if op.name == "list":
        listing = getattr(client, LISTS[op.index % len(LISTS)])()
        assert isinstance(listing, list) and listing
    elif op.name == "export":
        document = client.export("invoice", params=marker)
        assert document.content.startswith(b"%PDF")
    elif op.name == "export_to_file":
        op.file = client.export_to_file("invoice", tmp / f"{op.marker}.pdf", params=marker)
    elif op.name == "async_export":
        export = client.start_export("invoice", params=marker)
        op.created_id = export.id
        export.wait(timeout=60)
        op.file = export.save(tmp / f"{op.marker}-async.pdf")
    elif op.name == "push_temporary_data":
        op.created_id = client.push_temporary_data(marker).id
    elif op.name == "job_run":
        run = client.start_job_run("monthly-invoices", params=marker)
        op.created_id = run.id
        status = run.wait(timeout=60)
        assert status.finished
    else:  # pragma: no cover - a typo in OP_NAMES
        raise AssertionError(op.name)


OP_NAMES = ("list", "export", "export_to_file", "async_export", "push_temporary_data", "job_run")


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN, render_delay=0.0) as running:
        yield running


def soak(kind: str, server: Any, tmp: Path, sleeps: list[float], seed: int) -> list[Op]:
    names = random.Random(seed).choices(OP_NAMES, k=OPS)
    ops = [Op(i, name, f"{kind}-{i}") for i, name in enumerate(names)]
    server.set_faults(f"seed={seed},{FAULTS}")
    server.clear_requests()
    with make_client(kind, server.url, TOKEN, "sales", max_retries=RETRIES, timeout=30) as c:
        for op in ops:
            logged, slept, started = len(server.requests), len(sleeps), time.monotonic()
            try:
                run_op(c, op, tmp)
            except cxreports.CxReportsError as exc:
                op.error = exc
            op.seconds = time.monotonic() - started
            op.requests = server.requests[logged:]
            op.sleeps = sleeps[slept:]
    server.set_faults(None)
    return ops


def tail_attempts(op: Op) -> list[Any]:
    """The attempts of the request the operation ended on (the same method and path)."""
    last = op.requests[-1]
    attempts = []
    for record in reversed(op.requests):
        if (record.method, record.path) != (last.method, last.path):
            break
        attempts.append(record)
    return attempts[::-1]


def expected_error(fault: str | None) -> type[BaseException]:
    assert fault is not None and fault != "latency", "a request without a fault failed"
    return ERRORS_BY_FAULT.get(fault) or status_error_class(int(fault))


def check_failure(op: Op) -> str:
    """A failure must be the typed error of the last fault, after the retries it allows."""
    attempts = tail_attempts(op)
    last = attempts[-1]
    assert isinstance(op.error, expected_error(last.fault)), (op.name, last, op.error)
    if last.operation_id in CREATING and last.fault != "429":
        # It may have reached the server: not repeated, and the caller is told. Only 429s
        # (refused before any work) may have come before it.
        assert all(a.fault == "429" for a in attempts[:-1]), f"{op.name}: repeated {attempts}"
        return "creating request not repeated"
    assert len(attempts) == RETRIES + 1, f"{op.name}: gave up after {len(attempts)} attempts"
    assert all(a.fault not in (None, "latency") for a in attempts)
    return "retries spent"


def created_on_server(server: Any, kind: str) -> Counter[str]:
    """How many things the server created for each operation's marker."""
    store = server.store
    markers: list[Any] = [f.params for f in store.temp_files.values()]
    markers += [d.content for d in store.temp_data.values()]
    markers += [r.params for r in store.job_runs.values()]
    return Counter(
        m["marker"]
        for m in markers
        if isinstance(m, dict) and str(m.get("marker", "")).startswith(f"{kind}-")
    )


@pytest.mark.parametrize("kind", KINDS)
def test_soak_under_injected_faults(
    kind: str,
    server: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sleeps = record_sleeps(monkeypatch)
    started = time.monotonic()
    ops = soak(kind, server, tmp_path, sleeps, seed=20261123 + KINDS.index(kind))
    wall = time.monotonic() - started

    # 1. Every failure is the right typed error, after the retries it was allowed.
    outcomes = Counter(check_failure(op) for op in ops if op.error is not None)
    # 2. Bounded: at most max_retries repeats of any request, and no backoff over the cap.
    for op in ops:
        for record in op.requests:
            same = [r for r in op.requests if (r.method, r.path, r.query) == (
                record.method, record.path, record.query)]  # fmt: skip
            if record.operation_id not in ("get_export_status", "get_job_run_status"):
                assert len(same) <= RETRIES + 1
        assert all(0 <= s <= MAX_RETRY_DELAY for s in op.sleeps)
    # 3. Nothing created twice; what the client was told about exists once.
    created = created_on_server(server, kind)
    duplicates = {marker: n for marker, n in created.items() if n > 1}
    assert duplicates == {}
    for op in ops:
        if op.created_id is not None:
            assert created[op.marker] == 1
    # Created, but the answer was lost (a cut body, a 5xx after the work): the caller got an
    # error and the server has the work. Counted, since only the caller can decide.
    orphans = sum(1 for op in ops if op.created_id is None and op.error and created[op.marker])
    # 4. Files: complete or absent, never partial, and the same bytes as a clean download.
    partial = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part"))
    assert partial == []
    with make_client(kind, server.url, TOKEN, "sales") as clean:
        for op in ops:
            path = tmp_path / (
                f"{op.marker}-async.pdf" if op.name == "async_export" else f"{op.marker}.pdf"
            )
            if op.error is not None:
                assert not path.exists(), f"{path.name} exists after a failed download"
            if op.file is None:
                continue
            saved = op.file.read_bytes()
            assert len(pypdf.PdfReader(op.file).pages) >= 1
            if op.name == "async_export":
                reference = clean.get_export(op.created_id).content().content
            else:
                reference = clean.export("invoice", params={"marker": op.marker}).content
            assert saved == reference, f"{op.file.name} differs from a clean download"

    figures = {
        "client": kind,
        "operations": len(ops),
        "operations by kind": dict(Counter(op.name for op in ops)),
        "requests": sum(len(op.requests) for op in ops),
        "faults injected": dict(Counter(r.fault for op in ops for r in op.requests if r.fault)),
        "retries": sum(len(op.sleeps) for op in ops),
        "failures surfaced": dict(Counter(type(op.error).__name__ for op in ops if op.error)),
        "failure reasons": dict(outcomes),
        "creating requests answered by a fault after the work (orphans)": orphans,
        "duplicates": len(duplicates),
        "partial files": len(partial),
        "files checked against a clean download": sum(1 for op in ops if op.file and not op.error),
        "backoff chosen, total s": round(sum(sum(op.sleeps) for op in ops), 1),
        "longest operation, s": round(max(op.seconds for op in ops), 3),
        "wall time, s": round(wall, 1),
    }
    with capsys.disabled():
        print(f"\nsoak figures: {json.dumps(figures)}")
    assert figures["faults injected"], "the soak must meet faults"


def test_soak_meets_every_fault_kind() -> None:
    """The fault mix reaches each kind at its rate (guards against a typo in FAULTS)."""
    spec = FaultSpec.parse(f"seed=1,{FAULTS}")
    picks = Counter(
        rule.kind if (rule := spec.pick("list_themes")) else None for _ in range(20_000)
    )
    assert {k for k in picks if k} == {"503", "500", "429", "drop", "latency", "truncate"}
    assert 0.18 < 1 - picks[None] / 20_000 < 0.22
