"""Run one test body against ``Client`` and ``AsyncClient`` on each of its transports.

``KINDS`` are the clients a test runs against: ``sync``, ``async`` (httpx's own transport,
httpcore) and ``async-aiohttp`` (httpx on aiohttp, the default with the ``aiohttp`` extra).
``AsyncClientDriver`` drives an ``AsyncClient`` on its own event loop and answers every
coroutine synchronously, wrapping the handles it returns the same way. A test written
against the sync surface therefore also proves the async surface behaves identically.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import cxreports

KINDS = ["sync", "async", "async-aiohttp"]
ASYNC_TRANSPORTS = {"async": "httpcore", "async-aiohttp": "aiohttp"}


class _Proxy:
    def __init__(self, target: Any, runner: asyncio.Runner) -> None:
        self._target = target
        self._runner = runner

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            if inspect.iscoroutine(result):
                result = self._runner.run(result)
            if isinstance(result, cxreports.AsyncExport | cxreports.AsyncJobRun):
                return _Proxy(result, self._runner)
            if isinstance(result, cxreports.AsyncClient):
                return AsyncClientDriver(result, self._runner)
            return result

        return call

    def __repr__(self) -> str:
        return repr(self._target)

    @property
    def target(self) -> Any:
        return self._target


class AsyncClientDriver(_Proxy):
    def __init__(self, client: cxreports.AsyncClient, runner: asyncio.Runner | None = None) -> None:
        super().__init__(client, runner or asyncio.Runner())
        self._owns_runner = runner is None

    def close(self) -> None:
        self._runner.run(self._target.close())
        if self._owns_runner:
            self._runner.close()

    def __enter__(self) -> AsyncClientDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_client(kind: str, *args: Any, **kwargs: Any) -> Any:
    """A ``Client``, or an ``AsyncClient`` on the kind's transport behind a synchronous driver
    (unless the test gives its own ``http_client``)."""
    if kind == "sync":
        return cxreports.Client(*args, **kwargs)
    if "http_client" not in kwargs:
        kwargs.setdefault("transport", ASYNC_TRANSPORTS[kind])
    runner = asyncio.Runner()
    try:
        client = runner.run(_construct(*args, **kwargs))
    except BaseException:
        runner.close()
        raise
    driver = AsyncClientDriver(client, runner)
    driver._owns_runner = True
    return driver


async def _construct(*args: Any, **kwargs: Any) -> cxreports.AsyncClient:
    # Built inside the loop so that httpx binds its pool to it.
    return cxreports.AsyncClient(*args, **kwargs)


def run_on_fake_clock(monkeypatch: Any, clock: Any) -> None:
    """Polling reads ``clock.now`` as its monotonic time, and the client's sleeps (sync and
    async) advance it: waits take no time and their schedule is exact."""
    import cxreports._client
    from cxreports import _polling

    def sleep(seconds: float) -> None:
        clock.now += seconds

    async def async_sleep(seconds: float) -> None:
        clock.now += seconds

    monkeypatch.setattr(_polling, "monotonic", lambda: clock.now)
    monkeypatch.setattr(cxreports._client, "_sleep", sleep)
    monkeypatch.setattr(cxreports._client, "_async_sleep", async_sleep)


def record_sleeps(monkeypatch: Any) -> list[float]:
    """Make the client's backoff and polling sleeps return at once; return what it asked for."""
    import cxreports._client

    asked: list[float] = []

    def fake_sleep(seconds: float) -> None:
        asked.append(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr(cxreports._client, "_sleep", fake_sleep)
    monkeypatch.setattr(cxreports._client, "_async_sleep", fake_async_sleep)
    return asked
