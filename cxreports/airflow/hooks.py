"""``CxReportsHook``: an Airflow connection of type ``cxreports`` made into a cxreports client.

The connection's host is the base URL, its password the API token and its extras the
defaults (``workspace``, ``timeout``, ``retries``). The token lives only in the password
field, which Airflow masks in task logs and never renders; the hook never logs it.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseHook
from airflow.sdk.log import mask_secret

from cxreports import AsyncClient, Client, CxReportsError

__all__ = ["CxReportsHook"]


def _extra(extras: dict[str, Any], name: str) -> Any:
    """An extra by its plain name, or by the ``extra__cxreports__`` name older UIs saved."""
    value = extras.get(name, extras.get(f"extra__cxreports__{name}"))
    return None if value == "" else value


def _number(value: Any, name: str, kind: type[int] | type[float]) -> Any:
    if value is None:
        return None
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"cxreports connection: extra {name!r} must be a {kind.__name__}, got {value!r}"
        ) from None
    if number < 0:
        raise ValueError(f"cxreports connection: extra {name!r} must not be negative")
    return number


class CxReportsHook(BaseHook):
    """Build a :class:`cxreports.Client` or :class:`cxreports.AsyncClient` from a connection.

    ``workspace``, ``timeout`` and ``max_retries`` given here win over the connection's
    extras; what neither sets keeps the client's defaults.
    """

    conn_name_attr = "cxreports_conn_id"
    default_conn_name = "cxreports_default"
    conn_type = "cxreports"
    hook_name = "CxReports"

    def __init__(
        self,
        cxreports_conn_id: str = default_conn_name,
        *,
        workspace: str | int | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> None:
        super().__init__()
        self.cxreports_conn_id = cxreports_conn_id
        self.workspace = workspace
        self.timeout = timeout
        self.max_retries = max_retries

    def __repr__(self) -> str:
        return f"CxReportsHook(cxreports_conn_id={self.cxreports_conn_id!r})"

    def client_options(self, conn: Any) -> dict[str, Any]:
        """The keyword arguments of ``Client`` for this connection (they hold the token)."""
        host = (conn.host or "").strip().rstrip("/")
        if not host:
            raise ValueError(
                f"cxreports connection {self.cxreports_conn_id!r} has no host: set it to the "
                "base URL of your CxReports server, e.g. https://reports.example.com"
            )
        if "://" not in host:
            host = f"{conn.schema or 'https'}://{host}"
            if conn.port:
                host += f":{conn.port}"
        if not conn.password:
            raise ValueError(
                f"cxreports connection {self.cxreports_conn_id!r} has no password: "
                "set it to your CxReports API token"
            )
        # Airflow masks connection passwords in task logs; say so here too, for connections
        # that reach the hook by other ways (dag.test() reads env connections unmasked).
        mask_secret(conn.password)
        extras = conn.extra_dejson
        options: dict[str, Any] = {
            "base_url": host,
            "token": conn.password,
            "workspace": self.workspace
            if self.workspace is not None
            else _extra(extras, "workspace"),
        }
        timeout = self.timeout if self.timeout is not None else _extra(extras, "timeout")
        if (timeout := _number(timeout, "timeout", float)) is not None:
            options["timeout"] = timeout
        retries = self.max_retries if self.max_retries is not None else _extra(extras, "retries")
        if (retries := _number(retries, "retries", int)) is not None:
            options["max_retries"] = retries
        return options

    def get_conn(self) -> Client:
        """A new synchronous client; use it as a context manager so it is closed."""
        return Client(**self.client_options(self.get_connection(self.cxreports_conn_id)))

    get_client = get_conn

    async def get_async_client(self) -> AsyncClient:
        """A new asyncio client, for triggers; reads the connection without blocking the loop."""
        conn = await self.aget_connection(self.cxreports_conn_id)
        return AsyncClient(**self.client_options(conn))

    def test_connection(self) -> tuple[bool, str]:
        """List the workspaces the token can see, and check the default one is among them."""
        try:
            with self.get_conn() as client:
                workspaces = client.workspaces()
                default = client.workspace
        except (CxReportsError, ValueError) as exc:
            return False, str(exc)
        known = {str(ws.id) for ws in workspaces} | {ws.code for ws in workspaces if ws.code}
        if default is not None and default not in known:
            return False, (
                f"connected, but the default workspace {default!r} is not among the "
                f"{len(workspaces)} workspace(s) this token can see"
            )
        return True, f"connected: {len(workspaces)} workspace(s) visible"
