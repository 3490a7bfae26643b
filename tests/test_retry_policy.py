"""Which failures are tried again, after how long, and which never are: the retry policy
as a user meets it, with hand-made answers (httpx.MockTransport) and recorded sleeps."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from clients import record_sleeps

import cxreports
from cxreports._base_client import parse_retry_after

TOKEN = "retry-secret-0123456789"
# A GET that is safe to repeat, and a POST that creates something (never repeated once
# the server may have seen it).
WORKSPACES = [{"id": 1, "name": "Sales", "code": "sales"}]
NONCE = {"nonce": "n-1"}


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    return record_sleeps(monkeypatch)


def client_for(
    failures: list[Callable[[httpx.Request], httpx.Response]], **kwargs: Any
) -> tuple[cxreports.Client, list[str]]:
    """A client whose server fails with ``failures`` in turn, then answers properly."""
    seen: list[str] = []
    pending = iter(failures)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        failure = next(pending, None)
        if failure is not None:
            return failure(request)
        return httpx.Response(200, json=NONCE if request.method == "POST" else WORKSPACES)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return cxreports.Client("https://cx.example", TOKEN, "sales", http_client=http, **kwargs), seen


def status(code: int, **headers: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(code, headers=headers, json={"error": "no"})


def raises(exc: type[httpx.TransportError]) -> Callable[[httpx.Request], httpx.Response]:
    def fail(request: httpx.Request) -> httpx.Response:
        raise exc("failed", request=request)

    return fail


@pytest.mark.parametrize("code", [408, 429, 500, 502, 503, 504])
def test_transient_statuses_are_retried(code: int, sleeps: list[float]) -> None:
    client, seen = client_for([status(code)])
    assert client.workspaces()
    assert seen == ["GET", "GET"] and len(sleeps) == 1


@pytest.mark.parametrize("code", [400, 401, 403, 404, 409, 422, 499])
def test_client_errors_are_not_retried(code: int, sleeps: list[float]) -> None:
    client, seen = client_for([status(code)])
    with pytest.raises(cxreports.APIStatusError) as info:
        client.workspaces()
    assert info.value.status_code == code
    assert seen == ["GET"] and sleeps == []


def test_a_post_is_repeated_after_a_429_but_not_after_a_5xx(sleeps: list[float]) -> None:
    client, seen = client_for([status(429)])
    assert client.create_nonce() == "n-1"
    assert seen == ["POST", "POST"]
    client, seen = client_for([status(503)])
    with pytest.raises(cxreports.InternalServerError):
        client.create_nonce()
    assert seen == ["POST"]


def test_a_connection_that_never_opened_is_retried_for_any_request(sleeps: list[float]) -> None:
    for fail in (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout):
        client, seen = client_for([raises(fail)])
        assert client.create_nonce() == "n-1"
        assert seen == ["POST", "POST"], fail


def test_a_post_is_not_repeated_once_it_may_have_been_sent(sleeps: list[float]) -> None:
    for fail in (httpx.ReadError, httpx.ReadTimeout, httpx.RemoteProtocolError):
        client, seen = client_for([raises(fail)])
        with pytest.raises(cxreports.APIConnectionError):
            client.create_nonce()
        assert seen == ["POST"], fail
        # A GET is repeated all the same.
        client, seen = client_for([raises(fail)])
        assert client.workspaces()
        assert seen == ["GET", "GET"], fail


def test_a_bad_body_is_not_retried(sleeps: list[float]) -> None:
    client, seen = client_for([lambda request: httpx.Response(200, json=[{"id": "x"}])])
    with pytest.raises(cxreports.APIResponseValidationError):
        client.workspaces()
    assert seen == ["GET"] and sleeps == []


@pytest.mark.parametrize(("jitter", "factor"), [(0.0, 1.0), (0.999999, 0.75)])
def test_backoff_doubles_to_a_cap_and_jitter_only_shortens_it(
    jitter: float, factor: float, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(random, "random", lambda: jitter)
    client, seen = client_for([status(503)] * 6, max_retries=6)
    assert client.workspaces()
    assert len(seen) == 7
    assert sleeps == pytest.approx([d * factor for d in (0.5, 1.0, 2.0, 4.0, 8.0, 8.0)], rel=1e-5)


def test_retries_stop_after_max_retries(sleeps: list[float]) -> None:
    client, seen = client_for([status(503)] * 5, max_retries=3)
    with pytest.raises(cxreports.InternalServerError):
        client.workspaces()
    assert len(seen) == 4 and len(sleeps) == 3


@pytest.mark.parametrize(("header", "waited"), [("3", 3.0), ("0", 0.0), ("60", 60.0)])
def test_retry_after_up_to_a_minute_is_waited_out(
    header: str, waited: float, sleeps: list[float]
) -> None:
    client, _ = client_for([status(503, **{"Retry-After": header})])
    assert client.workspaces()
    assert sleeps == [waited]


def test_retry_after_beyond_a_minute_is_raised_at_once(sleeps: list[float]) -> None:
    client, seen = client_for([status(429, **{"Retry-After": "61"})])
    with pytest.raises(cxreports.RateLimitError):
        client.workspaces()
    assert seen == ["GET"] and sleeps == []


def test_retry_after_as_a_date_from_now() -> None:
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25.0 <= (parse_retry_after(later) or 0.0) <= 31.0
    assert parse_retry_after(" 4 ") == 4.0
    assert parse_retry_after("") is None and parse_retry_after(None) is None


@pytest.fixture
def tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local time is not UTC."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_retry_after_date_without_a_zone_is_utc(tokyo: None) -> None:
    now = 1_800_000_000.0
    # "-0000" marks a date whose zone is unknown; HTTP dates are always UTC.
    naive = email.utils.formatdate(now + 7).rsplit(" ", 1)[0] + " -0000"
    assert parse_retry_after(naive, now=now) == pytest.approx(7.0)


def test_a_page_of_reports_is_read_again_after_a_503(sleeps: list[float]) -> None:
    # Listing reports pages through its own call (with the X-Total-Count header): a read,
    # as safe to repeat as any other.
    report = {"id": 7, "name": "Invoice", "code": "invoice", "reportTypeId": 1,
              "reportTypeName": "Invoices", "reportTemplateName": "Default", "isDefault": True}  # fmt: skip
    answers = iter([httpx.Response(503, json={"error": "busy"})])

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return next(answers, None) or httpx.Response(
            200, json=[report], headers={"X-Total-Count": "1"}
        )

    seen: list[str] = []
    http = httpx.Client(transport=httpx.MockTransport(handler))
    with cxreports.Client("https://cx.example", TOKEN, "sales", http_client=http) as client:
        assert [r.id for r in client.reports()] == [7]
    assert seen == ["/api/v1/ws/sales/reports"] * 2
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    "failure",
    [lambda request: httpx.Response(503, json={"error": "busy"}), raises(httpx.ReadError)],
    ids=["503", "reset after sending"],
)
def test_a_job_runs_status_is_read_again(
    failure: Callable[[httpx.Request], httpx.Response], sleeps: list[float]
) -> None:
    # Reading a status changes nothing on the server, so it is as safe to repeat as a listing.
    answers = iter([failure])
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        fail = next(answers, None)
        if fail is not None:
            return fail(request)
        counts = {"queued": 0, "review": 0, "completed": 2, "errors": 0}
        return httpx.Response(200, json={"finished": True, "entries": 2, "status": counts})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with cxreports.Client("https://cx.example", TOKEN, "sales", http_client=http) as client:
        status = client.get_job_run("monthly", 3).status()
    assert status.finished and status.completed == 2
    assert seen == ["/api/v1/ws/sales/jobs/monthly/runs/3/status"] * 2
    assert len(sleeps) == 1
