"""Show that the wire cassettes have teeth (``make check-wire``).

Each mutation changes the pinned spec slightly, as a server upgrade might; the client is
regenerated from it into a temporary folder and ``tests/test_cassettes.py`` replays its
cassettes with that package first on ``PYTHONPATH``. Every mutation must make the suite
fail (pytest exit 1 with failing tests, not a collection error or nothing collected),
and the unmutated spec, regenerated the same way, must pass: the control proves the
harness itself (the shadowing, the regeneration) does not cause the failures.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import PACKAGE, SPEC, generate_into

ROOT = Path(__file__).resolve().parent.parent
MODULE = "tests/test_cassettes.py"
# The subprocess proves which cxreports_api it runs against before running the cassettes.
RUNNER = """
import sys
from pathlib import Path
import cxreports_api
import pytest
where = Path(cxreports_api.__file__).resolve()
expected = Path(sys.argv[1]).resolve()
if not where.is_relative_to(expected):
    sys.exit(f"cxreports_api came from {where}, not from {expected}")
sys.exit(pytest.main(sys.argv[2:]))
"""

Spec = dict[str, Any]
EXPORTS = "/api/v1/ws/{workspaceId}/exports/{tempFileId}"
REPORT = "/api/v1/ws/{workspaceId}/reports/{reportIdOrTypeCode}"


def _rename_parameter(spec: Spec, path: str, method: str, old: str, new: str) -> None:
    for parameter in spec["paths"][path][method]["parameters"]:
        if parameter.get("name") == old:
            parameter["name"] = new
            return
    raise KeyError(f"{method.upper()} {path} has no parameter {old!r}")


def _rename_property(spec: Spec, schema: str, old: str, new: str) -> None:
    model = spec["components"]["schemas"][schema]
    model["properties"][new] = model["properties"].pop(old)
    if old in model.get("required", []):
        model["required"] = sorted(new if r == old else r for r in model["required"])


def _rename_path(spec: Spec, old: str, new: str) -> None:
    spec["paths"][new] = spec["paths"].pop(old)


def _remove_operation(spec: Spec, path: str, method: str) -> None:
    del spec["paths"][path][method]
    if not any(k in spec["paths"][path] for k in ("get", "post", "put", "patch", "delete")):
        del spec["paths"][path]


Mutation = Callable[[Spec], None]
MUTATIONS: dict[str, Mutation] = {
    "control (unmutated spec)": lambda spec: None,
    "query parameter tempDataId -> tempDataID (export_report_get)": lambda spec: _rename_parameter(
        spec, REPORT + "/pdf", "get", "tempDataId", "tempDataID"
    ),
    "query parameter type -> reportType (list_reports)": lambda spec: _rename_parameter(
        spec, "/api/v1/ws/{workspaceId}/reports", "get", "type", "reportType"
    ),
    "body field includeAttachments -> includeAttachment (ExportRequest)": lambda spec: (
        _rename_property(spec, "ExportRequest", "includeAttachments", "includeAttachment")
    ),
    "body field content -> contents (TemporaryDataRequest)": lambda spec: _rename_property(
        spec, "TemporaryDataRequest", "content", "contents"
    ),
    "path /exports/{tempFileId}/status -> /state": lambda spec: _rename_path(
        spec, EXPORTS + "/status", EXPORTS + "/state"
    ),
    "removed operation list_themes": lambda spec: _remove_operation(
        spec, "/api/v1/ws/{workspaceId}/themes", "get"
    ),
}
CONTROL = "control (unmutated spec)"


@dataclass
class Outcome:
    mutation: str
    exit_code: int
    seconds: float
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    passed: int = 0
    output: str = ""

    @property
    def control(self) -> bool:
        return self.mutation == CONTROL

    @property
    def ok(self) -> bool:
        """The control passes everything; a mutation makes tests fail (exit 1)."""
        if self.control:
            return self.exit_code == 0 and self.passed > 0 and not (self.failed or self.errors)
        return self.exit_code == 1 and bool(self.failed)

    def summary(self) -> str:
        verdict = "ok  " if self.ok else "BAD "
        if self.control:
            what = f"exit {self.exit_code}, {self.passed} passed"
        else:
            what = f"exit {self.exit_code}, {len(self.failed)} failed, {len(self.errors)} errors"
        lines = [f"{verdict} {self.mutation}: {what} ({self.seconds:.1f} s)"]
        lines += [f"       failed: {name}" for name in self.failed[:6]]
        if len(self.failed) > 6:
            lines.append(f"       ... and {len(self.failed) - 6} more")
        return "\n".join(lines)


def _junit(report: Path) -> tuple[list[str], list[str], int]:
    if not report.exists():
        return [], [], 0
    failed, errors, passed = [], [], 0
    for case in ET.parse(report).getroot().iter("testcase"):
        name = case.get("name", "?")
        if case.find("failure") is not None:
            failed.append(name)
        elif case.find("error") is not None:
            errors.append(name)
        elif case.find("skipped") is None:
            passed += 1
    return failed, errors, passed


def run_mutation(name: str, base: Spec | None = None) -> Outcome:
    """Regenerate from the mutated spec into a temp folder and replay the cassettes."""
    started = time.monotonic()
    spec = copy.deepcopy(base if base is not None else json.loads(SPEC.read_text()))
    MUTATIONS[name](spec)
    with tempfile.TemporaryDirectory(prefix="cxreports-wire-") as tmp:
        folder = Path(tmp)
        spec_path = folder / "spec.json"
        spec_path.write_text(json.dumps(spec, indent=2, sort_keys=True) + "\n")
        generated = folder / "generated"
        generated.mkdir()
        generate_into(generated, spec_path)
        assert (generated / PACKAGE / "__init__.py").exists()
        report = folder / "report.xml"
        env = {k: v for k, v in os.environ.items() if k != "CXREPORTS_RECORD"}
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(generated), env.get("PYTHONPATH", "")) if p
        )
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        cmd = [
            sys.executable, "-c", RUNNER, str(generated),
            # no:cxreports: the package's own pytest plugin imports cxreports at start-up,
            # which would turn a client that no longer imports into a plugin error.
            MODULE, "-q", "-p", "no:cacheprovider", "-p", "no:cxreports",
            f"--junitxml={report}", "-o", "junit_family=xunit2",
        ]  # fmt: skip
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        failed, errors, passed = _junit(report)
    return Outcome(
        name,
        proc.returncode,
        time.monotonic() - started,
        failed,
        errors,
        passed,
        proc.stdout[-4000:] + proc.stderr[-4000:],
    )


def run_all(names: list[str] | None = None, workers: int | None = None) -> list[Outcome]:
    base = json.loads(SPEC.read_text())
    chosen = names or list(MUTATIONS)
    # Generation and pytest are CPU-bound subprocesses: one per core.
    workers = workers or max(1, min(len(chosen), os.cpu_count() or 2))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda n: run_mutation(n, base), chosen))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU core")
    parser.add_argument("-v", "--verbose", action="store_true", help="print pytest output")
    args = parser.parse_args(argv)
    started = time.monotonic()
    outcomes = run_all(workers=args.workers)
    for outcome in outcomes:
        print(outcome.summary())
        if args.verbose or not outcome.ok:
            print(outcome.output)
    bad = [o for o in outcomes if not o.ok]
    print(
        f"\n{len(outcomes) - len(bad)}/{len(outcomes)} as expected "
        f"in {time.monotonic() - started:.0f} s"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
