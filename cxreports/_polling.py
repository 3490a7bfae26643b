"""Multi-step operations written once, as generators, and driven by the sync or async shell.

A flow yields a :class:`~cxreports._base_client.Call` (the shell sends it and sends back
the parsed result) or a :class:`Sleep` (the shell sleeps), and finally returns its value.
Polling and paging therefore exist once, free of I/O, and tests can drive them with a
fake clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Hashable
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
# Learning render times (RenderTimes): the weight of the newest render in the running mean
# and mean deviation, how many mean deviations before the expected finish the first status
# call goes, and the least spread trusted (a tenth of the mean: a batch's first wave ends
# together and agrees with itself). Chosen by simulating batches of 2 s +- 20 % renders:
# ~3.5 status calls an export instead of ~40, a median delay of ~5 %, and recovery within
# two exports after a report becomes four times faster.
LEARN_WEIGHT = 0.25
SPREAD_MARGIN = 1.5
MIN_SPREAD = 0.1
# The clock of polls and export starts; an indirection so tests can drive a fake one.
monotonic = time.monotonic


@attrs.frozen
class Sleep:
    seconds: float


Flow = Generator[Any, Any, T]


@attrs.define
class _Learned:
    mean: float
    deviation: float
    early: bool = False  # the last export was already ready at its first status call


class RenderTimes:
    """How long exports of each report and format have taken in this client, so that a
    batch of them is not polled from the start: the first status call goes shortly before
    the expected finish, and the 10 % schedule of :func:`poll_delay` takes over from there.

    Like TCP's round-trip estimate: a running mean of the render time and of its deviation
    from that mean. The first export of a key is polled as if nothing were known.
    """

    def __init__(self) -> None:
        self._learned: dict[Hashable, _Learned] = {}

    def first_poll_at(self, key: Hashable) -> float:
        """Seconds after an export of ``key`` started at which to ask for its status first."""
        learned = self._learned.get(key)
        if learned is None:
            return 0.0
        # A batch's first wave finishes together and agrees with itself; never trust the
        # spread to be under MIN_SPREAD of the mean.
        deviation = max(learned.deviation, MIN_SPREAD * learned.mean)
        return max(learned.mean - SPREAD_MARGIN * deviation, 0.0)

    def observe(
        self, key: Hashable, ready_at: float, not_ready_at: float | None, skipped: bool
    ) -> None:
        """An export of ``key`` was seen ready ``ready_at`` seconds after it started; the
        status call before, if any, at ``not_ready_at`` found it unfinished. ``skipped``:
        its first status call was put off to what earlier renders took."""
        learned = self._learned.get(key)
        if learned is not None and not_ready_at is None and skipped:
            # Ready at the first call: it may have waited. Twice running, the estimate is
            # stale (the report got faster): forget it, and poll the next one from the start.
            if learned.early:
                del self._learned[key]
                return
            learned.early = True
            seen = 0.9 * ready_at
        else:
            seen = ready_at if not_ready_at is None else (ready_at + not_ready_at) / 2
        if learned is None:
            self._learned[key] = _Learned(mean=seen, deviation=seen / 2)
            return
        if not_ready_at is not None:
            learned.early = False
        learned.deviation += LEARN_WEIGHT * (abs(seen - learned.mean) - learned.deviation)
        learned.mean += LEARN_WEIGHT * (seen - learned.mean)


def poll_delay(waited: float) -> float:
    """The pause before the next status call, ``waited`` seconds after the work started.

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
    clock: Callable[[], float] | None = None,
    started: float | None = None,
    learn: tuple[RenderTimes, Hashable] | None = None,
) -> Flow[S]:
    """Fetch a status until ``done`` says so, waiting :func:`poll_delay` between fetches.

    ``done`` may raise (an export that failed); ``timeout`` bounds the whole wait and
    raises :class:`WaitTimeoutError` carrying the last status seen; None waits without limit.
    ``started`` is when the work began on the ``clock`` (:data:`monotonic`; default: now);
    the schedule counts from it. With ``learn``, the first fetch waits for what earlier
    renders of the key took, and this one's time is recorded.
    """
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0
    ):
        raise ValueError(f"timeout must be positive, got {timeout!r} (or None: no limit)")
    clock = clock or monotonic
    now = clock()
    started = now if started is None else min(started, now)
    deadline = None if timeout is None else now + timeout
    first_at = 0.0 if learn is None else learn[0].first_poll_at(learn[1])
    skipped = first_at > now - started  # wait() called later than that polls at once
    prompt = now - started <= MIN_POLL
    if skipped:
        pause = first_at - (now - started)
        yield Sleep(pause if timeout is None else min(pause, timeout))
    not_ready_at: float | None = None
    while True:
        asked_at = clock() - started
        status: S = yield fetch()
        if on_status is not None:
            on_status(status)
        if done(status):
            # Ready at a first call made late (wait() called long after the start) says
            # only that the render took less than that: nothing to learn.
            if learn is not None and (not_ready_at is not None or skipped or prompt):
                learn[0].observe(learn[1], asked_at, not_ready_at, skipped)
            return status
        not_ready_at = asked_at
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
