"""Campfire for NoneBot2 (OneBot v11, e.g. QQ through NapCat or Lagrange).

Every group message goes to the Campfire chat bridge; whatever the bridge says (game
questions, check-in replies, leaderboards, private words in Who's the Spy) is sent back
through the bot. Settings come from NoneBot's config (.env):

    CAMPFIRE_URL=ws://127.0.0.1:8765/ws
    CAMPFIRE_KEY=cf_...
    CAMPFIRE_LANG=zh          # zh or en
    CAMPFIRE_RATE=1.0         # messages per second per group
    CAMPFIRE_ACTIVITY=60      # seconds between activity reports (0: do not report)

Besides games, it reports ordinary activity (messages; members joining and who invited
them; members leaving) for the group activity scores.
"""
from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from nonebot import get_bots, get_driver, get_plugin_config, logger, on_message, on_notice
from nonebot.adapters.onebot.v11 import Bot, GroupDecreaseNoticeEvent, GroupIncreaseNoticeEvent, GroupMessageEvent
from nonebot.plugin import PluginMetadata
from pydantic import BaseModel

from sdk import Client
from sdk.activity import ActivityReporter
from sdk.bridge import Bridge, IncomingMessage, OutgoingMessage


class Config(BaseModel):
    campfire_url: str = "ws://127.0.0.1:8765/ws"
    campfire_key: str = ""
    campfire_lang: str = "zh"
    campfire_rate: float = 1.0
    campfire_burst: int = 2
    campfire_activity: float = 60.0


__plugin_meta__ = PluginMetadata(
    name="campfire",
    description="群游戏（答题、谁是卧底、猜歌）、签到和排行榜，由 Campfire 提供",
    usage="发送「帮助」查看命令；「答题」开一局，「签到」每日签到",
    type="application",
    config=Config,
)

_running: dict[str, Any] = {}
driver = get_driver()


def _bot() -> Bot | None:
    for bot in get_bots().values():
        if isinstance(bot, Bot):
            return bot
    return None


async def _send(out: OutgoingMessage) -> None:
    bot = _bot()
    if bot is None:
        logger.warning("campfire: no OneBot connected; dropping a message")
        return
    if out.private:
        # A group-temporary private message (QQ allows it between group members).
        await bot.send_private_msg(user_id=int(out.member or 0), group_id=int(out.group), message=out.text)
    else:
        await bot.send_group_msg(group_id=int(out.group), message=out.text)


@driver.on_startup
async def _start() -> None:
    config = get_plugin_config(Config)
    client = Client(config.campfire_url, config.campfire_key)
    await client.connect()
    reporter = ActivityReporter(client, interval=config.campfire_activity) if config.campfire_activity > 0 else None
    bridge = Bridge(client, lang=config.campfire_lang, rate=config.campfire_rate, burst=config.campfire_burst,
                    activity=reporter)
    _running.update(client=client, bridge=bridge, reporter=reporter, task=asyncio.create_task(bridge.run(_send)),
                    reporting=asyncio.create_task(reporter.run()) if reporter else None)


@driver.on_shutdown
async def _stop() -> None:
    task, bridge, client = _running.pop("task", None), _running.pop("bridge", None), _running.pop("client", None)
    reporter, reporting = _running.pop("reporter", None), _running.pop("reporting", None)
    for t in (task, reporting):
        if t is not None:
            t.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
    if reporter is not None:
        await reporter.close()  # the last batch
    if bridge is not None:
        await bridge.close()
    if client is not None:
        await client.close()


group_chat = on_message(priority=50, block=False)


@group_chat.handle()
async def _on_group_message(event: GroupMessageEvent) -> None:
    bridge: Bridge | None = _running.get("bridge")
    if bridge is None:
        return
    mentions = tuple(str(seg.data["qq"]) for seg in event.message if seg.type == "at")
    name = event.sender.card or event.sender.nickname or str(event.user_id)
    await bridge.handle(IncomingMessage(str(event.group_id), str(event.user_id), name,
                                        event.get_plaintext(), mentions))


members = on_notice(priority=50, block=False)


@members.handle()
async def _on_member_change(event: GroupIncreaseNoticeEvent | GroupDecreaseNoticeEvent) -> None:
    reporter: ActivityReporter | None = _running.get("reporter")
    if reporter is None:
        return
    group, member = str(event.group_id), str(event.user_id)
    if isinstance(event, GroupIncreaseNoticeEvent):
        # sub_type "invite": operator_id is who invited them; "approve": an admin let them in.
        inviter = str(event.operator_id) if event.sub_type == "invite" and event.operator_id else None
        reporter.joined(group, member, by=inviter)
    else:
        reporter.left(group, member)
