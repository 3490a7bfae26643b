"""CxReports on Apache Airflow 3: a hook, two operators and their deferrable triggers.

Needs the ``airflow`` extra (``pip install 'cxreports[airflow]'``). Airflow finds this
provider through the ``apache_airflow_provider`` entry point (:mod:`.get_provider_info`),
which registers the ``cxreports`` connection type. The names below load on first use, so
Airflow's provider discovery imports none of Airflow's task machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .hooks import CxReportsHook
    from .operators import CxReportsExportOperator, CxReportsJobRunOperator
    from .triggers import CxReportsExportTrigger, CxReportsJobRunTrigger

__all__ = [
    "CxReportsExportOperator",
    "CxReportsExportTrigger",
    "CxReportsHook",
    "CxReportsJobRunOperator",
    "CxReportsJobRunTrigger",
]

_MODULES = {
    "CxReportsHook": "hooks",
    "CxReportsExportOperator": "operators",
    "CxReportsJobRunOperator": "operators",
    "CxReportsExportTrigger": "triggers",
    "CxReportsJobRunTrigger": "triggers",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'cxreports.airflow' has no attribute {name!r}")
    try:
        loaded = importlib.import_module(f"{__name__}.{module}")
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] != "airflow":
            raise
        raise ModuleNotFoundError(
            f"cxreports.airflow.{name} needs Apache Airflow 3.2 or later ({exc.name} is "
            "missing): pip install 'cxreports[airflow]'",
            name=exc.name,
        ) from exc
    return getattr(loaded, name)
