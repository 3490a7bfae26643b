"""``Client`` and ``AsyncClient``: thin shells that do the I/O for ``BaseClient``.

Each public method is one line: ask the core for a ``Call`` (or a flow of them) and
send it. Only ``_send``, ``_run`` and the context-manager plumbing differ between the
two, as in httpx's own ``Client``/``AsyncClient``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar, Unpack

import httpx

from . import _cookies, _options, _polling, _socket_deadline, _transports
from ._base_client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, NOT_GIVEN, BaseClient, Call
from ._filenames import filename_from_disposition, target_in
from ._files import PartFile
from ._options import ExportArgs
from ._polling import Flow, Sleep
from ._request_options import NO_OPTIONS, PerCall, RequestOptions
from ._transports import AsyncTransport
from .errors import ConfigurationError, CxReportsError
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
)

if TYPE_CHECKING:
    from ._check import ApiCheck

__all__ = ["AsyncClient", "Client"]

T = TypeVar("T")

WorkspaceRef = int | str | Workspace | None
ReportRef = int | str | Report
JobRef = int | str | Job
TempDataRef = int | TemporaryData | None


class ExportCallArgs(ExportArgs, RequestOptions, total=False):
    """The keywords of ``export_to_file``, ``start_export`` and ``download_url``: the
    export options and the per-call request options."""


def _call_options(
    extra_headers: Mapping[str, str] | None,
    extra_query: Mapping[str, Any] | None,
    extra_body: Mapping[str, Any] | None,
    timeout: Any,
) -> RequestOptions:
    """``call()``'s explicit request keywords (its ``**kwargs`` are the operation's)."""
    options = RequestOptions(
        extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body
    )
    if timeout is not NOT_GIVEN:
        options["timeout"] = timeout
    return options


# Indirections so tests can observe backoff and polling without waiting them out.
_sleep = time.sleep


async def _async_sleep(seconds: float) -> None:
    import asyncio  # here, not at the top: `import cxreports` should not load asyncio

    await asyncio.sleep(seconds)


async def _in_thread(
    func: Callable[..., T], *args: Any, undo: Callable[[T], object] | None = None
) -> T:
    """Blocking file work (creating, fsyncing) off the event loop: on a busy disk it takes
    milliseconds, and concurrent downloads would queue behind it.

    A cancelled caller does not abandon the thread, which would run on and create (or
    rename) a file after the caller's cleanup: it waits for it to finish, ``undo``es what
    it made, then lets the cancellation through. The work is bounded local disk work.
    """
    import asyncio

    # run_in_executor, not to_thread: file work needs no copy of the caller's context,
    # and it saves a task per hop (two hops per download).
    task = asyncio.get_running_loop().run_in_executor(None, func, *args)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        while not task.done():
            try:
                await asyncio.wait([task])
            except asyncio.CancelledError:
                continue  # cancelled again: the work still has to end first
        if undo is not None and not task.cancelled() and task.exception() is None:
            undo(task.result())
        raise


def _final_path(part: PartFile, response: httpx.Response) -> Path:
    if not part.into_folder:
        return part.target
    return target_in(
        part.target, filename_from_disposition(response.headers.get("Content-Disposition"))
    )


class Client(BaseClient):
    """A synchronous CxReports client with a pooled keep-alive connection.

    ``base_url``, ``token`` and ``workspace`` fall back to the ``CXREPORTS_URL``,
    ``CXREPORTS_TOKEN`` and ``CXREPORTS_WORKSPACE`` environment variables when left out (an
    explicit empty string is an error, not a reason to read the environment). Use it as a
    context manager, or call [`close()`][cxreports.Client.close].

    Args:
        base_url: The CxReports server, e.g. ``https://tenant.cx-reports.app``. A plain
            ``http://`` URL to another machine warns (``InsecureTransportWarning``): the
            token would cross the network unencrypted.
        token: A personal access token, sent as ``Authorization: Bearer``. It appears in no
            repr, log line or error.
        workspace: The default workspace (an id, a code or a
            [`Workspace`][cxreports.Workspace]) of calls given no ``workspace=``.
        timeout: Seconds, or an ``httpx.Timeout``, for each attempt of each request, from
            connecting to the last byte (default 60 s, 5 s to connect); ``None`` for none.
        max_retries: How many times a failed request is retried where that is safe
            (default 2).
        verify: TLS verification, as httpx takes it: ``True``, ``False``, or an
            ``ssl.SSLContext``. Not used with ``http_client``.
        headers: Headers sent with every request; they may replace ``User-Agent``, never
            ``Authorization``.
        http_client: An ``httpx.Client`` of your own (a proxy, certificates, a transport).
            It is then yours to close, and ``verify`` does not apply. Build it on
            [`DeadlineTransport`][cxreports.DeadlineTransport] to keep the overall deadline
            against a server dripping its headers; otherwise only each read's timeout
            bounds them.

    Raises:
        ConfigurationError: The URL or token is missing, empty or malformed (a user name in
            the URL, whitespace in the token).
        TypeError: ``workspace`` is not an id, a code or a ``Workspace``.
        ValueError: ``timeout`` or ``max_retries`` is out of range, or ``workspace`` is not a
            valid id or code.
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
        self._http = http_client or _socket_deadline.armed(
            _cookies.skip_cookieless(httpx.Client(verify=verify, timeout=self.timeout))
        )

    def with_options(
        self, *, timeout: float | httpx.Timeout | None = NOT_GIVEN, max_retries: int | None = None
    ) -> Client:
        """This client with other limits, for a call or a few.

        The copy shares the connection pool and everything else with this client, which is left
        unchanged; closing the copy leaves the pool open. For example
        ``client.with_options(timeout=5, max_retries=0).themes()``.

        Args:
            timeout: Seconds, an ``httpx.Timeout``, or ``None`` for none; left out: this
                client's.
            max_retries: How many times a failed request is retried where that is safe;
                ``None``: this client's.

        Returns:
            The copy. No request is sent.

        Raises:
            ValueError: ``timeout`` or ``max_retries`` is out of range.
        """
        clone = object.__new__(type(self))
        clone._copy_config(self, timeout, max_retries)
        clone._http, clone._owns_http = self._http, False
        return clone

    def close(self) -> None:
        """Close the connection pool.

        A pool passed in as ``http_client``, or shared by a
        [`with_options()`][cxreports.Client.with_options] copy, is left open: closing a copy
        does nothing. Requests through a closed pool raise
        [`ClientClosedError`][cxreports.ClientClosedError].
        """
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

    def _send(
        self, call: Call[Any], part: PartFile | None = None, options: PerCall = NO_OPTIONS
    ) -> Any:
        attempt = 0
        while True:
            request = self._build_request(self._http, call, options)
            started = time.monotonic()
            response: httpx.Response | None = None
            try:
                if self._http.is_closed:
                    raise self._closed_error(request)
                # Without an event loop a stalled read cannot be interrupted from outside:
                # every socket wait is capped by the time left, and the deadline is
                # checked as each chunk arrives, so a dripping server is cut off too.
                deadline = self._deadline(options)
                _socket_deadline.bind(deadline)  # for this thread's socket waits
                hops = 0
                while True:
                    if hops:  # the first send's timeouts are within the deadline
                        deadline.cap(request)
                    response = None
                    response = self._http.send(request, stream=True, follow_redirects=False)
                    try:
                        self._log(request, response.status_code, started, attempt)
                        following = self._next_hop(response, hops)
                        if following is None:
                            body = self._body(call, response, deadline, part)
                            if not body.preloaded:
                                for raw in response.iter_raw():
                                    body.feed(raw)
                            content = body.finish()
                            if part is not None and response.is_success:
                                return part.commit(_final_path(part, response))
                            return self._answer(call, response, content)
                    finally:
                        response.close()
                    request, hops = following, hops + 1
            except Exception as exc:
                error = self._map_error(exc, request, response, options)
                if response is None:  # no status line to log: log the failure instead
                    self._log(request, type(error).__name__, started, attempt)
                delay = self._retry_delay(call, attempt, error, exc)
                if delay is None:
                    raise error from (None if error is exc else exc)
                attempt += 1
                _sleep(delay)
            finally:
                _socket_deadline.unbind()

    def _call(self, call: Call[T], options: PerCall = NO_OPTIONS) -> T:
        result: T = self._send(call, None, options)
        return result

    def _download(
        self, call: Call[Any], path: str | os.PathLike[str], options: PerCall = NO_OPTIONS
    ) -> Path:
        if self._http.is_closed:  # before a .part file is made
            raise self._closed_error(self._build_request(self._http, call, options))
        with PartFile(path) as part:
            result: Path = self._send(call, part, options)
        return result

    def _run(self, flow: Flow[T], options: PerCall = NO_OPTIONS) -> T:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Sleep):
                    _sleep(step.seconds)
                    step = flow.send(None)
                    continue
                try:
                    answer = self._call(step, options)
                except CxReportsError as exc:  # the flow may handle it, or it propagates
                    step = flow.throw(exc)
                else:
                    step = flow.send(answer)
        except StopIteration as stop:
            result: T = stop.value
            return result

    # -- the API ---------------------------------------------------------------------------------
    # Every method takes the per-call options of RequestOptions (extra_headers, extra_query,
    # extra_body, timeout) as keywords; they apply to each request the method sends.

    def check_api(self) -> ApiCheck:
        """Check the server: connectivity, the token, the default workspace and API drift.

        Lists the workspaces (which tests the connection and the token), looks for the client's
        default workspace among them and then, when the server exposes a Swagger document, diffs
        the live API against the pinned spec, as ``make spec`` does. ``cxreports doctor`` prints
        the same check. It takes no per-call options: it checks the client's own settings.

        Returns:
            What was found: ``ok`` is false when something failed or the API drifted in a way
            that breaks cxreports, and ``report()`` says it all as text.

        Raises:
            OSError: The pinned spec shipped with the package cannot be read (a broken
                install). Failures of the server, the network or the token are not raised:
                the result reports them, in ``notes``.
        """
        from ._check import check_api_flow  # here: only a check needs the spec tooling

        return self._run(check_api_flow(self))

    def workspaces(self, **options: Unpack[RequestOptions]) -> list[Workspace]:
        """List the workspaces the token can see.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The workspaces, in the server's order.

        Raises:
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the server has no such route (is ``base_url`` the
                CxReports server?).
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
        return self._call(self._workspaces_call(), self._per_call(options))

    def report_types(
        self, workspace: WorkspaceRef = None, **options: Unpack[RequestOptions]
    ) -> list[ReportType]:
        """List the report types of a workspace.

        Args:
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The report types. A type's ``code`` can stand for its default report wherever a
            report is expected.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
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
        return self._call(self._report_types_call(workspace), self._per_call(options))

    def reports(
        self,
        type: str | None = None,
        workspace: WorkspaceRef = None,
        **options: Unpack[RequestOptions],
    ) -> list[Report]:
        """List the reports of a workspace, or those of one report type.

        Follows limit/offset pages when the server pages (100 reports a page); each page is one
        request, sent with the same options.

        Args:
            type: A report type code; ``None`` for every report.
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for each page's request.

        Returns:
            The reports, each listed once.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            PagingError: The listing did not end within 1,000 pages (a server paging in circles).
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: ``type`` is not a non-empty string, or a request option cannot be sent;
                raised before any request.
        """
        return self._run(self._reports_flow(type, workspace), self._per_call(options))

    def report_pages(
        self, report: ReportRef, workspace: WorkspaceRef = None, **options: Unpack[RequestOptions]
    ) -> list[ReportPage]:
        """List the pages of a report, e.g. to leave some out of an export.

        Pass them (or their ids) as ``exclude_pages`` to
        [`start_export()`][cxreports.Client.start_export].

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The report's pages, in the server's order.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace or report.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: ``report`` is not an id, a code or a
                ``Report``; an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: ``report`` is not a valid id or code,
                or a request option cannot be sent.
        """
        return self._call(self._report_pages_call(report, workspace), self._per_call(options))

    def templates(
        self, workspace: WorkspaceRef = None, **options: Unpack[RequestOptions]
    ) -> list[Template]:
        """List the templates of a workspace, to pass as ``template=`` to exports.

        Args:
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The templates, in the server's order.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
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
        return self._call(self._templates_call(workspace), self._per_call(options))

    def themes(
        self, workspace: WorkspaceRef = None, **options: Unpack[RequestOptions]
    ) -> list[Theme]:
        """List the themes of a workspace, to pass as ``theme=`` to exports.

        Args:
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The themes, in the server's order.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
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
        return self._call(self._themes_call(workspace), self._per_call(options))

    def jobs(self, workspace: WorkspaceRef = None, **options: Unpack[RequestOptions]) -> list[Job]:
        """List the jobs of a workspace.

        Run one with [`start_job_run()`][cxreports.Client.start_job_run].

        Args:
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The jobs, in the server's order.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
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
        return self._call(self._jobs_call(workspace), self._per_call(options))

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
        **options: Unpack[RequestOptions],
    ) -> Document:
        """Render a report now and return the file in memory.

        With ``temp_data`` the request is a GET naming it (``tempDataId``); inline ``data``, or
        ``params`` taking more than 2,000 characters in the URL (percent-encoded), go by POST in a
        JSON body; the rest by GET. A render changes nothing on the server, so it is retried after any failure that
        retries apply to. For large files,
        [`export_to_file()`][cxreports.Client.export_to_file] streams to disk instead.

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            format: ``"pdf"`` (the default), ``"docx"``, ``"xlsx"``, ``"pptx"`` or ``"html"``.
            params: The report's parameters: any JSON-serialisable value, usually a dict.
            data: Inline data for the report's data sources, JSON-serialisable. Not with
                ``temp_data``.
            temp_data: Data uploaded earlier with
                [`push_temporary_data()`][cxreports.Client.push_temporary_data]: the
                [`TemporaryData`][cxreports.TemporaryData] or its id. Not with ``data``.
            lang: The report's language, e.g. ``"en"``; default: the server's.
            timezone: The time zone to render dates in, e.g. ``"Europe/Berlin"``.
            theme: A theme id or code; default: the report's.
            template: A template id or code; default: the report's.
            include_attachments: Return the report and its attachments as one ZIP file.
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The file: its ``content`` (bytes), ``content_type`` and the server's ``filename``;
            ``save(path)`` writes it.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, report, theme or template.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that cannot be the file asked for (an HTML
                login page answering a PDF export, a JSON error with status 200).
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: an argument of the wrong type (``params``
                or ``data`` that is not JSON-serialisable, a ``report`` that is not an id, a code
                or a ``Report``...), an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: an unknown ``format``, both ``data`` and
                ``temp_data``, an invalid id or code, or a request option that cannot be sent.
        """
        args = ExportArgs(
            format=format, params=params, data=data, temp_data=temp_data, lang=lang,
            timezone=timezone, theme=theme, template=template,
            include_attachments=include_attachments, workspace=workspace,
        )  # fmt: skip
        per_call = self._per_call(options)
        return self._call(self._export_call(report, args), per_call)

    def export_to_file(
        self, report: ReportRef, path: str | os.PathLike[str], **options: Unpack[ExportCallArgs]
    ) -> Path:
        """Render a report now and stream the file to ``path``.

        The body goes to a temporary ``.part`` file beside the target, renamed into place once
        complete: ``path`` never holds a partial file, and a file already there survives a failed
        download. The request is that of [`export()`][cxreports.Client.export].

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            path: The file to write, or an existing folder: the file then gets the server's file
                name inside it, made safe (never a path outside the folder).
            **options: The export options of [`export()`][cxreports.Client.export] (``format``,
                ``params``, ``data``, ``temp_data``, ``lang``, ``timezone``, ``theme``,
                ``template``, ``include_attachments``, ``workspace``) and the per-call request
                options ([`RequestOptions`][cxreports.RequestOptions]): both for this request.

        Returns:
            Where the file landed.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            FileNotFoundError: The folder of ``path`` does not exist, or ``path`` ends in a
                separator and is not an existing folder; raised before any request.
            NotADirectoryError: The parent of ``path`` is not a folder; raised before any request.
            PermissionError: The folder is not writable; raised before any request.
            OSError: Writing the file failed (a full disk, say); nothing is left behind.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, report, theme or template.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that cannot be the file asked for (an HTML
                login page answering a PDF export, a JSON error with status 200).
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: an argument of the wrong type (``params``
                or ``data`` that is not JSON-serialisable, a ``report`` that is not an id, a code
                or a ``Report``...), an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: an unknown ``format``, both ``data`` and
                ``temp_data``, an invalid id or code, or a request option that cannot be sent.
        """
        args, per_call = self._split_options(options)
        return self._download(self._export_call(report, args), path, per_call)

    def start_export(
        self,
        report: ReportRef,
        exclude_pages: Iterable[int | ReportPage] | None = None,
        **options: Unpack[ExportCallArgs],
    ) -> Export:
        """Queue a render on the server and return a handle on it.

        For large reports, whose synchronous render could outlast the timeout: one request
        starts the export, the handle's [`wait()`][cxreports.Export.wait] polls until the file
        is ready, and its [`save()`][cxreports.Export.save] or
        [`content()`][cxreports.Export.content] fetches it. The start is retried only when it
        cannot have reached the server (the connection never opened, or a 429), so an export is
        never queued twice by a retry.

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            exclude_pages: Pages to leave out: their ids or
                [`ReportPage`][cxreports.ReportPage]s (see
                [`report_pages()`][cxreports.Client.report_pages]).
            **options: The export options of [`export()`][cxreports.Client.export] (``format``,
                ``params``, ``data``, ``temp_data``, ``lang``, ``timezone``, ``theme``,
                ``template``, ``include_attachments``, ``workspace``) and the per-call request
                options ([`RequestOptions`][cxreports.RequestOptions]): both
                for this request only, not for the handle's later calls.

        Returns:
            The handle; its ``id`` is the server's ``temporaryFileId``.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, report, theme or template.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: an argument of the wrong type
                (``exclude_pages`` that is not an iterable of ids, ``params`` that is not
                JSON-serialisable...), an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: an unknown ``format``, both ``data`` and
                ``temp_data``, an invalid id or code, or a request option that cannot be sent.
        """
        args, per_call = self._split_options(options)
        ws, checked = self._export_options({**args, "exclude_pages": exclude_pages})
        render, started = (_options.report_ref(report), checked.format), _polling.monotonic()
        export_id = self._call(self._start_export_call(report, ws, checked), per_call)
        return Export(self, export_id, ws, render, started)

    def get_export(self, temp_file_id: int, workspace: WorkspaceRef = None) -> Export:
        """A handle on an export started elsewhere, from its id; no request is sent.

        For an export started by another process, or before a restart: keep ``export.id`` and
        resume with ``client.get_export(export_id).wait()``.

        Args:
            temp_file_id: The export's id (the server's ``temporaryFileId``).
            workspace: The workspace the export was started in: an id, a code or a
                [`Workspace`][cxreports.Workspace]; default: the client's.

        Returns:
            The handle, not polled yet.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none.
            TypeError: ``temp_file_id`` is not a non-negative int, or ``workspace`` is not an id,
                a code or a ``Workspace``.
            ValueError: ``workspace`` is not a valid id or code.
        """
        export_id = _options.int_id(temp_file_id, "temp_file_id")
        return Export(self, export_id, self._workspace(workspace))

    def push_temporary_data(
        self,
        content: Any,
        expires: Any = None,
        workspace: WorkspaceRef = None,
        **options: Unpack[RequestOptions],
    ) -> TemporaryData:
        """Upload data once, to pass as ``temp_data=`` to later exports.

        Large or sensitive data then crosses the network once rather than with every export. The
        upload is retried only when it cannot have reached the server.

        Args:
            content: The data: any JSON-serialisable value, what an export's ``data`` would be.
            expires: When the server may delete it: a ``datetime`` (a naive one is local time)
                or a ``timedelta`` from now, in the future; ``None``: the server's default.
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The stored data: pass it, or its ``id``, as ``temp_data=``. Its ``expires`` is when
            the server says it will delete it.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: ``content`` is not JSON-serialisable,
                ``expires`` is neither a ``datetime`` nor a ``timedelta``, an unknown keyword,
                or a request option of the wrong type.
            ValueError: Before any request: ``expires`` is not in the future, or a
                request option cannot be sent.
        """
        call = self._push_temporary_data_call(content, expires, workspace)
        return self._call(call, self._per_call(options))

    def create_nonce(self, **options: Unpack[RequestOptions]) -> str:
        """Create a single-use token that a browser exchanges for a session cookie.

        [`preview_url()`][cxreports.Client.preview_url] and
        [`download_url()`][cxreports.Client.download_url] create their own; this is for URLs
        built some other way. The request is not retried once it may have reached the server.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The nonce. It is a credential until used: keep it out of logs.

        Raises:
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the server has no nonce route.
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
        return self._call(self._nonce_call(), self._per_call(options))

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
        **options: Unpack[RequestOptions],
    ) -> str:
        """A nonce-signed URL of the report's preview page, for an iframe.

        Creates a nonce (one request) and returns the URL of the preview page,
        ``/ws/{workspace}/reports/{report}/preview``, with the nonce and these options in its
        query. The browser's first request exchanges the nonce for a session cookie, so the
        token never reaches the browser. A nonce works once: make a URL per page view.

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            params: The report's parameters, JSON-serialisable; they go in the URL.
            data: Inline data, JSON-serialisable; it goes in the URL, so keep it small (upload
                larger data with
                [`push_temporary_data()`][cxreports.Client.push_temporary_data]). Not with
                ``temp_data``.
            temp_data: Data uploaded earlier: the [`TemporaryData`][cxreports.TemporaryData] or
                its id. Not with ``data``.
            timezone: The time zone to render dates in, e.g. ``"Europe/Berlin"``.
            theme: A theme id or code; default: the report's.
            template: A template id or code; default: the report's.
            hide_print_button: Hide the preview page's print button.
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for the nonce request; ``extra_query`` goes into the returned URL.

        Returns:
            The URL, with the nonce in its query. It is a credential until used: keep it out of
            logs.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the server has no nonce route.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: an argument of the wrong type
                (``hide_print_button`` that is not a bool, ``params`` that is not
                JSON-serialisable...), an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: both ``data`` and ``temp_data``, an
                invalid id or code, or a request option that cannot be sent.
        """
        args = dict(
            params=params, data=data, temp_data=temp_data, timezone=timezone, theme=theme,
            template=template, hide_print_button=hide_print_button, workspace=workspace,
        )  # fmt: skip
        per_call = self._per_call(options)
        flow = self._preview_url_flow(report, args, per_call.query)
        return self._run(flow, per_call.without_query())

    def download_url(self, report: ReportRef, **options: Unpack[ExportCallArgs]) -> str:
        """A nonce-signed export URL that a browser can open once to download the file.

        Creates a nonce (one request) and returns the URL of the GET export, with the export
        options and the nonce in its query: a download link that carries no token. ``params``
        and ``data`` go in the URL, so keep them small (or upload the data with
        [`push_temporary_data()`][cxreports.Client.push_temporary_data] and pass
        ``temp_data``). A nonce works once: make a URL per download.

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            **options: The export options of [`export()`][cxreports.Client.export] (``format``,
                ``params``, ``data``, ``temp_data``, ``lang``, ``timezone``, ``theme``,
                ``template``, ``include_attachments``, ``workspace``) and the per-call request
                options ([`RequestOptions`][cxreports.RequestOptions]): the request options
                apply to the nonce request, and ``extra_query`` goes into the returned URL.

        Returns:
            The URL. It is a credential until used: keep it out of logs.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the server has no nonce route.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: an argument of the wrong type (``params``
                or ``data`` that is not JSON-serialisable, a ``report`` that is not an id, a code
                or a ``Report``...), an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: an unknown ``format``, both ``data`` and
                ``temp_data``, an invalid id or code, or a request option that cannot be sent.
        """
        args, per_call = self._split_options(options)
        flow = self._download_url_flow(report, args, per_call.query)
        return self._run(flow, per_call.without_query())

    def start_job_run(
        self,
        job: JobRef,
        params: Any = None,
        data: Any = None,
        workspace: WorkspaceRef = None,
        **options: Unpack[RequestOptions],
    ) -> JobRun:
        """Start a run of a job and return a handle on it.

        The start is retried only when it cannot have reached the server (the connection never
        opened, or a 429), so a retry never runs a job twice.

        Args:
            job: The job: its id, its code or a [`Job`][cxreports.Job].
            params: The run's parameters: any JSON-serialisable value, usually a dict.
            data: Inline data for the run, JSON-serialisable.
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request only: not for the handle's later calls.

        Returns:
            The handle; its ``id`` is the server's ``jobRunId``, and
            [`wait()`][cxreports.JobRun.wait] polls until the run is finished.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace or job.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: ``job`` is not an id, a code or a ``Job``,
                ``params`` or ``data`` is not JSON-serialisable, an unknown keyword, or a request
                option of the wrong type.
            ValueError: Before any request: ``job`` is not a valid id or code, or a
                request option cannot be sent.
        """
        ws, ref = self._workspace(workspace), _options.job_ref(job)
        per_call = self._per_call(options)
        return JobRun(
            self, self._call(self._start_job_run_call(ref, params, data, ws), per_call), ref, ws
        )

    def get_job_run(self, job: JobRef, run_id: int, workspace: WorkspaceRef = None) -> JobRun:
        """A handle on a job run started elsewhere, from its id; no request is sent.

        Args:
            job: The job the run belongs to: its id, its code or a [`Job`][cxreports.Job].
            run_id: The run's id (the server's ``jobRunId``).
            workspace: The workspace of the job: an id, a code or a
                [`Workspace`][cxreports.Workspace]; default: the client's.

        Returns:
            The handle, not polled yet.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none.
            TypeError: ``run_id`` is not a non-negative int, or ``job`` or ``workspace`` is of the
                wrong type.
            ValueError: ``job`` or ``workspace`` is not a valid id or code.
        """
        ws, ref = self._workspace(workspace), _options.job_ref(job)
        return JobRun(self, _options.int_id(run_id, "run_id"), ref, ws)

    def call(
        self,
        endpoint: ModuleType,
        /,
        *args: Any,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None = NOT_GIVEN,
        **kwargs: Any,
    ) -> Any:
        """Send any generated operation, such as one this class does not wrap yet.

        After ``make spec`` against a newer server and ``make generate``, a new operation has a
        module in ``cxreports_api.api`` before the client has a method for it. ``call`` sends it
        through this client's auth, timeouts, retries (for idempotent methods only: GET, HEAD,
        OPTIONS, PUT, DELETE), redaction, typed errors and response validation.

        Args:
            endpoint: A module of ``cxreports_api.api``, e.g.
                ``cxreports_api.api.reports.list_reports``.
            *args: The positional arguments of the module's ``sync()``, without ``client``.
            extra_headers: Headers added to the request (not ``Authorization``, ``Cookie``,
                ``Host`` or ``Content-Length``: the client sets those).
            extra_query: Merged into the query; a ``None`` value removes a parameter.
            extra_body: Merged into the JSON body, or the body of a POST that has none.
            timeout: Seconds, an ``httpx.Timeout``, or ``None`` for none, for this call; left
                out: the client's.
            **kwargs: The keyword arguments of the module's ``sync()``; ``workspace_id``
                defaults to the client's workspace.

        Returns:
            What the generated parser makes of the answer, checked against the spec: a generated
            model or a list of them (``None`` for an answer documented without a body); a file
            comes back as a [`Document`][cxreports.Document].

        Raises:
            ConfigurationError: The operation takes a workspace, none was given and the client
                has none; raised before any request.
            APIStatusError: An error status, as its subclass (``NotFoundError``,
                ``AuthenticationError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer whose body does not match the spec, or a
                status the spec does not document.
            APIRedirectError: A redirect that cannot be followed safely.
            ClientClosedError: The client was closed.
            TypeError: ``endpoint`` is not a generated endpoint module, the arguments do not fit
                its ``sync()``, or a request option is of the wrong type; raised before any
                request.
            ValueError: A request option that cannot be sent; raised before any request.
        """
        options = _call_options(extra_headers, extra_query, extra_body, timeout)
        call = self._endpoint_call(endpoint, args, kwargs)
        return self._call(call, self._per_call(options))


class AsyncClient(BaseClient):
    """The asyncio twin of [`Client`][cxreports.Client]: the same methods, as coroutines.

    One pooled keep-alive connection serves every task using it; the deadline of each
    request is enforced with ``asyncio.timeout``, whatever the httpx transport. With the
    ``aiohttp`` extra installed, requests go through httpx on aiohttp (``transport="aiohttp"``,
    the default then); ``transport="httpcore"`` or ``CXREPORTS_ASYNC_TRANSPORT=httpcore``
    keeps httpx's own. The ``transport`` attribute is None when an ``http_client`` was given.

    ``base_url``, ``token`` and ``workspace`` fall back to the ``CXREPORTS_URL``,
    ``CXREPORTS_TOKEN`` and ``CXREPORTS_WORKSPACE`` environment variables when left out (an
    explicit empty string is an error, not a reason to read the environment). Use it as an
    async context manager, or await [`close()`][cxreports.AsyncClient.close].

    Args:
        base_url: The CxReports server, e.g. ``https://tenant.cx-reports.app``. A plain
            ``http://`` URL to another machine warns (``InsecureTransportWarning``): the
            token would cross the network unencrypted.
        token: A personal access token, sent as ``Authorization: Bearer``. It appears in no
            repr, log line or error.
        workspace: The default workspace (an id, a code or a
            [`Workspace`][cxreports.Workspace]) of calls given no ``workspace=``.
        timeout: Seconds, or an ``httpx.Timeout``, for each attempt of each request, from
            connecting to the last byte (default 60 s, 5 s to connect); ``None`` for none.
        max_retries: How many times a failed request is retried where that is safe
            (default 2).
        verify: TLS verification, as httpx takes it: ``True``, ``False``, or an
            ``ssl.SSLContext``. Not used with ``http_client``.
        headers: Headers sent with every request; they may replace ``User-Agent``, never
            ``Authorization``.
        http_client: An ``httpx.AsyncClient`` of your own (a proxy, certificates, a transport).
            It is then yours to close, and ``verify`` does not apply.
        transport: ``"aiohttp"`` or ``"httpcore"``; left out, ``CXREPORTS_ASYNC_TRANSPORT``
            decides, else aiohttp when the ``aiohttp`` extra is installed. Not with
            ``http_client``.

    Raises:
        ConfigurationError: The URL or token is missing, empty or malformed (a user name in
            the URL, whitespace in the token), or the transport is unknown, not installed or
            given with ``http_client``.
        TypeError: ``workspace`` is not an id, a code or a ``Workspace``.
        ValueError: ``timeout`` or ``max_retries`` is out of range, or ``workspace`` is not a
            valid id or code.
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
        """This client with other limits, for a call or a few.

        The copy shares the connection pool and everything else with this client, which is left
        unchanged; closing the copy leaves the pool open. For example
        ``client.with_options(timeout=5, max_retries=0).themes()``.

        Args:
            timeout: Seconds, an ``httpx.Timeout``, or ``None`` for none; left out: this
                client's.
            max_retries: How many times a failed request is retried where that is safe;
                ``None``: this client's.

        Returns:
            The copy. No request is sent.

        Raises:
            ValueError: ``timeout`` or ``max_retries`` is out of range.
        """
        clone = object.__new__(type(self))
        clone._copy_config(self, timeout, max_retries)
        clone._http, clone._owns_http = self._http, False
        clone.transport = self.transport
        return clone

    async def close(self) -> None:
        """Close the connection pool (a coroutine).

        A pool passed in as ``http_client``, or shared by a
        [`with_options()`][cxreports.AsyncClient.with_options] copy, is left open: closing a copy
        does nothing. Requests through a closed pool raise
        [`ClientClosedError`][cxreports.ClientClosedError].
        """
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

    async def _send(
        self, call: Call[Any], part: PartFile | None = None, options: PerCall = NO_OPTIONS
    ) -> Any:
        import asyncio

        attempt = 0
        while True:
            request = self._build_request(self._http, call, options)
            started = time.monotonic()
            response: httpx.Response | None = None
            try:
                if self._http.is_closed:
                    raise self._closed_error(request)
                deadline = self._deadline(options)
                # The deadline cancels whatever await is pending, whatever the transport.
                async with asyncio.timeout(deadline.remaining()):
                    hops = 0
                    while True:
                        if hops:  # the first send's timeouts are within the deadline
                            deadline.cap(request)
                        response = None
                        response = await self._http.send(
                            request, stream=True, follow_redirects=False
                        )
                        try:
                            self._log(request, response.status_code, started, attempt)
                            following = self._next_hop(response, hops)
                            if following is None:
                                # 64 KiB writes land in the page cache and stay on the loop.
                                body = self._body(call, response, deadline, part)
                                if not body.preloaded:
                                    async for raw in response.aiter_raw():
                                        body.feed(raw)
                                content = body.finish()
                                if part is None or not response.is_success:
                                    return self._answer(call, response, content)
                                download, final = part, _final_path(part, response)
                                break
                        finally:
                            await response.aclose()
                        request, hops = following, hops + 1
                # The fsync of the commit takes milliseconds: a worker thread, outside the
                # network deadline.
                return await _in_thread(download.commit, final)
            except Exception as exc:
                error = self._map_error(exc, request, response, options)
                if response is None:  # no status line to log: log the failure instead
                    self._log(request, type(error).__name__, started, attempt)
                delay = self._retry_delay(call, attempt, error, exc)
                if delay is None:
                    raise error from (None if error is exc else exc)
                attempt += 1
                await _async_sleep(delay)

    async def _call(self, call: Call[T], options: PerCall = NO_OPTIONS) -> T:
        result: T = await self._send(call, None, options)
        return result

    async def _download(
        self, call: Call[Any], path: str | os.PathLike[str], options: PerCall = NO_OPTIONS
    ) -> Path:
        if self._http.is_closed:  # before a .part file is made
            raise self._closed_error(self._build_request(self._http, call, options))
        # A cancellation while the thread creates the .part file removes it once made.
        with await _in_thread(PartFile, path, undo=PartFile.discard) as part:
            result: Path = await self._send(call, part, options)
        return result

    async def _run(self, flow: Flow[T], options: PerCall = NO_OPTIONS) -> T:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Sleep):
                    await _async_sleep(step.seconds)
                    step = flow.send(None)
                    continue
                try:
                    answer = await self._call(step, options)
                except CxReportsError as exc:  # the flow may handle it, or it propagates
                    step = flow.throw(exc)
                else:
                    step = flow.send(answer)
        except StopIteration as stop:
            result: T = stop.value
            return result

    # -- the API ---------------------------------------------------------------------------------
    # Every method takes the per-call options of RequestOptions (extra_headers, extra_query,
    # extra_body, timeout) as keywords; they apply to each request the method sends.

    async def check_api(self) -> ApiCheck:
        """Check the server: connectivity, the token, the default workspace and API drift.

        Lists the workspaces (which tests the connection and the token), looks for the client's
        default workspace among them and then, when the server exposes a Swagger document, diffs
        the live API against the pinned spec, as ``make spec`` does. ``cxreports doctor`` prints
        the same check. It takes no per-call options: it checks the client's own settings.

        Returns:
            What was found: ``ok`` is false when something failed or the API drifted in a way
            that breaks cxreports, and ``report()`` says it all as text.

        Raises:
            OSError: The pinned spec shipped with the package cannot be read (a broken
                install). Failures of the server, the network or the token are not raised:
                the result reports them, in ``notes``.
        """
        from ._check import check_api_flow  # here: only a check needs the spec tooling

        return await self._run(check_api_flow(self))

    async def workspaces(self, **options: Unpack[RequestOptions]) -> list[Workspace]:
        """List the workspaces the token can see.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The workspaces, in the server's order.

        Raises:
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the server has no such route (is ``base_url`` the
                CxReports server?).
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
        return await self._call(self._workspaces_call(), self._per_call(options))

    async def report_types(
        self, workspace: WorkspaceRef = None, **options: Unpack[RequestOptions]
    ) -> list[ReportType]:
        """List the report types of a workspace.

        Args:
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The report types. A type's ``code`` can stand for its default report wherever a
            report is expected.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
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
        return await self._call(self._report_types_call(workspace), self._per_call(options))

    async def reports(
        self,
        type: str | None = None,
        workspace: WorkspaceRef = None,
        **options: Unpack[RequestOptions],
    ) -> list[Report]:
        """List the reports of a workspace, or those of one report type.

        Follows limit/offset pages when the server pages (100 reports a page); each page is one
        request, sent with the same options.

        Args:
            type: A report type code; ``None`` for every report.
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for each page's request.

        Returns:
            The reports, each listed once.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            PagingError: The listing did not end within 1,000 pages (a server paging in circles).
            TypeError: An unknown keyword, or a request option of the wrong type; raised before
                any request.
            ValueError: ``type`` is not a non-empty string, or a request option cannot be sent;
                raised before any request.
        """
        return await self._run(self._reports_flow(type, workspace), self._per_call(options))

    async def report_pages(
        self, report: ReportRef, workspace: WorkspaceRef = None, **options: Unpack[RequestOptions]
    ) -> list[ReportPage]:
        """List the pages of a report, e.g. to leave some out of an export.

        Pass them (or their ids) as ``exclude_pages`` to
        [`start_export()`][cxreports.AsyncClient.start_export].

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The report's pages, in the server's order.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace or report.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: ``report`` is not an id, a code or a
                ``Report``; an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: ``report`` is not a valid id or code,
                or a request option cannot be sent.
        """
        return await self._call(self._report_pages_call(report, workspace), self._per_call(options))

    async def templates(
        self, workspace: WorkspaceRef = None, **options: Unpack[RequestOptions]
    ) -> list[Template]:
        """List the templates of a workspace, to pass as ``template=`` to exports.

        Args:
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The templates, in the server's order.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
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
        return await self._call(self._templates_call(workspace), self._per_call(options))

    async def themes(
        self, workspace: WorkspaceRef = None, **options: Unpack[RequestOptions]
    ) -> list[Theme]:
        """List the themes of a workspace, to pass as ``theme=`` to exports.

        Args:
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The themes, in the server's order.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
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
        return await self._call(self._themes_call(workspace), self._per_call(options))

    async def jobs(
        self, workspace: WorkspaceRef = None, **options: Unpack[RequestOptions]
    ) -> list[Job]:
        """List the jobs of a workspace.

        Run one with [`start_job_run()`][cxreports.AsyncClient.start_job_run].

        Args:
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The jobs, in the server's order.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
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
        return await self._call(self._jobs_call(workspace), self._per_call(options))

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
        **options: Unpack[RequestOptions],
    ) -> Document:
        """Render a report now and return the file in memory.

        With ``temp_data`` the request is a GET naming it (``tempDataId``); inline ``data``, or
        ``params`` taking more than 2,000 characters in the URL (percent-encoded), go by POST in a
        JSON body; the rest by GET. A render changes nothing on the server, so it is retried after any failure that
        retries apply to. For large files,
        [`export_to_file()`][cxreports.AsyncClient.export_to_file] streams to disk instead.

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            format: ``"pdf"`` (the default), ``"docx"``, ``"xlsx"``, ``"pptx"`` or ``"html"``.
            params: The report's parameters: any JSON-serialisable value, usually a dict.
            data: Inline data for the report's data sources, JSON-serialisable. Not with
                ``temp_data``.
            temp_data: Data uploaded earlier with
                [`push_temporary_data()`][cxreports.AsyncClient.push_temporary_data]: the
                [`TemporaryData`][cxreports.TemporaryData] or its id. Not with ``data``.
            lang: The report's language, e.g. ``"en"``; default: the server's.
            timezone: The time zone to render dates in, e.g. ``"Europe/Berlin"``.
            theme: A theme id or code; default: the report's.
            template: A template id or code; default: the report's.
            include_attachments: Return the report and its attachments as one ZIP file.
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The file: its ``content`` (bytes), ``content_type`` and the server's ``filename``;
            ``save(path)`` writes it.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, report, theme or template.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that cannot be the file asked for (an HTML
                login page answering a PDF export, a JSON error with status 200).
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: an argument of the wrong type (``params``
                or ``data`` that is not JSON-serialisable, a ``report`` that is not an id, a code
                or a ``Report``...), an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: an unknown ``format``, both ``data`` and
                ``temp_data``, an invalid id or code, or a request option that cannot be sent.
        """
        args = ExportArgs(
            format=format, params=params, data=data, temp_data=temp_data, lang=lang,
            timezone=timezone, theme=theme, template=template,
            include_attachments=include_attachments, workspace=workspace,
        )  # fmt: skip
        per_call = self._per_call(options)
        return await self._call(self._export_call(report, args), per_call)

    async def export_to_file(
        self, report: ReportRef, path: str | os.PathLike[str], **options: Unpack[ExportCallArgs]
    ) -> Path:
        """Render a report now and stream the file to ``path``.

        The body goes to a temporary ``.part`` file beside the target, renamed into place once
        complete: ``path`` never holds a partial file, and a file already there survives a failed
        download. The request is that of [`export()`][cxreports.AsyncClient.export].

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            path: The file to write, or an existing folder: the file then gets the server's file
                name inside it, made safe (never a path outside the folder).
            **options: The export options of [`export()`][cxreports.AsyncClient.export] (``format``,
                ``params``, ``data``, ``temp_data``, ``lang``, ``timezone``, ``theme``,
                ``template``, ``include_attachments``, ``workspace``) and the per-call request
                options ([`RequestOptions`][cxreports.RequestOptions]): both for this request.

        Returns:
            Where the file landed.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            FileNotFoundError: The folder of ``path`` does not exist, or ``path`` ends in a
                separator and is not an existing folder; raised before any request.
            NotADirectoryError: The parent of ``path`` is not a folder; raised before any request.
            PermissionError: The folder is not writable; raised before any request.
            OSError: Writing the file failed (a full disk, say); nothing is left behind.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, report, theme or template.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that cannot be the file asked for (an HTML
                login page answering a PDF export, a JSON error with status 200).
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: an argument of the wrong type (``params``
                or ``data`` that is not JSON-serialisable, a ``report`` that is not an id, a code
                or a ``Report``...), an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: an unknown ``format``, both ``data`` and
                ``temp_data``, an invalid id or code, or a request option that cannot be sent.
        """
        args, per_call = self._split_options(options)
        return await self._download(self._export_call(report, args), path, per_call)

    async def start_export(
        self,
        report: ReportRef,
        exclude_pages: Iterable[int | ReportPage] | None = None,
        **options: Unpack[ExportCallArgs],
    ) -> AsyncExport:
        """Queue a render on the server and return a handle on it.

        For large reports, whose synchronous render could outlast the timeout: one request
        starts the export, the handle's [`wait()`][cxreports.AsyncExport.wait] polls until the file
        is ready, and its [`save()`][cxreports.AsyncExport.save] or
        [`content()`][cxreports.AsyncExport.content] fetches it. The start is retried only when it
        cannot have reached the server (the connection never opened, or a 429), so an export is
        never queued twice by a retry.

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            exclude_pages: Pages to leave out: their ids or
                [`ReportPage`][cxreports.ReportPage]s (see
                [`report_pages()`][cxreports.AsyncClient.report_pages]).
            **options: The export options of [`export()`][cxreports.AsyncClient.export] (``format``,
                ``params``, ``data``, ``temp_data``, ``lang``, ``timezone``, ``theme``,
                ``template``, ``include_attachments``, ``workspace``) and the per-call request
                options ([`RequestOptions`][cxreports.RequestOptions]): both
                for this request only, not for the handle's later calls.

        Returns:
            The handle; its ``id`` is the server's ``temporaryFileId``.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace, report, theme or template.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: an argument of the wrong type
                (``exclude_pages`` that is not an iterable of ids, ``params`` that is not
                JSON-serialisable...), an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: an unknown ``format``, both ``data`` and
                ``temp_data``, an invalid id or code, or a request option that cannot be sent.
        """
        args, per_call = self._split_options(options)
        ws, checked = self._export_options({**args, "exclude_pages": exclude_pages})
        render, started = (_options.report_ref(report), checked.format), _polling.monotonic()
        export_id = await self._call(self._start_export_call(report, ws, checked), per_call)
        return AsyncExport(self, export_id, ws, render, started)

    def get_export(self, temp_file_id: int, workspace: WorkspaceRef = None) -> AsyncExport:
        """A handle on an export started elsewhere, from its id; no request is sent,
        so not a coroutine.

        For an export started by another process, or before a restart: keep ``export.id`` and
        resume with ``await client.get_export(export_id).wait()``.

        Args:
            temp_file_id: The export's id (the server's ``temporaryFileId``).
            workspace: The workspace the export was started in: an id, a code or a
                [`Workspace`][cxreports.Workspace]; default: the client's.

        Returns:
            The handle, not polled yet.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none.
            TypeError: ``temp_file_id`` is not a non-negative int, or ``workspace`` is not an id,
                a code or a ``Workspace``.
            ValueError: ``workspace`` is not a valid id or code.
        """
        export_id = _options.int_id(temp_file_id, "temp_file_id")
        return AsyncExport(self, export_id, self._workspace(workspace))

    async def push_temporary_data(
        self,
        content: Any,
        expires: Any = None,
        workspace: WorkspaceRef = None,
        **options: Unpack[RequestOptions],
    ) -> TemporaryData:
        """Upload data once, to pass as ``temp_data=`` to later exports.

        Large or sensitive data then crosses the network once rather than with every export. The
        upload is retried only when it cannot have reached the server.

        Args:
            content: The data: any JSON-serialisable value, what an export's ``data`` would be.
            expires: When the server may delete it: a ``datetime`` (a naive one is local time)
                or a ``timedelta`` from now, in the future; ``None``: the server's default.
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The stored data: pass it, or its ``id``, as ``temp_data=``. Its ``expires`` is when
            the server says it will delete it.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: ``content`` is not JSON-serialisable,
                ``expires`` is neither a ``datetime`` nor a ``timedelta``, an unknown keyword,
                or a request option of the wrong type.
            ValueError: Before any request: ``expires`` is not in the future, or a
                request option cannot be sent.
        """
        call = self._push_temporary_data_call(content, expires, workspace)
        return await self._call(call, self._per_call(options))

    async def create_nonce(self, **options: Unpack[RequestOptions]) -> str:
        """Create a single-use token that a browser exchanges for a session cookie.

        [`preview_url()`][cxreports.AsyncClient.preview_url] and
        [`download_url()`][cxreports.AsyncClient.download_url] create their own; this is for URLs
        built some other way. The request is not retried once it may have reached the server.

        Args:
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request.

        Returns:
            The nonce. It is a credential until used: keep it out of logs.

        Raises:
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the server has no nonce route.
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
        return await self._call(self._nonce_call(), self._per_call(options))

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
        **options: Unpack[RequestOptions],
    ) -> str:
        """A nonce-signed URL of the report's preview page, for an iframe.

        Creates a nonce (one request) and returns the URL of the preview page,
        ``/ws/{workspace}/reports/{report}/preview``, with the nonce and these options in its
        query. The browser's first request exchanges the nonce for a session cookie, so the
        token never reaches the browser. A nonce works once: make a URL per page view.

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            params: The report's parameters, JSON-serialisable; they go in the URL.
            data: Inline data, JSON-serialisable; it goes in the URL, so keep it small (upload
                larger data with
                [`push_temporary_data()`][cxreports.AsyncClient.push_temporary_data]). Not with
                ``temp_data``.
            temp_data: Data uploaded earlier: the [`TemporaryData`][cxreports.TemporaryData] or
                its id. Not with ``data``.
            timezone: The time zone to render dates in, e.g. ``"Europe/Berlin"``.
            theme: A theme id or code; default: the report's.
            template: A template id or code; default: the report's.
            hide_print_button: Hide the preview page's print button.
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for the nonce request; ``extra_query`` goes into the returned URL.

        Returns:
            The URL, with the nonce in its query. It is a credential until used: keep it out of
            logs.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the server has no nonce route.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: an argument of the wrong type
                (``hide_print_button`` that is not a bool, ``params`` that is not
                JSON-serialisable...), an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: both ``data`` and ``temp_data``, an
                invalid id or code, or a request option that cannot be sent.
        """
        args = dict(
            params=params, data=data, temp_data=temp_data, timezone=timezone, theme=theme,
            template=template, hide_print_button=hide_print_button, workspace=workspace,
        )  # fmt: skip
        per_call = self._per_call(options)
        flow = self._preview_url_flow(report, args, per_call.query)
        return await self._run(flow, per_call.without_query())

    async def download_url(self, report: ReportRef, **options: Unpack[ExportCallArgs]) -> str:
        """A nonce-signed export URL that a browser can open once to download the file.

        Creates a nonce (one request) and returns the URL of the GET export, with the export
        options and the nonce in its query: a download link that carries no token. ``params``
        and ``data`` go in the URL, so keep them small (or upload the data with
        [`push_temporary_data()`][cxreports.AsyncClient.push_temporary_data] and pass
        ``temp_data``). A nonce works once: make a URL per download.

        Args:
            report: The report: its id, a report type code (for that type's default report) or a
                [`Report`][cxreports.Report].
            **options: The export options of [`export()`][cxreports.AsyncClient.export] (``format``,
                ``params``, ``data``, ``temp_data``, ``lang``, ``timezone``, ``theme``,
                ``template``, ``include_attachments``, ``workspace``) and the per-call request
                options ([`RequestOptions`][cxreports.RequestOptions]): the request options
                apply to the nonce request, and ``extra_query`` goes into the returned URL.

        Returns:
            The URL. It is a credential until used: keep it out of logs.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: the server has no nonce route.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: an argument of the wrong type (``params``
                or ``data`` that is not JSON-serialisable, a ``report`` that is not an id, a code
                or a ``Report``...), an unknown keyword, or a request option of the wrong type.
            ValueError: Before any request: an unknown ``format``, both ``data`` and
                ``temp_data``, an invalid id or code, or a request option that cannot be sent.
        """
        args, per_call = self._split_options(options)
        flow = self._download_url_flow(report, args, per_call.query)
        return await self._run(flow, per_call.without_query())

    async def start_job_run(
        self,
        job: JobRef,
        params: Any = None,
        data: Any = None,
        workspace: WorkspaceRef = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncJobRun:
        """Start a run of a job and return a handle on it.

        The start is retried only when it cannot have reached the server (the connection never
        opened, or a 429), so a retry never runs a job twice.

        Args:
            job: The job: its id, its code or a [`Job`][cxreports.Job].
            params: The run's parameters: any JSON-serialisable value, usually a dict.
            data: Inline data for the run, JSON-serialisable.
            workspace: The workspace: an id, a code or a [`Workspace`][cxreports.Workspace];
                default: the client's.
            **options: Per-call request options
                ([`RequestOptions`][cxreports.RequestOptions]): ``extra_headers``,
                ``extra_query``, ``extra_body`` and ``timeout``,
                for this request only: not for the handle's later calls.

        Returns:
            The handle; its ``id`` is the server's ``jobRunId``, and
            [`wait()`][cxreports.AsyncJobRun.wait] polls until the run is finished.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none; raised before
                any request.
            AuthenticationError: 401: the token is missing, invalid or expired.
            PermissionDeniedError: 403: the token may not do this.
            NotFoundError: 404: no such workspace or job.
            APIStatusError: Any other error status, as its subclass (``BadRequestError``,
                ``RateLimitError``, ``InternalServerError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer that is not what the API describes.
            APIRedirectError: A redirect that cannot be followed safely (a loop, or a 301/302/303
                that would drop the request body).
            ClientClosedError: The client was closed.
            TypeError: Before any request: ``job`` is not an id, a code or a ``Job``,
                ``params`` or ``data`` is not JSON-serialisable, an unknown keyword, or a request
                option of the wrong type.
            ValueError: Before any request: ``job`` is not a valid id or code, or a
                request option cannot be sent.
        """
        ws, ref = self._workspace(workspace), _options.job_ref(job)
        per_call = self._per_call(options)
        return AsyncJobRun(
            self,
            await self._call(self._start_job_run_call(ref, params, data, ws), per_call),
            ref,
            ws,
        )

    def get_job_run(self, job: JobRef, run_id: int, workspace: WorkspaceRef = None) -> AsyncJobRun:
        """A handle on a job run started elsewhere, from its id; no request is
        sent, so not a coroutine.

        Args:
            job: The job the run belongs to: its id, its code or a [`Job`][cxreports.Job].
            run_id: The run's id (the server's ``jobRunId``).
            workspace: The workspace of the job: an id, a code or a
                [`Workspace`][cxreports.Workspace]; default: the client's.

        Returns:
            The handle, not polled yet.

        Raises:
            ConfigurationError: No ``workspace`` was given and the client has none.
            TypeError: ``run_id`` is not a non-negative int, or ``job`` or ``workspace`` is of the
                wrong type.
            ValueError: ``job`` or ``workspace`` is not a valid id or code.
        """
        ws, ref = self._workspace(workspace), _options.job_ref(job)
        return AsyncJobRun(self, _options.int_id(run_id, "run_id"), ref, ws)

    async def call(
        self,
        endpoint: ModuleType,
        /,
        *args: Any,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | httpx.Timeout | None = NOT_GIVEN,
        **kwargs: Any,
    ) -> Any:
        """Send any generated operation, such as one this class does not wrap yet.

        The awaitable twin of [`Client.call()`][cxreports.Client.call]:
        ``await client.call(endpoint, ...)``.

        After ``make spec`` against a newer server and ``make generate``, a new operation has a
        module in ``cxreports_api.api`` before the client has a method for it. ``call`` sends it
        through this client's auth, timeouts, retries (for idempotent methods only: GET, HEAD,
        OPTIONS, PUT, DELETE), redaction, typed errors and response validation.

        Args:
            endpoint: A module of ``cxreports_api.api``, e.g.
                ``cxreports_api.api.reports.list_reports``.
            *args: The positional arguments of the module's ``sync()``, without ``client``.
            extra_headers: Headers added to the request (not ``Authorization``, ``Cookie``,
                ``Host`` or ``Content-Length``: the client sets those).
            extra_query: Merged into the query; a ``None`` value removes a parameter.
            extra_body: Merged into the JSON body, or the body of a POST that has none.
            timeout: Seconds, an ``httpx.Timeout``, or ``None`` for none, for this call; left
                out: the client's.
            **kwargs: The keyword arguments of the module's ``sync()``; ``workspace_id``
                defaults to the client's workspace.

        Returns:
            What the generated parser makes of the answer, checked against the spec: a generated
            model or a list of them (``None`` for an answer documented without a body); a file
            comes back as a [`Document`][cxreports.Document].

        Raises:
            ConfigurationError: The operation takes a workspace, none was given and the client
                has none; raised before any request.
            APIStatusError: An error status, as its subclass (``NotFoundError``,
                ``AuthenticationError``...), after the retries that apply.
            APIConnectionError: No complete answer: the connection failed, timed out
                (``APITimeoutError``) or the body was cut short (``IncompleteDownloadError``),
                after the retries that apply.
            APIResponseValidationError: A 2xx answer whose body does not match the spec, or a
                status the spec does not document.
            APIRedirectError: A redirect that cannot be followed safely.
            ClientClosedError: The client was closed.
            TypeError: ``endpoint`` is not a generated endpoint module, the arguments do not fit
                its ``sync()``, or a request option is of the wrong type; raised before any
                request.
            ValueError: A request option that cannot be sent; raised before any request.
        """
        options = _call_options(extra_headers, extra_query, extra_body, timeout)
        call = self._endpoint_call(endpoint, args, kwargs)
        return await self._call(call, self._per_call(options))
