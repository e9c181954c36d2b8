"""Browser test fixtures: a real headless Chromium (Debian's package) driven by Playwright's
async API, in the test's own event loop.

Registered for the whole suite from tests/conftest.py (``pytest_plugins``), so any test folder
(the play page's, the console's) can ask for ``browser`` and ``phone``; Chromium starts only for
tests that do.

Why the async API in the test's loop: the ``server`` fixture runs uvicorn in that loop
(pytest-asyncio, function-scoped loops), so the browser must be driven from the same loop, and
a browser bound to one loop cannot outlive it. Launching costs well under a second.

Why ``executable_path``: the suite never downloads a browser; ``scripts/ensure-chromium.sh``
(run by ``make test``) installs Debian's ``chromium``. ``CAMPFIRE_CHROMIUM`` names another binary.

When a test that used ``browser`` fails, every page still open is saved as a PNG under
``.test-artifacts/screenshots/`` (ignored by git), named after the test.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Generator

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CAMPFIRE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
# A phone: the narrowest screen the pages must work on (issue 13: "360 px wide").
PHONE = {"width": 360, "height": 740}
# Playwright waits up to this long (ms) for an element or a navigation before failing: long
# enough for a loaded CI machine, short enough that a broken page fails in seconds, not minutes.
DEFAULT_TIMEOUT_MS = 10_000
expect.set_options(timeout=DEFAULT_TIMEOUT_MS)  # the same patience for expect() (its default is 5 s)

_REPORT_KEY = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so the browser fixture knows at teardown whether
    the test failed (pytest's documented recipe for "fixture sees the test result")."""
    report = yield
    item.stash.setdefault(_REPORT_KEY, {})[report.when] = report
    return report


def _failed(item: pytest.Item) -> bool:
    reports = item.stash.get(_REPORT_KEY, {})
    return any(r.failed for r in reports.values())


async def _save_screenshots(browser: Browser, test_name: str) -> list[Path]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)[:120]
    saved = []
    for c, context in enumerate(browser.contexts):
        for p, page in enumerate(context.pages):
            path = SCREENSHOTS / f"{stem}-{c}-{p}.png"
            try:
                await page.screenshot(path=str(path), full_page=True, timeout=5_000)
            except Exception:  # a crashed or closed page: nothing to save, keep the others
                continue
            saved.append(path)
    return saved


@pytest.fixture
async def browser(request: pytest.FixtureRequest) -> AsyncIterator[Browser]:
    """A fresh headless Chromium for this test; screenshots of every open page if it fails."""
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            if _failed(request.node):
                saved = await _save_screenshots(chromium, request.node.name)
                for path in saved:
                    print(f"screenshot: {path}")
            await chromium.close()


async def new_context(browser: Browser, *, phone: bool = False, **options: Any) -> BrowserContext:
    """A new isolated context (its own cookies and storage: one member each), with the suite's
    timeout. ``phone=True`` gives a 360 px wide touch screen."""
    if phone:
        options = {"viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2, **options}
    context = await browser.new_context(**options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


@pytest.fixture
def phone(browser: Browser) -> Callable[..., Awaitable[Page]]:
    """``await phone()`` opens a page in a new phone-sized context (one per member)."""

    async def open_page(**options: Any) -> Page:
        context = await new_context(browser, phone=True, **options)
        return await context.new_page()

    return open_page
