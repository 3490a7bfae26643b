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
        self, timeout: float | None, on_status: Callable[[ExportStatus], object] | None
    ) -> Flow[ExportStatus]:
        return self._client._export_wait_flow(
            self.workspace, self.id, timeout, _recorder(self, on_status),
            self._render, self._started,
        )  # fmt: skip

    def __repr__(self) -> str:
        # Only what is known: a handle that was never polled has no status yet.
        status = f"status={self.last_status.status!r}" if self.last_status else "not polled yet"
        return f"{type(self).__name__}(id={self.id}, workspace={self.workspace!r}, {status})"


class Export(_ExportHandle["Client"]):
    """A handle on an export the server renders in the background.

    Returned by [`Client.start_export()`][cxreports.Client.start_export],
    [`Client.get_export()`][cxreports.Client.get_export] and
    [`JobRun.review_document()`][cxreports.JobRun.review_document]; not made directly. It
    holds only ids: every method asks the server.

    Attributes:
        id: The server's ``temporaryFileId``: keep it to resume with ``get_export(id)``.
        workspace: The workspace the export runs in.
        last_status: The last [`ExportStatus`][cxreports.ExportStatus] seen by
            [`status()`][cxreports.Export.status] or [`wait()`][cxreports.Export.wait];
            ``None`` until polled.
    """

    def status(self, **options: Unpack[RequestOptions]) -> ExportStatus:
        """Ask the server how the export is doing (one request).

        The answer is also kept in ``last_status``. A failed export is a status like any other
        here: [`wait()`][cxreports.Export.wait] is what raises for it.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The status: ``status`` is ``"InProgress"``, ``"Completed"`` or ``"Failed"``, and
            ``is_ready`` says whether the file can be fetched.

        Raises:
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the export does not exist, has expired or was deleted.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
        call = self._client._export_status_call(self.workspace, self.id)
        self.last_status = self._client._call(call, self._client._per_call(options))
        return self.last_status

    def wait(
        self,
        timeout: float | None = DEFAULT_EXPORT_TIMEOUT,
        *,
        on_status: Callable[[ExportStatus], object] | None = None,
    ) -> Export:
        """Poll the status until the file is ready; return this handle.

        The pause between status calls grows with the time waited (a tenth of it, from 10 ms to
        5 s), so the file is seen soon after it is ready without flooding the server. Each
        status is kept in ``last_status``. Each status call has the client's own timeout and
        retries.

        Args:
            timeout: Seconds to wait in all (default 600); ``None`` waits as long as the export
                takes. It bounds the whole wait, not each request.
            on_status: Called with each [`ExportStatus`][cxreports.ExportStatus] polled, e.g. to
                show progress. An exception it raises ends the wait and propagates.

        Returns:
            This handle, ready to fetch: ``export.wait().save(path)``.

        Raises:
            ExportFailedError: The server reported the export as ``Failed``; ``message`` is the
                server's reason.
            WaitTimeoutError: ``timeout`` ran out first. The export goes on on the server;
                ``last_status`` is the last status seen.
            ValueError: ``timeout`` is not a positive number or ``None``; raised before any
                request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the export does not exist, has expired or was deleted.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
        """
        self._client._run(self._wait_flow(timeout, on_status))
        return self

    def content(self, **options: Unpack[RequestOptions]) -> Document:
        """Fetch the finished file into memory (one request).

        Call it once the export is ready (after [`wait()`][cxreports.Export.wait]). For large
        files, [`save()`][cxreports.Export.save] streams to disk instead.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The file: its ``content`` (bytes), ``content_type`` and the server's ``filename``.

        Raises:
            BadRequestError: 400: the file is not ready yet, or empty.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the export does not exist, has expired or was deleted.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer whose content type no export format has (a JSON
                error with status 200, say).
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
        call = self._client._export_content_call(self.workspace, self.id)
        return self._client._call(call, self._client._per_call(options))

    def save(self, path: str | os.PathLike[str], **options: Unpack[RequestOptions]) -> Path:
        """Stream the finished file to ``path`` (one request).

        Call it once the export is ready (after [`wait()`][cxreports.Export.wait]). The body goes
        to a temporary ``.part`` file beside the target, renamed into place once complete:
        ``path`` never holds a partial file, and a file already there survives a failure.

        Args:
            path: The file to write, or an existing folder: the file then gets the server's file
                name inside it, made safe (never a path outside the folder).
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            Where the file landed.

        Raises:
            FileNotFoundError: The folder of ``path`` does not exist, or ``path`` ends in a
                separator and is not an existing folder; raised before any request.
            NotADirectoryError: The parent of ``path`` is not a folder; raised before any request.
            PermissionError: The folder is not writable; raised before any request.
            OSError: Writing the file failed (a full disk, say); nothing is left behind.
            BadRequestError: 400: the file is not ready yet, or empty.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the export does not exist, has expired or was deleted.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer whose content type no export format has (a JSON
                error with status 200, say).
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
        call = self._client._export_content_call(self.workspace, self.id)
        return self._client._download(call, path, self._client._per_call(options))


class AsyncExport(_ExportHandle["AsyncClient"]):
    """The asyncio twin of [`Export`][cxreports.Export]: the same methods, as coroutines.

    Returned by [`AsyncClient.start_export()`][cxreports.AsyncClient.start_export],
    [`AsyncClient.get_export()`][cxreports.AsyncClient.get_export] and
    [`AsyncJobRun.review_document()`][cxreports.AsyncJobRun.review_document]; not made directly. It
    holds only ids: every method asks the server.

    Attributes:
        id: The server's ``temporaryFileId``: keep it to resume with ``get_export(id)``.
        workspace: The workspace the export runs in.
        last_status: The last [`ExportStatus`][cxreports.ExportStatus] seen by
            [`status()`][cxreports.AsyncExport.status] or [`wait()`][cxreports.AsyncExport.wait];
            ``None`` until polled.
    """

    async def status(self, **options: Unpack[RequestOptions]) -> ExportStatus:
        """Ask the server how the export is doing (one request).

        The answer is also kept in ``last_status``. A failed export is a status like any other
        here: [`wait()`][cxreports.AsyncExport.wait] is what raises for it.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The status: ``status`` is ``"InProgress"``, ``"Completed"`` or ``"Failed"``, and
            ``is_ready`` says whether the file can be fetched.

        Raises:
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the export does not exist, has expired or was deleted.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
        call = self._client._export_status_call(self.workspace, self.id)
        self.last_status = await self._client._call(call, self._client._per_call(options))
        return self.last_status

    async def wait(
        self,
        timeout: float | None = DEFAULT_EXPORT_TIMEOUT,
        *,
        on_status: Callable[[ExportStatus], object] | None = None,
    ) -> AsyncExport:
        """Poll the status until the file is ready; return this handle.

        The pause between status calls grows with the time waited (a tenth of it, from 10 ms to
        5 s), so the file is seen soon after it is ready without flooding the server. Each
        status is kept in ``last_status``. Each status call has the client's own timeout and
        retries.

        Args:
            timeout: Seconds to wait in all (default 600); ``None`` waits as long as the export
                takes. It bounds the whole wait, not each request.
            on_status: Called with each [`ExportStatus`][cxreports.ExportStatus] polled, e.g. to
                show progress. An exception it raises ends the wait and propagates.

        Returns:
            This handle, ready to fetch: ``await (await export.wait()).save(path)``.

        Raises:
            ExportFailedError: The server reported the export as ``Failed``; ``message`` is the
                server's reason.
            WaitTimeoutError: ``timeout`` ran out first. The export goes on on the server;
                ``last_status`` is the last status seen.
            ValueError: ``timeout`` is not a positive number or ``None``; raised before any
                request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the export does not exist, has expired or was deleted.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
        """
        await self._client._run(self._wait_flow(timeout, on_status))
        return self

    async def content(self, **options: Unpack[RequestOptions]) -> Document:
        """Fetch the finished file into memory (one request).

        Call it once the export is ready (after [`wait()`][cxreports.AsyncExport.wait]). For large
        files, [`save()`][cxreports.AsyncExport.save] streams to disk instead.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The file: its ``content`` (bytes), ``content_type`` and the server's ``filename``.

        Raises:
            BadRequestError: 400: the file is not ready yet, or empty.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the export does not exist, has expired or was deleted.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer whose content type no export format has (a JSON
                error with status 200, say).
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
        call = self._client._export_content_call(self.workspace, self.id)
        return await self._client._call(call, self._client._per_call(options))

    async def save(self, path: str | os.PathLike[str], **options: Unpack[RequestOptions]) -> Path:
        """Stream the finished file to ``path`` (one request).

        Call it once the export is ready (after [`wait()`][cxreports.AsyncExport.wait]). The body
        goes to a temporary ``.part`` file beside the target, renamed into place once complete:
        ``path`` never holds a partial file, and a file already there survives a failure.

        Args:
            path: The file to write, or an existing folder: the file then gets the server's file
                name inside it, made safe (never a path outside the folder).
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            Where the file landed.

        Raises:
            FileNotFoundError: The folder of ``path`` does not exist, or ``path`` ends in a
                separator and is not an existing folder; raised before any request.
            NotADirectoryError: The parent of ``path`` is not a folder; raised before any request.
            PermissionError: The folder is not writable; raised before any request.
            OSError: Writing the file failed (a full disk, say); nothing is left behind.
            BadRequestError: 400: the file is not ready yet, or empty.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the export does not exist, has expired or was deleted.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer whose content type no export format has (a JSON
                error with status 200, say).
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
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
    """A handle on a run of a job: poll it, get its review document, deliver it.

    Returned by [`Client.start_job_run()`][cxreports.Client.start_job_run] and
    [`Client.get_job_run()`][cxreports.Client.get_job_run]; not made directly. It holds only
    ids: every method asks the server.

    Attributes:
        id: The server's ``jobRunId``: keep it to resume with ``get_job_run(job, id)``.
        job: The job's id or code, as the path names it.
        workspace: The workspace of the job.
        last_status: The last [`JobRunStatus`][cxreports.JobRunStatus] seen by
            [`status()`][cxreports.JobRun.status] or [`wait()`][cxreports.JobRun.wait];
            ``None`` until polled.
    """

    def status(self, **options: Unpack[RequestOptions]) -> JobRunStatus:
        """Ask the server how the run is doing (one request).

        The answer is also kept in ``last_status``.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The status: whether the run is ``finished``, and how many of its ``entries`` are
            ``queued``, awaiting ``review``, ``completed`` or in ``errors``.

        Raises:
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, job or job run.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
        call = self._client._job_run_status_call(self.workspace, self.job, self.id)
        self.last_status = self._client._call(call, self._client._per_call(options))
        return self.last_status

    def wait(
        self,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
        *,
        on_status: Callable[[JobRunStatus], object] | None = None,
    ) -> JobRunStatus:
        """Poll the status until the run is finished (nothing left queued); return that status.

        The pause between status calls grows with the time waited (a tenth of it, from 10 ms to
        5 s). A finished run may still have entries in ``errors`` or awaiting ``review``: look at
        the returned counts. Each status call has the client's own timeout and retries.

        Args:
            timeout: Seconds to wait in all (default 1800); ``None`` waits as long as the run
                takes. It bounds the whole wait, not each request.
            on_status: Called with each [`JobRunStatus`][cxreports.JobRunStatus] polled, e.g. to
                show progress. An exception it raises ends the wait and propagates.

        Returns:
            The last status, finished.

        Raises:
            WaitTimeoutError: ``timeout`` ran out first. The run goes on on the server;
                ``last_status`` is the last status seen.
            ValueError: ``timeout`` is not a positive number or ``None``; raised before any
                request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, job or job run.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
        """
        flow = self._client._job_run_wait_flow(
            self.workspace, self.job, self.id, timeout, _recorder(self, on_status)
        )
        return self._client._run(flow)

    def review_document(self, **options: Unpack[RequestOptions]) -> Export:
        """Ask for the run's consolidated review document (one request).

        The server renders it like an async export: wait on the returned handle, then save it.
        The request is retried only when it cannot have reached the server.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            A handle on the document's export: ``run.review_document().wait().save(path)``.

        Raises:
            BadRequestError: 400: the run cannot be reviewed now (entries are still queued).
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, job or job run.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
        call = self._client._review_document_call(self.workspace, self.job, self.id)
        export_id = self._client._call(call, self._client._per_call(options))
        return Export(self._client, export_id, self.workspace)

    def deliver(self, **options: Unpack[RequestOptions]) -> None:
        """Deliver the run's entries after review and approval (one request).

        Applies to jobs whose ``review_required`` is true. The request is retried only when it
        cannot have reached the server, so a retry never delivers twice.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Raises:
            BadRequestError: 400: the run cannot be delivered now (it is still running, or its
                job requires no review).
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, job or job run.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
        call = self._client._deliver_call(self.workspace, self.job, self.id)
        self._client._call(call, self._client._per_call(options))


class AsyncJobRun(_JobRunHandle["AsyncClient"]):
    """The asyncio twin of [`JobRun`][cxreports.JobRun]: the same methods, as coroutines.

    Returned by [`AsyncClient.start_job_run()`][cxreports.AsyncClient.start_job_run] and
    [`AsyncClient.get_job_run()`][cxreports.AsyncClient.get_job_run]; not made directly. It
    holds only ids: every method asks the server.

    Attributes:
        id: The server's ``jobRunId``: keep it to resume with ``get_job_run(job, id)``.
        job: The job's id or code, as the path names it.
        workspace: The workspace of the job.
        last_status: The last [`JobRunStatus`][cxreports.JobRunStatus] seen by
            [`status()`][cxreports.AsyncJobRun.status] or [`wait()`][cxreports.AsyncJobRun.wait];
            ``None`` until polled.
    """

    async def status(self, **options: Unpack[RequestOptions]) -> JobRunStatus:
        """Ask the server how the run is doing (one request).

        The answer is also kept in ``last_status``.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The status: whether the run is ``finished``, and how many of its ``entries`` are
            ``queued``, awaiting ``review``, ``completed`` or in ``errors``.

        Raises:
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, job or job run.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
        call = self._client._job_run_status_call(self.workspace, self.job, self.id)
        self.last_status = await self._client._call(call, self._client._per_call(options))
        return self.last_status

    async def wait(
        self,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
        *,
        on_status: Callable[[JobRunStatus], object] | None = None,
    ) -> JobRunStatus:
        """Poll the status until the run is finished (nothing left queued); return that status.

        The pause between status calls grows with the time waited (a tenth of it, from 10 ms to
        5 s). A finished run may still have entries in ``errors`` or awaiting ``review``: look at
        the returned counts. Each status call has the client's own timeout and retries.

        Args:
            timeout: Seconds to wait in all (default 1800); ``None`` waits as long as the run
                takes. It bounds the whole wait, not each request.
            on_status: Called with each [`JobRunStatus`][cxreports.JobRunStatus] polled, e.g. to
                show progress. An exception it raises ends the wait and propagates.

        Returns:
            The last status, finished.

        Raises:
            WaitTimeoutError: ``timeout`` ran out first. The run goes on on the server;
                ``last_status`` is the last status seen.
            ValueError: ``timeout`` is not a positive number or ``None``; raised before any
                request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, job or job run.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
        """
        flow = self._client._job_run_wait_flow(
            self.workspace, self.job, self.id, timeout, _recorder(self, on_status)
        )
        return await self._client._run(flow)

    async def review_document(self, **options: Unpack[RequestOptions]) -> AsyncExport:
        """Ask for the run's consolidated review document (one request).

        The server renders it like an async export: wait on the returned handle, then save it.
        The request is retried only when it cannot have reached the server.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            A handle on the document's export: ``export = await run.review_document()``, then
            ``await (await export.wait()).save(path)``.

        Raises:
            BadRequestError: 400: the run cannot be reviewed now (entries are still queued).
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, job or job run.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
        call = self._client._review_document_call(self.workspace, self.job, self.id)
        export_id = await self._client._call(call, self._client._per_call(options))
        return AsyncExport(self._client, export_id, self.workspace)

    async def deliver(self, **options: Unpack[RequestOptions]) -> None:
        """Deliver the run's entries after review and approval (one request).

        Applies to jobs whose ``review_required`` is true. The request is retried only when it
        cannot have reached the server, so a retry never delivers twice.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Raises:
            BadRequestError: 400: the run cannot be delivered now (it is still running, or its
                job requires no review).
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, job or job run.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: A request option that cannot be sent (``extra_headers`` setting
                ``Authorization``, ``extra_body`` on a GET); raised before any request.
        """
        call = self._client._deliver_call(self.workspace, self.job, self.id)
        await self._client._call(call, self._client._per_call(options))
