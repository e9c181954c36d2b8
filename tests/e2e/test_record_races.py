"""Records changed by many connections at once (issue 10, "Lost updates outside rooms" and
"One live room per group"; docs/ARCHITECTURE.md principle 9; docs/PROTOCOL.md, Check-ins
and Rooms).

Each test drives a real server on SQLite and on a private redis-server with many
websocket connections sending at the same moment, and checks what the store holds
afterwards against what the replies claimed: a reply never reports a save that did not
happen, and no save loses another's.
"""
from __future__ import annotations

import datetime as dt
import itertools
import random
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from server.auth import create_app
from server.clock import ManualClock
from server.config import Settings
from server.run import EmbeddedServer
from server.scoring.boards import board_id, group_scope
from server.store import Store
from server.store.redis_store import RedisStore
from server.store.sqlite_store import SqliteStore
from tests.burst import burst
from tests.redis_server import RedisServer

_prefixes = itertools.count()


@pytest.fixture(params=["sqlite", "redis"])
async def race_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        st: Store = SqliteStore(str(tmp_path / "races.db"))
    else:
        redis: RedisServer = request.getfixturevalue("redis_server")
        st = RedisStore(redis.url, prefix=f"race{next(_prefixes)}:")
    await st.open()
    try:
        yield st
    finally:
        await st.close()


@pytest.fixture
async def race_server(settings: Settings, clock: ManualClock, race_store: Store) -> AsyncIterator[EmbeddedServer]:
    seeds = random.Random(7).getrandbits
    srv = EmbeddedServer(settings, clock=clock, store=race_store, seeds=lambda: seeds(62))
    async with srv.running():
        yield srv


class Bots:
    """Bot connections of one app; :meth:`at_once` sends a burst from another process
    (tests/burst.py) so the server receives every frame of it at the same moment."""

    def __init__(self, url: str, key: str, app: str) -> None:
        self.url, self.key, self.app = url, key, app

    async def at_once(self, requests: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Each request on its own connection, all sent before any reply is read; the
        replies (ok or error frames) in request order.

        A burst of reads goes first, so that the store's connection pool is as warm as a
        running server's: on a cold pool the first request wins the only open connection
        and finishes before the others have connected, hiding the race."""
        await burst(self.url, self.key, [("group.get", {"group": "warm-up"})] * len(requests))
        return await burst(self.url, self.key, requests)

    async def one(self, type_: str, data: dict[str, Any]) -> dict[str, Any]:
        return (await self.at_once([(type_, data)]))[0]


@pytest.fixture
async def bots(race_server: EmbeddedServer, race_store: Store) -> Bots:
    app, key = await create_app(race_store, "race-bot")
    return Bots(race_server.url, key, app.id)


def _today(clock: ManualClock, tz: str = "Asia/Shanghai") -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.fromtimestamp(clock.now(), ZoneInfo(tz)).date()


async def _checkin_board(store: Store, app: str, group: str, member: str) -> float:
    entry = await store.board_rank(app, board_id(group_scope(group), "checkin"), member)
    return entry.score if entry else 0.0


async def test_fifty_simultaneous_creates_for_one_group_make_exactly_one_live_room(
        bots: Bots, race_store: Store) -> None:
    replies = await bots.at_once([("room.create", {"group": "g1", "game": "quiz"})] * 50)
    ok = [r for r in replies if r["type"] == "ok"]
    busy = [r for r in replies if r["type"] == "error"]
    assert len(ok) == 1
    assert {r["data"]["code"] for r in busy} == {"group_busy"}
    live = await race_store.list_rooms(bots.app, "g1", live_only=True)
    assert [r.id for r in live] == [ok[0]["data"]["room"]["id"]]


async def test_a_checkin_racing_a_makeup_keeps_both_days(bots: Bots, race_store: Store, clock: ManualClock) -> None:
    today = _today(clock)
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    members = [f"m{i}" for i in range(20)]
    replies = await bots.at_once([req for m in members for req in (
        ("checkin", {"group": "g1", "player": m}),
        ("checkin.makeup", {"group": "g1", "player": m, "day": yesterday}))])
    assert all(r["type"] == "ok" for r in replies), [r for r in replies if r["type"] != "ok"]
    for i, m in enumerate(members):
        record = await race_store.get_checkin(bots.app, "g1", m)
        assert record is not None and record["days"] == [yesterday, today.isoformat()], m
        earned = replies[2 * i]["data"]["points"] + replies[2 * i + 1]["data"]["points"]
        assert record["total_points"] == earned
        assert await _checkin_board(race_store, bots.app, "g1", m) == earned


async def test_five_simultaneous_makeups_with_one_card_let_exactly_one_through(
        bots: Bots, race_store: Store, clock: ManualClock) -> None:
    assert (await bots.one("group.set", {"group": "g1", "settings": {"checkin": {"makeup_cards": 1}}}))["type"] == "ok"
    today = _today(clock)
    days = [(today - dt.timedelta(days=n)).isoformat() for n in range(1, 6)]
    replies = await bots.at_once([("checkin.makeup", {"group": "g1", "player": "m1", "day": d}) for d in days])
    ok = [r["data"] for r in replies if r["type"] == "ok"]
    refused = [r["data"]["code"] for r in replies if r["type"] == "error"]
    assert len(ok) == 1 and refused == ["no_makeup_cards"] * 4
    record = await race_store.get_checkin(bots.app, "g1", "m1")
    assert record is not None and record["days"] == [ok[0]["day"]]
    assert record["total_points"] == ok[0]["points"] == await _checkin_board(race_store, bots.app, "g1", "m1")


async def test_checkins_after_a_conflict_never_claim_points_that_were_not_saved(
        bots: Bots, race_store: Store, clock: ManualClock) -> None:
    """Each member is hit by a make-up and three check-ins at once, then checks in twice
    more: every reply that says "+N points" must be in the record and on the board."""
    today = _today(clock).isoformat()
    yesterday = (_today(clock) - dt.timedelta(days=1)).isoformat()
    members = [f"m{i}" for i in range(10)]
    first = await bots.at_once([req for m in members for req in (
        ("checkin.makeup", {"group": "g1", "player": m, "day": yesterday}),
        *[("checkin", {"group": "g1", "player": m})] * 3)])
    again = await bots.at_once([("checkin", {"group": "g1", "player": m}) for m in members * 2])
    claimed = {m: 0 for m in members}
    counted = {m: 0 for m in members}
    for reply in first + again:
        assert reply["type"] == "ok", reply
        data = reply["data"]
        claimed[data["member"]] += data["points"]
        counted[data["member"]] += not data["already"] and not data["made_up"]
    for m in members:
        record = await race_store.get_checkin(bots.app, "g1", m)
        assert record is not None and record["days"] == [yesterday, today], m
        assert counted[m] == 1, m
        assert record["total_points"] == claimed[m] == await _checkin_board(race_store, bots.app, "g1", m), m


async def test_a_create_retried_with_its_key_returns_the_same_room_even_all_at_once(
        bots: Bots, race_store: Store) -> None:
    replies = await bots.at_once([("room.create", {"group": "g1", "game": "quiz", "key": "create-1"})] * 20)
    assert all(r["type"] == "ok" for r in replies), replies
    assert len({r["data"]["room"]["id"] for r in replies}) == 1
    later = await bots.one("room.create", {"group": "g1", "game": "quiz", "key": "create-1"})
    assert later["data"]["room"]["id"] == replies[0]["data"]["room"]["id"]
    misused = await bots.one("room.create", {"group": "g2", "game": "quiz", "key": "create-1"})
    assert misused["type"] == "error" and misused["data"]["code"] == "invalid_payload"


async def test_bots_setting_different_group_settings_at_once_keep_all_of_them(bots: Bots) -> None:
    keys = ["timezone", "lang", "name"]
    values = {"timezone": "Europe/Berlin", "lang": "en", "name": "Hikers"}
    replies = await bots.at_once([("group.set", {"group": "g1", "settings": {k: values[k]}}) for k in keys] * 5)
    assert all(r["type"] == "ok" for r in replies), replies
    assert (await bots.one("group.get", {"group": "g1"}))["data"]["settings"] == values
