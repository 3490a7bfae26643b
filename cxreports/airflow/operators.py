"""``CxReportsExportOperator`` and ``CxReportsJobRunOperator``.

Both start the work on the server, then wait for it either in the triggerer
(``deferrable=True``, the default: the worker slot is free while CxReports renders) or in
the worker. Files are streamed to disk by the resumed task and appear only once complete; a
task that fails, times out or is terminated mid-download leaves no partial file behind.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowTaskTerminated

from cxreports import Client
from cxreports.exports import DEFAULT_EXPORT_TIMEOUT, DEFAULT_JOB_TIMEOUT, Export

from ._errors import mapped_errors, raise_event_error
from .hooks import CxReportsHook
from .triggers import CxReportsExportTrigger, CxReportsJobRunTrigger, job_run_summary

if TYPE_CHECKING:
    from airflow.sdk import Context

__all__ = ["CxReportsExportOperator", "CxReportsJobRunOperator"]

# How much longer than its own wait a trigger may run before Airflow gives up on it.
TRIGGER_GRACE = 60.0


def _prepare_target(path: str | os.PathLike[str]) -> Path:
    """The output path with its folder created: dated folders (``{{ ds }}``) are the norm."""
    target = Path(os.fspath(path)).expanduser()
    if str(path).endswith(("/", os.sep)):
        target.mkdir(parents=True, exist_ok=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _file_facts(saved: Path, content_type: str | None) -> dict[str, Any]:
    """What goes to XCom about a file: where it is, never what it holds."""
    return {"path": str(saved), "content_type": content_type, "size": saved.stat().st_size}


class _CxReportsOperator(BaseOperator):
    """What both operators share: the hook and the deferrable switch."""

    def __init__(
        self,
        *,
        cxreports_conn_id: str = CxReportsHook.default_conn_name,
        workspace: str | int | None = None,
        deferrable: bool = True,
        wait_timeout: float,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if wait_timeout <= 0:
            raise ValueError(f"{self.task_id}: wait_timeout must be positive, got {wait_timeout}")
        self.cxreports_conn_id = cxreports_conn_id
        self.workspace = workspace
        self.deferrable = deferrable
        self.wait_timeout = wait_timeout
        self._downloading = False

    @property
    def hook(self) -> CxReportsHook:
        return CxReportsHook(self.cxreports_conn_id)

    def _client(self) -> Client:
        with mapped_errors():
            return self.hook.get_conn()

    def _defer_on_export(
        self,
        export_id: int,
        workspace: str,
        method_name: str,
        resume_with: dict[str, Any] | None = None,
    ) -> NoReturn:
        self.defer(
            trigger=CxReportsExportTrigger(
                export_id=export_id,
                workspace=workspace,
                cxreports_conn_id=self.cxreports_conn_id,
                timeout=self.wait_timeout,
                resume_with=resume_with,
            ),
            method_name=method_name,
            timeout=timedelta(seconds=self.wait_timeout + TRIGGER_GRACE),
        )

    def on_kill(self) -> None:
        """Airflow's SIGTERM handler calls this (SIGKILL follows a grace period later).

        It runs in the task's main thread, so raising here stops a download where it is:
        the partial file is removed on the way out, rather than left behind by SIGKILL.
        """
        if self._downloading:
            raise AirflowTaskTerminated(f"{self.task_id}: terminated during a download")

    def _save_export(self, export: Export, path: Any) -> dict[str, Any]:
        content_type = export.last_status.content_type if export.last_status else None
        self._downloading = True
        try:
            with mapped_errors():
                saved = export.save(_prepare_target(path))
        finally:
            self._downloading = False
        facts = _file_facts(saved, content_type)
        self.log.info("saved export %s: %s (%d bytes)", export.id, saved, facts["size"])
        return facts


class CxReportsExportOperator(_CxReportsOperator):
    """Export ``report`` to ``path`` and push ``{path, content_type, size, export_id}`` to XCom.

    ``report_params`` are the report's parameters (``params`` is taken by Airflow for the
    DAG's own params); ``data`` is inline data, ``temp_data`` the id of data pushed once
    with ``push_temporary_data``. ``path`` is a file, or a folder ending in ``/`` for the
    server's file name; its folder is created. All of them are templated.
    """

    template_fields: Sequence[str] = (
        "report",
        "path",
        "format",
        "report_params",
        "data",
        "temp_data",
        "workspace",
    )
    template_fields_renderers: ClassVar[dict[str, str]] = {"report_params": "json", "data": "json"}
    ui_color = "#e8f1fb"

    def __init__(
        self,
        *,
        report: str | int,
        path: str,
        format: str = "pdf",
        report_params: Any = None,
        data: Any = None,
        temp_data: int | None = None,
        wait_timeout: float = DEFAULT_EXPORT_TIMEOUT,
        **kwargs: Any,
    ) -> None:
        super().__init__(wait_timeout=wait_timeout, **kwargs)
        self.report = report
        self.path = path
        self.format = format
        self.report_params = report_params
        self.data = data
        self.temp_data = temp_data

    def execute(self, context: Context) -> dict[str, Any]:
        with mapped_errors():
            _prepare_target(self.path)  # a folder we cannot create fails before anything is sent
            # A templated id ("{{ ti.xcom_pull(...) }}") renders as text.
            temp_data = int(self.temp_data) if isinstance(self.temp_data, str) else self.temp_data
        with self._client() as client, mapped_errors():
            export = client.start_export(
                self.report,
                format=self.format,  # type: ignore[arg-type]  # checked by the client
                params=self.report_params,
                data=self.data,
                temp_data=temp_data,
                workspace=self.workspace,
            )
            self.log.info("started export %s of report %r", export.id, self.report)
            if self.deferrable:
                self._defer_on_export(export.id, export.workspace, "execute_complete")
            export.wait(self.wait_timeout)
            return {**self._save_export(export, self.path), "export_id": export.id}

    def execute_complete(self, context: Context, event: dict[str, Any]) -> dict[str, Any]:
        """Resume after the trigger fired: stream the finished file to ``path``."""
        if event.get("status") != "success":
            raise_event_error(event)
        with self._client() as client, mapped_errors():
            export = client.get_export(event["export_id"], event["workspace"])
            facts = self._save_export(export, self.path)
        if facts["content_type"] is None:
            facts["content_type"] = event.get("content_type")
        return {**facts, "export_id": event["export_id"]}


class CxReportsJobRunOperator(_CxReportsOperator):
    """Start a run of ``job``, wait until nothing is queued, then optionally review and deliver.

    With ``review_path`` the run's consolidated review document is generated and saved there
    (waited on like an export); with ``deliver=True`` the run is delivered afterwards. XCom
    gets ``{run_id, run_status, review, delivered}``; ``review`` is the file's facts or None.

    A task retry starts a new run: the server cannot tell a retry from a second request. Give
    this operator ``retries=0`` unless a duplicate run (and delivery) is harmless.
    """

    template_fields: Sequence[str] = ("job", "job_params", "data", "workspace", "review_path")
    template_fields_renderers: ClassVar[dict[str, str]] = {"job_params": "json", "data": "json"}
    ui_color = "#eef7ea"

    def __init__(
        self,
        *,
        job: str | int,
        job_params: Any = None,
        data: Any = None,
        review_path: str | None = None,
        deliver: bool = False,
        wait_timeout: float = DEFAULT_JOB_TIMEOUT,
        **kwargs: Any,
    ) -> None:
        super().__init__(wait_timeout=wait_timeout, **kwargs)
        self.job = job
        self.job_params = job_params
        self.data = data
        self.review_path = review_path
        self.deliver = deliver

    def execute(self, context: Context) -> dict[str, Any]:
        if self.review_path is not None:
            with mapped_errors():
                _prepare_target(self.review_path)
        with self._client() as client, mapped_errors():
            run = client.start_job_run(
                self.job, params=self.job_params, data=self.data, workspace=self.workspace
            )
            self.log.info("started run %s of job %r", run.id, run.job)
            if self.deferrable:
                self.defer(
                    trigger=CxReportsJobRunTrigger(
                        job=run.job,
                        run_id=run.id,
                        workspace=run.workspace,
                        cxreports_conn_id=self.cxreports_conn_id,
                        timeout=self.wait_timeout,
                    ),
                    method_name="execute_complete",
                    timeout=timedelta(seconds=self.wait_timeout + TRIGGER_GRACE),
                )
            summary = job_run_summary(run.wait(self.wait_timeout))
            review = None
            if self.review_path is not None:
                export = run.review_document().wait(self.wait_timeout)
                review = self._save_export(export, self.review_path)
            return self._finish(client, run.job, run.id, run.workspace, summary, review)

    def execute_complete(self, context: Context, event: dict[str, Any]) -> dict[str, Any]:
        """Resume after the run finished: ask for the review document, or finish."""
        if event.get("status") != "success":
            raise_event_error(event)
        job, run_id, workspace = event["job"], event["run_id"], event["workspace"]
        summary = event["run_status"]
        with self._client() as client, mapped_errors():
            if self.review_path is None:
                return self._finish(client, job, run_id, workspace, summary, None)
            export = client.get_job_run(job, run_id, workspace).review_document()
            self.log.info("started review document %s of run %s", export.id, run_id)
        self._defer_on_export(
            export.id,
            workspace,
            "review_complete",
            {"job": job, "workspace": workspace, "run_id": run_id, "summary": summary},
        )

    def review_complete(self, context: Context, event: dict[str, Any]) -> dict[str, Any]:
        """Resume after the review document is ready: save it, then deliver if asked."""
        if event.get("status") != "success":
            raise_event_error(event)
        run = event["resume_with"]
        job, workspace, run_id, summary = (
            run["job"],
            run["workspace"],
            run["run_id"],
            run["summary"],
        )
        with self._client() as client, mapped_errors():
            export = client.get_export(event["export_id"], workspace)
            review = self._save_export(export, self.review_path)
            if review["content_type"] is None:
                review["content_type"] = event.get("content_type")
            return self._finish(client, job, run_id, workspace, summary, review)

    def _finish(
        self,
        client: Client,
        job: str,
        run_id: int,
        workspace: str,
        summary: dict[str, Any],
        review: dict[str, Any] | None,
    ) -> dict[str, Any]:
        self.log.info("run %s of job %r finished: %s", run_id, job, summary)
        if self.deliver:
            with mapped_errors():
                client.get_job_run(job, run_id, workspace).deliver()
            self.log.info("delivered run %s of job %r", run_id, job)
        return {
            "run_id": run_id,
            "run_status": summary,
            "review": review,
            "delivered": self.deliver,
        }
