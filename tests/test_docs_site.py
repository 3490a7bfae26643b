"""The documentation site builds with --strict, covers every public name, and works in a browser.

The site is built once into a temporary folder, as ``make docs`` builds it. The browser tests
serve it on 127.0.0.1 and open it in the system's headless Chromium, as tests/test_embed.py
does (nothing is downloaded; without /usr/bin/chromium they skip and say why).
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browser import headless_chromium, require_chromium

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PUBLIC_MODULES = ("cxreports", "cxreports.testing", "cxreports.compat")

pytest.importorskip("mkdocs", reason="mkdocs is not installed (the docs extra)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def directives() -> set[str]:
    """Every name the reference pages document with a ``::: name`` directive."""
    names = set()
    for page in (DOCS / "reference").glob("*.md"):
        names.update(re.findall(r"^::: ([\w.]+)\s*$", page.read_text(encoding="utf-8"), re.M))
    return names


def test_every_public_name_has_a_reference_entry() -> None:
    documented = directives()
    missing = [
        f"{module}.{name}"
        for module in PUBLIC_MODULES
        for name in importlib.import_module(module).__all__
        if f"{module}.{name}" not in documented
    ]
    assert not missing, f"no ::: directive in docs/reference/ for {missing}"


def test_the_reference_pages_hold_the_docstrings(site: Path) -> None:
    client = (site / "reference" / "client" / "index.html").read_text(encoding="utf-8")
    assert 'id="cxreports.Client.export"' in client
    assert 'id="cxreports.AsyncClient.preview_url"' in client
    compat = (site / "reference" / "compat" / "index.html").read_text(encoding="utf-8")
    # A docstring's Args section, rendered.
    assert "default_workspace_id" in compat and "The workspace id or code used" in compat


def test_the_cli_reference_is_generated_from_the_app(site: Path) -> None:
    pytest.importorskip("typer", reason="the cli extra")
    import typer

    from cxreports.cli._app import build_app

    page = (site / "cli" / "index.html").read_text(encoding="utf-8")
    assert "&lt;!-- cli-reference --&gt;" not in page and "<!-- cli-reference -->" not in page
    group: Any = typer.main.get_command(build_app())
    for name, command in group.commands.items():
        assert f"cxreports {name}</code>" in page, name
        for param in command.params:
            for option in param.opts:
                if option.startswith("--"):
                    assert option in page, f"{name} {option}"


# -- in a browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    require_chromium()
    with headless_chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


def test_the_export_reference_renders_with_its_signature(
    browser: Any, served: str, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(served + "/reference/client/#cxreports.Client.export")
    heading = browser.find_element(By.ID, "cxreports.Client.export")
    assert heading.is_displayed() and "export" in heading.text
    # The signature block that follows the heading, as the reader sees it.
    signature = heading.find_element(By.XPATH, "following::div[contains(@class, 'doc-signature')]")
    text = " ".join(signature.text.split()).replace("'", '"')
    assert text.startswith('export( report: ReportRef, format: ExportFormat = "pdf",'), text
    for parameter in ("params: Any = None", "temp_data:", "include_attachments: bool = False"):
        assert parameter in text, text
    assert text.endswith("-> Document"), text
    assert browser.save_screenshot(str(tmp_path / "reference.png"))


def test_search_finds_preview_url(browser: Any, served: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(served + "/")
    query = browser.find_element(By.CSS_SELECTOR, "input[data-md-component='search-query']")
    if not query.is_displayed():  # a narrow window: the search box opens from its button
        browser.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__search']").click()
    WebDriverWait(browser, 10).until(lambda d: query.is_displayed() and query.is_enabled())
    query.click()
    query.send_keys("preview_url")

    def results(driver: Any) -> list[Any]:
        found = driver.find_elements(By.CSS_SELECTOR, "li.md-search-result__item")
        return [item for item in found if item.text.strip()]

    items = WebDriverWait(browser, 20).until(results)
    links = [
        a.get_attribute("href")
        for item in items
        for a in item.find_elements(By.CSS_SELECTOR, "a.md-search-result__link")
    ]
    assert any("preview_url" in item.text for item in items), [i.text for i in items]
    assert any("/reference/client/" in (link or "") for link in links), links
    assert any("/guides/embedding/" in (link or "") for link in links), links
