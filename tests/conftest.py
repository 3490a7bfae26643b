"""Suite-wide fixtures.

Date-sensitive tests run twice: once now and once under a clock moved years ahead.

A test once pushed temporary data that expired on "1 December 2026", a date that was in the
future when it was written. On 3 December 2026 ``make test`` went red on every fresh clone.
A test marked ``@pytest.mark.clock`` runs a second time with the wall clock (``time.time``,
``datetime.now``) moved ``CLOCK_SHIFT`` ahead by time-machine. A hard-coded date used as "the
future" or "recent" then fails today instead of on the day it expires. Monotonic clocks are
not moved, so timeouts and sleeps behave as usual. Mark every test whose outcome depends on
what today's date is: expiries, "in the past" checks, timestamps compared with now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

# Far enough ahead that a date meant as "a few days from now" when written has long passed.
CLOCK_SHIFT = dt.timedelta(days=5 * 365 + 17)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "clock: date-sensitive; runs twice, now and under a clock moved years ahead "
        "(tests/conftest.py says why)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("clock") is not None:
        metafunc.fixturenames.append("wall_clock")
        metafunc.parametrize(
            "wall_clock", ["now", "years-ahead"], indirect=True, ids=["now", "years-ahead"]
        )


@pytest.fixture
def wall_clock(request: pytest.FixtureRequest) -> Iterator[str]:
    """The wall clock as the test sees it; ``years-ahead`` moves it by ``CLOCK_SHIFT``."""
    if request.param == "now":
        yield request.param
        return
    import time_machine

    with time_machine.travel(dt.datetime.now(dt.UTC) + CLOCK_SHIFT, tick=True):
        yield request.param
