"""Re-record the wire cassettes in ``tests/cassettes/`` (``make record``).

The scenarios live in ``tests/test_cassettes.py``; recording is that module run with
``CXREPORTS_RECORD=1``, which switches vcrpy to record mode ``all`` and starts the local
CxReports server. With ``CXREPORTS_URL`` and ``CXREPORTS_TOKEN`` set it records against
that instance instead (workspace from ``CXREPORTS_WORKSPACE``; a real tenant's codes
differ from the local seed's, so also set ``CXREPORTS_REPORT`` (a report code),
``CXREPORTS_PAGED_WORKSPACE`` (a workspace with more than 100 reports),
``CXREPORTS_JOB`` (a job that requires review) and ``CXREPORTS_THEME``; the defaults are
the local seed's). The codes are kept in ``tests/cassettes/scenario.json`` for replay.
The scenarios that need the local server's failure simulation (``local_only``) are
recorded against a local server either way.

Old cassettes are removed first, so a renamed scenario leaves nothing stale behind.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "tests" / "cassettes"
MODULE = "tests/test_cassettes.py"


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "pytest_args", nargs="*", help="extra pytest arguments (e.g. -k export; keeps others)"
    )
    args = parser.parse_args(argv)
    remote = bool(os.environ.get("CXREPORTS_URL")) and bool(os.environ.get("CXREPORTS_TOKEN"))
    print(f"recording against {'CXREPORTS_URL' if remote else 'the local server'} ...")
    if not args.pytest_args:
        for kind in ("sync", "async"):
            shutil.rmtree(CASSETTES / kind, ignore_errors=True)
    env = dict(os.environ, CXREPORTS_RECORD="1")
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        MODULE,
        "-q",
        "-p",
        "no:cacheprovider",
        *args.pytest_args,
    ]
    code = subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode
    if code != 0:
        print(f"recording failed (pytest exit {code}); check the cassettes before committing")
        return code
    # Replay what was just written, as `make test` will.
    replay_env = {k: v for k, v in os.environ.items() if k != "CXREPORTS_RECORD"}
    replay = [sys.executable, "-m", "pytest", MODULE, "-q", "-p", "no:cacheprovider"]
    code = subprocess.run(replay, cwd=ROOT, env=replay_env, check=False).returncode
    files = sorted(CASSETTES.rglob("*.yaml"))
    print(
        f"{len(files)} cassettes, {_size(CASSETTES) / 1024:.0f} KiB in {CASSETTES.relative_to(ROOT)}"
    )
    return code


if __name__ == "__main__":
    raise SystemExit(main())
