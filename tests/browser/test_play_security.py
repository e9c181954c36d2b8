"""The play page refuses bad links with a clear page, keeps tickets and tokens out of every URL
it requests, escapes what members typed, and opens from Telegram with signed initData."""
from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import quote, urlencode

from playwright.async_api import expect

from sdk import Client
from server.clock import ManualClock
from server.run import EmbeddedServer
from tests.browser.play_helpers import Phone

BOT_TOKEN = "4242:campfire-test-bot"


async def test_forged_expired_and_other_room_links_are_refused_with_a_clear_page(
        server: EmbeddedServer, clock: ManualClock, app_key: str, phone: Phone) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g1", {"lang": "en"})
        await bot.set_group("g2", {"lang": "en"})
        room = await bot.create_room("g1", "quiz", {"questions": 1})
        other = await bot.create_room("g2", "quiz", {"questions": 1})
        link = await bot.play_link(room.id, "u1", "Alice")
        page = await phone()

        forged = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
        await page.goto(forged)
        await expect(page.locator(".refused")).to_have_attribute("data-code", "link_invalid")
        await expect(page.locator(".refused h1")).to_have_text("Cannot open this page")

        foreign = link.replace(f"/play/{room.id}#", f"/play/{other.id}#")
        await page.goto(foreign)
        await expect(page.locator(".refused")).to_have_attribute("data-code", "link_wrong_room")

        group_ticket = await bot.telegram_ticket("g1", room.id)  # names no member: Telegram only
        await page.goto(f"{link.split('#')[0]}#{group_ticket}")
        await expect(page.locator(".refused")).to_have_attribute("data-code", "link_invalid")

        await clock.advance(901)  # play_link_ttl: 15 minutes
        await page.goto(link)
        await expect(page.locator(".refused")).to_have_attribute("data-code", "link_expired")
        await expect(page.locator(".refused .reason")).to_have_text("This link has expired.")


async def test_no_ticket_or_token_ever_travels_in_a_url_and_typed_names_stay_text(
        server: EmbeddedServer, clock: ManualClock, app_key: str, phone: Phone) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g1", {"lang": "en"})
        room = await bot.create_room("g1", "quiz", {"questions": 1})
        sneaky = '<img src=x onerror="document.title=1">'
        await bot.join(room.id, "u9", sneaky)
        page = await phone()
        urls: list[str] = []
        page.on("request", lambda request: urls.append(request.url))
        page.on("websocket", lambda ws: urls.append(ws.url))
        response = await page.goto(await bot.play_link(room.id, "u1", "Alice"))
        assert response is not None
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "connect-src 'self' ws://" in csp
        await page.click("#join")
        await expect(page.locator(".players li")).to_have_count(2)
        await expect(page.locator(".players li").first).to_have_text(sneaky)  # shown as the text it is
        assert await page.locator("main img").count() == 0 and await page.title() == "Campfire"
        assert urls and not [u for u in urls if "cfl_" in u or "cfp_" in u]


def _init_data(user_id: int, start_param: str, auth_date: float) -> str:
    fields = {"user": json.dumps({"id": user_id, "first_name": "Tele", "last_name": "Gram"}),
              "auth_date": str(int(auth_date)), "start_param": start_param}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    key = hmac.new(b"WebAppData", BOT_TOKEN.encode(), hashlib.sha256).digest()
    return urlencode({**fields, "hash": hmac.new(key, check.encode(), hashlib.sha256).hexdigest()})


async def test_a_telegram_web_app_opens_the_room_as_the_telegram_user(
        server: EmbeddedServer, clock: ManualClock, app_key: str, phone: Phone) -> None:
    async with Client(server.url, app_key) as bot:
        await bot.set_group("g1", {"lang": "en"})
        await bot.set_telegram_bot(BOT_TOKEN)
        room = await bot.create_room("g1", "quiz", {"questions": 1})
        ticket = await bot.telegram_ticket("g1", room.id)
        page = await phone()
        # What a Telegram client opens: the Web App's address with #tgWebAppData=… appended.
        fragment = "tgWebAppData=" + quote(_init_data(777, ticket, clock.now())) + "&tgWebAppVersion=7.0"
        await page.goto(f"{server.http}/play/#{fragment}")
        await expect(page.locator("#who")).to_have_text("Tele Gram")
        await page.click("#join")
        await expect(page.locator(".players li.me")).to_have_text("Tele Gram (me)")
        assert [p.player for p in (await bot.room(room.id)).players] == ["777"]
        assert page.url.endswith(f"/play/{room.id}")

        other = await phone()  # the same Web App data, signed with another bot's token
        forged = _init_data(778, ticket, clock.now()).replace("hash=", "hash=0")
        await other.goto(f"{server.http}/play/#tgWebAppData={quote(forged)}")
        await expect(other.locator(".refused")).to_have_attribute("data-code", "telegram_invalid")
