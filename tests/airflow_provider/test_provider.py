"""The hook, the provider registration and the triggers, on a real Airflow 3 (no dag runs)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from airflow_provider.support import TOKEN, connection_env
from cxreports.testing import serve


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN, render_delay=0.2) as running:
        yield running


@pytest.fixture
def cx(server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    server.reset()
    connection_env(monkeypatch, server)
    return server


def test_airflow_discovers_the_provider_and_its_connection_form() -> None:
    from airflow.providers_manager import ProvidersManager
    from airflow.sdk.providers_manager_runtime import ProvidersManagerTaskRuntime

    manager = ProvidersManager()  # what the API server and UI read
    assert "cxreports" in manager.providers
    hook = ProvidersManagerTaskRuntime().hooks["cxreports"]  # what tasks resolve hooks with
    assert hook is not None
    assert hook.hook_class_name == "cxreports.airflow.hooks.CxReportsHook"
    assert hook.connection_id_attribute_name == "cxreports_conn_id"
    widgets = manager.connection_form_widgets
    assert {"workspace", "timeout", "retries"} <= {
        w.field_name for k, w in widgets.items() if k.startswith("extra__cxreports__")
    }
    behaviour = manager.field_behaviours["cxreports"]
    assert behaviour["relabeling"]["password"] == "API token"
    assert "login" in behaviour["hidden_fields"]
    assert ("cxreports", "cxreports.airflow.triggers") in {
        (info.package_name, info.trigger_class_name) for info in manager.trigger
    }


def test_a_connection_uri_with_extras(monkeypatch: pytest.MonkeyPatch) -> None:
    from cxreports.airflow import CxReportsHook

    monkeypatch.setenv(
        "AIRFLOW_CONN_CX_URI",
        "cxreports://:s3cret%2Ftoken@reports.example.com:8443/https"
        "?workspace=sales&timeout=12.5&retries=0",
    )
    with CxReportsHook("cx_uri").get_conn() as client:
        assert client.base_url == "https://reports.example.com:8443"
        assert client.workspace == "sales"
        assert client.max_retries == 0
        assert "s3cret" not in repr(client)


def test_bad_extras_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from cxreports.airflow import CxReportsHook

    monkeypatch.setenv(
        "AIRFLOW_CONN_CX_BAD",
        json.dumps(
            {
                "conn_type": "cxreports",
                "host": "https://x.example",
                "password": "t",
                "extra": {"retries": "many"},
            }
        ),
    )
    with pytest.raises(ValueError, match="'retries' must be a int"):
        CxReportsHook("cx_bad").get_conn()


def test_test_connection(cx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from cxreports.airflow import CxReportsHook

    ok, message = CxReportsHook().test_connection()
    assert ok, message
    assert "workspace" in message

    connection_env(monkeypatch, cx, workspace="no-such-workspace")
    ok, message = CxReportsHook().test_connection()
    assert not ok and "no-such-workspace" in message

    monkeypatch.setenv(
        "AIRFLOW_CONN_CXREPORTS_DEFAULT",
        json.dumps({"conn_type": "cxreports", "host": cx.url, "password": "wrong-token"}),
    )
    ok, message = CxReportsHook().test_connection()
    assert not ok and "401" in message
    assert "wrong-token" not in message


def test_the_ui_connection_test_uses_the_hook(cx: Any) -> None:
    # What the API server's "Test" button runs: the core Connection finds the hook by type.
    from airflow.models.connection import Connection

    conn = Connection(
        conn_id="cxreports_default",
        conn_type="cxreports",
        host=cx.url,
        password=cx.token,
        extra=json.dumps({"workspace": cx.workspace}),
    )
    ok, message = conn.test_connection()
    assert ok, message


def test_triggers_serialize_without_the_token() -> None:
    from airflow.sdk._shared.module_loading import import_string

    from cxreports.airflow import CxReportsExportTrigger, CxReportsJobRunTrigger

    for trigger in (
        CxReportsExportTrigger(7, "sales", "cx", timeout=30, resume_with={"a": 1}),
        CxReportsJobRunTrigger("monthly-invoices", 3, "sales", "cx", timeout=30),
    ):
        classpath, kwargs = trigger.serialize()
        assert TOKEN not in json.dumps(kwargs)
        again = import_string(classpath)(**kwargs)
        assert again.serialize() == (classpath, kwargs)


def test_export_trigger_fires_once_the_export_is_ready(cx: Any) -> None:
    from cxreports import Client
    from cxreports.airflow import CxReportsExportTrigger

    with Client(cx.url, cx.token, cx.workspace) as client:
        export = client.start_export("invoice", format="pdf")

    async def first_event() -> Any:
        return await anext(CxReportsExportTrigger(export.id, cx.workspace).run())

    event = asyncio.run(first_event())
    assert event.payload["status"] == "success"
    assert event.payload["content_type"] == "application/pdf"
    assert event.payload["content_size"] > 0
    assert event.payload["export_id"] == export.id
    # It only waited: the resumed task downloads the file.
    assert "get_export_content" not in [r.operation_id for r in cx.requests]


def test_trigger_errors_become_events(cx: Any) -> None:
    from cxreports.airflow import CxReportsExportTrigger

    async def first_event(trigger: Any) -> Any:
        return await anext(trigger.run())

    missing = asyncio.run(first_event(CxReportsExportTrigger(987654, cx.workspace)))
    assert missing.payload["status"] == "error"
    assert missing.payload["status_code"] == 404
    assert missing.payload["permanent"] is True

    cx.set_faults("get_export_status:503=0")
    down = asyncio.run(first_event(CxReportsExportTrigger(987654, cx.workspace)))
    assert down.payload["status_code"] == 503
    assert down.payload["permanent"] is False
    assert TOKEN not in json.dumps(missing.payload) + json.dumps(down.payload)


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        (400, True),
        (401, True),
        (403, True),
        (404, True),
        (409, True),
        (408, False),
        (429, False),
        (500, False),
        (503, False),
    ],
)
def test_which_statuses_fail_without_retry(status: int, permanent: bool) -> None:
    import httpx

    from cxreports.airflow._errors import is_permanent, mapped_errors
    from cxreports.errors import status_error_class

    request = httpx.Request("GET", "https://x.example/api/v1/ws/sales/reports")
    error = status_error_class(status)(
        "boom", response=httpx.Response(status, request=request), body=None
    )
    assert is_permanent(error) is permanent

    from airflow.sdk.exceptions import AirflowFailException

    with pytest.raises(AirflowFailException if permanent else type(error)), mapped_errors():
        raise error
