"""The API surface of a document: what a client can see of each operation.

Per operationId: method, path, parameters, body fields and response fields (flattened to
wire names such as ``status.queued``) with their types, enum values and status codes. The
diff compares two surfaces; nullability and documentation are not part of a surface.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .normalise import SCHEMA_REF, derive_operation_id, operations

BODY = "(body)"  # the name under which a whole request or response body is typed

# Formats that change the generated Python type (datetime, date, File, UUID, bytes); int32
# versus int64 does not, so it is not a retype.
_TYPED_FORMATS = {"date-time", "date", "binary", "uuid", "byte"}


def deref(doc: Mapping[str, Any], schema: Any, seen: frozenset[str] = frozenset()) -> Any:
    """Follow ``$ref``s and single-entry ``allOf``/``oneOf``/``anyOf`` to the schema they mean;
    several ``allOf`` parts are merged, which is what Swashbuckle's inheritance emits."""
    while isinstance(schema, dict):
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref in seen or not ref.startswith(SCHEMA_REF):
                return {}
            seen = seen | {ref}
            schema = doc.get("components", {}).get("schemas", {}).get(ref[len(SCHEMA_REF) :], {})
            continue
        for key in ("allOf", "oneOf", "anyOf"):
            parts = schema.get(key)
            if isinstance(parts, list) and len(parts) == 1:
                rest = {k: v for k, v in schema.items() if k != key}
                schema = {**deref(doc, parts[0], seen), **rest}
                break
            if key == "allOf" and isinstance(parts, list) and parts:
                merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
                for part in parts:
                    part = deref(doc, part, seen)
                    merged["properties"].update(part.get("properties", {}))
                    merged["required"] += part.get("required", [])
                return merged
        else:
            return schema
    return {}


def type_name(doc: Mapping[str, Any], schema: Any) -> str:
    schema = deref(doc, schema)
    kind = schema.get("type")
    if kind == "array":
        return f"array[{type_name(doc, schema.get('items', {}))}]"
    if kind is None:
        return "object" if "properties" in schema else "any"
    if kind == "string" and schema.get("format") in _TYPED_FORMATS:
        return f"string({schema['format']})"
    return str(kind)


def _enum(resolved: Mapping[str, Any]) -> dict[str, Any]:
    """Enum values, and the C# names of an integer enum (NSwag's ``x-enumNames``)."""
    names = resolved.get("x-enumNames") or resolved.get("x-enum-varnames")
    return {"values": list(resolved["enum"]), "names": list(names) if names else None}


def _fields(
    doc: Mapping[str, Any],
    schema: Any,
    prefix: str,
    fields: dict[str, dict[str, Any]],
    enums: dict[str, dict[str, Any]],
    depth: int = 0,
) -> None:
    """Flatten an object's properties into ``{"status.queued": {...}}``, through refs and arrays."""
    schema = deref(doc, schema)
    if depth > 8:
        return
    while schema.get("type") == "array":
        schema = deref(doc, schema.get("items", {}))
        prefix = prefix + "[]" if prefix else prefix
    required = set(schema.get("required", []))
    for name, prop in sorted(schema.get("properties", {}).items()):
        key = f"{prefix}.{name}" if prefix else name
        resolved = deref(doc, prop)
        fields[key] = {"type": type_name(doc, prop), "required": name in required}
        if "enum" in resolved:
            enums[key] = _enum(resolved)
        _fields(doc, resolved, key, fields, enums, depth + 1)


def surface(doc: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per operationId: method, path, parameters, body fields, response fields, enums, statuses.

    Nullability is not compared: Swashbuckle marks reference-typed properties nullable where
    the pinned spec does not, and the hand-written layer treats optional fields as maybe None.
    Enum labels name where the enum is: ``query parameter `format```, ``body field `format```,
    ``response 200 field `status```.
    """
    result: dict[str, dict[str, Any]] = {}
    for path, method, op in operations(doc):
        op_id = op.get("operationId") or derive_operation_id(method, path)
        params: dict[str, dict[str, Any]] = {}
        body: dict[str, dict[str, Any]] = {}
        responses: dict[str, dict[str, dict[str, Any]]] = {}
        enums: dict[str, dict[str, Any]] = {}
        for param in op.get("parameters", []):
            key = f"{param.get('in')} {param.get('name')}"
            schema = param.get("schema", {})
            params[key] = {"type": type_name(doc, schema), "required": bool(param.get("required"))}
            if "enum" in (resolved := deref(doc, schema)):
                enums[f"{param.get('in')} parameter `{param.get('name')}`"] = _enum(resolved)
        content = (op.get("requestBody") or {}).get("content", {})
        if content:
            media = content.get("application/json") or next(iter(content.values()))
            schema = media.get("schema", {})
            body[BODY] = {
                "type": type_name(doc, schema),
                "required": bool(op["requestBody"].get("required")),
            }
            body_enums: dict[str, dict[str, Any]] = {}
            _fields(doc, schema, "", body, body_enums)
            enums.update({f"body field `{k}`": v for k, v in body_enums.items()})
        for status, response in op.get("responses", {}).items():
            fields: dict[str, dict[str, Any]] = {}
            content = response.get("content") or {}
            if "application/json" in content:
                schema = content["application/json"].get("schema", {})
                fields[BODY] = {"type": type_name(doc, schema), "required": True}
                response_enums: dict[str, dict[str, Any]] = {}
                _fields(doc, schema, "", fields, response_enums)
                enums.update(
                    {f"response {status} field `{k}`": v for k, v in response_enums.items()}
                )
            elif content:
                fields[BODY] = {"type": "file", "required": True}
            responses[str(status)] = fields
        result[op_id] = {
            "method": method.upper(),
            "path": path,
            "parameters": params,
            "body": body,
            "responses": responses,
            "enums": enums,
        }
    return result
