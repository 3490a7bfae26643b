"""Run noxfile.py's sessions side by side, one per core, and print each one's output whole.

The sessions are CPU-bound pytest runs of one interpreter each; on a 2-core machine two of
them in parallel take about as long as one. Output goes to .nox/<session>.log and is printed
session by session when it ends, so it never interleaves. Exits non-zero if any session fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOX = [sys.executable, "-m", "nox", "--noxfile", str(ROOT / "noxfile.py")]


def sessions() -> list[str]:
    listed = subprocess.run([*NOX, "--list", "--json"], capture_output=True, text=True, check=True)
    # noxfile.py prints what it found and skipped before the JSON list.
    lines = listed.stdout.splitlines()
    for line in lines:
        if line.startswith("test-matrix:"):
            print(line, flush=True)
    found = json.loads(next(line for line in lines if line.startswith("[")))
    return [s["session"] for s in found if s["name"] == "quick"]


def run(name: str) -> tuple[str, int, float]:
    log = ROOT / ".nox" / f"{name}.log"
    log.parent.mkdir(exist_ok=True)
    started = time.monotonic()
    with log.open("w") as out:
        code = subprocess.run(
            [*NOX, "-s", name, *sys.argv[1:]], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT
        ).returncode
    print(log.read_text(), end="", flush=True)
    return name, code, time.monotonic() - started


def main() -> int:
    names = sessions()
    if not names:
        print("test-matrix: no CPython >= requires-python to run on besides those left out")
        return 0
    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        results = list(pool.map(run, names))
    for name, code, seconds in results:
        print(f"test-matrix: {name}: {'passed' if code == 0 else 'FAILED'} in {seconds:.0f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
