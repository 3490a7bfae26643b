"""Build an sdist and a wheel for a team's internal index (``make dist``).

The version carries the server version the spec was fetched from as a PEP 440 local segment
(``0.1.0+cx.24.3``, from ``openapi/cxreports-v1.lock.json``), so two teams on different
CxReports versions never publish the same version number. The build runs in a staged copy
with that version written into ``cxreports/_version.py``, so the wheel's metadata and
``cxreports.__version__`` agree; the checkout is not modified.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cxreports._spec.lock import read_lock  # noqa: E402

_SKIP = shutil.ignore_patterns(
    ".git", ".venv", "dist", "build", "__pycache__", ".*_cache", ".bench-cache", "out", "*.egg-info"
)


def local_version(base: str, server_version: str) -> str:
    """``0.1.0`` and ``24.3 (build 7)`` -> ``0.1.0+cx.24.3.build.7`` (PEP 440 local segment)."""
    parts = [p for p in re.split(r"[^a-z0-9]+", server_version.lower()) if p]
    return f"{base.split('+')[0]}+{'.'.join(['cx', *parts])}"


def build(outdir: Path, version: str | None = None) -> list[Path]:
    """Build both distributions into ``outdir``; returns their paths."""
    namespace: dict[str, str] = {}
    exec((ROOT / "cxreports" / "_version.py").read_text(), namespace)
    lock = read_lock((ROOT / "openapi" / "cxreports-v1.lock.json").read_text())
    version = version or local_version(namespace["__version__"], lock.version)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cxreports-dist-") as tmp:
        stage = Path(tmp) / "src"
        shutil.copytree(ROOT, stage, ignore=_SKIP)
        (stage / "cxreports" / "_version.py").write_text(
            '"""The package version: the one place it is written (pyproject.toml reads it)."""'
            f"\n\n__version__ = {version!r}\n"
        )
        before = set(outdir.iterdir())
        cmd = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(outdir), str(stage)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
            raise SystemExit(f"python -m build failed with exit code {proc.returncode}")
    return sorted(set(outdir.iterdir()) - before)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--outdir", type=Path, default=ROOT / "dist")
    parser.add_argument("--version", help="the full version to build (default: from the lock)")
    args = parser.parse_args()
    for path in build(args.outdir, args.version):
        print(f"built {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
