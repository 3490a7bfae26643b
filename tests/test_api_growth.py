"""A server that grew since the spec was pinned: its new fields reach the user, unmapped.

The result classes are a stable facade; what they do not declare is kept in ``extra`` under
the wire name, whether the server sent a key the spec does not list (the generated model's
``additional_properties``) or the regenerated model declares a field the facade has no
attribute for yet.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import attrs
import httpx
import pytest

import cxreports
from cxreports.models import from_generated

TOKEN = "growth-secret-0987654321"


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> cxreports.Client:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return cxreports.Client("https://cx.example", TOKEN, "sales", http_client=http)


REPORT = {
    "id": 7,
    "name": "Invoice",
    "reportTypeId": 3,
    "reportTypeName": "Invoice",
    "reportTemplateName": "Letterhead",
    "isDefault": True,
}


def test_undeclared_response_fields_are_kept_in_extra_by_wire_name() -> None:
    added = {"ownerName": "Ana", "tags": ["q1", "eu"], "layout": {"pages": 2}}
    client = mock_client(lambda r: httpx.Response(200, json=[{**REPORT, **added}]))
    (report,) = client.reports()
    assert report.extra == added
    assert report.name == "Invoice" and report.report_type_id == 3
    # Still a value object: compared with its extra fields, and hashable despite the dict.
    assert report == attrs.evolve(report)
    assert report != attrs.evolve(report, extra={})
    assert hash(report) == hash(attrs.evolve(report))


def test_a_result_without_new_fields_has_an_empty_extra() -> None:
    body = [{"id": 1, "name": "Sales", "code": "sales"}]
    client = mock_client(lambda r: httpx.Response(200, json=body))
    (workspace,) = client.workspaces()
    assert workspace.extra == {}
    assert workspace == cxreports.Workspace(1, "Sales", code="sales")


def test_declared_fields_the_facade_does_not_map_are_kept_in_extra() -> None:
    """After `make generate` against a newer server the generated model declares the new
    field, so it is no longer in additional_properties; the facade must not drop it."""
    from cxreports_api.models.job import Job as GeneratedJob

    @attrs.frozen
    class OlderJob:  # a facade from before last_run_time and reviewRequired were mapped
        id: int
        name: str
        extra: dict[str, Any] = attrs.field(factory=dict, kw_only=True)

    wire = {
        "id": 5,
        "name": "Monthly",
        "reviewRequired": True,
        "lastRunTime": "2026-01-02T03:04:05Z",
    }
    job = from_generated(OlderJob, GeneratedJob.from_dict({**wire, "queue": "night"}))
    assert job.extra["reviewRequired"] is True
    assert dt.datetime.fromisoformat(job.extra["lastRunTime"]) == dt.datetime(
        2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC
    )
    assert job.extra["queue"] == "night"
    assert "id" not in job.extra and "name" not in job.extra


def test_hand_built_results_keep_their_extra_fields_too() -> None:
    answers = {
        "/api/v1/ws/sales/temporary-data": {
            "tempDataId": 9,
            "expiryDate": "2030-01-01T00:00:00Z",
            "sizeBytes": 12,
        },
        "/api/v1/ws/sales/jobs/monthly/runs/4/status": {
            "finished": False,
            "entries": 3,
            "status": {"queued": 1, "review": 0, "completed": 2, "errors": 0, "skipped": 1},
            "startedBy": "ana",
        },
    }
    client = mock_client(lambda r: httpx.Response(200, json=answers[r.url.path]))
    assert client.push_temporary_data({"a": 1}).extra == {"sizeBytes": 12}
    status = client.get_job_run("monthly", 4).status()
    assert status.extra == {"skipped": 1, "startedBy": "ana"}
    assert status.completed == 2


def test_the_cli_shows_extra_fields(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("typer")
    from cxreports.cli._commands import show

    reports = [
        cxreports.Report(1, "Invoice", extra={"ownerName": "Ana"}),
        cxreports.Report(2, "Statement"),
    ]
    # Piped: tab-separated rows, the extra field a column of its own in every row.
    show(reports, as_json=False)
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows[0][:2] == ["1", "Invoice"] and rows[0][-1] == "Ana"
    assert rows[1][:2] == ["2", "Statement"] and rows[1][-1] == ""
    assert len(rows[0]) == len(rows[1])
    # On a terminal: a table with the wire name as the column's header.
    monkeypatch.setenv("FORCE_COLOR", "1")
    show(reports, as_json=False)
    table = capsys.readouterr().out
    assert "ownerName" in table and "Ana" in table
    show(reports, as_json=True)
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["extra"] == {"ownerName": "Ana"} and rows[1]["extra"] == {}


def test_the_closed_sets_are_the_generated_literals_without_loading_the_models() -> None:
    """ExportFormat and ExportStatus.status are the generated Literals, resolvable at run time
    (typing.get_type_hints, as attrs/cattrs tooling uses), while `import cxreports` still
    leaves the generated package unloaded."""
    import subprocess
    import sys

    code = (
        "import sys, typing, cxreports\n"
        "assert not [m for m in sys.modules if m.startswith('cxreports_api')]\n"
        "hints = typing.get_type_hints(cxreports.ExportStatus)\n"
        "export = typing.get_type_hints(cxreports.Client.export)\n"
        "from cxreports_api.models.export_format import ExportFormat\n"
        "from cxreports_api.models.export_status_status import ExportStatusStatus\n"
        "assert cxreports.ExportFormat == export['format'] == ExportFormat\n"
        "assert hints['status'] == ExportStatusStatus\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_format_the_spec_gained_is_checked_by_its_extension() -> None:
    """A newer server's format needs no table edit: csv is text/csv (an SSO login page is
    still refused), and a format with no known type is accepted whatever its type."""
    from cxreports._base_client import file_media_types

    csv = file_media_types("csv")
    assert csv is not None and "text/csv" in csv and "text/html" not in csv
    assert "application/octet-stream" in csv
    assert file_media_types("pdf") == file_media_types("pdf", attachments=False)
    assert "application/zip" in (file_media_types("pdf", attachments=True) or ())
    assert file_media_types("no-such-format-xyz") is None
