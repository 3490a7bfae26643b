"""The in-memory tenant behind the local server: seed model, lookups and time-based state.

Everything a CxReports instance keeps (workspaces, reports, temporary data, export files,
job runs, nonces and preview sessions) lives in one `Store`. Time-dependent state (an export
becoming ready, job entries leaving the queue, expiry) is computed from monotonic timestamps
when it is read, so the server needs no background threads and a test can inject a clock.

Choices where the API reference is silent:

- Runtime ids (temporary data, temporary files, job runs) come from one counter that starts
  above every seeded id, so all ids in a tenant are unique.
- An unknown or expired `tempDataId` is refused with 404
  ``{"error": "Temporary data 5 not found or expired"}``, exactly like an unknown report.
- Temporary data without `expiryDate` lives 24 hours; an `expiryDate` in the past is a 400.
- Nonces live 5 minutes and are single-use; preview sessions (the cookie) live 8 hours.
- A job's entries finish one after another, spread evenly over the render delay.
- The fields the spec requires are never null (as in the official clients' models): every
  seeded report must name a report type of its workspace, a report with no template reports
  ``reportTemplateName: ""``, a workspace without a code gets its id as code, and
  ``previewImage`` is sent only for reports seeded with one.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DEFAULT_SEED_PATH = Path(__file__).with_name("seed.json")
DEFAULT_TOKEN = "cxreports-local-token"
TEMP_DATA_TTL = 24 * 3600.0
NONCE_TTL = 300.0
SESSION_TTL = 8 * 3600.0


class NotFound(Exception):
    """A resource does not exist (or no longer does): the server answers 404."""


class BadRequest(Exception):
    """The request is understood but refused: the server answers 400 ``{"error": ...}``."""


@dataclass(frozen=True)
class Named:
    """A template or theme: addressed by id or code."""

    id: int
    code: str | None
    name: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "code": self.code}


@dataclass(frozen=True)
class Page:
    id: int
    name: str
    type: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type}


@dataclass(frozen=True)
class Attachment:
    name: str
    content: str


@dataclass(frozen=True)
class Report:
    id: int
    name: str
    report_type_id: int
    template: Named | None
    theme: Named | None
    pages: tuple[Page, ...]
    attachments: tuple[Attachment, ...] = ()
    preview_image: str | None = None


@dataclass(frozen=True)
class ReportType:
    id: int
    code: str | None
    name: str
    description: str | None
    default_report_id: int | None


@dataclass(frozen=True)
class JobEntry:
    name: str
    error: str | None = None


@dataclass
class Job:
    id: int
    code: str | None
    name: str
    description: str | None
    review_required: bool
    is_active: bool
    last_run_time: str | None
    report_id: int | None
    entries: tuple[JobEntry, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "code": self.code,
            "reviewRequired": self.review_required,
            "isActive": self.is_active,
            "lastRunTime": self.last_run_time,
        }


@dataclass
class Workspace:
    id: int
    code: str
    name: str
    description: str | None
    templates: list[Named]
    themes: list[Named]
    report_types: list[ReportType]
    reports: list[Report]
    jobs: list[Job]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "code": self.code,
        }

    def report_json(self, report: Report) -> dict[str, Any]:
        # The spec makes the type, template name and isDefault required and non-null, as the
        # official clients' models do; the seed loader guarantees a report type.
        rtype = self.report_type_by_id(report.report_type_id)
        item: dict[str, Any] = {
            "id": report.id,
            "name": report.name,
            "reportTypeId": report.report_type_id,
            "reportTypeName": rtype.name if rtype else "",
            "reportTemplateName": report.template.name if report.template else "",
            "themeName": report.theme.name if report.theme else None,
            "isDefault": bool(rtype and rtype.default_report_id == report.id),
        }
        if report.preview_image is not None:
            item["previewImage"] = report.preview_image
        return item

    def report_type_json(self, rtype: ReportType) -> dict[str, Any]:
        default = self.report_by_id(rtype.default_report_id)
        return {
            "id": rtype.id,
            "name": rtype.name,
            "description": rtype.description,
            "code": rtype.code,
            "defaultReportId": rtype.default_report_id,
            "defaultReportName": default.name if default else None,
        }

    def report_type_by_id(self, type_id: int | None) -> ReportType | None:
        return next((t for t in self.report_types if t.id == type_id), None)

    def report_by_id(self, report_id: int | None) -> Report | None:
        return next((r for r in self.reports if r.id == report_id), None)

    def find_report(self, id_or_type_code: str) -> Report:
        """A report id, or a report type code meaning that type's default report."""
        report: Report | None = None
        if _is_int(id_or_type_code):
            report = self.report_by_id(int(id_or_type_code))
        else:
            rtype = next((t for t in self.report_types if t.code == id_or_type_code), None)
            if rtype is not None:
                report = self.report_by_id(rtype.default_report_id)
        if report is None:
            raise NotFound(f"Report '{id_or_type_code}' not found in workspace '{self.code}'")
        return report

    def find_job(self, id_or_code: str) -> Job:
        for job in self.jobs:
            if job.code == id_or_code or (_is_int(id_or_code) and job.id == int(id_or_code)):
                return job
        raise NotFound(f"Job '{id_or_code}' not found in workspace '{self.code}'")

    def find_template(self, id_or_code: str) -> Named:
        return _find_named(self.templates, id_or_code, "Template")

    def find_theme(self, id_or_code: str) -> Named:
        return _find_named(self.themes, id_or_code, "Theme")


def _find_named(items: Iterable[Named], id_or_code: str, kind: str) -> Named:
    for item in items:
        if item.code == id_or_code or (_is_int(id_or_code) and item.id == int(id_or_code)):
            return item
    raise NotFound(f"{kind} '{id_or_code}' not found")


def _is_int(value: str) -> bool:
    return re.fullmatch(r"-?[0-9]{1,11}", value) is not None


@dataclass
class TempData:
    id: int
    workspace_id: int
    content: Any
    expires_mono: float
    expiry_wall: datetime


@dataclass
class TempFile:
    """An async export or a review document: ready at `ready_mono`, gone at `expires_mono`."""

    id: int
    workspace_id: int
    name: str
    content_type: str
    content: bytes
    ready_mono: float
    expires_mono: float
    expiry_wall: datetime
    error: str | None = None
    # The export request's params, kept so tests can count what the server really created.
    params: Any = None
    # With ``simulateContentBytes``: the size served, ``content`` then padded (app.padded).
    size: int | None = None

    @property
    def content_size(self) -> int:
        return len(self.content) if self.size is None else self.size


@dataclass
class JobRun:
    id: int
    job: Job
    workspace_id: int
    started_mono: float
    duration: float
    entries: tuple[JobEntry, ...]
    params: Any
    data: Any
    delivered: bool = False


@dataclass
class JobRunCounts:
    queued: int = 0
    review: int = 0
    completed: int = 0
    errors: int = 0
    done: list[tuple[JobEntry, str]] = field(default_factory=list)


def iso(dt: datetime) -> str:
    """ASP.NET-style UTC timestamp: ``2026-03-04T13:00:00.000Z``."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def load_seed(seed: str | Path | dict[str, Any] | None) -> dict[str, Any]:
    """The seed as a dict: the shipped default, a JSON file, or a dict given directly."""
    if seed is None:
        seed = DEFAULT_SEED_PATH
    if isinstance(seed, dict):
        return seed
    with open(seed, encoding="utf-8") as fh:
        loaded = json.load(fh)
    if not isinstance(loaded, dict):
        raise ValueError(f"seed {seed}: the top level must be a JSON object")
    return loaded


def _named(items: list[dict[str, Any]]) -> list[Named]:
    return [Named(int(i["id"]), i.get("code"), str(i["name"])) for i in items]


def parse_workspaces(seed: dict[str, Any]) -> list[Workspace]:
    """Build the model from a seed dict; ids must be unique across the whole tenant."""
    seen: set[int] = set()

    def claim(value: Any) -> int:
        ident = int(value)
        if ident in seen:
            raise ValueError(f"seed: id {ident} is used twice; ids must be unique")
        seen.add(ident)
        return ident

    workspaces: list[Workspace] = []
    for ws in seed.get("workspaces", []):
        templates = _named(ws.get("templates", []))
        themes = _named(ws.get("themes", []))
        for item in (*templates, *themes):
            claim(item.id)
        by_code = {t.code: t for t in templates} | {str(t.id): t for t in templates}
        themes_by_code = {t.code: t for t in themes} | {str(t.id): t for t in themes}
        reports = []
        for r in ws.get("reports", []):
            pages = tuple(
                Page(claim(p["id"]), str(p.get("name") or ""), str(p.get("type", "page")))
                for p in r.get("pages", [])
            )
            reports.append(
                Report(
                    id=claim(r["id"]),
                    name=str(r["name"]),
                    report_type_id=r.get("reportTypeId"),  # checked below, with the types
                    preview_image=r.get("previewImage"),
                    template=by_code.get(str(r.get("template")))
                    or (templates[0] if templates else None),
                    theme=themes_by_code.get(str(r.get("theme")))
                    or (themes[0] if themes else None),
                    pages=pages,
                    attachments=tuple(
                        Attachment(str(a["name"]), str(a.get("content", "")))
                        for a in r.get("attachments", [])
                    ),
                )
            )
        types = [
            ReportType(
                claim(t["id"]),
                t.get("code"),
                str(t["name"]),
                t.get("description"),
                t.get("defaultReportId"),
            )
            for t in ws.get("reportTypes", [])
        ]
        type_ids = {t.id for t in types}
        for report in reports:
            if report.report_type_id not in type_ids:
                raise ValueError(
                    f"seed: report {report.id} ({report.name!r}) needs a reportTypeId naming a "
                    "report type of its workspace: every CxReports report has one"
                )
        jobs = [
            Job(
                id=claim(j["id"]),
                code=j.get("code"),
                name=str(j["name"]),
                description=j.get("description"),
                review_required=bool(j.get("reviewRequired", False)),
                is_active=bool(j.get("isActive", True)),
                last_run_time=j.get("lastRunTime"),
                report_id=j.get("reportId"),
                entries=tuple(
                    JobEntry(str(e["name"]), e.get("error")) for e in j.get("entries", [])
                ),
            )
            for j in ws.get("jobs", [])
        ]
        workspaces.append(
            Workspace(
                id=claim(ws["id"]),
                # A workspace always has a code on the wire (the spec requires it).
                code=str(ws.get("code") or ws["id"]),
                name=str(ws["name"]),
                description=ws.get("description"),
                templates=templates,
                themes=themes,
                report_types=types,
                reports=reports,
                jobs=jobs,
            )
        )
    if not workspaces:
        raise ValueError("seed: at least one workspace is required")
    return workspaces


class Store:
    """All server state, guarded by one lock (handlers run in the event loop and in threads)."""

    def __init__(
        self,
        seed: str | Path | dict[str, Any] | None = None,
        *,
        render_delay: float = 0.0,
        export_ttl: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        data = load_seed(seed)
        self.workspaces = parse_workspaces(data)
        default_ws = data.get("defaultWorkspace")
        self.default_workspace = next(
            (w for w in self.workspaces if default_ws in (w.code, w.id)), self.workspaces[0]
        )
        self.seed_token: str | None = data.get("token")
        self.render_delay = render_delay
        self.export_ttl = export_ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._next_id = 10_001
        self.temp_data: dict[int, TempData] = {}
        self.temp_files: dict[int, TempFile] = {}
        self.job_runs: dict[int, JobRun] = {}
        self.nonces: dict[str, float] = {}
        self.sessions: dict[str, float] = {}

    # -- time -------------------------------------------------------------------------------

    def now(self) -> float:
        return self.clock()

    def wall_in(self, seconds: float) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=seconds)

    def new_id(self) -> int:
        with self._lock:
            ident = self._next_id
            self._next_id += 1
            return ident

    # -- lookups ----------------------------------------------------------------------------

    def find_workspace(self, id_or_code: str) -> Workspace:
        for ws in self.workspaces:
            if ws.code == id_or_code or (_is_int(id_or_code) and ws.id == int(id_or_code)):
                return ws
        raise NotFound(f"Workspace '{id_or_code}' not found")

    # -- temporary data ---------------------------------------------------------------------

    def add_temp_data(self, ws: Workspace, content: Any, expiry: datetime | None) -> TempData:
        now_wall = datetime.now(UTC)
        if expiry is None:
            expiry = now_wall + timedelta(seconds=TEMP_DATA_TTL)
        lifetime = (expiry - now_wall).total_seconds()
        if lifetime <= 0:
            raise BadRequest("expiryDate must be in the future")
        item = TempData(self.new_id(), ws.id, content, self.now() + lifetime, expiry)
        with self._lock:
            self.temp_data[item.id] = item
        return item

    def get_temp_data(self, ws: Workspace, temp_id: int) -> Any:
        with self._lock:
            item = self.temp_data.get(temp_id)
            if item is not None and item.workspace_id == ws.id and self.now() >= item.expires_mono:
                del self.temp_data[temp_id]
                item = None
            if item is None or item.workspace_id != ws.id:
                raise NotFound(f"Temporary data {temp_id} not found or expired")
            return item.content

    # -- temporary files (async exports, review documents) ----------------------------------

    def add_temp_file(
        self,
        ws: Workspace,
        *,
        name: str,
        content_type: str,
        content: bytes,
        delay: float,
        error: str | None = None,
        params: Any = None,
        size: int | None = None,
    ) -> TempFile:
        now = self.now()
        item = TempFile(
            id=self.new_id(),
            workspace_id=ws.id,
            name=name,
            content_type=content_type,
            content=content,
            ready_mono=now + max(delay, 0.0),
            expires_mono=now + self.export_ttl,
            expiry_wall=self.wall_in(self.export_ttl),
            error=error,
            params=params,
            size=size,
        )
        with self._lock:
            self.temp_files[item.id] = item
        return item

    def get_temp_file(self, ws: Workspace, file_id: int) -> TempFile:
        with self._lock:
            item = self.temp_files.get(file_id)
            if item is None or item.workspace_id != ws.id:
                raise NotFound(f"Temporary file {file_id} not found")
            if self.now() >= item.expires_mono:
                del self.temp_files[file_id]
                raise NotFound(f"Temporary file {file_id} not found or expired")
            return item

    def file_status(self, item: TempFile) -> dict[str, Any]:
        ready = self.now() >= item.ready_mono
        if not ready:
            status = "InProgress"
        elif item.error is not None:
            status = "Failed"
        else:
            status = "Completed"
        done = status == "Completed"
        return {
            "id": item.id,
            "status": status,
            "isReady": done,
            "errorMessage": item.error if status == "Failed" else None,
            "expiryTime": iso(item.expiry_wall),
            "name": item.name if done else None,
            "contentSize": item.content_size if done else None,
            "contentType": item.content_type if done else None,
        }

    # -- jobs -------------------------------------------------------------------------------

    def start_run(
        self, ws: Workspace, job: Job, params: Any, data: Any, duration: float, failure: str | None
    ) -> JobRun:
        entries = job.entries
        if failure is not None:
            entries = tuple(JobEntry(e.name, failure) for e in entries)
        run = JobRun(
            self.new_id(), job, ws.id, self.now(), max(duration, 0.0), entries, params, data
        )
        with self._lock:
            self.job_runs[run.id] = run
            job.last_run_time = iso(datetime.now(UTC))
        return run

    def get_run(self, ws: Workspace, job: Job, run_id: int) -> JobRun:
        with self._lock:
            run = self.job_runs.get(run_id)
        if run is None or run.job is not job or run.workspace_id != ws.id:
            raise NotFound(f"Job run {run_id} not found for job '{job.code or job.id}'")
        return run

    def run_counts(self, run: JobRun) -> JobRunCounts:
        counts = JobRunCounts()
        elapsed = self.now() - run.started_mono
        total = len(run.entries)
        for index, entry in enumerate(run.entries):
            finishes_at = run.duration * (index + 1) / total if total else 0.0
            if elapsed < finishes_at:
                counts.queued += 1
            elif entry.error is not None:
                counts.errors += 1
                counts.done.append((entry, "error"))
            elif run.job.review_required and not run.delivered:
                counts.review += 1
                counts.done.append((entry, "review"))
            else:
                counts.completed += 1
                counts.done.append((entry, "completed"))
        return counts

    def run_status(self, run: JobRun) -> dict[str, Any]:
        c = self.run_counts(run)
        return {
            "finished": c.queued == 0,
            "entries": len(run.entries),
            "status": {
                "queued": c.queued,
                "review": c.review,
                "completed": c.completed,
                "errors": c.errors,
            },
        }

    def deliver(self, run: JobRun) -> None:
        if not run.job.review_required:
            raise BadRequest(
                f"Job '{run.job.code or run.job.id}' does not require review; "
                "its entries are delivered when the run completes"
            )
        if self.run_counts(run).queued:
            raise BadRequest(f"Job run {run.id} is still running; deliver it once it has finished")
        with self._lock:
            run.delivered = True

    # -- nonces and preview sessions --------------------------------------------------------

    def new_nonce(self) -> str:
        nonce = secrets.token_urlsafe(24)
        with self._lock:
            self.nonces[nonce] = self.now() + NONCE_TTL
        return nonce

    def redeem_nonce(self, nonce: str) -> str | None:
        """Exchange a fresh nonce for a new session id; None if unknown, used or expired."""
        with self._lock:
            expires = self.nonces.pop(nonce, None)
            if expires is None or self.now() >= expires:
                return None
            session = secrets.token_urlsafe(32)
            self.sessions[session] = self.now() + SESSION_TTL
            return session

    def session_valid(self, session: str | None) -> bool:
        if not session:
            return False
        with self._lock:
            expires = self.sessions.get(session)
            return expires is not None and self.now() < expires
