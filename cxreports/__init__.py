"""Python SDK for the CxReports v1 REST API.

import cxreports

with cxreports.Client() as client:          # CXREPORTS_URL, CXREPORTS_TOKEN, CXREPORTS_WORKSPACE
    client.export_to_file("invoice", "invoice.pdf", params={"number": 42})

``cxreports.API_SPEC`` says which server API the package was generated for (version, hash).
"""

from typing import TYPE_CHECKING, Any

from ._base_client import InsecureTransportWarning
from ._client import AsyncClient, Client
from ._request_options import RequestOptions
from ._socket_deadline import DeadlineTransport
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIRedirectError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    CxReportsError,
    ExportFailedError,
    IncompleteDownloadError,
    InternalServerError,
    NotFoundError,
    PagingError,
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

if TYPE_CHECKING:
    from ._check import ApiCheck
    from ._spec.lock import ApiSpec

    API_SPEC: ApiSpec


def __getattr__(name: str) -> Any:
    # API_SPEC reads the lock file on first use, not at import.
    if name == "API_SPEC":
        from ._spec.lock import read_lock

        value = read_lock()
        globals()[name] = value
        return value
    if name == "ApiCheck":  # what check_api() returns; loads the spec tooling
        from ._check import ApiCheck

        return ApiCheck
    raise AttributeError(f"module 'cxreports' has no attribute {name!r}")


__all__ = [
    "API_SPEC",
    "APIConnectionError",
    "APIRedirectError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ApiCheck",
    "AsyncClient",
    "AsyncExport",
    "AsyncJobRun",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "CxReportsError",
    "DeadlineTransport",
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
    "PagingError",
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
