"""The pinned spec and its lock file: which server, version and document the package is for.

``make spec`` writes ``openapi/cxreports-v1.lock.json`` next to the spec (the server's host,
never the token; its reported version; the sha256 of the document it served) and ``make
generate`` the sha256 of the spec generated from and the generator version. Wheels carry
both files inside ``cxreports/_spec/`` (pyproject's force-include); a checkout reads them
from ``openapi/``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

SPEC_NAME = "cxreports-v1.json"
LOCK_NAME = "cxreports-v1.lock.json"
_REPO_OPENAPI = Path(__file__).resolve().parents[2] / "openapi"


def _read(name: str) -> str:
    shipped = resources.files(__package__ or "cxreports._spec").joinpath(name)
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    return (_REPO_OPENAPI / name).read_text(encoding="utf-8")  # a checkout (editable install)


def load_pinned_spec() -> dict[str, Any]:
    """The pinned spec: from the installed package (wheel) or, in a checkout, from openapi/."""
    data: dict[str, Any] = json.loads(_read(SPEC_NAME))
    return data


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ApiSpec:
    """The API this package was generated for (``cxreports.API_SPEC``)."""

    version: str  # the server's reported version (info.version, or make spec --server-version)
    server: str | None  # the host make spec fetched from; None for the spec we wrote
    document_sha256: str  # of the document the server served
    spec_sha256: str  # of openapi/cxreports-v1.json, the normalised spec generated from
    generator: str  # e.g. "openapi-python-client 0.29.1"


def read_lock(text: str | None = None) -> ApiSpec:
    data = json.loads(_read(LOCK_NAME) if text is None else text)
    return ApiSpec(
        version=str(data["version"]),
        server=data.get("server"),
        document_sha256=str(data["document_sha256"]),
        spec_sha256=str(data["spec_sha256"]),
        generator=str(data["generator"]),
    )


def dump_lock(spec: ApiSpec) -> str:
    data = {
        "version": spec.version,
        "server": spec.server,
        "document_sha256": spec.document_sha256,
        "spec_sha256": spec.spec_sha256,
        "generator": spec.generator,
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
