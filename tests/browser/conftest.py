"""Playwright driving Debian's chromium against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

# The npm tools the browser tests drive (axe-core, Lighthouse), installed by make test.
TOOLS = Path(__file__).resolve().parents[2] / "tools"

# Playwright's sync API keeps an event loop running in this thread; the tests' own ORM calls are
# still synchronous, so Django's async-safety guard would refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def require(ready: bool, reason: str) -> None:
    """Skip a test whose browser or tool is missing, or fail it where PAYDOWN_REQUIRE_BROWSER says
    every browser test must run (CI)."""
    if not ready:
        if os.environ.get("PAYDOWN_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    require(
        path is not None, "no chromium found: apt-get install chromium to run the browser tests"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies): `new_page(javascript=False)`."""
    contexts = []

    def open_page(javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.console_problems = []
        page.on(
            "console",
            lambda message: (
                page.console_problems.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: page.console_problems.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, username: str, password: str = "pw-for-tests") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
