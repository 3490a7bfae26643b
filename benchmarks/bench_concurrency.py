"""The runners of comparison 3 (concurrency): the same exports through each client.

Each runner does ``count`` exports of the one-page report, ``concurrency`` at a time, each
saved as ``export_to_file`` saves it (temporary file, fsync, rename; the fsync in a worker
thread), after one untimed export that connects and fills the render cache. It returns the
rate and the client's CPU time per export (``time.process_time``, every thread of this
process; the server runs in another). CPU time is what a shared 2-core machine measures
reliably: wall time moves with the other tenants' load, CPU time much less.

- ``bare_aiohttp``: an ``aiohttp.ClientSession``: the fastest client there is (the ideal);
- ``bare_httpx``: a bare ``httpx.AsyncClient`` on httpcore, or on ``httpx_aiohttp``'s
  transport;
- ``ours``: ``cxreports.AsyncClient.export_to_file`` (or start_export/wait/save) on either;
- ``cli``: ``cxreports export-batch`` in its own process, less a one-export run (its rate
  covers building the client, and its CPU time the whole process).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

import cxreports

TOKEN = "bench-token"
WS = "sales"
ONE_PAGE = 190


@dataclass
class Measured:
    rate: float  # exports per second
    cpu: float  # client CPU seconds per export


def save_atomically(path: Path, content: bytes) -> None:
    """What export_to_file does with a body: temporary file, fsync, rename."""
    tmp = path.with_name(f".{path.name}.part")
    with open(tmp, "wb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


async def _timed(count: int, concurrency: int, one: Callable[[int], Awaitable[None]]) -> Measured:
    limit = asyncio.Semaphore(concurrency)

    async def limited(n: int) -> None:
        async with limit:
            await one(n)

    await one(-1)  # connect, fill the render cache
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(limited(n) for n in range(count)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Measured(count / wall, cpu / count)


def _query(render: float) -> dict[str, str]:
    return {"format": "pdf", "params": json.dumps({"simulateRenderSeconds": render})}


async def bare_aiohttp(
    url: str, count: int, concurrency: int, render: float, write: bool = True
) -> Measured:
    """GET and save through a bare aiohttp session (``write=False``: read the body only)."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    target = f"{url}/api/v1/ws/{WS}/reports/{ONE_PAGE}/pdf"
    with tempfile.TemporaryDirectory() as tmp:
        async with aiohttp.ClientSession(headers=headers) as session:

            async def one(n: int) -> None:
                async with session.get(target, params=_query(render)) as response:
                    response.raise_for_status()
                    content = await response.read()
                if write:
                    await asyncio.to_thread(save_atomically, Path(tmp) / f"{n}.pdf", content)

            return await _timed(count, concurrency, one)


async def bare_httpx(url: str, count: int, concurrency: int, render: float, on: str) -> Measured:
    """The same through a bare ``httpx.AsyncClient``, on httpcore or on aiohttp."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    transport = AiohttpTransport() if on == "aiohttp" else None
    with tempfile.TemporaryDirectory() as tmp:
        async with httpx.AsyncClient(
            base_url=f"{url}/api/v1/ws/{WS}", headers=headers, timeout=120, transport=transport
        ) as http:

            async def one(n: int) -> None:
                response = await http.get(f"/reports/{ONE_PAGE}/pdf", params=_query(render))
                response.raise_for_status()
                await asyncio.to_thread(save_atomically, Path(tmp) / f"{n}.pdf", response.content)

            return await _timed(count, concurrency, one)


async def ours(
    url: str, count: int, concurrency: int, render: float, on: str, flow: str = "sync"
) -> Measured:
    """``AsyncClient.export_to_file`` (flow "sync", what export-batch does) or
    ``start_export`` + ``wait`` + ``save`` (flow "async") on the given transport."""
    params = {"simulateRenderSeconds": render}
    with tempfile.TemporaryDirectory() as tmp:
        async with cxreports.AsyncClient(url, TOKEN, WS, timeout=120, transport=on) as client:  # type: ignore[arg-type]

            async def one(n: int) -> None:
                target = Path(tmp) / f"{n}.pdf"
                if flow == "sync":
                    await client.export_to_file(ONE_PAGE, target, params=params)
                else:
                    export = await client.start_export(ONE_PAGE, params=params)
                    await (await export.wait()).save(target)

            return await _timed(count, concurrency, one)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _export_batch(url: str, count: int, concurrency: int, render: float) -> tuple[float, float]:
    """(rate it printed, CPU seconds of the whole process) of one ``cxreports export-batch``."""
    cli = Path(sys.executable).with_name("cxreports")
    with tempfile.TemporaryDirectory() as tmp:
        manifest = Path(tmp) / "manifest.jsonl"
        line = {"report": ONE_PAGE, "params": {"simulateRenderSeconds": render}}
        manifest.write_text(
            "".join(json.dumps({**line, "output": f"{n}.pdf"}) + "\n" for n in range(count)),
            encoding="utf-8",
        )
        env = {**os.environ, "CXREPORTS_TOKEN": TOKEN}
        cpu = _children_cpu()
        out = subprocess.run(
            [str(cli), "--url", url, "-w", WS, "export-batch", str(manifest),
             "--out", str(Path(tmp) / "out"), "--concurrency", str(concurrency)],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        cpu = _children_cpu() - cpu
        if out.returncode != 0:
            raise RuntimeError(f"export-batch failed: {out.stderr.strip()[-2000:]}")
        # "500 exported (1.2 MB), 0 already there, 0 failed, in 3.1 s (161.3/s)"
        summary = out.stdout.strip().splitlines()[-1]
        if int(summary.split(" ", 1)[0]) != count:
            raise RuntimeError(f"export-batch: {summary}")
        return float(summary.rsplit("(", 1)[1].split("/s", 1)[0]), cpu


def cli(url: str, count: int, concurrency: int, render: float) -> Measured:
    """``cxreports export-batch``, less a one-export run: the time its rate covers includes
    building the client (and importing aiohttp for it), its CPU time the whole process;
    subtracting a one-export run's leaves what the other exports cost."""
    rate, cpu = _export_batch(url, count, concurrency, render)
    one_rate, one_cpu = _export_batch(url, 1, 1, render)
    wall = count / rate - 1 / one_rate
    return Measured((count - 1) / wall, max(cpu - one_cpu, 0.0) / (count - 1))


async def listing_aiohttp(url: str, count: int, concurrency: int) -> Measured:
    """The issue's own measurement: ``GET .../reports`` and its JSON, no render, no file."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    target = f"{url}/api/v1/ws/{WS}/reports"
    async with aiohttp.ClientSession(headers=headers) as session:

        async def one(n: int) -> None:
            async with session.get(target) as response:
                response.raise_for_status()
                await response.json()

        return await _timed(count, concurrency, one)


async def listing_ours(url: str, count: int, concurrency: int, on: str) -> Measured:
    """The same through ``AsyncClient.reports()`` on either transport."""
    async with cxreports.AsyncClient(url, TOKEN, WS, timeout=120, transport=on) as client:  # type: ignore[arg-type]

        async def one(n: int) -> None:
            await client.reports()

        return await _timed(count, concurrency, one)
