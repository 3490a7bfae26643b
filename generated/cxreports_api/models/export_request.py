from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.export_format import ExportFormat, check_export_format
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExportRequest")


@_attrs_define
class ExportRequest:
    """
    Attributes:
        data (Any | Unset): Inline data to pass to the report
        format_ (ExportFormat | Unset): Output format
        include_attachments (bool | Unset):
        lang (None | str | Unset):
        params (Any | Unset): Report parameters object
        template (None | str | Unset):
        theme (None | str | Unset):
        timezone (None | str | Unset):
    """

    data: Any | Unset = UNSET
    format_: ExportFormat | Unset = UNSET
    include_attachments: bool | Unset = UNSET
    lang: None | str | Unset = UNSET
    params: Any | Unset = UNSET
    template: None | str | Unset = UNSET
    theme: None | str | Unset = UNSET
    timezone: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_

        include_attachments = self.include_attachments

        lang: None | str | Unset
        if isinstance(self.lang, Unset):
            lang = UNSET
        else:
            lang = self.lang

        params = self.params

        template: None | str | Unset
        if isinstance(self.template, Unset):
            template = UNSET
        else:
            template = self.template

        theme: None | str | Unset
        if isinstance(self.theme, Unset):
            theme = UNSET
        else:
            theme = self.theme

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if data is not UNSET:
            field_dict["data"] = data
        if format_ is not UNSET:
            field_dict["format"] = format_
        if include_attachments is not UNSET:
            field_dict["includeAttachments"] = include_attachments
        if lang is not UNSET:
            field_dict["lang"] = lang
        if params is not UNSET:
            field_dict["params"] = params
        if template is not UNSET:
            field_dict["template"] = template
        if theme is not UNSET:
            field_dict["theme"] = theme
        if timezone is not UNSET:
            field_dict["timezone"] = timezone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data = d.pop("data", UNSET)

        _format_ = d.pop("format", UNSET)
        format_: ExportFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = check_export_format(_format_)

        include_attachments = d.pop("includeAttachments", UNSET)

        lang = cast(None | str | Unset, d.pop("lang", UNSET))

        params = d.pop("params", UNSET)

        template = cast(None | str | Unset, d.pop("template", UNSET))

        theme = cast(None | str | Unset, d.pop("theme", UNSET))

        timezone = cast(None | str | Unset, d.pop("timezone", UNSET))

        export_request = cls(
            data=data,
            format_=format_,
            include_attachments=include_attachments,
            lang=lang,
            params=params,
            template=template,
            theme=theme,
            timezone=timezone,
        )

        export_request.additional_properties = d
        return export_request

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
