"""A real Airflow 3 for these tests: a temporary AIRFLOW_HOME, SQLite, no network.

They run in their own virtual environment (``make test-airflow``), because Airflow pins its own
versions of libraries the dev environment also pins. Where Airflow is not installed (the
main ``make test``) this folder is not collected at all.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def _airflow_installed() -> bool:
    # Asked of the installed distributions, not by importing: importing airflow reads its
    # configuration, which must first be pointed at the temporary AIRFLOW_HOME below.
    try:
        importlib.metadata.distribution("apache-airflow-core")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


if not _airflow_installed():
    # Only the test of the message a user without the extra gets.
    collect_ignore_glob = ["test_dags.py", "test_operators.py", "test_provider.py"]
else:
    # Before anything imports airflow: it reads its configuration, and creates AIRFLOW_HOME,
    # on first import.
    HOME = Path(tempfile.mkdtemp(prefix="cxreports-airflow-home-"))
    DAGS = HOME / "dags"
    DAGS.mkdir()
    # Links, so the DAGs tested are the files in the repository.
    for dag_file in (
        ROOT / "examples/airflow/month_end_statements.py",
        HERE / "dags/cxreports_tasks.py",
    ):
        (DAGS / dag_file.name).symlink_to(dag_file)
    os.environ.update(
        {
            "AIRFLOW_HOME": str(HOME),
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{HOME}/airflow.db",
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    for name in list(os.environ):
        if name.startswith(("CXREPORTS_", "AIRFLOW_CONN_")):
            del os.environ[name]
    sys.path.insert(0, str(DAGS))

    def pytest_unconfigure() -> None:
        shutil.rmtree(HOME, ignore_errors=True)
