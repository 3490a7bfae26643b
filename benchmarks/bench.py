"""cxreports side by side: raw httpx, the official client, ideal throughput, start-up.

    .venv/bin/python benchmarks/bench.py [--quick] [--skip-official] [--json FILE]

Six comparisons, each a ratio to a baseline measured in the same run (this machine is shared
and noisy; the ratios hold, the absolute figures much less so), each the median of several
runs, with its workload printed beside it:

1. client overhead: N small calls through ``Client`` against a bare pooled ``httpx.Client``
   (client CPU time), with urllib3's ``PoolManager`` as the floor;
2. the official ``cxreports-api-client`` 0.0.5 (installed into a throwaway virtual
   environment under ``.bench-cache/``, never a dependency): N sync exports, on plain
   loopback and behind a proxy that makes every new connection cost a handshake delay;
3. concurrency: 500 exports of 10 ms through ``AsyncClient`` and ``cxreports export-batch``
   at concurrency 1, 8, 32, 64 against bare aiohttp (the ideal), bare httpx on aiohttp and
   on httpcore, and today's AsyncClient, with client CPU time per export
   (``bench_concurrency.py``);
4. memory: peak RSS of a process running ``export_to_file`` on a 256 MiB export, against
   the official client's ``get_export_content`` on the same file;
5. polling: how long a finished async export waits before its download starts, and the
   status calls it costs, for exports of 0.2 s, 2 s and 20 s, and in a batch of 200 exports
   of 2 s +- 20 %;
6. start-up: ``import cxreports`` against ``import httpx``, and ``cxreports --help``.

The local server runs in a child process (except for 5, see there), so neither its CPU
nor its memory is counted. No assertions: the table says which targets are met.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

import cxreports
from cxreports.testing import LocalServer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKER = HERE / "bench_worker.py"
CACHE = ROOT / ".bench-cache"
OFFICIAL = "cxreports-api-client==0.0.5"
TOKEN = "bench-token"
WS = "sales"
ONE_PAGE = 190  # a one-page report added to the default seed for these benchmarks
MiB = 1024 * 1024


# -- results --------------------------------------------------------------------------------


@dataclass
class Row:
    section: str
    what: str
    workload: str
    ours: str
    baseline: str
    ratio: float | None
    target: str
    met: bool | None

    def cells(self) -> list[str]:
        ratio = "-" if self.ratio is None else f"{self.ratio:.2f}"
        met = {None: "-", True: "met", False: "MISSED"}[self.met]
        return [self.section, self.what, self.workload, self.ours, self.baseline, ratio,
                self.target, met]  # fmt: skip


ROWS: list[Row] = []
NOTES: list[str] = []


def row(*args: Any) -> None:
    ROWS.append(Row(*args))
    print("  " + " | ".join(ROWS[-1].cells()), flush=True)


def print_table() -> None:
    head = ["#", "comparison", "workload", "ours", "baseline", "ratio", "target", ""]
    body = [r.cells() for r in ROWS]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    print()
    print(" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for line in body:
        print(" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))
    for note in NOTES:
        print(f"note: {note}")


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def mib(size: float) -> str:
    return f"{size / MiB:.1f} MiB"


def median(values: list[float]) -> float:
    return statistics.median(values)


# -- the local server, in a child process -----------------------------------------------------


def bench_seed(folder: Path) -> Path:
    """The default seed plus a one-page report (id 190) in ``sales``."""
    from cxreports.testing.state import DEFAULT_SEED_PATH

    seed = json.loads(DEFAULT_SEED_PATH.read_text(encoding="utf-8"))
    sales = next(w for w in seed["workspaces"] if w["code"] == WS)
    sales["reports"].append(
        {"id": ONE_PAGE, "name": "One page", "reportTypeId": 11, "template": "default",
         "theme": "default", "pages": [{"id": 1900, "name": "Summary", "type": "page"}]}
    )  # fmt: skip
    path = folder / "seed.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    return path


def wait_until_serving(url: str, timeout: float = 15.0) -> None:
    """The server prints its URL once bound; it accepts connections a moment later."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url + "/api/v1/workspaces", headers={"Authorization": f"Bearer {TOKEN}"})
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@contextlib.contextmanager
def server_process(seed: Path) -> Iterator[str]:
    cmd = [sys.executable, "-m", "cxreports.testing", "--port", "0", "--token", TOKEN,
           "--seed", str(seed)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().rsplit(" ", 1)[-1].strip()
        wait_until_serving(url)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def connect_delay_proxy(url: str, delay: float) -> Iterator[str]:
    """``url`` behind a proxy that delays each new connection by ``delay`` seconds."""
    port = httpx.URL(url).port
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), "proxy", str(port), str(delay)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        yield f"http://127.0.0.1:{json.loads(proc.stdout.readline())['port']}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def worker(python: str, *args: object) -> dict[str, Any]:
    out = subprocess.run(
        [python, str(WORKER), *map(str, args)], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"worker {args[0]} failed: {out.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# -- the official client, in a throwaway virtual environment ----------------------------------


def official_python() -> tuple[str | None, str]:
    """The Python of a virtual environment holding the official client, or why there is none.

    Cached in .bench-cache/ (gitignored) so that --quick stays quick; never a dependency.
    """
    venv = CACHE / "official-venv"
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import v1, importlib.metadata as m; print(m.version('cxreports-api-client'))"]  # fmt: skip
    if python.exists():
        done = subprocess.run(probe, capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip() == OFFICIAL.split("==")[1]:
            return str(python), f"{OFFICIAL} (cached in {venv.relative_to(ROOT)})"
        shutil.rmtree(venv, ignore_errors=True)
    CACHE.mkdir(exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n", encoding="utf-8")
    print(f"installing {OFFICIAL} into {venv.relative_to(ROOT)} ...", flush=True)
    base = getattr(sys, "_base_executable", sys.executable)
    steps = [
        [base, "-m", "venv", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", OFFICIAL],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False, timeout=300)
        if done.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return None, f"could not install {OFFICIAL}: {reason}"
    return str(python), f"{OFFICIAL} (installed in {venv.relative_to(ROOT)})"


# -- 1. client overhead -----------------------------------------------------------------------


def ratio(a: list[float], b: list[float]) -> float:
    """The median of the pairwise ratios of two interleaved series."""
    return median([x / y for x, y in zip(a, b, strict=True)])


def bench_overhead(url: str, rounds: int, batch: int) -> None:
    """Interleaved batches (bare, ours, urllib3, ...): a burst of load from elsewhere hits
    every side of a round alike, and the median of the per-round ratios ignores the rest.
    urllib3's PoolManager is the floor: the least a Python client does for these requests."""
    import urllib3

    calls = rounds * batch
    print(f"1. client overhead: {calls} calls each, {rounds} interleaved rounds of {batch}",
          flush=True)  # fmt: skip
    headers = {"Authorization": f"Bearer {TOKEN}"}
    api = f"{url}/api/v1"
    pool = urllib3.PoolManager(headers=headers)
    with (
        cxreports.Client(url, TOKEN, WS) as client,
        httpx.Client(base_url=api, headers=headers) as raw,
    ):
        cases: list[tuple[str, Callable[[], object], Callable[[], object], Callable[[], object]]] = [
            (
                "list reports",
                lambda: client.reports(),
                lambda: raw.get(f"/ws/{WS}/reports", params={"limit": 100, "offset": 0}).json(),
                lambda: json.loads(pool.request("GET", f"{api}/ws/{WS}/reports",
                                                fields={"limit": "100", "offset": "0"}).data),
            ),
            (
                "1-page PDF export",
                lambda: client.export(ONE_PAGE).content,
                lambda: raw.get(f"/ws/{WS}/reports/{ONE_PAGE}/pdf", params={"format": "pdf"}).content,
                lambda: pool.request("GET", f"{api}/ws/{WS}/reports/{ONE_PAGE}/pdf",
                                     fields={"format": "pdf"}).data,
            ),
        ]  # fmt: skip
        for label, ours, bare, floor in cases:
            for fn in (ours, bare, floor) * 20:  # warm the pools and the render cache
                fn()
            # Client CPU time (the server runs in another process) and wall time per call.
            cpu: dict[str, list[float]] = {"ours": [], "bare": [], "floor": []}
            wall: dict[str, list[float]] = {"ours": [], "bare": [], "floor": []}
            order = [("bare", bare), ("ours", ours), ("floor", floor)]
            for n in range(rounds):
                for key, fn in order[n % 3 :] + order[: n % 3]:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    for _ in range(batch):
                        fn()
                    cpu[key].append((time.process_time() - cpu_started) / batch)
                    wall[key].append((time.perf_counter() - started) / batch)

            def cell(key: str, cpu: dict[str, list[float]] = cpu,
                     wall: dict[str, list[float]] = wall) -> str:  # fmt: skip
                return f"{us(median(cpu[key]))} CPU, {us(median(wall[key]))} wall"

            to_bare = ratio(cpu["ours"], cpu["bare"])
            row("1", f"Client vs pooled httpx.Client: {label}", f"{calls} calls",
                cell("ours"), f"{cell('bare')} (wall ratio {ratio(wall['ours'], wall['bare']):.2f})",
                to_bare, "<= 1.10", to_bare <= 1.10)  # fmt: skip
            row("1", f"Client vs urllib3 PoolManager: {label}", f"{calls} calls",
                cell("ours"), f"{cell('floor')} (httpx/urllib3 "
                f"{ratio(cpu['bare'], cpu['floor']):.2f})", ratio(cpu["ours"], cpu["floor"]),
                "(info)", None)  # fmt: skip


# -- 2. against the official client ------------------------------------------------------------


def bench_official(url: str, official: str | None, why: str, calls: int, runs: int) -> None:
    print(f"2. official client: {calls} sync 1-page PDF exports, median of {runs} runs", flush=True)
    if official is None:
        row("2", "official client", "-", "-", "-", None, "-", None)
        NOTES.append(f"2 and 4: official-client rows skipped: {why}")
        return
    delay = 0.010

    def measure(target: str) -> tuple[float, float]:
        ours_t: list[float] = []
        theirs_t: list[float] = []
        for _ in range(runs):
            theirs_t.append(worker(official, "official-exports", target, TOKEN, calls)["seconds"])
            ours_t.append(worker(sys.executable, "ours-exports", target, TOKEN, calls)["seconds"])
        return median(ours_t) / calls, median(theirs_t) / calls

    mine, theirs = measure(url)
    row("2", "Client.export vs official get_pdf, loopback", f"{calls} exports",
        ms(mine), ms(theirs), mine / theirs, "<= 1.00", mine / theirs <= 1.0)  # fmt: skip
    with connect_delay_proxy(url, delay) as slow:
        mine, theirs = measure(slow)
    row("2", f"same, each new connection +{delay * 1e3:.0f} ms", f"{calls} exports",
        ms(mine), ms(theirs), mine / theirs, "< 1.00", mine / theirs < 1.0)  # fmt: skip


# -- 3. concurrency ----------------------------------------------------------------------------

# Server render time per export: short enough that at concurrency 32 and 64 the clients, not
# the render, are the limit (50 ms capped c=32 at 640/s, below what the targets ask).
RENDER = 0.01
# The clients of comparison 3 (bench_concurrency.py), in the order each run measures them.
CLIENTS: list[tuple[str, str]] = [
    ("aiohttp", "bare aiohttp + atomic write"),
    ("httpx-aiohttp", "bare httpx on aiohttp + atomic write"),
    ("httpx", "bare httpx (httpcore) + atomic write"),
    ("today", "AsyncClient(transport='httpcore').export_to_file (today's)"),
    ("ours", "AsyncClient.export_to_file (aiohttp)"),
    ("cli", "cxreports export-batch (aiohttp)"),
]


def bench_concurrency(
    seed: Path, count: int, runs: int, levels: list[int], quick: bool = False
) -> None:
    """Every client at each level, interleaved inside each run, so the machine's load hits
    all alike; each ratio is the median of the per-run ratios."""
    import bench_concurrency as bc

    def size(concurrency: int) -> int:
        """``count`` exports, or in a quick run at least 4 waves."""
        return max(count, min(500, 4 * concurrency))

    print(f"3. concurrency: {count} exports of {RENDER * 1e3:.0f} ms, median of {runs} runs",
          flush=True)  # fmt: skip
    with server_process(seed) as url:
        runners: dict[str, Callable[[int], bc.Measured]] = {
            "aiohttp": lambda c: asyncio.run(bc.bare_aiohttp(url, size(c), c, RENDER)),
            "httpx-aiohttp": lambda c: asyncio.run(bc.bare_httpx(url, size(c), c, RENDER, "aiohttp")),
            "httpx": lambda c: asyncio.run(bc.bare_httpx(url, size(c), c, RENDER, "httpcore")),
            "today": lambda c: asyncio.run(bc.ours(url, size(c), c, RENDER, "httpcore")),
            "ours": lambda c: asyncio.run(bc.ours(url, size(c), c, RENDER, "aiohttp")),
            "cli": lambda c: bc.cli(url, size(c), c, RENDER),
        }  # fmt: skip
        if not quick:  # informational, and the slowest
            CLIENTS.append(("flow", "AsyncClient start_export+wait+save (aiohttp)"))
            runners["flow"] = lambda c: asyncio.run(
                bc.ours(url, size(c), c, RENDER, "aiohttp", flow="async")
            )
        capacity_n = 200 if quick else 1000
        for c in levels:
            got: dict[str, list[bc.Measured]] = {key: [] for key, _ in CLIENTS}
            ideals: list[float] = []
            for _ in range(runs):
                # The ideal: bare aiohttp with no render time and nothing written, at c=64,
                # measured beside each run, as the machine's load drifts.
                cap = asyncio.run(bc.bare_aiohttp(url, capacity_n, 64, 0.0, write=False)).rate
                ideals.append(min(c / RENDER, cap))
                for key, _ in CLIENTS:
                    got[key].append(runners[key](c))
            _concurrency_rows(c, size(c), got, ideals)
        _listing_rows(url, 500 if quick else 2000, 64, runs)


def _listing_rows(url: str, n: int, c: int, runs: int) -> None:
    """The measurement issue 16 started from: ``GET .../reports`` at c=64, nothing rendered
    and nothing written, so the client's own cost is all there is to compare."""
    import bench_concurrency as bc

    runners: dict[str, Callable[[], bc.Measured]] = {
        "aiohttp": lambda: asyncio.run(bc.listing_aiohttp(url, n, c)),
        "today": lambda: asyncio.run(bc.listing_ours(url, n, c, "httpcore")),
        "ours": lambda: asyncio.run(bc.listing_ours(url, n, c, "aiohttp")),
    }
    got: dict[str, list[bc.Measured]] = {key: [] for key in runners}
    for _ in range(runs):
        for key, run in runners.items():
            got[key].append(run())
    rate = {key: median([m.rate for m in ms]) for key, ms in got.items()}
    cpu = {key: median([m.cpu for m in ms]) for key, ms in got.items()}
    names = {"aiohttp": "bare aiohttp", "today": "today's AsyncClient (httpcore)",
             "ours": "AsyncClient (aiohttp)"}  # fmt: skip
    for key, name in names.items():
        row("3", f"list reports, no file: {name}, c={c}", f"{n} requests",
            f"{rate[key]:.0f}/s, {us(cpu[key])} CPU", "-", None, "(info)", None)  # fmt: skip
    for base, what in (("today", "today's AsyncClient"), ("aiohttp", "bare aiohttp")):
        ratio = median([a.rate / b.rate for a, b in zip(got["ours"], got[base], strict=True)])
        row("3", f"list reports, no file: AsyncClient vs {what}, c={c}", f"{n} requests",
            f"{rate['ours']:.0f}/s", f"{rate[base]:.0f}/s", ratio, "(info)", None)  # fmt: skip


def _concurrency_rows(c: int, n: int, got: dict[str, list[Any]], ideals: list[float]) -> None:
    def rate(key: str) -> float:
        return median([m.rate for m in got[key]])

    def cpu(key: str) -> float:
        return median([m.cpu for m in got[key]])

    def ratio(key: str, base: str, what: str = "rate") -> float:
        pairs = zip(got[key], got[base], strict=True)
        return median([getattr(a, what) / getattr(b, what) for a, b in pairs])

    ideal = median(ideals)
    capped = " (bare aiohttp, no render, no write)" if ideal < c / RENDER else ""
    label = dict(CLIENTS)
    for key, _ in CLIENTS:
        to_ideal = median([m.rate / i for m, i in zip(got[key], ideals, strict=True)])
        row("3", f"{label[key]}, c={c}", f"{n} exports",
            f"{rate(key):.0f}/s, {us(cpu(key))} CPU", f"ideal {ideal:.0f}/s{capped}",
            to_ideal, "(info)", None)  # fmt: skip
    if c >= 32:
        # What the 4x target asks of the fastest client there is, doing the same writes: a
        # ratio below 4 here means no client reaches 4x today's on this machine.
        r = ratio("aiohttp", "today")
        row("3", f"ceiling: bare aiohttp vs today's AsyncClient, c={c}", f"{n} exports",
            f"{rate('aiohttp'):.0f}/s", f"{rate('today'):.0f}/s", r, "(info)", None)  # fmt: skip
    for key in ("ours", "cli"):
        name = "AsyncClient.export_to_file" if key == "ours" else "export-batch"
        # (what, baseline, measure, target, at least the target (True) or at most (False))
        checks: list[tuple[str, str, str, float, bool]] = [
            ("vs today's AsyncClient", "today", "rate", 4.0, True),
            ("vs bare httpx on aiohttp", "httpx-aiohttp", "rate", 0.9, True),
            ("CPU/export vs bare httpx on aiohttp", "httpx-aiohttp", "cpu", 1.3, False),
            ("vs bare aiohttp", "aiohttp", "rate", 0.8, True),
        ]
        if c < 32:  # the issue's targets are at 32 and 64; below, the fastest client's 0.8
            checks = checks[-1:]
        for what, base, measure, goal, at_least in checks:
            r = ratio(key, base, measure)
            ours_s = f"{rate(key):.0f}/s" if measure == "rate" else us(cpu(key))
            base_s = f"{rate(base):.0f}/s" if measure == "rate" else us(cpu(base))
            target = f"{'>=' if at_least else '<='} {goal:.2f}"
            ok = r >= goal if at_least else r <= goal
            row("3", f"{name} {what}, c={c}", f"{n} exports", ours_s, base_s, r, target, ok)


# -- 4. memory -----------------------------------------------------------------------------------


def bench_memory(seed: Path, official: str | None, sizes: list[int]) -> None:
    print(f"4. memory: peak RSS of one process per download, sizes {[mib(s) for s in sizes]}",
          flush=True)  # fmt: skip
    with server_process(seed) as url, tempfile.TemporaryDirectory() as tmp:
        target = str(Path(tmp) / "big.pdf")
        base_ours = worker(sys.executable, "import-only", url, TOKEN, "ours")["peak_rss"]
        row("4", "baseline: python + import cxreports", "-", mib(base_ours), "-", None, "-", None)
        theirs: dict[int, float] = {}
        if official is not None:
            base_theirs = worker(official, "import-only", url, TOKEN, "official")["peak_rss"]
            row("4", "baseline: python + import v1 (official)", "-", mib(base_theirs), "-",
                None, "-", None)  # fmt: skip
        for size in sizes:
            if official is not None:
                result = worker(official, "official-file", url, TOKEN, size, target)
                assert result["bytes"] == size
                theirs[size] = result["peak_rss"]
            for mode, label in (("ours-file", "export_to_file (sync export)"),
                                ("ours-async-file", "start_export().wait().save()")):  # fmt: skip
                result = worker(sys.executable, mode, url, TOKEN, size, target)
                assert result["bytes"] == size, result
                peak = result["peak_rss"]
                base = theirs.get(size)
                row("4", f"{label} vs official get_export_content + write", mib(size),
                    mib(peak), "-" if base is None else mib(base),
                    None if base is None else peak / base, "< 64 MiB", peak < 64 * MiB)  # fmt: skip


# -- 5. polling ----------------------------------------------------------------------------------


async def polling_round(
    server: LocalServer, renders: list[float]
) -> list[tuple[float, float, int]]:
    """One async export per render time, concurrently: (render, delay, status calls) each."""
    sent: dict[int, float] = {}
    status_calls: dict[int, int] = {}

    async def hook(request: httpx.Request) -> None:
        *_, file_id, what = request.url.path.rstrip("/").split("/")
        if file_id.isdigit() and what == "content":
            sent.setdefault(int(file_id), time.monotonic())
        elif file_id.isdigit() and what == "status":
            status_calls[int(file_id)] = status_calls.get(int(file_id), 0) + 1

    async with (
        httpx.AsyncClient(event_hooks={"request": [hook]}, timeout=60) as http,
        cxreports.AsyncClient(server.url, TOKEN, WS, http_client=http) as client,
    ):

        async def one(seconds: float) -> int:
            params = {"simulateRenderSeconds": seconds}
            export = await client.start_export("invoice", params=params)
            await (await export.wait(timeout=120)).content()
            return export.id

        ids = await asyncio.gather(*(one(r) for r in renders))
    results = []
    for seconds, file_id in zip(renders, ids, strict=True):
        ready = server.store.temp_files[file_id].ready_mono
        results.append((seconds, sent[file_id] - ready, status_calls[file_id]))
    return results


async def polling_batch(
    server: LocalServer, count: int, concurrency: int, render: float, spread: float
) -> list[tuple[float, float, int]]:
    """``count`` async exports of one report through one AsyncClient, ``concurrency`` at a
    time, each taking ``render`` seconds +- ``spread`` (seeded): (render, delay, status calls)
    of each, in the order they started."""
    import random

    rnd = random.Random(16)
    renders = [render * rnd.uniform(1 - spread, 1 + spread) for _ in range(count)]
    sent: dict[int, float] = {}
    status_calls: dict[int, int] = {}

    async def hook(request: httpx.Request) -> None:
        *_, file_id, what = request.url.path.rstrip("/").split("/")
        if file_id.isdigit() and what == "content":
            sent.setdefault(int(file_id), time.monotonic())
        elif file_id.isdigit() and what == "status":
            status_calls[int(file_id)] = status_calls.get(int(file_id), 0) + 1

    limit = asyncio.Semaphore(concurrency)
    async with (
        httpx.AsyncClient(event_hooks={"request": [hook]}, timeout=60) as http,
        cxreports.AsyncClient(server.url, TOKEN, WS, http_client=http) as client,
    ):

        async def one(seconds: float) -> int:
            async with limit:
                export = await client.start_export(
                    "invoice", params={"simulateRenderSeconds": seconds}
                )
                await (await export.wait(timeout=120)).content()
                return export.id

        ids = await asyncio.gather(*(one(r) for r in renders))
    return [
        (r, sent[i] - server.store.temp_files[i].ready_mono, status_calls.get(i, 0))
        for r, i in zip(renders, ids, strict=True)
    ]


def bench_polling(renders: list[float], runs: int) -> None:
    """In-process, with the server in a thread: its store knows the exact moment an export
    becomes ready (``ready_mono``, on the same monotonic clock), and an httpx event hook
    stamps the moment the content request leaves. The exports of one run go concurrently, so
    a run takes as long as the longest."""
    from cxreports.testing import serve

    print(f"5. polling: async exports of {renders} s, concurrently, {runs} runs", flush=True)
    delays: dict[float, list[float]] = {r: [] for r in renders}
    calls: dict[float, list[float]] = {r: [] for r in renders}
    with serve(token=TOKEN) as server:
        for _ in range(runs):
            for seconds, delay, count in asyncio.run(polling_round(server, renders)):
                delays[seconds].append(delay)
                calls[seconds].append(count)
    for seconds in renders:
        delay = median(delays[seconds])
        row("5", f"async export of {seconds:g} s: ready -> download starts", f"{runs} runs",
            f"{ms(delay)}, {median(calls[seconds]):.0f} status calls",
            f"export time {seconds:g} s", delay / seconds, "< 0.10", delay / seconds < 0.1)  # fmt: skip


def bench_polling_batch(count: int, concurrency: int) -> None:
    """A batch of async exports of one report, 2 s +- 20 % each, through one AsyncClient:
    status calls per export and ready -> download delay in the steady state, after the
    first two waves (the first wave starts before any render time is known)."""
    from cxreports.testing import serve

    print(f"5. polling a batch: {count} async exports of 2 s +- 20 %, {concurrency} at a time",
          flush=True)  # fmt: skip
    with serve(token=TOKEN) as server:
        results = asyncio.run(polling_batch(server, count, concurrency, 2.0, 0.2))
    steady = results[2 * concurrency :]
    first = results[:concurrency]
    calls = statistics.mean(c for _, _, c in steady)
    late = [d / r for r, d, _ in steady]
    p95 = sorted(late)[int(0.95 * (len(late) - 1))]
    row("5", f"batch of {count} exports of 2 s +- 20 %, c={concurrency}: status calls",
        f"{len(steady)} steady", f"{calls:.1f} per export",
        f"first wave {statistics.mean(c for _, _, c in first):.1f}", None, "<= 4",
        calls <= 4)  # fmt: skip
    row("5", f"batch of {count} exports of 2 s +- 20 %, c={concurrency}: ready -> download",
        f"{len(steady)} steady", f"median {median(late):.3f} of render, p95 {p95:.3f}, max {max(late):.3f}",
        "export time 1.6-2.4 s", median(late), "< 0.10", median(late) < 0.1)  # fmt: skip


# -- 6. start-up ---------------------------------------------------------------------------------


def compile_bytecode() -> None:
    """Compile cxreports and cxreports_api to bytecode, as ``pip install`` does for a wheel.

    httpx in site-packages was compiled when it was installed; this checkout (an editable
    install) is not, and with PYTHONDONTWRITEBYTECODE set (as on this machine) every new
    process would compile it from source again: ~17 ms for ``import cxreports`` and more for
    the generated modules an export loads, which no installed copy pays."""
    import compileall

    import cxreports_api

    for package in (cxreports, cxreports_api):
        assert package.__file__ is not None
        compileall.compile_dir(str(Path(package.__file__).parent), quiet=1)


def bench_startup(runs: int) -> None:
    print(f"6. start-up: fresh processes, median of {runs}", flush=True)
    cli = str(Path(sys.executable).with_name("cxreports"))
    commands = {
        "pass": [sys.executable, "-c", "pass"],
        "httpx": [sys.executable, "-c", "import httpx"],
        "cxreports": [sys.executable, "-c", "import cxreports"],
        "client": [sys.executable, "-c", "from cxreports import Client; Client"],
        "help": [cli, "--help"],
    }
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):  # interleaved, so load on the machine hits all alike
        for key, cmd in commands.items():
            started = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            times[key].append(time.perf_counter() - started)
    t = {k: median(v) for k, v in times.items()}
    row("6", "import cxreports vs import httpx", f"{runs} runs",
        ms(t["cxreports"]), ms(t["httpx"]), t["cxreports"] / t["httpx"], "<= 1.30",
        t["cxreports"] / t["httpx"] <= 1.3)  # fmt: skip
    row("6", "from cxreports import Client vs import httpx", f"{runs} runs",
        ms(t["client"]), ms(t["httpx"]), t["client"] / t["httpx"], "-", None)  # fmt: skip
    row("6", "cxreports --help (wall)", f"{runs} runs", ms(t["help"]),
        f"python -c pass {ms(t['pass'])}", None, "< 500 ms", t["help"] < 0.5)  # fmt: skip


# -- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller workloads, a few minutes")
    parser.add_argument("--skip-official", action="store_true", help="no official-client rows")
    parser.add_argument("--only", default="123456", help="which comparisons, e.g. 15")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args()
    quick = args.quick
    started = time.perf_counter()
    # Every process below (workers, the CLI, start-up) loads bytecode, as an installed copy would.
    compile_bytecode()
    print(f"cxreports {cxreports.__version__}, httpx {httpx.__version__}, Python "
          f"{platform.python_version()}, {platform.platform()}, {os.cpu_count()} cores, "
          f"{'quick' if quick else 'full'} run", flush=True)  # fmt: skip

    official: str | None = None
    why = "--skip-official"
    if not args.skip_official and ("2" in args.only or "4" in args.only):
        official, why = official_python()
        print(f"official client: {why}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        seed = bench_seed(Path(tmp))
        if "1" in args.only or "2" in args.only:
            with server_process(seed) as url:
                if "1" in args.only:
                    bench_overhead(url, rounds=20 if quick else 100, batch=10)
                if "2" in args.only:
                    bench_official(url, official, why, calls=40 if quick else 200,
                                   runs=3 if quick else 5)  # fmt: skip
        if "3" in args.only:
            bench_concurrency(seed, count=40 if quick else 500, runs=1 if quick else 3,
                              levels=[1, 8, 32, 64], quick=quick)  # fmt: skip
        if "4" in args.only:
            bench_memory(seed, official, [64 * MiB] if quick else [64 * MiB, 256 * MiB])
        if "5" in args.only:
            bench_polling([0.2, 2.0, 20.0], runs=1 if quick else 3)
            bench_polling_batch(count=100 if quick else 200, concurrency=20)
        if "6" in args.only:
            bench_startup(runs=11 if quick else 21)

    print_table()
    print(f"\n{'quick' if quick else 'full'} run took {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in ROWS], indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
