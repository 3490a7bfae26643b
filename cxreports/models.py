"""Typed, immutable results.

The generated models mark absent fields with ``UNSET`` and stay mutable; these are what
users hold instead: frozen, snake_case, ``None`` for absent, timezone-aware datetimes.
They are built from the generated models by :func:`from_generated`, field by field name,
so the wire names live only in the generated package.

The classes are a stable facade: a field the server sends that a class does not declare (a
newer server's, or one the spec does not list) is not dropped but kept in ``extra``, under
its wire name, as the generated model's ``additional_properties`` hold it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._files import atomic_write
from ._lazy import standalone

# The closed sets come from the generated package, so a value the server adds (a new export
# format, a new status) needs no edit here. They are read from their own small files, not
# through cxreports_api's __init__, which loads every generated model.
if TYPE_CHECKING:
    from cxreports_api.models.export_format import ExportFormat
    from cxreports_api.models.export_status_status import ExportStatusStatus
else:
    ExportFormat = standalone("cxreports_api.models.export_format").ExportFormat
    ExportStatusStatus = standalone("cxreports_api.models.export_status_status").ExportStatusStatus

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


def _extra() -> Any:
    """Fields the server sent that the class does not declare: wire name -> JSON value.

    A copy of its own, compared by ``==`` but left out of the hash (a dict cannot be hashed).
    """
    return attrs.field(factory=dict, kw_only=True, hash=False, converter=dict)


@attrs.frozen
class Workspace:
    id: int
    name: str
    description: str | None = None
    code: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class ReportType:
    id: int
    name: str
    description: str | None = None
    code: str | None = None
    default_report_id: int | None = None
    default_report_name: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Report:
    id: int
    name: str
    report_type_id: int | None = None
    report_type_name: str | None = None
    report_template_name: str | None = None
    theme_name: str | None = None
    is_default: bool | None = None
    preview_image: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class ReportPage:
    id: int
    name: str | None = None
    type: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Template:
    id: int
    name: str
    code: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Theme:
    id: int
    name: str
    code: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Job:
    id: int
    name: str
    description: str | None = None
    code: str | None = None
    review_required: bool | None = None
    is_active: bool | None = None
    last_run_time: dt.datetime | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class TemporaryData:
    """Data pushed once and referenced by ``id`` (the wire's ``tempDataId``) in exports."""

    id: int
    expires: dt.datetime | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class ExportStatus:
    id: int
    status: ExportStatusStatus
    is_ready: bool
    error_message: str | None = None
    expiry_time: dt.datetime | None = None
    name: str | None = None
    content_size: int | None = None
    content_type: str | None = None
    extra: Mapping[str, Any] = _extra()

    @property
    def is_failed(self) -> bool:
        # status is the generated Literal: mypy --strict (strict equality) checks "Failed"
        # is still one of the server's values.
        return self.status == "Failed"


@attrs.frozen
class JobRunStatus:
    finished: bool
    entries: int
    queued: int
    review: int
    completed: int
    errors: int
    extra: Mapping[str, Any] = _extra()


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


# (our class, generated class) -> (our field, generated attribute) pairs, worked out once:
# a listing converts every item, and attrs' field introspection costs more than the copy.
_FIELD_MAPS: dict[tuple[type[Any], type[Any]], tuple[tuple[str, str], ...]] = {}
# generated class -> its declared attributes (additional_properties aside).
_DECLARED: dict[type[Any], frozenset[str]] = {}
_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _field_map(cls: type[Any], generated: type[Any]) -> tuple[tuple[str, str], ...]:
    available = attrs.fields_dict(generated)
    pairs = tuple(
        (field.name, field.name if field.name in available else f"{field.name}_")
        for field in attrs.fields(cls)
        if field.name != "extra"
    )
    _FIELD_MAPS[cls, generated] = pairs
    return pairs


def _declared(generated: type[Any]) -> frozenset[str]:
    names = _DECLARED.get(generated)
    if names is None:
        names = frozenset(attrs.fields_dict(generated)) - {"additional_properties"}
        _DECLARED[generated] = names
    return names


def _attribute_of(wire_name: str) -> str:
    """The generator's snake_case attribute for a camelCase wire name (reportTypeId ->
    report_type_id). Only used to recognise fields already mapped; a miss shows a field
    in ``extra`` twice rather than dropping one."""
    return _WORD.sub("_", wire_name).replace("-", "_").lower()


def extra_fields(model: Any, used: Iterable[str]) -> dict[str, Any]:
    """What a generated model holds beyond the attributes ``used``, by wire name.

    Undeclared keys the server sent (``additional_properties``) and, after a regeneration,
    declared fields the facade has no attribute for yet (serialised as on the wire).
    """
    extra: dict[str, Any] = dict(getattr(model, "additional_properties", None) or {})
    used = {name.rstrip("_") for name in used}
    if all(name.rstrip("_") in used for name in _declared(type(model))):
        return extra  # the common case: nothing declared is left over, no need to serialise
    for key, value in model.to_dict().items():
        if key not in extra and _attribute_of(key) not in used:
            extra[key] = value
    return extra


def from_generated(cls: type[T], model: Any, **overrides: Any) -> T:
    """Build ``cls`` from a generated attrs model with the same snake_case field names.

    The generator appends ``_`` to names that shadow builtins (``type`` -> ``type_``).
    Whatever else the model holds goes to ``extra``.
    """
    from cxreports_api.types import Unset

    pairs = _FIELD_MAPS.get((cls, type(model))) or _field_map(cls, type(model))
    values = {
        name: _plain(getattr(model, source, None), Unset)
        for name, source in pairs
        if name not in overrides
    }
    if "extra" not in overrides:
        values["extra"] = extra_fields(model, (source for _, source in pairs))
    return cls(**values, **overrides)
