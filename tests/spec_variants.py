"""Swagger documents a user's CxReports server might serve, for the variant matrix.

Each variant starts from our own API as the local server serves it (Swashbuckle-shaped,
``swashbuckle_document("same")``) and changes it the way a newer, older or differently
configured server would. ``tests/test_variant_matrix.py`` runs make spec, make generate,
mypy and the cassette replay on each, in a copy of the project.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cxreports.testing.swagger import swashbuckle_document

Doc = dict[str, Any]
WS = "/api/v1/ws/{workspaceId}"
_RESPONSE_JSON = ("text/plain", "application/json", "text/json")


def _op(doc: Doc, method: str, path: str) -> Doc:
    op: Doc = doc["paths"][path][method]
    return op


def _schemas(doc: Doc) -> Doc:
    schemas: Doc = doc["components"]["schemas"]
    return schemas


def _json(schema: Doc) -> Doc:
    return {m: {"schema": copy.deepcopy(schema)} for m in _RESPONSE_JSON}


def new_query_parameters(doc: Doc) -> None:
    """Two operations take a new optional query parameter."""
    _op(doc, "get", WS + "/reports")["parameters"].append(
        {"name": "search", "in": "query", "schema": {"type": "string"}}
    )
    jobs = _op(doc, "get", WS + "/jobs")
    jobs.setdefault("parameters", []).append(
        {"name": "activeOnly", "in": "query", "schema": {"type": "boolean"}}
    )


def new_body_fields(doc: Doc) -> None:
    _schemas(doc)["ExportRequest"]["properties"]["watermark"] = {
        "type": "string",
        "nullable": True,
    }
    _schemas(doc)["AsyncExportRequest"]["properties"]["priority"] = {
        "type": "integer",
        "format": "int32",
    }


def new_response_fields(doc: Doc) -> None:
    _schemas(doc)["ExportStatus"]["properties"]["progress"] = {
        "type": "integer",
        "format": "int32",
        "nullable": True,
    }
    _schemas(doc)["Report"]["properties"]["previewImage"] = {"type": "string", "nullable": True}


def new_enum_value(doc: Doc) -> None:
    _schemas(doc)["ExportFormat"]["enum"].append("csv")


def new_operations(doc: Doc) -> None:
    """A new operation under an existing tag, and one under a new tag with a new schema."""
    path_params = [
        {"name": "workspaceId", "in": "path", "required": True, "schema": {"type": "string"}},
        {
            "name": "tempFileId",
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "format": "int32"},
        },
    ]
    error = {"$ref": "#/components/schemas/Error"}
    doc["paths"][WS + "/exports/{tempFileId}"] = {
        "delete": {
            "tags": ["Export"],
            "parameters": path_params,
            "responses": {
                "204": {"description": "No Content"},
                "404": {"description": "Not Found", "content": _json(error)},
            },
        }
    }
    _schemas(doc)["Dashboard"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer", "format": "int32"},
            "name": {"type": "string", "nullable": True},
        },
        "additionalProperties": False,
    }
    doc["paths"][WS + "/dashboards"] = {
        "get": {
            "tags": ["Dashboard"],
            "parameters": path_params[:1],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": _json(
                        {"type": "array", "items": {"$ref": "#/components/schemas/Dashboard"}}
                    ),
                }
            },
        }
    }


def reordered(doc: Doc) -> None:
    """Properties, parameters and paths in another order."""
    for schema in _schemas(doc).values():
        if "properties" in schema:
            schema["properties"] = dict(reversed(list(schema["properties"].items())))
    for item in doc["paths"].values():
        for op in item.values():
            if "parameters" in op:
                op["parameters"] = op["parameters"][::-1]
    doc["paths"] = dict(reversed(list(doc["paths"].items())))


def renamed_schemas(doc: Doc) -> None:
    """Swashbuckle's *Dto naming, for a response, a request body and a nested schema."""
    renames = {
        "Report": "ReportDto",
        "ExportRequest": "ExportRequestDto",
        "JobRunEntryCounts": "JobRunEntryCountsDto",
    }
    schemas = _schemas(doc)
    doc["components"]["schemas"] = {renames.get(k, k): v for k, v in schemas.items()}

    def fix(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            name = ref.rsplit("/", 1)[-1]
            if name in renames:
                node["$ref"] = "#/components/schemas/" + renames[name]
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(doc)


def integer_enums(doc: Doc) -> None:
    """ASP.NET without JsonStringEnumConverter: enums as numbers, NSwag's x-enumNames."""
    fmt = _schemas(doc)["ExportFormat"]
    fmt.update(
        type="integer", format="int32", enum=[0, 1, 2, 3, 4],
        **{"x-enumNames": ["Pdf", "Docx", "Xlsx", "Pptx", "Html"]},
    )  # fmt: skip
    status = _schemas(doc)["ExportStatus"]["properties"]["status"]
    status.clear()
    status.update(type="integer", format="int32", enum=[0, 1, 2])


def removed_operation(doc: Doc) -> None:
    del doc["paths"][WS + "/themes"]


COMPATIBLE: tuple[Callable[[Doc], None], ...] = (
    new_query_parameters,
    new_body_fields,
    new_response_fields,
    new_enum_value,
    new_operations,
    reordered,
    renamed_schemas,
)


def all_compatible(doc: Doc) -> None:
    for change in COMPATIBLE:
        change(doc)


@dataclass(frozen=True)
class Variant:
    change: Callable[[Doc], None] | None
    breaking: bool = False

    def document(self) -> Doc:
        doc = swashbuckle_document("same")
        if self.change is not None:
            self.change(doc)
        return doc


VARIANTS: dict[str, Variant] = {
    "identical": Variant(None),
    "new optional query parameters": Variant(new_query_parameters),
    "new optional body fields": Variant(new_body_fields),
    "new response fields": Variant(new_response_fields),
    "new enum value": Variant(new_enum_value),
    "new operations and tags": Variant(new_operations),
    "reordered properties": Variant(reordered),
    "renamed schemas": Variant(renamed_schemas),
    "all compatible changes": Variant(all_compatible),
    "integer enums": Variant(integer_enums, breaking=True),
    "removed operation": Variant(removed_operation, breaking=True),
}
