"""Typed, immutable results.

The generated models mark absent fields with ``UNSET`` and stay mutable; these are what
users hold instead: frozen, snake_case, ``None`` for absent, timezone-aware datetimes.
They are built from the generated models by :func:`from_generated`, field by field name,
so the wire names live only in the generated package.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import attrs

from ._files import atomic_write

__all__ = [
    "Document",
    "ExportFormat",
    "ExportStatus",
    "Job",
    "JobRunStatus",
    "Report",
    "ReportPage",
    "ReportType",
    "Template",
    "TemporaryData",
    "Theme",
    "Workspace",
]

ExportFormat = Literal["pdf", "docx", "xlsx", "pptx", "html"]


@attrs.frozen
class Workspace:
    id: int
    name: str
    description: str | None = None
    code: str | None = None


@attrs.frozen
class ReportType:
    id: int
    name: str
    description: str | None = None
    code: str | None = None
    default_report_id: int | None = None
    default_report_name: str | None = None


@attrs.frozen
class Report:
    id: int
    name: str
    report_type_id: int | None = None
    report_type_name: str | None = None
    report_template_name: str | None = None
    theme_name: str | None = None
    is_default: bool | None = None


@attrs.frozen
class ReportPage:
    id: int
    name: str | None = None
    type: str | None = None


@attrs.frozen
class Template:
    id: int
    name: str
    code: str | None = None


@attrs.frozen
class Theme:
    id: int
    name: str
    code: str | None = None


@attrs.frozen
class Job:
    id: int
    name: str
    description: str | None = None
    code: str | None = None
    review_required: bool | None = None
    is_active: bool | None = None
    last_run_time: dt.datetime | None = None


@attrs.frozen
class TemporaryData:
    """Data pushed once and referenced by ``id`` (the wire's ``tempDataId``) in exports."""

    id: int
    expires: dt.datetime | None = None


@attrs.frozen
class ExportStatus:
    id: int
    status: str
    is_ready: bool
    error_message: str | None = None
    expiry_time: dt.datetime | None = None
    name: str | None = None
    content_size: int | None = None
    content_type: str | None = None

    @property
    def is_failed(self) -> bool:
        return self.status == "Failed"


@attrs.frozen
class JobRunStatus:
    finished: bool
    entries: int
    queued: int
    review: int
    completed: int
    errors: int


@attrs.frozen(repr=False)
class Document:
    """A file returned by an export, held in memory."""

    content: bytes
    content_type: str | None
    filename: str | None

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write atomically: the file appears complete or not at all.

        An existing folder gets the server's file name inside it.
        """
        target = Path(path)
        if target.is_dir():
            target = target / (self.filename or "report")
        with atomic_write(target) as out:
            out.write(self.content)
        return target

    def __repr__(self) -> str:
        return (
            f"Document(filename={self.filename!r}, content_type={self.content_type!r}, "
            f"size={len(self.content)})"
        )


@functools.lru_cache(maxsize=1024)  # a batch repeats the same few headers; parsing is ~13 µs
def filename_from_disposition(value: str | None) -> str | None:
    """The file name of a Content-Disposition header, preferring RFC 5987 ``filename*``."""
    if not value:
        return None
    import email.message  # here: it costs ~20 ms at import, and only a download needs it

    msg = email.message.Message()
    msg["content-disposition"] = value
    name = msg.get_filename()
    if not name:
        return None
    # Never let a server-chosen name escape the folder it is saved in.
    return os.path.basename(name.replace("\\", "/")) or None


T = TypeVar("T", bound=attrs.AttrsInstance)


def plain(value: Any) -> Any:
    """A generated field's value as users see it: None for UNSET, aware datetimes."""
    from cxreports_api.types import Unset  # here: the generated package loads on first use

    return _plain(value, Unset)


def _plain(value: Any, unset: type[Any]) -> Any:
    if isinstance(value, unset):
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        # CxReports writes UTC; a naive timestamp is read as UTC rather than local time.
        return value.replace(tzinfo=dt.UTC)
    return value


# (our class, generated class) -> our field names and a getter of the generated attributes
# they come from, worked out once: a listing converts every item, and attrs' field
# introspection costs more than the copy.
_FIELD_MAPS: dict[tuple[type[Any], type[Any]], tuple[tuple[str, ...], Callable[[Any], Any]]] = {}


def _field_map(
    cls: type[Any], generated: type[Any]
) -> tuple[tuple[str, ...], Callable[[Any], Any]]:
    available = attrs.fields_dict(generated)
    names = tuple(field.name for field in attrs.fields(cls))
    # The generator appends ``_`` to names that shadow builtins (``type`` -> ``type_``); a
    # field the generated model lacks reads as None.
    sources = [
        name if name in available else f"{name}_" if f"{name}_" in available else None
        for name in names
    ]

    def values(model: Any) -> tuple[Any, ...]:
        return tuple(None if s is None else getattr(model, s) for s in sources)

    getter: Callable[[Any], Any] = values
    if None not in sources:
        present = [s for s in sources if s is not None]
        getter = operator.attrgetter(*present) if len(present) > 1 else values
    _FIELD_MAPS[cls, generated] = (names, getter)
    return names, getter


def from_generated(cls: type[T], model: Any, **overrides: Any) -> T:
    """Build ``cls`` from a generated attrs model with the same snake_case field names."""
    from cxreports_api.types import Unset

    names, getter = _FIELD_MAPS.get((cls, type(model))) or _field_map(cls, type(model))
    values = {}
    for name, value in zip(names, getter(model), strict=True):
        if name in overrides:
            continue
        # _plain, inlined: this runs for every field of every item of a listing.
        if isinstance(value, Unset):
            value = None
        elif isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        values[name] = value
    return cls(**values, **overrides)
