"""The result classes (``cxreports.models``) as a user holds them: immutable values whose
``extra`` keeps what the server sent beyond the declared fields, built from the generated
models without losing or duplicating a field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import httpx
import pytest
from cxreports_api.types import UNSET, Unset

import cxreports
from cxreports.models import from_generated

# -- extra: a value of its own ---------------------------------------------------------------


def test_extra_defaults_to_an_empty_dict_of_its_own() -> None:
    first, second = cxreports.Workspace(1, "Sales"), cxreports.Workspace(2, "Ops")
    assert first.extra == {} and second.extra == {}
    assert first.extra is not second.extra


def test_extra_is_a_copy_of_the_dict_given() -> None:
    given: dict[str, Any] = {"ownerName": "Ana"}
    report = cxreports.Report(7, "Invoice", extra=given)
    given["ownerName"] = "Bob"
    given["tags"] = ["late"]
    assert report.extra == {"ownerName": "Ana"}


def test_extra_is_keyword_only() -> None:
    # Positional arguments stay the declared fields', so one added later breaks no caller.
    with pytest.raises(TypeError):
        cxreports.Template(1, "Default", "default", {"a": 1})
    assert cxreports.Template(1, "Default", "default", extra={"a": 1}).extra == {"a": 1}


def test_results_with_extra_fields_are_hashable_and_compared_by_them() -> None:
    one = cxreports.Theme(3, "Dark", extra={"palette": {"bg": "#000"}})
    same = cxreports.Theme(3, "Dark", extra={"palette": {"bg": "#000"}})
    other = cxreports.Theme(3, "Dark", extra={"palette": {"bg": "#fff"}})
    assert {one, same} == {one}  # hashable although a dict is not
    assert hash(one) == hash(same) and one == same
    assert one != other


# -- from_generated: every field once, in its attribute or in extra ------------------------


def test_a_mapped_camel_case_field_is_not_repeated_in_extra() -> None:
    """A facade that maps some of a generated model's declared fields: the unmapped ones go
    to ``extra`` by wire name, the mapped ones (``reviewRequired``) do not."""
    from cxreports_api.models.job import Job as GeneratedJob

    @attrs.frozen
    class OlderJob:
        id: int
        name: str
        review_required: bool | None = None
        extra: dict[str, Any] = attrs.field(factory=dict, kw_only=True)

    model = GeneratedJob.from_dict(
        {"id": 5, "name": "Monthly", "reviewRequired": True, "isActive": False}
    )
    job = from_generated(OlderJob, model)
    assert job.review_required is True
    assert job.extra == {"isActive": False}


def test_a_mapped_field_with_a_hyphenated_wire_name_is_not_repeated_in_extra() -> None:
    @attrs.define
    class Generated:  # as the generator writes a model whose wire names have hyphens
        x_request_id: str
        region: str
        additional_properties: dict[str, Any] = attrs.field(init=False, factory=dict)

        def to_dict(self) -> dict[str, Any]:
            return {
                **self.additional_properties,
                "x-request-id": self.x_request_id,
                "region": self.region,
            }

    @attrs.frozen
    class Facade:
        x_request_id: str
        extra: dict[str, Any] = attrs.field(factory=dict, kw_only=True)

    result = from_generated(Facade, Generated("r-1", "eu"))
    assert result.x_request_id == "r-1"
    assert result.extra == {"region": "eu"}


def test_naive_datetimes_are_read_as_utc_and_aware_ones_kept() -> None:
    from cxreports_api.models.job import Job as GeneratedJob

    naive = GeneratedJob(id=1, name="a", last_run_time=dt.datetime(2026, 1, 2, 3, 4, 5))
    plus2 = dt.timezone(dt.timedelta(hours=2))
    aware = GeneratedJob(id=2, name="b", last_run_time=dt.datetime(2026, 1, 2, 3, tzinfo=plus2))
    assert from_generated(cxreports.Job, naive).last_run_time == dt.datetime(
        2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC
    )
    assert from_generated(cxreports.Job, aware).last_run_time.tzinfo is plus2  # type: ignore[union-attr]


def test_a_field_named_after_a_builtin_is_read_from_the_generated_name() -> None:
    # The generator writes ``type`` as ``type_``; the facade's ``type`` holds its value and
    # it is not shown again in extra. (A class of the test's own: the mapping of each class
    # pair is worked out once and cached, and a new pair is what has to be right.)
    from cxreports_api.models.report_page import ReportPage as GeneratedPage

    @attrs.frozen
    class Page:
        id: int
        type: str | None = None
        extra: dict[str, Any] = attrs.field(factory=dict, kw_only=True)

    model = GeneratedPage.from_dict({"id": 1601, "name": "Cover", "type": "page"})
    assert from_generated(Page, model) == Page(1601, "page", extra={"name": "Cover"})
    model = GeneratedPage.from_dict({"id": 1601, "type": "page"})
    assert from_generated(Page, model) == Page(1601, "page")
    assert from_generated(cxreports.ReportPage, model) == cxreports.ReportPage(1601, None, "page")


def test_a_field_the_generated_model_lacks_reads_as_none() -> None:
    """A facade field the (regenerated) model no longer declares is None, not an error."""
    from cxreports_api.models.template import Template as GeneratedTemplate

    @attrs.frozen
    class NewerTemplate:
        id: int
        owner: str | None  # not in the spec
        name: str
        extra: dict[str, Any] = attrs.field(factory=dict, kw_only=True)

    model = GeneratedTemplate.from_dict({"id": 2, "name": "Letterhead", "code": "lh"})
    assert from_generated(NewerTemplate, model) == NewerTemplate(
        2, None, "Letterhead", extra={"code": "lh"}
    )


def test_a_class_of_one_field_is_built_too() -> None:
    from cxreports_api.models.template import Template as GeneratedTemplate

    @attrs.frozen
    class TemplateName:
        name: str
        extra: dict[str, Any] = attrs.field(factory=dict, kw_only=True)

    model = GeneratedTemplate.from_dict({"id": 2, "name": "Letterhead"})
    assert from_generated(TemplateName, model) == TemplateName("Letterhead", extra={"id": 2})


@pytest.mark.parametrize(
    ("sent", "expires"),
    [
        ("2030-01-01T00:00:00", dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),  # naive: UTC
        ("2030-01-01T02:00:00Z", dt.datetime(2030, 1, 1, 2, tzinfo=dt.UTC)),
        (
            "2030-01-01T02:00:00+02:00",
            dt.datetime(2030, 1, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
    ],
)
def test_temporary_data_expiry_is_an_aware_datetime_of_the_same_instant(
    sent: str, expires: dt.datetime
) -> None:
    answer = {"tempDataId": 9, "expiryDate": sent}
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=answer)))
    with (
        http,
        cxreports.Client(
            "https://cx.example", "models-secret-0123456789", 1, http_client=http
        ) as client,
    ):
        data = client.push_temporary_data({"a": 1})
    assert data.expires == expires and data.expires.utcoffset() == expires.utcoffset()
    assert data.id == 9 and data.extra == {}


# -- from_generated: UNSET and naive times, on classes it has not seen before ---------------
# Each test defines its own classes: the conversion plan is worked out once per pair of
# classes, so a class used elsewhere would not exercise the planning again.


def _generated_with_times() -> type[Any]:
    # Unset is imported at module level: the annotations below resolve against it.
    @attrs.define
    class Generated:
        id: int
        type_: str
        started: dt.datetime
        finished: dt.datetime | Unset = UNSET
        note: str | Unset = UNSET
        additional_properties: dict[str, Any] = attrs.field(init=False, factory=dict)

    return Generated


def test_unset_becomes_none_and_naive_times_utc_whatever_the_annotation() -> None:
    @attrs.frozen
    class Run:
        id: int
        type: str
        started: dt.datetime
        finished: dt.datetime | None
        note: str | None
        extra: dict[str, Any] = attrs.field(factory=dict, kw_only=True)

    generated = _generated_with_times()
    naive = dt.datetime(2026, 3, 4, 5, 6, 7)
    aware = dt.datetime(2026, 3, 4, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    model = generated(id=9, type_="pdf", started=naive, finished=aware)
    model.additional_properties = {"ownerName": "Ana"}
    run = from_generated(Run, model)
    # a plain datetime field and a datetime-or-UNSET field are both read as UTC when naive
    assert run.started == naive.replace(tzinfo=dt.UTC) and run.started.tzinfo is dt.UTC
    assert run.finished == aware and run.finished.tzinfo is aware.tzinfo  # aware: kept
    assert run.note is None  # UNSET never reaches the user
    assert run.type == "pdf"  # from the generator's type_
    assert run.extra == {"ownerName": "Ana"}

    later = generated(id=10, type_="xlsx", started=naive, finished=naive, note="n")
    again = from_generated(Run, later)
    assert again.finished == naive.replace(tzinfo=dt.UTC)
    assert (again.id, again.note) == (10, "n")


def test_a_result_class_taking_extra_positionally_is_built_the_same() -> None:
    @attrs.frozen
    class Run:
        id: int
        type: str
        started: dt.datetime
        finished: dt.datetime | None
        note: str | None
        extra: dict[str, Any] = attrs.field(factory=dict)

    generated = _generated_with_times()
    naive = dt.datetime(2026, 3, 4, 5, 6, 7)
    model = generated(id=1, type_="pdf", started=naive)
    model.additional_properties = {"ownerName": "Ana"}
    run = from_generated(Run, model)
    assert run == Run(1, "pdf", naive.replace(tzinfo=dt.UTC), None, None, {"ownerName": "Ana"})


def test_a_model_generated_without_additional_properties_converts() -> None:
    # A spec with "additionalProperties": false generates models without the attribute;
    # regenerating against such a server must not break the conversion.
    from cxreports.models import extra_fields

    @attrs.define
    class Closed:
        id: int
        name: str

        def to_dict(self) -> dict[str, Any]:
            return {"id": self.id, "name": self.name}

    model = Closed(id=3, name="Sales")
    assert extra_fields(model, ("id", "name")) == {}
    assert extra_fields(model, ("id",)) == {"name": "Sales"}
    workspace = from_generated(cxreports.Workspace, model)
    assert (workspace.id, workspace.name, workspace.extra) == (3, "Sales", {})
