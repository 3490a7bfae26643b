"""Where a download's bytes go: a hidden ``.part`` file beside the target, renamed into place
once complete, never a half-written or stray file, whatever fails and whenever.

The server is a ``MockTransport`` whose body is a generator, so a test can look at the
folder (or break things) while the client is writing.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from clients import record_sleeps

import cxreports
from cxreports import _files

PDF = b"%PDF-1.7 complete document"
HEADERS = {"Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="q.pdf"'}


def client_for(body: Callable[[int], Iterator[bytes]], **kwargs: Any) -> cxreports.Client:
    """A client whose exports stream ``body(attempt)``; attempts count from 0."""
    attempts = [0]

    def handler(request: httpx.Request) -> httpx.Response:
        attempt, attempts[0] = attempts[0], attempts[0] + 1
        return httpx.Response(200, headers=HEADERS, content=body(attempt))

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return cxreports.Client(
        "https://cx.example", "files-token", "sales", http_client=http, **kwargs
    )


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_reading_the_umask_leaves_it_as_it_was() -> None:
    before = os.umask(0o027)
    try:
        assert _files._current_umask() == 0o027
        assert os.umask(0o027) == 0o027  # still what it was
    finally:
        os.umask(before)


@pytest.mark.parametrize(("target", "prefix"), [("out.pdf", ".out.pdf."), ("", ".download.")])
def test_the_part_file_is_hidden_beside_the_target(
    tmp_path: Path, target: str, prefix: str
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    seen: list[list[str]] = []

    def body(attempt: int) -> Iterator[bytes]:
        seen.append(listing(tmp_path))
        seen.append(listing(folder))
        yield PDF

    with client_for(body) as client:
        saved = client.export_to_file("invoice", folder / target if target else folder)
    assert seen[0] == ["reports"]  # nothing beside the folder
    [part] = seen[1]
    assert part.startswith(prefix) and part.endswith(".part")
    assert saved == folder / (target or "q.pdf")
    assert saved.read_bytes() == PDF
    assert listing(folder) == [saved.name]  # the .part file became the target


# Nothing of the failed attempt may survive into the file, not even its first byte when
# the attempt that succeeds brings an empty file.
@pytest.mark.parametrize("last", [PDF, b""], ids=["document", "empty"])
def test_a_retried_download_keeps_only_the_last_attempt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last: bytes
) -> None:
    record_sleeps(monkeypatch)

    def body(attempt: int) -> Iterator[bytes]:
        if attempt == 0:
            yield b"first attempt, cut short"
            raise httpx.ReadError("connection reset")
        yield from [last] if last else []

    with client_for(body) as client:
        saved = client.export_to_file("invoice", tmp_path / "out.pdf")
    assert saved.read_bytes() == last
    assert listing(tmp_path) == ["out.pdf"]


def test_a_failed_download_leaves_the_old_file_and_nothing_else(tmp_path: Path) -> None:
    old = tmp_path / "out.pdf"
    old.write_bytes(b"last month")

    def body(attempt: int) -> Iterator[bytes]:
        yield b"half a doc"
        raise httpx.ReadError("connection reset")

    with client_for(body, max_retries=0) as client, pytest.raises(cxreports.APIConnectionError):
        client.export_to_file("invoice", old)
    assert listing(tmp_path) == ["out.pdf"]
    assert old.read_bytes() == b"last month"


def test_a_part_file_removed_meanwhile_does_not_hide_the_real_error(tmp_path: Path) -> None:
    def body(attempt: int) -> Iterator[bytes]:
        yield b"half a doc"
        for part in tmp_path.glob("*.part"):  # a cleaner sweeping the folder
            part.unlink()
        raise httpx.ReadError("connection reset")

    with client_for(body, max_retries=0) as client, pytest.raises(cxreports.APIConnectionError):
        client.export_to_file("invoice", tmp_path / "out.pdf")
    assert listing(tmp_path) == []


def test_a_replaced_file_keeps_its_mode_and_a_new_one_gets_the_umask(tmp_path: Path) -> None:
    old = tmp_path / "shared.pdf"
    old.write_bytes(b"old")
    old.chmod(0o640)
    with client_for(lambda attempt: iter([PDF])) as client:
        client.export_to_file("invoice", old)
        new = client.export_to_file("invoice", tmp_path / "new.pdf")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    assert old.read_bytes() == PDF
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~_files._current_umask()


def never(attempt: int) -> Iterator[bytes]:
    raise AssertionError("nothing may be sent")


def test_a_folder_that_refuses_files_is_a_permission_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def refuse(path: str, *args: Any, **kwargs: Any) -> int:
        if path.endswith(".part"):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with client_for(never) as client, pytest.raises(PermissionError) as info:
        client.export_to_file("invoice", tmp_path / "out.pdf")
    assert info.value.errno == errno.EROFS
    assert str(info.value) == (
        f"[Errno {errno.EROFS}] cannot save to {tmp_path / 'out.pdf'}: "
        f"folder {tmp_path} is not writable"
    )


def test_targets_that_cannot_be_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with client_for(never) as client:
        with pytest.raises(FileNotFoundError) as missing:
            client.export_to_file("invoice", f"{tmp_path}/new-folder/")
        assert str(missing.value) == f"cannot save to '{tmp_path}/new-folder/': no such folder"
        with pytest.raises(FileNotFoundError) as no_parent:
            client.export_to_file("invoice", tmp_path / "no" / "x.pdf")
        assert str(no_parent.value) == (
            f"cannot save to {tmp_path / 'no' / 'x.pdf'}: folder {tmp_path / 'no'} does not exist"
        )
        with pytest.raises(NotADirectoryError) as under_file:
            client.export_to_file("invoice", tmp_path / "file" / "x.pdf")
        assert str(under_file.value) == (
            f"cannot save to {tmp_path / 'file' / 'x.pdf'}: {tmp_path / 'file'} is not a folder"
        )
    assert listing(tmp_path) == ["file"]


def part_modes_while_writing(folder: Path) -> tuple[Callable[[int], Iterator[bytes]], list[int]]:
    """A body that records the mode of the .part file(s) in ``folder`` while it is sent."""
    modes: list[int] = []

    def body(attempt: int) -> Iterator[bytes]:
        modes.extend(stat.S_IMODE(p.stat().st_mode) for p in folder.glob(".*.part"))
        yield PDF

    return body, modes


def test_a_partial_download_is_never_readable_by_more_users_than_the_file(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"old")
    secret.chmod(0o600)
    body, modes = part_modes_while_writing(tmp_path)
    with client_for(body) as client:
        client.export_to_file("invoice", secret)  # replacing an owner-only file
        client.export_to_file("invoice", tmp_path)  # a name only the server knows yet
    assert modes == [0o600, 0o600]
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "q.pdf").stat().st_mode) == _files._NEW_FILE_MODE


@pytest.mark.parametrize("mode", [0o664, 0o644, 0o600])
def test_a_replaced_file_keeps_its_mode_whatever_the_umask_now(tmp_path: Path, mode: int) -> None:
    # The umask may have changed since cxreports was imported: the .part file is created
    # under today's, and the replaced file's own mode is set at commit all the same.
    old = tmp_path / "team.pdf"
    old.write_bytes(b"old")
    old.chmod(mode)
    before = os.umask(0o077)
    try:
        with client_for(lambda attempt: iter([PDF])) as client:
            client.export_to_file("invoice", old)
            new = client.export_to_file("invoice", tmp_path / "new.pdf")
    finally:
        os.umask(before)
    assert stat.S_IMODE(old.stat().st_mode) == mode
    assert old.read_bytes() == PDF
    assert stat.S_IMODE(new.stat().st_mode) == 0o600  # as any new file under that umask


def test_a_part_name_already_taken_is_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draws = iter([7, 7, 8])
    monkeypatch.setattr(_files._names, "getrandbits", lambda bits: next(draws))
    taken = tmp_path / f".out.pdf.{7:08x}.part"
    taken.write_bytes(b"another download's")
    with client_for(lambda attempt: iter([PDF])) as client:
        saved = client.export_to_file("invoice", tmp_path / "out.pdf")
    assert saved.read_bytes() == PDF
    assert taken.read_bytes() == b"another download's"
    assert listing(tmp_path) == sorted([taken.name, "out.pdf"])


def test_a_folder_full_of_taken_names_is_an_error_not_a_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_files._names, "getrandbits", lambda bits: 7)
    (tmp_path / f".out.pdf.{7:08x}.part").write_bytes(b"")
    with client_for(never) as client, pytest.raises(FileExistsError) as info:
        client.export_to_file("invoice", tmp_path / "out.pdf")
    assert info.value.errno == errno.EEXIST
    assert str(info.value) == (
        f"[Errno {errno.EEXIST}] cannot save to {tmp_path / 'out.pdf'}: no free .part name"
    )


def test_a_rename_that_fails_leaves_no_part_file(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"

    def body(attempt: int) -> Iterator[bytes]:
        target.mkdir()  # the target became a folder meanwhile: the rename must fail
        (target / "inside").write_bytes(b"")
        yield PDF

    with client_for(body) as client, pytest.raises(OSError):
        client.export_to_file("invoice", target)
    assert listing(tmp_path) == ["out.pdf"] and listing(target) == ["inside"]


# 252 bytes (the cut at 200 falls inside an "é", whose first byte is dropped) and 255.
@pytest.mark.parametrize("name", ["n" + "é" * 123 + ".pdf", "n" * 251 + ".pdf"])
def test_a_target_name_near_the_file_system_limit_is_saved(tmp_path: Path, name: str) -> None:
    # The .part file beside such a target could not carry the whole name.
    seen: list[str] = []

    def body(attempt: int) -> Iterator[bytes]:
        seen.extend(listing(tmp_path))
        yield PDF

    with client_for(body) as client:
        saved = client.export_to_file("invoice", tmp_path / name)
    assert saved.name == name and saved.read_bytes() == PDF
    [part] = seen
    assert part.startswith("." + name[:50]) and part.endswith(".part")
    assert len(part.encode()) <= 255
    assert listing(tmp_path) == [name]


def open_descriptors() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_a_download_leaves_no_descriptor_open_and_closes_none_of_ours(tmp_path: Path) -> None:
    # Also after a failed rename, when the .part file is closed and then discarded: a
    # descriptor closed twice could by then be another file's (stdout's, say).
    target = tmp_path / "out.pdf"

    def body(attempt: int) -> Iterator[bytes]:
        if attempt == 1:  # the second export finds its target turned into a folder
            (target / "inside").mkdir(parents=True)
        yield PDF

    before = open_descriptors()
    with client_for(body, max_retries=0) as client:
        client.export_to_file("invoice", target)
        target.unlink()
        with pytest.raises(OSError):
            client.export_to_file("invoice", target)
    assert open_descriptors() == before
    assert listing(tmp_path) == ["out.pdf"] and listing(target) == ["inside"]


def test_part_names_carry_eight_random_characters(tmp_path: Path) -> None:
    import re

    names: list[str] = []

    def body(attempt: int) -> Iterator[bytes]:
        names.extend(p.name for p in tmp_path.glob("*.part"))
        yield PDF

    _files._names.seed(2026)
    with client_for(body) as client:
        for _ in range(16):
            client.export_to_file("invoice", tmp_path / "out.pdf")
    assert len(names) == 16 and len(set(names)) == 16
    assert all(re.fullmatch(r"\.out\.pdf\.[0-9a-f]{8}\.part", name) for name in names)
