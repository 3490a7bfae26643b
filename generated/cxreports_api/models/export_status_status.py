from typing import Literal

ExportStatusStatus = Literal["Completed", "Failed", "InProgress"]

EXPORT_STATUS_STATUS_VALUES: set[ExportStatusStatus] = {
    "Completed",
    "Failed",
    "InProgress",
}


def check_export_status_status(value: str) -> ExportStatusStatus:
    if value in EXPORT_STATUS_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {EXPORT_STATUS_STATUS_VALUES!r}"
    )
