from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.job_run_entry_counts import JobRunEntryCounts


T = TypeVar("T", bound="JobRunStatus")


@_attrs_define
class JobRunStatus:
    """
    Attributes:
        entries (int):
        finished (bool):
        status (JobRunEntryCounts):
    """

    entries: int
    finished: bool
    status: JobRunEntryCounts
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entries = self.entries

        finished = self.finished

        status = self.status.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entries": entries,
                "finished": finished,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_run_entry_counts import JobRunEntryCounts  # noqa: PLC0415

        d = dict(src_dict)
        entries = d.pop("entries")

        finished = d.pop("finished")

        status = JobRunEntryCounts.from_dict(d.pop("status"))

        job_run_status = cls(
            entries=entries,
            finished=finished,
            status=status,
        )

        job_run_status.additional_properties = d
        return job_run_status

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
