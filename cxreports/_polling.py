"""Multi-step operations written once, as generators, and driven by the sync or async shell.

A flow yields a :class:`~cxreports._base_client.Call` (the shell sends it and sends back
the parsed result) or a :class:`Sleep` (the shell sleeps), and finally returns its value.
Polling and paging therefore exist once, free of I/O, and tests can drive them with a
fake clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any, TypeVar

import attrs

from .errors import WaitTimeoutError

T = TypeVar("T")
S = TypeVar("S")

# Between status calls, wait a tenth of the time already waited: the file is then fetched at
# most 10 % after it became ready. The floor bounds the rate of calls for quick exports; the
# cap, the rate for long ones (past 50 s the wait is 5 s, still under 10 %).
POLL_RATIO = 0.1
MIN_POLL = 0.01
MAX_POLL = 5.0


@attrs.frozen
class Sleep:
    seconds: float


Flow = Generator[Any, Any, T]


def poll_delay(waited: float) -> float:
    """The pause before the next status call, ``waited`` seconds after polling started.

    10 % of ``waited``, between 10 ms and 5 s. A status call at time t that finds the
    export unfinished is followed by one at t + 0.1 t, so an export ready at T is seen by
    1.1 T (plus a round trip): the delay after ready stays under 10 % of the export's time
    for exports of 0.1 s and more, and under 10 ms for quicker ones. The price is the
    number of calls, which grows with the logarithm of the time: about 18 status calls
    for a 0.2 s export, 42 for 2 s, 66 for 20 s, then 12 a minute.
    """
    return min(max(POLL_RATIO * waited, MIN_POLL), MAX_POLL)


def poll(
    fetch: Callable[[], Any],
    done: Callable[[S], bool],
    *,
    timeout: float | None,
    what: str,
    on_status: Callable[[S], object] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Flow[S]:
    """Fetch a status until ``done`` says so, waiting :func:`poll_delay` between fetches.

    ``done`` may raise (an export that failed); ``timeout`` bounds the whole wait and
    raises :class:`WaitTimeoutError` carrying the last status seen; None waits without limit.
    """
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0
    ):
        raise ValueError(f"timeout must be positive, got {timeout!r} (or None: no limit)")
    started = clock()
    deadline = None if timeout is None else started + timeout
    while True:
        status: S = yield fetch()
        if on_status is not None:
            on_status(status)
        if done(status):
            return status
        now = clock()
        delay = poll_delay(now - started)
        if deadline is not None:
            remaining = deadline - now
            if remaining <= 0:
                raise WaitTimeoutError(
                    f"{what} was not done after {timeout:g} s", last_status=status
                )
            delay = min(delay, remaining)
        yield Sleep(delay)


def single(call: Any) -> Flow[Any]:
    """A flow of one call, for symmetry with multi-step flows."""
    return (yield call)
