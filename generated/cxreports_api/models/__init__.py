"""Contains all the data models used in inputs/outputs"""

from .async_export_request import AsyncExportRequest
from .error import Error
from .export_format import ExportFormat
from .export_request import ExportRequest
from .export_status import ExportStatus
from .export_status_status import ExportStatusStatus
from .job import Job
from .job_run_entry_counts import JobRunEntryCounts
from .job_run_request import JobRunRequest
from .job_run_started import JobRunStarted
from .job_run_status import JobRunStatus
from .nonce_token import NonceToken
from .report import Report
from .report_page import ReportPage
from .report_type import ReportType
from .template import Template
from .temporary_data import TemporaryData
from .temporary_data_request import TemporaryDataRequest
from .temporary_file import TemporaryFile
from .theme import Theme
from .workspace import Workspace

__all__ = (
    "AsyncExportRequest",
    "Error",
    "ExportFormat",
    "ExportRequest",
    "ExportStatus",
    "ExportStatusStatus",
    "Job",
    "JobRunEntryCounts",
    "JobRunRequest",
    "JobRunStarted",
    "JobRunStatus",
    "NonceToken",
    "Report",
    "ReportPage",
    "ReportType",
    "Template",
    "TemporaryData",
    "TemporaryDataRequest",
    "TemporaryFile",
    "Theme",
    "Workspace",
)
