from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Report")


@_attrs_define
class Report:
    """
    Attributes:
        id (int):
        name (str):
        is_default (bool | Unset):
        report_template_name (None | str | Unset):
        report_type_id (int | None | Unset):
        report_type_name (None | str | Unset):
        theme_name (None | str | Unset):
    """

    id: int
    name: str
    is_default: bool | Unset = UNSET
    report_template_name: None | str | Unset = UNSET
    report_type_id: int | None | Unset = UNSET
    report_type_name: None | str | Unset = UNSET
    theme_name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        is_default = self.is_default

        report_template_name: None | str | Unset
        if isinstance(self.report_template_name, Unset):
            report_template_name = UNSET
        else:
            report_template_name = self.report_template_name

        report_type_id: int | None | Unset
        if isinstance(self.report_type_id, Unset):
            report_type_id = UNSET
        else:
            report_type_id = self.report_type_id

        report_type_name: None | str | Unset
        if isinstance(self.report_type_name, Unset):
            report_type_name = UNSET
        else:
            report_type_name = self.report_type_name

        theme_name: None | str | Unset
        if isinstance(self.theme_name, Unset):
            theme_name = UNSET
        else:
            theme_name = self.theme_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
            }
        )
        if is_default is not UNSET:
            field_dict["isDefault"] = is_default
        if report_template_name is not UNSET:
            field_dict["reportTemplateName"] = report_template_name
        if report_type_id is not UNSET:
            field_dict["reportTypeId"] = report_type_id
        if report_type_name is not UNSET:
            field_dict["reportTypeName"] = report_type_name
        if theme_name is not UNSET:
            field_dict["themeName"] = theme_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        is_default = d.pop("isDefault", UNSET)

        def _parse_report_template_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        report_template_name = _parse_report_template_name(
            d.pop("reportTemplateName", UNSET)
        )

        def _parse_report_type_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        report_type_id = _parse_report_type_id(d.pop("reportTypeId", UNSET))

        def _parse_report_type_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        report_type_name = _parse_report_type_name(d.pop("reportTypeName", UNSET))

        def _parse_theme_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        theme_name = _parse_theme_name(d.pop("themeName", UNSET))

        report = cls(
            id=id,
            name=name,
            is_default=is_default,
            report_template_name=report_template_name,
            report_type_id=report_type_id,
            report_type_name=report_type_name,
            theme_name=theme_name,
        )

        report.additional_properties = d
        return report

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
