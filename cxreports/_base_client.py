"""Everything the sync and async clients share: configuration, request building from the
generated package, response mapping, the retry policy and logging.

The two shells in ``_client.py`` only send requests and sleep; every decision is made
here, once.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import ipaddress
import json
import logging
import mimetypes
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

from . import _options, _validate
from ._body import (
    ACCEPT_ENCODING,
    BodyReader,
    Deadline,
    DeadlineExceeded,
    TruncatedBody,
    UndecodableBody,
    overall_seconds,
)
from ._filenames import filename_from_disposition, safe_filename
from ._files import PartFile
from ._lazy import lazy_module
from ._polling import Flow, RenderTimes, poll
from ._request_options import (
    NO_OPTIONS,
    PerCall,
    RequestOptions,
    merged_query,
    path_and_query,
)
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIRedirectError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    ConfigurationError,
    CxReportsError,
    ExportFailedError,
    IncompleteDownloadError,
    PagingError,
    describe,
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
    extra_fields,
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

CONNECT_TIMEOUT = 5.0  # a host that does not answer within this is down, not slow
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=CONNECT_TIMEOUT)
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A Retry-After longer than this is not waited out: the error is raised instead.
MAX_RETRY_AFTER = 60.0
RETRY_STATUSES = frozenset({408, 429})  # and every 5xx
# What client.call repeats after the server may have seen it (RFC 9110 idempotent methods).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Distinct request URLs a client keeps parsed (a batch repeats a few; beyond, start over).
URL_CACHE_SIZE = 256
# Preview pages are a browser route outside the JSON API, so outside the spec.
PREVIEW_PATH = "/ws/{workspace}/reports/{report}/preview"
PREVIEW_QUERY = frozenset({"params", "data", "tempDataId", "timezone", "theme", "template"})
REPORTS_PAGE_SIZE = 100
# A listing of more pages than this is a server paging in circles, not a real workspace.
MAX_PAGES = 1000
MAX_REDIRECTS = 10
# What a file body may be, per export format (the spec's media types for the export routes).
# application/octet-stream is what a server sends when it does not know better.
FILE_MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html",
}
ZIP_MEDIA_TYPE = "application/zip"
GENERIC_MEDIA_TYPES = frozenset({"application/octet-stream", "binary/octet-stream"})
ANY_FILE_MEDIA_TYPE = frozenset({*FILE_MEDIA_TYPES.values(), ZIP_MEDIA_TYPE, *GENERIC_MEDIA_TYPES})


def file_media_types(format: str, attachments: bool = False) -> frozenset[str] | None:
    """The content types a file of ``format`` may arrive with, or None to accept any.

    A format the spec gained after this table was written (``csv`` from a newer server) is
    mapped by its extension, as the server names the file; one with no known type is not
    checked, so a new format always works.
    """
    media_type = FILE_MEDIA_TYPES.get(format) or mimetypes.guess_type(f"x.{format}", False)[0]
    if media_type is None:
        return None
    return frozenset({media_type, *GENERIC_MEDIA_TYPES, *([ZIP_MEDIA_TYPE] if attachments else [])})


REDACTED = "[REDACTED]"
# Marks an argument the caller did not pass, where None has a meaning of its own.
NOT_GIVEN: Any = object()
# What an export's render time is learned by: its report reference and format.
RenderKey = tuple[str, str]


@functools.cache
def _parser_client(raise_on_unexpected_status: bool = False) -> Any:
    """What the generated response parsers take as ``client``: they read only its
    ``raise_on_unexpected_status``. Built on first use, with the generated package."""
    from cxreports_api.client import Client as GeneratedClient

    return GeneratedClient(
        base_url="http://parser.invalid", raise_on_unexpected_status=raise_on_unexpected_status
    )


class InsecureTransportWarning(UserWarning):
    """The token would travel in clear text to a host other than this machine."""


@attrs.frozen
class Call(Generic[T]):
    """One request, built by the generated package, and how to read its answer.

    ``retry_safe`` marks requests that may be repeated after the server could have seen
    them (reads, and renders without side effects); others are retried only when the
    connection failed before anything was sent. ``media_types`` is set for file bodies:
    the content types the file may have (a login page answering an export is an error).
    """

    kwargs: dict[str, Any]
    parse: Callable[[httpx.Response], T]
    retry_safe: bool
    media_types: frozenset[str] | None = None


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
    """``host`` as httpx gives it: lower-case, an IPv6 address without its brackets."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _timeout(value: float | httpx.Timeout | None) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if value is None:
        return httpx.Timeout(None)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {value!r}")
    return httpx.Timeout(float(value), connect=min(float(value), CONNECT_TIMEOUT))


def _retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"max_retries must be a non-negative int, got {value!r}")
    return value


def _merged_headers(*layers: Mapping[str, str]) -> httpx.Headers:
    """Later layers win over earlier ones whatever a name's case: HTTP names are
    case-insensitive, and a dict merge would send ``user-agent`` next to ``User-Agent``."""
    merged = httpx.Headers()
    for layer in layers:
        merged.update(layer)
    return merged


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


def _from_transport(exc: BaseException) -> bool:
    """Whether ``exc`` comes from an HTTP library under httpx rather than from Python or us."""
    return type(exc).__module__.split(".")[0] in ("aiohttp", "httpcore", "h11", "h2", "anyio")


class BaseClient:
    """Configuration and all sans-I/O logic of :class:`Client` and :class:`AsyncClient`."""

    _owns_http = False  # whether the subclass built its httpx client (then it closes it)

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
        # The httpx client already sending self._headers by default (see _build_request).
        self._preset_http: object = None
        # Request URLs parsed so far (httpx.URL is immutable), bounded by URL_CACHE_SIZE.
        self._urls: dict[str, httpx.URL] = {}
        self._headers = _merged_headers(
            # gzip and deflate only: _body decodes them itself, so a cut stream is an error.
            {"Accept-Encoding": ACCEPT_ENCODING, "User-Agent": f"cxreports-python/{__version__}"},
            headers or {},
            {"Authorization": f"Bearer {token}"},
        )

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
        self._preset_http = other._preset_http
        self._urls = other._urls
        self._render_times = other._render_times
        self.timeout = other.timeout if timeout is NOT_GIVEN else _timeout(timeout)
        self.max_retries = other.max_retries if max_retries is None else _retries(max_retries)

    # -- secrets ---------------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        """Replace the token wherever it occurs, e.g. in a server's or transport's echo."""
        return text.replace(self._token, REDACTED)

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
        self,
        http: httpx.Client | httpx.AsyncClient,
        call: Call[Any],
        options: PerCall = NO_OPTIONS,
    ) -> httpx.Request:
        kwargs = call.kwargs
        method = kwargs["method"].upper()
        path: str = kwargs["url"]
        if http is not self._preset_http and self._owns_http:
            # A client we built: its default headers become ours, once, so that httpx
            # stops merging three headers into its defaults on every request.
            http.headers.update(self._headers)
            self._preset_http = http
        headers: httpx.Headers | None = None if http is self._preset_http else self._headers
        if "headers" in kwargs or options.headers:  # a body's Content-Type, extra_headers
            headers = _merged_headers(
                self._headers,
                kwargs.get("headers", {}),
                options.headers,
                {"Authorization": self._headers["Authorization"]},  # never replaced
            )
        path, generated = path_and_query(path, kwargs.get("params"))
        url: str | httpx.URL = self.base_url + path
        params: dict[str, Any] | None = options.query_for(generated)
        if not http.params:
            # Encoded here as httpx encodes it, and parsed once per distinct URL: httpx
            # takes an httpx.URL as it is, where it would parse a string (twice with
            # params=). A batch sends the same URL over and over.
            query = f"?{httpx.QueryParams(params)}" if params else ""
            url, params = self._parsed_url(f"{url}{query}"), None
        return http.build_request(
            method,
            url,
            params=params,
            json=options.body_for(method, path, kwargs.get("json")),
            headers=headers,
            timeout=self.timeout if options.timeout is None else options.timeout,
        )

    def _parsed_url(self, url: str) -> httpx.URL:
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) >= URL_CACHE_SIZE:
                self._urls.clear()
            parsed = self._urls[url] = httpx.URL(url)
        return parsed

    def _per_call(self, options: Mapping[str, Any]) -> PerCall:
        """A public method's ``**options`` (see :class:`RequestOptions`), checked up front."""
        if not options:
            return NO_OPTIONS
        return PerCall.check(options, _timeout)

    def _split_options(self, args: Mapping[str, Any]) -> tuple[dict[str, Any], PerCall]:
        """Export arguments and request options, from a method's mixed ``**options``."""
        rest = dict(args)
        request = {k: rest.pop(k) for k in RequestOptions.__optional_keys__ if k in rest}
        return rest, self._per_call(request)

    def _endpoint_call(
        self, endpoint: ModuleType, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Call[Any]:
        """Any generated operation, as ``client.call`` sends it (see its docstring)."""
        get_kwargs = getattr(endpoint, "_get_kwargs", None)
        if not callable(get_kwargs) or not callable(getattr(endpoint, "_parse_response", None)):
            raise TypeError(
                "call() takes a generated endpoint module, such as "
                "cxreports_api.api.reports.list_reports, not "
                f"{getattr(endpoint, '__name__', type(endpoint).__name__)!r}"
            )
        name = endpoint.__name__.rpartition(".")[2]
        signature = inspect.signature(get_kwargs)
        if "workspace_id" in signature.parameters:
            position = list(signature.parameters).index("workspace_id")
            if len(args) > position:
                args = (*args[:position], self._workspace(args[position]), *args[position + 1 :])
            else:
                kwargs = {**kwargs, "workspace_id": self._workspace(kwargs.get("workspace_id"))}
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(f"{name}: {exc}") from None
        try:
            request = get_kwargs(*bound.args, **bound.kwargs)
        except (AttributeError, TypeError, ValueError) as exc:
            # e.g. a dict where the builder wants a generated model (it calls .to_dict())
            raise TypeError(
                f"{name}: cannot build the request from these arguments: {exc}"
            ) from None
        method = request["method"].upper()

        def parse(response: httpx.Response) -> Any:
            from cxreports_api.types import File

            parsed = self._parsed(endpoint, response, strict=True)
            # A file comes back as a Document: the generated File drops its name and type.
            return self._document(response) if isinstance(parsed, File) else parsed

        return Call(request, parse, retry_safe=method in IDEMPOTENT_METHODS)

    def _overall_seconds(self, options: PerCall = NO_OPTIONS) -> float | None:
        """The overall limit of one attempt, from connecting to the last byte: from the
        call's own ``timeout=`` when it has one, else the client's; None for no limit."""
        return overall_seconds(options.timeout or self.timeout)

    def _deadline(self, options: PerCall = NO_OPTIONS) -> Deadline:
        return Deadline(self._overall_seconds(options))

    def _closed_error(self, request: httpx.Request) -> ClientClosedError:
        return ClientClosedError(
            f"the client is closed (close() was called or its with block ended): "
            f"cannot send {describe(request)}"
        )

    def _next_hop(self, response: httpx.Response, hops: int) -> httpx.Request | None:
        """The request a redirect asks for, or None when ``response`` is the answer.

        httpx builds the next request (``next_request``: method rules, no Authorization to
        another origin); this decides whether following it is safe. 307/308 repeat the
        method and body. A 301/302/303 would turn a request with a body into a body-less
        GET, so a render without the caller's data could come back as success: refused.
        """
        following = response.next_request
        if following is None:
            return None
        request = response.request
        location = response.headers.get("Location", "")
        if following.method != request.method:
            raise APIRedirectError(
                f"{response.status_code} redirect to {location!r} not followed: it would "
                f"resend {request.method} as a body-less {following.method} "
                f"({describe(request)})",
                request=self._public_request(request),
                location=location,
            )
        if hops >= MAX_REDIRECTS:
            raise APIRedirectError(
                f"more than {MAX_REDIRECTS} redirects (a redirect loop?), the last to "
                f"{location!r} ({describe(request)})",
                request=self._public_request(request),
                location=location,
            )
        return following

    def _body(
        self,
        call: Call[Any],
        response: httpx.Response,
        deadline: Deadline,
        part: PartFile | None = None,
    ) -> BodyReader:
        """How to read ``response``: an error body leniently (the server's words matter
        more than its encoding); a 2xx one strictly, after checking a file's type, into
        ``part`` when it is a download."""
        if not response.is_success:
            return BodyReader(response, deadline, None, lenient=True)
        self._check_file(call, response)
        if part is None:
            return BodyReader(response, deadline)
        part.restart()  # drop what an earlier, failed attempt wrote
        return BodyReader(response, deadline, part.write)

    def _answer(self, call: Call[Any], response: httpx.Response, body: bytes) -> Any:
        """The result of a complete, non-redirect response: parsed, or the error to raise."""
        decoded = self._decoded(response, body)
        if not response.is_success:
            # 4xx/5xx, and a 1xx/3xx that is not a redirect we could follow.
            raise self._status_error(decoded)
        return call.parse(decoded)

    @staticmethod
    def _decoded(response: httpx.Response, body: bytes) -> httpx.Response:
        """``response`` with its decoded ``body`` in memory, for the parsers."""
        headers: httpx.Headers | list[tuple[str, str]] = response.headers
        if "Content-Encoding" in headers:  # else the body is as sent, Content-Length holds
            headers = [
                (k, v)
                for k, v in response.headers.items()
                if k.lower() not in ("content-encoding", "content-length")
            ]
        return httpx.Response(
            response.status_code, headers=headers, content=body, request=response.request
        )

    def _check_file(self, call: Call[Any], response: httpx.Response) -> None:
        """Refuse a 2xx file body whose type cannot be the file asked for (an SSO login
        page answering an export, a JSON error with status 200), before it is saved."""
        if call.media_types is None:
            return
        if response.status_code != 200:  # the only success the file routes document
            raise APIResponseValidationError(
                f"undocumented status {response.status_code} for a file "
                f"({describe(response.request)})",
                response=self._public_copy(
                    httpx.Response(
                        response.status_code, headers=response.headers, request=response.request
                    )
                ),
            )
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if not media_type or media_type in call.media_types:
            return
        expected = " or ".join(sorted(call.media_types - GENERIC_MEDIA_TYPES))
        raise APIResponseValidationError(
            f"expected a file of type {expected}, got {media_type} ({describe(response.request)})",
            response=self._public_copy(
                httpx.Response(
                    response.status_code, headers=response.headers, request=response.request
                )
            ),
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
        self,
        exc: BaseException,
        request: httpx.Request,
        response: httpx.Response | None,
        options: PerCall = NO_OPTIONS,
    ) -> BaseException:
        """The exception to raise for a failed attempt (chained to ``exc`` by the caller).

        ``response`` is set once the status line and headers had arrived, so a transport
        error then means the body was cut short. ``options`` are the call's: a timeout
        names the limit that applied to it.
        """
        if isinstance(exc, CxReportsError):
            return exc
        where = describe(request)
        public = self._public_request(request)
        if isinstance(exc, DeadlineExceeded | TimeoutError):
            limit = self._overall_seconds(options)
            # No overall limit: a transport's own TimeoutError, with nothing to name.
            after = "" if limit is None else f" after {limit:g} s"
            return APITimeoutError(f"request timed out{after}: {where}", request=public)
        if isinstance(exc, TruncatedBody):
            return IncompleteDownloadError(
                f"response body was cut short ({exc}): {where}", request=public
            )
        if isinstance(exc, UndecodableBody):
            assert response is not None
            return APIResponseValidationError(
                f"response body could not be decoded ({exc}): {where}",
                response=self._public_copy(
                    httpx.Response(response.status_code, headers=response.headers, request=request)
                ),
            )
        if not isinstance(exc, httpx.HTTPError):
            if _from_transport(exc):
                # A transport that lets its own exceptions through (aiohttp's, say): still
                # a network failure, typed and named. (An OSError stays one: it is the
                # local disk's, from writing the file.)
                reason = self._redact(f"{type(exc).__name__}: {exc}")
                return APIConnectionError(f"connection failed: {where}: {reason}", request=public)
            return exc
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

    def _parsed(self, endpoint: ModuleType, response: httpx.Response, strict: bool = False) -> Any:
        """Parse a 2xx body with the generated parser and check every value's type against
        the spec's: the one path every JSON answer takes, so a mismatch is always an
        :class:`APIResponseValidationError`, never a wrong value or a raw exception.

        ``strict`` (for ``client.call``): None is a valid result of a documented status, and
        an undocumented one is told apart by the generated UnexpectedStatus.
        """
        from cxreports_api.errors import UnexpectedStatus

        try:
            parsed = endpoint._parse_response(client=_parser_client(strict), response=response)
            if parsed is not None:
                _validate.check(parsed)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            reason = str(exc) if isinstance(exc, _validate.InvalidBody) else repr(exc)
            raise APIResponseValidationError(
                f"unexpected response body from {describe(response.request)}: "
                f"{self._redact(reason)}",
                response=self._public_copy(response),
            ) from None
        except UnexpectedStatus:
            parsed = None
        else:
            if strict:
                return parsed
        if parsed is None:
            raise APIResponseValidationError(
                f"undocumented status {response.status_code} from {describe(response.request)}",
                response=self._public_copy(response),
            )
        return parsed

    def _document(self, response: httpx.Response) -> Document:
        name = filename_from_disposition(response.headers.get("Content-Disposition"))
        return Document(
            content=response.content,
            content_type=response.headers.get("Content-Type"),
            filename=None if name is None else safe_filename(name),
        )

    def _list_call(
        self, endpoint: ModuleType, model: type[M], *args: Any, **kwargs: Any
    ) -> Call[list[M]]:
        def parse(response: httpx.Response) -> list[M]:
            return [from_generated(model, item) for item in self._parsed(endpoint, response)]

        return Call(endpoint._get_kwargs(*args, **kwargs), parse, retry_safe=True)

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
            return listing.parse(response), int(
                total
            ) if total.isascii() and total.isdigit() else None

        return Call(listing.kwargs, parse, retry_safe=True)

    def _reports_flow(self, type: str | None, workspace: Any) -> Flow[list[Report]]:
        """All reports, following limit/offset pages when the server pages.

        The reference is silent on paging, so this trusts nothing it does not see: a server
        may cap a page below the limit asked for, so only an empty page (or a reached
        X-Total-Count) ends the listing. Servers that predate paging ignore ``limit`` and
        ``offset``: a page longer than asked for, or one with no report not listed yet
        (whichever page it repeats), ends it; ``MAX_PAGES`` bounds the rest.
        """
        ws = self._workspace(workspace)
        if type is not None and (not isinstance(type, str) or not type.strip()):
            raise ValueError("type must be a non-empty report type code")
        reports: list[Report] = []
        seen_ids: set[int] = set()
        offset = 0
        for _ in range(MAX_PAGES):
            page, total = yield self._reports_page_call(ws, type, offset)
            offset += len(page)
            # A page that adds no report not already listed means the server ignores or
            # clamps the offset (whichever page it repeats): stop there. A page that
            # overlaps the last one adds only its new reports: no report is listed twice.
            new = [report for report in page if report.id not in seen_ids]
            if not new:
                return reports
            seen_ids.update(report.id for report in new)
            reports.extend(new)
            if len(page) > REPORTS_PAGE_SIZE or (total is not None and offset >= total):
                return reports
        raise PagingError(
            f"the report listing of workspace {ws!r} did not end after {MAX_PAGES} pages "
            f"({len(reports)} reports): the server may be paging in circles"
        )

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
        else:
            kwargs = export_report_get._get_kwargs(ws, ref, **options.get_query())
        # A synchronous render changes nothing on the server, so even the POST form is
        # safe to repeat.
        return Call(
            kwargs,
            self._document,
            retry_safe=True,
            media_types=file_media_types(options.format, options.include_attachments),
        )

    def _start_export_call(
        self, report: Any, workspace: str, options: _options.ExportOptions
    ) -> Call[int]:
        kwargs = start_report_export._get_kwargs(
            workspace, _options.report_ref(report), body=options.async_body()
        )
        return Call(
            kwargs,
            lambda r: self._parsed(start_report_export, r).temporary_file_id,
            retry_safe=False,
        )

    def _export_status_call(self, workspace: str, export_id: int) -> Call[ExportStatus]:
        return Call(
            get_export_status._get_kwargs(workspace, export_id),
            lambda r: from_generated(ExportStatus, self._parsed(get_export_status, r)),
            retry_safe=True,
        )

    def _export_content_call(self, workspace: str, export_id: int) -> Call[Document]:
        return Call(
            get_export_content._get_kwargs(workspace, export_id),
            self._document,
            retry_safe=True,
            media_types=ANY_FILE_MEDIA_TYPE,
        )

    def _export_wait_flow(
        self,
        workspace: str,
        export_id: int,
        timeout: float | None,
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
            return TemporaryData(
                id=model.temp_data_id,
                expires=plain(model.expiry_date),
                extra=extra_fields(model, ("temp_data_id", "expiry_date")),
            )

        return Call(kwargs, parse, retry_safe=False)

    def _nonce_call(self) -> Call[str]:
        return Call(
            create_nonce_token._get_kwargs(),
            lambda r: self._parsed(create_nonce_token, r).nonce,
            retry_safe=False,
        )

    def _preview_url_flow(
        self, report: Any, args: Mapping[str, Any], extra_query: Mapping[str, Any] | None = None
    ) -> Flow[str]:
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
        query = merged_query(query, extra_query)
        query["nonce"] = yield self._nonce_call()
        return self._preview_url(ws, ref, query)

    def _preview_url(self, workspace: str, report: str, query: Mapping[str, Any]) -> str:
        """The browser URL of a report's preview page (outside the JSON API and the spec)."""
        path = PREVIEW_PATH.format(
            workspace=quote(workspace, safe=""), report=quote(report, safe="")
        )
        return str(httpx.URL(self.base_url + path, params=dict(query)))

    def _download_url_flow(
        self, report: Any, args: Mapping[str, Any], extra_query: Mapping[str, Any] | None = None
    ) -> Flow[str]:
        """Create a nonce, then a GET export URL that a browser can open once.

        The reference says a nonce authenticates the browser's first request and is then
        exchanged for a cookie; the same holds for the GET export route.
        """
        ref = _options.report_ref(report)
        ws, options = self._export_options(args)
        nonce = yield self._nonce_call()
        # The spec lists nonce on this route, as every official client sends it.
        kwargs = export_report_get._get_kwargs(ws, ref, **options.get_query(), nonce=nonce)
        path, generated = path_and_query(kwargs["url"], kwargs["params"])
        query = merged_query(generated, extra_query)
        return str(httpx.URL(self.base_url + path, params=query))

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
            kwargs,
            lambda r: self._parsed(start_job_run, r).job_run_id,
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
                # The counts are flattened into the status, and so are their extra fields.
                extra={
                    **extra_fields(counts, ("queued", "review", "completed", "errors")),
                    **extra_fields(model, ("finished", "entries", "status")),
                },
            )

        return Call(
            get_job_run_status._get_kwargs(workspace, job, run_id),
            parse,
            retry_safe=True,
        )

    def _job_run_wait_flow(
        self,
        workspace: str,
        job: str,
        run_id: int,
        timeout: float | None,
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
            generate_review_document._get_kwargs(workspace, job, run_id),
            lambda r: self._parsed(generate_review_document, r).temporary_file_id,
            retry_safe=False,
        )

    def _deliver_call(self, workspace: str, job: str, run_id: int) -> Call[None]:
        return Call(
            deliver_job_run._get_kwargs(workspace, job, run_id),
            lambda r: None,
            retry_safe=False,
        )
