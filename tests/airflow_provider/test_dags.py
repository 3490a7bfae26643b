"""The operators on a real Airflow 3: ``dag.test()`` against the local CxReports server.

``dag.test()`` runs each task in this process and, when a task defers, runs its trigger
inline (``[DAG TEST] running trigger in line``) before resuming the task, as a triggerer
would. The server is on 127.0.0.1; the token is a distinctive string searched for in
everything Airflow printed or wrote.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from airflow_provider.support import (
    TOKEN,
    connection_env,
    load_dag,
    run_dag,
    set_task_args,
    task_instances,
    xcom_values,
)
from cxreports.testing import serve

INLINE_TRIGGER = "running trigger in line"
CUSTOMERS = [
    {"id": "C101", "name": "Acme Corporation", "balance": 10.5},
    {"id": "C102", "name": "Globex Ltd", "balance": 0},
    {"id": "C103", "name": "Initech", "balance": 99},
]


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    # A render delay, so an export is still queued when the trigger first polls.
    with serve(token=TOKEN, render_delay=0.3) as running:
        yield running


@pytest.fixture(scope="module")
def airflow_db() -> None:
    from airflow.utils import db

    db.initdb()


@pytest.fixture
def cx(server: Any, airflow_db: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    server.reset()
    connection_env(monkeypatch, server)
    return server


@pytest.fixture
def airflow_output(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> Callable[[], str]:
    """Everything the run printed and logged: the task logs (dag.test prints them), Airflow's
    own log records, and any log file under AIRFLOW_HOME."""

    def read() -> str:
        out, err = capfd.readouterr()
        files = [
            p.read_text(errors="replace") for p in Path(os.environ["AIRFLOW_HOME"]).rglob("*.log")
        ]
        return "\n".join([out, err, caplog.text, *files])

    return read


def operations(server: Any) -> list[str]:
    return [r.operation_id for r in server.requests]


def leftovers(folder: Path) -> list[str]:
    """Hidden or partial files a download could leave behind."""
    return sorted(
        p.name for p in folder.rglob("*") if p.name.startswith(".") or p.suffix == ".part"
    )


@pytest.mark.parametrize("deferrable", [True, False], ids=["deferrable", "in-worker"])
def test_month_end_statements(
    cx: Any, tmp_path: Path, airflow_output: Callable[[], str], deferrable: bool
) -> None:
    dag = load_dag("month_end_statements", "month_end_statements")
    set_task_args(dag, deferrable=deferrable)
    day = dt.date(2026, 10, 31) if deferrable else dt.date(2026, 9, 30)

    dag_run = run_dag(dag, day, {"customers": CUSTOMERS, "output_dir": str(tmp_path)})
    output = airflow_output()

    assert dag_run.state == "success", output[-3000:]
    folder = tmp_path / day.isoformat()
    assert sorted(p.name for p in folder.iterdir()) == [
        "statement-C101.pdf",
        "statement-C102.pdf",
        "statement-C103.pdf",
    ]
    # The customer list went up once; every statement refers to it.
    ops = operations(cx)
    assert ops.count("push_temporary_data") == 1
    assert ops.count("start_report_export") == 3
    assert ops.count("get_export_content") == 3
    assert "export_report_get" not in ops and "export_report_post" not in ops

    pushed = xcom_values(dag_run, "statement")
    assert sorted(pushed) == [0, 1, 2]
    for customer in CUSTOMERS:
        path = folder / f"statement-{customer['id']}.pdf"
        text = "".join(page.extract_text() for page in PdfReader(path).pages)
        assert customer["id"] in text  # its own parameters
        assert "Globex Ltd" in text  # and the pushed customer list
        facts = next(v for v in pushed.values() if v["path"] == str(path))
        assert facts["content_type"] == "application/pdf"
        assert facts["size"] == path.stat().st_size > 0
        assert set(facts) == {"path", "content_type", "size", "export_id"}  # never the bytes

    statements = task_instances(dag_run, "statement")
    assert {ti.rendered_map_index for ti in statements.values()} == {"C101", "C102", "C103"}
    assert output.count(INLINE_TRIGGER) == (3 if deferrable else 0)
    assert "started export" in output  # the check below reads the task logs...
    assert TOKEN not in output  # ...and the token is in none of them
    assert leftovers(tmp_path) == []


def test_a_503_is_retried_by_airflow(
    cx: Any, tmp_path: Path, airflow_output: Callable[[], str]
) -> None:
    # The connection's retries=0 hands every retry to Airflow: the first download gets a
    # 503, the task fails, and Airflow's retry exports again and succeeds.
    cx.set_faults("get_export_content:503=0x1")
    dag = load_dag("cxreports_tasks", "cxreports_export")

    dag_run = run_dag(dag, dt.date(2026, 8, 31), {"output_dir": str(tmp_path)})
    output = airflow_output()

    assert dag_run.state == "success", output[-3000:]
    (ti,) = task_instances(dag_run, "export").values()
    assert ti.try_number == 2
    assert operations(cx).count("start_report_export") == 2
    saved = tmp_path / "2026-08-31" / "invoice.pdf"
    assert len(PdfReader(saved).pages) >= 1
    assert xcom_values(dag_run, "export")[-1]["path"] == str(saved)
    assert "503" in output and TOKEN not in output
    assert leftovers(tmp_path) == []


def test_a_404_fails_without_retry(
    cx: Any, tmp_path: Path, airflow_output: Callable[[], str]
) -> None:
    dag = load_dag("cxreports_tasks", "cxreports_export")

    dag_run = run_dag(
        dag, dt.date(2026, 7, 31), {"output_dir": str(tmp_path), "report": "no-such-report"}
    )
    output = airflow_output()

    assert dag_run.state == "failed"
    (ti,) = task_instances(dag_run, "export").values()
    assert ti.state == "failed"
    assert ti.try_number == 1  # retries=2, yet no second try
    assert operations(cx).count("start_report_export") == 1
    assert "NotFoundError" in output and "no-such-report" in output
    assert TOKEN not in output
    assert list((tmp_path / "2026-07-31").iterdir()) == []


def test_a_timed_out_download_leaves_no_file(
    cx: Any, tmp_path: Path, airflow_output: Callable[[], str]
) -> None:
    # The download stalls past the task's execution_timeout: Airflow stops the task mid-request.
    cx.set_faults("get_export_content:latency=10")
    dag = load_dag("cxreports_tasks", "cxreports_export")
    set_task_args(dag, deferrable=False, retries=0, execution_timeout=dt.timedelta(seconds=3))

    dag_run = run_dag(dag, dt.date(2026, 6, 30), {"output_dir": str(tmp_path)})
    output = airflow_output()

    assert dag_run.state == "failed"
    assert "get_export_content" in operations(cx)
    assert "Timeout" in output
    folder = tmp_path / "2026-06-30"
    assert list(folder.iterdir()) == []  # neither invoice.pdf nor its .part file


def test_a_terminated_download_leaves_no_file(
    cx: Any, tmp_path: Path, airflow_output: Callable[[], str]
) -> None:
    # SIGTERM is what Airflow sends a task it stops (SIGKILL follows later). It is sent as
    # soon as the server has the download request, which then stalls: no timing guesses.
    cx.set_faults("get_export_content:latency=10")
    dag = load_dag("cxreports_tasks", "cxreports_export")
    set_task_args(dag, deferrable=False, retries=0)
    stop = threading.Event()

    def terminate_during_download() -> None:
        while not stop.is_set():
            if "get_export_content" in operations(cx):
                os.kill(os.getpid(), signal.SIGTERM)
                return
            stop.wait(0.01)

    killer = threading.Thread(target=terminate_during_download, daemon=True)
    killer.start()
    previous = signal.getsignal(signal.SIGTERM)
    try:
        dag_run = run_dag(dag, dt.date(2026, 6, 29), {"output_dir": str(tmp_path)})
    finally:
        stop.set()
        killer.join()
        signal.signal(signal.SIGTERM, previous)
    output = airflow_output()

    assert dag_run.state == "failed"
    assert "terminated during a download" in output
    folder = tmp_path / "2026-06-29"
    assert list(folder.iterdir()) == []  # neither invoice.pdf nor its .part file


@pytest.mark.parametrize("deferrable", [True, False], ids=["deferrable", "in-worker"])
def test_job_run_review_and_delivery(
    cx: Any, tmp_path: Path, airflow_output: Callable[[], str], deferrable: bool
) -> None:
    dag = load_dag("cxreports_tasks", "cxreports_job_run")
    set_task_args(dag, deferrable=deferrable)
    day = dt.date(2026, 5, 31) if deferrable else dt.date(2026, 4, 30)

    dag_run = run_dag(dag, day, {"output_dir": str(tmp_path)})
    output = airflow_output()

    assert dag_run.state == "success", output[-3000:]
    (result,) = xcom_values(dag_run, "job_run").values()
    review = tmp_path / f"review-{day.isoformat()}.pdf"
    assert result["review"] == {
        "path": str(review),
        "content_type": "application/pdf",
        "size": review.stat().st_size,
    }
    assert "Acme Corporation" in "".join(p.extract_text() for p in PdfReader(review).pages)
    assert result["delivered"] is True
    assert result["run_status"]["finished"] is True
    assert result["run_status"]["entries"] == 6
    ops = operations(cx)
    assert ops.count("start_job_run") == 1
    assert ops.count("generate_review_document") == 1
    assert ops.count("deliver_job_run") == 1
    # The run, then its review document, each waited on in the triggerer.
    assert output.count(INLINE_TRIGGER) == (2 if deferrable else 0)
    assert TOKEN not in output
