"""Reproducible fault injection, so client retry and timeout logic can be tested for real.

A SPEC is a comma-separated list of rules plus an optional ``seed=N`` item::

    [operationId:]kind[=value][@rate][xcount]

kinds: any 4xx or 5xx status code, answered with ``{"error": ...}`` (``503`` and ``429``
carry ``Retry-After: value`` seconds, default 1; other codes carry it only when a value is
given), ``drop`` (the request is read, then the connection is closed without a response),
``latency=SECONDS`` (added delay, then the normal response) and ``truncate`` (a body shorter
than its declared Content-Length, then the connection is closed). ``@rate`` is the share of
matching requests affected (default 1.0) and ``xcount`` caps how often the rule fires.
Example: ``list_workspaces:503=0x2`` gives the first two list_workspaces calls a 503 with
``Retry-After: 0``.

Rules are tried in order and the first one that fires wins. Whether a rule with a rate below
1.0 fires is drawn from a `random.Random` seeded with ``seed`` (default 0), so a run with the
same SPEC and the same request sequence injects the same faults.
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass

OPERATION_IDS = frozenset(
    {
        "create_nonce_token",
        "list_workspaces",
        "get_export_content",
        "get_export_status",
        "list_jobs",
        "start_job_run",
        "deliver_job_run",
        "generate_review_document",
        "get_job_run_status",
        "list_report_types",
        "list_reports",
        "start_report_export",
        "list_report_pages",
        "export_report_get",
        "export_report_post",
        "list_templates",
        "push_temporary_data",
        "list_themes",
        "preview",
    }
)
KINDS = ("4xx", "5xx", "drop", "latency", "truncate")
_RULE = re.compile(
    r"^(?:(?P<op>[A-Za-z_][A-Za-z0-9_]*):)?"
    r"(?P<kind>[45]\d\d|drop|latency|truncate)"
    r"(?:=(?P<value>\d+(?:\.\d+)?|\.\d+))?"
    r"(?:@(?P<rate>\d+(?:\.\d+)?|\.\d+))?"
    r"(?:x(?P<count>\d+))?$"
)


@dataclass
class FaultRule:
    """One fault rule, as parsed from ``[operationId:]kind[=value][@rate][xcount]``.

    Attributes:
        kind: A status code (``"503"``), ``drop``, ``latency`` or ``truncate``.
        operation: The operation id it applies to; None for every operation.
        value: The ``Retry-After`` seconds of a status, or the delay of ``latency``.
        rate: The share of matching requests it applies to, from 0 to 1.
        count: How often it may fire; None for no limit.
        fired: How often it has fired so far.
    """

    kind: str
    operation: str | None = None
    value: float | None = None
    rate: float = 1.0
    count: int | None = None
    fired: int = 0

    @property
    def status(self) -> int | None:
        """The HTTP status this rule answers with, if it is a status fault."""
        return int(self.kind) if self.kind.isdigit() else None

    @property
    def retry_after(self) -> str | None:
        """The ``Retry-After`` header value this rule sends, if any (429 and 503 send 1 s)."""
        if self.value is None and self.kind not in ("429", "503"):
            return None
        seconds = 1.0 if self.value is None else self.value
        return str(int(seconds)) if seconds == int(seconds) else str(seconds)


def parse_rule(text: str) -> FaultRule:
    match = _RULE.match(text)
    if match is None:
        raise ValueError(
            f"invalid fault rule {text!r}: expected [operationId:]kind[=value][@rate][xcount] "
            f"with kind one of {', '.join(KINDS)}"
        )
    op, kind = match["op"], match["kind"]
    if op is not None and op not in OPERATION_IDS:
        raise ValueError(f"invalid fault rule {text!r}: unknown operation id {op!r}")
    value = float(match["value"]) if match["value"] is not None else None
    if kind == "latency" and value is None:
        raise ValueError(f"invalid fault rule {text!r}: latency needs a value in seconds")
    if kind in ("drop", "truncate") and value is not None:
        raise ValueError(f"invalid fault rule {text!r}: {kind} takes no value")
    rate = float(match["rate"]) if match["rate"] is not None else 1.0
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"invalid fault rule {text!r}: rate must be between 0 and 1")
    count = int(match["count"]) if match["count"] is not None else None
    return FaultRule(kind=kind, operation=op, value=value, rate=rate, count=count)


class FaultSpec:
    """Fault rules plus the seeded random source that decides which requests they hit.

    Build one with ``FaultSpec.parse("list_workspaces:503=0x2,seed=7")`` or from rules.
    ``pick`` is thread-safe.

    Args:
        rules: The rules, tried in order; the first that fires wins.
        seed: Seeds the random choices of rules with a rate below 1, so that the same
            requests meet the same faults in every run.
    """

    def __init__(self, rules: list[FaultRule] | None = None, seed: int = 0) -> None:
        self.rules = rules or []
        self.seed = seed
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    @classmethod
    def parse(cls, spec: str) -> FaultSpec:
        """Read a SPEC: comma-separated rules and an optional ``seed=N``.

        Args:
            spec: e.g. ``"list_workspaces:503=0x2,export_report_get:drop@0.2,seed=7"``.

        Returns:
            The parsed rules and seed.

        Raises:
            ValueError: a rule or seed that cannot be read, naming it and the expected form.
        """
        rules: list[FaultRule] = []
        seed = 0
        for raw in spec.split(","):
            item = raw.strip()
            if not item:
                continue
            if item.startswith("seed="):
                try:
                    seed = int(item[5:])
                except ValueError:
                    raise ValueError(
                        f"invalid fault rule {item!r}: seed must be an integer"
                    ) from None
                continue
            rules.append(parse_rule(item))
        return cls(rules, seed)

    def pick(self, operation: str | None) -> FaultRule | None:
        """The rule that fires for a request, if any, counting it as fired.

        Args:
            operation: The request's operation id (None for paths outside the API).

        Returns:
            The first rule that applies and fires, or None.
        """
        with self._lock:
            for rule in self.rules:
                if rule.operation is not None and rule.operation != operation:
                    continue
                if rule.count is not None and rule.fired >= rule.count:
                    continue
                if rule.rate < 1.0 and self._random.random() >= rule.rate:
                    continue
                rule.fired += 1
                return rule
        return None

    def __repr__(self) -> str:
        return f"FaultSpec(rules={self.rules!r}, seed={self.seed})"


def as_fault_spec(spec: str | FaultSpec | None) -> FaultSpec | None:
    if spec is None or isinstance(spec, FaultSpec):
        return spec
    return FaultSpec.parse(spec)
