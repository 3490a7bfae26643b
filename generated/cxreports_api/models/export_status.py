from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.export_status_status import ExportStatusStatus, check_export_status_status
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExportStatus")


@_attrs_define
class ExportStatus:
    """
    Attributes:
        id (int):
        is_ready (bool):
        status (ExportStatusStatus):
        content_size (int | None | Unset):
        content_type (None | str | Unset):
        error_message (None | str | Unset):
        expiry_time (datetime.datetime | None | Unset):
        name (None | str | Unset):
    """

    id: int
    is_ready: bool
    status: ExportStatusStatus
    content_size: int | None | Unset = UNSET
    content_type: None | str | Unset = UNSET
    error_message: None | str | Unset = UNSET
    expiry_time: datetime.datetime | None | Unset = UNSET
    name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        is_ready = self.is_ready

        status: str = self.status

        content_size: int | None | Unset
        if isinstance(self.content_size, Unset):
            content_size = UNSET
        else:
            content_size = self.content_size

        content_type: None | str | Unset
        if isinstance(self.content_type, Unset):
            content_type = UNSET
        else:
            content_type = self.content_type

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        expiry_time: None | str | Unset
        if isinstance(self.expiry_time, Unset):
            expiry_time = UNSET
        elif isinstance(self.expiry_time, datetime.datetime):
            expiry_time = self.expiry_time.isoformat()
        else:
            expiry_time = self.expiry_time

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "isReady": is_ready,
                "status": status,
            }
        )
        if content_size is not UNSET:
            field_dict["contentSize"] = content_size
        if content_type is not UNSET:
            field_dict["contentType"] = content_type
        if error_message is not UNSET:
            field_dict["errorMessage"] = error_message
        if expiry_time is not UNSET:
            field_dict["expiryTime"] = expiry_time
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        is_ready = d.pop("isReady")

        status = check_export_status_status(d.pop("status"))

        content_size = cast(int | None | Unset, d.pop("contentSize", UNSET))

        content_type = cast(None | str | Unset, d.pop("contentType", UNSET))

        error_message = cast(None | str | Unset, d.pop("errorMessage", UNSET))

        def _parse_expiry_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expiry_time_type_0 = datetime.datetime.fromisoformat(data)

                return expiry_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expiry_time = _parse_expiry_time(d.pop("expiryTime", UNSET))

        name = cast(None | str | Unset, d.pop("name", UNSET))

        export_status = cls(
            id=id,
            is_ready=is_ready,
            status=status,
            content_size=content_size,
            content_type=content_type,
            error_message=error_message,
            expiry_time=expiry_time,
            name=name,
        )

        export_status.additional_properties = d
        return export_status

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
