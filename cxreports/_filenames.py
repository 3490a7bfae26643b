"""The one place where a server-chosen file name becomes a name on disk.

A download saved into a folder takes its name from ``Content-Disposition``, a value the
server (or anything between it and us) chooses. RFC 6266 says ``filename*`` (RFC 5987,
with a charset) wins over the plain ``filename``; ASP.NET sends both, the plain one with
non-ASCII letters replaced. Whatever the header says, the result is one plain file name:
no folder part, no ``.``/``..``, no control characters, at most ``MAX_NAME_BYTES``, and a
fallback when nothing usable is left, so a hostile name never turns a good download into
an error or a file outside the folder asked for.
"""

from __future__ import annotations

import codecs
import functools
import unicodedata
from pathlib import Path

FALLBACK_NAME = "report"
# Most file systems allow 255 bytes per name; leave room for a " (n)" suffix.
MAX_NAME_BYTES = 240
MAX_SUFFIX_CHARS = 16


@functools.lru_cache(maxsize=1024)  # a batch repeats the same few headers; a parse is ~13 µs
def filename_from_disposition(value: str | None) -> str | None:
    """The raw file name of a Content-Disposition header, ``filename*`` first (RFC 6266)."""
    if not value:
        return None
    import email.message  # here: it costs ~20 ms at import, and only a download needs it
    import email.utils

    msg = email.message.Message()
    try:
        msg["content-disposition"] = value
        params = msg.get_params(header="content-disposition") or []
    except Exception:  # a header the email parser cannot read has no usable name
        return None
    plain: str | None = None
    for name, param in params[1:]:
        if name.lower() != "filename":
            continue
        if isinstance(param, tuple):  # filename*: (charset, language, value)
            try:
                codecs.lookup(param[0] or "us-ascii")
            except LookupError:  # a charset we cannot read: the plain name, if any
                continue
            return email.utils.collapse_rfc2231_value(param, errors="replace")
        if plain is None and isinstance(param, str):
            plain = email.utils.unquote(param)
    return plain


def _truncate(name: str) -> str:
    """``name`` cut to ``MAX_NAME_BYTES`` of UTF-8, keeping a short extension."""
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > MAX_SUFFIX_CHARS:
        stem, suffix = name, ""
    tail = f".{suffix}" if suffix else ""
    budget = MAX_NAME_BYTES - len(tail.encode())
    cut = stem.encode()[:budget].decode("utf-8", "ignore").rstrip(" .")
    return (cut or FALLBACK_NAME) + tail


def safe_filename(name: str | None, fallback: str = FALLBACK_NAME) -> str:
    """A name that is safe to create inside a folder, derived from ``name``.

    Only what follows the last slash or backslash is kept; control and format characters
    (newlines, ESC, bidi overrides, NUL) become ``_``; leading dots and spaces are dropped
    (no hidden files, no ``..``); the length is bounded with the extension kept. Empty
    results fall back to ``fallback``.
    """
    if not name:
        return fallback
    # Only the last path component counts, as a browser takes it.
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rpartition("/")[2]
    cleaned = "".join(
        "_" if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") else ch for ch in name
    )
    cleaned = cleaned.strip().lstrip(".").strip().rstrip(".")
    if not cleaned.strip("_ "):
        return fallback
    return _truncate(cleaned)


def free_name(folder: Path, name: str) -> Path:
    """``folder / name``, unless that is an existing folder (or other non-file): then
    ``name (1)``, ``name (2)``... An existing regular file is replaced, as documented."""
    candidate = folder / name
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    number = 0
    while candidate.exists() and not candidate.is_file():
        number += 1
        tail = f".{suffix}" if suffix else ""
        candidate = folder / f"{stem} ({number}){tail}"
    return candidate


def target_in(folder: Path, name: str | None) -> Path:
    """Where a download named ``name`` by the server lands inside ``folder``."""
    return free_name(folder, safe_filename(name))
