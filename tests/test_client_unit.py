"""Client behaviour that needs a hand-made server answer (httpx.MockTransport) or a fake
clock. Kept apart from the cassette tests: vcrpy would intercept these transports."""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from clients import record_sleeps

import cxreports
from cxreports import _files
from cxreports import _polling as polling
from cxreports._base_client import parse_retry_after
from cxreports._polling import Sleep

TOKEN = "unit-secret-1234567890"


def mock_client(
    handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any
) -> cxreports.Client:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return cxreports.Client("https://cx.example", TOKEN, "sales", http_client=http, **kwargs)


# -- configuration ----------------------------------------------------------------------------


def test_missing_url_and_token_fail_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CXREPORTS_URL", "CXREPORTS_TOKEN", "CXREPORTS_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    # The message says how to fix it, whole: where the setting goes and what it looks like.
    with pytest.raises(cxreports.ConfigurationError) as raised:
        cxreports.Client(token="t")
    assert str(raised.value) == (
        "no CxReports URL: pass base_url= or set CXREPORTS_URL "
        "(for example https://your-tenant.cx-reports.app)"
    )
    with pytest.raises(cxreports.ConfigurationError) as raised:
        cxreports.Client("https://cx.example")
    assert str(raised.value) == (
        "no API token: pass token= or set CXREPORTS_TOKEN "
        "(a Personal Access Token from the CxReports user menu)"
    )
    with pytest.raises(cxreports.ConfigurationError, match="http"):
        cxreports.Client("ftp://cx.example", "t")
    with pytest.raises(ValueError, match="max_retries"):
        cxreports.Client("https://cx.example", "t", max_retries=-1)
    with pytest.raises(ValueError, match="timeout"):
        cxreports.Client("https://cx.example", "t", timeout=0)


@pytest.mark.parametrize(
    ("name", "value", "kind"), [("base_url", 8080, "int"), ("token", b"tok", "bytes")]
)
def test_a_setting_of_the_wrong_type_is_named_with_its_type(
    name: str, value: object, kind: str
) -> None:
    settings: dict[str, object] = {"base_url": "https://cx.example", "token": "t", name: value}
    with pytest.raises(cxreports.ConfigurationError) as raised:
        cxreports.Client(**settings)  # type: ignore[arg-type]
    assert str(raised.value) == f"{name} must be a str, not {kind}"


# A space is printable and a NUL is not whitespace: each alone is enough to refuse the token.
@pytest.mark.parametrize("token", ["tok en", "tok\ten", "tok\nen", "tok\x00en", "tok\x7fen"])
def test_a_token_with_whitespace_or_control_characters_is_refused(token: str) -> None:
    with pytest.raises(cxreports.ConfigurationError) as raised:
        cxreports.Client("https://cx.example", token)
    assert str(raised.value) == (
        "the API token contains whitespace or control characters; "
        "check it was copied whole and without a line break"
    )


def test_environment_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXREPORTS_URL", "https://env.example/base/")
    monkeypatch.setenv("CXREPORTS_TOKEN", TOKEN)
    monkeypatch.setenv("CXREPORTS_WORKSPACE", "finance")
    client = cxreports.Client()
    assert client.base_url == "https://env.example/base"
    assert client.workspace == "finance"
    assert cxreports.Client(workspace=3).workspace == "3"
    assert repr(client) == (
        "Client(base_url='https://env.example/base', workspace='finance', token='[REDACTED]')"
    )
    assert repr(cxreports.AsyncClient()).startswith("AsyncClient(base_url=")


def test_plain_http_warns_unless_loopback() -> None:
    with pytest.warns(cxreports.InsecureTransportWarning) as caught:
        cxreports.Client("http://reports.example.com", "t")
    assert str(caught[0].message) == (
        "base_url 'http://reports.example.com' is plain http: the API token will cross the "
        "network unencrypted. Use https."
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cxreports.Client("http://127.0.0.1:8080", "t")
        cxreports.Client("http://localhost:8080", "t")
        cxreports.Client("http://reports.localhost:8080", "t")
        cxreports.Client("http://Reports.LocalHost:8080", "t")
        cxreports.Client("http://[::1]:8080", "t")


def test_the_base_url_keeps_its_path_without_query_or_fragment() -> None:
    client = cxreports.Client("https://cx.example/TAX/?tenant=a#top", "t")
    assert client.base_url == "https://cx.example/TAX"


def test_the_plain_http_warning_points_at_the_caller() -> None:
    with pytest.warns(cxreports.InsecureTransportWarning) as caught:
        cxreports.Client("http://reports.example.com", "t")
    assert caught[0].filename == __file__
    with pytest.warns(cxreports.InsecureTransportWarning) as caught:
        cxreports.AsyncClient("http://reports.example.com", "t")
    assert caught[0].filename == __file__


@pytest.mark.parametrize(
    ("port", "accepted"), [(0, False), (1, True), (65535, True), (65536, False)]
)
def test_the_port_must_be_between_1_and_65535(port: int, accepted: bool) -> None:
    url = f"https://cx.example:{port}"
    if accepted:
        assert cxreports.Client(url, "t").base_url == url
        return
    with pytest.raises(cxreports.ConfigurationError) as raised:
        cxreports.Client(url, "t")
    assert str(raised.value) == f"base_url is not a valid URL: port {port} is out of range"


def test_a_url_httpx_cannot_parse_is_refused_with_its_reason() -> None:
    with pytest.raises(cxreports.ConfigurationError) as raised:
        cxreports.Client("https://cx.example:http", "t")
    message = str(raised.value)
    assert message.startswith("base_url is not a valid URL: ") and "'http'" in message


def test_credentials_in_the_url_are_refused_without_echo() -> None:
    with pytest.raises(cxreports.ConfigurationError) as raised:
        cxreports.Client("https://me:s3cret@cx.example", "t")
    assert str(raised.value) == (
        "base_url must not contain a user name or password; pass the API token as token="
    )


def test_default_timeouts() -> None:
    client = cxreports.Client("https://cx.example", "t")
    assert client.timeout.read == 60.0 and client.timeout.connect == 5.0
    assert client.with_options(timeout=5).timeout.read == 5.0
    # A number sets every phase but the connect, which keeps its 5 s unless that is more.
    assert client.with_options(timeout=30).timeout == httpx.Timeout(30.0, connect=5.0)
    assert client.with_options(timeout=2).timeout == httpx.Timeout(2.0)
    assert client.with_options(timeout=None).timeout.read is None
    assert client.timeout.read == 60.0, "with_options leaves the original alone"


# -- responses ----------------------------------------------------------------------------------


def test_base_url_path_prefix_is_kept() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json=[])

    http = httpx.Client(transport=httpx.MockTransport(handler))
    cxreports.Client("https://cx.example/reports/", TOKEN, http_client=http).workspaces()
    assert seen == ["https://cx.example/reports/api/v1/workspaces"]


def test_problem_details_message() -> None:
    problem = {
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": {"format": ["The value 'odt' is not valid."]},
    }
    client = mock_client(lambda r: httpx.Response(400, json=problem))
    with pytest.raises(cxreports.BadRequestError) as info:
        client.report_types()
    assert info.value.message == (
        "One or more validation errors occurred. (format: The value 'odt' is not valid.)"
    )
    assert info.value.body == problem


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
        (502, cxreports.InternalServerError),
    ],
)
def test_status_error_classes(status: int, error: type[cxreports.APIStatusError]) -> None:
    client = mock_client(lambda r: httpx.Response(status, text="plain words"), max_retries=0)
    with pytest.raises(error) as info:
        client.workspaces()
    assert type(info.value) is error
    assert info.value.message == "plain words"
    assert isinstance(info.value, RuntimeError)


def test_server_echo_of_the_token_is_redacted() -> None:
    client = mock_client(lambda r: httpx.Response(401, json={"error": f"bad token {TOKEN}"}))
    with pytest.raises(cxreports.AuthenticationError) as info:
        client.workspaces()
    error = info.value
    assert error.message == "bad token [REDACTED]"
    assert TOKEN not in str(error.body) and TOKEN not in error.response.text


def test_malformed_success_body_is_a_validation_error() -> None:
    client = mock_client(lambda r: httpx.Response(200, json=[{"name": "no id"}]))
    with pytest.raises(cxreports.APIResponseValidationError):
        client.workspaces()


def test_unknown_export_status_value_is_a_validation_error() -> None:
    body = {"id": 1, "status": "Queued", "isReady": False}
    client = mock_client(lambda r: httpx.Response(200, json=body))
    with pytest.raises(cxreports.APIResponseValidationError):
        client.get_export(1).status()


def test_naive_timestamps_are_read_as_utc() -> None:
    body = {"tempDataId": 9, "expiryDate": "2026-12-01T18:00:00"}
    client = mock_client(lambda r: httpx.Response(200, json=body))
    temp = client.push_temporary_data({"a": 1})
    assert temp == cxreports.TemporaryData(9, dt.datetime(2026, 12, 1, 18, tzinfo=dt.UTC))


def test_converted_models_say_none_for_absent_fields_and_utc_for_naive_times() -> None:
    # The generated models hold UNSET for an absent field and a naive datetime when the
    # server leaves out the zone; what users get holds None and UTC.
    status = {"id": 1, "status": "Completed", "isReady": True, "expiryTime": "2026-12-01T18:00:00"}
    report = {"id": 7, "name": "R", "isDefault": True, "reportTemplateName": "t",
              "reportTypeId": 1, "reportTypeName": "T", "colour": "red"}  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        body = status if request.url.path.endswith("/status") else [report]
        return httpx.Response(200, json=body)

    client = mock_client(handler)
    (listed,) = client.reports()
    assert listed == cxreports.Report(
        id=7, name="R", report_type_id=1, report_type_name="T", report_template_name="t",
        theme_name=None, is_default=True, preview_image=None, extra={"colour": "red"},
    )  # fmt: skip
    seen = client.get_export(1).status()
    assert seen.expiry_time == dt.datetime(2026, 12, 1, 18, tzinfo=dt.UTC)
    assert seen.name is None and seen.content_size is None and seen.error_message is None


def test_cross_origin_redirect_drops_the_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "cx.example":
            return httpx.Response(302, headers={"Location": "https://elsewhere.example/x"})
        return httpx.Response(200, json=[])

    mock_client(handler).workspaces()
    assert [r.url.host for r in seen] == ["cx.example", "elsewhere.example"]
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert "Authorization" not in seen[1].headers


def owned_client(
    monkeypatch: pytest.MonkeyPatch, handler: Callable[[httpx.Request], httpx.Response]
) -> cxreports.Client:
    """A Client that builds its own httpx client, answered by ``handler``."""
    monkeypatch.setattr(
        httpx.HTTPTransport, "handle_request", lambda self, request: handler(request)
    )
    return cxreports.Client("https://cx.example", TOKEN, "sales", headers={"X-Team": "bi"})


def test_an_owned_http_client_sends_the_client_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    # The owned httpx client carries them as its defaults (built once); every request, a
    # with_options copy's and a cross-origin redirect's included, must still be right.
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/api/v1/workspaces" and request.url.host == "cx.example":
            return httpx.Response(302, headers={"Location": "https://elsewhere.example/x"})
        return httpx.Response(200, json=[])

    client = owned_client(monkeypatch, handler)
    client.workspaces()
    client.with_options(max_retries=0).themes()
    client.themes(extra_headers={"X-Trace": "1"})
    first, redirected, copy, extra = seen
    for request in (first, copy, extra):
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.headers["X-Team"] == "bi"
        assert request.headers["User-Agent"].startswith("cxreports-python/")
        assert request.headers["Accept-Encoding"] == "gzip, deflate"
    assert redirected.url.host == "elsewhere.example"
    assert "Authorization" not in redirected.headers
    assert extra.headers["X-Trace"] == "1" and "X-Trace" not in copy.headers


def test_a_given_http_client_is_left_as_it_was() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    http = httpx.Client(transport=httpx.MockTransport(handler), params={"tenant": "a b"})
    before = list(http.headers.multi_items())
    client = cxreports.Client("https://cx.example", TOKEN, "sales", http_client=http)
    client.reports(type="invoice")
    assert list(http.headers.multi_items()) == before
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    # Its own query parameters still go out, merged as httpx merges them.
    assert seen[0].url.params["tenant"] == "a b"
    assert seen[0].url.params["type"] == "invoice"


@pytest.mark.parametrize(
    "params",
    [
        {"lang": "en US", "timezone": "Europe/Ljubljana"},
        {"params": '{"q": "a&b=c+d", "name": "Šime ☃", "pct": "100%"}'},
        {"format": "pdf", "excludePages": ["1", "2"], "flag": True},
    ],
)
def test_the_query_is_encoded_as_httpx_encodes_it(params: dict[str, Any]) -> None:
    # _build_request encodes the query itself so that httpx parses the URL once; the URL
    # must be byte for byte what httpx would have built from params=.
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    mock_client(handler).call(_list_themes_endpoint(), extra_query=params)
    expected = httpx.Client().build_request(
        "GET", "https://cx.example/api/v1/ws/sales/themes", params=params
    )
    assert seen[0].url.raw_path == expected.url.raw_path


def test_parsed_urls_are_reused_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each distinct URL is parsed once and kept (a batch repeats a few), but a client
    # sending ever new URLs must not grow without bound.
    from cxreports import _base_client

    monkeypatch.setattr(_base_client, "URL_CACHE_SIZE", 4)
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=b"%PDF-", headers={"Content-Type": "application/pdf"})

    client = mock_client(handler)
    for n in [*range(10), 9, 9]:
        client.export(n, lang=f"l{n}")
    assert seen == [
        f"https://cx.example/api/v1/ws/sales/reports/{n}/pdf?lang=l{n}&format=pdf"
        for n in [*range(10), 9, 9]
    ]
    assert 1 <= len(client._urls) <= 4


def _list_themes_endpoint() -> Any:
    from cxreports_api.api.themes import list_themes

    return list_themes


@pytest.mark.clock
def test_expiry_is_sent_in_utc() -> None:
    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        return httpx.Response(200, json={"tempDataId": 1, "expiryDate": "2030-01-01T00:00:00Z"})

    client = mock_client(handler)
    # Ten days from now at 18:00 in UTC+2, whatever today is: the wire text is 16:00 UTC.
    plus_two = dt.timezone(dt.timedelta(hours=2))
    day = dt.datetime.now(plus_two).date() + dt.timedelta(days=10)
    when = dt.datetime(day.year, day.month, day.day, 18, 0, tzinfo=plus_two)
    client.push_temporary_data({"a": 1}, expires=when)
    assert f'"expiryDate":"{day.isoformat()}T16:00:00+00:00"'.encode() in bodies[0]
    with pytest.raises(ValueError, match="in the future"):
        client.push_temporary_data({"a": 1}, expires=dt.timedelta(0))
    assert len(bodies) == 1


# -- backoff and polling ------------------------------------------------------------------------


def test_retry_after_forms() -> None:
    now = 1_800_000_000.0
    date = email.utils.formatdate(now + 7, usegmt=True)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(date, now=now) == pytest.approx(7.0)
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-4") == 0.0


def test_long_retry_after_is_not_waited_out(monkeypatch: pytest.MonkeyPatch) -> None:
    # The sleeps are recorded, not waited out: a client that honoured the hour would fail
    # this test at once instead of hanging in it.
    sleeps = record_sleeps(monkeypatch)
    answers = iter(
        [httpx.Response(503, headers={"Retry-After": "3600"}), httpx.Response(200, json=[])]
    )
    client = mock_client(lambda r: next(answers))
    with pytest.raises(cxreports.InternalServerError):
        client.workspaces()
    assert sleeps == []


def _drive_wait(render_seconds: float) -> tuple[int, list[float]]:
    """Drive the export wait flow with a fake clock; return status calls and sleeps."""
    now = [0.0]
    flow = polling.poll(
        lambda: "status-call",
        lambda ready: bool(ready),
        timeout=600.0,
        what="export",
        clock=lambda: now[0],
    )
    calls, sleeps = 0, []
    step = next(flow)
    try:
        while True:
            if isinstance(step, Sleep):
                sleeps.append(step.seconds)
                now[0] += step.seconds
                step = flow.send(None)
            else:
                calls += 1
                step = flow.send(now[0] >= render_seconds)
    except StopIteration:
        return calls, sleeps


@pytest.mark.parametrize(
    ("render_seconds", "max_calls"), [(0.05, 7), (0.2, 19), (2.0, 43), (20.0, 67), (60.0, 79)]
)
def test_export_is_seen_within_a_tenth_of_its_time(render_seconds: float, max_calls: int) -> None:
    calls, sleeps = _drive_wait(render_seconds)
    late = sum(sleeps) - render_seconds
    assert 0 <= late <= max(0.1 * render_seconds, polling.MIN_POLL)
    assert calls <= max_calls  # the price of that bound grows with log(time), not time


def test_polls_neither_busy_loop_nor_fall_asleep() -> None:
    _, sleeps = _drive_wait(300.0)
    assert min(sleeps) == polling.MIN_POLL and max(sleeps) == polling.MAX_POLL
    assert sleeps == sorted(sleeps)


def test_wait_timeout_carries_the_last_status() -> None:
    now = [0.0]
    flow = polling.poll(
        lambda: "call", lambda s: False, timeout=2.0, what="export 5", clock=lambda: now[0]
    )
    step = next(flow)
    with pytest.raises(cxreports.WaitTimeoutError, match="export 5 was not done after 2 s") as info:
        while True:
            if isinstance(step, Sleep):
                now[0] += step.seconds
                step = flow.send(None)
            else:
                step = flow.send("InProgress")
    assert info.value.last_status == "InProgress"


def test_saved_files_get_normal_permissions(tmp_path: Path) -> None:
    doc = cxreports.Document(b"%PDF-1.7", "application/pdf", "a.pdf")
    # A new file gets 0o666 minus the umask (read once, at import), not mkstemp's 0o600.
    created = doc.save(tmp_path / "new.pdf")
    assert created.stat().st_mode & 0o777 == _files._NEW_FILE_MODE == 0o666 & ~_umask()
    existing = tmp_path / "existing.pdf"
    existing.write_bytes(b"old")
    existing.chmod(0o640)
    doc.save(existing)
    assert existing.stat().st_mode & 0o777 == 0o640
    assert existing.read_bytes() == b"%PDF-1.7"


def test_document_save_to_a_missing_folder_is_refused(tmp_path: Path) -> None:
    """``doc.save("out/")`` without ``out/`` must not write a file named ``out`` (issue 17)."""
    doc = cxreports.Document(b"%PDF-1.7", "application/pdf", "a.pdf")
    with pytest.raises(FileNotFoundError, match="no such folder"):
        doc.save(f"{tmp_path / 'out'}/")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        doc.save(tmp_path / "missing" / "a.pdf")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "out").mkdir()
    assert doc.save(f"{tmp_path / 'out'}/") == tmp_path / "out" / "a.pdf"


def test_export_repr_says_what_is_known() -> None:
    client = cxreports.Client("https://cx.example", TOKEN, "sales")
    export = client.get_export(10002)
    assert repr(export) == "Export(id=10002, workspace='sales', not polled yet)"
    export.last_status = cxreports.ExportStatus(id=10002, status="InProgress", is_ready=False)
    assert repr(export) == "Export(id=10002, workspace='sales', status='InProgress')"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# -- paging, driven without a server --------------------------------------------------------------


def _list_reports(pages: list[tuple[list[int], int | None]]) -> tuple[list[int], list[int]]:
    """Drive the reports flow with canned pages; return the ids and the offsets asked for."""
    client = cxreports.Client("https://cx.example", TOKEN, "sales")
    flow = client._reports_flow(None, None)
    offsets: list[int] = []
    answers = iter(pages)
    try:
        call = next(flow)
        while True:
            offsets.append(call.kwargs["params"]["offset"])
            assert call.kwargs["params"]["limit"] == 100
            ids, total = next(answers)
            call = flow.send(([cxreports.Report(i, f"r{i}") for i in ids], total))
    except StopIteration as done:
        return [r.id for r in done.value], offsets


def test_paging_survives_a_server_that_caps_pages_below_the_limit() -> None:
    ids, offsets = _list_reports([(list(range(50)), None), (list(range(50, 100)), None),
                                  (list(range(100, 130)), None), ([], None)])  # fmt: skip
    assert ids == list(range(130)) and offsets == [0, 50, 100, 130]


def test_paging_stops_at_the_reported_total() -> None:
    ids, offsets = _list_reports([(list(range(100)), 130), (list(range(100, 130)), 130)])
    assert ids == list(range(130)) and offsets == [0, 100]
    ids, offsets = _list_reports([(list(range(6)), 6)])
    assert ids == list(range(6)) and offsets == [0]


def test_paging_stops_when_the_server_ignores_limit_and_offset() -> None:
    # Returns everything at once: longer than the limit asked for.
    ids, offsets = _list_reports([(list(range(130)), None)])
    assert len(ids) == 130 and offsets == [0]
    # Returns the same short list whatever the offset: the repeat ends it.
    ids, offsets = _list_reports([(list(range(6)), None), (list(range(6)), None)])
    assert ids == list(range(6)) and offsets == [0, 6]


# -- the suite's moved clock (tests/conftest.py) --------------------------------------------------


@pytest.mark.clock
def test_clock_marker_moves_the_wall_clock(wall_clock: str, tmp_path: Path) -> None:
    """The kernel stamps a new file with the real time; the moved clock is years past it."""
    from conftest import CLOCK_SHIFT

    stamp = tmp_path / "now"
    stamp.touch()
    real = stamp.stat().st_mtime
    seen = dt.datetime.now(dt.UTC).timestamp() - real
    expected = CLOCK_SHIFT.total_seconds() if wall_clock == "years-ahead" else 0.0
    assert abs(seen - expected) < 60
