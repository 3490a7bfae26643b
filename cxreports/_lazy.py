"""Modules loaded on first use, to keep ``import cxreports`` cheap.

The generated package has one module per endpoint, and importing all of them with their
models costs more than httpx itself; most programs call a handful of them.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any


class _LazyModule(ModuleType):
    """Stands for a module until an attribute is read, then imports it (thread-safely,
    through the import system) and takes its namespace, so later reads cost nothing."""

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)
        return getattr(module, attr)


@functools.cache
def _package_folder(top: str) -> Path | None:
    # find_spec of a top-level name locates it without running it (for a dotted name it
    # would import the parents, and cxreports_api's __init__ is most of what is deferred).
    spec = importlib.util.find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _exists(name: str) -> bool:
    top, _, rest = name.partition(".")
    folder = _package_folder(top)
    if folder is None:
        return False
    path = folder.joinpath(*rest.split("."))
    return any(p.is_file() for p in (path.with_suffix(".py"), path.with_suffix(".pyc")))


def lazy_module(name: str) -> ModuleType:
    """A stand-in for ``import name`` that imports it on first attribute access.

    The module must exist now: a regenerated package that lost an operation still fails at
    ``import cxreports`` (ModuleNotFoundError), not at the first call. Finding its file
    costs a stat; running it (and its package) is what is deferred.
    """
    if not _exists(name):
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    return _LazyModule(name)
