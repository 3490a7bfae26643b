"""The bare wheel: `pip install cxreports` brings httpx and attrs, and nothing else is needed.

The wheel is built offline from this checkout, installed with --no-deps into a fresh virtual
environment, and given exactly its declared runtime dependencies (and theirs), linked from the
test environment, never python-dateutil. No package index is contacted.
"""

from __future__ import annotations

import importlib.metadata as md
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("cxreports-*.whl")
    return built


def requirements(wheel: Path) -> list[Requirement]:
    """Every Requires-Dist of the wheel, markers and extras included."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode()
    prefix = "Requires-Dist:"
    return [
        Requirement(line[len(prefix) :])
        for line in metadata.splitlines()
        if line.startswith(prefix)
    ]


def runtime_requirements(wheel: Path) -> list[Requirement]:
    """What a plain `pip install cxreports` installs: requirements whose marker holds
    without an extra."""
    return [r for r in requirements(wheel) if r.marker is None or r.marker.evaluate({"extra": ""})]


def closure(requirements: list[Requirement]) -> set[str]:
    """The installed distributions a set of requirements pulls in, recursively (no extras)."""
    seen: set[str] = set()
    todo = [r.name for r in requirements]
    while todo:
        name = todo.pop()
        dist = md.distribution(name)
        key = dist.metadata["Name"].lower()
        if key in seen:
            continue
        seen.add(key)
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return seen


def test_runtime_dependencies_are_httpx_and_attrs_only(wheel: Path) -> None:
    assert sorted(r.name for r in runtime_requirements(wheel)) == ["attrs", "httpx"]
    # python-dateutil reads the CLI's `push-data --expires`: it comes with the cli extra.
    dateutil = [r for r in requirements(wheel) if r.name == "python-dateutil"]
    assert any(r.marker is not None and r.marker.evaluate({"extra": "cli"}) for r in dateutil)


def test_bare_wheel_imports_and_works_without_dateutil(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=300,
    )
    # Link in the runtime closure, file by file, from this environment's site-packages.
    linked = tmp_path / "deps"
    linked.mkdir()
    names = closure(runtime_requirements(wheel))
    assert "python-dateutil" not in names
    for name in names:
        dist = md.distribution(name)
        for top in {Path(str(f)).parts[0] for f in dist.files or []}:
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not top.endswith((".pth", "__pycache__")) and top != "..":
                target = linked / top
                if not target.exists():
                    target.symlink_to(source)
    site = next((env_dir / "lib").glob("python*/site-packages"))
    (site / "runtime-deps.pth").write_text(str(linked) + "\n")
    check = (
        "import importlib.util, sys\n"
        "assert importlib.util.find_spec('dateutil') is None, 'dateutil is importable'\n"
        "import cxreports, httpx\n"
        "def handler(request):\n"
        "    return httpx.Response(200, json={'tempDataId': 7, "
        "'expiryDate': '2099-01-01T00:00:00Z'})\n"
        "with cxreports.Client('http://cx.invalid', 't0ken', workspace='w',\n"
        "                      http_client=httpx.Client(transport=httpx.MockTransport(handler))"
        ") as c:\n"
        "    temp = c.push_temporary_data({'a': 1})\n"
        "assert temp.id == 7 and temp.expires.year == 2099, temp\n"
        "print('ok', cxreports.__version__)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CXREPORTS_"))}
    done = subprocess.run(
        [str(python), "-I", "-c", check], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok ")
