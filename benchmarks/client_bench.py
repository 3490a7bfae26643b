"""The client's own costs, as ratios to baselines measured in the same run.

- **Per-call overhead**: ``client.workspaces()`` (request building from the generated
  package, retries bookkeeping, parsing into frozen results) next to the same GET made with a
  bare keep-alive ``httpx.Client`` and ``response.json()``.
- **Streaming memory**: the peak Python memory of ``export_to_file`` for a ~28 MB document,
  next to ``export()`` holding the same document in memory. Streaming should stay near its
  64 KiB chunk size whatever the document size.

The local server runs in a child process so neither its CPU nor its allocations are counted.
No assertions: print and compare.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

import cxreports

TOKEN = "bench-token"


@contextmanager
def server_process() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cxreports.testing", "--port", "0", "--token", TOKEN],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        yield first.rsplit(" ", 1)[-1].strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def best_of(runs: int, fn: Callable[[], None]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def peak_memory(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rows", type=int, default=150_000, help="size of the big document")
    args = parser.parse_args()

    with server_process() as url, cxreports.Client(url, TOKEN, "sales") as client:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=url, headers=headers) as raw:

            def bare() -> None:
                for _ in range(args.calls):
                    raw.get("/api/v1/workspaces").json()

            def ours() -> None:
                for _ in range(args.calls):
                    client.workspaces()

            bare()  # warm both pools
            ours()
            base, mine = best_of(3, bare), best_of(3, ours)
        print(f"per call, {args.calls} calls, best of 3:")
        print(f"  bare httpx GET + json   {base / args.calls * 1e6:8.0f} µs   1.00")
        print(f"  client.workspaces()     {mine / args.calls * 1e6:8.0f} µs   {mine / base:.2f}")

        async def gathered(call: Callable[[], Awaitable[object]]) -> None:
            limit = asyncio.Semaphore(8)

            async def one() -> None:
                async with limit:
                    await call()

            await asyncio.gather(*(one() for _ in range(args.calls)))

        async def async_pair() -> tuple[float, float]:
            async with (
                httpx.AsyncClient(base_url=url, headers=headers) as raw_async,
                cxreports.AsyncClient(url, TOKEN, "sales") as aclient,
            ):

                async def bare_call() -> object:
                    return (await raw_async.get("/api/v1/workspaces")).json()

                results = []
                for call in (bare_call, aclient.workspaces):
                    await gathered(call)  # warm the pool
                    started = time.perf_counter()
                    await gathered(call)
                    results.append(time.perf_counter() - started)
                return results[0], results[1]

        abase, amine = asyncio.run(async_pair())
        print(f"asyncio, {args.calls} calls, 8 at a time:")
        print(f"  bare httpx.AsyncClient  {abase / args.calls * 1e6:8.0f} µs   1.00")
        print(f"  AsyncClient.workspaces  {amine / args.calls * 1e6:8.0f} µs   {amine / abase:.2f}")

        rows = [{"i": i, "name": f"item {i}", "pad": "x" * 60} for i in range(args.rows)]
        temp = client.push_temporary_data({"rows": rows})
        del rows
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "big.html"
            in_memory = peak_memory(lambda: client.export("invoice", format="html", temp_data=temp))
            streamed = peak_memory(
                lambda: client.export_to_file("invoice", target, format="html", temp_data=temp)
            )
            size = target.stat().st_size
        print(f"peak Python memory for a {size / 1e6:.1f} MB document:")
        print(f"  export() in memory      {in_memory / 1e6:8.1f} MB   1.00")
        print(f"  export_to_file()        {streamed / 1e6:8.1f} MB   {streamed / in_memory:.3f}")
        print(f"  (streamed peak / document size: {streamed / size:.4f})")


if __name__ == "__main__":
    main()
