"""Atomic file writes: a download either lands complete or leaves nothing behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
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


def sync_file(handle: BinaryIO) -> None:
    """Flush ``handle`` and wait for the disk (milliseconds: keep it off an event loop)."""
    handle.flush()
    os.fsync(handle.fileno())


@contextlib.contextmanager
def atomic_write(path: Path, *, synced: bool = False) -> Iterator[BinaryIO]:
    """Yield a temporary file beside ``path``; rename it over ``path`` on a clean exit.

    The temporary file lives in the target folder so the final rename is atomic on the
    same file system. On any exception it is removed and ``path`` is left untouched.
    The file is flushed to disk before the rename, here, or by the caller with
    :func:`sync_file` when it says ``synced=True`` (the async client does it in a thread).
    """
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
        with os.fdopen(fd, "wb") as handle:
            yield handle
            if not synced:
                sync_file(handle)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
