"""How fast is the local CxReports server, next to baselines measured in the same run?

    .venv/bin/python benchmarks/server_bench.py [--requests N] [--renders N]

The server must never be what a client benchmark measures. This prints requests per second
on list endpoints through one keep-alive httpx client, next to a hello-world ASGI route served
by the same uvicorn setup (same LocalServer socket and uvicorn config), and the time to render
the 5-page Invoice PDF, next to writing the same bytes to a file. Ratios make the numbers
comparable across machines. Bounded counts; no assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

import httpx

from cxreports.testing import LocalServer, serve
from cxreports.testing.render import PageSpec, RenderRequest, render_pdf

HELLO = json.dumps([{"id": 1, "name": "Sales", "description": None, "code": "sales"}]).encode()


async def hello_app(
    scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]
) -> None:
    """The baseline: the smallest ASGI app answering a JSON body of a similar size."""
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(HELLO)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": HELLO})


def rps(client: httpx.Client, path: str | Callable[[int], str], count: int) -> float:
    """Requests per second; `path` may vary per request (to defeat the render cache)."""
    url = path if callable(path) else (lambda n: path)
    for n in range(min(50, count)):  # warm up the connection and caches
        client.get(url(-n - 1)).raise_for_status()
    start = time.perf_counter()
    for n in range(count):
        client.get(url(n)).raise_for_status()
    return count / (time.perf_counter() - start)


def median_seconds(action: Callable[[], Any], count: int) -> float:
    action()
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--renders", type=int, default=50, help="PDF renders to time")
    args = parser.parse_args()

    baseline = LocalServer()
    baseline.app = hello_app  # type: ignore[assignment]  # same socket/uvicorn setup, trivial app
    with baseline, httpx.Client(base_url=baseline.url) as client:
        hello_rps = rps(client, "/", args.requests)

    rows: list[tuple[str, float]] = []
    with (
        serve() as server,
        httpx.Client(
            base_url=server.api_url, headers={"Authorization": f"Bearer {server.token}"}
        ) as client,
    ):
        for label, path in [
            ("list_workspaces", "/workspaces"),
            ("list_themes", "/ws/sales/themes"),
            ("list_reports sales (6)", "/ws/sales/reports"),
            ("list_reports operations (130)", "/ws/operations/reports"),
            ("list_reports page of 25", "/ws/operations/reports?limit=25&offset=50"),
        ]:
            rows.append((label, rps(client, path, args.requests)))
        pdf_rps = rps(client, "/ws/sales/reports/invoice/pdf", max(args.requests // 4, 20))
        fresh_rps = rps(
            client,
            lambda n: f"/ws/sales/reports/invoice/pdf?params=%7B%22n%22:{n}%7D",
            max(args.requests // 10, 20),
        )

    print(f"uvicorn h11, one keep-alive httpx client, {args.requests} requests per endpoint")
    print(f"{'endpoint':34} {'req/s':>9} {'vs hello-world':>15}")
    print(f"{'hello-world ASGI (baseline)':34} {hello_rps:9.0f} {1.0:15.2f}")
    for label, value in rows:
        print(f"{label:34} {value:9.0f} {value / hello_rps:15.2f}")
    print(f"{'GET invoice/pdf (5 pages, cached)':34} {pdf_rps:9.0f} {pdf_rps / hello_rps:15.2f}")
    print(
        f"{'GET invoice/pdf (5 pages, rendered)':34} {fresh_rps:9.0f} {fresh_rps / hello_rps:15.2f}"
    )

    req = RenderRequest(
        report_name="Invoice",
        theme="Corporate",
        template="Letterhead",
        params={"title": "Q1 invoice"},
        data={"invoiceNumber": "12345", "items": [{"description": "Widget", "quantity": 10}] * 20},
        lang="en",
        timezone="UTC",
        pages=[PageSpec(1000 + i, f"Page {i}", "page") for i in range(5)],
    )
    content = render_pdf(req)
    render_s = median_seconds(lambda: render_pdf(req), args.renders)
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "invoice.pdf")

        def write() -> None:
            with open(target, "wb") as fh:
                fh.write(content)

        write_s = median_seconds(write, args.renders)
    print()
    print(f"5-page PDF ({len(content)} bytes), median of {args.renders}")
    print(f"{'render_pdf':34} {render_s * 1000:8.2f} ms")
    print(f"{'write the same bytes (baseline)':34} {write_s * 1000:8.2f} ms")
    print(f"{'ratio':34} {render_s / write_s:8.0f} x")


if __name__ == "__main__":
    main()
