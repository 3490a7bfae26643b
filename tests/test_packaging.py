"""What a user installing from PyPI, or building from the sdist, gets (issue 17)."""

from __future__ import annotations

import email.parser
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SUPPORTED = ["3.11", "3.12", "3.13"]


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, built offline by the build backend (as `pip` or `python -m build` would)."""
    if not (ROOT / "pyproject.toml").is_file() or not (ROOT / "cxreports").is_dir():
        pytest.skip("not a source tree")
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(dist)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (archive,) = dist.glob("cxreports-*.tar.gz")
    return archive


def test_license_file_is_the_mit_license() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_metadata_a_package_index_shows(sdist: Path) -> None:
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/PKG-INFO"))
        extracted = tar.extractfile(member)
        assert extracted is not None
        info = email.parser.Parser().parsestr(extracted.read().decode())
    assert info["License-Expression"] == "MIT"
    assert "LICENSE" in info.get_all("License-File", [])
    assert info["Author"] or info["Author-email"]
    urls = dict(url.split(", ", 1) for url in info.get_all("Project-URL", []))
    assert {"Homepage", "Documentation"} <= set(urls)
    classifiers = info.get_all("Classifier", [])
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    versions = [c.rsplit(" :: ", 1)[1] for c in classifiers if c.count(".") and "Python ::" in c]
    assert versions == SUPPORTED
    assert info["Requires-Python"] == f">={SUPPORTED[0]}"
    # The long description is the README, which starts a pip user off with pip, not make.
    readme = info.get_payload()
    assert readme.index("pip install cxreports") < readme.index("make demo")


def test_sdist_ships_what_its_tests_need_and_they_pass(sdist: Path, tmp_path: Path) -> None:
    """Unpacked, the sdist runs a quick subset of its own tests on its own code."""
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp_path, filter="data")
    (tree,) = tmp_path.iterdir()
    for needed in ("LICENSE", "README.md", "examples/quickstart.py", "benchmarks/bench.py"):
        assert (tree / needed).is_file(), needed
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    env["PYTHONPATH"] = os.pathsep.join([str(tree), str(tree / "generated")])
    env["NO_PROXY"] = "127.0.0.1,localhost"
    where = subprocess.run(
        [sys.executable, "-c", "import cxreports, cxreports_api; print(cxreports.__file__);"
         "print(cxreports_api.__file__)"],
        cwd=tree, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert all(Path(line).is_relative_to(tree) for line in where.stdout.split())
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "tests/test_client_unit.py", "tests/test_readme.py",
            "tests/test_examples.py::test_quickstart_alone",
        ],
        cwd=tree, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and " failed" not in result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_on_an_old_python_says_so_in_one_line(tmp_path: Path) -> None:
    """`make demo` with Python 3.10: one line, no AssertionError traceback, no .venv."""
    fake = tmp_path / "python3.10"
    fake.write_text(
        "#!/bin/sh\n"
        f'exec "{sys.executable}" -c "import sys; sys.version_info = (3, 10, 14, \'final\', 0); '
        "sys.version = '3.10.14 (main)'; sys.argv = sys.argv[1:]; "
        'exec(compile(open(sys.argv[0]).read(), sys.argv[0], \'exec\'))" "$@"\n'
    )
    fake.chmod(0o755)
    venv = tmp_path / "venv"
    result = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "demo", f"PYTHON={fake}", f"VENV={venv}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and not venv.exists()
    ours = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert ours == [
        f"error: cxreports needs Python 3.11 or newer, but {sys.executable} is Python 3.10.14; "
        "run make with PYTHON=python3.11 (or newer)"
    ]
    assert "Traceback" not in result.stderr + result.stdout
