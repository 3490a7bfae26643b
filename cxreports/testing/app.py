"""The HTTP surface of the local server: the 18 operations of the pinned spec plus the preview page.

Behaviour follows the API reference; where it is silent the server does what an ASP.NET
CxReports instance does or, failing that, the least surprising thing (see `state` for the
choices about ids, expiry and temporary data):

- Auth runs first (401 ``{"error": ...}`` with ``WWW-Authenticate: Bearer``), then request
  validation (400 RFC 7807 problem details with ``errors``, served as application/json because
  the pinned spec documents only that media type), then lookups (404 ``{"error": ...}``).
- A path id that is not an int32 (``/exports/abc/status``) is a 404, as an ASP.NET
  ``{id:int}`` route constraint gives.
- ``GET /reports`` pages with ``limit``/``offset``; a limit below 1 means no limit, a negative
  offset means 0, and the server option ``max_page_size`` caps every page. The response carries
  ``X-Total-Count``.
- ``params`` containing ``"simulateFailure": "<message>"`` makes an async export end Failed with
  that message, sync exports and previews answer 400 with it, and a job run fail every entry.
  ``"simulateRenderSeconds": N`` overrides the render delay of that export or run (and delays
  a sync export by N seconds).
- ``"simulateContentBytes": N`` makes a sync or async export's file exactly N bytes: the
  rendered document followed by padding (a PDF stays a valid PDF), streamed in 1 MiB chunks so
  the server's memory does not grow with N (for benchmarks of large downloads). N smaller than
  the rendered document is a 400.
- ``generate-review-document`` and ``deliver`` answer 400 while the run still has queued
  entries; ``deliver`` answers 400 for a job that does not require review. Starting a run of an
  inactive job is a 400.
- Exports with every page excluded are a 400.
- The GET export also accepts, instead of a bearer token, a single-use ``nonce`` query
  parameter (exchanged for the preview session cookie) or that cookie, so a nonce-signed
  download link works in a browser the way a preview URL does. A spent nonce is a 401.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import importlib
import json
import logging
import re
import threading
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cxreports.testing import jsontext, render
from cxreports.testing.faults import FaultRule, FaultSpec, as_fault_spec
from cxreports.testing.render import PageSpec, RenderError, RenderRequest
from cxreports.testing.state import (
    DEFAULT_TOKEN,
    BadRequest,
    JobRun,
    NotFound,
    Report,
    Store,
    Workspace,
    iso,
)

log = logging.getLogger("cxreports.testing")

SESSION_COOKIE = "cxreports_preview"
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
_WS = "/api/v1/ws/[^/]+"
_OPERATIONS: dict[str, list[tuple[re.Pattern[str], str]]] = {}
for _method, _pattern, _op in [
    ("GET", "/api/v1/workspaces", "list_workspaces"),
    ("POST", "/api/v1/nonce-tokens", "create_nonce_token"),
    ("GET", _WS + "/reports", "list_reports"),
    ("GET", _WS + "/reports/[^/]+/pages", "list_report_pages"),
    ("GET", _WS + "/reports/[^/]+/pdf", "export_report_get"),
    ("POST", _WS + "/reports/[^/]+/pdf", "export_report_post"),
    ("POST", _WS + "/reports/[^/]+/export", "start_report_export"),
    ("GET", _WS + "/exports/[^/]+/status", "get_export_status"),
    ("GET", _WS + "/exports/[^/]+/content", "get_export_content"),
    ("POST", _WS + "/temporary-data", "push_temporary_data"),
    ("GET", _WS + "/report-types", "list_report_types"),
    ("GET", _WS + "/templates", "list_templates"),
    ("GET", _WS + "/themes", "list_themes"),
    ("GET", _WS + "/jobs", "list_jobs"),
    ("POST", _WS + "/jobs/[^/]+/runs", "start_job_run"),
    ("GET", _WS + "/jobs/[^/]+/runs/[^/]+/status", "get_job_run_status"),
    ("POST", _WS + "/jobs/[^/]+/runs/[^/]+/generate-review-document", "generate_review_document"),
    ("POST", _WS + "/jobs/[^/]+/runs/[^/]+/deliver", "deliver_job_run"),
    ("GET", "/ws/[^/]+/reports/[^/]+/preview", "preview"),
]:
    _OPERATIONS.setdefault(_method, []).append((re.compile(_pattern), _op))


def operation_for(method: str, path: str) -> str | None:
    """The spec operationId (or ``preview``) a request targets, None for anything else."""
    for pattern, op in _OPERATIONS.get("GET" if method == "HEAD" else method, []):
        if pattern.fullmatch(path):
            return op
    return None


# -- request log -----------------------------------------------------------------------------


@dataclass
class RequestRecord:
    """One request as the server saw it, in ``LocalServer.requests``.

    Attributes:
        method: The HTTP method.
        path: The path, decoded.
        query: The query string, as sent.
        operation_id: The API operation (e.g. ``list_workspaces``), or None outside the API.
        status: The response status; None until (unless) a response starts.
        fault: The kind of fault injected into it, if any.
        raw_path: The path as sent, still percent-encoded.
    """

    method: str
    path: str
    query: str
    operation_id: str | None
    status: int | None = None
    fault: str | None = None
    raw_path: str = ""  # as sent, still percent-encoded


@dataclass
class RequestLog:
    """Thread-safe; keeps the latest `limit` records so a long-running server stays bounded."""

    limit: int = 100_000
    _records: deque[RequestRecord] = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._records = deque(maxlen=self.limit)

    def append(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()


# -- errors ----------------------------------------------------------------------------------


class ValidationFailed(Exception):
    """Request binding failed: answered with RFC 7807 problem details, like ASP.NET."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class Unauthorized(Exception):
    pass


class Refused(Exception):
    """Refused before the body is bound: 413 (too large) or 415 (not JSON), with a message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


# Kestrel's default MaxRequestBodySize; a larger body is answered 413 without being read.
MAX_BODY_BYTES = 30_000_000
JSON_MEDIA_TYPES = re.compile(r"^(application/json|text/json|application/[\w.+-]+\+json)$")


class JSON(JSONResponse):
    """JSONResponse that survives lone surrogates echoed from a request (``"\\ud800"``)."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSON:
    return JSON({"error": message}, status_code=status, headers=headers)


def problem(errors: dict[str, list[str]]) -> JSON:
    first = next(iter(errors.values()), ["Invalid request"])[0]
    return JSON(
        {
            "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            "title": "One or more validation errors occurred.",
            "status": 400,
            "detail": first,
            "errors": errors,
            "traceId": f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-00",
        },
        status_code=400,
    )


# -- parsing helpers -------------------------------------------------------------------------


def decode_json_param(value: str | None, name: str) -> Any:
    """A GET ``params``/``data`` value: plain JSON, or base64url JSON with or without padding.

    Either form nested deeper than ``jsontext.MAX_DEPTH`` is a 400 naming the limit.
    """
    if value is None or value == "":
        return None
    try:
        return jsontext.loads(value)
    except jsontext.TooDeep as exc:
        raise ValidationFailed({name: [str(exc)]}) from None
    except ValueError:
        pass
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        return jsontext.loads(raw.decode("utf-8"))
    except jsontext.TooDeep as exc:
        raise ValidationFailed({name: [str(exc)]}) from None
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest(
            f"Query parameter '{name}' is neither JSON nor base64url-encoded JSON"
        ) from None


def parse_int32(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d{1,11}", text) or not INT32_MIN <= int(text) <= INT32_MAX:
        raise ValidationFailed({name: [f"The value '{value}' is not valid for {name}."]})
    return int(text)


def path_int(request: Request, name: str) -> int:
    value = request.path_params[name]
    if not re.fullmatch(r"-?\d{1,10}", value) or not INT32_MIN <= int(value) <= INT32_MAX:
        raise NotFound(f"'{value}' is not a valid {name}")
    return int(value)


def parse_bool(value: str | None, name: str) -> bool | None:
    if value is None:
        return None
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValidationFailed({name: [f"The value '{value}' is not valid for {name}."]})


async def read_body(request: Request) -> bytes:
    """The body, refused unread when its declared length passes the limit, and refused
    as soon as a chunked one does."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise Refused(413, f"The request body is too large (over {MAX_BODY_BYTES} bytes).")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise Refused(413, f"The request body is too large (over {MAX_BODY_BYTES} bytes).")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json_body(request: Request, *, required: bool) -> dict[str, Any]:
    raw = await read_body(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if raw.strip() and not JSON_MEDIA_TYPES.match(media_type):
        # As an ASP.NET [FromBody] endpoint answers a body it has no formatter for.
        shown = media_type or "none"
        raise Refused(
            415, f"Unsupported content type '{shown}': send the body as application/json."
        )
    if not raw.strip():
        if required:
            raise ValidationFailed({"": ["A non-empty request body is required."]})
        return {}
    try:
        body = jsontext.loads(raw)
    except ValueError as exc:
        raise ValidationFailed({"$": [f"The JSON value could not be converted: {exc}"]}) from None
    if not isinstance(body, dict):
        raise ValidationFailed({"$": ["The request body must be a JSON object."]})
    return body


def _is_int32(value: Any) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and INT32_MIN <= value <= INT32_MAX
    )


@dataclass
class ExportOptions:
    params: Any = None
    data: Any = None
    temp_data_id: int | None = None
    lang: str | None = None
    timezone: str | None = None
    format: str = "pdf"
    include_attachments: bool = False
    template: str | None = None
    theme: str | None = None
    exclude_pages: list[int] = field(default_factory=list)

    @property
    def failure(self) -> str | None:
        if isinstance(self.params, dict) and "simulateFailure" in self.params:
            return str(self.params["simulateFailure"] or "Simulated failure")
        return None

    def render_seconds(self, default: float) -> float:
        if isinstance(self.params, dict) and "simulateRenderSeconds" in self.params:
            value = self.params["simulateRenderSeconds"]
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 <= value < 86400
            ):
                raise BadRequest("simulateRenderSeconds must be a number of seconds (0 to 86400)")
            return float(value)
        return default

    @property
    def content_bytes(self) -> int | None:
        """The size asked for with ``simulateContentBytes``, if any."""
        if not isinstance(self.params, dict) or "simulateContentBytes" not in self.params:
            return None
        value = self.params["simulateContentBytes"]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_PADDED:
            raise BadRequest(f"simulateContentBytes must be a number of bytes (1 to {MAX_PADDED})")
        return value


MAX_PADDED = 1 << 36  # 64 GiB
# 1 MiB of PDF comment lines: readers ignore them after the document's %%EOF.
PADDING = (b"%" + b" " * 126 + b"\n") * 8192


def _pdf_tail(content: bytes) -> bytes:
    """What a padded document ends with: a PDF's ``startxref`` trailer again, which readers
    look for at the end of the file; nothing for other formats."""
    if content.startswith(b"%PDF") and (at := content.rfind(b"startxref")) >= 0:
        return b"\n" + content[at:].rstrip() + b"\n"
    return b""


def check_padding(content: bytes, size: int) -> None:
    """Refuse, before any render delay, a ``simulateContentBytes`` below the document's size."""
    least = len(content) + len(_pdf_tail(content))
    if size < least:
        raise BadRequest(
            f"simulateContentBytes={size} is smaller than the document ({least} bytes)"
        )


def padded(content: bytes, size: int) -> Any:
    """``content`` padded to exactly ``size`` bytes, as an async iterator of chunks (never the
    whole body in memory).

    A PDF stays valid: the padding is comment lines after its ``%%EOF``, followed by its
    trailer again (:func:`_pdf_tail`). Other formats are simply followed by the padding (HTML
    renders; Office files and zips do not open).
    """
    check_padding(content, size)
    tail = _pdf_tail(content)

    async def chunks() -> Any:
        yield content
        left = size - len(content) - len(tail)
        view = memoryview(PADDING)
        while left > 0:
            step = min(left, len(PADDING))
            yield view[:step]
            left -= step
        yield tail

    return chunks()


def options_from_body(body: dict[str, Any]) -> ExportOptions:
    errors: dict[str, list[str]] = {}
    opts = ExportOptions(params=body.get("params"), data=body.get("data"))
    for key in ("lang", "timezone", "template", "theme"):
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            errors[key] = [f"The JSON value could not be converted to System.String. Path: $.{key}"]
        else:
            setattr(opts, key, value)
    if "format" in body:
        if body["format"] not in render.formats():
            errors["format"] = [
                f"'{body['format']}' is not a valid format: "
                f"use one of {', '.join(render.formats())}"
            ]
        else:
            opts.format = body["format"]
    if "includeAttachments" in body:
        if not isinstance(body["includeAttachments"], bool):
            errors["includeAttachments"] = [
                "The JSON value could not be converted to System.Boolean."
            ]
        else:
            opts.include_attachments = body["includeAttachments"]
    temp = body.get("tempDataId")
    if temp is not None and not _is_int32(temp):
        errors["tempDataId"] = ["The JSON value could not be converted to System.Int32."]
    else:
        opts.temp_data_id = temp
    if "excludePages" in body:
        pages = body["excludePages"]
        if not isinstance(pages, list) or not all(_is_int32(p) for p in pages):
            errors["excludePages"] = ["The JSON value could not be converted to System.Int32[]."]
        else:
            opts.exclude_pages = pages
    if errors:
        raise ValidationFailed(errors)
    return opts


def options_from_query(request: Request) -> ExportOptions:
    q = request.query_params
    errors: dict[str, list[str]] = {}
    opts = ExportOptions(
        lang=q.get("lang"),
        timezone=q.get("timezone"),
        template=q.get("template"),
        theme=q.get("theme"),
    )
    try:
        opts.temp_data_id = parse_int32(q.get("tempDataId"), "tempDataId")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        opts.include_attachments = bool(
            parse_bool(q.get("includeAttachments"), "includeAttachments")
        )
    except ValidationFailed as exc:
        errors.update(exc.errors)
    fmt = q.get("format")
    if fmt is not None:
        if fmt not in render.formats():
            errors["format"] = [f"The value '{fmt}' is not valid for format."]
        else:
            opts.format = fmt
    if errors:
        raise ValidationFailed(errors)
    opts.params = decode_json_param(q.get("params"), "params")
    opts.data = decode_json_param(q.get("data"), "data")
    return opts


# -- the application -------------------------------------------------------------------------

Handler = Callable[[Request], Awaitable[Response]]


class CxReportsApp:
    """The local server as an ASGI app: the API's routes, fault injection and a request log.

    Serve it with any ASGI server; ``serve()`` runs it with uvicorn. Build it with
    ``create_app()``.

    Args:
        store: The tenant's live state (workspaces, reports, exports...).
        token: The bearer token clients must send.
        max_page_size: Page the report lists at this size.
        faults: Fault rules to inject, as a SPEC string or a ``FaultSpec``.
    """

    def __init__(
        self,
        store: Store,
        *,
        token: str,
        max_page_size: int | None = None,
        faults: str | FaultSpec | None = None,
    ) -> None:
        self.store = store
        self.token = token
        self.max_page_size = max_page_size
        self.faults = as_fault_spec(faults)
        self.log = RequestLog()
        self.routes = _Routes(self)
        self.inner: ASGIApp = Starlette(
            routes=self.routes.table(),
            exception_handlers={404: _not_found, 405: _method_not_allowed},
        )

    def set_faults(self, spec: str | FaultSpec | None) -> None:
        """Replace the fault rules; None removes them.

        Args:
            spec: A SPEC string (see ``FaultSpec.parse``), a ``FaultSpec`` or None.

        Raises:
            ValueError: a SPEC that cannot be read.
        """
        self.faults = as_fault_spec(spec)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        op = operation_for(scope["method"], scope["path"])
        faults = self.faults
        rule = faults.pick(op) if faults is not None and op is not None else None
        record = RequestRecord(
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
            operation_id=op,
            fault=rule.kind if rule else None,
            raw_path=scope.get("raw_path", scope["path"].encode()).decode("latin-1"),
        )
        self.log.append(record)

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            await send(message)

        if rule is None:
            await self.inner(scope, receive, logged_send)
        else:
            await self._inject(rule, scope, receive, logged_send, send)

    async def _inject(
        self, rule: FaultRule, scope: Scope, receive: Receive, send: Send, raw_send: Send
    ) -> None:
        if rule.kind == "latency":
            await asyncio.sleep(rule.value or 0.0)
            await self.inner(scope, receive, send)
        elif rule.status is not None:
            retry_after = rule.retry_after
            headers = {} if retry_after is None else {"Retry-After": retry_after}
            try:
                phrase = HTTPStatus(rule.status).phrase
            except ValueError:
                phrase = f"HTTP {rule.status}"
            response = error(rule.status, f"{phrase} (injected fault)", headers)
            await response(scope, receive, send)
        elif rule.kind == "drop":
            await _read_request_body(receive)
            await _drop_connection(raw_send)
        else:
            await self._truncate(scope, receive, send, raw_send)

    async def _truncate(self, scope: Scope, receive: Receive, send: Send, raw_send: Send) -> None:
        """Serve the real response with only half its body, then let the server close."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.inner(scope, receive, capture)
        if start is None:
            await _drop_connection(raw_send)
            return
        body = b"".join(chunks)
        declared = max(len(body), 1)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(declared).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": body[: declared // 2], "more_body": True})
        # Returning with the body incomplete makes uvicorn close the connection.


async def _read_request_body(receive: Receive) -> None:
    """Take in the whole request before a drop.

    Closing a socket whose kernel buffer still holds unread request bytes sends a reset, not a
    close: the client would see ``ECONNRESET`` (a read error) on some runs and a clean
    "disconnected without sending a response" on others. Reading the body first makes ``drop``
    mean one thing: the request arrived, and the connection closed without an answer.
    """
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _drop_connection(send: Send) -> None:
    """Close the socket without a response (uvicorn exposes its transport on the send method)."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:  # another server: declare a body that never comes
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]}
        )
        return
    transport.close()
    for _ in range(20):
        if getattr(cycle, "disconnected", True):
            break
        await asyncio.sleep(0)


async def _not_found(request: Request, exc: Exception) -> Response:
    return error(404, f"No resource at {request.url.path}")


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    headers = getattr(exc, "headers", None) or {}
    return error(
        405, f"Method {request.method} is not allowed on {request.url.path}", dict(headers)
    )


class _Routes:
    """Route handlers; each is wrapped so lookups and validation map to the documented statuses."""

    def __init__(self, app: CxReportsApp) -> None:
        self.app = app

    @property
    def store(self) -> Store:
        return self.app.store  # looked up per request, so a reset store takes effect at once

    def table(self) -> list[Route]:
        ws = "/api/v1/ws/{workspaceId}"
        run = ws + "/jobs/{jobIdOrCode}/runs/{jobRunId}"
        report = ws + "/reports/{reportIdOrTypeCode}"
        api = self.api
        return [
            Route("/api/v1/workspaces", api(self.list_workspaces), methods=["GET"]),
            Route("/api/v1/nonce-tokens", api(self.create_nonce_token), methods=["POST"]),
            Route(ws + "/reports", api(self.list_reports), methods=["GET"]),
            Route(report + "/pages", api(self.list_report_pages), methods=["GET"]),
            Route(report + "/pdf", api(self.export_report, browser=True), methods=["GET", "POST"]),
            Route(report + "/export", api(self.start_report_export), methods=["POST"]),
            Route(
                ws + "/exports/{tempFileId}/status", api(self.get_export_status), methods=["GET"]
            ),
            Route(
                ws + "/exports/{tempFileId}/content", api(self.get_export_content), methods=["GET"]
            ),
            Route(ws + "/temporary-data", api(self.push_temporary_data), methods=["POST"]),
            Route(ws + "/report-types", api(self.list_report_types), methods=["GET"]),
            Route(ws + "/templates", api(self.list_templates), methods=["GET"]),
            Route(ws + "/themes", api(self.list_themes), methods=["GET"]),
            Route(ws + "/jobs", api(self.list_jobs), methods=["GET"]),
            Route(ws + "/jobs/{jobIdOrCode}/runs", api(self.start_job_run), methods=["POST"]),
            Route(run + "/status", api(self.get_job_run_status), methods=["GET"]),
            Route(
                run + "/generate-review-document",
                api(self.generate_review_document),
                methods=["POST"],
            ),
            Route(run + "/deliver", api(self.deliver_job_run), methods=["POST"]),
            Route(
                "/ws/{workspaceId}/reports/{reportIdOrTypeCode}/preview",
                self.preview,
                methods=["GET"],
            ),
            Route("/swagger/v1/swagger.json", self.swagger, methods=["GET"]),
            Route("/swagger/v2/swagger.json", self.swagger, methods=["GET"]),
        ]

    def api(self, handler: Handler, *, browser: bool = False) -> Handler:
        """Bearer auth and error mapping; `browser` routes also take a nonce or the cookie."""

        async def endpoint(request: Request) -> Response:
            try:
                session = self.authenticate(request, browser=browser)
                response = await handler(request)
                if session is not None:
                    response.set_cookie(
                        SESSION_COOKIE, session, httponly=True, samesite="lax", path="/"
                    )
                return response
            except Unauthorized:
                return error(401, "Missing or invalid bearer token", {"WWW-Authenticate": "Bearer"})
            except Refused as exc:
                return error(exc.status, str(exc))
            except ValidationFailed as exc:
                return problem(exc.errors)
            except NotFound as exc:
                return error(404, str(exc))
            except (BadRequest, RenderError) as exc:
                return error(400, str(exc))
            except Exception:  # never expected: keep the contract (JSON) and log loudly
                log.exception("cxreports.testing: unhandled error in %s", request.url.path)
                return error(500, "Internal server error in the local CxReports server")

        return endpoint

    def authenticate(self, request: Request, *, browser: bool = False) -> str | None:
        """Check the bearer token; return a new preview session id if a nonce was redeemed.

        On `browser` routes (the GET export, which a browser opens as a download link) a
        request without an Authorization header may instead carry a single-use ``nonce``
        or the session cookie a nonce was exchanged for, as the iframe flow does.
        """
        header = request.headers.get("authorization")
        if browser and header is None and request.method in ("GET", "HEAD"):
            nonce = request.query_params.get("nonce")
            if nonce is not None:
                session = self.store.redeem_nonce(nonce)
                if session is None:
                    raise Unauthorized
                return session
            if self.store.session_valid(request.cookies.get(SESSION_COOKIE)):
                return None
            raise Unauthorized
        scheme, _, supplied = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            supplied.strip().encode(), self.app.token.encode()
        ):
            raise Unauthorized
        return None

    def workspace(self, request: Request) -> Workspace:
        return self.store.find_workspace(request.path_params["workspaceId"])

    # -- catalogue ------------------------------------------------------------------------

    async def list_workspaces(self, request: Request) -> Response:
        return JSON([ws.to_json() for ws in self.store.workspaces])

    async def create_nonce_token(self, request: Request) -> Response:
        return JSON({"nonce": self.store.new_nonce()})

    async def list_reports(self, request: Request) -> Response:
        limit = parse_int32(request.query_params.get("limit"), "limit")
        offset = parse_int32(request.query_params.get("offset"), "offset") or 0
        for name, value in (("limit", limit), ("offset", offset)):
            if value is not None and value < 0:
                raise ValidationFailed({name: [f"{name} must not be negative."]})
        ws = self.workspace(request)
        reports = ws.reports
        type_code = request.query_params.get("type")
        if type_code is not None:
            type_ids = {t.id for t in ws.report_types if t.code == type_code}
            reports = [r for r in reports if r.report_type_id in type_ids]
        size = limit if limit is not None and limit > 0 else None
        if self.app.max_page_size is not None:
            size = min(size or self.app.max_page_size, self.app.max_page_size)
        start = max(offset, 0)
        page = reports[start : start + size if size is not None else None]
        return JSON([ws.report_json(r) for r in page], headers={"X-Total-Count": str(len(reports))})

    async def list_report_pages(self, request: Request) -> Response:
        report = self.workspace(request).find_report(request.path_params["reportIdOrTypeCode"])
        return JSON([p.to_json() for p in report.pages])

    async def list_report_types(self, request: Request) -> Response:
        ws = self.workspace(request)
        return JSON([ws.report_type_json(t) for t in ws.report_types])

    async def list_templates(self, request: Request) -> Response:
        return JSON([t.to_json() for t in self.workspace(request).templates])

    async def list_themes(self, request: Request) -> Response:
        return JSON([t.to_json() for t in self.workspace(request).themes])

    async def list_jobs(self, request: Request) -> Response:
        return JSON([j.to_json() for j in self.workspace(request).jobs])

    # -- exports --------------------------------------------------------------------------

    def render_request(self, ws: Workspace, report: Report, opts: ExportOptions) -> RenderRequest:
        template = ws.find_template(opts.template) if opts.template else report.template
        theme = ws.find_theme(opts.theme) if opts.theme else report.theme
        data = opts.data
        if opts.temp_data_id is not None:
            stored = self.store.get_temp_data(ws, opts.temp_data_id)
            if data is None:
                data = stored
            elif isinstance(data, dict) and isinstance(stored, dict):
                data = {**stored, **data}
        excluded = set(opts.exclude_pages)
        return RenderRequest(
            report_name=report.name,
            theme=theme.name if theme else None,
            template=template.name if template else None,
            params=opts.params,
            data=data,
            lang=opts.lang,
            timezone=opts.timezone,
            pages=[PageSpec(p.id, p.name, p.type) for p in report.pages if p.id not in excluded],
            attachments=[(a.name, a.content) for a in report.attachments],
        )

    async def sync_export(self, request: Request, opts: ExportOptions) -> Response:
        ws = self.workspace(request)
        report = ws.find_report(request.path_params["reportIdOrTypeCode"])
        req = self.render_request(ws, report, opts)
        delay = opts.render_seconds(0.0)
        if opts.failure is not None:
            raise BadRequest(opts.failure)
        size = opts.content_bytes
        doc = await run_in_threadpool(render.render, req, opts.format, opts.include_attachments)
        if size is not None:
            check_padding(doc.content, size)
        if delay:
            await asyncio.sleep(delay)
        return file_response(doc.content, doc.content_type, doc.filename, size)

    async def export_report(self, request: Request) -> Response:
        """One route for GET and POST, so a 405 lists both in ``Allow``."""
        if request.method == "POST":
            return await self.export_report_post(request)
        return await self.export_report_get(request)

    async def export_report_get(self, request: Request) -> Response:
        return await self.sync_export(request, options_from_query(request))

    async def export_report_post(self, request: Request) -> Response:
        body = await read_json_body(request, required=False)
        return await self.sync_export(request, options_from_body(body))

    async def start_report_export(self, request: Request) -> Response:
        opts = options_from_body(await read_json_body(request, required=False))
        ws = self.workspace(request)
        report = ws.find_report(request.path_params["reportIdOrTypeCode"])
        req = self.render_request(ws, report, opts)
        delay = opts.render_seconds(self.store.render_delay)
        ext = "zip" if opts.include_attachments else opts.format
        name = render.safe_filename(report.name, ext)
        if opts.failure is not None:
            item = self.store.add_temp_file(
                ws,
                name=name,
                content_type=render.media_type(ext),
                content=b"",
                delay=delay,
                error=opts.failure,
                params=opts.params,
            )
        else:
            size = opts.content_bytes
            doc = await run_in_threadpool(render.render, req, opts.format, opts.include_attachments)
            if size is not None:
                check_padding(doc.content, size)
            item = self.store.add_temp_file(
                ws,
                name=doc.filename,
                content_type=doc.content_type,
                content=doc.content,
                delay=delay,
                params=opts.params,
                size=size,
            )
        return JSON({"temporaryFileId": item.id}, status_code=202)

    async def get_export_status(self, request: Request) -> Response:
        ws = self.workspace(request)
        item = self.store.get_temp_file(ws, path_int(request, "tempFileId"))
        return JSON(self.store.file_status(item))

    async def get_export_content(self, request: Request) -> Response:
        ws = self.workspace(request)
        item = self.store.get_temp_file(ws, path_int(request, "tempFileId"))
        status = self.store.file_status(item)
        if status["status"] == "InProgress":
            raise BadRequest(
                f"File {item.id} is not ready yet; poll its status until isReady is true"
            )
        if status["status"] == "Failed":
            raise BadRequest(f"File {item.id} has no content: the export failed: {item.error}")
        return file_response(item.content, item.content_type, item.name, item.size)

    async def push_temporary_data(self, request: Request) -> Response:
        body = await read_json_body(request, required=True)
        if "content" not in body:
            raise ValidationFailed({"content": ["The content field is required."]})
        expiry_raw = body.get("expiryDate")
        expiry: datetime | None = None
        if expiry_raw is not None:
            expiry = parse_datetime(expiry_raw)
        ws = self.workspace(request)
        item = self.store.add_temp_data(ws, body["content"], expiry)
        return JSON({"tempDataId": item.id, "expiryDate": iso(item.expiry_wall)})

    # -- jobs -----------------------------------------------------------------------------

    async def start_job_run(self, request: Request) -> Response:
        body = await read_json_body(request, required=False)
        ws = self.workspace(request)
        job = ws.find_job(request.path_params["jobIdOrCode"])
        if not job.is_active:
            raise BadRequest(f"Job '{job.code or job.id}' is not active")
        opts = ExportOptions(params=body.get("params"), data=body.get("data"))
        run = self.store.start_run(
            ws,
            job,
            opts.params,
            opts.data,
            opts.render_seconds(self.store.render_delay),
            opts.failure,
        )
        return JSON({"jobRunId": run.id})

    def job_run(self, request: Request) -> tuple[Workspace, JobRun]:
        ws = self.workspace(request)
        job = ws.find_job(request.path_params["jobIdOrCode"])
        return ws, self.store.get_run(ws, job, path_int(request, "jobRunId"))

    async def get_job_run_status(self, request: Request) -> Response:
        _, run = self.job_run(request)
        return JSON(self.store.run_status(run))

    async def generate_review_document(self, request: Request) -> Response:
        ws, run = self.job_run(request)
        counts = self.store.run_counts(run)
        if counts.queued:
            raise BadRequest(
                f"Job run {run.id} is still running; generate the review document once it has finished"
            )
        entries = [(entry.name, entry.error or state) for entry, state in counts.done]
        content = await run_in_threadpool(render.render_review_pdf, run.job.name, run.id, entries)
        item = self.store.add_temp_file(
            ws,
            name=render.safe_filename(f"{run.job.name} - run {run.id} review", "pdf"),
            content_type=render.MIME_TYPES["pdf"],
            content=content,
            delay=self.store.render_delay,
        )
        return JSON({"temporaryFileId": item.id}, status_code=202)

    async def deliver_job_run(self, request: Request) -> Response:
        _, run = self.job_run(request)
        self.store.deliver(run)
        return Response(status_code=200)

    # -- browser routes -------------------------------------------------------------------

    async def preview(self, request: Request) -> Response:
        try:
            return await self._preview(request)
        except NotFound as exc:
            return html_message(404, "Not found", str(exc))
        except (BadRequest, RenderError) as exc:
            return html_message(400, "Bad request", str(exc))
        except ValidationFailed as exc:
            return html_message(
                400, "Bad request", "; ".join(m for ms in exc.errors.values() for m in ms)
            )

    async def _preview(self, request: Request) -> Response:
        nonce = request.query_params.get("nonce")
        session: str | None = None
        if nonce is not None:
            session = self.store.redeem_nonce(nonce)
            if session is None:
                return html_message(
                    401, "Unauthorized", "This preview link has expired or was already used."
                )
        elif not self.store.session_valid(request.cookies.get(SESSION_COOKIE)):
            return html_message(
                401,
                "Unauthorized",
                "Open this preview with a nonce from POST /api/v1/nonce-tokens.",
            )
        ws = self.workspace(request)
        report = ws.find_report(request.path_params["reportIdOrTypeCode"])
        opts = options_from_query(request)
        hide = parse_bool(request.query_params.get("hidePrintButton"), "hidePrintButton")
        req = self.render_request(ws, report, opts)
        if opts.failure is not None:
            raise BadRequest(opts.failure)
        page = render.render_preview(req, show_print_button=not hide)
        response = HTMLResponse(page, headers={"Cache-Control": "no-store"})
        if session is not None:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="lax", path="/")
        return response

    async def swagger(self, request: Request) -> Response:
        # HOOK: cxreports/testing/swagger.py (another engineer's module) provides
        # swashbuckle_document(variant) -> dict: the pinned API as an ASP.NET/Swashbuckle
        # server serves it, without auth. /swagger/v1 serves "same", /swagger/v2 "changed"
        # (an upgraded server). Imported lazily so this server works without that module.
        try:
            module = importlib.import_module("cxreports.testing.swagger")
        except ModuleNotFoundError:
            return error(404, "Swagger is not enabled on this server")
        variant = "changed" if request.url.path.startswith("/swagger/v2/") else "same"
        document = await run_in_threadpool(module.swashbuckle_document, variant)
        return JSON(document)


def file_response(
    content: bytes, content_type: str, filename: str, size: int | None = None
) -> Response:
    """The file, or with ``size`` the file padded to that many bytes and streamed."""
    if size is not None:
        return StreamingResponse(
            padded(content, size),
            media_type=content_type,
            headers={
                "Content-Disposition": render.content_disposition(filename),
                "Content-Length": str(size),
            },
        )
    return Response(
        content,
        media_type=content_type,
        headers={"Content-Disposition": render.content_disposition(filename)},
    )


def html_message(status: int, title: str, message: str) -> HTMLResponse:
    return HTMLResponse(render.message_page(status, title, message), status_code=status)


def parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValidationFailed(
            {"expiryDate": ["The JSON value could not be converted to System.DateTime."]}
        )
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        raise ValidationFailed(
            {"expiryDate": [f"The JSON value '{value}' could not be converted to System.DateTime."]}
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise ValidationFailed({"expiryDate": [f"The date '{value}' is out of range."]}) from None


def create_app(
    *,
    token: str = DEFAULT_TOKEN,
    seed: Any = None,
    render_delay: float = 0.0,
    export_ttl: float = 3600.0,
    max_page_size: int | None = None,
    faults: str | FaultSpec | None = None,
    store: Store | None = None,
) -> CxReportsApp:
    """Build the local server's ASGI app, to serve with an ASGI server of your choice.

    Args:
        token: The bearer token clients must send.
        seed: The tenant as a JSON file path or a dict; default: the built-in seed.
        render_delay: Seconds an asynchronous export or job run takes to render.
        export_ttl: Seconds a finished export stays downloadable.
        max_page_size: Page the report lists at this size.
        faults: Fault rules to inject, as a SPEC string or a ``FaultSpec``.
        store: A ready state; overrides ``seed``, ``render_delay`` and ``export_ttl``.

    Returns:
        The app.

    Raises:
        ValueError: a seed or fault SPEC that cannot be read.
        OSError: a seed file that cannot be opened.
    """
    if store is None:
        store = Store(seed, render_delay=render_delay, export_ttl=export_ttl)
    return CxReportsApp(store, token=token, max_page_size=max_page_size, faults=faults)
