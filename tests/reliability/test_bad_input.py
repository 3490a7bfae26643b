"""Bad input is refused before anything is sent, with an error that names the problem.

Every case runs against ``Client`` and ``AsyncClient`` (through the same sync driver) with a
live local server, and the server's request log proves no request went out. The cases that
are *not* refused (codes that need percent-encoding) are checked on the wire at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from clients import KINDS, make_client

import cxreports
from cxreports.testing import serve

TOKEN = "bad-input-token-5e1d"


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN) as running:
        yield running


def unwritable_folder(tmp: Path) -> Path:
    """A folder no file can be created in, even by root (tests may run as root)."""
    if os.geteuid() != 0:
        folder = tmp / "read-only"
        folder.mkdir()
        folder.chmod(0o500)
        return folder
    for candidate in (Path("/sys"), Path("/proc/self")):
        try:
            (candidate / ".cxreports-probe").open("wb").close()
        except OSError:
            return candidate
    pytest.skip("no folder here refuses writes to root")


def circular() -> dict[str, Any]:
    value: dict[str, Any] = {}
    value["self"] = value
    return value


PAST = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
Case = tuple[str, Callable[[Any, Path], object], type[BaseException], str]

# (id, action on (client, tmp_path), expected error, regex the message must match)
CASES: list[Case] = [
    # identifiers: a path segment each
    ("report-slash", lambda c, t: c.export("a/b"), ValueError, r"report 'a/b' contains '/'"),
    ("report-dotdot", lambda c, t: c.export(".."), ValueError, r"report '\.\.' is not a valid"),
    ("report-dot", lambda c, t: c.report_pages("."), ValueError, r"report '\.' is not a valid"),
    ("report-backslash", lambda c, t: c.export("a\\b"), ValueError, r"contains '\\\\'"),
    ("report-traversal", lambda c, t: c.export("../../etc"), ValueError, r"contains '/'"),
    ("report-empty", lambda c, t: c.export(""), ValueError, r"report must not be empty"),
    ("report-blank", lambda c, t: c.export("   "), ValueError, r"report must not be empty"),
    ("report-padded", lambda c, t: c.export(" invoice"), ValueError, r"leading or trailing"),
    ("report-newline", lambda c, t: c.export("inv\noice"), ValueError, r"contains '\\n'"),
    ("report-nul", lambda c, t: c.export("inv\x00"), ValueError, r"contains '\\x00'"),
    ("report-negative", lambda c, t: c.export(-1), ValueError, r"report id must not be negative"),
    ("report-bool", lambda c, t: c.export(True), TypeError, r"report must be an int id"),
    ("report-float", lambda c, t: c.export(1.5), TypeError, r"report must be .*not float"),
    ("report-none", lambda c, t: c.report_pages(None), TypeError, r"not NoneType"),
    ("job-slash", lambda c, t: c.start_job_run("jobs/1"), ValueError, r"job 'jobs/1' contains"),
    ("job-empty", lambda c, t: c.start_job_run(""), ValueError, r"job must not be empty"),
    ("job-run-negative", lambda c, t: c.get_job_run("j", -1).status(), TypeError, r"run_id"),
    ("workspace-slash", lambda c, t: c.themes(workspace="a/b"), ValueError, r"workspace 'a/b'"),
    ("workspace-dotdot", lambda c, t: c.jobs(workspace=".."), ValueError, r"workspace '\.\.'"),
    ("workspace-negative", lambda c, t: c.reports(workspace=-3), ValueError, r"must not be neg"),
    ("workspace-list", lambda c, t: c.themes(workspace=[1]), TypeError, r"not list"),
    ("export-id-str", lambda c, t: c.get_export("12").status(), TypeError, r"temp_file_id"),
    # a workspace is needed and none is set
    (
        "no-default-workspace",
        lambda c, t: c.with_workspace_none().reports(),
        cxreports.ConfigurationError,
        r"^no workspace: pass workspace= to this call, or set one on the client "
        r"\(workspace= or CXREPORTS_WORKSPACE\)$",
    ),
    # JSON that cannot be JSON
    ("params-object", lambda c, t: c.export("invoice", params={"x": object()}), TypeError,
     r"params must be JSON-serialisable"),
    ("params-nan", lambda c, t: c.export("invoice", params={"x": float("nan")}), TypeError,
     r"params must be JSON-serialisable.*NaN|params must be JSON-serialisable.*not JSON"),
    ("params-circular", lambda c, t: c.export("invoice", params=circular()), TypeError,
     r"params must be JSON-serialisable.*[Cc]ircular"),
    ("data-set", lambda c, t: c.export("invoice", data={1, 2}), TypeError,
     r"data must be JSON-serialisable"),
    ("temp-data-bytes", lambda c, t: c.push_temporary_data(b"raw"), TypeError,
     r"content must be JSON-serialisable"),
    ("preview-params", lambda c, t: c.preview_url("invoice", params={"d": dt.date.today()}),
     TypeError, r"params must be JSON-serialisable"),
    ("job-params", lambda c, t: c.start_job_run("monthly-invoices", params={"x": object()}),
     TypeError, r"params must be JSON-serialisable"),
    ("data-and-temp-data", lambda c, t: c.export("invoice", data={}, temp_data=5), ValueError,
     r"either data .* or temp_data"),
    ("temp-data-str", lambda c, t: c.export("invoice", temp_data="abc"), TypeError,
     r"temp_data must be a non-negative int"),
    # formats and flags
    ("format-unknown", lambda c, t: c.export("invoice", format="doc"), ValueError,
     r"format must be one of docx, html, pdf, pptx, xlsx; got 'doc'"),
    ("format-none", lambda c, t: c.export("invoice", format=None), ValueError, r"got None"),
    ("format-file", lambda c, t: c.export_to_file("invoice", t / "x.pdf", format="odt"),
     ValueError, r"got 'odt'"),
    ("attachments-str", lambda c, t: c.export("invoice", include_attachments="yes"), TypeError,
     r"include_attachments must be a bool"),
    ("theme-empty", lambda c, t: c.export("invoice", theme=""), ValueError,
     r"theme must not be empty"),
    ("hide-print-str", lambda c, t: c.preview_url("invoice", hide_print_button="no"), TypeError,
     r"hide_print_button must be a bool"),
    # timeouts and retries
    ("timeout-negative", lambda c, t: c.with_options(timeout=-1), ValueError,
     r"timeout must be a positive number of seconds, got -1"),
    ("timeout-zero", lambda c, t: c.with_options(timeout=0), ValueError, r"got 0"),
    ("timeout-str", lambda c, t: c.with_options(timeout="10"), ValueError, r"got '10'"),
    ("retries-negative", lambda c, t: c.with_options(max_retries=-1), ValueError,
     r"max_retries must be a non-negative int"),
    ("wait-negative", lambda c, t: c.get_export(10).wait(timeout=-1), ValueError,
     r"timeout must be positive, got -1"),
    ("job-wait-zero", lambda c, t: c.get_job_run("monthly-invoices", 1).wait(timeout=0),
     ValueError, r"timeout must be positive"),
    # pages to leave out
    ("exclude-str-ids", lambda c, t: c.start_export("invoice", exclude_pages=["1"]), TypeError,
     r"each of exclude_pages must be a non-negative int, not '1'"),
    ("exclude-str", lambda c, t: c.start_export("invoice", exclude_pages="12"), TypeError,
     r"exclude_pages must be an iterable of page ids, not str"),
    ("exclude-float", lambda c, t: c.start_export("invoice", exclude_pages=[1.5]), TypeError,
     r"not 1\.5"),
    ("exclude-negative", lambda c, t: c.start_export("invoice", exclude_pages=[-1]), TypeError,
     r"not -1"),
    ("exclude-int", lambda c, t: c.start_export("invoice", exclude_pages=5), TypeError,
     r"not int"),
    # expiry
    ("expiry-past", lambda c, t: c.push_temporary_data({}, expires=PAST), ValueError,
     r"expires must be in the future, got 2020-01-01"),
    ("expiry-negative-delay", lambda c, t: c.push_temporary_data({}, expires=dt.timedelta(-1)),
     ValueError, r"expires must be in the future"),
    ("expiry-str", lambda c, t: c.push_temporary_data({}, expires="tomorrow"), TypeError,
     r"expires must be a datetime or a timedelta, not str"),
    # where files go
    ("output-missing-folder", lambda c, t: c.export_to_file("invoice", t / "no" / "x.pdf"),
     FileNotFoundError, r"folder .*no does not exist"),
    ("output-folder-slash", lambda c, t: c.export_to_file("invoice", f"{t}/new-folder/"),
     FileNotFoundError, r"no such folder"),
    ("output-under-a-file", lambda c, t: c.export_to_file("invoice", t / "file" / "x.pdf"),
     NotADirectoryError, r"is not a folder"),
    ("output-unwritable", lambda c, t: c.export_to_file("invoice", unwritable_folder(t) / "x.pdf"),
     PermissionError, r"is not writable"),
    ("save-unwritable", lambda c, t: c.get_export(10).save(unwritable_folder(t) / "x.pdf"),
     PermissionError, r"is not writable"),
]  # fmt: skip

# Constructing a client: nothing can be sent, but the error must still be specific.
CONSTRUCTION: list[tuple[str, dict[str, Any], str]] = [
    ("url-no-scheme", {"base_url": "example.com"}, r"must be an http\(s\) URL"),
    ("url-host-port", {"base_url": "localhost:8080"}, r"must be an http\(s\) URL"),
    ("url-ftp", {"base_url": "ftp://example.com"}, r"must be an http\(s\) URL"),
    ("url-empty", {"base_url": ""}, r"base_url is empty"),
    ("url-credentials", {"base_url": "https://me:pw@example.com"}, r"must not contain a user"),
    ("url-bad-port", {"base_url": "https://example.com:99999"}, r"not a valid URL"),
    ("token-empty", {"token": ""}, r"token is empty"),
    ("token-blank", {"token": "   "}, r"token is empty"),
    ("token-newline", {"token": "abc\ndef"}, r"whitespace or control characters"),
    ("token-int", {"token": 12345}, r"token must be a str"),
    ("timeout-negative", {"timeout": -5}, r"timeout must be a positive number"),
    ("retries-float", {"max_retries": 1.5}, r"max_retries must be a non-negative int"),
]


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class _NoWorkspace:
    """Adds ``with_workspace_none()`` to a driven client: the same client, no default."""

    def __init__(self, client: Any, make: Callable[[], Any]) -> None:
        self._client, self._make = client, make

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def with_workspace_none(self) -> Any:
        return self._make()


@pytest.mark.parametrize(("action", "error", "message"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_refused_before_sending(
    server: Any,
    kind: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    action: Callable[[Any, Path], object],
    error: type[BaseException],
    message: str,
) -> None:
    (tmp_path / "file").write_text("a file, not a folder")
    monkeypatch.delenv("CXREPORTS_WORKSPACE", raising=False)
    opened: list[Any] = []

    def without_workspace() -> Any:
        opened.append(make_client(kind, server.url, TOKEN))
        return opened[-1]

    server.clear_requests()
    before = sorted(p.name for p in tmp_path.iterdir())
    with make_client(kind, server.url, TOKEN, "sales") as client:
        try:
            with pytest.raises(error, match=message):
                action(_NoWorkspace(client, without_workspace), tmp_path)
        finally:
            for extra in opened:
                extra.close()
    assert server.requests == [], "nothing may be sent for bad input"
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "no file may be left behind"


@pytest.mark.parametrize(("options", "message"), [c[1:] for c in CONSTRUCTION],
                         ids=[c[0] for c in CONSTRUCTION])  # fmt: skip
def test_bad_configuration_is_refused(
    server: Any, kind: str, options: dict[str, Any], message: str
) -> None:
    arguments = {"base_url": server.url, "token": TOKEN, "workspace": "sales", **options}
    server.clear_requests()
    with pytest.raises((cxreports.ConfigurationError, ValueError), match=message) as info:
        make_client(kind, **arguments)
    assert server.requests == []
    secret = options.get("token")
    if isinstance(secret, str) and secret.strip():
        assert secret not in str(info.value)
    assert "pw" not in str(info.value)


def test_the_table_is_large() -> None:
    assert len(CASES) + len(CONSTRUCTION) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


# Not refused: codes that are legal in CxReports but not in a URL are percent-encoded, and the
# server decodes them back to the same code (here: a code that does not exist, so a 404 that
# names it proves the round trip).
ENCODED = [
    ("what?", "what%3F"),
    ("a#b", "a%23b"),
    ("two words", "two%20words"),
    ("Prüfbericht", "Pr%C3%BCfbericht"),
    ("100%", "100%25"),
    ("a+b", "a%2Bb"),
    ("報告", "%E5%A0%B1%E5%91%8A"),
]


@pytest.mark.parametrize(("code", "wire"), ENCODED, ids=[w for _, w in ENCODED])
def test_codes_are_percent_encoded(server: Any, kind: str, code: str, wire: str) -> None:
    server.clear_requests()
    with (
        make_client(kind, server.url, TOKEN, "sales") as client,
        pytest.raises(cxreports.NotFoundError) as info,
    ):
        client.report_pages(code)
    assert code in str(info.value), "the server decoded the same code back"
    [request] = server.requests
    assert request.raw_path == f"/api/v1/ws/sales/reports/{wire}/pages"
    assert not re.search(r"[?#\s]", request.raw_path)
