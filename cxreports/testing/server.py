"""Run the local server in a background thread: `serve()` and `LocalServer`.

uvicorn runs on a socket bound here (port 0 picks a free one), so the port is known before
the thread starts and there is no race. Starlette and uvicorn are imported only when a
server starts, which keeps `import cxreports.testing` cheap.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from cxreports.testing.faults import FaultSpec
from cxreports.testing.state import DEFAULT_TOKEN

if TYPE_CHECKING:
    from cxreports.testing.app import CxReportsApp, RequestRecord
    from cxreports.testing.state import Store

Seed = str | Path | dict[str, Any] | None


class LocalServer:
    """A CxReports v1 server on loopback, run in a background thread.

    Use it as a context manager, or call ``start()`` and ``stop()``. ``serve()`` builds one.

    Args:
        host: The address to listen on; keep the default loopback one for tests.
        port: The port; 0 (the default) picks a free one.
        token: The bearer token clients must send; default: the seed's, else
            ``cxreports-local-token``.
        seed: The tenant (workspaces, reports, jobs...) as a JSON file path or a dict in the
            format of ``cxreports/testing/seed.json``; default: that file.
        render_delay: Seconds an asynchronous export or job run takes to render.
        export_ttl: Seconds a finished export stays downloadable.
        max_page_size: Page the report lists at this size (for testing paging clients).
        faults: Fault rules to inject, as a SPEC string or a ``FaultSpec``.
        log_level: uvicorn's log level.

    Attributes:
        token: The bearer token clients must send.
        workspace: The default workspace's code (``sales``).
        workspace_id: The default workspace's id (``1``).
        host: The address it listens on.
        port: The port, known once started (or bound).
        app: The ASGI app.

    Raises:
        ImportError: the ``testing`` extra is not installed; the message says how to install it.
        ValueError: a seed or fault SPEC that cannot be read.
        OSError: a seed file that cannot be opened.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        seed: Seed = None,
        render_delay: float = 0.0,
        export_ttl: float = 3600.0,
        max_page_size: int | None = None,
        faults: str | FaultSpec | None = None,
        log_level: str = "warning",
    ) -> None:
        try:
            from cxreports.testing.app import create_app
            from cxreports.testing.state import Store
        except ImportError as exc:
            package = (exc.name or "a dependency").partition(".")[0]  # starlette, not .routing
            raise ImportError(
                f"the local CxReports server needs the testing extra ({package} is missing): "
                "pip install 'cxreports[testing]'"
            ) from exc

        self._store_args: tuple[Seed, float, float] = (seed, render_delay, export_ttl)
        store = Store(seed, render_delay=render_delay, export_ttl=export_ttl)
        self.token: str = token or store.seed_token or DEFAULT_TOKEN
        self.app: CxReportsApp = create_app(
            token=self.token, store=store, max_page_size=max_page_size, faults=faults
        )
        self.host = host
        self.port = port
        self.log_level = log_level
        self.workspace: str = store.default_workspace.code or str(store.default_workspace.id)
        self.workspace_id: int = store.default_workspace.id
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def store(self) -> Store:
        """The live state of the tenant: workspaces, reports, exports, temporary data, runs."""
        return self.app.store

    @property
    def url(self) -> str:
        """The base URL to give a client (which appends ``/api/v1``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_url(self) -> str:
        """The API's root URL: ``url`` + ``/api/v1``."""
        return self.url + "/api/v1"

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of the request log, oldest first (thread-safe)."""
        return self.app.log.snapshot()

    def clear_requests(self) -> None:
        """Empty the request log."""
        self.app.log.clear()

    def set_faults(self, spec: str | FaultSpec | None) -> None:
        """Replace the fault rules at runtime; their counters start afresh.

        Args:
            spec: A SPEC string (see ``FaultSpec.parse``), a ``FaultSpec``, or None to remove
                every fault.

        Raises:
            ValueError: a SPEC that cannot be read.
        """
        self.app.set_faults(spec)

    def reset(self) -> None:
        """Back to the seed: a fresh tenant, no faults, an empty request log.

        For a server shared by several tests (a session-scoped fixture). The render delay and
        export TTL return to the values given to the constructor.
        """
        from cxreports.testing.state import Store

        seed, render_delay, export_ttl = self._store_args
        self.app.store = Store(seed, render_delay=render_delay, export_ttl=export_ttl)
        self.app.set_faults(None)
        self.app.log.clear()

    def bind(self) -> socket.socket:
        """Bind the listening socket now, so that the port is known before serving.

        Returns:
            The bound socket, for ``make_uvicorn().run(sockets=[...])``.

        Raises:
            OSError: the address cannot be bound (e.g. the port is in use).
        """
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only when the
        # listening socket says TCP, and without it keep-alive requests stall ~40 ms (Nagle).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        return sock

    def make_uvicorn(self) -> Any:
        """A uvicorn server for this app, for running it in the foreground yourself.

        Returns:
            A ``uvicorn.Server``; ``start()`` runs one in a thread instead.
        """
        import uvicorn

        class Server(uvicorn.Server):
            """uvicorn polls `should_exit` every 0.1 s; poll every 0.01 s so stop() is quick."""

            async def main_loop(self) -> None:
                ticks = 0
                while not self.should_exit:
                    await asyncio.sleep(0.01)
                    ticks += 1
                    if ticks % 10 == 0 and await self.on_tick(ticks // 10):
                        break

        config = uvicorn.Config(
            self.app,
            log_level=self.log_level,
            access_log=False,
            lifespan="off",
            loop="asyncio",
            http="h11",
            timeout_graceful_shutdown=2,
        )
        return Server(config)

    def start(self, timeout: float = 10.0) -> LocalServer:
        """Start serving in a background thread, and return once requests are answered.

        Args:
            timeout: Seconds to wait for the server to be up.

        Returns:
            This server.

        Raises:
            RuntimeError: it was already started, or did not come up within ``timeout``.
            OSError: the address cannot be bound.
        """
        if self._thread is not None:
            raise RuntimeError("server already started")
        sock = self.bind()
        self._server = self.make_uvicorn()
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="cxreports-local", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the local CxReports server did not start on {self.url}")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and wait for the thread to end; does nothing if not started.

        Args:
            timeout: Seconds to wait for the thread.
        """
        if self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout)
        self._thread = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LocalServer(url={self.url!r}, workspace={self.workspace!r})"


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
    seed: Seed = None,
    render_delay: float = 0.0,
    export_ttl: float = 3600.0,
    max_page_size: int | None = None,
    faults: str | FaultSpec | None = None,
    log_level: str = "warning",
) -> LocalServer:
    """A local server, not yet started: ``with serve() as server:`` starts and stops it.

    Args:
        host: The address to listen on; keep the default loopback one for tests.
        port: The port; 0 (the default) picks a free one.
        token: The bearer token clients must send; default: the seed's, else
            ``cxreports-local-token``.
        seed: The tenant (workspaces, reports, jobs...) as a JSON file path or a dict in the
            format of ``cxreports/testing/seed.json``; default: that file.
        render_delay: Seconds an asynchronous export or job run takes to render.
        export_ttl: Seconds a finished export stays downloadable.
        max_page_size: Page the report lists at this size (for testing paging clients).
        faults: Fault rules to inject, as a SPEC string or a ``FaultSpec``.
        log_level: uvicorn's log level.

    Returns:
        The server; ``server.url``, ``server.token`` and ``server.workspace`` configure a
        client once it is started.

    Raises:
        ImportError: the ``testing`` extra is not installed; the message says how to install it.
        ValueError: a seed or fault SPEC that cannot be read.
        OSError: a seed file that cannot be opened.
    """
    return LocalServer(
        host=host,
        port=port,
        token=token,
        seed=seed,
        render_delay=render_delay,
        export_ttl=export_ttl,
        max_page_size=max_page_size,
        faults=faults,
        log_level=log_level,
    )
