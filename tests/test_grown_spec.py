"""The hand-written layer against a server that grew: regenerated, it needs no hand edit.

A variant of the pinned spec adds what a newer CxReports might: a ``csv`` export format, a
response field (``Report.ownerName``), an optional query parameter and a new operation
(``GET .../reports/{reportIdOrTypeCode}``, ``get_report``). The client is generated from it
into a temporary folder, and with that package first on the path:

- ``mypy --strict cxreports`` stays green (the closed sets come from the generated package);
- ``export(format="csv")``, the CLI's ``-f csv`` and ``compat`` export CSV from the local
  server, which renders a format it has no renderer for as text;
- the new field reaches ``Report.extra``;
- the new operation is sent with ``client.call``, with the client's auth and options.

It regenerates the client, so it carries the ``wire`` marker (``-m 'not wire'`` skips it).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from generate import SPEC, generate_into  # noqa: E402

pytestmark = pytest.mark.wire

REPORT_PATH = "/api/v1/ws/{workspaceId}/reports/{reportIdOrTypeCode}"


def grown_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC.read_text())
    schemas = spec["components"]["schemas"]
    schemas["ExportFormat"]["enum"].append("csv")
    schemas["Report"]["properties"]["ownerName"] = {"nullable": True, "type": "string"}
    spec["paths"][REPORT_PATH + "/pages"]["get"].setdefault("parameters", []).append(
        {"in": "query", "name": "includeHidden", "required": False, "schema": {"type": "boolean"}}
    )
    pages = spec["paths"][REPORT_PATH + "/pages"]["get"]
    get_report = copy.deepcopy(pages)
    get_report.update(operationId="get_report", summary="One report", description="One report.")
    get_report["parameters"] = [p for p in get_report["parameters"] if p["in"] == "path"]
    get_report["responses"]["200"]["content"] = {
        "application/json": {"schema": {"$ref": "#/components/schemas/Report"}}
    }
    spec["paths"][REPORT_PATH] = {"get": get_report}
    return spec


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the ``cxreports_api`` generated from the grown spec."""
    folder = tmp_path_factory.mktemp("grown")
    spec = folder / "grown.json"
    spec.write_text(json.dumps(grown_spec(), indent=2, sort_keys=True) + "\n")
    generate_into(folder / "pkg", spec)
    return folder / "pkg"


def env_with(package_folder: Path) -> dict[str, str]:
    path = os.pathsep.join([str(package_folder), str(ROOT / "tests")])
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    return {**env, "PYTHONPATH": path}


def test_the_grown_package_is_what_the_variant_says(grown: Path) -> None:
    text = (grown / "cxreports_api" / "models" / "export_format.py").read_text()
    assert '"csv"' in text
    assert (grown / "cxreports_api" / "api" / "reports" / "get_report.py").is_file()


def test_mypy_strict_stays_green_on_the_grown_package(grown: Path, tmp_path: Path) -> None:
    cache = tmp_path / "mypy-cache"
    if (ROOT / ".mypy_cache").is_dir():  # warm: only what changed is checked again
        shutil.copytree(ROOT / ".mypy_cache", cache)
    env = {**env_with(grown), "MYPYPATH": str(grown)}
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "cxreports"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


SCRIPT = r"""
import json, sys
from pathlib import Path

import cxreports_api
where = Path(cxreports_api.__file__).resolve()
assert where.is_relative_to(Path(sys.argv[1]).resolve()), where

import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

import cxreports
from cxreports.compat import CxReportClientV1
from cxreports.testing import serve
from cxreports_api.api.reports import get_report
from servers import ThreadedUvicorn

out = Path(sys.argv[2])
with serve() as server, cxreports.Client(server.url, server.token, "sales") as client:
    document = client.export("invoice", format="csv")
    assert document.content_type.startswith("text/csv"), document
    assert document.filename.endswith(".csv") and document.content.startswith(b"field,value")
    assert b"Invoice" in document.content

    with CxReportClientV1(server.url, "sales", server.token) as compat:
        assert compat.get_pdf("invoice", {"format": "csv"}).startswith(b"field,value")

    import os, subprocess
    target = out / "invoice.csv"
    cli = subprocess.run(
        [sys.executable, "-m", "cxreports.cli", "-w", "sales", "export", "invoice", "-f", "csv",
         "-o", str(target)],
        env={**os.environ, "CXREPORTS_URL": server.url, "CXREPORTS_TOKEN": server.token},
        capture_output=True, text=True,
    )
    assert cli.returncode == 0, cli.stderr
    assert target.read_bytes().startswith(b"field,value")

REPORT = {"id": 7, "name": "Invoice", "reportTypeId": 1, "reportTypeName": "Invoice",
          "reportTemplateName": "Letterhead", "isDefault": True, "ownerName": "Ana"}
seen = []

async def one_report(request):
    seen.append(request)
    return JSONResponse(REPORT)

async def reports(request):
    return JSONResponse([REPORT])

newer = Starlette(routes=[
    Route("/api/v1/ws/{ws}/reports/{report}", one_report),
    Route("/api/v1/ws/{ws}/reports", reports),
])
with ThreadedUvicorn(newer) as served, cxreports.Client(served.url, "newer-token", "sales") as client:
    (listed,) = client.reports()
    assert listed.extra == {"ownerName": "Ana"}, listed
    report = client.call(get_report, report_id_or_type_code="7", extra_query={"expand": "owner"},
                         extra_headers={"X-Trace": "t"}, timeout=5)
    assert report.owner_name == "Ana" and report.id == 7, report
    request = seen[0]
    assert request.url.path == "/api/v1/ws/sales/reports/7"
    assert request.query_params["expand"] == "owner"
    assert request.headers["authorization"] == "Bearer newer-token"
    assert request.headers["x-trace"] == "t"
print("ok")
"""


def test_the_layer_uses_what_the_server_added(grown: Path, tmp_path: Path) -> None:
    pytest.importorskip("typer")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(grown), str(tmp_path)],
        cwd=tmp_path, env=env_with(grown), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stdout + result.stderr
