"""Small DAGs for the failure and job-run tests (the example DAG covers the happy fan-out)."""

from __future__ import annotations

import datetime as dt

from airflow.sdk import DAG, Param

from cxreports.airflow import CxReportsExportOperator, CxReportsJobRunOperator

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

with DAG(
    dag_id="cxreports_export",
    schedule=None,
    start_date=START,
    params={"report": Param("invoice"), "output_dir": Param("/tmp/cxreports-export")},
    default_args={"retries": 2, "retry_delay": dt.timedelta(0)},
) as export_dag:
    CxReportsExportOperator(
        task_id="export",
        report="{{ params.report }}",
        report_params={"number": "{{ ds_nodash }}"},
        path="{{ params.output_dir }}/{{ ds }}/invoice.pdf",
    )

with DAG(
    dag_id="cxreports_job_run",
    schedule=None,
    start_date=START,
    params={"output_dir": Param("/tmp/cxreports-job-run")},
) as job_run_dag:
    CxReportsJobRunOperator(
        task_id="job_run",
        job="monthly-invoices",
        job_params={"month": "{{ ds[:7] }}"},
        review_path="{{ params.output_dir }}/review-{{ ds }}.pdf",
        deliver=True,
    )
