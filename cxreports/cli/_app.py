"""The typer application and the one place where errors become exit statuses."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
import warnings
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.logging import RichHandler

from cxreports.errors import ConfigurationError, CxReportsError

from . import _batch, _commands
from ._common import SECRETS, STDERR, Settings, UsageError, one_line, redact


def root(
    ctx: typer.Context,
    url: Annotated[
        str | None, typer.Option("--url", metavar="URL", help="Default: $CXREPORTS_URL.")
    ] = None,
    token: Annotated[
        str | None,
        typer.Option("--token", metavar="TOKEN", help="Default (and safer): $CXREPORTS_TOKEN."),
    ] = None,
    workspace: Annotated[
        str | None,
        typer.Option("--workspace", "-w", metavar="WS", help="Default: $CXREPORTS_WORKSPACE."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every request.")] = False,
) -> None:
    """CxReports from the command line: list, export, preview, push data, run jobs."""
    ctx.obj = Settings(url, token, workspace, verbose)
    if token:
        SECRETS.add(token)
    if verbose:
        logger = logging.getLogger("cxreports")
        logger.setLevel(logging.DEBUG)
        handler: logging.Handler
        if STDERR.is_terminal:
            handler = RichHandler(console=STDERR, show_path=False, markup=False)
        else:  # CI logs: one plain line per request, never wrapped
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
        logger.addHandler(handler)


def build_app() -> typer.Typer:
    app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None)
    app.callback()(root)
    commands: list[tuple[str, Callable[..., Any]]] = [
        ("doctor", _commands.doctor),
        ("workspaces", _commands.workspaces),
        ("report-types", _commands.report_types),
        ("reports", _commands.reports),
        ("pages", _commands.pages),
        ("templates", _commands.templates),
        ("themes", _commands.themes),
        ("jobs", _commands.jobs),
        ("export", _commands.export),
        ("export-batch", _batch.export_batch),
        ("download-url", _commands.download_url),
        ("preview-url", _commands.preview_url),
        ("push-data", _commands.push_data),
    ]
    for name, func in commands:
        app.command(name)(func)
    job = typer.Typer(help="Run jobs.", no_args_is_help=True)
    job.command("run")(_commands.job_run)
    app.add_typer(job, name="job")
    # Everything after `serve` goes to python -m cxreports.testing's own parser.
    app.command(
        "serve",
        add_help_option=False,
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(_commands.serve)
    return app


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    print(f"warning: {redact(str(message))}", file=sys.stderr)


def _usage_exit(exc: Exception) -> int:
    """typer's own usage errors (bad option, missing argument) as one line."""
    message: str = exc.format_message()  # type: ignore[attr-defined]
    if type(exc).__name__ == "NoArgsIsHelpError":  # a group without its command: show help
        print(message, file=sys.stderr)
    else:
        where = getattr(getattr(exc, "ctx", None), "command_path", None) or "cxreports"
        print(f"error: {message} (see {where} --help)", file=sys.stderr)
    code: int = exc.exit_code  # type: ignore[attr-defined]
    return code


def run_app(args: list[str]) -> int:
    """Run the application; every error is one line on stderr and an exit status.

    1: the API or the file system failed; 2: the command line is wrong; 130: interrupted.
    """
    if token := os.environ.get("CXREPORTS_TOKEN", "").strip():
        SECRETS.add(token)
    warnings.showwarning = _one_line_warning
    command = typer.main.get_command(build_app())
    try:
        result = command.main(args=args or ["--help"], prog_name="cxreports", standalone_mode=False)
    except CxReportsError as exc:
        if isinstance(exc, ConfigurationError):  # no URL, token or workspace: usage
            print(f"error: {one_line(str(exc))}", file=sys.stderr)
            return 2
        # Server and network faults, each typed and naming method, host and path.
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except (UsageError, ValueError, TypeError) as exc:
        # ValueError and TypeError: the client's checks of arguments, before sending (the
        # client raises a CxReportsError for anything that comes from the server).
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except typer.Abort:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as coreutils do.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 1
    except OSError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except Exception as exc:
        if hasattr(exc, "exit_code") and hasattr(exc, "format_message"):
            return _usage_exit(exc)
        # A bug: still one line; the traceback only with --verbose.
        print(f"error: unexpected {type(exc).__name__}: {one_line(str(exc))}", file=sys.stderr)
        if "-v" in args or "--verbose" in args:
            print(redact(traceback.format_exc()), file=sys.stderr)
        return 1
    return result if isinstance(result, int) else 0
