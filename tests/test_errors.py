"""What a caught error tells its user: the text, the fields, and what survives pickling.

Errors raised by a client answer come from a ``MockTransport`` server; the classes that users
also build themselves (in their own test doubles) are built directly, with their documented
arguments.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import cxreports
from cxreports import ExportStatus

TOKEN = "errors-secret-0123456789"


def raised(
    handler: Callable[[httpx.Request], httpx.Response], base_url: str = "https://cx.example"
) -> Any:
    """The error ``workspaces()`` raises for the handler's answer (no retries)."""
    http = httpx.Client(transport=httpx.MockTransport(handler))
    with (
        cxreports.Client(base_url, TOKEN, "sales", http_client=http, max_retries=0) as client,
        pytest.raises(cxreports.CxReportsError) as info,
    ):
        client.workspaces()
    return info.value


def test_status_error_text_reads_status_reason_message_and_where() -> None:
    error = raised(lambda r: httpx.Response(404, json={"error": "no such thing"}))
    assert type(error) is cxreports.NotFoundError
    assert str(error) == "404 Not Found: no such thing (GET https://cx.example/api/v1/workspaces)"
    assert error.message == "no such thing"
    assert error.status_code == 404
    assert error.body == {"error": "no such thing"}
    assert error.response.status_code == 404
    assert error.request.url == "https://cx.example/api/v1/workspaces"
    assert error.response.request is error.request


def test_status_without_a_reason_phrase_has_no_dangling_space() -> None:
    error = raised(lambda r: httpx.Response(499, text="client went away"))
    assert type(error) is cxreports.APIStatusError
    assert str(error) == "499: client went away (GET https://cx.example/api/v1/workspaces)"


def test_the_text_names_port_and_path_but_never_the_query() -> None:
    error = raised(
        lambda r: httpx.Response(409, text="busy"), base_url="https://bücher.example:8443/cx"
    )
    assert type(error) is cxreports.ConflictError
    assert str(error).endswith("(GET https://xn--bcher-kva.example:8443/cx/api/v1/workspaces)")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, cxreports.BadRequestError),
        (401, cxreports.AuthenticationError),
        (403, cxreports.PermissionDeniedError),
        (404, cxreports.NotFoundError),
        (409, cxreports.ConflictError),
        (429, cxreports.RateLimitError),
        (422, cxreports.APIStatusError),
        (499, cxreports.APIStatusError),
        (500, cxreports.InternalServerError),
        (501, cxreports.InternalServerError),
        (503, cxreports.InternalServerError),
    ],
)
def test_each_status_gets_its_class(status: int, error: type[Exception]) -> None:
    assert type(raised(lambda r: httpx.Response(status, text="no"))) is error


def test_export_failed_error_carries_the_server_reason() -> None:
    status = ExportStatus(id=7, status="Failed", is_ready=False, error_message="font missing")
    error = cxreports.ExportFailedError(status)
    assert str(error) == "export 7 failed: font missing"
    assert error.message == "font missing"
    assert error.status is status
    silent = cxreports.ExportFailedError(ExportStatus(id=8, status="Failed", is_ready=False))
    assert str(silent) == "export 8 failed: the server gave no error message"
    assert silent.message == "the server gave no error message"


def test_documented_constructor_arguments_become_the_fields() -> None:
    request = httpx.Request("GET", "https://cx.example/api/v1/workspaces")
    response = httpx.Response(200, text="<html>", request=request)

    connection = cxreports.APIConnectionError("reset by peer", request=request)
    assert (str(connection), connection.message, connection.request) == (
        "reset by peer", "reset by peer", request
    )  # fmt: skip
    redirect = cxreports.APIRedirectError("loop", request=request, location="/elsewhere")
    assert (str(redirect), redirect.message, redirect.request, redirect.location) == (
        "loop", "loop", request, "/elsewhere"
    )  # fmt: skip
    invalid = cxreports.APIResponseValidationError("not JSON", response=response)
    assert (str(invalid), invalid.message, invalid.response, invalid.request) == (
        "not JSON", "not JSON", response, request
    )  # fmt: skip
    timeout = cxreports.WaitTimeoutError("not done after 5 s", last_status="InProgress")
    assert (str(timeout), timeout.last_status) == ("not done after 5 s", "InProgress")
    assert isinstance(timeout, TimeoutError)


def test_pickled_errors_keep_their_fields_and_drop_the_http_objects() -> None:
    request = httpx.Request("GET", "https://cx.example/api/v1/workspaces")
    response = httpx.Response(404, text="gone", request=request)
    status_error = cxreports.NotFoundError("gone", response=response, body={"error": "gone"})
    copy = pickle.loads(pickle.dumps(status_error))
    assert type(copy) is cxreports.NotFoundError
    assert str(copy) == str(status_error)
    assert (copy.message, copy.status_code, copy.body) == ("gone", 404, {"error": "gone"})
    assert copy.request is None and copy.response is None

    redirect = cxreports.APIRedirectError("loop", request=request, location="/x")
    copy_redirect = pickle.loads(pickle.dumps(redirect))
    assert (copy_redirect.args, copy_redirect.location, copy_redirect.request) == (
        ("loop",), "/x", None
    )  # fmt: skip

    status = ExportStatus(id=3, status="InProgress", is_ready=False)
    timeout = pickle.loads(pickle.dumps(cxreports.WaitTimeoutError("late", last_status=status)))
    assert type(timeout) is cxreports.WaitTimeoutError and isinstance(timeout, TimeoutError)
    assert (str(timeout), timeout.last_status) == ("late", status)
