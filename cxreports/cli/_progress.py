"""What a long command shows on a terminal: a spinner with its status, then a download's
bytes, rate and (with a Content-Length) a bar. Nothing at all when stderr is not a terminal."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from rich.console import RenderableType
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from rich.text import Text

import cxreports

from . import _common


class _TransferColumns(ProgressColumn):
    """Bytes, rate and (with a Content-Length) a bar, once a download has begun."""

    def __init__(self) -> None:
        super().__init__()
        self._bar, self._size, self._rate = BarColumn(), DownloadColumn(), TransferSpeedColumn()

    def render(self, task: Task) -> RenderableType:
        if not task.fields.get("downloading"):
            return Text("")
        shown = [self._bar] if task.total else []
        grid = Table.grid(padding=(0, 1))
        cells = [column.render(task) for column in (*shown, self._size, self._rate)]
        grid.add_row(*cells)
        return grid


class _CountingStream(httpx.SyncByteStream):
    """A response body that reports each chunk as it arrives."""

    def __init__(self, stream: Any, advance: Callable[[int], None]) -> None:
        self._stream, self._advance = stream, advance

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            self._advance(len(chunk))
            yield chunk

    def close(self) -> None:
        self._stream.close()


class Activity:
    """What a long command shows on a terminal: its status, then a download's progress."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress, self._task = progress, task

    def __call__(self, description: str) -> None:
        # refresh=True draws each new status at once; the refresh thread alone (10 times a
        # second) can miss a short-lived status on a busy machine.
        self._progress.update(self._task, description=description, refresh=True)

    def watch(self, client: cxreports.Client) -> None:
        """Show the progress of the client's file downloads (not its JSON calls)."""
        if not self._progress.disable:
            client._http.event_hooks["response"].append(self._on_response)

    def _on_response(self, response: httpx.Response) -> None:
        content_type = response.headers.get("Content-Type", "")
        if response.is_error or content_type.startswith(
            ("application/json", "application/problem")
        ):
            return
        length = response.headers.get("Content-Length", "")
        # A retried download starts again from zero.
        self._progress.reset(
            self._task, total=int(length) if length.isdigit() else None, downloading=True
        )
        response.stream = _CountingStream(
            response.stream, lambda n: self._progress.advance(self._task, n)
        )


@contextlib.contextmanager
def activity(text: str) -> Iterator[Activity]:
    """A spinner on stderr while waiting; nothing at all when stderr is not a terminal."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        _TransferColumns(),
        TimeElapsedColumn(),
        console=_common.STDERR,
        transient=True,
        disable=not _common.STDERR.is_terminal,
    )
    with progress:
        yield Activity(progress, progress.add_task(text, total=None))
