"""Every ```python block of README.md runs as written against the local server.

The server is the one `make demo` and `python -m cxreports.testing` start: the default seed
and token, with CXREPORTS_URL, CXREPORTS_TOKEN and CXREPORTS_WORKSPACE set as the README's
"Install from PyPI" section says. Each block runs alone, in a fresh folder, as a script.

A block that cannot run here (it needs a service we do not start, say) is marked in the
README by an HTML comment on the line before its fence, with the reason::

    <!-- readme-test: skip (needs a running Airflow) -->

Such blocks are reported as skipped, with that reason, in the test summary.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cxreports.testing import serve

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
SKIP = re.compile(r"<!--\s*readme-test:\s*skip\b\s*(.*?)\s*-->\s*\Z", re.DOTALL)


@dataclass(frozen=True)
class Block:
    line: int  # of the opening fence
    code: str
    skip: str | None  # the reason, for a block marked to be skipped


def readme_blocks(text: str) -> list[Block]:
    blocks = []
    for match in FENCE.finditer(text):
        marker = SKIP.search(text[: match.start()])
        reason = (marker.group(1).strip(" ()") or "no reason given") if marker else None
        line = text.count("\n", 0, match.start()) + 1
        blocks.append(Block(line, match.group(1), reason))
    return blocks


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(render_delay=0.2) as running:  # make demo's seed and token
        yield running


@pytest.mark.parametrize("block", BLOCKS, ids=[f"README.md:{b.line}" for b in BLOCKS])
def test_readme_block_runs_as_written(block: Block, server: Any, tmp_path: Path) -> None:
    if block.skip is not None:
        pytest.skip(f"README.md:{block.line} is marked readme-test: skip ({block.skip})")
    script = tmp_path / f"readme_line_{block.line}.py"
    script.write_text(block.code, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    env.update(
        CXREPORTS_URL=server.url,
        CXREPORTS_TOKEN=server.token,
        CXREPORTS_WORKSPACE=server.workspace,
        NO_PROXY="127.0.0.1,localhost",
    )
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"README.md:{block.line} failed:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    # What an example prints is for people: no line repeated, as a print per poll would be.
    lines = result.stdout.splitlines()
    repeated = [a for a, b in itertools.pairwise(lines) if a == b]
    assert not repeated, f"README.md:{block.line} prints the same line twice: {repeated[0]!r}"


def test_readme_examples_are_found_and_run() -> None:
    """The README is a landing page with one example (the guides' examples run in
    tests/test_docs_examples.py): it must be found, and it must run."""
    assert BLOCKS
    assert sum(block.skip is None for block in BLOCKS) >= 1


def test_skip_marker_applies_to_the_next_block_only() -> None:
    text = (
        "<!-- readme-test: skip (needs Airflow) -->\n```python\nimport airflow\n```\n\n"
        "text\n\n```python\nprint(1)\n```\n"
    )
    assert [(b.line, b.skip) for b in readme_blocks(text)] == [(2, "needs Airflow"), (8, None)]
