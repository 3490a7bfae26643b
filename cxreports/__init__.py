"""Python SDK for the CxReports v1 REST API."""

__version__ = "0.1.0"
