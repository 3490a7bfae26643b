"""Fault injection in the local server, each kind observed from a real httpx client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from cxreports.testing import FaultSpec, LocalServer, serve
from cxreports.testing.faults import FaultRule


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serve() as srv:
        yield srv


def client(server: LocalServer, timeout: float = 10) -> httpx.Client:
    return httpx.Client(
        base_url=server.api_url,
        headers={"Authorization": f"Bearer {server.token}"},
        timeout=timeout,
    )


# -- grammar ---------------------------------------------------------------------------------


def test_parse_full_grammar() -> None:
    spec = FaultSpec.parse(
        "list_workspaces:503=0x2, 500@0.25, preview:drop, latency=1.5x3, "
        "export_report_get:truncate@.5x1,429,seed=42"
    )
    assert spec.seed == 42
    assert [(r.operation, r.kind, r.value, r.rate, r.count) for r in spec.rules] == [
        ("list_workspaces", "503", 0.0, 1.0, 2),
        (None, "500", None, 0.25, None),
        ("preview", "drop", None, 1.0, None),
        (None, "latency", 1.5, 1.0, 3),
        ("export_report_get", "truncate", None, 0.5, 1),
        (None, "429", None, 1.0, None),
    ]
    assert FaultSpec.parse("").rules == []
    assert FaultRule("503").retry_after == "1"
    assert FaultRule("429", value=2.5).retry_after == "2.5"
    assert FaultRule("500").retry_after is None and FaultRule("500", value=3).retry_after == "3"
    assert FaultRule("409").status == 409 and FaultRule("drop").status is None


@pytest.mark.parametrize(
    ("spec", "bad"),
    [
        ("200", "200"),
        ("600", "600"),
        ("list_workspaces:503,nope:500", "nope:500"),
        ("latency", "latency"),
        ("drop=1", "drop=1"),
        ("503@1.5", "503@1.5"),
        ("503x", "503x"),
        ("seed=abc", "seed=abc"),
        ("list_workspaces:", "list_workspaces:"),
        ("503=-1", "503=-1"),
    ],
)
def test_parse_errors_name_the_bad_rule(spec: str, bad: str) -> None:
    with pytest.raises(ValueError, match="invalid fault rule") as info:
        FaultSpec.parse(spec)
    assert repr(bad) in str(info.value)


# -- each kind, seen by a client -------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "status", "message", "retry_after"),
    [
        ("403", 403, "Forbidden (injected fault)", None),
        ("409", 409, "Conflict (injected fault)", None),
        ("500", 500, "Internal Server Error (injected fault)", None),
        ("502=2", 502, "Bad Gateway (injected fault)", "2"),
    ],
)
def test_any_error_status(rule: str, status: int, message: str, retry_after: str | None) -> None:
    with serve(faults=f"list_themes:{rule}x1") as server, client(server) as api:
        injected, normal = api.get("/ws/sales/themes"), api.get("/ws/sales/themes")
        assert injected.status_code == status
        assert injected.json() == {"error": message}
        assert injected.headers.get("retry-after") == retry_after
        assert normal.status_code == 200


def test_503_with_retry_after_and_count() -> None:
    with serve(faults="list_workspaces:503=0x2") as server, client(server) as api:
        first, second, third = (api.get("/workspaces") for _ in range(3))
        assert first.status_code == second.status_code == 503
        assert first.headers["retry-after"] == "0"
        assert first.json() == {"error": "Service Unavailable (injected fault)"}
        assert third.status_code == 200
        assert api.get(f"/ws/{server.workspace}/themes").status_code == 200  # other operations
        assert [(r.operation_id, r.status, r.fault) for r in server.requests] == [
            ("list_workspaces", 503, "503"),
            ("list_workspaces", 503, "503"),
            ("list_workspaces", 200, None),
            ("list_themes", 200, None),
        ]


def test_429_and_500(server: LocalServer) -> None:
    server.set_faults("list_themes:429x1,list_templates:500x1")
    with client(server) as api:
        limited = api.get("/ws/sales/themes")
        assert limited.status_code == 429 and limited.headers["retry-after"] == "1"
        failed = api.get("/ws/sales/templates")
        assert failed.status_code == 500 and "retry-after" not in failed.headers
        assert failed.json()["error"].endswith("(injected fault)")
        assert api.get("/ws/sales/themes").status_code == 200
        assert api.get("/ws/sales/templates").status_code == 200


def test_drop_closes_the_connection_without_a_response(server: LocalServer) -> None:
    server.set_faults("start_report_export:drop")
    with client(server) as api:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending"):
            api.post("/ws/sales/reports/invoice/export", json={})
        # The client sees the failure; the log proves the POST arrived exactly once.
        exports = [r for r in server.requests if r.operation_id == "start_report_export"]
        assert [(r.status, r.fault) for r in exports] == [(None, "drop")]
        assert api.get("/workspaces").status_code == 200  # the server is still healthy


def test_drop_reads_the_request_before_closing(server: LocalServer) -> None:
    # Closing a socket with request bytes still unread makes the kernel send a reset: the client
    # then sees ECONNRESET on some runs and a clean close on others. A body larger than the
    # server's read buffer leaves bytes unread every time unless the drop takes them in first.
    server.set_faults("start_report_export:drop")
    body = b'{"x": "' + b"a" * 2_000_000 + b'"}'
    with client(server) as api, pytest.raises(httpx.RemoteProtocolError, match="without sending"):
        api.post("/ws/sales/reports/invoice/export", content=body)
    exports = [r for r in server.requests if r.operation_id == "start_report_export"]
    assert [(r.status, r.fault) for r in exports] == [(None, "drop")]


def test_truncate_sends_less_than_content_length(server: LocalServer) -> None:
    server.set_faults("export_report_get:truncatex1")
    with client(server) as api:
        with api.stream("GET", "/ws/sales/reports/invoice/pdf") as response:
            assert response.status_code == 200
            declared = int(response.headers["content-length"])
            assert declared > 1000
            received = bytearray()
            with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
                for chunk in response.iter_raw():
                    received += chunk
            assert 0 < len(received) < declared
        whole = api.get("/ws/sales/reports/invoice/pdf")
        assert len(whole.content) == declared


def test_truncate_of_an_empty_body_still_fails(server: LocalServer) -> None:
    with client(server) as api:
        run_id = api.post("/ws/sales/jobs/monthly-invoices/runs").json()["jobRunId"]
        server.set_faults("deliver_job_run:truncate")
        with pytest.raises(httpx.RemoteProtocolError):
            api.post(f"/ws/sales/jobs/monthly-invoices/runs/{run_id}/deliver")


def test_unknown_paths_are_never_faulted(server: LocalServer) -> None:
    server.set_faults("500")
    with client(server) as api:
        assert api.get("/ws/sales/nothing").status_code == 404
        assert api.get("/ws/sales/jobs").status_code == 500


def test_latency_delays_then_answers(server: LocalServer) -> None:
    server.set_faults("list_reports:latency=0.5x1")
    with client(server, timeout=0.1) as api, pytest.raises(httpx.ReadTimeout):
        api.get("/ws/sales/reports")
    server.set_faults("list_reports:latency=0.05")
    with client(server) as api:
        assert len(api.get("/ws/sales/reports").json()) == 6
    assert [r.fault for r in server.requests] == ["latency", "latency"]
    assert server.requests[-1].status == 200


def test_preview_can_be_faulted(server: LocalServer) -> None:
    server.set_faults("preview:503=5")
    response = httpx.get(server.url + "/ws/sales/reports/invoice/preview?nonce=x")
    assert response.status_code == 503 and response.headers["retry-after"] == "5"


def statuses(faults: str, n: int = 24) -> list[int]:
    with serve(faults=faults) as server, client(server) as api:
        return [api.get("/ws/sales/themes").status_code for _ in range(n)]


def test_rates_are_seeded_and_reproducible() -> None:
    first = statuses("list_themes:500@0.5,seed=7")
    assert first == statuses("list_themes:500@0.5,seed=7")
    assert {200, 500} == set(first)
    assert first != statuses("list_themes:500@0.5,seed=8")
    assert set(statuses("list_themes:500@0")) == {200}


def test_global_rule_hits_every_operation_and_set_faults_none_clears(server: LocalServer) -> None:
    server.set_faults(FaultSpec.parse("503=2"))
    with client(server) as api:
        assert api.get("/workspaces").status_code == 503
        assert api.post("/nonce-tokens").status_code == 503
        assert api.post("/ws/sales/temporary-data", json={"content": 1}).status_code == 503
        server.set_faults(None)
        assert api.get("/workspaces").status_code == 200


def test_first_matching_rule_wins_and_counts_reset_on_set_faults(server: LocalServer) -> None:
    with client(server) as api:
        server.set_faults("list_workspaces:429x1,list_workspaces:500x1")
        assert [api.get("/workspaces").status_code for _ in range(3)] == [429, 500, 200]
        server.set_faults("list_workspaces:429x1,list_workspaces:500x1")
        assert [api.get("/workspaces").status_code for _ in range(3)] == [429, 500, 200]


def test_invalid_spec_is_refused_by_serve() -> None:
    with pytest.raises(ValueError, match="'teapot'"):
        serve(faults="teapot")
