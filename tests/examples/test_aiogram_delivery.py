"""Delivery through aiogram: a send Telegram refuses with its flood-control error
(TelegramRetryAfter, HTTP 429) is delivered after the delay Telegram advised; a send to a
chat that blocked the bot is given up at once with a DeliveryFailed."""
from __future__ import annotations

from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import SendMessage
from example_helpers import FakeTime

from sdk.bridge import DeliveryFailed, OutgoingMessage, Pacer


async def test_a_telegram_flood_wait_is_waited_out_then_the_message_is_delivered() -> None:
    time = FakeTime()
    attempts: list[float] = []

    async def send(out: OutgoingMessage) -> None:
        attempts.append(time.now)
        if len(attempts) == 1:
            raise TelegramRetryAfter(SendMessage(chat_id=-100, text=out.text), "Flood control exceeded", 12)

    pacer = Pacer(send, rate=100, burst=100, clock=time.clock, sleep=time.sleep)
    pacer.put(OutgoingMessage("-100", "第 1/5 题"))
    await pacer.drain()
    assert attempts == [0.0, 12.0] and pacer.sent == 1


async def test_a_chat_that_blocked_the_bot_is_given_up_with_a_delivery_failed() -> None:
    time = FakeTime()
    failures: list[DeliveryFailed] = []

    async def send(out: OutgoingMessage) -> None:
        raise TelegramForbiddenError(SendMessage(chat_id=42, text=out.text), "bot was blocked by the user")

    pacer = Pacer(send, clock=time.clock, sleep=time.sleep, on_failure=failures.append)
    pacer.put(OutgoingMessage("-100", "你的词是「苹果」", member="42", private=True))
    await pacer.drain()
    assert [(f.kind, f.message.text, f.attempts) for f in failures] == [("delivery_failed", "你的词是「苹果」", 1)]
    assert time.sleeps == []
