"""Fetch, normalise and diff a server's API against the pinned spec.

Shared by ``make spec`` (``scripts/fetch_spec.py``), ``cxreports doctor`` and
``client.check_api()``: one module per step, and one table (:mod:`.relied`) of what the
hand-written layer relies on, which decides what is breaking.
"""

from __future__ import annotations

from .diff import Change, diff_surfaces, render
from .fetch import SWAGGER_PATHS, Fetched, SpecError, fetch_document, read_answer, read_file
from .lock import ApiSpec, load_pinned_spec, read_lock
from .normalise import derive_operation_id, dumps, normalise, operations
from .relied import RELIED, Reliance
from .surface import surface

__all__ = [
    "RELIED",
    "SWAGGER_PATHS",
    "ApiSpec",
    "Change",
    "Fetched",
    "Reliance",
    "SpecError",
    "derive_operation_id",
    "diff_surfaces",
    "dumps",
    "fetch_document",
    "load_pinned_spec",
    "normalise",
    "operations",
    "read_answer",
    "read_file",
    "read_lock",
    "render",
    "surface",
]
