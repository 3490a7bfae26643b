"""The variant matrix: a user's server, in each of its plausible shapes, reaches green.

For each Swagger variant in ``tests/spec_variants.py``, in a copy of the project: make spec
(``scripts/fetch_spec.py`` on the document), make generate, import the packages, mypy
--strict on ``cxreports/``, and the cassette replay with the spec tests. Compatible
variants must pass every step with no edit to ``cxreports/`` or ``tests/``; breaking ones
must be reported as breaking (exit 3, with advice).

Marked ``variants`` (``-m 'not variants'`` deselects it). Variants are run two at a time;
mypy starts from the project's own cache, which ``make test`` has just warmed. A variant
that normalises to the pinned spec byte for byte stops there: generation is reproducible, so
the remaining steps are what ``make test`` runs on the project itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from spec_variants import VARIANTS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from generate import diff_trees  # noqa: E402

pytestmark = pytest.mark.variants

_SKIP = shutil.ignore_patterns(
    ".git", ".venv", "dist", "build", "__pycache__", ".pytest_cache", ".ruff_cache",
    ".mypy_cache", ".bench-cache", "out", "*.egg-info", "benchmarks", "examples",
)  # fmt: skip
# The subprocess proves it runs the copy's packages before running the tests.
RUNNER = """
import sys
from pathlib import Path
import cxreports, cxreports_api, pytest
project = Path(sys.argv[1]).resolve()
for module in (cxreports, cxreports_api):
    if not Path(module.__file__).resolve().is_relative_to(project):
        sys.exit(f"{module.__name__} came from {module.__file__}, not from {project}")
sys.exit(pytest.main(sys.argv[2:]))
"""
REPLAYED = ["tests/test_cassettes.py", "tests/test_spec.py", "tests/test_relied_surface.py"]


@dataclass
class Outcome:
    variant: str
    steps: list[tuple[str, int, str]] = field(default_factory=list)
    seconds: float = 0.0
    same_spec: bool | None = None
    generated_diff: list[str] = field(default_factory=list)

    def step(self, name: str) -> tuple[int, str]:
        for step, code, output in self.steps:
            if step == name:
                return code, output
        raise KeyError(f"{self.variant}: step {name} did not run ({self.summary()})")

    @property
    def failed(self) -> str | None:
        bad = [s for s, code, _ in self.steps if code != 0]
        return bad[0] if bad else None

    def summary(self) -> str:
        steps = ", ".join(f"{s}={code}" for s, code, _ in self.steps)
        text = f"{self.variant} ({self.seconds:.0f} s): {steps}"
        for step, code, output in self.steps:
            if code != 0:
                text += f"\n--- {step} (exit {code}):\n{output[-3000:]}"
        return text


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    started = time.monotonic()
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    took = f"\n[{time.monotonic() - started:.1f} s]"
    return proc.returncode, proc.stdout + proc.stderr + took


def run_variant(name: str) -> Outcome:
    started = time.monotonic()
    outcome = Outcome(name)
    variant = VARIANTS[name]
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="cxreports-variant-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(ROOT, project, ignore=_SKIP)
        if (ROOT / ".mypy_cache").is_dir():
            shutil.copytree(ROOT / ".mypy_cache", project / ".mypy_cache")
        served = Path(tmp) / "swagger.json"
        served.write_text(json.dumps(variant.document()))
        env = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        code, out = _run([python, "scripts/fetch_spec.py", "--url", str(served)], project, env)
        outcome.steps.append(("spec", code, out))
        if code != 0:
            outcome.seconds = time.monotonic() - started
            return outcome
        spec = project / "openapi" / "cxreports-v1.json"
        outcome.same_spec = (
            spec.read_bytes() == (ROOT / "openapi" / "cxreports-v1.json").read_bytes()
        )
        if outcome.same_spec:
            # Generation is byte-for-byte reproducible, so the rest is what make test runs on
            # the project itself (check-generated, mypy, the suite): nothing to repeat.
            outcome.seconds = time.monotonic() - started
            return outcome
        outcome.steps.append(("generate", *_run([python, "scripts/generate.py"], project, env)))
        outcome.generated_diff = diff_trees(
            project / "generated" / "cxreports_api", ROOT / "generated" / "cxreports_api"
        )
        env["PYTHONPATH"] = os.pathsep.join([str(project), str(project / "generated")])
        check = "import cxreports, cxreports_api, cxreports.cli; cxreports.Client"
        outcome.steps.append(("import", *_run([python, "-c", check], project, env)))
        mypy = [python, "-m", "mypy", "--strict", "cxreports", "--cache-dir", ".mypy_cache"]
        outcome.steps.append(("mypy", *_run(mypy, project, env)))
        replay = [
            python, "-c", RUNNER, str(project), *REPLAYED, "-q", "-p", "no:cacheprovider",
            # no:cxreports: the installed plugin would import the checkout's cxreports.
            "-p", "no:cxreports", "-p", "no:hypothesispytest", "-p", "no:anyio",
            "-m", "not variants",
        ]  # fmt: skip
        outcome.steps.append(("replay", *_run(replay, project, env)))
    outcome.seconds = time.monotonic() - started
    return outcome


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = {o.variant: o for o in pool.map(run_variant, VARIANTS)}
    total = time.monotonic() - started
    print(f"\nvariant matrix: {total:.0f} s")
    for outcome in results.values():
        print(f"  {outcome.variant}: {outcome.seconds:.0f} s, failed step: {outcome.failed}")
    return results


COMPATIBLE = sorted(n for n, v in VARIANTS.items() if not v.breaking)
BREAKING = sorted(n for n, v in VARIANTS.items() if v.breaking)


@pytest.mark.parametrize("name", COMPATIBLE)
def test_compatible_variant_goes_green_with_no_hand_edits(
    outcomes: dict[str, Outcome], name: str
) -> None:
    outcome = outcomes[name]
    assert outcome.failed is None, outcome.summary()
    assert "   BREAKING" not in outcome.step("spec")[1]


def test_the_identical_api_round_trips_byte_for_byte(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["identical"]
    assert "No API changes" in outcome.step("spec")[1]
    assert outcome.same_spec, "make spec rewrote openapi/cxreports-v1.json"
    assert outcome.generated_diff == [], "".join(outcome.generated_diff[:80])


@pytest.mark.parametrize("name", ["renamed schemas", "reordered properties"])
def test_renames_and_reordering_change_nothing(outcomes: dict[str, Outcome], name: str) -> None:
    outcome = outcomes[name]
    assert outcome.same_spec and outcome.generated_diff == [], outcome.summary()


def test_new_operations_get_readable_modules(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["new operations and tags"]
    added = [line for line in outcome.generated_diff if line.startswith("+++ fresh/")]
    names = {line.split()[1].removeprefix("fresh/cxreports_api/") for line in added}
    assert {
        "api/exports/delete_exports_by_temp_file_id.py",
        "api/dashboard/get_dashboards.py",
        "models/dashboard.py",
    } <= names, sorted(names)


@pytest.mark.parametrize("name", BREAKING)
def test_breaking_variant_is_reported_as_breaking(outcomes: dict[str, Outcome], name: str) -> None:
    code, out = outcomes[name].step("spec")
    assert code == 3, out
    assert "BREAKING" in out and "-> used by" in out, out


def test_integer_enums_are_explained(outcomes: dict[str, Outcome]) -> None:
    _, out = outcomes["integer enums"].step("spec")
    assert "0=Pdf, 1=Docx, 2=Xlsx, 3=Pptx, 4=Html (x-enumNames, in order)" in out
    assert "with no x-enumNames" in out  # ExportStatus.status has none
    assert "JsonStringEnumConverter" in out
    assert out.count("BREAKING") <= 6, out  # one explained line per enum use, not every value
