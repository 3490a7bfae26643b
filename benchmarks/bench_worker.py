"""The child processes of ``bench.py``: one measurement each, printed as one JSON line.

Runs under the project's Python (``ours-*`` modes, ``proxy``) or under the throwaway virtual
environment holding the official ``cxreports-api-client`` (``official-*`` modes), so it
imports nothing at the top but the standard library. Timings exclude start-up and imports;
``peak_rss`` is this process's own maximum resident set size, read at the end.

    python bench_worker.py MODE URL TOKEN [ARG ...]
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from typing import Any

WORKSPACE = "sales"
ONE_PAGE = 190  # the one-page report bench.py adds to the seed


def peak_rss() -> int:
    """This process's peak resident set size in bytes: VmHWM from /proc, which starts afresh
    at exec (ru_maxrss does not: a child would report its parent's size as its own)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def ours_exports(url: str, token: str, count: int) -> dict[str, Any]:
    """``count`` sync exports of the one-page PDF through one ``Client``, in memory."""
    import cxreports

    with cxreports.Client(url, token, WORKSPACE) as client:
        size = len(client.export(ONE_PAGE).content)  # the first is not timed (render cache)
        started = time.perf_counter()
        for _ in range(count):
            client.export(ONE_PAGE)
        return {"seconds": time.perf_counter() - started, "bytes": size}


def official_exports(url: str, token: str, count: int) -> dict[str, Any]:
    """The same through the official client's ``get_pdf`` (requests, no Session)."""
    from v1 import CxReportClientV1  # type: ignore[import-not-found]

    client = CxReportClientV1(url, WORKSPACE, token)
    size = len(client.get_pdf(ONE_PAGE))
    started = time.perf_counter()
    for _ in range(count):
        client.get_pdf(ONE_PAGE)
    return {"seconds": time.perf_counter() - started, "bytes": size}


def _big(size: int) -> dict[str, Any]:
    return {"simulateContentBytes": size}


def ours_file(url: str, token: str, size: int, path: str) -> dict[str, Any]:
    """``export_to_file`` (sync export, streamed to disk) of a ``size``-byte PDF."""
    import cxreports

    with cxreports.Client(url, token, WORKSPACE) as client:
        rss_before = peak_rss()
        started = time.perf_counter()
        saved = client.export_to_file(ONE_PAGE, path, params=_big(size))
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "bytes": saved.stat().st_size, "rss_before": rss_before}


def ours_async_file(url: str, token: str, size: int, path: str) -> dict[str, Any]:
    """``start_export(...).wait().save()``: the official client's endpoint, streamed."""
    import cxreports

    with cxreports.Client(url, token, WORKSPACE) as client:
        rss_before = peak_rss()
        started = time.perf_counter()
        saved = client.start_export(ONE_PAGE, params=_big(size)).wait().save(path)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "bytes": saved.stat().st_size, "rss_before": rss_before}


def official_file(url: str, token: str, size: int, path: str) -> dict[str, Any]:
    """The official way to a file: start, poll ``get_export_status``, ``get_export_content``,
    write the bytes."""
    from v1 import CxReportClientV1

    client = CxReportClientV1(url, WORKSPACE, token)
    rss_before = peak_rss()
    started = time.perf_counter()
    file_id = client.start_report_export(ONE_PAGE, {"params": _big(size)})["temporaryFileId"]
    while not client.get_export_status(file_id)["isReady"]:
        time.sleep(0.05)
    content = client.get_export_content(file_id)
    with open(path, "wb") as fh:
        fh.write(content)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "bytes": len(content), "rss_before": rss_before}


def import_only(url: str, token: str, which: str) -> dict[str, Any]:
    """The baseline resident size: the library imported, nothing downloaded."""
    if which == "official":
        import v1  # noqa: F401
    else:
        import cxreports  # noqa: F401
    return {}


async def _proxy(upstream_port: int, delay: float) -> None:
    """Forward 127.0.0.1:<free port> to 127.0.0.1:upstream_port, ``delay`` seconds late for
    each new connection (the cost of a TCP + TLS handshake to a distant server)."""

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(delay)
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port}), flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    mode, url, token, *args = sys.argv[1:]
    if mode == "proxy":
        asyncio.run(_proxy(int(url), float(token)))
        return
    modes: dict[str, Any] = {
        "ours-exports": lambda: ours_exports(url, token, int(args[0])),
        "official-exports": lambda: official_exports(url, token, int(args[0])),
        "ours-file": lambda: ours_file(url, token, int(args[0]), args[1]),
        "ours-async-file": lambda: ours_async_file(url, token, int(args[0]), args[1]),
        "official-file": lambda: official_file(url, token, int(args[0]), args[1]),
        "import-only": lambda: import_only(url, token, args[0]),
    }
    result = modes[mode]()
    result["peak_rss"] = peak_rss()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
