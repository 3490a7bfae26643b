"""What the hand-written ``cxreports`` package relies on in the API, by wire name.

One table, used in three places: the breaking/compatible verdict of ``make spec``, the drift
check of ``cxreports doctor`` / ``client.check_api()``, and the spec tests. It is checked
against the code that uses it (``tests/test_relied_surface.py``): every generated endpoint
module ``_base_client`` imports has an entry and no other, every ``function`` exists and
builds that operation's request, and every field of a public result class is read from a
response field listed here. Edit it when the hand-written layer starts or stops using
something; the test says which line to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class Reliance:
    """Wire names one operation's hand-written wrapper sends or reads, and who does."""

    methods: tuple[str, ...]  # public methods that send the operation
    function: str  # the BaseClient method that builds its request and reads its answer
    params: frozenset[str] = frozenset()
    body: frozenset[str] = frozenset()
    response: frozenset[str] = frozenset()
    status: frozenset[str] = field(default_factory=lambda: frozenset({"200"}))
    model: str | None = None  # the public result class (cxreports.models) it fills


def _r(
    methods: str,
    function: str,
    params: str = "",
    body: str = "",
    response: str = "",
    status: str = "200",
    model: str | None = None,
) -> Reliance:
    return Reliance(
        tuple(methods.split()),
        function,
        _words(params),
        _words(body),
        _words(response),
        _words(status),
        model,
    )


_WS, _REPORT, _JOB_RUN = (
    "workspaceId",
    "workspaceId reportIdOrTypeCode",
    "workspaceId jobIdOrCode jobRunId",
)
_EXPORT = "params data lang timezone format includeAttachments template theme"

RELIED: dict[str, Reliance] = {
    "list_workspaces": _r(
        "Client.workspaces", "_workspaces_call", response="id name description code",
        model="Workspace",
    ),
    "create_nonce_token": _r(
        "Client.create_nonce Client.preview_url Client.download_url", "_nonce_call",
        response="nonce",
    ),
    "list_reports": _r(
        "Client.reports", "_reports_page_call", f"{_WS} type limit offset",
        response="id name reportTypeId reportTypeName reportTemplateName themeName isDefault "
        "previewImage",
        model="Report",
    ),
    "list_report_pages": _r(
        "Client.report_pages", "_report_pages_call", _REPORT, response="id name type",
        model="ReportPage",
    ),
    "export_report_get": _r(
        "Client.export Client.export_to_file Client.download_url Client.preview_url",
        "_export_call", f"{_REPORT} {_EXPORT} tempDataId",
    ),
    "export_report_post": _r(
        "Client.export Client.export_to_file", "_export_call", _REPORT, body=_EXPORT
    ),
    "start_report_export": _r(
        "Client.start_export", "_start_export_call", _REPORT,
        body=f"{_EXPORT} excludePages tempDataId", response="temporaryFileId", status="202",
    ),
    "get_export_status": _r(
        "Export.status Export.wait Client.get_export", "_export_status_call",
        f"{_WS} tempFileId",
        response="id status isReady errorMessage expiryTime name contentSize contentType",
        model="ExportStatus",
    ),
    "get_export_content": _r(
        "Export.content Export.save", "_export_content_call", f"{_WS} tempFileId"
    ),
    "push_temporary_data": _r(
        "Client.push_temporary_data", "_push_temporary_data_call", _WS,
        body="content expiryDate", response="tempDataId expiryDate",
    ),
    "list_report_types": _r(
        "Client.report_types", "_report_types_call", _WS,
        response="id name description code defaultReportId defaultReportName",
        model="ReportType",
    ),
    "list_templates": _r(
        "Client.templates", "_templates_call", _WS, response="id name code", model="Template"
    ),
    "list_themes": _r(
        "Client.themes", "_themes_call", _WS, response="id name code", model="Theme"
    ),
    "list_jobs": _r(
        "Client.jobs", "_jobs_call", _WS,
        response="id name description code reviewRequired isActive lastRunTime", model="Job",
    ),
    "start_job_run": _r(
        "Client.start_job_run", "_start_job_run_call", f"{_WS} jobIdOrCode",
        body="params data", response="jobRunId",
    ),
    "get_job_run_status": _r(
        "JobRun.status JobRun.wait", "_job_run_status_call", _JOB_RUN,
        response="finished entries status status.queued status.review status.completed "
        "status.errors",
    ),
    "generate_review_document": _r(
        "JobRun.review_document", "_review_document_call", _JOB_RUN,
        response="temporaryFileId", status="202",
    ),
    "deliver_job_run": _r("JobRun.deliver", "_deliver_call", _JOB_RUN),
}  # fmt: skip


def methods_of(operation: str) -> str:
    """``Client.reports() (and AsyncClient's)`` for messages."""
    reliance = RELIED[operation]
    return ", ".join(f"{m}()" for m in reliance.methods) + " (sync and async)"
