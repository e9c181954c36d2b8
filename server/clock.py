"""Time for the room runtime, injectable so tests drive timers without sleeping.

``RealClock`` uses wall time and asyncio timers. ``ManualClock`` only moves when a test
calls ``advance``; due callbacks then run in deadline order, each awaited, so a test sees
exactly the state a real server would reach at that moment.
"""
from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from typing import Awaitable, Callable, Protocol

Callback = Callable[[], Awaitable[None]]


class TimerHandle(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    def now(self) -> float: ...

    def call_at(self, when: float, callback: Callback) -> TimerHandle: ...


class _TaskTimer:
    def __init__(self, task: asyncio.Task[None]) -> None:
        self._task = task

    def cancel(self) -> None:
        self._task.cancel()


class RealClock:
    def now(self) -> float:
        return time.time()

    def call_at(self, when: float, callback: Callback) -> TimerHandle:
        async def run() -> None:
            delay = when - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            await callback()

        return _TaskTimer(asyncio.get_running_loop().create_task(run()))


class _ManualTimer:
    __slots__ = ("when", "callback", "cancelled")

    def __init__(self, when: float, callback: Callback) -> None:
        self.when = when
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock:
    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._now = start
        self._heap: list[tuple[float, int, _ManualTimer]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self._now

    def call_at(self, when: float, callback: Callback) -> TimerHandle:
        timer = _ManualTimer(when, callback)
        heapq.heappush(self._heap, (when, next(self._order), timer))
        return timer

    def pending(self) -> list[float]:
        return sorted(t.when for _, _, t in self._heap if not t.cancelled)

    def jump(self, seconds: float) -> None:
        """Move time without running timers: a message that arrives just after a deadline,
        before the deadline's timer has fired (a real race on a busy server)."""
        self._now += seconds

    async def advance(self, seconds: float) -> None:
        await self.advance_to(self._now + seconds)

    async def advance_to(self, target: float) -> None:
        """Run every timer due by ``target`` in order, moving the clock to each one first."""
        while self._heap and self._heap[0][0] <= target:
            when, _, timer = heapq.heappop(self._heap)
            if timer.cancelled:
                continue
            self._now = max(self._now, when)
            await timer.callback()
        self._now = max(self._now, target)
