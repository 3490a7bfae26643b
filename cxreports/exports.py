"""Handles on server-side work that finishes later: async exports and job runs.

A handle holds only ids; every method asks the server. The sync and async variants
differ only in ``await``: what they send and how they poll comes from the client core.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .models import Document, ExportStatus, JobRunStatus

if TYPE_CHECKING:
    from ._base_client import RenderKey
    from ._client import AsyncClient, Client
    from ._polling import Flow

__all__ = ["AsyncExport", "AsyncJobRun", "Export", "JobRun"]

C = TypeVar("C", "Client", "AsyncClient")

DEFAULT_EXPORT_TIMEOUT = 600.0
DEFAULT_JOB_TIMEOUT = 1800.0
S = TypeVar("S", ExportStatus, JobRunStatus)


def _recorder(handle: Any, on_status: Callable[[S], object] | None) -> Callable[[S], object]:
    """Keep ``handle.last_status`` current while polling, then call the user's callback."""

    def record(status: S) -> None:
        handle.last_status = status
        if on_status is not None:
            on_status(status)

    return record


class _ExportHandle(Generic[C]):
    __slots__ = ("_client", "_render", "_started", "id", "last_status", "workspace")
    _client: C

    def __init__(
        self,
        client: C,
        id: int,
        workspace: str,
        render: RenderKey | None = None,
        started: float | None = None,
    ) -> None:
        self._client = client
        self.id = id
        self.workspace = workspace
        self.last_status: ExportStatus | None = None
        # Set by start_export: the report and format, and when it started, so that wait()
        # learns this render's time and polls later ones of the same report less.
        self._render = render
        self._started = started

    def _wait_flow(
        self, timeout: float, on_status: Callable[[ExportStatus], object] | None
    ) -> Flow[ExportStatus]:
        return self._client._export_wait_flow(
            self.workspace, self.id, timeout, _recorder(self, on_status),
            self._render, self._started,
        )  # fmt: skip

    def __repr__(self) -> str:
        status = self.last_status.status if self.last_status else "unknown"
        return (
            f"{type(self).__name__}(id={self.id}, workspace={self.workspace!r}, status={status!r})"
        )


class Export(_ExportHandle["Client"]):
    """An export started with ``start_export`` (or a job's review document)."""

    def status(self) -> ExportStatus:
        self.last_status = self._client._call(
            self._client._export_status_call(self.workspace, self.id)
        )
        return self.last_status

    def wait(
        self,
        timeout: float = DEFAULT_EXPORT_TIMEOUT,
        *,
        on_status: Callable[[ExportStatus], object] | None = None,
    ) -> Export:
        """Poll until the file is ready; raise ExportFailedError or WaitTimeoutError."""
        self._client._run(self._wait_flow(timeout, on_status))
        return self

    def content(self) -> Document:
        return self._client._call(self._client._export_content_call(self.workspace, self.id))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Stream the finished file to ``path`` (a file, or a folder for the server's name)."""
        return self._client._download(
            self._client._export_content_call(self.workspace, self.id), path
        )


class AsyncExport(_ExportHandle["AsyncClient"]):
    """The asyncio twin of :class:`Export`."""

    async def status(self) -> ExportStatus:
        self.last_status = await self._client._call(
            self._client._export_status_call(self.workspace, self.id)
        )
        return self.last_status

    async def wait(
        self,
        timeout: float = DEFAULT_EXPORT_TIMEOUT,
        *,
        on_status: Callable[[ExportStatus], object] | None = None,
    ) -> AsyncExport:
        await self._client._run(self._wait_flow(timeout, on_status))
        return self

    async def content(self) -> Document:
        return await self._client._call(self._client._export_content_call(self.workspace, self.id))

    async def save(self, path: str | os.PathLike[str]) -> Path:
        return await self._client._download(
            self._client._export_content_call(self.workspace, self.id), path
        )


class _JobRunHandle(Generic[C]):
    __slots__ = ("_client", "id", "job", "last_status", "workspace")
    _client: C

    def __init__(self, client: C, id: int, job: str, workspace: str) -> None:
        self._client = client
        self.id = id
        self.job = job
        self.workspace = workspace
        self.last_status: JobRunStatus | None = None

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(id={self.id}, job={self.job!r}, workspace={self.workspace!r})"
        )


class JobRun(_JobRunHandle["Client"]):
    """A run of a job: poll it, get its review document, deliver it."""

    def status(self) -> JobRunStatus:
        call = self._client._job_run_status_call(self.workspace, self.job, self.id)
        self.last_status = self._client._call(call)
        return self.last_status

    def wait(
        self,
        timeout: float = DEFAULT_JOB_TIMEOUT,
        *,
        on_status: Callable[[JobRunStatus], object] | None = None,
    ) -> JobRunStatus:
        """Poll until the run is finished (nothing left queued); return its last status."""
        flow = self._client._job_run_wait_flow(
            self.workspace, self.job, self.id, timeout, _recorder(self, on_status)
        )
        return self._client._run(flow)

    def review_document(self) -> Export:
        """Ask for the consolidated review document; wait on the returned export."""
        call = self._client._review_document_call(self.workspace, self.job, self.id)
        return Export(self._client, self._client._call(call), self.workspace)

    def deliver(self) -> None:
        self._client._call(self._client._deliver_call(self.workspace, self.job, self.id))


class AsyncJobRun(_JobRunHandle["AsyncClient"]):
    """The asyncio twin of :class:`JobRun`."""

    async def status(self) -> JobRunStatus:
        call = self._client._job_run_status_call(self.workspace, self.job, self.id)
        self.last_status = await self._client._call(call)
        return self.last_status

    async def wait(
        self,
        timeout: float = DEFAULT_JOB_TIMEOUT,
        *,
        on_status: Callable[[JobRunStatus], object] | None = None,
    ) -> JobRunStatus:
        flow = self._client._job_run_wait_flow(
            self.workspace, self.job, self.id, timeout, _recorder(self, on_status)
        )
        return await self._client._run(flow)

    async def review_document(self) -> AsyncExport:
        call = self._client._review_document_call(self.workspace, self.job, self.id)
        return AsyncExport(self._client, await self._client._call(call), self.workspace)

    async def deliver(self) -> None:
        await self._client._call(self._client._deliver_call(self.workspace, self.job, self.id))
