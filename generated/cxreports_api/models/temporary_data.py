from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TemporaryData")


@_attrs_define
class TemporaryData:
    """Temporary data as stored. expiryDate is always sent (the server applies a default lifetime when none was asked for),
    as the official TypeScript and .NET models require it.

        Attributes:
            expiry_date (datetime.datetime):
            temp_data_id (int):
    """

    expiry_date: datetime.datetime
    temp_data_id: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expiry_date = self.expiry_date.isoformat()

        temp_data_id = self.temp_data_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expiryDate": expiry_date,
                "tempDataId": temp_data_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expiry_date = datetime.datetime.fromisoformat(d.pop("expiryDate"))

        temp_data_id = d.pop("tempDataId")

        temporary_data = cls(
            expiry_date=expiry_date,
            temp_data_id=temp_data_id,
        )

        temporary_data.additional_properties = d
        return temporary_data

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
