"""Regenerate ``generated/cxreports_api`` from the pinned spec, or check that it is current.

Generation runs into a temporary folder first, so a failed run never leaves a
half-written package behind, and ``--check`` compares against exactly what
``make generate`` would write. The lock file next to the spec records the sha256 of the
spec generated from and the generator version; ``--check`` fails when they are stale.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from cxreports._spec.lock import ApiSpec, dump_lock, read_lock, sha256_text  # noqa: E402

SPEC = ROOT / "openapi" / "cxreports-v1.json"
CONFIG = ROOT / "openapi" / "generator-config.yaml"
TEMPLATES = ROOT / "openapi" / "templates"
PACKAGE = "cxreports_api"
TARGET = ROOT / "generated" / PACKAGE


def generate_into(dest: Path, spec: Path = SPEC) -> Path:
    """Run openapi-python-client into ``dest/cxreports_api`` and return that path."""
    out = dest / PACKAGE
    bindir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    cmd = [
        str(bindir / "openapi-python-client"),
        "generate",
        "--path", str(spec),
        "--config", str(CONFIG),
        "--custom-template-path", str(TEMPLATES),
        "--output-path", str(out),
        "--meta", "none",
        "--fail-on-warning",
    ]  # fmt: skip
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"openapi-python-client failed with exit code {proc.returncode}")
    (out / "py.typed").write_text("")
    return out


def _files(root: Path) -> dict[str, Path]:
    return {
        p.relative_to(root).as_posix(): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def diff_trees(expected: Path, actual: Path) -> list[str]:
    """Unified diff lines between a fresh generation and the committed package."""
    want, have = _files(expected), _files(actual)
    lines: list[str] = []
    for name in sorted(set(want) | set(have)):
        a = have[name].read_text().splitlines(keepends=True) if name in have else []
        b = want[name].read_text().splitlines(keepends=True) if name in want else []
        if a != b:
            lines += difflib.unified_diff(
                a, b, f"generated/{PACKAGE}/{name}", f"fresh/{PACKAGE}/{name}"
            )
    return lines


def lock_path(spec: Path) -> Path:
    return spec.with_name(spec.name.removesuffix(".json") + ".lock.json")


def generator_version() -> str:
    from importlib import metadata

    return f"openapi-python-client {metadata.version('openapi-python-client')}"


def expected_lock(spec: Path) -> ApiSpec:
    """The lock as it should be after generating from ``spec``: what make spec recorded
    about the server, with this spec's hash and this generator."""
    import dataclasses
    import json

    text = spec.read_text(encoding="utf-8")
    lock = lock_path(spec)
    if lock.exists():
        current = read_lock(lock.read_text(encoding="utf-8"))
    else:  # a spec written by hand: no server, its own version and hash
        version = str(json.loads(text).get("info", {}).get("version", "unknown"))
        current = ApiSpec(version, None, sha256_text(text), "", "")
    return dataclasses.replace(
        current, spec_sha256=sha256_text(text), generator=generator_version()
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 on a difference")
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--output", type=Path, default=TARGET, help="package folder to write")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cxreports-gen-") as tmp:
        fresh = generate_into(Path(tmp), args.spec)
        if args.check:
            diff = diff_trees(fresh, args.output)
            lock = lock_path(args.spec)
            want = dump_lock(expected_lock(args.spec))
            if not lock.exists() or lock.read_text(encoding="utf-8") != want:
                print(f"{lock} does not match {args.spec} and this generator; run `make generate`.")
                return 1
            if diff:
                sys.stdout.writelines(diff)
                print(
                    f"\n{args.output} differs from a fresh generation of {args.spec}; run `make generate`."
                )
                return 1
            print(
                f"{args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output} is up to date."
            )
            return 0
        if args.output.exists():
            shutil.rmtree(args.output)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(fresh, args.output)
        lock_path(args.spec).write_text(dump_lock(expected_lock(args.spec)), encoding="utf-8")
        print(f"generated {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
