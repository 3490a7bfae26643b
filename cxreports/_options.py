"""Checking and translating export arguments before anything is sent.

Users pass snake_case Python values; the generated package wants its own models and
JSON strings. Everything that could be wrong is caught here, with a message that names
the argument, and nothing the caller passed is modified.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import quote_plus

import attrs

from .models import Job, Report, ReportPage, TemporaryData, Workspace

# The generated models are imported where they are used: importing one runs
# cxreports_api.models, which loads them all (see _lazy).
if TYPE_CHECKING:
    from cxreports_api.models.async_export_request import AsyncExportRequest
    from cxreports_api.models.export_format import ExportFormat
    from cxreports_api.models.export_request import ExportRequest
    from cxreports_api.types import Unset


class ExportArgs(TypedDict, total=False):
    """The export options that ``export_to_file``, ``start_export`` and ``download_url``
    take as keywords, named and typed as in ``Client.export``."""

    format: ExportFormat
    params: Any
    data: Any
    temp_data: int | TemporaryData | None
    lang: str | None
    timezone: str | None
    theme: str | int | None
    template: str | int | None
    include_attachments: bool
    workspace: int | str | Workspace | None


# Past this many characters of ``params`` in the query string, as sent (percent-encoded: a
# brace takes 3, a non-ASCII letter up to 9), a GET export URL risks the limits of common
# servers and proxies (IIS: a 2 KB query; nginx, Kestrel: an 8 KB request line); such
# exports go by POST instead.
MAX_QUERY_PARAMS = 2000


def _identifier(value: object, what: str, model: type[Any]) -> str:
    """An id or code for a path segment, from an int, a non-empty str or a ``model`` object."""
    if isinstance(value, model):
        return str(value.id)
    if isinstance(value, bool) or not isinstance(value, int | str):
        names = f"an int id, a str code or a {model.__name__}"
        raise TypeError(f"{what} must be {names}, not {type(value).__name__}")
    if isinstance(value, int) and value < 0:
        raise ValueError(f"{what} id must not be negative: {value}")
    if isinstance(value, str):
        _check_code(value, what)
    return str(value)


def _check_code(value: str, what: str) -> None:
    """Refuse codes that cannot name one path segment; the rest is percent-encoded.

    ``?``, ``#``, spaces and non-ASCII letters are sent percent-encoded, as the server
    decodes them back. ``/`` and ``\\`` are refused rather than sent as ``%2F``: proxies and
    servers disagree on whether that is one segment or two, so the request could reach
    another resource. ``.`` and ``..`` would be collapsed by URL normalisation.
    """
    if not value.strip():
        raise ValueError(f"{what} must not be empty")
    if value != value.strip():
        raise ValueError(f"{what} {value!r} has leading or trailing whitespace")
    if value in (".", ".."):
        raise ValueError(f"{what} {value!r} is not a valid id or code")
    bad = sorted({c for c in value if c in "/\\" or not c.isprintable()})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        raise ValueError(f"{what} {value!r} contains {shown}, which no id or code can contain")


def report_ref(report: int | str | Report) -> str:
    return _identifier(report, "report", Report)


def job_ref(job: int | str | Job) -> str:
    return _identifier(job, "job", Job)


def workspace_ref(workspace: int | str | Workspace) -> str:
    return _identifier(workspace, "workspace", Workspace)


def int_id(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(f"{what} must be a non-negative int, not {value!r}")
    return value


def temp_data_id(value: int | TemporaryData) -> int:
    if isinstance(value, TemporaryData):
        return value.id
    return int_id(value, "temp_data")


def to_json(value: Any, what: str) -> str:
    """Serialise once, up front, so a bad value fails before any request is sent."""
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what} must be JSON-serialisable: {exc}") from None


def expiry(value: dt.datetime | dt.timedelta | None) -> dt.datetime | None:
    """An aware UTC datetime from an absolute time or a delay from now."""
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        if value <= dt.timedelta(0):
            raise ValueError(f"expires must be in the future, got a delay of {value}")
        return dt.datetime.now(dt.UTC) + value
    if isinstance(value, dt.datetime):
        # A naive datetime is local time, as everywhere else in Python.
        aware = value if value.tzinfo is not None else value.astimezone()
        if aware <= dt.datetime.now(dt.UTC):
            raise ValueError(f"expires must be in the future, got {aware.isoformat()}")
        return aware.astimezone(dt.UTC)
    raise TypeError(f"expires must be a datetime or a timedelta, not {type(value).__name__}")


def _optional_str(value: object, what: str) -> str | Unset:
    from cxreports_api.types import UNSET

    if value is None:
        return UNSET
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"{what} must be a str (or an int id), not {type(value).__name__}")
    text = str(value)
    if not text.strip():
        raise ValueError(f"{what} must not be empty")
    return text


@attrs.frozen
class ExportOptions:
    """Validated export arguments, kept as the caller's values plus their JSON forms."""

    format: ExportFormat
    params: Any
    data: Any
    params_json: str | None
    data_json: str | None
    temp_data_id: int | None
    lang: str | Unset
    timezone: str | Unset
    theme: str | Unset
    template: str | Unset
    include_attachments: bool
    exclude_pages: list[int] | None

    @classmethod
    def build(
        cls,
        *,
        format: str = "pdf",
        params: Any = None,
        data: Any = None,
        temp_data: int | TemporaryData | None = None,
        lang: str | None = None,
        timezone: str | None = None,
        theme: str | int | None = None,
        template: str | int | None = None,
        include_attachments: bool = False,
        exclude_pages: Iterable[int | ReportPage] | None = None,
    ) -> ExportOptions:
        from cxreports_api.models.export_format import EXPORT_FORMAT_VALUES

        if not isinstance(format, str) or format.lower() not in EXPORT_FORMAT_VALUES:
            allowed = ", ".join(sorted(EXPORT_FORMAT_VALUES))
            raise ValueError(f"format must be one of {allowed}; got {format!r}")
        if not isinstance(include_attachments, bool):
            raise TypeError("include_attachments must be a bool")
        if data is not None and temp_data is not None:
            raise ValueError(
                "pass either data (sent inline) or temp_data (data uploaded earlier), not both: "
                "the API does not say how it would combine them"
            )
        pages: list[int] | None = None
        if exclude_pages is not None:
            if isinstance(exclude_pages, str | bytes) or not isinstance(exclude_pages, Iterable):
                raise TypeError(
                    "exclude_pages must be an iterable of page ids, "
                    f"not {type(exclude_pages).__name__}"
                )
            pages = [
                p.id if isinstance(p, ReportPage) else int_id(p, "each of exclude_pages")
                for p in exclude_pages
            ]
        return cls(
            format=format.lower(),  # type: ignore[arg-type]
            params=params,
            data=data,
            params_json=None if params is None else to_json(params, "params"),
            data_json=None if data is None else to_json(data, "data"),
            temp_data_id=None if temp_data is None else temp_data_id(temp_data),
            lang=_optional_str(lang, "lang"),
            timezone=_optional_str(timezone, "timezone"),
            theme=_optional_str(theme, "theme"),
            template=_optional_str(template, "template"),
            include_attachments=include_attachments,
            exclude_pages=pages,
        )

    @property
    def needs_post(self) -> bool:
        """Inline data goes in a JSON body; so do parameters too long for a URL.

        Data uploaded earlier (``temp_data``) can only be named on the GET form, whose
        body-less request the API defines with ``tempDataId``.
        """
        if self.temp_data_id is not None:
            return False
        sent = quote_plus(self.params_json or "")  # as httpx encodes the query
        return self.data is not None or len(sent) > MAX_QUERY_PARAMS

    def get_query(self) -> dict[str, Any]:
        """Keyword arguments for the generated GET export request builder."""
        from cxreports_api.types import UNSET

        return {
            "params": self.params_json if self.params_json is not None else UNSET,
            "data": self.data_json if self.data_json is not None else UNSET,
            "temp_data_id": self.temp_data_id if self.temp_data_id is not None else UNSET,
            "lang": self.lang,
            "timezone": self.timezone,
            "format_": self.format,
            "include_attachments": True if self.include_attachments else UNSET,
            "template": self.template,
            "theme": self.theme,
        }

    def _body_fields(self) -> dict[str, Any]:
        """What the POST and async export bodies have in common."""
        from cxreports_api.types import UNSET

        return {
            "params": UNSET if self.params is None else self.params,
            "data": UNSET if self.data is None else self.data,
            "lang": self.lang,
            "timezone": self.timezone,
            "format_": self.format,
            "include_attachments": self.include_attachments,
            "template": self.template,
            "theme": self.theme,
        }

    def post_body(self) -> ExportRequest:
        from cxreports_api.models.export_request import ExportRequest

        return ExportRequest(**self._body_fields())

    def async_body(self) -> AsyncExportRequest:
        from cxreports_api.models.async_export_request import AsyncExportRequest
        from cxreports_api.types import UNSET

        return AsyncExportRequest(
            **self._body_fields(),
            exclude_pages=UNSET if self.exclude_pages is None else self.exclude_pages,
            temp_data_id=UNSET if self.temp_data_id is None else self.temp_data_id,
        )
