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

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_default_report_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        default_report_id = _parse_default_report_id(d.pop("defaultReportId", UNSET))

        def _parse_default_report_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        default_report_name = _parse_default_report_name(
            d.pop("defaultReportName", UNSET)
        )

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

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
