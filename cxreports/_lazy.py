"""Modules loaded on first use, to keep ``import cxreports`` cheap.

The generated package has one module per endpoint, and importing all of them with their
models costs more than httpx itself; most programs call a handful of them.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
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


def standalone(name: str) -> ModuleType:
    """A generated module that imports only the standard library (a ``Literal`` enum),
    loaded from its file without running its packages' ``__init__`` (which load every model).

    What it defines is then an ordinary run-time value (``typing.get_type_hints`` resolves it)
    at the cost of one small file. Anything else falls back to a normal import.
    """
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    top, _, rest = name.partition(".")
    folder = _package_folder(top)
    path = None if folder is None else folder.joinpath(*rest.split(".")).with_suffix(".py")
    if path is not None and path.is_file():
        spec = importlib.util.spec_from_file_location(f"_cxreports_standalone.{name}", path)
        if spec is not None and spec.loader is not None:
            module = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(module)
            except ImportError:  # it imports its package after all
                pass
            else:
                return module
    return importlib.import_module(name)
