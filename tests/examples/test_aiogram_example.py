"""The aiogram example: Telegram updates fed to aiogram's own Dispatcher (feed_update), the
Bot's HTTP session replaced by one that records send_message calls, against a real
Campfire server."""
from __future__ import annotations

import asyncio
import importlib.util
import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot  # noqa: E402
from aiogram.client.session.base import BaseSession  # noqa: E402
from aiogram.methods import GetMe, SendMessage, SetMyCommands, TelegramMethod  # noqa: E402
from aiogram.types import Chat, Message, Update, User  # noqa: E402
from example_helpers import Outbox, Sent, play_quiz, start_spy_with_four  # noqa: E402

from sdk import Client  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "aiogram" / "campfire_bot.py"
GROUP_ID = -1001234567890
USERS = {"111": "Alice", "222": "Bob", "333": "Carol", "444": "Dave"}


def _load_example() -> Any:
    spec = importlib.util.spec_from_file_location("campfire_aiogram_example", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class RecordingSession(BaseSession):
    """Stands in for Telegram's HTTP API: send_message calls land in an Outbox."""

    def __init__(self, outbox: Outbox) -> None:
        super().__init__()
        self.outbox = outbox
        self.ids = itertools.count(1)
        self.menus: dict[str | None, list[tuple[str, str]]] = {}

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        if isinstance(method, SendMessage):
            private = int(method.chat_id) > 0
            await self.outbox.add(Sent(str(method.chat_id), method.text, private))
            return Message(message_id=next(self.ids), date=datetime.now(UTC),
                           chat=Chat(id=int(method.chat_id), type="private" if private else "supergroup"),
                           text=method.text)
        if isinstance(method, GetMe):  # aiogram's Command filter checks "/quiz@name" names this bot
            return User(id=42, is_bot=True, first_name="Campfire", username="campfire_bot")
        if isinstance(method, SetMyCommands):
            self.menus[method.language_code] = [(c.command, c.description) for c in method.commands]
            return True
        raise AssertionError(f"unexpected Telegram call {type(method).__name__}")

    async def close(self) -> None:
        pass

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover
        raise NotImplementedError


_updates = itertools.count(1)


def group_update(member: str, text: str) -> Update:
    n = next(_updates)
    return Update(update_id=n, message=Message(
        message_id=n, date=datetime.now(UTC),
        chat=Chat(id=GROUP_ID, type="supergroup", title="Campfire test"),
        from_user=User(id=int(member), is_bot=False, first_name=USERS.get(member, member)),
        text=text))


@pytest.fixture
async def telegram(server, app_key):
    example = _load_example()
    outbox = Outbox()
    bot = Bot("42:TEST", session=RecordingSession(outbox))
    async with Client(server.url, app_key) as client:
        dp, bridge = example.build(bot, client, lang="zh", rate=1000.0, burst=1000)
        relay = asyncio.create_task(bridge.run(example.sender(bot)))

        async def say(member: str, text: str) -> None:
            await dp.feed_update(bot, group_update(member, text))

        yield say, outbox
        relay.cancel()
        await bridge.close()


async def test_a_whole_quiz_and_a_checkin_in_a_telegram_group_through_aiogram(telegram, clock) -> None:
    say, outbox = telegram
    final = await play_quiz(say, outbox, clock, open_word="/quiz@campfire_bot", join_word="/join",
                            start_word="/start", questions=5)
    assert final.chat == str(GROUP_ID)
    assert "Alice" in final.text and "Bob" in final.text
    await say("111", "/checkin")
    assert (await outbox.expect("Alice：签到成功")).chat == str(GROUP_ID)


async def test_the_command_menu_is_set_in_english_and_chinese() -> None:
    example = _load_example()
    session = RecordingSession(Outbox())
    await example.set_commands(Bot("42:TEST", session=session))
    assert set(session.menus) == {None, "zh"}
    english, chinese = dict(session.menus[None]), dict(session.menus["zh"])
    assert set(english) == set(chinese) >= {"quiz", "spy", "song", "checkin", "board", "help"}
    assert english["quiz"] == "open a quiz" and chinese["quiz"] == "开一局答题"


async def test_a_command_for_another_bot_in_the_group_is_left_to_it(telegram, clock) -> None:
    say, outbox = telegram
    await say("111", "/checkin@some_other_bot")
    await say("111", "/checkin@campfire_bot")
    reply = await outbox.expect("签到成功")
    assert [s for s in outbox.sent if "签到" in s.text] == [reply]


async def test_spy_words_are_sent_to_each_members_private_chat(telegram, clock) -> None:
    say, outbox = telegram
    words = await start_spy_with_four(say, outbox, fourth_seat="4号Dave")
    assert set(words) == set(USERS)
