"""Export and job-run handles, sync and async: each method's request, per-call options,
``last_status``, callbacks and the wait's own timeout.

A ``MockTransport`` server on a fake clock: the client's sleeps advance it, so waits take
no time and their schedule is exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from clients import make_client, run_on_fake_clock

import cxreports
import cxreports._client

WS = "/api/v1/ws/sales"
OPTIONS: dict[str, Any] = {"extra_headers": {"X-Trace": "t-1"}, "extra_query": {"probe": "1"}}


class FakeServer:
    """An export 41 and a run 3 of job ``monthly`` that are done after ``ready_after``
    status calls each (never, when None); review document 77 is ready at once."""

    def __init__(self) -> None:
        self.now = 0.0
        self.ready_after: int | None = 3
        self.requests: list[httpx.Request] = []
        self.polls: dict[str, int] = {}
        self.unavailable = 0

    def _poll(self, what: str) -> tuple[int, bool]:
        count = self.polls[what] = self.polls.get(what, 0) + 1
        assert count < 5000, "polled without end"
        return count, self.ready_after is not None and count >= self.ready_after

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix(WS)
        if self.unavailable:  # a 503 for the next requests, without Retry-After
            self.unavailable -= 1
            return httpx.Response(503, json={"error": "busy"})
        if match := re.fullmatch(r"/exports/(\d+)/status", path):
            count, ready = self._poll(match[1])
            ready = ready or match[1] == "77"
            state = "Completed" if ready else "InProgress"
            return httpx.Response(200, json={"id": count, "status": state, "isReady": ready})
        if re.fullmatch(r"/exports/\d+/content", path):
            headers = {"Content-Disposition": 'attachment; filename="run.pdf"'}
            return httpx.Response(200, headers=headers, content=b"%PDF " + path.encode())
        if path == "/jobs/monthly/runs/3/status":
            count, ready = self._poll("run")
            counts = {"completed": count, "errors": 0, "queued": 0 if ready else 1, "review": 0}
            return httpx.Response(200, json={"entries": 9, "finished": ready, "status": counts})
        if path == "/jobs/monthly/runs/3/generate-review-document":
            return httpx.Response(202, json={"temporaryFileId": 77})
        if path == "/jobs/monthly/runs/3/deliver":
            return httpx.Response(200)
        if path == "/reports/invoice/export":
            return httpx.Response(202, json={"temporaryFileId": 41})
        return httpx.Response(404, json={"error": f"no route {path}"})

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture(params=["sync", "async"])
def fake(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeServer, Any]]:
    server = FakeServer()
    run_on_fake_clock(monkeypatch, server)
    kind = str(request.param)
    transport = httpx.MockTransport(server)
    http: Any = (
        httpx.Client(transport=transport)
        if kind == "sync"
        else httpx.AsyncClient(transport=transport)
    )
    with make_client(kind, "https://cx.example", "tok-handles", "sales", http_client=http) as c:
        yield server, c


def sent_with_options(request: httpx.Request, method: str, path: str) -> bool:
    return (
        request.method == method
        and request.url.path == WS + path
        and request.headers.get("X-Trace") == "t-1"
        and request.url.params.get("probe") == "1"
    )


def test_an_export_handle_sends_each_request_with_its_options(
    fake: tuple[FakeServer, Any], tmp_path: Path
) -> None:
    server, client = fake
    export = client.get_export(41)
    assert export.last_status is None
    assert repr(export).endswith("Export(id=41, workspace='sales', not polled yet)")
    status = export.status(**OPTIONS)
    assert sent_with_options(server.last, "GET", "/exports/41/status")
    assert (status.status, status.is_ready) == ("InProgress", False)
    assert export.last_status == status
    assert repr(export).endswith("Export(id=41, workspace='sales', status='InProgress')")
    document = export.content(**OPTIONS)
    assert sent_with_options(server.last, "GET", "/exports/41/content")
    assert document.content == b"%PDF /exports/41/content"
    saved = export.save(tmp_path / "out.pdf", **OPTIONS)
    assert sent_with_options(server.last, "GET", "/exports/41/content")
    assert saved == tmp_path / "out.pdf"
    assert saved.read_bytes() == b"%PDF /exports/41/content"
    assert export.save(tmp_path) == tmp_path / "run.pdf"


def test_an_export_wait_reports_every_status_and_keeps_the_last(
    fake: tuple[FakeServer, Any],
) -> None:
    server, client = fake
    seen: list[Any] = []
    export = client.get_export(41)
    waited = export.wait(timeout=60, on_status=seen.append)
    assert waited.id == 41
    assert [s.status for s in seen] == ["InProgress", "InProgress", "Completed"]
    assert export.last_status == seen[-1]
    assert all(r.url.path == f"{WS}/exports/41/status" for r in server.requests)


def test_an_export_wait_gives_up_at_its_timeout(fake: tuple[FakeServer, Any]) -> None:
    server, client = fake
    server.ready_after = None
    export = client.get_export(41)
    with pytest.raises(cxreports.WaitTimeoutError, match=r"^export 41 was not done after 2\.5 s$"):
        export.wait(timeout=2.5)
    assert 2.5 <= server.now < 2.5 + 0.3
    assert export.last_status is not None and export.last_status.status == "InProgress"
    server.now = 0.0
    with pytest.raises(cxreports.WaitTimeoutError, match=r"not done after 600 s$"):
        export.wait()


def test_a_wait_counts_from_the_export_start(fake: tuple[FakeServer, Any]) -> None:
    """An export waited on 3 s after it started is polled at 10 % of 3 s and more, not
    from 10 ms as if it had just started."""
    server, client = fake
    server.ready_after = 5
    export = client.start_export("invoice")
    server.now += 3.0  # the caller did other work first
    export.wait()
    assert server.polls["41"] == 5
    assert server.now > 3.0 + 4 * 0.3


def test_a_job_run_handle_sends_each_request_with_its_options(
    fake: tuple[FakeServer, Any],
) -> None:
    server, client = fake
    run = client.get_job_run("monthly", 3)
    assert run.last_status is None
    assert repr(run).endswith("JobRun(id=3, job='monthly', workspace='sales')")
    status = run.status(**OPTIONS)
    assert sent_with_options(server.last, "GET", "/jobs/monthly/runs/3/status")
    assert (status.finished, status.queued, status.entries) == (False, 1, 9)
    assert run.last_status == status
    review = run.review_document(**OPTIONS)
    assert sent_with_options(server.last, "POST", "/jobs/monthly/runs/3/generate-review-document")
    assert (review.id, review.workspace) == (77, "sales")
    assert review.wait().last_status.is_ready
    assert server.last.url.path == f"{WS}/exports/77/status"
    assert run.deliver(**OPTIONS) is None
    assert sent_with_options(server.last, "POST", "/jobs/monthly/runs/3/deliver")


def test_a_job_run_wait_returns_the_final_status(fake: tuple[FakeServer, Any]) -> None:
    server, client = fake
    seen: list[Any] = []
    run = client.get_job_run("monthly", 3)
    final = run.wait(timeout=60, on_status=seen.append)
    assert [s.finished for s in seen] == [False, False, True]
    assert final == seen[-1] == run.last_status
    server.ready_after, server.now = None, 0.0
    with pytest.raises(cxreports.WaitTimeoutError, match=r"^job run 3 was not done after 4 s$"):
        run.wait(timeout=4)
    assert 4 <= server.now < 4 + 0.5
    server.now = 0.0
    with pytest.raises(cxreports.WaitTimeoutError, match=r"not done after 1800 s$"):
        run.wait()


def test_deliver_returns_nothing_and_review_and_deliver_are_never_resent(
    fake: tuple[FakeServer, Any],
) -> None:
    # Both are POSTs that act on the server: after a 503 the server may have started the
    # delivery, so sending it again could mail every document twice.
    server, client = fake
    run = client.get_job_run("monthly", 3)
    assert run.deliver() is None
    for act in (run.review_document, run.deliver):
        server.unavailable = 1
        before = len(server.requests)
        with pytest.raises(cxreports.InternalServerError):
            act()
        assert len(server.requests) == before + 1


def test_a_status_read_is_resent_after_a_503(fake: tuple[FakeServer, Any]) -> None:
    server, client = fake
    server.unavailable = 1
    assert client.get_export(41).status().status == "InProgress"
    assert [r.url.path for r in server.requests] == [f"{WS}/exports/41/status"] * 2
