"""Check-ins, make-ups, the calendar and the board, typed into a group."""
from __future__ import annotations

import asyncio

import pytest

from server.clock import ManualClock
from server.handlers import load_all

needs_boards = pytest.mark.skipif("board.top" not in load_all(), reason="the server has no board.top frame yet")


async def test_checkin_replies_with_the_servers_message_and_a_second_one_says_already(chat) -> None:
    await chat.say("alice", "签到")
    await chat.expect("Alice：签到成功！连续 1 天")
    await chat.say("alice", "/checkin")
    await chat.expect("今天已经签到过啦")


async def test_a_storm_of_checkins_is_merged_into_few_messages(chat, fake_time) -> None:
    chat.bridge.pacer.burst = 1
    fake_time.gate = asyncio.Event()  # the group's one token is spent after the first reply
    await asyncio.gather(*(chat.say(f"m{i}", "打卡") for i in range(12)))
    fake_time.gate.set()
    await chat.bridge.drain()
    texts = [m.text for m in chat.sent]
    assert sum(t.count("签到成功") for t in texts) == 12
    assert len(texts) == 2  # the first at once, the other eleven merged into the next


async def test_makeup_reads_a_month_day_and_uses_a_card(chat, clock: ManualClock) -> None:
    # The manual clock starts on 2026-01-01; check in on the 3rd, then fill the 2nd.
    await clock.advance(2 * 86400)
    chat.bridge._today = lambda: (2026, 1, 3)
    await chat.say("alice", "签到")
    await chat.expect("签到成功")
    await chat.say("alice", "补签 1-2")
    await chat.expect("补签成功！补上 2026-01-02")


async def test_an_unreadable_makeup_day_gets_a_hint(chat) -> None:
    await chat.say("alice", "补签 1月")
    # "补签 1月" is not a day: it is not even a makeup command, so nothing happens...
    await chat.say("alice", "补签 2-30")
    await chat.expect("看不懂这个日期")


async def test_the_calendar_counts_this_months_checkins(chat) -> None:
    await chat.say("alice", "签到")
    await chat.say("alice", "签到日历")
    await chat.expect("Alice 的 2026-01 签到：1 天")


@needs_boards
async def test_the_board_shows_names_after_a_quiz(chat, clock: ManualClock) -> None:
    await chat.say("alice", "答题")
    await chat.say("alice", "开始")
    for _ in range(3):
        q = await chat.expect("题（")
        await chat.say("alice", "A" if "\nA. " in q.text else "x")
        await clock.advance(25)
    await chat.expect("答题结束")
    await chat.say("bob", "排行榜 答题")
    board = await chat.expect("答题排行榜")
    assert "1. Alice" in board.text


@needs_boards
async def test_an_empty_board_invites_a_game(chat) -> None:
    await chat.say("alice", "/board")
    await chat.expect("排行榜还是空的")


async def test_help_lists_every_command(chat) -> None:
    await chat.say("alice", "帮助")
    text = (await chat.expect("可用命令")).text
    for word in ("答题", "谁是卧底", "签到", "补签", "排行榜", "投"):
        assert word in text


async def test_rules_shows_the_games_usage(chat) -> None:
    await chat.say("alice", "玩法 谁是卧底")
    await chat.expect("【谁是卧底】每人私下收到一个词")


async def test_a_month_day_is_read_in_the_groups_timezone(bot, fake_time) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sdk.bridge import Bridge

    await bot.set_group("g-far", {"timezone": "Pacific/Kiritimati"})
    bridge = Bridge(bot, clock=fake_time.clock, sleep=fake_time.sleep)
    now = datetime.now(ZoneInfo("Pacific/Kiritimati"))
    assert await bridge._today_in("g-far") == (now.year, now.month, now.day)
