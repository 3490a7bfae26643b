"""Atomic file writes: a download either lands complete or leaves nothing behind."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import stat
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self


def _current_umask() -> int:
    # os.umask can only be read by setting it; done once, at import, before any threads.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# A saved report gets the mode any new file would (or keeps the mode of the file it
# replaces): the .part file is created with it where it is known (see PartFile).
_NEW_FILE_MODE = 0o666 & ~_current_umask()


def check_target(path: str | os.PathLike[str]) -> Path:
    """Refuse a destination that cannot be a file, before anything is sent.

    An existing folder is accepted (the file gets the server's name inside it); a name
    ending in a separator must be an existing folder, not silently become a file.
    """
    target = Path(path)
    if target.is_dir():
        return target
    if str(path).endswith(("/", os.sep)):
        raise FileNotFoundError(f"cannot save to {str(path)!r}: no such folder")
    folder = target.parent
    if not folder.exists():
        raise FileNotFoundError(f"cannot save to {target}: folder {folder} does not exist")
    if not folder.is_dir():
        raise NotADirectoryError(f"cannot save to {target}: {folder} is not a folder")
    return target


# How a .part file is opened: as tempfile.mkstemp does (never through a symlink), write-only.
_PART_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_names = random.Random()  # the .part names' random part, as tempfile's (seeded from urandom)


class PartFile:
    """The temporary ``.part`` file of one download, beside its target.

    It is created before the request goes out: creating a file is the only reliable test
    that the folder is writable (``os.access`` says yes to root and on read-only mounts).
    ``commit`` renames it over the final path once complete; otherwise it is removed, so
    the target is never left half-written and an existing file there survives a failure.

    ``AsyncClient`` creates and commits it in worker threads. Each system call there gives
    up the GIL and has to take it back from a busy event loop, and at tens of concurrent
    downloads that hand-over cost more than the disk. So the common path makes as few
    calls as the promises allow: a stat of the target and an ``open`` to create it; an
    ``fsync``, a ``close`` and a rename to commit it (a ``chmod`` only where a mode has to
    be carried over). The slower checks run only to explain a failure.
    """

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.target = Path(target)
        try:
            existing: int | None = os.stat(self.target).st_mode
        except OSError:
            existing = None  # no such file (or a reason that check_target explains below)
        # Whether the file gets the server's name inside the folder ``target`` (decided
        # here, in the worker thread, so that no stat runs on the event loop later).
        self.into_folder = existing is not None and stat.S_ISDIR(existing)
        if not self.into_folder and str(target).endswith(("/", os.sep)):
            check_target(target)  # raises: a name ending in a separator must be a folder
        folder = self.target if self.into_folder else self.target.parent
        prefix = ".download." if self.into_folder else f".{_shortened(self.target.name)}."
        # The .part file is created with no more permissions than the saved file will
        # have, so a partial download is never readable by more users than the finished
        # one: a new file as any new file is (0o666 less the umask), and it keeps that; a
        # replaced file's mode, and inside a folder whatever the name turns out to be, are
        # set at commit.
        if self.into_folder or existing is None:
            self._mode: int | None = None
            create = 0o600 if self.into_folder else 0o666
        else:
            self._mode = stat.S_IMODE(existing)
            create = self._mode & 0o777
        self._fd, self._name = _create(self.target, folder, prefix, create)
        self._done = False
        self._written = False

    def restart(self) -> None:
        """Drop what an earlier, failed attempt wrote (the first attempt skips the two
        system calls: this runs on the event loop of every async download)."""
        if self._written:
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.ftruncate(self._fd, 0)
            self._written = False

    def write(self, chunk: bytes) -> None:
        self._written = True
        view = memoryview(chunk)
        while view:
            view = view[os.write(self._fd, view) :]

    def commit(self, final: Path) -> Path:
        mode = self._mode
        if final != self.target:  # inside a folder: the file now there, if any, decides
            try:
                mode = stat.S_IMODE(os.stat(final).st_mode)
            except FileNotFoundError:
                mode = _NEW_FILE_MODE
        if mode is not None:
            os.fchmod(self._fd, mode)
        os.fsync(self._fd)
        self._close()
        os.replace(self._name, final)
        self._done = True
        return final

    def discard(self) -> None:
        if not self._done:
            self._close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._name)
            self._done = True

    def _close(self) -> None:
        # Once only: a descriptor number closed twice may by then be another file's.
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()


def _shortened(name: str) -> str:
    """At most 200 bytes of ``name``: the .part name adds 15 more, and most file systems
    take 255 bytes per name. A target whose own name is near that limit still gets a
    .part file (which needs only be recognisable), not a "name too long" error."""
    return name.encode()[:200].decode(errors="ignore")


def _create(target: Path, folder: Path, prefix: str, mode: int) -> tuple[int, str]:
    """A new ``.part`` file in ``folder``: its descriptor and absolute name.

    A failure says why in the user's terms: no such folder, not a folder, or (when the
    folder is there) not writable, as ``PermissionError`` whatever the errno.
    """
    for _ in range(100):  # as tempfile: a name taken by another download, try another
        name = os.path.abspath(folder / f"{prefix}{_names.getrandbits(32):08x}.part")
        try:
            return os.open(name, _PART_FLAGS, mode), name
        except FileExistsError:
            continue
        except OSError as exc:
            check_target(target)  # raises FileNotFoundError/NotADirectoryError for those
            raise PermissionError(
                exc.errno, f"cannot save to {target}: folder {folder} is not writable"
            ) from None
    raise FileExistsError(errno.EEXIST, f"cannot save to {target}: no free .part name")


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Yield a file to write ``path``'s content to; it replaces ``path`` on a clean exit.

    On any exception nothing is left behind and ``path`` is untouched.
    """
    with PartFile(path) as part:
        with open(part._fd, "wb", closefd=False) as handle:
            yield handle
        part.commit(path)
