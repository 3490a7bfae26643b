"""Atomic file writes: a download either lands complete or leaves nothing behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import BinaryIO


def _current_umask() -> int:
    # os.umask can only be read by setting it; done once, at import, before any threads.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp creates files readable by their owner only; a saved report should get the mode
# any new file would (or keep the mode of the file it replaces).
_NEW_FILE_MODE = 0o666 & ~_current_umask()


def _open_temp(path: Path) -> tuple[BinaryIO, str]:
    """A new temporary file beside ``path``, with the mode ``path`` has or a new file gets."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"folder does not exist: {folder}")
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = _NEW_FILE_MODE
        os.fchmod(fd, mode)
        return os.fdopen(fd, "wb"), tmp_name
    except BaseException:
        os.close(fd)
        _discard(tmp_name)
        raise


def _commit(handle: BinaryIO, tmp_name: str, path: Path) -> None:
    """Flush to disk, close, and rename over ``path``."""
    with handle:
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp_name, path)


def _discard(tmp_name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp_name)


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Yield a temporary file beside ``path``; rename it over ``path`` on a clean exit.

    The temporary file lives in the target folder so the final rename is atomic on the
    same file system, and is flushed to disk before it. On any exception it is removed
    and ``path`` is left untouched.
    """
    handle, tmp_name = _open_temp(path)
    try:
        yield handle
        _commit(handle, tmp_name, path)
    except BaseException:
        handle.close()
        _discard(tmp_name)
        raise


@contextlib.asynccontextmanager
async def async_atomic_write(path: Path) -> AsyncIterator[BinaryIO]:
    """:func:`atomic_write` for an event loop: creating the file and flushing it to disk
    (a millisecond or more each on a busy disk) run in a worker thread, so that many
    downloads at once do not stand in line behind the disk. Writing the chunks stays on
    the loop: they land in the page cache."""
    import asyncio  # here: `import cxreports` does not load asyncio

    handle, tmp_name = await asyncio.to_thread(_open_temp, path)
    try:
        yield handle
        await asyncio.to_thread(_commit, handle, tmp_name, path)
    except BaseException:
        handle.close()
        _discard(tmp_name)
        raise
