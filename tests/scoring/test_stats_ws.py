"""The stats frames through a real server and websocket: what a bot and a member see."""
from __future__ import annotations

from typing import Any

from games.base import GameResult, PlayerResult
from server.clock import ManualClock
from server.scoring.records import game_record
from server.store import Store


async def _seed(store: Store, app: str, now: float) -> None:
    for i, (who, score) in enumerate([("ann", 30), ("bob", 20)]):
        result = GameResult("quiz", (PlayerResult(who, score, 1, won=True),))
        await store.apply_result(game_record(app, "g1", f"r{i}", 1, result, now, "Asia/Shanghai"))


async def test_a_bot_reads_boards_reports_activity_and_reads_health(connect: Any, app_key: str, store: Store,
                                                                    clock: ManualClock) -> None:
    bot = await connect()
    welcome = await bot.hello(key=app_key)
    await _seed(store, welcome["data"]["app"], clock.now())
    top = await bot.request("board.top", {"group": "g1", "game": "quiz", "period": "day"})
    assert top["type"] == "ok"
    assert [(e["member"], e["rank"]) for e in top["data"]["entries"]] == [("ann", 1), ("bob", 2)]
    report = await bot.request("activity.report", {"group": "g1", "batch": "b1", "events": [
        {"kind": "message", "member": "bob", "count": 30}]})
    assert report["data"]["applied"] is True
    act = await bot.request("activity.top", {"group": "g1"})
    assert [e["member"] for e in act["data"]["entries"]] == ["bob", "ann"]  # 3 + 3 > 3
    health = await bot.request("health.group", {"group": "g1"})
    assert health["data"]["participation"]["members"] == 2


async def test_a_member_reads_their_group_but_cannot_write_or_look_elsewhere(connect: Any, app_key: str,
                                                                             store: Store, clock: ManualClock) -> None:
    bot = await connect()
    welcome = await bot.hello(key=app_key)
    await _seed(store, welcome["data"]["app"], clock.now())
    token = (await bot.request("token.mint", {"group": "g1", "player": "bob"}))["data"]["token"]
    member = await connect()
    await member.hello(token=token)
    rank = await member.request("board.rank", {"group": "g1", "member": "bob"})
    assert rank["data"]["entry"]["rank"] == 2
    other = await member.request("board.top", {"group": "g2"})
    assert other["type"] == "error" and other["data"]["code"] == "forbidden"
    op = await member.request("board.op", {"group": "g1", "member": "bob", "op": "set", "value": 99})
    assert op["type"] == "error" and op["data"]["code"] == "forbidden"
    bad = await member.request("board.top", {"group": "g1", "limit": 0})
    assert bad["data"]["code"] == "invalid_payload" and bad["data"]["field"] == "limit"
