"""Modules loaded on first use, to keep ``import cxreports`` cheap.

The generated package has one module per endpoint, and importing them with their models and
python-dateutil costs more than httpx itself; most programs call a handful of them.
"""

from __future__ import annotations

import importlib
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
    """A stand-in for ``import name`` that imports it on first attribute access."""
    return _LazyModule(name)
