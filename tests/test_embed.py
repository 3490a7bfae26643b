"""examples/embed in a real headless Chromium: the iframe shows the report, the nonce
works once, and the token never reaches the browser.

Uses the system Chromium and chromedriver (Debian's chromium and chromium-driver, which
.ci/run installs); selenium is pointed at both, so nothing is downloaded. Without them
the tests skip and say why.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser import headless_chromium, require_chromium
from servers import ThreadedUvicorn

from cxreports.testing import serve

TOKEN = "embed-secret-token-7d41c0"
APP = Path(__file__).resolve().parent.parent / "examples" / "embed" / "app.py"

# Every test here drives the browser: skip the module, saying why, without Chromium.
try:
    require_chromium()
except pytest.skip.Exception as skipped:
    pytest.skip(str(skipped), allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def cxreports_server() -> Iterator[Any]:
    with serve(token=TOKEN) as server:
        yield server


@pytest.fixture(scope="module")
def embed(cxreports_server: Any) -> Iterator[ThreadedUvicorn]:
    spec = importlib.util.spec_from_file_location("embed_app", APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = module.create_app(cxreports_server.url, TOKEN, cxreports_server.workspace)
    with ThreadedUvicorn(app, lifespan="on") as served:
        yield served


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with headless_chromium(tmp_path_factory.mktemp("chromium-profile"), width=1100) as driver:
        yield driver


def iframe_text(driver: Any) -> str:
    """The iframe's text once its report has rendered."""
    driver.switch_to.frame(driver.find_element(By.ID, "report"))
    try:
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.TAG_NAME, "h1"))
        return str(driver.find_element(By.TAG_NAME, "body").text)
    finally:
        driver.switch_to.default_content()


def test_iframe_shows_the_report(browser: Any, embed: ThreadedUvicorn, tmp_path: Path) -> None:
    browser.get(embed.url + "/?invoice=INV-2042")
    assert browser.title == "Invoice INV-2042"
    src = browser.find_element(By.ID, "report").get_attribute("src")
    assert "/preview?" in src and "nonce=" in src
    text = iframe_text(browser)
    assert text.splitlines()[0] == "Invoice"  # the report's title
    assert "INV-2042" in text  # its parameters
    assert "Acme Corporation" in text  # its data
    assert "Print" not in text  # hide_print_button reached the preview
    shot = Path(os.environ.get("CXREPORTS_EMBED_SCREENSHOT", tmp_path / "embed.png"))
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 5000


def test_the_nonce_works_once(browser: Any, embed: ThreadedUvicorn, cxreports_server: Any) -> None:
    browser.get(embed.url + "/?invoice=INV-7")
    src = browser.find_element(By.ID, "report").get_attribute("src")
    assert "INV-7" in iframe_text(browser)
    # The same URL again, in the same browser (which now holds the session cookie).
    browser.get(src)
    assert "already used" in browser.find_element(By.TAG_NAME, "body").text
    assert "INV-7" not in browser.find_element(By.TAG_NAME, "body").text
    assert httpx.get(src).status_code == 401
    # A new page view gets a new nonce, and that one works.
    browser.get(embed.url + "/?invoice=INV-7")
    assert browser.find_element(By.ID, "report").get_attribute("src") != src
    assert "INV-7" in iframe_text(browser)
    previews = [r for r in cxreports_server.requests if r.operation_id == "preview"]
    assert [r.status for r in previews[-4:]] == [200, 401, 401, 200]


def test_the_page_never_holds_the_token(browser: Any, embed: ThreadedUvicorn) -> None:
    browser.get(embed.url + "/")
    assert TOKEN not in browser.page_source
    browser.switch_to.frame(browser.find_element(By.ID, "report"))
    assert TOKEN not in browser.page_source
    browser.switch_to.default_content()
    raw = httpx.get(embed.url + "/")
    assert raw.status_code == 200 and "<iframe" in raw.text
    assert TOKEN not in raw.text and TOKEN not in str(raw.headers)
    assert raw.headers["cache-control"] == "no-store"
