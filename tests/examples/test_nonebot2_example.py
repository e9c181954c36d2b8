"""The NoneBot2 example plugin, loaded by NoneBot itself, fed OneBot v11 group messages
through NoneBot's own event handling, against a real Campfire server.

(This is what nonebug does; we do it by hand because nonebug's pytest plugin initialises
NoneBot for every test in the session, not just these.)"""
from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from pathlib import Path
from typing import Any, AsyncIterator

import nonebot  # noqa: E402
from example_helpers import Outbox, Sent, play_quiz, start_spy_with_four  # noqa: E402
from nonebot.adapters.onebot.v11 import Adapter, Bot, GroupIncreaseNoticeEvent, GroupMessageEvent, Message  # noqa: E402
from nonebot.adapters.onebot.v11.event import Sender  # noqa: E402
from nonebot.message import handle_event  # noqa: E402

PLUGIN = Path(__file__).resolve().parents[2] / "examples" / "nonebot2" / "campfire_plugin"
GROUP = 424242
NAMES = {"111": "Alice", "222": "Bob"}


class RecordingAdapter(Adapter):
    """The OneBot v11 adapter with its transport replaced: API calls land in an Outbox."""

    outbox: Outbox | None = None
    _ids = itertools.count(1)

    async def _call_api(self, bot: Bot, api: str, **data: Any) -> Any:
        if api in ("send_group_msg", "send_private_msg") and self.outbox is not None:
            private = api == "send_private_msg"
            chat = str(data["user_id"] if private else data["group_id"])
            await self.outbox.add(Sent(chat, str(data["message"]), private))
        return {"message_id": next(self._ids)}

    @classmethod
    def get_name(cls) -> str:
        return "OneBot V11"


def _setup_nonebot_once() -> None:
    try:
        nonebot.get_driver()
    except ValueError:
        nonebot.init(driver="~none")
        nonebot.get_driver().register_adapter(RecordingAdapter)
        nonebot.load_plugin(PLUGIN)


def plugin_state() -> dict[str, Any]:
    plugin = nonebot.get_plugin("campfire_plugin")
    assert plugin is not None
    return plugin.module._running  # type: ignore[no-any-return]


@contextlib.asynccontextmanager
async def onebot(url: str, key: str, wait_ready: bool = True) -> AsyncIterator[tuple[Bot, Outbox]]:
    _setup_nonebot_once()
    driver = nonebot.get_driver()
    for name, value in (("campfire_url", url), ("campfire_key", key), ("campfire_rate", 1000.0),
                        ("campfire_burst", 1000)):
        setattr(driver.config, name, value)
    adapter = next(a for a in driver._adapters.values() if isinstance(a, RecordingAdapter))
    outbox = Outbox()
    RecordingAdapter.outbox = outbox
    bot = Bot(adapter, "10000")
    await driver._lifespan.startup()  # returns at once: the plugin connects in the background
    if wait_ready:
        await asyncio.wait_for(plugin_state()["ready"].wait(), 10)
    driver._bot_connect(bot)
    try:
        yield bot, outbox
    finally:
        driver._bot_disconnect(bot)
        await driver._lifespan.shutdown()


_message_ids = itertools.count(1)


def group_message(member: str, text: str) -> GroupMessageEvent:
    return GroupMessageEvent(
        time=int(time.time()), self_id=10000, post_type="message", sub_type="normal",
        user_id=int(member), message_type="group", message_id=next(_message_ids),
        message=Message(text), original_message=Message(text), raw_message=text, font=0,
        sender=Sender(user_id=int(member), nickname=NAMES.get(member, member), card=""),
        to_me=False, group_id=GROUP)


async def test_a_whole_quiz_and_a_checkin_in_a_qq_group_through_nonebot(server, clock, app_key) -> None:
    async with onebot(server.url, app_key) as (bot, outbox):
        async def say(member: str, text: str) -> None:
            await handle_event(bot, group_message(member, text))

        final = await play_quiz(say, outbox, clock, questions=5)
        assert final.chat == str(GROUP)
        assert "Alice" in final.text and "Bob" in final.text

        await say("111", "签到")
        reply = await outbox.expect("Alice：签到成功")
        assert reply.chat == str(GROUP)
        await say("222", "签到")
        await outbox.expect("Bob：签到成功")


async def test_spy_words_go_out_as_private_messages_through_onebot(server, clock, app_key) -> None:
    async with onebot(server.url, app_key) as (bot, outbox):
        async def say(member: str, text: str) -> None:
            await handle_event(bot, group_message(member, text))

        words = await start_spy_with_four(say, outbox)
        await outbox.expect("词已私聊发给各位")
        assert set(words) == {"111", "222", "333", "444"}
        assert all("你的词是" in t or "你是白板" in t for t in words.values())


async def test_a_member_invited_into_the_group_is_reported_with_their_inviter(server, clock, app_key, store) -> None:
    async with onebot(server.url, app_key) as (bot, outbox):
        await handle_event(bot, GroupIncreaseNoticeEvent(
            time=int(time.time()), self_id=10000, post_type="notice", notice_type="group_increase",
            sub_type="invite", group_id=GROUP, operator_id=111, user_id=555))
        await handle_event(bot, group_message("555", "大家好"))
        reporter = plugin_state()["reporter"]
        assert await reporter.flush() == 1
        (app,) = await store.list_apps()
        members = await store.group_members(app.id, str(GROUP))
        assert members["555"]["invited_by"] == "111"


async def test_only_an_admin_or_the_member_who_opened_the_game_can_end_it(server, clock, app_key) -> None:
    async with onebot(server.url, app_key) as (bot, outbox):
        async def say(member: str, text: str) -> None:
            await handle_event(bot, group_message(member, text))

        await say("111", "答题")
        await outbox.expect("答题开房啦")
        await say("222", "结束游戏")
        await outbox.expect("只有群管理员或开局的人可以结束游戏")
        await say("111", "结束游戏")
        await outbox.expect("本局已关闭")


async def test_the_bot_starts_while_campfire_is_down_and_says_so_in_chat(app_key) -> None:
    async with onebot("ws://127.0.0.1:9/ws", app_key, wait_ready=False) as (bot, outbox):
        await handle_event(bot, group_message("111", "签到"))
        await outbox.expect("Campfire 暂时连不上")
        assert not plugin_state()["ready"].is_set()
