from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Report")


@_attrs_define
class Report:
    """A report. reportTypeId, reportTypeName, reportTemplateName and isDefault are always present and never null: the
    official TypeScript client model declares them so (the .NET model leaves Report empty, the PHP model reads them
    unguarded); previewImage and themeName are optional in every client that has them.

        Attributes:
            id (int):
            is_default (bool):
            name (str):
            report_template_name (str):
            report_type_id (int):
            report_type_name (str):
            preview_image (None | str | Unset): Preview image of the report, as the server provides it; absent when it has
                none. Carried, as an optional string, by the official TypeScript and PHP client models.
            theme_name (None | str | Unset):
    """

    id: int
    is_default: bool
    name: str
    report_template_name: str
    report_type_id: int
    report_type_name: str
    preview_image: None | str | Unset = UNSET
    theme_name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        is_default = self.is_default

        name = self.name

        report_template_name = self.report_template_name

        report_type_id = self.report_type_id

        report_type_name = self.report_type_name

        preview_image: None | str | Unset
        if isinstance(self.preview_image, Unset):
            preview_image = UNSET
        else:
            preview_image = self.preview_image

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
                "isDefault": is_default,
                "name": name,
                "reportTemplateName": report_template_name,
                "reportTypeId": report_type_id,
                "reportTypeName": report_type_name,
            }
        )
        if preview_image is not UNSET:
            field_dict["previewImage"] = preview_image
        if theme_name is not UNSET:
            field_dict["themeName"] = theme_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        is_default = d.pop("isDefault")

        name = d.pop("name")

        report_template_name = d.pop("reportTemplateName")

        report_type_id = d.pop("reportTypeId")

        report_type_name = d.pop("reportTypeName")

        preview_image = cast(None | str | Unset, d.pop("previewImage", UNSET))

        theme_name = cast(None | str | Unset, d.pop("themeName", UNSET))

        report = cls(
            id=id,
            is_default=is_default,
            name=name,
            report_template_name=report_template_name,
            report_type_id=report_type_id,
            report_type_name=report_type_name,
            preview_image=preview_image,
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
