"""The pinned spec against the API reference, and the package generated from it.

The table below is written from ../shared/reference/cxreports-api-v1-reference.txt,
not from the spec, so that a spec edit that drops or retypes anything fails here.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "cxreports-v1.json"
WS = "/api/v1/ws/{workspaceId}"

EXPORT_QUERY = {
    "params": "string",
    "data": "string",
    "tempDataId": "integer",
    "lang": "string",
    "timezone": "string",
    "format": "string",
    "includeAttachments": "boolean",
    "template": "string",
    "theme": "string",
    "nonce": "string",  # not in the reference: every official client sends it (issue 14)
}
EXPORT_BODY = {
    "lang": "string",
    "timezone": "string",
    "format": "string",
    "includeAttachments": "boolean",
    "template": "string",
    "theme": "string",
}
ASYNC_BODY = {**EXPORT_BODY, "excludePages": "array", "tempDataId": "integer"}
FILE = "file"

# operationId: (method, path, path params, query params, body fields, {status: response fields})
OPERATIONS: dict[str, tuple[str, str, dict[str, str], dict[str, str], dict[str, str] | None, dict[str, Any]]] = {
    "list_workspaces": ("get", "/api/v1/workspaces", {}, {}, None,
        {"200": {"id": "integer", "name": "string", "description": "string", "code": "string"}}),
    "create_nonce_token": ("post", "/api/v1/nonce-tokens", {}, {}, None, {"200": {"nonce": "string"}}),
    "list_reports": ("get", WS + "/reports", {"workspaceId": "string"},
        {"type": "string", "limit": "integer", "offset": "integer"}, None,
        {"200": {"id": "integer", "name": "string", "reportTypeId": "integer", "reportTypeName": "string",
                 "reportTemplateName": "string", "themeName": "string", "isDefault": "boolean",
                 "previewImage": "string"}}),  # previewImage: from the official client models
    "list_report_pages": ("get", WS + "/reports/{reportIdOrTypeCode}/pages",
        {"workspaceId": "string", "reportIdOrTypeCode": "string"}, {}, None,
        {"200": {"id": "integer", "name": "string", "type": "string"}}),
    "export_report_get": ("get", WS + "/reports/{reportIdOrTypeCode}/pdf",
        {"workspaceId": "string", "reportIdOrTypeCode": "string"}, EXPORT_QUERY, None, {"200": FILE}),
    "export_report_post": ("post", WS + "/reports/{reportIdOrTypeCode}/pdf",
        {"workspaceId": "string", "reportIdOrTypeCode": "string"}, {}, EXPORT_BODY, {"200": FILE}),
    "start_report_export": ("post", WS + "/reports/{reportIdOrTypeCode}/export",
        {"workspaceId": "string", "reportIdOrTypeCode": "string"}, {}, ASYNC_BODY,
        {"202": {"temporaryFileId": "integer"}}),
    "get_export_status": ("get", WS + "/exports/{tempFileId}/status",
        {"workspaceId": "string", "tempFileId": "integer"}, {}, None,
        {"200": {"id": "integer", "status": "string", "isReady": "boolean", "errorMessage": "string",
                 "expiryTime": "string", "name": "string", "contentSize": "integer", "contentType": "string"},
         "404": None}),
    "get_export_content": ("get", WS + "/exports/{tempFileId}/content",
        {"workspaceId": "string", "tempFileId": "integer"}, {}, None,
        {"200": FILE, "400": None, "404": None}),
    "push_temporary_data": ("post", WS + "/temporary-data", {"workspaceId": "string"}, {},
        {"expiryDate": "string"}, {"200": {"tempDataId": "integer", "expiryDate": "string"}}),
    "list_report_types": ("get", WS + "/report-types", {"workspaceId": "string"}, {}, None,
        {"200": {"id": "integer", "name": "string", "description": "string", "code": "string",
                 "defaultReportId": "integer", "defaultReportName": "string"}}),
    "list_templates": ("get", WS + "/templates", {"workspaceId": "string"}, {}, None,
        {"200": {"id": "integer", "name": "string", "code": "string"}}),
    "list_themes": ("get", WS + "/themes", {"workspaceId": "string"}, {}, None,
        {"200": {"id": "integer", "name": "string", "code": "string"}}),
    "list_jobs": ("get", WS + "/jobs", {"workspaceId": "string"}, {}, None,
        {"200": {"id": "integer", "name": "string", "description": "string", "code": "string",
                 "reviewRequired": "boolean", "isActive": "boolean", "lastRunTime": "string"}}),
    "start_job_run": ("post", WS + "/jobs/{jobIdOrCode}/runs",
        {"workspaceId": "string", "jobIdOrCode": "string"}, {}, {}, {"200": {"jobRunId": "integer"}}),
    "get_job_run_status": ("get", WS + "/jobs/{jobIdOrCode}/runs/{jobRunId}/status",
        {"workspaceId": "string", "jobIdOrCode": "string", "jobRunId": "integer"}, {}, None,
        {"200": {"finished": "boolean", "entries": "integer", "status": "object"}}),
    "generate_review_document": ("post", WS + "/jobs/{jobIdOrCode}/runs/{jobRunId}/generate-review-document",
        {"workspaceId": "string", "jobIdOrCode": "string", "jobRunId": "integer"}, {}, None,
        {"202": {"temporaryFileId": "integer"}}),
    "deliver_job_run": ("post", WS + "/jobs/{jobIdOrCode}/runs/{jobRunId}/deliver",
        {"workspaceId": "string", "jobIdOrCode": "string", "jobRunId": "integer"}, {}, None,
        {"200": None, "404": None}),
}  # fmt: skip

FILE_CONTENT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "text/html",
    "application/zip",
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text())


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def find_operation(spec: dict[str, Any], op_id: str) -> tuple[str, str, dict[str, Any]]:
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if op.get("operationId") == op_id:
                return method, path, op
    raise AssertionError(f"operation {op_id} is missing from the spec")


def test_spec_is_valid_openapi_3_0(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.0.")
    validate(spec)


def test_spec_file_is_sorted_and_indented(spec: dict[str, Any]) -> None:
    assert SPEC_PATH.read_text() == json.dumps(spec, indent=2, sort_keys=True) + "\n"


def test_spec_has_exactly_the_documented_operations(spec: dict[str, Any]) -> None:
    found = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    assert found == set(OPERATIONS)
    assert len(found) == 18
    assert "/ws/{workspaceId}/reports/{reportIdOrTypeCode}/preview" not in spec["paths"]


def test_bearer_security_applies_everywhere(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"bearerAuth": []}]


@pytest.mark.parametrize("op_id", sorted(OPERATIONS))
def test_operation_matches_reference(spec: dict[str, Any], op_id: str) -> None:
    method, path, path_params, query, body, responses = OPERATIONS[op_id]
    got_method, got_path, op = find_operation(spec, op_id)
    assert (got_method, got_path) == (method, path)

    params = {p["name"]: p for p in op.get("parameters", [])}
    assert {n for n, p in params.items() if p["in"] == "path"} == set(path_params)
    assert {n for n, p in params.items() if p["in"] == "query"} == set(query)
    for name, typ in {**path_params, **query}.items():
        schema = resolve(spec, params[name]["schema"])
        assert schema["type"] == typ, f"{op_id}: {name} should be {typ}"
        assert "content" not in params[name], (
            "content-declared parameters are dropped by the generator"
        )
        if params[name]["in"] == "query":
            assert not params[name].get("required", False)

    if body is None:
        assert "requestBody" not in op
    else:
        schema = resolve(spec, op["requestBody"]["content"]["application/json"]["schema"])
        props = schema["properties"]
        for name, typ in body.items():
            assert resolve(spec, props[name]).get("type") == typ, f"{op_id}: body {name}"
        documented = set(body) | {"params", "data", "content"}
        assert set(props) <= documented, f"{op_id}: body fields not in the reference"

    for status, fields in responses.items():
        resp = op["responses"][status]
        if fields == FILE:
            assert set(resp["content"]) == FILE_CONTENT_TYPES
            for media in resp["content"].values():
                assert media["schema"] == {"type": "string", "format": "binary"}
        elif isinstance(fields, dict):
            schema = resolve(spec, resp["content"]["application/json"]["schema"])
            if schema.get("type") == "array":
                schema = resolve(spec, schema["items"])
            props = schema["properties"]
            assert set(props) == set(fields), f"{op_id} {status}"
            for name, typ in fields.items():
                assert resolve(spec, props[name])["type"] == typ, f"{op_id} {status} {name}"


def test_documented_bodies_carry_json_values(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name in ("ExportRequest", "AsyncExportRequest", "JobRunRequest"):
        assert {"params", "data"} <= set(schemas[name]["properties"])
    assert schemas["TemporaryDataRequest"]["required"] == ["content"]
    assert schemas["ExportFormat"]["enum"] == ["pdf", "docx", "xlsx", "pptx", "html"]
    assert schemas["ExportStatus"]["properties"]["status"]["enum"] == [
        "InProgress",
        "Completed",
        "Failed",
    ]
    counts = schemas["JobRunEntryCounts"]["properties"]
    assert set(counts) == {"queued", "review", "completed", "errors"}


def test_error_schema_accepts_both_error_shapes(spec: dict[str, Any]) -> None:
    from jsonschema import Draft4Validator

    error = spec["components"]["schemas"]["Error"]
    validator = Draft4Validator(error)
    validator.validate({"error": "Report not found"})
    validator.validate(
        {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "Report 7 not found"}
    )
    for item in spec["paths"].values():
        for op in item.values():
            for status in ("400", "401", "403", "404"):
                if status in op["responses"]:
                    media = op["responses"][status]["content"]["application/json"]
                    assert media["schema"] == {"$ref": "#/components/schemas/Error"}
            assert "401" in op["responses"]


def test_generated_package_has_one_module_per_operation() -> None:
    import cxreports_api
    import cxreports_api.api

    modules = {
        m.name.rsplit(".", 1)[-1]: m.name
        for m in pkgutil.walk_packages(cxreports_api.api.__path__, "cxreports_api.api.")
        if not m.ispkg
    }
    assert set(modules) == set(OPERATIONS)
    for name, dotted in modules.items():
        module = importlib.import_module(dotted)
        for fn in ("sync_detailed", "asyncio_detailed", "_get_kwargs"):
            assert callable(getattr(module, fn)), f"{name}.{fn}"
    assert (Path(cxreports_api.__file__).parent / "py.typed").exists()


def test_generated_get_export_keeps_the_params_query_parameter() -> None:
    """The stock 0.29 template shadows a query parameter named `params`; ours must not."""
    from cxreports_api.api.exports import export_report_get

    kwargs = export_report_get._get_kwargs(
        "ws", "7", params='{"a":1}', data='{"b":2}', temp_data_id=3, format_="xlsx"
    )
    assert kwargs["url"] == "/api/v1/ws/ws/reports/7/pdf"
    assert kwargs["params"] == {
        "params": '{"a":1}',
        "data": '{"b":2}',
        "tempDataId": 3,
        "format": "xlsx",
    }


def test_generated_file_responses_are_not_dropped() -> None:
    import httpx
    from cxreports_api.api.exports import get_export_content
    from cxreports_api.client import AuthenticatedClient
    from cxreports_api.types import File

    client = AuthenticatedClient(base_url="http://127.0.0.1", token="t")
    response = httpx.Response(200, content=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    parsed = get_export_content._parse_response(client=client, response=response)
    assert isinstance(parsed, File)
    assert parsed.payload.read() == b"%PDF-1.7"
