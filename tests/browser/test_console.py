"""The operators' console (/console) in a real headless Chromium, over a store of 220 groups:
the list loads and sorts, a group's chart renders, a table exports as CSV, the page runs under
its strict CSP with no error, and a read-only operator key reads everything and changes nothing
(docs/operators.md, "The console")."""
from __future__ import annotations

import csv
import io
import random

import httpx
import pytest
from playwright.async_api import Browser, Page

from games.base import GameResult, PlayerResult
from server.auth import add_key, create_app
from server.clock import ManualClock
from server.run import EmbeddedServer
from server.scoring.records import game_record
from server.store import RoomRecord, Store
from tests.browser.plugin import new_context

GROUPS = 220
DAY = 86_400.0


@pytest.fixture
async def keys(store: Store, clock: ManualClock) -> tuple[str, str]:
    """An app with GROUPS groups of seeded activity over four weeks; (app key, read-only key)."""
    app, key = await create_app(store, "Tea House")
    rng = random.Random(15)
    now = clock.now()
    for g in range(GROUPS):
        group = f"g{g:03d}"
        await store.set_group_settings(app.id, group, {"name": f"茶馆 {g}" if g % 2 else f"Group {g}"})
        members = [f"m{i}" for i in range(rng.randint(2, 6))]
        for n in range(rng.randint(1, 4)):
            at = now - rng.uniform(0, 27) * DAY
            players = rng.sample(members, k=min(len(members), 2 + n % 3))
            result = GameResult("quiz", tuple(PlayerResult(p, rng.randint(0, 30), i + 1, won=i == 0)
                                              for i, p in enumerate(players)))
            await store.save_room(RoomRecord(f"room_{g}_{n}", app.id, group, "quiz", "finished", at - 60, at, 1))
            await store.apply_result(game_record(app.id, group, f"room_{g}_{n}", 1, result, at, "Asia/Shanghai"))
    read_only = await add_key(store, app.id, read_only=True)
    return key, read_only


async def signed_in(browser: Browser, server: EmbeddedServer, key: str) -> tuple[Page, list[str]]:
    context = await new_context(browser, accept_downloads=True)
    page = await context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    response = await page.goto(server.http + "/console")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    await page.fill("#key", key)
    await page.click("#signin button[type=submit]")
    await page.wait_for_selector("body[data-ready]")
    return page, problems


async def column(page: Page, table: str, index: int) -> list[str]:
    return await page.eval_on_selector_all(f"#table-{table} tbody tr",
                                           f"rows => rows.map(r => r.children[{index}].textContent)")


async def test_the_group_list_loads_every_group_and_sorts(server: EmbeddedServer, browser: Browser,
                                                         keys: tuple[str, str]) -> None:
    page, problems = await signed_in(browser, server, keys[0])
    names = await column(page, "groups", 0)
    assert len(names) == GROUPS
    assert "茶馆 1" in names  # display names, not only ids
    activity = [float(v.replace(",", "")) for v in await column(page, "groups", 2)]
    assert activity == sorted(activity, reverse=True)  # the first sort: most active first
    await page.click("#table-groups th[data-key=activity]")
    activity = [float(v.replace(",", "")) for v in await column(page, "groups", 2)]
    assert activity == sorted(activity)
    await page.click("#table-groups th[data-key=id]")
    assert await column(page, "groups", 1) == sorted(f"g{g:03d}" for g in range(GROUPS))
    assert problems == []


async def test_a_groups_page_draws_its_activity_chart_and_leads_to_a_members_page(
        server: EmbeddedServer, browser: Browser,
        keys: tuple[str, str]) -> None:
    page, problems = await signed_in(browser, server, keys[0])
    await page.click("#table-groups tbody tr:first-child a")
    await page.wait_for_selector("body[data-ready^='#/g/']")
    assert await page.locator("svg.chart rect.active").count() == 56  # one bar a day, eight weeks
    points = await page.get_attribute("svg.chart polyline.points", "points")
    assert points is not None and len(points.split()) == 56
    heights = await page.eval_on_selector_all("svg.chart rect.active",
                                              "bars => bars.map(b => +b.getAttribute('height'))")
    assert max(heights) > 0  # the seeded games show
    assert await page.locator("#table-games tbody tr").count() >= 1  # recent games with their results
    figures = await page.eval_on_selector_all(".figure span", "spans => spans.map(s => s.textContent)")
    assert {"state", "stickiness", "top 3 share", "newcomers who played"} <= set(figures)  # the health figures
    assert await page.locator("#table-retention tbody tr").count() >= 1  # weekly cohorts
    await page.click("#table-key-members tbody tr:first-child a")
    await page.wait_for_selector("body[data-ready*='/m/']")
    assert await page.locator("#table-member-games tbody tr").count() >= 1
    assert await page.locator("#calendar span").count() >= 28
    assert problems == []


async def test_a_table_exports_as_csv(server: EmbeddedServer, browser: Browser, keys: tuple[str, str]) -> None:
    page, _ = await signed_in(browser, server, keys[0])
    async with page.expect_download() as info:
        await page.click("button.export[data-table=groups]")
    download = await info.value
    assert download.suggested_filename == "campfire-groups.csv"
    path = await download.path()
    rows = list(csv.reader(io.StringIO(open(path, encoding="utf-8-sig").read())))
    assert rows[0][:3] == ["group", "id", "activity"]
    assert len(rows) == GROUPS + 1


async def test_a_read_only_key_sees_the_console_and_cannot_change_anything(
        server: EmbeddedServer, browser: Browser, keys: tuple[str, str]) -> None:
    page, problems = await signed_in(browser, server, keys[1])
    assert await page.get_attribute("body", "data-role") == "read-only"
    assert len(await column(page, "groups", 0)) == GROUPS
    assert problems == []
    statuses = await page.evaluate("""async (key) => {
        const h = {Authorization: "Bearer " + key, "Content-Type": "application/json"};
        const calls = [
          ["POST", "/v1/boards/ops", {group: "g001", member: "m0", op: "set", value: 1}],
          ["PUT", "/v1/groups/g001", {name: "renamed"}],
          ["POST", "/v1/tokens", {group: "g001", player: "m0"}],
          ["POST", "/v1/webhooks", {url: "https://example.com/h", events: ["checkin"]}],
        ];
        const out = [];
        for (const [method, path, body] of calls) {
          const r = await fetch(path, {method, headers: h, body: JSON.stringify(body)});
          out.push([r.status, (await r.json()).error.code]);
        }
        return out;
    }""", keys[1])
    assert statuses == [[403, "forbidden"]] * 4
    async with httpx.AsyncClient() as http:
        settings = await http.get(f"{server.http}/v1/groups/g001", headers={"authorization": f"Bearer {keys[1]}"})
    assert settings.json()["settings"]["name"] == "茶馆 1"  # unchanged
