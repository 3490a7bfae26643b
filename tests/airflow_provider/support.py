"""Running a DAG with ``dag.test()`` and reading back what Airflow recorded."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from typing import Any

import pytest

TOKEN = "airflow-tests-secret-token-5e1d"


def connection_env(monkeypatch: pytest.MonkeyPatch, server: Any, **extra: Any) -> None:
    """``AIRFLOW_CONN_CXREPORTS_DEFAULT`` for ``server``, in the JSON form the Airflow guide shows."""
    conn = {
        "conn_type": "cxreports",
        "host": server.url,
        "password": server.token,
        "extra": {"workspace": server.workspace, "retries": 0, **extra},
    }
    monkeypatch.setenv("AIRFLOW_CONN_CXREPORTS_DEFAULT", json.dumps(conn))


def load_dag(module: str, dag_id: str) -> Any:
    """The DAG object from a file in the DAGs folder, freshly imported."""
    loaded = importlib.reload(importlib.import_module(module))
    return next(v for v in vars(loaded).values() if getattr(v, "dag_id", None) == dag_id)


def set_task_args(dag: Any, **kwargs: Any) -> None:
    """Change an operator argument on every task, mapped or not (before ``dag.test()``)."""
    for task in dag.tasks:
        for name, value in kwargs.items():
            if hasattr(task, "partial_kwargs"):
                task.partial_kwargs[name] = value
            elif hasattr(task, name):
                setattr(task, name, value)


def run_dag(dag: Any, day: dt.date, conf: dict[str, Any]) -> Any:
    logical = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return dag.test(logical_date=logical, run_conf=conf)


def task_instances(dag_run: Any, task_id: str) -> dict[int, Any]:
    """The task's instances by map index (-1 when not mapped)."""
    return {ti.map_index: ti for ti in dag_run.get_task_instances() if ti.task_id == task_id}


def xcom_values(dag_run: Any, task_id: str, key: str = "return_value") -> dict[int, Any]:
    """The XCom values the task pushed, by map index."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        rows = session.scalars(
            select(XComModel).where(
                XComModel.dag_id == dag_run.dag_id,
                XComModel.run_id == dag_run.run_id,
                XComModel.task_id == task_id,
                XComModel.key == key,
            )
        ).all()
        return {row.map_index: XComModel.deserialize_value(row) for row in rows}
