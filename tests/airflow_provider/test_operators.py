"""The operators called directly, as a worker would call ``execute``, without a DAG run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from airflow_provider.support import TOKEN, connection_env
from cxreports.testing import serve


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN) as running:
        yield running


@pytest.fixture
def cx(server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    server.reset()
    connection_env(monkeypatch, server)
    return server


def test_a_folder_path_gets_the_servers_file_name(cx: Any, tmp_path: Path) -> None:
    from cxreports.airflow import CxReportsExportOperator

    operator = CxReportsExportOperator(
        task_id="export", report="invoice", path=f"{tmp_path}/new/", format="docx", deferrable=False
    )
    result = operator.execute({})  # type: ignore[arg-type]

    saved = Path(result["path"])
    assert saved.parent == tmp_path / "new"
    assert saved.suffix == ".docx"
    assert result["size"] == saved.stat().st_size
    assert "wordprocessingml" in result["content_type"]


def test_deferring_hands_the_triggerer_ids_not_the_token(cx: Any, tmp_path: Path) -> None:
    from airflow.sdk.exceptions import TaskDeferred

    from cxreports.airflow import CxReportsExportOperator, CxReportsExportTrigger

    operator = CxReportsExportOperator(
        task_id="export", report="invoice", path=str(tmp_path / "a.pdf")
    )
    with pytest.raises(TaskDeferred) as deferred:
        operator.execute({})  # type: ignore[arg-type]

    trigger = deferred.value.trigger
    assert isinstance(trigger, CxReportsExportTrigger)
    assert deferred.value.method_name == "execute_complete"
    _, kwargs = trigger.serialize()
    assert kwargs["workspace"] == cx.workspace
    assert kwargs["cxreports_conn_id"] == "cxreports_default"
    assert TOKEN not in json.dumps(kwargs)
    assert list(tmp_path.iterdir()) == []  # nothing written before the file is ready


def test_bad_input_fails_before_anything_is_sent(cx: Any, tmp_path: Path) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from cxreports.airflow import CxReportsExportOperator

    operator = CxReportsExportOperator(
        task_id="export", report="invoice", path=str(tmp_path / "a.pdf"), format="gif"
    )
    with pytest.raises(AirflowFailException, match="gif"):
        operator.execute({})  # type: ignore[arg-type]
    assert cx.requests == []


def test_a_failed_render_fails_without_retry(cx: Any, tmp_path: Path) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from cxreports.airflow import CxReportsExportOperator

    operator = CxReportsExportOperator(
        task_id="export",
        report="invoice",
        path=str(tmp_path / "a.pdf"),
        report_params={"simulateFailure": "customer has no address"},
        deferrable=False,
    )
    with pytest.raises(AirflowFailException, match="customer has no address"):
        operator.execute({})  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
