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
from nonebot.adapters.onebot.v11 import (
    Bot,
    GroupDecreaseNoticeEvent,
    GroupIncreaseNoticeEvent,
    GroupMessageEvent,
    MessageSegment,
)
from nonebot.adapters.onebot.v11.permission import GROUP_ADMIN, GROUP_OWNER
from nonebot.permission import SUPERUSER, Permission
from nonebot.plugin import PluginMetadata
from pydantic import BaseModel

from sdk import Client
from sdk.activity import ActivityReporter
from sdk.bridge import Bridge, IncomingMessage, OutgoingMessage, parse


class Config(BaseModel):
    campfire_url: str = "ws://127.0.0.1:8765/ws"
    campfire_key: str = ""
    campfire_lang: str = "zh"
    campfire_rate: float | None = None  # default: the OneBot pace (sdk.bridge.PLATFORM_PACE)
    campfire_burst: int | None = None
    campfire_http: str | None = None  # the server's HTTP base, when it has no public_url
    campfire_activity: float = 60.0


__plugin_meta__ = PluginMetadata(
    name="campfire",
    description="群游戏（答题、谁是卧底、猜歌）、签到和排行榜，由 Campfire 提供",
    usage="发送「帮助」查看命令；「答题」开一局，「签到」每日签到",
    type="application",
    config=Config,
    supported_adapters={"~onebot.v11"},
)

UNAVAILABLE = "Campfire 暂时连不上，游戏和签到稍后再试。"
NOT_ALLOWED = "只有群管理员或开局的人可以结束游戏。"

_running: dict[str, Any] = {}
driver = get_driver()


_group_bot: dict[str, str] = {}  # group -> self_id of the account that last heard it (multi-account bots)


def _bot(group: str) -> Bot | None:
    """The account that received the group's messages; any OneBot account otherwise."""
    bots = get_bots()
    bot = bots.get(_group_bot.get(group, ""))
    if isinstance(bot, Bot):
        return bot
    return next((b for b in bots.values() if isinstance(b, Bot)), None)


async def _send(out: OutgoingMessage) -> None:
    bot = _bot(out.group)
    if bot is None:
        raise ConnectionError("no OneBot account is connected")  # the bridge retries, then reports
    if out.private:
        # A group-temporary private message (QQ allows it between group members).
        await bot.send_private_msg(user_id=int(out.member or 0), group_id=int(out.group), message=out.text)
    else:
        await bot.send_group_msg(group_id=int(out.group), message=out.text)
        if out.attachment:
            # A song clip as a QQ voice message (SILK when the server has the encoder; NapCat and
            # go-cqhttp convert MP3 themselves). The OneBot side downloads the link.
            await bot.send_group_msg(group_id=int(out.group), message=MessageSegment.record(file=out.attachment))


async def _connect(client: Client, bridge: Bridge, reporter: ActivityReporter | None) -> None:
    """Connect in the background, retrying with backoff: Campfire being down (or a wrong key)
    never takes the host bot and its other plugins down with it."""
    delay = 1.0
    while True:
        try:
            await client.connect()
            break
        except Exception as exc:  # unreachable, or refused (a wrong key: fix .env, it keeps trying)
            logger.warning(f"campfire: cannot connect ({exc!r}); retrying in {delay:.0f} s")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)
    logger.info("campfire: connected")
    _running["ready"].set()
    if reporter is not None:
        _running["reporting"] = asyncio.create_task(reporter.run())
    await bridge.run(_send)


@driver.on_startup
async def _start() -> None:
    config = get_plugin_config(Config)
    client = Client(config.campfire_url, config.campfire_key)
    reporter = ActivityReporter(client, interval=config.campfire_activity) if config.campfire_activity > 0 else None
    bridge = Bridge(client, lang=config.campfire_lang, platform="onebot", rate=config.campfire_rate,
                    burst=config.campfire_burst, activity=reporter, media_base=config.campfire_http)
    _running.update(client=client, bridge=bridge, reporter=reporter, ready=asyncio.Event(), reporting=None)
    _running["task"] = asyncio.create_task(_connect(client, bridge, reporter))


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


async def _is_starter(event: GroupMessageEvent) -> bool:
    """Whoever opened the group's game (they hold seat 1)."""
    bridge: Bridge | None = _running.get("bridge")
    seats = bridge.state(str(event.group_id)).seats if bridge is not None else []
    return bool(seats) and seats[0][0] == str(event.user_id)


def _is_stop(event: GroupMessageEvent) -> bool:
    intent = parse(event.get_plaintext())
    return intent is not None and intent.action == "stop"


# Ending a game: group admins, the owner, superusers, or the member who opened it.
stop_game = on_message(rule=_is_stop, permission=GROUP_ADMIN | GROUP_OWNER | SUPERUSER | Permission(_is_starter),
                       priority=40, block=True)


@stop_game.handle()
async def _on_stop(bot: Bot, event: GroupMessageEvent) -> None:
    await _relay(bot, event)


group_chat = on_message(priority=50, block=False)


@group_chat.handle()
async def _on_group_message(bot: Bot, event: GroupMessageEvent) -> None:
    if _is_stop(event):  # not allowed: the stop matcher above would have taken it
        await bot.send_group_msg(group_id=event.group_id, message=NOT_ALLOWED)
        return
    await _relay(bot, event)


async def _relay(bot: Bot, event: GroupMessageEvent) -> None:
    bridge: Bridge | None = _running.get("bridge")
    ready: asyncio.Event | None = _running.get("ready")
    if bridge is None or ready is None:
        return
    _group_bot[str(event.group_id)] = bot.self_id
    if not ready.is_set():
        if parse(event.get_plaintext()) is not None:  # a command while Campfire is unreachable: say so
            await bot.send_group_msg(group_id=event.group_id, message=UNAVAILABLE)
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
