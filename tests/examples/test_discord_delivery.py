"""Delivery through discord.py: its own rate-limit errors (RateLimited, an HTTPException with
status 429 and a Retry-After header) are waited out as advised; Forbidden (a member who
blocks DMs) is given up at once with a DeliveryFailed."""
from __future__ import annotations

from types import SimpleNamespace

import discord
from example_helpers import FakeTime

from sdk.bridge import DeliveryFailed, OutgoingMessage, Pacer


def response(status: int, headers: dict[str, str] | None = None) -> SimpleNamespace:
    """What discord.py's HTTPException reads from aiohttp's response."""
    return SimpleNamespace(status=status, reason="", headers=headers or {})


async def test_a_429_is_retried_after_its_retry_after_header() -> None:
    time = FakeTime()
    attempts: list[float] = []

    async def send(out: OutgoingMessage) -> None:
        attempts.append(time.now)
        if len(attempts) == 1:
            raise discord.HTTPException(response(429, {"Retry-After": "2.5"}), {"message": "You are being rate limited."})

    pacer = Pacer(send, rate=100, burst=100, clock=time.clock, sleep=time.sleep)
    pacer.put(OutgoingMessage("9100", "Question 1/5"))
    await pacer.drain()
    assert attempts == [0.0, 2.5]


async def test_rate_limited_is_retried_after_its_retry_after_and_order_holds() -> None:
    time = FakeTime()
    delivered: list[tuple[float, str]] = []
    refused = {"first": 1}

    async def send(out: OutgoingMessage) -> None:
        if refused.get(out.text):
            refused[out.text] -= 1
            raise discord.RateLimited(7.0)
        delivered.append((time.now, out.text))

    pacer = Pacer(send, rate=100, burst=100, max_chars=5, clock=time.clock, sleep=time.sleep)
    pacer.put(OutgoingMessage("9100", "first"))
    pacer.put(OutgoingMessage("9100", "after"))
    await pacer.drain()
    assert delivered == [(7.0, "first"), (7.0, "after")]


async def test_a_member_who_blocks_dms_is_given_up_with_a_delivery_failed() -> None:
    time = FakeTime()
    failures: list[DeliveryFailed] = []

    async def send(out: OutgoingMessage) -> None:
        raise discord.Forbidden(response(403), {"code": 50007, "message": "Cannot send messages to this user"})

    pacer = Pacer(send, clock=time.clock, sleep=time.sleep, on_failure=failures.append)
    pacer.put(OutgoingMessage("9100", "Your word is apple", member="111", private=True))
    await pacer.drain()
    assert len(failures) == 1 and isinstance(failures[0].error, discord.Forbidden) and time.sleeps == []
