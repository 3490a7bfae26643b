"""Schemathesis against the running local server, with the pinned spec: no failures, no 500s.

Two bounded, derandomized runs (positive and negative cases, all of schemathesis' checks):
one with path parameters pinned to seed anchors and live ids, so requests get past the
lookups and exercise rendering, exports and jobs; one with generated path parameters, which
mostly probes 404s and validation.

One deliberate setting, narrower than it looks:

- `positive_data_acceptance` also accepts 400. The spec types ``params``/``data`` as strings
  and ``expiryDate`` as a date-time, but the API requires JSON text and a future date, so a
  schema-valid request can rightly be refused. `status_code_conformance` still fails any 400
  on an operation that does not document it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from cxreports.testing import serve

SPEC = json.loads((Path(__file__).parent.parent / "openapi" / "cxreports-v1.json").read_text())
MAX_EXAMPLES = 50


def run_schemathesis(base_url: str, token: str, parameters: dict[str, Any]) -> list[str]:
    config = SchemathesisConfig.from_dict(
        {
            "base-url": base_url,
            "headers": {"Authorization": f"Bearer {token}"},
            "parameters": parameters,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {"stateful": {"enabled": False}},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "404"]}
            },
            "request-timeout": 30,
            "workers": 1,
        }
    )
    schema = schemathesis.openapi.from_dict(SPEC, config=config)
    problems: list[str] = []
    finished = False
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.status in (
            Status.FAILURE,
            Status.ERROR,
        ):
            for case_id, checks in event.recorder.checks.items():
                case = event.recorder.cases[case_id].value
                for check in checks:
                    if check.status != Status.SUCCESS:
                        info = check.failure_info.failure if check.failure_info else ""
                        problems.append(
                            f"{event.recorder.label}: {check.name}: {info}\n  {case.method} "
                            f"{case.formatted_path} query={case.query} body={case.body!r:.300}"
                        )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            problems.append(f"schemathesis error: {event!r:.500}")
        elif isinstance(event, events.EngineFinished):
            finished = True
    assert finished
    return problems


@pytest.fixture(scope="module")
def server() -> Any:
    with serve(log_level="error") as srv:
        yield srv


def test_schemathesis_with_seeded_path_parameters(server: Any) -> None:
    with httpx.Client(
        base_url=server.api_url, headers={"Authorization": f"Bearer {server.token}"}
    ) as api:
        file_id = api.post("/ws/sales/reports/invoice/export", json={}).json()["temporaryFileId"]
        run_id = api.post("/ws/sales/jobs/monthly-invoices/runs", json={}).json()["jobRunId"]
    server.clear_requests()
    problems = run_schemathesis(
        server.url,
        server.token,
        {
            "workspaceId": "sales",
            "reportIdOrTypeCode": "invoice",
            "jobIdOrCode": "monthly-invoices",
            "tempFileId": file_id,
            "jobRunId": run_id,
        },
    )
    assert problems == [], "\n\n".join(problems[:20])
    records = server.requests
    assert not [r for r in records if r.status is None or r.status >= 500]
    # The run reached every operation's success path, not just its error paths.
    succeeded = {r.operation_id for r in records if r.status is not None and r.status < 300}
    assert len(succeeded - {None}) == 18, sorted(str(s) for s in succeeded)
    assert Counter(r.status for r in records)[400] > 50  # negative cases were rejected


def test_schemathesis_with_generated_path_parameters(server: Any) -> None:
    server.clear_requests()
    problems = run_schemathesis(server.url, server.token, {})
    assert problems == [], "\n\n".join(problems[:20])
    records = server.requests
    assert len(records) > 300
    assert not [r for r in records if r.status is None or r.status >= 500]
