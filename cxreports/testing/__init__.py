"""A local CxReports v1 server for tests, demos and recordings, as moto is for AWS.

``with cxreports.testing.serve() as server:`` runs it on a free loopback port and gives
`server.url`, `server.token` and `server.workspace`; ``python -m cxreports.testing`` runs it in
the foreground. Needs the ``testing`` extra (starlette, uvicorn and the document libraries),
which is imported only when a server is created, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cxreports.testing.faults import FaultRule, FaultSpec
from cxreports.testing.server import LocalServer, serve

if TYPE_CHECKING:
    from cxreports.testing.app import CxReportsApp, RequestRecord, create_app

__all__ = [
    "CxReportsApp",
    "FaultRule",
    "FaultSpec",
    "LocalServer",
    "RequestRecord",
    "create_app",
    "serve",
]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "CxReportsApp", "RequestRecord"):
        from cxreports.testing import app

        return getattr(app, name)
    raise AttributeError(f"module 'cxreports.testing' has no attribute {name!r}")
