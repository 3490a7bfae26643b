"""pytest plugin (entry point ``cxreports``): the `cxreports_server` fixture.

Nothing heavy is imported here, and the fixture skips the test when the ``testing`` extra is
not installed, so installing cxreports never breaks a pytest run. Options go through a
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
        pytest.skip(
            f"cxreports_server needs the cxreports[testing] extra ({', '.join(missing)} missing)"
        )
    from cxreports.testing import serve

    marker = request.node.get_closest_marker("cxreports_server")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    with serve(**options) as server:
        yield server
