"""A cookie jar that reads only the responses that set a cookie.

httpx passes every response to its client's cookie jar through urllib's machinery: a urllib
``Request`` (the URL parsed again) and an ``email`` message of all the headers, about 20 µs
per response, on every listing and every status poll, though nearly none sets a cookie.
CxReports authenticates with a bearer token; cookies come from what stands in front of it (a
load balancer's affinity cookie, say), and those must still come back on the next request.
So the jar of an httpx client that cxreports builds itself skips a response only when it has
no ``Set-Cookie`` header, and hands any other to httpx as before. (``Set-Cookie2`` is left
out: urllib's default policy ignores it.) An ``http_client`` of the user's is never changed.
"""

from __future__ import annotations

from typing import TypeVar

import httpx

H = TypeVar("H", httpx.Client, httpx.AsyncClient)


class CookiesWhenSet(httpx.Cookies):
    """``httpx.Cookies`` that skips responses without ``Set-Cookie``."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


def skip_cookieless(client: H) -> H:
    """``client``, its jar reading only responses that set a cookie.

    httpx has no public way to give a client a ``Cookies`` subclass (its setter copies into
    a plain one), so this replaces the private ``_cookies``, keeping the same underlying jar.
    Fail-safe: if a later httpx lays it out differently, the client is left as it was.
    """
    jar = getattr(client, "_cookies", None)
    if type(jar) is httpx.Cookies:
        replacement = CookiesWhenSet()
        replacement.jar = jar.jar
        client._cookies = replacement
    return client
