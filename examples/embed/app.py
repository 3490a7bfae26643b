"""Embed a CxReports report preview in your own web page, without exposing the API token.

The nonce flow ("Iframe Authentication" in the API reference):

1. Server side, for every page view, ``client.preview_url(...)`` asks CxReports for a
   single-use nonce (``POST /api/v1/nonce-tokens``, authenticated with the token) and
   builds the preview URL with ``?nonce=...``.
2. The page puts that URL in an ``<iframe>``. The token never reaches the browser.
3. CxReports exchanges the nonce for a session cookie on the iframe's first request; the
   same URL cannot be used again.

Run it (needs ``cxreports[testing]`` for Starlette and uvicorn)::

    python examples/embed/app.py        # then open http://127.0.0.1:8000/?invoice=INV-1001

It uses CXREPORTS_URL/TOKEN/WORKSPACE when set, and otherwise a local CxReports server.
"""

from __future__ import annotations

import contextlib
import html
import os
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

import cxreports

REPORT = "invoice"  # a report type code (its default report) or a report id

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Invoice {number}</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 2rem; background: #f4f5f7; }}
  iframe {{ width: 100%; height: 70vh; border: 1px solid #ccd; background: white; }}
</style>
</head>
<body>
<h1>Invoice {number}</h1>
<p>Rendered by CxReports, embedded with a single-use nonce.</p>
<iframe id="report" title="Invoice {number}" src="{src}"></iframe>
</body>
</html>
"""


def create_app(base_url: str | None = None, token: str | None = None,
               workspace: str | None = None) -> Starlette:  # fmt: skip
    """The web app; arguments default to CXREPORTS_URL, CXREPORTS_TOKEN, CXREPORTS_WORKSPACE."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # One client (one connection pool) for the app's lifetime.
        async with cxreports.AsyncClient(base_url, token, workspace) as client:
            app.state.client = client
            yield

    async def invoice(request: Request) -> HTMLResponse:
        number = request.query_params.get("invoice", "INV-1001")
        client: cxreports.AsyncClient = request.app.state.client
        # A fresh nonce per page view: the URL works once, so the page must not be cached.
        src = await client.preview_url(
            REPORT,
            params={"invoiceNumber": number},
            data={"customer": "Acme Corporation", "total": 1250.0},
            hide_print_button=True,
        )
        page = PAGE.format(number=html.escape(number), src=html.escape(src, quote=True))
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    return Starlette(routes=[Route("/", invoice)], lifespan=lifespan)


if __name__ == "__main__":
    import uvicorn

    with contextlib.ExitStack() as stack:
        if os.environ.get("CXREPORTS_URL"):
            app = create_app()
        else:
            from cxreports.testing import serve

            server = stack.enter_context(serve())
            app = create_app(server.url, server.token, server.workspace)
        print("Open http://127.0.0.1:8000/?invoice=INV-1001")
        uvicorn.run(app, host="127.0.0.1", port=8000)
