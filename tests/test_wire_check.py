"""The cassettes have teeth: each spec mutation in ``scripts/check_wire.py`` makes the
cassette suite fail, and the unmutated spec regenerated the same way passes.

Slow-ish (the client is regenerated once per mutation, in parallel): deselect with
``-m 'not wire'``. ``make check-wire`` runs the same check with a readable summary.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import check_wire

pytestmark = pytest.mark.wire

# Which cassette scenario each mutation must break, at the least.
EXPECTED_FAILURES = {
    "query parameter tempDataId -> tempDataID (export_report_get)": (
        "test_push_temporary_data_then_export_by_get"
    ),
    "query parameter type -> reportType (list_reports)": "test_reports_follow_pages",
    "body field includeAttachments -> includeAttachment (ExportRequest)": (
        "test_export_post_with_inline_data"
    ),
    "body field content -> contents (TemporaryDataRequest)": (
        "test_push_temporary_data_then_export_by_get"
    ),
    "path /exports/{tempFileId}/status -> /state": "test_start_export_status_wait_content_save",
    "removed operation list_themes": "test_client_package_imports",
}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Any]:
    return {o.mutation: o for o in check_wire.run_all()}


def test_every_mutation_is_checked() -> None:
    assert set(EXPECTED_FAILURES) | {check_wire.CONTROL} == set(check_wire.MUTATIONS)


def test_control_passes(outcomes: dict[str, Any]) -> None:
    control = outcomes[check_wire.CONTROL]
    assert control.ok, control.summary() + "\n" + control.output
    assert control.passed >= 30


@pytest.mark.parametrize("mutation", sorted(EXPECTED_FAILURES))
def test_mutation_fails_the_cassettes(outcomes: dict[str, Any], mutation: str) -> None:
    outcome = outcomes[mutation]
    assert outcome.ok, outcome.summary() + "\n" + outcome.output
    broken = {name.split("[")[0] for name in outcome.failed}
    assert EXPECTED_FAILURES[mutation] in broken, outcome.summary()
