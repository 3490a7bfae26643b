"""``cxreports._spec.RELIED`` (what the hand-written layer relies on) against the code.

The table decides which API changes ``make spec`` and ``cxreports doctor`` call breaking,
and what the spec tests require; these tests keep it from drifting away from the code that
sends and reads the wire names.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import attrs
import pytest

import cxreports
from cxreports import _base_client, _options, exports, models
from cxreports._base_client import BaseClient
from cxreports._spec import RELIED


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def test_relied_names_exactly_the_operations_base_client_uses() -> None:
    tree = ast.parse(Path(_base_client.__file__).read_text())
    used = {
        node.args[0].value.rsplit(".", 1)[-1]
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "lazy_module"
        and isinstance(node.args[0], ast.Constant)
        and str(node.args[0].value).startswith("cxreports_api.api.")
    }
    assert used == set(RELIED)


@pytest.mark.parametrize("op_id", sorted(RELIED))
def test_each_function_builds_its_operation(op_id: str) -> None:
    uses = RELIED[op_id]
    function = getattr(BaseClient, uses.function)
    assert op_id in inspect.getsource(function), f"{uses.function} does not send {op_id}"
    owners: dict[str, list[Any]] = {
        "Client": [cxreports.Client, cxreports.AsyncClient],
        "Export": [exports.Export, exports.AsyncExport],
        "JobRun": [exports.JobRun, exports.AsyncJobRun],
    }
    for method in uses.methods:
        owner, _, name = method.partition(".")
        for cls in owners[owner]:
            assert callable(getattr(cls, name)), f"{cls.__name__}.{name}"


@pytest.mark.parametrize("op_id", sorted(op for op, u in RELIED.items() if u.model))
def test_every_public_field_is_read_from_a_relied_response_field(op_id: str) -> None:
    uses = RELIED[op_id]
    cls = getattr(models, str(uses.model))
    fields = {_camel(f.name) for f in attrs.fields(cls) if f.name != "extra"}
    assert fields == set(uses.response), f"{uses.model} reads {sorted(fields)}"


def _export_wire(**options: Any) -> tuple[set[str], set[str], set[str]]:
    """The query of the GET export and the bodies of the POST and async exports."""
    from cxreports_api.api.exports import export_report_get

    built = _options.ExportOptions.build(**options)
    query = set(export_report_get._get_kwargs("ws", "r", **built.get_query())["params"])
    return query, set(built.post_body().to_dict()), set(built.async_body().to_dict())


def test_export_options_send_only_relied_names() -> None:
    every = {
        "format": "xlsx", "params": {"a": 1}, "lang": "en", "timezone": "UTC",
        "theme": "t", "template": "x", "include_attachments": True, "exclude_pages": [1],
    }  # fmt: skip
    inline = _export_wire(**every, data={"b": 2})
    stored = _export_wire(**every, temp_data=3)
    query = inline[0] | stored[0]
    assert query == RELIED["export_report_get"].params - {"workspaceId", "reportIdOrTypeCode"}
    assert inline[1] | stored[1] == RELIED["export_report_post"].body
    assert inline[2] | stored[2] == RELIED["start_report_export"].body
