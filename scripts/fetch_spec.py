"""Fetch a CxReports server's own Swagger document, normalise it into our spec, and diff the API.

Platform teams run one installed CxReports version, and its API may differ from the pinned
``openapi/cxreports-v1.json``. This script fetches that server's Swagger JSON, rewrites it into
the form openapi-python-client 0.29.1 generates from without warnings, gives every operation
our stable operationId (so generated module names survive the server's naming), writes it, and
prints what changed in the API surface and whether it breaks the hand-written ``cxreports``.

Swagger paths tried, in order, while the previous one answers 404 (``--path`` tries only its own):

  /swagger/v1/swagger.json       Swashbuckle's default (AddSwaggerGen + UseSwagger), what
                                 CxReports serves when Swagger is enabled in its configuration
  /swagger/v1.0/swagger.json     Swashbuckle with API versioning, which names the document v1.0
  /api/swagger/v1/swagger.json   Swagger's RoutePrefix moved under /api, for proxies that only
                                 forward /api to the application
  /openapi/v1.json               .NET 9's built-in Microsoft.AspNetCore.OpenApi (MapOpenApi)

A 200 that is not JSON (a single-page app's index.html) also moves on to the next path.
A --url that already ends in .json is fetched as is.

Exit codes: 0 no API changes, or only compatible ones; 1 error (nothing written);
3 breaking changes for the hand-written layer (the spec is still written unless --dry-run, so
you can regenerate and see what to fix). argparse's own usage errors exit 2.

Give the token through CXREPORTS_TOKEN rather than --token, so it stays out of ``ps``; it is
never printed.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from operator import contains
from pathlib import Path
from typing import Any, Literal

import httpx

ROOT = Path(__file__).resolve().parent.parent
PINNED = ROOT / "openapi" / "cxreports-v1.json"
CONFIG = ROOT / "openapi" / "generator-config.yaml"

SWAGGER_PATHS: tuple[str, ...] = (
    "/swagger/v1/swagger.json",
    "/swagger/v1.0/swagger.json",
    "/api/swagger/v1/swagger.json",
    "/openapi/v1.json",
)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BREAKING = 3

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_REF = "#/components/schemas/"


class SpecError(Exception):
    """A failure the user gets as one line: network, HTTP status, not JSON, not OpenAPI 3."""


# --------------------------------------------------------------------------------------------
# fetch


def _scrub(text: str, token: str | None) -> str:
    return text.replace(token, "***") if token else text


def fetch(
    url: str,
    token: str | None,
    paths: Sequence[str] = SWAGGER_PATHS,
    *,
    timeout: float = 30.0,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """GET the first of ``url + path`` that is not 404 and return it as an OpenAPI 3 document.

    A 200 that is not JSON also moves on to the next path (single-page apps answer unknown
    URLs with their index.html); if nothing better turns up, that is the error reported.
    """
    base = url.strip().rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise SpecError(f"--url must start with http:// or https://, got {base!r}")
    candidates = [base] if base.endswith(".json") else [base + "/" + p.lstrip("/") for p in paths]
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    not_json: str | None = None
    # httpx drops the Authorization header itself on redirects to another origin.
    with httpx.Client(headers=headers, timeout=timeout, follow_redirects=True) as client:
        for candidate in candidates:
            try:
                response = client.get(candidate)
            except httpx.TimeoutException:
                raise SpecError(f"timed out after {timeout:g}s fetching {candidate}") from None
            except httpx.HTTPError as exc:
                reason = _scrub(str(exc) or type(exc).__name__, token)
                raise SpecError(f"cannot reach {candidate}: {reason}") from None
            status = response.status_code
            if status == 404:
                continue
            if status == 401:
                hint = (
                    "the token was rejected (expired or revoked?); create a new Personal Access Token"
                    if token
                    else "this server needs a token; set CXREPORTS_TOKEN or pass --token"
                )
                raise SpecError(f"401 Unauthorized from {candidate}: {hint}")
            if status == 403:
                raise SpecError(f"403 Forbidden from {candidate}: the token may not read Swagger")
            if not response.is_success:
                raise SpecError(f"{candidate} answered HTTP {status} {response.reason_phrase}")
            try:
                doc = response.json()
            except ValueError:
                kind = response.headers.get("content-type", "no content type").split(";")[0]
                not_json = (
                    f"{candidate} did not return JSON ({kind}); is Swagger enabled on the server?"
                )
                continue
            if not isinstance(doc, dict):
                raise SpecError(f"{candidate} returned JSON that is not an OpenAPI document")
            if "swagger" in doc:
                raise SpecError(
                    f"{candidate} is Swagger {doc['swagger']}, not OpenAPI 3; "
                    "turn off SerializeAsV2 on the server"
                )
            if not str(doc.get("openapi", "")).startswith("3.") or "paths" not in doc:
                raise SpecError(f"{candidate} returned JSON that is not an OpenAPI 3 document")
            if log:
                log(f"fetched {candidate}")
            return doc
    if not_json:
        raise SpecError(not_json)
    tried = ", ".join(candidates)
    raise SpecError(
        f"no Swagger document at {base} (404 for {tried}); enable Swagger or pass --path"
    )


# --------------------------------------------------------------------------------------------
# normalise


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict in the document, parents before children."""
    if isinstance(node, dict):
        yield node
        for value in list(node.values()):
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _downgrade_31(doc: dict[str, Any]) -> None:
    """OpenAPI 3.1 nullability (``type: [x, "null"]``, a ``{"type": "null"}`` branch) to 3.0."""
    for node in _walk(doc):
        types = node.get("type")
        if isinstance(types, list):
            rest = [t for t in types if t != "null"]
            if len(rest) < len(types):
                node["nullable"] = True
            if len(rest) == 1:
                node["type"] = rest[0]
            elif rest:
                del node["type"]
                node["anyOf"] = [{"type": t} for t in rest]
            else:
                del node["type"]
        for key in ("anyOf", "oneOf"):
            branches = node.get(key)
            if isinstance(branches, list) and {"type": "null"} in branches:
                rest = [b for b in branches if b != {"type": "null"}]
                node["nullable"] = True
                if len(rest) == 1:
                    del node[key]
                    only = rest[0]
                    if "$ref" in only:
                        node["allOf"] = [only]
                    else:
                        node.update(only)
                else:
                    node[key] = rest
        if "const" in node:
            node["enum"] = [node.pop("const")]
        if isinstance(node.get("examples"), list) and "schema" not in node:
            examples = node.pop("examples")
            if examples:
                node["example"] = examples[0]
    doc["openapi"] = "3.0.3"


def _fix_ref_siblings(doc: dict[str, Any]) -> None:
    """0.29.1 ignores keywords next to ``$ref``; keep ``nullable`` as ``allOf: [$ref]``."""
    for node in _walk(doc):
        ref = node.get("$ref")
        if not isinstance(ref, str) or len(node) == 1:
            continue
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        node.clear()
        if ref.startswith(SCHEMA_REF) and siblings.get("nullable") is True:
            # Verified with 0.29.1: generates `Model | None`, no warning, no extra model.
            node.update(siblings)
            node["allOf"] = [{"$ref": ref}]
        else:  # documentation-only siblings: the generator drops them anyway
            node["$ref"] = ref


def _is_json(media: str) -> bool:
    return media in ("application/json", "text/json") or media.endswith("+json")


def _is_file_schema(schema: Any) -> bool:
    return not schema or (schema.get("type") == "string" and schema.get("format") == "binary")


def _fix_content(content: dict[str, Any], *, request: bool) -> dict[str, Any]:
    """One ``application/json`` per JSON body; file responses keep their types, binary schema."""
    json_types = [m for m in content if _is_json(m)]
    others = [m for m in content if not _is_json(m) and m != "text/plain"]
    files = [m for m in others if _is_file_schema(content[m].get("schema"))]
    binary = {"type": "string", "format": "binary"}
    if not request and files:
        return {m: {**content[m], "schema": dict(binary)} for m in files}
    if not request and json_types and all(content[m].get("schema") == binary for m in json_types):
        # A FileResult without [Produces]: Swashbuckle lists the JSON types with a binary schema.
        return {"application/octet-stream": {"schema": dict(binary)}}
    if json_types:
        chosen = "application/json" if "application/json" in content else json_types[0]
        kept = {"application/json": content[chosen]}
        if request:  # form bodies the generator does handle
            for media in ("multipart/form-data", "application/x-www-form-urlencoded"):
                if media in content:
                    kept[media] = content[media]
        return kept
    return content


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/") or "/")


def _snake(word: str) -> str:
    word = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", word)
    return re.sub(r"[^a-zA-Z0-9]+", "_", word).strip("_").lower()


def derive_operation_id(method: str, path: str) -> str:
    """A snake_case id for an operation the pinned spec lacks: DELETE .../exports/{tempFileId}
    -> delete_exports_by_temp_file_id (the /api/v1 and /ws/{workspaceId} prefixes left out)."""
    words = [method.lower()]
    for segment in (s for s in path.split("/") if s):
        if segment in ("api", "ws", "{workspaceId}") or re.fullmatch(r"v\d+(\.\d+)?", segment):
            continue
        if segment.startswith("{"):
            words.append("by_" + _snake(segment.strip("{}")))
        else:
            words.append(_snake(segment))
    return "_".join(w for w in words if w)


def _operations(doc: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc.get("paths", {}).items():
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item[method]


def normalise(doc: dict[str, Any], pinned: dict[str, Any]) -> dict[str, Any]:
    """The server's document in the form we pin and generate from, with our operationIds.

    Operations are matched to the pinned spec by method and path shape (parameter names
    wildcarded); a matched path takes the pinned parameter names (they never reach the wire,
    but they name the generated function arguments) and each matched operation the pinned
    operationId and tags, which decide generated module names and folders. Nothing else about
    the server's API is changed: the diff must see what the server really serves.
    """
    doc = copy.deepcopy(doc)
    if str(doc.get("openapi", "")).startswith("3.1"):
        _downgrade_31(doc)
    _fix_ref_siblings(doc)

    pinned_paths = {_shape(p): p for p in pinned.get("paths", {})}
    pinned_ops = {(_shape(p), m): op for p, m, op in _operations(pinned)}
    paths: dict[str, Any] = {}
    for path, item in doc.get("paths", {}).items():
        item = dict(item)
        target = pinned_paths.get(_shape(path), path)
        renames = dict(
            zip(re.findall(r"\{([^}]*)\}", path), re.findall(r"\{([^}]*)\}", target), strict=True)
        )
        shared = item.pop("parameters", [])
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            # Path-level parameters moved into each operation, unless it overrides them.
            own = {(p.get("in"), p.get("name")) for p in op.get("parameters", [])}
            params = [copy.deepcopy(p) for p in shared if (p.get("in"), p.get("name")) not in own]
            op["parameters"] = params + op.get("parameters", [])
            for param in op["parameters"]:
                if param.get("in") == "path" and param.get("name") in renames:
                    param["name"] = renames[param["name"]]
                if "content" in param:  # the generator silently drops these
                    param.pop("content")
                    param["schema"] = {"type": "string"}
                    text = param.get("description", "")
                    if "JSON" not in text:
                        param["description"] = (text + " (a JSON string)").strip()
            if not op["parameters"]:
                del op["parameters"]
            body = op.get("requestBody")
            if isinstance(body, dict) and "content" in body:
                body["content"] = _fix_content(body["content"], request=True)
            for response in op.get("responses", {}).values():
                if isinstance(response, dict) and response.get("content"):
                    response["content"] = _fix_content(response["content"], request=False)
        paths[target] = item
    doc["paths"] = paths

    # Our ids and tags for known operations; the server's tag mapped onto ours for new ones.
    tag_votes: dict[str, Counter[str]] = {}
    new: list[tuple[str, str, dict[str, Any]]] = []
    for path, method, op in _operations(doc):
        known = pinned_ops.get((_shape(path), method))
        if known is None:
            new.append((path, method, op))
            continue
        for tag in op.get("tags", []):
            for ours in known.get("tags", []):
                tag_votes.setdefault(tag, Counter())[ours] += 1
        op["operationId"] = known["operationId"]
        if "tags" in known:
            op["tags"] = list(known["tags"])
    taken = {known["operationId"] for known in pinned_ops.values()}
    for path, method, op in new:
        op_id = base = derive_operation_id(method, path)
        n = 2
        while op_id in taken:
            op_id, n = f"{base}_{n}", n + 1
        taken.add(op_id)
        op["operationId"] = op_id
        if op.get("tags"):
            op["tags"] = [
                tag_votes[t].most_common(1)[0][0] if t in tag_votes else t for t in op["tags"]
            ]
    result: dict[str, Any] = json.loads(json.dumps(doc, sort_keys=True))
    return result


def unmapped_file_types(doc: Mapping[str, Any], config: Path = CONFIG) -> list[str]:
    """File response types the generator config does not map to octet-stream.

    0.29.1 drops (with a warning, so ``make generate`` fails) responses of content types it
    does not know; a server that learns a new export format (text/csv) needs a config line.
    """
    known = {"application/octet-stream", "application/json"}
    if config.exists():
        known |= set(re.findall(r"^\s+([\w.+-]+/[\w.+*-]+):", config.read_text(), re.MULTILINE))
    found = {
        media
        for _, _, op in _operations(doc)
        for response in op.get("responses", {}).values()
        for media in (response.get("content") or {})
        if media not in known
    }
    return sorted(found)


def dumps(doc: Mapping[str, Any]) -> str:
    """The pinned file format: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------
# surface: what a client can see of each operation

# Formats that change the generated Python type (datetime, date, File, UUID, bytes); int32
# versus int64 does not, so it is not a retype.
_TYPED_FORMATS = {"date-time", "date", "binary", "uuid", "byte"}


def _deref(doc: Mapping[str, Any], schema: Any, seen: frozenset[str] = frozenset()) -> Any:
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
                schema = {**_deref(doc, parts[0], seen), **rest}
                break
            if key == "allOf" and isinstance(parts, list) and parts:
                merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
                for part in parts:
                    part = _deref(doc, part, seen)
                    merged["properties"].update(part.get("properties", {}))
                    merged["required"] += part.get("required", [])
                return merged
        else:
            return schema
    return {}


def _type_name(doc: Mapping[str, Any], schema: Any) -> str:
    schema = _deref(doc, schema)
    kind = schema.get("type")
    if kind == "array":
        return f"array[{_type_name(doc, schema.get('items', {}))}]"
    if kind is None:
        return "object" if "properties" in schema else "any"
    if kind == "string" and schema.get("format") in _TYPED_FORMATS:
        return f"string({schema['format']})"
    return str(kind)


def _fields(
    doc: Mapping[str, Any],
    schema: Any,
    prefix: str,
    fields: dict[str, dict[str, Any]],
    enums: dict[str, list[Any]],
    depth: int = 0,
) -> None:
    """Flatten an object's properties into ``{"status.queued": {...}}``, through refs and arrays."""
    schema = _deref(doc, schema)
    if depth > 8:
        return
    while schema.get("type") == "array":
        schema = _deref(doc, schema.get("items", {}))
        prefix = prefix + "[]" if prefix else prefix
    required = set(schema.get("required", []))
    for name, prop in sorted(schema.get("properties", {}).items()):
        key = f"{prefix}.{name}" if prefix else name
        resolved = _deref(doc, prop)
        fields[key] = {"type": _type_name(doc, prop), "required": name in required}
        if "enum" in resolved:
            enums[key] = list(resolved["enum"])
        _fields(doc, resolved, key, fields, enums, depth + 1)


BODY = "(body)"  # the name under which a whole request or response body is typed


def surface(doc: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per operationId: method, path, parameters, body fields, response fields, enums, statuses.

    Nullability is not compared: Swashbuckle marks reference-typed properties nullable where
    the pinned spec does not, and the hand-written layer treats optional fields as maybe None.
    """
    result: dict[str, dict[str, Any]] = {}
    for path, method, op in _operations(doc):
        op_id = op.get("operationId") or derive_operation_id(method, path)
        params: dict[str, dict[str, Any]] = {}
        body: dict[str, dict[str, Any]] = {}
        responses: dict[str, dict[str, dict[str, Any]]] = {}
        enums: dict[str, list[Any]] = {}
        for param in op.get("parameters", []):
            key = f"{param.get('in')} {param.get('name')}"
            schema = param.get("schema", {})
            params[key] = {"type": _type_name(doc, schema), "required": bool(param.get("required"))}
            if "enum" in (resolved := _deref(doc, schema)):
                label = f"{param.get('in')} parameter `{param.get('name')}`"
                enums[label] = list(resolved["enum"])
        content = (op.get("requestBody") or {}).get("content", {})
        if content:
            media = content.get("application/json") or next(iter(content.values()))
            schema = media.get("schema", {})
            body[BODY] = {
                "type": _type_name(doc, schema),
                "required": bool(op["requestBody"].get("required")),
            }
            body_enums: dict[str, list[Any]] = {}
            _fields(doc, schema, "", body, body_enums)
            enums.update({f"body field `{k}`": v for k, v in body_enums.items()})
        for status, response in op.get("responses", {}).items():
            fields: dict[str, dict[str, Any]] = {}
            content = response.get("content") or {}
            if "application/json" in content:
                schema = content["application/json"].get("schema", {})
                fields[BODY] = {"type": _type_name(doc, schema), "required": True}
                response_enums: dict[str, list[Any]] = {}
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


# --------------------------------------------------------------------------------------------
# What the hand-written `cxreports` package relies on. Kept here, next to the diff that uses
# it, and written from the API reference: every operation and documented field, by wire name.
# Edit it when the hand-written layer starts or stops using something.


@dataclass(frozen=True)
class Uses:
    """Wire names one operation's hand-written wrapper sends or reads."""

    params: frozenset[str] = frozenset()
    body: frozenset[str] = frozenset()
    response: frozenset[str] = frozenset()
    status: frozenset[str] = frozenset({"200"})


def _u(params: str = "", body: str = "", response: str = "", status: str = "200") -> Uses:
    return Uses(*(frozenset(s.split()) for s in (params, body, response, status)))


_WS, _REPORT, _JOB_RUN = (
    "workspaceId",
    "workspaceId reportIdOrTypeCode",
    "workspaceId jobIdOrCode jobRunId",
)
_EXPORT = "params data lang timezone format includeAttachments template theme"
USED: dict[str, Uses] = {
    "list_workspaces": _u(response="id name description code"),
    "create_nonce_token": _u(response="nonce"),
    "list_reports": _u(
        f"{_WS} type limit offset",
        response="id name reportTypeId reportTypeName reportTemplateName themeName isDefault",
    ),
    "list_report_pages": _u(_REPORT, response="id name type"),
    "export_report_get": _u(f"{_REPORT} {_EXPORT} tempDataId"),
    "export_report_post": _u(_REPORT, body=_EXPORT),
    "start_report_export": _u(
        _REPORT, body=f"{_EXPORT} excludePages tempDataId", response="temporaryFileId", status="202"
    ),
    "get_export_status": _u(
        f"{_WS} tempFileId",
        response="id status isReady errorMessage expiryTime name contentSize contentType",
    ),
    "get_export_content": _u(f"{_WS} tempFileId"),
    "push_temporary_data": _u(_WS, body="content expiryDate", response="tempDataId expiryDate"),
    "list_report_types": _u(
        _WS, response="id name description code defaultReportId defaultReportName"
    ),
    "list_templates": _u(_WS, response="id name code"),
    "list_themes": _u(_WS, response="id name code"),
    "list_jobs": _u(_WS, response="id name description code reviewRequired isActive lastRunTime"),
    "start_job_run": _u(f"{_WS} jobIdOrCode", body="params data", response="jobRunId"),
    "get_job_run_status": _u(
        _JOB_RUN,
        response="finished entries status status.queued status.review status.completed status.errors",
    ),
    "generate_review_document": _u(_JOB_RUN, response="temporaryFileId", status="202"),
    "deliver_job_run": _u(_JOB_RUN),
}


# --------------------------------------------------------------------------------------------
# diff

Kind = Literal[
    "operation", "parameter", "body field", "response field", "enum value", "status code"
]
Action = Literal["added", "removed", "retyped"]


@dataclass(frozen=True)
class Change:
    """One difference in the API surface; ``breaking`` if the hand-written layer relies on it."""

    operation: str
    method: str
    path: str
    kind: Kind
    action: Action
    name: str = ""
    old: str | None = None
    new: str | None = None
    breaking: bool = False

    def line(self) -> str:
        sign = {"added": "+", "removed": "-", "retyped": "~"}[self.action]
        if self.kind == "operation":
            what = f"operation {self.operation} ({self.method} {self.path})"
        elif self.kind == "parameter":
            where, _, name = self.name.partition(" ")
            what = f"{where} parameter `{name}`"
        elif self.kind == "response field":
            status, _, name = self.name.partition(" ")
            what = f"response {status} field `{name}`"
        elif self.kind == "body field":
            what = f"body field `{self.name}`"
        else:
            what = f"{self.kind} {self.name}"
        if self.action == "retyped":
            what += f": {self.old} -> {self.new}"
        elif self.kind != "operation" and (self.old or self.new):
            what += f" ({self.new or self.old})"
        return f"{sign} {what}" + ("   BREAKING" if self.breaking else "")


def _wire(key: str) -> str:
    """``"query format"`` -> ``format``; ``"200 status.queued"`` -> ``status.queued``."""
    return key.split(" ", 1)[-1]


Diffed = tuple[Action, str, str | None, str | None, bool]


def _compare(
    old: Mapping[str, dict[str, Any]],
    new: Mapping[str, dict[str, Any]],
    used: Callable[[str], bool],
    *,
    inputs: bool,
) -> list[Diffed]:
    """Added, removed and retyped keys of two flattened field maps."""
    out: list[Diffed] = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            out.append(("removed", key, old[key]["type"], None, used(key)))
        elif key not in old:
            # A new *required* input breaks every existing call that does not send it.
            must = inputs and key != BODY and bool(new[key]["required"])
            shown = new[key]["type"] + (", required" if must else "")
            out.append(("added", key, None, shown, must))
        elif old[key]["type"] != new[key]["type"]:
            out.append(("retyped", key, old[key]["type"], new[key]["type"], used(key)))
    return out


def _diff_operation(
    op_id: str, o: Mapping[str, Any], n: Mapping[str, Any], u: Uses
) -> list[Change]:
    def change(kind: Kind, item: Diffed, prefix: str = "") -> Change:
        action, name, before, after, breaking = item
        return Change(
            op_id, n["method"], n["path"], kind, action, prefix + name, before, after, breaking
        )

    out = [
        change("parameter", d)
        for d in _compare(
            o["parameters"], n["parameters"], lambda k: _wire(k) in u.params, inputs=True
        )
    ]
    out += [
        change("body field", d)
        for d in _compare(
            o["body"], n["body"], lambda k: k in u.body or (k == BODY and bool(u.body)), inputs=True
        )
    ]
    for status in sorted(set(o["responses"]) & set(n["responses"])):
        relied = u.response | {BODY} if status in u.status else frozenset()
        out += [
            change("response field", d, f"{status} ")
            for d in _compare(
                o["responses"][status],
                n["responses"][status],
                partial(contains, relied),
                inputs=False,
            )
        ]
    for status in sorted(set(o["responses"]) ^ set(n["responses"])):
        gone = status not in n["responses"]
        item: Diffed = (
            "removed" if gone else "added",
            status,
            None,
            None,
            gone and status in u.status,
        )
        out.append(change("status code", item))
    for key in sorted(set(o["enums"]) & set(n["enums"])):
        field = key.split("`")[1]
        names = (
            u.body
            if key.startswith("body")
            else u.response
            if key.startswith("response")
            else u.params
        )
        before, after = o["enums"][key], n["enums"][key]
        for value in before:
            if value not in after:
                out.append(
                    change(
                        "enum value", ("removed", f"{value!r} of {key}", None, None, field in names)
                    )
                )
        for value in after:
            if value not in before:
                out.append(
                    change("enum value", ("added", f"{value!r} of {key}", None, None, False))
                )
    return out


def diff_surfaces(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference between two surfaces, breaking where ``USED`` says cxreports relies on it."""
    changes: list[Change] = []
    for op_id in sorted(set(old) | set(new)):
        uses = USED.get(op_id)
        if op_id not in new:
            o = old[op_id]
            changes.append(
                Change(op_id, o["method"], o["path"], "operation", "removed", breaking=bool(uses))
            )
        elif op_id not in old:
            n = new[op_id]
            changes.append(Change(op_id, n["method"], n["path"], "operation", "added"))
        else:
            changes += _diff_operation(
                op_id, old[op_id], new[op_id], uses or Uses(status=frozenset())
            )
    return changes


def render(changes: Sequence[Change]) -> str:
    """The diff for people: grouped by operation, breaking ones marked, a one-line summary."""
    if not changes:
        return "No API changes: the server serves exactly the pinned API surface.\n"
    lines: list[str] = []
    current = None
    for change in changes:
        if change.kind == "operation":
            lines.append(change.line())
            current = None
            continue
        if change.operation != current:
            current = change.operation
            lines.append(f"{change.operation} ({change.method} {change.path})")
        lines.append("    " + change.line())
    breaking = sum(c.breaking for c in changes)
    lines.append("")
    lines.append(
        f"{len(changes)} change(s): {len(changes) - breaking} compatible, {breaking} BREAKING"
        + (" (the cxreports package relies on what changed)" if breaking else "")
    )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fetch_spec.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--url",
        default=os.environ.get("CXREPORTS_URL"),
        help="the instance's base URL, e.g. https://tenant.example (env CXREPORTS_URL)",
    )
    parser.add_argument(
        "--token",
        default=None,
        help="personal access token; prefer env CXREPORTS_TOKEN, which stays out of `ps`",
    )
    parser.add_argument(
        "--path",
        action="append",
        help="Swagger path to fetch instead of the fallback list above (repeatable)",
    )
    parser.add_argument(
        "--output", type=Path, default=PINNED, help="where to write (default %(default)s)"
    )
    parser.add_argument(
        "--against",
        type=Path,
        default=PINNED,
        help="pinned spec to diff with and take operationIds from, read before writing "
        "(default %(default)s)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    token = args.token or os.environ.get("CXREPORTS_TOKEN") or None
    if not args.url:
        print("fetch_spec: error: no server URL; pass --url or set CXREPORTS_URL", file=sys.stderr)
        return EXIT_ERROR
    try:
        try:
            pinned = json.loads(args.against.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SpecError(f"cannot read the pinned spec {args.against}: {exc}") from None
        raw = fetch(
            args.url,
            token,
            tuple(args.path or SWAGGER_PATHS),
            timeout=args.timeout,
            log=lambda msg: print(_scrub(msg, token), file=sys.stderr),
        )
        spec = normalise(raw, pinned)
        changes = diff_surfaces(surface(pinned), surface(spec))
    except SpecError as exc:
        print(f"fetch_spec: error: {_scrub(str(exc), token)}", file=sys.stderr)
        return EXIT_ERROR
    print(f"API changes against {args.against}:")
    sys.stdout.write(render(changes))
    for media in unmapped_file_types(spec):
        print(
            f"note: responses of type {media} are not in {CONFIG.relative_to(ROOT)}; add "
            f"`{media}: application/octet-stream` under content_type_overrides or the "
            "generator drops them (make generate fails)"
        )
    if args.dry_run:
        print("dry run: nothing written")
    else:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(dumps(spec), encoding="utf-8")
        except OSError as exc:
            print(f"fetch_spec: error: cannot write {args.output}: {exc}", file=sys.stderr)
            return EXIT_ERROR
        print(f"wrote {args.output}; next: make generate, then make test")
    return EXIT_BREAKING if any(c.breaking for c in changes) else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
