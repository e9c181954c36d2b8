"""Shared steps of the play page's browser tests: members open their launch links on phones."""
from __future__ import annotations

from typing import Awaitable, Callable

from playwright.async_api import Page, expect

from sdk import Client

Phone = Callable[[], Awaitable[Page]]


async def open_members(bot: Client, phone: Phone, room: str, members: list[tuple[str, str]],
                       join: bool = True) -> dict[str, Page]:
    """One phone per member, each opened from its own launch link (and joined, by tapping Join)."""
    pages = {}
    for member, name in members:
        page = await phone()
        await page.goto(await bot.play_link(room, member, name))
        if join:
            await page.click("#join")
            await expect(page.locator(".players li.me")).to_be_visible()
        pages[member] = page
    return pages


async def no_sideways_scroll(page: Page) -> None:
    """The page fits the phone's width: nothing wider than the screen."""
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # type: ignore[index]
