"""Output pacing: never more than ``rate`` messages a second into one chat, merging the rest.

Chat platforms throttle or ban bots that burst (Telegram: 20 messages a minute per group;
QQ and WeChat bots get muted); ``PLATFORM_PACE`` in ``sdk.bridge.delivery`` holds the
defaults per platform, each from the platform's documented limit. When messages for one chat queue up faster than the
rate allows, the next send merges everything waiting into one message (up to
``max_chars``), so a midnight check-in storm becomes a few long messages instead of fifty
short ones, and nothing is dropped.

Each destination (a group, or one member's DM) has a token bucket: ``burst`` tokens,
refilled at ``rate`` per second. The clock and the sleep are injected so tests run
without waiting.

Delivery: a send that raises is retried, the same message again before anything queued
after it (order within a chat holds), after the delay the platform advised
(``TelegramRetryAfter.retry_after``, a 429's ``Retry-After``) or else an exponential
backoff. A send the platform will never accept (``delivery.advise`` says so), or one still
failing ``give_up_after`` seconds after its first failure, is given up: ``on_failure``
receives a ``DeliveryFailed`` with the message, and the queue goes on.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import deque
from typing import Any, Awaitable, Callable

from sdk.bridge.delivery import DeliveryFailed, advise
from sdk.bridge.messages import OutgoingMessage

log = logging.getLogger("campfire.bridge")

Send = Callable[[OutgoingMessage], Awaitable[None]]
OnFailure = Callable[[DeliveryFailed], Any]  # may be a coroutine function


class Pacer:
    def __init__(self, send: Send | None = None, *, rate: float = 1.0, burst: int = 2,
                 max_chars: int = 1500, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 give_up_after: float = 300.0, backoff: tuple[float, float] = (1.0, 60.0),
                 on_failure: OnFailure | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.give_up_after = give_up_after
        self.backoff = backoff
        self.on_failure = on_failure
        self.failed = 0
        self.send = send
        self.rate = rate
        self.burst = max(1, burst)
        self.max_chars = max_chars
        self.clock = clock
        self.sleep = sleep
        self._queues: dict[str, deque[OutgoingMessage]] = {}
        self._tokens: dict[str, tuple[float, float]] = {}  # destination -> (tokens, at)
        self._workers: dict[str, asyncio.Task[None]] = {}
        self.sent = 0

    def put(self, message: OutgoingMessage) -> None:
        key = message.destination
        self._queues.setdefault(key, deque()).append(message)
        self._kick(key)

    def start(self, send: Send) -> None:
        """Begin delivering (messages put before this wait in their queues)."""
        self.send = send
        for key in list(self._queues):
            self._kick(key)

    def pending(self) -> int:
        return sum(len(q) for q in self._queues.values())

    async def drain(self) -> None:
        """Wait until every queued message has been sent (tests, shutdown)."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)

    async def close(self) -> None:
        for task in self._workers.values():
            task.cancel()
        await asyncio.gather(*self._workers.values(), return_exceptions=True)
        self._workers.clear()

    # --- internals -----------------------------------------------------------------
    def _kick(self, key: str) -> None:
        if self.send is None or key in self._workers or not self._queues.get(key):
            return
        task = asyncio.get_running_loop().create_task(self._work(key))
        self._workers[key] = task
        task.add_done_callback(lambda _t: self._done(key))

    def _done(self, key: str) -> None:
        self._workers.pop(key, None)
        if self._queues.get(key):
            self._kick(key)  # something arrived as the worker was finishing

    def _take_token(self, key: str) -> float:
        """Take a token if one is there (returns 0), else the seconds until one will be."""
        now = self.clock()
        tokens, at = self._tokens.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self.rate)
        if tokens >= 1.0:
            self._tokens[key] = (tokens - 1.0, now)
            return 0.0
        self._tokens[key] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def _merge(self, queue: deque[OutgoingMessage]) -> OutgoingMessage:
        first = queue.popleft()
        parts = [first.text]
        size = len(first.text)
        while (first.attachment is None and queue and queue[0].attachment is None
               and size + 1 + len(queue[0].text) <= self.max_chars):
            nxt = queue.popleft()
            parts.append(nxt.text)
            size += 1 + len(nxt.text)
        return OutgoingMessage(first.group, "\n".join(parts), first.member, first.private, first.attachment,
                               first.attachment_type)

    async def _work(self, key: str) -> None:
        queue = self._queues[key]
        while queue:
            wait = self._take_token(key)
            if wait > 0:
                await self.sleep(wait)
                continue
            await self._deliver(key, self._merge(queue))
        self._queues.pop(key, None)

    async def _deliver(self, key: str, message: OutgoingMessage) -> None:
        """Send one message, retrying as the platform advises, until it passes or is given up."""
        assert self.send is not None
        first_failure: float | None = None
        attempts = 0
        while True:
            attempts += 1
            try:
                await self.send(message)
                self.sent += 1
                return
            except Exception as exc:
                now = self.clock()
                first_failure = now if first_failure is None else first_failure
                advice = advise(exc)
                wait = advice.delay if advice.delay is not None else min(
                    self.backoff[1], self.backoff[0] * 2 ** (attempts - 1))
                if not advice.retry or now + wait - first_failure > self.give_up_after:
                    await self._give_up(key, DeliveryFailed(message, exc, attempts))
                    return
                log.warning("sending to %s failed (%s); retrying in %.1f s", key, type(exc).__name__, wait)
                await self.sleep(wait)

    async def _give_up(self, key: str, failure: DeliveryFailed) -> None:
        self.failed += 1
        log.error("sending to %s failed after %d attempt(s); given up: %r", key, failure.attempts, failure.error)
        if self.on_failure is None:
            return
        try:
            outcome = self.on_failure(failure)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:
            log.exception("on_failure raised")
