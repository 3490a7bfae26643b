"""Transport defaults, against real local servers: TLS is verified, a redirect to another
origin does not carry the token, and plain http to a non-loopback host warns.

The HTTPS server is the local CxReports server behind a certificate from a throwaway CA
(trustme), so verification has something real to check.
"""

from __future__ import annotations

import ssl
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import trustme
from clients import KINDS, make_client
from servers import ThreadedUvicorn

import cxreports
from cxreports.testing import LocalServer, serve

TOKEN = "transport-security-token-77e0"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def https_server(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("tls")
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_pem.write_to_path(str(folder / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
    local = LocalServer(token=TOKEN)
    with ThreadedUvicorn(
        local.app,
        lifespan="off",
        ssl_certfile=str(folder / "cert.pem"),
        ssl_keyfile=str(folder / "key.pem"),
    ) as running:
        yield running.url


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_self_signed_certificate_is_refused_by_default(https_server: str, kind: str) -> None:
    with (
        make_client(kind, https_server, TOKEN, "sales", max_retries=0) as client,
        pytest.raises(cxreports.APIConnectionError) as info,
    ):
        client.workspaces()
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value.__cause__)
    assert TOKEN not in str(info.value)


def test_a_trusted_ca_makes_it_work(https_server: str, ca: trustme.CA, kind: str) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    with make_client(kind, https_server, TOKEN, "sales", verify=context) as client:
        assert client.workspaces()[0].code == "sales"


def test_a_redirect_to_another_origin_does_not_carry_the_token(kind: str) -> None:
    """The configured server sends every request on to another origin (another port)."""
    seen: list[dict[str, str]] = []
    with serve(token=TOKEN) as target:

        async def redirect(scope: Any, receive: Any, send: Any) -> None:
            seen.append({k.decode(): v.decode() for k, v in scope["headers"]})
            location = f"{target.url}{scope['path']}".encode()
            await send({"type": "http.response.start", "status": 307,
                        "headers": [(b"location", location), (b"content-length", b"0")]})  # fmt: skip
            await send({"type": "http.response.body", "body": b""})

        with (
            ThreadedUvicorn(redirect, lifespan="off") as redirector,
            make_client(kind, redirector.url, TOKEN, "sales") as client,
            pytest.raises(cxreports.AuthenticationError),
        ):
            client.themes()
        # The first hop got the token (it is the configured server); the target did not,
        # so it answered 401 instead of serving the request.
        assert seen[0]["authorization"] == f"Bearer {TOKEN}"
        assert [r.status for r in target.requests] == [401]


def test_plain_http_to_a_remote_host_warns(kind: str) -> None:
    with pytest.warns(cxreports.InsecureTransportWarning, match="plain http"):
        make_client(kind, "http://reports.example.com", TOKEN, "sales").close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for local in ("http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1"):
            make_client(kind, local, TOKEN, "sales").close()
        make_client(kind, "https://reports.example.com", TOKEN, "sales").close()
