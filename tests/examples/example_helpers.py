"""Shared by the example tests (imported by name; not a conftest, so no clash with others): where a framework's outgoing messages are collected, and a
quiz driven by reading them."""
from __future__ import annotations

import asyncio
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Awaitable, Callable

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Sent:
    chat: str
    text: str
    private: bool = False


class Outbox:
    """Messages a bot framework was asked to send, waited on by text."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self._cond = asyncio.Condition()
        self._cursor = (0, 0)

    async def add(self, sent: Sent) -> None:
        async with self._cond:
            self.sent.append(sent)
            self._cond.notify_all()

    async def expect(self, needle: str, timeout: float = 10.0, private: bool = False) -> Sent:
        async def find() -> Sent:
            async with self._cond:
                while True:
                    for i in range(self._cursor[0], len(self.sent)):
                        s = self.sent[i]
                        if s.private != private:
                            continue
                        start = self._cursor[1] if i == self._cursor[0] else 0
                        at = s.text.find(needle, start)
                        if at >= 0:
                            if not private:
                                self._cursor = (i, at + len(needle))
                            return s
                    await self._cond.wait()

        try:
            return await asyncio.wait_for(find(), timeout)
        except TimeoutError:
            raise AssertionError(f"never sent {needle!r}; sent: {[s.text for s in self.sent]}") from None


    async def until(self, predicate: Callable[[list[Sent]], bool], timeout: float = 10.0) -> None:
        async def wait() -> None:
            async with self._cond:
                while not predicate(self.sent):
                    await self._cond.wait()

        try:
            await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"condition never met; sent: {[s.text for s in self.sent]}") from None


Say = Callable[[str, str], Awaitable[None]]  # (member, text)


async def play_quiz(say: Say, outbox: Outbox, clock, open_word: str = "答题", join_word: str = "加入",
                    start_word: str = "开始", questions: int = 3, zh: bool = True) -> Sent:
    """Two members play a whole quiz through the framework; returns the final ranking message."""
    await say("111", open_word)
    await outbox.expect("答题开房啦" if zh else "Quiz is open")
    await say("222", join_word)
    await outbox.expect("2号" if zh else "#2 ")
    await say("111", start_word)
    for n in range(1, questions + 1):
        q = await outbox.expect(f"第 {n}/{questions} 题" if zh else f"Question {n}/{questions}")
        choice = bool(re.search(r"\nA\. ", q.text))
        await say("111", "A" if choice else "不知道")
        await say("222", "2" if choice else "随便")
        await outbox.expect("答案：" if zh else "Answer:")
        await clock.advance(5)
    return await outbox.expect("答题结束" if zh else "Quiz is over")


async def start_spy_with_four(say: Say, outbox: Outbox, fourth_seat: str = "4号") -> dict[str, str]:
    """Four members open and start Who's the Spy; returns each member's private message
    (their word, or the blank notice), keyed by the chat it went to."""
    await say("111", "谁是卧底")
    for m in ("222", "333", "444"):
        await say(m, "加入")
    await outbox.expect(fourth_seat)
    await say("111", "开始")
    await outbox.until(lambda sent: len([s for s in sent if s.private]) == 4)
    return {s.chat: s.text for s in outbox.sent if s.private}


class FakeTime:
    """The pacer's clock: sleeping moves it forward at once, so tests never wait."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.gate: asyncio.Event | None = None  # when set up, sleeping waits for it (to let a queue build)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.gate is not None:
            await self.gate.wait()
        self.now += seconds
        await asyncio.sleep(0)
