"""`make check-generated` really catches hand edits under generated/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate.py"


def run_check(output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_generated_fails_on_a_one_character_edit_and_passes_after_regeneration(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "cxreports_api"
    shutil.copytree(ROOT / "generated" / "cxreports_api", copy)
    assert run_check(copy).returncode == 0

    target = copy / "models" / "workspace.py"
    text = target.read_text()
    target.write_text(text.replace("class Workspace:", "class Workspacf:", 1))
    failed = run_check(copy)
    assert failed.returncode == 1
    assert "-class Workspacf:" in failed.stdout and "+class Workspace:" in failed.stdout

    regenerated = subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(copy)], capture_output=True, text=True
    )
    assert regenerated.returncode == 0, regenerated.stderr
    assert run_check(copy).returncode == 0
