"""``make dist``: the wheel carries the server version as a PEP 440 local segment and works
when installed into a fresh virtual environment (no checkout next to it)."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import dist  # noqa: E402

from cxreports._spec.lock import read_lock  # noqa: E402

PROBE = """
import json, importlib.metadata, cxreports, cxreports_api
print(json.dumps({
    "metadata": importlib.metadata.version("cxreports"),
    "version": cxreports.__version__,
    "api_version": cxreports.API_SPEC.version,
    "spec_sha256": cxreports.API_SPEC.spec_sha256,
    "file": cxreports.__file__,
    "generated": cxreports_api.__file__,
    "operations": len(cxreports._spec.load_pinned_spec()["paths"]),
}))
"""


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        ("v1", "0.1.0+cx.v1"),
        ("24.3", "0.1.0+cx.24.3"),
        ("24.3.1 (build 7)", "0.1.0+cx.24.3.1.build.7"),
    ],
)
def test_local_version_is_pep_440(server: str, expected: str) -> None:
    from packaging.version import Version

    assert dist.local_version("0.1.0", server) == expected
    assert str(Version(expected)) == expected
    assert Version(expected).local == expected.split("+")[1]


def test_the_wheel_installs_into_a_fresh_venv(tmp_path: Path) -> None:
    built = dist.build(tmp_path / "dist")
    lock = read_lock((ROOT / "openapi" / "cxreports-v1.lock.json").read_text())
    want = dist.local_version("0.1.0", lock.version)
    wheel = next(p for p in built if p.suffix == ".whl")
    assert wheel.name == f"cxreports-{want}-py3-none-any.whl"
    assert any(p.name == f"cxreports-{want}.tar.gz" for p in built)

    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    # The runtime dependencies (httpx, attrs) from this venv, after the fresh one's
    # own site-packages; .pth files in an added folder are not run, so the editable
    # install of the checkout stays out.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    probe = subprocess.run(
        [str(python), "-I", "-c", PROBE], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert probe.returncode == 0, probe.stderr
    got = json.loads(probe.stdout)
    assert got["metadata"] == got["version"] == want
    assert got["api_version"] == lock.version
    assert got["spec_sha256"] == lock.spec_sha256
    assert Path(got["file"]).is_relative_to(env_dir)
    assert Path(got["generated"]).is_relative_to(env_dir)
    assert got["operations"] > 0
