"""pytest plugin (entry point ``cxreports``): the `cxreports_server` fixture.

Nothing heavy is imported here, so installing cxreports never breaks a pytest run; a test
that uses the fixture without the ``testing`` extra errors with one line naming the extra. Options go through a
marker::

    @pytest.mark.cxreports_server(render_delay=0.2, faults="list_workspaces:503x1")
    def test_retry(cxreports_server): ...
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "cxreports_server(**options): options for the cxreports_server fixture "
        "(the keyword arguments of cxreports.testing.serve)",
    )


@pytest.fixture
def cxreports_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh local CxReports server for one test; yields a `cxreports.testing.LocalServer`."""
    missing = [m for m in ("starlette", "uvicorn", "fpdf") if importlib.util.find_spec(m) is None]
    if missing:
        # An error, not a skip: a skipped test is easy to miss, and this one cannot run
        # until the extra is installed.
        pytest.fail(
            f"cxreports_server needs the testing extra: pip install 'cxreports[testing]' "
            f"({', '.join(missing)} missing)",
            pytrace=False,
        )
    from cxreports.testing import serve

    marker = request.node.get_closest_marker("cxreports_server")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    with serve(**options) as server:
        yield server
