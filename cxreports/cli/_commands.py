"""The commands that make one request (or one flow): lists, exports, URLs, data and jobs."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import sys
from pathlib import Path
from typing import Annotated, Any, cast

import attrs
import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cxreports.exports import Export
from cxreports.models import JobRunStatus

from ._common import (
    AttachmentsOpt,
    DataOpt,
    FormatOpt,
    JsonOpt,
    LangOpt,
    ParamOpt,
    ParamsJsonOpt,
    ReportArg,
    TempDataOpt,
    TemplateOpt,
    ThemeOpt,
    TimezoneOpt,
    UsageError,
    check_target,
    count,
    export_args,
    export_format,
    note,
    parse_params,
    parse_when,
    preview_args,
    read_json,
    redact,
    ref,
    settings,
    write_stdout_bytes,
)
from ._progress import Activity, activity

# -- lists -----------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):  # an extra field's JSON value
        return json.dumps(value, ensure_ascii=False)
    return value.isoformat() if isinstance(value, dt.datetime) else str(value)


def show(items: list[Any], as_json: bool) -> None:
    """A JSON array of the result fields, a table for people, or tab-separated rows for pipes.

    As gh does: when stdout is not a terminal (pipes, cron, CI) every field of every item
    goes out as one line of tab-separated values, never cut to a width and without a header.
    On a terminal the table drops its all-empty columns and never shortens an id or a code.
    """
    rows = [attrs.asdict(item) for item in items]
    if as_json:
        text = json.dumps(rows, indent=2, ensure_ascii=False, default=_cell)
        sys.stdout.write(text + "\n")
        return
    # Fields the server sent beyond the declared ones become columns too, by wire name.
    rows = [{k: v for k, v in row.items() if k != "extra"} | row.get("extra", {}) for row in rows]
    names = list(dict.fromkeys(name for row in rows for name in row))
    console = Console(highlight=False)
    if not console.is_terminal:
        for row in rows:
            sys.stdout.write("\t".join(_tsv(row.get(name)) for name in names) + "\n")
        return
    if not rows:
        note("(none)")
        return
    columns = [name for name in names if any(row.get(name) is not None for row in rows)]
    table = Table(box=box.SIMPLE_HEAD, header_style="bold")
    for name in columns:
        header = name.replace("_", " ")
        if name in ("id", "code") or name.endswith("_id"):  # what users type: shown whole
            width = max(len(header), *(len(_cell(row.get(name))) for row in rows))
            table.add_column(header, no_wrap=True, min_width=width, overflow="fold")
        else:
            table.add_column(header)
    for row in rows:
        table.add_row(*(Text(_cell(row.get(name))) for name in columns))
    console.print(table)


def _tsv(value: Any) -> str:
    """One field of a tab-separated row: tabs and line breaks inside it become spaces."""
    return re.sub(r"[\t\r\n]+", " ", _cell(value))


def doctor(ctx: typer.Context) -> int:
    """Check the connection, the token, the default workspace and the server's API.

    The live API (when the server exposes Swagger) is compared with the one this package was
    generated for, as make spec does. Exit 0: all fine (compatible API changes are listed);
    1: cannot connect, token refused or workspace unknown; 3: the API changed in a way that
    breaks cxreports.
    """
    with settings(ctx).client() as client:
        check = client.check_api()
    sys.stdout.write(redact(check.report()))
    if check.breaking:
        return 3
    return 0 if check.ok else 1


def workspaces(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the workspaces the token can use."""
    with settings(ctx).client(needs_workspace=False) as client:
        show(client.workspaces(), as_json)


def report_types(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the report types (their codes work wherever REPORT is asked)."""
    with settings(ctx).client() as client:
        show(client.report_types(), as_json)


def reports(
    ctx: typer.Context,
    type: Annotated[str | None, typer.Option("--type", metavar="T", help="Type code.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the reports, or those of one report type."""
    with settings(ctx).client() as client:
        show(client.reports(type=type), as_json)


def pages(ctx: typer.Context, report: ReportArg, as_json: JsonOpt = False) -> None:
    """List a report's pages (their ids go to export --exclude-page)."""
    with settings(ctx).client() as client:
        show(client.report_pages(ref(report)), as_json)


def templates(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the templates."""
    with settings(ctx).client() as client:
        show(client.templates(), as_json)


def themes(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the themes."""
    with settings(ctx).client() as client:
        show(client.themes(), as_json)


def jobs(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the jobs."""
    with settings(ctx).client() as client:
        show(client.jobs(), as_json)


# -- exports and URLs ------------------------------------------------------------------------------


def export(
    ctx: typer.Context,
    report: Annotated[
        str | None,
        typer.Argument(
            metavar="REPORT", help="Report id, or report type code.", show_default=False
        ),
    ] = None,
    fmt: FormatOpt = "pdf",
    param: ParamOpt = None,
    params_json: ParamsJsonOpt = None,
    data: DataOpt = None,
    temp_data: TempDataOpt = None,
    theme: ThemeOpt = None,
    template: TemplateOpt = None,
    lang: LangOpt = None,
    timezone: TimezoneOpt = None,
    exclude_page: Annotated[
        list[int] | None,
        typer.Option("--exclude-page", metavar="N", help="Page id to leave out (--async only)."),
    ] = None,
    attachments: AttachmentsOpt = False,
    run_async: Annotated[
        bool, typer.Option("--async", help="Queue it on the server, wait, then download.")
    ] = False,
    resume: Annotated[
        int | None,
        typer.Option(
            "--resume",
            metavar="ID",
            help="Wait for an export started with --async (by its id), then download it.",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="PATH", help="File, folder, or - for stdout."),
    ] = None,
) -> None:
    """Export REPORT to a file and print the file's path.

    The default file is the server's file name in the current folder. The file appears
    only once complete. `-o -` writes the document to stdout instead.
    """
    if report is not None and resume is not None:
        raise UsageError("give a REPORT to export or --resume ID, not both")
    if report is None and resume is None:
        raise UsageError("missing REPORT (or --resume ID for an export started with --async)")
    given = [param, params_json, data, temp_data, theme, template, lang, timezone, exclude_page]
    if resume is not None and (any(v is not None for v in given) or attachments or run_async):
        raise UsageError(
            "--resume takes only -o: the export's options were set when it was started"
        )
    format_ = export_format(fmt)
    base = preview_args(param, params_json, data, temp_data, theme, template, timezone)
    options = export_args(base, format_, lang, attachments)
    if exclude_page and not run_async:
        raise UsageError(
            "--exclude-page needs --async: the synchronous export cannot leave pages out"
        )
    to_stdout = output == "-"
    if to_stdout and sys.stdout.isatty():
        raise UsageError("refusing to write a document to a terminal: redirect stdout or use -o")
    # Paths are printed as given: relative to the current folder unless -o was absolute.
    target = Path(".") if output is None or to_stdout else check_target(Path(output), "-o")
    what = f"export {resume}" if report is None else f"{report} ({format_})"
    path: Path | None = None
    with settings(ctx).client() as client, activity(f"Exporting {what}") as show:
        show.watch(client)
        if report is not None and not run_async:
            if to_stdout:
                write_stdout_bytes(client.export(ref(report), **options).content)
            else:
                path = client.export_to_file(ref(report), target, **options)
        else:
            if report is None:
                handle = client.get_export(cast(int, resume))
            else:
                handle = client.start_export(ref(report), exclude_page, **options)
            path = _wait_and_save(handle, report, show, None if to_stdout else target, output)
    if path is not None:
        print(path)  # once the progress display is gone (it captures stdout while shown)


def _wait_and_save(
    handle: Export, report: str | None, show: Activity, target: Path | None, output: str | None
) -> Path | None:
    """Wait for an async export, then save it (or write it to stdout for no ``target``).

    On Ctrl-C, say how to pick the export up again: it stays on the server.
    """
    of = "" if report is None else f" of {report}"
    try:
        handle.wait(on_status=lambda s: show(f"Export {handle.id}{of}: {s.status}"))
        show(f"Downloading export {handle.id}")
        if target is None:
            write_stdout_bytes(handle.content().content)
            return None
        return handle.save(target)
    except KeyboardInterrupt:
        again = ["cxreports", "export", "--resume", str(handle.id), "-w", handle.workspace]
        if output is not None:
            again += ["-o", output]
        note(
            f"interrupted: export {handle.id} stays on the server; "
            f"resume it with: {shlex.join(again)}"
        )
        raise


def download_url(
    ctx: typer.Context,
    report: ReportArg,
    fmt: FormatOpt = "pdf",
    param: ParamOpt = None,
    params_json: ParamsJsonOpt = None,
    data: DataOpt = None,
    temp_data: TempDataOpt = None,
    theme: ThemeOpt = None,
    template: TemplateOpt = None,
    lang: LangOpt = None,
    timezone: TimezoneOpt = None,
    attachments: AttachmentsOpt = False,
) -> None:
    """Print a single-use export URL that a browser can open without the token."""
    base = preview_args(param, params_json, data, temp_data, theme, template, timezone)
    options = export_args(base, export_format(fmt), lang, attachments)
    with settings(ctx).client() as client:
        print(client.download_url(ref(report), **options))


def preview_url(
    ctx: typer.Context,
    report: ReportArg,
    param: ParamOpt = None,
    params_json: ParamsJsonOpt = None,
    data: DataOpt = None,
    temp_data: TempDataOpt = None,
    theme: ThemeOpt = None,
    template: TemplateOpt = None,
    timezone: TimezoneOpt = None,
    hide_print_button: Annotated[bool, typer.Option("--hide-print-button")] = False,
) -> None:
    """Print a single-use preview URL for an iframe (the token never reaches the browser)."""
    options = preview_args(param, params_json, data, temp_data, theme, template, timezone)
    if hide_print_button:
        options["hide_print_button"] = True
    with settings(ctx).client() as client:
        print(client.preview_url(ref(report), **options))


def push_data(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE|-", help="The JSON to upload, or - for stdin.", show_default=False
        ),
    ],
    expires: Annotated[
        str | None,
        typer.Option(
            "--expires",
            metavar="WHEN",
            help="+30m, 2h, +7d from now, or a date and time such as '2099-12-01 18:00' "
            "or '1 Dec 2099 6pm' (local time unless a zone is given). "
            "Default: the server's (24 hours).",
        ),
    ] = None,
) -> None:
    """Upload data once and print its id, for export --temp-data ID."""
    when = None if expires is None else parse_when(expires)
    content = read_json(file, "FILE")
    with settings(ctx).client() as client:
        print(client.push_temporary_data(content, expires=when).id)


# -- jobs ------------------------------------------------------------------------------------------


def job_run(
    ctx: typer.Context,
    job: Annotated[str, typer.Argument(metavar="JOB", help="Job id or code.", show_default=False)],
    param: ParamOpt = None,
    params_json: ParamsJsonOpt = None,
    data: DataOpt = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait until no entry is queued.")] = False,
    review_document: Annotated[
        str | None,
        typer.Option("--review-document", metavar="PATH", help="Save the review document."),
    ] = None,
    deliver: Annotated[bool, typer.Option("--deliver", help="Deliver the run at the end.")] = False,
) -> None:
    """Start a run of JOB and print its id; optionally wait, save its review, deliver it."""
    if params_json == "-" and data == "-":
        raise UsageError("only one of --params-json and --data can read stdin (-)")
    params = parse_params(param, params_json)
    content = None if data is None else read_json(data, "--data")
    if review_document is not None:
        check_target(Path(review_document), "--review-document")
    with settings(ctx).client() as client:
        run = client.start_job_run(ref(job), params=params, data=content)
        print(run.id, flush=True)
        if not (wait or review_document or deliver):
            return
        with activity(f"Job run {run.id}") as show:
            show.watch(client)  # the review document's download

            def on_status(s: JobRunStatus) -> None:
                finished = s.completed + s.review + s.errors
                show(f"Job run {run.id}: {finished}/{s.entries} done, {count(s.errors, 'error')}")

            final = run.wait(on_status=on_status)
            note(
                f"job run {run.id}: {count(final.entries, 'entry', 'entries')}, "
                f"{final.completed} completed, {final.review} to review, "
                f"{count(final.errors, 'error')}"
            )
            if review_document is not None:
                show(f"Job run {run.id}: review document")
                document = run.review_document().wait()
                note(f"review document: {document.save(review_document)}")
            if deliver:
                show(f"Job run {run.id}: delivering")
                run.deliver()
                note(f"job run {run.id} delivered")


# -- the local server ------------------------------------------------------------------------------


def serve(
    host: Annotated[
        str | None,
        typer.Option("--host", metavar="HOST", help="Default 127.0.0.1.", show_default=False),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", metavar="PORT", help="Default 8765; 0 picks a free port."),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(metavar="T", help="Bearer token (default: the seed's).", show_default=False),
    ] = None,
    seed: Annotated[
        str | None,
        typer.Option(metavar="FILE", help="JSON seed replacing the default tenant."),
    ] = None,
    render_delay: Annotated[
        float | None,
        typer.Option(metavar="SECONDS", help="Async exports and job runs (default 0.5)."),
    ] = None,
    export_ttl: Annotated[
        float | None,
        typer.Option(metavar="SECONDS", help="How long a finished export stays (default 3600)."),
    ] = None,
    max_page_size: Annotated[
        int | None, typer.Option(metavar="N", help="Cap list pages at N items.")
    ] = None,
    faults: Annotated[
        str | None, typer.Option(metavar="SPEC", help="e.g. 'list_workspaces:503=0x2'.")
    ] = None,
    log_level: Annotated[
        str | None, typer.Option(metavar="LEVEL", help="uvicorn's (default warning).")
    ] = None,
) -> None:
    """Run the local CxReports server in the foreground (python -m cxreports.testing)."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401

        from cxreports.testing.__main__ import main as serve_main
    except ImportError as exc:
        raise UsageError(
            f"serve needs the testing extra ({exc.name} is missing): "
            "pip install 'cxreports[testing]'"
        ) from None
    given = {
        "--host": host, "--port": port, "--token": token, "--seed": seed,
        "--render-delay": render_delay, "--export-ttl": export_ttl,
        "--max-page-size": max_page_size, "--faults": faults, "--log-level": log_level,
    }  # fmt: skip
    argv = [arg for name, value in given.items() if value is not None for arg in (name, str(value))]
    raise typer.Exit(serve_main(argv, prog="cxreports serve"))
