"""Everything the sync and async clients share: configuration, request building from the
generated package, response mapping, the retry policy and logging.

The two shells in ``_client.py`` only send requests and sleep; every decision is made
here, once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import ipaddress
import json
import logging
import os
import random
import time
import warnings
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import quote

import attrs
import httpx

from . import _options
from ._lazy import lazy_module
from ._polling import Flow, RenderTimes, poll
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    CxReportsError,
    ExportFailedError,
    IncompleteDownloadError,
    status_error_class,
)
from .models import (
    Document,
    ExportStatus,
    Job,
    JobRunStatus,
    Report,
    ReportPage,
    ReportType,
    Template,
    TemporaryData,
    Theme,
    Workspace,
    filename_from_disposition,
    from_generated,
    plain,
)

logger = logging.getLogger("cxreports")

# The generated endpoint modules (and the models they import) load on first use. mypy sees
# the real modules, so every call into them is still type-checked.
if TYPE_CHECKING:  # re-exported (`as`) for compat.py
    from cxreports_api.api.exports import export_report_get as export_report_get
    from cxreports_api.api.exports import export_report_post as export_report_post
    from cxreports_api.api.exports import get_export_content as get_export_content
    from cxreports_api.api.exports import get_export_status as get_export_status
    from cxreports_api.api.exports import start_report_export as start_report_export
    from cxreports_api.api.jobs import deliver_job_run as deliver_job_run
    from cxreports_api.api.jobs import generate_review_document as generate_review_document
    from cxreports_api.api.jobs import get_job_run_status as get_job_run_status
    from cxreports_api.api.jobs import list_jobs as list_jobs
    from cxreports_api.api.jobs import start_job_run as start_job_run
    from cxreports_api.api.nonce_tokens import create_nonce_token as create_nonce_token
    from cxreports_api.api.report_types import list_report_types as list_report_types
    from cxreports_api.api.reports import list_report_pages as list_report_pages
    from cxreports_api.api.reports import list_reports as list_reports
    from cxreports_api.api.templates import list_templates as list_templates
    from cxreports_api.api.temporary_data import push_temporary_data as push_temporary_data
    from cxreports_api.api.themes import list_themes as list_themes
    from cxreports_api.api.workspaces import list_workspaces as list_workspaces
else:
    export_report_get = lazy_module("cxreports_api.api.exports.export_report_get")
    export_report_post = lazy_module("cxreports_api.api.exports.export_report_post")
    get_export_content = lazy_module("cxreports_api.api.exports.get_export_content")
    get_export_status = lazy_module("cxreports_api.api.exports.get_export_status")
    start_report_export = lazy_module("cxreports_api.api.exports.start_report_export")
    deliver_job_run = lazy_module("cxreports_api.api.jobs.deliver_job_run")
    generate_review_document = lazy_module("cxreports_api.api.jobs.generate_review_document")
    get_job_run_status = lazy_module("cxreports_api.api.jobs.get_job_run_status")
    list_jobs = lazy_module("cxreports_api.api.jobs.list_jobs")
    start_job_run = lazy_module("cxreports_api.api.jobs.start_job_run")
    create_nonce_token = lazy_module("cxreports_api.api.nonce_tokens.create_nonce_token")
    list_report_types = lazy_module("cxreports_api.api.report_types.list_report_types")
    list_report_pages = lazy_module("cxreports_api.api.reports.list_report_pages")
    list_reports = lazy_module("cxreports_api.api.reports.list_reports")
    list_templates = lazy_module("cxreports_api.api.templates.list_templates")
    push_temporary_data = lazy_module("cxreports_api.api.temporary_data.push_temporary_data")
    list_themes = lazy_module("cxreports_api.api.themes.list_themes")
    list_workspaces = lazy_module("cxreports_api.api.workspaces.list_workspaces")

T = TypeVar("T")
M = TypeVar("M", bound=attrs.AttrsInstance)

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A Retry-After longer than this is not waited out: the error is raised instead.
MAX_RETRY_AFTER = 60.0
RETRY_STATUSES = frozenset({408, 429})  # and every 5xx
# Preview pages are a browser route outside the JSON API, so outside the spec.
PREVIEW_PATH = "/ws/{workspace}/reports/{report}/preview"
PREVIEW_QUERY = frozenset({"params", "data", "tempDataId", "timezone", "theme", "template"})
REPORTS_PAGE_SIZE = 100
REDACTED = "[REDACTED]"
# Marks an argument the caller did not pass, where None has a meaning of its own.
NOT_GIVEN: Any = object()
# What an export's render time is learned by: its report reference and format.
RenderKey = tuple[str, str]


@functools.cache
def _parser_client() -> Any:
    """What the generated response parsers take as ``client``: they read only its
    ``raise_on_unexpected_status``. Built on first use, with the generated package."""
    from cxreports_api.client import Client as GeneratedClient

    return GeneratedClient(base_url="http://parser.invalid")


class InsecureTransportWarning(UserWarning):
    """The token would travel in clear text to a host other than this machine."""


@attrs.frozen
class Call(Generic[T]):
    """One request, built by the generated package, and how to read its answer.

    ``retry_safe`` marks requests that may be repeated after the server could have seen
    them (reads, and renders without side effects); others are retried only when the
    connection failed before anything was sent.
    """

    endpoint: ModuleType
    kwargs: dict[str, Any]
    parse: Callable[[httpx.Response], T]
    retry_safe: bool


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _given(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ConfigurationError(f"{name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ConfigurationError(f"{name} is empty")
    return value.strip()


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _timeout(value: float | httpx.Timeout | None) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if value is None:
        return httpx.Timeout(None)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {value!r}")
    return httpx.Timeout(float(value), connect=min(float(value), DEFAULT_TIMEOUT.connect or 5.0))


def _retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"max_retries must be a non-negative int, got {value!r}")
    return value


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            import email.utils  # here: it costs ~20 ms at import, and only a retry needs it

            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = when.timestamp() - (time.time() if now is None else now)
    return max(seconds, 0.0)


def _error_message(body: Any, response: httpx.Response) -> str:
    """The server's own words: ``{"error": ...}``, problem details, or the raw text."""
    if isinstance(body, Mapping):
        for key in ("error", "detail", "title", "message"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                if key == "title" and isinstance(body.get("errors"), Mapping):
                    details = "; ".join(
                        f"{field}: {' '.join(map(str, msgs if isinstance(msgs, list) else [msgs]))}"
                        for field, msgs in body["errors"].items()
                    )
                    return f"{value} ({details})" if details else value
                return value
    if isinstance(body, str) and body.strip():
        return body.strip()[:500]
    return response.reason_phrase or f"HTTP {response.status_code}"


class BaseClient:
    """Configuration and all sans-I/O logic of :class:`Client` and :class:`AsyncClient`."""

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        workspace: int | str | Workspace | None = None,
        *,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        # Only an argument left out falls back to the environment: an explicit empty
        # string is a mistake to report, not a reason to pick up some other credential.
        base_url = _env("CXREPORTS_URL") if base_url is None else _given(base_url, "base_url")
        token = _env("CXREPORTS_TOKEN") if token is None else _given(token, "token")
        if workspace is None:
            workspace = _env("CXREPORTS_WORKSPACE")
        if not base_url:
            raise ConfigurationError(
                "no CxReports URL: pass base_url= or set CXREPORTS_URL "
                "(for example https://your-tenant.cx-reports.app)"
            )
        if not token:
            raise ConfigurationError(
                "no API token: pass token= or set CXREPORTS_TOKEN "
                "(a Personal Access Token from the CxReports user menu)"
            )
        if any(c.isspace() or not c.isprintable() for c in token):
            # Never echo the token itself, not even in this message.
            raise ConfigurationError(
                "the API token contains whitespace or control characters; "
                "check it was copied whole and without a line break"
            )
        try:
            url = httpx.URL(base_url)
        except httpx.InvalidURL as exc:
            raise ConfigurationError(f"base_url is not a valid URL: {exc}") from None
        if url.port is not None and not 0 < url.port < 65536:
            raise ConfigurationError(
                f"base_url is not a valid URL: port {url.port} is out of range"
            )
        if url.userinfo:
            # It would show in every log line, repr and error; never echo it back.
            raise ConfigurationError(
                "base_url must not contain a user name or password; pass the API token as token="
            )
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigurationError(
                f"base_url must be an http(s) URL such as https://your-tenant.cx-reports.app, "
                f"got {base_url!r}"
            )
        if url.scheme == "http" and not _is_loopback(url.host):
            warnings.warn(
                f"base_url {base_url!r} is plain http: the API token will cross the network "
                "unencrypted. Use https.",
                InsecureTransportWarning,
                stacklevel=3,
            )
        self.base_url = str(url.copy_with(query=None, fragment=None)).rstrip("/")
        self._token = token
        self.workspace = None if workspace is None else _options.workspace_ref(workspace)
        self.timeout = _timeout(timeout)
        self.max_retries = _retries(max_retries)
        # What earlier exports took, per report and format, to poll later ones less.
        self._render_times = RenderTimes()
        self._headers = {
            "User-Agent": f"cxreports-python/{__version__}",
            **(headers or {}),
            "Authorization": f"Bearer {token}",
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, workspace={self.workspace!r}, "
            f"token={REDACTED!r})"
        )

    def _copy_config(self, other: BaseClient, timeout: Any, max_retries: int | None) -> None:
        """Share everything with ``other`` but the given overrides (see ``with_options``)."""
        self.base_url = other.base_url
        self._token = other._token
        self.workspace = other.workspace
        self._headers = other._headers
        self._render_times = other._render_times
        self.timeout = other.timeout if timeout is NOT_GIVEN else _timeout(timeout)
        self.max_retries = other.max_retries if max_retries is None else _retries(max_retries)

    # -- secrets ---------------------------------------------------------------------------

    def _redact(self, value: Any) -> Any:
        """Replace the token wherever it occurs, e.g. in a server's error body echo."""
        if isinstance(value, str):
            return value.replace(self._token, REDACTED) if self._token in value else value
        if isinstance(value, Mapping):
            return {k: self._redact(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._redact(v) for v in value]
        return value

    @staticmethod
    def _public_request(request: httpx.Request) -> httpx.Request:
        """The request as errors expose it: without Authorization or cookies (or a body)."""
        safe_headers = [
            (k, v)
            for k, v in request.headers.items()
            if k.lower() not in ("authorization", "cookie")
        ]
        return httpx.Request(request.method, request.url, headers=safe_headers)

    def _public_copy(self, response: httpx.Response) -> httpx.Response:
        """A response (and request) to hand to users: no Authorization, no cookies, no token."""
        safe_request = self._public_request(response.request)
        content = response.content
        if self._token.encode() in content:
            content = content.replace(self._token.encode(), REDACTED.encode())
        return httpx.Response(
            response.status_code,
            headers=[
                (k, v) for k, v in response.headers.items() if k.lower() != "content-encoding"
            ],
            content=content,
            request=safe_request,
        )

    # -- requests ----------------------------------------------------------------------------

    def _workspace(self, workspace: int | str | Workspace | None) -> str:
        if workspace is not None:
            return _options.workspace_ref(workspace)
        if self.workspace is None:
            raise ConfigurationError(
                "no workspace: pass workspace= to this call, or set one on the client "
                "(workspace= or CXREPORTS_WORKSPACE)"
            )
        return self.workspace

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, call: Call[Any]
    ) -> httpx.Request:
        kwargs = call.kwargs
        headers = self._headers  # httpx copies it
        if "headers" in kwargs:  # e.g. a body's Content-Type; never the Authorization
            headers = {**headers, **kwargs["headers"], "Authorization": headers["Authorization"]}
        return http.build_request(
            kwargs["method"].upper(),
            self.base_url + kwargs["url"],
            params=kwargs.get("params"),
            json=kwargs.get("json"),
            headers=headers,
            timeout=self.timeout,
        )

    def _retry_delay(
        self, call: Call[Any], attempt: int, error: BaseException, cause: BaseException
    ) -> float | None:
        """Seconds to wait before trying ``call`` again, or None to give up and raise.

        ``error`` is what would be raised, ``cause`` the exception the attempt ended with.
        """
        if attempt >= self.max_retries:
            return None
        if isinstance(error, APIStatusError):
            retryable = error.status_code in RETRY_STATUSES or error.status_code >= 500
            # A 429 is a refusal before any work was done, so even a POST that creates
            # something is safe to repeat; a 5xx may come after the work was done.
            if not retryable or not (call.retry_safe or error.status_code == 429):
                return None
            retry_after = parse_retry_after(error.response.headers.get("Retry-After"))
            if retry_after is not None:
                return retry_after if retry_after <= MAX_RETRY_AFTER else None
        elif isinstance(error, APIConnectionError):
            # A connection that never opened carried nothing: safe to repeat any request.
            never_sent = isinstance(
                cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
            )
            if not (call.retry_safe or never_sent):
                return None
        else:
            return None
        backoff = min(INITIAL_RETRY_DELAY * float(2**attempt), MAX_RETRY_DELAY)
        return backoff * (1 - 0.25 * random.random())

    def _map_error(
        self, exc: BaseException, request: httpx.Request, response: httpx.Response | None
    ) -> BaseException:
        """The exception to raise for a failed attempt (chained to ``exc`` by the caller).

        ``response`` is set once the status line and headers had arrived, so a transport
        error then means the body was cut short.
        """
        if isinstance(exc, CxReportsError) or not isinstance(exc, httpx.TransportError):
            return exc
        where = f"{request.method} {request.url.path}"
        public = self._public_request(request)
        # The httpx error is chained as __cause__: it must not hold the token either.
        exc.request = public
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"request timed out: {where}", request=public)
        if response is not None:
            return IncompleteDownloadError(f"response body was cut short: {where}", request=public)
        reason = self._redact(str(exc)) or type(exc).__name__
        return APIConnectionError(f"connection failed: {where}: {reason}", request=public)

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        public = self._public_copy(response)
        body: Any
        try:
            body = public.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = public.text
        message = _error_message(body, public)
        return status_error_class(response.status_code)(message, response=public, body=body)

    def _check_complete(self, response: httpx.Response) -> None:
        """A body shorter than its Content-Length is a failed download, never a result.

        The shells check every 2xx body this way before it is parsed or renamed into place.
        """
        expected = response.headers.get("Content-Length", "")
        if not expected.isdigit():
            return
        received = response.num_bytes_downloaded
        if not received and "Content-Encoding" not in response.headers:
            # A response built in memory (a mock transport) was never streamed.
            with contextlib.suppress(httpx.ResponseNotRead):
                received = len(response.content)
        if received != int(expected):
            raise IncompleteDownloadError(
                f"response body was cut short: got {received} of {expected} bytes "
                f"({response.request.method} {response.request.url.path})",
                request=response.request,
            )

    def _log(self, request: httpx.Request, status: int | str, started: float, attempt: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s in %.1f ms (retry %d)",
                request.method,
                request.url.path,
                status,
                (time.monotonic() - started) * 1000,
                attempt,
            )

    # -- parsing -----------------------------------------------------------------------------

    def _parsed(self, endpoint: ModuleType, response: httpx.Response) -> Any:
        """Parse a 2xx body with the generated parser; a mismatch is a validation error."""
        try:
            parsed = endpoint._parse_response(client=_parser_client(), response=response)
        except (KeyError, TypeError, ValueError) as exc:
            raise APIResponseValidationError(
                f"unexpected response body from {response.request.url.path}: {exc!r}",
                response=self._public_copy(response),
            ) from None
        if parsed is None:
            raise APIResponseValidationError(
                f"undocumented status {response.status_code} from {response.request.url.path}",
                response=self._public_copy(response),
            )
        return parsed

    def _document(self, response: httpx.Response) -> Document:
        return Document(
            content=response.content,
            content_type=response.headers.get("Content-Type"),
            filename=filename_from_disposition(response.headers.get("Content-Disposition")),
        )

    def _list_call(
        self, endpoint: ModuleType, model: type[M], *args: Any, **kwargs: Any
    ) -> Call[list[M]]:
        def parse(response: httpx.Response) -> list[M]:
            return [from_generated(model, item) for item in self._parsed(endpoint, response)]

        return Call(endpoint, endpoint._get_kwargs(*args, **kwargs), parse, retry_safe=True)

    # -- one plan per operation ----------------------------------------------------------------

    def _workspaces_call(self) -> Call[list[Workspace]]:
        return self._list_call(list_workspaces, Workspace)

    def _report_types_call(self, workspace: Any) -> Call[list[ReportType]]:
        return self._list_call(list_report_types, ReportType, self._workspace(workspace))

    def _templates_call(self, workspace: Any) -> Call[list[Template]]:
        return self._list_call(list_templates, Template, self._workspace(workspace))

    def _themes_call(self, workspace: Any) -> Call[list[Theme]]:
        return self._list_call(list_themes, Theme, self._workspace(workspace))

    def _jobs_call(self, workspace: Any) -> Call[list[Job]]:
        return self._list_call(list_jobs, Job, self._workspace(workspace))

    def _report_pages_call(self, report: Any, workspace: Any) -> Call[list[ReportPage]]:
        return self._list_call(
            list_report_pages, ReportPage, self._workspace(workspace), _options.report_ref(report)
        )

    def _reports_page_call(
        self, workspace: str, type: str | None, offset: int
    ) -> Call[tuple[list[Report], int | None]]:
        """One page of reports, with the total the server reports in X-Total-Count, if any."""
        from cxreports_api.types import UNSET

        listing = self._list_call(
            list_reports, Report, workspace, type_=UNSET if type is None else type,
            limit=REPORTS_PAGE_SIZE, offset=offset,
        )  # fmt: skip

        def parse(response: httpx.Response) -> tuple[list[Report], int | None]:
            total = response.headers.get("X-Total-Count", "")
            return listing.parse(response), int(total) if total.isdigit() else None

        return Call(listing.endpoint, listing.kwargs, parse, retry_safe=True)

    def _reports_flow(self, type: str | None, workspace: Any) -> Flow[list[Report]]:
        """All reports, following limit/offset pages when the server pages.

        The reference is silent on paging, so this trusts nothing it does not see: a server
        may cap a page below the limit asked for, so only an empty page (or a reached
        X-Total-Count) ends the listing. Servers that predate paging ignore ``limit`` and
        ``offset``: a page longer than asked for, or one that repeats the first, ends it.
        """
        ws = self._workspace(workspace)
        if type is not None and (not isinstance(type, str) or not type.strip()):
            raise ValueError("type must be a non-empty report type code")
        reports: list[Report] = []
        while True:
            page, total = yield self._reports_page_call(ws, type, len(reports))
            if not page or (reports and page[0].id == reports[0].id):
                return reports
            reports.extend(page)
            if len(page) > REPORTS_PAGE_SIZE or (total is not None and len(reports) >= total):
                return reports

    def _export_options(self, args: Mapping[str, Any]) -> tuple[str, _options.ExportOptions]:
        """The workspace and checked options from a public method's export arguments."""
        args = dict(args)
        workspace = self._workspace(args.pop("workspace", None))
        return workspace, _options.ExportOptions.build(**args)

    def _export_call(self, report: Any, args: Mapping[str, Any]) -> Call[Document]:
        ref = _options.report_ref(report)
        ws, options = self._export_options(args)
        if options.needs_post:
            kwargs = export_report_post._get_kwargs(ws, ref, body=options.post_body())
            endpoint: ModuleType = export_report_post
        else:
            kwargs = export_report_get._get_kwargs(ws, ref, **options.get_query())
            endpoint = export_report_get
        # A synchronous render changes nothing on the server, so even the POST form is
        # safe to repeat.
        return Call(endpoint, kwargs, self._document, retry_safe=True)

    def _start_export_call(
        self, report: Any, workspace: str, options: _options.ExportOptions
    ) -> Call[int]:
        kwargs = start_report_export._get_kwargs(
            workspace, _options.report_ref(report), body=options.async_body()
        )
        return Call(
            start_report_export,
            kwargs,
            lambda r: int(self._parsed(start_report_export, r).temporary_file_id),
            retry_safe=False,
        )

    def _export_status_call(self, workspace: str, export_id: int) -> Call[ExportStatus]:
        return Call(
            get_export_status,
            get_export_status._get_kwargs(workspace, export_id),
            lambda r: from_generated(ExportStatus, self._parsed(get_export_status, r)),
            retry_safe=True,
        )

    def _export_content_call(self, workspace: str, export_id: int) -> Call[Document]:
        return Call(
            get_export_content,
            get_export_content._get_kwargs(workspace, export_id),
            self._document,
            retry_safe=True,
        )

    def _export_wait_flow(
        self,
        workspace: str,
        export_id: int,
        timeout: float,
        on_status: Callable[[ExportStatus], object] | None,
        render: RenderKey | None = None,
        started: float | None = None,
    ) -> Flow[ExportStatus]:
        """Poll an export until it is ready. ``render`` (report and format) and ``started``
        (its ``time.monotonic()`` start) let a batch poll later renders less."""

        def done(status: ExportStatus) -> bool:
            if status.is_failed:
                raise ExportFailedError(status)
            return status.is_ready

        return poll(
            lambda: self._export_status_call(workspace, export_id),
            done,
            timeout=timeout,
            what=f"export {export_id}",
            on_status=on_status,
            started=started,
            learn=None if render is None else (self._render_times, (workspace, *render)),
        )

    def _push_temporary_data_call(
        self, content: Any, expires: Any, workspace: Any
    ) -> Call[TemporaryData]:
        _options.to_json(content, "content")
        when = _options.expiry(expires)
        from cxreports_api.models.temporary_data_request import TemporaryDataRequest
        from cxreports_api.types import UNSET

        body = TemporaryDataRequest(content=content, expiry_date=UNSET if when is None else when)
        kwargs = push_temporary_data._get_kwargs(self._workspace(workspace), body=body)

        def parse(response: httpx.Response) -> TemporaryData:
            model = self._parsed(push_temporary_data, response)
            return TemporaryData(id=model.temp_data_id, expires=plain(model.expiry_date))

        return Call(push_temporary_data, kwargs, parse, retry_safe=False)

    def _nonce_call(self) -> Call[str]:
        return Call(
            create_nonce_token,
            create_nonce_token._get_kwargs(),
            lambda r: str(self._parsed(create_nonce_token, r).nonce),
            retry_safe=False,
        )

    def _preview_url_flow(self, report: Any, args: Mapping[str, Any]) -> Flow[str]:
        """Create a nonce, then the browser URL of the report's preview page."""
        args = dict(args)
        hide_print_button = args.pop("hide_print_button", False)
        if not isinstance(hide_print_button, bool):
            raise TypeError("hide_print_button must be a bool")
        ref = _options.report_ref(report)
        ws, options = self._export_options(args)
        # The preview page takes the GET export's query names (those it honours).
        wire = export_report_get._get_kwargs(ws, ref, **options.get_query())["params"]
        query = {k: v for k, v in wire.items() if k in PREVIEW_QUERY}
        if hide_print_button:
            query["hidePrintButton"] = "true"
        query["nonce"] = yield self._nonce_call()
        return self._preview_url(ws, ref, query)

    def _preview_url(self, workspace: str, report: str, query: Mapping[str, Any]) -> str:
        """The browser URL of a report's preview page (outside the JSON API and the spec)."""
        path = PREVIEW_PATH.format(
            workspace=quote(workspace, safe=""), report=quote(report, safe="")
        )
        return str(httpx.URL(self.base_url + path, params=dict(query)))

    def _download_url_flow(self, report: Any, args: Mapping[str, Any]) -> Flow[str]:
        """Create a nonce, then a GET export URL that a browser can open once.

        The reference says a nonce authenticates the browser's first request and is then
        exchanged for a cookie; the same holds for the GET export route.
        """
        ref = _options.report_ref(report)
        ws, options = self._export_options(args)
        kwargs = export_report_get._get_kwargs(ws, ref, **options.get_query())
        nonce = yield self._nonce_call()
        return str(
            httpx.URL(self.base_url + kwargs["url"], params={**kwargs["params"], "nonce": nonce})
        )

    def _start_job_run_call(self, job: Any, params: Any, data: Any, workspace: Any) -> Call[int]:
        for value, what in ((params, "params"), (data, "data")):
            if value is not None:
                _options.to_json(value, what)
        from cxreports_api.models.job_run_request import JobRunRequest
        from cxreports_api.types import UNSET

        body = JobRunRequest(
            params=UNSET if params is None else params, data=UNSET if data is None else data
        )
        kwargs = start_job_run._get_kwargs(
            self._workspace(workspace), _options.job_ref(job), body=body
        )
        return Call(
            start_job_run,
            kwargs,
            lambda r: int(self._parsed(start_job_run, r).job_run_id),
            retry_safe=False,
        )

    def _job_run_status_call(self, workspace: str, job: str, run_id: int) -> Call[JobRunStatus]:
        def parse(response: httpx.Response) -> JobRunStatus:
            model = self._parsed(get_job_run_status, response)
            counts = model.status
            return JobRunStatus(
                finished=model.finished,
                entries=model.entries,
                queued=counts.queued,
                review=counts.review,
                completed=counts.completed,
                errors=counts.errors,
            )

        return Call(
            get_job_run_status,
            get_job_run_status._get_kwargs(workspace, job, run_id),
            parse,
            retry_safe=True,
        )

    def _job_run_wait_flow(
        self,
        workspace: str,
        job: str,
        run_id: int,
        timeout: float,
        on_status: Callable[[JobRunStatus], object] | None,
    ) -> Flow[JobRunStatus]:
        return poll(
            lambda: self._job_run_status_call(workspace, job, run_id),
            lambda status: status.finished,
            timeout=timeout,
            what=f"job run {run_id}",
            on_status=on_status,
        )

    def _review_document_call(self, workspace: str, job: str, run_id: int) -> Call[int]:
        return Call(
            generate_review_document,
            generate_review_document._get_kwargs(workspace, job, run_id),
            lambda r: int(self._parsed(generate_review_document, r).temporary_file_id),
            retry_safe=False,
        )

    def _deliver_call(self, workspace: str, job: str, run_id: int) -> Call[None]:
        return Call(
            deliver_job_run,
            deliver_job_run._get_kwargs(workspace, job, run_id),
            lambda r: None,
            retry_safe=False,
        )
