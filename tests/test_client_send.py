"""How ``Client`` and ``AsyncClient`` send, with hand-made answers (httpx.MockTransport):
what the constructor's settings put on each request, how many redirects are followed, what
is logged per attempt, how errors chain, how a cancelled download cleans up, and which
connection pool a client closes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import re
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from clients import AsyncClientDriver, record_sleeps

import cxreports
import cxreports._base_client
from cxreports._base_client import MAX_REDIRECTS

TOKEN = "send-secret-0987654321"
WORKSPACES = [{"id": 1, "name": "Sales", "code": "sales"}]
# Temporary data as the server answers a push: kept for a day from now.
STORED = {
    "tempDataId": 5,
    "expiryDate": (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(),
}

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(params=["sync", "async"])
def make(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """``make(handler, **client_options)``: a client whose requests ``handler`` answers."""
    opened: list[Any] = []

    def build(handler: Handler, **options: Any) -> Any:
        transport = httpx.MockTransport(handler)
        client: Any
        if request.param == "sync":
            http = httpx.Client(transport=transport)
            client = cxreports.Client("https://cx.example", TOKEN, http_client=http, **options)
        else:
            ahttp = httpx.AsyncClient(transport=transport)
            client = AsyncClientDriver(
                cxreports.AsyncClient("https://cx.example", TOKEN, http_client=ahttp, **options)
            )
        opened.append(client)
        return client

    yield build
    for client in opened:
        client.close()


def redirects(count: int, seen: list[httpx.Request]) -> Handler:
    """Redirect ``count`` times (/hop/1, /hop/2, ...), then list the workspaces."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) <= count:
            return httpx.Response(307, headers={"Location": f"/hop/{len(seen)}"})
        return httpx.Response(200, json=WORKSPACES)

    return handler


# -- construction -------------------------------------------------------------------------------


def test_the_constructor_settings_reach_every_request(make: Any, monkeypatch: Any) -> None:
    record_sleeps(monkeypatch)
    seen: list[httpx.Request] = []

    def busy(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503)

    client = make(
        busy,
        workspace="finance",
        timeout=httpx.Timeout(7.0, connect=2.0),
        max_retries=1,
        headers={"X-Team": "billing", "User-Agent": "billing-app/2", "Authorization": "x"},
    )
    with pytest.raises(cxreports.InternalServerError):
        client.themes()
    assert len(seen) == 2  # max_retries=1: one retry
    for request in seen:
        assert str(request.url) == "https://cx.example/api/v1/ws/finance/themes"
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"  # never replaced
        assert request.headers["X-Team"] == "billing"
        assert request.headers["User-Agent"] == "billing-app/2"
        assert request.extensions["timeout"]["read"] == 7.0
        assert request.extensions["timeout"]["connect"] == 2.0


def test_the_user_agent_names_the_sdk(make: Any) -> None:
    seen: list[httpx.Request] = []
    client = make(lambda r: seen.append(r) or httpx.Response(200, json=WORKSPACES))
    client.workspaces()
    assert seen[0].headers["User-Agent"] == f"cxreports-python/{cxreports.__version__}"


def test_only_the_encodings_the_client_decodes_itself_are_accepted() -> None:
    # Not httpx's default (which adds br and zstd when installed), nor a given pool's: the
    # client decodes gzip and deflate itself, so that a cut compressed stream is an error.
    seen: list[httpx.Request] = []
    answer = httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200, json=[]))
    pool = httpx.Client(transport=answer, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    with pool, cxreports.Client("https://cx.example", TOKEN, http_client=pool) as client:
        client.workspaces()
    assert seen[0].headers.get_list("Accept-Encoding") == ["gzip, deflate"]


def test_a_header_named_in_another_case_replaces_rather_than_doubles(
    make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # HTTP names are case-insensitive: a user's `user-agent` is their User-Agent, not a
    # second one, and a stray `authorization` must not travel beside the client's token.
    rewrite_generated(
        monkeypatch, "push_temporary_data", lambda r: r.update(headers={"Content-Type": "a/b"})
    )
    seen: list[httpx.Request] = []
    client = make(
        lambda r: seen.append(r) or httpx.Response(200, json=STORED if r.content else []),
        workspace="ops",
        headers={
            "user-agent": "billing-app/2",
            "accept-encoding": "identity",
            "authorization": "x",
        },
    )
    client.workspaces()
    client.push_temporary_data({"a": 1}, extra_headers={"content-type": "application/json"})
    client.workspaces(extra_headers={"USER-AGENT": "billing-batch/1"})
    plain, with_body, per_call = (request.headers for request in seen)
    for headers in (plain, with_body):
        assert headers.get_list("User-Agent") == ["billing-app/2"]
    assert per_call.get_list("User-Agent") == ["billing-batch/1"]
    for headers in (plain, with_body, per_call):
        assert headers.get_list("Accept-Encoding") == ["identity"]
        assert headers.get_list("Authorization") == [f"Bearer {TOKEN}"]
    assert with_body.get_list("Content-Type") == ["application/json"]


# -- what the generated endpoints ask for ------------------------------------------------------
# A server's own Swagger, regenerated, may differ from ours in what an endpoint puts on the
# request; the client sends what the generated code asks for, not what our spec had.


def rewrite_generated(
    monkeypatch: pytest.MonkeyPatch, endpoint: str, change: Callable[[dict[str, Any]], None]
) -> None:
    """Make the client's generated ``endpoint`` build requests changed by ``change``, as if
    generated from another Swagger."""
    module = getattr(cxreports._base_client, endpoint)
    generated = module._get_kwargs  # loads a lazy module now, so that it keeps the patch

    def rewritten(*args: Any, **kwargs: Any) -> dict[str, Any]:
        request: dict[str, Any] = generated(*args, **kwargs)
        change(request)
        return request

    monkeypatch.setattr(module, "_get_kwargs", rewritten)


def test_a_header_the_generated_endpoint_sets_reaches_the_wire(
    make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Swashbuckle lists application/json-patch+json first for a JSON body; a client
    # regenerated from such a Swagger labels the body so, where httpx would say
    # application/json.
    patch_json = {"Content-Type": "application/json-patch+json"}
    rewrite_generated(monkeypatch, "push_temporary_data", lambda r: r.update(headers=patch_json))
    seen: list[httpx.Request] = []
    client = make(lambda r: seen.append(r) or httpx.Response(200, json=STORED), workspace="ops")
    assert client.push_temporary_data({"a": 1}).id == 5
    assert seen[0].headers["Content-Type"] == "application/json-patch+json"
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(seen[0].content) == {"content": {"a": 1}}


def test_an_authorization_header_the_generated_endpoint_sets_does_not_replace_the_token(
    make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some Swaggers declare Authorization as a header parameter of each operation; the
    # code generated from one puts it on the request, but the client's token is what goes.
    rewrite_generated(
        monkeypatch,
        "push_temporary_data",
        lambda r: r.update(headers={"authorization": "Bearer from-the-spec"}),
    )
    seen: list[httpx.Request] = []
    client = make(lambda r: seen.append(r) or httpx.Response(200, json=STORED), workspace="ops")
    client.push_temporary_data({"a": 1})
    assert seen[0].headers.get_list("Authorization") == [f"Bearer {TOKEN}"]


def test_a_query_in_the_generated_path_is_kept_beside_extra_query(
    make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A hand-written Swagger may fix a query in the path itself, e.g. an API version. A
    # query may hold a '?' of its own; the first one ends the path.
    fixed = "?api-version=1.0&via=why?"
    rewrite_generated(monkeypatch, "list_workspaces", lambda r: r.update(url=r["url"] + fixed))
    seen: list[httpx.Request] = []
    client = make(lambda r: seen.append(r) or httpx.Response(200, json=WORKSPACES))
    client.workspaces(extra_query={"trace": "on"})
    client.workspaces()
    assert [r.url.path for r in seen] == ["/api/v1/workspaces"] * 2
    assert [dict(r.url.params) for r in seen] == [
        {"api-version": "1.0", "via": "why?", "trace": "on"},
        {"api-version": "1.0", "via": "why?"},
    ]


def test_a_query_in_the_generated_path_is_kept_in_a_download_url(
    make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The browser link is built from the same generated route as the GET export.
    rewrite_generated(monkeypatch, "export_report_get", lambda r: r.update(url=r["url"] + "?v=1"))
    client = make(lambda r: httpx.Response(200, json={"nonce": "n-1"}), workspace="sales")
    url = httpx.URL(client.download_url(7, format="xlsx", extra_query={"trace": "on"}))
    assert url.path == "/api/v1/ws/sales/reports/7/pdf"
    assert dict(url.params) == {"v": "1", "format": "xlsx", "nonce": "n-1", "trace": "on"}


# -- redirects -----------------------------------------------------------------------------------


def test_up_to_the_redirect_limit_is_followed(make: Any) -> None:
    seen: list[httpx.Request] = []
    client = make(redirects(MAX_REDIRECTS, seen))
    assert client.workspaces()[0].code == "sales"
    assert [r.url.path for r in seen] == [
        "/api/v1/workspaces",
        *(f"/hop/{n}" for n in range(1, MAX_REDIRECTS + 1)),
    ]
    # Each hop is bounded by what is left of the call's deadline, the first by the timeout.
    assert seen[0].extensions["timeout"]["read"] == 60.0
    assert all(0 < r.extensions["timeout"]["read"] <= 60.0 for r in seen[1:])


def test_one_redirect_more_than_the_limit_is_refused(make: Any) -> None:
    seen: list[httpx.Request] = []
    client = make(redirects(MAX_REDIRECTS + 1, seen))
    with pytest.raises(cxreports.APIRedirectError, match=f"more than {MAX_REDIRECTS} redirects"):
        client.workspaces()
    assert len(seen) == MAX_REDIRECTS + 1  # the last Location is not asked for


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_given_client_that_follows_redirects_does_not_bypass_the_checks(kind: str) -> None:
    """A 302 would turn the POST of inline data into a body-less GET, rendering the report
    without the caller's data: refused, even when the caller's httpx client would follow."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx.Response(302, headers={"Location": "/moved/pdf"})
        return httpx.Response(200, content=b"%PDF-1", headers={"Content-Type": "application/pdf"})

    transport = httpx.MockTransport(handler)
    client: Any
    if kind == "sync":
        http = httpx.Client(transport=transport, follow_redirects=True)
        client = cxreports.Client("https://cx.example", TOKEN, 1, http_client=http)
    else:
        ahttp = httpx.AsyncClient(transport=transport, follow_redirects=True)
        client = AsyncClientDriver(
            cxreports.AsyncClient("https://cx.example", TOKEN, 1, http_client=ahttp)
        )
    with client, pytest.raises(cxreports.APIRedirectError, match="body-less GET"):
        client.export(7, data={"rows": [1]})
    assert [r.method for r in seen] == ["POST"]


# -- retries, as the log tells them ------------------------------------------------------------------


LINE = re.compile(r"GET /api/v1/workspaces -> (\w+) in \d+\.\d ms \(retry (\d+)\)")


def logged(caplog: pytest.LogCaptureFixture) -> list[tuple[str, int]]:
    found = []
    for record in caplog.records:
        match = LINE.fullmatch(record.getMessage())
        assert match, record.getMessage()
        found.append((match[1], int(match[2])))
    return found


def test_each_attempt_is_logged_with_its_status_and_retry_number(
    make: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = record_sleeps(monkeypatch)
    caplog.set_level(logging.DEBUG, logger="cxreports")
    answers = iter(
        [
            httpx.Response(503, headers={"Retry-After": "2"}),
            httpx.Response(500),
            httpx.Response(200, json=WORKSPACES),
        ]
    )
    client = make(lambda r: next(answers))
    assert client.workspaces()[0].id == 1
    assert logged(caplog) == [("503", 0), ("500", 1), ("200", 2)]
    assert sleeps[0] == 2.0  # the server's Retry-After
    assert len(sleeps) == 2 and 0.375 <= sleeps[1] <= 1.0  # backoff of the second retry


def test_each_attempt_is_logged_with_the_time_it_took(
    make: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The milliseconds are the attempt's own: a server that takes a quarter of a second
    (on the client's clock, driven here by the answer) shows as 250.0 ms."""
    import cxreports._base_client
    import cxreports._client

    now = [5000.0]
    clock = types.SimpleNamespace(monotonic=lambda: now[0])
    monkeypatch.setattr(cxreports._client, "time", clock)
    monkeypatch.setattr(cxreports._base_client, "time", clock)

    def slow(request: httpx.Request) -> httpx.Response:
        now[0] += 0.25
        return httpx.Response(200, json=WORKSPACES)

    caplog.set_level(logging.DEBUG, logger="cxreports")
    make(slow).workspaces()
    assert [r.getMessage() for r in caplog.records] == [
        "GET /api/v1/workspaces -> 200 in 250.0 ms (retry 0)"
    ]


def test_a_retry_after_of_zero_is_retried_at_once(make: Any) -> None:
    """Really waited (no recorded sleep): zero seconds."""
    answers = iter(
        [httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200, json=WORKSPACES)]
    )
    assert make(lambda r: next(answers)).workspaces()[0].id == 1


def test_a_failed_connection_is_logged_by_its_error_and_retried_until_max_retries(
    make: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = record_sleeps(monkeypatch)
    caplog.set_level(logging.DEBUG, logger="cxreports")

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = make(refuse, max_retries=3)
    with pytest.raises(cxreports.APIConnectionError) as info:
        client.workspaces()
    assert logged(caplog) == [("APIConnectionError", n) for n in range(4)]
    assert len(sleeps) == 3 and all(s > 0 for s in sleeps)
    # The transport's error is the cause, shown in the traceback.
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_a_post_whose_connection_never_opened_is_retried(
    make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing reached the server, so even a request that creates something is safe to repeat;
    a POST that may have reached it is not."""
    record_sleeps(monkeypatch)
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if len(seen) == 1:
            raise httpx.ConnectError("connection refused", request=request)
        if len(seen) == 3:
            raise httpx.ReadError("connection reset", request=request)
        return httpx.Response(200, json={"nonce": "n-1"})

    client = make(handler)
    assert client.create_nonce() == "n-1"
    with pytest.raises(cxreports.APIConnectionError, match="connection reset"):
        client.create_nonce()
    assert seen == ["/api/v1/nonce-tokens"] * 3


def test_a_status_error_is_raised_without_a_cause(make: Any) -> None:
    client = make(lambda r: httpx.Response(404, json={"error": "no such thing"}))
    with pytest.raises(cxreports.NotFoundError) as info:
        client.workspaces()
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert info.value.message == "no such thing"


def test_a_multi_step_call_raises_the_typed_error_of_its_failed_step(make: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/nonce-tokens"):
            return httpx.Response(401, json={"error": "token expired"})
        return httpx.Response(404, json={"error": "no such workspace"})

    client = make(handler, workspace="gone")
    with pytest.raises(cxreports.NotFoundError, match="no such workspace"):
        client.reports()  # a paging flow
    with pytest.raises(cxreports.AuthenticationError, match="token expired"):
        client.preview_url(7)  # nonce, then the URL


# -- downloads ---------------------------------------------------------------------------------


def test_an_error_status_is_raised_and_leaves_no_file(make: Any, tmp_path: Path) -> None:
    client = make(lambda r: httpx.Response(404, json={"error": "no such report"}), workspace=1)
    with pytest.raises(cxreports.NotFoundError, match="no such report"):
        client.export_to_file(7, tmp_path / "r.pdf")
    with pytest.raises(cxreports.NotFoundError, match="no such report"):
        client.export_to_file(7, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("step", ["create", "commit"])
def test_a_download_cancelled_during_its_file_work_waits_for_it_and_cleans_up(
    step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker thread that creates (or commits) the file is not abandoned by a
    cancelled task: the cancellation waits for it, however often it is repeated, and then
    removes a ``.part`` just made; a committed file is complete."""
    import cxreports._client as client_module
    from cxreports._files import PartFile

    entered, release = threading.Event(), threading.Event()

    class SlowPart(PartFile):
        def __init__(self, target: Any) -> None:
            super().__init__(target)
            if step == "create":
                entered.set()
                release.wait(10)

        def commit(self, final: Path) -> Path:
            if step == "commit":
                entered.set()
                release.wait(10)
            return super().commit(final)

    monkeypatch.setattr(client_module, "PartFile", SlowPart)
    pdf = {"Content-Type": "application/pdf"}

    async def scenario() -> None:
        http = httpx.AsyncClient(
            transport=httpx.MockTransport(
                lambda r: httpx.Response(200, content=b"%PDF-1", headers=pdf)
            )
        )
        async with cxreports.AsyncClient("https://cx.example", TOKEN, 1, http_client=http) as c:
            task = asyncio.ensure_future(c.export_to_file(7, tmp_path / "r.pdf"))
            try:
                while not entered.is_set():  # a broken export fails here, not 10 s later
                    assert not task.done(), task
                    await asyncio.sleep(0.001)
                for _ in range(3):  # cancelled, and cancelled again while it waits
                    task.cancel()
                    for _ in range(5):
                        await asyncio.sleep(0)
                    assert not task.done()
            finally:
                release.set()  # else a failed run's worker holds the loop's shutdown for 10 s
            with pytest.raises(asyncio.CancelledError):
                await task
        await http.aclose()

    asyncio.run(scenario())
    left = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert left == ({} if step == "create" else {"r.pdf": b"%PDF-1"})


# -- which pool a client closes -------------------------------------------------------------------


def close(client: Any) -> None:
    """``client.close()``, keeping an async driver's event loop to call it on afterwards."""
    if isinstance(client, AsyncClientDriver):
        client._runner.run(client.target.close())
    else:
        client.close()


def test_a_given_pool_is_left_open_and_a_copy_closes_nothing(make: Any) -> None:
    client = make(lambda r: httpx.Response(200, json=WORKSPACES))
    copy = client.with_options(timeout=5, max_retries=0)
    close(copy)
    assert client.workspaces()[0].id == 1  # the copy shares the pool: still open
    close(client)
    assert copy.workspaces()[0].id == 1  # a given http_client is the caller's to close


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_client_closes_its_own_pool(kind: str) -> None:
    if kind == "sync":
        client: Any = cxreports.Client("https://cx.example", TOKEN)
    else:
        client = AsyncClientDriver(cxreports.AsyncClient("https://cx.example", TOKEN))
    copy = client.with_options(max_retries=0)
    close(client)
    for closed in (client, copy):
        with pytest.raises(cxreports.ClientClosedError, match=r"GET https://cx\.example"):
            closed.workspaces()
    client.close()


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_closed_client_refuses_a_download_before_making_a_file(
    kind: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="cxreports")
    if kind == "sync":
        client: Any = cxreports.Client("https://cx.example", TOKEN, "sales")
    else:
        client = AsyncClientDriver(cxreports.AsyncClient("https://cx.example", TOKEN, "sales"))
    close(client)
    message = r"cannot send GET https://cx\.example/api/v1/ws/sales/reports/7/pdf$"
    with pytest.raises(cxreports.ClientClosedError, match=message):
        client.export_to_file(7, tmp_path, format="docx")
    with pytest.raises(ValueError, match="sends no body"):  # bad input is told first
        client.export_to_file(7, tmp_path, extra_body={"watermark": "DRAFT"})
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(cxreports.ClientClosedError):
        client.workspaces()
    client.close()
    assert logged(caplog) == [("ClientClosedError", 0)]  # the refused request, logged


def test_with_options_applies_to_the_copy_only(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    record_sleeps(monkeypatch)
    seen: list[httpx.Request] = []

    def busy(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503)

    client = make(busy)
    copy = client.with_options(timeout=5, max_retries=0)
    with pytest.raises(cxreports.InternalServerError):
        copy.workspaces()
    assert [r.extensions["timeout"]["read"] for r in seen] == [5.0]
    seen.clear()
    with pytest.raises(cxreports.InternalServerError):
        client.workspaces()
    assert [r.extensions["timeout"]["read"] for r in seen] == [60.0] * 3
    assert copy.base_url == client.base_url and repr(copy) == repr(client)


def test_an_async_copy_keeps_the_transport() -> None:
    client = AsyncClientDriver(
        cxreports.AsyncClient("https://cx.example", TOKEN, transport="httpcore")
    )
    try:
        assert client.transport == "httpcore"
        assert client.with_options(timeout=3).transport == "httpcore"
    finally:
        client.close()


def test_the_async_deadline_ends_a_body_that_stalls() -> None:
    """Neither the mock transport nor a slow server's socket times out here: only the
    call's overall deadline (its timeout) does."""

    cut: list[bool] = []

    class Stalled(httpx.AsyncByteStream):
        async def __aiter__(self) -> Any:
            yield b"%PDF"
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                cut.append(True)  # the stalled read was cut off, not waited out
                raise
            yield b"-1"

    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "application/pdf"}, stream=Stalled())

    async def scenario() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = cxreports.AsyncClient(
            "https://cx.example", TOKEN, 1, http_client=http, timeout=0.2, max_retries=0
        )
        with pytest.raises(cxreports.APITimeoutError, match=r"timed out after 0\.2 s"):
            await client.export(7)
        await http.aclose()

    asyncio.run(scenario())
    assert cut == [True]
