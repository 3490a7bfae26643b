"""Python SDK for the CxReports v1 REST API.

import cxreports

with cxreports.Client() as client:          # CXREPORTS_URL, CXREPORTS_TOKEN, CXREPORTS_WORKSPACE
    client.export_to_file("invoice", "invoice.pdf", params={"number": 42})
"""

from ._base_client import InsecureTransportWarning
from ._client import AsyncClient, Client
from ._request_options import RequestOptions
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    CxReportsError,
    ExportFailedError,
    IncompleteDownloadError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    WaitTimeoutError,
)
from .exports import AsyncExport, AsyncJobRun, Export, JobRun
from .models import (
    Document,
    ExportFormat,
    ExportStatus,
    Job,
    JobRunStatus,
    Report,
    ReportPage,
    ReportType,
    Template,
    TemporaryData,
    Theme,
    Workspace,
)

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncExport",
    "AsyncJobRun",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ConfigurationError",
    "ConflictError",
    "CxReportsError",
    "Document",
    "Export",
    "ExportFailedError",
    "ExportFormat",
    "ExportStatus",
    "IncompleteDownloadError",
    "InsecureTransportWarning",
    "InternalServerError",
    "Job",
    "JobRun",
    "JobRunStatus",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Report",
    "ReportPage",
    "ReportType",
    "RequestOptions",
    "Template",
    "TemporaryData",
    "Theme",
    "WaitTimeoutError",
    "Workspace",
    "__version__",
]
