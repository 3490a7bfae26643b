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
import typer.core
from rich.logging import RichHandler

from cxreports._version import __version__
from cxreports.errors import APIConnectionError, ConfigurationError, CxReportsError

from . import _batch, _commands
from ._common import SECRETS, STDERR, Settings, UsageError, one_line, redact


def _print_version(value: bool) -> None:
    if value:
        print(f"cxreports {__version__}")
        raise typer.Exit()


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
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """CxReports from the command line: list, export, preview, push data, run jobs.

    The options above may also follow the command: cxreports reports -w finance.
    """
    ctx.obj = Settings()
    for name, value in (("url", url), ("token", token), ("workspace", workspace)):
        _set_global(ctx.obj, name, value)
    if verbose:
        _set_global(ctx.obj, "verbose", True)


def _set_global(settings: Settings, name: str, value: Any) -> None:
    """Record one global option, wherever on the command line it was given."""
    if value is None or value is False:
        return
    if name == "token":
        SECRETS.add(value)
    if name == "verbose" and not settings.verbose:
        logger = logging.getLogger("cxreports")
        logger.setLevel(logging.DEBUG)
        handler: logging.Handler
        if STDERR.is_terminal:
            handler = RichHandler(console=STDERR, show_path=False, markup=False)
        else:  # CI logs: one plain line per request, never wrapped
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    setattr(settings, name, value)


def _late_global_options() -> list[typer.core.TyperOption]:
    """The global options again, hidden, for every command: `cxreports reports -w finance`.

    The root callback has run by the time a command parses its own options, so these only
    update the settings it made.
    """

    def option(*names: str, is_flag: bool = False) -> typer.core.TyperOption:
        setting = names[0].lstrip("-")
        return typer.core.TyperOption(
            param_decls=list(names),
            is_flag=is_flag or None,
            hidden=True,
            expose_value=False,
            callback=lambda ctx, param, value: _set_global(ctx.find_root().obj, setting, value),
        )

    return [
        option("--url"),
        option("--token"),
        option("--workspace", "-w"),
        option("--verbose", "-v", is_flag=True),
    ]


def _add_late_global_options(group: Any) -> None:
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            _add_late_global_options(command)
        elif name != "serve":  # serve's options are the local server's (its own --token)
            command.params.extend(_late_global_options())


def build_app() -> typer.Typer:
    app = typer.Typer(
        add_completion=False,
        no_args_is_help=True,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
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
    app.command("serve")(_commands.serve)
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


def _with_origin(exc: CxReportsError) -> str:
    """A connection error names the server it could not reach: scheme and host, no more."""
    message = str(exc)
    if isinstance(exc, APIConnectionError) and exc.request is not None:
        url = exc.request.url
        if url.host and url.host not in message:
            host = f"[{url.host}]" if ":" in url.host else url.host  # an IPv6 address
            port = f":{url.port}" if url.port else ""
            message += f" ({url.scheme}://{host}{port})"
    return message


def run_app(args: list[str]) -> int:
    """Run the application; every error is one line on stderr and an exit status.

    1: the API or the file system failed; 2: the command line is wrong; 130: interrupted.
    """
    if token := os.environ.get("CXREPORTS_TOKEN", "").strip():
        SECRETS.add(token)
    warnings.showwarning = _one_line_warning
    command = typer.main.get_command(build_app())
    _add_late_global_options(command)
    try:
        result = command.main(args=args or ["--help"], prog_name="cxreports", standalone_mode=False)
    except CxReportsError as exc:
        if isinstance(exc, ConfigurationError):  # no URL, token or workspace: usage
            print(f"error: {one_line(str(exc))}", file=sys.stderr)
            return 2
        # Server and network faults, each typed and naming method, host and path.
        print(f"error: {one_line(_with_origin(exc))}", file=sys.stderr)
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
