"""Deferrable waits: the triggerer polls CxReports with the ``AsyncClient``, not a worker.

A trigger is stored in Airflow's database by :meth:`serialize`, so it holds only ids and the
connection id, never the token: the triggerer reads the connection itself. Its event carries
everything the resumed task needs (``resume_with``), rather than ``defer(kwargs=...)``, which
``dag.test()`` drops when it runs a trigger inline.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import attrs
from airflow.triggers.base import BaseTrigger, TriggerEvent

from cxreports.errors import CxReportsError
from cxreports.exports import DEFAULT_EXPORT_TIMEOUT, DEFAULT_JOB_TIMEOUT
from cxreports.models import JobRunStatus

from ._errors import error_event
from .hooks import CxReportsHook

__all__ = ["CxReportsExportTrigger", "CxReportsJobRunTrigger"]


class CxReportsExportTrigger(BaseTrigger):
    """Fire once the export ``export_id`` is ready (or failed, or ``timeout`` ran out).

    The success event carries the export's id, workspace, file name, content type and
    size; the document itself is fetched by the resumed task, which streams it to disk.
    Every event also carries ``resume_with``, plain JSON the deferring task handed over.
    """

    def __init__(
        self,
        export_id: int,
        workspace: str,
        cxreports_conn_id: str = CxReportsHook.default_conn_name,
        timeout: float = DEFAULT_EXPORT_TIMEOUT,
        resume_with: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # BaseTrigger is untyped
        self.export_id = export_id
        self.workspace = workspace
        self.cxreports_conn_id = cxreports_conn_id
        self.timeout = timeout
        self.resume_with = resume_with or {}

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "export_id": self.export_id,
                "workspace": self.workspace,
                "cxreports_conn_id": self.cxreports_conn_id,
                "timeout": self.timeout,
                "resume_with": self.resume_with,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        try:
            client = await CxReportsHook(self.cxreports_conn_id).get_async_client()
            async with client:
                export = client.get_export(self.export_id, self.workspace)
                await export.wait(self.timeout)
        except (CxReportsError, ValueError) as exc:
            yield TriggerEvent(
                {**error_event(exc), "export_id": self.export_id, "resume_with": self.resume_with}
            )
            return
        status = export.last_status
        yield TriggerEvent(
            {
                "status": "success",
                "resume_with": self.resume_with,
                "export_id": self.export_id,
                "workspace": self.workspace,
                "name": status.name if status else None,
                "content_type": status.content_type if status else None,
                "content_size": status.content_size if status else None,
            }
        )


class CxReportsJobRunTrigger(BaseTrigger):
    """Fire once job run ``run_id`` of ``job`` has nothing left queued (or on error)."""

    def __init__(
        self,
        job: str,
        run_id: int,
        workspace: str,
        cxreports_conn_id: str = CxReportsHook.default_conn_name,
        timeout: float = DEFAULT_JOB_TIMEOUT,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # BaseTrigger is untyped
        self.job = job
        self.run_id = run_id
        self.workspace = workspace
        self.cxreports_conn_id = cxreports_conn_id
        self.timeout = timeout

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "job": self.job,
                "run_id": self.run_id,
                "workspace": self.workspace,
                "cxreports_conn_id": self.cxreports_conn_id,
                "timeout": self.timeout,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        try:
            client = await CxReportsHook(self.cxreports_conn_id).get_async_client()
            async with client:
                status = await client.get_job_run(self.job, self.run_id, self.workspace).wait(
                    self.timeout
                )
        except (CxReportsError, ValueError) as exc:
            yield TriggerEvent({**error_event(exc), "run_id": self.run_id})
            return
        yield TriggerEvent(
            {
                "status": "success",
                "job": self.job,
                "run_id": self.run_id,
                "workspace": self.workspace,
                "run_status": job_run_summary(status),
            }
        )


def job_run_summary(status: JobRunStatus) -> dict[str, Any]:
    """A job run's counts as plain JSON, for events and XCom."""
    return attrs.asdict(status)
