"""Per-call request options, as the Stainless-generated SDKs (OpenAI, Anthropic) take them.

Every public method of ``Client`` and ``AsyncClient`` accepts ``extra_headers``,
``extra_query``, ``extra_body`` and ``timeout``: the way to send what the server knows and
this package does not wrap yet (a new query parameter, a new body field, a header a proxy
wants) without waiting for a release. They are checked here, before anything is sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypedDict

import attrs
import httpx

__all__ = ["NO_OPTIONS", "PerCall", "RequestOptions", "merged_query", "path_and_query"]

# Headers the client owns: the token is the client's, and httpx computes the framing.
_RESERVED_HEADERS = frozenset({"authorization", "cookie", "host", "content-length"})
_QUERY_SCALARS = (str, int, float, bool)


class RequestOptions(TypedDict, total=False):
    """Options every public method takes as keywords.

    ``extra_headers`` are added to (and override) the headers sent. ``extra_query`` is merged
    into the query (a ``None`` value removes a parameter). ``extra_body`` is merged into the
    JSON body, or is the body of a POST that has none. ``timeout`` replaces the client's
    timeout for this call (seconds, an ``httpx.Timeout``, or ``None`` for none).
    """

    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, Any] | None
    extra_body: Mapping[str, Any] | None
    timeout: float | httpx.Timeout | None


@attrs.frozen
class PerCall:
    """Checked options; ``timeout`` is None when the client's own applies."""

    headers: Mapping[str, str] = attrs.field(factory=dict)
    query: Mapping[str, Any] = attrs.field(factory=dict)
    body: Mapping[str, Any] | None = None
    timeout: httpx.Timeout | None = None

    @classmethod
    def check(cls, options: Mapping[str, Any], to_timeout: Any) -> PerCall:
        """Validate a method's ``**options``; ``to_timeout`` is the client's converter."""
        unknown = sorted(set(options) - RequestOptions.__optional_keys__)
        if unknown:
            raise TypeError(f"unexpected keyword argument(s): {', '.join(unknown)}")
        headers = _headers(options.get("extra_headers"))
        query = _mapping(options.get("extra_query"), "extra_query")
        for key, value in query.items():
            values = value if isinstance(value, list | tuple) else [value]
            if not all(v is None or isinstance(v, _QUERY_SCALARS) for v in values):
                raise TypeError(
                    f"extra_query[{key!r}] must be a str, int, float, bool, None or a list of "
                    f"them, not {type(value).__name__}"
                )
        body = options.get("extra_body")
        if body is not None:
            body = _mapping(body, "extra_body")
            try:
                json.dumps(body, allow_nan=False)
            except (TypeError, ValueError) as exc:
                raise TypeError(f"extra_body must be JSON-serialisable: {exc}") from None
        timeout = to_timeout(options["timeout"]) if "timeout" in options else None
        return cls(headers, query, body, timeout)

    def without_query(self) -> PerCall:
        return attrs.evolve(self, query={})

    def query_for(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        return merged_query(params, self.query)

    def body_for(self, method: str, path: str, json_body: Any) -> Any:
        if self.body is None:
            return json_body
        if json_body is None:
            if method in ("GET", "HEAD", "DELETE"):
                raise ValueError(f"extra_body: {method} {path} sends no body to add fields to")
            return dict(self.body)
        if not isinstance(json_body, Mapping):
            raise ValueError(f"extra_body: the body of {method} {path} is not a JSON object")
        return {**json_body, **self.body}


NO_OPTIONS = PerCall()


def merged_query(
    params: Mapping[str, Any] | None, extra: Mapping[str, Any] | None
) -> dict[str, Any]:
    """``params`` with ``extra`` over it; a None value removes the parameter."""
    merged = {**(params or {}), **(extra or {})}
    return {key: value for key, value in merged.items() if value is not None}


def path_and_query(
    path: str, params: Mapping[str, Any] | None
) -> tuple[str, Mapping[str, Any] | None]:
    """A generated path without its fixed query, and that query under the generated params.

    A hand-written Swagger may fix a query in a path key (``/export?api-version=1``).
    httpx replaces a URL's query with ``params=``, so the two are joined here instead.
    """
    if "?" not in path:
        return path, params
    path, _, fixed = path.partition("?")
    return path, {**dict(httpx.QueryParams(fixed)), **(params or {})}


def _mapping(value: object, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"{what} must be a mapping, not {type(value).__name__}")
    if not all(isinstance(key, str) and key for key in value):
        raise TypeError(f"{what} keys must be non-empty strings")
    return dict(value)


def _headers(value: object) -> dict[str, str]:
    headers = _mapping(value, "extra_headers")
    for name, text in headers.items():
        if name.lower() in _RESERVED_HEADERS:
            raise ValueError(
                f"extra_headers must not set {name}: the client sets it (for another token, "
                "use another Client)"
            )
        if not isinstance(text, str):
            raise TypeError(f"extra_headers[{name!r}] must be a str, not {type(text).__name__}")
        if any(c in text for c in "\r\n\0"):
            raise ValueError(f"extra_headers[{name!r}] contains a line break or NUL")
    return headers
