from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportType")


@_attrs_define
class ReportType:
    """
    Attributes:
        id (int):
        name (str):
        code (None | str | Unset):
        default_report_id (int | None | Unset):
        default_report_name (None | str | Unset):
        description (None | str | Unset):
    """

    id: int
    name: str
    code: None | str | Unset = UNSET
    default_report_id: int | None | Unset = UNSET
    default_report_name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        default_report_id: int | None | Unset
        if isinstance(self.default_report_id, Unset):
            default_report_id = UNSET
        else:
            default_report_id = self.default_report_id

        default_report_name: None | str | Unset
        if isinstance(self.default_report_name, Unset):
            default_report_name = UNSET
        else:
            default_report_name = self.default_report_name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

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
        if default_report_id is not UNSET:
            field_dict["defaultReportId"] = default_report_id
        if default_report_name is not UNSET:
            field_dict["defaultReportName"] = default_report_name
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        code = cast(None | str | Unset, d.pop("code", UNSET))

        default_report_id = cast(int | None | Unset, d.pop("defaultReportId", UNSET))

        default_report_name = cast(
            None | str | Unset, d.pop("defaultReportName", UNSET)
        )

        description = cast(None | str | Unset, d.pop("description", UNSET))

        report_type = cls(
            id=id,
            name=name,
            code=code,
            default_report_id=default_report_id,
            default_report_name=default_report_name,
            description=description,
        )

        report_type.additional_properties = d
        return report_type

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
