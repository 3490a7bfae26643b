"""Modules loaded on first use, to keep ``import cxreports`` cheap.

The generated package has one module per endpoint, and importing them with their models and
python-dateutil costs more than httpx itself; most programs call a handful of them.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any


class _LazyModule(ModuleType):
    """Stands for a module until an attribute is read, then imports it (thread-safely,
    through the import system) and takes its namespace, so later reads cost nothing."""

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)
        return getattr(module, attr)


def lazy_module(name: str) -> ModuleType:
    """A stand-in for ``import name`` that imports it on first attribute access.

    The module must exist now: a regenerated package that lost an operation still fails at
    ``import cxreports`` (ModuleNotFoundError), not at the first call. Finding it costs a
    file lookup; running it is what is deferred.
    """
    if importlib.util.find_spec(name) is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    return _LazyModule(name)
