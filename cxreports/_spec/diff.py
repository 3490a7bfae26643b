"""Compare two API surfaces; a change is breaking when the hand-written layer relies on it.

Breaking changes say which public methods and which hand-written function depend on what
changed, and what to do about it, so ``make spec`` and ``cxreports doctor`` are actionable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .relied import RELIED, Reliance, methods_of
from .surface import BODY

Kind = Literal[
    "operation", "parameter", "body field", "response field", "enum value", "status code",
    "enum type",
]  # fmt: skip
Action = Literal["added", "removed", "retyped"]


@dataclass(frozen=True)
class Change:
    """One difference in the API surface; ``breaking`` if the hand-written layer relies on it."""

    operation: str
    method: str
    path: str
    kind: Kind
    action: Action
    name: str = ""
    old: str | None = None
    new: str | None = None
    breaking: bool = False
    advice: str = ""  # for a breaking change: who depends on it and what to change

    def line(self) -> str:
        sign = {"added": "+", "removed": "-", "retyped": "~"}[self.action]
        if self.kind == "operation":
            what = f"operation {self.operation} ({self.method} {self.path})"
        elif self.kind == "parameter":
            where, _, name = self.name.partition(" ")
            what = f"{where} parameter `{name}`"
        elif self.kind == "response field":
            status, _, name = self.name.partition(" ")
            what = f"response {status} field `{name}`"
        elif self.kind == "body field":
            what = f"body field `{self.name}`"
        elif self.kind == "enum type":
            what = f"enum of {self.name}"
        else:
            what = f"{self.kind} {self.name}"
        if self.action == "retyped":
            what += f": {self.old} -> {self.new}"
        elif self.kind != "operation" and (self.old or self.new):
            what += f" ({self.new or self.old})"
        return f"{sign} {what}" + ("   BREAKING" if self.breaking else "")


def _wire(key: str) -> str:
    """``"query format"`` -> ``format``; ``"200 status.queued"`` -> ``status.queued``."""
    return key.split(" ", 1)[-1]


def _advice(op_id: str, kind: Kind, action: Action, name: str, detail: str = "") -> str:
    """Who depends on a breaking change, and what to change."""
    reliance = RELIED.get(op_id)
    if reliance is None:
        return ""
    who = f"used by {methods_of(op_id)} through BaseClient.{reliance.function} (cxreports/_base_client.py)"
    field = _wire(name).strip("`")
    if kind == "operation":
        todo = (
            "the server no longer has this operation: keep the previous spec for this server "
            "(git checkout openapi/), or remove those methods"
        )
    elif kind == "enum type":
        todo = detail
    elif kind in ("parameter", "body field") and action == "added":
        todo = (
            f"every call must now send `{field}`: add it to BaseClient.{reliance.function}, "
            "or pass it per call with extra_query/extra_body"
        )
    elif kind in ("parameter", "body field"):
        where = (
            "cxreports/_options.py (ExportOptions)"
            if "export" in reliance.function
            else (f"BaseClient.{reliance.function}")
        )
        todo = (
            f"cxreports sends `{field}`; "
            + ("the server no longer accepts it" if action == "removed" else "its type changed")
            + f": change {where} to the server's name or type"
        )
    elif kind == "response field":
        model = f"cxreports.models.{reliance.model}" if reliance.model else "the parse in it"
        todo = f"cxreports reads `{field}` into {model}: " + (
            "make it optional or map it from the field that replaced it"
            if action == "removed"
            else "change its type there"
        )
    elif kind == "status code":
        todo = f"cxreports expects status {name}: accept the new status in BaseClient.{reliance.function}"
    else:  # enum value
        todo = (
            f"cxreports offers {detail}: keep the value out of the public types "
            "(cxreports.models, the CLI's -f) or keep the previous spec"
        )
    return f"{who}; {todo}"


_INT_ENUM_FIX = (
    "the server serialises C# enums as numbers (ASP.NET without JsonStringEnumConverter) while "
    "cxreports sends and reads the names; on the server add "
    "JsonStringEnumConverter (AddJsonOptions / AddControllers().AddJsonOptions(o => "
    "o.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter()))), "
    "then run make spec again"
)


def _int_enum(before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
    """An explanation when a string enum became an integer enum, else None."""
    old, new = before["values"], after["values"]
    if not (all(isinstance(v, str) for v in old) and new and all(isinstance(v, int) for v in new)):
        return None
    names = after.get("names")
    if names and len(names) == len(new):
        mapping = ", ".join(f"{v}={n}" for v, n in zip(new, names, strict=True))
        known = {str(v).lower() for v in old}
        lost = [n for n in names if str(n).lower() not in known]
        note = f"; names the pinned spec lacks: {', '.join(lost)}" if lost else ""
        return f"integer {mapping} (x-enumNames, in order){note}"
    return f"integer {', '.join(map(str, new))} with no x-enumNames, so the values cannot be mapped to names"


Diffed = tuple[Action, str, str | None, str | None, bool]


def _compare(
    old: Mapping[str, dict[str, Any]],
    new: Mapping[str, dict[str, Any]],
    used: Callable[[str], bool],
    *,
    inputs: bool,
) -> list[Diffed]:
    """Added, removed and retyped keys of two flattened field maps."""
    out: list[Diffed] = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            out.append(("removed", key, old[key]["type"], None, used(key)))
        elif key not in old:
            # A new *required* input breaks every existing call that does not send it.
            must = inputs and key != BODY and bool(new[key]["required"])
            shown = new[key]["type"] + (", required" if must else "")
            out.append(("added", key, None, shown, must))
        elif old[key]["type"] != new[key]["type"]:
            out.append(("retyped", key, old[key]["type"], new[key]["type"], used(key)))
    return out


def _enum_field(label: str) -> tuple[str, str]:
    """``response 200 field `status``` -> (``response 200 field``, ``status``)."""
    where, field, _ = label.split("`")
    return where.strip(), field


def _diff_operation(
    op_id: str, o: Mapping[str, Any], n: Mapping[str, Any], u: Reliance
) -> list[Change]:
    def change(kind: Kind, item: Diffed, prefix: str = "", detail: str = "") -> Change:
        action, name, before, after, breaking = item
        advice = _advice(op_id, kind, action, prefix + name, detail) if breaking else ""
        return Change(
            op_id, n["method"], n["path"], kind, action, prefix + name, before, after,
            breaking, advice,
        )  # fmt: skip

    # String enums the server turned into integers: one explained change each, instead of
    # a retype plus every value removed and added.
    int_enums: dict[str, str] = {}
    for key in sorted(set(o["enums"]) & set(n["enums"])):
        why = _int_enum(o["enums"][key], n["enums"][key])
        if why:
            int_enums[key] = why
    # The flattened keys those enums live under, whose retype string -> integer they explain.
    explained = set()
    for key in int_enums:
        where, field = _enum_field(key)
        if where.endswith("parameter"):
            explained.add(("parameter", f"{where.split()[0]} {field}"))
        elif where.startswith("body"):
            explained.add(("body field", field))
        else:
            explained.add(("response field", f"{where.split()[1]} {field}"))

    out = [
        change("parameter", d)
        for d in _compare(
            o["parameters"], n["parameters"], lambda k: _wire(k) in u.params, inputs=True
        )
        if ("parameter", d[1]) not in explained
    ]
    out += [
        change("body field", d)
        for d in _compare(
            o["body"], n["body"], lambda k: k in u.body or (k == BODY and bool(u.body)), inputs=True
        )
        if ("body field", d[1]) not in explained
    ]
    for status in sorted(set(o["responses"]) & set(n["responses"])):
        relied = u.response | {BODY} if status in u.status else frozenset()
        out += [
            change("response field", d, f"{status} ")
            for d in _compare(
                o["responses"][status],
                n["responses"][status],
                relied.__contains__,
                inputs=False,
            )
            if ("response field", f"{status} {d[1]}") not in explained
        ]
    for status in sorted(set(o["responses"]) ^ set(n["responses"])):
        gone = status not in n["responses"]
        item: Diffed = (
            "removed" if gone else "added",
            status,
            None,
            None,
            gone and status in u.status,
        )
        out.append(change("status code", item))
    for key in sorted(set(o["enums"]) & set(n["enums"])):
        where, field = _enum_field(key)
        names = (
            u.body
            if where.startswith("body")
            else u.response
            if where.startswith("response")
            else u.params
        )
        relied_on = field in names
        if key in int_enums:
            before = ", ".join(map(str, o["enums"][key]["values"]))
            item = ("retyped", key, f"string {before}", int_enums[key], relied_on)
            out.append(change("enum type", item, detail=_INT_ENUM_FIX))
            continue
        before, after = o["enums"][key]["values"], n["enums"][key]["values"]
        for value in before:
            if value not in after:
                item = ("removed", f"{value!r} of {key}", None, None, relied_on)
                out.append(change("enum value", item, detail=f"{value!r} for {key}"))
        for value in after:
            if value not in before:
                out.append(
                    change("enum value", ("added", f"{value!r} of {key}", None, None, False))
                )
    return out


def diff_surfaces(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference between two surfaces, breaking where ``RELIED`` says cxreports uses it."""
    changes: list[Change] = []
    for op_id in sorted(set(old) | set(new)):
        uses = RELIED.get(op_id)
        if op_id not in new:
            o = old[op_id]
            advice = _advice(op_id, "operation", "removed", "") if uses else ""
            removed = Change(
                op_id, o["method"], o["path"], "operation", "removed", breaking=bool(uses)
            )
            changes.append(dataclasses.replace(removed, advice=advice))
        elif op_id not in old:
            n = new[op_id]
            changes.append(Change(op_id, n["method"], n["path"], "operation", "added"))
        else:
            changes += _diff_operation(
                op_id, old[op_id], new[op_id], uses or Reliance((), "", status=frozenset())
            )
    return changes


def render(changes: Sequence[Change]) -> str:
    """The diff for people: grouped by operation, breaking ones marked and explained."""
    if not changes:
        return "No API changes: the server serves exactly the pinned API surface.\n"
    lines: list[str] = []
    current = None
    for change in changes:
        if change.kind == "operation":
            lines.append(change.line())
            current = None
            indent = "    "
        else:
            if change.operation != current:
                current = change.operation
                lines.append(f"{change.operation} ({change.method} {change.path})")
            lines.append("    " + change.line())
            indent = "        "
        if change.advice:
            lines.append(f"{indent}-> {change.advice}")
    breaking = sum(c.breaking for c in changes)
    lines.append("")
    lines.append(
        f"{len(changes)} change(s): {len(changes) - breaking} compatible, {breaking} BREAKING"
        + (" (the cxreports package relies on what changed)" if breaking else "")
    )
    return "\n".join(lines) + "\n"
