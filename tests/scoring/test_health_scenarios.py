"""Health scenarios (issue 18): weeks of synthetic history in a real server with the manual
clock, read through REST (``GET /v1/health``, ``GET /v1/health/groups``) on each day at
several hours, asserting what an operator should read: the alarm within 7 days of a
decline's start, never a change within a day, no false alarm on steady and new groups,
dead groups kept in view as dormant, one loud member unable to fake a lively group.

History is written through the store's recording API (tests/scoring/scenarios.py); the
first test proves the frame path (``activity.report`` and ``group.members`` frames) feeds
the same figures.
"""
from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from sdk import Client
from sdk.errors import NotFound
from server.auth import create_app
from server.cli import main
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.store import Store
from tests.scoring import scenarios as sc
from tests.scoring.scenarios import DECLINE, local

HOURS = ((0, 5), (23, 55))  # just after midnight and just before: where a window that ends "now" flips


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(sc.local(0))


class Operator:
    """Reads figures through REST as the clock moves forward."""

    def __init__(self, server: EmbeddedServer, clock: ManualClock, key: str) -> None:
        self.clock, self.key = clock, key
        self.http = httpx.AsyncClient(base_url=f"{server.http}/v1", headers={"authorization": f"Bearer {key}"})

    async def at(self, day: int, hour: int = 12, minute: int = 0) -> None:
        await self.clock.advance_to(local(day, hour, minute))

    async def health(self, group: str, **params: Any) -> dict[str, Any]:
        r = await self.http.get("/health", params={"group": group, **params})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    async def states(self, group: str, first: int, last: int) -> dict[int, str]:
        """The state on each day first..last, checked to read the same at every hour of the day."""
        out: dict[int, str] = {}
        for day in range(first, last + 1):
            seen = set()
            for hour, minute in HOURS:
                await self.at(day, hour, minute)
                seen.add((await self.health(group))["state"]["state"])
            assert len(seen) == 1, f"day {day}: the state changed within the day: {seen}"
            out[day] = seen.pop()
        return out


@pytest.fixture
async def world(server: EmbeddedServer, clock: ManualClock, store: Store) -> Any:
    app, key = await create_app(store, "health-bot")
    op = Operator(server, clock, key)
    yield app.id, op
    await op.http.aclose()


def first_day_in(states: dict[int, str], state: str) -> int | None:
    return next((d for d, s in sorted(states.items()) if s == state), None)


async def test_a_steady_group_reads_steady_every_day_at_every_hour(world: Any, store: Store) -> None:
    app, op = world
    await sc.write_history(store, app, "steady", sc.steady)
    states = await op.states("steady", 1, sc.DAYS)
    assert set(states[d] for d in range(1, 21)) == {"new"}
    assert set(states[d] for d in range(22, sc.DAYS + 1)) == {"active"}
    h = await op.health("steady")
    assert h["state"]["ratio_7"] == pytest.approx(1.0, abs=0.05) and h["at_risk"] == []
    assert h["participation"]["rate"] == 1.0 and h["participation"]["weekly_active"] == 20


async def test_fading_thirty_percent_a_week_raises_the_alarm_within_a_week_and_keeps_it(world: Any,
                                                                                       store: Store) -> None:
    app, op = world
    await sc.write_history(store, app, "fading", sc.declining(0.7))
    states = await op.states("fading", 22, sc.DAYS)
    raised = first_day_in(states, "cooling")
    assert raised is not None and DECLINE < raised <= DECLINE + 7
    assert all(s == "active" for d, s in states.items() if d < raised)
    assert all(s == "cooling" for d, s in states.items() if d >= raised)  # no flapping


async def test_halving_every_week_raises_the_alarm_sooner(world: Any, store: Store) -> None:
    app, op = world
    await sc.write_history(store, app, "halving", sc.declining(0.5))
    states = await op.states("halving", DECLINE - 3, DECLINE + 14)
    raised = first_day_in(states, "cooling")
    assert raised is not None and DECLINE < raised <= DECLINE + 5
    assert all(s == "cooling" for d, s in states.items() if d >= raised)


async def test_a_dead_stop_cools_within_days_then_stays_listed_as_dormant(world: Any, store: Store) -> None:
    app, op = world
    await sc.write_history(store, app, "dead", sc.dead_stop)
    await sc.write_history(store, app, "alive", sc.steady)
    states = await op.states("dead", DECLINE - 3, sc.DAYS)
    assert first_day_in(states, "cooling") is not None and first_day_in(states, "cooling") <= DECLINE + 3
    dormant = first_day_in(states, "dormant")
    assert dormant == DECLINE + 14 and all(s == "dormant" for d, s in states.items() if d >= dormant)
    listed = (await op.http.get("/health/groups")).json()["groups"]
    assert [(g["group"], g["state"], g["last_active"]) for g in listed] == [
        ("dead", "dormant", sc.date(DECLINE - 1)), ("alive", "active", sc.date(sc.DAYS - 1))]
    await op.at(sc.DAYS + 60)  # two months later it is still in view, with its last active day
    h = await op.health("dead")
    assert h["state"]["state"] == "dormant" and h["state"]["last_active"] == sc.date(DECLINE - 1)
    assert len(h["at_risk"]) == 20  # the regulars who stopped stay visible


async def test_a_weekend_only_member_is_never_at_risk_for_keeping_their_rhythm(world: Any, store: Store) -> None:
    app, op = world
    await sc.write_history(store, app, "weekend", sc.with_weekend_player)
    for day in range(28, sc.DAYS + 1):
        for hour, minute in HOURS:
            await op.at(day, hour, minute)
            risk = (await op.health("weekend"))["at_risk"]
            assert "wkd" not in [r["member"] for r in risk], f"day {day} {hour}:{minute:02d}"
    await op.at(sc.DAYS + 15)  # missed two Saturdays in a row: now overdue
    assert "wkd" in [r["member"] for r in (await op.health("weekend"))["at_risk"]]


async def test_one_loud_member_cannot_outrank_a_group_that_plays(world: Any, store: Store) -> None:
    app, op = world
    ten = sc.MEMBERS[:10]
    for day in range(sc.DAYS):
        await sc.write_day(store, app, "loud", day, ["talker"], messages=500)
        await sc.write_day(store, app, "ten", day, ten)
    put = await op.http.put("/groups/loud/members", json={"count": 51})
    assert put.status_code == 200 and put.json()["roster"]["count"] == 51
    await op.at(sc.DAYS, 10)
    loud = await op.health("loud")
    assert loud["participation"]["members"] == 51
    assert loud["participation"]["rate"] == pytest.approx(1 / 51)
    assert loud["concentration"]["top1"] == 1.0 and loud["concentration"]["absence_factor"] == 1
    assert loud["key_members"] == []  # chatting alone is not keeping a group going
    assert loud["weeks"][0]["points"] == pytest.approx(7 * 20 * 0.1)  # 500 messages a day count as 20
    listed = (await op.http.get("/health/groups")).json()["groups"]
    assert [g["group"] for g in listed] == ["ten", "loud"]
    assert [g["breadth"] for g in listed] == [10.0, 1.0]


async def test_a_new_group_is_judged_from_its_first_day_and_raises_no_false_alarm(world: Any,
                                                                                 store: Store) -> None:
    app, op = world
    await sc.write_history(store, app, "young", sc.young(50))
    await op.at(51, 9)
    first = await op.health("young")
    assert first["participation"]["daily_rate"] == 1.0  # its one day, not diluted by 29 empty ones
    assert first["state"]["state"] == "new" and first["state"]["first_active"] == sc.date(50)
    states = await op.states("young", 52, sc.DAYS)
    assert set(states.values()) <= {"new", "active"}
    assert first_day_in(states, "active") == 50 + 21


async def test_an_exodus_never_reads_above_full_participation(world: Any, store: Store) -> None:
    app, op = world
    await sc.write_history(store, app, "exodus", sc.exodus, leave={DECLINE: sc.EXODUS_LEAVERS})
    for day in range(DECLINE - 2, sc.DAYS + 1):
        await op.at(day, 12)
        h = await op.health("exodus")
        p = h["participation"]
        assert p["rate"] <= 1.0 and p["daily_rate"] <= 1.0, f"day {day}: {p}"
        assert not set(sc.EXODUS_LEAVERS) & {r["member"] for r in h["at_risk"]}
    assert p["members"] == 10
    assert h["state"]["state"] == "cooling"  # half the members are gone: the operator should know
    assert sum(w["churned"] for w in h["churn"]) == 10


async def test_frames_feed_the_figures_and_rest_sdk_and_cli_read_the_same(world: Any, server: EmbeddedServer,
                                                                          settings: Settings,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Activity and check-ins arrive as real frames from the SDK (``activity.report``,
    ``checkin``, ``group.members``); then the report reads the same through REST, the SDK
    (websocket) and ``campfire health --json`` (in the group's timezone, as of one instant)."""
    app, op = world
    async with Client(server.url, key=op.key) as bot:
        for day in range(3):
            await op.at(day, 19)
            for m in ("ann", "bob", "cat"):
                await bot.checkin("frames", player=m)
            await bot.report_activity("frames", [{"kind": "message", "member": "dan", "count": 400}], f"d{day}")
        assert await bot.set_members("frames", count=8) == {"count": 8, "at": local(2, 19)}
        await op.at(3, 10)
        by_sdk = await bot.health("frames")
        by_rest = await op.health("frames")
        assert by_sdk == by_rest
        assert by_rest["participation"]["members"] == 8 and by_rest["participation"]["weekly_active"] == 4
        assert by_rest["weeks"][0]["points"] == pytest.approx(3 * (3 * 2 + 20 * 0.1))  # dan's 400 count as 20
        with pytest.raises(NotFound):
            await bot.health("nobody")
        assert [g["group"] for g in await bot.health_groups()] == ["frames"]
        changed = await bot.set_health_settings({"message_cap": 0}, group="frames")
        assert changed["effective"]["message_cap"] == 0
        assert (await bot.health("frames"))["weeks"][0]["points"] == pytest.approx(18)
        await bot.set_health_settings({"message_cap": None}, group="frames")
    capsys.readouterr()
    code = await asyncio.to_thread(main, ["health", "frames", "--store", settings.store, "--app", app,
                                          "--at", f"{sc.date(3)}T10:00:00", "--json"])  # no offset: the group's zone
    assert code == 0
    by_cli = json.loads(capsys.readouterr().out)
    assert by_cli == by_rest
