"""``cxreports export-batch``: many exports from a JSON Lines manifest, resumably."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from cxreports._options import ExportArgs
from cxreports.errors import CxReportsError

if TYPE_CHECKING:
    from cxreports.models import ExportFormat

from ._common import (
    STDERR,
    Settings,
    UsageError,
    formats,
    human_size,
    one_line,
    ref,
    settings,
)

KEYS = frozenset(
    {"report", "output", "format", "params", "data", "tempData", "theme", "template", "lang",
     "timezone", "includeAttachments"}
)  # fmt: skip


@dataclass
class BatchItem:
    """One manifest line, checked."""

    line: int
    report: int | str
    output: str
    options: ExportArgs


def check_line(number: int, raw: Any) -> BatchItem:
    """A manifest line as export arguments; ValueError says what is wrong with it."""
    if not isinstance(raw, dict):
        raise ValueError("expected a JSON object")
    if unknown := sorted(set(raw) - KEYS):
        raise ValueError(f"unknown key(s) {', '.join(unknown)}")
    report, output = raw.get("report"), raw.get("output")
    if isinstance(report, bool) or not isinstance(report, int | str) or not str(report).strip():
        raise ValueError('"report" must be a report id or a report type code')
    if not isinstance(output, str) or not output.strip() or output.endswith(("/", "\\")):
        raise ValueError('"output" must be a file name')
    if Path(output).is_absolute() or ".." in Path(output).parts:
        raise ValueError(f'"output" must stay inside --out: {output!r}')
    suffix = Path(output).suffix.lstrip(".").lower()
    fmt = raw.get("format", suffix if suffix in formats() else "pdf")
    if not isinstance(fmt, str) or fmt.lower() not in formats():
        raise ValueError(f'"format" must be one of {", ".join(formats())}')
    options = ExportArgs(format=cast("ExportFormat", fmt.lower()))
    if raw.get("params") is not None:
        options["params"] = raw["params"]
    if raw.get("data") is not None:
        options["data"] = raw["data"]
    if (temp := raw.get("tempData")) is not None:
        if isinstance(temp, bool) or not isinstance(temp, int):
            raise ValueError('"tempData" must be an id from push-data')
        if "data" in options:
            raise ValueError('give "data" or "tempData", not both')
        options["temp_data"] = temp
    for key in ("theme", "template", "lang", "timezone"):
        if (value := raw.get(key)) is not None:
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f'"{key}" must be a non-empty string')
            options[key] = value
    if (attachments := raw.get("includeAttachments")) is not None:
        if not isinstance(attachments, bool):
            raise ValueError('"includeAttachments" must be true or false')
        options["include_attachments"] = attachments
    return BatchItem(number, ref(report), output, options)


def read_manifest(path: Path) -> list[BatchItem]:
    """Every line checked before any request is sent; all problems are reported at once."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read manifest {path}: {exc}") from None
    items: list[BatchItem] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = check_line(number, json.loads(line))
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except ValueError as exc:
            problems.append(f"{path}:{number}: {exc}")
            continue
        key = os.path.normcase(os.path.normpath(item.output))
        if key in seen:
            problems.append(f"{path}:{number}: output {item.output!r} is also on line {seen[key]}")
            continue
        seen[key] = number
        items.append(item)
    if problems:
        raise UsageError("invalid manifest, nothing was sent:\n" + "\n".join(problems))
    return items


class RateColumn(ProgressColumn):
    """Exports per second so far."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        return Text(f"{task.completed / elapsed if elapsed else 0.0:.1f}/s")


async def run_batch(
    config: Settings, items: list[BatchItem], out: Path, concurrency: int, progress: Progress
) -> tuple[int, list[tuple[BatchItem, str]]]:
    """Export ``items`` with at most ``concurrency`` in flight; one failure stops nothing.

    Returns the bytes written and the failures with their messages.
    """
    failures: list[tuple[BatchItem, str]] = []
    saved: list[Path] = []
    task = progress.add_task("Exporting", total=len(items))
    # ``concurrency`` workers take the next item from one shared iterator: as many tasks as
    # exports in flight, not one per line waiting on a semaphore (a manifest may be long).
    pending = iter(items)
    # Folders made (or found) so far: each is made once, not stat()ed on the event loop
    # for every file, where each system call waits behind the other exports' fsyncs.
    folders = {out}

    async with config.async_client() as client:

        async def worker() -> None:
            for item in pending:
                target = out / item.output
                try:
                    if target.parent not in folders:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        folders.add(target.parent)
                    saved.append(await client.export_to_file(item.report, target, **item.options))
                except (CxReportsError, OSError, ValueError, TypeError) as exc:
                    failures.append((item, one_line(str(exc))))
                except Exception as exc:
                    # Not one of ours (a bug, or a transport's own exception): recorded for
                    # this line like any failure, so the other lines still run and the
                    # summary is printed.
                    failures.append((item, one_line(f"unexpected {type(exc).__name__}: {exc}")))
                progress.advance(task)

        await asyncio.gather(*(worker() for _ in range(min(concurrency, len(items)))))
    return sum(_size(path) for path in saved), failures


def _size(path: Path) -> int:
    """The size of a saved file, for the summary (0 if it has gone since)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def export_batch(
    ctx: typer.Context,
    manifest: Annotated[
        Path,
        typer.Argument(metavar="MANIFEST.jsonl", help="One export per line.", show_default=False),
    ],
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Where the files go.")],
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, metavar="N", help="Exports in flight at once.")
    ] = 4,
) -> None:
    """Export every line of MANIFEST.jsonl into DIR; a rerun skips files already there.

    \b
    Each line is a JSON object, for example:
      {"report": "invoice", "output": "acme.pdf", "params": {"customer": "Acme"}}
    "report" (an id or a report type code) and "output" (a path inside DIR) are
    required. Optional: "format" (default: the output's extension, else pdf),
    "params", "data", "tempData", "theme", "template", "lang", "timezone",
    "includeAttachments".

    Files appear only when complete, so an interrupted run can simply be run again.
    Exits with 1 if any export failed, listing each with the server's message.
    """
    items = read_manifest(manifest)
    out.mkdir(parents=True, exist_ok=True)
    todo = [item for item in items if not (out / item.output).is_file()]
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=STDERR,
        disable=not STDERR.is_terminal,
    )
    started = time.monotonic()
    with progress:
        written, failures = asyncio.run(run_batch(settings(ctx), todo, out, concurrency, progress))
    elapsed = time.monotonic() - started
    done = len(todo) - len(failures)
    print(
        f"{done} exported ({human_size(written)}), {len(items) - len(todo)} already there, "
        f"{len(failures)} failed, in {elapsed:.1f} s ({done / elapsed if elapsed else 0:.1f}/s)"
    )
    for item, message in sorted(failures, key=lambda failure: failure[0].line):
        print(f"error: line {item.line} ({item.output}): {message}", file=sys.stderr)
    if failures:
        raise typer.Exit(1)
