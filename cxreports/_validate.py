"""Checking a parsed 2xx body against the types the spec gives it.

The generated ``from_dict`` methods copy JSON values into their models without looking at
them: ``"id": "abc"``, ``"nonce": null`` or ``"temporaryFileId": 1.5`` come out as models
that lie about their types. Every parsed body goes through :func:`check` (from
``BaseClient._parsed``), which compares each field with the generated model's own
annotations: the types come from the spec, never restated here.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import sys
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

import attrs


class InvalidBody(ValueError):
    """A parsed body whose values do not have the types the spec gives them."""


@functools.cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    import cxreports_api.models
    import cxreports_api.types

    namespace = {**vars(cxreports_api.types), **vars(cxreports_api.models)}
    return typing.get_type_hints(cls, vars(sys.modules[cls.__module__]), namespace)


def _describe(value: Any) -> str:
    """The offending value for a message: whole when short, else only its size.

    Never a cut-off preview: the client redacts its token from messages by matching the
    whole token, and a token cut short (echoed by a server into a wrongly typed field)
    would no longer match."""
    shown = repr(value)
    if len(shown) <= 60:
        return f"{type(value).__name__} {shown}"
    if isinstance(value, str):
        return f"str of {len(value)} characters"
    if isinstance(value, list | dict | tuple):
        return f"{type(value).__name__} of {len(value)} items"
    return type(value).__name__


def _matches(value: Any, hint: Any, where: str) -> bool:
    """Whether ``value`` fits ``hint``; a nested model that does not fit raises itself."""
    from cxreports_api.types import Unset

    if hint is Any:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(_matches(value, option, where) for option in get_args(hint))
    if origin is Literal:
        return isinstance(value, str | int) and value in get_args(hint)
    if origin is list:
        if not isinstance(value, list):
            return False
        (item,) = get_args(hint) or (Any,)
        for index, element in enumerate(value):
            if not _matches(element, item, f"{where}[{index}]"):
                raise InvalidBody(f"{where}[{index}] should be {item}, got {_describe(element)}")
        return True
    if origin is dict:
        return isinstance(value, dict)
    if hint is Unset:
        return isinstance(value, Unset)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if hint is dt.datetime:
        return isinstance(value, dt.datetime)
    if hint in (typing.BinaryIO, typing.IO):
        # typing's IO classes are not ABCs: a generated File's payload is any binary stream.
        return isinstance(value, io.IOBase)
    if isinstance(hint, type) and attrs.has(hint):
        if not isinstance(value, hint):
            return False
        check(value, where)
        return True
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True  # a construct the generator does not emit today: not ours to refuse


def _shown(hint: Any) -> str:
    from cxreports_api.types import Unset

    if get_origin(hint) in (Union, types.UnionType):
        options = [_shown(a) for a in get_args(hint) if a is not Unset]
        return " or ".join(options)
    if hint is None or hint is type(None):
        return "null"
    if get_origin(hint) is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(hint))
    return getattr(hint, "__name__", str(hint))


def _wire_name(name: str) -> str:
    """The JSON name of a generated field, as the server wrote it (``temporaryFileId``)."""
    first, *rest = name.rstrip("_").split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def _accepted_types(hint: Any) -> frozenset[type[Any]]:
    """Types whose every value fits ``hint`` (exactly these types, not subclasses): a
    value of one of them needs no further look. Conservative: a hint that must look
    inside a value (a list, a model, a Literal) contributes none, so its values take
    :func:`_matches`, which decides every case on its own."""
    from cxreports_api.types import Unset

    if hint is None or hint is type(None):
        return frozenset({type(None)})
    if get_origin(hint) in (Union, types.UnionType):
        return frozenset().union(*map(_accepted_types, get_args(hint)))
    if hint is float:
        return frozenset({int, float})
    if hint in (str, int, bool, dt.datetime, Unset):
        return frozenset({hint})
    return frozenset()


# One field to check: attribute, JSON name, annotation, types accepted without a look.
_Field = tuple[str, str, Any, frozenset[type[Any]]]


@functools.cache
def _plan(cls: Any) -> tuple[_Field, ...]:
    """What :func:`check` looks at in a model of ``cls``, worked out once per class:
    this runs for every item of every listing."""
    hints = _hints(cls)
    return tuple(
        (field.name, _wire_name(field.name), hints[field.name], _accepted_types(hints[field.name]))
        for field in attrs.fields(cls)
        if field.name != "additional_properties" and field.name in hints
    )


def _plain(model: Any) -> bool:
    """Whether every field of ``model`` holds a value its annotation accepts without a
    look (see :func:`_accepted_types`): the common case, decided without naming fields."""
    cls = type(model)
    if not attrs.has(cls):
        return False
    for attribute, _, _, accepted in _plan(cls):
        if type(getattr(model, attribute)) not in accepted:
            return False
    return True


def check(model: Any, where: str = "body") -> Any:
    """Raise :class:`InvalidBody` unless every field of ``model`` (a generated attrs model,
    or a list of them) has its annotated type; return ``model``."""
    if isinstance(model, list):
        for index, item in enumerate(model):
            if not _plain(item):  # look closer, naming the item for the error
                check(item, f"{where}[{index}]")
        return model
    cls: type[Any] = type(model)
    if not attrs.has(cls):
        return model
    for attribute, wire, hint, accepted in _plan(cls):
        value = getattr(model, attribute)
        if type(value) in accepted:  # the common case: a plain JSON value of a declared type
            continue
        name = f"{where}.{wire}"
        if not _matches(value, hint, name):
            raise InvalidBody(f"{name} should be {_shown(hint)}, got {_describe(value)}")
    return model
