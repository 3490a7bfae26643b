"""Multi-step operations written once, as generators, and driven by the sync or async shell.

A flow yields a :class:`~cxreports._base_client.Call` (the shell sends it and sends back
the parsed result) or a :class:`Sleep` (the shell sleeps), and finally returns its value.
Polling and paging therefore exist once, free of I/O, and tests can drive them with a
fake clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from typing import Any, TypeVar

import attrs

from .errors import WaitTimeoutError

T = TypeVar("T")
S = TypeVar("S")

FIRST_POLL = 0.25
MAX_POLL = 5.0


@attrs.frozen
class Sleep:
    seconds: float


Flow = Generator[Any, Any, T]


def poll_delays(first: float = FIRST_POLL, cap: float = MAX_POLL) -> Iterator[float]:
    """0.25, 0.5, 1, 2, 4, 5, 5, ...: a quick export is seen within a fraction of a
    second, and a 60-second one costs about 16 status calls."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


def poll(
    fetch: Callable[[], Any],
    done: Callable[[S], bool],
    *,
    timeout: float,
    what: str,
    on_status: Callable[[S], object] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Flow[S]:
    """Fetch a status until ``done`` says so, backing off between fetches.

    ``done`` may raise (an export that failed); ``timeout`` bounds the whole wait and
    raises :class:`WaitTimeoutError` carrying the last status seen.
    """
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    deadline = clock() + timeout
    delays = poll_delays()
    while True:
        status: S = yield fetch()
        if on_status is not None:
            on_status(status)
        if done(status):
            return status
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimeoutError(f"{what} was not done after {timeout:g} s", last_status=status)
        yield Sleep(min(next(delays), remaining))


def single(call: Any) -> Flow[Any]:
    """A flow of one call, for symmetry with multi-step flows."""
    return (yield call)
