from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Job")


@_attrs_define
class Job:
    """
    Attributes:
        id (int):
        name (str):
        code (None | str | Unset):
        description (None | str | Unset):
        is_active (bool | Unset):
        last_run_time (datetime.datetime | None | Unset):
        review_required (bool | Unset):
    """

    id: int
    name: str
    code: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    is_active: bool | Unset = UNSET
    last_run_time: datetime.datetime | None | Unset = UNSET
    review_required: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        is_active = self.is_active

        last_run_time: None | str | Unset
        if isinstance(self.last_run_time, Unset):
            last_run_time = UNSET
        elif isinstance(self.last_run_time, datetime.datetime):
            last_run_time = self.last_run_time.isoformat()
        else:
            last_run_time = self.last_run_time

        review_required = self.review_required

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if description is not UNSET:
            field_dict["description"] = description
        if is_active is not UNSET:
            field_dict["isActive"] = is_active
        if last_run_time is not UNSET:
            field_dict["lastRunTime"] = last_run_time
        if review_required is not UNSET:
            field_dict["reviewRequired"] = review_required

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        code = cast(None | str | Unset, d.pop("code", UNSET))

        description = cast(None | str | Unset, d.pop("description", UNSET))

        is_active = d.pop("isActive", UNSET)

        def _parse_last_run_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_run_time_type_0 = datetime.datetime.fromisoformat(data)

                return last_run_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_run_time = _parse_last_run_time(d.pop("lastRunTime", UNSET))

        review_required = d.pop("reviewRequired", UNSET)

        job = cls(
            id=id,
            name=name,
            code=code,
            description=description,
            is_active=is_active,
            last_run_time=last_run_time,
            review_required=review_required,
        )

        job.additional_properties = d
        return job

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
