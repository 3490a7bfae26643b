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
    "APIRedirectError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "CxReportsError",
    "ExportFailedError",
    "IncompleteDownloadError",
    "InternalServerError",
    "NotFoundError",
    "PagingError",
    "PermissionDeniedError",
    "RateLimitError",
    "WaitTimeoutError",
]


def describe(request: httpx.Request) -> str:
    """``METHOD scheme://host[:port]/path`` of a request: what an error names, never the
    query (it may carry a nonce) or any header."""
    url = request.url
    return f"{request.method} {url.scheme}://{url.netloc.decode('ascii', 'replace')}{url.path}"


def _rebuild(cls: type[CxReportsError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    # WaitTimeoutError is also a TimeoutError, whose C layout (OSError's) needs its own __new__.
    new = OSError.__new__ if issubclass(cls, OSError) else Exception.__new__
    error = new(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class CxReportsError(RuntimeError):
    """Base class of every error this package raises.

    A ``RuntimeError``, so code written for the official client's ``except RuntimeError``
    keeps working. No error ever carries the token.
    """

    # Pickled with their message and plain fields (status, body, last status...), so they
    # cross process pools, multiprocessing and task queues. The httpx request and response
    # hold open streams and a transport: they are dropped (None after unpickling).
    def __reduce__(self) -> tuple[Any, ...]:
        state = {
            key: None if key in ("request", "response") else value
            for key, value in self.__dict__.items()
        }
        return _rebuild, (type(self), self.args, state)


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


class ClientClosedError(CxReportsError):
    """The client was used after ``close()`` (or after its ``with`` block ended)."""


class APIRedirectError(CxReportsError):
    """A redirect that cannot be followed safely: a loop or too many hops, or a
    301/302/303 that would turn a request with a body into a body-less GET.

    Args:
        message: What was refused, and where.
        request: The request redirected, with the token removed from its headers.
        location: Where the server pointed (its ``Location`` header).

    Attributes:
        message: What was refused, and where.
        request: The request redirected, with the token removed from its headers.
        location: Where the server pointed.
    """

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, location: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.location = location


class PagingError(CxReportsError):
    """A paged listing did not end within the page limit (a server that pages in circles)."""


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
        self.request: httpx.Request | None = response.request


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
            + f": {message} ({describe(request)})"
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
