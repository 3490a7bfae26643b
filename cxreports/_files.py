"""Atomic file writes: a download either lands complete or leaves nothing behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self


def _current_umask() -> int:
    # os.umask can only be read by setting it; done once, at import, before any threads.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp creates files readable by their owner only; a saved report should get the mode
# any new file would (or keep the mode of the file it replaces).
_NEW_FILE_MODE = 0o666 & ~_current_umask()


def check_target(path: str | os.PathLike[str]) -> Path:
    """Refuse a destination that cannot be a file, before anything is sent.

    An existing folder is accepted (the file gets the server's name inside it); a name
    ending in a separator must be an existing folder, not silently become a file.
    """
    return _checked(path)[0]


def _checked(path: str | os.PathLike[str]) -> tuple[Path, bool]:
    """:func:`check_target`'s path, and whether it is an existing folder."""
    target = Path(path)
    if target.is_dir():
        return target, True
    if str(path).endswith(("/", os.sep)):
        raise FileNotFoundError(f"cannot save to {str(path)!r}: no such folder")
    folder = target.parent
    if not folder.exists():
        raise FileNotFoundError(f"cannot save to {target}: folder {folder} does not exist")
    if not folder.is_dir():
        raise NotADirectoryError(f"cannot save to {target}: {folder} is not a folder")
    return target, False


class PartFile:
    """The temporary ``.part`` file of one download, beside its target.

    It is created before the request goes out: creating a file is the only reliable test
    that the folder is writable (``os.access`` says yes to root and on read-only mounts).
    ``commit`` renames it over the final path once complete; otherwise it is removed, so
    the target is never left half-written and an existing file there survives a failure.
    """

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.target, self.into_folder = _checked(target)
        # Whether the file gets the server's name inside the folder ``target`` (decided
        # here, in the worker thread, so that no stat runs on the event loop later).
        folder = self.target if self.into_folder else self.target.parent
        prefix = ".download." if self.into_folder else f".{self.target.name}."
        try:
            fd, self._name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".part")
        except OSError as exc:
            raise PermissionError(
                exc.errno, f"cannot save to {self.target}: folder {folder} is not writable"
            ) from None
        self._handle: BinaryIO = os.fdopen(fd, "wb")
        self._done = False
        self._written = False

    def restart(self) -> None:
        """Drop what an earlier, failed attempt wrote (the first attempt skips the two
        system calls: this runs on the event loop of every async download)."""
        if self._written:
            self._handle.seek(0)
            self._handle.truncate()
            self._written = False

    def write(self, chunk: bytes) -> None:
        self._written = True
        self._handle.write(chunk)

    def commit(self, final: Path) -> Path:
        try:
            mode = final.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = _NEW_FILE_MODE
        self._handle.flush()
        os.fchmod(self._handle.fileno(), mode)
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self._name, final)
        self._done = True
        return final

    def discard(self) -> None:
        if not self._done:
            self._handle.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._name)
            self._done = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Yield a file to write ``path``'s content to; it replaces ``path`` on a clean exit.

    On any exception nothing is left behind and ``path`` is untouched.
    """
    with PartFile(path) as part:
        yield part._handle
        part.commit(path)
