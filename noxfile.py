"""The quick suite under every CPython the package admits that this machine has.

`make test-matrix` runs this. Interpreters are found on PATH (python3.N) and under pyenv
(``$PYENV_ROOT/versions/*/bin/python3``); each CPython >= requires-python gets one virtual
environment under .nox/ and runs the suite without the soak and the wire mutations. What was
found, used and skipped (and why) is printed first. ``MATRIX_SKIP=3.11`` leaves versions out,
e.g. the one `make test` has just run in full.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).parent
nox.options.sessions = ["quick"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

_PROBE = "import platform, sys; print(platform.python_implementation(), *sys.version_info[:3])"


def _minimum() -> tuple[int, int]:
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    major, minor = spec.removeprefix(">=").strip().split(".")[:2]
    return int(major), int(minor)


def _candidates() -> list[str]:
    names = [shutil.which(f"python3.{minor}") for minor in range(8, 30)]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    # Real binaries before pyenv's shims, which run whichever version pyenv has active.
    return sorted(str(p) for p in pyenv.glob("*/bin/python3")) + [n for n in names if n]


def find_interpreters() -> tuple[dict[str, str], list[str]]:
    """One interpreter per CPython minor version >= requires-python (the newest patch found),
    and a line for each candidate skipped."""
    least = _minimum()
    left_out = {v.strip() for v in os.environ.get("MATRIX_SKIP", "").split(",") if v.strip()}
    chosen: dict[str, tuple[tuple[int, ...], str]] = {}
    skipped: list[str] = []
    for path in dict.fromkeys(_candidates()):
        try:
            probe = subprocess.run(
                [path, "-c", _PROBE], capture_output=True, text=True, timeout=30, check=True
            )
            kind, *numbers = probe.stdout.split()
            version = tuple(int(n) for n in numbers)
        except (OSError, subprocess.SubprocessError, ValueError):
            skipped.append(f"{path}: does not run (a pyenv shim for an inactive version?)")
            continue
        minor = f"{version[0]}.{version[1]}"
        if kind != "CPython":
            skipped.append(f"{path}: {kind}, not CPython")
        elif version[:2] < least:
            skipped.append(f"{path}: {minor} is older than requires-python >={least[0]}.{least[1]}")
        elif minor in left_out:
            skipped.append(f"{path}: {minor} left out by MATRIX_SKIP")
        elif minor not in chosen or version > chosen[minor][0]:
            chosen[minor] = (version, path)
    return {minor: path for minor, (_, path) in sorted(chosen.items())}, skipped


INTERPRETERS, SKIPPED = find_interpreters()
print(
    "test-matrix: running on "
    + (", ".join(f"{v} ({p})" for v, p in INTERPRETERS.items()) or "no interpreter")
)
for line in SKIPPED:
    print(f"test-matrix: skipped {line}")


@nox.session
@nox.parametrize("python", list(INTERPRETERS.values()), ids=list(INTERPRETERS))
def quick(session: nox.Session) -> None:
    """Everything but the fault soak and the wire mutations (`make test` runs those)."""
    session.install("--quiet", "-e", ".[dev]")
    session.run(
        "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-m",
        "not wire",
        "--ignore=tests/reliability/test_fault_soak.py",
        *session.posargs,
    )
