"""A drop-in replacement for the official ``cxreports-api-client`` (``CxReportClientV1``).

Change one line::

    from cxreports_api_client import CxReportClientV1   # before
    from cxreports.compat import CxReportClientV1       # after

and the rest of the code keeps working: the same methods, positional order, keyword names,
defaults and return shapes (plain dicts and lists as the server sent them, ``bytes`` for
documents, ``str`` for preview URLs). Underneath is [`Client`][cxreports.Client], so calls
share a keep-alive connection pool, have a timeout (60 s, 5 s to connect; ``timeout=``),
are retried where that is safe (``max_retries=``) and raise errors that say what the server
said.

What the official client (0.0.5) sends, and what this one sends too:

- ``Authorization: Bearer <token>`` on every request; the paths under ``/api/v1/``, with
  the workspace (``default_workspace_id`` unless ``workspace_id=`` is given) in the path,
  and the preview page at ``/ws/{workspace}/reports/{report}/preview``.
- On GET (``get_pdf``, ``get_preview_url``) the keys of the ``params`` dict become the
  query: ``params`` as base64url-encoded JSON (``json.dumps`` with its default separators,
  padding kept), ``tempDataId``, ``timezone``, ``lang``, ``type``, ``includeAttachments``,
  ``theme``, ``template``, ``nonce`` and a ``data`` string as they are. ``get_pdf``'s
  ``theme``/``template`` arguments are folded into that query and win over the dict's.
- ``post_pdf`` and ``start_report_export`` POST the ``request_body`` dict as JSON with
  ``"format": "pdf"`` added when it has no ``format``; ``start_job_run`` POSTs its body
  (``{}`` by default); ``push_temporary_data`` POSTs ``{"content": data}``;
  ``get_run_review_document``, ``deliver_job_run_entries`` and ``create_auth_token`` POST
  no body. ``get_preview_url`` creates a nonce first and adds it to the URL's query.
- 401 and 403 raise a ``RuntimeError`` whose text is exactly ``"Unauthenticated."``.

Where it deliberately differs (the official client's defects):

- Nothing is dropped. A ``data`` value that is not a string (a dict, a list...) goes as
  base64url JSON like ``params``; ``format`` and ``excludePages`` (repeated,
  ``excludePages=2&excludePages=3``) are sent on GET too; ``tempDataId`` may be a string of
  digits, sent as the number, in queries and bodies alike; other keys with a scalar value
  (e.g. the preview page's ``hidePrintButton``) are sent as they are. A value that cannot
  be sent (not JSON-serialisable, a dict under an unknown query key, a ``tempDataId`` that
  is not a number) raises ``TypeError`` before any request (where the official client
  sent it, or raised ``RuntimeError`` for a body ``requests`` could not encode). Note that the
  v1 reference lists ``excludePages`` for the async export only; a server that does not
  know it on GET ignores it, so use ``start_report_export`` to leave pages out.
- The caller's dicts are never modified (the official client writes ``theme``,
  ``template``, ``format`` and ``nonce`` into them).
- Every request has a timeout (the official client sets none).
- Only 401 and 403 mean "Unauthenticated.". A ``text/html`` answer is not taken for one:
  a document is returned whatever its type (an HTML export is HTML), a 2xx that is not
  JSON where JSON is due raises
  [`APIResponseValidationError`][cxreports.APIResponseValidationError], and an error page
  raises the [`APIStatusError`][cxreports.APIStatusError] of its status, with the status
  code and the server's message, like every other error.
- Errors are [`CxReportsError`][cxreports.CxReportsError] subclasses, so ``RuntimeError``
  subclasses too; 401/403 are [`AuthenticationError`][cxreports.AuthenticationError] and
  [`PermissionDeniedError`][cxreports.PermissionDeniedError] (``.message`` keeps the
  server's words). Other texts are ours, e.g. ``404 Not Found: <the server's message> (GET
  /api/v1/...)`` rather than ``HTTP error occurred: ...``. A PDF call answered with another
  content type still raises, with a message starting ``"Invalid content type, expected
  PDF"``; asking for another ``format`` (or ``includeAttachments``) returns that document
  instead.
- ``includeAttachments`` goes on GET as ``true``/``false`` (the official client sends
  Python's ``True``/``False``; servers read both). Paths are percent-encoded.
  ``get_reports`` makes one request, as the official client does (``Client.reports`` also
  follows pages).
- The token is not an attribute and appears in no repr, log line or error text.
"""

from __future__ import annotations

import base64
import json
import warnings
from collections.abc import Callable, Mapping
from types import ModuleType, TracebackType
from typing import Any, Self

import httpx

from . import _options
from ._base_client import (  # the generated endpoint modules, bound (lazily) once there
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    REDACTED,
    Call,
    create_nonce_token,
    deliver_job_run,
    export_report_get,
    export_report_post,
    generate_review_document,
    get_export_content,
    get_export_status,
    get_job_run_status,
    list_jobs,
    list_report_pages,
    list_report_types,
    list_reports,
    list_templates,
    list_themes,
    list_workspaces,
    start_job_run,
    start_report_export,
)
from ._client import Client
from .errors import (
    APIResponseValidationError,
    AuthenticationError,
    PermissionDeniedError,
    describe,
)

__all__ = ["CxReportClientV1"]

UNAUTHENTICATED = "Unauthenticated."
Id = int | str
Json = dict[str, Any]

# Query keys and what the GET export builder calls them; the rest go into the query as is.
_BUILDER_KEYS = {
    "params": "params",
    "data": "data",
    "tempDataId": "temp_data_id",
    "lang": "lang",
    "timezone": "timezone",
    "format": "format_",
    "includeAttachments": "include_attachments",
    "template": "template",
    "theme": "theme",
    "nonce": "nonce",
}


def _b64_json(value: Any, what: str) -> str:
    """A string as is (already encoded), anything else as base64url JSON, as the official
    client encodes ``params`` (``json.dumps`` defaults, padded)."""
    if isinstance(value, str):
        return value
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what} must be JSON-serialisable: {exc}") from None
    return base64.urlsafe_b64encode(text.encode()).decode("ascii")


def _int_id(value: object, what: str) -> int:
    """An id as an int, or a string of ASCII digits (as the official client passed them on)."""
    if isinstance(value, str) and value.strip().isdecimal() and value.strip().isascii():
        return int(value.strip())
    return _options.int_id(value, what)


def _text(value: object, what: str, *, ids: bool = False) -> str:
    if isinstance(value, int) and ids and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        kind = "a str" + (" (or an int id)" if ids else "")
        raise TypeError(f"{what} must be {kind}, not {value!r}")
    return value  # as is, even empty: the server decides, as with the official client


def _flag(value: object, what: str) -> bool:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be a bool, not {value!r}")
    return value


def _pages(value: object) -> list[int]:
    if isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
        raise TypeError(f"excludePages must be a list of page ids, not {value!r}")
    return [_options.int_id(page, "each of excludePages") for page in value]


def _scalar(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise TypeError(
        f"query parameter {key!r} must be a str, number or bool to go in a URL, "
        f"not {type(value).__name__}"
    )


def _query(
    workspace: str, report: str, values: Mapping[str, Any], what: str = "params"
) -> dict[str, Any]:
    """The GET export query for the official client's ``params`` dict (``what`` names the
    argument in errors), built by the generated request builder; nothing given is left out."""
    if not isinstance(values, Mapping):
        raise TypeError(f"{what} must be a dict, not {type(values).__name__}")
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue  # nothing to send, as in the official client
        if key in ("params", "data"):
            known[key] = _b64_json(value, key)
        elif key == "tempDataId":
            known[key] = _int_id(value, "tempDataId")
        elif key == "includeAttachments":
            known[key] = _flag(value, key)
        elif key in ("theme", "template"):
            known[key] = _text(value, key, ids=True)
        elif key in ("lang", "timezone", "format", "nonce", "type"):
            (known if key in _BUILDER_KEYS else extra)[key] = _text(value, key)
        elif key == "excludePages":
            extra[key] = _pages(value)
        else:
            extra[key] = _scalar(key, value)
    kwargs = export_report_get._get_kwargs(
        workspace, report, **{_BUILDER_KEYS[k]: v for k, v in known.items()}
    )
    query: dict[str, Any] = kwargs["params"]
    query.update(extra)
    return kwargs


def _body(request_body: Mapping[str, Any] | None, *, export: bool) -> Json:
    """A new JSON body from the caller's (never modified); exports default to PDF."""
    if request_body is None:
        request_body = {}
    if not isinstance(request_body, Mapping):
        raise TypeError(f"request_body must be a dict, not {type(request_body).__name__}")
    body = {"format": "pdf", **request_body} if export else dict(request_body)
    if body.get("tempDataId") is not None:
        body["tempDataId"] = _int_id(body["tempDataId"], "tempDataId")
    _options.to_json(body, "request_body")
    return body


def _wants_pdf(options: Mapping[str, Any]) -> bool:
    """Whether a PDF is due: no other format asked for, and no attachments (a zip)."""
    fmt = options.get("format")
    pdf = fmt is None or (isinstance(fmt, str) and fmt.lower() == "pdf")
    attachments = options.get("includeAttachments")
    return pdf and not (attachments is True or str(attachments).lower() == "true")


class CxReportClientV1:
    """The official client's interface on [`Client`][cxreports.Client].

    ``CxReportClientV1(base_url, default_workspace_id, token)`` as before. ``close()`` it, or
    use it as a context manager, to close its connections. See the module docstring for
    what goes on the wire.

    Args:
        base_url: The CxReports server, e.g. ``https://tenant.cx-reports.app``.
        default_workspace_id: The workspace id or code used when a call gives none.
        token: A personal access token. It is kept out of every repr, log and error.
        timeout: Seconds, or an ``httpx.Timeout``, for every request (default 60 s, 5 s to
            connect); ``None`` waits forever.
        max_retries: How often a failed request is retried where that is safe (default 2).
        http_client: An ``httpx.Client`` of your own (a proxy, certificates); it is then
            yours to close.

    Raises:
        ConfigurationError: the URL, token or workspace is missing, empty or malformed.
        ValueError: ``timeout`` or ``max_retries`` is out of range.
    """

    def __init__(
        self,
        base_url: str,
        default_workspace_id: Id,
        token: str,
        *,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._client = Client(
            base_url,
            token,
            default_workspace_id,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
        )
        self.workspace_id = default_workspace_id

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.url!r}, "
            f"default_workspace_id={self.workspace_id!r}, token={REDACTED!r})"
        )

    @property
    def url(self) -> str:
        """The base URL (read-only: it is the underlying client's)."""
        return self._client.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        """The timeout of every request (the official client has none)."""
        return self._client.timeout

    def close(self) -> None:
        """Close the connections; the client cannot be used afterwards."""
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------------------

    def _ws(self, workspace_id: Id | None) -> str:
        return self._client._workspace(self.workspace_id if workspace_id is None else workspace_id)

    def _send(
        self,
        kwargs: dict[str, Any],
        parse: Callable[[httpx.Response], Any],
        *,
        retry_safe: bool,
    ) -> Any:
        """Send through the client's retries and error mapping; 401/403 read "Unauthenticated."."""
        try:
            return self._client._call(Call(kwargs, parse, retry_safe=retry_safe))
        except (AuthenticationError, PermissionDeniedError) as exc:
            exc.args = (UNAUTHENTICATED,)  # `.message` keeps the server's words
            raise

    def _invalid(self, response: httpx.Response, problem: str) -> APIResponseValidationError:
        return APIResponseValidationError(
            f"{problem} ({describe(response.request)})",
            response=self._client._public_copy(response),
        )

    def _json(self, shape: type[Any]) -> Callable[[httpx.Response], Any]:
        """Parse the body as JSON of ``shape`` (list or dict); anything else is an error."""

        def parse(response: httpx.Response) -> Any:
            content_type = response.headers.get("Content-Type") or "no Content-Type"
            try:
                value = response.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise self._invalid(
                    response,
                    f"expected JSON, got {response.status_code} {content_type} "
                    "(a proxy or login page may have answered instead of the API)",
                ) from None
            if not isinstance(value, shape):
                raise self._invalid(
                    response, f"expected a JSON {shape.__name__}, got {type(value).__name__}"
                )
            return value

        return parse

    def _content(self, expect_pdf: bool) -> Callable[[httpx.Response], bytes]:
        def parse(response: httpx.Response) -> bytes:
            content_type = response.headers.get("Content-Type", "")
            if expect_pdf and "application/pdf" not in content_type.lower():
                raise self._invalid(
                    response,
                    f"Invalid content type, expected PDF, got {content_type or 'none'!r}",
                )
            return response.content

        return parse

    def _list(self, endpoint: ModuleType, *args: Any, **kwargs: Any) -> list[Json]:
        result: list[Json] = self._send(
            endpoint._get_kwargs(*args, **kwargs), self._json(list), retry_safe=True
        )
        return result

    def _dict(self, kwargs: dict[str, Any], *, retry_safe: bool) -> Json:
        result: Json = self._send(kwargs, self._json(dict), retry_safe=retry_safe)
        return result

    # -- documents ---------------------------------------------------------------------------

    def get_pdf(
        self,
        report_id: Id | None = None,
        params: Mapping[str, Any] | None = None,
        workspace_id: Id | None = None,
        theme: str | int | None = None,
        template: str | int | None = None,
        *,
        reportId: Id | None = None,  # the official client's deprecated name
    ) -> bytes:
        """Render by GET, with the keys of ``params`` as the query, and return the document.

        ``reportId``, the official client's old name for ``report_id``, still works and gives a
        ``DeprecationWarning``.

        Args:
            report_id: The report's id, or a report type code (its default report).
            params: The query: ``params`` (base64url JSON), ``data``, ``tempDataId``, ``timezone``,
                ``lang``, ``theme``, ``template``, ``format``, ``includeAttachments``...
            workspace_id: The workspace; default: ``default_workspace_id``.
            theme: A theme id or code; wins over ``params['theme']``.
            template: A template id or code; wins over ``params['template']``.
            reportId: The official client's deprecated name for ``report_id``.

        Returns:
            bytes: The document: a PDF unless ``params`` asks for another format.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        if reportId is not None:
            warnings.warn(
                "'reportId' is deprecated; use 'report_id' instead.",
                DeprecationWarning,
                stacklevel=2,
            )
            if report_id is None:
                report_id = reportId
        if report_id is None:
            raise TypeError("get_pdf() missing required argument: 'report_id'")
        if params is not None and not isinstance(params, Mapping):
            raise TypeError(f"params must be a dict, not {type(params).__name__}")
        options = {**(params or {})}  # a copy: the caller's dict is never modified
        if theme is not None:
            options["theme"] = theme
        if template is not None:
            options["template"] = template
        kwargs = _query(self._ws(workspace_id), _options.report_ref(report_id), options)
        result: bytes = self._send(kwargs, self._content(_wants_pdf(options)), retry_safe=True)
        return result

    def post_pdf(
        self,
        report_id: Id,
        request_body: Mapping[str, Any] | None = None,
        workspace_id: Id | None = None,
    ) -> bytes:
        """Render by POST, with ``request_body`` as JSON, and return the document.

        Args:
            report_id: The report's id, or a report type code (its default report).
            request_body: The export request (``params``, ``data``, ``format``...); ``format``
                defaults to ``pdf``. It is not modified.
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            bytes: The document.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        body = _body(request_body, export=True)
        kwargs = export_report_post._get_kwargs(
            self._ws(workspace_id), _options.report_ref(report_id)
        )
        kwargs["json"] = body
        # A synchronous render changes nothing on the server: safe to repeat.
        result: bytes = self._send(kwargs, self._content(_wants_pdf(body)), retry_safe=True)
        return result

    def start_report_export(
        self,
        report_id: Id,
        request_body: Mapping[str, Any] | None = None,
        workspace_id: Id | None = None,
    ) -> Json:
        """Queue a render on the server.

        Args:
            report_id: The report's id, or a report type code (its default report).
            request_body: The export request (``params``, ``data``, ``format``, ``excludePages``...);
                ``format`` defaults to ``pdf``. It is not modified.
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            dict: ``{"temporaryFileId": ...}``, for ``get_export_status`` and ``get_export_content``.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        body = _body(request_body, export=True)
        kwargs = start_report_export._get_kwargs(
            self._ws(workspace_id), _options.report_ref(report_id)
        )
        kwargs["json"] = body
        return self._dict(kwargs, retry_safe=False)

    def get_export_status(self, temp_file_id: Id, workspace_id: Id | None = None) -> Json:
        """The status of a queued export.

        Args:
            temp_file_id: The id ``start_report_export`` returned (an int or a string of digits).
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            dict: ``status``, ``isReady``, ``errorMessage``, ``expiryTime``... as the server sent them.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        kwargs = get_export_status._get_kwargs(
            self._ws(workspace_id), _int_id(temp_file_id, "temp_file_id")
        )
        return self._dict(kwargs, retry_safe=True)

    def get_export_content(self, temp_file_id: Id, workspace_id: Id | None = None) -> bytes:
        """The finished file of a queued export, whatever its type.

        Args:
            temp_file_id: The id ``start_report_export`` returned (an int or a string of digits).
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            bytes: The document.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        kwargs = get_export_content._get_kwargs(
            self._ws(workspace_id), _int_id(temp_file_id, "temp_file_id")
        )
        result: bytes = self._send(kwargs, self._content(False), retry_safe=True)
        return result

    # -- listings ----------------------------------------------------------------------------

    def get_report_types(self, workspace_id: Id | None = None) -> list[Json]:
        """The workspace's report types.

        Args:
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            list[dict]: The report types, as the server sent them.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
        """
        return self._list(list_report_types, self._ws(workspace_id))

    def get_themes(self, workspace_id: Id | None = None) -> list[Json]:
        """The workspace's themes.

        Args:
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            list[dict]: The themes, as the server sent them.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
        """
        return self._list(list_themes, self._ws(workspace_id))

    def get_templates(self, workspace_id: Id | None = None) -> list[Json]:
        """The workspace's templates.

        Args:
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            list[dict]: The templates, as the server sent them.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
        """
        return self._list(list_templates, self._ws(workspace_id))

    def get_workspaces(self) -> list[Json]:
        """The workspaces the token can use.

        Returns:
            list[dict]: The workspaces, as the server sent them.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
        """
        return self._list(list_workspaces)

    def get_reports(self, type: str | None = None, workspace_id: Id | None = None) -> list[Json]:
        """The workspace's reports, in one request as the official client makes (no paging).

        Args:
            type: A report type code, to list only that type's reports.
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            list[dict]: The reports, as the server sent them.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        if type is None:
            return self._list(list_reports, self._ws(workspace_id))
        return self._list(list_reports, self._ws(workspace_id), type_=_text(type, "type"))

    def get_report_pages(self, report_id: Id, workspace_id: Id | None = None) -> list[Json]:
        """A report's pages (their ids go to ``excludePages``).

        Args:
            report_id: The report's id, or a report type code (its default report).
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            list[dict]: The pages, as the server sent them.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        return self._list(list_report_pages, self._ws(workspace_id), _options.report_ref(report_id))

    # -- jobs --------------------------------------------------------------------------------

    def get_jobs(self, workspace_id: Id | None = None) -> list[Json]:
        """The workspace's jobs.

        Args:
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            list[dict]: The jobs, as the server sent them.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
        """
        return self._list(list_jobs, self._ws(workspace_id))

    def start_job_run(
        self,
        job_id: Id,
        request_body: Mapping[str, Any] | None = None,
        workspace_id: Id | None = None,
    ) -> Json:
        """Start a run of a job.

        Args:
            job_id: The job's id or code.
            request_body: ``params`` and ``data`` for the run (default ``{}``); not modified.
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            dict: ``{"jobRunId": ...}``.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        kwargs = start_job_run._get_kwargs(self._ws(workspace_id), _options.job_ref(job_id))
        kwargs["json"] = _body(request_body, export=False)
        return self._dict(kwargs, retry_safe=False)

    def get_job_run_status(self, job_id: Id, run_id: Id, workspace_id: Id | None = None) -> Json:
        """The status of a job run.

        Args:
            job_id: The job's id or code.
            run_id: The run's id.
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            dict: ``{"finished": ..., "entries": ..., "status": {"queued": ..., ...}}``.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        kwargs = get_job_run_status._get_kwargs(
            self._ws(workspace_id), _options.job_ref(job_id), _int_id(run_id, "run_id")
        )
        return self._dict(kwargs, retry_safe=True)

    def get_run_review_document(
        self, job_id: Id, run_id: Id, workspace_id: Id | None = None
    ) -> Json:
        """Start rendering a run's consolidated review document.

        Args:
            job_id: The job's id or code.
            run_id: The run's id.
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            dict: ``{"temporaryFileId": ...}``, to poll like an export.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        kwargs = generate_review_document._get_kwargs(
            self._ws(workspace_id), _options.job_ref(job_id), _int_id(run_id, "run_id")
        )
        return self._dict(kwargs, retry_safe=False)

    def deliver_job_run_entries(
        self, job_id: Id, run_id: Id, workspace_id: Id | None = None
    ) -> None:
        """Deliver a reviewed run's results.

        Args:
            job_id: The job's id or code.
            run_id: The run's id.
            workspace_id: The workspace; default: ``default_workspace_id``.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        kwargs = deliver_job_run._get_kwargs(
            self._ws(workspace_id), _options.job_ref(job_id), _int_id(run_id, "run_id")
        )
        self._send(kwargs, lambda response: None, retry_safe=False)

    # -- data, nonces and previews -----------------------------------------------------------

    def create_auth_token(self) -> Json:
        """Create a single-use nonce, which a browser exchanges for a session cookie.

        Returns:
            dict: ``{"nonce": "..."}``.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
        """
        return self._dict(create_nonce_token._get_kwargs(), retry_safe=False)

    def push_temporary_data(self, data: Any, workspace_id: Id | None = None) -> Json:
        """Upload data once, for later exports to refer to by its ``tempDataId``.

        Args:
            data: Any JSON-serialisable value.
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            dict: ``{"tempDataId": ..., "expiryDate": ...}``.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        kwargs = self._client._push_temporary_data_call(data, None, self._ws(workspace_id)).kwargs
        return self._dict(kwargs, retry_safe=False)

    def get_preview_url(
        self,
        report_id: Id,
        query_params: Mapping[str, Any] | None = None,
        workspace_id: Id | None = None,
    ) -> str:
        """A nonce-signed preview page URL for an iframe; the token stays on the server.

        Args:
            report_id: The report's id, or a report type code (its default report).
            query_params: The page's query (``params``, ``data``, ``tempDataId``, ``theme``,
                ``hidePrintButton``...); not modified.
            workspace_id: The workspace; default: ``default_workspace_id``.

        Returns:
            str: A URL that a browser can open once.

        Raises:
            AuthenticationError: 401 or 403 (``PermissionDeniedError`` for 403); the text is
                ``"Unauthenticated."``, as the official client's.
            APIStatusError: any other error status, with the server's message.
            APIConnectionError: no response, after the retries that apply.
            APIResponseValidationError: a 2xx answer that is not what the API describes.
            TypeError: a value that cannot be sent; raised before any request.
            ValueError: an id or code that cannot be sent; raised before any request.
        """
        ws, report = self._ws(workspace_id), _options.report_ref(report_id)
        query = _query(ws, report, query_params or {}, "query_params")["params"]  # before the nonce
        query["nonce"] = self.create_auth_token()["nonce"]
        return self._client._preview_url(ws, report, query)
