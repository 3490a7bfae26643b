"""``Client`` and ``AsyncClient``: thin shells that do the I/O for :class:`BaseClient`.

Each public method is one line: ask the core for a :class:`Call` (or a flow of them) and
send it. Only ``_send``, ``_run`` and the context-manager plumbing differ between the
two, as in httpx's own ``Client``/``AsyncClient``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar, Unpack

import httpx

from . import _options, _polling, _transports
from ._base_client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, NOT_GIVEN, BaseClient, Call
from ._files import PartFile
from ._options import ExportArgs
from ._polling import Flow, Sleep
from ._transports import AsyncTransport
from .errors import ConfigurationError
from .exports import AsyncExport, AsyncJobRun, Export, JobRun
from .models import (
    Document,
    ExportFormat,
    Job,
    Report,
    ReportPage,
    ReportType,
    Template,
    TemporaryData,
    Theme,
    Workspace,
    filename_from_disposition,
)

__all__ = ["AsyncClient", "Client"]

T = TypeVar("T")

WorkspaceRef = int | str | Workspace | None
ReportRef = int | str | Report
JobRef = int | str | Job
TempDataRef = int | TemporaryData | None
CHUNK = 64 * 1024
# Indirections so tests can observe backoff and polling without waiting them out.
_sleep = time.sleep


async def _async_sleep(seconds: float) -> None:
    import asyncio  # here, not at the top: `import cxreports` should not load asyncio

    await asyncio.sleep(seconds)


async def _in_thread(func: Callable[..., T], *args: Any) -> T:
    """Blocking file work (creating, fsyncing) off the event loop: on a busy disk it takes
    milliseconds, and concurrent downloads would queue behind it."""
    import asyncio

    return await asyncio.to_thread(func, *args)


def _final_path(part: PartFile, response: httpx.Response) -> Path:
    if not part.target.is_dir():
        return part.target
    name = filename_from_disposition(response.headers.get("Content-Disposition"))
    return part.target / (name or "report")


class Client(BaseClient):
    """A synchronous CxReports client with a pooled keep-alive connection.

    ``base_url``, ``token`` and ``workspace`` fall back to ``CXREPORTS_URL``,
    ``CXREPORTS_TOKEN`` and ``CXREPORTS_WORKSPACE``. Use it as a context manager, or
    call ``close()``.
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        workspace: int | str | Workspace | None = None,
        *,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        verify: Any = True,
        headers: dict[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            base_url, token, workspace, timeout=timeout, max_retries=max_retries, headers=headers
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(verify=verify, timeout=self.timeout)

    def with_options(
        self, *, timeout: float | httpx.Timeout | None = NOT_GIVEN, max_retries: int | None = None
    ) -> Client:
        """This client with other limits, for a call or a few; it shares the connection pool."""
        clone = object.__new__(type(self))
        clone._copy_config(self, timeout, max_retries)
        clone._http, clone._owns_http = self._http, False
        return clone

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- I/O: the only part that differs from AsyncClient ---------------------------------------

    def _send(self, call: Call[Any], part: PartFile | None = None) -> Any:
        attempt = 0
        while True:
            request = self._build_request(self._http, call)
            started = time.monotonic()
            response: httpx.Response | None = None
            try:
                response = self._http.send(request, stream=True, follow_redirects=True)
                try:
                    self._log(request, response.status_code, started, attempt)
                    if response.is_error:
                        response.read()
                        raise self._status_error(response)
                    if part is None:
                        response.read()
                        self._check_complete(response)
                        return call.parse(response)
                    part.restart()
                    for chunk in response.iter_bytes(CHUNK):
                        part.write(chunk)
                    self._check_complete(response)
                    return part.commit(_final_path(part, response))
                finally:
                    response.close()
            except Exception as exc:
                error = self._map_error(exc, request, response)
                if response is None:  # no status line to log: log the failure instead
                    self._log(request, type(error).__name__, started, attempt)
                delay = self._retry_delay(call, attempt, error, exc)
                if delay is None:
                    raise error from (None if error is exc else exc)
                attempt += 1
                _sleep(delay)

    def _call(self, call: Call[T]) -> T:
        result: T = self._send(call)
        return result

    def _download(self, call: Call[Any], path: str | os.PathLike[str]) -> Path:
        with PartFile(path) as part:
            result: Path = self._send(call, part)
        return result

    def _run(self, flow: Flow[T]) -> T:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Sleep):
                    _sleep(step.seconds)
                    step = flow.send(None)
                else:
                    step = flow.send(self._call(step))
        except StopIteration as stop:
            result: T = stop.value
            return result

    # -- the API ---------------------------------------------------------------------------------

    def workspaces(self) -> list[Workspace]:
        return self._call(self._workspaces_call())

    def report_types(self, workspace: WorkspaceRef = None) -> list[ReportType]:
        return self._call(self._report_types_call(workspace))

    def reports(self, type: str | None = None, workspace: WorkspaceRef = None) -> list[Report]:
        """All reports, or those of one report type; follows pages when the server pages."""
        return self._run(self._reports_flow(type, workspace))

    def report_pages(self, report: ReportRef, workspace: WorkspaceRef = None) -> list[ReportPage]:
        return self._call(self._report_pages_call(report, workspace))

    def templates(self, workspace: WorkspaceRef = None) -> list[Template]:
        return self._call(self._templates_call(workspace))

    def themes(self, workspace: WorkspaceRef = None) -> list[Theme]:
        return self._call(self._themes_call(workspace))

    def jobs(self, workspace: WorkspaceRef = None) -> list[Job]:
        return self._call(self._jobs_call(workspace))

    def export(
        self,
        report: ReportRef,
        format: ExportFormat = "pdf",
        params: Any = None,
        data: Any = None,
        temp_data: TempDataRef = None,
        lang: str | None = None,
        timezone: str | None = None,
        theme: str | int | None = None,
        template: str | int | None = None,
        include_attachments: bool = False,
        workspace: WorkspaceRef = None,
    ) -> Document:
        """Render now and return the file in memory.

        Inline ``data`` goes by POST in a JSON body, ``temp_data`` by GET as ``tempDataId``.
        """
        options = ExportArgs(
            format=format, params=params, data=data, temp_data=temp_data, lang=lang,
            timezone=timezone, theme=theme, template=template,
            include_attachments=include_attachments, workspace=workspace,
        )  # fmt: skip
        return self._call(self._export_call(report, options))

    def export_to_file(
        self, report: ReportRef, path: str | os.PathLike[str], **options: Unpack[ExportArgs]
    ) -> Path:
        """Render now and stream the file to ``path`` (a folder gets the server's file name).

        Takes the options of :meth:`export`. The file appears only once complete; returns
        where it landed.
        """
        return self._download(self._export_call(report, options), path)

    def start_export(
        self,
        report: ReportRef,
        exclude_pages: Iterable[int | ReportPage] | None = None,
        **options: Unpack[ExportArgs],
    ) -> Export:
        """Queue a render on the server and return a handle to ``wait()`` on.

        Takes the options of :meth:`export`, and the ids of report pages to leave out.
        """
        ws, checked = self._export_options({**options, "exclude_pages": exclude_pages})
        render, started = (_options.report_ref(report), checked.format), _polling.monotonic()
        export_id = self._call(self._start_export_call(report, ws, checked))
        return Export(self, export_id, ws, render, started)

    def get_export(self, temp_file_id: int, workspace: WorkspaceRef = None) -> Export:
        """A handle on an export started elsewhere (no request is made)."""
        export_id = _options.int_id(temp_file_id, "temp_file_id")
        return Export(self, export_id, self._workspace(workspace))

    def push_temporary_data(
        self, content: Any, expires: Any = None, workspace: WorkspaceRef = None
    ) -> TemporaryData:
        """Upload data once, to pass as ``temp_data=`` to later exports.

        ``expires`` is a datetime (naive means local time) or a timedelta from now.
        """
        return self._call(self._push_temporary_data_call(content, expires, workspace))

    def create_nonce(self) -> str:
        """A single-use token that a browser exchanges for a session cookie."""
        return self._call(self._nonce_call())

    def preview_url(
        self,
        report: ReportRef,
        params: Any = None,
        data: Any = None,
        temp_data: TempDataRef = None,
        timezone: str | None = None,
        theme: str | int | None = None,
        template: str | int | None = None,
        hide_print_button: bool = False,
        workspace: WorkspaceRef = None,
    ) -> str:
        """A nonce-signed preview URL for an iframe; the token never reaches the browser."""
        options = dict(
            params=params, data=data, temp_data=temp_data, timezone=timezone, theme=theme,
            template=template, hide_print_button=hide_print_button, workspace=workspace,
        )  # fmt: skip
        return self._run(self._preview_url_flow(report, options))

    def download_url(self, report: ReportRef, **options: Unpack[ExportArgs]) -> str:
        """A nonce-signed GET export URL that a browser can open once (options of export)."""
        return self._run(self._download_url_flow(report, options))

    def start_job_run(
        self, job: JobRef, params: Any = None, data: Any = None, workspace: WorkspaceRef = None
    ) -> JobRun:
        ws, ref = self._workspace(workspace), _options.job_ref(job)
        return JobRun(self, self._call(self._start_job_run_call(ref, params, data, ws)), ref, ws)

    def get_job_run(self, job: JobRef, run_id: int, workspace: WorkspaceRef = None) -> JobRun:
        """A handle on a run started elsewhere (no request is made)."""
        ws, ref = self._workspace(workspace), _options.job_ref(job)
        return JobRun(self, _options.int_id(run_id, "run_id"), ref, ws)


class AsyncClient(BaseClient):
    """The asyncio twin of :class:`Client`: the same methods, as coroutines.

    With the ``aiohttp`` extra installed, requests go through httpx on aiohttp
    (``transport="aiohttp"``, the default then); ``transport="httpcore"`` or
    ``CXREPORTS_ASYNC_TRANSPORT=httpcore`` keeps httpx's own. ``transport`` is None when an
    ``http_client`` was given.
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        workspace: int | str | Workspace | None = None,
        *,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        verify: Any = True,
        headers: dict[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: AsyncTransport | None = None,
    ) -> None:
        super().__init__(
            base_url, token, workspace, timeout=timeout, max_retries=max_retries, headers=headers
        )
        self._owns_http = http_client is None
        if http_client is not None:
            if transport is not None:
                raise ConfigurationError(
                    "pass transport= or http_client=, not both: the transport of a given "
                    "http_client is the one it was built with"
                )
            self._http = http_client
            self.transport: AsyncTransport | None = None
        else:
            self.transport = _transports.choose(transport)
            self._http = _transports.async_http_client(
                self.transport, verify=verify, timeout=self.timeout
            )

    def with_options(
        self, *, timeout: float | httpx.Timeout | None = NOT_GIVEN, max_retries: int | None = None
    ) -> AsyncClient:
        """This client with other limits, for a call or a few; it shares the connection pool."""
        clone = object.__new__(type(self))
        clone._copy_config(self, timeout, max_retries)
        clone._http, clone._owns_http = self._http, False
        clone.transport = self.transport
        return clone

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- I/O: the only part that differs from Client ----------------------------------------------

    async def _send(self, call: Call[Any], part: PartFile | None = None) -> Any:
        attempt = 0
        while True:
            request = self._build_request(self._http, call)
            started = time.monotonic()
            response: httpx.Response | None = None
            try:
                response = await self._http.send(request, stream=True, follow_redirects=True)
                try:
                    self._log(request, response.status_code, started, attempt)
                    if response.is_error:
                        await response.aread()
                        raise self._status_error(response)
                    if part is None:
                        await response.aread()
                        self._check_complete(response)
                        return call.parse(response)
                    part.restart()
                    # 64 KiB writes land in the page cache and stay on the loop; the fsync of
                    # the commit takes milliseconds, so it runs in a worker thread.
                    async for chunk in response.aiter_bytes(CHUNK):
                        part.write(chunk)
                    self._check_complete(response)
                    return await _in_thread(part.commit, _final_path(part, response))
                finally:
                    await response.aclose()
            except Exception as exc:
                error = self._map_error(exc, request, response)
                if response is None:  # no status line to log: log the failure instead
                    self._log(request, type(error).__name__, started, attempt)
                delay = self._retry_delay(call, attempt, error, exc)
                if delay is None:
                    raise error from (None if error is exc else exc)
                attempt += 1
                await _async_sleep(delay)

    async def _call(self, call: Call[T]) -> T:
        result: T = await self._send(call)
        return result

    async def _download(self, call: Call[Any], path: str | os.PathLike[str]) -> Path:
        with await _in_thread(PartFile, path) as part:
            result: Path = await self._send(call, part)
        return result

    async def _run(self, flow: Flow[T]) -> T:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Sleep):
                    await _async_sleep(step.seconds)
                    step = flow.send(None)
                else:
                    step = flow.send(await self._call(step))
        except StopIteration as stop:
            result: T = stop.value
            return result

    # -- the API ---------------------------------------------------------------------------------

    async def workspaces(self) -> list[Workspace]:
        return await self._call(self._workspaces_call())

    async def report_types(self, workspace: WorkspaceRef = None) -> list[ReportType]:
        return await self._call(self._report_types_call(workspace))

    async def reports(
        self, type: str | None = None, workspace: WorkspaceRef = None
    ) -> list[Report]:
        return await self._run(self._reports_flow(type, workspace))

    async def report_pages(
        self, report: ReportRef, workspace: WorkspaceRef = None
    ) -> list[ReportPage]:
        return await self._call(self._report_pages_call(report, workspace))

    async def templates(self, workspace: WorkspaceRef = None) -> list[Template]:
        return await self._call(self._templates_call(workspace))

    async def themes(self, workspace: WorkspaceRef = None) -> list[Theme]:
        return await self._call(self._themes_call(workspace))

    async def jobs(self, workspace: WorkspaceRef = None) -> list[Job]:
        return await self._call(self._jobs_call(workspace))

    async def export(
        self,
        report: ReportRef,
        format: ExportFormat = "pdf",
        params: Any = None,
        data: Any = None,
        temp_data: TempDataRef = None,
        lang: str | None = None,
        timezone: str | None = None,
        theme: str | int | None = None,
        template: str | int | None = None,
        include_attachments: bool = False,
        workspace: WorkspaceRef = None,
    ) -> Document:
        options = ExportArgs(
            format=format, params=params, data=data, temp_data=temp_data, lang=lang,
            timezone=timezone, theme=theme, template=template,
            include_attachments=include_attachments, workspace=workspace,
        )  # fmt: skip
        return await self._call(self._export_call(report, options))

    async def export_to_file(
        self, report: ReportRef, path: str | os.PathLike[str], **options: Unpack[ExportArgs]
    ) -> Path:
        return await self._download(self._export_call(report, options), path)

    async def start_export(
        self,
        report: ReportRef,
        exclude_pages: Iterable[int | ReportPage] | None = None,
        **options: Unpack[ExportArgs],
    ) -> AsyncExport:
        ws, checked = self._export_options({**options, "exclude_pages": exclude_pages})
        render, started = (_options.report_ref(report), checked.format), _polling.monotonic()
        export_id = await self._call(self._start_export_call(report, ws, checked))
        return AsyncExport(self, export_id, ws, render, started)

    def get_export(self, temp_file_id: int, workspace: WorkspaceRef = None) -> AsyncExport:
        """A handle on an export started elsewhere (no request is made, so not a coroutine)."""
        export_id = _options.int_id(temp_file_id, "temp_file_id")
        return AsyncExport(self, export_id, self._workspace(workspace))

    async def push_temporary_data(
        self, content: Any, expires: Any = None, workspace: WorkspaceRef = None
    ) -> TemporaryData:
        return await self._call(self._push_temporary_data_call(content, expires, workspace))

    async def create_nonce(self) -> str:
        return await self._call(self._nonce_call())

    async def preview_url(
        self,
        report: ReportRef,
        params: Any = None,
        data: Any = None,
        temp_data: TempDataRef = None,
        timezone: str | None = None,
        theme: str | int | None = None,
        template: str | int | None = None,
        hide_print_button: bool = False,
        workspace: WorkspaceRef = None,
    ) -> str:
        options = dict(
            params=params, data=data, temp_data=temp_data, timezone=timezone, theme=theme,
            template=template, hide_print_button=hide_print_button, workspace=workspace,
        )  # fmt: skip
        return await self._run(self._preview_url_flow(report, options))

    async def download_url(self, report: ReportRef, **options: Unpack[ExportArgs]) -> str:
        return await self._run(self._download_url_flow(report, options))

    async def start_job_run(
        self, job: JobRef, params: Any = None, data: Any = None, workspace: WorkspaceRef = None
    ) -> AsyncJobRun:
        ws, ref = self._workspace(workspace), _options.job_ref(job)
        run_id = await self._call(self._start_job_run_call(ref, params, data, ws))
        return AsyncJobRun(self, run_id, ref, ws)

    def get_job_run(self, job: JobRef, run_id: int, workspace: WorkspaceRef = None) -> AsyncJobRun:
        """A handle on a run started elsewhere (no request is made, so not a coroutine)."""
        ws, ref = self._workspace(workspace), _options.job_ref(job)
        return AsyncJobRun(self, _options.int_id(run_id, "run_id"), ref, ws)
