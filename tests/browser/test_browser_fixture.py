"""The browser fixtures themselves: a real Chromium reaches a real server, on a phone-sized screen."""
from __future__ import annotations

import json
from typing import Awaitable, Callable

from playwright.async_api import Page

from server.run import EmbeddedServer


async def test_a_phone_sized_page_loads_from_the_real_server(server: EmbeddedServer,
                                                            phone: Callable[[], Awaitable[Page]]) -> None:
    page = await phone()
    response = await page.goto(server.http + "/healthz")
    assert response is not None and response.status == 200
    assert json.loads(await page.inner_text("body"))["ok"] is True
    assert await page.evaluate("screen.width") == 360  # (a page without a viewport meta lays out at 980)
