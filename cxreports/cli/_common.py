"""What the commands share: settings, option types, argument parsing, stderr output."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, TypedDict, cast, get_args

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

import cxreports
from cxreports import _files as files
from cxreports._options import ExportArgs

if TYPE_CHECKING:
    from cxreports.models import ExportFormat

_RELATIVE = re.compile(r"^\+\s*(\d+(?:\.\d+)?)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# Values never to print: the token from --token or CXREPORTS_TOKEN.
SECRETS: set[str] = set()


class UsageError(Exception):
    """A mistake on the command line, found before anything is sent (exit status 2)."""


@dataclass
class Settings:
    """The global options; each command builds its client from them."""

    url: str | None = None
    token: str | None = None
    workspace: str | None = None
    verbose: bool = False

    def client(self) -> cxreports.Client:
        return cxreports.Client(self.url, self.token, self.workspace)

    def async_client(self) -> cxreports.AsyncClient:
        return cxreports.AsyncClient(self.url, self.token, self.workspace)


def settings(ctx: typer.Context) -> Settings:
    return cast(Settings, ctx.find_root().obj)


# -- options shared by several commands ------------------------------------------------------------

ParamOpt: TypeAlias = Annotated[
    list[str] | None,
    typer.Option(
        "--param", metavar="KEY=VALUE", help="A string parameter, or KEY:=JSON; repeatable."
    ),
]
ParamsJsonOpt: TypeAlias = Annotated[
    str | None, typer.Option("--params-json", metavar="FILE|-", help="Parameters (JSON object).")
]
DataOpt: TypeAlias = Annotated[
    str | None, typer.Option("--data", metavar="FILE|-", help="Report data (JSON), sent inline.")
]
TempDataOpt: TypeAlias = Annotated[
    int | None, typer.Option("--temp-data", metavar="ID", help="Data uploaded with push-data.")
]
ThemeOpt: TypeAlias = Annotated[
    str | None, typer.Option("--theme", metavar="T", help="Theme code or id.")
]
TemplateOpt: TypeAlias = Annotated[
    str | None, typer.Option("--template", metavar="T", help="Template code or id.")
]
LangOpt: TypeAlias = Annotated[
    str | None, typer.Option("--lang", metavar="L", help="Language, e.g. de.")
]
TimezoneOpt: TypeAlias = Annotated[
    str | None, typer.Option("--timezone", metavar="TZ", help="IANA zone, e.g. Europe/Berlin.")
]
FormatOpt: TypeAlias = Annotated[
    str,
    typer.Option(
        "--format", "-f", metavar="FORMAT", help="Any format the API lists: pdf, docx, xlsx..."
    ),
]
AttachmentsOpt: TypeAlias = Annotated[
    bool, typer.Option("--attachments", help="Add the report's attachments (gives a zip).")
]
JsonOpt: TypeAlias = Annotated[bool, typer.Option("--json", help="Print JSON, for machines.")]
ReportArg: TypeAlias = Annotated[
    str,
    typer.Argument(metavar="REPORT", help="Report id, or report type code.", show_default=False),
]


# -- argument parsing ------------------------------------------------------------------------------


def ref(value: str | int) -> int | str:
    """Numeric strings are ids, anything else a code (report type, job, theme...)."""
    if isinstance(value, int):
        return value
    return int(value) if re.fullmatch(r"[0-9]+", value) else value


@functools.cache
def formats() -> tuple[str, ...]:
    """The export formats of the generated package (pdf first), so a format the server adds
    needs no edit here. Loaded on first use: it imports the generated models."""
    from cxreports.models import ExportFormat

    return tuple(sorted(get_args(ExportFormat), key=lambda name: (name != "pdf", name)))


def export_format(value: str) -> ExportFormat:
    if value.lower() not in formats():
        raise UsageError(f"--format must be one of {', '.join(formats())}, not {value!r}")
    return cast("ExportFormat", value.lower())


def read_json(source: str, option: str) -> Any:
    """JSON from a file, or from stdin for ``-``."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{option}: cannot read {source}: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = "stdin" if source == "-" else source
        raise UsageError(
            f"{option}: {where} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None


def check_target(path: Path, option: str) -> Path:
    """Where a download goes, checked before anything (an async render, say) is started,
    by the client's own check, as a usage error."""
    try:
        return files.check_target(path)
    except OSError as exc:
        raise UsageError(f"{option}: {exc}") from None


def parse_params(pairs: list[str] | None, params_json: str | None) -> Any:
    """Parameters from ``--params-json``, overridden key by key by ``--param``."""
    params: Any = None if params_json is None else read_json(params_json, "--params-json")
    if not pairs:
        return params
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise UsageError("--param needs --params-json to hold a JSON object")
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.rstrip(":"):
            raise UsageError(f"--param {pair!r}: expected KEY=VALUE or KEY:=JSON")
        if key.endswith(":"):
            try:
                params[key[:-1]] = json.loads(value)
            except json.JSONDecodeError as exc:
                raise UsageError(f"--param {pair!r}: not valid JSON: {exc.msg}") from None
        else:
            params[key] = value
    return params


class PreviewArgs(TypedDict, total=False):
    """What ``preview-url`` passes on, and exports share."""

    params: Any
    data: Any
    temp_data: int
    theme: str | int
    template: str | int
    timezone: str
    hide_print_button: bool


def preview_args(
    param: list[str] | None,
    params_json: str | None,
    data: str | None,
    temp_data: int | None,
    theme: str | None,
    template: str | None,
    timezone: str | None,
) -> PreviewArgs:
    """The options exports, download URLs and previews share; at most one reads stdin."""
    if params_json == "-" and data == "-":
        raise UsageError("only one of --params-json and --data can read stdin (-)")
    args: PreviewArgs = {}
    if (params := parse_params(param, params_json)) is not None:
        args["params"] = params
    if data is not None:
        args["data"] = read_json(data, "--data")
    if temp_data is not None:
        args["temp_data"] = temp_data
    if theme is not None:
        args["theme"] = ref(theme)
    if template is not None:
        args["template"] = ref(template)
    if timezone is not None:
        args["timezone"] = timezone
    return args


def export_args(
    base: PreviewArgs, format: ExportFormat, lang: str | None, attachments: bool
) -> ExportArgs:
    args = cast(ExportArgs, dict(base))
    args["format"] = format
    if lang is not None:
        args["lang"] = lang
    if attachments:
        args["include_attachments"] = True
    return args


def parse_when(text: str) -> dt.datetime | dt.timedelta:
    """``+30m``/``+2h``/``+7d`` from now, or a date and time (naive means local time).

    Checked here, so a past or unreadable time is an error before anything is sent.
    """
    from dateutil import parser as date_parser

    text = text.strip()
    if match := _RELATIVE.match(text):
        delay = dt.timedelta(**{_UNITS[match[2]]: float(match[1])})
        if delay <= dt.timedelta(0):
            raise UsageError(f"--expires {text!r} must be in the future")
        return delay
    if text.startswith(("+", "-")):
        raise UsageError(f"--expires {text!r}: a relative time is +N then s, m, h, d or w")
    try:
        when = date_parser.parse(text)
    except (ValueError, OverflowError):
        raise UsageError(
            f"--expires: cannot read {text!r} as a date and time "
            "(e.g. '+2h', '+7d', '2099-12-01 18:00')"
        ) from None
    when = when if when.tzinfo is not None else when.astimezone()
    if when <= dt.datetime.now(dt.UTC):
        raise UsageError(
            f"--expires {text!r} ({when.isoformat(timespec='minutes')}) is in the past"
        )
    return when


# -- output ----------------------------------------------------------------------------------------


# One stderr console for progress, logging and notes, so that they never interleave.
STDERR = Console(stderr=True, highlight=False)


@contextlib.contextmanager
def activity(text: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr while waiting; nothing at all when stderr is not a terminal."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=STDERR,
        transient=True,
        disable=not STDERR.is_terminal,
    )
    with progress:
        task = progress.add_task(text, total=None)
        # refresh=True draws each new status at once; the refresh thread alone (10 times a
        # second) can miss a short-lived status on a busy machine.
        yield lambda description: progress.update(task, description=description, refresh=True)


def note(message: str) -> None:
    """A line for people on stderr (never parsed as rich markup)."""
    STDERR.print(Text(message), soft_wrap=True)


def redact(text: str) -> str:
    for secret in SECRETS:
        text = text.replace(secret, "[REDACTED]")
    return text


def human_size(n: int) -> str:
    value = float(n)
    for unit in ("B", "kB", "MB"):
        if value < 1000:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


def write_stdout_bytes(content: bytes) -> None:
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()
