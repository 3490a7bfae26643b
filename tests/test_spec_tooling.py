"""scripts/fetch_spec.py against Swashbuckle-shaped documents served on 127.0.0.1.

The documents come from cxreports.testing.swagger; the server here is a bare http.server so
these tests do not depend on the local CxReports server.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from cxreports.testing.swagger import swashbuckle_document

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
sys.path.insert(0, str(SCRIPTS))

import fetch_spec  # noqa: E402
from generate import generate_into  # noqa: E402

from cxreports import _spec  # noqa: E402
from cxreports._spec.normalise import unmapped_file_types  # noqa: E402

PINNED_PATH = ROOT / "openapi" / "cxreports-v1.json"
TOKEN = "pat-s3cr3t-0123456789"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    token: str | None = None  # when set, anything but this bearer token gets a 401


@dataclass
class Server:
    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str | None]] = field(default_factory=list)

    def serve_json(self, path: str, doc: dict[str, Any], token: str | None = None) -> None:
        self.routes[path] = Route(body=json.dumps(doc).encode(), token=token)


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            auth = self.headers.get("Authorization")
            state.requests.append((self.path, auth))
            route = state.routes.get(self.path, Route(404, b"", "text/plain"))
            if route.token is not None and auth != f"Bearer {route.token}":
                route = Route(401, b"", "text/plain")
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def pinned() -> dict[str, Any]:
    return json.loads(PINNED_PATH.read_text())


def op_ids(doc: dict[str, Any]) -> set[str]:
    return {op["operationId"] for _, _, op in _spec.operations(doc)}


# ---------------------------------------------------------------------------- fetch


def test_fetch_uses_the_swashbuckle_default_path_and_sends_the_token(server: Server) -> None:
    doc = swashbuckle_document()
    server.serve_json("/swagger/v1/swagger.json", doc, token=TOKEN)
    assert _spec.fetch_document(server.url + "/", TOKEN).document == doc
    assert server.requests == [("/swagger/v1/swagger.json", f"Bearer {TOKEN}")]


def test_fetch_falls_back_in_order_when_the_default_is_404(server: Server) -> None:
    doc = swashbuckle_document()
    server.serve_json("/openapi/v1.json", doc)
    seen: list[str] = []
    assert _spec.fetch_document(server.url, None, log=seen.append).document == doc
    assert [path for path, _ in server.requests] == list(_spec.SWAGGER_PATHS)
    assert server.requests[-1] == ("/openapi/v1.json", None)
    assert seen == [f"fetched {server.url}/openapi/v1.json"]


def test_fetch_reports_404_everywhere_in_one_line(server: Server) -> None:
    with pytest.raises(_spec.SpecError, match=r"no Swagger document at .*enable Swagger"):
        _spec.fetch_document(server.url, None)


@pytest.mark.parametrize(
    ("token", "hint"),
    [("wrong-token-xyz", "token was rejected"), (None, "set CXREPORTS_TOKEN")],
)
def test_fetch_401_says_what_to_do_without_showing_the_token(
    server: Server, token: str | None, hint: str
) -> None:
    server.serve_json("/swagger/v1/swagger.json", swashbuckle_document(), token=TOKEN)
    with pytest.raises(_spec.SpecError) as info:
        _spec.fetch_document(server.url, token)
    message = str(info.value)
    assert message.startswith("401 Unauthorized from http://127.0.0.1:")
    assert hint in message
    assert "\n" not in message
    assert (token or TOKEN) not in message


def test_fetch_rejects_html_and_non_openapi_json(server: Server) -> None:
    server.routes["/swagger/v1/swagger.json"] = Route(
        body=b"<!doctype html><title>CxReports</title>", content_type="text/html"
    )
    with pytest.raises(_spec.SpecError, match=r"did not return JSON \(text/html\)"):
        _spec.fetch_document(server.url, None, ["/swagger/v1/swagger.json"])
    server.serve_json("/swagger/v1/swagger.json", {"swagger": "2.0", "paths": {}})
    with pytest.raises(_spec.SpecError, match="not OpenAPI 3"):
        _spec.fetch_document(server.url, None)


def test_fetch_network_failure_is_one_clear_line() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(_spec.SpecError, match=rf"cannot reach http://127.0.0.1:{port}/"):
        _spec.fetch_document(f"http://127.0.0.1:{port}", TOKEN, timeout=5)


# ---------------------------------------------------------------------------- normalise


def test_the_swashbuckle_document_really_is_shaped_like_swashbuckle(pinned: dict[str, Any]) -> None:
    doc = swashbuckle_document()
    assert doc["openapi"] == "3.0.1"
    assert doc["info"]["title"] == "CxReports API"
    ids = [op.get("operationId") for _, _, op in _spec.operations(doc)]
    assert None in ids and "ApiV1WsReportsPdfGet" in ids
    assert not set(ids) & op_ids(pinned)
    assert "/api/v1/ws/{workspaceId}/reports/{id}/pages" in doc["paths"]
    status = doc["paths"]["/api/v1/ws/{workspaceId}/exports/{tempFileId}/status"]["get"]
    assert list(status["responses"]["200"]["content"]) == [
        "text/plain",
        "application/json",
        "text/json",
    ]
    fmt = doc["components"]["schemas"]["ExportRequest"]["properties"]["format"]
    assert fmt == {"$ref": "#/components/schemas/ExportFormat", "nullable": True}


def test_normalising_the_same_api_gives_the_pinned_surface_and_our_ids(
    pinned: dict[str, Any],
) -> None:
    spec = _spec.normalise(swashbuckle_document("same"), pinned)
    assert _spec.diff_surfaces(_spec.surface(pinned), _spec.surface(spec)) == []
    assert set(spec["paths"]) == set(pinned["paths"])
    for path, method, op in _spec.operations(spec):
        ours = pinned["paths"][path][method]
        assert (op["operationId"], op["tags"]) == (ours["operationId"], ours["tags"])
        assert "content" not in json.dumps(op.get("parameters", []))
        for status, response in op["responses"].items():
            # Exactly the pinned media types: application/json, or the file types.
            want = ours["responses"][status].get("content", {})
            assert set(response.get("content", {})) == set(want), (path, method, status)
    pages = spec["paths"]["/api/v1/ws/{workspaceId}/reports/{reportIdOrTypeCode}/pages"]["get"]
    assert [p["name"] for p in pages["parameters"]] == ["workspaceId", "reportIdOrTypeCode"]
    content = spec["paths"]["/api/v1/ws/{workspaceId}/exports/{tempFileId}/content"]["get"]
    for media in content["responses"]["200"]["content"].values():
        assert media["schema"] == {"type": "string", "format": "binary"}
    # The round trip: our own API, served the Swashbuckle way, is our spec byte for byte
    # (the security scheme's name, info.description, `format` as a plain $ref).
    assert _spec.dumps(spec) == PINNED_PATH.read_text()
    validate(spec)
    # Idempotent, and a no-op on the pinned spec itself.
    assert _spec.normalise(spec, pinned) == spec
    assert _spec.normalise(pinned, pinned) == pinned


def python_modules(package: Path) -> set[str]:
    return {
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if "__pycache__" not in p.parts
    }


def test_normalised_documents_generate_without_warnings_into_the_same_modules(
    pinned: dict[str, Any], tmp_path: Path
) -> None:
    pinned_modules = python_modules(ROOT / "generated" / "cxreports_api")
    for variant in ("same", "changed"):
        spec_path = tmp_path / f"{variant}.json"
        spec_path.write_text(_spec.dumps(_spec.normalise(swashbuckle_document(variant), pinned)))
        # generate_into runs openapi-python-client with --fail-on-warning.
        package = generate_into(tmp_path / variant, spec_path)
        extra = {"api/exports/delete_exports_by_temp_file_id.py"} if variant == "changed" else set()
        assert python_modules(package) == pinned_modules | extra, variant


def test_the_raw_swashbuckle_document_does_not_generate(tmp_path: Path) -> None:
    """Why normalise exists: the generator refuses Swashbuckle's own document."""
    raw = tmp_path / "raw.json"
    raw.write_text(json.dumps(swashbuckle_document()))
    with pytest.raises(SystemExit):
        generate_into(tmp_path / "raw", raw)


def test_openapi_3_1_nullability_becomes_3_0(pinned: dict[str, Any]) -> None:
    doc = copy.deepcopy(pinned)
    doc["openapi"] = "3.1.0"
    props = doc["components"]["schemas"]["Workspace"]["properties"]
    props["code"] = {"type": ["string", "null"]}
    doc["components"]["schemas"]["JobRunStatus"]["properties"]["status"] = {
        "anyOf": [{"$ref": "#/components/schemas/JobRunEntryCounts"}, {"type": "null"}]
    }
    # A new schema (not one of ours) shows the 3.0 forms the generator reads.
    schemas = doc["components"]["schemas"]
    schemas["Audit"] = {"type": "object", "properties": {"who": {"type": ["string", "null"]}}}
    schemas["Audit"]["properties"]["counts"] = copy.deepcopy(
        schemas["JobRunStatus"]["properties"]["status"]
    )
    doc["paths"]["/api/v1/ws/{workspaceId}/jobs"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]["items"] = {"$ref": "#/components/schemas/Audit"}
    spec = _spec.normalise(doc, pinned)
    assert spec["openapi"] == "3.0.3"
    assert spec["components"]["schemas"]["Audit"]["properties"] == {
        "who": {"type": "string", "nullable": True},
        "counts": {"allOf": [{"$ref": "#/components/schemas/JobRunEntryCounts"}], "nullable": True},
    }
    # Where the server means what we mean, our 3.0 spelling is kept as it is.
    del schemas["Audit"]
    doc["paths"]["/api/v1/ws/{workspaceId}/jobs"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]["items"] = {"$ref": "#/components/schemas/Job"}
    assert _spec.normalise(doc, pinned) == pinned


def test_path_level_parameters_with_other_names_match_by_shape(pinned: dict[str, Any]) -> None:
    doc = copy.deepcopy(pinned)
    item = doc["paths"].pop("/api/v1/ws/{workspaceId}/reports/{reportIdOrTypeCode}/pdf")
    for op in item.values():
        op["parameters"] = [p for p in op["parameters"] if p["in"] != "path"]
        op.pop("operationId")
    item["parameters"] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in ("ws", "id")
    ]
    doc["paths"]["/api/v1/ws/{ws}/reports/{id}/pdf"] = item
    spec = _spec.normalise(doc, pinned)
    assert set(spec["paths"]) == set(pinned["paths"])
    assert op_ids(spec) == op_ids(pinned)
    pdf = spec["paths"]["/api/v1/ws/{workspaceId}/reports/{reportIdOrTypeCode}/pdf"]
    for op in pdf.values():
        assert [p["name"] for p in op["parameters"]][:2] == ["workspaceId", "reportIdOrTypeCode"]
    assert _spec.diff_surfaces(_spec.surface(pinned), _spec.surface(spec)) == []


def test_file_responses_without_produces_and_new_file_types(pinned: dict[str, Any]) -> None:
    doc = copy.deepcopy(pinned)
    content = doc["paths"]["/api/v1/ws/{workspaceId}/exports/{tempFileId}/content"]["get"]
    binary = {"type": "string", "format": "binary"}
    # A FileResult without [Produces]: Swashbuckle's JSON trio, each with a binary schema.
    content["responses"]["200"]["content"] = {
        m: {"schema": dict(binary)} for m in ("text/plain", "application/json", "text/json")
    }
    export = doc["paths"]["/api/v1/ws/{workspaceId}/reports/{reportIdOrTypeCode}/pdf"]["get"]
    export["responses"]["200"]["content"]["text/csv"] = {}
    spec = _spec.normalise(doc, pinned)
    got = spec["paths"]["/api/v1/ws/{workspaceId}/exports/{tempFileId}/content"]["get"]
    assert got["responses"]["200"]["content"] == {"application/octet-stream": {"schema": binary}}
    assert _spec.diff_surfaces(_spec.surface(pinned), _spec.surface(spec)) == []
    assert unmapped_file_types(pinned, fetch_spec.CONFIG) == []
    assert unmapped_file_types(spec, fetch_spec.CONFIG) == ["text/csv"]


# ---------------------------------------------------------------------------- diff

CHANGED = {
    # (operation, kind, action, name, breaking)
    ("delete_exports_by_temp_file_id", "operation", "added", "", False),
    ("list_reports", "parameter", "added", "query search", False),
    ("get_export_status", "response field", "added", "200 progress", False),
    ("export_report_get", "enum value", "added", "'csv' of query parameter `format`", False),
    ("export_report_post", "enum value", "added", "'csv' of body field `format`", False),
    ("start_report_export", "enum value", "added", "'csv' of body field `format`", False),
    ("list_reports", "response field", "removed", "200 reportTemplateName", True),
}


def test_the_changed_server_diff_names_every_difference_and_the_one_breaking_change(
    pinned: dict[str, Any],
) -> None:
    spec = _spec.normalise(swashbuckle_document("changed"), pinned)
    changes = _spec.diff_surfaces(_spec.surface(pinned), _spec.surface(spec))
    assert {(c.operation, c.kind, c.action, c.name, c.breaking) for c in changes} == CHANGED
    assert len(changes) == len(CHANGED)
    new = spec["paths"]["/api/v1/ws/{workspaceId}/exports/{tempFileId}"]["delete"]
    assert (new["operationId"], new["tags"]) == ("delete_exports_by_temp_file_id", ["Exports"])

    text = _spec.render(changes)
    assert (
        "+ operation delete_exports_by_temp_file_id (DELETE /api/v1/ws/{workspaceId}/exports/{tempFileId})"
        in text
    )
    assert "    - response 200 field `reportTemplateName` (string)   BREAKING\n" in text
    assert "    + query parameter `search` (string)\n" in text
    assert text.count("BREAKING") == 2  # the line and the summary
    assert text.endswith(
        "7 change(s): 6 compatible, 1 BREAKING (the cxreports package relies on what changed)\n"
    )


def test_breaking_rules(pinned: dict[str, Any]) -> None:
    doc = copy.deepcopy(pinned)
    schemas = doc["components"]["schemas"]
    schemas["ExportFormat"]["enum"].remove("html")
    schemas["ExportStatus"]["properties"]["contentSize"] = {"type": "string"}
    schemas["Error"]["properties"].pop("instance")  # not something cxreports reads
    del doc["paths"]["/api/v1/nonce-tokens"]
    doc["paths"]["/api/v1/workspaces"]["get"]["parameters"] = [
        {"name": "tenant", "in": "query", "required": True, "schema": {"type": "string"}}
    ]
    export = doc["paths"]["/api/v1/ws/{workspaceId}/reports/{reportIdOrTypeCode}/export"]["post"]
    export["responses"]["200"] = export["responses"].pop("202")
    changes = _spec.diff_surfaces(_spec.surface(pinned), _spec.surface(doc))
    got = {(c.operation, c.kind, c.action, c.name): c.breaking for c in changes}
    assert got[("create_nonce_token", "operation", "removed", "")] is True
    assert got[("get_export_status", "response field", "retyped", "200 contentSize")] is True
    assert got[("list_workspaces", "parameter", "added", "query tenant")] is True
    assert got[("export_report_get", "enum value", "removed", "'html' of query parameter `format`")]
    assert got[("start_report_export", "status code", "removed", "202")] is True
    assert got[("start_report_export", "status code", "added", "200")] is False
    assert got[("list_workspaces", "response field", "removed", "401 instance")] is False


# ---------------------------------------------------------------------------- CLI


def run_cli(*args: str, token: str | None = TOKEN) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    if token:
        env["CXREPORTS_TOKEN"] = token
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "fetch_spec.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_cli_end_to_end(server: Server, pinned: dict[str, Any], tmp_path: Path) -> None:
    server.serve_json("/swagger/v1/swagger.json", swashbuckle_document("same"), token=TOKEN)
    server.serve_json("/swagger/v2/swagger.json", swashbuckle_document("changed"), token=TOKEN)
    out = tmp_path / "openapi" / "spec.json"

    same = run_cli("--url", server.url, "--output", str(out))
    assert same.returncode == 0, same.stderr
    assert "No API changes" in same.stdout
    written = out.read_text()
    assert written == json.dumps(json.loads(written), indent=2, sort_keys=True) + "\n"
    assert op_ids(json.loads(written)) == op_ids(pinned)

    # --against the file just written, --dry-run: the diff is printed, nothing is written.
    dry = run_cli(
        "--url", server.url, "--path", "/swagger/v2/swagger.json",
        "--output", str(tmp_path / "never.json"), "--against", str(out), "--dry-run",
    )  # fmt: skip
    assert dry.returncode == fetch_spec.EXIT_BREAKING == 3
    assert "- response 200 field `reportTemplateName` (string)   BREAKING" in dry.stdout
    assert "dry run: nothing written" in dry.stdout
    assert not (tmp_path / "never.json").exists()

    changed = run_cli(
        "--url", server.url, "--path", "/swagger/v2/swagger.json", "--output", str(out)
    )
    assert changed.returncode == 3
    assert "7 change(s): 6 compatible, 1 BREAKING" in changed.stdout
    assert (
        "delete_exports_by_temp_file_id"
        in json.loads(out.read_text())["paths"]["/api/v1/ws/{workspaceId}/exports/{tempFileId}"][
            "delete"
        ]["operationId"]
    )

    for result in (same, dry, changed):
        assert TOKEN not in result.stdout + result.stderr


def test_cli_errors_exit_1_with_one_line_and_write_nothing(server: Server, tmp_path: Path) -> None:
    server.serve_json("/swagger/v1/swagger.json", swashbuckle_document(), token=TOKEN)
    out = tmp_path / "spec.json"
    bad = run_cli("--url", server.url, "--output", str(out), token="not-the-token-42")
    assert bad.returncode == 1
    assert bad.stderr.startswith("fetch_spec: error: 401 Unauthorized")
    assert bad.stderr.count("\n") == 1
    assert "not-the-token-42" not in bad.stdout + bad.stderr
    assert not out.exists()

    missing = run_cli("--output", str(out))
    assert missing.returncode == 1
    assert "pass --url or set CXREPORTS_URL" in missing.stderr


# ---------------------------------------------------------------------------- stable names


def test_a_pinned_spec_with_other_schema_names_is_served(
    pinned: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The local server's Swagger finds its targets by role, not by our schema names."""
    import cxreports.testing.swagger as swagger

    renamed = json.loads(json.dumps(pinned).replace('schemas/Report"', 'schemas/ReportDto"'))
    renamed["components"]["schemas"]["ReportDto"] = renamed["components"]["schemas"].pop("Report")
    monkeypatch.setattr(swagger, "load_pinned_spec", lambda: copy.deepcopy(renamed))
    assert "ReportDto" in swagger.swashbuckle_document("same")["components"]["schemas"]
    changed = swagger.swashbuckle_document("changed")["components"]["schemas"]
    assert "reportTemplateName" not in changed["ReportDto"]["properties"]
    assert "csv" in changed["ExportFormat"]["enum"]


def test_schemas_renamed_by_the_server_keep_our_names(pinned: dict[str, Any]) -> None:
    doc = swashbuckle_document("same")
    text = json.dumps(doc)
    for old, new in (("Report", "ReportDto"), ("JobRunEntryCounts", "Counts")):
        text = text.replace(f'schemas/{old}"', f'schemas/{new}"')
    doc = json.loads(text)
    schemas = doc["components"]["schemas"]
    schemas["ReportDto"] = schemas.pop("Report")
    schemas["Counts"] = schemas.pop("JobRunEntryCounts")
    # A new schema keeps the server's name.
    schemas["Audit"] = {"type": "object", "properties": {"who": {"type": "string"}}}
    schemas["ReportDto"]["properties"]["audit"] = {"$ref": "#/components/schemas/Audit"}
    spec = _spec.normalise(doc, pinned)
    assert set(spec["components"]["schemas"]) == set(pinned["components"]["schemas"]) | {"Audit"}
    report = spec["components"]["schemas"]["Report"]["properties"]
    assert report["audit"] == {"$ref": "#/components/schemas/Audit"}


def test_integer_enums_without_names_say_they_cannot_be_mapped(pinned: dict[str, Any]) -> None:
    doc = copy.deepcopy(pinned)
    doc["components"]["schemas"]["ExportFormat"] = {"type": "integer", "enum": [0, 1, 2, 3, 4]}
    changes = _spec.diff_surfaces(_spec.surface(pinned), _spec.surface(doc))
    assert {c.kind for c in changes} == {"enum type"}
    assert all(c.breaking for c in changes) and len(changes) == 3
    text = _spec.render(changes)
    assert "integer 0, 1, 2, 3, 4 with no x-enumNames" in text
    assert "JsonStringEnumConverter" in text


def test_the_lock_records_the_source_but_never_the_token(server: Server, tmp_path: Path) -> None:
    doc = swashbuckle_document("same")
    server.serve_json("/swagger/v1/swagger.json", doc, token=TOKEN)
    out = tmp_path / "cxreports-v1.json"
    done = run_cli("--url", server.url, "--output", str(out), "--server-version", "24.3")
    assert done.returncode == 0, done.stderr
    lock_text = (tmp_path / "cxreports-v1.lock.json").read_text()
    lock = json.loads(lock_text)
    served = server.routes["/swagger/v1/swagger.json"].body
    assert lock["server"] == server.url.removeprefix("http://")
    assert lock["version"] == "24.3"
    assert lock["document_sha256"] == hashlib.sha256(served).hexdigest()
    assert lock["spec_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert lock["generator"].startswith("openapi-python-client ")
    assert TOKEN not in lock_text

    # A saved file works as the source too; its name is recorded instead of a host.
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(doc))
    from_file = run_cli("--url", str(saved), "--output", str(out), token=None)
    assert from_file.returncode == 0, from_file.stderr
    assert "No API changes" in from_file.stdout
    assert (
        json.loads((tmp_path / "cxreports-v1.lock.json").read_text())["server"] == "file:saved.json"
    )
