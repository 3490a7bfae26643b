"""What export arguments become on the wire, and the exact refusal of each bad one.

A ``MockTransport`` records every request, so each test shows both what was sent (method,
path, query, JSON body) and that a refused call sent nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest

import cxreports
from cxreports import Job, Report, ReportPage, TemporaryData, Workspace
from cxreports._options import MAX_QUERY_PARAMS

PDF = b"%PDF-1.7"
EXPORT = "/api/v1/ws/sales/reports/invoice/pdf"
ASYNC = "/api/v1/ws/sales/reports/invoice/export"


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path.endswith("/pdf"):
            return httpx.Response(200, content=PDF)  # no type: any format accepts it
        if path.endswith("/export"):
            return httpx.Response(202, json={"temporaryFileId": 41})
        if path.endswith("/temporary-data"):
            return httpx.Response(200, json={"tempDataId": 5, "expiryDate": "2099-01-01T00:00:00Z"})
        if path.endswith("/runs"):
            return httpx.Response(200, json={"jobRunId": 3})
        return httpx.Response(200, json=[])

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def query(self) -> dict[str, str]:
        return dict(self.last.url.params)

    def body(self) -> Any:
        return json.loads(self.last.content)


@pytest.fixture
def wire() -> Iterator[tuple[Recorder, cxreports.Client]]:
    recorder = Recorder()
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    with cxreports.Client("https://cx.example", "args-token", "sales", http_client=http) as c:
        yield recorder, c


# -- what is sent -----------------------------------------------------------------------------


def test_a_plain_export_sends_only_the_format(wire: tuple[Recorder, cxreports.Client]) -> None:
    recorder, client = wire
    assert client.export("invoice").content == PDF
    assert (recorder.last.method, recorder.last.url.path) == ("GET", EXPORT)
    assert recorder.query() == {"format": "pdf"}


def test_every_get_option_has_its_query_parameter(wire: tuple[Recorder, cxreports.Client]) -> None:
    recorder, client = wire
    client.export(
        "invoice",
        format=cast(Any, "XLSX"),  # case-insensitive at run time
        params={"city": "Zürich", "n": [1, 2]},
        temp_data=TemporaryData(id=0),
        lang="de",
        timezone="Europe/Zurich",
        theme=0,
        template="A4",
        include_attachments=True,
    )
    assert recorder.last.method == "GET"
    assert recorder.query() == {
        "format": "xlsx",
        "params": '{"city":"Zürich","n":[1,2]}',
        "tempDataId": "0",
        "lang": "de",
        "timezone": "Europe/Zurich",
        "theme": "0",
        "template": "A4",
        "includeAttachments": "true",
    }
    client.export("invoice", temp_data=7)
    assert recorder.query() == {"format": "pdf", "tempDataId": "7"}


def test_inline_data_goes_in_a_post_body(wire: tuple[Recorder, cxreports.Client]) -> None:
    recorder, client = wire
    client.export("invoice", data={"rows": [1]}, params={"year": 2024}, lang="fr", theme=2)
    assert (recorder.last.method, recorder.last.url.path) == ("POST", EXPORT)
    assert recorder.query() == {}
    assert recorder.body() == {
        "data": {"rows": [1]},
        "params": {"year": 2024},
        "format": "pdf",
        "includeAttachments": False,
        "lang": "fr",
        "theme": "2",
    }
    client.export("invoice", data=[], format="docx", timezone="UTC", template=9)
    assert recorder.body() == {
        "data": [],
        "format": "docx",
        "includeAttachments": False,
        "timezone": "UTC",
        "template": "9",
    }


def sent_params(request: httpx.Request) -> bytes:
    """The ``params`` value as it is on the wire: percent-encoded in the query string."""
    fields = dict(field.split(b"=", 1) for field in request.url.query.split(b"&"))
    return fields[b"params"]


def test_params_too_long_for_a_url_go_by_post(wire: tuple[Recorder, cxreports.Client]) -> None:
    recorder, client = wire
    fits = {"k": "x" * (MAX_QUERY_PARAMS - len(b"%7B%22k%22%3A%22%22%7D"))}
    client.export("invoice", params=fits)
    assert recorder.last.method == "GET"
    assert len(sent_params(recorder.last)) == MAX_QUERY_PARAMS
    longer = {"k": fits["k"] + "x"}
    client.export("invoice", params=longer)
    assert recorder.last.method == "POST"
    assert recorder.body() == {"params": longer, "format": "pdf", "includeAttachments": False}
    # Data uploaded earlier can only be named on the GET form, however long the params.
    client.export("invoice", params=longer, temp_data=3)
    assert recorder.last.method == "GET"
    assert recorder.query()["tempDataId"] == "3"


@pytest.mark.parametrize(
    "params",
    [
        {"note": "日本語" * 600},  # 1,811 characters of JSON, 16 KB in the URL
        {"city": "Zürich " * 280},
        [["a", "b"]] * 150,  # punctuation: 3 characters each once encoded
    ],
    ids=["cjk", "accented", "punctuation"],
)
def test_the_limit_is_on_the_url_as_sent_not_on_the_json(
    wire: tuple[Recorder, cxreports.Client], params: Any
) -> None:
    """Non-ASCII letters and JSON punctuation grow when percent-encoded: a GET of short JSON
    could exceed the request-line limits of proxies (414) where the POST form is fine."""
    recorder, client = wire
    assert len(json.dumps(params, ensure_ascii=False, separators=(",", ":"))) < MAX_QUERY_PARAMS
    client.export("invoice", params=params)
    assert recorder.last.method == "POST"
    assert recorder.body()["params"] == params


def test_an_async_export_body_carries_pages_and_temp_data(
    wire: tuple[Recorder, cxreports.Client],
) -> None:
    recorder, client = wire
    pages: list[int | ReportPage] = [ReportPage(id=4, name="cover"), 0, 9]
    export = client.start_export(
        "invoice", exclude_pages=(p for p in pages), temp_data=TemporaryData(id=6)
    )
    assert export.id == 41
    assert (recorder.last.method, recorder.last.url.path) == ("POST", ASYNC)
    assert recorder.body() == {
        "excludePages": [4, 0, 9],
        "tempDataId": 6,
        "format": "pdf",
        "includeAttachments": False,
    }
    client.start_export("invoice", data={"a": 1}, params=[1], include_attachments=True)
    assert recorder.body() == {
        "data": {"a": 1},
        "params": [1],
        "format": "pdf",
        "includeAttachments": True,
    }


def test_ids_codes_and_objects_name_one_path_segment(
    wire: tuple[Recorder, cxreports.Client],
) -> None:
    recorder, client = wire
    client.export(Report(id=12, name="Invoice"), workspace=Workspace(id=3, name="Ops"))
    assert recorder.last.url.path == "/api/v1/ws/3/reports/12/pdf"
    client.export(0, workspace=0)
    assert recorder.last.url.path == "/api/v1/ws/0/reports/0/pdf"
    client.export("XR Q?1#", workspace="EXTRA")
    assert recorder.last.url.raw_path.startswith(b"/api/v1/ws/EXTRA/reports/XR%20Q%3F1%23/pdf")
    client.start_job_run(Job(id=8, name="monthly"))
    assert recorder.last.url.path == "/api/v1/ws/sales/jobs/8/runs"
    client.start_job_run("XJ-1")
    assert recorder.last.url.path == "/api/v1/ws/sales/jobs/XJ-1/runs"


@pytest.mark.clock
def test_expiry_is_sent_as_utc_from_a_delay_or_a_time(
    wire: tuple[Recorder, cxreports.Client],
) -> None:
    recorder, client = wire
    before = dt.datetime.now(dt.UTC)
    client.push_temporary_data({"a": 1}, expires=dt.timedelta(hours=1))
    after = dt.datetime.now(dt.UTC)
    sent = dt.datetime.fromisoformat(recorder.body()["expiryDate"])
    assert sent.utcoffset() == dt.timedelta(0)
    assert before + dt.timedelta(hours=1) <= sent <= after + dt.timedelta(hours=1)
    local = (dt.datetime.now() + dt.timedelta(days=2)).replace(microsecond=0)  # naive: local
    client.push_temporary_data({"a": 1}, expires=local)
    sent = dt.datetime.fromisoformat(recorder.body()["expiryDate"])
    assert sent.utcoffset() == dt.timedelta(0) and sent == local.astimezone()
    client.push_temporary_data({"a": 1})
    assert "expiryDate" not in recorder.body()


# -- what is refused, before anything is sent -------------------------------------------------


def refused(client: cxreports.Client, recorder: Recorder, call: Any) -> str:
    sent = len(recorder.requests)
    with pytest.raises((TypeError, ValueError)) as info:
        call(client)
    assert len(recorder.requests) == sent, "nothing may be sent"
    return f"{type(info.value).__name__}: {info.value}"


SOON = dt.timedelta(microseconds=1)


def test_a_job_run_sends_only_what_it_is_given(wire: tuple[Recorder, cxreports.Client]) -> None:
    recorder, client = wire
    client.start_job_run("monthly")
    assert recorder.last.url.path == "/api/v1/ws/sales/jobs/monthly/runs"
    assert recorder.body() == {}  # no "params": null, no "data": null
    client.start_job_run("monthly", params={"month": 11})
    assert recorder.body() == {"params": {"month": 11}}
    client.start_job_run("monthly", data={"rows": [1]})
    assert recorder.body() == {"data": {"rows": [1]}}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.export(""), "ValueError: report must not be empty"),
        (lambda c: c.export(" x"), "ValueError: report ' x' has leading or trailing whitespace"),
        (lambda c: c.export("x\t"), "ValueError: report 'x\\t' has leading or trailing whitespace"),
        (lambda c: c.export("."), "ValueError: report '.' is not a valid id or code"),
        (lambda c: c.export(".."), "ValueError: report '..' is not a valid id or code"),
        (
            lambda c: c.export("a/b\\c\nd/"),
            "ValueError: report 'a/b\\\\c\\nd/' contains '\\n', '/', '\\\\', "
            "which no id or code can contain",
        ),
        (lambda c: c.export(-1), "ValueError: report id must not be negative: -1"),
        (
            lambda c: c.export(True),
            "TypeError: report must be an int id, a str code or a Report, not bool",
        ),
        (
            lambda c: c.export(1.0),
            "TypeError: report must be an int id, a str code or a Report, not float",
        ),
        (
            lambda c: c.start_job_run(Report(id=1, name="r")),
            "TypeError: job must be an int id, a str code or a Job, not Report",
        ),
        (lambda c: c.start_job_run("a/b"), "ValueError: job 'a/b' contains '/', which no id or code can contain"),
        (lambda c: c.export("i", workspace=-2), "ValueError: workspace id must not be negative: -2"),
        (
            lambda c: c.export("i", workspace=None, format="doc"),
            "ValueError: format must be one of docx, html, pdf, pptx, xlsx; got 'doc'",
        ),
        (lambda c: c.export("i", format=1), "ValueError: format must be one of docx, html, pdf, pptx, xlsx; got 1"),
        (lambda c: c.export("i", include_attachments=1), "TypeError: include_attachments must be a bool"),
        (
            lambda c: c.export("i", data={}, temp_data=0),
            "ValueError: pass either data (sent inline) or temp_data (data uploaded earlier), "
            "not both: the API does not say how it would combine them",
        ),
        (lambda c: c.export("i", temp_data=True), "TypeError: temp_data must be a non-negative int, not True"),
        (lambda c: c.export("i", temp_data=-1), "TypeError: temp_data must be a non-negative int, not -1"),
        (lambda c: c.get_export("3"), "TypeError: temp_file_id must be a non-negative int, not '3'"),
        (lambda c: c.get_export(False), "TypeError: temp_file_id must be a non-negative int, not False"),
        (lambda c: c.export("i", lang=""), "ValueError: lang must not be empty"),
        (lambda c: c.export("i", timezone="  "), "ValueError: timezone must not be empty"),
        (lambda c: c.export("i", theme=True), "TypeError: theme must be a str (or an int id), not bool"),
        (lambda c: c.export("i", template=2.5), "TypeError: template must be a str (or an int id), not float"),
        (lambda c: c.export("i", lang=["de"]), "TypeError: lang must be a str (or an int id), not list"),
        (
            lambda c: c.start_export("i", exclude_pages=b"12"),
            "TypeError: exclude_pages must be an iterable of page ids, not bytes",
        ),
        (
            lambda c: c.start_export("i", exclude_pages=[1, "2"]),
            "TypeError: each of exclude_pages must be a non-negative int, not '2'",
        ),
        (
            lambda c: c.export("i", params={"n": float("inf")}),
            "TypeError: params must be JSON-serialisable: "
            "Out of range float values are not JSON compliant...",
        ),
        (
            lambda c: c.export("i", data={"when": dt.date(2020, 1, 1)}),
            "TypeError: data must be JSON-serialisable: "
            "Object of type date is not JSON serializable",
        ),
        (
            lambda c: c.start_job_run("monthly", data={"when": dt.date(2020, 1, 1)}),
            "TypeError: data must be JSON-serialisable: "
            "Object of type date is not JSON serializable",
        ),
        (lambda c: c.reports(type=""), "ValueError: type must be a non-empty report type code"),
        (lambda c: c.reports(type=" "), "ValueError: type must be a non-empty report type code"),
        (lambda c: c.reports(type=7), "ValueError: type must be a non-empty report type code"),
        (
            lambda c: c.push_temporary_data({}, expires=dt.timedelta(0)),
            "ValueError: expires must be in the future, got a delay of 0:00:00",
        ),
        (
            lambda c: c.push_temporary_data({}, expires=-SOON),
            "ValueError: expires must be in the future, got a delay of -1 day, 23:59:59.999999",
        ),
        (
            lambda c: c.push_temporary_data({}, expires=dt.datetime(2001, 2, 3, tzinfo=dt.UTC)),
            "ValueError: expires must be in the future, got 2001-02-03T00:00:00+00:00",
        ),
        (
            lambda c: c.push_temporary_data({}, expires=dt.date(2999, 1, 1)),
            "TypeError: expires must be a datetime or a timedelta, not date",
        ),
    ],
)  # fmt: skip
def test_bad_arguments_are_refused_with_what_is_wrong(
    wire: tuple[Recorder, cxreports.Client], call: Any, message: str
) -> None:
    recorder, client = wire
    if message.endswith("..."):  # the rest is the json module's words, which vary
        assert refused(client, recorder, call).startswith(message[:-3])
    else:
        assert refused(client, recorder, call) == message


def test_a_time_that_is_now_is_not_in_the_future(wire: tuple[Recorder, cxreports.Client]) -> None:
    import time_machine

    recorder, client = wire
    frozen = dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    with time_machine.travel(frozen, tick=False):
        message = refused(client, recorder, lambda c: c.push_temporary_data({}, expires=frozen))
        assert message == "ValueError: expires must be in the future, got 2031-05-06T07:08:09+00:00"
        client.push_temporary_data({}, expires=frozen + dt.timedelta(microseconds=1))
    assert recorder.body()["expiryDate"] == "2031-05-06T07:08:09.000001+00:00"


def test_expiry_is_sent_as_utc_where_local_time_is_not_utc(
    wire: tuple[Recorder, cxreports.Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a machine whose local time is UTC, converting to local time looks like UTC too.
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # +05:30 all year
    time.tzset()
    try:
        recorder, client = wire
        local = (dt.datetime.now() + dt.timedelta(days=2)).replace(microsecond=0)  # naive
        client.push_temporary_data({"a": 1}, expires=local)
        sent = dt.datetime.fromisoformat(recorder.body()["expiryDate"])
        assert sent.utcoffset() == dt.timedelta(0)
        assert sent == local.replace(tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_preview_option_of_the_wrong_type_is_named(
    wire: tuple[Recorder, cxreports.Client],
) -> None:
    recorder, client = wire
    message = refused(client, recorder, lambda c: c.preview_url("invoice", hide_print_button=1))
    assert message == "TypeError: hide_print_button must be a bool"
