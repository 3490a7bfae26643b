"""Exceptions raised by the cxreports client.

Every exception derives from :class:`CxReportsError`, itself a ``RuntimeError`` so that
code written for the official client's ``except RuntimeError`` keeps working. HTTP
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
    """Base class of every error this package raises."""


class ConfigurationError(CxReportsError):
    """The client is missing a base URL, token or workspace; raised before any request."""


class APIConnectionError(CxReportsError):
    """The request did not get an HTTP response (DNS, refused, reset, TLS...)."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""


class IncompleteDownloadError(APIConnectionError):
    """A file body ended before its ``Content-Length``; no partial file is left behind."""


class APIResponseValidationError(CxReportsError):
    """The server answered 2xx with a body that does not match the API description."""

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message)
        self.message = message
        self.response = response
        self.request = response.request


class APIStatusError(CxReportsError):
    """The server answered with an error status (4xx or 5xx).

    ``message`` is the server's own text, taken from ``{"error": ...}`` or from RFC 7807
    problem details; ``body`` is the decoded body; ``request`` and ``response`` are copies
    whose headers no longer hold the token.
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
    """The server reported an export (or review document) as Failed."""

    def __init__(self, status: ExportStatus) -> None:
        message = status.error_message or "the server gave no error message"
        super().__init__(f"export {status.id} failed: {message}")
        self.message = message
        self.status = status


class WaitTimeoutError(CxReportsError, TimeoutError):
    """``wait()`` gave up before the export or job run was done.

    ``last_status`` is the last status seen, so the caller can resume later.
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
    """The most specific :class:`APIStatusError` subclass for a status code."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)
