"""Turn a server's Swagger document into the form we pin and generate from.

openapi-python-client 0.29.1 must generate from the result without warnings, and the result
must be *stable*: a server that serves our own API, spelled the Swashbuckle way, normalises
to a byte-identical ``openapi/cxreports-v1.json``, so ``make generate`` changes nothing.
Stability comes from the pinned spec, which the server's document is matched against:

- operations by method and path shape: they keep our operationId, tags and path names;
- schemas by role (the same ``$ref`` position in the same operation): they keep our name;
- the security scheme by its kind (``http`` ``bearer``): it keeps our name;
- any part that means the same as ours (ignoring descriptions, ``nullable`` and the
  ``allOf: [$ref]`` wrapping) is replaced by ours, descriptions we wrote are kept.

Nothing the server's API says is changed otherwise: the diff must see what it serves.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_REF = "#/components/schemas/"
# Keys that document but do not change what is on the wire (for "means the same as ours").
_DOC_KEYS = frozenset({"description", "summary", "title", "example", "examples", "nullable"})
_KEPT_DOC_KEYS = ("description", "summary", "title")


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict in the document, parents before children."""
    if isinstance(node, dict):
        yield node
        for value in list(node.values()):
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def operations(doc: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(path, method, operation)`` for every operation of the document."""
    for path, item in doc.get("paths", {}).items():
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item[method]


def dumps(doc: Mapping[str, Any]) -> str:
    """The pinned file format: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------ shape fixes


def _downgrade_31(doc: dict[str, Any]) -> None:
    """OpenAPI 3.1 nullability (``type: [x, "null"]``, a ``{"type": "null"}`` branch) to 3.0."""
    for node in walk(doc):
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
    for node in walk(doc):
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


def _drop_closed_objects(doc: dict[str, Any]) -> None:
    """Swashbuckle writes ``additionalProperties: false`` on every class; the generated models
    would then drop fields the server adds, which cxreports passes on to users."""
    for schema in doc.get("components", {}).get("schemas", {}).values():
        if isinstance(schema, dict) and schema.get("additionalProperties") is False:
            del schema["additionalProperties"]


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


# ------------------------------------------------------------------------------ operation ids


def shape(path: str) -> str:
    """A path with its parameter names wildcarded: how operations are matched."""
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


def _fix_operations(doc: dict[str, Any], pinned: Mapping[str, Any]) -> None:
    """Our paths, parameter names, operationIds and tags for the operations we know."""
    pinned_paths = {shape(p): p for p in pinned.get("paths", {})}
    pinned_ops = {(shape(p), m): op for p, m, op in operations(pinned)}
    paths: dict[str, Any] = {}
    for path, item in doc.get("paths", {}).items():
        item = dict(item)
        target = pinned_paths.get(shape(path), path)
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
    for path, method, op in operations(doc):
        known = pinned_ops.get((shape(path), method))
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


# ------------------------------------------------------------------------------ schema names


def schema_roles(doc: Mapping[str, Any]) -> dict[str, str]:
    """``{role: schema name}``: where each named schema is used, e.g. ``list_reports 200[]``
    or ``export_report_post body.format``. Roles are how renamed schemas are recognised."""
    schemas = doc.get("components", {}).get("schemas", {})
    roles: dict[str, str] = {}

    def visit(schema: Any, role: str, seen: frozenset[str]) -> None:
        if not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            name = ref[len(SCHEMA_REF) :]
            roles.setdefault(role, name)
            if name not in seen:
                visit(schemas.get(name), role, seen | {name})
            return
        for key in ("allOf", "oneOf", "anyOf"):
            parts = schema.get(key)
            if isinstance(parts, list):
                for i, part in enumerate(parts):
                    visit(part, role if len(parts) == 1 else f"{role}<{key}{i}>", seen)
        if "items" in schema:
            visit(schema["items"], role + "[]", seen)
        for prop, sub in (schema.get("properties") or {}).items():
            visit(sub, f"{role}.{prop}", seen)
        if isinstance(schema.get("additionalProperties"), dict):
            visit(schema["additionalProperties"], role + "{}", seen)

    for _, _, op in operations(doc):
        op_id = op.get("operationId", "?")
        for param in op.get("parameters", []):
            visit(
                param.get("schema"), f"{op_id} {param.get('in')}:{param.get('name')}", frozenset()
            )
        for media, content in ((op.get("requestBody") or {}).get("content") or {}).items():
            visit(content.get("schema"), f"{op_id} body({media})", frozenset())
        for status, response in (op.get("responses") or {}).items():
            for media, content in ((response or {}).get("content") or {}).items():
                visit(content.get("schema"), f"{op_id} {status}({media})", frozenset())
    return roles


def stable_schema_names(doc: Mapping[str, Any], pinned: Mapping[str, Any]) -> dict[str, str]:
    """``{server name: our name}`` for schemas that play the role one of ours plays.

    A schema is renamed only when every role it shares with the pinned spec points at one
    and the same schema of ours, which the server does not also define under our name.
    """
    ours, theirs = schema_roles(pinned), schema_roles(doc)
    server_names = set(doc.get("components", {}).get("schemas", {}))
    votes: dict[str, set[str]] = {}
    for role, name in theirs.items():
        if role in ours:
            votes.setdefault(name, set()).add(ours[role])
    renames: dict[str, str] = {}
    for name, candidates in sorted(votes.items()):
        if len(candidates) != 1:
            continue
        (target,) = candidates
        if target != name and target not in server_names and target not in renames.values():
            renames[name] = target
    return renames


def _rename_schemas(doc: dict[str, Any], renames: Mapping[str, str]) -> None:
    if not renames:
        return
    schemas = doc["components"]["schemas"]
    doc["components"]["schemas"] = {renames.get(k, k): v for k, v in schemas.items()}
    for node in walk(doc):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            name = ref[len(SCHEMA_REF) :]
            if name in renames:
                node["$ref"] = SCHEMA_REF + renames[name]
        mapping = (node.get("discriminator") or {}).get("mapping")
        if isinstance(mapping, dict):
            for key, ref in mapping.items():
                name = str(ref)[len(SCHEMA_REF) :]
                if name in renames:
                    mapping[key] = SCHEMA_REF + renames[name]


# ------------------------------------------------------------------------------ security


def _stable_security(doc: dict[str, Any], pinned: Mapping[str, Any]) -> None:
    """The bearer scheme keeps our name (Swashbuckle calls it ``Bearer``, we ``bearerAuth``)."""
    ours = pinned.get("components", {}).get("securitySchemes", {})
    theirs = doc.get("components", {}).get("securitySchemes", {})

    def kind(scheme: Any) -> tuple[Any, ...]:
        s = scheme if isinstance(scheme, dict) else {}
        return (s.get("type"), str(s.get("scheme", "")).lower(), s.get("in"), s.get("name"))

    renames: dict[str, str] = {}
    for name, scheme in theirs.items():
        matches = [n for n, s in ours.items() if kind(s) == kind(scheme)]
        if name not in ours and len(matches) == 1 and matches[0] not in theirs:
            renames[name] = matches[0]
    if not renames:
        return
    doc["components"]["securitySchemes"] = {renames.get(k, k): v for k, v in theirs.items()}

    def fix(requirements: Any) -> Any:
        if not isinstance(requirements, list):
            return requirements
        return [{renames.get(k, k): v for k, v in r.items()} for r in requirements]

    if "security" in doc:
        doc["security"] = fix(doc["security"])
    elif "security" in pinned:
        doc["security"] = fix([{name: [] for name in renames}])
    for _, _, op in operations(doc):
        if "security" in op:
            op["security"] = fix(op["security"])


# ------------------------------------------------------------------------------ our forms


def _canonical(node: Any, names: bool = False) -> Any:
    """What a part means, for comparing with ours: no documentation, no ``nullable``, no
    ``allOf`` wrapper around a single ``$ref``, ``required`` as a set. ``names``: the keys
    are property names (never stripped)."""
    if isinstance(node, dict):
        if names:
            return {k: _canonical(v) for k, v in node.items()}
        rest = {k: v for k, v in node.items() if k not in _DOC_KEYS}
        parts = rest.get("allOf")
        if set(rest) == {"allOf"} and isinstance(parts, list) and len(parts) == 1:
            return _canonical(parts[0])
        out = {
            k: _canonical(v, names=k in ("properties", "paths", "schemas")) for k, v in rest.items()
        }
        if isinstance(out.get("required"), list):
            out["required"] = sorted(map(str, out["required"]))
        return out
    if isinstance(node, list):
        return [_canonical(v) for v in node]
    return node


def _param_key(param: Any) -> tuple[Any, Any] | None:
    return (param.get("in"), param.get("name")) if isinstance(param, dict) else None


def adopt(new: Any, old: Any, names: bool = False) -> Any:
    """``new``, with every part that means the same as the matching part of ``old`` replaced
    by ``old``'s spelling, and ``old``'s descriptions kept where ``new`` has none."""
    if old is None:
        return new
    if _canonical(new, names) == _canonical(old, names):
        return copy.deepcopy(old)
    if isinstance(new, dict) and isinstance(old, dict):
        out = {
            k: adopt(v, old.get(k), names=k in ("properties", "paths", "schemas") and not names)
            for k, v in new.items()
        }
        if not names:
            for key in _KEPT_DOC_KEYS:
                if key in old and key not in new:
                    out[key] = old[key]
        return out
    if (
        isinstance(new, list)
        and isinstance(old, list)
        and all(_param_key(p) for p in new + old)
        and all(isinstance(p, dict) and "in" in p for p in new)
    ):
        # Parameters: matched by (in, name), in our order, new ones after ours.
        by_key = {_param_key(p): p for p in old}
        mine = [_param_key(p) for p in old]
        ordered = sorted(
            new, key=lambda p: mine.index(k) if (k := _param_key(p)) in mine else len(mine)
        )
        return [adopt(p, by_key.get(_param_key(p))) for p in ordered]
    return new


# ------------------------------------------------------------------------------ normalise


def normalise(doc: dict[str, Any], pinned: dict[str, Any]) -> dict[str, Any]:
    """The server's document in the form we pin and generate from, with our names.

    Idempotent, and the pinned spec normalises to itself.
    """
    doc = copy.deepcopy(doc)
    if str(doc.get("openapi", "")).startswith("3.1"):
        _downgrade_31(doc)
    elif str(pinned.get("openapi", "")).startswith("3.0"):
        doc["openapi"] = pinned["openapi"]
    _fix_ref_siblings(doc)
    _drop_closed_objects(doc)
    _fix_operations(doc, pinned)
    _rename_schemas(doc, stable_schema_names(doc, pinned))
    _stable_security(doc, pinned)
    doc = adopt(doc, pinned)
    result: dict[str, Any] = json.loads(json.dumps(doc, sort_keys=True))
    return result


def unmapped_file_types(doc: Mapping[str, Any], config: Path) -> list[str]:
    """File response types the generator config does not map to octet-stream.

    0.29.1 drops (with a warning, so ``make generate`` fails) responses of content types it
    does not know; a server that learns a new export format (text/csv) needs a config line.
    """
    known = {"application/octet-stream", "application/json"}
    if config.exists():
        known |= set(re.findall(r"^\s+([\w.+-]+/[\w.+*-]+):", config.read_text(), re.MULTILINE))
    found = {
        media
        for _, _, op in operations(doc)
        for response in op.get("responses", {}).values()
        for media in (response.get("content") or {})
        if media not in known
    }
    return sorted(found)
