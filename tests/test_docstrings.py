"""Every public class, method and function says what it does, in a docstring the API reference
can show: a summary in the site's Markdown (no Sphinx roles), and (Google style) ``Args:`` for each parameter, ``Returns:`` when it
returns something, ``Raises:`` when it can fail.

Public means a name in ``cxreports.__all__``, ``cxreports.testing.__all__`` or
``cxreports.compat.__all__``, and the public methods and properties of those classes (the
constructor's parameters are documented in the class docstring, as the site shows them).
``Raises:`` is required of whatever makes a request (the methods of the clients and their
handles) and of any function that raises itself.

The code is read with griffe, as mkdocstrings reads it for the site. ``docstring_gaps.txt``
lists the gaps that are known today; it must only shrink. The test fails when a name lacks
something not listed there, and when a listed gap has been filled (then delete its line).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import griffe
import pytest

ROOT = Path(__file__).resolve().parent.parent
GAPS_FILE = Path(__file__).resolve().parent / "docstring_gaps.txt"
MODULES = ("cxreports", "cxreports.testing", "cxreports.compat")
# Their methods send requests, so every one of them can raise a CxReportsError.
IO_CLASSES = {
    "cxreports._client.Client",
    "cxreports._client.AsyncClient",
    "cxreports.exports.Export",
    "cxreports.exports.AsyncExport",
    "cxreports.exports.JobRun",
    "cxreports.exports.AsyncJobRun",
    "cxreports.compat.CxReportClientV1",
}
# ...except these, which send nothing.
NO_REQUEST = {"close"}
RAISE = re.compile(r"^\s*raise\b", re.MULTILINE)
# Sphinx roles, which the site shows as typed; write [`Name`][cxreports.Name] or ``Name``.
SPHINX_ROLE = re.compile(r":(?:class|meth|func|exc|attr|mod|obj|data):`")


def load() -> dict[str, griffe.Module]:
    loader = griffe.GriffeLoader(
        search_paths=[str(ROOT), str(ROOT / "generated")], docstring_parser="google"
    )
    modules = {name: loader.load(name) for name in MODULES}
    loader.load("cxreports_api")  # cxreports re-exports its closed sets (ExportFormat, ...)
    loader.resolve_aliases(implicit=False, external=None)
    return {name: loader.modules_collection[name] for name in modules}


def target(obj: griffe.Object | griffe.Alias) -> griffe.Object:
    return obj.final_target if obj.is_alias else obj  # type: ignore[return-value]


def sections(
    obj: griffe.Object,
) -> dict[griffe.DocstringSectionKind, list[griffe.DocstringSection]]:
    found: dict[griffe.DocstringSectionKind, list[griffe.DocstringSection]] = {}
    if obj.docstring is not None:
        for section in obj.docstring.parse("google", warnings=False):
            found.setdefault(section.kind, []).append(section)
    return found


def documented_params(obj: griffe.Object) -> set[str]:
    """The names in ``Args:``, and for a class in ``Attributes:`` too (a dataclass's fields)."""
    kinds = [griffe.DocstringSectionKind.parameters]
    if obj.is_class:
        kinds.append(griffe.DocstringSectionKind.attributes)
    found = sections(obj)
    return {
        item.name.lstrip("*") for kind in kinds for s in found.get(kind, []) for item in s.value
    }


def params(function: griffe.Function) -> list[str]:
    return [p.name for p in function.parameters if p.name not in ("self", "cls")]


def summary(obj: griffe.Object) -> bool:
    return bool(obj.docstring and obj.docstring.value.strip())


def returns_something(function: griffe.Function) -> bool:
    annotation = function.returns
    return annotation is not None and str(annotation) not in ("None", "NoReturn")


def raises_itself(function: griffe.Function) -> bool:
    source = function.source
    # Skip the docstring itself, which may well say "raise".
    if function.docstring is not None:
        source = source.replace(function.docstring.value, "")
    return bool(RAISE.search(source))


def markup_gaps(obj: griffe.Object) -> list[str]:
    return ["sphinx-roles"] if obj.docstring and SPHINX_ROLE.search(obj.docstring.value) else []


def function_gaps(function: griffe.Function, owner: griffe.Class | None) -> list[str]:
    if not summary(function):
        return ["docstring"]
    gaps = markup_gaps(function)
    kinds = sections(function)
    missing = [p for p in params(function) if p.lstrip("*") not in documented_params(function)]
    if missing:
        gaps.append(f"args({', '.join(missing)})")
    if returns_something(function) and griffe.DocstringSectionKind.returns not in kinds:
        gaps.append("returns")
    sends = owner is not None and owner.path in IO_CLASSES and function.name not in NO_REQUEST
    needs_raises = sends or raises_itself(function)
    if needs_raises and griffe.DocstringSectionKind.raises not in kinds:
        gaps.append("raises")
    return gaps


def class_gaps(cls: griffe.Class) -> list[str]:
    if not summary(cls):
        return ["docstring"]
    gaps = markup_gaps(cls)
    init = cls.members.get("__init__")
    if isinstance(init, griffe.Function):
        documented = documented_params(cls) | documented_params(init)
        missing = [p for p in params(init) if p.lstrip("*") not in documented]
        gaps += [f"args({', '.join(missing)})"] if missing else []
    return gaps


def public_objects() -> Iterator[tuple[str, griffe.Object, griffe.Class | None]]:
    """(public name, object, owning class) for everything the reference documents, once each."""
    seen: set[str] = set()
    for module_name, module in load().items():
        for name in importlib.import_module(module_name).__all__:
            obj = target(module[name])
            if obj.path in seen or not (obj.is_class or obj.is_function):
                continue
            seen.add(obj.path)
            yield f"{module_name}.{name}", obj, None
            if not isinstance(obj, griffe.Class):
                continue
            for member_name, member in obj.all_members.items():
                member = target(member)
                if member_name.startswith("_") or member.path in seen:
                    continue
                if member.is_function or "property" in member.labels:
                    seen.add(member.path)
                    yield f"{module_name}.{name}.{member_name}", member, obj


def current_gaps() -> dict[str, str]:
    gaps = {}
    for public, obj, owner in public_objects():
        if isinstance(obj, griffe.Class):
            missing = class_gaps(obj)
        elif isinstance(obj, griffe.Function):
            missing = function_gaps(obj, owner)
        else:  # a property: it is read like an attribute, so its summary is what it needs
            missing = markup_gaps(obj) if summary(obj) else ["docstring"]
        if missing:
            gaps[public] = "; ".join(missing)
    return gaps


def listed_gaps() -> dict[str, str]:
    listed = {}
    for number, line in enumerate(GAPS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, missing = line.partition(": ")
        assert sep and name and missing, f"{GAPS_FILE.name}:{number}: expected 'name: gaps'"
        assert name not in listed, f"{GAPS_FILE.name}:{number}: {name} is listed twice"
        listed[name] = missing.strip()
    return listed


LEGEND = """docstrings to complete, Google style. docstring: there is none; args(...): those
parameters are missing from Args:; returns, raises: that section is missing; sphinx-roles:
:class:`X` and the like, which the site shows as typed, to write as [`X`][cxreports.X]:
"""


def test_public_names_are_documented() -> None:
    current, listed = current_gaps(), listed_gaps()
    new = {n: g for n, g in current.items() if listed.get(n) != g}
    filled = {n: g for n, g in listed.items() if current.get(n) != g}
    problems = [f"  {n}: {g}" for n, g in sorted(new.items()) if n not in listed]
    problems += [
        f"  {n}: {g} (not what {GAPS_FILE.name} says: {listed[n]})"
        for n, g in sorted(new.items())
        if n in listed
    ]
    problems += [
        f"  {n}: documented now, delete its line from {GAPS_FILE.name}"
        for n in sorted(filled)
        if n not in current
    ]
    assert not problems, LEGEND + "\n".join(problems)


def test_the_checker_sees_what_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules themselves, on a module written for the purpose."""
    (tmp_path / "sample.py").write_text(
        '__all__ = ["good", "bare", "partial", "Thing"]\n'
        "def good(a: int) -> int:\n"
        '    """Double.\n\n    Args:\n        a: a number.\n\n'
        '    Returns:\n        Twice a.\n\n    Raises:\n        ValueError: never.\n    """\n'
        "    if a is None:\n        raise ValueError\n    return 2 * a\n"
        "def bare(a: int) -> None:\n    pass\n"
        "def partial(a: int, *rest: int) -> int:\n"
        '    """Sum, without saying how to raise."""\n'
        "    if a < 0:\n        raise ValueError(a)\n    return a + sum(rest)\n"
        "class Thing:\n"
        '    """A thing, unlike :class:`Other`."""\n'
        "    def __init__(self, size: int) -> None:\n        self.size = size\n",
        encoding="utf-8",
    )
    loader = griffe.GriffeLoader(search_paths=[str(tmp_path)], docstring_parser="google")
    module = loader.load("sample")
    assert function_gaps(module["good"], None) == []
    assert function_gaps(module["bare"], None) == ["docstring"]
    assert function_gaps(module["partial"], None) == ["args(a, rest)", "returns", "raises"]
    assert class_gaps(module["Thing"]) == ["sphinx-roles", "args(size)"]
