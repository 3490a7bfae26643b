"""The commands that make one request (or one flow): lists, exports, URLs, data and jobs."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import attrs
import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cxreports.models import ExportStatus, JobRunStatus

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
    activity,
    check_target,
    export_args,
    export_format,
    note,
    parse_when,
    preview_args,
    read_json,
    ref,
    settings,
    write_stdout_bytes,
)

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
    """A JSON array of the result fields, or a table without its all-empty columns."""
    rows = [attrs.asdict(item) for item in items]
    if as_json:
        text = json.dumps(rows, indent=2, ensure_ascii=False, default=_cell)
        sys.stdout.write(text + "\n")
        return
    if not rows:
        note("(none)")
        return
    # Fields the server sent beyond the declared ones become columns too, by wire name.
    rows = [{**row, **row.pop("extra")} for row in rows]
    names = list(dict.fromkeys(name for row in rows for name in row))
    columns = [name for name in names if any(row.get(name) is not None for row in rows)]
    table = Table(box=box.SIMPLE_HEAD, header_style="bold")
    for name in columns:
        table.add_column(name.replace("_", " "))
    for row in rows:
        table.add_row(*(Text(_cell(row.get(name))) for name in columns))
    Console(highlight=False).print(table)


def workspaces(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the workspaces the token can use."""
    with settings(ctx).client() as client:
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
    exclude_page: Annotated[
        list[int] | None,
        typer.Option("--exclude-page", metavar="N", help="Page id to leave out (--async only)."),
    ] = None,
    attachments: AttachmentsOpt = False,
    run_async: Annotated[
        bool, typer.Option("--async", help="Queue it on the server, wait, then download.")
    ] = False,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="PATH", help="File, folder, or - for stdout."),
    ] = None,
) -> None:
    """Export REPORT to a file and print the file's path.

    The default file is the server's file name in the current folder. The file appears
    only once complete. `-o -` writes the document to stdout instead.
    """
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
    target = Path.cwd() if output is None or to_stdout else check_target(Path(output), "-o")
    report_ref = ref(report)
    with settings(ctx).client() as client, activity(f"Exporting {report} ({format_})") as show:
        if run_async:
            handle = client.start_export(report_ref, exclude_page, **options)

            def on_status(status: ExportStatus) -> None:
                show(f"Export {handle.id} of {report}: {status.status}")

            handle.wait(on_status=on_status)
            show(f"Downloading export {handle.id}")
            if to_stdout:
                write_stdout_bytes(handle.content().content)
                return
            path = handle.save(target)
        elif to_stdout:
            write_stdout_bytes(client.export(report_ref, **options).content)
            return
        else:
            path = client.export_to_file(report_ref, target, **options)
    print(path)


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
            help="+30m, +2h, +7d from now, or a date and time such as '2099-12-01 18:00' "
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
    params = None if params_json is None else read_json(params_json, "--params-json")
    content = None if data is None else read_json(data, "--data")
    if review_document is not None:
        check_target(Path(review_document), "--review-document")
    with settings(ctx).client() as client:
        run = client.start_job_run(ref(job), params=params, data=content)
        print(run.id, flush=True)
        if not (wait or review_document or deliver):
            return
        with activity(f"Job run {run.id}") as show:

            def on_status(s: JobRunStatus) -> None:
                finished = s.completed + s.review + s.errors
                show(f"Job run {run.id}: {finished}/{s.entries} done, {s.errors} errors")

            final = run.wait(on_status=on_status)
            note(
                f"job run {run.id}: {final.entries} entries, {final.completed} completed, "
                f"{final.review} to review, {final.errors} errors"
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


def serve(ctx: typer.Context) -> None:
    """Run the local CxReports server; the options of python -m cxreports.testing (--help)."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401

        from cxreports.testing.__main__ import main as serve_main
    except ImportError as exc:
        raise UsageError(
            f"serve needs the testing extra ({exc.name} is missing): "
            "pip install 'cxreports[testing]'"
        ) from None
    raise typer.Exit(serve_main(list(ctx.args), prog="cxreports serve"))
