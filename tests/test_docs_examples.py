"""Every Python block on the documentation site runs, as a reader would run it.

The blocks of one page run in order, as one script, in a fresh process and an empty folder,
against a local CxReports server named by CXREPORTS_URL, CXREPORTS_TOKEN and
CXREPORTS_WORKSPACE (what the site tells readers to set). A block can be marked by an HTML
comment on the line before its fence, which the site does not show:

- ``<!-- docs-test: pytest -->``: the block is a test module; it is written to a file and
  run with pytest (which loads the ``cxreports_server`` fixture from the installed plugin);
- ``<!-- docs-test: skip REASON -->``: the block is not run, and REASON says why.

Blocks in other languages (``sh``, ``json``...) are not run.
"""

from __future__ import annotations

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

DOCS = Path(__file__).resolve().parent.parent / "docs"
TOKEN = "docs-examples-token-5e1f"
# Guides with no runnable code yet: they describe features still being built.
NO_CODE = {"guides/airflow.md"}

FENCE = re.compile(
    r"^(?:<!-- docs-test: (?P<mark>[^\n]*?) -->\n)?"
    r"(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


@dataclass
class Block:
    page: str
    line: int
    lang: str
    mark: str | None
    code: str


def blocks(page: Path, root: Path = DOCS) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        indent = match["indent"]
        code = "".join(
            line[len(indent) :] if line.startswith(indent) else line
            for line in match["body"].splitlines(keepends=True)
        )
        found.append(
            Block(
                page=page.relative_to(root).as_posix(),
                line=text.count("\n", 0, match.start("lang")) + 1,
                lang=match["lang"],
                mark=match["mark"],
                code=code,
            )
        )
    return found


def python_blocks(page: Path) -> list[Block]:
    return [b for b in blocks(page) if b.lang in ("python", "py")]


PAGES = sorted(DOCS.rglob("*.md"))
RUNNABLE = [p for p in PAGES if any(b.mark is None for b in python_blocks(p))]


def script(page: Path) -> str:
    """The page's unmarked blocks, in order, each introduced by where it comes from."""
    parts = []
    for block in python_blocks(page):
        if block.mark is None:
            parts.append(f"# ---- {block.page}, line {block.line}\n{block.code}")
    return "\n".join(parts)


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve(token=TOKEN, render_delay=0.2) as running:
        yield running


def reader_env(server: Any) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CXREPORTS_")}
    return {
        **clean,
        "NO_PROXY": "127.0.0.1,localhost",
        "CXREPORTS_URL": server.url,
        "CXREPORTS_TOKEN": TOKEN,
        "CXREPORTS_WORKSPACE": server.workspace,
    }


def run(args: list[str], cwd: Path, env: dict[str, str], source: str) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    numbered = "\n".join(f"{n:4} {line}" for n, line in enumerate(source.splitlines(), 1))
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n--- the code:\n{numbered}"
    assert TOKEN not in result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("page", RUNNABLE, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_runs(page: Path, server: Any, tmp_path: Path) -> None:
    source = script(page)
    path = tmp_path / "page.py"
    path.write_text(source, encoding="utf-8")
    run([sys.executable, str(path)], tmp_path, reader_env(server), source)


PYTEST_BLOCKS = [b for p in PAGES for b in python_blocks(p) if b.mark == "pytest"]


@pytest.mark.parametrize("block", PYTEST_BLOCKS, ids=lambda b: f"{b.page}:{b.line}")
def test_pytest_block_passes(block: Block, server: Any, tmp_path: Path) -> None:
    (tmp_path / "test_docs_block.py").write_text(block.code, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    stdout = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_docs_block.py"],
        tmp_path,
        reader_env(server),
        block.code,
    )
    tests = len(re.findall(r"^(?:async )?def test_", block.code, re.MULTILINE))
    assert tests and f"{tests} passed" in stdout, stdout


def test_every_block_is_run_or_says_why_not() -> None:
    for page in PAGES:
        for block in python_blocks(page):
            where = f"{block.page}, line {block.line}"
            if block.mark is None or block.mark == "pytest":
                continue
            assert re.fullmatch(r"skip \S.*", block.mark), f"{where}: unknown mark {block.mark!r}"


def test_the_guides_have_code() -> None:
    """Guard against the extraction finding nothing: then test_page_runs would test nothing."""
    guides = {p.relative_to(DOCS).as_posix() for p in (DOCS / "guides").glob("*.md")}
    running = {p.relative_to(DOCS).as_posix() for p in RUNNABLE}
    assert guides - running == NO_CODE
    assert "index.md" in running
    assert sum(len(python_blocks(p)) for p in PAGES) >= 30
    assert PYTEST_BLOCKS


def test_the_extractor_reads_marks_and_indented_fences(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# T\n\n```python\na = 1\n```\n\n<!-- docs-test: skip needs a browser -->\n"
        "```python\nopen_browser()\n```\n\n!!! note\n    ```python\n    b = 2\n    ```\n"
        "\n```sh\nmake docs\n```\n",
        encoding="utf-8",
    )
    found = blocks(page, root=tmp_path)
    assert [(b.lang, b.mark, b.code, b.line) for b in found] == [
        ("python", None, "a = 1\n", 3),
        ("python", "skip needs a browser", "open_browser()\n", 8),
        ("python", None, "b = 2\n", 13),
        ("sh", None, "make docs\n", 17),
    ]
