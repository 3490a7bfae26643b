"""How cxreports errors become Airflow task outcomes.

A request that cannot succeed as sent (a 4xx, bad input, a render the server reports as
failed) fails the task at once with ``AirflowFailException``: retrying would only repeat it.
Everything else (5xx, 408, 429, network failures, a wait that ran out of time) propagates as
an ordinary exception, so the task's own ``retries`` act.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from airflow.sdk.exceptions import AirflowException, AirflowFailException

from cxreports.errors import (
    APIStatusError,
    ConfigurationError,
    CxReportsError,
    ExportFailedError,
)

__all__ = ["error_event", "mapped_errors", "raise_event_error"]

# Statuses below 500 that say "try again later" rather than "this request is wrong".
TRANSIENT_4XX = frozenset({408, 425, 429})
# Bad input the client or the file layer rejects before anything is sent.
INPUT_ERRORS = (ValueError, TypeError, FileNotFoundError, NotADirectoryError)


def is_permanent(exc: BaseException) -> bool:
    """Whether retrying the task could not help."""
    if isinstance(exc, APIStatusError):
        return exc.status_code < 500 and exc.status_code not in TRANSIENT_4XX
    return isinstance(exc, (ConfigurationError, ExportFailedError, *INPUT_ERRORS))


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


@contextmanager
def mapped_errors() -> Iterator[None]:
    """Turn permanent failures into ``AirflowFailException``; let the rest propagate."""
    try:
        yield
    except (CxReportsError, *INPUT_ERRORS) as exc:
        if is_permanent(exc):
            raise AirflowFailException(_describe(exc)) from exc
        raise


def error_event(exc: Exception) -> dict[str, Any]:
    """A trigger's failure as a serialisable event payload (messages never hold the token)."""
    return {
        "status": "error",
        "error": type(exc).__name__,
        "status_code": getattr(exc, "status_code", None),
        "permanent": is_permanent(exc),
        "message": _describe(exc),
    }


def raise_event_error(event: dict[str, Any]) -> NoReturn:
    """Raise what :func:`error_event` described, on the worker that resumes the task."""
    if event.get("permanent"):
        raise AirflowFailException(event["message"])
    raise AirflowException(event["message"])
