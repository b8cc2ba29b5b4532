"""The consoles in a real browser: Debian's Chromium driven by Playwright, against the whole
suite (a real broker, all six services) started once for every browser test.

The suite is built as the integration suite builds it, on one store backend (SQLite): what
these tests check is what a user sees, not the store. Suite and broker are package-scoped (this
folder is a package for that): they stop when the browser tests end, instead of running beside
the integration suite's own for the rest of the session (two suites at once doubled the load on
a 2-core machine, and the CI run then took 47 minutes and lost a consumer group).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect, sync_playwright
from tianmen_devkit.broker import choose_broker
from tianmen_devkit.supervisor import Suite
from tianmen_gateway.entrypoints.console import BUILT

from tests.integration.conftest import gateway, running_suite

__all__ = ["gateway"]

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path("var/screenshots")
PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1366, height=900)
# A screen waits for the services it reads; on a shared, loaded machine that is seconds.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def backend() -> str:
    return "sqlite"


@pytest.fixture(scope="package")
def bootstrap_servers() -> Iterator[str]:
    with choose_broker() as servers:
        yield servers


@pytest.fixture(scope="package")
def suite(
    backend: str,
    bootstrap_servers: str,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[Suite]:
    with running_suite(backend, bootstrap_servers, tmp_path_factory, request) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's Chromium is missing: make chromium"
    assert (BUILT / "index.html").is_file(), "the console is not built: make console-build"
    with sync_playwright() as playwright:
        # SwiftShader gives headless Chromium the WebGL the map draws with.
        args = ["--enable-unsafe-swiftshader", "--use-angle=swiftshader"]
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        yield launched
        launched.close()


@pytest.fixture
def console(suite: Suite) -> str:
    return f"{suite.url('gateway')}/console/"


OpenPage = Callable[..., Page]


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:
    """New pages in Tianmen's language and time zone; an uncaught error in any fails the test."""
    errors: list[str] = []
    contexts: list[BrowserContext] = []

    def new(viewport: ViewportSize = DESKTOP) -> Page:
        context = browser.new_context(
            viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield new
    for context in contexts:
        context.close()
    assert errors == [], f"uncaught errors in the page: {errors}"


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, console: str, username: str) -> None:
    page.goto(console)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("tianmen-dev")
    page.get_by_role("button", name="登录").click()
    # Signed in once the header offers to sign out: a test that goes elsewhere before that is
    # sent to the role's home page when the token arrives.
    expect(page.get_by_role("button", name=f"退出 ({username})")).to_be_visible()
