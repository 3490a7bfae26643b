"""Exceptions raised by the cxreports client.

Every exception derives from [`CxReportsError`][cxreports.CxReportsError], itself a
``RuntimeError`` so that code written for the official client's ``except RuntimeError``
keeps working. HTTP
failures carry the server's own message; none of them ever carries the token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from .models import ExportStatus

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "CxReportsError",
    "ExportFailedError",
    "IncompleteDownloadError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "WaitTimeoutError",
]


class CxReportsError(RuntimeError):
    """Base class of every error this package raises.

    A ``RuntimeError``, so code written for the official client's ``except RuntimeError``
    keeps working. No error ever carries the token.
    """


class ConfigurationError(CxReportsError):
    """The client is missing a base URL, token or workspace; raised before any request."""


class APIConnectionError(CxReportsError):
    """The request did not get an HTTP response (DNS, refused, reset, TLS...).

    Raised after the retries that apply; the text names the method, host and path.

    Args:
        message: What failed, and where.
        request: The request, with the token removed from its headers.

    Attributes:
        message: What failed, and where.
        request: The request, with the token removed from its headers, if one was built.
    """

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""


class IncompleteDownloadError(APIConnectionError):
    """A file body ended before its ``Content-Length``; no partial file is left behind."""


class APIResponseValidationError(CxReportsError):
    """The server answered 2xx with a body that does not match the API description.

    Typically HTML from a proxy or a login page where JSON was due, or JSON of another shape.

    Args:
        message: What did not match, and where.
        response: The response, whose request holds no token.

    Attributes:
        message: What did not match, and where.
        response: The response.
        request: Its request, with the token removed from its headers.
    """

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message)
        self.message = message
        self.response = response
        self.request = response.request


class APIStatusError(CxReportsError):
    """The server answered with an error status (4xx or 5xx).

    Catch a subclass for one status (``NotFoundError``...) or this class for all. The text
    reads ``404 Not Found: <the server's message> (GET /api/v1/...)``.

    Args:
        message: The server's own message.
        response: The error response, whose request holds no token.
        body: The decoded body (JSON, else text).

    Attributes:
        message: The server's own text, taken from ``{"error": ...}`` or from RFC 7807
            problem details.
        status_code: The HTTP status.
        body: The decoded body.
        response: The response, as a copy whose headers no longer hold the token.
        request: Its request, likewise without the token.
    """

    status_code: int

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        request = response.request
        super().__init__(
            f"{response.status_code} {response.reason_phrase or ''}".rstrip()
            + f": {message} ({request.method} {request.url.path})"
        )
        self.message = message
        self.status_code = response.status_code
        self.body = body
        self.response = response
        self.request = request


class BadRequestError(APIStatusError):
    """400: the request is invalid, e.g. a file not ready for download."""


class AuthenticationError(APIStatusError):
    """401: missing or invalid token."""


class PermissionDeniedError(APIStatusError):
    """403: the token has no access to this resource."""


class NotFoundError(APIStatusError):
    """404: unknown, expired or deleted."""


class ConflictError(APIStatusError):
    """409: the resource is not in a state that allows this request."""


class RateLimitError(APIStatusError):
    """429: too many requests."""


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


class ExportFailedError(CxReportsError):
    """The server reported an export (or review document) as Failed.

    Raised by ``wait()``.

    Args:
        status: The export's last status, as the server sent it.

    Attributes:
        message: The server's ``errorMessage``.
        status: The export's last status.
    """

    def __init__(self, status: ExportStatus) -> None:
        message = status.error_message or "the server gave no error message"
        super().__init__(f"export {status.id} failed: {message}")
        self.message = message
        self.status = status


class WaitTimeoutError(CxReportsError, TimeoutError):
    """``wait()`` gave up before the export or job run was done.

    Also a ``TimeoutError``. The export or job run goes on on the server: keep its id and
    resume with ``client.get_export(id)`` or ``client.get_job_run(job, id)``.

    Args:
        message: How long it waited, for what.
        last_status: The last status seen, or None if none arrived.

    Attributes:
        last_status: The last ``ExportStatus`` or ``JobRunStatus`` seen, or None.
    """

    def __init__(self, message: str, *, last_status: Any = None) -> None:
        super().__init__(message)
        self.last_status = last_status


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The most specific ``APIStatusError`` subclass for a status code.

    Args:
        status_code: An HTTP error status.

    Returns:
        The class for that status; ``APIStatusError`` for one without its own class.
    """
    if status_code >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)
