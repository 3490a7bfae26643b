"""Fetch a CxReports server's own Swagger document (``make spec``, ``cxreports doctor``).

Swagger paths tried, in order, while the previous one answers 404 (a 200 that is not JSON,
a single-page app's index.html, also moves on):

  /swagger/v1/swagger.json       Swashbuckle's default (AddSwaggerGen + UseSwagger)
  /swagger/v1.0/swagger.json     Swashbuckle with API versioning, which names it v1.0
  /api/swagger/v1/swagger.json   Swagger's RoutePrefix moved under /api, for proxies
  /openapi/v1.json               .NET 9's built-in Microsoft.AspNetCore.OpenApi (MapOpenApi)

A URL that already ends in ``.json`` is fetched as is. Reading one answer is separate from
sending the request (:func:`read_answer`), so the client's ``check_api`` can send through
its own transport and the script through a plain ``httpx.Client``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

SWAGGER_PATHS: tuple[str, ...] = (
    "/swagger/v1/swagger.json",
    "/swagger/v1.0/swagger.json",
    "/api/swagger/v1/swagger.json",
    "/openapi/v1.json",
)


class SpecError(Exception):
    """A failure the user gets as one line: network, HTTP status, not JSON, not OpenAPI 3."""


@dataclass(frozen=True)
class Fetched:
    """A server's document, where it came from, and the sha256 of the bytes served."""

    url: str
    document: dict[str, Any]
    sha256: str


def scrub(text: str, token: str | None) -> str:
    return text.replace(token, "***") if token else text


def candidate_urls(url: str, paths: Sequence[str] = SWAGGER_PATHS) -> list[str]:
    base = url.strip().rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise SpecError(f"--url must start with http:// or https://, got {base!r}")
    return [base] if base.endswith(".json") else [base + "/" + p.lstrip("/") for p in paths]


def read_answer(
    candidate: str, response: httpx.Response, token: str | None
) -> Fetched | str | None:
    """The document in one answer; ``None`` to try the next path (404), or a reason (str)
    to try the next path but report if nothing better turns up (not JSON)."""
    status = response.status_code
    if status == 404:
        return None
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
        return f"{candidate} did not return JSON ({kind}); is Swagger enabled on the server?"
    if not isinstance(doc, dict):
        raise SpecError(f"{candidate} returned JSON that is not an OpenAPI document")
    if "swagger" in doc:
        raise SpecError(
            f"{candidate} is Swagger {doc['swagger']}, not OpenAPI 3; "
            "turn off SerializeAsV2 on the server"
        )
    if not str(doc.get("openapi", "")).startswith("3.") or "paths" not in doc:
        raise SpecError(f"{candidate} returned JSON that is not an OpenAPI 3 document")
    return Fetched(candidate, doc, hashlib.sha256(response.content).hexdigest())


def fetch_document(
    url: str,
    token: str | None,
    paths: Sequence[str] = SWAGGER_PATHS,
    *,
    timeout: float = 30.0,
    log: Callable[[str], None] | None = None,
) -> Fetched:
    """GET the first of ``url + path`` that is not 404 and return it as an OpenAPI 3 document."""
    candidates = candidate_urls(url, paths)
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
                reason = scrub(str(exc) or type(exc).__name__, token)
                raise SpecError(f"cannot reach {candidate}: {reason}") from None
            answer = read_answer(candidate, response, token)
            if isinstance(answer, Fetched):
                if log:
                    log(f"fetched {candidate}")
                return answer
            not_json = answer or not_json
    if not_json:
        raise SpecError(not_json)
    base = url.strip().rstrip("/")
    raise SpecError(
        f"no Swagger document at {base} (404 for {', '.join(candidates)}); "
        "enable Swagger or pass --path"
    )


def read_file(path: str) -> Fetched:
    """A Swagger document saved to disk (``make spec URL=./swagger.json``)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise SpecError(f"cannot read {path}: {exc.strerror or exc}") from None
    answer = read_answer(path, httpx.Response(200, content=raw), None)
    if not isinstance(answer, Fetched):
        raise SpecError(f"{path} is not JSON")
    return answer
