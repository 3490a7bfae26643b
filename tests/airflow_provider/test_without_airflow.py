"""Without the airflow extra: ``import cxreports`` is unaffected and the provider says what to install.

This runs in the main suite (``make test``); ``make test-airflow`` skips it.
"""

from __future__ import annotations

import importlib.metadata

import pytest


def _airflow_installed() -> bool:
    try:
        importlib.metadata.distribution("apache-airflow-core")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


pytestmark = pytest.mark.skipif(_airflow_installed(), reason="Apache Airflow is installed here")


def test_the_provider_names_the_extra_to_install() -> None:
    import cxreports.airflow
    from cxreports.airflow.get_provider_info import get_provider_info

    assert get_provider_info()["package-name"] == "cxreports"
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'cxreports\[airflow\]'"):
        cxreports.airflow.CxReportsHook  # noqa: B018
