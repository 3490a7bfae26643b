"""What Airflow's providers manager reads through the ``apache_airflow_provider`` entry point.

The connection form is declared here (``conn-fields``, ``ui-field-behaviour``), as Airflow
3.2+ asks of providers, so the UI shows it without importing the hook.
"""

from __future__ import annotations

from typing import Any

from cxreports._version import __version__

INTEGRATION = "CxReports"


def get_provider_info() -> dict[str, Any]:
    return {
        # Must equal the distribution name: Airflow refuses a provider whose names differ.
        "package-name": "cxreports",
        "name": "CxReports",
        "description": "Export CxReports reports and run CxReports jobs from Airflow.",
        "versions": [__version__],
        "integrations": [{"integration-name": INTEGRATION, "tags": ["service"]}],
        "hooks": [{"integration-name": INTEGRATION, "python-modules": ["cxreports.airflow.hooks"]}],
        "operators": [
            {"integration-name": INTEGRATION, "python-modules": ["cxreports.airflow.operators"]}
        ],
        "triggers": [
            {"integration-name": INTEGRATION, "python-modules": ["cxreports.airflow.triggers"]}
        ],
        "connection-types": [
            {
                "hook-class-name": "cxreports.airflow.hooks.CxReportsHook",
                "hook-name": "CxReports",
                "connection-type": "cxreports",
                "conn-fields": {
                    "workspace": {
                        "label": "Default workspace",
                        "schema": {"type": ["string", "null"]},
                        "description": "Code or id of the workspace used when a task names none.",
                    },
                    "timeout": {
                        "label": "HTTP timeout (seconds)",
                        "schema": {"type": ["number", "null"], "minimum": 0},
                    },
                    "retries": {
                        "label": "Client retries",
                        "schema": {"type": ["integer", "null"], "minimum": 0},
                        "description": "Retries of one request inside a task, before Airflow's "
                        "own task retries take over. 0 leaves every retry to Airflow.",
                    },
                },
                "ui-field-behaviour": {
                    "hidden-fields": ["login", "extra"],
                    "relabeling": {
                        "host": "Base URL",
                        "password": "API token",
                        "schema": "Scheme (when the base URL has none)",
                    },
                    "placeholders": {
                        "host": "https://reports.example.com",
                        "schema": "https",
                    },
                },
            }
        ],
    }
