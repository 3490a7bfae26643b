"""Swagger documents shaped the way a real CxReports server (ASP.NET Core + Swashbuckle) serves them.

CxReports instances publish their own ``/swagger/v1/swagger.json``, and it is not our pinned
spec: Swashbuckle lists every JSON body under three or four media types, leaves most
operationIds out, names path parameters after the C# argument, and puts ``nullable`` next to
``$ref``. ``scripts/fetch_spec.py`` must turn such a document back into our spec, so the local
server and the tests serve one built here from the pinned spec rather than a hand-kept copy.

Only the standard library is imported: the local server loads this module on start-up.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Literal

from cxreports._spec.lock import load_pinned_spec
from cxreports._spec.normalise import operations, schema_roles

__all__ = ["CHANGED_PATH", "load_pinned_spec", "swashbuckle_document"]

#: Where the local server serves the "changed" variant (the default path serves "same").
CHANGED_PATH = "/swagger/v2/swagger.json"


# Swashbuckle tags operations with the controller name.
_TAGS = {
    "Exports": "Export",
    "Jobs": "Job",
    "Nonce tokens": "NonceToken",
    "Report types": "ReportType",
    "Reports": "Report",
    "Templates": "Template",
    "Temporary data": "TemporaryData",
    "Themes": "Theme",
    "Workspaces": "Workspace",
}
_RESPONSE_JSON = ("text/plain", "application/json", "text/json")
_REQUEST_JSON = ("application/json", "text/json", "application/*+json")
# One path whose C# action names its route argument `id`.
_RENAMED_PATH = "/api/v1/ws/{workspaceId}/reports/{reportIdOrTypeCode}/pages"


def _swashbuckle_operation_id(method: str, path: str) -> str:
    """Swashbuckle's CustomOperationIds convention many servers use: ApiV1WsReportsPdfGet."""
    words = [s for s in path.split("/") if s and not s.startswith("{")]
    pascal = "".join(
        part[:1].upper() + part[1:] for word in words for part in re.split(r"[-_]", word)
    )
    return pascal + method.capitalize()


def _json_media(content: dict[str, Any], types: tuple[str, ...]) -> dict[str, Any]:
    if set(content) != {"application/json"}:
        return content
    schema = content["application/json"].get("schema", {})
    return {media: {"schema": copy.deepcopy(schema)} for media in types}


def _swashbuckle_operation(method: str, path: str, op: dict[str, Any], index: int) -> None:
    """Rewrite one operation in place the way Swashbuckle would have emitted it."""
    if index % 3 == 0:
        op.pop("operationId", None)
    else:
        op["operationId"] = _swashbuckle_operation_id(method, path)
    op["tags"] = [_TAGS.get(tag, tag) for tag in op.get("tags", [])]
    body = op.get("requestBody")
    if body:
        body["content"] = _json_media(body["content"], _REQUEST_JSON)
    for response in op["responses"].values():
        content = response.get("content")
        if not content:
            continue
        if "application/json" in content:
            response["content"] = _json_media(content, _RESPONSE_JSON)
        else:  # file responses: Swashbuckle gives no schema for [Produces] types
            for media in ("text/html", "application/zip"):
                if media in content:
                    content[media] = {}
    for param in op.get("parameters", []):
        if param["in"] == "query" and param["name"] == "data":
            # A complex-typed [FromQuery] argument comes out as `content:`, not `schema:`.
            param["content"] = {"application/json": {"schema": param.pop("schema")}}


def _find(doc: dict[str, Any], operation_id: str) -> tuple[str, dict[str, Any]] | None:
    for path, _, op in operations(doc):
        if op.get("operationId") == operation_id:
            return path, op
    return None


def _schema(doc: dict[str, Any], role: str) -> dict[str, Any] | None:
    """The named schema in a role (``list_reports 200[]``), whatever the pinned spec calls it."""
    for key, name in schema_roles(doc).items():
        if key.replace("(application/json)", "") == role:
            found = doc.get("components", {}).get("schemas", {}).get(name)
            return found if isinstance(found, dict) else None
    return None


def _apply_changes(doc: dict[str, Any]) -> None:
    """A plausible upgraded server: four compatible changes and one breaking one.

    Each change finds its target by operation and role, and is left out when the pinned spec
    has no such target, so any pinned spec is served.
    """
    # 1. a new operation
    status = _find(doc, "get_export_status")
    if status is not None:
        error = {"$ref": "#/components/schemas/Error"}
        doc["paths"][status[0].removesuffix("/status")] = {
            "delete": {
                "tags": status[1].get("tags", []),
                "summary": "Delete an exported file before it expires",
                "parameters": copy.deepcopy(
                    [p for p in status[1].get("parameters", []) if p.get("in") == "path"]
                ),
                "responses": {
                    "204": {"description": "No Content"},
                    "401": {"description": "Unauthorized", "content": _json(error)},
                    "404": {"description": "Not Found", "content": _json(error)},
                },
            }
        }
    # 2. a new optional query parameter
    reports = _find(doc, "list_reports")
    if reports is not None:
        reports[1].setdefault("parameters", []).append(
            {
                "name": "search",
                "in": "query",
                "description": "Filter reports by name",
                "schema": {"type": "string"},
            }
        )
    # 3. a new response field
    export_status = _schema(doc, "get_export_status 200")
    if export_status is not None:
        export_status.setdefault("properties", {})["progress"] = {
            "type": "integer",
            "format": "int32",
            "nullable": True,
        }
    # 4. a new enum value
    export_format = _schema(doc, "export_report_post body.format")
    if export_format is not None and "csv" not in export_format.get("enum", ["csv"]):
        export_format["enum"].append("csv")
    # 5. breaking: a response field the hand-written layer reads is gone
    report = _schema(doc, "list_reports 200[]")
    if report is not None:
        report.get("properties", {}).pop("reportTemplateName", None)
        if "reportTemplateName" in report.get("required", []):
            report["required"].remove("reportTemplateName")


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {m: {"schema": dict(schema)} for m in _RESPONSE_JSON}


def swashbuckle_document(variant: Literal["same", "changed"] | str = "same") -> dict[str, Any]:
    """The pinned API as Swashbuckle serves it; ``"changed"`` is an upgraded server's API.

    ``"same"`` has exactly the pinned API surface, only spelled the Swashbuckle way.
    ``"changed"`` adds ``DELETE .../exports/{tempFileId}``, the ``search`` query parameter on
    list_reports, the ``progress`` field of ExportStatus and the ``csv`` export format, and
    removes ``Report.reportTemplateName`` (the one breaking change).
    """
    if variant not in ("same", "changed"):
        raise ValueError(f"variant must be 'same' or 'changed', not {variant!r}")
    doc = load_pinned_spec()
    doc["openapi"] = "3.0.1"
    doc["info"] = {"title": "CxReports API", "version": "v1"}
    doc["components"]["securitySchemes"] = {
        "Bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "Personal Access Token",
        }
    }
    doc["security"] = [{"Bearer": []}]
    # C# `ExportFormat? Format`: Swashbuckle writes nullable next to the $ref.
    for role in ("export_report_post body", "start_report_export body"):
        request = _schema(doc, role) or {}
        fmt = request.get("properties", {}).get("format")
        if isinstance(fmt, dict) and set(fmt) == {"$ref"}:
            fmt["nullable"] = True
    if variant == "changed":
        _apply_changes(doc)

    paths: dict[str, Any] = {}
    index = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            _swashbuckle_operation(method, path, op, index)
            index += 1
        if path == _RENAMED_PATH:
            for op in item.values():
                for param in op.get("parameters", []):
                    if param["name"] == "reportIdOrTypeCode":
                        param["name"] = "id"
            path = path.replace("{reportIdOrTypeCode}", "{id}")
        paths[path] = item
    doc["paths"] = paths
    return doc
