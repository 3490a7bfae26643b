"""Any ASGI app on a free loopback port, in a background thread, for tests that need a second
server (an embedding web app, a redirector, an HTTPS front)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any


class ThreadedUvicorn:
    """``with ThreadedUvicorn(app, **uvicorn_config) as served:`` serves until the block ends."""

    def __init__(self, app: Any, **config: Any) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        scheme = "https" if config.get("ssl_certfile") else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        options = {"log_level": "warning", "loop": "asyncio", "http": "h11", **config}
        self.server = uvicorn.Server(uvicorn.Config(app, **options))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> ThreadedUvicorn:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
