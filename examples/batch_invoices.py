"""Export 200 invoices concurrently with ``AsyncClient``, and report the throughput.

The pattern for any bulk export: one coroutine per document, an ``asyncio.Semaphore``
to bound how many requests are in flight, and per-document error handling so that one
failure does not stop the rest. Configured like ``quickstart.py``: CXREPORTS_URL,
CXREPORTS_TOKEN and CXREPORTS_WORKSPACE, or a local server when CXREPORTS_URL is unset.
Files land in ``./out/invoices/``.

For the same from a shell, resumable, see ``cxreports export-batch``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import cxreports

OUT = Path("out") / "invoices"
COUNT = 200
CONCURRENCY = 8  # requests in flight at once: be kind to the server


async def export_all(client: cxreports.AsyncClient) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    limit = asyncio.Semaphore(CONCURRENCY)
    failed: list[str] = []

    async def export_one(number: int) -> None:
        async with limit:
            try:
                await client.export_to_file(
                    "invoice",
                    OUT / f"INV-{number:04d}.pdf",
                    params={"invoiceNumber": f"INV-{number:04d}"},
                    data={"customer": f"Customer {number}", "total": number * 10},
                )
            except cxreports.CxReportsError as exc:  # the server's message, never the token
                failed.append(f"INV-{number:04d}: {exc}")

    started = time.monotonic()
    await asyncio.gather(*(export_one(n) for n in range(1, COUNT + 1)))
    elapsed = time.monotonic() - started

    done = COUNT - len(failed)
    size = sum(p.stat().st_size for p in OUT.glob("INV-*.pdf"))
    print(
        f"{done} invoices ({size / 1e6:.1f} MB) in {elapsed:.1f} s: "
        f"{done / elapsed:.0f} per second, {CONCURRENCY} at a time; {len(failed)} failed"
    )
    for line in failed:
        print("  failed:", line)


@contextlib.asynccontextmanager
async def connect() -> AsyncIterator[cxreports.AsyncClient]:
    """Your server when CXREPORTS_URL is set, else a local one started for this run."""
    if os.environ.get("CXREPORTS_URL"):
        async with cxreports.AsyncClient() as client:
            yield client
        return
    from cxreports.testing import serve

    with serve() as server:
        async with cxreports.AsyncClient(server.url, server.token, server.workspace) as client:
            yield client


async def main() -> None:
    async with connect() as client:
        await export_all(client)


if __name__ == "__main__":
    asyncio.run(main())
