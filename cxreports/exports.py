"""Handles on server-side work that finishes later: async exports and job runs.

A handle holds only ids; every method asks the server. The sync and async variants
differ only in ``await``: what they send and how they poll comes from the client core.
Methods that send one request take the client's per-call options (``extra_headers``,
``extra_query``, ``extra_body``, ``timeout``); ``wait`` does not (its ``timeout`` bounds the
whole wait).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

from ._request_options import RequestOptions
from .models import Document, ExportStatus, JobRunStatus

if TYPE_CHECKING:
    from ._client import AsyncClient, Client

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
    __slots__ = ("_client", "id", "last_status", "workspace")
    _client: C

    def __init__(self, client: C, id: int, workspace: str) -> None:
        self._client = client
        self.id = id
        self.workspace = workspace
        self.last_status: ExportStatus | None = None

    def __repr__(self) -> str:
        status = self.last_status.status if self.last_status else "unknown"
        return (
            f"{type(self).__name__}(id={self.id}, workspace={self.workspace!r}, status={status!r})"
        )


class Export(_ExportHandle["Client"]):
    """An export started with ``start_export`` (or a job's review document)."""

    def status(self, **options: Unpack[RequestOptions]) -> ExportStatus:
        call = self._client._export_status_call(self.workspace, self.id)
        self.last_status = self._client._call(call, self._client._per_call(options))
        return self.last_status

    def wait(
        self,
        timeout: float = DEFAULT_EXPORT_TIMEOUT,
        *,
        on_status: Callable[[ExportStatus], object] | None = None,
    ) -> Export:
        """Poll until the file is ready; raise ExportFailedError or WaitTimeoutError."""
        flow = self._client._export_wait_flow(
            self.workspace, self.id, timeout, _recorder(self, on_status)
        )
        self._client._run(flow)
        return self

    def content(self, **options: Unpack[RequestOptions]) -> Document:
        call = self._client._export_content_call(self.workspace, self.id)
        return self._client._call(call, self._client._per_call(options))

    def save(self, path: str | os.PathLike[str], **options: Unpack[RequestOptions]) -> Path:
        """Stream the finished file to ``path`` (a file, or a folder for the server's name)."""
        call = self._client._export_content_call(self.workspace, self.id)
        return self._client._download(call, path, self._client._per_call(options))


class AsyncExport(_ExportHandle["AsyncClient"]):
    """The asyncio twin of :class:`Export`."""

    async def status(self, **options: Unpack[RequestOptions]) -> ExportStatus:
        call = self._client._export_status_call(self.workspace, self.id)
        self.last_status = await self._client._call(call, self._client._per_call(options))
        return self.last_status

    async def wait(
        self,
        timeout: float = DEFAULT_EXPORT_TIMEOUT,
        *,
        on_status: Callable[[ExportStatus], object] | None = None,
    ) -> AsyncExport:
        flow = self._client._export_wait_flow(
            self.workspace, self.id, timeout, _recorder(self, on_status)
        )
        await self._client._run(flow)
        return self

    async def content(self, **options: Unpack[RequestOptions]) -> Document:
        call = self._client._export_content_call(self.workspace, self.id)
        return await self._client._call(call, self._client._per_call(options))

    async def save(self, path: str | os.PathLike[str], **options: Unpack[RequestOptions]) -> Path:
        call = self._client._export_content_call(self.workspace, self.id)
        return await self._client._download(call, path, self._client._per_call(options))


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

    def status(self, **options: Unpack[RequestOptions]) -> JobRunStatus:
        call = self._client._job_run_status_call(self.workspace, self.job, self.id)
        self.last_status = self._client._call(call, self._client._per_call(options))
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

    def review_document(self, **options: Unpack[RequestOptions]) -> Export:
        """Ask for the consolidated review document; wait on the returned export."""
        call = self._client._review_document_call(self.workspace, self.job, self.id)
        export_id = self._client._call(call, self._client._per_call(options))
        return Export(self._client, export_id, self.workspace)

    def deliver(self, **options: Unpack[RequestOptions]) -> None:
        call = self._client._deliver_call(self.workspace, self.job, self.id)
        self._client._call(call, self._client._per_call(options))


class AsyncJobRun(_JobRunHandle["AsyncClient"]):
    """The asyncio twin of :class:`JobRun`."""

    async def status(self, **options: Unpack[RequestOptions]) -> JobRunStatus:
        call = self._client._job_run_status_call(self.workspace, self.job, self.id)
        self.last_status = await self._client._call(call, self._client._per_call(options))
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

    async def review_document(self, **options: Unpack[RequestOptions]) -> AsyncExport:
        call = self._client._review_document_call(self.workspace, self.job, self.id)
        export_id = await self._client._call(call, self._client._per_call(options))
        return AsyncExport(self._client, export_id, self.workspace)

    async def deliver(self, **options: Unpack[RequestOptions]) -> None:
        call = self._client._deliver_call(self.workspace, self.job, self.id)
        await self._client._call(call, self._client._per_call(options))
