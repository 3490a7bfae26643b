"""Typed, immutable results.

The generated models mark absent fields with ``UNSET`` and stay mutable; these are what
users hold instead: frozen, snake_case, ``None`` for absent, timezone-aware datetimes.
They are built from the generated models by ``from_generated``, field by field name,
so the wire names live only in the generated package.

The classes are a stable facade: a field the server sends that a class does not declare (a
newer server's, or one the spec does not list) is not dropped but kept in ``extra``, under
its wire name, as the generated model's ``additional_properties`` hold it.
"""

from __future__ import annotations

import datetime as dt
import operator
import os
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._filenames import target_in
from ._files import atomic_write, check_target
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
    """A workspace: where reports, templates, themes and jobs live.

    Attributes:
        id: The workspace id.
        name: Its display name.
        description: Its description, if it has one.
        code: Its code; like the id, it names the workspace in ``workspace=`` arguments.
        extra: Fields the server sent that this class does not declare, by wire name.
    """

    id: int
    name: str
    description: str | None = None
    code: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class ReportType:
    """A report type: a kind of report (an invoice, say) with a default report.

    Attributes:
        id: The report type id.
        name: Its display name.
        description: Its description, if it has one.
        code: Its code; wherever a report is expected, it stands for the type's default
            report.
        default_report_id: The id of the type's default report, if it has one.
        default_report_name: The name of that report.
        extra: Fields the server sent that this class does not declare, by wire name.
    """

    id: int
    name: str
    description: str | None = None
    code: str | None = None
    default_report_id: int | None = None
    default_report_name: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Report:
    """A report, as [`Client.reports()`][cxreports.Client.reports] lists it.

    Attributes:
        id: The report id, to pass as ``report`` to exports and previews.
        name: Its display name.
        report_type_id: The id of its report type.
        report_type_name: The name of its report type.
        report_template_name: The name of its template.
        theme_name: The name of its theme, if the server says.
        is_default: Whether it is its report type's default report.
        preview_image: Its preview image, as the server provides it; ``None`` when it has
            none.
        extra: Fields the server sent that this class does not declare, by wire name.
    """

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
    """A page of a report, to leave out of an export with ``exclude_pages``.

    Attributes:
        id: The page id.
        name: Its name, if it has one.
        type: Its kind, e.g. ``"page"``.
        extra: Fields the server sent that this class does not declare, by wire name.
    """

    id: int
    name: str | None = None
    type: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Template:
    """A template, to pass (its id or code) as ``template=`` to exports and previews.

    Attributes:
        id: The template id.
        name: Its display name.
        code: Its code, if it has one.
        extra: Fields the server sent that this class does not declare, by wire name.
    """

    id: int
    name: str
    code: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Theme:
    """A theme, to pass (its id or code) as ``theme=`` to exports and previews.

    Attributes:
        id: The theme id.
        name: Its display name.
        code: Its code, if it has one.
        extra: Fields the server sent that this class does not declare, by wire name.
    """

    id: int
    name: str
    code: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Job:
    """A job: a batch of report entries, run with
    [`Client.start_job_run()`][cxreports.Client.start_job_run].

    Attributes:
        id: The job id.
        name: Its display name.
        description: Its description, if it has one.
        code: Its code; like the id, it names the job in ``job`` arguments.
        review_required: Whether a run waits for review, then
            [`deliver()`][cxreports.JobRun.deliver], before its entries go out.
        is_active: Whether the job can be run.
        last_run_time: When it last ran (timezone-aware), if ever.
        extra: Fields the server sent that this class does not declare, by wire name.
    """

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
    """Data pushed once and referenced by ``id`` (the wire's ``tempDataId``) in exports.

    Attributes:
        id: The id to pass as ``temp_data=`` (or pass this object).
        expires: When the server deletes it (timezone-aware), if it says.
        extra: Fields the server sent that this class does not declare, by wire name.
    """

    id: int
    expires: dt.datetime | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class ExportStatus:
    """Where an async export stands, from [`Export.status()`][cxreports.Export.status].

    Attributes:
        id: The export's id (its ``temporaryFileId``).
        status: ``"InProgress"``, ``"Completed"`` or ``"Failed"``.
        is_ready: Whether the file can be fetched.
        error_message: Why it failed; set only when ``status`` is ``"Failed"``.
        expiry_time: When the server deletes the file (timezone-aware).
        name: The file name, once completed.
        content_size: The file size in bytes, once completed.
        content_type: The file's media type, once completed.
        extra: Fields the server sent that this class does not declare, by wire name.
    """

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
        """Whether the server reported the export as ``Failed``."""
        # status is the generated Literal: mypy --strict (strict equality) checks "Failed"
        # is still one of the server's values.
        return self.status == "Failed"


@attrs.frozen
class JobRunStatus:
    """Where a job run stands, from [`JobRun.status()`][cxreports.JobRun.status].

    Attributes:
        finished: Whether the run is over: no entry is left queued.
        entries: How many entries the run has.
        queued: Entries not processed yet.
        review: Entries awaiting review (see [`JobRun.deliver()`][cxreports.JobRun.deliver]).
        completed: Entries done.
        errors: Entries that failed.
        extra: Fields the server sent that this class does not declare, by wire name.
    """

    finished: bool
    entries: int
    queued: int
    review: int
    completed: int
    errors: int
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(repr=False)
class Document:
    """A file returned by an export, held in memory.

    Attributes:
        content: The file's bytes.
        content_type: Its media type, from the ``Content-Type`` header, if sent.
        filename: The server's file name (from ``Content-Disposition``), made safe; ``None``
            when it sent none.
    """

    content: bytes
    content_type: str | None
    filename: str | None

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the file to ``path`` atomically: it appears complete or not at all.

        Args:
            path: The file to write, or an existing folder: the file then gets the
                server's file name inside it, made safe first (it never names another
                folder or a file outside this one). A path ending in a separator must be
                an existing folder (``"out/"`` never becomes a file named ``out``).

        Returns:
            Where the file landed.

        Raises:
            FileNotFoundError: The folder does not exist, or ``path`` ends in a separator
                and is not an existing folder.
            NotADirectoryError: The parent of ``path`` is not a folder.
            PermissionError: The folder is not writable.
            OSError: Writing the file failed (a full disk, say); nothing is left behind.
        """
        target = check_target(path)
        if target.is_dir():
            target = target_in(target, self.filename)
        with atomic_write(target) as out:
            out.write(self.content)
        return target

    def __repr__(self) -> str:
        return (
            f"Document(filename={self.filename!r}, content_type={self.content_type!r}, "
            f"size={len(self.content)})"
        )


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


# (our class, generated class) -> our field names (``extra`` aside), the generated
# attributes they come from, a getter of those attributes, and whether they are all the
# generated class declares (then ``extra`` is only what the server sent beyond the spec),
# worked out once: a listing converts every item, and attrs' field introspection costs
# more than the copy.
_FieldMap = tuple[
    tuple[str, ...], tuple[str, ...], Callable[[Any], Any], bool, tuple[int, ...], bool
]
_FIELD_MAPS: dict[tuple[type[Any], type[Any]], _FieldMap] = {}
# generated class -> its declared attributes (additional_properties aside).
_DECLARED: dict[type[Any], frozenset[str]] = {}
_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _field_map(cls: type[Any], generated: type[Any]) -> _FieldMap:
    available = attrs.fields_dict(generated)
    names = tuple(field.name for field in attrs.fields(cls) if field.name != "extra")
    # The generator appends ``_`` to names that shadow builtins (``type`` -> ``type_``); a
    # field the generated model lacks reads as None.
    sources = [
        name if name in available else f"{name}_" if f"{name}_" in available else None
        for name in names
    ]

    def values(model: Any) -> tuple[Any, ...]:
        return tuple(None if s is None else getattr(model, s) for s in sources)

    getter: Callable[[Any], Any] = values
    if None not in sources and len(sources) > 1:
        getter = operator.attrgetter(*(s for s in sources if s is not None))
    used = tuple(s for s in sources if s is not None)
    # Which values may need _plain (UNSET or a datetime, by the generated annotations,
    # which _validate.check has enforced on every parsed body), and whether cls takes
    # the values and then ``extra`` positionally.
    hints = _generated_hints(generated)
    looks = tuple(
        i for i, s in enumerate(sources) if s is not None and _may_convert(hints.get(s, Any))
    )
    fields = attrs.fields(cls)
    positional = [f.name for f in fields] == [*names, "extra"] and all(
        f.init and not f.kw_only and not f.alias.startswith("_") for f in fields
    )
    plan = (names, used, getter, _covers(used, generated), looks, positional)
    _FIELD_MAPS[cls, generated] = plan
    return plan


def _generated_hints(generated: Any) -> dict[str, Any]:
    from ._validate import _hints

    try:
        return _hints(generated)
    except (NameError, TypeError):  # annotations that do not resolve: look at every value
        return {}


def _may_convert(hint: Any) -> bool:
    """Whether a value of this annotation may be UNSET or a datetime."""
    from cxreports_api.types import Unset

    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_may_convert(option) for option in typing.get_args(hint))
    return hint is Any or hint is Unset or hint is dt.datetime


def _declared(generated: type[Any]) -> frozenset[str]:
    names = _DECLARED.get(generated)
    if names is None:
        names = frozenset(attrs.fields_dict(generated)) - {"additional_properties"}
        _DECLARED[generated] = names
    return names


def _covers(used: Iterable[str], generated: type[Any]) -> bool:
    """Whether the attributes ``used`` are all that ``generated`` declares."""
    names = {name.rstrip("_") for name in used}
    return all(name.rstrip("_") in names for name in _declared(generated))


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
    if _covers(used, type(model)):
        return extra  # the common case: nothing declared is left over, no need to serialise
    used = {name.rstrip("_") for name in used}
    for key, value in model.to_dict().items():
        if key not in extra and _attribute_of(key) not in used:
            extra[key] = value
    return extra


_UNSET: list[type[Any]] = []  # the generated Unset class, once loaded


def _unset_type() -> type[Any]:
    from cxreports_api.types import Unset

    _UNSET.append(Unset)
    return Unset


def from_generated(cls: type[T], model: Any) -> T:
    """Build ``cls`` from a generated attrs model with the same snake_case field names.

    The generator appends ``_`` to names that shadow builtins (``type`` -> ``type_``).
    Whatever else the model holds goes to ``extra``.
    """
    unset = _UNSET[0] if _UNSET else _unset_type()
    plan = _FIELD_MAPS.get((cls, type(model))) or _field_map(cls, type(model))
    names, used, getter, covered, looks, positional = plan
    values = list(getter(model))
    for i in looks:
        # _plain, inlined: this runs for every field of every item of a listing.
        value = values[i]
        if isinstance(value, unset):
            values[i] = None
        elif isinstance(value, dt.datetime) and value.tzinfo is None:
            values[i] = value.replace(tzinfo=dt.UTC)
    if covered:
        extra = dict(getattr(model, "additional_properties", None) or {})
    else:
        extra = extra_fields(model, used)
    if positional:
        return cls(*values, extra)  # type: ignore[call-arg]
    return cls(**{**dict(zip(names, values, strict=True)), "extra": extra})
