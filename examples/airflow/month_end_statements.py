"""Month-end statements: one PDF per customer, rendered by CxReports, fanned out by Airflow.

The customer list is pushed to CxReports once, as temporary data; one mapped
``CxReportsExportOperator`` per customer then refers to it by id and names its customer in
the report parameters. Each export defers while CxReports renders, so waiting statements hold
no worker slot. A 5xx or a dropped connection is retried by Airflow (``retries``); a 4xx
fails the statement at once.

Set up the connection (the password is the API token), then test the DAG::

    export AIRFLOW_CONN_CXREPORTS_DEFAULT='{"conn_type": "cxreports",
        "host": "https://reports.example.com", "password": "<token>",
        "extra": {"workspace": "sales", "retries": 0}}'
    airflow dags test month_end_statements 2026-11-30

Statements land in ``<output_dir>/<ds>/statement-<customer>.pdf``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from airflow.sdk import DAG, Param, get_current_context, task

from cxreports.airflow import CxReportsExportOperator, CxReportsHook

CUSTOMERS = [
    {"id": "C001", "name": "Acme Corporation", "balance": 1250.00},
    {"id": "C002", "name": "Globex Ltd", "balance": 0.00},
    {"id": "C003", "name": "Initech", "balance": 310.45},
]

with DAG(
    dag_id="month_end_statements",
    description="Render each customer's month-end statement with CxReports",
    schedule="@monthly",
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    params={
        "customers": Param(CUSTOMERS, type="array", minItems=1),
        "output_dir": Param("/tmp/statements", type="string"),
    },
    default_args={
        "cxreports_conn_id": "cxreports_default",
        "retries": 2,
        "retry_delay": dt.timedelta(minutes=1),
    },
    tags=["cxreports"],
) as dag:

    @task
    def push_customers() -> int:
        """Upload the customer list once; every statement refers to it by id."""
        customers = get_current_context()["params"]["customers"]
        with CxReportsHook().get_conn() as client:
            pushed = client.push_temporary_data(
                {"customers": customers}, expires=dt.timedelta(days=2)
            )
        return pushed.id

    @task
    def statement_params() -> list[dict[str, Any]]:
        """One set of report parameters per customer: the fan-out of the statements."""
        customers = get_current_context()["params"]["customers"]
        return [{"customer": customer["id"]} for customer in customers]

    CxReportsExportOperator.partial(
        task_id="statement",
        report="statement",
        temp_data=push_customers(),
        path="{{ params.output_dir }}/{{ ds }}/statement-{{ task.report_params.customer }}.pdf",
        map_index_template="{{ task.report_params.customer }}",
    ).expand(report_params=statement_params())


if __name__ == "__main__":
    dag.test()
